"""Stage workers: many stages in one process and one kernel, each notebook as if in a kernel of its own, and
a round built through them the same as with one process per stage."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from satudata.run import rounds
from satudata.run.stage_worker import Worker
from tests.report_files import report_files

ROOT = Path(__file__).resolve().parents[2]


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "satudata", "language": "python",
                                                            "display_name": "satudata"},
                                            "language_info": {"name": "python"}})  # fmt: skip
    nb.cells = [nbformat.v4.new_code_cell("marker = ''", metadata={"tags": ["parameters"]}),
                *(nbformat.v4.new_code_cell(s) for s in sources)]  # fmt: skip
    nbformat.write(nb, path)
    return path


def _env() -> dict[str, str]:
    return {**os.environ, "MPLBACKEND": "Agg"}


def _wait(worker: Worker, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = worker.ended()
        if code is not None:
            return code
        time.sleep(0.02)
    raise AssertionError("the stage did not end")


def _outputs(executed: Path) -> list[str]:
    nb = nbformat.read(executed, as_version=4)
    return ["".join(o.get("text", "") for o in c.get("outputs", []) if o.get("output_type") == "stream")
            for c in nb.cells]  # fmt: skip


def test_each_notebook_in_a_kept_kernel_starts_empty_numbered_from_1_in_its_own_folder(tmp_path):
    first = _notebook(tmp_path / "first.ipynb", "import os\nleft = 42\nkernel = os.getpid()\nprint(kernel)",
                      "import matplotlib.pyplot as plt\nplt.figure()\nprint(len(plt.get_fignums()))")  # fmt: skip
    second = _notebook(tmp_path / "second.ipynb",
                       "import os\nprint(os.getpid(), 'left' in globals(), 'plt' in globals())",
                       "import matplotlib.pyplot as plt\nprint(len(plt.get_fignums()), os.getcwd())")  # fmt: skip
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    worker = Worker(_env(), ROOT)
    try:
        assert worker.start([str(first), "--out", str(tmp_path / "a" / "first.ipynb"), "-p", "marker", "1"])
        assert _wait(worker) == 0
        assert worker.start([str(second), "--out", str(tmp_path / "b" / "second.ipynb"), "-p", "marker", "2"])
        assert _wait(worker) == 0
    finally:
        worker.close()
        assert worker.proc.wait(timeout=60) == 0
    one, two = _outputs(tmp_path / "a" / "first.ipynb"), _outputs(tmp_path / "b" / "second.ipynb")
    kernel = one[2].strip()
    assert one[3].strip() == "1"
    pid, left, plt = two[2].split()
    assert (pid, left, plt) == (kernel, "False", "False")  # the same kernel, emptied: no name of the first is left
    figures, cwd = two[3].split(maxsplit=1)
    assert figures == "0" and Path(cwd.strip()) == (tmp_path / "b").resolve()
    counts = [c.execution_count for c in nbformat.read(tmp_path / "b" / "second.ipynb", as_version=4).cells]
    assert counts == [1, 2, 3, 4]  # parameters, injected parameters, two cells: numbered as in a new kernel
    assert not any("History logging" in text for text in two)


def test_a_failed_stage_answers_1_and_a_kernel_that_died_is_replaced_for_the_next(tmp_path):
    dies = _notebook(tmp_path / "dies.ipynb", "import os, signal\nprint(os.getpid())\nos.kill(os.getpid(), signal.SIGKILL)")
    fails = _notebook(tmp_path / "fails.ipynb", "raise ValueError('sel gagal')")
    works = _notebook(tmp_path / "works.ipynb", "import os\nprint(os.getpid())")
    worker = Worker(_env(), ROOT)
    try:
        worker.start([str(fails), "--out", str(tmp_path / "fails-out.ipynb")])
        assert _wait(worker) == 1
        assert (tmp_path / "fails-out.gagal.ipynb").exists()  # kept for inspection, as `satudata notebook` keeps it
        worker.start([str(dies), "--out", str(tmp_path / "dies-out.ipynb")])
        assert _wait(worker) == 1
        worker.start([str(works), "--out", str(tmp_path / "works-out.ipynb")])
        assert _wait(worker) == 0
    finally:
        worker.close()
        worker.proc.wait(timeout=60)
    assert (tmp_path / "works-out.ipynb").exists()


def test_a_worker_killed_in_a_stage_is_a_failed_stage(tmp_path):
    slow = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(60)")
    worker = Worker(_env(), ROOT)
    worker.start([str(slow), "--out", str(tmp_path / "slow-out.ipynb")])
    time.sleep(3)
    worker.proc.kill()
    assert _wait(worker, timeout=30) != 0
    worker.proc.wait(timeout=30)
    assert not worker.alive() and not worker.start(["x"])


def test_an_answer_after_output_without_a_line_end_is_read_and_the_output_passed_on(capfd):
    from satudata.run.stage_worker import REPLY

    script = ("import sys\nfor line in sys.stdin:\n    sys.stdout.buffer.write(b'tanpa akhir baris' + "
              f"{REPLY!r} + b'0\\n')\n    sys.stdout.flush()\n")  # fmt: skip
    worker = Worker(_env(), ROOT, command=[sys.executable, "-c", script])
    assert worker.start(["apa saja"])
    assert _wait(worker, timeout=30) == 0
    worker.close()
    worker.proc.wait(timeout=30)
    assert "tanpa akhir baris" in capfd.readouterr().out


def test_the_committed_notebooks_change_no_process_wide_setting():
    """A kept kernel runs every stage notebook after another: none may leave a setting behind for the next."""
    settings = re.compile(r"set_option|filterwarnings|simplefilter|os\.environ|rcParams|os\.chdir|sys\.path|"
                          r"setlocale|np\.seterr|set_printoptions")  # fmt: skip
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            assert not settings.search(source), f"{path.name}: {source[:200]}"


@pytest.mark.slow
def test_a_round_through_workers_is_the_round_of_one_process_per_stage(tmp_path):
    """The small demo round and a second round after it: built by `satudata putaran` (two workers keeping their
    kernels) and stage by stage as separate processes, the same tables and reports."""
    built = {}
    for way in ("workers", "processes"):
        base = tmp_path / way
        subprocess.run([sys.executable, "-m", "satudata", "demo", "--kecil", "--data-dir", str(base / "data")],
                       check=True, capture_output=True)  # fmt: skip
        raw = base / "data" / "raw"
        (first,) = [p for p in raw.iterdir()]
        later = raw / "2031-01-01"
        later.mkdir()
        for path in sorted(first.iterdir())[:2]:
            (later / path.name).write_bytes(path.read_bytes())
        folders = rounds.Folders.of(base / "data", base / "reports")
        if way == "workers":
            assert rounds.build(folders.data, folders.reports, [later.name], say=lambda _text: None) == 6
        else:
            for r in folders.rounds():
                rounds.update_state(folders, r)
            steps = rounds.plan(folders, [later.name])
            assert len(steps) == 6
            for step in steps:
                subprocess.run(rounds.stage_command(step, folders), check=True, cwd=ROOT, capture_output=True,
                               env=rounds.stage_environment(folders))  # fmt: skip
        built[way] = base
    processed = {
        way: {p.relative_to(base / "data" / "processed").as_posix(): p.read_bytes()
              for p in sorted((base / "data" / "processed").rglob("*.parquet"))}
        for way, base in built.items()
    }  # fmt: skip
    assert len(processed["workers"]) > 10 and processed["workers"] == processed["processes"]
    a, b = report_files(built["workers"]), report_files(built["processes"])
    assert sorted(a) == sorted(b) and len(a) > 20
    for name in a:
        assert a[name] == b[name], name
