"""An openpyxl workbook into xlsx bytes quickly: rows written as the sheet's XML text, looks styled once.

openpyxl builds a cell object and an XML element for every cell it writes (about 20 microseconds a cell, the
bulk of a round's rakor stage when a region has hundreds of producers). ``Rows`` writes the data rows of a
write-only sheet (``Workbook(write_only=True)``) as XML text instead, and ``xlsx_bytes`` puts them into the
sheet when the workbook is saved. A ``Look`` (fill, font, alignment, number format) becomes openpyxl's style
once per sheet, since assigning a style to a cell hashes it. What the cells hold is what openpyxl would write:
numbers, text (inline, never a formula, without control characters), booleans.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from satudata.common import safe_text


def clean_value(value: object) -> object:
    """A value as a cell stores it: None for NaN and NA, Python numbers, text without control characters."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return safe_text.strip_control(value)  # openpyxl refuses NUL, \x01, ...
    if hasattr(value, "item"):
        value = value.item()  # numpy scalar -> Python
        return None if isinstance(value, float) and math.isnan(value) else value
    return value


def fill(hex_colour: str) -> PatternFill:
    """A solid fill of one colour."""
    colour = hex_colour.lstrip("#").upper()
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def font_on(hex_colour: str, bold: bool = False) -> Font:
    """Black or white text, whichever reads better on the background."""
    colour = hex_colour.lstrip("#")
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    light = 0.299 * r + 0.587 * g + 0.114 * b > 150
    return Font(bold=bold, color="000000" if light else "FFFFFF")


@dataclass(frozen=True)
class Look:
    """How a cell looks: a fill colour (``#RRGGBB``; the text black or white, whichever reads on it), bold or
    size of the text, wrapping and alignment, a number format."""

    fill: str | None = None
    bold: bool = False
    size: float | None = None
    wrap: bool = False
    horizontal: str | None = None
    vertical: str | None = None
    number_format: str | None = None


WRAP_TOP = Look(wrap=True, vertical="top")


def apply_look(cell: Cell, look: Look) -> None:
    if look.fill:
        cell.fill = fill(look.fill)
    if look.bold or look.size:
        colour = font_on(look.fill).color if look.fill else None
        cell.font = Font(bold=look.bold, size=look.size, color=colour)
    if look.wrap or look.horizontal or look.vertical:
        cell.alignment = Alignment(wrap_text=look.wrap or None, horizontal=look.horizontal, vertical=look.vertical)
    if look.number_format:
        cell.number_format = look.number_format


class Rows:
    """The data rows of a write-only sheet, written as the sheet's XML text and put into the sheet when the
    workbook is saved (``xlsx_bytes``). openpyxl builds a cell object and an XML element for every cell
    (about 20 microseconds a cell); these rows cost a fraction of that, and hold the same: numbers, text
    (inline, as openpyxl writes it), a look per column, a row height. Rows added here follow every row
    appended with ``ws.append``, which must all come first (the header)."""

    def __init__(self, ws: Worksheet, first_row: int) -> None:
        self.ws, self.row = ws, first_row
        self._parts: list[str] = _pending_rows(ws)
        self._style_ids: dict[Look, str] = {}

    def add(self, values: Sequence[object], looks: dict[int, Look] | None = None,
            height: float | None = None) -> None:  # fmt: skip
        """One row: ``values`` from column A; ``looks``: the look of some columns (0-based); ``height`` in points."""
        r = self.row
        if len(_LETTERS) < len(values):
            _letter(len(values) - 1)
        letters = _LETTERS  # a list index, not a call: a region writes tens of millions of cells
        parts = [f'<row r="{r}" ht="{height}" customHeight="1">' if height else f'<row r="{r}">']
        for col, value in enumerate(values):
            style = f' s="{self._style_id(looks[col])}"' if looks and col in looks else ""
            kind = type(value)  # plain text and numbers first: a region writes millions of them
            if kind is str:
                if not value.isprintable():  # printable text holds no control character
                    value = safe_text.strip_control(value)
            elif kind is float:
                value = None if value != value else value
            elif kind is not int and value is not None:
                value = clean_value(value)  # NA, numpy scalars
                kind = type(value)
            if value is None:
                if style:
                    parts.append(f'<c r="{letters[col]}{r}"{style}/>')
            elif kind is str:
                space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
                if "&" in value or "<" in value or ">" in value:
                    value = _xml_text(value)
                parts.append(f'<c r="{letters[col]}{r}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>')
            elif kind is bool:
                parts.append(f'<c r="{letters[col]}{r}"{style} t="b"><v>{int(value)}</v></c>')
            elif (kind is int or kind is float) and math.isfinite(value):
                parts.append(f'<c r="{letters[col]}{r}"{style} t="n"><v>{value}</v></c>')
            else:  # anything else (a date, infinity) as its text
                parts.append(f'<c r="{letters[col]}{r}"{style} t="inlineStr"><is><t>{_xml_text(str(value))}</t></is></c>')
        parts.append("</row>")
        self._parts.append("".join(parts))
        self.row += 1

    def _style_id(self, look: Look) -> str:
        found = self._style_ids.get(look)
        if found is None:
            cell = WriteOnlyCell(self.ws)
            apply_look(cell, look)
            found = self._style_ids[look] = str(cell.style_id)  # registers the style in the workbook
        return found


_LETTERS: list[str] = []


def _letter(col: int) -> str:
    """Column letters of a 0-based column (cached: the same few columns are asked for a million times)."""
    while len(_LETTERS) <= col:
        _LETTERS.append(get_column_letter(len(_LETTERS) + 1))
    return _LETTERS[col]


def _xml_text(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _pending_rows(ws: Worksheet) -> list[str]:
    """The XML rows waiting to be put into ``ws`` when its workbook is saved."""
    if not hasattr(ws, "_satudata_rows"):
        ws._satudata_rows = []
    return ws._satudata_rows


def _with_rows(sheet_xml: bytes, rows: list[str]) -> bytes:
    """A sheet's XML with ``rows`` (``Rows``) at the end of its ``sheetData``."""
    extra = "".join(rows).encode("utf-8")
    end = sheet_xml.rfind(b"</sheetData>")
    if end >= 0:
        return sheet_xml[:end] + extra + sheet_xml[end:]
    empty = sheet_xml.index(b"<sheetData")  # <sheetData/> or <sheetData />: no row was appended
    close = sheet_xml.index(b">", empty) + 1
    return sheet_xml[:empty] + b"<sheetData>" + extra + b"</sheetData>" + sheet_xml[close:]


def xlsx_bytes(wb: Workbook, when: date) -> bytes:
    """The workbook as xlsx bytes, the rows of every ``Rows`` in their sheets, every zip entry dated ``when``
    (same input, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # compressed once, below
        ExcelWriter(wb, archive).save()
    rows = {ws.path[1:]: ws._satudata_rows for ws in wb.worksheets if getattr(ws, "_satudata_rows", None)}
    out = io.BytesIO()
    # the fastest deflate level: a feedback workbook 21 % larger (272 KB, not 225 KB) in a third of the time;
    # at 300 producers compressing was a fifth of the rakor stage
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(when.year, when.month, when.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            data = src.read(info.filename)
            if info.filename in rows:
                data = _with_rows(data, rows[info.filename])
            dst.writestr(fixed, data, compresslevel=1)
    return out.getvalue()
