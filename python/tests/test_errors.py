"""Bad input raises tegula.Error with the message the C++ API gives, and loses nothing:
the process goes on, and later launches work."""
import numpy as np
import pytest

import tegula


def test_messages_are_tegulas(rng):
    x = rng.standard_normal(100).astype(np.float32)
    with pytest.raises(tegula.Error) as e:
        tegula.vector_add(x, x[:10])
    assert str(e.value) == "buffer too small: vector_add: buffer 'y' has 10 elements, the shapes need 100"
    assert e.value.code == "buffer too small"
    assert isinstance(e.value, RuntimeError)


def test_dtype_mismatch(rng):
    a = rng.standard_normal((8, 8)).astype(np.float32)
    with pytest.raises(tegula.Error, match="dtype mismatch"):
        tegula.vector_add(a.ravel(), a.ravel().astype(np.float16))


def test_shape_errors(rng):
    a = rng.standard_normal((8, 5)).astype(np.float32)
    with pytest.raises(tegula.Error, match=r"gemm: a is 8x5 but b is 6x3"):
        tegula.gemm(a, np.zeros((6, 3), np.float32))
    with pytest.raises(tegula.Error, match="softmax: x has 1 dimensions, expected 2"):
        tegula.softmax(a.ravel())
    with pytest.raises(tegula.Error, match=r"out has shape \(3,\), expected \(40,\)"):
        tegula.vector_add(a.ravel(), a.ravel(), out=np.zeros(3, np.float32))


def test_unknown_names():
    with pytest.raises(tegula.Error, match="gemm: unknown activation 'tanh'"):
        tegula.gemm(np.ones((2, 2), np.float32), np.ones((2, 2), np.float32), activation="tanh")
    with pytest.raises(tegula.Error, match="unsupported"):
        tegula.vector_add(np.ones(4, np.float32), np.ones(4, np.float32), target="no-such-target")
    with pytest.raises(tegula.Error, match="emit: unknown kernel 'conv'"):
        tegula.emit("conv", tegula.host_target(), "tile")


def test_lora_adapter_out_of_range(rng):
    slots, rank, hidden, tokens = 3, 16, 64, 10
    a = rng.standard_normal((slots, rank, hidden)).astype(np.float32)
    b = rng.standard_normal((slots, 32, rank)).astype(np.float32)
    ranks, scales = np.full(slots, rank, np.int32), np.ones(slots, np.float32)
    x = rng.standard_normal((tokens, hidden)).astype(np.float32)
    adapters = np.array([0, 1, 2, -1, 3, 0, 0, 1, 1, 2], np.int32)
    out = np.full((tokens, rank), 7.0, np.float32)
    with pytest.raises(tegula.Error, match="adapter") as e:
        tegula.lora_shrink(x, a, b, ranks, scales, adapters, out=out)
    assert "3" in str(e.value)
    assert np.all(out == 7.0)  # refused before anything ran
    adapters[4] = 2
    tegula.lora_shrink(x, a, b, ranks, scales, adapters, out=out)  # and the next launch works
    assert np.isfinite(out).all()
