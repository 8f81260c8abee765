"""Cells, styles and saving shared by every workbook the tool writes (feedback, templates, EPSS evidence).

Strings are always stored as text (never a formula) and without control characters; a saved workbook has
fixed document properties and zip timestamps, so the same input gives the same bytes.

Two ways to write a sheet:
- ``put`` a cell at a time (a few rows: the EPSS evidence, the catalogue sheet);
- row by row (``Cells``, ``start_table``, ``table_rows``), for the workbooks written per producer and the
  walidata's recap, in openpyxl's write-only mode (``Workbook(write_only=True)``), the data rows as XML text
  built a column at a time (:mod:`satudata.formats.xlsx_rows`): the feedback workbooks of a region of 300
  producers hold millions of rows. In that mode widths and the frozen header must be set before the rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from copy import copy
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from satudata.common import safe_text
from satudata.formats.xlsx_rows import (  # noqa: F401 - fill, font_on, Look, Rows reachable here as before
    WRAP_TOP,
    Look,
    Rows,
    apply_look,
    clean_value,
    fill,
    font_on,
    xlsx_bytes,
)

HEADER_GREY = "#455A64"



def put(ws: Worksheet, row: int, col: int, value: object) -> Cell:
    """Write one value; strings are always stored as text, never as a formula, without control characters."""
    value = clean_value(value)
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def style_table(ws: Worksheet, n_columns: int, widths: Sequence[float], header_colour: str) -> None:
    """Header colour, frozen header, autofilter, column widths and the print set-up."""
    for col in range(1, n_columns + 1):
        cell = ws.cell(row=1, column=col)
        cell.fill = fill(header_colour)
        cell.font = font_on(header_colour, bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    last_row = max(ws.max_row, 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(n_columns)}{last_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def header_look(colour: str) -> Look:
    """A table's header cell: bold on the header colour, wrapped, centred vertically."""
    return Look(fill=colour, bold=True, wrap=True, vertical="center")


class Cells:
    """The cells of one sheet written row by row: ``cells(value)`` or ``cells(value, look)`` gives what to put
    in a row for ``ws.append`` (a plain value where nothing needs a cell of its own)."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self._styles: dict[Look, object] = {}  # each look's openpyxl style, made once

    def __call__(self, value: object, look: Look | None = None) -> object:
        value = clean_value(value)
        text = isinstance(value, str)
        if look is None and not (text and value.startswith("=")):
            return value  # openpyxl stores other text as text
        cell = WriteOnlyCell(self.ws, value)
        if text:
            cell.data_type = "s"  # text, never a formula
        if look is not None:
            style = self._styles.get(look)
            if style is None:
                apply_look(cell, look)
                self._styles[look] = copy(cell._style)
            else:
                cell._style = copy(style)  # as openpyxl copies a cell's style
        return cell


def start_table(ws: Worksheet, titles: Sequence[object], widths: Sequence[float], header_colour: str,
                n_rows: int, plain_titles: Sequence[object] = ()) -> Cells:  # fmt: skip
    """The set-up ``style_table`` gives a sheet, for a sheet written row by row (before its rows): widths,
    frozen header, autofilter over the header and ``n_rows`` rows, print set-up; then the header row
    (``plain_titles`` after ``titles``, unstyled and outside the filter)."""
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{n_rows + 1}"
    print_setup(ws)
    ws.print_title_rows = "1:1"
    cells = Cells(ws)
    look = header_look(header_colour)
    ws.append([cells(title, look) for title in titles] + [cells(title) for title in plain_titles])
    return cells


def print_setup(ws: Worksheet) -> None:
    """Landscape A4, fit to the page's width."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def columns_of(frame: pd.DataFrame, keys: Sequence[str]) -> Iterator[tuple]:
    """The rows of ``frame`` as tuples of the columns ``keys`` (a key the frame lacks gives empty cells)."""
    n = len(frame)
    columns = [frame[key].tolist() if key in frame.columns else [None] * n for key in keys]
    return zip(*columns, strict=True) if columns else iter(())


def frame_columns(frame: pd.DataFrame, keys: Sequence[str]) -> list[object]:
    """The columns ``keys`` of ``frame``, for ``Rows.add_columns`` (a key the frame lacks gives empty cells)."""
    return [frame[key] if key in frame.columns else [None] * len(frame) for key in keys]


def table_rows(ws: Worksheet, columns: Sequence[object], wrap_col: int | None = None, wrap_width: float = 0,
               first_row: int = 2) -> int:  # fmt: skip
    """Add the rows of ``columns`` (see ``Rows.add_columns``) to a sheet written row by row (after its header);
    the column ``wrap_col`` (1-based) wraps at the top and its rows grow to its text (LibreOffice and some Excel
    versions do not grow rows for wrapped text written by openpyxl). Returns the number of rows written."""
    if wrap_col is None:
        return Rows(ws, first_row).add_columns(columns)
    wrapped = columns[wrap_col - 1]
    texts = wrapped.tolist() if isinstance(wrapped, pd.Series) else list(wrapped)
    heights = [row_height(str(clean_value(text) or ""), wrap_width) for text in texts]
    return Rows(ws, first_row).add_columns(columns, {wrap_col - 1: WRAP_TOP}, heights)


# An Excel sheet holds 1,048,576 rows, a table's header one of them: a longer table is not written into a sheet
MAX_SHEET_ROWS = 1_048_575
TOO_LONG = ("Tabel ini berisi {rows} baris, lebih dari yang dapat dimuat satu lembar Excel ({limit} baris), sehingga "
            "tidak ditulis di sini. {where}")  # fmt: skip


def write_table(ws: Worksheet, headers: Sequence[tuple[str, str, float]], frame: pd.DataFrame, header_colour: str,
                wrap_key: str | None = None, where: str = "") -> int:  # fmt: skip
    """A whole table written row by row: ``headers`` (title, column, width), one row per record of ``frame``
    (``write_rows`` and ``style_table`` in one, for write-only sheets); ``wrap_key`` names a column that wraps.
    A table longer than a sheet (:data:`MAX_SHEET_ROWS`) is not written: the sheet says so, and ``where`` the full
    table is (a file Excel cannot open whole is no use to a reader)."""
    if len(frame) > MAX_SHEET_ROWS:
        from satudata.common import fmt

        cells = Cells(ws)
        ws.append([cells(TOO_LONG.format(rows=fmt.angka(len(frame)), limit=fmt.angka(MAX_SHEET_ROWS), where=where)
                         .strip())])  # fmt: skip
        return 0
    keys = [key for _, key, _ in headers]
    cells = start_table(ws, [t for t, _, _ in headers], [w for *_, w in headers], header_colour, len(frame))
    wrap_col = keys.index(wrap_key) + 1 if wrap_key else None
    width = headers[wrap_col - 1][2] if wrap_col else 0
    del cells  # the header is written; the rows go as XML
    return table_rows(ws, frame_columns(frame, keys), wrap_col, width)


def save_workbook(wb: Workbook, path: str | Path, when: date) -> Path:
    """Save with fixed document properties and zip timestamps taken from ``when``: same input, same bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime(when.year, when.month, when.day)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "satudata"
    wb.properties.lastModifiedBy = "satudata"
    for attr in ("title", "subject", "description", "keywords", "category"):  # names may hold control characters
        if isinstance(getattr(wb.properties, attr), str):
            setattr(wb.properties, attr, safe_text.strip_control(getattr(wb.properties, attr)))
    path.write_bytes(xlsx_bytes(wb, when))
    return path


def row_height(text: str, width: float) -> float:
    """Points for a wrapped cell of ``width`` characters (15 points per line, explicit newlines kept)."""
    lines = sum(max(1, math.ceil(len(part) / max(width * 0.95, 1))) for part in text.split("\n"))
    return 15.0 * max(1, lines)


def write_rows(ws: Worksheet, headers: Sequence[tuple[str, str, float]], frame: pd.DataFrame) -> None:
    """Header titles in row 1, then one row per record, each column taken from its key."""
    for col, (title, _, _) in enumerate(headers, start=1):
        put(ws, 1, col, title)
    for r, row in enumerate(frame.itertuples(index=False), start=2):
        record = row._asdict()
        for col, (_, key, _) in enumerate(headers, start=1):
            put(ws, r, col, record.get(key))
