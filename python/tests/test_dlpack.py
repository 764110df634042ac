"""Zero-copy both ways: NumPy (and torch, when installed) memory into Tegula, and
Tegula's buffers out through DLPack."""
import numpy as np
import pytest

import tegula
from conftest import BF16, check_close, poisoned


def test_numpy_into_tegula_is_a_view(rng):
    x = rng.standard_normal(1001).astype(np.float32)
    b = tegula.as_buffer(x)
    assert b.data_ptr == x.ctypes.data and b.shape == (1001,) and b.dtype == "f32"
    d = tegula.from_dlpack(x)
    assert d.data_ptr == x.ctypes.data and d.shape == (1001,)


def test_tegula_into_numpy_is_a_view(rng):
    buf = tegula.empty((37, 3), "f32")
    view = np.from_dlpack(buf)
    assert view.shape == (37, 3) and view.ctypes.data == buf.data_ptr
    values = rng.standard_normal((37, 3)).astype(np.float32)
    view[...] = values
    # A kernel writes the buffer; the NumPy view sees it.
    out = tegula.empty((37, 3), "f32")
    tegula.softmax(buf, out=out)
    e = np.exp(values.astype(np.float64) - values.max(axis=1, keepdims=True))
    check_close(np.from_dlpack(out), e / e.sum(axis=1, keepdims=True), 1e-6, "softmax through DLPack")
    # The view keeps the buffer alive after the last reference to it goes.
    del buf
    assert np.array_equal(view, values)


def test_bf16_round_trip(rng):
    x = rng.standard_normal((5, 7)).astype(BF16)
    b = tegula.as_buffer(x)
    assert b.dtype == "bf16"
    back = tegula.to_numpy(b)
    assert back.dtype == BF16 and back.ctypes.data == x.ctypes.data and np.array_equal(back, x)
    own = tegula.empty((2, 3), "bf16")
    tegula.to_numpy(own)[...] = 1.5
    assert np.all(tegula.to_numpy(own).astype(np.float32) == 1.5)


def test_kernel_outputs_into_a_tegula_buffer(rng):
    x, y = rng.standard_normal(333).astype(np.float32), rng.standard_normal(333).astype(np.float32)
    out = tegula.empty(333, "f32")
    np.from_dlpack(out)[...] = np.nan
    assert tegula.vector_add(x, y, out=out) is out
    check_close(np.from_dlpack(out), x.astype(np.float64) + y, 2.0**-24 * np.abs(x + y.astype(np.float64)), "vector_add")


def test_non_contiguous(rng):
    x = rng.standard_normal((20, 30)).astype(np.float32)
    # An input that is not C-contiguous is copied; an output must be contiguous.
    y = tegula.softmax(x.T)
    assert y.shape == (30, 20)
    with pytest.raises(tegula.Error, match="must be C-contiguous"):
        tegula.softmax(x, out=poisoned((30, 40), np.float32)[:, :30].T.T[:20])
    with pytest.raises(tegula.Error, match="not C-contiguous"):
        tegula.from_dlpack(x[:, ::2])


def test_unsupported_dtype():
    with pytest.raises(tegula.Error, match="complex128 is not one of Tegula's dtypes") as e:
        tegula.as_buffer(np.zeros(3, dtype=np.complex128))
    assert e.value.code == "dtype mismatch"
    with pytest.raises(TypeError, match="DLPack producer"):
        tegula.as_buffer([1.0, 2.0])


def test_torch_round_trip(rng):
    torch = pytest.importorskip("torch")
    t = torch.from_numpy(rng.standard_normal(257).astype(np.float32))
    b = tegula.from_dlpack(t)
    assert b.data_ptr == t.data_ptr()
    u = torch.from_dlpack(tegula.empty(257, "f32"))
    tegula.vector_add(t, t, out=u)
    assert torch.equal(u, t + t)
    h = torch.randn(64, dtype=torch.bfloat16)
    assert tegula.from_dlpack(h).dtype == "bf16"
