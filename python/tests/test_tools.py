"""targets(), emit() per target, and xcheck() from Python."""
import pytest

import tegula


def test_targets():
    targets = {t["name"]: t for t in tegula.targets()}
    assert tegula.host_target() in targets and targets[tegula.host_target()]["executes"]
    for t in targets.values():
        assert t["summary"] and t["emit_kinds"]


@pytest.mark.parametrize("target", [t["name"] for t in tegula.targets()])
def test_emit_every_kind_family(target):
    description = next(t for t in tegula.targets() if t["name"] == target)
    # The tile IR is where every target starts; it names the kernel.
    tile = tegula.emit("gemm", target, "tile", dtype="bf16", sizes=[1000, 1000, 1000])
    assert isinstance(tile, str) and "tile.kernel" in tile
    last = description["emit_kinds"][-1]
    code = tegula.emit("softmax", target, last, sizes=[64, 1000])
    assert len(code) > 0
    with pytest.raises(tegula.Error, match=f"emit: target '{target}' has no emit kind 'nonsense'"):
        tegula.emit("softmax", target, "nonsense")


def test_emit_binary_is_bytes():
    for t in tegula.targets():
        if "cubin" in t["emit_kinds"]:
            cubin = tegula.emit("vector_add", t["name"], "cubin")
            assert isinstance(cubin, bytes) and cubin[:4] == b"\x7fELF"


def test_xcheck():
    records = tegula.xcheck("softmax", [tegula.host_target()], seed=7, dtype="f32")
    assert records and all(r["status"] == "PASS" for r in records), records
    assert all(r["elements"] > 0 and r["unwritten"] == 0 for r in records)
    with pytest.raises(tegula.Error, match="invalid argument"):
        tegula.xcheck("softmax", ["no-such-backend"])
