"""CVE-2023-44487 ("rapid reset"): one client opening and immediately resetting streams as
fast as it can must not starve other clients. nghttp2's stream-reset rate limit answers the
flood with GOAWAY; meanwhile a well-behaved client keeps getting answers."""

import socket
import struct
import threading
import time

import pytest

from conftest import RPC_TIMEOUT

# More open-and-reset pairs (~18 MB) than the socket buffers can absorb: the server closing the
# flooding connection early must show as the flood being cut short.
FLOOD_PAIRS = 200_000


def frame(kind, flags, stream_id, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream_id) + payload


def literal(name, value):
    """HPACK literal header field without indexing, new name, no Huffman coding."""
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


def request_headers(authority):
    return (b"\x83\x86"  # :method POST, :scheme http (static table)
            + literal(b":path", b"/grpc.health.v1.Health/Check")
            + literal(b":authority", authority.encode())
            + literal(b"content-type", b"application/grpc")
            + literal(b"te", b"trailers"))


def flood(port, pairs, result):
    """Sends HEADERS+RST_STREAM(CANCEL) pairs; records whether the server sent GOAWAY."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        sock.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(4, 0, 0))
        block = request_headers(f"127.0.0.1:{port}")
        batch = []
        stream_id = 1
        sent = 0
        try:
            for _ in range(pairs):
                batch.append(frame(1, 0x4, stream_id, block))            # HEADERS, END_HEADERS
                batch.append(frame(3, 0, stream_id, struct.pack(">I", 8)))  # RST_STREAM CANCEL
                stream_id += 2
                if len(batch) >= 200:
                    sock.sendall(b"".join(batch))
                    sent += len(batch) // 2
                    batch.clear()
        except OSError:
            pass  # the server closed the connection: that is the mitigation working
        result["sent"] = sent
        data = b""
        sock.settimeout(2)
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        # Find a GOAWAY frame (type 7) and its error code.
        offset = 0
        while offset + 9 <= len(data):
            length = int.from_bytes(data[offset:offset + 3], "big")
            kind = data[offset + 3]
            if kind == 7 and offset + 9 + 8 <= len(data):
                result["goaway_code"] = int.from_bytes(data[offset + 13:offset + 17], "big")
            offset += 9 + length
    finally:
        sock.close()


def test_rapid_reset_flood_does_not_starve_other_clients(start_server, protos):
    server = start_server()
    stub = server.health_stub()
    request = protos.health_pb2.HealthCheckRequest(service="")
    stub.Check(request, timeout=RPC_TIMEOUT)

    result = {}
    attacker = threading.Thread(target=flood, args=(server.port, FLOOD_PAIRS, result))
    latencies = []
    failures = []
    attacker.start()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline or attacker.is_alive():
        start = time.monotonic()
        try:
            stub.Check(request, timeout=RPC_TIMEOUT)
            latencies.append(time.monotonic() - start)
        except Exception as error:  # any failure of the honest client is a test failure
            failures.append(repr(error))
        if time.monotonic() > deadline + 20:
            break
    attacker.join(timeout=30)

    assert not failures, failures[:3]
    assert len(latencies) >= 50
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    assert p99 < 0.5, f"honest client's p99 latency {p99:.3f}s during the flood"
    # nghttp2's reset rate limit (burst 4000, then 100/s) answers the flood with a GOAWAY carrying
    # an error code (nghttp2 1.52 uses INTERNAL_ERROR), and the server then closes the connection
    # long before the flood is done.
    assert result.get("goaway_code", 0) != 0, result
    assert result["sent"] < FLOOD_PAIRS, result
    server.assert_serving()


def test_cancelling_every_open_stream_at_once_is_not_a_flood(server, raw_h2):
    """A client may have SETTINGS_MAX_CONCURRENT_STREAMS (1,000) subscriptions open and cancel
    them all at once, and do so again after re-subscribing (a dashboard switching views): that
    is ordinary use, not the rapid-reset attack above, and must not cost it its connection
    (with a burst of 1,000 resets the second round was answered with GOAWAY INTERNAL_ERROR)."""
    connection = raw_h2(server.port, timeout=20)
    empty_request = b"\x00\x00\x00\x00\x00"  # SubscribeEventsRequest{}: from the start of the log
    for round in range(3):
        streams = [connection.send_request("/sma.v1.EventService/SubscribeEvents", body=empty_request, end_stream=True)
                   for _ in range(1000)]
        # Every subscription is live (its response headers arrived) before it is cancelled.
        live = connection.pump(lambda: all(connection.responses[s].headers is not None for s in streams), 20)
        assert live, (round, connection.goaway, sum(connection.responses[s].headers is not None for s in streams))
        for stream in streams:
            connection.conn.reset_stream(stream, error_code=8)  # CANCEL
        connection.flush()
    response = connection.request("/grpc.health.v1.Health/Check", body=empty_request, timeout=10)
    assert response.status == ("200", 0), (response.headers, response.trailers)
    assert connection.goaway is None, connection.goaway
    server.assert_serving()
