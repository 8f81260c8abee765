"""The house: one sub-package per stage, imports that flow one way, no circle (docs/architecture.md).

Every ``import`` of a ``satudata`` module is read from the source (also those inside functions and under
``TYPE_CHECKING``: a dependency does not stop being one because it is imported late). A module may import
its own sub-package and the ones below it, never one above; no two modules may import each other, directly
or through others.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "satudata"
# lowest first: a sub-package may import the ones before it in this list, never the ones after
LAYERS = ["common", "formats", "reference", "reading", "sources", "evaluation", "outputs", "run"]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The satudata modules ``name`` imports (a ``from package import module`` names the module)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "satudata")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], *filter(None, [base])])
            if base.split(".")[0] != "satudata":
                continue
            subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known]
            found.update(subs or [base])
    return {m for m in found if m != name and m in known}


def layer(name: str) -> int:
    parts = name.split(".")
    if len(parts) == 1:  # satudata/__init__.py: the version and the lazy notebook API only
        return -1
    if parts[1] == "__main__":
        return len(LAYERS)
    return LAYERS.index(parts[1])


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_top_level_holds_at_most_ten_entries():
    entries = sorted(p.name for p in PACKAGE.iterdir() if p.name != "__pycache__")
    assert len(entries) <= 10, entries
    assert [e for e in entries if not e.endswith(".py")] == sorted(LAYERS)


def test_every_module_sits_in_a_stage_package():
    for name in modules():
        parts = name.split(".")
        assert len(parts) == 1 or parts[1] in (*LAYERS, "__main__"), name


def test_every_stage_package_says_what_it_owns():
    for stage in LAYERS:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc) > 200, f"satudata/{stage}/__init__.py has no docstring saying what it owns"
        assert "Reads" in doc and "Hands on" in doc, stage


def test_imports_never_run_up_the_layers():
    up = [f"{a} -> {b}" for a, targets in graph().items() for b in targets if layer(b) > layer(a)]
    assert up == []


def test_no_import_circles():
    assert cycles(graph()) == []


def test_code_notebooks_and_tests_use_the_new_module_names():
    import satudata

    root = PACKAGE.parent
    old = "|".join(sorted(map(re.escape, satudata._MOVED), key=len, reverse=True))
    dotted = re.compile(rf"\bsatudata\.(?:{old})\b")
    from_root = re.compile(r"from satudata import ([^\n(]+)")
    files = [p for folder in ("satudata", "tests", "benchmarks", "tools", "notebooks") for p in (root / folder).rglob("*")
             if p.suffix in {".py", ".ipynb"} and "__pycache__" not in p.parts and p.name != "test_architecture.py"
             and p != PACKAGE / "__init__.py"]
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(root)}: {m.group(0)}" for m in dotted.finditer(text)]
        found += [f"{path.relative_to(root)}: {m.group(0)}" for m in from_root.finditer(text)
                  if {n.split(" as ")[0].strip() for n in m.group(1).split(",")} & set(satudata._MOVED)]
    assert found == []


def test_old_module_names_still_import_as_the_moved_module():
    import importlib

    import satudata
    from satudata.outputs import views
    from satudata.run import pipeline

    assert importlib.import_module("satudata.views") is views
    assert satudata.pipeline is pipeline  # ``from satudata import pipeline`` in an analyst's own notebook
    assert importlib.import_module("satudata.sources.dssd") is importlib.import_module("satudata.reading.dssd")


def test_old_module_names_still_run_with_python_m():
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "satudata.clean", "--help"], capture_output=True, text=True,
                         check=False, cwd=PACKAGE.parent)  # fmt: skip
    assert run.returncode == 0 and "--data-dir" in run.stdout, run.stderr  # as the old Makefile ran it


def test_the_checks_see_a_circle_and_an_import_up(tmp_path):
    # the checker itself: a circle and an upward edge on a small graph are found
    edges = {"satudata.reading.a": {"satudata.reading.b"}, "satudata.reading.b": {"satudata.reading.a"},
             "satudata.reading.c": {"satudata.outputs.d"}, "satudata.outputs.d": set()}
    assert cycles(edges) == [["satudata.reading.a", "satudata.reading.b"]]
    assert layer("satudata.outputs.d") > layer("satudata.reading.c")
    lazy = tmp_path / "m.py"
    lazy.write_text("def f():\n    from satudata.outputs import report\n", encoding="utf-8")
    known = {"satudata.outputs.report", "satudata.outputs"}
    assert imports("satudata.reading.m", lazy, known) == {"satudata.outputs.report"}
