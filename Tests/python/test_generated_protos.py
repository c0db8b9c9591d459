"""The committed protobuf bridge (C from protoc-c, Swift from Scripts/protogen) matches Protos/."""

import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "Scripts" / "generate-protos"


def _tools_missing():
    return [tool for tool in ("protoc", "protoc-gen-c") if shutil.which(tool) is None]


@pytest.mark.skipif(bool(_tools_missing()), reason="needs protoc and protoc-gen-c (protobuf-compiler, protobuf-c-compiler)")
def test_committed_generated_code_matches_protos():
    result = subprocess.run([str(SCRIPT), "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, (
        "generated protobuf code drifted from Protos/; run Scripts/generate-protos\n"
        + result.stdout[-20000:] + result.stderr[-4000:])


@pytest.mark.skipif(bool(_tools_missing()), reason="needs protoc and protoc-gen-c")
def test_check_reports_drift(tmp_path):
    """--check must fail when a generated file differs (a check that cannot fail proves nothing)."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "Protos", copy / "Protos")
    shutil.copytree(ROOT / "Scripts", copy / "Scripts")
    for target in ("SMAProtosC", "SMAProtos", "SMAInteropProtos"):
        source = ROOT / "Sources" / target
        if source.exists():
            shutil.copytree(source, copy / "Sources" / target)
    health = copy / "Sources" / "SMAProtos" / "Generated" / "grpc_health_v1_health.pb.swift"
    health.write_text(health.read_text() + "// edited by hand\n")
    result = subprocess.run([str(copy / "Scripts" / "generate-protos"), "--check"], cwd=copy,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "edited by hand" in result.stdout
