"""e-Walidata JSON into the long shape of a DSSD export: every record on its code and year, Indonesian numbers,
nil and not-available marks, and the records that cannot be used named one by one."""

from __future__ import annotations

import json

import pytest

from satudata.sources.ewalidata import read_ewalidata

RECORDS = [
    {"kodeindikator": "1.02.0001", "uraian_indikator": "Jumlah puskesmas", "satuan": "Unit",
     "bidangurusan": "Kesehatan", "tahun": "2021", "data": "27", "status_verifikasi_walidata": "Terverifikasi",
     "lastupdate": "2024-03-01 10:00:00"},
    {"kodeindikator": "1.02.0001", "uraian_indikator": "Jumlah puskesmas", "satuan": "Unit",
     "bidangurusan": "Kesehatan", "tahun": 2022, "data": 27.0, "status_verifikasi_walidata": "Terverifikasi",
     "lastupdate": "2024-03-01 10:00:00"},
    {"kodeindikator": "1.02.0002", "uraian_indikator": "Jumlah tenaga kesehatan", "satuan": "Orang",
     "bidangurusan": "Kesehatan", "tahun": "2021", "data": "1.234", "status_verifikasi_walidata": "Belum",
     "lastupdate": "2024-03-02"},
    {"kodeindikator": "1.02.0003", "uraian_indikator": "Angka kematian bayi", "satuan": "per 1.000",
     "bidangurusan": "Kesehatan", "tahun": "2021", "data": "12,5", "status_verifikasi_walidata": "",
     "lastupdate": ""},
    {"kodeindikator": "1.02.0003", "uraian_indikator": "Angka kematian bayi", "satuan": "per 1.000",
     "bidangurusan": "Kesehatan", "tahun": "2022", "data": "-", "status_verifikasi_walidata": "", "lastupdate": ""},
    {"kodeindikator": "1.02.0003", "uraian_indikator": "Angka kematian bayi", "satuan": "per 1.000",
     "bidangurusan": "Kesehatan", "tahun": "2023", "data": "...", "status_verifikasi_walidata": "", "lastupdate": ""},
    {"kodeindikator": "1.02.0004", "uraian_indikator": "Jumlah posyandu", "satuan": "Unit",
     "bidangurusan": "Kesehatan", "tahun": "2023", "data": None, "status_verifikasi_walidata": "", "lastupdate": ""},
    {"kodeindikator": "1.02.0005", "uraian_indikator": "Cakupan imunisasi", "satuan": "%",
     "bidangurusan": "Kesehatan", "tahun": "dua ribu", "data": "90", "status_verifikasi_walidata": "", "lastupdate": ""},
    {"kodeindikator": "1.02.0006", "uraian_indikator": "Jumlah bidan", "satuan": "Orang",
     "bidangurusan": "Kesehatan", "tahun": "2021", "data": "banyak", "status_verifikasi_walidata": "", "lastupdate": ""},
]  # fmt: skip


def test_every_record_on_its_code_and_year(tmp_path):
    path = tmp_path / "ewalidata.json"
    path.write_text(json.dumps({"status": True, "data": RECORDS}), encoding="utf-8")
    export = read_ewalidata(path)
    cells = {(k, t): (n, s) for k, t, n, s in export.values[["kode_dssd", "tahun", "nilai", "status"]].itertuples(index=False)}
    assert cells[("1.02.0001", 2021)] == (27.0, "ada")
    assert cells[("1.02.0001", 2022)] == (27.0, "ada")  # a JSON number and a year as a number
    assert cells[("1.02.0002", 2021)] == (1234.0, "ada")  # dot thousands
    assert cells[("1.02.0003", 2021)] == (12.5, "ada")  # comma decimal
    assert cells[("1.02.0003", 2022)] == (0.0, "nihil")
    assert cells[("1.02.0003", 2023)][1] == "tidak_tersedia"
    assert cells[("1.02.0004", 2023)][1] == "kosong"
    assert cells[("1.02.0006", 2021)][1] == "tidak_valid"
    assert ("1.02.0005", 2000) not in cells and len(cells) == 8  # the unreadable year is left out, with an issue
    assert export.elements == 5 and export.years == [2021, 2022, 2023]
    row = export.values.iloc[2]
    assert (row["uraian_dssd"], row["satuan"], row["bidangurusan"], row["status_verifikasi_walidata"],
            row["lastupdate"], row["sumber_baris"], row["sumber_kolom"]) == (
        "Jumlah tenaga kesehatan", "Orang", "Kesehatan", "Belum", "2024-03-02", 3, "data")  # fmt: skip
    assert len(export.issues) == 2
    assert "rekaman ke-8 (1.02.0005): tahun 'dua ribu' tidak dapat dibaca" in export.issues[0]
    assert "rekaman ke-9 (1.02.0006) tahun 2021: data 'banyak' bukan angka" in export.issues[1]


def test_a_number_read_two_ways_is_an_issue(tmp_path):
    path = tmp_path / "e.json"
    path.write_text(json.dumps([{**RECORDS[0], "data": "1,234"}, {**RECORDS[1], "data": "12.5"}]), encoding="utf-8")
    export = read_ewalidata(path)
    assert export.values["nilai"].tolist() == [1.234, 12.5]
    assert export.issues == [
        "Berkas e.json, rekaman ke-1 (1.02.0001) tahun 2021: data '1,234' dibaca 1,234 (koma dibaca sebagai "
        "desimal; bila maksudnya ribuan, tulis tanpa koma). Periksa angkanya di e-Walidata.",
        "Berkas e.json, rekaman ke-2 (1.02.0001) tahun 2022: data '12.5' dibaca 12,5 (titik dibaca sebagai "
        "desimal). Periksa angkanya di e-Walidata."]


def test_a_bare_list_and_a_duplicate(tmp_path):
    path = tmp_path / "e.json"
    path.write_text(json.dumps(RECORDS[:1] + [{**RECORDS[0], "data": "28"}]), encoding="utf-8")
    export = read_ewalidata(path)
    assert export.values[["kode_dssd", "tahun", "nilai"]].values.tolist() == [["1.02.0001", 2021, 28.0]]
    assert "sudah ada di rekaman ke-1; yang terakhir dipakai" in export.issues[0]


@pytest.mark.parametrize("text", ['{"a": 1}', "[1, 2]", "bukan json"])
def test_not_ewalidata_is_said(tmp_path, text):
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="x.json: bukan JSON"):
        read_ewalidata(path)
