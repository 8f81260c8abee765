"""Catalogue loading: column mapping, years, hierarchy, derived codes and validation."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from satudata.reference.catalogue import CatalogueError, load_catalogue, load_reference, parse_years
from satudata.reference.register import RegisterError, register_from_frame
from satudata.reference.settings import Settings, load_settings, settings_from_dict

SIPD = Path(__file__).resolve().parents[1] / "data" / "reference" / "sipd-elemen-banten-2018.csv"


@pytest.fixture()
def register():
    return register_from_frame(pd.DataFrame({
        "kode_opd": ["DINKES", "DLH", "DISDIK"],
        "nama_opd": ["Dinas Kesehatan", "Dinas Lingkungan Hidup", "Dinas Pendidikan"],
        "singkatan": ["Dinkes", "DLH", "Disdik"],
        "jenis": ["dinas", "dinas", "dinas"],
        "alias": ["DKK", "", ""],
    }))  # fmt: skip


@pytest.mark.parametrize(
    ("text", "spans"),
    [("2015-2019", [(2015, 2019)]), ("2017, 2018, 2019", [(2017, 2017), (2018, 2018), (2019, 2019)]),
     ("2015 s.d. 2019", [(2015, 2019)]), ("2015 – 2019", [(2015, 2019)]), ("2019", [(2019, 2019)]),
     ("2019.0", [(2019, 2019)]), ("2015-19", [(2015, 2019)]), ("2016 dan 2018", [(2016, 2016), (2018, 2018)]),
     ("2019-2015", [(2019, 2015)])],
)
def test_parse_years(text, spans):
    assert parse_years(text) == spans


@pytest.mark.parametrize("text", ["abc", "", "2019 kira-kira", "tahun lalu"])
def test_parse_years_rejects_text(text):
    with pytest.raises(ValueError):
        parse_years(text)


def test_region_headers_load_through_settings_mapping_only(tmp_path: Path, register):
    wb = Workbook()
    ws = wb.active
    ws.append(["No", "PENGHASIL DATA", "NAMA DATA", "SATUAN", "PERIODE DATA"])
    ws.append([1, "Dinas Kesehatan", "Jumlah Puskesmas", "Unit", "2019-2021"])
    ws.append([2, "DKK", "Jumlah Dokter", "Orang", 2020])  # a year typed as an Excel number
    ws.append([3, "DLH", "Volume Air Limbah", "Liter", "Tahunan"])  # periodicity: default years
    ws.append([None, None, None, None, None])  # empty row: skipped
    ws.append([4, "Dinkes", "Jumlah Bidan", "Orang", "2019, 2021"])
    wb.save(tmp_path / "daftar.xlsx")
    (tmp_path / "pengaturan.toml").write_text(
        '[katalog]\nberkas = "daftar.xlsx"\ntahun_wajib = "2022-2023"\n\n[katalog.kolom]\n'
        '"PENGHASIL DATA" = "opd"\n"NAMA DATA" = "nama_elemen"\n"SATUAN" = "satuan"\n"PERIODE DATA" = "tahun"\n',
        encoding="utf-8")
    settings = load_settings(tmp_path / "pengaturan.toml")
    cat = load_catalogue(tmp_path / settings.catalogue.file, register, settings)
    e = cat.elements
    assert list(e["kode_elemen"]) == ["DINKES-001", "DINKES-002", "DLH-001", "DINKES-003"]
    assert list(e["kode_opd"]) == ["DINKES", "DINKES", "DLH", "DINKES"]
    assert list(e["tahun_wajib"]) == [(2019, 2020, 2021), (2020,), (2022, 2023), (2019, 2021)]
    assert set(e["kode_urusan"]) == {"-"} and set(e["nama_urusan"]) == {"Tanpa urusan"}
    assert list(e["satuan"]) == ["Unit", "Orang", "Liter", "Orang"]
    assert e["dihitung"].all() and list(e["tingkat"]) == [1, 1, 1, 1] and e["induk"].isna().all()
    assert cat.sha256 == hashlib.sha256((tmp_path / "daftar.xlsx").read_bytes()).hexdigest()
    items = cat.items()
    assert len(items) == 8
    assert items.groupby("kode_opd").size().to_dict() == {"DINKES": 6, "DLH": 2}
    assert list(items.columns) == ["kode_opd", "kode_elemen", "nama_elemen", "satuan", "kode_urusan",
                                   "nama_urusan", "tahun"]


def test_common_region_headers_are_recognised_without_a_mapping(tmp_path: Path, register):
    pd.DataFrame({"PENGHASIL DATA": ["DLH"], "NAMA DATA": ["x"], "PERIODE DATA": ["2020"]}).to_csv(
        tmp_path / "k.csv", index=False)
    cat = load_catalogue(tmp_path / "k.csv", register, Settings())
    assert list(cat.elements["kode_opd"]) == ["DLH"] and list(cat.elements["tahun_wajib"]) == [(2020,)]
    pd.DataFrame({"OPD PENGIRIM": ["DLH"], "JUDUL": ["x"], "PERIODE DATA": ["2020"]}).to_csv(
        tmp_path / "k.csv", index=False)
    with pytest.raises(CatalogueError) as err:
        load_catalogue(tmp_path / "k.csv", register, Settings())
    assert len(err.value.problems) == 2  # nama_elemen and opd columns missing
    assert all(p.baris is None for p in err.value.problems)
    assert "[katalog.kolom]" in str(err.value)


def _sipd_rows(n: int) -> list[dict]:
    with SIPD.open(encoding="utf-8") as fh:
        return [row for _, row in zip(range(n), csv.DictReader(fh), strict=False)]


@pytest.mark.parametrize(("levels", "owed"), [(None, 60), ([1], 19), ([1, 2], 46)])
def test_hierarchy_derived_from_sipd_numbering(tmp_path: Path, register, levels, owed):
    rows = _sipd_rows(60)
    frame = pd.DataFrame({"Kode": [r["ref_asli"] for r in rows], "Uraian": [r["elemen"] for r in rows],
                          "Satuan": [r["satuan"] for r in rows], "Urusan": [r["urusan"] for r in rows],
                          "OPD": "Disdik", "tahun": "2019-2020"})
    frame.to_csv(tmp_path / "sipd.csv", index=False)
    kolom = {"Kode": "kode_elemen", "Uraian": "nama_elemen", "Urusan": "nama_urusan", "OPD": "opd"}
    settings = settings_from_dict({"katalog": {"kolom": kolom, **({"tingkat_wajib": levels} if levels else {})}})
    e = load_catalogue(tmp_path / "sipd.csv", register, settings).elements.set_index("kode_elemen")
    # the derived level equals the level written in the SIPD document, row for row
    assert e["tingkat"].tolist() == [int(r["tingkat"]) for r in rows]
    assert e.loc["4.1.1.VI.III.2.1", "induk"] == "4.1.1.VI.III.2"
    assert e.loc["4.1.1.VI.IV.2.3.1", "induk"] == "4.1.1.VI.IV.2.3" and e.loc["4.1.1.VI.IV.2.3.1", "tingkat"] == 3
    assert pd.isna(e.loc["4.1.1.VI.I.1", "induk"])
    assert int(e["dihitung"].sum()) == owed
    assert e.loc["4.1.1.VI.I.1", "kode_urusan"] == "Pendidikan"  # name only: the name is the code


def test_explicit_parent_and_level_columns(tmp_path: Path, register):
    (tmp_path / "k.csv").write_text(
        "kode_elemen,nama_elemen,satuan,kode_opd,tahun_awal,tahun_akhir,induk,tingkat\n"
        "A,Jumlah Sekolah,Unit,DISDIK,2018,2020,,1\n"
        "B,Negeri,Unit,DISDIK,2018,2020,A,2\n"
        "C,Swasta,Unit,DISDIK,2019,,A,2\n", encoding="utf-8")
    cat = load_catalogue(tmp_path / "k.csv", register, settings_from_dict({"katalog": {"tingkat_wajib": [2]}}))
    e = cat.elements
    assert list(e["induk"].fillna("")) == ["", "A", "A"]
    assert list(e["dihitung"]) == [False, True, True]
    assert list(e["tahun_wajib"]) == [(2018, 2019, 2020), (2018, 2019, 2020), (2019,)]
    assert len(cat.items()) == 4


def test_every_problem_is_reported_with_its_row(tmp_path: Path, register):
    (tmp_path / "rusak.csv").write_text(
        "kode_elemen,nama_elemen,satuan,opd,tahun_awal,tahun_akhir,induk\n"
        "E1,Jumlah Puskesmas,Unit,Dinkes,2019,2020,\n"  # row 2: fine, but its code is reused in row 4
        "E2,,Orang,Dinkes,2019,2020,\n"  # row 3: missing name
        "E1,Jumlah Dokter,Orang,Dinkes,2019,2020,\n"  # row 4: duplicate code
        "E4,Jumlah Bidan,Orang,Dinas Kesehatann Hewan,2019,2020,\n"  # row 5: unknown OPD
        "E5,Jumlah Sampah,Ton,DLH,1850,2020,\n"  # row 6: impossible year
        "E6,Jumlah Air,Liter,DLH,2021,2019,\n"  # row 7: start after end
        "E7,Jumlah Guru,Orang,Disdik,dua ribu,,\n"  # row 8: unreadable year
        "E8,Jumlah Murid,Orang,Disdik,2019,2020,X9\n"  # row 9: unknown parent
        "E9,Jumlah Perawat,Orang,Dinkes,2019,2020,\n",  # row 10: fine
        encoding="utf-8")
    cat = load_catalogue(tmp_path / "rusak.csv", register, Settings())
    ex = cat.excluded
    assert list(zip(ex["baris"], ex["kolom"], ex["alasan"], strict=True)) == [
        (2, "kode_elemen", "kode_ganda"), (3, "nama_elemen", "nama_kosong"), (4, "kode_elemen", "kode_ganda"),
        (5, "opd", "opd_tidak_dikenal"), (6, "tahun_awal", "tahun_tidak_valid"),
        (7, "tahun_awal", "tahun_tidak_valid"), (8, "tahun_awal", "tahun_tidak_valid"), (9, "induk", "induk_tidak_ada")]
    texts = list(ex["pesan"])
    assert "juga di baris 4" in texts[0] and "juga di baris 2" in texts[2]
    assert "nama elemen kosong" in texts[1]
    assert "'Dinas Kesehatann Hewan' tidak dikenal" in texts[3] and "DINKES" in texts[3]
    assert "tahun 1850 tidak mungkin" in texts[4]
    assert "tahun awal 2021 lebih besar dari tahun akhir 2019" in texts[5]
    assert "bukan angka tahun" in texts[6] and "induk 'X9' tidak ada" in texts[7]
    assert list(cat.elements["kode_elemen"]) == ["E9"] and list(cat.elements["baris"]) == [10]
    assert cat.rows_read == 9 and len(cat.items()) == 2
    # the items the excluded rows would owe once fixed: 2 years each when readable, 0 for nothing known
    assert ex["butir"].tolist()[:2] == [2, 2]
    # ketat = true: the same rows stop the catalogue, each named
    with pytest.raises(CatalogueError) as err:
        load_catalogue(tmp_path / "rusak.csv", register, settings_from_dict({"katalog": {"ketat": True}}))
    report = str(err.value)
    assert report.startswith("Katalog 'rusak.csv' tidak dapat dipakai: ditemukan 8 masalah.")
    (tmp_path / "rusak.csv").write_text("\n".join((tmp_path / "rusak.csv").read_text().splitlines()[:-1]) + "\n")
    with pytest.raises(CatalogueError, match="tidak berisi satu baris elemen yang dapat dipakai \\(8 baris"):
        load_catalogue(tmp_path / "rusak.csv", register, Settings())
    assert "  5. Baris 6, kolom 'tahun_awal': tahun 1850 tidak mungkin" in report


def test_problems_name_the_region_headers(tmp_path: Path, register):
    (tmp_path / "k.csv").write_text("NAMA DATA;PENGHASIL DATA;PERIODE\nJumlah A;DLH;2019-2020\n;DLH;20x9\n",
                                    encoding="utf-8")
    kolom = {"NAMA DATA": "nama_elemen", "PENGHASIL DATA": "opd", "PERIODE": "tahun"}
    cat = load_catalogue(tmp_path / "k.csv", register, settings_from_dict({"katalog": {"kolom": kolom}}))
    assert list(zip(cat.excluded["baris"], cat.excluded["kolom"], strict=True)) == [(3, "NAMA DATA")]
    assert list(cat.elements["nama_elemen"]) == ["Jumlah A"]


def test_load_reference_validates_register_and_catalogue(tmp_path: Path):
    (tmp_path / "opd.csv").write_text(
        "kode_opd,nama_opd,singkatan,jenis,alias\nD01,Dinas Kesehatan,Dinkes,dinas,\n"
        "D02,Dinas Sosial,Dinsos,dinas,\n", encoding="utf-8")
    (tmp_path / "katalog.csv").write_text(
        "kode_elemen,nama_elemen,satuan,kode_urusan,nama_urusan,opd,tahun\n"
        "1,Jumlah Puskesmas,Unit,1.02,Kesehatan,Dinas Kesehatan Kota Lubuklinggau,2020-2022\n", encoding="utf-8")
    settings = settings_from_dict({"wilayah": {"nama": "Kota Lubuklinggau", "nama_singkat": "Lubuklinggau"}})
    register, cat = load_reference(tmp_path, settings)
    assert register.codes == ["D01", "D02"]
    assert cat.elements.loc[0, "kode_opd"] == "D01" and len(cat.items()) == 3


def test_missing_reference_files_are_reported_in_indonesian(tmp_path: Path, register):
    with pytest.raises(RegisterError, match="berkas daftar OPD .*opd.csv tidak ada"):
        load_reference(tmp_path, Settings())
    with pytest.raises(CatalogueError, match="berkas katalog .*katalog.csv tidak ada"):
        load_catalogue(tmp_path / "katalog.csv", register, Settings())


def test_title_rows_above_the_header_are_skipped_and_rows_keep_their_file_numbers(tmp_path: Path, register):
    wb = Workbook()
    ws = wb.active
    ws.append(["DAFTAR DATA SEKTORAL YANG WAJIB DISERAHKAN"])
    ws.append(["Kabupaten Demak, Tahun 2020"])
    ws.append([])
    ws.append(["kode_elemen", "nama_elemen", "satuan", "kode_opd", "tahun"])
    ws.append(["1.1", "Jumlah Puskesmas", "Unit", "DINKES", "2019-2020"])
    ws.append(["1.2", "Jumlah Bidan", "Orang", "Dinas Tidak Ada", "2019-2020"])  # row 6: unknown OPD
    ws.append(["1.3", "", "Orang", "DLH", "2019"])  # row 7: no name
    wb.save(tmp_path / "katalog.xlsx")
    cat = load_catalogue(tmp_path / "katalog.xlsx", register, Settings())
    assert list(cat.excluded["baris"]) == [6, 7]
    assert "Dinas Tidak Ada" in cat.excluded["pesan"][0]
    assert list(cat.elements["kode_elemen"]) == ["1.1"]
    assert list(cat.elements["tahun_wajib"]) == [(2019, 2020)]
    assert len(cat.items()) == 2
