"""The fast paths of ingestion give exactly what the plain rules give (numbers, names, roles, values)."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from satudata.common.names import fold, normalise_element
from satudata.formats.readers import MAX_BLANK_RUN, Grid, _trim
from satudata.reading.ingest import float_texts, ingest_file
from satudata.reading.matching import ElementIndex, quick_fold, quick_normalise
from satudata.reading.numbers import STATUS_CODES, parse_cell, parse_texts, parse_texts_array
from satudata.reading.template_layout import classify_rows, detect_layout, row_roles, subtotal_words
from satudata.reference.settings import Settings
from tests.integration.messy_fixtures import make_catalogue, make_register

NUMBER_TEXT = st.one_of(
    st.integers(0, 10**13).map(lambda n: f"{n:,}".replace(",", ".")),  # 1.234.567
    st.tuples(st.integers(0, 10**9), st.integers(0, 999)).map(
        lambda t: f"{t[0]:,}".replace(",", ".") + f",{t[1]}"
    ),
    st.integers(0, 10**16).map(str),
    st.tuples(st.integers(1, 999), st.integers(0, 999)).map(lambda t: f"{t[0]},{t[1]:03d}"),  # ambiguous
    st.text(alphabet="0123456789.,-–()Rp%* x\u00a0", max_size=14),
    st.sampled_from(
        ["-", "...", "…", "x", "NA", "1.5", "1017.00", "1,234,567", "٣", "1.234\n", "001.234", ""]
    ),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(NUMBER_TEXT, min_size=64, max_size=200))
def test_bulk_text_parsing_equals_parse_cell(texts):
    statuses, values, notes = parse_texts(texts)
    for text, status, value, note in zip(texts, statuses, values, notes, strict=True):
        expected = parse_cell(text)
        assert (status, note) == (expected.status, expected.catatan), text
        assert type(value) is type(expected.nilai) and (value == expected.nilai or value is expected.nilai), (
            text
        )


def test_bulk_text_parsing_on_known_values():
    texts = ["1.234", "1.234,5", "12,5", "1,234", "-", "...", "abc", "0012"] * 10
    statuses, values, notes = parse_texts(texts)
    assert values[:8] == [1234.0, 1234.5, 12.5, 1.234, 0.0, None, None, 12.0]
    assert statuses[:8] == ["ada", "ada", "ada", "ada", "nihil", "tidak_tersedia", "tidak_valid", "ada"]
    assert notes[3] == "koma_ribuan_ambigu" and notes.count("koma_ribuan_ambigu") == 10


@settings(max_examples=60, deadline=None)
@given(st.lists(NUMBER_TEXT, max_size=200))
def test_array_text_parsing_equals_parse_cell(texts):
    codes, values, notes = parse_texts_array(texts)
    assert codes.dtype == np.int8 and len(codes) == len(values) == len(texts)
    for j, text in enumerate(texts):
        expected = parse_cell(text)
        assert (STATUS_CODES[codes[j]], notes.get(j)) == (expected.status, expected.catatan), text
        if expected.nilai is None:
            assert np.isnan(values[j]), text
        else:
            assert values[j] == expected.nilai, text


def test_array_text_parsing_on_known_values():
    texts = ["1.234", "1.234,5", "12,5", "1,234", "-", "...", "abc", "0012", " 7 ", "5*", "x", ""] * 10
    codes, values, notes = parse_texts_array(texts)
    assert [STATUS_CODES[c] for c in codes[:12]] == [
        "ada", "ada", "ada", "ada", "nihil", "tidak_tersedia", "tidak_valid", "ada", "ada", "ada", "rahasia", None,
    ]  # fmt: skip
    assert values[:12].tolist()[:5] == [1234.0, 1234.5, 12.5, 1.234, 0.0] and values[8] == 7.0
    assert notes[3] == "koma_ribuan_ambigu" and notes[9] == "angka_sementara" and len(notes) == 20


def _python_text(x: float) -> str:
    return str(int(x)) if x.is_integer() else repr(x)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=50))
def test_float_texts_equal_python_text(xs):
    assert float_texts(np.asarray(xs, dtype=np.float64)) == [_python_text(x) for x in xs]


def test_float_texts_edges():
    xs = [
        839956523000.0,
        1e15,
        1e16,
        1e-5,
        1e-4,
        -0.0,
        0.0,
        0.1 + 0.2,
        123456789.123,
        14781475806.128609,
        5e-324,
    ]
    got = float_texts(np.asarray(xs))
    assert got == [_python_text(x) for x in xs]
    assert got[:3] == ["839956523000", "1000000000000000", "10000000000000000"] and got[5] == "0"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30) | st.text(max_size=10))
def test_quick_fold_and_normalise_equal_the_plain_rules(text):
    assert quick_fold(text) == fold(text)
    assert quick_normalise(text) == normalise_element(text)


def test_quick_normalise_expands_abbreviations():
    assert quick_normalise("Jml. Dokter  (Kab)") == "jumlah dokter kabupaten"


def test_trim_short_and_long_sheets():
    rows = [["a", 1.0], ["", ""], [" ", ""], ["b", ""], ["", "\u00a0"], ["", ""]]
    # "\u00a0" is whitespace: blank; the three trailing blank rows go, the inner ones stay
    assert _trim(rows) == rows[:4]
    long = [["a"]] + [[""]] * (MAX_BLANK_RUN + 5) + [["lost"]]
    assert _trim(long) == [["a"]]


def _grid(rows: list[list]) -> Grid:
    width = max(len(r) for r in rows)
    return Grid("Data", [r + [""] * (width - len(r)) for r in rows])


def test_row_roles_match_classify_rows():
    g = _grid([
        ["DATA DINAS KESEHATAN"], [],
        ["No", "Uraian", "Satuan", "2021", "2022"],
        [1.0, "Jumlah Bidan", "Orang", 12.0, "1.234"],
        ["", "Pelayanan Dasar"],
        [2.0, "Jumlah Puskesmas", "Unit", "", ""],
        ["", "Jumlah", "", 12.0, 3.0],
        ["Sumber: Dinkes"],
        ["*) angka sementara", "", "", "", ""],
        ["", "", "", 5.0, ""],
        ["kelompok", "Kabupaten Demak", "", 9.0, 9.0],
    ])  # fmt: skip
    layout = detect_layout(g)
    totals = subtotal_words(("demak",))
    tuples = row_roles(g, layout, totals)
    infos = classify_rows(g, layout, totals)
    assert [(i.index, i.role, i.label, i.code, i.unit, i.opd_text, i.section) for i in infos] == tuples
    assert [t[1] for t in tuples] == [
        "judul", "kosong", "header", "data", "judul_bagian", "tanpa_nilai", "subtotal", "catatan", "catatan",
        "tanpa_label", "subtotal",
    ]  # fmt: skip
    assert tuples[5][6] == "Pelayanan Dasar"


def test_match_many_equals_match():
    elements = make_catalogue().elements
    rows = [("Jumlah Dokter Umum", "", ""), ("Jml Dokter Umum", "", ""), ("Jumlah Bidn", "", ""),
            ("Jumlah Sekolah Dasar", "", ""), ("apa saja", "", ""), ("x", " dinkes.03 ", ""),
            ("Umum", "", "Jumlah Dokter"), ("Jumlah Dokter Umum", "", "")]  # fmt: skip
    for opd in ("DINKES", None):
        fast, plain = ElementIndex(elements), ElementIndex(elements)
        assert fast.match_many(opd, rows) == [plain.match(opd, *r) for r in rows]
    got = ElementIndex(elements).match_many("DINKES", rows)
    assert [(m.metode, m.kode_elemen) for m in got] == [
        ("nama", "DINKES.01"), ("nama", "DINKES.01"), ("fuzzy", "DINKES.02"), ("nama", "DINDIKBUD.01"),
        ("tidak_cocok", None), ("kode", "DINKES.03"), ("nama", "DINKES.01"), ("nama", "DINKES.01"),
    ]  # fmt: skip
    assert got[0].dihitung is True and got[3].dihitung is False


def _workbook(path, header: list, rows: list[list]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["OPD: Dinas Kesehatan"])
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)


ROWS = [
    ["Jumlah Dokter Umum", 12, "1.234", "-", "12a", "1,234"],
    ["Jumlah Bidan", "...", "x", 7.5, "", "(3)"],
    ["Jumlah Puskesmas", "-", "-", "-", "-", "-"],
    ["", 5, "", "", "", ""],
    ["Jumlah Bidn", "abc", "", "", "", ""],
    ["Jumlah Bidan", 1, 2, 3, 4, 5],
]


def test_plain_lane_and_general_lane_give_the_same_result(tmp_path):
    """A table without an OPD column takes the bulk path; with one, the row-by-row path: same output."""
    years = ["2019", "2020", "2021", "2022", "2023"]
    plain_path, general_path = tmp_path / "Dinkes.xlsx", tmp_path / "Dinkes_opd.xlsx"
    _workbook(plain_path, ["Uraian", *years], ROWS)
    _workbook(general_path, ["Uraian", *years, "OPD"], [r + ["Dinkes"] for r in ROWS])
    args = ("2024-01-01", make_register(), make_catalogue(), Settings())
    plain, general = ingest_file(plain_path, *args), ingest_file(general_path, *args)
    cols = [c for c in plain.nilai.columns if c != "sumber_file"]
    pd.testing.assert_frame_equal(plain.nilai[cols], general.nilai[cols])
    issue_cols = ["sumber_baris", "sumber_kolom", "tingkat", "kode_masalah"]
    pd.testing.assert_frame_equal(plain.masalah[issue_cols], general.masalah[issue_cols])
    n = plain.nilai
    assert len(n) == 18
    assert n["status"].value_counts().to_dict() == {"ada": 10, "nihil": 6, "tidak_tersedia": 1, "rahasia": 1}
    first = n[n["sumber_baris"] == 3]
    assert first["nilai"].tolist() == [12.0, 1234.0, 0.0, 1.234]
    assert first["teks_asli"].tolist() == ["12", "1.234", "-", "1,234"]
    assert first["sumber_kolom"].tolist() == ["B", "C", "D", "F"]
    assert first["tahun"].tolist() == [2019, 2020, 2021, 2023]
    second = n[n["sumber_baris"] == 4]
    assert second["nilai"].tolist()[2:] == [7.5, -3.0] and not second["dipakai"].any()  # row 8 repeats it
    issues = [(int(r.sumber_baris), r.kode_masalah, None if pd.isna(r.sumber_kolom) else r.sumber_kolom)
              for r in plain.masalah.itertuples()]  # fmt: skip
    assert issues == [
        (3, "nilai_tidak_valid", "E"), (3, "angka_ambigu", "F"), (5, "semua_nihil", None), (6, "label_kosong", None),
        (7, "nilai_tidak_valid", "B"), (4, "duplikat", "B"), (4, "duplikat", "C"), (4, "duplikat", "D"),
        (4, "duplikat", "F"),
    ]  # fmt: skip
    b = plain.manifest["berkas"][0]["baris"]
    assert (b["dibaca"], b["data"], b["ditolak"]) == (8, 4, 2) and b["struktur"] == {"judul": 1, "header": 1}


def test_sniffer_prefers_the_delimiter_that_consumes_the_quotes():
    from satudata.formats.readers import sniff_delimiter

    # found by tests/integration/test_ingest_random.py: with "," the quoted CR split the row in two
    assert sniff_delimiter('Uraian\r\n12,5;"\r0"\r\n') == ";"
    assert sniff_delimiter('Uraian;2023\r\nPipa 5";12\r\nPipa 7";14\r\n') == ";"  # an inch mark stays data


def test_two_columns_for_one_year_are_duplicates(tmp_path):
    """'2021' and '2021*' are both year 2021: the row gives two values for it; the later column wins."""
    path = tmp_path / "Dinkes.xlsx"
    _workbook(path, ["Uraian", "2021", "2021*", "2022"], [["Jumlah Dokter Umum", 5, 6, 7], ["Jumlah Bidan", 1, 1, 2]])
    result = ingest_file(path, "2024-01-01", make_register(), make_catalogue(), Settings())
    nilai = result.nilai
    assert len(nilai) == 6
    doctors = nilai[(nilai["kode_elemen"] == "DINKES.01") & (nilai["tahun"] == 2021)]
    assert doctors["nilai"].tolist() == [5.0, 6.0] and doctors["dipakai"].tolist() == [False, True]
    bidan = nilai[(nilai["nama_elemen_asli"] == "Jumlah Bidan") & (nilai["tahun"] == 2021)]
    assert bidan["dipakai"].tolist() == [False, True]
    duplicates = result.masalah[result.masalah["kode_masalah"] == "duplikat"]
    assert len(duplicates) == 1 and "'5'" in duplicates["pesan"].iloc[0]  # equal values (Bidan 1 and 1): no issue


LABEL = st.one_of(
    st.sampled_from(["Jumlah", "TOTAL", "Sub Total", "Kabupaten Demak", "Uraian", "uraian ", "Jenis Data", "Item",
                     "Rata-rata", "Jumlah Dokter Umum", "Jumlah Bidan", "-", "*", "Demak", "Jumlah 2", "Data",
                     "Jenis", "Luas Lahan Sawah", "Dinas Nomor 00", "Total:", "jumlah.", "Ürâïän", "Jumláh"]),
    st.text(alphabet="abcJKLMNhnaz019 .-:*ä", max_size=12),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(LABEL, st.sampled_from([None, 5.0, "7", "", "-"])), min_size=1, max_size=12))
def test_row_roles_skipping_folds_changes_nothing(labelled):
    """Labels whose last letter rules out every header and subtotal word are not folded: same roles."""
    import satudata.reading.template_layout as tables

    rows = [["Uraian", "Satuan", "2021"]] + [[label, "Orang", value] for label, value in labelled]
    g = _grid(rows)
    layout = detect_layout(g)
    totals = subtotal_words(("demak",))
    fast_like: list[int] = []
    fast = row_roles(g, layout, totals, fast_like)
    saved = tables._ASCII_ALNUM
    tables._ASCII_ALNUM = frozenset()  # every label folded
    try:
        slow_like: list[int] = []
        slow = row_roles(g, layout, totals, slow_like)
    finally:
        tables._ASCII_ALNUM = saved
    assert fast == slow and fast_like == slow_like
