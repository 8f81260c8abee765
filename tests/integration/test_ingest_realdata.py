"""Acceptance: the five real Lubuklinggau 2024 submissions, against a catalogue written here."""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from satudata.reading.ingest import ingest_round, write_ingest
from satudata.reference.register import Register
from satudata.reference.settings import Settings

RAW = Path(__file__).resolve().parents[1] / "data" / "realdata" / "lubuklinggau-2024"

# file -> (kode_opd, 0-based columns holding years, {column: year})
FILES = {
    "DLH.csv": ("DLH", {2: 2024}),
    "Dinas Koperasi UMKM.csv": ("DINKOP", {2: 2022, 3: 2023, 4: 2024}),
    "Dinas Pertanian.csv": ("DISTAN", {2: 2023}),
    "Dinkes.csv": ("DINKES", {2: 2024}),
    "Disnaker.csv": ("DISNAKER", {2: 2021, 3: 2022, 4: 2023, 5: 2024}),
}
CORRECTIONS = {
    "Jumlah Pencari Keja Laki-Laki": "Jumlah Pencari Kerja Laki-Laki",
    "Jumlah PPencari Kerja Tamatan SMP dan Sederajat": "Jumlah Pencari Kerja Tamatan SMP dan Sederajat",
    "Tidak Terdidik": "Jumlah Tenaga Kerja di Luar Negeri Tidak Terdidik",
}
SECTIONS = {
    "Pencari Kerja",
    "Penempatan Tenaga Kerja Berdasarkan Tingkat Pendidikan",
    "Pencari Kerja Berdasarkan Tingkat Pendidikan",
    "TKI di Luar Negeri",
    "Jumlah Tenaga Kerja di Luar Negeri",
}


def _rows(name: str) -> list[list[str]]:
    with (RAW / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _expected_cells(name: str) -> list[tuple[int, str, int, str]]:
    """(excel row, corrected element name, year, text) of every cell holding a number or '-'."""
    _, years = FILES[name]
    out = []
    for i, row in enumerate(_rows(name)[1:], start=2):
        for col, year in years.items():
            text = row[col].strip() if col < len(row) else ""
            if text:
                label = row[0].strip()
                out.append((i, CORRECTIONS.get(label, label), year, text))
    return out


@pytest.fixture(scope="module")
def result():
    register = Register(
        pd.DataFrame(
            [
                ("DLH", "Dinas Lingkungan Hidup", "DLH", "dinas", ""),
                ("DINKOP", "Dinas Koperasi UMKM", "Dinkop", "dinas", "Dinas Koperasi dan UMKM"),
                ("DISTAN", "Dinas Pertanian", "Distan", "dinas", ""),
                ("DINKES", "Dinas Kesehatan", "Dinkes", "dinas", ""),
                ("DISNAKER", "Dinas Tenaga Kerja", "Disnaker", "dinas", ""),
            ],
            columns=["kode_opd", "nama_opd", "singkatan", "jenis", "alias"],
        ),
        region_words=("lubuklinggau",),
    )
    elements = []
    for name, (opd, years) in FILES.items():
        seen = set()
        for _, label, _, _ in _expected_cells(name):
            if label in seen:
                continue
            seen.add(label)
            elements.append(
                {
                    "kode_elemen": f"{opd}.{len(seen):02d}", "nama_elemen": label, "satuan": "",
                    "kode_urusan": "1", "nama_urusan": "Urusan", "kode_opd": opd,
                    "tahun_wajib": tuple(sorted(years.values())), "induk": None, "tingkat": 1,
                    "dihitung": True, "demo_saja": False,
                }
            )  # fmt: skip
    catalogue = SimpleNamespace(elements=pd.DataFrame(elements))
    settings = Settings(region="Kota Lubuklinggau", region_short="Lubuklinggau")
    return ingest_round(RAW, "2024-06-30", register, catalogue, settings), catalogue


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_number_or_dash_becomes_one_value_on_its_element_and_year(result, name):
    res, catalogue = result
    opd, _ = FILES[name]
    got = res.nilai[res.nilai["sumber_file"] == name]
    expected = _expected_cells(name)
    assert len(got) == len(expected)
    names = dict(zip(catalogue.elements["kode_elemen"], catalogue.elements["nama_elemen"], strict=True))
    keyed = {(int(r.sumber_baris), int(r.tahun)): r for r in got.itertuples()}
    assert len(keyed) == len(expected)
    for row, label, year, text in expected:
        value = keyed[(row, year)]
        assert value.kode_opd == opd
        assert names[value.kode_elemen] == label
        assert bool(value.dihitung) is True
        assert value.teks_asli == text
        if text == "-":
            assert (value.status, value.nilai) == ("nihil", 0.0)
        else:
            assert (value.status, value.nilai) == ("ada", float(text))


def test_counts_per_file(result):
    res, _ = result
    counts = res.nilai.groupby("sumber_file").size().to_dict()
    assert counts == {
        "DLH.csv": 31, "Dinas Koperasi UMKM.csv": 27, "Dinas Pertanian.csv": 46, "Dinkes.csv": 17,
        "Disnaker.csv": 68,
    }  # fmt: skip


def test_dot_decimal_csv_values(result):
    res, _ = result
    v = res.nilai.set_index(["sumber_file", "nama_elemen_asli"])["nilai"]
    assert v[("DLH.csv", "Komposisi Sampah Sisa Makanan")] == pytest.approx(7.88)
    assert v[("DLH.csv", "Volume Air Limbah Kecamatan Lubuklinggau Timur I")] == 4190400.0
    assert v[("Dinas Pertanian.csv", "Jumlah Produksi Padi")] == pytest.approx(9498.07)
    assert v[("Dinas Pertanian.csv", "Luas Lahan Sawah Beririgasi")] == 1017.0
    assert v[("Dinas Pertanian.csv", "Jumlah Produksi Jagung")] == pytest.approx(132.3)


def test_typos_reach_their_elements(result):
    res, _ = result
    n = res.nilai
    keja = n[n["nama_elemen_asli"] == "Jumlah Pencari Keja Laki-Laki"]
    assert set(keja["nama_elemen"]) == {"Jumlah Pencari Kerja Laki-Laki"}
    assert set(keja["metode_cocok"]) == {"fuzzy"} and len(keja) == 4
    pp = n[n["nama_elemen_asli"] == "Jumlah PPencari Kerja Tamatan SMP dan Sederajat"]
    assert set(pp["nama_elemen"]) == {"Jumlah Pencari Kerja Tamatan SMP dan Sederajat"} and len(pp) == 4
    fuzzy = res.masalah[res.masalah["kode_masalah"] == "cocok_fuzzy"]
    assert sorted(fuzzy["sumber_baris"]) == [3, 15]
    assert set(fuzzy["tingkat"]) == {"info"}
    # a sub-element written without its parent's words is found through the section heading
    tt = n[n["nama_elemen_asli"] == "Tidak Terdidik"]
    assert set(tt["nama_elemen"]) == {"Jumlah Tenaga Kerja di Luar Negeri Tidak Terdidik"}


def test_structure_and_accounting(result):
    res, _ = result
    files = {e["berkas"]: e for e in res.manifest["berkas"]}
    assert set(files) == set(FILES)
    for name, entry in files.items():
        b = entry["baris"]
        assert b["dibaca"] == b["data"] + sum(b["struktur"].values()) + b["ditolak"]
        assert b["ditolak"] == 0
        assert entry["kode_opd"] == FILES[name][0]
        assert len(entry["sha256"]) == 64 and entry["ukuran"] == (RAW / name).stat().st_size
    dis = files["Disnaker.csv"]["baris"]
    assert dis == {"dibaca": 23, "data": 17, "struktur": {"header": 1, "judul_bagian": 5}, "ditolak": 0,
                   "kosong": 0}  # fmt: skip
    # section headings are structural and yield no values
    assert not set(res.nilai["nama_elemen_asli"]) & (SECTIONS - {"Jumlah Tenaga Kerja di Luar Negeri"})
    assert "Jumlah Tenaga Kerja di Luar Negeri" not in set(res.nilai["nama_elemen_asli"])
    # the Ket column's '-' is not a value: Disnaker has 17 rows x 4 years, not x 5
    assert set(res.nilai.loc[res.nilai["sumber_file"] == "Disnaker.csv", "sumber_kolom"]) == {
        "C",
        "D",
        "E",
        "F",
    }


def test_all_dash_rows_flagged_and_no_errors(result):
    res, _ = result
    flagged = res.masalah[res.masalah["kode_masalah"] == "semua_nihil"]
    assert sorted(flagged["sumber_baris"]) == [6, 13, 22, 23]
    assert set(flagged["tingkat"]) == {"peringatan"}
    assert not (res.masalah["tingkat"] == "galat").any()
    assert res.nilai["dipakai"].all()


def test_write_outputs(result, tmp_path):
    res, _ = result
    write_ingest(res, tmp_path)
    back = pd.read_parquet(tmp_path / "nilai.parquet")
    assert len(back) == 189 and list(back.columns)[:3] == ["putaran", "kode_opd", "kode_elemen"]
    assert len(pd.read_csv(tmp_path / "masalah.csv")) == len(res.masalah)
    assert (tmp_path / "manifest.json").read_text(encoding="utf-8").count('"berkas"') >= 5
