"""Launches release the GIL: another Python thread keeps running while a kernel runs."""
import threading
import time

import numpy as np

import tegula


def test_launch_releases_the_gil(rng):
    n = 1536  # a launch of tens of milliseconds, well above the pauses of a busy machine
    a, b = rng.standard_normal((n, n)).astype(np.float32), rng.standard_normal((n, n)).astype(np.float32)
    tegula.gemm(a, b)  # compile first
    start = time.perf_counter()
    tegula.gemm(a, b)
    one_launch = time.perf_counter() - start

    done = threading.Event()

    def launches():
        for _ in range(4):
            tegula.gemm(a, b)
        done.set()

    worker = threading.Thread(target=launches)
    gaps, last = [], time.perf_counter()
    worker.start()
    while not done.is_set():  # this thread keeps counting while the kernels run
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    worker.join()
    longest = max(gaps)
    print(f"one launch {one_launch * 1e3:.1f} ms, longest pause of the other thread {longest * 1e3:.1f} ms")
    # Holding the GIL would pause this thread for a whole launch.
    assert longest < 0.5 * one_launch, (longest, one_launch)
