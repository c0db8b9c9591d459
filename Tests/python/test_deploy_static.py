"""Static checks of the deployment files (no Docker engine or cluster here): the Dockerfile
passes hadolint (with the repository's .hadolint.yaml) and the Kubernetes manifests validate
against the Kubernetes schemas."""

import pathlib
import os
import shutil
import subprocess
import sysconfig

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _tool(name):
    # pip puts console scripts next to this interpreter; PATH may not list that folder yet.
    local = os.path.join(sysconfig.get_path("scripts"), name)
    path = local if os.access(local, os.X_OK) else shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: Scripts/setup installs it (pip)", pytrace=False)
    return path


def test_dockerfile_passes_hadolint():
    result = subprocess.run([_tool("hadolint"), "--config", str(ROOT / ".hadolint.yaml"), str(ROOT / "Dockerfile")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_kubernetes_manifests_validate():
    manifests = sorted((ROOT / "deploy" / "k8s").glob("*.yaml"))
    assert manifests, "no manifests under deploy/k8s"
    result = subprocess.run([_tool("kubernetes-validate"), "--strict", *map(str, manifests)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed" in result.stdout + result.stderr
