#!/usr/bin/env python3
"""Fails on a dependency that runs the wrong way between Tegula's layers.

Reads three things:
  - the link graph, from `cmake --graphviz` (every edge between two targets);
  - the manifest that cmake/TegulaDependencies.cmake writes: each target's folder,
    role, include folders and sources;
  - the `#include` lines of those sources and of the headers they reach.

Each target belongs to a layer (LAYER_OF_FOLDER, or its plug-in role), each public
header to a layer (HEADER_LAYERS), and a folder's own headers to the layer of the
file with their stem (Pipeline.h beside Pipeline.cpp) or of their includers. A link
edge, an include folder or an include line from layer A to layer B must have B in
ALLOWED[A]. The layers, lowest first:

  runtime           the LLVM-free runtime and the runtime drivers (no LLVM, no MLIR)
  dialect           the tile and maia dialects
  target-interface  what a backend builds on: the registry, the description, diagnostics
  dsl               tracing C++ kernels into the tile dialect
  backend           a target's pipeline, conversions and code generation
  compiler          the compile driver, which holds every backend
  library           kernels, xcheck, the conformance suite, differential testing
  tool              the command line and its plug-in commands
  test              tests and benchmarks: anything

A backend's public API (its header under include/, e.g. tegula/maia/emit.h, whose code
the compiler library exports) is the pseudo-layer backend-api: tools may call it, as
may the backend itself and the driver; nothing may include a backend's own folder
from above it.

Usage: dependency_direction.py --graph DOT --manifest FILE --source ROOT [--build ROOT]
Prints every violation and exits 1 if there is one.
"""
import argparse
import os
import re
import sys

ORDER = ["runtime", "dialect", "target-interface", "dsl", "backend", "backend-api", "compiler", "library", "tool",
         "test"]
MLIR = "mlir"  # LLVM and MLIR themselves

ALLOWED = {
    "runtime": {"runtime"},
    "dialect": {"dialect", MLIR},
    "target-interface": {"target-interface", "runtime", MLIR},
    "dsl": {"dsl", "dialect", "runtime", MLIR},
    "backend": {"backend", "backend-api", "target-interface", "dialect", "runtime", MLIR},
    "backend-api": {"backend-api", "runtime"},
    "compiler": {"compiler", "backend", "backend-api", "target-interface", "dsl", "dialect", "runtime", MLIR},
    "library": {"library", "compiler", "dsl", "runtime"},
    "tool": {"tool", "library", "compiler", "backend-api", "dsl", "runtime", MLIR},
    "test": set(ORDER) | {MLIR},
}

# Targets by the folder that defines them (longest prefix wins), unless a plug-in role
# or TARGET_LAYERS says otherwise.
LAYER_OF_FOLDER = [
    ("lib/runtime", "runtime"),
    ("dialects", "dialect"),
    ("lib/dsl", "dsl"),
    ("backends", "backend"),
    ("lib/compiler", "compiler"),
    ("lib", "library"),
    ("tools", "tool"),
    ("tests", "test"),
    ("bench", "test"),
]
TARGET_LAYERS = {"TegulaTargetInterface": "target-interface"}
ROLE_LAYERS = {"driver": "runtime", "compile-target": "backend", "cli-command": "tool"}

# Public headers (under include/), longest prefix wins.
HEADER_LAYERS = [
    ("tegula/runtime/", "runtime"),
    ("tegula/c/", "runtime"),
    ("tegula/maia/emit.h", "backend-api"),
    ("tegula/maia/", "runtime"),
    ("tegula/compiler/target_backend.h", "target-interface"),
    ("tegula/compiler/target_description.h", "target-interface"),
    ("tegula/compiler/diagnostics.h", "target-interface"),
    ("tegula/compiler/", "compiler"),
    ("tegula/dsl", "dsl"),
    ("tegula/kernels/", "library"),
    ("tegula/xcheck/", "library"),
    ("tegula/conformance/", "library"),
    ("tegula/difftest/", "library"),
]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]', re.M)


def longest_prefix(table, path):
    best = None
    for prefix, layer in table:
        if (path == prefix or path.startswith(prefix.rstrip("/") + "/") or
                (not prefix.endswith("/") and path.startswith(prefix))):
            if best is None or len(prefix) > len(best[0]):
                best = (prefix, layer)
    return best[1] if best else None


def read_manifest(path):
    targets = {}
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            kind, name = fields[0], fields[1]
            t = targets.setdefault(name, {"includes": [], "sources": []})
            if kind == "target":
                t["type"], t["folder"], t["role"] = fields[2], fields[3], fields[4]
            elif kind == "includes":
                t["includes"] = [d for d in fields[2].split(";") if d]
            elif kind == "sources":
                t["sources"] = [s for s in fields[2].split(";") if s]
    return targets


def read_graph(path):
    """(from, to) target-name pairs of every link edge in a `cmake --graphviz` file."""
    names, edges = {}, []
    with open(path) as f:
        text = f.read()
    for node, label in re.findall(r'"(node\d+)"\s*\[\s*label\s*=\s*"([^"]+)"', text):
        names[node] = label
    for a, b in re.findall(r'"(node\d+)"\s*->\s*"(node\d+)"', text):
        edges.append((names.get(a, a), names.get(b, b)))
    return edges


def target_layer(name, t):
    if name in TARGET_LAYERS:
        return TARGET_LAYERS[name]
    if t.get("role", "-") in ROLE_LAYERS:
        return ROLE_LAYERS[t["role"]]
    return longest_prefix(LAYER_OF_FOLDER, t.get("folder", "")) or "test"


def external_layer(name):
    """Layer of a graph node that is not a target of the project: LLVM, MLIR and their
    libraries are MLIR's; system libraries (pthread, dl, fmt, Catch2...) belong to none."""
    if name in ("MLIR", "LLVM", "TegulaMLIR") or name.startswith(("MLIR", "LLVM")):
        return MLIR
    return None


class Checker:
    def __init__(self, source, build, targets):
        self.source = os.path.realpath(source)
        self.build = os.path.realpath(build) if build else None
        self.targets = targets
        self.layers = {n: target_layer(n, t) for n, t in targets.items()}
        self.violations = []
        # File -> layer of the target that compiles it; a file two targets compile
        # takes the lower layer (it must suit both).
        self.file_layer = {}
        for name, t in targets.items():
            for s in t["sources"]:
                s = os.path.realpath(s)
                old = self.file_layer.get(s)
                if old is None or ORDER.index(self.layers[name]) < ORDER.index(old):
                    self.file_layer[s] = self.layers[name]

    def rel(self, path):
        for root in (self.source, self.build):
            if root and path.startswith(root + "/"):
                return os.path.relpath(path, root)
        return path

    def fail(self, text):
        if text not in self.violations:
            self.violations.append(text)

    def check_edge(self, what, a_layer, b_layer, b_name):
        if b_layer is not None and b_layer not in ALLOWED[a_layer]:
            self.fail(f"{what}: {a_layer} -> {b_layer} ({b_name})")

    def check_links(self, edges):
        for a, b in edges:
            if a not in self.targets:
                continue
            b_layer = self.layers.get(b) if b in self.targets else external_layer(b)
            self.check_edge(f"link {a} -> {b}", self.layers[a], b_layer, b)

    def folder_layer(self, folder):
        """The layer a whole include folder exposes; None for a root that holds many."""
        folder = os.path.realpath(folder)
        if os.path.isdir(os.path.join(folder, "mlir")) or os.path.isdir(os.path.join(folder, "llvm")):
            return MLIR
        rel = self.rel(folder)
        if rel == folder or rel in (".", "include"):
            return None  # outside the project, or a root
        return longest_prefix(LAYER_OF_FOLDER, rel)

    def check_include_folders(self):
        for name, t in self.targets.items():
            for folder in t["includes"]:
                self.check_edge(f"include folder of {name}: {folder}", self.layers[name],
                                self.folder_layer(folder), folder)

    def resolve(self, including, spelled, angle):
        """The project file an include names, or None (system, LLVM, generated)."""
        candidates = [] if angle else [os.path.join(os.path.dirname(including), spelled)]
        candidates += [os.path.join(self.source, "include", spelled), os.path.join(self.source, spelled)]
        for c in candidates:
            if os.path.isfile(c):
                return os.path.realpath(c)
        return None

    def header_layer(self, path, includer_layer):
        rel = self.rel(path)
        if rel.startswith("include/"):
            return longest_prefix(HEADER_LAYERS, rel[len("include/"):]) or "test"
        stem = os.path.splitext(path)[0]
        for ext in (".cpp", ".cc"):
            if stem + ext in self.file_layer:
                return self.file_layer[stem + ext]
        return includer_layer  # a folder's own header: it serves its includers

    def check_includes(self):
        # Walk from every source; a header is checked once per layer it is reached from.
        seen = set()
        work = [(f, layer, f) for f, layer in self.file_layer.items()]
        while work:
            path, layer, origin = work.pop()
            if (path, layer) in seen or not os.path.isfile(path):
                continue
            seen.add((path, layer))
            with open(path, errors="replace") as f:
                text = f.read()
            for bracket, spelled in INCLUDE.findall(text):
                if spelled.startswith(("mlir/", "llvm/")):
                    self.check_edge(f"{self.rel(path)} includes {spelled}", layer, MLIR, spelled)
                    continue
                target = self.resolve(path, spelled, bracket == "<")
                if target is None:
                    continue
                b_layer = self.header_layer(target, layer)
                where = self.rel(path) if path == origin else f"{self.rel(path)} (reached from {self.rel(origin)})"
                self.check_edge(f"{where} includes {spelled}", layer, b_layer, spelled)
                work.append((target, min(layer, b_layer, key=ORDER.index) if b_layer != MLIR else layer, origin))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graph", required=True)
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--build")
    args = parser.parse_args()
    targets = read_manifest(args.manifest)
    for t in targets.values():  # a planted manifest names files relative to --source
        t["sources"] = [os.path.join(args.source, s) for s in t["sources"]]
        t["includes"] = [os.path.join(args.source, d) for d in t["includes"]]
    checker = Checker(args.source, args.build, targets)
    edges = read_graph(args.graph)
    checker.check_links(edges)
    checker.check_include_folders()
    checker.check_includes()
    counts = {}
    for layer in checker.layers.values():
        counts[layer] = counts.get(layer, 0) + 1
    print(f"{len(targets)} targets, {len(edges)} link edges; targets by layer: " +
          ", ".join(f"{layer} {counts[layer]}" for layer in ORDER if layer in counts))
    for v in checker.violations:
        print(f"wrong way: {v}")
    if checker.violations:
        print(f"{len(checker.violations)} dependencies run the wrong way")
        return 1
    print("every dependency runs downward")
    return 0


if __name__ == "__main__":
    sys.exit(main())
