"""The Makefile with folders make cannot take as they are (a space, an apostrophe) and a `make clean`
that removes only what the pipeline generated. Quick: no notebook is run here (the full run on such
folders is in test_make_round)."""

from __future__ import annotations

import os
from pathlib import Path

from .conftest import ROOT, run_make

ROUND = "2020-08-27"


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    base = tmp_path / "Data Bappeda's"
    data, reports = base / "data", base / "laporan kita"
    (data / "raw" / ROUND).mkdir(parents=True)
    (data / "raw" / ROUND / "01_Dinkes.csv").write_text("Uraian;2020\nJumlah Bidan;5\n", encoding="utf-8")
    return data, reports


def test_dry_run_keeps_each_folder_one_word(tmp_path):
    data, reports = _folders(tmp_path)
    proc = run_make("-n", "round", f"ROUND={ROUND}", f"DATA_DIR={data}", f"REPORTS_DIR={reports}")
    out = proc.stdout
    # the folder is written only once, shell-quoted, in the message for a missing round folder
    assert out.count("Bappeda") == out.count(f"{tmp_path}/Data Bappeda'\\''s/data/raw/{ROUND}'") == 1
    params = [line for line in out.splitlines() if "-p data_dir" in line]
    assert len(params) == 4  # the four stages of the round, each given the folders
    links = {w for line in params for w in line.split() if "/.venv/.paths/" in w}
    data_link = next(Path(w) for w in links if "/data-" in w)
    reports_link = next(Path(w.split(f"/{ROUND}/")[0]) for w in links if "/reports-" in w)
    assert os.path.realpath(data_link) == str(data) and os.path.realpath(reports_link) == str(reports)
    help_text = run_make("help", f"DATA_DIR={data}").stdout
    assert f"DATA_DIR={data}" in help_text and f"putaran: {ROUND}" in help_text


def test_the_round_must_be_a_date(tmp_path):
    data, reports = _folders(tmp_path)
    proc = run_make("round", 'ROUND=x"; touch dibobol; "', f"DATA_DIR={data}", check=False)
    assert proc.returncode == 2 and "YYYY-MM-DD" in proc.stderr
    assert not (ROOT / "dibobol").exists()
    proc = run_make("round", "ROUND=2030-01-01", f"DATA_DIR={data}", check=False)
    assert proc.returncode == 2 and f"Folder {data}/raw/2030-01-01 tidak ada" in proc.stderr


def test_clean_removes_only_generated_outputs(tmp_path):
    data, reports = _folders(tmp_path)
    processed = data / "processed"
    (processed / ROUND).mkdir(parents=True)
    (processed / ROUND / "manifest.json").write_text("{}")
    (processed / ROUND / "nilai.parquet").write_bytes(b"x")
    (processed / "riwayat_progres_opd.parquet").write_bytes(b"x")
    (processed / ".cache").mkdir()
    (processed / ".cache" / "referensi.pickle").write_bytes(b"x")
    (reports / ROUND / "notebooks").mkdir(parents=True)
    (reports / ROUND / f"laporan-evaluasi-{ROUND}.html").write_text("<html>")
    (reports / "templat").mkdir()
    (reports / "templat" / "DINKES-dinkes.xlsx").write_bytes(b"x")
    # the user's own: a folder named like a date, notes, and the folder named by the first word of the path
    (reports / "2019-12-31").mkdir()
    (reports / "2019-12-31" / "foto rapat.jpg").write_bytes(b"x")
    (reports / "catatan.txt").write_text("punya saya")
    (processed / "2019-01-01").mkdir()
    first_word = tmp_path / "Data"
    (first_word / "processed" / ROUND).mkdir(parents=True)
    (first_word / "processed" / ROUND / "penting.xlsx").write_bytes(b"x")
    run_make("clean", f"DATA_DIR={data}", f"REPORTS_DIR={reports}")
    assert not (processed / ROUND).exists() and not (processed / "riwayat_progres_opd.parquet").exists()
    assert not (processed / ".cache").exists()
    assert not (reports / ROUND).exists() and not (reports / "templat").exists()
    assert (reports / "2019-12-31" / "foto rapat.jpg").exists() and (reports / "catatan.txt").exists()
    assert (processed / "2019-01-01").is_dir()
    assert (first_word / "processed" / ROUND / "penting.xlsx").exists()
    assert (data / "raw" / ROUND / "01_Dinkes.csv").exists()
