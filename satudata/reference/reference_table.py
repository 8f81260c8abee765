"""Reading a region's reference tables (catalogue, register) as they keep them.

A region's list often has title rows above its header, a sheet of its own name, numbers typed
as Excel numbers. The header is looked for on any of the first 20 rows: the row naming the most
known columns (at least two). Every cell comes back as text (whole Excel numbers without
``.0``), and the frame's index is each row's number in the file, so a problem names the row the
user sees. Fully blank rows are left out.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from satudata.common.names import fold
from satudata.reference.validation import Problem, ProblemsError

HEADER_SEARCH_ROWS = 20


def cell_text(cell: object) -> str:
    """A reference cell as text: whole Excel numbers without ``.0`` (``2015``, ``101``)."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if cell is None:
        return ""
    return str(cell).strip()


def header_row(rows: list[list[str]], known: set[str], limit: int = HEADER_SEARCH_ROWS) -> int:
    """Index of the header among the first ``limit`` rows: the first row naming the most known
    columns (at least two); 0 when none does, so a plain table keeps its first row as header."""
    best, best_score = 0, 1
    for i, row in enumerate(rows[:limit]):
        score = sum(1 for cell in row if cell and fold(cell) in known)
        if score > best_score:
            best, best_score = i, score
    return best


def read_reference_table(
    path: str | Path,
    sheet: str | None,
    known: set[str],
    error: type[ProblemsError] = ProblemsError,
    what: str = "berkas",
) -> pd.DataFrame:
    """A CSV, TXT or workbook sheet as a frame of text cells indexed by file row number."""
    from satudata.formats.readers import ReadError, read_source

    path = Path(path)
    try:
        source = read_source(path)
    except ReadError as exc:
        raise error([Problem(None, None, exc.message)], path.name) from None
    grids = [g for g in source.grids if g.rows]
    if sheet is not None:
        grids = [g for g in grids if g.name == sheet]
        if not grids:
            names = ", ".join(g.name for g in source.grids)
            raise error([Problem(None, None, f"lembar kerja '{sheet}' tidak ada di {what} (yang ada: {names}). "
                                 "Periksa nama lembar kerja di pengaturan.toml.")], path.name)
    if not grids:
        raise error([Problem(None, None, f"{what} kosong: tidak ada baris yang bisa dibaca.")], path.name)
    grid = grids[0]
    rows = [[cell_text(c) for c in r] for r in grid.rows]
    h = header_row(rows, known)
    width = max(len(r) for r in rows[h:])
    header = [c or f"kolom_{j + 1}" for j, c in enumerate(rows[h] + [""] * (width - len(rows[h])))]
    numbered = [
        (grid.first_row + h + 2 + i, r + [""] * (width - len(r)))
        for i, r in enumerate(rows[h + 1 :])
        if any(r)
    ]
    return pd.DataFrame(
        [r for _, r in numbered], columns=header, index=pd.Index([n for n, _ in numbered], dtype="int64"),
        dtype=object,
    )
