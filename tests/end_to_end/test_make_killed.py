"""A round killed at any point (SIGKILL or SIGTERM; while a stage's kernel runs, or just after a stage moved
its files into place) is built by the next `make round`, and its reports are those of an uninterrupted run
apart from the build time; no kernel socket is ever left in the report folder, no stale mark on complete
reports."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from satudata.run import demo
from satudata.run.staged_reports import NOTE

from .conftest import ROOT, run_make

ROUND = demo.SMALL_ROUND
pytestmark = pytest.mark.slow

# a build time, the random ids pandas gives a styled table (`#T_98c40_row0_col5`), an object's address in a repr
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?|pukul \d{2}\.\d{2}(\.\d{2})?"
                    r"|(?<![A-Za-z0-9])T_[0-9a-f]{5}(?![0-9a-f])| at 0x[0-9a-f]+")


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


def _zip_members(data: bytes) -> dict[str, bytes]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if not n.startswith("docProps/")}


def _normalised(name: str, data: bytes) -> object:
    """A report file with its build time taken out (the only thing two clean runs differ in)."""
    if name.endswith((".xlsx", ".pptx")):
        return {n: _normalised(n, d) for n, d in _zip_members(data).items()}
    if name.endswith((".html", ".ipynb", ".xml", ".json", ".rels")) or name.endswith(".csv"):
        text = data.decode("utf-8", "replace")
        if name.endswith(".ipynb"):  # papermill's timings and the kernel's execution metadata
            import json

            nb = json.loads(text)
            nb.get("metadata", {}).pop("papermill", None)
            for cell in nb.get("cells", []):
                cell.pop("id", None)  # papermill gives its parameters cell a new random id
                cell.get("metadata", {}).pop("papermill", None)
                cell.get("metadata", {}).pop("execution", None)
            text = json.dumps(nb, sort_keys=True)
        return _STAMP.sub("T", text)
    return data


def _reports(base: Path) -> dict[str, object]:
    folder = base / "reports"
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        assert not p.is_socket(), f"socket left in the reports: {rel}"
        if p.is_file() and p.name != ".satudata-ditulis.json":  # the record of written files' hashes
            out[rel] = _normalised(p.name, p.read_bytes())
    return out


def _assert_same_reports(got: Path, want: Path) -> None:
    a, b = _reports(got), _reports(want)
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name
    for page in ("laporan-evaluasi", "lampiran", "tren"):
        assert "mungkin usang" not in (got / "reports" / ROUND / f"{page}-{ROUND}.html").read_text(encoding="utf-8")
    assert not (got / "reports" / ROUND / NOTE).exists()
    assert [p.name for p in (got / "reports").iterdir()] == [ROUND]  # no hidden folder left


def _stage_pid(reports: Path, notebook: str) -> int | None:
    """The pid of the running stage ``notebook`` (its hidden folder is named after it)."""
    for hidden in reports.glob(f".sementara-{ROUND}-*"):
        pid = int(hidden.name.rsplit("-", 1)[1])
        try:
            if notebook.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            continue
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


@pytest.mark.parametrize(("notebook", "sig"), [("03_laporan", signal.SIGKILL), ("04_rakor", signal.SIGTERM)])
def test_a_round_killed_while_a_kernel_runs_is_built_by_the_next_make(clean, tmp_path, notebook, sig):
    base = _copy(clean, tmp_path / "putaran")
    reports = base / "reports"
    os.utime(base / "data" / "processed" / ROUND / "progres_opd.parquet")  # newer: stages 3 and 4 run again
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    proc = subprocess.Popen(["make", "--no-print-directory", "-C", str(ROOT), "round", *_args(base)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            pid = _stage_pid(reports, notebook)
            if pid is not None and _kernel_running(pid):
                break
            assert proc.poll() is None, proc.stdout.read().decode()
            time.sleep(0.05)
        else:
            raise AssertionError(f"{notebook} never started its kernel")
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
        assert not list(Path(tempfile.gettempdir()).glob(f"satudata-kernel-{pid}-*"))
    assert "Laporan ini mungkin usang" in (folder / f"laporan-evaluasi-{ROUND}.html").read_text(encoding="utf-8")

    again = run_make("round", *_args(base))
    assert "tahap 3" in again.stdout or notebook == "04_rakor"
    assert "tahap 4" in again.stdout
    _assert_same_reports(base, clean)
    assert not list(Path(tempfile.gettempdir()).glob(f"satudata-kernel-{pid}-*"))  # a killed run's folder goes
    assert "tahap" not in run_make("round", *_args(base)).stdout  # up to date now


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
