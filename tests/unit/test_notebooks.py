"""The committed notebooks are thin, parametrised the same way, and carry no outputs."""

import ast
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def test_the_four_stage_notebooks_and_the_exploration_notebook_exist():
    assert [p.name for p in NOTEBOOKS] == ["01_ingest.ipynb", "02_progres.ipynb", "03_laporan.ipynb", "04_rakor.ipynb",
                                           "05_eksplorasi.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stripped_parametrised_and_thin(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "satudata"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    names = {t.id for node in ast.parse(params[0].source).body for t in node.targets}
    extra = {"opd"} if path.name == "05_eksplorasi.ipynb" else set()
    assert names == {"putaran", "data_dir", "reports_dir", "settings_file"} | extra
    # thin: no function or class is defined in a notebook; logic lives in the package
    for cell in code:
        tree = ast.parse(cell.source)
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)], path.name
