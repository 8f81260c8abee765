"""Plausibility warnings on series with known anomalies: which fire and which do not."""

from __future__ import annotations

import pandas as pd

from satudata.evaluation.plausibility import check_series, consistency_checks, round_checks
from satudata.reference.settings import QualitySettings

YEARS = [2019, 2020, 2021, 2022, 2023]
Q = QualitySettings()


def _items(series: dict[tuple[str, str], list], units: dict[str, str] | None = None) -> pd.DataFrame:
    rows = []
    for (opd, element), values in series.items():
        for year, v in zip(YEARS, values, strict=False):
            status = None if v is None else "nihil" if v == "-" else "ada"
            rows.append({"kode_opd": opd, "kode_elemen": element, "nama_elemen": f"Elemen {element}", "tahun": year,
                         "nilai": 0.0 if v == "-" else v, "status": status, "sumber_file": "a.xlsx",
                         "sumber_sheet": "Data", "sumber_baris": 5, "sumber_kolom": "D",
                         "satuan": (units or {}).get(element, "Unit")})
    return pd.DataFrame(rows)


def _found(frame: pd.DataFrame) -> list[tuple[str, int, str]]:
    return list(zip(frame["kode_elemen"], frame["tahun"], frame["kode_cek"], strict=True))


ELEMENTS = pd.DataFrame({"kode_elemen": ["P", "C1", "C2"], "induk": [None, "P", "P"], "satuan": ["Unit"] * 3})


def test_a_ten_times_typo_is_found_and_a_supported_rise_is_not():
    items = _items({
        ("D1", "TYPO"): [1200, 1250, 13100, 1320, 1400],  # 10x typo in 2021
        ("D1", "RISE"): [4, 5, 6, 9, 9],  # a real 50 % rise in a small count
        ("D1", "GROW"): [10, 30, 90, 270, 810],  # steady 3x growth: the series supports it
        ("D1", "SMALL"): [1, 4, 2, 3, 1],  # small noisy count: moves less than selisih_minimum
        ("D1", "STEADY"): [500, 510, 495, 520, 530],
    })
    assert _found(check_series(items, ELEMENTS, Q, "2024-01-01")) == [("TYPO", 2021, "lonjakan")]


def test_sudden_zero_all_nil_and_copied_values():
    items = _items({
        ("D1", "ZERO"): [300, 320, "-", 330, 340],
        ("D1", "NIL"): ["-", "-", "-", "-", "-"],
        ("D1", "COPY"): [1234567, 1234567, 1234567, 1234567, 1234567],
        ("D1", "KEC"): [14, 14, 14, 14, 14],  # the number of kecamatan: the same every year is plausible
        ("D1", "RATE"): [12.5, 12.5, 12.5, None, None],  # a fraction copied over three years
    })
    got = _found(check_series(items, ELEMENTS, Q, "2024-01-01"))
    assert got == [("COPY", 2023, "nilai_disalin"), ("NIL", 2023, "semua_strip"), ("RATE", 2021, "nilai_disalin"),
                   ("ZERO", 2021, "nol_mendadak")]


def test_parts_that_do_not_add_up_and_revisions():
    items = _items({
        ("D1", "P"): [100, 200, 300, None, None],
        ("D1", "C1"): [60, 120, 100, None, None],
        ("D1", "C2"): [40, 80, 150, None, None],  # 2021: 100 + 150 = 250, not 300
    })
    found = check_series(items, ELEMENTS, Q, "2024-01-01")
    assert _found(found) == [("P", 2021, "jumlah_tidak_cocok")]
    assert "2 rinciannya berjumlah 250" in found["pesan"][0]
    previous = _items({("D1", "P"): [100, 180, 300, None, None], ("D1", "C1"): [60, 120, 100, None, None],
                       ("D1", "C2"): [40, 80, 150, None, None]})
    found = check_series(items, ELEMENTS, Q, "2024-02-01", previous=previous)
    assert _found(found) == [("P", 2020, "revisi"), ("P", 2021, "jumlah_tidak_cocok")]
    assert "kini 200" in found["pesan"][0] and "sebelumnya 180" in found["pesan"][0]


def test_one_pass_gives_the_warnings_and_the_consistency_counts():
    items = _items({
        ("D1", "P"): [100, 200, 300, None, None],
        ("D1", "C1"): [60, 120, 100, None, None],
        ("D1", "C2"): [40, 80, 150, None, None],
        ("D2", "P"): [10, None, None, None, None],  # no children: no sum to check
    })
    previous = _items({("D1", "P"): [100, 180, 300, None, None], ("D2", "P"): [10, None, None, None, None]})
    warnings, counts = round_checks(items, ELEMENTS, Q, "2024-02-01", previous=previous)
    pd.testing.assert_frame_equal(warnings, check_series(items, ELEMENTS, Q, "2024-02-01", previous=previous))
    pd.testing.assert_frame_equal(counts, consistency_checks(items, ELEMENTS, previous))
    # D1: three parent years with both children; three values also in the previous round (P 2019-2021); D2: one
    assert counts.set_index("kode_opd").to_dict("index") == {"D1": {"cek_jumlah": 3, "cek_revisi": 3},
                                                             "D2": {"cek_jumlah": 0, "cek_revisi": 1}}


def test_thresholds_come_from_the_settings():
    items = _items({("D1", "X"): [100, 105, 260, 110, 115]})  # 2.5x: under the default ratio of 3
    assert check_series(items, ELEMENTS, Q, "2024-01-01").empty
    assert _found(check_series(items, ELEMENTS, QualitySettings(jump_ratio=2.0), "2024-01-01")) == [
        ("X", 2021, "lonjakan")]


def test_release_schedule_gives_the_due_date():
    from datetime import date

    from satudata.evaluation.quality import release_due

    assert release_due("Maret n+1", 2021) == date(2022, 3, 31)
    assert release_due("Januari N+1", 2021) == date(2022, 1, 31)
    assert release_due("Januari n + 1", 2021) == date(2022, 1, 31)
    assert release_due("Desember n", 2021) == date(2021, 12, 31)
    assert release_due("Desember", 2021) == date(2021, 12, 31)
    assert release_due("Februari n", 2020) == date(2020, 2, 29)
    assert release_due("April - Mei N+1", 2021) == date(2022, 5, 31)
    for text in ("***", "Februari dan Agustus", "Tidak dipublikasikan", "Triwulan n+2", None):
        assert release_due(text, 2021) is None
