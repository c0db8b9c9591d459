"""All connections together may hold at most --max-buffered-bytes of unfinished requests and
unread responses. Each connection has its own budget (16 maximum-size messages), but many
connections times that is more memory than the machine has: past the server-wide limit, the
stream that would go beyond it is answered RESOURCE_EXHAUSTED ("retry later"), the others go on,
and what a closed connection held is given back."""

import time

import h2.settings
from conftest import book_large_appointments, grpc_frame

MAX_MESSAGE = 65536          # per connection: 16 × this = 1 MiB
SERVER_BUDGET = 256 * 1024   # for all connections together
HELD_BACK = 1_000


def _held_request():
    """A Health/Check request (an unknown service of ~60 KB) and how much of it is sent first."""
    name_length = 60_000 - 4
    body = b"\x0a" + bytes([(name_length & 0x7F) | 0x80, (name_length >> 7) & 0x7F | 0x80, name_length >> 14]) + b"x" * name_length
    message = grpc_frame(body)
    return message, message[:-HELD_BACK]


def _hold(connection, count):
    """Opens `count` streams that each leave 1,000 bytes of their message unsent."""
    _, first_part = _held_request()
    return [connection.send_request("/grpc.health.v1.Health/Check", body=first_part, end_stream=False) for _ in range(count)]


def test_unfinished_requests_across_connections_share_one_budget(start_server, raw_h2):
    server = start_server("--max-message-size", str(MAX_MESSAGE), "--max-buffered-bytes", str(SERVER_BUDGET))
    assert f"max_buffered_bytes={SERVER_BUDGET}" in server.stderr_text()
    message, first_part = _held_request()
    # 59,005 bytes held per stream: four fit in 256 KiB (236,020), a fifth does not.
    first, second, third = (raw_h2(server.port, timeout=20) for _ in range(3))
    held = {first: _hold(first, 2), second: _hold(second, 2)}
    for connection in (first, second):
        connection.pump(lambda: False, 0.2)
        assert not any(connection.responses[s].ended for s in held[connection])
    crowded = _hold(third, 2)  # each connection is far below its own 1 MiB: the server's budget refuses
    assert third.pump(lambda: all(third.responses[s].ended for s in crowded), 10)
    for stream in crowded:
        response = third.responses[stream]
        assert response.status[1] == 8, (response.headers, response.trailers)  # RESOURCE_EXHAUSTED
        assert "across its connections" in response.grpc_message and "retry later" in response.grpc_message
    # The held streams finish their message and are answered normally.
    for connection, streams in held.items():
        for stream in streams:
            connection.send_data(stream, message[-HELD_BACK:], end_stream=True)
        for stream in streams:
            response = connection.wait_response(stream, timeout=10)
            assert response.status == ("200", 5), (response.headers, response.trailers)  # NOT_FOUND: unknown service
    # Freed: the refused client's large requests are served now.
    retry = _hold(third, 2)
    for stream in retry:
        third.send_data(stream, message[-HELD_BACK:], end_stream=True)
    for stream in retry:
        assert third.wait_response(stream, timeout=10).status == ("200", 5)


def test_a_closed_connection_gives_back_what_it_held(start_server, raw_h2):
    server = start_server("--max-message-size", str(MAX_MESSAGE), "--max-buffered-bytes", str(SERVER_BUDGET))
    message, _ = _held_request()
    for _ in range(3):  # each round would be refused if an earlier round's bytes had leaked
        leaving = raw_h2(server.port, timeout=20)
        streams = _hold(leaving, 4)
        leaving.pump(lambda: False, 0.2)
        assert not any(leaving.responses[s].ended for s in streams)
        leaving.sock.close()
        time.sleep(0.3)
    staying = raw_h2(server.port, timeout=20)
    streams = _hold(staying, 4)
    for stream in streams:
        staying.send_data(stream, message[-HELD_BACK:], end_stream=True)
    for stream in streams:
        assert staying.wait_response(stream, timeout=10).status == ("200", 5)
    server.assert_serving()


def test_unread_responses_across_connections_share_one_budget(start_server, raw_h2, protos):
    # 1 MiB messages: each connection may hold 16 MiB of unread responses, the server 1 MiB.
    server = start_server("--max-message-size", str(1 << 20), "--max-buffered-bytes", str(1 << 20))
    events = protos.modules["sma.v1.event_service_pb2"]
    book_large_appointments(server, protos)
    page = grpc_frame(events.ReadEventsRequest(after_position=0, max_count=10).SerializeToString())
    readers = [raw_h2(server.port, timeout=20) for _ in range(3)]
    asked = {}
    for connection in readers:  # clients that ask for a ~400 KB page and do not read it
        connection.conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 0})
        connection.flush()
        asked[connection] = connection.send_request("/sma.v1.EventService/ReadEvents", body=page)
        connection.pump(lambda: False, 0.3)
    refused = [c for c in readers if c.responses[asked[c]].ended]
    # Two pages fit in the server's 1 MiB; the third client's is refused at once, small.
    assert refused == readers[2:], [c.responses[asked[c]].status for c in readers]
    response = refused[0].responses[asked[refused[0]]]
    assert response.status[1] == 8 and "across its connections" in response.grpc_message, (response.headers, response.trailers)
    # The first two read: their pages arrive, and the third client is served again.
    for connection in readers[:2]:
        connection.conn.increment_flow_control_window(1 << 20, stream_id=asked[connection])
        connection.flush()
        assert connection.wait_response(asked[connection], timeout=10).status == ("200", 0)
    third = readers[2]
    third.conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 1 << 20})
    third.flush()
    assert third.request("/sma.v1.EventService/ReadEvents", body=page, timeout=10).status == ("200", 0)
    server.assert_serving()


def test_a_budget_smaller_than_one_message_is_a_usage_error(server_binary, tmp_path):
    import subprocess
    result = subprocess.run([server_binary, "--max-message-size", "1048576", "--max-buffered-bytes", "1000",
                             "--data-dir", str(tmp_path / "data"), "--port", "0"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "--max-buffered-bytes" in result.stderr and "at least --max-message-size" in result.stderr
