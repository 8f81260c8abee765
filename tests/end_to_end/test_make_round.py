"""The Makefile path on a small generated round in a temporary DATA_DIR: the numbers, not only files."""

import subprocess
import sys
from pathlib import Path

import pandas as pd

from satudata.run import demo

from .conftest import ROOT, run_make

ROUND = demo.SMALL_ROUND


def _clone_state() -> set[str]:
    """Every file in the clone outside .venv and .git, with its modification time."""
    out = set()
    for p in ROOT.rglob("*"):
        rel = p.relative_to(ROOT)
        if rel.parts[0] in {".venv", ".git", ".pytest_cache", ".hypothesis", ".ruff_cache"} or "__pycache__" in rel.parts:
            continue
        if p.is_file():
            out.add(f"{rel}:{p.stat().st_mtime_ns}")
    return out


def _small_round(tmp_path: Path, parent: str = "") -> tuple[Path, Path]:
    data, reports = tmp_path / parent / "data", tmp_path / parent / "laporan kita"
    subprocess.run(
        [sys.executable, "-m", "satudata", "demo", "--kecil", "--data-dir", str(data)], check=True
    )
    return data, reports


def test_make_round_on_a_small_round(tmp_path):
    data, reports = _small_round(tmp_path, "Data Bappeda's 2020")  # a space and an apostrophe in both folders
    # a file name as browsers and WhatsApp produce them: make must not choke on it
    raw = data / "raw" / ROUND
    (raw / "Dinkes (1) & rekap 50% #2.xlsx").write_bytes((raw / "02_Dinkes.xlsx").read_bytes())
    before = _clone_state()
    run_make("round", f"ROUND={ROUND}", f"DATA_DIR={data}", f"REPORTS_DIR={reports}")
    assert _clone_state() == before, "make round wrote inside the clone"

    progres = pd.read_parquet(data / "processed" / ROUND / "progres_opd.parquet").set_index("kode_opd")
    assert list(progres["putaran"].astype(str).unique()) == [ROUND]
    assert progres.loc["DIN01", ["wajib", "terpenuhi"]].tolist() == [50, 50]
    assert progres.loc["DIN01", "persen"] == 100.0 and progres.loc["DIN01", "zona"] == "hijau"
    assert progres.loc["DIN02", ["wajib", "terpenuhi"]].tolist() == [50, 20]
    assert progres.loc["DIN02", "persen"] == 40.0 and progres.loc["DIN02", "zona"] == "merah"
    assert progres.loc["DIN03", "persen"] == 76.0 and progres.loc["DIN03", "zona"] == "kuning"
    assert progres.loc["DIN04", "terpenuhi"] == 0 and progres.loc["DIN04", "zona"] == "merah"

    kekurangan = pd.read_parquet(data / "processed" / ROUND / "kekurangan.parquet")
    assert kekurangan.groupby("kode_opd").size().to_dict() == {"DIN02": 30, "DIN03": 12, "DIN04": 50}

    html = reports / ROUND / f"laporan-evaluasi-{ROUND}.html"
    assert html.exists() and "100,0" in html.read_text(encoding="utf-8")
    assert (reports / ROUND / f"tren-{ROUND}.html").exists()
    assert (reports / ROUND / "notebooks" / "01_ingest.ipynb").exists()
    for name in ("nilai.parquet", "masalah.parquet", "masalah.csv", "manifest.json", "progres_opd.csv"):
        assert (data / "processed" / ROUND / name).exists(), name

    # nothing changed: a second run executes no notebook
    again = run_make("all", f"DATA_DIR={data}", f"REPORTS_DIR={reports}")
    assert ">>" not in again.stdout, again.stdout
    # a new raw file in the round re-runs that round only from the ingest on
    (data / "raw" / ROUND / "catatan.txt").write_text("Sumber: Bappeda\n", encoding="utf-8")
    third = run_make("all", f"DATA_DIR={data}", f"REPORTS_DIR={reports}")
    assert "tahap 1" in third.stdout

    # clean removes what the pipeline generated, never the raw files (this round is not the demo's)
    raw_before = sorted(p.name for p in (data / "raw" / ROUND).iterdir())
    run_make("clean", f"DATA_DIR={data}", f"REPORTS_DIR={reports}")
    assert not (data / "processed" / ROUND).exists() and not (reports / ROUND).exists()
    assert not (data / "processed" / "riwayat_progres_opd.parquet").exists()
    assert sorted(p.name for p in (data / "raw" / ROUND).iterdir()) == raw_before
    assert (data / "reference" / "katalog.csv").exists()


def test_failing_cell_stops_make_and_leaves_no_report(tmp_path):
    data, reports = _small_round(tmp_path)
    catalogue = data / "reference" / "katalog.csv"
    lines = catalogue.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("nama_elemen", "judul")  # the element name column is missing: unusable
    catalogue.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run_make("round", f"ROUND={ROUND}", f"DATA_DIR={data}", f"REPORTS_DIR={reports}", check=False)
    assert proc.returncode != 0
    assert "isi sel" in proc.stderr and "run_ingest" in proc.stderr  # the failing cell is shown
    assert "kolom nama_elemen tidak ditemukan" in proc.stderr  # the error names what to fix
    assert not (data / "processed" / ROUND / "nilai.parquet").exists()
    assert not (reports / ROUND / f"laporan-evaluasi-{ROUND}.html").exists()
    assert (reports / ROUND / "notebooks" / "01_ingest.gagal.ipynb").exists()


def test_round_must_exist(tmp_path):
    data, reports = _small_round(tmp_path)
    proc = run_make("round", "ROUND=2030-01-01", f"DATA_DIR={data}", f"REPORTS_DIR={reports}", check=False)
    assert proc.returncode != 0 and "tidak ada" in proc.stderr
