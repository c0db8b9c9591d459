"""A client that connects but never completes the HTTP/2 handshake (no preface, or a preface
trickled in and never finished) is closed after `--handshake-timeout`: such sockets cannot hold
the server's file descriptors forever (slowloris). A client that completed it stays connected
however long it is idle."""

import socket
import time

from conftest import grpc_frame


def _closed_within(sock, seconds):
    """True if the server closed `sock` (EOF or reset) within `seconds`."""
    sock.settimeout(seconds)
    try:
        while True:
            if not sock.recv(65536):
                return True
    except socket.timeout:
        return False
    except OSError:
        return True


def test_connections_that_never_finish_the_handshake_are_closed(start_server, raw_h2):
    server = start_server("--handshake-timeout", "1")
    silent = socket.create_connection(("127.0.0.1", server.port))
    partial = socket.create_connection(("127.0.0.1", server.port))
    partial.sendall(b"PRI * HTTP/2.0\r\n\r\n")  # half of the preface, then nothing
    honest = raw_h2(server.port)                  # preface and SETTINGS at once
    started = time.monotonic()
    assert _closed_within(silent, 5)
    assert _closed_within(partial, 5)
    assert time.monotonic() - started < 5
    time.sleep(1.5)  # well past the timeout: the handshaken connection is still served
    response = honest.request("/grpc.health.v1.Health/Check", body=grpc_frame(b""), timeout=5)
    assert response.status == ("200", 0)
    assert honest.goaway is None and not honest.closed
    assert server.stderr_text().count("event=connection_handshake_timeout") >= 2
    server.assert_serving()


def test_many_abandoned_connections_do_not_flood_the_log(start_server):
    """Connection failures share the failure lines' token bucket (200, then 50/s): 400 silent
    sockets are all closed, with fewer lines than sockets, the rest counted as `suppressed`."""
    server = start_server("--handshake-timeout", "1")
    sockets = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(400)]
    started = time.monotonic()
    assert all(_closed_within(s, 10) for s in sockets)
    elapsed = time.monotonic() - started
    lines = [line for line in server.stderr_text().splitlines() if "event=connection_handshake_timeout" in line]
    assert 200 <= len(lines) <= 200 + 50 * elapsed + 5, (len(lines), elapsed)
    for s in sockets:
        s.close()
    server.assert_serving()
