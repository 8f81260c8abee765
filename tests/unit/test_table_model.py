"""The table model (docs/table-model.md) on small fixtures: one shape each, as real offices write them.

Each fixture is a few rows of the shape a real file has (the real file and its cell-level truth are scored in
tests/integration/test_real_corpus2.py); every test asserts the values, their years and where the years came
from, the labels, and the issues.
"""

from __future__ import annotations

from satudata.reading.numbers import parse_cell
from satudata.reading.table.labels import read_label
from satudata.reading.template_layout import copied_from, is_instruction_sheet
from tests.unit.test_reading_shapes import _cells, _read  # every numeric cell accounted for, once


def _issues(reading):
    s = reading.sheet
    return [(i.code, s.address(i.row, i.col) if i.col is not None else s.excel_row(i.row), i.detail)
            for t in reading.tables for i in t.issues]  # fmt: skip


def test_group_header_written_once_over_its_year_columns_without_a_merge():
    # a BPS web CSV: the fruit written once over its three years (no merge), years as text
    r = _read([["Kabupaten/Kota", "Produksi (Kuintal)", None, None, None, None, None],
               [None, "Mangga", None, None, "Durian", None, None],
               [None, "2015", "2016", "2017", "2015", "2016", "2017"],
               ["Lahat", "3577", "1466", "4364", "51333", "3777", "7193"],
               ["Muara Enim", "15009", "5745", "6734", "47643", "9709", "10872"]], text=True)  # fmt: skip
    v = _cells(r)
    assert len(v) == 12
    assert (v["C4"].parsed.nilai, v["C4"].tahun, v["C4"].tahun_dari) == (1466.0, 2016, "kolom")
    assert v["C4"].label_kolom == "Produksi (Kuintal) / Mangga / 2016"
    assert v["F5"].label_kolom == "Produksi (Kuintal) / Durian / 2016" and v["F5"].rincian == "Muara Enim"
    assert v["G4"].tahun == 2017 and "Durian" in v["G4"].elemen


def test_years_as_text_under_merged_groups_with_negative_column_numbers():
    # a BPS .xls: groups merged over text years, column numbers stored as -1, -2, ... (shown "(1)")
    r = _read([["Kecamatan", "Rumah Sakit", None, None, "Puskesmas", None, None],
               [None, "2018", "2020", "2021", "2018", "2020", "2021"],
               [-1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0],
               ["Balige", 1.0, 1.0, 1.0, 2.0, 2.0, 2.0],
               ["Laguboti", "-", "-", "-", 1.0, 1.0, 1.0]],
              merged=[((0, 1), (0, 3)), ((0, 4), (0, 6)), ((0, 0), (1, 0))])  # fmt: skip
    v = _cells(r)
    assert len(v) == 12  # the column numbers are structure, not values
    assert (v["C4"].tahun, v["D4"].tahun, v["G5"].tahun) == (2020, 2021, 2021)
    assert v["D4"].label_kolom == "Rumah Sakit / 2021" and v["B5"].parsed.status == "nihil"
    assert r.tables[0].structural == 6 + 7  # the years of the header and the column numbers


def test_real_negative_values_under_column_numbers_stay_values():
    r = _read([["Kecamatan", "Laju Pertumbuhan 2020", "Laju Pertumbuhan 2021"],
               [-1.0, -2.0, -3.0],
               ["Balige", -1.25, -0.5], ["Uluan", -2.0, 0.75]])  # fmt: skip
    v = _cells(r)
    assert (v["B3"].parsed.nilai, v["B3"].tahun, v["C4"].parsed.nilai, v["C4"].tahun) == (-1.25, 2020, 0.75, 2021)
    assert v["B4"].parsed.nilai == -2.0  # a whole negative number in the data is a value


def test_title_ending_in_its_year_after_a_table_number_in_two_languages():
    # SIMDASI: "Tabel | 5.1.1 | ..., 2021" in a third column, the English title under it, column numbers "(1)"
    r = _read([["Tabel", "5.1.1", "Luas Panen Sayuran Menurut Kecamatan di Kabupaten Sikka, 2021"],
               ["Table ", None, "Harvested Area of Vegetables by Subdistrict in Sikka Regency, 2021 "],
               [],
               ["Kecamatan\n Subdistrict ", "Bawang Daun/ Scallion \n(ha/ ha )", "Bayam/ Spinach \n(ha/ ha )"],
               [], [],
               ["(1)", "(2)", "(3)"],
               ["Paga", "-  ", "3  "], ["Mego", "1  ", "0  "], ["Sikka", "1  ", "3  "]],
              merged=[((0, 2), (0, 4)), ((3, 0), (5, 0)), ((3, 1), (5, 1)), ((3, 2), (5, 2))])  # fmt: skip
    v = _cells(r)
    assert len(v) == 6
    assert (v["C8"].parsed.nilai, v["C8"].tahun, v["C8"].tahun_dari) == (3.0, 2021, "judul")
    assert v["C8"].label_kolom == "Bayam/ Spinach (ha/ ha )"  # line breaks read as spaces
    assert v["B10"].total and v["B10"].rincian is None  # the regency's own row: it adds up
    assert r.tables[0].block.titles == [0, 1] and r.tables[0].block.header == [3, 6]


def test_year_header_written_twice_in_a_group_is_settled_by_the_title():
    r = _read([["Tabel 4.3.3", "Desa yang Mengalami Bencana Menurut Kecamatan, 2018, 2020, 2021"],
               ["Kecamatan", "Banjir", None, None],
               [None, "2018", "2020", "2020"],
               ["Balige", 3.0, 2.0, 1.0], ["Uluan", 1.0, 2.0, 1.0]], merged=[((1, 1), (1, 3))])  # fmt: skip
    v = _cells(r)
    assert [v[c].tahun for c in ("B4", "C4", "D4")] == [2018, 2020, 2021]
    assert _issues(r) == [("tahun_dari_judul", "D3", "2020|2021")]  # only the header it overrode


def test_year_header_written_twice_without_a_title_keeps_no_year():
    r = _read([["Kecamatan", "Banjir", None, None],
               [None, "2018", "2020", "2020"],
               ["Balige", 3.0, 2.0, 1.0]], merged=[((0, 1), (0, 3))])  # fmt: skip
    v = _cells(r)
    assert [v[c].tahun for c in ("B3", "C3", "D3")] == [2018, None, None]  # never one of the two guessed
    codes = [c for c, *_ in _issues(r)]
    assert codes.count("tahun_tidak_pasti") == 2 and "tahun_tidak_diketahui" in codes


def test_a_footnote_digit_glued_to_a_year_tells_no_year():
    assert read_label(["20201"]).year is None and read_label(["20201"]).doubtful
    assert read_label(["2010-20203"]).year is None
    r = _read([["Kecamatan", "Penduduk (ribu)", None], [None, "20201", "20202"], ["Balige", 44635.0, 45276.0]],
              merged=[((0, 1), (0, 2))])  # fmt: skip
    v = _cells(r)
    assert (v["B3"].tahun, v["C3"].tahun) == (None, None)
    assert [c for c, *_ in _issues(r)].count("tahun_tidak_pasti") == 2


def test_the_edition_of_a_statistical_publication_is_no_year_of_the_data():
    # a table copied from "Jawa Barat dalam Angka 2022" (data of 2021, the source note says): the edition in the
    # sheet name tells no year, so the values keep none and the table says so, rather than fall under 2022
    assert read_label(["Kabupaten Demak Dalam Angka 2022"]).years == ()
    assert read_label(["Indonesia in Figures 2023"]).years == ()
    assert read_label(["Statistik Daerah Kabupaten Demak 2021"]).years == ()
    assert read_label(["Jumlah Rumah Sakit 2021 - Jawa Barat dalam Angka 2022"]).year == 2021
    assert read_label(["Angka Partisipasi Sekolah 2022"]).year == 2022  # "angka" alone names no publication
    r = _read([["Kabupaten/Kota", "RS Umum", "RS Khusus"], ["Bogor", 26.0, 9.0], ["Sukabumi", 7.0, 0.0], [],
               ["Sumber: Dinkes Prov. Jawa Barat"]], name="Jabar dalam Angka 2022", stem="RS Jabar BPS")  # fmt: skip
    v = _cells(r)
    assert len(v) == 4 and all(x.tahun is None for x in v.values())
    assert ("tahun_tidak_diketahui" in {code for code, _, _ in _issues(r)})


def test_a_title_in_two_languages_names_its_year_once():
    info = read_label(["Jumlah Desa Menurut Kecamatan, 2017 Number of Villages by Sub District, 2017"])
    assert info.year == 2017


def test_columns_that_are_not_measurements():
    # EPSS: codes 1 / 101 / 10101 in a staircase stub; a school list with NPSN; codes written "010"
    r = _read([["Domain/Aspek/Indikator", None, None, None, "Bobot", "Nilai"],
               [1.0, "Prinsip SDI", None, None, 0.28, 3.5],
               [None, 101.0, "Standar Data Statistik", None, 0.25, 3.0],
               [None, None, 10101.0, "Tingkat Kematangan SDS", 1.0, 3.0],
               [2.0, "Kualitas Data", None, None, 0.24, 4.0]], merged=[((0, 0), (0, 3))])  # fmt: skip
    v = _cells(r)
    assert sorted(v) == ["E2", "E3", "E4", "E5", "F2", "F3", "F4", "F5"]  # no code read as a value
    assert (v["E3"].label_baris, v["F4"].label_baris) == ("Standar Data Statistik", "Tingkat Kematangan SDS")
    schools = _cells(_read([["No", "Nama Sekolah", "NPSN", "Status", "Guru"],
                            [1.0, "SD Negeri 1", 50306084.0, "Negeri", 12.0],
                            [2.0, "SD Swasta 2", 69818703.0, "Swasta", 8.0]]))  # fmt: skip
    assert sorted(schools) == ["E2", "E3"]
    coded = _cells(_read([["Kode", "Nama Kecamatan", "Laki-laki", "Perempuan"],
                          ["010", "Banda", 9196.0, 9324.0], ["040", "Tehoru", 14388.0, 13715.0]]))  # fmt: skip
    assert sorted(coded) == ["C2", "C3", "D2", "D3"]


def test_rows_keyed_by_year_in_the_stub():
    r = _read([["Kecamatan", None, "Jumlah Ibu Hamil", "Kunjungan K1"],
               [-1.0, None, -2.0, -3.0],
               [2019.0, None, 133.0, 130.0], [2020.0, None, 230.0, 228.0], [2021.0, None, 146.0, 140.0]],
              merged=[((0, 0), (0, 1))])  # fmt: skip
    v = _cells(r)
    assert sorted(v) == ["C3", "C4", "C5", "D3", "D4", "D5"]
    assert (v["C4"].tahun, v["C4"].tahun_dari, v["D5"].tahun) == (2020, "baris", 2021)


def test_long_table_with_a_quarter_column():
    r = _read([["Komoditi", "tahun", "triwulan", "Luas Panen", "Produksi"],
               ["Padi sawah", "2022", "1", "35685.62", "201957.86"],
               ["Padi sawah", "2022", "2", "12599", "68387.06"]], text=True)  # fmt: skip
    v = _cells(r)
    assert sorted(v) == ["D2", "D3", "E2", "E3"]  # the quarter numbers are no values
    assert (v["D2"].tahun, v["D2"].periode, v["E3"].periode) == (2022, "Triwulan I", "Triwulan II")


def test_a_lone_year_under_the_indicator_name_and_a_title_month():
    r = _read([["Persentase Penduduk Miskin Maret (%)"], [],
               ["Kabupaten/Kota", "Harapan Lama Sekolah"], [None, 2022.0],
               ["Padang", 16.54], ["Solok", 13.3]])  # fmt: skip
    v = _cells(r)
    assert sorted(v) == ["B5", "B6"]
    assert (v["B5"].tahun, v["B5"].tahun_dari, v["B5"].periode) == (2022, "kolom", "Maret")


def test_a_comma_that_reads_either_way_is_decided_by_its_table_or_is_an_issue():
    prices = _read([["Komoditas (Rp)", "04/ 01/ 2021", "05/ 01/ 2021"],
                    ["Beras", "14,150", "14,150"], ["Daging Ayam", "33,250", "32,250"]])  # fmt: skip
    assert _cells(prices) == {}  # 14.15 or 14150: nothing in the table tells, never guessed
    assert {c for c, *_ in _issues(prices)} == {"koma_tidak_pasti"}
    decimals = _cells(_read([["Kecamatan", "2021"], ["A", "14,150"], ["B", "2,5"]]))
    assert decimals["B2"].parsed.nilai == 14.15  # "2,5" proves a decimal comma
    english = _cells(_read([["Kecamatan", "2021"], ["A", "14,150"], ["B", "1,234,567"]]))
    assert english["B2"].parsed.nilai == 14150.0  # "1,234,567" proves comma thousands


def test_a_leading_zero_never_opens_a_group_of_thousands():
    assert parse_cell("0.335").nilai == 0.335 and parse_cell("0.335").catatan is None
    assert parse_cell("1.234").nilai == 1234.0


def test_metadata_and_copied_sheets():
    assert is_instruction_sheet("Konsep Definisi") and not is_instruction_sheet("Tabel")
    assert copied_from("#Sheet1 (2)", ["Sheet1", "#Sheet1 (2)"]) == "Sheet1"
    assert copied_from("Copy of Data", ["Data", "Copy of Data"]) == "(draf)"
    assert copied_from("Sheet1", ["Sheet1", "Sheet2"]) is None


def test_a_numbered_group_heading_and_the_region_the_title_covers():
    r = _read([["RATA-RATA HARGA DI KABUPATEN BANYUMAS PADA TAHUN 2020"], [],
               ["No.", "Nama Barang", "Satuan", "Januari", "Februari"],
               [1.0, "BERAS", None, None, None],
               [None, "- BERAS IR64 (premium)", "kg", 12166.0, 12482.0],
               [2.0, "GULA", None, None, None],
               [None, "- Gula pasir", "kg", 13500.0, 13600.0]])  # fmt: skip
    v = _cells(r)
    assert sorted(v) == ["D5", "D7", "E5", "E7"]  # the headings' numbers 1 and 2 are no values
    assert (v["D5"].tahun, v["D5"].periode, v["E7"].periode) == (2020, "Januari", "Februari")
    assert (v["D5"].rincian, v["D5"].jenis_rincian) == ("KABUPATEN BANYUMAS", "wilayah")
    assert r.tables[0].structural == 2


def test_columns_named_like_a_bps_sign_at_the_top_of_a_sheet_are_a_header():
    # a student export: provinces with two measures named x and y; "x" is also BPS's "confidential" sign
    r = _read([["Provinsi", "x", "y"],
               ["Nusa Tenggara Timur", 20.23, 35.3],
               ["Papua", 26.8, "x"]])  # fmt: skip
    v = _cells(r)
    assert len(v) == 4 and r.tables[0].block.header == [0]
    assert (v["B2"].parsed.nilai, v["B2"].label_kolom, v["C2"].label_kolom) == (20.23, "x", "y")
    assert v["C3"].parsed.status == "rahasia" and v["B3"].rincian == "Papua"
    # the same sign inside the data, under a real header, is a confidential value
    r = _read([["Kecamatan", "Jumlah Dokter"], ["Balige", "x"], ["Uluan", 3.0]])
    assert _cells(r)["B2"].parsed.status == "rahasia"


def test_a_kecamatan_named_like_its_regency_is_no_total():
    # Kabupaten Demak has a kecamatan Demak: a row "Demak" is the regency only when the table proves it
    rows = [["Jumlah Penduduk Menurut Kecamatan dan Jenis Kelamin di Kabupaten Demak, 2022"],
            ["Kecamatan", "Laki-laki", "Perempuan", "Jumlah"],
            ["Bonang", 50.0, 51.0, 101.0], ["Demak", 60.0, 61.0, 121.0], ["Wedung", 40.0, 41.0, 81.0]]
    v = _cells(_read(rows + [["Kabupaten Demak", 150.0, 153.0, 303.0]]))
    assert (v["B4"].total, v["B4"].rincian, v["D4"].total) == (False, "Demak", True)  # a Jumlah column stays
    assert v["B6"].total and v["B6"].rincian is None
    v = _cells(_read(rows))  # no other total row, and Demak is no sum of the others
    assert (v["C4"].total, v["C4"].rincian) == (False, "Demak")
    v = _cells(_read(rows[:3] + [["Wedung", 40.0, 41.0, 81.0], ["Demak", 90.0, 92.0, 182.0]]))
    assert v["B5"].total and v["B5"].rincian is None  # it adds up: the regency's row
    pct = [["Persentase Penduduk Miskin di Kabupaten Demak"], ["Kecamatan", "Persen"],
           ["Demak", 11.2], ["Bonang", 12.5], ["Wedung", 9.1]]
    v = _cells(_read(pct))
    assert v["B3"].total  # percents do not add: first or last stands for the regency
    v = _cells(_read(pct[:2] + [pct[3], pct[2], pct[4]]))
    assert (v["B4"].total, v["B4"].rincian) == (False, "Demak")


def test_the_region_a_file_name_names_in_short_or_hyphenated():
    from satudata.reading.table.values import file_words

    assert file_words("Daerah_kab-bantul-jumlah-kasus-2018-2022") == "Daerah Kabupaten bantul jumlah kasus-2018-2022"
    assert file_words("piramida_data_sulbar") == "piramida data Provinsi Sulawesi Barat"
    assert file_words("rekap_kab_kota") == "rekap kab kota"  # "kab/kota" is no kabupaten
    rows = [["Jenis Penyakit", "2021", "2022"], ["Campak", "3", "0"], ["Hepatitis", "1", "2"]]
    v = _cells(_read(rows, stem="Daerah_kota-yogyakarta-jumlah-kasus-penyakit", text=True))
    assert (v["C2"].tahun, v["C2"].rincian, v["C2"].jenis_rincian) == (2022, "Campak", "kategori")
    r = _read([["Jenis Kelamin", "0 - 4", "5 - 9"], ["Laki-Laki", 7655.0, 31161.0]], stem="piramida_data_sulbar")
    assert r.tables[0].title == "piramida data Provinsi Sulawesi Barat"
    v = _cells(_read([["Uraian", "2022"], ["Jumlah Puskesmas", 27.0]], stem="data_kab-bantul"))
    assert v["B2"].rincian == "Kabupaten bantul"  # rows name no region: the file's region covers them


def test_a_week_column_keys_the_rows_of_a_long_table():
    # a puskesmas surveillance export: Tahun | Minggu Ke- | Nama Penyakit | Jumlah Kasus
    r = _read([["Tahun", "Minggu Ke-", "Nama Penyakit", "Jumlah Kasus"],
               [2022.0, 1.0, "Diare Akut", 2.0], [2022.0, 2.0, "Diare Akut", 3.0],
               [2022.0, 1.0, "Suspek Dengue", 0.0], [2022.0, 2.0, "Suspek Dengue", 1.0]])  # fmt: skip
    v = _cells(r)
    assert len(v) == 4 and r.tables[0].structural == 4 + 4  # the years and the week numbers
    assert (v["D3"].parsed.nilai, v["D3"].tahun, v["D3"].elemen, v["D3"].rincian) == (
        3.0, 2022, "Diare Akut - Jumlah Kasus", "Minggu Ke- 2")
    assert v["D4"].rincian == "Minggu Ke- 1" and v["D4"].elemen.startswith("Suspek Dengue")


def test_a_kecamatan_under_its_city_in_a_column_left_of_it():
    r = _read([["tahun", "nama_kabupaten_atau_kota_administrasi", "nama_kecamatan", "jumlah_rw", "jumlah_rt"],
               ["2013.0", "Kepulauan Seribu", "Kepulauan Seribu Selatan ", "11.0", "52.0"],
               ["2013.0", "Jakarta Selatan", "Jagakarsa ", "54.0", "544.0"],
               ["2013.0", "Jakarta Selatan", "Pasar Minggu ", "65.0", "725.0"]], text=True)  # fmt: skip
    v = _cells(r)
    assert (v["D3"].parsed.nilai, v["D3"].tahun, v["D3"].rincian) == (54.0, 2013, "Jakarta Selatan / Jagakarsa")
    assert v["E2"].rincian == "Kepulauan Seribu / Kepulauan Seribu Selatan" and v["E2"].elemen == "jumlah_rt"


def test_a_numbered_group_under_the_header_and_a_group_column_beside_the_label():
    # BPS Kota Tegal's input template: the group's number repeated in the No column, its name in Kelompok
    r = _read([["No", "Kelompok", "SubIndikator", "Unit", "2019", "2020"],
               [6.0, "PDRB", None, None, None, None],
               [6.0, "PDRB", "Atas Dasar Harga Berlaku", "Milyar Rupiah", 15283.91, 15224.68],
               [6.0, "PDRB", "Laju Pertumbuhan Ekonomi", "Persen", 5.77, -2.29]])  # fmt: skip
    v = _cells(r)
    assert len(v) == 4 and "A3" not in v  # the group's number is structure, not a value
    assert (v["F4"].parsed.nilai, v["F4"].tahun, v["F4"].satuan) == (-2.29, 2020, "Persen")
    assert v["E3"].label_baris == "PDRB / Atas Dasar Harga Berlaku"


def test_a_jumlah_column_with_a_few_broken_records_stays_a_value_column():
    # an open-data CSV where an unquoted comma ("Gempa Bumi 4,4 SR") shifts one record to the right
    r = _read([["kode_kecamatan", "nama_kecamatan", "kejadian_bencana", "jumlah", "satuan"],
               ["11.16.01", "Manyak Payed", "Pohon Tumbang", "3", "Kejadian"],
               ["11.16.02", "Bendahara", "Banjir", "2", "Kejadian"],
               ["11.16.03", "Seruway", "Gempa Bumi 4", "4 SR", "1", "Kejadian"]], text=True)  # fmt: skip
    v = _cells(r)
    assert (v["D2"].parsed.nilai, v["D2"].rincian, v["D3"].parsed.nilai) == (3.0, "Manyak Payed", 2.0)
    assert ("nilai_tidak_valid", "D4", "4 SR") in _issues(r)  # the shifted record is an issue, not a code
