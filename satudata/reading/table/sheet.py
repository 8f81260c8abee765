"""A sheet prepared for reading: every cell's text (merged cells filled), kind and parsed value.

Kinds: ``BLANK``; ``NUMBER`` (an Excel number, or text that is a number by the Indonesian rules:
``1.474``, ``3 686``, ``12,5``); ``SYMBOL`` (a BPS sign that is a value: ``-`` nil, ``...`` not
available, ``x`` confidential); ``TEXT`` (anything else, dates included). Years, column numbers and
row numbers are numbers here: what they are is decided by where they stand (see :mod:`.blocks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from satudata.formats.readers import Grid, column_letter
from satudata.reading.numbers import STATUS_ADA, STATUS_TIDAK_VALID, ParsedValue, parse_cell
from satudata.reading.template_layout import cell_text

BLANK, TEXT, NUMBER, SYMBOL = 0, 1, 2, 3


@dataclass
class Sheet:
    """Cells of one sheet: ``raw[i][j]`` as read, ``text`` with merged ranges filled from their top-left
    cell, ``kind`` and ``parsed`` per cell. ``i``, ``j`` are grid indices (Excel row ``first_row + i + 1``)."""

    name: str
    raw: list[list]
    text: list[list[str]]
    own: list[list[str]]  # the texts as written (merged ranges not filled)
    kind: list[list[int]]
    parsed: list[list[ParsedValue | None]]
    first_row: int
    first_col: int
    width: int
    merged_into: dict[tuple[int, int], tuple[int, int]]  # covered cell -> top-left cell of its range

    @property
    def height(self) -> int:
        return len(self.raw)

    def excel_row(self, i: int) -> int:
        return self.first_row + i + 1

    def letter(self, j: int) -> str:
        return column_letter(self.first_col + j)

    def address(self, i: int, j: int) -> str:
        return f"{self.letter(j)}{self.excel_row(i)}"

    def cells(self, i: int, kinds: tuple[int, ...] = (TEXT, NUMBER, SYMBOL)) -> list[int]:
        """Columns of row ``i`` whose own cell is of one of ``kinds``."""
        return [j for j, k in enumerate(self.kind[i]) if k in kinds]

    def is_blank_row(self, i: int) -> bool:
        return not any(self.kind[i])


def _kind(cell: object) -> tuple[int, ParsedValue | None]:
    if cell is None or (type(cell) is str and not cell.strip()):
        return BLANK, None
    if isinstance(cell, (date, datetime, time, timedelta, bool)):
        return TEXT, None
    p = parse_cell(cell)
    if p.status == STATUS_TIDAK_VALID:
        return TEXT, p
    if p.status == STATUS_ADA:
        return NUMBER, p
    return SYMBOL, p


def prepare(grid: Grid) -> Sheet:
    """The sheet of a grid, ready for :mod:`satudata.reading.table`."""
    width = max((len(r) for r in grid.rows), default=0)
    raw = [list(r) + [None] * (width - len(r)) for r in grid.rows]
    own = [[cell_text(c) for c in r] for r in raw]
    kinds, parsed = [], []
    for r in raw:
        kr, pr = [], []
        for c in r:
            k, p = _kind(c)
            kr.append(k)
            pr.append(p)
        kinds.append(kr)
        parsed.append(pr)
    text = [list(r) for r in own]
    merged_into: dict[tuple[int, int], tuple[int, int]] = {}
    for (r0, c0), (r1, c1) in grid.merged:
        r0, r1, c0, c1 = r0 - grid.first_row, r1 - grid.first_row, c0 - grid.first_col, c1 - grid.first_col
        if r0 < 0 or c0 < 0 or r0 >= len(raw) or c0 >= width:
            continue
        top = own[r0][c0]
        for i in range(r0, min(r1, len(raw) - 1) + 1):
            for j in range(c0, min(c1, width - 1) + 1):
                if (i, j) != (r0, c0):
                    merged_into[(i, j)] = (r0, c0)
                    if not own[i][j]:
                        text[i][j] = top
    return Sheet(grid.name, raw, text, own, kinds, parsed, grid.first_row, grid.first_col, width, merged_into)
