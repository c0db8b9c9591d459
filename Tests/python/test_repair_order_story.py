"""A whole repair-order story through the real binary: a dealership with its technician, op
code and labor rate, a customer, a vehicle with a maintenance plan, an appointment checked in,
then a repair order from opening to closing, with the refusals the domain owes on the way, and
the event log read back through EventService."""

import re
import time
import uuid

import grpc
import pytest
from google.protobuf import timestamp_pb2

from conftest import RPC_TIMEOUT

DEALER = "D042"
VIN = "1HGCM82633A004352"
KM = 1  # DISTANCE_UNIT_KILOMETERS


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class Api:
    """The sma.v1 stubs on one channel, plus the story's expected log as it is written."""

    def __init__(self, server, protos):
        m = protos.modules
        self.common = m["sma.v1.common_pb2"]
        self.dealerships = m["sma.v1.dealerships_pb2"]
        self.customers = m["sma.v1.customers_pb2"]
        self.vehicles = m["sma.v1.vehicles_pb2"]
        self.plans = m["sma.v1.maintenance_plans_pb2"]
        self.ros = m["sma.v1.repair_orders_pb2"]
        self.appointments = m["sma.v1.appointments_pb2"]
        self.events = m["sma.v1.event_service_pb2"]
        channel = server.channel()
        self.dealership_stub = m["sma.v1.dealerships_pb2_grpc"].DealershipServiceStub(channel)
        self.customer_stub = m["sma.v1.customers_pb2_grpc"].CustomerServiceStub(channel)
        self.vehicle_stub = m["sma.v1.vehicles_pb2_grpc"].VehicleServiceStub(channel)
        self.plan_stub = m["sma.v1.maintenance_plans_pb2_grpc"].MaintenancePlanServiceStub(channel)
        self.ro_stub = m["sma.v1.repair_orders_pb2_grpc"].RepairOrderServiceStub(channel)
        self.appointment_stub = m["sma.v1.appointments_pb2_grpc"].AppointmentServiceStub(channel)
        self.event_stub = m["sma.v1.event_service_pb2_grpc"].EventServiceStub(channel)
        self.expected_log = []  # (stream_id, event_type) in append order

    def options(self):
        return self.common.CommandOptions(command_id=str(uuid.uuid4()), correlation_id="story")

    def km(self, value):
        return self.common.Distance(value=value, unit=KM)

    def usd(self, minor_units):
        return self.common.Money(minor_units=minor_units, currency="USD")

    def command(self, method, request, stream, event_type, version, metadata=()):
        """Runs a command that must append `event_type` to `stream`, leaving it at `version`."""
        reply = method(request, timeout=RPC_TIMEOUT, metadata=list(metadata))
        result = reply
        assert result.stream_id == stream
        assert result.stream_version == version, (event_type, result)
        assert result.event_count == 1
        assert result.log_position > 0
        self.expected_log.append((stream, event_type))
        return reply

    def refused(self, method, request, code, metadata=(), fragment=None):
        """Runs a command that must fail with `code` and write nothing."""
        with pytest.raises(grpc.RpcError) as error:
            method(request, timeout=RPC_TIMEOUT, metadata=list(metadata))
        assert error.value.code() == code, error.value.details()
        if fragment:
            assert fragment in error.value.details()
        return error.value

    def order(self, number):
        return self.ro_stub.GetRepairOrder(self.ros.GetRepairOrderRequest(dealership_id=DEALER, number=number),
                                           timeout=RPC_TIMEOUT)

    def read_all(self):
        events, after = [], 0
        while True:
            reply = self.event_stub.ReadEvents(self.events.ReadEventsRequest(after_position=after, max_count=1000),
                                               timeout=RPC_TIMEOUT)
            events += reply.events
            if reply.next_after_position >= reply.head_position or not reply.events:
                return events
            after = reply.next_after_position


def test_repair_order_story(start_server, protos):
    api = Api(start_server(), protos)
    d, c, v, p, r, a = api.dealerships, api.customers, api.vehicles, api.plans, api.ros, api.appointments
    dealer_stream, customer_stream = f"dealership-{DEALER}", "customer-C1"
    vehicle_stream, plan_stream = f"vehicle-{VIN}", f"plan-{VIN}"

    # The dealership: technician, op code (0.5 h standard), labor rate 120.00 USD/h.
    api.command(api.dealership_stub.RegisterDealership, d.RegisterDealershipRequest(
        options=api.options(), dealership_id=DEALER, name="Main Street Motors", currency="USD"),
        dealer_stream, "DealershipRegistered", 1)
    api.command(api.dealership_stub.AddTechnician, d.AddTechnicianRequest(
        options=api.options(), dealership_id=DEALER, technician_id="T7", name="Tess"),
        dealer_stream, "TechnicianAdded", 2)
    api.command(api.dealership_stub.DefineOpCode, d.DefineOpCodeRequest(
        options=api.options(), dealership_id=DEALER, op_code="OIL-CHG", description="Oil and filter change",
        standard_hours_milli=500), dealer_stream, "OpCodeDefined", 3)
    api.command(api.dealership_stub.SetLaborRate, d.SetLaborRateRequest(
        options=api.options(), dealership_id=DEALER, rate_per_hour=api.usd(12000)),
        dealer_stream, "LaborRateSet", 4)

    # The customer and the vehicle, at 12 000 km.
    api.command(api.customer_stub.RegisterCustomer, c.RegisterCustomerRequest(
        options=api.options(), customer_id="C1", dealership_id=DEALER, name="Ana Lima",
        contact=c.ContactInfo(email="ana@example.com", phone="+1 555 0100")),
        customer_stream, "CustomerRegistered", 1)
    api.command(api.customer_stub.UpdateCustomerContact, c.UpdateCustomerContactRequest(
        options=api.options(), customer_id="C1", contact=c.ContactInfo(email="ana.lima@example.com")),
        customer_stream, "CustomerContactUpdated", 2)
    api.command(api.vehicle_stub.RegisterVehicle, v.RegisterVehicleRequest(
        options=api.options(), vin=VIN, dealership_id=DEALER, make="Honda", model="Accord", year=2003,
        owner_customer_id="C1", odometer=api.km(12000)), vehicle_stream, "VehicleRegistered", 1)

    # Its plan: oil every 10 000 km from 3 000 km (due at 13 000: due soon within 1 000 km),
    # and an inspection every 10 000 km from 0 km (due at 10 000: overdue).
    api.command(api.plan_stub.DefinePlanItem, p.DefinePlanItemRequest(
        options=api.options(), vin=VIN, dealership_id=DEALER, item_id="oil", name="Engine oil and filter",
        op_code="OIL-CHG", interval=p.ServiceInterval(distance=api.km(10000), days=365),
        schedule=p.SCHEDULE_KIND_ROLLING, due_soon=p.DueSoonThreshold(distance=api.km(1000)),
        baseline_odometer=api.km(3000)), plan_stream, "PlanItemDefined", 1)
    api.command(api.plan_stub.DefinePlanItem, p.DefinePlanItemRequest(
        options=api.options(), vin=VIN, dealership_id=DEALER, item_id="inspection", name="Multi-point inspection",
        op_code="INSPECT", interval=p.ServiceInterval(distance=api.km(10000)), schedule=p.SCHEDULE_KIND_FIXED,
        baseline_odometer=api.km(0)), plan_stream, "PlanItemDefined", 2)
    due = api.plan_stub.GetPlanDueStatus(p.GetPlanDueStatusRequest(vin=VIN), timeout=RPC_TIMEOUT)
    assert due.plan_version == 2 and due.dealership_id == DEALER
    assert (due.odometer.value, due.odometer.unit) == (12000, KM)
    statuses = {item.item_id: item for item in due.items}
    assert [item.item_id for item in due.items] == ["inspection", "oil"]
    assert statuses["oil"].status == p.DUE_STATUS_DUE_SOON
    assert statuses["oil"].next_due_odometer.value == 13000 and statuses["oil"].HasField("next_due_time")
    assert statuses["inspection"].status == p.DUE_STATUS_OVERDUE
    assert not statuses["inspection"].HasField("next_due_time")

    # The appointment, booked for tomorrow, and the customer checks in.
    appointment_stream = "appointment-A1"
    start = timestamp_pb2.Timestamp(seconds=int(time.time()) + 86400)
    api.command(api.appointment_stub.BookAppointment, a.BookAppointmentRequest(
        options=api.options(), appointment_id="A1", dealership_id=DEALER, customer_id="C1", vin=VIN,
        start=start, duration_minutes=60, concerns=["oil change due"]), appointment_stream, "AppointmentBooked", 1)
    api.command(api.appointment_stub.CheckInAppointment, a.CheckInAppointmentRequest(
        options=api.options(), appointment_id="A1"), appointment_stream, "AppointmentCheckedIn", 2)
    api.refused(api.appointment_stub.CancelAppointment, a.CancelAppointmentRequest(
        options=api.options(), appointment_id="A1", reason="too late"), grpc.StatusCode.FAILED_PRECONDITION)

    # Opening allocates number 1 on the dealership stream, then opens ro-D042-1.
    open_request = r.OpenRepairOrderRequest(
        options=api.options(), dealership_id=DEALER, vin=VIN, customer_id="C1", advisor_id="adv-1",
        odometer_in=api.km(12050), concerns=["oil change due", "squeak when braking"])
    reply = api.ro_stub.OpenRepairOrder(open_request, timeout=RPC_TIMEOUT, metadata=[("x-sma-roles", "advisor")])
    assert reply.number == 1
    ro = f"ro-{DEALER}-1"
    assert (reply.result.stream_id, reply.result.stream_version, reply.result.event_count) == (ro, 1, 1)
    api.expected_log += [(dealer_stream, "RepairOrderNumberAllocated"), (ro, "RepairOrderOpened")]
    # A retry of the open returns the same number and result, and allocates nothing.
    retry = api.ro_stub.OpenRepairOrder(open_request, timeout=RPC_TIMEOUT)
    assert retry == reply
    assert api.order(1).status == r.REPAIR_ORDER_STATUS_OPEN

    def ro_options(**fields):
        return dict(options=api.options(), dealership_id=DEALER, number=1, **fields)

    api.command(api.ro_stub.AddJob, r.AddJobRequest(**ro_options(job_id="J1", op_code="OIL-CHG")), ro, "JobAdded", 2)
    api.refused(api.ro_stub.AddJob, r.AddJobRequest(**ro_options(job_id="J2", op_code="OIL-CHG")),
                grpc.StatusCode.PERMISSION_DENIED, metadata=[("x-sma-dealerships", "OTHER")])
    api.refused(api.ro_stub.AddJob, r.AddJobRequest(**ro_options(job_id="J2", op_code="NOPE")), grpc.StatusCode.NOT_FOUND)
    api.command(api.ro_stub.AddLaborLine, r.AddLaborLineRequest(**ro_options(line_id="L1", job_id="J1", description="Labor")),
                ro, "LaborLineAdded", 3)
    api.command(api.ro_stub.AddPartsLine, r.AddPartsLineRequest(**ro_options(
        line_id="P1", job_id="J1", part_number="15400-PLM-A02", description="Oil 5W-30", quantity_milli=5000,
        unit_price=api.usd(899))), ro, "PartsLineAdded", 4)
    api.refused(api.ro_stub.AssignTechnician, r.AssignTechnicianRequest(**ro_options(job_id="J1", technician_id="T99")),
                grpc.StatusCode.FAILED_PRECONDITION)
    api.command(api.ro_stub.AssignTechnician, r.AssignTechnicianRequest(**ro_options(job_id="J1", technician_id="T7")),
                ro, "TechnicianAssigned", 5)
    api.command(api.ro_stub.ApproveJob, r.ApproveJobRequest(**ro_options(job_id="J1")), ro, "JobApproved", 6,
                metadata=[("x-sma-roles", "advisor"), ("x-sma-dealerships", DEALER)])
    api.command(api.ro_stub.StartWork, r.StartWorkRequest(**ro_options(job_id="J1")), ro, "WorkStarted", 7,
                metadata=[("x-sma-roles", "technician"), ("x-sma-subject", "T7")])
    assert api.order(1).status == r.REPAIR_ORDER_STATUS_IN_PROGRESS
    api.command(api.ro_stub.RecordFinding, r.RecordFindingRequest(**ro_options(job_id="J1", finding="Front pads at 3 mm")),
                ro, "FindingRecorded", 8, metadata=[("x-sma-roles", "technician"), ("x-sma-subject", "T7")])
    api.command(api.ro_stub.CompleteJob, r.CompleteJobRequest(**ro_options(job_id="J1")), ro, "JobCompleted", 9,
                metadata=[("x-sma-roles", "technician"), ("x-sma-subject", "T7")])

    # Odometer out below odometer in is refused; then the order completes at 12 060 km.
    api.refused(api.ro_stub.CompleteRepairOrder, r.CompleteRepairOrderRequest(**ro_options(odometer_out=api.km(12000))),
                grpc.StatusCode.FAILED_PRECONDITION, fragment="odometer out")
    api.command(api.ro_stub.CompleteRepairOrder, r.CompleteRepairOrderRequest(**ro_options(odometer_out=api.km(12060))),
                ro, "RepairOrderCompleted", 10, metadata=[("x-sma-roles", "advisor")])
    order = api.order(1)
    assert order.status == r.REPAIR_ORDER_STATUS_COMPLETED and order.version == 10
    assert order.odometer_out.value == 12060
    assert [job.status for job in order.jobs] == [r.JOB_STATUS_COMPLETED]
    assert order.jobs[0].technician_id == "T7" and list(order.jobs[0].findings) == ["Front pads at 3 mm"]
    assert [(line.kind, line.amount.minor_units) for line in order.lines] == [(r.LINE_KIND_LABOR, 6000), (r.LINE_KIND_PARTS, 4495)]
    assert order.total.minor_units == 10495 and order.total.currency == "USD"

    # Reopening needs a manager or admin: an advisor is refused by role.
    api.refused(api.ro_stub.ReopenRepairOrder, r.ReopenRepairOrderRequest(**ro_options(reason="customer called back")),
                grpc.StatusCode.PERMISSION_DENIED, metadata=[("x-sma-roles", "advisor")])
    api.command(api.ro_stub.CloseRepairOrder, r.CloseRepairOrderRequest(**ro_options()), ro, "RepairOrderClosed", 11,
                metadata=[("x-sma-roles", "advisor")])
    assert api.order(1).status == r.REPAIR_ORDER_STATUS_CLOSED

    # A closed order never changes: not its jobs or lines, and not even a manager reopens it.
    api.refused(api.ro_stub.AddJob, r.AddJobRequest(**ro_options(job_id="J2", op_code="OIL-CHG")),
                grpc.StatusCode.FAILED_PRECONDITION, fragment="closed")
    api.refused(api.ro_stub.RemoveLine, r.RemoveLineRequest(**ro_options(line_id="P1")), grpc.StatusCode.FAILED_PRECONDITION)
    api.refused(api.ro_stub.ReopenRepairOrder, r.ReopenRepairOrderRequest(**ro_options(reason="late claim")),
                grpc.StatusCode.FAILED_PRECONDITION, metadata=[("x-sma-roles", "manager")])
    api.refused(api.ro_stub.CancelRepairOrder, r.CancelRepairOrderRequest(**ro_options(reason="oops")),
                grpc.StatusCode.FAILED_PRECONDITION)
    assert api.order(1).version == 11

    # The completion process manager follows the log: for the completed order it records the
    # odometer out on the vehicle and marks the plan item of the completed op code serviced —
    # exactly once each, caused by the RepairOrderCompleted event.
    completed = next(e for e in api.read_all() if e.event_type == "RepairOrderCompleted")
    deadline = time.monotonic() + 10
    while True:
        events = api.read_all()
        caused = [e for e in events if e.metadata.causation_id == completed.event_id]
        if len(caused) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert sorted((e.stream_id, e.event_type) for e in caused) == [
        (plan_stream, "PlanItemServiced"), (f"vehicle-{VIN}", "OdometerRecorded")]
    assert all(e.metadata.subject.startswith("process") for e in caused), [e.metadata.subject for e in caused]

    # Apart from that, the log holds exactly the story, in order, each event typed.
    story = [e for e in events if e.metadata.causation_id != completed.event_id]
    assert [(e.stream_id, e.event_type) for e in story] == api.expected_log
    positions = [e.position for e in events]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    versions = {}
    for event in events:
        versions[event.stream_id] = versions.get(event.stream_id, 0) + 1
        assert event.stream_version == versions[event.stream_id], event
        assert event.WhichOneof("payload") == snake(event.event_type), event.event_type
        assert event.raw_payload
    by_type = {e.event_type: getattr(e, e.WhichOneof("payload")) for e in events}
    assert by_type["RepairOrderNumberAllocated"].number == 1
    assert by_type["RepairOrderNumberAllocated"].request_id == open_request.options.command_id
    opened = by_type["RepairOrderOpened"]
    assert (opened.dealership_id, opened.number, opened.vin, opened.currency) == (DEALER, 1, VIN, "USD")
    assert opened.odometer_in.value == 12050 and list(opened.concerns) == ["oil change due", "squeak when braking"]
    assert by_type["LaborLineAdded"].hours_milli == 500 and by_type["LaborLineAdded"].rate_per_hour.minor_units == 12000
    assert by_type["PartsLineAdded"].amount.minor_units == 4495
    assert by_type["TechnicianAssigned"].technician_id == "T7"
    assert by_type["WorkStarted"].actor == "T7"
    assert by_type["FindingRecorded"].finding == "Front pads at 3 mm"
    completed = by_type["RepairOrderCompleted"]
    assert list(completed.completed_op_codes) == ["OIL-CHG"] and completed.total.minor_units == 10495
    assert completed.odometer_out.value == 12060
    assert by_type["CustomerContactUpdated"].contact.email == "ana.lima@example.com"
    assert by_type["PlanItemDefined"].interval.distance.value == 10000
    assert by_type["AppointmentBooked"].start.seconds == start.seconds
    assert all(e.metadata.correlation_id == "story" for e in events)


def test_every_new_event_type_is_typed_and_reads_back_after_a_restart(start_server, protos, tmp_path):
    """The commands the story does not take, then a restart: states folded from the log (not
    from the server's cache) answer exactly as before, so every codec reads back what it wrote."""
    data_dir = tmp_path / "restart"
    server = start_server("--data-dir", str(data_dir), data_dir=False)
    api = Api(server, protos)
    d, c, v, p, r, a = api.dealerships, api.customers, api.vehicles, api.plans, api.ros, api.appointments
    api.dealership_stub.RegisterDealership(d.RegisterDealershipRequest(
        options=api.options(), dealership_id=DEALER, name="M", currency="USD"), timeout=RPC_TIMEOUT)
    api.dealership_stub.AddTechnician(d.AddTechnicianRequest(
        options=api.options(), dealership_id=DEALER, technician_id="T7", name="Tess"), timeout=RPC_TIMEOUT)
    api.dealership_stub.DefineOpCode(d.DefineOpCodeRequest(
        options=api.options(), dealership_id=DEALER, op_code="OIL-CHG", description="oil", standard_hours_milli=1000),
        timeout=RPC_TIMEOUT)
    api.dealership_stub.SetLaborRate(d.SetLaborRateRequest(
        options=api.options(), dealership_id=DEALER, rate_per_hour=api.usd(10000)), timeout=RPC_TIMEOUT)
    contact = c.ContactInfo(phone="555-0100")
    api.customer_stub.RegisterCustomer(c.RegisterCustomerRequest(
        options=api.options(), customer_id="C1", dealership_id=DEALER, name="Bo", contact=contact), timeout=RPC_TIMEOUT)
    api.refused(api.customer_stub.RegisterCustomer, c.RegisterCustomerRequest(
        options=api.options(), customer_id="C2", dealership_id=DEALER, name="Bo", contact=c.ContactInfo(email="nope")),
        grpc.StatusCode.INVALID_ARGUMENT)
    api.vehicle_stub.RegisterVehicle(v.RegisterVehicleRequest(
        options=api.options(), vin=VIN, dealership_id=DEALER, make="Honda", model="Accord", year=2003,
        owner_customer_id="C1", odometer=api.km(20000)), timeout=RPC_TIMEOUT)

    # Plan: serviced, deferred, removed.
    for item in ("oil", "brakes", "wipers"):
        api.plan_stub.DefinePlanItem(p.DefinePlanItemRequest(
            options=api.options(), vin=VIN, dealership_id=DEALER, item_id=item, name=item, op_code="OIL-CHG",
            interval=p.ServiceInterval(distance=api.km(5000), days=180), schedule=p.SCHEDULE_KIND_ROLLING,
            due_soon=p.DueSoonThreshold(distance=api.km(500), days=14), baseline_odometer=api.km(10000)), timeout=RPC_TIMEOUT)
    api.refused(api.plan_stub.DefinePlanItem, p.DefinePlanItemRequest(
        options=api.options(), vin=VIN, dealership_id=DEALER, item_id="x", name="x", op_code="OIL-CHG",
        interval=p.ServiceInterval(days=30), baseline_odometer=api.km(0)), grpc.StatusCode.INVALID_ARGUMENT)
    api.plan_stub.MarkPlanItemServiced(p.MarkPlanItemServicedRequest(
        options=api.options(), vin=VIN, item_id="oil", odometer=api.km(19000), source_id="manual"), timeout=RPC_TIMEOUT)
    later = timestamp_pb2.Timestamp(seconds=int(time.time()) + 30 * 86400)
    api.plan_stub.DeferPlanItem(p.DeferPlanItemRequest(
        options=api.options(), vin=VIN, item_id="brakes", until_odometer=api.km(30000), until_time=later,
        reason="customer request"), timeout=RPC_TIMEOUT)
    api.plan_stub.RemovePlanItem(p.RemovePlanItemRequest(
        options=api.options(), vin=VIN, item_id="wipers", reason="not needed"), timeout=RPC_TIMEOUT)
    api.refused(api.plan_stub.GetPlanDueStatus, p.GetPlanDueStatusRequest(vin="1M8GDM9AXKP042788"), grpc.StatusCode.NOT_FOUND)
    due = api.plan_stub.GetPlanDueStatus(p.GetPlanDueStatusRequest(vin=VIN), timeout=RPC_TIMEOUT)
    assert [(i.item_id, i.status, i.deferred) for i in due.items] == [
        ("brakes", p.DUE_STATUS_OK, True), ("oil", p.DUE_STATUS_OK, False)]
    assert due.items[1].last_serviced_odometer.value == 19000 and due.items[1].next_due_odometer.value == 24000

    # Appointments: rescheduled and cancelled; another one becomes a no-show once its start passed.
    soon = timestamp_pb2.Timestamp(seconds=int(time.time()) + 2)
    for appointment_id in ("A1", "A2"):
        api.appointment_stub.BookAppointment(a.BookAppointmentRequest(
            options=api.options(), appointment_id=appointment_id, dealership_id=DEALER, customer_id="C1", vin=VIN,
            start=soon if appointment_id == "A2" else later, duration_minutes=30), timeout=RPC_TIMEOUT)
    api.appointment_stub.RescheduleAppointment(a.RescheduleAppointmentRequest(
        options=api.options(), appointment_id="A1", start=timestamp_pb2.Timestamp(seconds=later.seconds + 3600),
        duration_minutes=45), timeout=RPC_TIMEOUT)
    api.appointment_stub.CancelAppointment(a.CancelAppointmentRequest(
        options=api.options(), appointment_id="A1", reason="sick"), timeout=RPC_TIMEOUT)
    api.refused(api.appointment_stub.MarkNoShow, a.MarkNoShowRequest(options=api.options(), appointment_id="A2"),
                grpc.StatusCode.FAILED_PRECONDITION)
    time.sleep(max(0.0, soon.seconds + 0.2 - time.time()))
    api.appointment_stub.MarkNoShow(a.MarkNoShowRequest(options=api.options(), appointment_id="A2"), timeout=RPC_TIMEOUT)

    # Order 1: a declined job, a removed line, reopened by a manager, then completed again.
    def ro(number, **fields):
        return dict(options=api.options(), dealership_id=DEALER, number=number, **fields)

    opened = api.ro_stub.OpenRepairOrder(r.OpenRepairOrderRequest(
        options=api.options(), dealership_id=DEALER, vin=VIN, customer_id="C1", advisor_id="adv",
        odometer_in=api.km(20000)), timeout=RPC_TIMEOUT)
    assert opened.number == 1
    api.refused(api.ro_stub.OpenRepairOrder, r.OpenRepairOrderRequest(
        options=api.options(), dealership_id=DEALER, vin=VIN, customer_id="C1", advisor_id="adv",
        odometer_in=api.km(19999)), grpc.StatusCode.FAILED_PRECONDITION, fragment="last reading")
    stub = api.ro_stub
    # The dealership changes after the open allocated a number: the order sees the changes.
    api.dealership_stub.DefineOpCode(d.DefineOpCodeRequest(
        options=api.options(), dealership_id=DEALER, op_code="BRAKE", description="brakes", standard_hours_milli=1000),
        timeout=RPC_TIMEOUT)
    api.dealership_stub.AddTechnician(d.AddTechnicianRequest(
        options=api.options(), dealership_id=DEALER, technician_id="T8", name="Tom"), timeout=RPC_TIMEOUT)
    stub.AddJob(r.AddJobRequest(**ro(1, job_id="J1", op_code="OIL-CHG", description="oil")), timeout=RPC_TIMEOUT)
    stub.AddJob(r.AddJobRequest(**ro(1, job_id="J2", op_code="BRAKE")), timeout=RPC_TIMEOUT)
    stub.AddLaborLine(r.AddLaborLineRequest(**ro(1, line_id="L1", job_id="J1", description="labor", hours_milli=1500)),
                      timeout=RPC_TIMEOUT)
    stub.AddPartsLine(r.AddPartsLineRequest(**ro(1, line_id="P1", job_id="J2", part_number="BP-1", description="pads",
                                                 quantity_milli=2000, unit_price=api.usd(4550))), timeout=RPC_TIMEOUT)
    stub.RemoveLine(r.RemoveLineRequest(**ro(1, line_id="P1")), timeout=RPC_TIMEOUT)
    stub.DeclineJob(r.DeclineJobRequest(**ro(1, job_id="J2", reason="too expensive")), timeout=RPC_TIMEOUT)
    stub.AssignTechnician(r.AssignTechnicianRequest(**ro(1, job_id="J1", technician_id="T8")), timeout=RPC_TIMEOUT)
    stub.ApproveJob(r.ApproveJobRequest(**ro(1, job_id="J1")), timeout=RPC_TIMEOUT)
    stub.StartWork(r.StartWorkRequest(**ro(1, job_id="J1")), timeout=RPC_TIMEOUT)
    stub.RecordFinding(r.RecordFindingRequest(**ro(1, job_id="J1", finding="leak")), timeout=RPC_TIMEOUT)
    stub.CompleteJob(r.CompleteJobRequest(**ro(1, job_id="J1")), timeout=RPC_TIMEOUT)
    stub.CompleteRepairOrder(r.CompleteRepairOrderRequest(**ro(1, odometer_out=api.km(20010))), timeout=RPC_TIMEOUT)
    reopened = stub.ReopenRepairOrder(r.ReopenRepairOrderRequest(**ro(1, reason="recheck")), timeout=RPC_TIMEOUT,
                                      metadata=[("x-sma-roles", "manager")])
    assert reopened.event_count == 1
    stub.CompleteRepairOrder(r.CompleteRepairOrderRequest(**ro(1, odometer_out=api.km(20012))), timeout=RPC_TIMEOUT)
    # Order 2 (number 3: the refused open above used number 2): cancelled.
    second = stub.OpenRepairOrder(r.OpenRepairOrderRequest(
        options=api.options(), dealership_id=DEALER, vin=VIN, customer_id="C1", advisor_id="adv",
        odometer_in=api.km(20020)), timeout=RPC_TIMEOUT)
    assert second.number == 3
    stub.CancelRepairOrder(r.CancelRepairOrderRequest(**ro(3, reason="customer left")), timeout=RPC_TIMEOUT)

    # Let the completion process manager finish following the log before taking snapshots.
    settle_deadline, last_head, quiet_since = time.monotonic() + 10, -1, time.monotonic()
    while time.monotonic() < settle_deadline:
        head = api.event_stub.ReadEvents(api.events.ReadEventsRequest(max_count=1), timeout=RPC_TIMEOUT).head_position
        if head != last_head:
            last_head, quiet_since = head, time.monotonic()
        elif time.monotonic() - quiet_since > 0.5:
            break
        time.sleep(0.05)
    # The completions marked the oil item serviced at the orders' odometer out (process manager).
    due = api.plan_stub.GetPlanDueStatus(p.GetPlanDueStatusRequest(vin=VIN), timeout=RPC_TIMEOUT)
    assert due.items[1].item_id == "oil" and due.items[1].last_serviced_odometer.value == 20012

    before = [api.order(1), api.order(3)]
    assert before[0].status == r.REPAIR_ORDER_STATUS_COMPLETED and before[0].odometer_out.value == 20012
    assert [(j.job_id, j.status) for j in before[0].jobs] == [("J1", r.JOB_STATUS_COMPLETED), ("J2", r.JOB_STATUS_DECLINED)]
    assert before[0].jobs[0].technician_id == "T8" and before[0].jobs[1].description == "brakes"
    assert [l.line_id for l in before[0].lines] == ["L1"] and before[0].total.minor_units == 15000
    assert before[1].status == r.REPAIR_ORDER_STATUS_CANCELLED
    events = api.read_all()
    typed = {e.event_type for e in events if e.WhichOneof("payload") == snake(e.event_type)}
    assert typed == {e.event_type for e in events}
    expected_types = {
        "CustomerRegistered", "PlanItemDefined", "PlanItemServiced", "PlanItemDeferred", "PlanItemRemoved",
        "RepairOrderOpened", "JobAdded", "LaborLineAdded", "PartsLineAdded", "LineRemoved", "TechnicianAssigned",
        "JobApproved", "JobDeclined", "WorkStarted", "FindingRecorded", "JobCompleted", "RepairOrderCompleted",
        "RepairOrderCancelled", "RepairOrderReopened", "AppointmentBooked", "AppointmentRescheduled",
        "AppointmentCancelled", "AppointmentMarkedNoShow"}
    assert expected_types <= typed, expected_types - typed

    server.expect_exit = True
    server.proc.kill()
    server.proc.wait(timeout=10)
    api = Api(start_server("--data-dir", str(data_dir), data_dir=False), protos)
    assert [api.order(1), api.order(3)] == before
    after = api.plan_stub.GetPlanDueStatus(p.GetPlanDueStatusRequest(vin=VIN), timeout=RPC_TIMEOUT)
    after.ClearField("evaluated_at")
    due.ClearField("evaluated_at")
    assert after == due
    assert api.read_all() == events
    # Folded states decide as before: same contact is a no-op, a cancelled appointment is final.
    same = api.customer_stub.UpdateCustomerContact(c.UpdateCustomerContactRequest(
        options=api.options(), customer_id="C1", contact=contact), timeout=RPC_TIMEOUT)
    assert (same.stream_version, same.event_count) == (1, 0)
    api.refused(api.appointment_stub.CheckInAppointment, a.CheckInAppointmentRequest(
        options=api.options(), appointment_id="A1"), grpc.StatusCode.FAILED_PRECONDITION, fragment="cancelled")
