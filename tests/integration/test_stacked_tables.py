"""Two tables one below the other in one sheet: each is read with its own header."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from satudata.reading.ingest import ingest_file
from satudata.reference.settings import Settings
from tests.integration.messy_fixtures import make_catalogue, make_register


def _ingest(tmp_path, rows: list[list], name: str = "Dinkes.xlsx", csv: bool = False):
    path = tmp_path / name
    if csv:
        text = "\n".join(";".join("" if c is None else str(c) for c in row) for row in rows)
        path.write_text(text + "\n", encoding="utf-8")
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Data"
        for row in rows:
            ws.append(row)
        wb.save(path)
    return ingest_file(path, "2024-01-01", make_register(), make_catalogue(), Settings())


def _values(result) -> dict[tuple[str, int], tuple[float | None, str, int, str]]:
    """(element, year) -> (nilai, status, Excel row, column) for the values used."""
    n = result.nilai[result.nilai["dipakai"]]
    return {
        (r.kode_elemen, int(r.tahun)): (None if pd.isna(r.nilai) else float(r.nilai), r.status, int(r.sumber_baris),
                                        r.sumber_kolom)
        for r in n.itertuples()
    }  # fmt: skip


def _accounting_holds(result) -> dict:
    b = result.manifest["berkas"][0]["baris"]
    assert b["dibaca"] == b["data"] + sum(b["struktur"].values()) + b["ditolak"]
    return b


STACKED = [
    ["OPD: Dinas Kesehatan"],
    ["Uraian", "Satuan", "2019", "2020"],
    ["Jumlah Dokter Umum", "Orang", 10, 11],
    ["Jumlah Bidan", "Orang", 5, 6],
    [],
    ["Tabel 2. Lanjutan"],
    ["Uraian", "Satuan", "2021", "2022", "2023"],
    ["Jumlah Dokter Umum", "Orang", 12, 13, 14],
    ["Jumlah Bidan", "Orang", 7, "-", "..."],
]


@pytest.mark.parametrize("csv", [False, True])
def test_a_second_table_with_other_years_is_read_with_its_own_header(tmp_path, csv):
    result = _ingest(tmp_path, STACKED, "Dinkes.csv" if csv else "Dinkes.xlsx", csv=csv)
    values = _values(result)
    assert len(result.nilai) == 10 and len(values) == 10
    assert values[("DINKES.01", 2019)] == (10.0, "ada", 3, "C")
    assert values[("DINKES.01", 2020)] == (11.0, "ada", 3, "D")
    assert values[("DINKES.01", 2021)] == (12.0, "ada", 8, "C")
    assert values[("DINKES.01", 2023)] == (14.0, "ada", 8, "E")
    assert values[("DINKES.02", 2021)] == (7.0, "ada", 9, "C")
    assert values[("DINKES.02", 2022)] == (0.0, "nihil", 9, "D")
    assert values[("DINKES.02", 2023)] == (None, "tidak_tersedia", 9, "E")
    assert not (result.masalah["tingkat"] == "galat").any()
    told = result.masalah[result.masalah["kode_masalah"] == "tabel_berikutnya"]
    assert told["sumber_baris"].tolist() == [7] and "tahun: 2021, 2022, 2023" in told["pesan"].iloc[0]
    counts = _accounting_holds(result)
    assert (counts["dibaca"], counts["data"], counts["ditolak"], counts["kosong"]) == (8, 4, 0, 1)
    assert counts["struktur"]["header"] == 2  # both header rows, neither read as data


def test_a_second_table_under_another_label_header_is_found(tmp_path):
    rows = [row[:] for row in STACKED]
    rows[6] = ["Jenis Data", "Satuan", "2021", "2022", "2023"]
    values = _values(_ingest(tmp_path, rows))
    assert len(values) == 10
    assert values[("DINKES.02", 2021)] == (7.0, "ada", 9, "C")
    assert ("DINKES.02", 2019) in values and values[("DINKES.02", 2019)][2] == 4


def test_a_header_repeated_as_it_was_is_no_new_table(tmp_path):
    """A page break repeating the header: one table, the repeated header is a header row."""
    rows = [
        ["OPD: Dinas Kesehatan"],
        ["Uraian", "Satuan", "2019", "2020"],
        ["Jumlah Dokter Umum", "Orang", 10, 11],
        ["Uraian", "Satuan", "2019", "2020"],
        ["Jumlah Bidan", "Orang", 5, 6],
    ]
    result = _ingest(tmp_path, rows)
    values = _values(result)
    assert values[("DINKES.02", 2020)] == (6.0, "ada", 5, "D") and len(values) == 4
    counts = _accounting_holds(result)
    assert counts["data"] == 2 and counts["struktur"]["header"] == 2


def test_three_tables_in_one_sheet(tmp_path):
    rows = [
        ["Uraian", "2019"],
        ["Jumlah Dokter Umum", 1],
        ["Uraian", "2020"],
        ["Jumlah Dokter Umum", 2],
        ["Uraian", "2021", "2022"],
        ["Jumlah Dokter Umum", 3, 4],
    ]
    result = _ingest(tmp_path, rows)
    values = _values(result)
    assert {year: v[0] for (_, year), v in values.items()} == {2019: 1.0, 2020: 2.0, 2021: 3.0, 2022: 4.0}
    assert [v[2] for _, v in sorted(values.items())] == [2, 4, 6, 6]
    counts = _accounting_holds(result)
    assert counts["data"] == 3 and counts["struktur"]["header"] == 3


def test_a_second_table_whose_header_is_only_recognised_by_its_years(tmp_path):
    """'Kecamatan' is no header word: the row of years under it starts the second table."""
    rows = [
        ["Kecamatan", "2019", "2020"],
        ["Jumlah Dokter Umum", 10, 11],
        ["Kecamatan", 2021, 2022],  # years typed as numbers
        ["Jumlah Dokter Umum", 12, 13],
    ]
    result = _ingest(tmp_path, rows)
    values = _values(result)
    assert {year: v[0] for (_, year), v in values.items()} == {2019: 10.0, 2020: 11.0, 2021: 12.0, 2022: 13.0}
    counts = _accounting_holds(result)
    assert counts["data"] == 2 and counts["struktur"]["header"] == 2
    assert not (result.masalah["tingkat"] == "galat").any()


def test_a_data_row_with_values_like_years_is_still_data(tmp_path):
    """Values that happen to be years (a count of 2019, 2020) under the same header: no new table."""
    rows = [
        ["Uraian", "2019", "2020"],
        ["Jumlah Dokter Umum", 2019, 2020],
        ["Jumlah Bidan", 5, 6],
    ]
    values = _values(_ingest(tmp_path, rows))
    assert values[("DINKES.01", 2019)][0] == 2019.0 and values[("DINKES.02", 2020)][0] == 6.0 and len(values) == 4


def test_counts_between_1950_and_2099_are_no_header(tmp_path):
    """A row of counts that all lie between 1950 and 2099 but do not rise as years do stays data."""
    rows = [
        ["Uraian", "2021", "2022", "2023"],
        ["Jumlah Dokter Umum", 2012, 2030, 2051],
        ["Jumlah Bidan", 1990, 1985, 2001],
    ]
    result = _ingest(tmp_path, rows)
    values = _values(result)
    assert [values[("DINKES.01", y)][0] for y in (2021, 2022, 2023)] == [2012.0, 2030.0, 2051.0]
    assert [values[("DINKES.02", y)][0] for y in (2021, 2022, 2023)] == [1990.0, 1985.0, 2001.0]
    assert "tabel_berikutnya" not in set(result.masalah["kode_masalah"])
