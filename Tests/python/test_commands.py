"""The command pipeline from outside: idempotent retries, optimistic concurrency without and
with an expected version, and durability of acknowledged commands across a SIGKILL."""

import threading
import uuid

import grpc
import pytest

from conftest import RPC_TIMEOUT

DEALER = "D1"
VIN = "1HGCM82633A004352"
VEHICLE_STREAM = f"vehicle-{VIN}"
KM = 1  # DISTANCE_UNIT_KILOMETERS


class Api:
    """The dealership, vehicle and event stubs on one channel."""

    def __init__(self, server, protos):
        m = protos.modules
        self.common = m["sma.v1.common_pb2"]
        self.dealerships = m["sma.v1.dealerships_pb2"]
        self.vehicles = m["sma.v1.vehicles_pb2"]
        self.events = m["sma.v1.event_service_pb2"]
        channel = server.channel()
        self.dealership_stub = m["sma.v1.dealerships_pb2_grpc"].DealershipServiceStub(channel)
        self.vehicle_stub = m["sma.v1.vehicles_pb2_grpc"].VehicleServiceStub(channel)
        self.event_stub = m["sma.v1.event_service_pb2_grpc"].EventServiceStub(channel)

    def options(self, command_id=None, **fields):
        return self.common.CommandOptions(command_id=command_id or str(uuid.uuid4()), **fields)

    def register_dealership(self, command_id=None):
        return self.dealership_stub.RegisterDealership(self.dealerships.RegisterDealershipRequest(
            options=self.options(command_id), dealership_id=DEALER, name="North", currency="USD"), timeout=RPC_TIMEOUT)

    def register_vehicle(self):
        return self.vehicle_stub.RegisterVehicle(self.vehicles.RegisterVehicleRequest(
            options=self.options(), vin=VIN, dealership_id=DEALER, make="Honda", model="Accord", year=2003,
            owner_customer_id="C1", odometer=self.common.Distance(value=1000, unit=KM)), timeout=RPC_TIMEOUT)

    def record_request(self, value, command_id=None, **option_fields):
        return self.vehicles.RecordOdometerRequest(options=self.options(command_id, **option_fields), vin=VIN,
                                                   reading=self.common.Distance(value=value, unit=KM))

    def record(self, value, command_id=None, **option_fields):
        return self.vehicle_stub.RecordOdometer(self.record_request(value, command_id, **option_fields), timeout=RPC_TIMEOUT)

    def read_stream(self, stream):
        events, after = [], 0
        while True:
            reply = self.event_stub.ReadEvents(self.events.ReadEventsRequest(
                after_position=after, max_count=1000, filter=self.events.EventFilter(stream_prefix=stream)), timeout=RPC_TIMEOUT)
            events += [e for e in reply.events if e.stream_id == stream]
            if reply.next_after_position >= reply.head_position:
                return events
            after = reply.next_after_position


def test_retried_command_returns_the_original_result_and_appends_once(start_server, protos):
    api = Api(start_server(), protos)
    first = api.register_dealership("register-d1")
    again = api.register_dealership("register-d1")
    assert first == again
    assert (first.stream_id, first.stream_version, first.event_count) == (f"dealership-{DEALER}", 1, 1)
    api.register_vehicle()
    recorded = api.record(2000, "odo-2000")
    # The retry returns the original result even after the stream moved on.
    api.record(3000)
    assert api.record(2000, "odo-2000") == recorded
    assert [e.event_type for e in api.read_stream(VEHICLE_STREAM)] == ["VehicleRegistered", "OdometerRecorded", "OdometerRecorded"]
    # A new command id for a registered dealership is a new command: refused.
    with pytest.raises(grpc.RpcError) as error:
        api.register_dealership()
    assert error.value.code() == grpc.StatusCode.ALREADY_EXISTS


def test_concurrent_odometer_readings_lose_no_update(start_server, protos):
    """8 threads × 25 increasing, distinct, interleaved readings on one vehicle, without an
    expected version: conflicts are retried on fresh state, so each command either applies or
    is refused because a larger reading won first — never ABORTED, never lost."""
    api = Api(start_server(), protos)
    api.register_dealership()
    api.register_vehicle()
    threads, per_thread = 8, 25
    outcomes = [[] for _ in range(threads)]
    barrier = threading.Barrier(threads)

    def writer(index):
        barrier.wait(timeout=10)
        for step in range(per_thread):
            value = 2000 + step * threads + index
            try:
                result = api.record(value)
                outcomes[index].append(("OK", value, result))
            except grpc.RpcError as error:
                outcomes[index].append((error.code().name, value, error.details()))

    workers = [threading.Thread(target=writer, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers), "a writer hung"

    flat = [outcome for per in outcomes for outcome in per]
    assert len(flat) == threads * per_thread
    codes = {code for code, _, _ in flat}
    assert "ABORTED" not in codes, [o for o in flat if o[0] == "ABORTED"][:3]
    assert codes <= {"OK", "FAILED_PRECONDITION"}, codes
    ok = [result for code, _, result in flat if code == "OK"]
    assert all(result.event_count == 1 and result.stream_id == VEHICLE_STREAM for result in ok)
    assert len({result.stream_version for result in ok}) == len(ok), "two commands claim the same version"

    events = api.read_stream(VEHICLE_STREAM)
    assert len(events) == 1 + len(ok)
    assert max(result.stream_version for result in ok) == len(events)
    # The log's readings only go up, and are exactly the acknowledged ones.
    readings = [e.odometer_recorded.reading.value for e in events[1:]]
    assert readings == sorted(readings) and len(set(readings)) == len(readings)
    assert sorted(readings) == sorted(value for code, value, _ in flat if code == "OK")
    # Every refusal was a reading below one that was already recorded when it was decided.
    for code, value, _ in flat:
        if code == "FAILED_PRECONDITION":
            assert value < readings[-1]


def test_stale_expected_version_is_aborted_with_the_current_version(start_server, protos):
    api = Api(start_server(), protos)
    api.register_dealership()
    api.register_vehicle()
    assert api.record(2000, expected_version=1).stream_version == 2
    with pytest.raises(grpc.RpcError) as error:
        api.record(3000, expected_version=1)
    assert error.value.code() == grpc.StatusCode.ABORTED
    trailers = dict(error.value.trailing_metadata() or ())
    assert trailers.get("sma-current-version") == "2", trailers
    assert len(api.read_stream(VEHICLE_STREAM)) == 2
    assert api.record(3000, expected_version=2).stream_version == 3


def test_acknowledged_commands_survive_sigkill(start_server, protos, tmp_path):
    data_dir = tmp_path / "durable"
    first = start_server("--data-dir", str(data_dir), data_dir=False)
    api = Api(first, protos)
    acknowledged = [("register-d1", api.register_dealership("register-d1"))]
    api.register_vehicle()
    for step in range(40):
        command_id = f"odo-{step}"
        acknowledged.append((command_id, api.record(2000 + step, command_id)))
    first.expect_exit = True
    first.proc.kill()  # SIGKILL: no shutdown, no flush beyond what each acknowledgement did
    first.proc.wait(timeout=10)

    second = start_server("--data-dir", str(data_dir), data_dir=False)
    api = Api(second, protos)
    events = api.read_stream(VEHICLE_STREAM)
    assert len(events) == 41
    by_command = {e.metadata.command_id: e for e in events}
    for command_id, result in acknowledged[1:]:
        event = by_command[command_id]
        assert (event.stream_version, event.position) == (result.stream_version, result.log_position)
    # Retries of acknowledged commands return their original results and write nothing.
    assert api.register_dealership("register-d1") == acknowledged[0][1]
    for command_id, result in acknowledged[1:]:
        value = 2000 + int(command_id.split("-")[1])
        assert api.record(value, command_id) == result
    assert len(api.read_stream(VEHICLE_STREAM)) == 41
    assert api.record(5000).stream_version == 42


def test_command_id_reused_on_another_stream_is_refused(start_server, protos):
    """A command id names one command: reusing it for a different vehicle is a client error,
    not a silent replay of the first command's result."""
    server = start_server()
    m = protos.modules
    c, v, d = m["sma.v1.common_pb2"], m["sma.v1.vehicles_pb2"], m["sma.v1.dealerships_pb2"]
    channel = server.channel()
    dealers = m["sma.v1.dealerships_pb2_grpc"].DealershipServiceStub(channel)
    vehicles = m["sma.v1.vehicles_pb2_grpc"].VehicleServiceStub(channel)
    dealers.RegisterDealership(d.RegisterDealershipRequest(
        options=c.CommandOptions(command_id="dealer-1"), dealership_id="D1", name="Main", currency="USD"), timeout=RPC_TIMEOUT)
    first = v.RegisterVehicleRequest(options=c.CommandOptions(command_id="same-id"), vin="1HGCM82633A004352",
                                     dealership_id="D1", make="Honda", model="Accord", year=2003, owner_customer_id="C1")
    vehicles.RegisterVehicle(first, timeout=RPC_TIMEOUT)
    other = v.RegisterVehicleRequest(options=c.CommandOptions(command_id="same-id"), vin="1M8GDM9AXKP042788",
                                     dealership_id="D1", make="MCI", model="Coach", year=2019, owner_customer_id="C2")
    with pytest.raises(grpc.RpcError) as caught:
        vehicles.RegisterVehicle(other, timeout=RPC_TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "options.command_id" in caught.value.details() and "vehicle-1HGCM82633A004352" in caught.value.details()
    # The same command on its own stream still answers with its original result.
    assert vehicles.RegisterVehicle(first, timeout=RPC_TIMEOUT).stream_version == 1


def test_each_call_on_one_connection_carries_its_own_metadata(start_server, protos):
    """The transport shares a connection's repeated custom headers between calls; a call whose
    headers differ (added, changed, removed) must still be seen with exactly its own."""
    server = start_server()
    api = Api(server, protos)
    api.register_dealership()
    api.register_vehicle()
    subjects = ["alice", "alice", "bob", None, "carol", "carol", None]
    for index, subject in enumerate(subjects):
        metadata = [("x-trace", f"t{index % 2}")]
        if subject:
            metadata.append(("x-sma-subject", subject))
        api.vehicle_stub.RecordOdometer(api.record_request(2000 + index), metadata=metadata, timeout=RPC_TIMEOUT)
    recorded = [e.metadata.subject for e in api.read_stream(VEHICLE_STREAM)][-len(subjects):]
    assert recorded == [s or "developer" for s in subjects]
    server.assert_serving()
