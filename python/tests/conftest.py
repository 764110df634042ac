"""Every test draws fresh random inputs from a seed it prints (TEGULA_TEST_SEED replays
one), and poisons the outputs it hands a kernel, so an element a kernel does not write
fails the comparison."""
import os
import random

import ml_dtypes
import numpy as np
import pytest

BF16 = np.dtype(ml_dtypes.bfloat16)
DTYPES = {"f32": np.dtype(np.float32), "f16": np.dtype(np.float16), "bf16": BF16}
# Unit roundoff of each dtype: what one rounding to it may lose, relative.
UNIT = {"f32": 2.0**-24, "f16": 2.0**-11, "bf16": 2.0**-8}


@pytest.fixture
def rng(request):
    seed = int(os.environ.get("TEGULA_TEST_SEED", random.SystemRandom().randrange(2**32)))
    print(f"{request.node.name}: TEGULA_TEST_SEED={seed}")
    return np.random.default_rng(seed)


def poisoned(shape, dtype):
    """An output array full of NaN."""
    return np.full(shape, np.nan, dtype=dtype)


def check_close(got, reference, bound, what):
    """Every element within its bound of the fp64 reference (NaN, an unwritten element,
    fails)."""
    got = np.asarray(got).astype(np.float64)
    reference = np.broadcast_to(np.asarray(reference, dtype=np.float64), got.shape)
    bound = np.broadcast_to(np.asarray(bound, dtype=np.float64), got.shape)
    error = np.abs(got - reference)
    bad = ~(error <= bound)
    if bad.any():
        first = np.argwhere(bad)[0]
        raise AssertionError(f"{what}: {int(bad.sum())} of {got.size} elements outside the bound; first at "
                             f"{tuple(first)}: {got[tuple(first)]!r}, reference {reference[tuple(first)]!r}, "
                             f"bound {bound[tuple(first)]!r}")
