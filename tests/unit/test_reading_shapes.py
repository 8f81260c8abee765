"""Each table shape of real files on a small fixture of its own: the values, years, labels and issues."""

from __future__ import annotations

from satudata.formats.readers import Grid
from satudata.reading.table import read_sheet
from satudata.reading.table.labels import read_label
from satudata.reading.table.sheet import NUMBER
from satudata.reading.template_layout import subtotal_words

TOTALS = subtotal_words(("Kota Contoh", "Contoh"))


def _read(rows, merged=(), name="Sheet1", stem="kiriman", text=False):
    reading = read_sheet(Grid(name, [list(r) for r in rows], merged=list(merged)), stem, text, TOTALS)
    # every numeric cell is a value, structure or a cell with an issue, once
    s = reading.sheet
    values = sum(s.kind[v.row][v.col] == NUMBER for t in reading.tables for v in t.values)
    structure = sum(t.structural for t in reading.tables) + reading.structural_outside
    flagged = sum(i.numeric for t in reading.tables for i in t.issues)
    assert reading.numeric == values + structure + flagged
    return reading


def _cells(reading):
    s = reading.sheet
    return {s.address(v.row, v.col): v for t in reading.tables for v in t.values}


def test_year_only_in_title_with_wilayah_rows_and_indicator_columns():
    r = _read([["JUMLAH DTKS DI KOTA CONTOH"], ["PER 31 MARET 2023"], [],
               ["NO", "KECAMATAN", "JUMLAH INDIVIDU", "JUMLAH KELUARGA"],
               [1.0, "KEDATON", 23278.0, 8341.0], [2.0, "SUKARAME", 19084.0, 6823.0],
               ["JUMLAH", None, 42362.0, 15164.0]], merged=[((6, 0), (6, 1))])  # fmt: skip
    v = _cells(r)
    assert len(v) == 6  # row numbers are structure
    assert (v["C5"].parsed.nilai, v["C5"].tahun, v["C5"].tahun_dari) == (23278.0, 2023, "judul")
    assert (v["C5"].elemen, v["C5"].rincian, v["C5"].jenis_rincian) == ("JUMLAH INDIVIDU", "KEDATON", "wilayah")
    assert v["D7"].total and v["D7"].rincian is None and v["D7"].label_baris == "JUMLAH"
    assert v["C5"].periode is None  # "per 31 Maret" dates a stock; it is no period
    assert r.tables[0].structural == 2


def test_stacked_tables_each_with_its_own_years_periods_and_growth():
    r = _read([["A. REALISASI JUNI 2022"], [],
               ["URAIAN", "Satuan", None, None, "Pertumbuhan"],
               ["Discription", "Unit", 2022.0, "s/d Februari 2023", "Growth (%)"],
               [1.0, 2.0, 4.0, 5.0, 6.0],
               ["Unit Usaha", "Unit", 3881.0, 4268.0, 0.1],
               [], ["Sumber : Dinas Perindustrian"], [],
               ["B. Banyaknya Usaha Industri Tahun 2019 s/d Februari 2023"],
               ["URAIAN", "TAHUN", None, "Pertumbuhan"],
               [None, 2019.0, 2020.0, "%"],
               ["Industri Kecil", 3216.0, 3292.0, 0.1],
               ["Jumlah / Total", 11351.0, 11647.0, 0.12]])  # fmt: skip
    assert len(r.tables) == 2
    v = _cells(r)
    assert (v["C6"].tahun, v["C6"].periode) == (2022, None)
    assert (v["D6"].tahun, v["D6"].periode, v["D6"].satuan) == (2023, "s.d. Februari", "Unit")
    assert (v["E6"].tahun, v["E6"].periode) == (2023, "s.d. Februari") and "Pertumbuhan" in v["E6"].elemen
    assert (v["B13"].tahun, v["C13"].tahun) == (2019, 2020)  # never the first table's years
    assert v["B14"].total and v["B14"].elemen == "Jumlah / Total"
    assert r.tables[1].title.startswith("Banyaknya Usaha Industri")
    assert r.row_roles[7] == "catatan"


def test_months_as_rows_year_from_title_and_a_sheet_without_year_is_an_issue():
    rows = [["JUMLAH KENDARAAN WAJIB UJI TAHUN 2022"], [], ["BULAN", "JUMLAH DIUJI"],
            ["JANUARI ", 1420.0], ["FEBRUARI", 1170.0], ["JUMLAH", 2590.0]]  # fmt: skip
    v = _cells(_read(rows))
    assert (v["B4"].tahun, v["B4"].periode, v["B4"].elemen) == (2022, "Januari", "JUMLAH DIUJI")
    assert v["B6"].total and v["B6"].periode is None
    untitled = _read(rows[2:])
    assert {x.tahun for x in _cells(untitled).values()} == {None}
    assert [i.code for i in untitled.tables[0].issues] == ["tahun_tidak_diketahui"]
    named = _read(rows[2:], stem="Produksi per Bulan tahun 2017")
    assert {(x.tahun, x.tahun_dari) for x in _cells(named).values()} == {(2017, "nama_berkas")}


def test_a_header_repeated_under_a_new_heading_is_structure():
    r = _read([["JUMLAH KENDARAAN WAJIB UJI TAHUN 2022"], ["UMUM"], ["NO", "JENIS KENDARAAN", "JUMLAH"],
               [1.0, "MOBIL BUS", 820.0], [2.0, "MIKRO BUS", 75.0], [], ["BUKAN UMUM"],
               ["NO", "JENIS KENDARAAN", "JUMLAH"], [1.0, "MOBIL TANKI", 1538.0]])  # fmt: skip
    v = _cells(r)
    assert sorted((a, x.parsed.nilai, x.tahun) for a, x in v.items()) == [
        ("C4", 820.0, 2022), ("C5", 75.0, 2022), ("C9", 1538.0, 2022)]
    assert not [i for t in r.tables for i in t.issues]
    assert r.row_roles[7] == "header" and r.row_roles[6] == "judul_bagian"


def test_long_table_tahun_column_and_dot_thousands_in_text():
    r = _read([["No", "Kode Wilayah", "Wilayah", "Tahun", "Jumlah RTLH"],
               ["1", "32.04.16", "Arjasari", "2021", "1.474"],
               ["2", "32.04.32", "Baleendah", "2021", "686"],
               ["3", "32.04.13", "Banjaran", "2022", "1.244"],
               ["4", "32.04.08", "Bojongsoang", "2022", "1.49"]], text=True)  # fmt: skip
    v = _cells(r)
    assert (v["E2"].parsed.nilai, v["E2"].tahun, v["E2"].tahun_dari, v["E2"].rincian) == (1474.0, 2021, "baris", "Arjasari")
    assert v["E4"].tahun == 2022 and v["E4"].parsed.nilai == 1244.0
    assert "E5" not in v  # "1.49" in a column of dot thousands: 1,49 or 1.490? an issue, never a guess
    assert [(i.code, i.row) for i in r.tables[0].issues] == [("angka_tidak_pasti", 4)]


def test_wilayah_rows_under_three_row_merged_header_with_school_years_and_total_column():
    rows = [["Kabupaten/Kota", "Sekolah", None, None, None, None, None],
            [None, "Negeri", None, "Swasta", None, "Total", None],
            [None, "2021/2022", "2022/2023", "2021/2022", "2022/2023", "2021/2022", "2022/2023"],
            ["Kepulauan Selayar", 25.0, 9.0, 116.0, 83.0, 141.0, 92.0],
            ["Bulukumba", 4.0, 1.0, "10 443", 3184.0, 10447.0, 3185.0]]  # fmt: skip
    merged = [((0, 0), (2, 0)), ((0, 1), (0, 6)), ((1, 1), (1, 2)), ((1, 3), (1, 4)), ((1, 5), (1, 6))]
    v = _cells(_read(rows, merged))
    assert (v["B4"].tahun, v["C4"].tahun, v["B4"].elemen) == (2021, 2022, "Sekolah / Negeri")
    assert v["B4"].label_kolom == "Sekolah / Negeri / 2021/2022" and not v["B4"].total
    assert v["F4"].total and v["G5"].total and v["D5"].parsed.nilai == 10443.0


def test_years_as_columns_with_flags_growth_and_units_in_brackets():
    rows = [["Luas Areal Kakao Menurut Provinsi, 2014 - 2021"], [],
            ["No.", "Provinsi", None, None, "Pertumbuhan"],
            [None, None, 2019.0, "2020*)", "2020 over 2019"],
            [None, None, None, None, "(%)"],
            [1.0, "Aceh", 99267.1, 99498.0, 0.23],
            [None, "Indonesia", 1560943.9, 1528383.25, -2.1]]  # fmt: skip
    v = _cells(_read(rows))
    assert (v["C6"].tahun, v["D6"].tahun, v["E6"].tahun) == (2019, 2020, 2020)
    assert v["C6"].elemen == "Luas Areal Kakao Menurut Provinsi" and v["C6"].rincian == "Aceh"
    assert v["E6"].satuan == "%" and "Pertumbuhan" in v["E6"].elemen
    assert v["C7"].total and v["C7"].rincian is None


def test_rows_that_are_years_and_side_by_side_tables():
    v = _cells(_read([["Tahun", "UMP"], [2022.0, 1800000.0], [2023.0, 1900000.0]]))
    assert {(x.tahun, x.elemen, x.parsed.nilai) for x in v.values()} == {(2022, "UMP", 1800000.0),
                                                                       (2023, "UMP", 1900000.0)}
    r = _read([["Uraian", "2022", None, "Kecamatan", "Jumlah Desa"],
               ["Jumlah Bidan", 5.0, None, "Wedung", 20.0],
               ["Jumlah Dokter", 7.0, None, "Mijen", 15.0]], name="Data 2023")  # fmt: skip
    assert len(r.tables) == 2
    v = _cells(r)
    assert (v["B2"].elemen, v["B2"].tahun) == ("Jumlah Bidan", 2022)
    assert (v["E3"].elemen, v["E3"].rincian, v["E3"].tahun, v["E3"].tahun_dari) == ("Jumlah Desa", "Mijen", 2023, "nama_sheet")


def test_column_numbers_are_structure_and_a_row_of_invalid_cells_is_no_header():
    r = _read([["Uraian", "Satuan", "2020", "2021"], ["(1)", "(2)", "(3)", "(4)"],
               ["Jumlah Bidan", "Orang", "12", "1.234"], ["Jumlah Dokter", "Orang", "abc", "1.2.3"],
               ["Jumlah Puskesmas", "Unit", 3.0, 2.0]])  # fmt: skip
    assert len(r.tables) == 1
    v = _cells(r)
    assert (v["D3"].parsed.nilai, v["C5"].tahun) == (1234.0, 2020)
    assert sorted((i.code, i.row) for i in r.tables[0].issues) == [("nilai_tidak_valid", 3), ("nilai_tidak_valid", 3)]


def test_labels_of_headers_and_titles():
    assert read_label(["NILAI 2024 SEMESTER I"]).periode == "Semester I"
    assert read_label(["TW II 2023"]).year == 2023 and read_label(["TW II 2023"]).periode == "Triwulan II"
    assert read_label(["Tahun 2019 s/d Februari 2023"]).year is None  # two years: no single year
    assert read_label(["2014 - 2021"]).year is None
    info = read_label(["Pertumbuhan/", "Growth", "2019 over 2018", "(%)"])
    assert (info.year, info.growth, info.unit) == (2019, True, "%")
    assert read_label(["2021/2022"]).year == 2021


def test_counts_that_look_like_years_stay_values_and_a_long_text_tail_is_notes():
    rows = [["Uraian", "2020", "2021"], ["Jumlah Sekolah", 12.0, 14.0], ["Jumlah Penduduk", 1999.0, 2001.0],
            ["Jumlah Guru", 5.0, 6.0]] + [[f"nama {i}", f"teks {i}"] for i in range(300)]  # fmt: skip
    r = _read(rows)
    assert len(r.tables) == 1
    v = _cells(r)
    assert len(v) == 6 and (v["B3"].parsed.nilai, v["B3"].tahun, v["C3"].tahun) == (1999.0, 2020, 2021)
    assert sum(role == "catatan" for role in r.row_roles.values()) == 300


def test_side_by_side_tables_count_their_shared_title_once():
    r = _read([["Rekap 2023 (tabel 1 dan 2)", None, None, None, 2023.0],
               ["Uraian", "2022", None, "Kecamatan", "Jumlah Desa"],
               ["Jumlah Bidan", 5.0, None, "Wedung", 20.0]])  # fmt: skip
    assert len(r.tables) == 2 and r.numeric == 4
    assert r.structural_outside == 1 and sum(t.structural for t in r.tables) == 1  # the title's 2023, the header's 2022
