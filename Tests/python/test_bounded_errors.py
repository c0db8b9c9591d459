"""Hostile values get clear statuses through the real binary (found by fuzzing every sma.v1
method with random field values): an error that quotes an over-long value stays small enough
to arrive, and a log position at the very end of the range is refused instead of overflowing
(it used to end the process)."""

import uuid

import grpc
import pytest

from conftest import RPC_TIMEOUT

LAST_POSITION = 2**64 - 1


def _varint(data, offset):
    value, shift = 0, 0
    while True:
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, offset


def _length_delimited(data):
    """{field number: [bytes, ...]} of a protobuf message's length-delimited fields."""
    fields, offset = {}, 0
    while offset < len(data):
        key, offset = _varint(data, offset)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            _, offset = _varint(data, offset)
        elif wire_type == 2:
            length, offset = _varint(data, offset)
            fields.setdefault(number, []).append(data[offset:offset + length])
            offset += length
        else:
            raise AssertionError(f"unexpected wire type {wire_type} in {data[:40]!r}")
    return fields


def _bad_request_violation(error):
    """(field, description) of the google.rpc.BadRequest in the error's status details."""
    details = dict(error.trailing_metadata() or ())["grpc-status-details-bin"]
    status = _length_delimited(details)                   # google.rpc.Status
    any_detail = _length_delimited(status[3][0])          # details[0]: google.protobuf.Any
    assert any_detail[1][0] == b"type.googleapis.com/google.rpc.BadRequest"
    violation = _length_delimited(_length_delimited(any_detail[2][0])[1][0])  # field_violations[0]
    return violation[1][0].decode(), violation[2][0].decode(), len(details)


@pytest.mark.parametrize("length", [5_000, 70_000])
def test_an_overlong_vin_gets_a_bounded_invalid_argument_at_once(server, protos, length):
    """Before: at 5,000 characters the status detail exceeded grpcio's metadata limit
    (RESOURCE_EXHAUSTED from the client), at 70,000 the trailers could not be sent at all
    (the call hung until its deadline)."""
    m = protos.modules
    vehicles, common = m["sma.v1.vehicles_pb2"], m["sma.v1.common_pb2"]
    stub = m["sma.v1.vehicles_pb2_grpc"].VehicleServiceStub(server.channel())
    request = vehicles.RetireVehicleRequest(options=common.CommandOptions(command_id=str(uuid.uuid4())),
                                            vin="x" * length, reason="sold")
    with pytest.raises(grpc.RpcError) as caught:
        stub.RetireVehicle(request, timeout=RPC_TIMEOUT)
    error = caught.value
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error
    assert len(error.details().encode()) < 1200 and "truncated" in error.details()
    field, description, size = _bad_request_violation(error)
    assert field == "vin"
    assert "truncated" in description and len(description.encode()) < 600
    assert size < 1500
    server.assert_serving()


def test_after_the_last_possible_position_is_invalid_argument(server, protos):
    m = protos.modules
    events = m["sma.v1.event_service_pb2"]
    stub = m["sma.v1.event_service_pb2_grpc"].EventServiceStub(server.channel())
    calls = {
        "ReadEvents": lambda: stub.ReadEvents(events.ReadEventsRequest(after_position=LAST_POSITION), timeout=RPC_TIMEOUT),
        "SubscribeEvents": lambda: next(stub.SubscribeEvents(events.SubscribeEventsRequest(after_position=LAST_POSITION),
                                                             timeout=RPC_TIMEOUT)),
    }
    for name, call in calls.items():
        with pytest.raises(grpc.RpcError) as caught:
            call()
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT, (name, caught.value)
        assert "after_position" in caught.value.details()
        assert _bad_request_violation(caught.value)[0] == "after_position"
    # One below it is a valid (empty) page that continues from where it asked.
    reply = stub.ReadEvents(events.ReadEventsRequest(after_position=LAST_POSITION - 1), timeout=RPC_TIMEOUT)
    assert list(reply.events) == []
    assert reply.next_after_position == LAST_POSITION - 1
    server.assert_serving()


@pytest.mark.parametrize("seconds, nanos, reason", [
    (2**63 - 1, 0, "outside 0001-01-01"),          # wrapped around and was refused as "in the past"
    (10**12, 0, "outside 0001-01-01"),             # year 33658: was stored
    (4_000_000_000, -5, "nanos -5"),               # negative nanos: was stored
    (4_000_000_000, 10**9, "nanos 1000000000"),
])
def test_out_of_range_timestamps_are_invalid_argument_naming_the_field(server, protos, seconds, nanos, reason):
    from google.protobuf import timestamp_pb2
    m = protos.modules
    common, appointments = m["sma.v1.common_pb2"], m["sma.v1.appointments_pb2"]
    stub = m["sma.v1.appointments_pb2_grpc"].AppointmentServiceStub(server.channel())
    request = appointments.BookAppointmentRequest(
        options=common.CommandOptions(command_id=str(uuid.uuid4())), appointment_id="A1", dealership_id="D1",
        customer_id="C1", vin="1HGCM82633A004352", start=timestamp_pb2.Timestamp(seconds=seconds, nanos=nanos),
        duration_minutes=60, concerns=["noise"])
    with pytest.raises(grpc.RpcError) as caught:
        stub.BookAppointment(request, timeout=RPC_TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT, caught.value
    assert reason in caught.value.details(), caught.value.details()
    assert _bad_request_violation(caught.value)[0] == "start"
    # The last valid instant is accepted.
    request.start.seconds, request.start.nanos = 253_402_300_799, 999_999_999
    request.options.command_id = str(uuid.uuid4())
    stub.BookAppointment(request, timeout=RPC_TIMEOUT)
