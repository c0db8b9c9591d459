"""ReadEvents pages fit a standard gRPC client whatever the events' sizes: a page ends at about
1 MiB of events (at least one), and reading on from `next_after_position` returns every event
once, in order. Before, 300 appointments with long concerns made a page of ~12 MB that grpcio
refuses (RESOURCE_EXHAUSTED: larger than its 4 MiB default)."""

import time
import uuid

from google.protobuf import timestamp_pb2

from conftest import RPC_TIMEOUT


def test_large_events_are_paged_within_a_clients_message_limit(server, protos):
    m = protos.modules
    common, appointments, events = m["sma.v1.common_pb2"], m["sma.v1.appointments_pb2"], m["sma.v1.event_service_pb2"]
    channel = server.channel()
    booking = m["sma.v1.appointments_pb2_grpc"].AppointmentServiceStub(channel)
    reader = m["sma.v1.event_service_pb2_grpc"].EventServiceStub(channel)
    start = timestamp_pb2.Timestamp(seconds=int(time.time()) + 86400)
    calls = [booking.BookAppointment.future(appointments.BookAppointmentRequest(
        options=common.CommandOptions(command_id=str(uuid.uuid4())), appointment_id=f"A{i}", dealership_id="D1",
        customer_id="C1", vin="1HGCM82633A004352", start=start, duration_minutes=60,
        concerns=[f"concern {j} " + "x" * 980 for j in range(20)]), timeout=RPC_TIMEOUT) for i in range(300)]
    for call in calls:
        call.result()

    positions, after, pages = [], 0, 0
    while True:
        reply = reader.ReadEvents(events.ReadEventsRequest(after_position=after, max_count=10_000), timeout=RPC_TIMEOUT)
        pages += 1
        assert reply.ByteSize() < 2 * 1024 * 1024, reply.ByteSize()
        assert reply.events, "a page holds at least one event"
        positions += [event.position for event in reply.events]
        assert all(event.WhichOneof("payload") == "appointment_booked" for event in reply.events)
        assert reply.next_after_position == reply.events[-1].position
        if reply.next_after_position >= reply.head_position:
            break
        after = reply.next_after_position
    assert positions == list(range(1, 301)), positions[:5]
    assert pages >= 6  # ~41 KB per event (typed and raw payload): ~25 per page

    # A page within the budget is not cut: it holds max_count events.
    reply = reader.ReadEvents(events.ReadEventsRequest(after_position=0, max_count=3), timeout=RPC_TIMEOUT)
    assert [event.position for event in reply.events] == [1, 2, 3] and reply.next_after_position == 3
    server.assert_serving()
