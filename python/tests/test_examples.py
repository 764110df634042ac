"""The Python example docs/integration.md quotes runs and passes its own checks."""
import pathlib
import runpy

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"


def test_quickstart(capsys):
    runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    print(out)
    assert "gemm + bias + gelu on " + __import__("tegula").host_target() in out
