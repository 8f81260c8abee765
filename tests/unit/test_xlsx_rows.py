"""The fast row writer: what openpyxl and calamine read back from rows written as sheet XML text."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import openpyxl
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from satudata.formats.xlsx_rows import WRAP_TOP, Look, Rows, xlsx_bytes


def _written() -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.column_dimensions["A"].width = 30
    ws.freeze_panes = "A2"
    ws.append(["Judul", "Angka", "Benar"])  # a header appended the ordinary way comes first
    rows = Rows(ws, 2)
    rows.add(["=SUM(A1:A9)", 12, True], {0: WRAP_TOP}, height=30.0)
    rows.add(["  a <b> & c\nbaris dua", np.float64(1.5), None], {2: Look(fill="#FFFDE7")})
    rows.add(["kontrol\x01hilang", float("nan"), np.int64(7)])
    return xlsx_bytes(wb, date(2024, 2, 1))


def test_rows_read_back_as_written() -> None:
    data = _written()
    ws = openpyxl.load_workbook(io.BytesIO(data))["Data"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["Judul", "Angka", "Benar"],
        ["=SUM(A1:A9)", 12, True],
        ["  a <b> & c\nbaris dua", 1.5, None],
        ["kontrolhilang", None, 7],
    ]
    assert ws["A2"].data_type == "s"  # text that looks like a formula stays text
    assert ws["A2"].alignment.wrap_text and ws["A2"].alignment.vertical == "top"
    assert ws.row_dimensions[2].height == 30.0
    assert ws["C3"].fill.fgColor.rgb == "00FFFDE7"
    assert ws.freeze_panes == "A2" and ws.column_dimensions["A"].width == 30
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Data").to_python()
    assert sheet[1][:2] == ["=SUM(A1:A9)", 12.0] and sheet[3] == ["kontrolhilang", "", 7.0]


def test_same_input_same_bytes() -> None:
    assert _written() == _written()
