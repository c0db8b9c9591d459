"""Keepalive enforcement: a client pinging too often gets GOAWAY ENHANCE_YOUR_CALM."""

import time

import grpc
import pytest

from conftest import RPC_TIMEOUT, grpc_frame, status_name

PINGY = [("grpc.keepalive_time_ms", 100), ("grpc.keepalive_permit_without_calls", 1),
         ("grpc.http2.max_pings_without_data", 0), ("grpc.use_local_subchannel_pool", 1)]


def test_too_many_pings_gets_goaway_and_fresh_channel_works(start_server):
    server = start_server("--min-ping-interval", "10")
    pb2 = server.protos.health_pb2
    pingy = server.health_stub(options=PINGY)
    assert status_name(pb2, pingy.Check(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT).status) == "SERVING"
    assert server.wait_for_log("event=connection_too_many_pings", 5), server.stderr_text()

    # The offending channel: later calls may fail (UNAVAILABLE) or go through on a new connection.
    try:
        pingy.Check(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT)
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.UNAVAILABLE, error

    fresh = server.health_stub(options=[("grpc.use_local_subchannel_pool", 1)])
    assert status_name(pb2, fresh.Check(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT).status) == "SERVING"
    server.assert_serving()


def _ping_until_goaway(server, raw_h2):
    """Raw client: PINGs 50 ms apart with no call open, until the server's GOAWAY."""
    connection = raw_h2(server.port)
    for i in range(10):
        if connection.goaway is not None or connection.closed:
            break
        connection.conn.ping(i.to_bytes(8, "big"))
        connection.flush()
        connection.pump(lambda: connection.goaway is not None, timeout=0.05)
    assert connection.pump(lambda: connection.goaway is not None, timeout=3), "no GOAWAY"
    return connection.goaway


def test_goaway_enhance_your_calm_on_the_wire(start_server, raw_h2):
    server = start_server("--min-ping-interval", "10")
    code, _ = _ping_until_goaway(server, raw_h2)
    assert code == 0xB  # ENHANCE_YOUR_CALM
    assert server.wait_for_log("event=connection_too_many_pings", 2)
    server.assert_serving()


def test_goaway_debug_data_is_too_many_pings(start_server, raw_h2):
    server = start_server("--min-ping-interval", "10")
    _, debug = _ping_until_goaway(server, raw_h2)
    assert debug == b"too_many_pings", debug


def test_polite_pings_are_tolerated(start_server, raw_h2):
    """Pings spaced wider than --min-ping-interval, with a call open, are fine."""
    server = start_server("--min-ping-interval", "0.2")
    connection = raw_h2(server.port)
    watch = connection.send_request("/grpc.health.v1.Health/Watch", body=grpc_frame(b""))
    assert connection.pump(lambda: len(connection.responses[watch].data) >= 7, timeout=5)
    for i in range(6):
        connection.conn.ping(i.to_bytes(8, "big"))
        connection.flush()
        connection.pump(lambda: connection.goaway is not None, timeout=0.3)
    assert connection.goaway is None, connection.goaway
    response = connection.request("/grpc.health.v1.Health/Check", body=grpc_frame(b""), timeout=5)
    assert response.status == ("200", 0)
    assert "too_many_pings" not in server.stderr_text()
    server.assert_serving()


def test_default_policy_does_not_punish_normal_grpcio_channel(server):
    """A plain grpcio channel used for a while is never told to calm down."""
    stub = server.health_stub()
    pb2 = server.protos.health_pb2
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        assert status_name(pb2, stub.Check(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT).status) == "SERVING"
        time.sleep(0.05)
    assert "too_many_pings" not in server.stderr_text()
    server.assert_serving()
