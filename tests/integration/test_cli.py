"""The command line without Jupyter: demo, rounds, ingest, progress and check, with their exit codes."""

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
