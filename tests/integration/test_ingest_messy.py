"""A generated round of messy submissions: every value written comes back, cell by cell."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from satudata.reading.ingest import ingest_file, ingest_round, write_ingest
from satudata.reference.settings import Settings
from tests.integration.messy_fixtures import Truth, build_round


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.fixture(scope="module")
def round_(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    truth: Truth = build_round(raw)
    before = _hashes(raw)
    result = ingest_round(raw, "2024-03-01", truth.register, truth.catalogue, Settings())
    assert _hashes(raw) == before  # the raw folder is never written
    return raw, truth, result


def test_fixture_covers_at_least_twelve_readable_files(round_):
    raw, truth, _ = round_
    files = {v["file"] for v in truth.values}
    assert len(files) >= 12
    assert {Path(f).suffix for f in files} >= {".xlsx", ".csv", ".txt", ".ods", ".xls"}


def test_every_value_comes_back_cell_by_cell(round_):
    _, truth, res = round_
    n = res.nilai
    assert len(n) == len(truth.values)
    keyed = {(r.sumber_file, r.nama_elemen_asli, int(r.tahun)): r for r in n.itertuples()}
    assert len(keyed) == len(n)
    for want in truth.values:
        got = keyed[(want["file"], want["label"], want["tahun"])]
        assert got.status == want["status"], want
        if want["nilai"] is None:
            assert pd.isna(got.nilai), want
        else:
            assert got.nilai == pytest.approx(want["nilai"], rel=1e-12), want
        if want["kode_elemen"] is None:
            assert pd.isna(got.kode_elemen) and got.metode_cocok == "tidak_cocok"
        else:
            assert got.kode_elemen == want["kode_elemen"], want


def test_row_accounting_holds_for_every_file(round_):
    _, truth, res = round_
    entries = {e["berkas"]: e for e in res.manifest["berkas"]}
    assert len(entries) == len({v["file"] for v in truth.values} | truth.failing)
    for name, e in entries.items():
        b = e["baris"]
        assert b["dibaca"] == b["data"] + sum(b["struktur"].values()) + b["ditolak"], name
        assert b["ditolak"] == 0, name
        assert e["jumlah_nilai"] == sum(v["file"] == name for v in truth.values), name
    f03 = entries["03_Dinpertan.xlsx"]["baris"]
    assert f03["struktur"] == {"judul": 1, "header": 4, "judul_bagian": 2, "subtotal": 2, "catatan": 1}
    assert (f03["data"], f03["kosong"], f03["dibaca"]) == (4, 1, 14)
    assert entries["01_Dinkes_rev2.xlsx"]["baris"]["struktur"]["sheet_dilewati"] == 3
    t = res.manifest["jumlah_baris"]
    assert t["dibaca"] == t["data"] + sum(t["struktur"].values()) + t["ditolak"]


def test_expected_issues_per_file_and_no_error_elsewhere(round_):
    _, truth, res = round_
    m = res.masalah
    for name, codes in truth.issues.items():
        assert codes <= set(m.loc[m["sumber_file"] == name, "kode_masalah"]), name
    errors = m[m["tingkat"] == "galat"]
    assert set(errors["sumber_file"]) == truth.failing - {"16_surat.pdf"}  # unsupported: a warning
    assert m["pesan"].str.len().min() > 30


def test_opd_from_cell_name_folder_and_column(round_):
    _, _, res = round_
    opd = {e["berkas"]: e["kode_opd"] for e in res.manifest["berkas"]}
    assert opd["02_pendidikan.xlsx"] == "DINDIKBUD"  # cell "OPD: ..."
    assert opd["03_Dinpertan.xlsx"] == "DINPERTAN"  # cell "Perangkat Daerah : ..."
    assert opd["01_Dinkes_rev2.xlsx"] == "DINKES"  # file name
    assert opd["Dinas Kesehatan/laporan.xlsx"] == "DINKES"  # folder
    rekap = res.nilai[res.nilai["sumber_file"] == "12_rekap_bappeda.xlsx"]
    assert sorted(rekap["kode_opd"]) == ["DINHUB", "DINKES"]  # column
    assert rekap["dihitung"].all()


def test_duplicate_later_wins(round_):
    _, _, res = round_
    n = res.nilai
    dok = n[
        (n["kode_opd"] == "DINKES") & (n["kode_elemen"] == "DINKES.01") & (n["tahun"] == 2023)
    ].sort_values("sumber_file")
    assert list(dok["sumber_file"]) == ["01_Dinkes_rev2.xlsx", "Dinas Kesehatan/laporan.xlsx"]
    assert list(dok["dipakai"]) == [False, True] and list(dok["nilai"]) == [155.0, 156.0]
    dup = res.masalah[res.masalah["kode_masalah"] == "duplikat"]
    assert len(dup) == 1 and "terakhir" in dup.iloc[0]["pesan"]
    assert int(n["dipakai"].sum()) == len(n) - 1


def test_not_owed_values_are_kept_not_counted(round_):
    _, _, res = round_
    n = res.nilai[res.nilai["sumber_file"] == "10_Disdukcapil.xlsx"]
    by_label = n.groupby("nama_elemen_asli")["dihitung"].all().to_dict()
    assert by_label == {
        "Jml Penduduk Laki-Laki": True, "Jumlah Pendudk Perempuan": True, "Jumlah Kartu Keluarga": True,
        "Jumlah Dokter Umum": False, "Jumlah Pemohon KTP Elektronik": False,
    }  # fmt: skip
    fuzzy = res.masalah[res.masalah["kode_masalah"] == "cocok_fuzzy"]
    assert list(fuzzy["sumber_baris"]) == [3] and (fuzzy["tingkat"] == "info").all()


def test_ingest_file_and_write(round_, tmp_path):
    raw, truth, res = round_
    one = ingest_file(raw / "Dinas Kesehatan" / "laporan.xlsx", "2024-03-01", truth.register, truth.catalogue,
                      Settings(), folder_opd="Dinas Kesehatan")  # fmt: skip
    assert len(one.nilai) == 2 and set(one.nilai["kode_opd"]) == {"DINKES"}
    write_ingest(res, tmp_path)
    back = pd.read_parquet(tmp_path / "nilai.parquet")
    assert len(back) == len(res.nilai) and back["sumber_baris"].dtype == "int64"
    issues = pd.read_csv(tmp_path / "masalah.csv", encoding="utf-8-sig")
    assert list(issues.columns) == list(res.masalah.columns) and len(issues) == len(res.masalah)
