"""The column-at-a-time row writer writes the same bytes as the cell-by-cell writer it replaced.

``_CellByCell`` below is the row writer as it was (``satudata.formats.xlsx_rows.Rows.add`` up to the commit
that built the rows a column at a time), kept here only as the reference: every kind of value a workbook holds
(text to escape, control characters, white space at the edges, text that looks like a formula, None/NaN/NA,
integers, floats, dates, booleans, categories, columns of mixed Python objects), with looks per column and per
row and row heights, must give the same workbook, byte for byte, through ``Rows.add_columns``. Likewise the
marks of the sheet of accepted values (``return_form.row_marks``) against the row-by-row ``row_mark`` it
replaced.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from satudata.common import safe_text
from satudata.formats.xlsx_rows import WRAP_TOP, Look, Rows, apply_look, clean_value, xlsx_bytes
from satudata.reading import return_form

WHEN = date(2024, 2, 1)
FILL = Look(fill="#FFFDE7")
GREY = Look(fill="#D9D9D9")
PERCENT = Look(number_format="0.0")


class _CellByCell:
    """The reference: the per-cell row writer as it was, one row of Python values at a time."""

    def __init__(self, ws, first_row: int) -> None:
        self.ws, self.row = ws, first_row
        if not hasattr(ws, "_satudata_rows"):
            ws._satudata_rows = []
        self._parts = ws._satudata_rows
        self._style_ids: dict[Look, str] = {}

    def add(self, values, looks=None, height=None) -> None:
        from openpyxl.utils import get_column_letter

        r = self.row
        parts = [f'<row r="{r}" ht="{height}" customHeight="1">' if height else f'<row r="{r}">']
        for col, value in enumerate(values):
            letter = get_column_letter(col + 1)
            style = f' s="{self._style_id(looks[col])}"' if looks and col in looks else ""
            kind = type(value)
            if kind is str:
                if not value.isprintable():
                    value = safe_text.strip_control(value)
            elif kind is float:
                value = None if value != value else value
            elif kind is not int and value is not None:
                value = clean_value(value)
                kind = type(value)
            if value is None:
                if style:
                    parts.append(f'<c r="{letter}{r}"{style}/>')
            elif kind is str:
                space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
                if "&" in value or "<" in value or ">" in value:
                    value = _xml_text(value)
                parts.append(f'<c r="{letter}{r}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>')
            elif kind is bool:
                parts.append(f'<c r="{letter}{r}"{style} t="b"><v>{int(value)}</v></c>')
            elif (kind is int or kind is float) and math.isfinite(value):
                parts.append(f'<c r="{letter}{r}"{style} t="n"><v>{value}</v></c>')
            else:
                parts.append(f'<c r="{letter}{r}"{style} t="inlineStr"><is><t>{_xml_text(str(value))}</t></is></c>')
        parts.append("</row>")
        self._parts.append("".join(parts).encode("utf-8"))
        self.row += 1

    def _style_id(self, look: Look) -> str:
        found = self._style_ids.get(look)
        if found is None:
            cell = WriteOnlyCell(self.ws)
            apply_look(cell, look)
            found = self._style_ids[look] = str(cell.style_id)
        return found


def _xml_text(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _row_mark(values) -> str:
    """The reference: the row mark as ``return_form.row_mark`` wrote it, one row at a time."""
    return "sd1:" + json.dumps([return_form._canonical(clean_value(v)) for v in values], ensure_ascii=True)


TEXTS = [
    "biasa", "=SUM(A1:A9)", "+62812", "-", "-5", "@user", "a & b <c> d", "  spasi di depan", "di belakang\t",
    "\xa0nbsp", "ideografik\u3000", "baris\ndua", "kontrol\x01\x1fhilang\x7f", "\x0bvt", "", "tab\tdi tengah",
    "Rp 1.500.000", "<b>&amp;</b>", "ünïcödé 数据", "'kutip' \"ganda\"", "\\garis", "  dua  spasi  ",
]  # fmt: skip


def _frame() -> pd.DataFrame:
    """A table with every kind of value a workbook is given, 2 x len(TEXTS) rows."""
    n = 2 * len(TEXTS)
    texts = TEXTS + [None, float("nan"), pd.NA] + TEXTS[: n - len(TEXTS) - 3]
    floats = [0.0, -0.0, 1.5, 1e-05, 1e16, 0.1 + 0.2, 2 / 3, float("inf"), float("-inf"), float("nan"), -12.25,
              123456789012345.6, 41.65, 5e-324]  # fmt: skip
    floats = (floats * 4)[:n]
    mixed = [1, 2.5, True, False, "teks", None, np.int64(7), np.float64(1.25), np.float64("nan"), date(2024, 2, 1),
             datetime(2024, 2, 1, 13, 5), float("inf"), np.bool_(True), "=1+1", pd.NA, 10**20, -0.0, np.str_(" np")]  # fmt: skip
    mixed = (mixed * 3)[:n]
    categories = pd.Categorical((TEXTS * 2)[:n], categories=sorted(set(TEXTS)) + ["tidak dipakai"])
    categories[3] = np.nan
    return pd.DataFrame(
        {
            "teks": pd.Series(texts, dtype=object),
            "teks_str": pd.Series(TEXTS + TEXTS[::-1], dtype="string"),
            "kategori": categories,
            "kategori_angka": pd.Categorical(([2019, 2020, None, 2021] * n)[:n]),
            "bulat": np.arange(n, dtype=np.int64) - 3,
            "bulat_na": pd.array(([1, None, -7, 2**40] * n)[:n], dtype="Int64"),
            "pecahan": floats,
            "pecahan32": np.array(floats, dtype=np.float32),
            "benar": ([True, False] * n)[:n],
            "benar_na": pd.array(([True, None, False] * n)[:n], dtype="boolean"),
            "tanggal": pd.to_datetime((["2024-02-01", None, "2023-12-31 08:30"] * n)[:n], format="mixed"),
            "tanggal_objek": ([date(2020, 8, 27), None, "2020-09-10"] * n)[:n],
            "campuran": mixed,
            "kosong": [None] * n,
            # text with nothing to escape or remove (most of a workbook), with and without white space at its ends
            "polos": (["Jumlah guru", "Luas lahan (Ha)", "", None, "Kode 1.01.0001", "x"] * n)[:n],
            "polos_spasi": ([" di depan", "di belakang ", "a  b", None, "  "] * n)[:n],
        }
    )


def _sheet(frame: pd.DataFrame):
    """A write-only workbook dated ``WHEN`` (not the clock) with a sheet whose header is appended."""
    wb = Workbook(write_only=True)
    wb.properties.created = wb.properties.modified = datetime(WHEN.year, WHEN.month, WHEN.day)
    ws = wb.create_sheet("Data")
    ws.append(list(frame.columns))
    return wb, ws


def _reference(frame: pd.DataFrame, looks_per_row, heights) -> bytes:
    wb, ws = _sheet(frame)
    rows = _CellByCell(ws, 2)
    columns = [frame[c].tolist() for c in frame.columns]
    for i, values in enumerate(zip(*columns, strict=True)):
        looks = {col: look[i] if isinstance(look, list) else look for col, look in looks_per_row.items()}
        rows.add(values, {col: look for col, look in looks.items() if look is not None}, heights[i] if heights else None)
    return xlsx_bytes(wb, WHEN)


def _new(frame: pd.DataFrame, looks, heights, split: int | None = None) -> bytes:
    wb, ws = _sheet(frame)
    rows = Rows(ws, 2)
    if split is None:
        rows.add_columns([frame[c] for c in frame.columns], looks, heights)
    else:  # in two batches, as a sheet written in parts
        for part in (slice(0, split), slice(split, None)):
            piece = frame.iloc[part]
            rows.add_columns([piece[c] for c in frame.columns],
                             {c: look[part] if isinstance(look, list) else look for c, look in looks.items()},
                             heights[part] if heights else None)  # fmt: skip
    return xlsx_bytes(wb, WHEN)


@pytest.mark.parametrize("split", [None, 5])
def test_columns_write_the_same_bytes_as_cells(split) -> None:
    frame = _frame()
    n = len(frame)
    per_row = ([FILL, GREY, None] * n)[:n]
    looks = {0: WRAP_TOP, 4: PERCENT, 6: PERCENT, 12: per_row, 13: ([GREY, FILL] * n)[:n], 99: FILL}
    heights = ([None, 30.0, 0, 45.5] * n)[:n]
    assert _new(frame, looks, heights, split) == _reference(frame, looks, heights)
    assert _new(frame, {}, None, split) == _reference(frame, {}, None)


def test_one_row_at_a_time_and_lists_as_columns() -> None:
    frame = _frame()
    wb, ws = _sheet(frame)
    rows = Rows(ws, 2)
    for values in zip(*(frame[c].tolist() for c in frame.columns), strict=True):
        rows.add(list(values), {0: WRAP_TOP, 12: FILL}, 20.0)
    assert xlsx_bytes(wb, WHEN) == _reference(frame, {0: WRAP_TOP, 12: FILL}, [20.0] * len(frame))
    wb, ws = _sheet(frame)
    Rows(ws, 2).add_columns([frame[c].tolist() for c in frame.columns])  # lists of Python values, not Series
    assert xlsx_bytes(wb, WHEN) == _reference(frame, {}, None)


def test_a_categorical_column_keeps_the_region_categories() -> None:
    """One producer's rows of a region's table: many categories, few used; a category missing in some rows."""
    region = pd.Categorical([f"Elemen {i:05d} & <x>" for i in range(20_000)])
    mine = pd.DataFrame({"nama": region[[5, 17, 5, 19_999]], "kode": pd.Categorical(["a", None, "b", "a"])})
    assert _new(mine, {1: FILL}, None) == _reference(mine, {1: FILL}, None)


def test_no_rows_writes_nothing() -> None:
    frame = _frame().iloc[:0]
    assert _new(frame, {0: FILL}, None) == _reference(frame, {0: FILL}, None)


def test_row_marks_are_the_marks_row_by_row() -> None:
    frame = _frame()
    columns = [frame[c] for c in frame.columns]
    expected = [_row_mark(values) for values in zip(*(c.tolist() for c in columns), strict=True)]
    assert return_form.row_marks(columns).to_pylist() == expected
    lists = [c.tolist() for c in columns]
    assert return_form.row_marks(lists).to_pylist() == expected
