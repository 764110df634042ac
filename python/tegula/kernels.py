"""The library kernels. Each takes its inputs as arrays (see tegula.as_buffer), works out
the sizes from their shapes, and returns its output: a new NumPy array, or ``out``."""
import math

import numpy as np

from . import _tegula
from .arrays import _error, as_buffer, numpy_dtype


def _target(target):
    return target if target is not None else _tegula.host_target()


def _shape(buffer, ndim, kernel, name):
    if len(buffer.shape) != ndim:
        raise _error("invalid argument", f"{kernel}: {name} has {len(buffer.shape)} dimensions, expected {ndim}")
    return buffer.shape


def _output(out, shape, dtype, kernel, name):
    """(what to return, its buffer): `out` as given, or a new NumPy array."""
    if out is None:
        out = np.empty(shape, dtype=numpy_dtype(dtype))
    buffer = as_buffer(out, f"{kernel}: {name}", writable=True)
    if tuple(buffer.shape) != tuple(shape):
        raise _error("invalid argument", f"{kernel}: {name} has shape {tuple(buffer.shape)}, expected {tuple(shape)}")
    return out, buffer


def vector_add(x, y, out=None, target=None):
    """out = x + y (1-D, same dtype)."""
    xb, yb = as_buffer(x, "vector_add: x"), as_buffer(y, "vector_add: y")
    (n,) = _shape(xb, 1, "vector_add", "x")
    out, ob = _output(out, (n,), xb.dtype, "vector_add", "out")
    _tegula.vector_add(_target(target), xb, yb, ob, n)
    return out


def softmax(x, out=None, target=None):
    """Row softmax of x[M, N]; the output has x's dtype."""
    xb = as_buffer(x, "softmax: x")
    M, N = _shape(xb, 2, "softmax", "x")
    out, ob = _output(out, (M, N), xb.dtype, "softmax", "y")
    _tegula.softmax(_target(target), xb, ob, M, N)
    return out


def gemm(a, b, bias=None, activation="none", allow_tf32=False, out=None, target=None):
    """C[M, N] (f32) = activation(A[M, K] B[K, N] + bias[N]); activation is none, relu,
    gelu or silu."""
    ab, bb = as_buffer(a, "gemm: a"), as_buffer(b, "gemm: b")
    M, K = _shape(ab, 2, "gemm", "a")
    K2, N = _shape(bb, 2, "gemm", "b")
    if K2 != K:
        raise _error("invalid argument", f"gemm: a is {M}x{K} but b is {K2}x{N}")
    biasb = as_buffer(bias, "gemm: bias") if bias is not None else None
    out, cb = _output(out, (M, N), "f32", "gemm", "c")
    _tegula.gemm(_target(target), ab, bb, biasb, cb, M, N, K, activation, allow_tf32)
    return out


def rms_norm(x, weight, eps=1e-6, out=None, target=None):
    """y = x / sqrt(mean(x^2) + eps) * weight, per row of x[M, N]."""
    xb, wb = as_buffer(x, "rms_norm: x"), as_buffer(weight, "rms_norm: w")
    M, N = _shape(xb, 2, "rms_norm", "x")
    out, yb = _output(out, (M, N), xb.dtype, "rms_norm", "y")
    _tegula.rms_norm(_target(target), xb, wb, yb, M, N, eps)
    return out


def layer_norm(x, weight, bias, eps=1e-5, out=None, target=None):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, per row of x[M, N]."""
    xb, wb, bb = as_buffer(x, "layer_norm: x"), as_buffer(weight, "layer_norm: w"), as_buffer(bias, "layer_norm: b")
    M, N = _shape(xb, 2, "layer_norm", "x")
    out, yb = _output(out, (M, N), xb.dtype, "layer_norm", "y")
    _tegula.layer_norm(_target(target), xb, wb, bb, yb, M, N, eps)
    return out


def attention(q, k, v, causal=False, scale=None, return_lse=False, out=None, target=None):
    """softmax(scale q k^T) v with q [batch, Sq, Hq, D] and k, v [batch, Skv, Hkv, D]
    (Hq a multiple of Hkv: grouped-query). With return_lse, also the log-sum-exp
    (f32 [Hq, batch * Sq])."""
    qb, kb, vb = as_buffer(q, "attention: q"), as_buffer(k, "attention: k"), as_buffer(v, "attention: v")
    B, Sq, Hq, D = _shape(qb, 4, "attention", "q")
    Bk, Skv, Hkv, Dk = _shape(kb, 4, "attention", "k")
    if Bk != B or Dk != D:
        raise _error("invalid argument", f"attention: q is {tuple(qb.shape)} but k is {tuple(kb.shape)}")
    scale = 1.0 / math.sqrt(D) if scale is None else float(scale)
    out, ob = _output(out, (B, Sq, Hq, D), qb.dtype, "attention", "out")
    lse = np.empty((Hq, B * Sq), dtype=np.float32) if return_lse else None
    lseb = as_buffer(lse, "attention: lse", writable=True) if return_lse else None
    _tegula.attention(_target(target), qb, kb, vb, ob, lseb, B, Sq, Skv, Hq, Hkv, D, scale, causal)
    return (out, lse) if return_lse else out


def attention_varlen(q, k, v, cu_seqlens_q, cu_seqlens_k, causal=False, scale=None, return_lse=False, out=None,
                     target=None):
    """Variable-length attention: q [total_q, Hq, D], k and v [total_k, Hkv, D], the
    sequences delimited by cu_seqlens_q and cu_seqlens_k (i32 [batch + 1], from 0)."""
    qb, kb, vb = as_buffer(q, "attention: q"), as_buffer(k, "attention: k"), as_buffer(v, "attention: v")
    cqb, ckb = as_buffer(cu_seqlens_q, "attention: cu_seqlens_q"), as_buffer(cu_seqlens_k, "attention: cu_seqlens_k")
    total_q, Hq, D = _shape(qb, 3, "attention", "q")
    total_k, Hkv, Dk = _shape(kb, 3, "attention", "k")
    (offsets,) = _shape(cqb, 1, "attention", "cu_seqlens_q")
    if Dk != D:
        raise _error("invalid argument", f"attention: q is {tuple(qb.shape)} but k is {tuple(kb.shape)}")
    if offsets < 1:
        raise _error("invalid argument", "attention: cu_seqlens_q needs batch + 1 >= 1 entries")
    scale = 1.0 / math.sqrt(D) if scale is None else float(scale)
    out, ob = _output(out, (total_q, Hq, D), qb.dtype, "attention", "out")
    lse = np.empty((Hq, total_q), dtype=np.float32) if return_lse else None
    lseb = as_buffer(lse, "attention: lse", writable=True) if return_lse else None
    _tegula.attention_varlen(_target(target), qb, kb, vb, cqb, ckb, ob, lseb, offsets - 1, Hq, Hkv, total_q, total_k,
                             D, scale, causal)
    return (out, lse) if return_lse else out


def _lora(a, b, ranks, scales, adapters, segment_starts, kernel):
    """The adapters' buffers and sizes, and the mapping: segmented when segment_starts
    is given (adapters per segment), else gathered (an adapter per token; -1: none)."""
    ab, bb = as_buffer(a, f"{kernel}: a"), as_buffer(b, f"{kernel}: b")
    slots, max_rank, hidden = _shape(ab, 3, kernel, "a")
    _, hidden_out, _ = _shape(bb, 3, kernel, "b")
    rb, sb = as_buffer(ranks, f"{kernel}: ranks"), as_buffer(scales, f"{kernel}: scales")
    adb = as_buffer(adapters, f"{kernel}: adapters")
    startsb = as_buffer(segment_starts, f"{kernel}: segment_starts") if segment_starts is not None else None
    segments = adb.shape[0] if startsb is not None else 0
    return dict(a=ab, b=bb, ranks=rb, scales=sb, slots=slots, max_rank=max_rank, segment_starts=startsb,
                adapters=adb, segments=segments), hidden, hidden_out


def lora_shrink(x, a, b, ranks, scales, adapters, segment_starts=None, out=None, target=None):
    """t[T, max_rank] (f32) = x[T, H] A_i^T for each token's adapter i. a is
    [slots, max_rank, H], b [slots, H_out, max_rank], ranks i32 [slots], scales f32 [slots]."""
    xb = as_buffer(x, "lora_shrink: x")
    tokens, _ = _shape(xb, 2, "lora_shrink", "x")
    lora, hidden, hidden_out = _lora(a, b, ranks, scales, adapters, segment_starts, "lora_shrink")
    out, tb = _output(out, (tokens, lora["max_rank"]), "f32", "lora_shrink", "t")
    _tegula.lora_shrink(_target(target), xb, t=tb, tokens=tokens, hidden=hidden, hidden_out=hidden_out, **lora)
    return out


def lora_expand(t, a, b, ranks, scales, adapters, y, segment_starts=None, target=None):
    """y[T, H_out] += scale_i * t[T, max_rank] B_i^T, in place; returns y."""
    tb = as_buffer(t, "lora_expand: t")
    yb = as_buffer(y, "lora_expand: y", writable=True)
    tokens, _ = _shape(yb, 2, "lora_expand", "y")
    lora, hidden, hidden_out = _lora(a, b, ranks, scales, adapters, segment_starts, "lora_expand")
    _tegula.lora_expand(_target(target), tb, y=yb, tokens=tokens, hidden=hidden, hidden_out=hidden_out, **lora)
    return y


def lora_linear(x, w, a, b, ranks, scales, adapters, segment_starts, out=None, target=None):
    """y[T, N] = x[T, K] W[K, N] + scale_i * (x A_i^T) B_i^T, segmented form."""
    xb, wb = as_buffer(x, "lora_linear: x"), as_buffer(w, "lora_linear: w")
    tokens, K = _shape(xb, 2, "lora_linear", "x")
    _, N = _shape(wb, 2, "lora_linear", "w")
    lora, _, _ = _lora(a, b, ranks, scales, adapters, segment_starts, "lora_linear")
    out, yb = _output(out, (tokens, N), xb.dtype, "lora_linear", "y")
    t = np.empty((tokens, lora["max_rank"]), dtype=np.float32)
    _tegula.lora_linear(_target(target), xb, wb, t=as_buffer(t, writable=True), y=yb, tokens=tokens, K=K, N=N, **lora)
    return out
