#!/usr/bin/python3
"""Writes, or checks, the list of the Maia lowering's refusals in docs/maia.md from the
conformance suite's REFUSED set for maia (tests/conformance/refused/maia.txt).

Each refusal there is 'case dtype shape  # reason', the reason being the lowering's
message: '<construct>: not lowered to Maia yet: <why>' or '<construct>: beyond the
Maia machine: <why>'. Refusals that differ only in the dtype of the construct are one
row, with their dtypes; rows are ordered by how many runs they refuse.

  --check          fail when docs/maia.md's list differs from the one the set gives
  --write          rewrite the list in docs/maia.md
  --expect-stale   check against the set with one refusal added: succeeds only
                   when the check then fails (the check can fail)
"""
import argparse
import collections
import os
import re
import sys

BEGIN = "<!-- maia-refusals: begin (tests/tool/maia_refusals_doc.py writes this list) -->"
END = "<!-- maia-refusals: end -->"
DTYPE = re.compile(r"\b(f16|bf16|f32|f64|i1|i8|i32|i64|bool)\b")


def read_refusals(path):
    """[(case, dtype, reason)]"""
    out = []
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        key, _, reason = line.partition("#")
        case, dtype, _shape = key.split()
        out.append((case, dtype, reason.strip()))
    return out


def generate(refusals):
    groups = collections.OrderedDict()
    for case, dtype, reason in refusals:
        construct, _, rest = reason.partition(": ")
        dtypes = DTYPE.findall(construct)
        pattern = DTYPE.sub("T", construct) + ": " + rest
        g = groups.setdefault(pattern, {"runs": 0, "dtypes": set(), "cases": []})
        g["runs"] += 1
        g["dtypes"].update(dtypes)
        if case not in g["cases"]:
            g["cases"].append(case)
    rows = sorted(groups.items(), key=lambda kv: (-kv[1]["runs"], kv[0]))
    limits = sum(g["runs"] for p, g in rows if ": beyond the Maia machine: " in p)
    if not refusals:
        return "\n".join([BEGIN, "", "No run of the conformance suite is refused on maia.", "", END])
    lines = [
        BEGIN,
        "",
        f"{len(refusals)} runs of the conformance suite are refused on maia, in {len(rows)} kinds; "
        f"{limits} of them for a machine limit, the others for a lowering not written yet. "
        "T stands for the dtypes listed.",
        "",
        "| runs | refusal | dtypes | cases (first of them) |",
        "|---:|---|---|---|",
    ]
    order = ["bool", "i1", "i8", "i32", "i64", "f16", "bf16", "f32", "f64"]
    for pattern, g in rows:
        dtypes = ", ".join(sorted(g["dtypes"], key=order.index)) or "-"
        cases = ", ".join(f"`{c}`" for c in g["cases"][:4]) + (f" and {len(g['cases']) - 4} more" if len(g["cases"]) > 4 else "")
        text = pattern.replace("|", "\\|")
        lines.append(f"| {g['runs']} | {text} | {dtypes} | {cases} |")
    lines += ["", END]
    return "\n".join(lines)


def current(doc):
    start, end = doc.find(BEGIN), doc.find(END)
    if start < 0 or end < start:
        return None
    return doc[start:end + len(END)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", required=True)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--expect-stale", action="store_true")
    args = ap.parse_args()
    doc_path = os.path.join(args.source, "docs", "maia.md")
    refusals = read_refusals(os.path.join(args.source, "tests", "conformance", "refused", "maia.txt"))
    doc = open(doc_path).read()
    have = current(doc)
    if have is None:
        print(f"error: {doc_path} has no list between '{BEGIN}' and '{END}'")
        return 1
    if args.write:
        open(doc_path, "w").write(doc.replace(have, generate(refusals)))
        return 0
    if args.expect_stale:
        # One refusal more than the set holds (the set may be empty) must not match.
        extra = ("math.exp", "f32", "`exp` of f32 tiles: not lowered to Maia yet: planted by the check")
        if generate(refusals + [extra]) == have:
            print("error: the check passed with a refusal added to the set: it cannot fail")
            return 1
        print("the check fails when the set and the list differ, as it should")
        return 0
    if generate(refusals) != have:
        print(f"error: the refusal list in {doc_path} is not the one tests/conformance/refused/maia.txt gives; "
              "run tests/tool/maia_refusals_doc.py --source . --write")
        return 1
    print(f"maia refusals: {len(refusals)} runs listed in docs/maia.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
