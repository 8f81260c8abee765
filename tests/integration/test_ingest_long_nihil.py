"""In long format (one row per year) "every year is '-'" is judged per element, not per row."""

import openpyxl

from satudata.reading.ingest import ingest_file
from satudata.reference.settings import Settings
from tests.integration.messy_fixtures import make_catalogue, make_register


def test_long_format_flags_only_elements_whose_every_year_is_nil(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["OPD: Dinas Perhubungan"])
    ws.append(["Nama Data", "Satuan", "Tahun", "Nilai"])
    ws.append(["Jumlah Terminal", "Unit", 2022, "-"])
    ws.append(["Jumlah Terminal", "Unit", 2023, 4])
    ws.append(["Jumlah Halte", "Unit", 2022, "-"])
    ws.append(["Jumlah Halte", "Unit", 2023, "-"])
    path = tmp_path / "hub.xlsx"
    wb.save(path)
    res = ingest_file(path, "2024-03-01", make_register(), make_catalogue(), Settings())
    assert len(res.nilai) == 4
    assert (res.nilai["status"] == "nihil").sum() == 3
    flagged = res.masalah[res.masalah["kode_masalah"] == "semua_nihil"]
    assert len(flagged) == 1
    assert "Jumlah Halte" in flagged.iloc[0]["pesan"] and flagged.iloc[0]["sumber_baris"] == 5
