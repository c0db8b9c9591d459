"""Custom request metadata, text and binary."""

import grpc
import pytest

from conftest import RPC_TIMEOUT, grpc_frame, status_name

METADATA = [("x-test", "v"), ("x-bin-bin", b"\x00\x01")]


def test_check_with_custom_metadata(server, health):
    stub, pb2 = health
    reply, call = stub.Check.with_call(pb2.HealthCheckRequest(), metadata=METADATA, timeout=RPC_TIMEOUT)
    assert status_name(pb2, reply.status) == "SERVING"
    assert call.code() == grpc.StatusCode.OK
    server.assert_serving()


def test_watch_with_custom_metadata(server, health):
    stub, pb2 = health
    call = stub.Watch(pb2.HealthCheckRequest(), metadata=METADATA, timeout=RPC_TIMEOUT)
    assert status_name(pb2, next(call).status) == "SERVING"
    call.cancel()
    server.assert_serving()


def test_many_and_repeated_metadata_entries(server, health):
    stub, pb2 = health
    metadata = [(f"x-key-{i}", f"value {i}") for i in range(50)] + [("x-dup", "a"), ("x-dup", "b")]
    metadata += [("x-all-bytes-bin", bytes(range(256)))]
    reply = stub.Check(pb2.HealthCheckRequest(), metadata=metadata, timeout=RPC_TIMEOUT)
    assert status_name(pb2, reply.status) == "SERVING"
    server.assert_serving()


@pytest.mark.parametrize("value", ["=", "AAE", "AAE=", "!!!!"])
def test_raw_binary_header_encodings(server, raw_h2, value):
    """-bin values may come padded or unpadded; an undecodable one must not break the server."""
    connection = raw_h2(server.port)
    response = connection.request("/grpc.health.v1.Health/Check", headers=[("x-bin-bin", value)],
                                  body=grpc_frame(b""), timeout=5)
    assert response.headers is not None and response.status[1] is not None, (response.headers, response.trailers)
    server.assert_serving()


def test_header_list_over_advertised_limit(server, health):
    """The server advertises SETTINGS_MAX_HEADER_LIST_SIZE 16384, which RFC 9113 makes
    advisory: a 20 KB header block may be served or refused, but only that call is affected."""
    stub, pb2 = health
    try:
        reply = stub.Check(pb2.HealthCheckRequest(), metadata=[("x-big", "v" * 20000)], timeout=RPC_TIMEOUT)
        assert status_name(pb2, reply.status) == "SERVING"
    except grpc.RpcError as error:
        assert error.code() in (grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.INTERNAL,
                                grpc.StatusCode.UNAVAILABLE), error
    reply = stub.Check(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT)
    assert status_name(pb2, reply.status) == "SERVING"
    server.assert_serving()


@pytest.mark.parametrize("size", [100_000, 1_000_000])
def test_huge_header_block_is_refused(server, raw_h2, size):
    """A client ignoring MAX_HEADER_LIST_SIZE by far (CONTINUATION frames): its stream or
    connection is refused, never served, and the server lives on."""
    connection = raw_h2(server.port)
    stream = connection.send_request("/grpc.health.v1.Health/Check", headers=[("x-big", "v" * size)],
                                     body=grpc_frame(b""))
    connection.pump(lambda: connection.responses[stream].ended or connection.goaway is not None, timeout=5)
    response = connection.responses[stream]
    assert connection.goaway is not None or connection.closed or response.reset_code is not None \
        or response.status[1] not in (None, 0), vars(response)
    server.assert_serving()
