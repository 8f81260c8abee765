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
from satudata.formats.read_limits import ReadLimits
from satudata.reference.validation import Problem, ProblemsError

HEADER_SEARCH_ROWS = 20
# what to do when a reference table is past its size limit ({kunci}: the [batas] key of that limit)
REGISTER_SIZE_FIX = ("Daftar OPD biasanya hanya beberapa ratus baris: periksa bahwa [register] berkas di pengaturan.toml "
                     "menunjuk ke daftar OPD, simpan ulang tabelnya saja (tanpa sel berformat di luar tabel), atau "
                     "naikkan {kunci} di [batas] pengaturan.toml bila daftarnya memang sebesar itu.")  # fmt: skip
CATALOGUE_SIZE_FIX = ("Katalog dibaca utuh ke memori sebelum putaran dihitung. Periksa bahwa berkas ini memang katalog "
                      "wilayah (bukan ekspor yang rusak atau lembar kerja berisi sel berformat di luar tabel) dan simpan "
                      "ulang tabelnya saja; bila katalognya memang sebesar itu, naikkan {kunci} di [batas] "
                      "pengaturan.toml.")  # fmt: skip


def catalogue_limits(limits: ReadLimits | None) -> ReadLimits:
    """The limits a catalogue is read under: the settings' ``[batas]``, its size bounded by ``max_file_bytes``
    (``ukuran_berkas_mb``, 200 MiB by default) in every format. A national catalogue as CSV (600,000 rows with
    real names, about 96 MB; read in 19 s, 1.6 GiB at peak) is past the text limit of a submission (64 MiB) and,
    unlike a submission, cannot be split; it is read once and then kept in the reference cache."""
    from dataclasses import replace

    from satudata.formats import read_limits

    limits = read_limits.current(limits)
    return replace(limits, max_text_bytes=max(limits.max_text_bytes, limits.max_file_bytes))


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
    limits: ReadLimits | None = None,
    size_fix: str = "",
) -> pd.DataFrame:
    """A CSV, TXT or workbook sheet as a frame of text cells indexed by file row number, read under ``limits``
    (the settings' ``[batas]``, as a submission): a file past its size is refused before a byte is parsed, with
    ``size_fix`` saying what to do (see :func:`satudata.formats.read_limits.past_size`)."""
    from satudata.formats.readers import ReadError, read_source

    path = Path(path)
    try:
        source = read_source(path, limits, size_fix)
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
