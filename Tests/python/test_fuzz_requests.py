"""Every sma.v1 method against well-formed requests with hostile field values (random strings
up to 70,000 characters, extreme integers, unknown enum values, missing and repeated
messages) and against random bytes, and random HTTP/2 requests (odd paths, content types,
timeouts, encodings, metadata, lying length prefixes, bad gzip): every call ends with a gRPC
status or a reset, never a crash, a hang or UNKNOWN. Fixed seeds; `SMA_FUZZ_ITERATIONS` (default 12 per method and
kind) runs longer campaigns — this is how the after_position overflow and the undeliverable
over-long error details were found."""

import gzip
import os
import random
import socket

import grpc
import h2.config
import h2.connection
import h2.events
import h2.exceptions
from google.protobuf import message_factory
from google.protobuf.descriptor import FieldDescriptor as F

from conftest import RPC_TIMEOUT

ITERATIONS = int(os.environ.get("SMA_FUZZ_ITERATIONS", "12"))
STRINGS = ["", "D1", "C1", "T1", "USD", "usd", "XXX", "  ", "é漢字🚗", "1HGCM82633A004352",
           "1hgcm82633a004352", "1HGCM82633A00435X", "WVWZZZ1JZXW000001", "IOQ", "x" * 70_000]
INT64S = [0, 1, -1, 2**63 - 1, -2**63, 17, 100_000_001]
UINT64S = [0, 1, 2**64 - 1, 2**64 - 2, 1000]
# Unary calls must answer; a subscription that is valid waits for events, so it may end by its deadline.
UNARY_CODES = {grpc.StatusCode.OK, grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND,
               grpc.StatusCode.ALREADY_EXISTS, grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.ABORTED,
               grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.OUT_OF_RANGE}


def _methods(protos):
    for name, module in protos.modules.items():
        if not (name.startswith("sma.v1.") and name.endswith("_pb2")):
            continue
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                yield f"/{service.full_name}/{method.name}", method.input_type, method.server_streaming


def _repeated(field):
    # protobuf 5.x has `label`; newer releases replace it with `is_repeated`.
    if hasattr(field, "is_repeated"):
        return field.is_repeated
    return field.label == F.LABEL_REPEATED


def _fill(message, rng, depth=0):
    for field in message.DESCRIPTOR.fields:
        if rng.random() < 0.25:
            continue
        repeated = _repeated(field)
        for _ in range(rng.randint(0, 3) if repeated else 1):
            if field.type == F.TYPE_MESSAGE:
                if depth < 4:
                    child = getattr(message, field.name).add() if repeated else getattr(message, field.name)
                    _fill(child, rng, depth + 1)
                    if not repeated:
                        child.SetInParent()
                continue
            if field.type == F.TYPE_STRING:
                value = rng.choice(STRINGS)
            elif field.type == F.TYPE_BYTES:
                value = rng.randbytes(rng.randint(0, 20))
            elif field.type == F.TYPE_BOOL:
                value = rng.random() < 0.5
            elif field.type == F.TYPE_ENUM:
                value = rng.choice([0, 1, 2, 3, 99, -1])
            elif field.type in (F.TYPE_INT32, F.TYPE_SINT32, F.TYPE_SFIXED32):
                value = rng.choice([0, 1, -1, 2**31 - 1, -2**31])
            elif field.type in (F.TYPE_INT64, F.TYPE_SINT64, F.TYPE_SFIXED64):
                value = rng.choice(INT64S)
            elif field.type in (F.TYPE_UINT32, F.TYPE_FIXED32):
                value = rng.choice([0, 1, 2**32 - 1])
            elif field.type in (F.TYPE_UINT64, F.TYPE_FIXED64):
                value = rng.choice(UINT64S)
            else:
                value = rng.choice([0.0, -1.0, float("nan"), float("inf")])
            try:
                if repeated:
                    getattr(message, field.name).append(value)
                else:
                    setattr(message, field.name, value)
            except (TypeError, ValueError):
                pass
    return message


def _call(channel, path, streaming, body):
    try:
        if streaming:
            replies = channel.unary_stream(path)(body, timeout=0.3)
            for _ in range(2):
                next(replies)
        else:
            channel.unary_unary(path)(body, timeout=RPC_TIMEOUT)
        return grpc.StatusCode.OK, ""
    except StopIteration:
        return grpc.StatusCode.OK, ""
    except grpc.RpcError as error:
        return error.code(), error.details() or ""


def test_hostile_field_values_get_a_status_for_every_method(server, protos):
    channel = server.channel(options=[("grpc.max_send_message_length", -1)])
    methods = list(_methods(protos))
    assert len(methods) >= 30, methods
    rng = random.Random(20261126)
    failures = []
    for path, descriptor, streaming in methods:
        cls = message_factory.GetMessageClass(descriptor)
        for _ in range(ITERATIONS):
            request = _fill(cls(), rng)
            code, details = _call(channel, path, streaming, request.SerializeToString())
            allowed = UNARY_CODES | ({grpc.StatusCode.DEADLINE_EXCEEDED} if streaming else set())
            if code not in allowed:
                failures.append((path, code.name, details[:160], str(request)[:200]))
        assert server.alive(), f"the server died on {path}"
    assert not failures, failures[:5]
    server.assert_serving()


def test_random_bytes_get_a_status_for_every_method(server, protos):
    channel = server.channel()
    rng = random.Random(7)
    failures = []
    for path, _, streaming in _methods(protos):
        for _ in range(ITERATIONS):
            body = rng.randbytes(rng.randint(0, 64))
            code, details = _call(channel, path, streaming, body)
            # Unparsable bytes are INTERNAL (gRPC's rule for a request that cannot be decoded).
            allowed = UNARY_CODES | {grpc.StatusCode.INTERNAL} | ({grpc.StatusCode.DEADLINE_EXCEEDED} if streaming else set())
            if code not in allowed or (code == grpc.StatusCode.INTERNAL and "parse" not in details.lower()):
                failures.append((path, code.name, details[:160], body.hex()))
        assert server.alive(), f"the server died on {path}"
    assert not failures, failures[:5]
    server.assert_serving()


# MARK: - Random HTTP/2 requests


def _random_h2_request(rng):
    """Headers and body of one request with random gRPC-relevant parts (paths, content types,
    te, grpc-timeout, grpc-encoding, metadata incl. -bin, lying length prefixes, bad gzip)."""
    paths = ["/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch", "/sma.v1.VehicleService/RecordOdometer",
             "/sma.v1.EventService/ReadEvents", "/sma.v1.EventService/SubscribeEvents", "/x/y", "/", "//",
             "/sma.v1.VehicleService/", "/" + "a" * 3000, "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"]
    headers = [(":method", rng.choice(["POST", "POST", "GET", "PUT"])), (":scheme", "http"),
               (":path", rng.choice(paths)), (":authority", "fuzz")]
    if rng.random() < 0.9:
        headers.append(("content-type", rng.choice(["application/grpc", "application/grpc+proto", "application/grpc+json",
                                                    "application/grpcx", "text/plain", "", "APPLICATION/GRPC"])))
    if rng.random() < 0.8:
        headers.append(("te", rng.choice(["trailers", "trailers", "gzip", ""])))
    if rng.random() < 0.4:
        headers.append(("grpc-timeout", rng.choice(["1S", "100m", "0n", "99999999H", "1", "abc", "", "-1S", "100000000S"])))
    for name in ("grpc-encoding", "grpc-accept-encoding"):
        if rng.random() < 0.3:
            headers.append((name, rng.choice(["gzip", "identity", "deflate", "snappy", "", "gzip,identity"])))
    for _ in range(rng.choice([0, 0, 1, 5, 100])):
        headers.append((rng.choice(["x-a", "x-b-bin", "authorization", "grpc-status", "x-" + "k" * rng.randint(1, 50)]),
                        rng.choice(["", "v", "////", "AAAA", "A", "=====", "a" * rng.randint(0, 4000), "%%%"])))

    def frame(message, flag=None, lie=0):
        flag = rng.choice([0, 0, 0, 1, 2, 255]) if flag is None else flag
        return bytes([flag]) + max(0, len(message) + lie).to_bytes(4, "big") + message

    kind = rng.random()
    if kind < 0.3:
        body = frame(rng.randbytes(rng.randint(0, 50)))
    elif kind < 0.5:
        body = frame(gzip.compress(rng.randbytes(rng.randint(0, 50))), flag=1)
    elif kind < 0.6:
        body = frame(rng.randbytes(20), lie=rng.choice([-5, 5, 1 << 30]))
    elif kind < 0.7:
        body = frame(b"\x1f\x8b" + rng.randbytes(30), flag=1)
    elif kind < 0.8:
        body = rng.randbytes(rng.randint(0, 8))
    elif kind < 0.9:
        body = frame(gzip.compress(b"\x0a\x05hello" * 10_000), flag=1)
    else:
        body = frame(b"", 0) + frame(b"", 0) + frame(b"\x08\x01", 0)
    return headers, body


def test_random_http2_requests_get_an_answer_or_a_reset_and_never_break_the_server(server):
    rng = random.Random(11)
    outcomes = {}
    for _ in range(10 * ITERATIONS):
        headers, body = _random_h2_request(rng)
        connection = h2.connection.H2Connection(config=h2.config.H2Configuration(
            client_side=True, header_encoding="utf-8", validate_outbound_headers=False, normalize_outbound_headers=False))
        with socket.create_connection((server.host, server.port), timeout=2) as sock:
            sock.settimeout(1.0)
            connection.initiate_connection()
            stream = connection.get_next_available_stream_id()
            try:
                connection.send_headers(stream, headers, end_stream=rng.random() < 0.1)
                if rng.random() < 0.9:
                    connection.send_data(stream, body, end_stream=True)
            except h2.exceptions.ProtocolError:
                outcomes["refused by the client library"] = outcomes.get("refused by the client library", 0) + 1
                continue
            sock.sendall(connection.data_to_send())
            outcome = "no answer yet"
            while outcome == "no answer yet":
                try:
                    data = sock.recv(65536)
                except socket.timeout:
                    break
                if not data:
                    outcome = "connection closed"
                    break
                for event in connection.receive_data(data):
                    if isinstance(event, (h2.events.ResponseReceived, h2.events.TrailersReceived)):
                        status = dict(event.headers).get("grpc-status")
                        assert status != "2", f"UNKNOWN for {headers[:4]}: {event.headers}"
                    if isinstance(event, h2.events.StreamEnded):
                        outcome = "ended"
                    elif isinstance(event, h2.events.StreamReset):
                        outcome = "reset"
                    elif isinstance(event, h2.events.ConnectionTerminated):
                        outcome = "connection closed"
                sock.sendall(connection.data_to_send())
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        assert server.alive(), f"the server died on {headers[:6]} {body[:40]!r}"
    assert outcomes.get("ended", 0) > 5 * ITERATIONS, outcomes
    server.assert_serving()
