"""Arrays in and out: NumPy arrays, DLPack producers and tegula.Buffer."""
import ml_dtypes
import numpy as np

from . import _tegula
from ._tegula import Buffer, Error

_NUMPY_TO_TEGULA = {
    np.dtype(np.float32): "f32",
    np.dtype(np.float64): "f64",
    np.dtype(np.float16): "f16",
    np.dtype(ml_dtypes.bfloat16): "bf16",
    np.dtype(np.int8): "i8",
    np.dtype(np.int32): "i32",
    np.dtype(np.int64): "i64",
    np.dtype(np.bool_): "i1",
}
_TEGULA_TO_NUMPY = {v: k for k, v in _NUMPY_TO_TEGULA.items()}


def numpy_dtype(dtype):
    """The NumPy dtype of a Tegula dtype name ("f32", "bf16", ...)."""
    try:
        return _TEGULA_TO_NUMPY[dtype]
    except KeyError:
        raise _error("invalid argument", f"unknown dtype '{dtype}'") from None


def _error(code, message):
    e = Error(f"{code}: {message}")
    e.code = code
    return e


def as_buffer(x, name="array", writable=False):
    """x as a tegula.Buffer over the same memory (a NumPy input that is not C-contiguous
    is copied first; an output must already be C-contiguous and writable)."""
    if isinstance(x, Buffer):
        return x
    if isinstance(x, np.ndarray):
        dtype = _NUMPY_TO_TEGULA.get(x.dtype)
        if dtype is None:
            raise _error("dtype mismatch", f"{name}: NumPy dtype {x.dtype} is not one of Tegula's dtypes")
        if not x.flags.c_contiguous:
            if writable:
                raise _error("invalid argument", f"{name}: an output array must be C-contiguous")
            x = np.ascontiguousarray(x)
        if writable and not x.flags.writeable:
            raise _error("invalid argument", f"{name}: the output array is read-only")
        return _tegula._wrap_host(x.ctypes.data, list(x.shape), dtype, x)
    if hasattr(x, "__dlpack__"):
        return _tegula._from_dlpack(x)
    raise TypeError(f"{name}: expected a NumPy array, a tegula.Buffer or a DLPack producer, got {type(x).__name__}")


def from_dlpack(x):
    """A tegula.Buffer over the memory of any DLPack producer (no copy)."""
    return _tegula._from_dlpack(x)


def empty(shape, dtype="f32"):
    """A tegula.Buffer of Tegula's own host memory (not initialized)."""
    if isinstance(shape, int):
        shape = (shape,)
    return _tegula._empty(list(shape), dtype)


class _HostView:
    """Gives NumPy a buffer's memory, and keeps the buffer alive as the array's base."""

    def __init__(self, buffer, typestr):
        self.buffer = buffer
        self.__array_interface__ = {
            "shape": tuple(buffer.shape), "typestr": typestr, "data": (buffer.data_ptr, False), "version": 3,
        }


def to_numpy(x):
    """A NumPy array over a tegula.Buffer's host memory (no copy); bf16 as ml_dtypes."""
    if isinstance(x, np.ndarray):
        return x
    if not isinstance(x, Buffer):
        x = from_dlpack(x)
    if x.__dlpack_device__()[0] != 1:
        raise _error("invalid argument", "to_numpy: the buffer is device memory, not the host's")
    dtype = numpy_dtype(x.dtype)
    if x.dtype == "bf16":  # NumPy knows no bfloat16 of its own: read the bits, then view them.
        return np.asarray(_HostView(x, "<u2")).view(dtype)
    return np.asarray(_HostView(x, dtype.str))
