"""How a broken-down or sub-annual table fulfils an item (element x year): any valid value of the element
for that year does, whatever its wilayah, month or total flag; a value without a year never does."""

from __future__ import annotations

from satudata.reading.ingest import ingest_file
from satudata.reference.settings import Settings
from tests.integration.messy_fixtures import make_catalogue, make_register
from tests.integration.test_ingest_files import _save


def test_wilayah_and_month_tables_fulfil_their_element_and_year(tmp_path):
    path = _save(tmp_path / "Dinkes_kecamatan.xlsx", [
        ["JUMLAH TENAGA KESEHATAN MENURUT KECAMATAN TAHUN 2022"], [],
        ["No", "Kecamatan", "Jumlah Bidan", "Jumlah Dokter Umum"],
        [1, "Wedung", 20, 3], [2, "Mijen", 15, "-"], ["Jumlah", None, 35, 3],
    ])  # fmt: skip
    res = ingest_file(path, "2024-01-01", make_register(), make_catalogue(), Settings())
    n = res.nilai
    assert len(n) == 6
    counted = n[n["dihitung"]]
    assert set(zip(counted["kode_elemen"], counted["tahun"], strict=True)) == {("DINKES.02", 2022), ("DINKES.01", 2022)}
    wedung = n[(n["rincian"] == "Wedung") & (n["nama_elemen_asli"] == "Jumlah Bidan")].iloc[0]
    assert (wedung["nilai"], wedung["jenis_rincian"], wedung["sumber_kolom"], wedung["sumber_baris"]) == (20, "wilayah", "C", 4)
    total = n[n["total"] & (n["nama_elemen_asli"] == "Jumlah Bidan")].iloc[0]
    assert total["nilai"] == 35 and total["sumber_baris"] == 6 and total["dipakai"] in (True, False)
    assert n.loc[n["teks_asli"] == "-", "status"].tolist() == ["nihil"]
    assert res.manifest["berkas"][0]["sel"] == {"angka": 7, "nilai": 5, "struktur": 2, "masalah": 0}


def test_values_without_a_year_are_kept_never_counted(tmp_path):
    path = _save(tmp_path / "Dinkes.xlsx", [["Bulan", "Jumlah Bidan"], ["Januari", 4], ["Februari", 5]])
    res = ingest_file(path, "2024-01-01", make_register(), make_catalogue(), Settings())
    n = res.nilai
    assert len(n) == 2 and n["tahun"].isna().all() and not n["dihitung"].any()
    assert n["periode"].tolist() == ["Januari", "Februari"]
    assert "tahun_tidak_diketahui" in set(res.masalah["kode_masalah"])
