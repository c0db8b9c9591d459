"""Deadlines: Health/Watch never ends by itself, so a short deadline must end it."""

import time

import grpc
import pytest

from conftest import RPC_TIMEOUT, grpc_frame, grpc_unframe, status_name


def test_watch_with_short_timeout_ends_with_deadline_exceeded(server, health):
    stub, pb2 = health
    started = time.monotonic()
    call = stub.Watch(pb2.HealthCheckRequest(), timeout=0.3)
    statuses = []
    with pytest.raises(grpc.RpcError) as caught:
        for reply in call:
            statuses.append(status_name(pb2, reply.status))
    elapsed = time.monotonic() - started
    assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert statuses == ["SERVING"]
    assert 0.25 <= elapsed < 3.0, elapsed
    server.assert_serving()


def test_server_enforces_grpc_timeout_itself(server, raw_h2):
    """Without grpcio's client-side timer: the server ends the Watch with grpc-status 4."""
    connection = raw_h2(server.port)
    started = time.monotonic()
    response = connection.request("/grpc.health.v1.Health/Watch", headers=[("grpc-timeout", "300m")],
                                  body=grpc_frame(b""), timeout=5)
    elapsed = time.monotonic() - started
    assert response.headers[":status"] == "200"
    assert response.status == ("200", grpc.StatusCode.DEADLINE_EXCEEDED.value[0]), (response.headers, response.trailers)
    assert [payload for _, payload in grpc_unframe(response.data)] == [b"\x08\x01"]  # status: SERVING
    assert 0.25 <= elapsed < 3.0, elapsed
    server.assert_serving()


@pytest.mark.parametrize("value", ["300", "abcS", "1x", "123456789m", "-1S"])
def test_malformed_grpc_timeout_is_rejected(server, raw_h2, value):
    """gRPC's spec: TimeoutValue is at most 8 digits, units H M S m u n; a bad value is an error."""
    connection = raw_h2(server.port)
    response = connection.request("/grpc.health.v1.Health/Check", headers=[("grpc-timeout", value)],
                                  body=grpc_frame(b""), timeout=5)
    assert response.status[1] == grpc.StatusCode.INTERNAL.value[0], (response.headers, response.trailers)
    server.assert_serving()


def test_unary_with_tiny_timeout(server, health):
    """A 1 µs deadline: grpcio usually fails the call locally, but a Check can also win the race
    (the server answers before either timer fires). Either way nothing else is affected."""
    stub, pb2 = health
    for _ in range(20):
        try:
            reply = stub.Check(pb2.HealthCheckRequest(), timeout=0.000001)
            assert status_name(pb2, reply.status) == "SERVING"
        except grpc.RpcError as error:
            assert error.code() == grpc.StatusCode.DEADLINE_EXCEEDED, error
    server.assert_serving()


def test_many_short_deadline_watches_then_serving(server, health):
    stub, pb2 = health
    calls = [stub.Watch(pb2.HealthCheckRequest(), timeout=0.2) for _ in range(100)]
    started = time.monotonic()
    for call in calls:
        with pytest.raises(grpc.RpcError) as caught:
            for _ in call:
                pass
        assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert time.monotonic() - started < 5
    reply = stub.Check(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT)
    assert status_name(pb2, reply.status) == "SERVING"
    server.assert_serving()
