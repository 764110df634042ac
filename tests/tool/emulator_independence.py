#!/usr/bin/env python3
"""Fails where gpu-emu reaches the GPU compiler it checks.

gpu-emu's semantics are written from the upstream dialects and the vendors' documents:
if it linked or included anything of backends/gpu, backends/cuda or backends/rocm, a
wrong layout or table in the compiler could agree with itself in the emulator. Reads
the link graph (`cmake --graphviz`) and the build's manifest (cmake/
TegulaDependencies.cmake), and fails on
  - a target of backends/gpu-emu whose link closure holds a target of those folders;
  - an `#include` of those folders in a file under backends/gpu-emu.

Usage: emulator_independence.py --graph DOT --manifest FILE --source ROOT
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dependency_direction import read_graph, read_manifest  # noqa: E402

EMULATOR = "backends/gpu-emu"
CHECKED = ("backends/gpu", "backends/cuda", "backends/rocm")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def under(folder, prefix):
    return folder == prefix or folder.startswith(prefix + "/")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graph", required=True)
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    targets = read_manifest(args.manifest)
    folder = {name: t.get("folder", "") for name, t in targets.items()}
    links = {}
    for a, b in read_graph(args.graph):
        links.setdefault(a, set()).add(b)
    problems = []
    emulator_targets = sorted(n for n, f in folder.items() if under(f, EMULATOR))
    for start in emulator_targets:
        seen, work = set(), [start]
        while work:
            name = work.pop()
            for nxt in links.get(name, ()):
                if nxt in seen:
                    continue
                seen.add(nxt)
                work.append(nxt)
                if any(under(folder.get(nxt, ""), c) for c in CHECKED):
                    problems.append(f"link: {start} reaches {nxt} ({folder[nxt]})")
    root = os.path.join(args.source, EMULATOR)
    files = 0
    for dirpath, _, names in os.walk(root):
        for name in sorted(names):
            if not name.endswith((".h", ".cpp")):
                continue
            files += 1
            path = os.path.join(dirpath, name)
            with open(path, errors="replace") as f:
                for spelled in INCLUDE.findall(f.read()):
                    if any(spelled.startswith(c + "/") for c in CHECKED):
                        problems.append(f"include: {os.path.relpath(path, args.source)} includes {spelled}")
    print(f"gpu-emu: {len(emulator_targets)} targets, {files} files checked")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} ways gpu-emu reaches the compiler it checks")
        return 1
    print("gpu-emu reaches nothing of backends/gpu, backends/cuda or backends/rocm")
    return 0


if __name__ == "__main__":
    sys.exit(main())
