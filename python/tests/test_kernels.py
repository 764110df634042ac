"""Each library kernel from Python against a NumPy fp64 reference, on random inputs whose
sizes are not multiples of the kernels' blocks."""
import math

import numpy as np
import pytest

import tegula
from conftest import BF16, DTYPES, UNIT, check_close, poisoned

# The targets that run kernels here at the host's pace or a simulator's (not an emulator
# of every GPU thread, which is for small problems).
EXECUTING = [t["name"] for t in tegula.targets() if t["executes"] and not t["emulated"]]


def draw(rng, shape, dtype, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(DTYPES[dtype])


def f64(x):
    return np.asarray(x).astype(np.float64)


@pytest.mark.parametrize("dtype", ["f32", "f16", "bf16"])
def test_vector_add(rng, dtype):
    n = 4099
    x, y = draw(rng, n, dtype), draw(rng, n, dtype)
    out = tegula.vector_add(x, y, out=poisoned(n, DTYPES[dtype]))
    ref = f64(x) + f64(y)
    check_close(out, ref, UNIT[dtype] * np.abs(ref), "vector_add")


@pytest.mark.parametrize("dtype", ["f32", "bf16"])
def test_softmax(rng, dtype):
    M, N = 37, 1001
    x = draw(rng, (M, N), dtype, 3.0)
    y = tegula.softmax(x, out=poisoned((M, N), DTYPES[dtype]))
    e = np.exp(f64(x) - f64(x).max(axis=1, keepdims=True))
    ref = e / e.sum(axis=1, keepdims=True)
    # f32 inside: exp and a sum of N terms; then one rounding to the output.
    check_close(y, ref, (UNIT[dtype] + 4 * N * UNIT["f32"]) * ref + 1e-30, "softmax")


@pytest.mark.parametrize("target", EXECUTING)
@pytest.mark.parametrize("activation", ["none", "relu", "gelu", "silu"])
def test_gemm_epilogues(rng, target, activation):
    M, N, K = 67, 45, 83
    a, b = draw(rng, (M, K), "bf16"), draw(rng, (K, N), "bf16")
    bias = rng.standard_normal(N).astype(np.float32)
    c = tegula.gemm(a, b, bias=bias, activation=activation, out=poisoned((M, N), np.float32), target=target)
    z = f64(a) @ f64(b) + f64(bias)
    ref = {"none": z, "relu": np.maximum(z, 0), "gelu": z / 2 * (1 + np.vectorize(math.erf)(z / math.sqrt(2))),
           "silu": z / (1 + np.exp(-z))}[activation]
    # bf16 products are exact in f32; the K-term f32 sum, and the activation's few ulps.
    bound = (K + 2) * UNIT["f32"] * (np.abs(f64(a)) @ np.abs(f64(b)) + np.abs(f64(bias))) + 8 * UNIT["f32"] * np.abs(ref)
    check_close(c, ref, bound + 1e-6, f"gemm {activation} on {target}")


def test_gemm_f32_and_tf32(rng):
    M, N, K = 70, 33, 129
    a, b = draw(rng, (M, K), "f32"), draw(rng, (K, N), "f32")
    scale = np.abs(f64(a)) @ np.abs(f64(b))
    check_close(tegula.gemm(a, b), f64(a) @ f64(b), (K + 2) * UNIT["f32"] * scale, "gemm f32")
    # tf32 may round each input to 10 mantissa bits (on targets that use it).
    check_close(tegula.gemm(a, b, allow_tf32=True), f64(a) @ f64(b), (2 * 2.0**-11 + K * UNIT["f32"]) * scale,
                "gemm tf32")


@pytest.mark.parametrize("dtype", ["f32", "bf16"])
def test_rms_norm(rng, dtype):
    M, N, eps = 29, 777, 1e-6
    x, w = draw(rng, (M, N), dtype), draw(rng, N, dtype)
    y = tegula.rms_norm(x, w, eps=eps, out=poisoned((M, N), DTYPES[dtype]))
    ref = f64(x) / np.sqrt((f64(x) ** 2).mean(axis=1, keepdims=True) + eps) * f64(w)
    check_close(y, ref, (UNIT[dtype] + (N + 8) * UNIT["f32"]) * np.abs(ref) * 2 + 1e-6, "rms_norm")


def test_rms_norm_eps_is_part_of_the_kernel(rng):
    # eps is compiled in: two values that print alike at 6 decimals are two kernels.
    M, N = 3, 40
    x, w = rng.standard_normal((M, N)).astype(np.float32) * 1e-4, np.ones(N, np.float32)
    for eps in (1e-7, 1e-8):
        y = tegula.rms_norm(x, w, eps=eps)
        ref = f64(x) / np.sqrt((f64(x) ** 2).mean(axis=1, keepdims=True) + eps)
        check_close(y, ref, 1e-5 * np.abs(ref), f"rms_norm eps={eps}")


@pytest.mark.parametrize("dtype", ["f32", "bf16"])
def test_layer_norm(rng, dtype):
    M, N, eps = 31, 513, 1e-5
    x, w, b = draw(rng, (M, N), dtype), draw(rng, N, dtype), draw(rng, N, dtype)
    y = tegula.layer_norm(x, w, b, eps=eps, out=poisoned((M, N), DTYPES[dtype]))
    xm = f64(x) - f64(x).mean(axis=1, keepdims=True)
    normed = xm / np.sqrt((xm**2).mean(axis=1, keepdims=True) + eps)
    ref = normed * f64(w) + f64(b)
    bound = (UNIT[dtype] * np.abs(ref) + (N + 8) * UNIT["f32"] * (np.abs(normed * f64(w)) + 1)) * 2 + 1e-6
    check_close(y, ref, bound, "layer_norm")


def attention_reference(q, k, v, causal, scale):
    """q [B, Sq, Hq, D], k and v [B, Skv, Hkv, D]; bottom-right aligned causal mask."""
    B, Sq, Hq, D = q.shape
    Skv, Hkv = k.shape[1], k.shape[2]
    out = np.zeros(q.shape)
    lse = np.zeros((Hq, B * Sq))
    for b in range(B):
        for h in range(Hq):
            s = f64(q[b, :, h]) @ f64(k[b, :, h * Hkv // Hq]).T * scale
            if causal:
                s = np.where(np.arange(Skv)[None, :] <= np.arange(Sq)[:, None] + Skv - Sq, s, -np.inf)
            m = s.max(axis=1, keepdims=True)
            p = np.exp(s - m)
            out[b, :, h] = p @ f64(v[b, :, h * Hkv // Hq]) / p.sum(axis=1, keepdims=True)
            lse[h, b * Sq:(b + 1) * Sq] = (m + np.log(p.sum(axis=1, keepdims=True)))[:, 0]
    return out, lse


@pytest.mark.parametrize("dtype", ["f32", "bf16"])
@pytest.mark.parametrize("causal", [False, True])
def test_attention(rng, dtype, causal):
    B, Sq, Skv, Hq, Hkv, D = 2, 70, 77, 4, 2, 64
    q, k, v = draw(rng, (B, Sq, Hq, D), dtype), draw(rng, (B, Skv, Hkv, D), dtype), draw(rng, (B, Skv, Hkv, D), dtype)
    out, lse = tegula.attention(q, k, v, causal=causal, return_lse=True, out=poisoned((B, Sq, Hq, D), DTYPES[dtype]))
    ref, ref_lse = attention_reference(q, k, v, causal, 1 / math.sqrt(D))
    # Probabilities in f32 (16-bit on the matrix unit for bf16) and a sum over the keys.
    u = UNIT[dtype] if dtype != "f32" else UNIT["f32"] * 16
    check_close(out, ref, 4 * u * (np.abs(ref) + np.abs(f64(v)).max()) + 1e-5, f"attention {dtype}")
    check_close(lse, ref_lse, 4 * u * (np.abs(ref_lse) + 1) * 8 + 1e-5, f"attention lse {dtype}")


def test_attention_varlen(rng):
    lengths_q, lengths_k = [5, 0, 67, 130], [9, 3, 67, 141]
    Hq, Hkv, D = 4, 1, 64
    cu_q = np.concatenate([[0], np.cumsum(lengths_q)]).astype(np.int32)
    cu_k = np.concatenate([[0], np.cumsum(lengths_k)]).astype(np.int32)
    q = draw(rng, (cu_q[-1], Hq, D), "f32")
    k, v = draw(rng, (cu_k[-1], Hkv, D), "f32"), draw(rng, (cu_k[-1], Hkv, D), "f32")
    out = tegula.attention_varlen(q, k, v, cu_q, cu_k, causal=True, out=poisoned(q.shape, np.float32))
    for i in range(len(lengths_q)):
        if lengths_q[i] == 0:
            continue
        qs, ks = slice(cu_q[i], cu_q[i + 1]), slice(cu_k[i], cu_k[i + 1])
        ref, _ = attention_reference(q[None, qs], k[None, ks], v[None, ks], True, 1 / math.sqrt(D))
        check_close(out[qs], ref[0], 64 * UNIT["f32"] * (np.abs(ref[0]) + 4) + 1e-5, f"attention_varlen sequence {i}")


def lora_problem(rng, dtype, tokens=53, hidden=200, hidden_out=150, slots=5, max_rank=16):
    a = draw(rng, (slots, max_rank, hidden), dtype, 0.1)
    b = draw(rng, (slots, hidden_out, max_rank), dtype, 0.1)
    ranks = rng.integers(1, max_rank + 1, slots).astype(np.int32)
    scales = rng.uniform(0.5, 2.0, slots).astype(np.float32)
    starts = np.array([0, 7, 20, 21, 40, tokens], dtype=np.int32)
    seg_adapters = np.array([2, -1, 0, 4, 1], dtype=np.int32)
    token_adapters = np.repeat(seg_adapters, np.diff(starts)).astype(np.int32)
    return a, b, ranks, scales, starts, seg_adapters, token_adapters


def lora_shrink_reference(x, a, ranks, token_adapters, max_rank):
    t = np.zeros((x.shape[0], max_rank))
    for i, s in enumerate(token_adapters):
        if s >= 0:
            t[i, :ranks[s]] = f64(a[s, :ranks[s]]) @ f64(x[i])
    return t


@pytest.mark.parametrize("form", ["segmented", "gathered"])
@pytest.mark.parametrize("dtype", ["f32", "bf16"])
def test_lora_shrink_expand(rng, form, dtype):
    a, b, ranks, scales, starts, seg_adapters, token_adapters = lora_problem(rng, dtype)
    tokens, hidden, hidden_out, max_rank = 53, a.shape[2], b.shape[1], a.shape[1]
    x = draw(rng, (tokens, hidden), dtype)
    mapping = dict(adapters=seg_adapters, segment_starts=starts) if form == "segmented" else dict(adapters=token_adapters)
    t = tegula.lora_shrink(x, a, b, ranks, scales, out=poisoned((tokens, max_rank), np.float32), **mapping)
    ref_t = lora_shrink_reference(x, a, ranks, token_adapters, max_rank)
    magnitude = np.zeros_like(ref_t)
    for i, s in enumerate(token_adapters):
        if s >= 0:
            magnitude[i] = np.abs(f64(a[s])) @ np.abs(f64(x[i]))
    check_close(t, ref_t, (hidden + 2) * UNIT["f32"] * magnitude + 1e-30, f"lora_shrink {form}")

    y0 = draw(rng, (tokens, hidden_out), dtype)
    y = tegula.lora_expand(t, a, b, ranks, scales, y=y0.copy(), **mapping)
    ref_y = f64(y0).copy()
    magnitude = np.zeros_like(ref_y)
    for i, s in enumerate(token_adapters):
        if s >= 0:
            ref_y[i] += scales[s] * (f64(b[s, :, :ranks[s]]) @ f64(t[i, :ranks[s]]))
            magnitude[i] = scales[s] * (np.abs(f64(b[s, :, :ranks[s]])) @ np.abs(f64(t[i, :ranks[s]])))
    # The segmented form rounds scale * t to the adapters' dtype before the product.
    # Rows of tokens without an adapter are not written: they stay exactly as they were.
    has_adapter = (token_adapters >= 0)[:, None]
    check_close(y, ref_y, has_adapter * (UNIT[dtype] * np.abs(ref_y) +
                2 * (UNIT[dtype] + (max_rank + 4) * UNIT["f32"]) * (magnitude + np.abs(f64(y0)))),
                f"lora_expand {form}")


def test_lora_linear(rng):
    a, b, ranks, scales, starts, seg_adapters, token_adapters = lora_problem(rng, "f32", hidden=96, hidden_out=70)
    tokens, K, N = 53, 96, 70
    x, w = draw(rng, (tokens, K), "f32"), draw(rng, (K, N), "f32")
    y = tegula.lora_linear(x, w, a, b, ranks, scales, seg_adapters, starts, out=poisoned((tokens, N), np.float32))
    ref = f64(x) @ f64(w)
    t = lora_shrink_reference(x, a, ranks, token_adapters, a.shape[1])
    for i, s in enumerate(token_adapters):
        if s >= 0:
            ref[i] += scales[s] * (f64(b[s, :, :ranks[s]]) @ t[i, :ranks[s]])
    check_close(y, ref, (K + 40) * UNIT["f32"] * (np.abs(f64(x)) @ np.abs(f64(w)) + 1) + 1e-5, "lora_linear")
