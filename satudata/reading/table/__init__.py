"""Reading the tables of a sheet as real offices write them: every value with its year, labels and
breakdown, or an issue.

One place per question, read in this order:

* :mod:`.sheet`: a sheet's cells prepared (merged cells filled, numbers parsed by the Indonesian rules);
* :mod:`.blocks`: where the tables are (title, header, data and note rows; tables stacked or side by side);
* :mod:`.columns`: what each column of a table is (row numbers, codes, ``Tahun``, ``Bulan``, unit, labels,
  values) and what the rows list (wilayah, months, categories or indicators);
* :mod:`.labels`: what a header, title or name says (years, school years, periods, growth, units, totals);
* :mod:`.values`: every value cell with its year (and where the year came from), period, element label,
  breakdown and total flag.

:func:`read_sheet` runs them on one sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from satudata.formats.readers import Grid
from satudata.reading.table.blocks import ROW_BLANK, ROW_TEXT, find_blocks, is_note
from satudata.reading.table.labels import read_label
from satudata.reading.table.sheet import NUMBER, Sheet, prepare
from satudata.reading.table.values import (
    CellIssue,
    Context,
    TableReading,
    ValueCell,
    file_words,
    read_table,
    title_text,
)

__all__ = ["CellIssue", "SheetReading", "TableReading", "ValueCell", "read_sheet"]


@dataclass
class SheetReading:
    """The tables of one sheet, the role of every row and the count of numeric cells."""

    sheet: Sheet
    tables: list[TableReading] = field(default_factory=list)
    row_roles: dict[int, str] = field(default_factory=dict)  # grid index -> role (blank rows left out)
    numeric: int = 0  # cells holding a number
    structural_outside: int = 0  # numbers outside every table's header and data (titles, notes...)


def read_sheet(grid: Grid, file_stem: str, text_source: bool, totals: set[str]) -> SheetReading:
    """Every table of a sheet read (see the modules of this package)."""
    sheet = prepare(grid)
    blocks, kinds = find_blocks(sheet)
    out = SheetReading(sheet)
    out.numeric = sum(k == NUMBER for row in sheet.kind for k in row)
    ctx = Context(file_words(file_stem), grid.name, text_source, totals)
    if blocks and blocks[0].titles:
        ctx.sheet_title = read_label([title_text(sheet, blocks[0].titles)])
    seen_rows: dict[int, str] = {}
    for block in blocks:
        table = read_table(sheet, block, kinds, ctx)
        out.tables.append(table)
        for r, role in table.row_roles.items():
            # side by side tables share rows: a row is data when it is data in one of them
            if seen_rows.get(r) != "data":
                seen_rows[r] = role
    in_tables = {r for t in out.tables for r in t.block.header + t.block.data}
    for i, kind in enumerate(kinds):
        if kind == ROW_BLANK:
            continue
        if i not in in_tables:  # titles, notes, rows outside every table: their numbers are structure
            out.structural_outside += sum(k == NUMBER for k in sheet.kind[i])
        if i in seen_rows:
            continue
        cells = sheet.cells(i)
        first = sheet.own[i][cells[0]] if cells else ""
        seen_rows[i] = "catatan" if (is_note(first) or out.tables) else "judul"
        if kind != ROW_TEXT and not out.tables:
            seen_rows[i] = "ditolak"
    out.row_roles = seen_rows
    return out
