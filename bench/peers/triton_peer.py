"""Compile one Triton kernel for sm_80 with no GPU, from a cold cache, and print what its
code takes: compile time (import included: a fresh process's whole cost), shared
memory, and the mma.sync, ldmatrix and cp.async in its PTX. The PTX goes to argv[2]
with its ISA version lowered to 9.0 (what CUDA 13.0's ptxas reads), so that the caller's
ptxas reports registers and spills.

  triton_peer.py gemm|gemm_aligned|attention|attention_aligned OUT.ptx

gemm: the plain masked GEMM, 128 x 128 x 64 blocks of bf16, f32 accumulation, 8 warps,
3 stages, strides as runtime arguments (no divisibility hints, as Tegula's GEMM for a K
or N that is no multiple of 8). gemm_aligned: the same with the pointers, N, K and the
row strides known divisible by 16.
attention: the forward pass with the online softmax, head dimension 128, 128 queries by
64 keys, bf16, 8 warps, 3 stages, masked on the sequence lengths. attention_aligned:
the same with the pointers and the row stride known divisible by 16 (Tegula's
AttentionConfig::aligned, which its GPU configuration sets)."""
import os
import re
import sys
import tempfile
import time

os.environ["TRITON_CACHE_DIR"] = tempfile.mkdtemp(prefix="triton-cache-")
os.environ.setdefault("TRITON_DEFAULT_FP_FUSION", "1")  # Triton 3.9's default, stated
started = time.perf_counter()
import triton  # noqa: E402
import triton.language as tl  # noqa: E402
from triton.backends.compiler import GPUTarget  # noqa: E402
from triton.compiler import ASTSource  # noqa: E402


@triton.jit
def gemm(a, b, c, M, N, K, a_row, b_row, c_row, BM: tl.constexpr, BN: tl.constexpr, BK: tl.constexpr):
    rows = tl.program_id(0) * BM + tl.arange(0, BM)
    cols = tl.program_id(1) * BN + tl.arange(0, BN)
    ks = tl.arange(0, BK)
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k in range(0, K, BK):
        a_mask = (rows[:, None] < M) & ((k + ks)[None, :] < K)
        b_mask = ((k + ks)[:, None] < K) & (cols[None, :] < N)
        x = tl.load(a + rows[:, None] * a_row + (k + ks)[None, :], mask=a_mask, other=0.0)
        y = tl.load(b + (k + ks)[:, None] * b_row + cols[None, :], mask=b_mask, other=0.0)
        acc += tl.dot(x, y)
    tl.store(c + rows[:, None] * c_row + cols[None, :], acc, mask=(rows[:, None] < M) & (cols[None, :] < N))


@triton.jit
def attention(q, k, v, out, seq_q, seq_k, row, scale, D: tl.constexpr, BM: tl.constexpr, BN: tl.constexpr):
    queries = tl.program_id(0) * BM + tl.arange(0, BM)
    dims = tl.arange(0, D)
    keys = tl.arange(0, BN)
    qt = tl.load(q + queries[:, None] * row + dims[None, :], mask=queries[:, None] < seq_q, other=0.0)
    m = tl.full((BM,), float("-inf"), tl.float32)
    l = tl.zeros((BM,), tl.float32)
    acc = tl.zeros((BM, D), tl.float32)
    for start in range(0, seq_k, BN):
        ks = start + keys
        kt = tl.load(k + ks[None, :] * row + dims[:, None], mask=ks[None, :] < seq_k, other=0.0)
        s = tl.dot(qt, kt) * scale
        s = tl.where(ks[None, :] < seq_k, s, float("-inf"))
        m_new = tl.maximum(m, tl.max(s, 1))
        p = tl.exp(s - m_new[:, None])
        alpha = tl.exp(m - m_new)
        l = l * alpha + tl.sum(p, 1)
        vt = tl.load(v + ks[:, None] * row + dims[None, :], mask=ks[:, None] < seq_k, other=0.0)
        acc = tl.dot(p.to(tl.bfloat16), vt, acc * alpha[:, None])
        m = m_new
    tl.store(out + queries[:, None] * row + dims[None, :], acc / l[:, None], mask=queries[:, None] < seq_q)


kernel = sys.argv[1]
if kernel in ("gemm", "gemm_aligned"):
    signature = {"a": "*bf16", "b": "*bf16", "c": "*fp32", "M": "i32", "N": "i32", "K": "i32",
                 "a_row": "i32", "b_row": "i32", "c_row": "i32"}
    # gemm_aligned: what Triton's launcher specializes on when the pointers are 16-byte
    # aligned and N, K and the row strides multiples of 16 (Tegula's kn_multiple).
    hints = {(i,): [["tt.divisibility", 16]] for i in (0, 1, 2, 4, 5, 6, 7, 8)} if kernel == "gemm_aligned" else None
    source = ASTSource(gemm, signature, constexprs={"BM": 128, "BN": 128, "BK": 64}, attrs=hints)
else:
    signature = {"q": "*bf16", "k": "*bf16", "v": "*bf16", "out": "*bf16", "seq_q": "i32", "seq_k": "i32",
                 "row": "i32", "scale": "fp32"}
    hints = {(i,): [["tt.divisibility", 16]] for i in (0, 1, 2, 3, 6)} if kernel == "attention_aligned" else None
    source = ASTSource(attention, signature, constexprs={"D": 128, "BM": 128, "BN": 64}, attrs=hints)
compiled = triton.compile(source, target=GPUTarget("cuda", 80, 32), options={"num_warps": 8, "num_stages": 3})
elapsed = time.perf_counter() - started
ptx = compiled.asm["ptx"]
print(f"compile_s {elapsed:.3f}")
print(f"shared_bytes {compiled.metadata.shared}")
for name, pattern in [("mma", r"mma\.sync"), ("ldmatrix", r"ldmatrix"), ("cp_async", r"cp\.async\.c[ag]")]:
    print(f"{name} {len(re.findall(pattern, ptx))}")
with open(sys.argv[2], "w") as out:
    out.write(re.sub(r"^\.version \d+\.\d+", ".version 9.0", ptx, flags=re.M))
