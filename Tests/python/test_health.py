"""grpc.health.v1.Health: Check and Watch."""

import time

import grpc
import pytest

from conftest import RPC_TIMEOUT, status_name

SERVED = ["", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
          "grpc.reflection.v1alpha.ServerReflection"]


@pytest.mark.parametrize("service", SERVED)
def test_check_serving(server, health, service):
    stub, pb2 = health
    reply = stub.Check(pb2.HealthCheckRequest(service=service), timeout=RPC_TIMEOUT)
    assert status_name(pb2, reply.status) == "SERVING"


def test_check_unknown_service_is_not_found(server, health):
    stub, pb2 = health
    with pytest.raises(grpc.RpcError) as caught:
        stub.Check(pb2.HealthCheckRequest(service="no.such.Service"), timeout=RPC_TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    server.assert_serving()


def test_check_with_call_and_initial_metadata(server, health):
    stub, pb2 = health
    reply, call = stub.Check.with_call(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT)
    assert status_name(pb2, reply.status) == "SERVING"
    assert call.code() == grpc.StatusCode.OK


def test_watch_streams_current_status(server, health):
    stub, pb2 = health
    call = stub.Watch(pb2.HealthCheckRequest(service=""), timeout=RPC_TIMEOUT)
    first = next(call)
    assert status_name(pb2, first.status) == "SERVING"
    call.cancel()
    with pytest.raises(grpc.RpcError) as caught:
        next(call)
    assert caught.value.code() == grpc.StatusCode.CANCELLED
    server.assert_serving()


def test_watch_named_service(server, health):
    stub, pb2 = health
    call = stub.Watch(pb2.HealthCheckRequest(service="grpc.health.v1.Health"), timeout=RPC_TIMEOUT)
    assert status_name(pb2, next(call).status) == "SERVING"
    call.cancel()
    server.assert_serving()


def test_watch_unknown_service_reports_service_unknown(server, health):
    """The health protocol: Watch of an unknown service sends SERVICE_UNKNOWN, not an error."""
    stub, pb2 = health
    call = stub.Watch(pb2.HealthCheckRequest(service="no.such.Service"), timeout=RPC_TIMEOUT)
    assert status_name(pb2, next(call).status) == "SERVICE_UNKNOWN"
    call.cancel()
    server.assert_serving()


def test_many_watchers_each_get_current_status(server, health):
    stub, pb2 = health
    calls = [stub.Watch(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT) for _ in range(20)]
    try:
        for call in calls:
            assert status_name(pb2, next(call).status) == "SERVING"
    finally:
        for call in calls:
            call.cancel()
    server.assert_serving()


@pytest.mark.parametrize("service", ["grpc.health.v1.Health\x00junk", "\x00"])
def test_service_name_with_nul_is_not_truncated(server, health, service):
    """U+0000 is valid in a proto3 string: this service name is unknown, so the answer is
    NOT_FOUND (or a rejection of the request), never the status of another service."""
    stub, pb2 = health
    with pytest.raises(grpc.RpcError) as caught:
        stub.Check(pb2.HealthCheckRequest(service=service), timeout=RPC_TIMEOUT)
    assert caught.value.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT,
                                   grpc.StatusCode.INTERNAL), caught.value
    server.assert_serving()


@pytest.mark.parametrize("length", [
    pytest.param(5_000, id="5k"),
    pytest.param(20_000, id="20k"),
    pytest.param(100_000, id="100k"),
])
def test_long_unknown_service_name_gets_prompt_not_found(server, health, length):
    stub, pb2 = health
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as caught:
        stub.Check(pb2.HealthCheckRequest(service="x" * length), timeout=3)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND, caught.value
    assert time.monotonic() - started < 2
    server.assert_serving()


def test_non_ascii_service_name_round_trips_in_status_message(server, health):
    stub, pb2 = health
    with pytest.raises(grpc.RpcError) as caught:
        stub.Check(pb2.HealthCheckRequest(service="ünïcode ✓ 100%"), timeout=RPC_TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    assert "ünïcode ✓ 100%" in caught.value.details()
    server.assert_serving()
