"""An openpyxl workbook into xlsx bytes quickly: data rows written as the sheet's XML text, a column at a time.

openpyxl builds a cell object and an XML element for every cell it writes (about 20 microseconds a cell; the
feedback workbooks of a region of 300 producers hold millions of rows). ``Rows`` writes the data rows of a
write-only sheet (``Workbook(write_only=True)``) as XML text instead, and ``xlsx_bytes`` puts them into the sheet
when the workbook is saved. The text is built a column at a time, never a cell at a time in Python:

1. a column's distinct values are found (``distinct_values``: a categorical column's categories, a text or integer
   column factorised; floats and mixed Python objects are taken one by one);
2. each distinct value, with its look, is written once as the end of its cell's XML (``_cell_end``:
   ``" s="3" t="n"><v>12</v></c>``; plain text the quick way, ``_cell_ends``), and pyarrow takes that text for
   every cell of the column (``_column_parts``);
3. one pyarrow join per batch of rows puts each row together: ``<row r="7">``, then for each column
   ``<c r="B`` + row number + the cell's end, then ``</row>``; the rows' UTF-8 bytes are read from pyarrow's
   buffer as one block (``_utf8``).

What a cell holds is what openpyxl would write for the value that ``Series.tolist()`` gives (``_cell_end``):

- None, NaN, NA: nothing (a cell with only its style, when its column has a look);
- text: inline text (``t="inlineStr"``), so never a formula, whatever it starts with (``=``, ``+``, ``-``,
  ``@``); without control characters; ``& < >`` escaped; ``xml:space="preserve"`` when it starts or ends with
  white space;
- a boolean: ``t="b"`` (1 or 0); an integer or a finite float: ``t="n"``, as Python writes it (``12``, ``1.5``,
  ``1e-05``);
- anything else (a date, infinity): its ``str()`` as inline text.

A ``Look`` (fill, font, alignment, number format) becomes openpyxl's style once per sheet, since assigning a
style to a cell hashes it.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
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
    """The data rows of a write-only sheet, written as the sheet's XML text a column at a time (see the module)
    and put into the sheet when the workbook is saved (``xlsx_bytes``). Rows added here follow every row
    appended with ``ws.append``, which must all come first (the header)."""

    def __init__(self, ws: Worksheet, first_row: int) -> None:
        self.ws, self.row = ws, first_row
        self._parts: list[bytes] = _pending_rows(ws)
        self._style_ids: dict[Look, str] = {}

    def add_columns(self, columns: Sequence[object], looks: dict[int, Look | Sequence[Look | None]] | None = None,
                    heights: Sequence[float | None] | None = None) -> int:  # fmt: skip
        """Rows from ``columns`` (from column A; each a Series, a pyarrow array of text or a sequence of values,
        all as long); ``looks``: the look of some columns (0-based), one for the whole column or one per row (None:
        none); ``heights``: each row's height in points (None or 0: Excel's own). Returns the number of rows."""
        n = len(columns[0]) if len(columns) else len(heights) if heights is not None else 0
        if n == 0:
            return 0
        numbers = pa.array(np.arange(self.row, self.row + n)).cast(pa.large_string())
        styles = self._styles(looks or {}, len(columns), n)
        if heights is None:
            parts: list[object] = ['<row r="', numbers, '">']
        else:
            height = pa.array([f' ht="{h}" customHeight="1"' if h else "" for h in heights], pa.large_string())
            parts = ['<row r="', numbers, '"', height, ">"]
        for col, column in enumerate(columns):
            style_codes, style_texts = styles.get(col, (np.zeros(n, np.int64), [""]))
            parts += _column_parts(column, get_column_letter(col + 1), numbers, style_codes, style_texts)
        self._parts.append(_utf8(_join(*parts, "</row>")))
        self.row += n
        return n

    def add(self, values: Sequence[object], looks: dict[int, Look] | None = None,
            height: float | None = None) -> None:  # fmt: skip
        """One row: ``values`` from column A; ``looks``: the look of some columns (0-based); ``height`` in points."""
        self.add_columns([[value] for value in values], looks, [height])

    def _styles(self, looks: dict[int, Look | Sequence[Look | None]], n_columns: int, n: int
                ) -> dict[int, tuple[np.ndarray, list[str]]]:  # fmt: skip
        """Each styled column's styles: every row's index into a list of `` s="7"`` texts ("" for no look). The
        looks are registered in the workbook in the order a writer going row by row, left to right, meets them:
        their style numbers, and so the workbook's bytes, do not depend on how the rows were written."""
        first_use: list[tuple[int, int, Look]] = []  # (row, column, look)
        per_column: dict[int, tuple[np.ndarray, list[Look | None]]] = {}
        for col, look in looks.items():
            if col >= n_columns:
                continue
            if isinstance(look, Look):
                per_column[col] = np.zeros(n, np.int64), [look]
                first_use.append((0, col, look))
                continue
            look = list(look)
            codes, objects = pd.factorize(np.fromiter(map(id, look), np.uint64, n))  # the same Look objects, fast
            firsts = [int(np.argmax(codes == code)) for code in range(len(objects))]
            per_column[col] = codes, [look[first] for first in firsts]
            first_use += [(first, col, look[first]) for first in firsts if look[first] is not None]
        for _, _, look in sorted(first_use, key=lambda use: use[:2]):
            self._style_id(look)
        return {col: (codes, [f' s="{self._style_id(one)}"' if one else "" for one in distinct])
                for col, (codes, distinct) in per_column.items()}  # fmt: skip

    def _style_id(self, look: Look) -> str:
        found = self._style_ids.get(look)
        if found is None:
            cell = WriteOnlyCell(self.ws)
            apply_look(cell, look)
            found = self._style_ids[look] = str(cell.style_id)  # registers the style in the workbook
        return found


def _column_parts(column: object, letter: str, numbers: pa.Array, style_codes: np.ndarray,
                  style_texts: list[str]) -> list[object]:  # fmt: skip
    """One column's cells as parts of the rows' join: ``<c r="B``, the row numbers, then each cell's end, written
    once for each distinct pair of value and style; a cell with neither value nor style is left out."""
    codes, values = distinct_values(column)
    if len(style_texts) == 1:  # one style (or none) for the whole column
        ends = _cell_ends(values, style_texts[0])
    else:
        pairs, codes = np.unique(codes * len(style_texts) + style_codes, return_inverse=True)
        ends = [_cell_end(values[pair // len(style_texts)], style_texts[pair % len(style_texts)])
                for pair in pairs.tolist()]  # fmt: skip
    cell_ends = pa.array(ends, pa.large_string()).take(pa.array(codes.reshape(-1)))
    if cell_ends.null_count:  # some cells are left out: the whole cell, or nothing
        return [pc.fill_null(_join(f'<c r="{letter}', numbers, cell_ends), "")]
    return [f'<c r="{letter}', numbers, cell_ends]


_PLAIN_TEXT_TYPES = {str, type(None), float, type(pd.NA)}  # float: NaN only


def distinct_values(column: object) -> tuple[np.ndarray, list[object]]:
    """Each cell's index into the column's distinct values, and those values as ``Series.tolist()`` gives them
    (None for a missing one). Categories, text, integers and booleans are grouped; floats (``-0.0`` is not
    ``0.0``), dates and columns of mixed Python objects (``True`` is not ``1``) are not: one value per cell."""
    if isinstance(column, pa.Array):  # text built by pyarrow (a row's mark): one value per row
        return np.arange(len(column)), column.to_pylist()
    series = column if isinstance(column, pd.Series) else pd.Series(list(column), dtype=object)
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        codes, categories = series.array.codes.astype(np.int64), series.array.categories
        if len(categories) <= len(series):
            return np.where(codes < 0, len(categories), codes), [*categories.tolist(), None]
        # one producer's rows of a region's table keep the region's categories, tens of thousands: only those used
        codes, used = pd.factorize(codes)
        values = categories.take(np.maximum(used, 0)).tolist()
        return codes, [None if code < 0 else value for code, value in zip(used.tolist(), values, strict=True)]
    if pd.api.types.is_object_dtype(dtype):
        values = series.tolist()
        if not set(map(type, values)) <= _PLAIN_TEXT_TYPES or any(v == v for v in values if type(v) is float):
            return np.arange(len(values)), values
    elif not (pd.api.types.is_string_dtype(dtype) or pd.api.types.is_integer_dtype(dtype)
              or pd.api.types.is_bool_dtype(dtype)):  # fmt: skip
        return np.arange(len(series)), series.tolist()
    codes, uniques = pd.factorize(series)  # text, integers, booleans: missing values as -1
    return np.where(codes < 0, len(uniques), codes), [*uniques.tolist(), None]


def _cell_ends(values: list[object], style: str) -> list[str | None]:
    """``_cell_end`` of each value. Text with nothing to remove or escape (printable, without ``& < >``: most
    of a workbook), and no value, the quick way."""
    if set(map(type, values)) <= {str, type(None)}:
        text = "".join(value for value in values if value is not None)
        if text.isprintable() and not ("&" in text or "<" in text or ">" in text):
            empty = f'"{style}/>' if style else None
            plain, spaced = f'"{style} t="inlineStr"><is><t>', f'"{style} t="inlineStr"><is><t xml:space="preserve">'
            return [empty if value is None else (plain if value.strip() == value else spaced) + value + "</t></is></c>"
                    for value in values]  # fmt: skip
    return [_cell_end(value, style) for value in values]


def _cell_end(value: object, style: str) -> str | None:
    """A cell's XML after its row number: ``" s="3" t="n"><v>12</v></c>`` (``style``: `` s="3"`` or ""); ``"/>``
    with its style for no value; None (no cell) for neither."""
    value = clean_value(value)  # None for NaN and NA, Python numbers, text without control characters
    if value is None:
        return f'"{style}/>' if style else None
    kind = type(value)
    if kind is str:
        space = "" if value.strip() == value else ' xml:space="preserve"'  # white space at either end
        return f'"{style} t="inlineStr"><is><t{space}>{_escaped(value)}</t></is></c>'
    if kind is bool:
        return f'"{style} t="b"><v>{int(value)}</v></c>'
    if (kind is int or kind is float) and math.isfinite(value):
        return f'"{style} t="n"><v>{value}</v></c>'
    return f'"{style} t="inlineStr"><is><t>{_escaped(str(value))}</t></is></c>'  # a date, infinity, ...


def _escaped(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _join(*parts: object) -> pa.Array:
    """The parts (arrays of text, or one text for every row) joined row by row; null where a part is null."""
    texts = [part if isinstance(part, pa.Array | pa.Scalar) else pa.scalar(part, pa.large_string()) for part in parts]
    return pc.binary_join_element_wise(*texts, pa.scalar("", pa.large_string()))


def _utf8(strings: pa.Array) -> bytes:
    """The strings one after another as UTF-8 bytes, read from the array's buffer (no Python string per row)."""
    _, offsets, data = strings.buffers()
    ends = np.frombuffer(offsets, np.int64)
    return memoryview(data)[ends[strings.offset] : ends[strings.offset + len(strings)]].tobytes()


def _pending_rows(ws: Worksheet) -> list[bytes]:
    """The XML rows waiting to be put into ``ws`` when its workbook is saved."""
    if not hasattr(ws, "_satudata_rows"):
        ws._satudata_rows = []
    return ws._satudata_rows


def _with_rows(sheet_xml: bytes, rows: list[bytes]) -> bytes:
    """A sheet's XML with ``rows`` (``Rows``) at the end of its ``sheetData``."""
    extra = b"".join(rows)
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
