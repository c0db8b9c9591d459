"""1,000 concurrent streams on one connection (the server's default MAX_CONCURRENT_STREAMS)."""

import time

import grpc

from conftest import RPC_TIMEOUT, grpc_frame, status_name

N = 1000
# A separate connection: grpcio shares subchannels between equal channels by default.
OWN_CONNECTION = [("grpc.use_local_subchannel_pool", 1)]


def test_1000_concurrent_checks_on_one_channel(server, health):
    stub, pb2 = health
    started = time.monotonic()
    futures = [stub.Check.future(pb2.HealthCheckRequest(), timeout=30) for _ in range(N)]
    statuses = [status_name(pb2, future.result(timeout=30).status) for future in futures]
    assert statuses == ["SERVING"] * N
    assert time.monotonic() - started < 30
    server.assert_serving()


def test_1000_concurrent_watch_streams_held_open_then_cancelled(server, health):
    stub, pb2 = health
    calls = [stub.Watch(pb2.HealthCheckRequest(), timeout=40) for _ in range(N)]
    try:
        # Every stream is open at once: each has its first answer while none has ended.
        for call in calls:
            assert status_name(pb2, next(call).status) == "SERVING"
        assert all(call.is_active() for call in calls)
        # Another connection is served meanwhile.
        other = server.health_stub(options=OWN_CONNECTION)
        assert status_name(pb2, other.Check(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT).status) == "SERVING"
    finally:
        for call in calls:
            call.cancel()
    for call in calls:
        assert call.code() == grpc.StatusCode.CANCELLED
    # The same channel (and its connection) is usable again.
    assert status_name(pb2, stub.Check(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT).status) == "SERVING"
    server.assert_serving()


def test_mixed_concurrent_checks_and_watches(server, health):
    stub, pb2 = health
    watches = [stub.Watch(pb2.HealthCheckRequest(), timeout=30) for _ in range(300)]
    checks = [stub.Check.future(pb2.HealthCheckRequest(service="grpc.health.v1.Health"), timeout=30)
              for _ in range(600)]
    try:
        assert all(status_name(pb2, f.result(timeout=30).status) == "SERVING" for f in checks)
        assert all(status_name(pb2, next(w).status) == "SERVING" for w in watches)
    finally:
        for watch in watches:
            watch.cancel()
    server.assert_serving()


def test_streams_beyond_the_limit_are_refused(start_server, raw_h2):
    """A client ignoring MAX_CONCURRENT_STREAMS: the excess is refused (RST_STREAM
    REFUSED_STREAM, or — nghttp2's choice once SETTINGS are acknowledged — GOAWAY
    PROTOCOL_ERROR for the connection); it is never served, and the server lives on."""
    server = start_server("--max-concurrent-streams", "10")
    connection = raw_h2(server.port)
    assert connection.pump(lambda: 3 in connection.remote_settings, timeout=5)
    assert connection.remote_settings[3] == 10
    # Lie to our own h2 state machine so it lets us open more streams than advertised.
    connection.conn.remote_settings._settings[3].clear()
    connection.conn.remote_settings._settings[3].append(1000)
    streams = [connection.send_request("/grpc.health.v1.Health/Watch", body=grpc_frame(b"")) for _ in range(15)]

    def refused():
        return connection.goaway is not None or sum(connection.responses[s].reset_code == 7 for s in streams) >= 5

    assert connection.pump(refused, timeout=5), {s: vars(connection.responses[s]) for s in streams}
    if connection.goaway is None:
        assert sum(len(connection.responses[s].data) >= 7 for s in streams) == 10
    else:
        assert connection.goaway[0] == 1, connection.goaway  # PROTOCOL_ERROR
    server.assert_serving()


def test_many_connections(server):
    pb2 = server.protos.health_pb2
    channels = [grpc.insecure_channel(server.address, options=OWN_CONNECTION) for _ in range(50)]
    try:
        stubs = [server.protos.health_pb2_grpc.HealthStub(channel) for channel in channels]
        futures = [stub.Check.future(pb2.HealthCheckRequest(), timeout=20) for stub in stubs for _ in range(10)]
        assert all(status_name(pb2, f.result(timeout=20).status) == "SERVING" for f in futures)
    finally:
        for channel in channels:
            channel.close()
    server.assert_serving()
