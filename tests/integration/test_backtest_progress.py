"""Back test: a hand-computed fixture of 6 producers, 14 items and 3 rounds.

Catalogue (levels owed: [1]):
  DINKES  K1 2019-2020, K2 2019-2020 (Kesehatan 1.02), K2.1 sub-element (not owed)   4 items
  DISDIK  P1 2018-2020, P2 2020 (Pendidikan 1.01)                                      4 items
  BAPPEDA B1 2020, B2 2020 (Perencanaan 2.01)                                          2 items
  KECWS   W1 2019-2020 (no urusan -> "-" / "Tanpa urusan")                             2 items
  PKK     S1 2019-2020 (Kesehatan 1.02)                                                2 items
  INSP    owes nothing
Expected percents, by hand:
  round        DINKES  DISDIK  BAPPEDA  KECWS  PKK   mean  pooled
  2020-08-27   50      75      0        0      100   45    7/14
  2020-10-01   75      100     50       50     100   75    11/14
  2020-12-01   100     100     50       100    100   90    13/14
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from satudata.evaluation.progress import compute_progress, write_progress
from satudata.reference.catalogue import CatalogueError, load_catalogue
from satudata.reference.register import register_from_frame
from satudata.reference.settings import settings_from_dict

R1, R2, R3 = "2020-08-27", "2020-10-01", "2020-12-01"

CATALOGUE_CSV = """kode_elemen,nama_elemen,satuan,kode_urusan,nama_urusan,kode_opd,tahun,tingkat
K1,Jumlah Puskesmas,Unit,1.02,Kesehatan,DINKES,2019-2020,1
K2,Jumlah Kematian Ibu,Orang,1.02,Kesehatan,Dinkes,"2019, 2020",1
K2.1,Kematian Ibu Melahirkan,Orang,1.02,Kesehatan,DINKES,2019-2020,2
P1,Jumlah Siswa SD,Orang,1.01,Pendidikan,DISDIK,2018-2020,1
P2,Jumlah Guru SD,Orang,1.01,Pendidikan,Dinas Pendidikan,2020,1
B1,Jumlah Dokumen Perencanaan,Dokumen,2.01,Perencanaan,BAPPEDA,2020,1
B2,Jumlah Musrenbang,Kegiatan,2.01,Perencanaan,BAPPEDA,2020,1
W1,Jumlah Desa,Desa,,,Kecamatan Wonosalam,2019-2020,1
S1,Jumlah Kader PKK,Orang,1.02,Kesehatan,PKK,2019-2020,1
"""


def register():
    return register_from_frame(pd.DataFrame({
        "kode_opd": ["DINKES", "DISDIK", "BAPPEDA", "KECWS", "PKK", "INSP"],
        "nama_opd": ["Dinas Kesehatan", "Dinas Pendidikan", "Badan Perencanaan Pembangunan Daerah",
                     "Kecamatan Wonosalam", "Tim Penggerak PKK", "Inspektorat"],
        "singkatan": ["Dinkes", "Disdik", "Bappeda", "Kec. Wonosalam", "TP PKK", "Inspektorat"],
        "jenis": ["dinas", "dinas", "badan", "kecamatan", "organisasi sosial", "inspektorat"],
        "alias": ["", "", "", "", "PKK", ""],
    }))  # fmt: skip


def value(putaran, opd, kode, tahun, status, nilai=None, dihitung=True, dipakai=True, baris=5):
    return {"putaran": putaran, "kode_opd": opd, "kode_elemen": kode, "nama_elemen": kode, "tahun": tahun,
            "nilai": nilai, "status": status, "dihitung": dihitung, "dipakai": dipakai,
            "sumber_file": f"{opd}-{putaran}.xlsx", "sumber_sheet": "Sheet1", "sumber_baris": baris,
            "sumber_kolom": "C"}


def nilai_frames() -> dict[str, pd.DataFrame]:
    r1 = [
        value(R1, "DINKES", "K1", 2019, "ada", 10.0),
        value(R1, "DINKES", "K1", 2020, "tidak_tersedia"),  # "..." does not fulfil
        value(R1, "DINKES", "K2", 2019, "nihil", 0.0),  # "-" fulfils
        value(R1, "DINKES", "K2.1", 2019, "ada", 3.0),  # level 2: not owed
        value(R1, "DINKES", None, 2019, "ada", 7.0, dihitung=False),  # element not owed (extra data)
        value(R1, "DISDIK", "P1", 2018, "ada", 100.0),
        value(R1, "DISDIK", "P1", 2019, "ada", 20.0, baris=6),  # replaced in round 2
        value(R1, "DISDIK", "P1", 2020, "ada", 30.0),
        value(R1, "KECWS", "W1", 2019, "rahasia"),  # "x" does not fulfil
        value(R1, "PKK", "S1", 2019, "ada", 50.0),
        value(R1, "PKK", "S1", 2020, "ada", 55.0, baris=9),
        value(R1, "INSP", None, 2020, "ada", 1.0, dihitung=False),
    ]
    r2 = [
        value(R2, "DINKES", "K1", 2020, "ada", 12.0),
        value(R2, "DINKES", "K2", 2020, "tidak_tersedia"),
        value(R2, "DISDIK", "P2", 2020, "ada", 40.0),
        value(R2, "DISDIK", "P1", 2019, "ada", 99.0, baris=11),
        value(R2, "BAPPEDA", "B1", 2020, "ada", 3.0),
        value(R2, "KECWS", "W1", 2019, "ada", 14.0),
    ]
    r3 = [
        value(R3, "DINKES", "K2", 2020, "nihil", 0.0),
        value(R3, "DINKES", "K1", 2021, "ada", 13.0),  # year not owed
        value(R3, "DISDIK", "P2", 2020, "ada", 7.0, dipakai=True, baris=20),
        value(R3, "DISDIK", "P2", 2020, "ada", 5.0, dipakai=False, baris=21),
        value(R3, "BAPPEDA", "B2", 2020, "tidak_tersedia"),
        value(R3, "KECWS", "W1", 2020, "ada", 14.0),
        value(R3, "PKK", "S1", 2020, "tidak_tersedia"),  # does not undo the valid value of round 1
    ]
    return {r: pd.DataFrame(rows) for r, rows in ((R1, r1), (R2, r2), (R3, r3))}


@pytest.fixture()
def setup(tmp_path: Path):
    path = tmp_path / "katalog.csv"
    path.write_text(CATALOGUE_CSV, encoding="utf-8")
    settings = settings_from_dict({"katalog": {"tingkat_wajib": [1]}})
    reg = register()
    return load_catalogue(path, reg, settings), reg, settings


def run_all(setup):
    catalogue, reg, settings = setup
    frames = nilai_frames()
    results, previous = {}, None
    for r in (R1, R2, R3):
        results[r] = compute_progress(r, frames, catalogue, reg, settings, previous)
        previous = results[r].progres_opd
    return results


def by_opd(result) -> pd.DataFrame:
    return result.progres_opd.set_index("kode_opd")


def test_catalogue_items_of_fixture(setup):
    catalogue = setup[0]
    assert len(catalogue.elements) == 9
    assert len(catalogue.items()) == 14
    assert catalogue.elements.set_index("kode_elemen").loc["K2.1", "dihitung"] == False  # noqa: E712
    assert catalogue.elements.set_index("kode_elemen").loc["W1", "nama_urusan"] == "Tanpa urusan"


def test_round_one(setup):
    res = run_all(setup)[R1]
    t = by_opd(res)
    assert t["wajib"].to_dict() == {"PKK": 2, "DISDIK": 4, "DINKES": 4, "BAPPEDA": 2, "KECWS": 2, "INSP": 0}
    assert t["terpenuhi"].to_dict() == {"PKK": 2, "DISDIK": 3, "DINKES": 2, "BAPPEDA": 0, "KECWS": 0, "INSP": 0}
    assert list(res.progres_opd["kode_opd"]) == ["PKK", "DISDIK", "DINKES", "BAPPEDA", "KECWS", "INSP"]
    assert list(res.progres_opd["persen"].iloc[:5]) == [100.0, 75.0, 50.0, 0.0, 0.0]
    assert math.isnan(t.loc["INSP", "persen"]) and pd.isna(t.loc["INSP", "zona"])
    assert list(res.progres_opd["zona"].iloc[:5]) == ["hijau", "kuning", "kuning", "merah", "merah"]
    assert res.progres_opd["selisih"].isna().all() and res.progres_opd["arah_zona"].isna().all()
    s = res.ringkasan
    assert s["rata_rata_persen"] == pytest.approx(45.0)
    assert s["persen_gabungan"] == pytest.approx(50.0)
    assert (s["wajib"], s["terpenuhi"], s["jumlah_produsen"], s["jumlah_tanpa_wajib"]) == (14, 7, 5, 1)
    assert s["jumlah_zona"] == {"hijau": 1, "kuning": 2, "merah": 2}
    assert s["putaran_sebelumnya"] is None and s["selisih_rata_rata"] is None
    k = res.kekurangan
    assert len(k) == 7
    assert set(zip(k["kode_opd"], k["kode_elemen"], k["tahun"], strict=True)) == {
        ("DINKES", "K1", 2020), ("DINKES", "K2", 2020), ("DISDIK", "P2", 2020), ("BAPPEDA", "B1", 2020),
        ("BAPPEDA", "B2", 2020), ("KECWS", "W1", 2019), ("KECWS", "W1", 2020)}
    status = {(r.kode_elemen, r.tahun): r.status_terakhir for r in k.itertuples()}
    assert status[("K1", 2020)] == "tidak_tersedia" and status[("W1", 2019)] == "rahasia"
    assert pd.isna(status[("B1", 2020)])
    u = res.progres_urusan.set_index("kode_urusan")
    assert u.loc["1.02", "wajib"] == 6 and u.loc["1.02", "terpenuhi"] == 4 and u.loc["1.02", "jumlah_opd"] == 2
    assert u.loc["1.02", "persen"] == pytest.approx(400 / 6) and u.loc["1.02", "zona"] == "kuning"
    assert u.loc["-", "nama_urusan"] == "Tanpa urusan" and u.loc["-", "persen"] == 0.0


def test_round_two_change(setup):
    res = run_all(setup)[R2]
    t = by_opd(res)
    assert t["persen"].iloc[:5].to_dict() == {"DISDIK": 100.0, "PKK": 100.0, "DINKES": 75.0, "BAPPEDA": 50.0,
                                             "KECWS": 50.0}
    assert t.loc["KECWS", "zona"] == "kuning"  # exactly 50 %
    assert t["selisih"].iloc[:5].to_dict() == {"DISDIK": 25.0, "PKK": 0.0, "DINKES": 25.0, "BAPPEDA": 50.0,
                                              "KECWS": 50.0}
    assert t["arah_zona"].iloc[:5].to_dict() == {"DISDIK": "naik", "PKK": "tetap", "DINKES": "tetap",
                                                "BAPPEDA": "naik", "KECWS": "naik"}
    assert t.loc["BAPPEDA", "zona_sebelumnya"] == "merah" and t.loc["BAPPEDA", "persen_sebelumnya"] == 0.0
    s = res.ringkasan
    assert s["rata_rata_persen"] == pytest.approx(75.0) and s["persen_gabungan"] == pytest.approx(1100 / 14)
    assert (s["putaran_sebelumnya"], s["rata_rata_sebelumnya"], s["selisih_rata_rata"]) == (R1, 45.0, 30.0)
    assert (s["naik_zona"], s["turun_zona"], s["terpenuhi"]) == (3, 0, 11)
    assert s["jumlah_zona"] == {"hijau": 2, "kuning": 3, "merah": 0}
    assert len(res.kekurangan) == 3
    # the replaced value: round 2 wins, both are seen
    item = res.item_terkini.set_index(["kode_elemen", "tahun"]).loc[("P1", 2019)]
    assert (item["nilai"], item["putaran_nilai"], item["jumlah_nilai"], item["sumber_baris"]) == (99.0, R2, 2, 11)
    assert item["sumber_file"] == f"DISDIK-{R2}.xlsx"


def test_round_three_final(setup):
    res = run_all(setup)[R3]
    t = by_opd(res)
    assert t["terpenuhi"].to_dict() == {"DINKES": 4, "DISDIK": 4, "KECWS": 2, "PKK": 2, "BAPPEDA": 1, "INSP": 0}
    assert list(res.progres_opd["kode_opd"]) == ["DINKES", "DISDIK", "KECWS", "PKK", "BAPPEDA", "INSP"]
    assert t["selisih"].iloc[:5].to_dict() == {"DINKES": 25.0, "DISDIK": 0.0, "KECWS": 50.0, "PKK": 0.0,
                                              "BAPPEDA": 0.0}
    assert t["arah_zona"].iloc[:5].to_dict() == {"DINKES": "naik", "DISDIK": "tetap", "KECWS": "naik",
                                                "PKK": "tetap", "BAPPEDA": "tetap"}
    s = res.ringkasan
    assert s["rata_rata_persen"] == pytest.approx(90.0) and s["persen_gabungan"] == pytest.approx(1300 / 14)
    assert s["jumlah_zona"] == {"hijau": 4, "kuning": 1, "merah": 0}
    assert (s["naik_zona"], s["turun_zona"], s["selisih_rata_rata"]) == (2, 0, 15.0)
    k = res.kekurangan
    assert k[["kode_opd", "nama_opd", "kode_elemen", "nama_elemen", "satuan", "kode_urusan", "nama_urusan",
              "tahun", "status_terakhir"]].astype(object).values.tolist() == [
        ["BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "B2", "Jumlah Musrenbang", "Kegiatan", "2.01",
         "Perencanaan", 2020, "tidak_tersedia"]]
    terkini = res.item_terkini.set_index(["kode_elemen", "tahun"])
    assert len(terkini) == 14 and int(terkini["terpenuhi"].sum()) == 13
    assert terkini.loc[("P2", 2020), "nilai"] == 7.0  # the dipakai row wins inside round 3
    assert terkini.loc[("P2", 2020), "jumlah_nilai"] == 3
    assert terkini.loc[("S1", 2020), "nilai"] == 55.0 and terkini.loc[("S1", 2020), "putaran_nilai"] == R1
    assert terkini.loc[("K2", 2020), "status"] == "nihil" and terkini.loc[("K2", 2020), "nilai"] == 0.0
    assert terkini.loc[("K1", 2019), "jumlah_nilai"] == 1  # the 2021 value (not owed) is not counted
    u = res.progres_urusan
    assert list(u["nama_urusan"]) == ["Kesehatan", "Pendidikan", "Tanpa urusan", "Perencanaan"]
    assert list(u["persen"]) == [100.0, 100.0, 100.0, 50.0]
    assert list(u["wajib"]) == [6, 4, 2, 2] and list(u["zona"]) == ["hijau", "hijau", "hijau", "kuning"]
    j = res.progres_jenis.set_index("jenis")
    assert j.loc["dinas", ["wajib", "terpenuhi", "jumlah_opd"]].tolist() == [8, 8, 2]
    assert j.loc["badan", "persen"] == 50.0 and j.loc["badan", "zona"] == "kuning"
    assert j.loc["inspektorat", "jumlah_tanpa_wajib"] == 1 and math.isnan(j.loc["inspektorat", "persen"])
    assert pd.isna(j.loc["inspektorat", "zona"])


def test_write_outputs_and_history_upsert(setup, tmp_path: Path):
    results = run_all(setup)
    history = tmp_path / "processed" / "riwayat_progres_opd.parquet"
    for r in (R3, R1, R2, R2):  # out of order and a rebuild: history stays one set per round
        write_progress(results[r], tmp_path / "processed" / r, history)
    stacked = pd.read_parquet(history)
    assert len(stacked) == 18
    assert list(stacked["putaran"].drop_duplicates()) == [R1, R2, R3]
    assert stacked.groupby("putaran")["terpenuhi"].sum().to_dict() == {R1: 7, R2: 11, R3: 13}
    out = tmp_path / "processed" / R3
    names = {p.name for p in out.iterdir()}
    assert names == {"progres_opd.parquet", "progres_opd.csv", "progres_urusan.parquet",
                     "progres_jenis.parquet", "ringkasan.json", "kekurangan.parquet", "item_terkini.parquet"}
    opd = pd.read_parquet(out / "progres_opd.parquet")
    assert list(opd.columns) == ["putaran", "kode_opd", "nama_opd", "singkatan", "jenis", "wajib", "terpenuhi",
                                 "persen", "zona", "persen_sebelumnya", "selisih", "zona_sebelumnya", "arah_zona"]
    assert opd["persen"].iloc[:5].tolist() == [100.0, 100.0, 100.0, 100.0, 50.0]
    csv = pd.read_csv(out / "progres_opd.csv", encoding="utf-8-sig")
    assert csv["terpenuhi"].tolist() == [4, 4, 2, 2, 1, 0]
    summary = json.loads((out / "ringkasan.json").read_text(encoding="utf-8"))
    assert summary["jumlah_zona"] == {"hijau": 4, "kuning": 1, "merah": 0} and summary["terpenuhi"] == 13
    assert len(pd.read_parquet(out / "kekurangan.parquet")) == 1


def test_invalid_catalogue_writes_no_progress(tmp_path: Path):
    path = tmp_path / "katalog.csv"
    path.write_text(CATALOGUE_CSV.replace("P2,Jumlah Guru SD", "P1,Jumlah Guru SD"), encoding="utf-8")
    out, history = tmp_path / "processed" / R1, tmp_path / "processed" / "riwayat_progres_opd.parquet"
    # by default the two rows sharing a code are excluded and listed; with ketat = true nothing is computed
    catalogue = load_catalogue(path, register(), settings_from_dict({"katalog": {"tingkat_wajib": [1]}}))
    assert list(zip(catalogue.excluded["baris"], catalogue.excluded["alasan"], strict=True)) == [
        (5, "kode_ganda"), (6, "kode_ganda")]
    assert "P1" not in set(catalogue.elements["kode_elemen"])
    settings = settings_from_dict({"katalog": {"tingkat_wajib": [1], "ketat": True}})
    with pytest.raises(CatalogueError) as err:
        catalogue = load_catalogue(path, register(), settings)
        write_progress(compute_progress(R1, nilai_frames(), catalogue, register(), settings), out, history)
    assert [(p.baris, p.kolom) for p in err.value.problems] == [(5, "kode_elemen"), (6, "kode_elemen")]
    assert not out.exists() and not history.exists()
