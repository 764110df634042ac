#!/usr/bin/env python3
"""Times what the device machine offers for the device check's timed cases, and prints
one table beside Tegula's times (the runner's results file).

Baselines: PyTorch if it imports (torch.matmul, scaled_dot_product_attention, softmax,
rms_norm, layer_norm, add), else cuBLAS through ctypes if libcublas loads (matmul
only). Each is timed as the runner times Tegula: CUDA events around 10 calls queued back
to back, the median per call of `repeats` such runs after three warm-ups.

    baselines.py RESULTS [--repeats N]
"""
import ctypes
import ctypes.util
import glob
import os
import statistics
import sys

PER_RUN = 10  # calls queued between a pair of events, as the runner queues launches

def parse_results(path):
    rows = []
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 6:
                continue
            name, status, ms, flops, nbytes, baseline = fields
            rows.append(dict(name=name, status=status, ms=float(ms), flops=float(flops),
                             bytes=float(nbytes), baseline=baseline))
    return rows


class TorchBaselines:
    label = "torch"

    def __init__(self):
        import torch  # noqa: F401 (raises where it is missing)
        import torch.nn.functional as F
        if not torch.cuda.is_available():
            raise RuntimeError("torch sees no CUDA device")
        self.torch, self.F = torch, F
        self.label = "torch " + torch.__version__

    def dtype(self, name):
        t = self.torch
        return {"bf16": t.bfloat16, "f16": t.float16, "f32": t.float32, "tf32": t.float32}[name]

    def time(self, fn, repeats):
        t = self.torch
        for _ in range(3):
            fn()
        start, stop = t.cuda.Event(enable_timing=True), t.cuda.Event(enable_timing=True)
        times = []
        for _ in range(repeats):
            start.record()
            for _ in range(PER_RUN):
                fn()
            stop.record()
            stop.synchronize()
            times.append(start.elapsed_time(stop) / PER_RUN)
        return statistics.median(times)

    def run(self, spec, repeats):
        t, F = self.torch, self.F
        words = spec.split()
        op, dt = words[0], words[1]
        dtype = self.dtype(dt)
        dims = [int(w) for w in words[2:] if w.isdigit()]
        rand = lambda *shape: t.rand(*shape, device="cuda", dtype=dtype) * 2 - 1
        if op == "matmul":
            t.backends.cuda.matmul.allow_tf32 = dt == "tf32"
            M, N, K = dims
            a, b = rand(M, K), rand(K, N)
            return self.time(lambda: t.matmul(a, b), repeats), "matmul" + (" tf32" if dt == "tf32" else "")
        if op == "sdpa":
            B, H, Hkv, S, D = dims
            causal = "causal" in words
            q, k, v = rand(B, H, S, D), rand(B, Hkv, S, D), rand(B, Hkv, S, D)
            gqa = {"enable_gqa": True} if Hkv != H else {}
            return self.time(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=causal, **gqa),
                             repeats), "sdpa"
        if op == "softmax":
            M, N = dims
            x = rand(M, N)
            return self.time(lambda: t.softmax(x, dim=-1), repeats), "softmax"
        if op == "rms_norm":
            M, N = dims
            x, w = rand(M, N), rand(N)
            return self.time(lambda: F.rms_norm(x, (N,), w, 1e-6), repeats), "rms_norm"
        if op == "layer_norm":
            M, N = dims
            x, w, b = rand(M, N), rand(N), rand(N)
            return self.time(lambda: F.layer_norm(x, (N,), w, b, 1e-6), repeats), "layer_norm"
        if op == "add":
            (n,) = dims
            x, y, out = rand(n), rand(n), rand(n)
            return self.time(lambda: t.add(x, y, out=out), repeats), "add"
        return None, None


class CublasBaselines:
    """cuBLAS's GEMM through ctypes, for a machine whose Python has no torch."""

    CUDA_R_32F, CUDA_R_16F, CUDA_R_16BF = 0, 2, 14
    COMPUTE_32F, COMPUTE_32F_FAST_TF32 = 68, 77

    def __init__(self):
        self.cudart = self.load("cudart", ["libcudart.so*"])
        self.cublas = self.load("cublas", ["libcublas.so*"])
        self.handle = ctypes.c_void_p()
        self.check(self.cublas.cublasCreate_v2(ctypes.byref(self.handle)), "cublasCreate")
        self.label = "cuBLAS (ctypes)"

    @staticmethod
    def load(name, patterns):
        found = ctypes.util.find_library(name)
        candidates = [found] if found else []
        for root in ["/usr/local/cuda/lib64", "/usr/lib/x86_64-linux-gnu"] + sys.path:
            for pattern in patterns:
                for where in (pattern, os.path.join("nvidia", "*", "lib", pattern)):
                    candidates += sorted(glob.glob(os.path.join(root, where)))
        for c in candidates:
            try:
                return ctypes.CDLL(c)
            except OSError:
                continue
        raise RuntimeError("lib" + name + " does not load")

    @staticmethod
    def check(status, what):
        if status != 0:
            raise RuntimeError(f"{what} failed: {status}")

    def alloc(self, nbytes):
        p = ctypes.c_void_p()
        self.check(self.cudart.cudaMalloc(ctypes.byref(p), ctypes.c_size_t(nbytes)), "cudaMalloc")
        self.check(self.cudart.cudaMemset(p, 0x3c, ctypes.c_size_t(nbytes)), "cudaMemset")
        return p

    def run(self, spec, repeats):
        words = spec.split()
        if words[0] != "matmul":
            return None, None
        dt = words[1]
        M, N, K = (int(w) for w in words[2:5])
        data_type, size = {"bf16": (self.CUDA_R_16BF, 2), "f16": (self.CUDA_R_16F, 2),
                           "f32": (self.CUDA_R_32F, 4), "tf32": (self.CUDA_R_32F, 4)}[dt]
        compute = self.COMPUTE_32F_FAST_TF32 if dt == "tf32" else self.COMPUTE_32F
        a, b, c = self.alloc(M * K * size), self.alloc(K * N * size), self.alloc(M * N * 4)
        one, zero = ctypes.c_float(1.0), ctypes.c_float(0.0)

        def call():
            # Row-major C = A B is column-major C^T = B^T A^T.
            self.check(self.cublas.cublasGemmEx(
                self.handle, 0, 0, N, M, K, ctypes.byref(one), b, data_type, N, a, data_type, K,
                ctypes.byref(zero), c, self.CUDA_R_32F, N, compute, -1), "cublasGemmEx")

        start, stop = ctypes.c_void_p(), ctypes.c_void_p()
        self.check(self.cudart.cudaEventCreate(ctypes.byref(start)), "cudaEventCreate")
        self.check(self.cudart.cudaEventCreate(ctypes.byref(stop)), "cudaEventCreate")
        for _ in range(3):
            call()
        times = []
        for _ in range(repeats):
            self.cudart.cudaEventRecord(start, None)
            for _ in range(PER_RUN):
                call()
            self.cudart.cudaEventRecord(stop, None)
            self.check(self.cudart.cudaEventSynchronize(stop), "cudaEventSynchronize")
            ms = ctypes.c_float()
            self.cudart.cudaEventElapsedTime(ctypes.byref(ms), start, stop)
            times.append(ms.value / PER_RUN)
        for p in (a, b, c):
            self.cudart.cudaFree(p)
        return statistics.median(times), "cublasGemmEx" + (" tf32" if dt == "tf32" else "")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 10
    rows = parse_results(sys.argv[1])
    baselines, why = None, []
    for kind in (TorchBaselines, CublasBaselines):
        try:
            baselines = kind()
            break
        except Exception as e:  # the next kind, or none
            why.append(f"{kind.__name__}: {e}")
    print(f"baselines: {baselines.label if baselines else 'none (' + '; '.join(why) + ')'}")
    print(f"{'case':<40} {'tegula ms':>10} {'rate':>11} {'baseline':<14} {'base ms':>9} {'base rate':>11} "
          f"{'tegula/base':>11}")
    for r in rows:
        if r["ms"] <= 0:
            continue
        rate = lambda ms: (f"{r['flops'] / (ms * 1e9):.1f} TF/s" if r["flops"] > 0
                           else f"{r['bytes'] / (ms * 1e6):.0f} GB/s")
        base_ms, what = (None, None)
        if baselines and r["baseline"]:
            try:
                base_ms, what = baselines.run(r["baseline"], repeats)
            except Exception as e:
                what = f"error: {e}"[:60]
        tegula = f"{r['ms']:.4f}" + ("" if r["status"] == "pass" else " (FAILED)")
        if base_ms:
            print(f"{r['name']:<40} {tegula:>10} {rate(r['ms']):>11} {what:<14} {base_ms:>9.4f} "
                  f"{rate(base_ms):>11} {base_ms / r['ms']:>10.2f}x")
        else:
            print(f"{r['name']:<40} {tegula:>10} {rate(r['ms']):>11} {what or '-':<14}")
    print("tegula/base: the baseline's time over Tegula's (above 1: Tegula is faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
