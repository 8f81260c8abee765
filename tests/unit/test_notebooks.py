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


def test_the_runner_reads_and_renders_notebooks_without_the_iri_grammar():
    """The notebook runner leaves out jsonschema's optional ``rfc3987_syntax`` (1.2 s to import, unused by
    notebook schemas); papermill and nbconvert still read, validate and render every notebook."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from satudata.run.notebook import skip_iri_grammar\n"
        "skip_iri_grammar()\n"
        "import nbformat, papermill\n"
        "from nbconvert import HTMLExporter\n"
        "for path in sys.argv[1:]:\n"
        "    nb = nbformat.read(path, as_version=4)\n"
        "    nbformat.validate(nb)\n"
        "    assert '<html' in HTMLExporter().from_notebook_node(nb)[0]\n"
        "print(len(sys.argv) - 1, sys.modules['rfc3987_syntax'])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, *map(str, NOTEBOOKS)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["5", "None"]
