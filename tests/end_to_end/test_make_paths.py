"""The Makefile with folders make cannot take as they are (a space, an apostrophe) and a `make clean`
that removes only what the pipeline generated. Quick: no notebook is run here (the full run on such
folders is in test_make_round)."""

from __future__ import annotations

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
    """make hands the round to `satudata putaran` (satudata/run/rounds.py, the one definition of the pipeline)
    with each folder as one shell word: no symlink, no folder split on its space or apostrophe."""
    import shlex

    data, reports = _folders(tmp_path)
    proc = run_make("-n", "round", f"ROUND={ROUND}", f"DATA_DIR={data}", f"REPORTS_DIR={reports}")
    (command,) = [line for line in proc.stdout.splitlines() if " putaran " in line]
    words = shlex.split(command)
    assert words[words.index("-m") + 1:words.index("-m") + 4] == ["satudata", "putaran", ROUND]
    assert words[words.index("--data-dir") + 1] == str(data)
    assert words[words.index("--reports-dir") + 1] == str(reports)
    assert ".paths" not in proc.stdout and not (ROOT / ".venv" / ".paths").exists()
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
