"""Cells, styles and saving shared by every workbook the tool writes (feedback, templates, EPSS evidence).

Strings are always stored as text (never a formula) and without control characters; a saved workbook has
fixed document properties and zip timestamps, so the same input gives the same bytes.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from satudata.common import safe_text

HEADER_GREY = "#455A64"



def put(ws: Worksheet, row: int, col: int, value: object) -> Cell:
    """Write one value; strings are always stored as text, never as a formula, without control characters."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        value = None
    elif hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar -> Python
    if isinstance(value, str):
        value = safe_text.strip_control(value)  # openpyxl refuses NUL, \x01, ...
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


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
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(when.year, when.month, when.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.write_bytes(out.getvalue())
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
