"""A failed rebuild through make: the previous reports stay (stages 3 and 4 are staged), marked stale in
the page and by a note, make exits non-zero and says so; the next make after the fix rebuilds them."""

import os
import subprocess
import sys

from satudata.run import demo
from satudata.run.staged_reports import NOTE

from .conftest import run_make

ROUND = demo.SMALL_ROUND


def test_failed_report_stage_keeps_marks_and_the_next_make_rebuilds(tmp_path):
    data, reports = tmp_path / "data", tmp_path / "laporan kita"
    subprocess.run([sys.executable, "-m", "satudata", "demo", "--kecil", "--data-dir", str(data)], check=True)
    args = (f"ROUND={ROUND}", f"DATA_DIR={data}", f"REPORTS_DIR={reports}")
    run_make("round", *args)
    folder = reports / ROUND
    report, trend = folder / f"laporan-evaluasi-{ROUND}.html", folder / f"tren-{ROUND}.html"
    old = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (report, trend)}
    deck = (folder / f"rakor-{ROUND}.pptx").read_bytes()

    progres = data / "processed" / ROUND / "progres_opd.parquet"
    good = progres.read_bytes()
    progres.write_bytes(b"PAR1")  # a truncated table, newer than the report: stage 3 runs and fails
    executed = folder / "notebooks" / "02_progres.ipynb"
    os.utime(executed)  # as if stage 2 wrote it (a table newer than its stage's notebook runs that stage again)
    failed = run_make("round", *args, check=False)
    assert failed.returncode != 0 and "tahap 3" in failed.stdout and "tahap 4" not in failed.stdout
    assert f"Laporan lama putaran {ROUND} tetap ada tetapi ditandai usang" in failed.stderr
    for page, (content, mtime) in old.items():
        text = page.read_text(encoding="utf-8")
        assert page.stat().st_mtime_ns == mtime  # still older than its inputs: the next make rebuilds it
        assert "Laporan ini mungkin usang" in text and "gagal pada tahap 3 (laporan evaluasi)" in text
        assert len(text.encode()) > len(content)
    assert (folder / f"rakor-{ROUND}.pptx").read_bytes() == deck
    note = (folder / NOTE).read_text(encoding="utf-8")
    assert "gagal pada tahap 3" in note and "progres_opd.parquet" in note
    assert (folder / "notebooks" / "03_laporan.gagal.ipynb").exists()
    assert not [p for p in reports.iterdir() if p.name.startswith(".")]  # no hidden folder left

    progres.write_bytes(good)  # fixed (and newer than the report again)
    os.utime(executed)
    again = run_make("round", *args)
    assert "tahap 3" in again.stdout and "tahap 4" in again.stdout
    assert not (folder / NOTE).exists() and not (folder / "notebooks" / "03_laporan.gagal.ipynb").exists()
    for page in old:
        assert "mungkin usang" not in page.read_text(encoding="utf-8")
    assert "tahap" not in run_make("round", *args).stdout  # up to date now
