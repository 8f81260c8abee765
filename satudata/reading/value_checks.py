"""Checks of counted values against their element: unit, percent above 100, negative counts.

Run on the round's ``nilai`` once every file is read, on the values that would count (``dihitung``):

- ``satuan_berbeda``: the unit written with the value and the element's unit are different quantities
  after normalising (``Orang`` for a percent, ``Rp juta`` for ``Rp``; :mod:`satudata.reference.units`). The value
  no longer counts: a number in the wrong unit is not the number owed.
- ``satuan_mirip``: two different count words (``Unit`` and ``Sekolah``) or a unit the table does not
  know: a warning, the value still counts.
- ``persen_di_atas_100``: a percent above 100 for an element whose name does not allow it (gross
  enrolment, growth, achievement against a target may exceed 100; ``[satuan] persen_boleh_lebih_100``).
  The value does not count until it is checked and sent again.
- ``nilai_negatif``: a negative count (``Orang``, ``Unit``...). The value does not count.

One issue per row of the file for a unit, one per cell for a number; each names file, sheet, row
(and column) and says what to fix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from satudata.common import fmt
from satudata.common.names import fold
from satudata.reading.ingest_context import PERINGATAN
from satudata.reading.sheet_values import where_text
from satudata.reference.settings import Settings
from satudata.reference.units import DIFFERENT, SIMILAR, UnitTable


def _issue(round_date: str, row: pd.Series, column: str | None, code: str, message: str) -> dict:
    return {"putaran": round_date, "sumber_file": row["sumber_file"], "sumber_sheet": row["sumber_sheet"],
            "sumber_baris": row["sumber_baris"], "sumber_kolom": column, "kode_opd": row["kode_opd"],
            "tingkat": PERINGATAN, "kode_masalah": code, "pesan": message}  # fmt: skip


def _where(row: pd.Series, column: str | None = None) -> str:
    return where_text(row["sumber_file"], row["sumber_sheet"], row["sumber_baris"], column)


def check_values(nilai: pd.DataFrame, elements: pd.DataFrame, settings: Settings, round_date: str) -> list[dict]:
    """Issues of the counted values; values that must not count get ``dihitung`` False (in place)."""
    if nilai.empty or "satuan" not in elements.columns:
        return []
    counted = nilai["dihitung"].to_numpy(dtype=bool) & nilai["kode_elemen"].notna().to_numpy()
    if not counted.any():
        return []
    units = UnitTable(settings.units.spellings)
    by_code = elements.drop_duplicates("kode_elemen").set_index("kode_elemen")
    position = np.flatnonzero(counted)
    sub = nilai.iloc[position]
    element_unit = sub["kode_elemen"].map(by_code["satuan"]).fillna("")
    element_name = sub["kode_elemen"].map(by_code["nama_elemen"]).fillna("")
    written = sub["satuan_asli"].fillna("").astype(str)
    issues: list[dict] = []
    drop = np.zeros(len(sub), dtype=bool)

    pairs = list(zip(written.tolist(), element_unit.tolist(), strict=True))  # lists: iterating a Series is slow
    verdicts = {pair: units.compare(*pair) for pair in set(pairs)}
    verdict = np.array([verdicts[p] for p in pairs], dtype=object)
    seen_rows: set[tuple] = set()
    for i in np.flatnonzero((verdict == DIFFERENT) | (verdict == SIMILAR)):
        row = sub.iloc[i]
        different = verdict[i] == DIFFERENT
        drop[i] = different
        key = (row["sumber_file"], row["sumber_sheet"], row["sumber_baris"])
        if key in seen_rows:
            continue
        seen_rows.add(key)
        a, b = units.canonical(written.iloc[i]), units.canonical(element_unit.iloc[i])
        if different:
            issues.append(_issue(round_date, row, None, "satuan_berbeda",
                                 f"{_where(row)}: satuan '{written.iloc[i]}' ({a}) berbeda dengan satuan elemen "
                                 f"'{element_name.iloc[i]}' di katalog ({b}). Nilai baris ini tidak dihitung. Kirim "
                                 f"angkanya dalam satuan {b}, atau perbaiki satuannya bila angkanya sudah benar."))
        else:
            issues.append(_issue(round_date, row, None, "satuan_mirip",
                                 f"{_where(row)}: satuan '{written.iloc[i]}' ditulis untuk elemen "
                                 f"'{element_name.iloc[i]}' yang satuannya di katalog {b}. Nilai tetap dihitung; "
                                 f"periksa apakah angkanya memang dalam {b}."))

    value = pd.to_numeric(sub["nilai"], errors="coerce").to_numpy(dtype=float)
    is_value = (sub["status"] == "ada").to_numpy() & ~np.isnan(value) & ~drop
    allowed = tuple(fold(w) for w in settings.units.percent_over_100)
    element_units = [u for _, u in pairs]
    canonical = {u: units.canonical(u) for u in set(element_units)}  # a catalogue has few distinct units
    percent = np.array([units.is_percent(canonical[u]) for u in element_units], dtype=bool)
    over = is_value & percent & (value > 100)
    for i in np.flatnonzero(over):
        name = fold(element_name.iloc[i])
        if any(w in name for w in allowed):
            continue
        row = sub.iloc[i]
        drop[i] = True
        issues.append(_issue(round_date, row, row["sumber_kolom"], "persen_di_atas_100",
                             f"{_where(row, row['sumber_kolom'])}: '{element_name.iloc[i]}' tahun {row['tahun']} "
                             f"bernilai {fmt.angka(value[i])} persen, lebih dari 100. Nilai ini tidak dihitung sampai "
                             "diperiksa: perbaiki angkanya, atau bila memang boleh lebih dari 100 tambahkan kata "
                             "kuncinya di [satuan] persen_boleh_lebih_100."))
    count = np.array([units.is_count(canonical[u]) for u in element_units], dtype=bool)
    negative = is_value & count & (value < 0)
    for i in np.flatnonzero(negative):
        row = sub.iloc[i]
        drop[i] = True
        issues.append(_issue(round_date, row, row["sumber_kolom"], "nilai_negatif",
                             f"{_where(row, row['sumber_kolom'])}: '{element_name.iloc[i]}' tahun {row['tahun']} "
                             f"bernilai {fmt.angka(value[i])} {element_unit.iloc[i]}; jumlah tidak mungkin negatif. "
                             "Nilai ini tidak dihitung. Perbaiki angkanya."))
    if drop.any():
        column = nilai.columns.get_loc("dihitung")
        nilai.iloc[position[drop], column] = False
    return issues
