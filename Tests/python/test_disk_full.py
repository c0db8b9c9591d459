"""A full disk through the real binary: the event store's writer stops at the first failed
write (nothing after a lost write may be acknowledged), every later write fails with
UNAVAILABLE, the server logs one error line, and health turns NOT_SERVING so that
orchestrators take the replica out of rotation. Needs root (it mounts a small tmpfs)."""

import os
import subprocess
import uuid

import grpc
import pytest

from conftest import RPC_TIMEOUT


@pytest.fixture
def small_filesystem(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs")
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def test_a_full_disk_fails_writes_with_unavailable_and_turns_health_not_serving(start_server, protos, small_filesystem):
    server = start_server("--data-dir", str(small_filesystem / "data"), data_dir=False)
    try:
        m = protos.modules
        dealerships, common = m["sma.v1.dealerships_pb2"], m["sma.v1.common_pb2"]
        stub = m["sma.v1.dealerships_pb2_grpc"].DealershipServiceStub(server.channel())

        def register(index):
            return stub.RegisterDealership(dealerships.RegisterDealershipRequest(
                options=common.CommandOptions(command_id=str(uuid.uuid4())), dealership_id=f"D{index}",
                name="North " * 20, currency="USD"), timeout=RPC_TIMEOUT)

        register(0)
        server.assert_serving()
        # Leave about 64 KiB free: a few hundred commands fill it.
        stats = os.statvfs(small_filesystem)
        free = stats.f_bavail * stats.f_frsize
        with open(small_filesystem / "filler", "wb") as filler:
            filler.write(b"\0" * max(0, free - 64 * 1024))
        acknowledged, failure = 0, None
        for index in range(1, 5000):
            try:
                register(index)
                acknowledged += 1
            except grpc.RpcError as error:
                failure = error
                break
        assert failure is not None, "the disk never filled up"
        assert acknowledged > 10
        assert failure.code() == grpc.StatusCode.UNAVAILABLE, failure
        assert "event store" in failure.details()
        # Every later write fails the same way, at once — also after space is freed: the writer
        # has stopped, and only a restart reopens (and re-checks) the log.
        os.remove(small_filesystem / "filler")
        with pytest.raises(grpc.RpcError) as caught:
            register(99_999)
        assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
        server.wait_for_log("event=event_store_failed", timeout=5)
        assert "level=error event=event_store_failed" in server.stderr_text()
        health, pb2 = server.health_stub(), server.protos.health_pb2
        for service in ("", "sma.v1.DealershipService"):
            reply = health.Check(pb2.HealthCheckRequest(service=service), timeout=RPC_TIMEOUT)
            assert reply.status == pb2.HealthCheckResponse.NOT_SERVING, service
    finally:
        # Not serving on purpose; and the tmpfs can only be unmounted once the server is gone.
        server.expect_exit = True
        server.kill()
