#!/usr/bin/python3
"""Runs the shell transcripts the docs show and compares what the commands print.

A transcript is a fenced block whose first line starts with "$ ". Each "$ " line is run
with bash (stdout and stderr together) in a scratch folder where build/ is the build
tree, and what it prints is compared with the lines up to the next "$ " line.

- "<source>" in the docs stands for the checkout.
- A block that holds a line "..." (indented or not) is an excerpt: its other lines, in runs separated by
  "...", must appear in order in the output; anything may come before, between and
  after them. Other blocks must match exactly (trailing blanks aside).
- An HTML comment on the line before the fence changes the rule for that block:
  "<!-- doc-check: numbers vary -->" compares with every number masked and runs of
  blanks collapsed (timings, sizes); "<!-- doc-check: skip, <reason> -->" skips it.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

NUMBER = re.compile(r"(?<![\w.])[-+]?(?:0x[0-9a-fA-F]+|[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)(?![\w.])")


def transcripts(path):
    """(line number, mode, [(command, [expected lines])]) for each transcript in path."""
    lines = open(path).read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith("```") and i + 1 < len(lines) and lines[i + 1].startswith("$ "):
            mode = "exact"
            m = re.match(r"<!-- doc-check: (numbers vary|skip)", lines[i - 1]) if i > 0 else None
            if m:
                mode = m.group(1)
            start, i = i + 1, i + 1
            steps = []
            while i < len(lines) and not lines[i].startswith("```"):
                if lines[i].startswith("$ "):
                    steps.append((lines[i][2:], []))
                else:
                    steps[-1][1].append(lines[i])
                i += 1
            yield start + 1, mode, steps
        i += 1


def normalize(line, mode):
    line = line.rstrip()
    if mode == "numbers vary":
        line = " ".join(NUMBER.sub("#", line).split())
    return line


def matches(expected, actual, mode):
    exp = ["..." if l.strip() == "..." else normalize(l, mode) for l in expected]
    act = [normalize(l, mode) for l in actual]
    while exp and exp[-1] == "":
        exp.pop()
    while act and act[-1] == "":
        act.pop()
    if "..." not in exp:
        return exp == act
    runs, run = [], []
    for l in exp:
        if l == "...":
            if run:
                runs.append(run)
            run = []
        else:
            run.append(l)
    if run:
        runs.append(run)
    pos = 0
    for run in runs:
        while pos + len(run) <= len(act) and act[pos:pos + len(run)] != run:
            pos += 1
        if pos + len(run) > len(act):
            return False
        pos += len(run)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", required=True)
    ap.add_argument("--build", required=True)
    args = ap.parse_args()
    source, build = os.path.realpath(args.source), os.path.realpath(args.build)
    docs = sorted(glob.glob(os.path.join(source, "docs", "*.md"))) + [os.path.join(source, "README.md")]

    checked, failures, skipped = 0, 0, 0
    with tempfile.TemporaryDirectory(prefix="tegula-doc-check-") as scratch:
        os.symlink(build, os.path.join(scratch, "build"))
        for doc in docs:
            name = os.path.relpath(doc, source)
            for line_no, mode, steps in transcripts(doc):
                if mode == "skip":
                    skipped += 1
                    continue
                for command, expected in steps:
                    checked += 1
                    run = subprocess.run(["bash", "-c", command], cwd=scratch, capture_output=True, text=True,
                                         timeout=600)
                    actual = (run.stdout + run.stderr).replace(source, "<source>").split("\n")
                    if matches(expected, actual, mode):
                        continue
                    failures += 1
                    print(f"MISMATCH {name}:{line_no}: $ {command}")
                    print("  the docs show:")
                    for l in expected:
                        print("    | " + l)
                    print(f"  the build prints (exit {run.returncode}):")
                    for l in actual:
                        print("    | " + l)
    print(f"doc transcripts: {checked} commands checked, {failures} mismatched, {skipped} blocks skipped")
    if checked == 0:
        print("error: no transcript found in docs/")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
