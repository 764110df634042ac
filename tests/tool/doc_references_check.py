#!/usr/bin/python3
"""Fails when the docs, the README or the sources cite a file the project does not have.

Checked: every name of a Markdown file in docs/*.md, README.md and the
sources, and every path in backticks in the docs that starts with one of the project's
top-level folders (or `tegula/`, which is under include/). A path is found relative to
the citing file's folder, docs/, the checkout or include/. Paths with placeholders
(`<kernel>`, `*`, `{a,b}`, `...`) are not checked.
"""
import argparse
import os
import re
import sys

TOP = ("lib/", "include/", "backends/", "dialects/", "tests/", "tools/", "scripts/", "bench/", "docs/", "tegula/",
       "examples/", "python/", "cmake/")
SOURCE_SUFFIXES = (".cpp", ".h", ".td", ".py", ".cmake", ".txt", ".in", ".mlir", ".machine")
MD_NAME = re.compile(r"(?<![\w./-])([\w./-]+\.md)\b")
BACKTICKED = re.compile(r"`([^`\s]+)`")


def exists(ref, citing_dir, source):
    for base in (citing_dir, os.path.join(source, "docs"), source, os.path.join(source, "include")):
        if os.path.exists(os.path.normpath(os.path.join(base, ref.rstrip("/")))):
            return True
    return False


def project_files(source):
    for root, dirs, files in os.walk(source):
        dirs[:] = [d for d in dirs if not d.startswith(("build", ".git"))]
        for name in files:
            yield os.path.join(root, name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", required=True)
    source = os.path.realpath(ap.parse_args().source)

    missing, checked = [], 0
    for path in project_files(source):
        rel = os.path.relpath(path, source)
        is_doc = path.endswith(".md")
        if not (is_doc or path.endswith(SOURCE_SUFFIXES) or rel.startswith("scripts/")):
            continue
        if rel == "LICENSE" or "/Inputs/" in rel:
            continue
        for line_no, line in enumerate(open(path, errors="replace"), 1):
            refs = set(MD_NAME.findall(line))
            if is_doc:
                for ref in BACKTICKED.findall(line):
                    ref = ref.rstrip(".,:;)")
                    if ref.startswith(TOP) and not re.search(r"[<>*{}]|\.\.\.", ref) and "/" in ref:
                        refs.add(ref.split(":")[0])
            for ref in refs:
                if ref.startswith(("http", "www.")):
                    continue
                checked += 1
                if not exists(ref, os.path.dirname(path), source):
                    missing.append(f"{rel}:{line_no}: cites '{ref}', which the project does not have")
    for m in missing:
        print(m)
    print(f"doc references: {checked} checked, {len(missing)} missing")
    return 1 if missing or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
