"""Frequencies of the catalogue, unit spellings and the checks of counted values against their element."""

from __future__ import annotations

import pandas as pd
import pytest

from satudata.common import fmt
from satudata.reading.value_checks import check_values
from satudata.reference.periods import (
    ANNUAL,
    BERKALA,
    NOT_OWED,
    SUB_TAHUNAN,
    Frequency,
    frequency_of,
    parse_frequency,
)
from satudata.reference.settings import settings_from_dict
from satudata.reference.units import DIFFERENT, SAME, SIMILAR, UnitTable

WINDOW = (2019, 2020, 2021, 2022, 2023)


@pytest.mark.parametrize(("word", "kind", "years"), [
    ("Tahunan", "tahunan", WINDOW),
    ("Tahun Ajaran", "tahunan", WINDOW),
    ("Semester", "sub_tahunan", WINDOW),
    ("Triwulanan", "sub_tahunan", WINDOW),
    ("Bulanan", "sub_tahunan", WINDOW),
    ("Lima Tahunan", "berkala", (2023,)),
    ("Lima Tahun", "berkala", (2023,)),
    ("Dwi Tahunan", "berkala", (2019, 2021, 2023)),
    ("3 Tahunan", "berkala", (2020, 2023)),
    ("Apabila Dibutuhkan", "tidak_wajib", ()),
    ("apabila diajukan", "tidak_wajib", ()),
])
def test_default_frequency_words(word, kind, years):
    f = frequency_of(word, {})
    assert f is not None and f.kind == kind and f.years_owed(WINDOW) == years


def test_periods_of_sub_annual_words_and_unknown_words():
    assert frequency_of("Semesteran", {}).periods == 2 and frequency_of("Triwulan", {}).periods == 4
    assert frequency_of("Bulanan", {}).label == "bulanan" and frequency_of("Bulanan", {}).periods == 12
    assert frequency_of("Tetap", {}) is None and frequency_of("***", {}) is None


def test_region_words_from_the_settings():
    s = settings_from_dict({"katalog": {"periode": {
        "Tetap": "tidak wajib", "Tahunan dan bulanan": "bulanan", "Sensus": {"setiap": 10, "tahun_acuan": 2020},
        "Tahunan": "2 tahunan"}}})
    extra = s.catalogue.frequencies
    assert frequency_of("TETAP", extra) == NOT_OWED
    assert frequency_of("tahunan dan bulanan", extra).kind == SUB_TAHUNAN
    census = frequency_of("Sensus", extra)
    assert census == Frequency(BERKALA, every=10, anchor=2020) and census.years_owed(tuple(range(2015, 2026))) == (
        2020,)
    assert frequency_of("Tahunan", extra).years_owed(WINDOW) == (2019, 2021, 2023)  # the region's word wins
    assert parse_frequency({"setiap": 1}) == ANNUAL


def test_bad_frequency_settings_are_all_reported_in_indonesian():
    with pytest.raises(ValueError) as err:
        settings_from_dict({"katalog": {"periode": {"A": "kadang-kadang", "B": {"setiap": 0}, "C": {"setiap": "x"}}}})
    text = str(err.value)
    assert "[katalog.periode] 'A': 'kadang-kadang' tidak dikenal" in text
    assert "'B': setiap harus 1 atau lebih" in text and "'C': setiap dan tahun_acuan harus bilangan bulat" in text


@pytest.mark.parametrize(("written", "canonical"), [
    ("%", "%"), ("Persen", "%"), ("persen", "%"), ("Persentase", "%"), ("Org", "Orang"), ("Orang", "Orang"),
    ("jiwa", "Orang"), ("Ha", "Ha"), ("Hektar", "Ha"), ("hektare (ha)", "Ha"), ("(Ha)", "Ha"), ("Km", "Km"),
    ("Unit", "Unit"), ("Buah", "Unit"), ("Rp", "Rp"), ("Rupiah", "Rp"), ("Juta Rupiah", "Rp juta"),
    ("Rp/Juta", "Rp juta"), ("***", None), ("-", None), ("", None), ("kab/kot", "kab/kot"),
])
def test_one_spelling_per_unit(written, canonical):
    assert UnitTable().canonical(written) == canonical


def test_unit_comparison_and_region_spellings():
    units = UnitTable({"Pkt": "Paket", "Kwh": "kWh"})
    assert units.compare("Orang", "%") == DIFFERENT
    assert units.compare("Juta Rupiah", "Rp") == DIFFERENT  # same family, a million apart
    assert units.compare("Hektar", "Ha") == SAME and units.compare("persen", "Persentase") == SAME
    assert units.compare("Sekolah", "Unit") == SIMILAR  # two count words
    assert units.compare("kunjungan", "Orang") == SIMILAR  # a word the table does not know
    assert units.compare("", "%") == SAME and units.compare("Orang", None) == SAME
    assert units.canonical("pkt") == "Paket" and units.canonical("KWH") == "kWh"


def test_scores_are_cut_never_rounded_across_a_threshold():
    assert fmt.skor(84.7899) == "84,78" and fmt.skor(84.999) == "84,99" and fmt.skor(85) == "85"


def _nilai(rows: list[tuple]) -> pd.DataFrame:
    cols = ["kode_opd", "kode_elemen", "satuan_asli", "tahun", "nilai", "status", "dihitung", "sumber_file",
            "sumber_sheet", "sumber_baris", "sumber_kolom"]
    return pd.DataFrame(rows, columns=cols)


ELEMENTS = pd.DataFrame({
    "kode_elemen": ["E1", "E2", "E3", "E4"],
    "nama_elemen": ["Persentase rumah layak huni", "Angka Partisipasi Kasar SMA", "Jumlah penduduk", "Jumlah sekolah"],
    "satuan": ["%", "%", "Orang", "Unit"],
})


def test_value_checks_drop_what_cannot_be_the_number_owed():
    nilai = _nilai([
        ("D1", "E1", "Persen", 2022, "82.5", "ada", True, "a.xlsx", "S", 5, "D"),  # fine
        ("D1", "E1", "%", 2023, "120", "ada", True, "a.xlsx", "S", 5, "E"),  # percent above 100
        ("D1", "E2", "%", 2023, "104.2", "ada", True, "a.xlsx", "S", 6, "E"),  # gross enrolment may pass 100
        ("D1", "E3", "Rp", 2023, "5000", "ada", True, "a.xlsx", "S", 7, "E"),  # wrong unit
        ("D1", "E3", "Rp", 2022, "4900", "ada", True, "a.xlsx", "S", 7, "D"),  # same row: one issue
        ("D1", "E3", "jiwa", 2021, "-3", "ada", True, "a.xlsx", "S", 8, "C"),  # negative count
        ("D1", "E4", "Sekolah", 2023, "12", "ada", True, "a.xlsx", "S", 9, "E"),  # similar count word
        ("D1", "E1", "Orang", 2023, "5", "ada", False, "a.xlsx", "S", 10, "E"),  # not counted anyway: no check
    ])
    issues = check_values(nilai, ELEMENTS, settings_from_dict({}), "2024-01-01")
    assert [(i["sumber_baris"], i["kode_masalah"]) for i in issues] == [
        (7, "satuan_berbeda"), (9, "satuan_mirip"), (5, "persen_di_atas_100"), (8, "nilai_negatif")]
    assert nilai["dihitung"].tolist() == [True, False, True, False, False, False, True, False]
    assert "kolom E" in issues[2]["pesan"] and "bernilai 120 persen" in issues[2]["pesan"]
    # the region may allow more names over 100
    nilai = _nilai([("D1", "E1", "%", 2023, "120", "ada", True, "a.xlsx", "S", 5, "E")])
    settings = settings_from_dict({"satuan": {"persen_boleh_lebih_100": ["rumah layak"]}})
    assert check_values(nilai, ELEMENTS, settings, "2024-01-01") == [] and nilai["dihitung"].all()
