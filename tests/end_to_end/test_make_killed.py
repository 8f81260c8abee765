"""A round killed at any point (SIGKILL or SIGTERM; while a stage's kernel runs, when its kernel alone dies,
right after the stage's files moved into place but before its notebook finished, halfway through moving a
staged stage's files, or just after a stage moved its files into place) is built by the next `make round`, and
its reports are those of an uninterrupted run apart from the build time; no kernel socket is ever left in the
report folder, no stale mark on complete reports. Every stage is killed at some point: 1-2 (ingest, progress)
and 3-4 (report, trend and rakor)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from satudata.run import demo, stage_worker
from satudata.run.staged_reports import NOTE
from tests.report_files import report_files

from .conftest import ROOT, run_make

ROUND = demo.SMALL_ROUND
pytestmark = pytest.mark.slow

def _args(base: Path) -> tuple[str, ...]:
    return (f"ROUND={ROUND}", f"DATA_DIR={base / 'data'}", f"REPORTS_DIR={base / 'reports'}")


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    """The small demo round built once, uninterrupted."""
    base = tmp_path_factory.mktemp("bersih")
    subprocess.run([sys.executable, "-m", "satudata", "demo", "--kecil", "--data-dir", str(base / "data")],
                   check=True, capture_output=True)  # fmt: skip
    run_make("round", *_args(base))
    return base


def _copy(clean: Path, to: Path) -> Path:
    shutil.copytree(clean, to, symlinks=True)
    return to


def _assert_same_reports(got: Path, want: Path) -> None:
    a, b = report_files(got), report_files(want)
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name
    for page in ("laporan-evaluasi", "lampiran", "tren"):
        assert "mungkin usang" not in (got / "reports" / ROUND / f"{page}-{ROUND}.html").read_text(encoding="utf-8")
    assert not (got / "reports" / ROUND / NOTE).exists()
    assert [p.name for p in (got / "reports").iterdir()] == [ROUND]  # no hidden folder left


def _stage_pid(base: Path, notebook: str) -> int | None:
    """The pid of the stage worker running stage ``notebook`` of the run on ``base`` (its runtime folder's
    ``tahap.json`` names the stage, :mod:`satudata.run.stage_worker`)."""
    for current in Path(tempfile.gettempdir()).glob(f"satudata-kernel-*/{stage_worker.CURRENT}"):
        try:
            text = current.read_text(encoding="utf-8")
        except OSError:
            continue
        if f"{notebook}.ipynb" in text and str(base) in text:
            return int(current.parent.name.split("-")[2])
    return None


def _kernel_pid(stage_pid: int) -> int | None:
    """The pid of the kernel the stage ``stage_pid`` started (jupyter_client gives it ``JPY_PARENT_PID``)."""
    mark = f"\0JPY_PARENT_PID={stage_pid}\0".encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = b"\0" + (proc / "environ").read_bytes()
        except OSError:
            continue
        if mark in environ:
            return int(proc.name)
    return None


def _kernel_running(pid: int) -> bool:
    return any(Path(tempfile.gettempdir()).glob(f"satudata-kernel-{pid}-*/kernel-ipc-*"))


def _group_gone(pgid: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError("the killed run's processes did not end")


def _newer(base: Path, notebook: str) -> None:
    """Make ``notebook``'s stage (and every later one) out of date, as a changed input would: the earlier
    stage's target touched, then that stage's executed notebook (a stage whose notebook is older than its
    target runs again)."""
    processed, executed = base / "data" / "processed" / ROUND, base / "reports" / ROUND / "notebooks"
    newer = {"01_ingest": [processed / ".masukan"],
             "02_progres": [processed / "nilai.parquet", executed / "01_ingest.ipynb"],
             "03_laporan": [processed / "progres_opd.parquet", executed / "02_progres.ipynb"],
             "04_rakor": [base / "reports" / ROUND / f"laporan-evaluasi-{ROUND}.html"]}[notebook]  # fmt: skip
    for path in newer:
        os.utime(path)
        time.sleep(0.01)


def _make_round(base: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    return subprocess.Popen(["make", "--no-print-directory", "-C", str(ROOT), "round", *_args(base)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True)  # fmt: skip


def _wait_for_kernel(proc: subprocess.Popen, base: Path, notebook: str) -> int:
    """The pid of the worker running stage ``notebook`` once the stage has marked the old reports and its kernel
    runs (a worker's kernel may be running from its previous stage)."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        pid = _stage_pid(base, notebook)
        if pid is not None and _kernel_running(pid) and (base / "reports" / ROUND / NOTE).exists():
            return pid
        assert proc.poll() is None, proc.stdout.read().decode()
        time.sleep(0.05)
    raise AssertionError(f"{notebook} never started its kernel")


def _stages_run(notebook: str) -> list[str]:
    first = int(notebook[:2])
    return [f"tahap {n}" for n in range(first, 5)]


@pytest.mark.parametrize(("notebook", "sig"), [("01_ingest", signal.SIGKILL), ("02_progres", signal.SIGTERM),
                                               ("03_laporan", signal.SIGKILL), ("04_rakor", signal.SIGTERM)])  # fmt: skip
def test_a_round_killed_while_a_kernel_runs_is_built_by_the_next_make(clean, tmp_path, notebook, sig):
    base = _copy(clean, tmp_path / "putaran")
    reports = base / "reports"
    _newer(base, notebook)
    proc = _make_round(base)
    try:
        pid = _wait_for_kernel(proc, base, notebook)
        os.killpg(proc.pid, sig)
        proc.wait(timeout=60)
        _group_gone(proc.pid)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    folder = reports / ROUND
    assert not list(folder.rglob("kernel-ipc-*"))  # the kernel's sockets were never in the report folder
    assert "belum selesai" in (folder / NOTE).read_text(encoding="utf-8") or sig == signal.SIGTERM
    if sig == signal.SIGTERM:  # the stage ended itself: its hidden folder and runtime folder went with it
        assert "dihentikan dari luar (SIGTERM)" in (folder / NOTE).read_text(encoding="utf-8")
        assert not list(reports.glob(".sementara-*"))
        assert not list((base / "data" / "processed" / ROUND).glob(".sementara-*"))
        assert not list(Path(tempfile.gettempdir()).glob(f"satudata-kernel-{pid}-*"))
    assert "Laporan ini mungkin usang" in (folder / f"laporan-evaluasi-{ROUND}.html").read_text(encoding="utf-8")

    again = run_make("round", *_args(base))
    ran = [f"tahap {n}" for n in range(1, 5) if f"tahap {n}" in again.stdout]
    assert ran == _stages_run(notebook), again.stdout  # the killed stage and every later one, no earlier one
    _assert_same_reports(base, clean)
    assert not list(Path(tempfile.gettempdir()).glob(f"satudata-kernel-{pid}-*"))  # a killed run's folder goes
    assert not list((base / "data" / "processed" / ROUND).glob(".sementara-*"))
    assert "tahap" not in run_make("round", *_args(base)).stdout  # up to date now


def test_a_stage_whose_kernel_alone_dies_fails_and_the_next_make_builds_the_round(clean, tmp_path):
    """The kernel of stage 2 killed (the memory killer takes the biggest process): the stage fails, the run
    stops with an Indonesian message and the old reports marked; the next run builds the round."""
    base = _copy(clean, tmp_path / "putaran")
    _newer(base, "02_progres")
    proc = _make_round(base)
    try:
        pid = _wait_for_kernel(proc, base, "02_progres")
        kernel = _kernel_pid(pid)
        assert kernel is not None
        os.kill(kernel, signal.SIGKILL)
        out, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode != 0
    assert "putaran 2021-03-01 berhenti pada tahap 2 (progres dan zona)" in out.decode()
    folder = base / "reports" / ROUND
    assert "gagal pada tahap 2 (progres dan zona)" in (folder / NOTE).read_text(encoding="utf-8")

    again = run_make("round", *_args(base))
    assert "tahap 1" not in again.stdout and all(s in again.stdout for s in _stages_run("02_progres"))
    _assert_same_reports(base, clean)
    assert "tahap" not in run_make("round", *_args(base)).stdout


KILLER = """
import os, signal, sys
from satudata.run import notebook, staged_reports
def die(round_dir):  # the stage has moved its files into place: killed before it takes the marks away
    os.kill(os.getpid(), int(sys.argv[1]))
staged_reports.clear_stale = die
sys.exit(notebook.main(sys.argv[2:]))
"""


@pytest.mark.parametrize(("notebook", "stage", "page", "title", "sig"), [
    ("04_rakor", "4", "tren", "Tren Satu Data", signal.SIGKILL),
    ("04_rakor", "4", "tren", "Tren Satu Data", signal.SIGTERM),
    ("03_laporan", "3", "laporan-evaluasi", "Laporan Evaluasi Satu Data", signal.SIGKILL)])  # fmt: skip
def test_a_stage_killed_just_after_its_files_moved_leaves_no_mark_after_the_next_make(clean, tmp_path, notebook,
                                                                                       stage, page, title, sig):  # fmt: skip
    base = _copy(clean, tmp_path / "putaran")
    data, reports = base / "data", base / "reports"
    folder = reports / ROUND
    target = folder / f"{page}-{ROUND}.html"
    before = target.stat().st_mtime_ns
    args = [f"notebooks/{notebook}.ipynb", "--tahap", stage, "--bertahap", "--out",
            str(folder / "notebooks" / f"{notebook}.ipynb"), "--html", str(target), "--title", f"{title} {ROUND}",
            "-p", "putaran", ROUND, "-p", "data_dir", str(data), "-p", "reports_dir", str(reports),
            "-p", "settings_file", ""]  # fmt: skip
    killed = subprocess.run([sys.executable, "-c", KILLER, str(int(sig)), *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)  # fmt: skip
    assert killed.returncode in (-sig, 128 + sig), killed.stderr
    assert target.stat().st_mtime_ns > before  # the new page is in place ...
    assert (folder / NOTE).exists()  # ... and still marked stale
    untouched = "tren" if stage == "3" else "laporan-evaluasi"  # a page the stage did not write
    assert "Laporan ini mungkin usang" in (folder / f"{untouched}-{ROUND}.html").read_text(encoding="utf-8")

    again = run_make("round", *_args(base))
    if stage == "4":  # every report is up to date: no stage runs, the marks go
        assert "tahap" not in again.stdout and "tanda usang dihapus" in again.stdout
    else:  # the trend page is older than the new report: stage 4 runs and takes the marks away
        assert "tahap 3" not in again.stdout and "tahap 4" in again.stdout
    _assert_same_reports(base, clean)


AFTER_CELL = """
import os, sys
from papermill.engines import NotebookExecutionManager
from satudata.run import notebook
done = NotebookExecutionManager.cell_complete
def cell_complete(self, cell, *args, **kwargs):  # the cell that writes the stage's files has finished
    done(self, cell, *args, **kwargs)
    if sys.argv[2] in cell.source:
        os.kill(os.getpid(), int(sys.argv[1]))
NotebookExecutionManager.cell_complete = cell_complete
sys.exit(notebook.main(sys.argv[3:]))
"""

MID_MOVE = """
import os, sys
from pathlib import Path
from satudata.run import notebook, staged_reports
real = staged_reports.place
def place(source, target, say=None):  # halfway through moving the stage's files into place
    landed = real(source, target, say)
    if Path(target).name.startswith(sys.argv[2]):
        os.kill(os.getpid(), int(sys.argv[1]))
    return landed
staged_reports.place = place
sys.exit(notebook.main(sys.argv[3:]))
"""


def _run_stage_with(base: Path, notebook: str, script: str, sig: int, where: str) -> subprocess.CompletedProcess:
    """Stage ``notebook`` of the round on ``base``, run as the pipeline runs it, with ``script`` killing it."""
    from satudata.run import rounds

    folders = rounds.Folders.of(base / "data", base / "reports")
    (step,) = [s for s in rounds.plan(folders, [ROUND]) if s.kind.notebook == notebook]
    command = rounds.stage_command(step, folders)
    assert command[1:4] == ["-m", "satudata", "notebook"]
    return subprocess.run([sys.executable, "-c", script, str(int(sig)), where, *command[4:]], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


@pytest.mark.parametrize(("notebook", "cell", "target", "sig"), [
    ("01_ingest", "run_ingest(", "data/processed/{r}/nilai.parquet", signal.SIGKILL),
    ("02_progres", "run_progress(", "data/processed/{r}/progres_opd.parquet", signal.SIGTERM)])  # fmt: skip
def test_a_stage_killed_after_writing_its_files_before_its_notebook_finished_runs_again(clean, tmp_path, notebook,
                                                                                        cell, target, sig):  # fmt: skip
    """Stages 1 and 2 write their files from the kernel, then the notebook goes on showing them: killed in
    between, the files are complete and newer than their inputs, but the audit notebook is not finished. The
    next make runs the stage again."""
    base = _copy(clean, tmp_path / "putaran")
    _newer(base, notebook)
    target_path = base / target.format(r=ROUND)
    before = target_path.stat().st_mtime_ns
    killed = _run_stage_with(base, notebook, AFTER_CELL, sig, cell)
    assert killed.returncode in (-sig, 128 + sig), killed.stderr
    assert target_path.stat().st_mtime_ns > before  # the stage's files are in place
    folder = base / "reports" / ROUND
    assert (folder / NOTE).exists()

    again = run_make("round", *_args(base))
    ran = [f"tahap {n}" for n in range(1, 5) if f"tahap {n}" in again.stdout]
    assert ran == _stages_run(notebook), again.stdout
    _assert_same_reports(base, clean)
    assert not [p.name for p in (folder / "notebooks").iterdir() if p.name.startswith(".")]
    assert "tahap" not in run_make("round", *_args(base)).stdout


@pytest.mark.parametrize(("notebook", "moved", "page", "sig"), [
    ("04_rakor", "rakor-", "tren", signal.SIGKILL),
    ("03_laporan", "lampiran-", "laporan-evaluasi", signal.SIGTERM)])  # fmt: skip
def test_a_stage_killed_halfway_through_moving_its_files_is_built_by_the_next_make(clean, tmp_path, notebook, moved,
                                                                                   page, sig):  # fmt: skip
    """Killed after some of the stage's new files replaced the old ones (the deck, the annex) and before the
    rest: the next make runs the stage again, and no file it wrote is taken for one a person edited."""
    base = _copy(clean, tmp_path / "putaran")
    _newer(base, notebook)
    folder = base / "reports" / ROUND
    target = folder / f"{page}-{ROUND}.html"
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}
    killed = _run_stage_with(base, notebook, MID_MOVE, sig, moved)
    assert killed.returncode in (-sig, 128 + sig), killed.stderr
    (first,) = [p for p in folder.iterdir() if p.name.startswith(moved)]
    assert first.stat().st_mtime_ns > before[first.name]  # moved into place ...
    assert target.stat().st_mtime_ns == before[target.name]  # ... and the stage's target not
    assert (folder / NOTE).exists()

    again = run_make("round", *_args(base))
    ran = [f"tahap {n}" for n in range(1, 5) if f"tahap {n}" in again.stdout]
    assert ran == _stages_run(notebook), again.stdout
    assert "diubah sejak terakhir dibuat" not in again.stdout + again.stderr
    _assert_same_reports(base, clean)  # no .sebelumnya- copy of a file the pipeline wrote itself
    assert "tahap" not in run_make("round", *_args(base)).stdout
