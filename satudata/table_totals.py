"""Totals written in a submitted table checked against the rows or columns they total.

An OPD's table often carries its own totals: a ``Jumlah`` row under the kecamatan, a ``Jumlah`` column
beside ``Laki-laki`` and ``Perempuan``, a ``Jumlah`` row under each section of the template. When a total
differs from the sum of its parts, either the total or one of the parts is wrong: a warning
(``jumlah_tabel_tidak_cocok``) names the cell, the total, the sum and the difference. It never removes a
value from the count; it lowers the producer's consistency (``satudata.quality``).

Only what surely adds up is checked, so that a warning means an error:

* a total and at least two parts, all numbers, in the same unit;
* nothing that does not add: percents, rates, averages, growth, indices, ratios, densities (by the words
  of the cells' labels, unit and table title);
* a sum that is a whole multiple (2x to 5x) of the total is a table whose parts include their own subtotals
  (a hierarchy): not checked.

Tolerance: ``[kualitas] toleransi_jumlah_persen`` of the total, and at least one unit (rounding).
Every check performed is counted per file in the manifest (``cek_jumlah``), whether it holds or not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from satudata import fmt
from satudata.ingest_context import PERINGATAN
from satudata.sheet_values import where_text

CODE = "jumlah_tabel_tidak_cocok"
# words of a label, unit or title that mark a figure that does not add up
NOT_ADDITIVE = re.compile(
    r"%|persen|percent|rata|average|mean|median|pertumbuhan|growth|tumbuh|indeks|index|ihk|ipm|inflasi|rasio|ratio|"
    r"laju|rate|kepadatan|density|proporsi|\bper\s*(?:kapita|capita|\d|seribu|sepuluh|seratus|penduduk|km|ha\b)|"
    r"harga|price|nilai tukar|\bangka\b|capaian",
    re.IGNORECASE,
)
MAX_HIERARCHY_MULTIPLE = 5
TOTAL_LABELS = {"jumlah", "total", "jumlah total", "total jumlah", "sub total", "subtotal", "jumlah / total"}


def tolerance(total: float, percent: float) -> float:
    """How far a total may be from the sum of its parts (rounding): ``percent`` of it, at least 1."""
    return max(1.0, abs(total) * percent / 100)


def adds_up(total: float, parts_sum: float, percent: float) -> bool | None:
    """True when the parts add up to the total, False when they do not, None when the sum is a whole
    multiple of the total (the parts hold their own subtotals: nothing to conclude)."""
    if abs(total - parts_sum) <= tolerance(total, percent):
        return True
    if total:
        k = round(parts_sum / total)
        if 2 <= k <= MAX_HIERARCHY_MULTIPLE and abs(parts_sum - k * total) <= tolerance(total, percent) * k:
            return None
    return False


def _num(value: float) -> str:
    return fmt.angka(float(value), None if float(value).is_integer() else 2)


def message(rel: str, sheet: str, row: int, col: str | None, total: float, parts_sum: float, n: int,
            direction: str) -> str:  # fmt: skip
    """The warning's text: the cell, the total, the sum of its parts, the difference, what to check."""
    parts = f"{n} baris di atasnya" if direction == "baris" else f"{n} kolom rinciannya"
    return (f"{where_text(rel, sheet, row, col)}: jumlah tertulis {_num(total)}, "
            f"tetapi {parts} berjumlah {_num(parts_sum)} (selisih {_num(total - parts_sum)}). "
            "Periksa angka jumlahnya atau salah satu rinciannya.")  # fmt: skip


def _column_index(letters: pd.Series) -> np.ndarray:
    out = np.zeros(len(letters), dtype=np.int64)
    for i, text in enumerate(letters.astype("object")):
        n = 0
        for ch in str(text):
            n = n * 26 + ord(ch) - 64
        out[i] = n
    return out


def _additive(frame: pd.DataFrame) -> np.ndarray:
    text = (frame["nama_elemen_asli"].astype("object").fillna("").astype(str) + " | "
            + frame["label_kolom"].astype("object").fillna("").astype(str) + " | "
            + frame["label_baris"].astype("object").fillna("").astype(str) + " | "
            + frame["satuan_asli"].astype("object").fillna("").astype(str) + " | "
            + frame["judul_tabel"].astype("object").fillna("").astype(str))  # fmt: skip
    return ~text.str.contains(NOT_ADDITIVE).to_numpy(dtype=bool)


def _same_unit(total_unit: object, units: Iterable[object]) -> bool:
    known = {str(u).strip().lower() for u in units if isinstance(u, str) and u.strip()}
    if isinstance(total_unit, str) and total_unit.strip():
        known.add(total_unit.strip().lower())
    return len(known) <= 1


def check_nilai(nilai: pd.DataFrame, round_date: str, percent: float) -> tuple[list[dict], dict[str, list[int]]]:
    """Totals read from real tables (``nilai`` rows flagged ``total``) against their parts.

    A total row (``total`` and no ``rincian``) totals the rows above it in its column, back to the previous
    total of that column, in the same table, year and period. A total column (``total`` with a ``rincian``)
    totals the columns left of it in its row, back to the previous total column, under the same group header
    (``label_kolom`` up to its last ``/``). Returns the issues and, per file, ``[checked, not adding up]``.
    """
    issues: list[dict] = []
    counts: dict[str, list[int]] = {}
    if nilai.empty or "total" not in nilai.columns or not nilai["total"].fillna(False).astype(bool).any():
        return issues, counts
    cells = nilai[nilai["status"].astype("object").isin(["ada", "nihil"])].copy()
    cells["v"] = np.where(cells["status"].astype("object") == "nihil", 0.0,
                          pd.to_numeric(cells["nilai"], errors="coerce"))  # fmt: skip
    cells = cells[np.isfinite(cells["v"].to_numpy(dtype=float)) & _additive(cells)]
    files = set(cells.loc[cells["total"].fillna(False).astype(bool), "sumber_file"].astype("object"))
    cells = cells[cells["sumber_file"].astype("object").isin(files)]
    if cells.empty:
        return issues, counts
    cells["ci"] = _column_index(cells["sumber_kolom"])
    cells["ri"] = cells["sumber_baris"].astype("int64")
    cells["is_total"] = cells["total"].fillna(False).astype(bool)
    cells["t"] = cells["tahun"].astype("float64").fillna(-1)
    cells["p"] = cells["periode"].astype("object").fillna("")
    cells["judul"] = cells["judul_tabel"].astype("object").fillna("")
    for (rel, sheet), g in cells.groupby([cells["sumber_file"].astype("object"), cells["sumber_sheet"].astype("object")],
                                         sort=False):  # fmt: skip
        found = _row_totals(g) + _column_totals(g)
        for total, parts, direction in found:
            verdict = adds_up(total["v"], float(parts["v"].sum()), percent)
            if verdict is None or not _same_unit(total["satuan_asli"], parts["satuan_asli"]):
                continue
            tally = counts.setdefault(rel, [0, 0])
            tally[0] += 1
            if verdict:
                continue
            tally[1] += 1
            issues.append({
                "putaran": round_date, "sumber_file": rel, "sumber_sheet": sheet, "sumber_baris": int(total["ri"]),
                "sumber_kolom": total["sumber_kolom"], "kode_opd": total["kode_opd"] if pd.notna(total["kode_opd"])
                else None, "tingkat": PERINGATAN, "kode_masalah": CODE,
                "pesan": message(rel, sheet, int(total["ri"]), total["sumber_kolom"], float(total["v"]),
                                 float(parts["v"].sum()), len(parts), direction),
            })  # fmt: skip
    return issues, counts


def _row_totals(g: pd.DataFrame) -> list[tuple[pd.Series, pd.DataFrame, str]]:
    out = []
    row_total = g["is_total"] & g["rincian"].isna()
    for _, column in g.groupby(["ci", "judul", "t"], sort=False):
        column = column.sort_values("ri")
        start = -1
        for _, total in column[row_total.loc[column.index]].iterrows():
            parts = column[~column["is_total"] & (column["ri"] < total["ri"]) & (column["ri"] > start)]
            start = total["ri"]
            if total["p"]:  # a total of one period totals that period's rows; a year's total, its months
                parts = parts[parts["p"] == total["p"]]
            if len(parts) >= 2:
                out.append((total, parts, "baris"))
    return out


def _column_totals(g: pd.DataFrame) -> list[tuple[pd.Series, pd.DataFrame, str]]:
    out = []
    column_total = g["is_total"] & g["rincian"].notna()
    if not column_total.any():
        return out
    for _, row in g.groupby(["ri", "judul", "t", "p"], sort=False):
        row = row.sort_values("ci")
        start = -1
        for _, total in row[column_total.loc[row.index]].iterrows():
            parts = row[~row["is_total"] & (row["ci"] < total["ci"]) & (row["ci"] > start)]
            same_group = _sibling_labels(str(total["label_kolom"] or ""))
            parts = parts[[same_group(str(x or "")) for x in parts["label_kolom"].astype("object")]]
            start = total["ci"]
            if len(parts) >= 2:
                out.append((total, parts, "kolom"))
    return out


def _sibling_labels(total_label: str):
    """A test of the column labels a total column totals: ``Sekolah / Total / 2021`` totals ``Sekolah / Negeri /
    2021`` and ``Sekolah / Swasta / 2021`` (every part of the label the same but the one naming the total)."""
    segments = total_label.split(" / ")
    at = next((i for i, seg in enumerate(segments) if seg.strip().lower() in TOTAL_LABELS), None)
    if at is None or len(segments) == 1:
        return lambda label: True

    def same_group(label: str) -> bool:
        other = label.split(" / ")
        if len(other) != len(segments):
            return False
        return all(a == b for i, (a, b) in enumerate(zip(other, segments, strict=True)) if i != at)

    return same_group


def check_subtotal_rows(values: np.ndarray, subtotal_values: dict[int, np.ndarray], data_positions: list[int],
                        percent: float) -> list[tuple[int, int, float, float, int]]:  # fmt: skip
    """Subtotal rows of a template table (``Jumlah`` under a section) against the data rows above them.

    ``values``: the data rows' values (data rows x year columns, NaN where none); ``data_positions``: the row
    position of each data row; ``subtotal_values``: per subtotal row position, its cells' values. A subtotal
    totals the data rows since the previous subtotal; one right after another (a grand total) totals every
    data row above it. Returns ``(row position, column, total, sum, parts)`` of every check performed
    (``total == sum`` within the tolerance when it holds).
    """
    out = []
    positions = np.asarray(data_positions, dtype=np.int64)
    previous = -1
    for pos in sorted(subtotal_values):
        since = (positions > previous) & (positions < pos)
        if not since.any():  # a total of totals: every data row above
            since = positions < pos
        previous = pos
        block = values[since]
        if len(block) < 2:
            continue
        for j, total in enumerate(subtotal_values[pos]):
            column = block[:, j]
            present = np.isfinite(column)
            if not np.isfinite(total) or present.sum() < 2:
                continue
            parts_sum = float(column[present].sum())
            verdict = adds_up(float(total), parts_sum, percent)
            if verdict is not None:
                out.append((pos, j, float(total), parts_sum, int(present.sum())))
    return out
