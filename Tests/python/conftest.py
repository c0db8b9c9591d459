"""Fixtures for the integration tests: the real `sma-server` binary, Python stubs generated
from Protos/ by grpcio-tools, and a factory that starts servers on a free port.

Everything talks to 127.0.0.1 only, every RPC has a timeout, and every server started by a
test is killed at teardown whatever happens.
"""

import importlib
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import types

import grpc
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROTOS = ROOT / "Protos"
GENERATED = pathlib.Path(__file__).resolve().parent / "generated"

# Upper bound on any single RPC the helpers make (tests pass tighter ones where it matters).
RPC_TIMEOUT = 5.0
# How long a server may take to print its listening line.
STARTUP_TIMEOUT = 20.0


# MARK: - The binary


def _locate_binary():
    override = os.environ.get("SMA_SERVER_BINARY")
    if override:
        path = pathlib.Path(override)
        if not path.is_file():
            pytest.fail(f"SMA_SERVER_BINARY={override} does not exist", pytrace=False)
        return path
    try:
        result = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True,
                                text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.fail(f"cannot run `swift build --show-bin-path` in {ROOT}: {error}", pytrace=False)
    if result.returncode != 0:
        pytest.fail(f"`swift build --show-bin-path` failed:\n{result.stderr}", pytrace=False)
    path = pathlib.Path(result.stdout.strip().splitlines()[-1]) / "sma-server"
    if not path.is_file():
        pytest.fail(f"sma-server binary not found at {path}: build it first with "
                    "`swift build --product sma-server` (Scripts/test does this before pytest)",
                    pytrace=False)
    return path


@pytest.fixture(scope="session")
def server_binary():
    return _locate_binary()


# MARK: - Generated stubs


def _proto_files():
    files = [PROTOS / "grpc/health/v1/health.proto", PROTOS / "grpc/reflection/v1/reflection.proto"]
    files += sorted((PROTOS / "sma/v1").glob("*.proto"))
    return [f for f in files if f.is_file()]


def _generate_stubs():
    from grpc_tools import protoc  # imported here so a missing grpcio-tools fails one fixture, clearly

    well_known = pathlib.Path(protoc.__file__).resolve().parent / "_proto"
    if GENERATED.exists():
        shutil.rmtree(GENERATED)
    GENERATED.mkdir(parents=True)
    files = _proto_files()
    args = ["grpc_tools.protoc", f"-I{PROTOS}", f"-I{well_known}", f"--python_out={GENERATED}",
            f"--grpc_python_out={GENERATED}"] + [str(f.relative_to(PROTOS)) for f in files]
    code = protoc.main(args)
    if code != 0:
        pytest.fail(f"grpc_tools.protoc failed with {code}: {' '.join(args)}", pytrace=False)
    # The stubs live in packages named after the proto packages, but `grpc.health` and
    # `grpc.reflection` are aliases of grpcio-health-checking's and grpcio-reflection's own
    # modules (grpc/__init__.py installs them in sys.modules). So the generated `grpc/` tree
    # becomes the package `grpc_protos`, and its imports of generated modules are rewritten.
    # grpcio-health-checking's `grpc_health.v1.health_pb2` must not be imported in the same
    # process: it registers the same message names in the default descriptor pool.
    generated_names = {".".join(p.relative_to(GENERATED).with_suffix("").parts)
                       for p in GENERATED.rglob("*.py")}
    if (GENERATED / "grpc").is_dir():
        (GENERATED / "grpc").rename(GENERATED / "grpc_protos")

    def rewrite(match):
        package, module = match.group(1), match.group(2)
        if f"{package}.{module}" in generated_names:
            return f"from grpc_protos{package[len('grpc'):]} import {module}"
        return match.group(0)

    for path in GENERATED.rglob("*.py"):
        text = path.read_text()
        new_text = re.sub(r"^from (grpc(?:\.\w+)+) import (\w+)", rewrite, text, flags=re.MULTILINE)
        if new_text != text:
            path.write_text(new_text)
    if str(GENERATED) not in sys.path:
        sys.path.insert(0, str(GENERATED))
    importlib.invalidate_caches()

    modules = {}
    for proto in files:
        base = ".".join(proto.relative_to(PROTOS).with_suffix("").parts)
        if base.startswith("grpc."):
            base = "grpc_protos." + base[len("grpc."):]
        modules[base + "_pb2"] = importlib.import_module(base + "_pb2")
        modules[base + "_pb2_grpc"] = importlib.import_module(base + "_pb2_grpc")
    return modules


@pytest.fixture(scope="session")
def protos():
    """The generated modules: `protos.health_pb2`, `protos.health_pb2_grpc`,
    `protos.reflection_pb2`, `protos.reflection_pb2_grpc`, and `protos.modules` (all, by
    dotted module name, including any sma.v1 ones)."""
    modules = _generate_stubs()
    return types.SimpleNamespace(
        health_pb2=modules["grpc_protos.health.v1.health_pb2"],
        health_pb2_grpc=modules["grpc_protos.health.v1.health_pb2_grpc"],
        reflection_pb2=modules["grpc_protos.reflection.v1.reflection_pb2"],
        reflection_pb2_grpc=modules["grpc_protos.reflection.v1.reflection_pb2_grpc"],
        modules=modules,
    )


# MARK: - Servers


class ServerProcess:
    """One running sma-server. `port`/`address` come from its `listening on` line."""

    def __init__(self, binary, args, env, workdir, protos, name):
        self.args = [str(binary)] + list(args)
        self.protos = protos
        self.workdir = workdir
        self.stderr_path = workdir / f"{name}.stderr.log"
        self.stdout_lines = []
        self.expect_exit = False
        self._channels = []
        self._stderr_file = open(self.stderr_path, "wb")
        self._listening = threading.Event()
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._stderr_file, env=env, cwd=workdir)
        self._reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._reader.start()
        self.host = self.port = None

    def _read_stdout(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.stdout_lines.append(line)
            if line.startswith("sma-server listening on ") and self.port is None:
                hostport = line[len("sma-server listening on "):].split()[0]
                host, _, port = hostport.rpartition(":")
                self.host, self.port = host, int(port)
                self._listening.set()
        self._listening.set()  # EOF: wake the waiter, which then sees no port

    def wait_listening(self, timeout=STARTUP_TIMEOUT):
        if not self._listening.wait(timeout) or self.port is None:
            self.kill()
            pytest.fail(f"sma-server did not print its listening line within {timeout}s "
                        f"(exit code {self.proc.poll()}): stdout={self.stdout_lines!r}\n"
                        f"stderr:\n{self.stderr_text()[-4000:]}", pytrace=False)
        return self

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def stderr_text(self):
        self._stderr_file.flush()
        return self.stderr_path.read_text(errors="replace")

    def wait_for_log(self, needle, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.stderr_text():
                return True
            time.sleep(0.05)
        return needle in self.stderr_text()

    def alive(self):
        return self.proc.poll() is None

    def channel(self, options=(), compression=None):
        """An insecure channel to this server, closed at teardown."""
        channel = grpc.insecure_channel(self.address, options=list(options), compression=compression)
        self._channels.append(channel)
        return channel

    def health_stub(self, channel=None, **channel_kwargs):
        return self.protos.health_pb2_grpc.HealthStub(channel or self.channel(**channel_kwargs))

    def assert_serving(self, service=""):
        """The process is alive and a Check on a fresh channel answers SERVING."""
        assert self.alive(), f"sma-server exited with {self.proc.returncode}; stderr:\n{self.stderr_text()[-4000:]}"
        channel = grpc.insecure_channel(self.address)
        try:
            stub = self.protos.health_pb2_grpc.HealthStub(channel)
            reply = stub.Check(self.protos.health_pb2.HealthCheckRequest(service=service), timeout=RPC_TIMEOUT)
        finally:
            channel.close()
        assert reply.status == self.protos.health_pb2.HealthCheckResponse.SERVING

    def send_signal(self, sig):
        self.proc.send_signal(sig)

    def kill(self):
        for channel in self._channels:
            try:
                channel.close()
            except Exception:
                pass
        self._channels.clear()
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self._reader.join(timeout=2)
        self._stderr_file.close()


@pytest.fixture
def start_server(server_binary, protos, tmp_path):
    """Factory: `start_server("--max-message-size", "1024", env={...}, port=True)`.

    Adds `--port 0` (unless `port=False`) and a fresh `--data-dir` under tmp_path, waits for
    the listening line, and kills every server at teardown. A server not flagged
    `expect_exit` must still be alive and answer Check at teardown.
    """
    servers = []

    def start(*flags, env=None, port=True, data_dir=True, wait=True):
        index = len(servers)
        args = list(flags)
        if port:
            args += ["--port", "0"]
        if data_dir:
            args += ["--data-dir", str(tmp_path / f"data{index}")]
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("SMA_")}
        full_env.update(env or {})
        server = ServerProcess(server_binary, args, full_env, tmp_path, protos, f"server{index}")
        servers.append(server)
        if wait:
            server.wait_listening()
        return server

    yield start

    problems = []
    for server in servers:
        if not server.expect_exit and server.port is not None:
            if not server.alive():
                problems.append(f"server {server.args} died with {server.proc.returncode}:\n"
                                f"{server.stderr_text()[-3000:]}")
            else:
                try:
                    server.assert_serving()
                except Exception as error:  # noqa: BLE001 - reported below
                    problems.append(f"server {server.args} stopped answering Check: {error!r}")
        server.kill()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def server(start_server):
    """A server on its defaults (plus --port 0 and a temporary data directory)."""
    return start_server()


@pytest.fixture
def health(server):
    """(stub, pb2) for the default server."""
    return server.health_stub(), server.protos.health_pb2


def status_name(pb2, value):
    return pb2.HealthCheckResponse.ServingStatus.Name(value)


def raw_unary(channel, path):
    """A unary callable sending and receiving raw bytes (no serializer)."""
    return channel.unary_unary(path, request_serializer=None, response_deserializer=None)


def wait_until(predicate, timeout, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()

