"""Command benchmark driver: registers a dealership and 10,000 vehicles, then runs
RecordOdometer (durable: acknowledged after fsync) at concurrency 1, 16 and 256 with sma-load.
Every run must end with all calls OK; server CPU per command is read from /proc."""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--seconds", type=float, default=6)
    args = parser.parse_args()
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
        shutil.rmtree(work, ignore_errors=True)
    print(f"commands c1_per_s={float(results[1]['rps']):.0f} c16_per_s={float(results[16]['rps']):.0f} "
          f"c256_per_s={float(results[256]['rps']):.0f} c256_p99_ms={results[256]['p99_ms']}")


if __name__ == "__main__":
    main()
