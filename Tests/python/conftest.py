"""Fixtures for the integration tests: the real `sma-server` binary, Python stubs generated
from Protos/ by grpcio-tools, and a factory that starts servers on a free port.

Everything talks to 127.0.0.1 only, every RPC has a timeout, and every server started by a
test is killed at teardown whatever happens.
"""

import atexit
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


def _remove_stale_outputs():
    """Output folders of pytest processes that are gone (each run writes its own, so that runs
    sharing this tree never import half-written stubs)."""
    for folder in GENERATED.glob("run-*"):
        try:
            os.kill(int(folder.name[len("run-"):]), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, PermissionError):
            pass


def _generate_stubs(output):
    from grpc_tools import protoc  # imported here so a missing grpcio-tools fails one fixture, clearly

    well_known = pathlib.Path(protoc.__file__).resolve().parent / "_proto"
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    files = _proto_files()
    args = ["grpc_tools.protoc", f"-I{PROTOS}", f"-I{well_known}", f"--python_out={output}",
            f"--grpc_python_out={output}"] + [str(f.relative_to(PROTOS)) for f in files]
    code = protoc.main(args)
    if code != 0:
        pytest.fail(f"grpc_tools.protoc failed with {code}: {' '.join(args)}", pytrace=False)
    # The stubs live in packages named after the proto packages, but `grpc.health` and
    # `grpc.reflection` are aliases of grpcio-health-checking's and grpcio-reflection's own
    # modules (grpc/__init__.py installs them in sys.modules). So the generated `grpc/` tree
    # becomes the package `grpc_protos`, and its imports of generated modules are rewritten.
    # grpcio-health-checking's `grpc_health.v1.health_pb2` must not be imported in the same
    # process: it registers the same message names in the default descriptor pool.
    generated_names = {".".join(p.relative_to(output).with_suffix("").parts)
                       for p in output.rglob("*.py")}
    if (output / "grpc").is_dir():
        (output / "grpc").rename(output / "grpc_protos")

    def rewrite(match):
        package, module = match.group(1), match.group(2)
        if f"{package}.{module}" in generated_names:
            return f"from grpc_protos{package[len('grpc'):]} import {module}"
        return match.group(0)

    for path in output.rglob("*.py"):
        text = path.read_text()
        new_text = re.sub(r"^from (grpc(?:\.\w+)+) import (\w+)", rewrite, text, flags=re.MULTILINE)
        if new_text != text:
            path.write_text(new_text)
    if str(output) not in sys.path:
        sys.path.insert(0, str(output))
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
    _remove_stale_outputs()
    output = GENERATED / f"run-{os.getpid()}"
    modules = _generate_stubs(output)
    yield types.SimpleNamespace(
        health_pb2=modules["grpc_protos.health.v1.health_pb2"],
        health_pb2_grpc=modules["grpc_protos.health.v1.health_pb2_grpc"],
        reflection_pb2=modules["grpc_protos.reflection.v1.reflection_pb2"],
        reflection_pb2_grpc=modules["grpc_protos.reflection.v1.reflection_pb2_grpc"],
        modules=modules,
    )
    shutil.rmtree(output, ignore_errors=True)


# MARK: - Servers


# Every server process started, killed at interpreter exit should a teardown not have run.
_ALL_PROCESSES = []


@atexit.register
def _kill_leftover_servers():
    for process in _ALL_PROCESSES:
        if process.poll() is None:
            process.kill()


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
        _ALL_PROCESSES.append(self.proc)
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
            stderr = self.stderr_text()[-4000:]
            code = self.proc.poll()
            self.kill()
            pytest.fail(f"sma-server did not print its listening line within {timeout}s "
                        f"(exit code {code}; was the binary being rebuilt?): stdout={self.stdout_lines!r}\n"
                        f"stderr:\n{stderr}", pytrace=False)
        return self

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def stderr_text(self):
        if not self._stderr_file.closed:
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

    def signal_handlers_installed(self):
        """Whether the process catches SIGTERM and SIGINT (SigCgt in /proc/PID/status)."""
        try:
            status = pathlib.Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return False
        caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
        return all(caught & (1 << (sig - 1)) for sig in (signal.SIGTERM, signal.SIGINT))

    def send_signal(self, sig, wait_for_handlers=False):
        """Sends `sig`. The server installs its handlers on its first line, long before it
        prints the listening line, so no signal is lost (test_sigterm_right_after_listening_line);
        `wait_for_handlers` additionally checks that they are installed."""
        if wait_for_handlers:
            assert wait_until(self.signal_handlers_installed, 5), "sma-server never installed its signal handlers"
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
        try:
            if not server.expect_exit and server.port is not None:
                if not server.alive():
                    problems.append(f"server {server.args} died with {server.proc.returncode}:\n"
                                    f"{server.stderr_text()[-3000:]}")
                else:
                    server.assert_serving()
        except Exception as error:  # noqa: BLE001 - reported below
            problems.append(f"server {server.args} stopped answering Check: {error!r}")
        finally:
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



# MARK: - Raw HTTP/2 (h2) for what grpcio cannot send


def grpc_frame(payload, compressed=False):
    """A gRPC length-prefixed message."""
    return bytes([1 if compressed else 0]) + len(payload).to_bytes(4, "big") + payload


def book_large_appointments(server, protos, count=30):
    """Books `count` appointments of ~20 KB each (20 long concerns): events that make
    ReadEvents pages of ~40 KB per event (typed and raw payload)."""
    import uuid

    from google.protobuf import timestamp_pb2

    m = protos.modules
    common, appointments = m["sma.v1.common_pb2"], m["sma.v1.appointments_pb2"]
    booking = m["sma.v1.appointments_pb2_grpc"].AppointmentServiceStub(server.channel())
    start = timestamp_pb2.Timestamp(seconds=int(time.time()) + 86400)
    for i in range(count):
        booking.BookAppointment(appointments.BookAppointmentRequest(
            options=common.CommandOptions(command_id=str(uuid.uuid4())), appointment_id=f"A{i}", dealership_id="D1",
            customer_id="C1", vin="1HGCM82633A004352", start=start, duration_minutes=60,
            concerns=[f"concern {j} " + "x" * 970 for j in range(20)]), timeout=RPC_TIMEOUT)


def grpc_unframe(data):
    """Splits a response body into (compressed_flag, payload) messages."""
    messages = []
    while data:
        assert len(data) >= 5, f"truncated gRPC frame: {data!r}"
        flag, length = data[0], int.from_bytes(data[1:5], "big")
        assert len(data) >= 5 + length, f"truncated gRPC message: {data!r}"
        messages.append((flag, data[5:5 + length]))
        data = data[5 + length:]
    return messages


class RawResponse:
    def __init__(self):
        self.headers = None      # dict of the first header block
        self.trailers = None     # dict of the trailer block (None for Trailers-Only)
        self.data = b""
        self.reset_code = None   # RST_STREAM error code, if any
        self.ended = False

    @property
    def status(self):
        """(HTTP :status, grpc-status) — grpc-status from trailers or Trailers-Only headers."""
        block = self.trailers if self.trailers is not None else (self.headers or {})
        grpc_status = block.get("grpc-status")
        return (self.headers or {}).get(":status"), None if grpc_status is None else int(grpc_status)

    @property
    def grpc_message(self):
        block = self.trailers if self.trailers is not None else (self.headers or {})
        return block.get("grpc-message")


class RawH2:
    """A minimal HTTP/2 client over a plain socket (h2c, prior knowledge), driven by hand."""

    def __init__(self, port, timeout=5.0):
        import socket

        try:
            import h2.config
            import h2.connection
            import h2.events
        except ImportError:  # pragma: no cover - Scripts/setup installs it
            pytest.fail("the `h2` Python package is missing: run Scripts/setup (pip install h2)", pytrace=False)
        self.events_module = h2.events
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.timeout = timeout
        self.conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        encode = self.conn.encoder.encode  # hpack's pure-Python Huffman coder is quadratic: skip it
        self.conn.encoder.encode = lambda headers, huffman=True: encode(headers, huffman=False)
        self.conn.initiate_connection()
        self.responses = {}
        self.remote_settings = {}
        self.goaway = None  # (error_code, additional_data)
        self.closed = False  # EOF or reset seen while reading
        self.send_failed = False
        self.settings_received = False
        self.flush()
        # The server's SETTINGS (its window sizes and limits) come first.
        self.pump(lambda: self.settings_received, timeout)

    def flush(self):
        """Sends what h2 queued; a failure (the server closed or reset the connection) sets
        `send_failed`, and what the server sent before can still be read."""
        data = self.conn.data_to_send()
        if data and not self.send_failed:
            try:
                self.sock.sendall(data)
            except OSError:
                self.send_failed = True

    def send_request(self, path, headers=(), body=None, end_stream=True, content_type="application/grpc",
                     method="POST"):
        stream_id = self.conn.get_next_available_stream_id()
        block = [(":method", method), (":scheme", "http"), (":authority", "127.0.0.1"), (":path", path)]
        if content_type is not None:
            block.append(("content-type", content_type))
        block += [("te", "trailers")] + list(headers)
        self.conn.send_headers(stream_id, block, end_stream=body is None and end_stream)
        self.responses[stream_id] = RawResponse()
        if body is not None:
            self.send_data(stream_id, body, end_stream=end_stream)
        self.flush()
        return stream_id

    def send_data(self, stream_id, body, end_stream=True):
        """Sends `body` in frames, waiting for flow-control window when it runs out."""
        offset = 0
        while offset < len(body):
            window = min(self.conn.max_outbound_frame_size, self.conn.local_flow_control_window(stream_id))
            if window <= 0:
                self.flush()
                assert self.pump(lambda: self.conn.local_flow_control_window(stream_id) > 0
                                 or self.responses[stream_id].ended), "no flow-control window from the server"
                if self.responses[stream_id].ended:
                    return
                continue
            chunk = body[offset:offset + window]
            offset += len(chunk)
            self.conn.send_data(stream_id, chunk, end_stream=end_stream and offset >= len(body))
        if not body and end_stream:
            self.conn.end_stream(stream_id)
        self.flush()

    def pump(self, until, timeout=None):
        """Reads and handles frames until `until()` is true; False on timeout or EOF."""
        import socket

        import h2.exceptions as h2_exceptions

        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout)
        ev = self.events_module
        while not until():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.closed:
                return until()
            self.sock.settimeout(remaining)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                return until()
            except OSError:
                data = b""
            if not data:  # EOF or reset
                self.closed = True
                return until()
            try:
                events = self.conn.receive_data(data)
            except h2_exceptions.ProtocolError:  # e.g. frames after the server's GOAWAY
                self.closed = True
                return until()
            for event in events:
                if isinstance(event, ev.RemoteSettingsChanged):
                    self.settings_received = True
                    for key, setting in event.changed_settings.items():
                        self.remote_settings[int(key)] = setting.new_value
                elif isinstance(event, ev.ResponseReceived):
                    self.responses[event.stream_id].headers = dict(event.headers)
                elif isinstance(event, ev.TrailersReceived):
                    self.responses[event.stream_id].trailers = dict(event.headers)
                elif isinstance(event, ev.DataReceived):
                    self.responses[event.stream_id].data += event.data
                    self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, ev.StreamEnded):
                    self.responses[event.stream_id].ended = True
                elif isinstance(event, ev.StreamReset):
                    self.responses[event.stream_id].reset_code = int(event.error_code)
                    self.responses[event.stream_id].ended = True
                elif isinstance(event, ev.ConnectionTerminated):
                    self.goaway = (int(event.error_code), event.additional_data)
            self.flush()
        return True

    def wait_response(self, stream_id, timeout=None):
        response = self.responses[stream_id]
        assert self.pump(lambda: response.ended, timeout), (
            f"stream {stream_id} did not end in time: headers={response.headers} data={response.data[:100]!r}")
        return response

    def request(self, path, headers=(), body=b"", timeout=None, **kwargs):
        """One complete request; returns its RawResponse once the stream ended."""
        return self.wait_response(self.send_request(path, headers, body, **kwargs), timeout)

    def close(self):
        try:
            self.conn.close_connection()
            self.flush()
        except Exception:
            pass
        self.sock.close()


@pytest.fixture
def raw_h2():
    """Factory: `raw_h2(port)` → a connected RawH2, closed at teardown."""
    connections = []

    def connect(port, timeout=5.0):
        connection = RawH2(port, timeout)
        connections.append(connection)
        return connection

    yield connect
    for connection in connections:
        connection.close()


# MARK: - Bounding calls made by libraries that take no timeout


class _CallDetails(grpc.ClientCallDetails):
    def __init__(self, details, timeout):
        self.method = details.method
        self.timeout = timeout if details.timeout is None else details.timeout
        self.metadata = details.metadata
        self.credentials = details.credentials
        self.wait_for_ready = getattr(details, "wait_for_ready", None)
        self.compression = getattr(details, "compression", None)


class _DefaultTimeout(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                      grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    def __init__(self, timeout):
        self.timeout = timeout

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(_CallDetails(details, self.timeout), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(_CallDetails(details, self.timeout), request)

    def intercept_stream_unary(self, continuation, details, request_iterator):
        return continuation(_CallDetails(details, self.timeout), request_iterator)

    def intercept_stream_stream(self, continuation, details, request_iterator):
        return continuation(_CallDetails(details, self.timeout), request_iterator)


def with_default_timeout(channel, timeout=RPC_TIMEOUT):
    """`channel` whose calls without a timeout get `timeout` (e.g. for grpcio-reflection's
    descriptor database, which sets none)."""
    return grpc.intercept_channel(channel, _DefaultTimeout(timeout))
