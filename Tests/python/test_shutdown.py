"""Graceful shutdown on SIGTERM/SIGINT with calls in flight."""

import collections
import signal
import socket
import subprocess
import sys
import threading
import time

import grpc
import pytest

from conftest import RPC_TIMEOUT, status_name

GRACE = 2.0
# After SIGTERM: ~0.1 s between the two GOAWAYs, the grace period, then up to 1 s to close.
EXIT_BOUND = GRACE + 2.0


class WatchRecorder(threading.Thread):
    """Reads a Watch stream in the background: the statuses seen, then how it ended."""

    def __init__(self, call, pb2):
        super().__init__(daemon=True)
        self.call, self.pb2 = call, pb2
        self.statuses = []
        self.first = threading.Event()
        self.code = None
        self.ended_at = None

    def run(self):
        try:
            for reply in self.call:
                self.statuses.append(status_name(self.pb2, reply.status))
                self.first.set()
            self.code = grpc.StatusCode.OK
        except grpc.RpcError as error:
            self.code = error.code()
        self.ended_at = time.monotonic()
        self.first.set()


def _wait_exit(server, timeout):
    try:
        return server.proc.wait(timeout=timeout)
    except Exception:  # noqa: BLE001 - reported by the caller's assertion
        return None


def test_sigterm_with_calls_in_flight(start_server, capsys):
    server = start_server("--shutdown-grace", str(GRACE))
    pb2 = server.protos.health_pb2
    channel = server.channel()
    stub = server.health_stub(channel)

    watch = WatchRecorder(stub.Watch(pb2.HealthCheckRequest(), timeout=15), pb2)
    watch.start()
    assert watch.first.wait(RPC_TIMEOUT) and watch.statuses == ["SERVING"]

    # 50 unary Checks truly in flight: their HEADERS are on the server, their request message
    # is held back until after SIGTERM (a request iterator that waits), so the server must
    # finish them during the grace period.
    release = threading.Event()
    request = pb2.HealthCheckRequest().SerializeToString()

    def held_request():
        release.wait(10)
        yield request

    held_check = channel.stream_unary("/grpc.health.v1.Health/Check", request_serializer=None,
                                      response_deserializer=pb2.HealthCheckResponse.FromString)
    in_flight = [held_check.future(held_request(), timeout=15) for _ in range(50)]
    time.sleep(0.5)  # let grpcio put every stream's HEADERS on the wire
    assert not any(f.done() for f in in_flight)

    signalled = time.monotonic()
    server.send_signal(signal.SIGTERM)
    server.expect_exit = True
    assert server.wait_for_log("event=signal_received", 3), server.stderr_text()
    time.sleep(0.3)  # both GOAWAYs are out now
    release.set()
    results = []
    for future in in_flight:
        try:
            results.append(status_name(pb2, future.result(timeout=10).status))
        except grpc.RpcError as error:
            results.append(f"{error.code()}: {error.details()}")

    code = _wait_exit(server, EXIT_BOUND + 2)
    exited_after = time.monotonic() - signalled
    watch.join(5)
    with capsys.disabled():
        print(f"\n[shutdown] Watch statuses={watch.statuses} ended with {watch.code} "
              f"{(watch.ended_at or 0) - signalled:.2f}s after SIGTERM; exit code {code} after {exited_after:.2f}s; "
              f"held Checks: {dict(collections.Counter(results))}")

    # The in-flight unary calls were completed, and answered with the shutdown status.
    assert all(r in ("SERVING", "NOT_SERVING") for r in results), results
    # The Watch saw NOT_SERVING before it ended, and ended in one of the expected ways.
    assert "NOT_SERVING" in watch.statuses, watch.statuses
    assert watch.statuses[0] == "SERVING"
    assert watch.code in (grpc.StatusCode.CANCELLED, grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.OK), watch.code
    # The process exited cleanly within the grace period (plus the fixed overheads).
    assert code == 0, (code, server.stderr_text()[-3000:])
    assert exited_after < EXIT_BOUND, exited_after
    log = server.stderr_text()
    for event in ("event=signal_received", "event=server_shutdown_begin", "event=server_shutdown_complete"):
        assert event in log, log
    # The store closed cleanly and says how its writer fared (checkpoints, preallocated space).
    closed = next(line for line in log.splitlines() if "event=event_store_closed" in line)
    assert "checkpoint_failures=0" in closed and "preallocation_failures=0" in closed, closed


def test_unary_burst_racing_sigterm(start_server):
    """50 Checks fired right before SIGTERM: each either completes, or is refused cleanly
    (UNAVAILABLE) if it reached the server after shutdown began. None hangs or breaks."""
    server = start_server("--shutdown-grace", str(GRACE))
    stub = server.health_stub()
    pb2 = server.protos.health_pb2
    server.assert_serving()
    futures = [stub.Check.future(pb2.HealthCheckRequest(), timeout=10) for _ in range(50)]
    server.send_signal(signal.SIGTERM)
    server.expect_exit = True
    outcomes = []
    for future in futures:
        try:
            outcomes.append(status_name(pb2, future.result(timeout=10).status))
        except grpc.RpcError as error:
            outcomes.append(error.code())
    assert all(o in ("SERVING", "NOT_SERVING", grpc.StatusCode.UNAVAILABLE) for o in outcomes), outcomes
    assert _wait_exit(server, EXIT_BOUND) == 0


def test_sigterm_idle_exits_promptly(start_server):
    server = start_server("--shutdown-grace", "10")
    server.assert_serving()
    started = time.monotonic()
    server.send_signal(signal.SIGTERM)
    server.expect_exit = True
    assert _wait_exit(server, 5) == 0, server.stderr_text()
    assert time.monotonic() - started < 3.0  # no call in flight: the grace period is not waited out


def test_sigint_exits_zero(start_server):
    server = start_server()
    server.assert_serving()
    server.send_signal(signal.SIGINT)
    server.expect_exit = True
    assert _wait_exit(server, 5) == 0, server.stderr_text()
    assert "signal=SIGINT" in server.stderr_text()


def test_grace_period_cuts_off_long_calls(start_server):
    """A Watch that would never end is cut off after the grace period, and the exit is still 0."""
    server = start_server("--shutdown-grace", "0.5")
    stub = server.health_stub()
    pb2 = server.protos.health_pb2
    watches = [WatchRecorder(stub.Watch(pb2.HealthCheckRequest(), timeout=15), pb2) for _ in range(10)]
    for watch in watches:
        watch.start()
    for watch in watches:
        assert watch.first.wait(RPC_TIMEOUT)
    started = time.monotonic()
    server.send_signal(signal.SIGTERM)
    server.expect_exit = True
    assert _wait_exit(server, 5) == 0, server.stderr_text()
    assert time.monotonic() - started < 0.5 + 2.0
    for watch in watches:
        watch.join(5)
        assert watch.code in (grpc.StatusCode.CANCELLED, grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.OK)
        assert "NOT_SERVING" in watch.statuses


def test_no_new_connections_after_shutdown_begins(start_server):
    server = start_server("--shutdown-grace", "3")
    stub = server.health_stub()
    pb2 = server.protos.health_pb2
    watch = WatchRecorder(stub.Watch(pb2.HealthCheckRequest(), timeout=15), pb2)
    watch.start()
    assert watch.first.wait(RPC_TIMEOUT)
    server.send_signal(signal.SIGTERM)
    server.expect_exit = True
    assert server.wait_for_log("event=server_shutdown_begin", 3)
    time.sleep(0.3)
    assert server.alive()  # still in its grace period (the Watch is open)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
    assert _wait_exit(server, 3 + 3) == 0


def test_sigterm_right_after_listening_line(start_server):
    """An orchestrator may stop a server as soon as it reports ready. 30 tries."""
    for attempt in range(30):
        server = start_server()
        server.expect_exit = True
        server.send_signal(signal.SIGTERM, wait_for_handlers=False)
        code = _wait_exit(server, 3)
        server.kill()
        assert code == 0, f"try {attempt}: SIGTERM right after start-up was ignored (exit code {code})"


def test_live_subscriptions_end_at_once_with_unavailable(start_server):
    """Live event subscriptions never finish by themselves: at SIGTERM they end at once with
    UNAVAILABLE (resubscribe from the last position received) instead of holding the shutdown for
    the whole grace period and then being cut off; a unary call in flight still completes."""
    server = start_server("--shutdown-grace", "8")
    m = server.protos.modules
    events = m["sma.v1.event_service_pb2"]
    stub = m["sma.v1.event_service_pb2_grpc"].EventServiceStub(server.channel())
    calls = [stub.SubscribeEvents(events.SubscribeEventsRequest(after_position=0), timeout=30) for _ in range(5)]
    for call in calls:
        assert next(call).WhichOneof("item") == "caught_up_position"  # live: caught up on the empty log
    health_pb2 = server.protos.health_pb2
    release = threading.Event()

    def held_request():
        release.wait(10)
        yield health_pb2.HealthCheckRequest().SerializeToString()

    held_check = server.channel().stream_unary("/grpc.health.v1.Health/Check", request_serializer=None,
                                               response_deserializer=health_pb2.HealthCheckResponse.FromString)
    in_flight = held_check.future(held_request(), timeout=15)
    time.sleep(0.3)

    signalled = time.monotonic()
    server.send_signal(signal.SIGTERM)
    server.expect_exit = True
    for call in calls:
        with pytest.raises(grpc.RpcError) as caught:
            next(call)
        assert caught.value.code() == grpc.StatusCode.UNAVAILABLE, caught.value
        assert "shutting down" in caught.value.details() and "after_position" in caught.value.details()
    ended_after = time.monotonic() - signalled
    assert ended_after < 3.0, f"subscriptions ended {ended_after:.2f}s after SIGTERM"
    release.set()
    assert status_name(health_pb2, in_flight.result(timeout=10).status) in ("SERVING", "NOT_SERVING")
    assert _wait_exit(server, 5) == 0, server.stderr_text()[-3000:]
    assert time.monotonic() - signalled < 6.0  # not the 8 s grace period (and ~1 s of fixed steps)



def test_streams_of_a_vanished_client_do_not_hold_up_shutdown(start_server, tmp_path):
    """A client killed with Watch streams open: its connection's streams close with it, so a later
    SIGTERM finds none open and does not wait out the grace period for them."""
    server = start_server("--shutdown-grace", "10")
    client = tmp_path / "watcher.py"
    client.write_text(
        "import time, grpc\n"
        "from grpc_health.v1 import health_pb2, health_pb2_grpc\n"
        f"stub = health_pb2_grpc.HealthStub(grpc.insecure_channel('127.0.0.1:{server.port}'))\n"
        "calls = [stub.Watch(health_pb2.HealthCheckRequest()) for _ in range(3)]\n"
        "for call in calls: print(next(call).status, flush=True)\n"
        "time.sleep(60)\n")
    watcher = subprocess.Popen([sys.executable, str(client)], stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(3):
            assert watcher.stdout.readline().strip() == "1"  # SERVING: the three streams are open
    finally:
        watcher.kill()
        watcher.wait()
    time.sleep(0.5)  # the server reads the connection's end
    started = time.monotonic()
    server.send_signal(signal.SIGTERM)
    server.expect_exit = True
    assert _wait_exit(server, 8) == 0, server.stderr_text()
    assert time.monotonic() - started < 3.0, "shutdown waited for the streams of a client that is gone"
    assert "open_streams=0" in server.stderr_text(), server.stderr_text()
