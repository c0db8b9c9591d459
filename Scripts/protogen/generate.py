#!/usr/bin/env python3
"""Generates SMA's protobuf bridge from Protos/ (see Scripts/generate-protos).

Output (all deterministic, so `--check` can detect drift):
  Sources/SMAProtosC/**.pb-c.c, include/**.pb-c.h, include/SMAProtosC.h, module.modulemap  (C)
  Sources/<Target>/Generated/*.pb.swift, <Target>Descriptors.swift       (Swift)
Only files of those shapes are written or deleted; hand-written files beside them are left alone.
"""

import argparse
import difflib
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from google.protobuf import descriptor_pb2  # noqa: E402

import cgen  # noqa: E402
import model  # noqa: E402
import swiftgen  # noqa: E402

C_DIR = "Sources/SMAProtosC"
SWIFT_TARGETS = ("SMAProtos", "SMAInteropProtos")
# Test protos (gRPC's interop protos and SMA's own test-only ones) live apart from the served contract.
INTEROP_PREFIXES = ("grpc/testing/", "sma/testing/")
WELL_KNOWN_PREFIX = "google/protobuf/"


def target_of(file_name):
    """The Swift target that owns a proto file of Protos/ (well-known imports go to their importers)."""
    return "SMAInteropProtos" if file_name.startswith(INTEROP_PREFIXES) else "SMAProtos"


def swift_dir(target):
    return f"Sources/{target}/Generated"


def list_protos(protos_dir):
    found = []
    for dirpath, _, files in os.walk(protos_dir):
        for f in files:
            if f.endswith(".proto"):
                found.append(os.path.relpath(os.path.join(dirpath, f), protos_dir).replace(os.sep, "/"))
    return sorted(found)


def load_descriptor_set(root, protos):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.pb")
        subprocess.run(
            ["protoc", f"-I{os.path.join(root, 'Protos')}", "-I/usr/include",
             "--include_imports", "--include_source_info", f"--descriptor_set_out={out}", *protos],
            check=True, cwd=root)
        fds = descriptor_pb2.FileDescriptorSet()
        with open(out, "rb") as fh:
            fds.ParseFromString(fh.read())
    return fds


def owned_targets(fds, protos):
    """Maps each Swift target to the proto files it generates (its own files and their imports)."""
    by_name = {f.name: f for f in fds.file}
    own = {t: [] for t in SWIFT_TARGETS}
    for name in protos:
        own[target_of(name)].append(name)
    result = {}
    for target, names in own.items():
        closure = set()
        stack = list(names)
        while stack:
            n = stack.pop()
            if n in closure:
                continue
            closure.add(n)
            for dep in by_name[n].dependency:
                if not dep.startswith(WELL_KNOWN_PREFIX) and target_of(dep) != target:
                    sys.exit(f"error: {n} imports {dep}, which belongs to {target_of(dep)}; "
                             f"a {target} proto may import only its own protos and google/protobuf/*.proto")
                stack.append(dep)
        result[target] = (sorted(names), sorted(closure))
    return result


def generate(root):
    """Returns {repo-relative path: content} for every generated file."""
    protos = list_protos(os.path.join(root, "Protos"))
    if not protos:
        sys.exit("error: no .proto files under Protos/")
    fds = load_descriptor_set(root, protos)
    for f in fds.file:
        if f.syntax != "proto3":
            sys.exit(f"error: {f.name} is not proto3; the bridge supports proto3 only")

    outputs = {}
    c_files, c_symbols = cgen.generate_c(fds)
    for name, content in c_files.items():
        outputs[f"{C_DIR}/{name}"] = content

    index = model.Index(fds, c_symbols)
    for target, (own, closure) in owned_targets(fds, protos).items():
        for name in closure:
            path = f"{swift_dir(target)}/{swiftgen.swift_file_name(name)}"
            outputs[path] = swiftgen.generate_file(index, index.files[name])
        outputs[f"{swift_dir(target)}/{target}Descriptors.swift"] = swiftgen.generate_descriptors(
            index, target, own, closure)
    return outputs


def is_owned(path):
    """Whether the generator owns (may overwrite or delete) a repo-relative path."""
    if path.startswith(C_DIR + "/"):
        return path.endswith((".pb-c.c", ".pb-c.h")) or path in (
            f"{C_DIR}/include/SMAProtosC.h", f"{C_DIR}/include/module.modulemap")
    for target in SWIFT_TARGETS:
        d = swift_dir(target) + "/"
        if path.startswith(d) and "/" not in path[len(d):]:
            return path.endswith(".pb.swift") or path == f"{d}{target}Descriptors.swift"
    return False


def existing_owned(root):
    found = {}
    for base in [C_DIR] + [swift_dir(t) for t in SWIFT_TARGETS]:
        for dirpath, _, files in os.walk(os.path.join(root, base)):
            for f in files:
                rel = os.path.relpath(os.path.join(dirpath, f), root).replace(os.sep, "/")
                if is_owned(rel):
                    with open(os.path.join(root, rel), encoding="utf-8") as fh:
                        found[rel] = fh.read()
    return found


def check(root, outputs):
    current = existing_owned(root)
    drift = False
    for path in sorted(set(current) | set(outputs)):
        old, new = current.get(path), outputs.get(path)
        if old == new:
            continue
        drift = True
        diff = difflib.unified_diff(
            (old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True),
            fromfile=f"committed/{path}" if old is not None else "/dev/null",
            tofile=f"generated/{path}" if new is not None else "/dev/null")
        sys.stdout.writelines(diff)
    if drift:
        print("\nerror: generated protobuf code drifted from Protos/; run Scripts/generate-protos", file=sys.stderr)
        return 1
    print(f"generated protobuf code is up to date ({len(outputs)} files)")
    return 0


def write(root, outputs):
    current = existing_owned(root)
    for path in sorted(current):
        if path not in outputs:
            os.remove(os.path.join(root, path))
            print(f"removed {path}")
    for path, content in sorted(outputs.items()):
        if current.get(path) == content:
            continue
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as fh:
            fh.write(content)
        print(f"wrote {path}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    parser.add_argument("--check", action="store_true", help="diff against the committed files instead of writing")
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    outputs = generate(root)
    sys.exit(check(root, outputs) if args.check else write(root, outputs))


if __name__ == "__main__":
    main()
