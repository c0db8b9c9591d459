"""Failed calls are logged through a token bucket (burst 200, then 50 lines/s): a client that
keeps failing cannot flood the log (150,000 lines, 37 MB in 4 s before), and nothing is lost
from view: the next line written carries the number of lines held back as `suppressed`."""

import re
import time

import grpc


def _rpc_failed(server):
    return [line for line in server.stderr_text().splitlines() if "event=rpc_failed" in line]


def test_failed_calls_are_logged_at_a_bounded_rate_with_a_suppressed_count(server):
    stub = server.health_stub()
    request = server.protos.health_pb2.HealthCheckRequest(service="no.such.Service")
    started = time.monotonic()
    calls = [stub.Check.future(request, timeout=10) for _ in range(3000)]
    for call in calls:
        assert call.exception().code() == grpc.StatusCode.NOT_FOUND
    elapsed = time.monotonic() - started
    time.sleep(0.5)
    lines = _rpc_failed(server)
    assert 200 <= len(lines) <= 200 + 50 * (elapsed + 0.5) + 5, (len(lines), elapsed)
    # One more failure after a pause is written (with the count of any held back since the last line).
    try:
        stub.Check(request, timeout=10)
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.NOT_FOUND
    lines = _rpc_failed(server)
    suppressed = [int(m.group(1)) for line in lines for m in [re.search(r" suppressed=(\d+)", line)] if m]
    assert "code=NOT_FOUND" in lines[-1], lines[-1]
    assert suppressed, "no line says how many were held back"
    # Every failure is accounted for: written, or counted on the next line written.
    assert len(lines) + sum(suppressed) == 3001, (len(lines), sum(suppressed))
    server.assert_serving()
