"""Command benchmark driver: registers a dealership and 10,000 vehicles, then runs
RecordOdometer (durable: acknowledged after fsync) at concurrency 1, 16 and 256 with sma-load.
Every run must end with all calls OK; server CPU per command is read from /proc.

There is no peer for commands, but the VM's speed swings up to 2x within minutes: with
--peer, the grpc-go peer's CPU per unary RPC (h2load, the unary benchmark's load) is measured
just before and just after the command runs, as a reference for the phase the figures come
from; the store's mean fdatasync (logged by the server at shutdown) tells the disk's phase."""
import argparse
import atexit
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import unary_bench  # noqa: E402  (the peer's start-up and h2load helpers)

CLK_TCK = os.sysconf("SC_CLK_TCK")
VINS = 10_000
SEED = 20261125

REGISTER_DEALERSHIP = "1:message { 1:string:bench-dealer }; 2:string:D1; 3:string:Bench Motors; 4:string:USD"
REGISTER_VEHICLE = ("1:message { 1:string:register-{vin} }; 2:string:{vin}; 3:string:D1; 4:string:Honda; "
                    "5:string:Accord; 6:int32:2021; 7:string:C1")
# Command ids must be unique across the runs of one benchmark (sma-load's {uuid} sequence
# repeats for the same --seed, which the VIN pool needs): prefix them with the run.
RECORD_ODOMETER = "1:message {{ 1:string:odometer-{run}-{{seq}} }}; 2:string:{{vin}}; 3:message {{ 1:int64:{{odometer}}; 2:enum:1 }}"


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def load(binary, port, method, template, concurrency, requests=None, seconds=None, offset=0, connections=4):
    cmd = ["taskset", "-c", "1", binary, "--target", f"127.0.0.1:{port}", "--method", method,
           "--body-template-text", template, "--vins", str(VINS), "--seed", str(SEED),
           "--concurrency", str(concurrency), "--connections", str(min(connections, concurrency)),
           "--odometer-offset", str(offset), "--timeout-ms", "10000"]
    cmd += ["--requests", str(requests)] if requests else ["--duration", str(seconds)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    line = next((l for l in reversed(out.stdout.splitlines()) if l.startswith("load ")), None)
    if out.returncode != 0 or line is None:
        raise SystemExit(f"sma-load failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    fields = dict(kv.split("=", 1) for kv in line.split()[1:])
    if int(fields["failed"]) != 0:
        raise SystemExit(f"non-OK replies in {method} at c={concurrency}: {line}\n{out.stdout}")
    return fields


def peer_cpu_per_rpc(peer, work, requests=100_000):
    """The grpc-go peer's CPU µs per unary RPC under h2load -c 16 -m 16 (pinned as the server)."""
    body = os.path.join(work, "peer.bin")
    with open(body, "wb") as f:
        msg = b"\x0a\x1c" + b"bench-payload-0123456789abcd"  # the peer's make_body.py message
        f.write(b"\x00" + len(msg).to_bytes(4, "big") + msg)
    port = 22052
    proc, _ = unary_bench.start([peer, str(port)], unary_bench.port_open(port))
    try:
        url = f"http://127.0.0.1:{port}/bench.Echo/Unary"
        unary_bench.h2load(url, body, 20_000, 16, 16)  # warm-up
        _, cpu = unary_bench.run_load(proc.pid, url, body, requests, 16, 16)
        return cpu
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--peer", help="grpc-go peer binary: measure its unary CPU per RPC as the VM-phase reference")
    args = parser.parse_args()
    work_peer = tempfile.mkdtemp(prefix="sma-commands-peer-") if args.peer else None
    if work_peer:
        atexit.register(shutil.rmtree, work_peer, True)  # also when a run fails
    peer_before = peer_cpu_per_rpc(args.peer, work_peer) if args.peer else None
    server_bin, load_bin = os.path.join(args.bin, "sma-server"), os.path.join(args.bin, "sma-load")
    work = tempfile.mkdtemp(prefix="sma-commands-bench-")
    port = 22051
    log = open(os.path.join(work, "server.log"), "w+")
    server = subprocess.Popen(["taskset", "-c", "0", server_bin, "--port", str(port), "--loops", "1",
                               "--data-dir", os.path.join(work, "data")], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 20
        while "listening" not in open(log.name).read():
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit("server did not start:\n" + open(log.name).read())
            time.sleep(0.05)
        load(load_bin, port, "/sma.v1.DealershipService/RegisterDealership", REGISTER_DEALERSHIP, 1, requests=1)
        started = time.time()
        reg = load(load_bin, port, "/sma.v1.VehicleService/RegisterVehicle", REGISTER_VEHICLE, 64, requests=VINS)
        print(f"registered {VINS} vehicles in {time.time() - started:.1f} s ({float(reg['rps']):,.0f}/s)")
        results = {}
        for index, concurrency in enumerate((1, 16, 256)):
            before = cpu_seconds(server.pid)
            r = load(load_bin, port, "/sma.v1.VehicleService/RecordOdometer", RECORD_ODOMETER.format(run=f"c{concurrency}"), concurrency,
                     seconds=args.seconds, offset=(index + 1) * 10_000_000, connections=4 if concurrency > 1 else 1)
            used = cpu_seconds(server.pid) - before
            done = int(r["ok"])
            results[concurrency] = r
            print(f"c={concurrency:>3}: {float(r['rps']):>9,.0f} commands/s  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  "
                  f"max {r['max_ms']} ms  server CPU {used * 1e6 / max(done, 1):.1f} µs/command  ({done} OK)")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        closed = re.search(r"event=event_store_closed .*\bsync_mean_us=(\d+)\b.*\bsyncs=(\d+)", open(log.name).read())
        shutil.rmtree(work, ignore_errors=True)
    extra = ""
    if closed:
        print(f"store: {closed.group(2)} fdatasyncs over all runs, mean {closed.group(1)} µs")
        extra += f" sync_mean_us={closed.group(1)}"
    if args.peer:
        peer_after = peer_cpu_per_rpc(args.peer, work_peer)
        print(f"VM phase: grpc-go unary {peer_before:.2f} µs CPU/RPC before, {peer_after:.2f} after "
              "(the prototype's reference machine: 9.2)")
        extra += f" peer_unary_cpu_us={(peer_before + peer_after) / 2:.2f}"
    print(f"commands c1_per_s={float(results[1]['rps']):.0f} c16_per_s={float(results[16]['rps']):.0f} "
          f"c256_per_s={float(results[256]['rps']):.0f} c256_p99_ms={results[256]['p99_ms']}{extra}")


if __name__ == "__main__":
    main()
