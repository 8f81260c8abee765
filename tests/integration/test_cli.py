"""The command line without Jupyter: demo, rounds, ingest, progress and check, with their exit codes."""

import os
import sys

import openpyxl
import pandas as pd

from satudata.run import demo
from satudata.run.cli import main


def test_stages_run_from_the_command_line(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["demo", "--kecil", "--data-dir", str(data)]) == 0
    assert main(["rounds", "--data-dir", str(data)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == demo.SMALL_ROUND
    assert main(["ingest", "--round", demo.SMALL_ROUND, "--data-dir", str(data)]) == 0
    assert main(["progress", "--round", demo.SMALL_ROUND, "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:3] for line in out.splitlines() if line.startswith("DIN")}
    assert rows == {"DIN01": ["100,0", "hijau"], "DIN02": ["40,0", "merah"], "DIN03": ["76,0", "kuning"],
                    "DIN04": ["0,0", "merah"]}
    progres = pd.read_parquet(data / "processed" / demo.SMALL_ROUND / "progres_opd.parquet")
    assert progres.set_index("kode_opd").loc["DIN03", "persen"] == 76.0


def test_hitung_is_ingest_and_progress_in_one_process(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    assert main(["demo", "--kecil", "--data-dir", str(data)]) == 0
    from satudata.reference import catalogue

    loads = []
    real_load = catalogue.load_reference
    monkeypatch.setattr(catalogue, "load_reference", lambda *a, **k: loads.append(1) or real_load(*a, **k))
    capsys.readouterr()
    assert main(["hitung", "--round", demo.SMALL_ROUND, "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "122 nilai, 3 masalah."
    rows = {line.split()[0]: line.split()[1:3] for line in out.splitlines() if line.startswith("DIN")}
    assert rows == {"DIN01": ["100,0", "hijau"], "DIN02": ["40,0", "merah"], "DIN03": ["76,0", "kuning"],
                    "DIN04": ["0,0", "merah"]}
    assert len(loads) == 1  # the register and catalogue are read once for both stages
    processed = data / "processed" / demo.SMALL_ROUND
    assert len(pd.read_parquet(processed / "nilai.parquet")) == 122
    assert pd.read_parquet(processed / "progres_opd.parquet").set_index("kode_opd").loc["DIN02", "persen"] == 40.0


def test_check_one_file_names_the_cell_to_fix(tmp_path, capsys):
    data = tmp_path / "data"
    main(["demo", "--kecil", "--data-dir", str(data)])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["OPD: Dinas Kesehatan"])
    ws.append(["Uraian", "Satuan", "2015", "2016"])
    ws.append(["Jumlah Puskesmas", "Unit", "27", "dua puluh"])
    path = tmp_path / "kiriman.xlsx"
    wb.save(path)
    code = main(["check", str(path), "--data-dir", str(data)])
    out = capsys.readouterr().out
    assert code == 1
    assert "baris 3, kolom D" in out and "dua puluh" in out


def test_a_bad_round_date_is_explained(tmp_path, capsys):
    assert main(["ingest", "--round", "27-08-2020", "--data-dir", str(tmp_path)]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err


HOLD_ROUND = """
import sys, time
from satudata.run.run_lock import data_lock
with data_lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    print(time.time(), flush=True)  # the moment the round lets the folder go
"""


def test_hitung_during_a_round_waits_for_the_data_folder_then_runs(tmp_path, capsys):
    """Issue 26: `satudata hitung` started while `make round` holds the data folder waits for it, says so, and runs
    after it (once in 18 tries it used to fail: a processed folder removed under it)."""
    import subprocess
    import time

    data = tmp_path / "data"
    assert main(["demo", "--kecil", "--data-dir", str(data)]) == 0
    capsys.readouterr()
    round_run = subprocess.Popen([sys.executable, "-c", HOLD_ROUND, str(data), "2"], stdout=subprocess.PIPE, text=True)
    assert round_run.stdout.readline().strip() == "held"
    started = time.monotonic()
    assert main(["hitung", "--round", demo.SMALL_ROUND, "--data-dir", str(data)]) == 0
    waited = time.monotonic() - started
    released = float(round_run.stdout.readline())
    round_run.wait()
    captured = capsys.readouterr()
    assert waited >= 1.5
    assert "sedang dipakai proses lain" in captured.err and f"PID {round_run.pid}" in captured.err
    assert captured.out.splitlines()[0] == "122 nilai, 3 masalah."
    manifest = data / "processed" / demo.SMALL_ROUND / "manifest.json"
    assert manifest.stat().st_mtime >= released  # written after the round let go, not beside it
    assert os.environ.get("SATUDATA_DATA_LOCK") is None  # the lock is not left marked as held

