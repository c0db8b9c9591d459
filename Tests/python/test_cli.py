"""The command lines: sma-server (the listening line, --port 0, SMA_PORT, --help, bad flags), sma-load's and sma-eventstore-bench's errors."""

import os
import re
import socket
import subprocess

import pytest

LISTENING = re.compile(r"^sma-server listening on 127\.0\.0\.1:(\d+)\b")


def _run(binary, args, tmp_path, env=None, timeout=15):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SMA_")}
    full_env.update(env or {})
    return subprocess.run([str(binary)] + list(args), cwd=tmp_path, env=full_env, capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_listening_line_and_port_zero(start_server):
    server = start_server()
    match = LISTENING.match(server.stdout_lines[0])
    assert match, server.stdout_lines
    assert int(match.group(1)) == server.port
    assert server.port != 0
    server.assert_serving()


def test_server_runs_on_jemalloc(start_server):
    """The server links jemalloc in place of glibc's malloc (see Sources/SMAAllocator); the log
    says so only after checking that a Swift allocation is counted by jemalloc."""
    server = start_server()
    assert re.search(r'event=memory_allocator allocator="jemalloc \d+\.\d+\.\d+"', server.stderr_text()), \
        server.stderr_text()[-2000:]
    server.assert_serving()


def test_two_servers_on_port_zero_get_different_ports(start_server):
    first, second = start_server(), start_server()
    assert first.port != second.port
    first.assert_serving()
    second.assert_serving()


def test_sma_port_environment_variable(start_server):
    port = _free_port()
    server = start_server(env={"SMA_PORT": str(port)}, port=False)
    assert server.port == port, server.stdout_lines
    server.assert_serving()


def test_sma_port_zero_picks_a_free_port(start_server):
    server = start_server(env={"SMA_PORT": "0"}, port=False)
    assert server.port not in (0, 50051)
    server.assert_serving()


def test_port_flag_wins_over_environment(start_server):
    env_port, flag_port = _free_port(), _free_port()
    if env_port == flag_port:
        flag_port = _free_port()
    server = start_server("--port", str(flag_port), env={"SMA_PORT": str(env_port)}, port=False)
    assert server.port == flag_port, server.stdout_lines
    server.assert_serving()


def test_port_flag_with_equals_sign(start_server):
    server = start_server("--port=0", port=False)
    assert server.port != 0
    server.assert_serving()


def test_help_exits_zero_and_lists_options(server_binary, tmp_path):
    result = _run(server_binary, ["--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "usage: sma-server" in result.stdout
    for flag, env in [("--host", "SMA_HOST"), ("--port", "SMA_PORT"), ("--data-dir", "SMA_DATA_DIR"),
                      ("--max-concurrent-streams", "SMA_MAX_CONCURRENT_STREAMS"),
                      ("--max-message-size", "SMA_MAX_MESSAGE_SIZE"), ("--shutdown-grace", "SMA_SHUTDOWN_GRACE"),
                      ("--min-ping-interval", "SMA_MIN_PING_INTERVAL"), ("--log-level", "SMA_LOG_LEVEL"),
                      ("--handshake-timeout", "SMA_HANDSHAKE_TIMEOUT")]:
        assert flag in result.stdout and env in result.stdout, f"{flag}/{env} missing from --help:\n{result.stdout}"
    # --help must not start a server nor create the default data directory.
    assert not (tmp_path / "sma-data").exists()


@pytest.mark.parametrize("args, needle", [
    (["--no-such-flag"], "--no-such-flag"),
    (["--port", "not-a-number"], "--port"),
    (["--port", "70000"], "--port"),
    (["--port"], "--port"),
    (["--max-message-size", "0"], "--max-message-size"),
    (["--log-level", "loud"], "--log-level"),
    (["--shutdown-grace", "-1"], "--shutdown-grace"),
    # Durations too large for nanoseconds used to trap at start (a crash loop from one env value).
    (["--shutdown-grace", "1e300"], "--shutdown-grace"),
    (["--keepalive-interval", "inf"], "--keepalive-interval"),
    (["--handshake-timeout", "1e12"], "--handshake-timeout"),
])
def test_invalid_flag_exits_2_with_message(server_binary, tmp_path, args, needle):
    result = _run(server_binary, args, tmp_path)
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert needle in result.stderr, result.stderr
    assert "listening" not in result.stdout


def test_invalid_sma_port_environment_exits_2(server_binary, tmp_path):
    result = _run(server_binary, [], tmp_path, env={"SMA_PORT": "nope"})
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "--port" in result.stderr and "nope" in result.stderr, result.stderr


def test_port_in_use_fails_to_start(start_server, server_binary, tmp_path):
    running = start_server()
    result = _run(server_binary, ["--port", str(running.port), "--data-dir", str(tmp_path / "other")], tmp_path)
    assert result.returncode != 0
    assert "listening on" not in result.stdout
    assert "startup_failed" in result.stderr, result.stderr
    running.assert_serving()


def test_eventstore_bench_reports_a_bad_directory_without_crashing(server_binary, tmp_path):
    bench = server_binary.parent / "sma-eventstore-bench"
    assert bench.exists(), f"{bench} not built"
    missing = tmp_path / "does-not-exist" / "deeper"
    result = subprocess.run([str(bench), "appends", str(missing), "1", "1"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sma-eventstore-bench: "), result.stderr
    assert str(missing) in lines[0]
    assert "Fatal error" not in result.stderr


@pytest.mark.parametrize("args, needle", [
    (["--timeout-ms", "99999999999999999"], "--timeout-ms"),  # used to trap converting to nanoseconds
    (["--duration", "1e300"], "--duration"),
    (["--duration", "-5"], "--duration"),
    (["--concurrency", "0"], "--concurrency"),
    (["--body-template-text", "1:message {"], "template"),
])
def test_sma_load_rejects_bad_options_with_a_message(server_binary, tmp_path, args, needle):
    load = server_binary.parent / "sma-load"
    assert load.exists(), f"{load} not built"
    result = subprocess.run([str(load), "--target", "127.0.0.1:1", "--method", "/grpc.health.v1.Health/Check"] + args,
                            capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert needle in result.stderr and "Fatal error" not in result.stderr, result.stderr
