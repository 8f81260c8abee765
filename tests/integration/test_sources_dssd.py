"""SIPD DSSD exports: the two real Sidoarjo exports read cell by cell, mapped to a catalogue (by code, by
name), ingested as a round reads them, and the round's values written back in the DSSD shape and read again."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from satudata.reading.dssd import dssd_table, map_to_catalogue, read_dssd, write_dssd
from satudata.reading.ingest import ingest_file
from satudata.reading.matching import ElementIndex
from satudata.run.pipeline import Context, run_ingest, run_progress

FILES = Path(__file__).parents[1] / "data" / "realdata" / "corpus" / "files"
CAGAR = FILES / "1771656359_0021.03.000011Bangunan Gedung Cagar Budaya KabupatenKota.xls"  # f08
JALAN = FILES / ("1772436840_021_7.01.000026_Prasarana Jalan dan Jembatan pada Wilayah Kabupaten Administrasi "
                 "yang Dipelihara.xlsx")  # f09  # fmt: skip

OPD = """kode_opd,nama_opd,singkatan,jenis,alias
DISBUD,Dinas Kebudayaan dan Pariwisata,Disbudpar,perangkat daerah,
DPU,Dinas Pekerjaan Umum Bina Marga,DPUBM,perangkat daerah,
"""
# 1.03.000011 is matched by code (the catalogue names it otherwise); the road element has another code
# and is matched by its name
KATALOG = """kode_elemen,nama_elemen,satuan,kode_urusan,nama_urusan,kode_opd,tahun_awal,tahun_akhir
1.03.000011,Jumlah bangunan cagar budaya (nama lain),Unit,1.03,Kebudayaan,DISBUD,2019,2024
PU-7,Prasarana Jalan dan Jembatan pada Wilayah Kabupaten Administrasi yang Dipelihara,Unit,7.01,PU,DPU,2019,2024
PU-8,Panjang jalan kabupaten,Km,7.01,PU,DPU,2019,2024
"""
SETTINGS = """[wilayah]
nama = "Kabupaten Sidoarjo"
nama_singkat = "Sidoarjo"

[register]
berkas = "opd.csv"

[katalog]
berkas = "katalog.csv"
"""


@pytest.fixture(scope="module")
def sidoarjo(tmp_path_factory):
    root = tmp_path_factory.mktemp("sidoarjo")
    ref = root / "reference"
    ref.mkdir()
    (ref / "opd.csv").write_text(OPD, encoding="utf-8")
    (ref / "katalog.csv").write_text(KATALOG, encoding="utf-8")
    (ref / "pengaturan.toml").write_text(SETTINGS, encoding="utf-8")
    ctx = Context.create("2024-06-01", root, root / "reports", None)
    register, catalogue = ctx.reference()
    return ctx, register, catalogue


def _cells(export) -> dict[tuple[str, int], tuple[float | None, str]]:
    v = export.values
    return {(k, t): (None if pd.isna(n) else n, s)
            for k, t, n, s in zip(v["kode_dssd"], v["tahun"], v["nilai"], v["status"], strict=True)}


def test_the_xls_export_of_cultural_heritage_buildings_reads_every_cell():
    export = read_dssd(CAGAR)
    assert export.sheet == "Sheet1" and export.years == [2019, 2020, 2021, 2022, 2023, 2024]
    assert export.counts() == {"elemen": 1, "tahun": 6, "sel": 6, "kosong": 4, "ada": 2}
    assert _cells(export) == {("1.03.000011", 2019): (None, "kosong"), ("1.03.000011", 2020): (None, "kosong"),
                              ("1.03.000011", 2021): (None, "kosong"), ("1.03.000011", 2022): (None, "kosong"),
                              ("1.03.000011", 2023): (1.0, "ada"), ("1.03.000011", 2024): (1.0, "ada")}  # fmt: skip
    row = export.values.iloc[4]
    assert row["uraian_dssd"] == "Bangunan Gedung Cagar Budaya Kabupaten/Kota"
    assert row["satuan"] == "Bangunan Gedung Cagar Budaya" and row["definisi_operasional"] == ""
    assert (row["sumber_kolom"], row["sumber_baris"], row["teks_asli"]) == ("H", 2, "1")
    assert export.issues == []


def test_the_xlsx_export_with_a_definition_column_and_one_year_reads_its_cell():
    export = read_dssd(JALAN)
    assert export.years == [2022] and export.counts() == {"elemen": 1, "tahun": 1, "sel": 1, "ada": 1}
    row = export.values.iloc[0]
    assert (row["kode_dssd"], row["tahun"], row["nilai"], row["status"]) == ("7.01.000026", 2022, 1.0, "ada")
    assert row["uraian_dssd"] == "Prasarana Jalan dan Jembatan pada Wilayah Kabupaten Administrasi yang Dipelihara"
    assert (row["satuan"], row["sumber_kolom"], row["sumber_baris"]) == ("Unit", "E", 2)


def test_indonesian_numbers_and_bps_symbols_in_a_dssd_csv(tmp_path):
    path = tmp_path / "dssd.csv"
    path.write_text("kode_dssd;uraian_dssd;satuan;data_2021;data_2022;data_2023;data_2024\n"
                    "1.02.000001;Jumlah Puskesmas;Unit;1.234;12,5;-;...\n"
                    "1.02.000002;Jumlah Bidan;Orang;x;;abc;3 686\n", encoding="utf-8")  # fmt: skip
    export = read_dssd(path)
    cells = _cells(export)
    assert cells[("1.02.000001", 2021)] == (1234.0, "ada") and cells[("1.02.000001", 2022)] == (12.5, "ada")
    assert cells[("1.02.000001", 2023)] == (0.0, "nihil") and cells[("1.02.000001", 2024)] == (None, "tidak_tersedia")
    assert cells[("1.02.000002", 2021)] == (None, "rahasia") and cells[("1.02.000002", 2022)] == (None, "kosong")
    assert cells[("1.02.000002", 2023)] == (None, "tidak_valid") and cells[("1.02.000002", 2024)] == (3686.0, "ada")
    assert len(export.issues) == 1 and "sel F3 (1.02.000002 2023): 'abc' bukan angka" in export.issues[0]


def test_dssd_rows_map_to_the_catalogue_by_code_else_by_name(sidoarjo):
    _, _, catalogue = sidoarjo
    index = ElementIndex(catalogue.elements)
    by_code = map_to_catalogue(read_dssd(CAGAR), index).iloc[0]
    assert (by_code["kode_elemen"], by_code["kode_opd"], by_code["metode_cocok"]) == ("1.03.000011", "DISBUD", "kode")
    by_name = map_to_catalogue(read_dssd(JALAN), index).iloc[0]
    assert (by_name["kode_elemen"], by_name["kode_opd"], by_name["metode_cocok"]) == ("PU-7", "DPU", "nama")


@pytest.mark.parametrize(("path", "opd", "element", "years"), [
    (CAGAR, "DISBUD", "1.03.000011", [2023, 2024]), (JALAN, "DPU", "PU-7", [2022])])  # fmt: skip
def test_ingest_counts_a_dssd_export_for_the_producer_of_its_elements(sidoarjo, path, opd, element, years):
    ctx, register, catalogue = sidoarjo
    result = ingest_file(path, "2024-06-01", register, catalogue, ctx.settings)
    n = result.nilai
    assert n["kode_opd"].tolist() == [opd] * len(years) and n["kode_elemen"].tolist() == [element] * len(years)
    assert n["tahun"].tolist() == years and n["nilai"].tolist() == [1.0] * len(years) and n["dihitung"].all()
    codes = result.masalah["kode_masalah"].tolist()
    assert "opd_tidak_dikenal" not in codes and codes[0] == "opd_dari_dssd"
    assert f"milik {opd} menurut katalog" in result.masalah["pesan"].iloc[0]


def test_a_dssd_export_of_two_producers_is_not_given_to_either(sidoarjo, tmp_path):
    ctx, register, catalogue = sidoarjo
    path = tmp_path / "campuran.csv"
    path.write_text("kode_dssd,uraian_dssd,satuan,data_2023\n1.03.000011,Cagar budaya,Unit,4\n"
                    "PU-8,Panjang jalan kabupaten,Km,12\n", encoding="utf-8")  # fmt: skip
    result = ingest_file(path, "2024-06-01", register, catalogue, ctx.settings)
    assert not result.nilai["dihitung"].any()
    codes = result.masalah["kode_masalah"].tolist()
    assert "dssd_banyak_opd" in codes and "opd_tidak_dikenal" in codes


def test_written_items_read_back_identically(tmp_path):
    items = pd.DataFrame({
        "kode_opd": ["A", "A", "A", "A", "A", "B"],
        "kode_elemen": ["1.01.000001", "1.01.000001", "1.01.000002", "1.01.000002", "1.01.000003", "2.01.000001"],
        "nama_elemen": ["Jumlah SD", "Jumlah SD", "=Rasio guru", "=Rasio guru", "Jumlah TK", "Luas sawah"],
        "satuan": ["Unit", "Unit", "%", "%", None, "Ha"],
        "tahun": [2022, 2023, 2022, 2023, 2023, 2023],
        "nilai": [1234.0, 0.0, 12.5, None, None, 3686.25],
        "status": ["ada", "nihil", "ada", "tidak_tersedia", None, "ada"],
    })  # fmt: skip
    table = dssd_table(items[items["kode_opd"] == "A"])
    assert table.columns.tolist() == ["kode_dssd", "uraian_dssd", "satuan", "data_2022", "data_2023"]
    assert table.iloc[0].tolist() == ["1.01.000001", "Jumlah SD", "Unit", 1234.0, "-"]
    paths = write_dssd(items, tmp_path)
    assert sorted(paths) == ["A", "B"] and paths["A"].name == "dssd-A.xlsx"
    ws = load_workbook(paths["A"]).active
    assert ws["B3"].value == "=Rasio guru" and ws["B3"].data_type == "s"  # text, never a formula
    back = read_dssd(paths["A"])
    assert back.counts() == {"elemen": 3, "tahun": 2, "sel": 6, "ada": 2, "kosong": 3, "nihil": 1}
    clean = items[(items["kode_opd"] == "A") & items["status"].isin(["ada", "nihil"])]
    got = back.values[back.values["status"] != "kosong"]
    assert list(zip(got["kode_dssd"], got["uraian_dssd"], got["satuan"], got["tahun"], got["nilai"], got["status"],
                    strict=True)) == list(zip(clean["kode_elemen"], clean["nama_elemen"], clean["satuan"],
                                              clean["tahun"], clean["nilai"], clean["status"], strict=True))  # fmt: skip


def test_a_rounds_items_exported_per_producer_read_back_and_ingest_identically(tmp_path):
    """The small demo round: item_terkini written per producer, read back by read_dssd and ingested again as a
    round of DSSD exports gives the same value for every item."""
    from satudata.run import demo

    demo.generate_small(tmp_path)
    round_date = sorted(p.name for p in (tmp_path / "raw").iterdir())[-1]
    ctx = Context.create(round_date, tmp_path, tmp_path / "reports", None)
    run_ingest(ctx)
    items = run_progress(ctx).item_terkini
    clean = items[items["status"].astype(object).isin(["ada", "nihil"])]
    assert len(clean) > 50
    paths = write_dssd(items, tmp_path / "dssd")
    assert sorted(paths) == sorted(items["kode_opd"].astype(object).unique())
    read = pd.concat([read_dssd(p).values.assign(kode_opd=opd) for opd, p in paths.items()])
    read = read[read["status"] != "kosong"]
    key = ["kode_opd", "kode_elemen", "tahun"]
    want = clean.astype({"kode_opd": object, "kode_elemen": object})[[*key, "nilai", "status"]]
    got = read.rename(columns={"kode_dssd": "kode_elemen"})[[*key, "nilai", "status"]]
    merged = want.merge(got, on=key, how="outer", suffixes=("", "_dssd"), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert (merged["nilai"] == merged["nilai_dssd"]).all() and (merged["status"] == merged["status_dssd"]).all()
    # the exports as a round of their own: every clean item again, for the same producer
    round2 = tmp_path / "raw" / "2099-01-01"
    round2.mkdir(parents=True)
    for p in paths.values():
        (round2 / p.name).write_bytes(p.read_bytes())
    again = run_ingest(Context.create("2099-01-01", tmp_path, tmp_path / "reports", None)).nilai
    again = again[again["dihitung"]].astype({"kode_opd": object, "kode_elemen": object})
    merged = want.merge(again[[*key, "nilai", "status"]], on=key, how="outer", suffixes=("", "_baru"), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert (merged["nilai"] == merged["nilai_baru"]).all() and (merged["status"] == merged["status_baru"]).all()
