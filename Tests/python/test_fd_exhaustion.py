"""Out of file descriptors, the server pauses accepting instead of spinning: the listening socket
stays readable while accept() fails with EMFILE, and the server used to retry at once, burning
a core and writing ~200,000 `accept_failed` error lines in 3 s. Now it backs off (10 ms doubling
to 1 s), logs once per 10 s, keeps serving the connections it has, and accepts again once
descriptors are free."""

import resource
import socket
import time


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks


def test_out_of_file_descriptors_pauses_accepting_without_spinning(start_server):
    server = start_server()
    existing = server.channel()
    server.health_stub(existing).Check(server.protos.health_pb2.HealthCheckRequest(), timeout=5)
    soft, hard = resource.prlimit(server.proc.pid, resource.RLIMIT_NOFILE)
    resource.prlimit(server.proc.pid, resource.RLIMIT_NOFILE, (64, hard))  # it raised its soft limit at start
    before = cpu_seconds(server.proc.pid)
    clients = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(120)]
    time.sleep(2)
    used = cpu_seconds(server.proc.pid) - before
    assert used < 0.5, f"the server used {used:.2f} s of CPU in 2 s while out of file descriptors"
    failures = [line for line in server.stderr_text().splitlines() if "event=accept_failed" in line]
    assert 1 <= len(failures) <= 2, failures[:3]
    assert "Too many open files" in failures[0] and "backlog" in failures[0]
    # A connection it already had is still served.
    server.health_stub(existing).Check(server.protos.health_pb2.HealthCheckRequest(), timeout=5)
    for client in clients:
        client.close()
    resource.prlimit(server.proc.pid, resource.RLIMIT_NOFILE, (soft, hard))
    # New connections are accepted again (within the backoff, at most 1 s).
    deadline = time.monotonic() + 10
    while True:
        try:
            server.assert_serving()
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
