"""Tegula from Python: every library kernel on any target this build compiles for and
runs, compile-and-emit per target, and xcheck.

Arrays are NumPy arrays (bf16 through ml_dtypes), tegula.Buffer objects, or any object
that exports DLPack (torch tensors, ...): inputs are used in place, without a copy.
Outputs are NumPy arrays unless ``out=`` names where to write. ``tegula.Buffer`` exports
DLPack, so ``numpy.from_dlpack`` and ``torch.from_dlpack`` read it without a copy.
Errors raise ``tegula.Error`` (a RuntimeError) with Tegula's message; its ``code``
says what kind of error it is. Launches release the GIL.
"""
from ._tegula import Buffer, Error, emit, host_target, kernel_names, targets, xcheck, xcheck_backends
from .arrays import as_buffer, empty, from_dlpack, to_numpy
from .kernels import (attention, attention_varlen, gemm, layer_norm, lora_expand, lora_linear, lora_shrink, rms_norm,
                      softmax, vector_add)

__all__ = [
    "Buffer", "Error", "as_buffer", "attention", "attention_varlen", "emit", "empty", "from_dlpack", "gemm",
    "host_target", "kernel_names", "layer_norm", "lora_expand", "lora_linear", "lora_shrink", "rms_norm", "softmax",
    "targets", "to_numpy", "vector_add", "xcheck", "xcheck_backends",
]
__version__ = "0.1.0"
