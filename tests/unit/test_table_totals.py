"""Totals written in a table against their parts: which fire, which do not, and which are not checked."""

from __future__ import annotations

import numpy as np
import pandas as pd

from satudata.reading.table_totals import adds_up, check_nilai, check_subtotal_rows


def _cell(row: int, col: str, value: float, *, total: bool = False, rincian: str | None = None, year: int = 2022,
          label_kolom: str = "Jumlah Penduduk", periode: str | None = None, unit: str | None = "Jiwa",
          element: str = "Jumlah Penduduk") -> dict:  # fmt: skip
    return {"putaran": "2023-06-01", "kode_opd": "DIN02", "kode_elemen": None, "nama_elemen_asli": element,
            "satuan_asli": unit, "tahun": year, "nilai": value, "status": "ada", "sumber_file": "f.xlsx",
            "sumber_sheet": "Data", "sumber_baris": row, "sumber_kolom": col, "rincian": rincian,
            "jenis_rincian": "wilayah" if rincian else None, "periode": periode, "total": total,
            "label_baris": rincian or "JUMLAH", "label_kolom": label_kolom, "judul_tabel": "Penduduk"}  # fmt: skip


def _frame(cells: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(cells)
    frame["tahun"] = frame["tahun"].astype("Int64")
    return frame


def test_a_total_row_that_adds_up_and_one_that_does_not():
    cells = [_cell(5, "C", 100, rincian="Bonang"), _cell(6, "C", 250, rincian="Demak"), _cell(7, "C", 350, total=True),
             _cell(5, "D", 10, rincian="Bonang"), _cell(6, "D", 20, rincian="Demak"), _cell(7, "D", 40, total=True)]
    issues, counts = check_nilai(_frame(cells), "2023-06-01", 0.5)
    assert counts == {"f.xlsx": [2, 1]}
    (issue,) = issues
    assert (issue["sumber_baris"], issue["sumber_kolom"], issue["kode_opd"]) == (7, "D", "DIN02")
    assert issue["tingkat"] == "peringatan" and issue["kode_masalah"] == "jumlah_tabel_tidak_cocok"
    assert issue["pesan"] == ("Berkas f.xlsx, lembar kerja 'Data', baris 7, kolom D: jumlah tertulis 40, tetapi 2 baris di "
                              "atasnya berjumlah 30 (selisih 10). Periksa angka jumlahnya atau salah satu rinciannya.")


def test_a_total_column_totals_its_siblings_under_one_group_header():
    cells = [_cell(5, "B", 7, rincian="Maros", label_kolom="Sekolah / Negeri / 2021/2022"),
             _cell(5, "C", 116, rincian="Maros", label_kolom="Sekolah / Swasta / 2021/2022"),
             _cell(5, "D", 500, rincian="Maros", label_kolom="Guru / Negeri / 2021/2022"),
             _cell(5, "E", 133, rincian="Maros", total=True, label_kolom="Sekolah / Total / 2021/2022")]
    issues, counts = check_nilai(_frame(cells), "2023-06-01", 0.5)
    assert counts == {"f.xlsx": [1, 1]}
    assert "jumlah tertulis 133, tetapi 2 kolom rinciannya berjumlah 123 (selisih 10)" in issues[0]["pesan"]


def test_rounding_within_the_tolerance_is_no_warning():
    cells = [_cell(5, "C", 1000.4, rincian="A"), _cell(6, "C", 2000.4, rincian="B"), _cell(7, "C", 3001, total=True)]
    assert check_nilai(_frame(cells), "2023-06-01", 0.5) == ([], {"f.xlsx": [1, 0]})
    assert adds_up(1000, 1004, 0.5) is True and adds_up(1000, 1006, 0.5) is False and adds_up(5, 5.9, 0.5) is True


def test_percents_growth_and_averages_are_not_checked():
    for kwargs in ({"unit": "%"}, {"label_kolom": "Pertumbuhan / Growth"}, {"element": "Rata-rata Lama Sekolah"},
                   {"label_kolom": "Kepadatan Penduduk per km2"}):
        cells = [_cell(5, "C", 10, rincian="A", **kwargs), _cell(6, "C", 20, rincian="B", **kwargs),
                 _cell(7, "C", 99, total=True, **kwargs)]
        assert check_nilai(_frame(cells), "2023-06-01", 0.5) == ([], {}), kwargs


def test_parts_holding_their_own_subtotals_are_not_checked():
    """A hierarchy (a category row and its items both above the total) sums to twice the total."""
    cells = [_cell(5, "C", 30, rincian="Industri"), _cell(6, "C", 10, rincian="Kecil"),
             _cell(7, "C", 20, rincian="Menengah"), _cell(8, "C", 30, total=True)]
    assert check_nilai(_frame(cells), "2023-06-01", 0.5) == ([], {})


def test_a_year_total_totals_its_months_and_units_must_agree():
    months = [_cell(5 + i, "C", 100, periode=m) for i, m in enumerate(["Januari", "Februari", "Maret"])]
    cells = months + [_cell(8, "C", 300, total=True)]
    assert check_nilai(_frame(cells), "2023-06-01", 0.5) == ([], {"f.xlsx": [1, 0]})
    mixed = [_cell(5, "C", 1, rincian="A", unit="Ha"), _cell(6, "C", 2, rincian="B", unit="Ton"),
             _cell(7, "C", 9, total=True, unit="Ha")]
    assert check_nilai(_frame(mixed), "2023-06-01", 0.5) == ([], {})


def test_one_part_alone_is_not_a_check():
    cells = [_cell(5, "C", 100, rincian="A"), _cell(6, "C", 999, total=True)]
    assert check_nilai(_frame(cells), "2023-06-01", 0.5) == ([], {})


def test_template_subtotal_rows_total_the_rows_since_the_previous_one():
    values = np.array([[10.0, 1.0], [20.0, np.nan], [5.0, 2.0], [6.0, 3.0]])
    # rows 2, 3 | subtotal 4 | rows 6, 7 | subtotal 8 | grand total 9 (every data row above)
    checks = check_subtotal_rows(values, {4: np.array([30.0, 1.0]), 8: np.array([11.0, 9.0]),
                                          9: np.array([41.0, 6.0])}, [2, 3, 6, 7], 0.5)  # fmt: skip
    # (row, column, total, sum, parts): column 1 of the first subtotal has one value only: not a check
    assert checks == [(4, 0, 30.0, 30.0, 2), (8, 0, 11.0, 11.0, 2), (8, 1, 9.0, 5.0, 2), (9, 0, 41.0, 41.0, 4),
                      (9, 1, 6.0, 6.0, 3)]  # fmt: skip


def test_category_rows_that_total_the_rows_after_them_count_once():
    """Pertanian 100 (= Padi 60 + Jagung 40), Industri 50: the total 150 holds; a wrong total over such
    parts is not checked rather than guessed at."""
    from satudata.reading.table_totals import leaf_sum

    parts = [("Pertanian", 100), ("Padi", 60), ("Jagung", 40), ("Industri", 50)]
    cells = [_cell(5 + i, "C", v, rincian=name) for i, (name, v) in enumerate(parts)]
    assert check_nilai(_frame([*cells, _cell(9, "C", 150, total=True)]), "2023-06-01", 0.5) == ([], {"f.xlsx": [1, 0]})
    assert check_nilai(_frame([*cells, _cell(9, "C", 170, total=True)]), "2023-06-01", 0.5) == ([], {})
    assert leaf_sum([100, 60, 40, 50], 0.5) == (150.0, True)
    assert leaf_sum([10, 20, 30], 0.5) == (60.0, False)  # 30 after 10 and 20 is no category: it comes after them


def test_a_template_section_with_a_category_row_adds_up():
    # Jumlah Sekolah 30 (= SD 20 + SMP 10), Jumlah Guru 5: the section's Jumlah row says 35
    values = np.array([[30.0], [20.0], [10.0], [5.0]])
    assert check_subtotal_rows(values, {5: np.array([35.0])}, [1, 2, 3, 4], 0.5) == [(5, 0, 35.0, 35.0, 4)]
    assert check_subtotal_rows(values, {5: np.array([40.0])}, [1, 2, 3, 4], 0.5) == []  # not checked
