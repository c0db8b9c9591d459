"""Bad requests: oversize messages, malformed bodies, unknown methods, non-gRPC HTTP/2
requests. After each, the server keeps serving."""

import grpc
import pytest

from conftest import RPC_TIMEOUT, grpc_frame, raw_unary, status_name

CHECK = "/grpc.health.v1.Health/Check"
UNLIMITED_SEND = [("grpc.max_send_message_length", -1)]


# MARK: - Oversize


def test_max_message_size_flag(start_server):
    server = start_server("--max-message-size", "1024")
    stub = server.health_stub(options=UNLIMITED_SEND)
    pb2 = server.protos.health_pb2
    with pytest.raises(grpc.RpcError) as caught:
        stub.Check(pb2.HealthCheckRequest(service="x" * 2000), timeout=RPC_TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, caught.value
    # Just under the limit: parsed and answered (the service is unknown).
    with pytest.raises(grpc.RpcError) as caught:
        stub.Check(pb2.HealthCheckRequest(service="y" * 1000), timeout=RPC_TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND, caught.value
    server.assert_serving()


def test_max_message_size_boundary(start_server):
    server = start_server("--max-message-size", "1024")
    call = raw_unary(server.channel(options=UNLIMITED_SEND), CHECK)
    # 0x0a, two-byte varint length, then the string: 3 + n bytes.
    at_limit = b"\x0a\xfd\x07" + b"a" * 1021
    over_limit = b"\x0a\xfe\x07" + b"a" * 1022
    assert len(at_limit) == 1024 and len(over_limit) == 1025
    with pytest.raises(grpc.RpcError) as caught:
        call(at_limit, timeout=RPC_TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND, caught.value
    with pytest.raises(grpc.RpcError) as caught:
        call(over_limit, timeout=RPC_TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, caught.value
    server.assert_serving()


def test_default_limit_is_4_mib(server, health):
    stub = server.health_stub(options=UNLIMITED_SEND)
    pb2 = server.protos.health_pb2
    with pytest.raises(grpc.RpcError) as caught:
        stub.Check(pb2.HealthCheckRequest(service="x" * (5 * 1024 * 1024)), timeout=10)
    assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, caught.value
    server.assert_serving()


def test_oversize_limit_applies_after_decompression(start_server):
    """A gzip-compressed request that inflates past the limit is refused, not inflated."""
    server = start_server("--max-message-size", "1024")
    stub = server.health_stub(options=UNLIMITED_SEND, compression=grpc.Compression.Gzip)
    pb2 = server.protos.health_pb2
    with pytest.raises(grpc.RpcError) as caught:
        stub.Check(pb2.HealthCheckRequest(service="z" * 100_000), timeout=RPC_TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, caught.value
    server.assert_serving()


def test_declared_length_over_limit_without_the_bytes(start_server, raw_h2):
    """A frame header announcing 1 GiB is refused from its prefix alone."""
    server = start_server("--max-message-size", "1024")
    connection = raw_h2(server.port)
    response = connection.request(CHECK, body=b"\x00" + (1 << 30).to_bytes(4, "big") + b"abc", timeout=5)
    assert response.status[1] == grpc.StatusCode.RESOURCE_EXHAUSTED.value[0], (response.headers, response.trailers)
    server.assert_serving()


# MARK: - Malformed bodies


@pytest.mark.parametrize("body", [
    pytest.param(b"\xff\xff\xff", id="invalid-protobuf"),
    pytest.param(b"\x0a\x02\xc3\x28", id="invalid-utf8-string"),
    pytest.param(b"\x0a\x05ab", id="truncated-string"),
    pytest.param(b"\x0b", id="start-group-without-end"),
    pytest.param(b"\x08", id="truncated-varint-key-only"),
    pytest.param(b"\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", id="huge-length"),
    pytest.param(b"\x00", id="field-number-zero"),
])
def test_malformed_body_is_internal(server, body):
    call = raw_unary(server.channel(), CHECK)
    with pytest.raises(grpc.RpcError) as caught:
        call(body, timeout=RPC_TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.INTERNAL, caught.value
    server.assert_serving()


def test_unknown_fields_are_ignored(server):
    pb2 = server.protos.health_pb2
    call = raw_unary(server.channel(), CHECK)
    # field 2 varint 7, field 3 fixed64, field 15 length-delimited: all unknown to HealthCheckRequest.
    reply = pb2.HealthCheckResponse.FromString(
        call(b"\x10\x07" + b"\x19" + b"\x00" * 8 + b"\x7a\x03abc", timeout=RPC_TIMEOUT))
    assert status_name(pb2, reply.status) == "SERVING"
    server.assert_serving()


def test_empty_body_is_the_default_request(server):
    pb2 = server.protos.health_pb2
    reply = pb2.HealthCheckResponse.FromString(raw_unary(server.channel(), CHECK)(b"", timeout=RPC_TIMEOUT))
    assert status_name(pb2, reply.status) == "SERVING"
    server.assert_serving()


def test_malformed_watch_request(server):
    call = server.channel().unary_stream("/grpc.health.v1.Health/Watch", request_serializer=None,
                                         response_deserializer=None)
    with pytest.raises(grpc.RpcError) as caught:
        list(call(b"\xff\xff\xff", timeout=RPC_TIMEOUT))
    assert caught.value.code() == grpc.StatusCode.INTERNAL, caught.value
    server.assert_serving()


def test_malformed_reflection_request(server):
    call = server.channel().stream_stream("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                                          request_serializer=None, response_deserializer=None)
    with pytest.raises(grpc.RpcError) as caught:
        list(call(iter([b"\xff\xff\xff"]), timeout=RPC_TIMEOUT))
    assert caught.value.code() == grpc.StatusCode.INTERNAL, caught.value
    server.assert_serving()


@pytest.mark.parametrize("body, reason", [
    pytest.param(b"\x00\x00\x00", "partial prefix", id="partial-prefix"),
    pytest.param(b"\x00\x00\x00\x00\x0a\x0a\x02", "partial message", id="partial-message"),
    pytest.param(b"", "no message", id="no-message"),
    pytest.param(grpc_frame(b"") + grpc_frame(b""), "two messages", id="two-messages"),
    pytest.param(b"\x01" + grpc_frame(b"")[1:], "compressed flag without grpc-encoding", id="compressed-identity"),
    pytest.param(b"\x02" + grpc_frame(b"")[1:], "reserved flag bits", id="bad-flag"),
])
def test_malformed_framing_is_internal(server, raw_h2, body, reason):
    connection = raw_h2(server.port)
    response = connection.request(CHECK, body=body, timeout=5)
    assert response.status[1] == grpc.StatusCode.INTERNAL.value[0], (reason, response.headers, response.trailers)
    server.assert_serving()


# MARK: - Unknown methods


@pytest.mark.parametrize("path", ["/grpc.health.v1.Health/Nope", "/no.Such/Service", "/", "/grpc.health.v1.Health",
                                  "/grpc.health.v1.Health/Check/extra"])
def test_unknown_method_is_unimplemented(server, path):
    call = raw_unary(server.channel(), path)
    with pytest.raises(grpc.RpcError) as caught:
        call(b"", timeout=RPC_TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED, caught.value
    server.assert_serving()


def test_unknown_streaming_method_is_unimplemented(server):
    call = server.channel().stream_stream("/no.Such/Stream", request_serializer=None, response_deserializer=None)
    with pytest.raises(grpc.RpcError) as caught:
        list(call(iter([b"", b""]), timeout=RPC_TIMEOUT))
    assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED, caught.value
    server.assert_serving()


# MARK: - Not gRPC at the HTTP level


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "application/grpcx", "application/grp"])
def test_non_grpc_content_type_is_415(server, raw_h2, content_type):
    connection = raw_h2(server.port)
    response = connection.request(CHECK, body=b"hello", content_type=content_type, timeout=5)
    assert response.headers[":status"] == "415", response.headers
    server.assert_serving()


def test_missing_content_type_is_415(server, raw_h2):
    connection = raw_h2(server.port)
    response = connection.request(CHECK, body=grpc_frame(b""), content_type=None, timeout=5)
    assert response.headers[":status"] == "415", response.headers
    server.assert_serving()


@pytest.mark.parametrize("content_type", ["application/grpc", "application/grpc+proto", "application/grpc;charset=utf-8"])
def test_grpc_content_type_variants_accepted(server, raw_h2, content_type):
    connection = raw_h2(server.port)
    response = connection.request(CHECK, body=grpc_frame(b""), content_type=content_type, timeout=5)
    assert response.status == ("200", 0), (response.headers, response.trailers)
    assert response.data == grpc_frame(b"\x08\x01")
    server.assert_serving()


def test_get_is_405(server, raw_h2):
    connection = raw_h2(server.port)
    response = connection.request(CHECK, body=None, method="GET", timeout=5)
    assert response.headers[":status"] == "405", response.headers
    server.assert_serving()


def test_http_rejections_are_logged(server, raw_h2):
    connection = raw_h2(server.port)
    connection.request(CHECK, body=b"x", content_type="text/plain", timeout=5)
    assert server.wait_for_log("event=request_rejected", 2), server.stderr_text()


def test_server_advertises_max_concurrent_streams(server, raw_h2):
    connection = raw_h2(server.port)
    assert connection.pump(lambda: 3 in connection.remote_settings, timeout=5)
    assert connection.remote_settings[3] == 1000  # SETTINGS_MAX_CONCURRENT_STREAMS
    server.assert_serving()


def test_max_concurrent_streams_flag(start_server, raw_h2):
    server = start_server("--max-concurrent-streams", "7")
    connection = raw_h2(server.port)
    assert connection.pump(lambda: 3 in connection.remote_settings, timeout=5)
    assert connection.remote_settings[3] == 7
    server.assert_serving()


def test_garbage_instead_of_http2_preface(server):
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + b"\x00" * 100)
        sock.settimeout(5)
        try:
            while sock.recv(4096):
                pass
        except (socket.timeout, ConnectionResetError):
            pass
    server.assert_serving()
