"""Every sma.v1 method against well-formed requests with hostile field values (random strings
up to 70,000 characters, extreme integers, unknown enum values, missing and repeated
messages) and against random bytes: every call ends with a gRPC status at once, never a
crash, a hang or UNKNOWN. Fixed seeds; `SMA_FUZZ_ITERATIONS` (default 12 per method and
kind) runs longer campaigns — this is how the after_position overflow and the undeliverable
over-long error details were found."""

import os
import random

import grpc
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
