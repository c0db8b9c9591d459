"""Client cancellation of streaming calls: the server cleans up and keeps serving."""

import threading
import time

import grpc
import pytest

from conftest import RPC_TIMEOUT, grpc_frame, status_name


def test_cancel_watch_stream(server, health):
    stub, pb2 = health
    call = stub.Watch(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT)
    assert status_name(pb2, next(call).status) == "SERVING"
    assert call.cancel()
    with pytest.raises(grpc.RpcError) as caught:
        next(call)
    assert caught.value.code() == grpc.StatusCode.CANCELLED
    server.assert_serving()


def test_open_and_cancel_200_watch_streams(server, health):
    stub, pb2 = health
    started = time.monotonic()
    for _ in range(200):
        call = stub.Watch(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT)
        assert status_name(pb2, next(call).status) == "SERVING"
        call.cancel()
    # Half of them cancelled before they even got an answer.
    for _ in range(100):
        stub.Watch(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT).cancel()
    assert time.monotonic() - started < 30
    reply = stub.Check(pb2.HealthCheckRequest(), timeout=RPC_TIMEOUT)
    assert status_name(pb2, reply.status) == "SERVING"
    server.assert_serving()


def test_cancel_reflection_stream_mid_conversation(server, protos):
    pb2 = protos.reflection_pb2
    stub = protos.reflection_pb2_grpc.ServerReflectionStub(server.channel())

    done = threading.Event()

    def requests():
        yield pb2.ServerReflectionRequest(list_services="")
        done.wait(RPC_TIMEOUT)  # the request stream stays open until the cancel below

    call = stub.ServerReflectionInfo(requests(), timeout=RPC_TIMEOUT)
    try:
        assert next(call).WhichOneof("message_response") == "list_services_response"
        call.cancel()
        with pytest.raises(grpc.RpcError) as caught:
            next(call)
        assert caught.value.code() == grpc.StatusCode.CANCELLED
    finally:
        done.set()
    server.assert_serving()


def test_rst_stream_cancel_from_raw_client(server, raw_h2):
    """RST_STREAM(CANCEL) on an open Watch; then a Check on the same connection works."""
    from h2.errors import ErrorCodes

    connection = raw_h2(server.port)
    watch = connection.send_request("/grpc.health.v1.Health/Watch", body=grpc_frame(b""))
    assert connection.pump(lambda: len(connection.responses[watch].data) >= 7, timeout=5)
    connection.conn.reset_stream(watch, error_code=ErrorCodes.CANCEL)
    connection.flush()
    response = connection.request("/grpc.health.v1.Health/Check", body=grpc_frame(b""), timeout=5)
    assert response.status == ("200", 0)
    server.assert_serving()


def test_client_disconnect_with_open_watches(server, raw_h2):
    connection = raw_h2(server.port)
    streams = [connection.send_request("/grpc.health.v1.Health/Watch", body=grpc_frame(b"")) for _ in range(50)]
    assert connection.pump(lambda: all(len(connection.responses[s].data) >= 7 for s in streams), timeout=5)
    connection.sock.close()
    server.assert_serving()
