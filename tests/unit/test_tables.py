"""Header detection, year columns and row roles on small grids."""

from __future__ import annotations

from satudata.formats.readers import Grid, column_letter, sniff_delimiter
from satudata.reading.template_layout import (
    classify_rows,
    detect_layout,
    is_auxiliary_sheet,
    is_instruction_sheet,
    subtotal_words,
)

TOTALS = subtotal_words(("Kabupaten Demak", "Demak"))


def roles(grid: Grid) -> list[str]:
    return [r.role for r in classify_rows(grid, detect_layout(grid), TOTALS)]


def test_title_rows_then_simple_header():
    g = Grid("s", [
        ["DATA SEKTORAL DINAS KESEHATAN", "", "", ""],
        ["OPD: Dinas Kesehatan", "", "", ""],
        ["", "", "", ""],
        ["No", "Uraian", "Satuan", "Tahun 2019", "2020*", "Ket"],
        [1.0, "Jumlah Dokter Umum", "Orang", 10.0, "12", ""],
    ])  # fmt: skip
    lay = detect_layout(g)
    assert (lay.header_start, lay.header_end, lay.label_col, lay.unit_col) == (3, 3, 1, 2)
    assert lay.year_cols == [(3, 2019), (4, 2020)]
    assert roles(g) == ["judul", "judul", "kosong", "header", "data"]


def test_two_row_merged_header_and_column_numbers():
    rows = [
        ["Uraian", "Satuan", "Tahun", "", ""],
        ["", "", 2016.0, 2017.0, "2018"],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["Luas Sawah", "Ha", 1.0, 2.0, 3.0],
    ]
    g = Grid(
        "s", rows, first_row=4, first_col=1, merged=[((4, 1), (5, 1)), ((4, 2), (5, 2)), ((4, 3), (4, 5))]
    )
    lay = detect_layout(g)
    assert (lay.header_start, lay.header_end) == (0, 2)
    assert lay.year_cols == [(2, 2016), (3, 2017), (4, 2018)]
    assert roles(g) == ["header", "header", "header", "data"]


def test_three_row_header():
    rows = [
        ["Elemen Data", "Satuan", "Capaian", "", ""],
        ["", "", "Tahun", "", ""],
        ["", "", 2019.0, 2020.0, 2021.0],
        ["Jumlah Bidan", "Orang", 4.0, 5.0, 6.0],
    ]
    merged = [((0, 0), (2, 0)), ((0, 1), (2, 1)), ((0, 2), (0, 4)), ((1, 2), (1, 4))]
    lay = detect_layout(Grid("s", rows, merged=merged))
    assert (lay.header_start, lay.header_end, lay.label_col) == (0, 2, 0)
    assert lay.year_cols == [(2, 2019), (3, 2020), (4, 2021)]


def test_long_format_and_code_column():
    g = Grid("s", [["Kode Elemen", "Nama Elemen", "Tahun", "Nilai"], ["1.01", "Jumlah SD", 2020.0, 5.0]])
    lay = detect_layout(g)
    assert lay.is_long and (lay.code_col, lay.label_col, lay.tahun_col, lay.value_col) == (0, 1, 2, 3)


def test_semester_header_gives_year():
    lay = detect_layout(
        Grid("s", [["NAMA", "SATUAN", "NILAI 2024 SEMESTER I", "BIDANG"], ["a", "b", 1.0, "c"]])
    )
    assert lay.year_cols == [(2, 2024)] and lay.label_col == 0


def test_row_roles_sections_subtotals_notes():
    g = Grid("s", [
        ["Uraian", "Satuan", "2020", "2021"],
        ["Tenaga Kesehatan", "", "", ""],
        ["Jumlah Dokter Umum", "Orang", "1.234", "-"],
        ["Jumlah Bidan", "Orang", "", ""],
        ["Jumlah", "", 1234.0, 0.0],
        ["Kabupaten Demak", "", 1.0, 2.0],
        ["", "", 5.0, ""],
        ["", "", "", ""],
        ["Sumber: Dinas Kesehatan", "", "", ""],
        ["*) angka sementara", "", "", ""],
    ])  # fmt: skip
    infos = classify_rows(g, detect_layout(g), TOTALS)
    assert [r.role for r in infos] == [
        "header", "judul_bagian", "data", "tanpa_nilai", "subtotal", "subtotal", "tanpa_label", "kosong",
        "catatan", "catatan",
    ]  # fmt: skip
    assert infos[2].section == "Tenaga Kesehatan" and infos[2].unit == "Orang"


def test_no_header_in_prose_sheet():
    assert detect_layout(Grid("p", [["Petunjuk pengisian"], ["Isi angka pada kolom tahun."]])) is None


def test_instruction_sheet_names():
    assert is_instruction_sheet("Petunjuk") and is_instruction_sheet("Cara Pengisian")
    assert is_instruction_sheet("COVER") and not is_instruction_sheet("Data 2020")
    assert not is_instruction_sheet("Info Kesehatan") and is_auxiliary_sheet("Info Kesehatan")
    assert is_auxiliary_sheet("Referensi") and not is_auxiliary_sheet("Kesehatan")


def test_helpers():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]
    assert sniff_delimiter("a;b;c\n1;2,5;3\n") == ";"
    assert sniff_delimiter("a\tb\tc\n1\t2\t3\n") == "\t"
    assert sniff_delimiter('a,b,c\n"x;y",2,3\n') == ","
