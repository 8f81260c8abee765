"""The round's tables beside the report: xlsx with numbers as numbers, CSV in the settings' dialect."""

from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook

from satudata.outputs.round_downloads import write_round_tables
from satudata.reference.settings import settings_from_dict


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    progres = pd.DataFrame({
        "putaran": "2020-09-24", "kode_opd": ["A", "B"], "nama_opd": ["Dinas A", "=Dinas B"],
        "singkatan": ["DA", "DB"], "jenis": "dinas", "wajib": [15, 10], "terpenuhi": [10, 10],
        "persen": [10 / 15 * 100, 100.0], "zona": ["kuning", "hijau"], "persen_sebelumnya": [48.4, None],
        "selisih": [18.400000000000006, None], "zona_sebelumnya": ["merah", None], "arah_zona": ["naik", None],
    })
    kekurangan = pd.DataFrame({
        "putaran": "2020-09-24", "kode_opd": "A", "nama_opd": "Dinas A", "kode_elemen": ["E2", "E1"],
        "nama_elemen": ["Luas", "Jumlah"], "satuan": ["ha", "unit"], "kode_urusan": "1.01",
        "nama_urusan": "Pendidikan", "tahun": ["2019", "2018"], "status_terakhir": None,
    })
    return progres, kekurangan


def test_xlsx_and_csv_beside_the_report(tmp_path):
    progres, kekurangan = _frames()
    links = write_round_tables(progres, kekurangan, tmp_path, "2020-09-24", settings_from_dict({}))
    assert [link["href"] for link in links] == [
        "unduh/progres-opd-2020-09-24.xlsx", "unduh/progres-opd-2020-09-24.csv",
        "unduh/butir-kurang-2020-09-24.xlsx", "unduh/butir-kurang-2020-09-24.csv"]
    assert links[0]["label"] == "Progres per OPD (xlsx)"
    ws = load_workbook(tmp_path / links[0]["href"]).active
    header = [c.value for c in ws[1]]
    assert header[:5] == ["Kode OPD", "Nama OPD", "Singkatan", "Jenis", "Butir wajib"] and "putaran" not in header
    row = [c.value for c in ws[3]]  # B (100 %) first, then A
    assert row[header.index("Persen")] == 66.666667 and row[header.index("Perubahan (poin)")] == 18.4
    assert row[header.index("Butir wajib")] == 15 and isinstance(row[header.index("Butir wajib")], int)
    assert ws.cell(row=3, column=header.index("Persen") + 1).number_format == "0.0"
    assert [c.value for c in ws[2]][1] == "=Dinas B" and ws.cell(row=2, column=2).data_type == "s"  # text, no formula
    missing = load_workbook(tmp_path / links[2]["href"]).active
    assert [[c.value for c in r] for r in missing.iter_rows(min_row=2, max_col=8)][0][5:8] == ["Jumlah", "unit", 2018]
    csv = (tmp_path / links[1]["href"]).read_text(encoding="utf-8").splitlines()
    assert csv[0].startswith("Kode OPD,Nama OPD,") and ",66.666667," in csv[2] and "'=Dinas B" in csv[1]


def test_csv_with_semicolons_and_comma_decimals(tmp_path):
    progres, kekurangan = _frames()
    settings = settings_from_dict({"keluaran": {"csv_pemisah": ";"}})
    links = write_round_tables(progres, kekurangan, tmp_path, "2020-09-24", settings)
    csv = (tmp_path / links[1]["href"]).read_text(encoding="utf-8").splitlines()
    assert csv[0].startswith("Kode OPD;Nama OPD;") and ";66,666667;" in csv[2] and ";18,4;" in csv[2]


def test_small_tables_embedded_large_ones_linked(tmp_path):
    """A table over 128 KiB stays beside the report only (the missing items of 400 desa made the report 18 MiB)."""
    import base64

    from satudata.outputs import round_downloads

    progres, kekurangan = _frames()
    many = pd.concat([kekurangan] * 3000, ignore_index=True)  # 6,000 missing items
    links = write_round_tables(progres, many, tmp_path, "2020-09-24", settings_from_dict({}))
    sizes = [(tmp_path / link["href"]).stat().st_size for link in links]
    assert sizes[0] <= round_downloads.MAX_EMBEDDED_BYTES < sizes[3]
    assert base64.b64decode(links[0]["data"].split(",", 1)[1]) == (tmp_path / links[0]["href"]).read_bytes()
    assert [bool(link["data"]) for link in links] == [size <= 128 * 1024 for size in sizes]
    assert links[3]["data"] == "" and links[3]["href"] == "unduh/butir-kurang-2020-09-24.csv"


def test_a_table_longer_than_an_excel_sheet_comes_as_csv_only(tmp_path, monkeypatch):
    """More rows than a sheet holds (1,048,575 under the header): no xlsx (an earlier one is removed), the CSV
    has every row and its label says why it comes alone."""
    from satudata.outputs import round_downloads

    progres, kekurangan = _frames()
    many = pd.concat([kekurangan] * 3, ignore_index=True)  # 6 rows
    monkeypatch.setattr(round_downloads, "MAX_XLSX_ROWS", 5)
    stale = tmp_path / "unduh" / "butir-kurang-2020-09-24.xlsx"
    stale.parent.mkdir()
    stale.write_bytes(b"dari putaran lain")
    links = write_round_tables(progres, many, tmp_path, "2020-09-24", settings_from_dict({}))
    assert [link["href"] for link in links] == [
        "unduh/progres-opd-2020-09-24.xlsx", "unduh/progres-opd-2020-09-24.csv", "unduh/butir-kurang-2020-09-24.csv"]
    assert links[2]["label"] == ("Butir yang masih kurang (CSV; 6 baris, melebihi satu lembar Excel: gunakan CSV atau "
                                 "lembar umpan balik per OPD)")
    assert not stale.exists()
    csv = (tmp_path / links[2]["href"]).read_text(encoding="utf-8").splitlines()
    assert len(csv) == 7 and csv[0].startswith("Kode OPD,Nama OPD,")
