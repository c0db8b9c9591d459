"""Unary benchmark driver: h2load against sma-server's Health/Check and the grpc-go peer.

Each round runs the same h2load load against both servers on the same machine in the same
minute, alternating which goes first (ABBA), so the VM's drift does not favour either; the
reported ratio is the median of the per-round ratios. Reported per server: req/s, server CPU µs per RPC
(utime+stime delta / requests), and c=1 latency percentiles from h2load's per-request log.
SMA's replies are verified as gRPC successes: the server counts calls by grpc-status and logs
the counts at shutdown; every request h2load sent must appear as OK.
"""
import argparse
import os
import re
import resource
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def start(cmd, ready):
    log = tempfile.NamedTemporaryFile("w+", delete=False, prefix="bench-", suffix=".log")
    proc = subprocess.Popen(["taskset", "-c", "0"] + cmd, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 15
    while time.time() < deadline:
        if ready(log.name):
            return proc, log.name
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    print(open(log.name).read(), file=sys.stderr)
    raise SystemExit(f"server did not start: {cmd}")


def port_open(port):
    def check(_):
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0
    return check


def h2load(url, body, n, c, m, log_file=None):
    cmd = ["taskset", "-c", "1", "h2load", "-n", str(n), "-c", str(c), "-m", str(m), "-t", "1",
           "-d", body, "-H", "content-type: application/grpc", "-H", "te: trailers", url]
    if log_file:
        cmd += ["--log-file", log_file]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600).stdout
    rps = float(re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", out).group(1))
    done = re.search(r"requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored", out)
    succeeded, failed, errored = int(done.group(3)), int(done.group(4)), int(done.group(5))
    if failed or errored or succeeded != n:
        raise SystemExit(f"h2load saw failures against {url}:\n{out}")
    return rps


def p99_ms(*log_files):
    durations = []
    for log_file in log_files:
        with open(log_file) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3:
                    durations.append(int(parts[2]))
    durations.sort()
    return durations[int(len(durations) * 0.99) - 1] / 1000.0 if durations else float("nan")


def run_load(pid, url, body, n, c, m):
    before = cpu_seconds(pid)
    rps = h2load(url, body, n, c, m)
    used = cpu_seconds(pid) - before
    return rps, used * 1e6 / n


def idle_connections(port, count):
    """Opens `count` HTTP/2 connections (preface + SETTINGS) and keeps them idle."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 1000)), hard))
    preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + struct.pack(">I", 0)[1:] + b"\x04\x00" + struct.pack(">I", 0)
    sockets = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(preface)
        sockets.append(s)
    return sockets


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--peer", required=True)
    parser.add_argument("-n", type=int, default=300000)
    parser.add_argument("-r", "--rounds", type=int, default=5)
    parser.add_argument("--c1-requests", type=int, default=20000)
    parser.add_argument("--idle-connections", type=int, default=10000)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="sma-bench-")
    health_body = os.path.join(work, "health.bin")
    with open(health_body, "wb") as f:
        f.write(b"\x00\x00\x00\x00\x00")  # empty HealthCheckRequest: service "" (the server)
    peer_body = os.path.join(work, "peer.bin")
    msg = b"\x0a\x1c" + b"bench-payload-0123456789abcd"  # the peer's make_body.py message
    with open(peer_body, "wb") as f:
        f.write(b"\x00" + struct.pack(">I", len(msg)) + msg)

    sma_port, peer_port = 21051, 21052
    sma, sma_log = start([args.server, "--port", str(sma_port), "--data-dir", os.path.join(work, "data"),
                          "--loops", "1"], lambda name: "listening" in open(name).read())
    peer, _ = start([args.peer, str(peer_port)], port_open(peer_port))
    sma_url = f"http://127.0.0.1:{sma_port}/grpc.health.v1.Health/Check"
    peer_url = f"http://127.0.0.1:{peer_port}/bench.Echo/Unary"
    sent = 0
    try:
        time.sleep(0.5)
        idle_rss = rss_mb(sma.pid)
        # Warm-up.
        h2load(sma_url, health_body, 20000, 16, 16)
        h2load(peer_url, peer_body, 20000, 16, 16)
        sent += 20000
        rounds = []
        for r in range(args.rounds):
            if r % 2 == 0:
                s_rps, s_cpu = run_load(sma.pid, sma_url, health_body, args.n, 16, 16)
                p_rps, p_cpu = run_load(peer.pid, peer_url, peer_body, args.n, 16, 16)
            else:
                p_rps, p_cpu = run_load(peer.pid, peer_url, peer_body, args.n, 16, 16)
                s_rps, s_cpu = run_load(sma.pid, sma_url, health_body, args.n, 16, 16)
            sent += args.n
            rounds.append((s_rps, p_rps, s_cpu, p_cpu))
            print(f"round {r + 1}: sma {s_rps:,.0f} req/s ({s_cpu:.2f} µs CPU/RPC)   "
                  f"grpc-go {p_rps:,.0f} req/s ({p_cpu:.2f} µs CPU/RPC)   ratio {s_rps / p_rps:.2f}")
        # c=1 latency, ABBA as well: p99 over both runs of each server.
        c1_logs = {name: [os.path.join(work, f"c1-{name}-{i}.log") for i in range(2)] for name in ("sma", "peer")}
        h2load(sma_url, health_body, args.c1_requests, 1, 1, c1_logs["sma"][0])
        h2load(peer_url, peer_body, args.c1_requests, 1, 1, c1_logs["peer"][0])
        h2load(peer_url, peer_body, args.c1_requests, 1, 1, c1_logs["peer"][1])
        h2load(sma_url, health_body, args.c1_requests, 1, 1, c1_logs["sma"][1])
        sent += 2 * args.c1_requests
        c1_sma, c1_peer = p99_ms(*c1_logs["sma"]), p99_ms(*c1_logs["peer"])
        loaded_rss = rss_mb(sma.pid)
        print(f"c=1 p99: sma {c1_sma:.3f} ms, grpc-go {c1_peer:.3f} ms")
        conns = idle_connections(sma_port, args.idle_connections)
        time.sleep(1.0)
        conn_rss = rss_mb(sma.pid)
        for s in conns:
            s.close()
        print(f"RSS: idle {idle_rss:.1f} MB, after load {loaded_rss:.1f} MB, "
              f"with {args.idle_connections} idle connections {conn_rss:.1f} MB")
    finally:
        peer.terminate()
        sma.send_signal(signal.SIGTERM)
        sma.wait(timeout=30)
        peer.wait(timeout=10)

    # Verify every SMA reply was a gRPC success (the server's own count of grpc-status).
    text = open(sma_log).read()
    counts = re.search(r"event=server_shutdown_complete.*", text)
    ok = re.search(r"calls_ok=(\d+)", counts.group(0)) if counts else None
    not_ok = re.search(r"calls_failed=(\d+)", counts.group(0)) if counts else None
    if not ok or int(ok.group(1)) != sent or int(not_ok.group(1)) != 0:
        raise SystemExit(f"verification failed: sent {sent}, server log: {counts.group(0) if counts else text[-2000:]}")
    print(f"verified: {sent} replies, all grpc-status 0 (server count)")

    med = lambda i: statistics.median(r[i] for r in rounds)
    sma_rps, peer_rps, sma_cpu, peer_cpu = med(0), med(1), med(2), med(3)
    ratio = statistics.median(r[0] / r[1] for r in rounds)
    cpu_ratio = statistics.median(r[2] / r[3] for r in rounds)
    print(f"median of {args.rounds}: sma {sma_rps:,.0f} req/s, grpc-go {peer_rps:,.0f} req/s, "
          f"sma CPU {sma_cpu:.2f} µs/RPC, grpc-go CPU {peer_cpu:.2f} µs/RPC; "
          f"per-round ratios: throughput {ratio:.2f}, CPU per RPC {cpu_ratio:.2f}")
    print(f"unary sma_rps={sma_rps:.0f} peer_rps={peer_rps:.0f} ratio={ratio:.2f} "
          f"cpu_us_per_rpc={sma_cpu:.2f} peer_cpu_us_per_rpc={peer_cpu:.2f} c1_p99_ms={c1_sma:.3f} "
          f"peer_c1_p99_ms={c1_peer:.3f} rss_mb={idle_rss:.1f} rss_10k_conns_mb={conn_rss:.1f} cpu_ratio={cpu_ratio:.2f}")


if __name__ == "__main__":
    main()
