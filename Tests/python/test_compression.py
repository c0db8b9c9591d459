"""Message compression in both directions."""

import gzip
import zlib

import grpc
import pytest

from conftest import RPC_TIMEOUT, grpc_frame, grpc_unframe, status_name

CHECK = "/grpc.health.v1.Health/Check"


@pytest.mark.parametrize("compression", [grpc.Compression.Gzip, grpc.Compression.Deflate])
def test_channel_compression(server, compression):
    stub = server.health_stub(compression=compression)
    pb2 = server.protos.health_pb2
    reply = stub.Check(pb2.HealthCheckRequest(service="grpc.health.v1.Health"), timeout=RPC_TIMEOUT)
    assert status_name(pb2, reply.status) == "SERVING"
    watch = stub.Watch(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT)
    assert status_name(pb2, next(watch).status) == "SERVING"
    watch.cancel()
    with pytest.raises(grpc.RpcError) as caught:
        stub.Check(pb2.HealthCheckRequest(service="s" * 5000), timeout=RPC_TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    server.assert_serving()


def test_per_call_compression(server, health):
    stub, pb2 = health
    reply = stub.Check(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT, compression=grpc.Compression.Gzip)
    assert status_name(pb2, reply.status) == "SERVING"
    server.assert_serving()


def test_reflection_with_gzip(server):
    protos = server.protos
    pb2 = protos.reflection_pb2
    stub = protos.reflection_pb2_grpc.ServerReflectionStub(server.channel(compression=grpc.Compression.Gzip))
    replies = list(stub.ServerReflectionInfo(
        iter([pb2.ServerReflectionRequest(file_containing_symbol="grpc.reflection.v1.ServerReflection")] * 3),
        timeout=RPC_TIMEOUT))
    assert len(replies) == 3
    assert all(r.WhichOneof("message_response") == "file_descriptor_response" for r in replies)
    server.assert_serving()


@pytest.mark.parametrize("encoding, compress", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
])
def test_raw_compressed_request_gets_compressed_response(server, raw_h2, encoding, compress):
    """Seen on the wire: a compressed request, and a response that is compressed too."""
    pb2 = server.protos.health_pb2
    request = pb2.HealthCheckRequest(service="grpc.health.v1.Health").SerializeToString()
    connection = raw_h2(server.port)
    response = connection.request(CHECK, headers=[("grpc-encoding", encoding), ("grpc-accept-encoding", "gzip,deflate")],
                                  body=grpc_frame(compress(request), compressed=True), timeout=5)
    assert response.status == ("200", 0), (response.headers, response.trailers)
    assert response.headers.get("grpc-encoding") == encoding, response.headers
    [(flag, payload)] = grpc_unframe(response.data)
    assert flag == 1
    decompress = gzip.decompress if encoding == "gzip" else zlib.decompress
    reply = pb2.HealthCheckResponse.FromString(decompress(payload))
    assert status_name(pb2, reply.status) == "SERVING"
    server.assert_serving()


def test_uncompressed_message_in_compressed_call(server, raw_h2):
    """The compressed flag is per message: flag 0 under grpc-encoding gzip is plain protobuf."""
    connection = raw_h2(server.port)
    response = connection.request(CHECK, headers=[("grpc-encoding", "gzip")], body=grpc_frame(b""), timeout=5)
    assert response.status == ("200", 0), (response.headers, response.trailers)
    server.assert_serving()


def test_unsupported_encoding_is_unimplemented(server, raw_h2):
    connection = raw_h2(server.port)
    response = connection.request(CHECK, headers=[("grpc-encoding", "br")],
                                  body=grpc_frame(b"\x00\x01", compressed=True), timeout=5)
    assert response.status[1] == grpc.StatusCode.UNIMPLEMENTED.value[0], (response.headers, response.trailers)
    accepted = (response.trailers or response.headers).get("grpc-accept-encoding", "")
    assert "gzip" in accepted, (response.headers, response.trailers)
    server.assert_serving()


def test_corrupt_gzip_is_internal(server, raw_h2):
    connection = raw_h2(server.port)
    response = connection.request(CHECK, headers=[("grpc-encoding", "gzip")],
                                  body=grpc_frame(b"\x1f\x8b\x08\x00garbage", compressed=True), timeout=5)
    assert response.status[1] == grpc.StatusCode.INTERNAL.value[0], (response.headers, response.trailers)
    server.assert_serving()


def test_no_response_compression_without_accept_encoding(server, raw_h2):
    connection = raw_h2(server.port)
    response = connection.request(CHECK, headers=[("grpc-encoding", "gzip")],
                                  body=grpc_frame(gzip.compress(b""), compressed=True), timeout=5)
    assert response.status == ("200", 0), (response.headers, response.trailers)
    assert "grpc-encoding" not in response.headers or response.headers["grpc-encoding"] == "identity"
    assert grpc_unframe(response.data) == [(0, b"\x08\x01")]
    server.assert_serving()
