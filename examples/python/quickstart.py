"""Tegula from Python: a GEMM with an epilogue on every target that runs here, the PTX of
the same kernel, and xcheck; each result checked against NumPy in fp64.
python/tests runs this file."""
import math

import ml_dtypes
import numpy as np

import tegula

rng = np.random.default_rng(2026)
a = rng.standard_normal((67, 83)).astype(ml_dtypes.bfloat16)
b = rng.standard_normal((83, 45)).astype(ml_dtypes.bfloat16)
bias = rng.standard_normal(45).astype(np.float32)

z = a.astype(np.float64) @ b.astype(np.float64) + bias
reference = z / 2 * (1 + np.vectorize(math.erf)(z / math.sqrt(2)))  # GELU, exact form
for target in tegula.targets():
    if target["executes"] and not target["emulated"]:
        c = tegula.gemm(a, b, bias=bias, activation="gelu", target=target["name"])
        error = np.abs(c - reference).max()
        print(f"gemm + bias + gelu on {target['name']}: largest error {error:.2e}")
        assert error < 1e-3

for target in tegula.targets():
    if "ptx" in target["emit_kinds"]:
        ptx = tegula.emit("gemm", target["name"], "ptx", dtype="bf16", sizes=[4096, 4096, 4096])
        print(f"{target['name']}: {ptx.count('mma.sync')} mma.sync in {len(ptx.splitlines())} lines of PTX")

records = tegula.xcheck("softmax", [tegula.host_target()], dtype="f32")
print(", ".join(f"softmax {r['shape']} {r['status']}" for r in records))
assert all(r["status"] == "PASS" for r in records)
