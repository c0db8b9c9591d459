"""Responses a client asks for but does not read stay queued in the server: without a bound,
1,000 streams of ~1 MiB ReadEvents pages would hold 1 GB per connection. Beyond 16 maximum-size
messages' worth of unread responses on a connection, a large response is answered with
RESOURCE_EXHAUSTED instead; once the client reads, it is served again."""


import h2.settings
from conftest import book_large_appointments, grpc_frame

MAX_MESSAGE = 65536  # --max-message-size: 16 × this = 1 MiB of unread responses per connection


def test_responses_beyond_the_unread_budget_are_refused_until_the_client_reads(start_server, raw_h2, protos):
    server = start_server("--max-message-size", str(MAX_MESSAGE))
    events = protos.modules["sma.v1.event_service_pb2"]
    book_large_appointments(server, protos)

    connection = raw_h2(server.port, timeout=20)
    connection.conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 0})  # read nothing
    connection.flush()
    page = grpc_frame(events.ReadEventsRequest(after_position=0, max_count=10).SerializeToString())
    streams = [connection.send_request("/sma.v1.EventService/ReadEvents", body=page) for _ in range(4)]
    assert connection.pump(lambda: sum(connection.responses[s].ended for s in streams) >= 2, 10)
    connection.pump(lambda: False, 0.3)  # nothing more is coming
    refused = [s for s in streams if connection.responses[s].ended]
    # Two ~400 KB pages fit in 1 MiB; the later ones are refused at once, small.
    assert len(refused) == 2, [connection.responses[s].status for s in streams]
    for stream in refused:
        response = connection.responses[stream]
        assert response.status[1] == 8 and "not read" in response.grpc_message, (response.headers, response.trailers)
    # Small replies are still answered (this client reads this one).
    check = connection.send_request("/grpc.health.v1.Health/Check", body=grpc_frame(b""))
    connection.conn.increment_flow_control_window(1 << 16, stream_id=check)
    connection.flush()
    assert connection.wait_response(check, timeout=10).status == ("200", 0)
    # Reading again (a window) drains the queue: the held pages arrive, and new pages are served.
    for stream in streams:
        if stream not in refused:
            connection.conn.increment_flow_control_window(1 << 20, stream_id=stream)
    connection.flush()
    for stream in streams:
        if stream not in refused:
            assert connection.wait_response(stream, timeout=10).status == ("200", 0)
    connection.conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 1 << 20})
    connection.flush()
    assert connection.request("/sma.v1.EventService/ReadEvents", body=page, timeout=10).status == ("200", 0)
    server.assert_serving()
