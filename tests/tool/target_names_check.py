#!/usr/bin/env python3
"""Fails when code outside the backends names a target: a target's or driver's name as
a string ("maia", "cpu", "maia-sim", "maia:..."), a backend's namespace (maia::, cpu::),
a backend's class (Maia..., Cpu...) or a backend's header. Comments are prose and may
mention targets; code must ask a target's description or the registries instead.

Usage: target_names_check.py <source root>
"""
import pathlib
import re
import sys

# Where the compile driver, the runtime core, the kernel library, the checkers and the
# tools live. A backend's folder (backends/<x>) and the host's runtime driver folder
# (lib/runtime/cpu) are its own.
SCOPE = ["lib", "tools", "include/tegula/compiler", "include/tegula/runtime", "include/tegula/kernels",
         "include/tegula/xcheck", "include/tegula/dsl", "include/tegula/conformance", "include/tegula/difftest"]
OWN = ["lib/runtime/cpu/", "include/tegula/runtime/cpu_abi.h"]
TARGETS = ["cpu", "host", "maia", "maia-sim"]
PATTERNS = [
    (re.compile(r'"(?:%s)(?:[:,][^"]*)?"' % "|".join(re.escape(t) for t in TARGETS)), "a target's name"),
    (re.compile(r"\b(?:maia|cpu)::"), "a backend's namespace"),
    (re.compile(r"\b(?:Maia|Cpu)[A-Z]\w*"), "a backend's class"),
    (re.compile(r'#include\s+"(?:backends/|tegula/maia/)'), "a backend's header"),
]


def strip_comments(text):
    """Removes // and /* */ comments, keeping string literals and line numbers."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"":
            # A string or character literal ('"', '\\'), kept whole: a quote inside
            # one never starts another.
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def main():
    root = pathlib.Path(sys.argv[1])
    found = 0
    for folder in SCOPE:
        for path in sorted((root / folder).rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.suffix not in (".h", ".cpp", ".in") or any(rel.startswith(o) for o in OWN):
                continue
            code = strip_comments(path.read_text())
            for number, line in enumerate(code.splitlines(), 1):
                for pattern, what in PATTERNS:
                    m = pattern.search(line)
                    if m:
                        print(f"{rel}:{number}: names {what}: {m.group(0)}")
                        found += 1
    print(f"target names outside the backends: {found}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
