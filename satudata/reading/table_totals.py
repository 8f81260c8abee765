"""Totals written in a submitted table checked against the rows or columns they total.

An OPD's table often carries its own totals: a ``Jumlah`` row under the kecamatan, a ``Jumlah`` column
beside ``Laki-laki`` and ``Perempuan``, a ``Jumlah`` row under each section of the template. When a total
differs from the sum of its parts, either the total or one of the parts is wrong: a warning
(``jumlah_tabel_tidak_cocok``) names the cell, the total, the sum and the difference. It never removes a
value from the count; it lowers the producer's consistency (``satudata.evaluation.quality``).

Only what surely adds up is checked, so that a warning means an error:

* a total and at least two parts, all numbers, in the same unit;
* nothing that does not add: percents, rates, averages, growth, indices, ratios, densities (by the words
  of the cells' labels, unit and table title);
* a sum that is a whole multiple (2x to 5x) of the total is a table whose parts include their own subtotals
  (a hierarchy): not checked;
* a part that totals the two or more parts right after it (a category row: ``Pertanian 100``, ``Padi 60``,
  ``Jagung 40``) counts once; a total that still misses over such parts is not checked.

Tolerance: ``[kualitas] toleransi_jumlah_persen`` of the total, and at least one unit (rounding).
Every check performed is counted per file in the manifest (``cek_jumlah``), whether it holds or not.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from satudata.common import fmt
from satudata.reading.ingest_context import PERINGATAN
from satudata.reading.sheet_values import where_text
from satudata.reading.table.labels import NOT_ADDITIVE

CODE = "jumlah_tabel_tidak_cocok"
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
    """Column letters as numbers (``A`` 1, ``AA`` 27), each distinct letter computed once."""
    codes, uniques = pd.factorize(letters.astype("object").fillna("").astype(str).to_numpy())
    numbers = np.zeros(len(uniques), dtype=np.int64)
    for i, text in enumerate(uniques):
        for ch in text:
            numbers[i] = numbers[i] * 26 + ord(ch) - 64
    return numbers[codes]


def _additive(frame: pd.DataFrame) -> np.ndarray:
    """Cells whose element, labels, unit and table title name nothing that does not add up (each distinct
    text is searched once: labels repeat down a table)."""
    keep = np.ones(len(frame), dtype=bool)
    for column in ("nama_elemen_asli", "label_kolom", "label_baris", "satuan_asli", "judul_tabel"):
        texts = frame[column].astype("object").fillna("").astype(str).to_numpy()
        codes, uniques = pd.factorize(texts)
        flagged = np.fromiter((bool(NOT_ADDITIVE.search(t)) for t in uniques), dtype=bool, count=len(uniques))
        keep &= ~flagged[codes]
    return keep


def check_nilai(nilai: pd.DataFrame, round_date: str, percent: float) -> tuple[list[dict], dict[str, list[int]]]:
    """Totals read from real tables (``nilai`` rows flagged ``total``) against their parts.

    A total row (``total`` and no ``rincian``) totals the rows above it in its column, back to the previous
    total of that column, in the same table and year (a total of one period, that period's rows). A total
    column (``total`` with a ``rincian``) totals the columns left of it in its row, back to the previous
    total column, whose labels differ from its own only where it says ``Total``/``Jumlah``. Returns the
    issues and, per file, ``[checked, not adding up]``. Linear in the cells: each part belongs to one total.
    """
    issues: list[dict] = []
    counts: dict[str, list[int]] = {}
    if nilai.empty or "total" not in nilai.columns or not nilai["total"].fillna(False).astype(bool).any():
        return issues, counts
    cells = nilai[nilai["status"].astype("object").isin(["ada", "nihil"])].copy()
    cells["v"] = np.where(cells["status"].astype("object") == "nihil", 0.0,
                          pd.to_numeric(cells["nilai"], errors="coerce"))  # fmt: skip
    cells = cells[np.isfinite(cells["v"].to_numpy(dtype=float))]
    files = set(cells.loc[cells["total"].fillna(False).astype(bool), "sumber_file"].astype("object"))
    cells = cells[cells["sumber_file"].astype("object").isin(files)]
    cells = cells[_additive(cells)]
    if cells.empty:
        return issues, counts
    # keys as integer codes (grouping and joining on codes, not on text); the texts stay for the messages
    def codes(column: str) -> np.ndarray:
        return pd.factorize(cells[column].astype("object").fillna("").astype(str).to_numpy())[0]

    unit = cells["satuan_asli"].astype("object").fillna("").astype(str).str.strip().str.lower().to_numpy()
    unit_codes, unit_names = pd.factorize(unit)
    period = cells["periode"].astype("object").fillna("").astype(str).to_numpy()
    cells = pd.DataFrame({
        "file": cells["sumber_file"].astype("object").to_numpy(),
        "sheet": cells["sumber_sheet"].astype("object").fillna("").to_numpy(),
        "g": pd.factorize(cells["sumber_file"].astype("object").astype(str) + "\x1f"
                          + cells["sumber_sheet"].astype("object").fillna("").astype(str))[0],
        "ri": cells["sumber_baris"].astype("int64").to_numpy(), "col": cells["sumber_kolom"].astype("object").to_numpy(),
        "ci": _column_index(cells["sumber_kolom"]), "j": codes("judul_tabel"),
        "t": cells["tahun"].astype("float64").fillna(-1).to_numpy(),
        "p": np.where(period == "", -1, pd.factorize(period)[0]),
        "is_total": cells["total"].fillna(False).astype(bool).to_numpy(),
        "has_rincian": cells["rincian"].notna().to_numpy(),
        "label": cells["label_kolom"].astype("object").fillna("").astype(str).to_numpy(),
        "u": np.where(unit_names[unit_codes] == "", -1, unit_codes) if len(unit_names) else unit_codes,
        "kode_opd": cells["kode_opd"].astype("object").to_numpy(), "v": cells["v"].to_numpy(dtype=float),
    })  # fmt: skip
    by_rows, by_columns = _row_totals(cells), _column_totals(cells)
    found = pd.concat([by_rows[0], by_columns[0]], ignore_index=True)
    sources = {"baris": by_rows, "kolom": by_columns}
    groups: dict[str, dict] = {}  # per direction, made at its first miss: a total's group -> its parts' positions
    for row in found.itertuples(index=False):
        verdict = adds_up(row.v, row.jumlah, percent)
        if verdict is False:  # the parts may hold category rows that total the rows after them
            _, parts, keys, order = sources[row.arah]
            if row.arah not in groups:
                ordered = parts.sort_values([*keys, "seg", order], kind="stable")
                groups[row.arah] = (ordered.groupby([*keys, "seg"], sort=False).indices, ordered["v"].to_numpy(),
                                    ordered[["ri", "col", "v"]].reset_index(drop=True))  # fmt: skip
            positions, values, _ = groups[row.arah]
            at = positions[tuple(getattr(row, k) for k in [*keys, "seg"])]
            leaves, has_categories = leaf_sum(values[at].tolist(), percent)
            if has_categories:
                verdict = True if adds_up(row.v, leaves, percent) else None
            if verdict is False and row.one_unit:
                lost = _lost_thousands(row, groups[row.arah][2].iloc[at], percent)
                if lost:
                    issues += [_thousands_issue(round_date, row, cell) for cell in lost]
                    continue
        if verdict is None or not row.one_unit:
            continue
        tally = counts.setdefault(row.file, [0, 0])
        tally[0] += 1
        if verdict:
            continue
        tally[1] += 1
        issues.append({
            "putaran": round_date, "sumber_file": row.file, "sumber_sheet": row.sheet, "sumber_baris": int(row.ri),
            "sumber_kolom": row.col, "kode_opd": row.kode_opd if isinstance(row.kode_opd, str) else None,
            "tingkat": PERINGATAN, "kode_masalah": CODE,
            "pesan": message(row.file, row.sheet, int(row.ri), row.col, float(row.v), float(row.jumlah), int(row.n),
                             row.arah),
        })  # fmt: skip
    return issues, counts


def _as_thousands(v: float) -> bool:
    """A stored decimal with one to three decimals that reads as a whole number times 1/1000 (1.275)."""
    return v != round(v) and abs(v * 1000 - round(v * 1000)) < 1e-6 and abs(v) < 1000


def _lost_thousands(total: Any, parts: pd.DataFrame, percent: float) -> list[tuple[int, str, float]]:
    """The cells (row, column, stored value) of a total and its parts that were dot-thousands stored as
    decimals (a web page's ``1.275`` pasted as 1.275), when reading them times 1,000 makes the total add up
    and nothing else does; else none."""
    scaled = [(int(r.ri), str(r.col), float(r.v)) for r in parts.itertuples(index=False) if _as_thousands(float(r.v))]
    total_scaled = _as_thousands(float(total.v))
    if not scaled and not total_scaled:
        return []
    parts_sum = float(parts["v"].sum()) + sum(v * 999 for _, _, v in scaled)
    if not adds_up(float(total.v) * (1000 if total_scaled else 1), parts_sum, percent):
        return []
    return scaled + ([(int(total.ri), str(total.col), float(total.v))] if total_scaled else [])


def _thousands_issue(round_date: str, total: Any, cell: tuple[int, str, float]) -> dict:
    row, col, value = cell
    return {
        "putaran": round_date, "sumber_file": total.file, "sumber_sheet": total.sheet, "sumber_baris": row,
        "sumber_kolom": col, "kode_opd": total.kode_opd if isinstance(total.kode_opd, str) else None,
        "tingkat": PERINGATAN, "kode_masalah": "desimal_ribuan",
        "pesan": f"Berkas {total.file}, lembar kerja '{total.sheet}', baris {row}, kolom {col}: tersimpan sebagai angka "
                 f"desimal {fmt.angka(value, 3)}, tetapi jumlah tabelnya hanya cocok bila dibaca {_num(value * 1000)} (titik "
                 "ribuan yang tersimpan sebagai koma desimal, mis. saat menyalin dari halaman web). Nilai disimpan "
                 "seperti tertulis; periksa dan tulis angkanya sebagai bilangan bulat.",
    }  # fmt: skip


FOUND_COLUMNS = ["file", "sheet", "ri", "col", "kode_opd", "v", "jumlah", "n", "one_unit", "arah", "g", "ci", "j", "t",
                 "p", "seg"]  # fmt: skip
CATEGORY_LOOKAHEAD = 50  # how many rows after a part may be its own items


def _segments(cells: pd.DataFrame, keys: list[str], order: str, is_total: pd.Series) -> pd.DataFrame:
    """The totals (``is_total``) and their parts: the other cells of a total's ``keys`` group after the previous
    total and up to it, in ``order``; both carry ``seg`` (which total), a part also its total's period
    (``tp``) and label (``tlabel``) when they are not keys."""
    ordered = cells.assign(_t=is_total.to_numpy()).sort_values([*keys, order], kind="stable")
    before = ordered.groupby(keys, sort=False)["_t"].cumsum()  # totals at or above each cell in its group
    ordered["seg"] = before - ordered["_t"].astype(int)  # a total and the parts above it share a segment
    totals = ordered[ordered["_t"]]
    carried = [c for c in ("p", "label") if c not in keys]  # what a part needs to know of its total
    parts = ordered[~ordered["is_total"]].merge(
        totals[[*keys, "seg", *carried]].rename(columns={c: f"t{c}" for c in carried}), on=[*keys, "seg"])
    return totals, parts


def _sums(totals: pd.DataFrame, parts: pd.DataFrame, keys: list[str], direction: str) -> pd.DataFrame:
    if parts.empty:
        return pd.DataFrame(columns=FOUND_COLUMNS)
    units = parts[parts["u"] >= 0].groupby([*keys, "seg"])["u"].agg(["nunique", "first"])
    agg = parts.groupby([*keys, "seg"]).agg(jumlah=("v", "sum"), n=("v", "size"))
    agg = agg.join(units).reset_index()
    out = totals.merge(agg, on=[*keys, "seg"])
    out = out[out["n"] >= 2]
    part_unit = out["first"].fillna(-1)
    out["one_unit"] = (out["nunique"].fillna(0) <= 1) & ((out["u"] < 0) | (part_unit < 0) | (part_unit == out["u"]))
    out["arah"] = direction
    return out[FOUND_COLUMNS]


def leaf_sum(values: list[float], percent: float) -> tuple[float, bool]:
    """The sum of ``values`` (the parts of a total, in order) counting a category row once: a part that totals
    the two or more parts right after it (``Pertanian 100``, ``Padi 60``, ``Jagung 40``) stands for them.
    Returns the sum and whether any category was found."""
    total, found, i = 0.0, False, 0
    while i < len(values):
        head, run, end = values[i], 0.0, None
        for j in range(i + 1, min(len(values), i + 1 + CATEGORY_LOOKAHEAD)):
            run += values[j]
            if j >= i + 2 and head and abs(run - head) <= tolerance(head, percent):
                end = j
                break
        total += head
        found |= end is not None
        i = end + 1 if end is not None else i + 1
    return total, found


def _row_totals(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[str], str]:
    """Total rows against the rows above them, per column of a table and year: (totals with their sums, the
    parts, the keys of a total's group, the order of its parts)."""
    keys = ["g", "ci", "j", "t"]
    totals, parts = _segments(cells, keys, "ri", cells["is_total"] & ~cells["has_rincian"])
    parts = parts[(parts["tp"] == -1) | (parts["p"] == parts["tp"])]  # a period's total: that period's rows
    return _sums(totals, parts, keys, "baris"), parts, keys, "ri"


def _column_totals(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[str], str]:
    """Total columns against the columns left of them with sibling labels, per row, year and period (as
    :func:`_row_totals`)."""
    keys = ["g", "ri", "j", "t", "p"]
    totals, parts = _segments(cells, keys, "ci", cells["is_total"] & cells["has_rincian"])
    pairs = set(zip(parts["label"], parts["tlabel"], strict=True))
    tests = {b: _sibling_labels(b) for b in {b for _, b in pairs}}
    sibling = {(a, b): tests[b](a) for a, b in pairs}
    parts = parts[[sibling[(a, b)] for a, b in zip(parts["label"], parts["tlabel"], strict=True)]]
    return _sums(totals, parts, keys, "kolom"), parts, keys, "ci"


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
            if verdict is False:  # category rows that total the rows after them count once
                leaves, has_categories = leaf_sum(column[present].tolist(), percent)
                if has_categories:
                    verdict, parts_sum = (True, leaves) if adds_up(float(total), leaves, percent) else (None, leaves)
            if verdict is not None:
                out.append((pos, j, float(total), parts_sum, int(present.sum())))
    return out
