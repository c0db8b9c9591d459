"""A connection may hold at most 16 maximum-size messages' worth of unfinished requests. Each
stream is bounded by the message size limit, but a client could open every stream it may (1,000)
and leave each one just short of a whole message: 1,000 × 4 MiB held by the server. Beyond the
budget the stream that crosses it gets RESOURCE_EXHAUSTED; the others go on."""

import struct

from conftest import grpc_frame

MAX_MESSAGE = 65536  # --max-message-size: the budget is 16 × this = 1 MiB


def _check_request(size):
    """A HealthCheckRequest of exactly `size` bytes (an unknown service name)."""
    name_length = size - 4
    return b"\x0a" + bytes([(name_length & 0x7F) | 0x80, (name_length >> 7) & 0x7F | 0x80, name_length >> 14]) + b"x" * name_length


def test_unfinished_requests_beyond_the_connection_budget_are_refused(start_server, raw_h2):
    server = start_server("--max-message-size", str(MAX_MESSAGE))
    connection = raw_h2(server.port, timeout=20)
    message = grpc_frame(_check_request(60_000))
    held_back = 1_000
    streams = []
    for _ in range(20):
        stream = connection.send_request("/grpc.health.v1.Health/Check", body=message[:-held_back], end_stream=False)
        streams.append(stream)
    # Each stream holds 59,005 bytes: 17 fit in 1 MiB, the 18th, 19th and 20th are answered at once.
    expected = 20 - (16 * MAX_MESSAGE) // (len(message) - held_back)
    assert connection.pump(lambda: sum(connection.responses[s].ended for s in streams) >= expected, 10)
    connection.pump(lambda: False, 0.3)  # nothing more is coming
    refused = [s for s in streams if connection.responses[s].ended]
    assert refused == streams[-expected:], (len(refused), expected)
    assert all(connection.responses[s].status[1] == 8 for s in refused)  # RESOURCE_EXHAUSTED
    assert "unfinished requests" in connection.responses[refused[0]].grpc_message
    # The streams within the budget finish their message and are answered normally.
    for stream in streams:
        if stream not in refused:
            connection.send_data(stream, message[-held_back:], end_stream=True)
    for stream in streams:
        if stream not in refused:
            response = connection.wait_response(stream, timeout=10)
            assert response.status == ("200", 5), (response.headers, response.trailers)  # NOT_FOUND: unknown service
    # Freed: new requests on the same connection are served.
    assert connection.request("/grpc.health.v1.Health/Check", body=grpc_frame(b""), timeout=10).status == ("200", 0)
    assert connection.goaway is None
    server.assert_serving()
