"""The value cells of a template-shaped table: parsed in bulk, their issues, appended to the context.

:func:`parse_cells` gives every cell its code (see :data:`satudata.reading.ingest_context.CELL_CODE`) and its
``nilai``, by the rules of :func:`satudata.reading.numbers.parse_cell` (texts parsed in bulk, Excel numbers
classified in bulk); :func:`cell_issues` writes the issues of one row's cells, :func:`row_issues` those of
a row (element not owed, fuzzy match, every year ``-``); :func:`add_values` appends a sheet's values to
the context as one chunk.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import compress
from typing import Any

import numpy as np
import pyarrow as pa

from satudata.formats.readers import column_letter
from satudata.reading.ingest_context import CELL_CODE, GALAT, INFO, PERINGATAN, IngestContext
from satudata.reading.numbers import parse_cell, parse_texts_array
from satudata.reading.sheet_values import element_issue
from satudata.reading.template_layout import Layout, cell_text

_PROVISIONAL = "angka_sementara"


_PLAIN_KINDS = frozenset({float, str, type(None)})


def parse_cells(cells: list, modes: list[str] | None) -> tuple[np.ndarray, np.ndarray, list[tuple] | None,
                                                                 np.ndarray | None]:  # fmt: skip
    """The code of each cell (see ``CELL_CODE``) as :func:`parse_cell` reads it, its ``nilai`` (NaN where none),
    the parsed cells and which cells are text.

    Common case (text, floats and empty cells; Indonesian rules): the texts are parsed in bulk, the floats
    classified in bulk, the third item is None and the fourth marks the text cells (the others are floats
    or empty). Otherwise the third holds ``(status, nilai, catatan)`` for every cell and the fourth is None.
    """
    if modes is None and _PLAIN_KINDS.issuperset(map(type, cells)):
        n = len(cells)
        is_text = [type(c) is str for c in cells]
        text_mask = np.frombuffer(bytes(is_text), dtype=bool)
        codes = np.empty(n, dtype=np.int8)
        values = np.empty(n, dtype=np.float64)
        n_texts = int(text_mask.sum())
        if n_texts:
            text_codes, text_values, notes = parse_texts_array(list(compress(cells, is_text)))
            if notes:  # a number with a note to list for review (a provisional figure is no issue)
                at = np.asarray([j for j, note in notes.items() if note != _PROVISIONAL], dtype=np.int64)
                text_codes[at] = 6
            codes[text_mask] = text_codes
            values[text_mask] = text_values
        if n_texts < n:  # floats and None: 1 when finite, 0 for nan or None (empty), 5 for an infinity
            floats = pa.array(list(compress(cells, (~text_mask).tolist())), pa.float64(), from_pandas=False)
            f = floats.to_numpy(zero_copy_only=False)  # None -> nan
            codes[~text_mask] = np.where(np.isfinite(f), 1, np.where(np.isnan(f), 0, 5))
            values[~text_mask] = f
        return codes, values, None, text_mask
    if modes is None:
        parsed = [_as_tuple(parse_cell(c)) for c in cells]
    else:
        k = len(modes)
        parsed = [_as_tuple(parse_cell(c, modes[j % k])) for j, c in enumerate(cells)]
    codes = np.asarray([6 if p[2] is not None and p[2] != _PROVISIONAL else CELL_CODE[p[0]] for p in parsed], np.int8)
    return codes, np.asarray([p[1] for p in parsed], dtype=np.float64), parsed, None


def parsed_at(parsed: list[tuple] | None, flat: list, pos: int) -> tuple:
    """(nilai, catatan) of one cell."""
    if parsed is not None:
        return parsed[pos][1:]
    c = flat[pos]
    return _as_tuple(parse_cell(c))[1:] if type(c) is str else (c, None)


def _as_tuple(p: Any) -> tuple:
    return (p.status, p.nilai, p.catatan)


def cell_issues(ctx: IngestContext, row: list, codes: list[int], parsed: list[tuple] | None, flat: list, start: int,
                 cols: list[int], letters: dict[int, str], layout: Layout, rel: str, sheet: str, excel_row: int,
                 opd: str | None, label: str, first_col: int) -> tuple[int, int, int]:  # fmt: skip
    """Issues of the cells of one row, in column order; returns (values produced, nihil, invalid)."""
    produced = nihil = invalid = 0
    for q, col in enumerate(cols):
        code = int(codes[start + q])
        if code == 0:
            continue
        letter = letters[col]
        cell = flat[start + q]
        if code == 5:
            invalid += 1
            ctx.issue(rel, sheet, excel_row, letter, opd, GALAT, "nilai_tidak_valid",
                      _invalid_message(rel, sheet, excel_row, letter, cell, label))  # fmt: skip
            continue
        if code == 7:
            invalid += 1
            tcol = column_letter(first_col + layout.tahun_col)
            written = cell_text(row[layout.tahun_col]) if layout.tahun_col < len(row) else ""
            ctx.issue(rel, sheet, excel_row, tcol, opd, GALAT, "tahun_tidak_valid",
                      f"Berkas {rel}, lembar kerja '{sheet}', baris {excel_row}, kolom {tcol}: tahun '{written}' tidak "
                      "dikenali. Tulis tahun empat angka, mis. 2023.")  # fmt: skip
            continue
        if code == 6:
            value, note = parsed_at(parsed, flat, start + q)
            ctx.issue(rel, sheet, excel_row, letter, opd, INFO, "angka_ambigu",
                      f"Berkas {rel}, lembar kerja '{sheet}', baris {excel_row}, kolom {letter}: '{cell_text(cell)}' "
                      f"dibaca sebagai {value!r} ({_NOTE_TEXT[note]}). Periksa; tulis angka "
                      "dengan format Indonesia (titik ribuan, koma desimal).")  # fmt: skip
        produced += 1
        nihil += code == 2
    return produced, nihil, invalid


def add_values(ctx: IngestContext, flat: list, parsed: tuple[np.ndarray, np.ndarray | None], grid_codes: np.ndarray,
                valid: np.ndarray,
                produced: np.ndarray, years: np.ndarray, cols: list[int], letters: dict[int, str],
                base: int) -> None:  # fmt: skip
    """Append one sheet's values (valid cells, row-major) as chunks; ``row`` points into ``ctx.rows``.

    ``parsed``: the ``nilai`` of every cell and which cells are text (None: any kind of cell, kept as text).
    """
    values, is_text = parsed
    nd, k = valid.shape
    mask = valid.ravel()
    n = int(mask.sum())
    if not n:
        return
    has = np.asarray(produced, dtype=np.int64) > 0
    ridx = np.cumsum(has) - 1 + base
    V = ctx.vals
    V["row"].append(ridx[np.repeat(np.arange(nd), k)[mask]])
    V["tahun"].append(years[mask])
    V["nilai"].append(values[mask])
    V["status"].append(grid_codes.ravel()[mask])
    if is_text is None:  # cells of any kind: each one's text as written
        V["is_text"].append(np.ones(n, dtype=bool))
        V["texts"].append([cell_text(c) for c in compress(flat, mask.tolist())])
    else:  # text cells and finite floats
        V["is_text"].append(is_text[mask])
        V["texts"].append([c.strip() for c in compress(flat, (mask & is_text).tolist())])
        V["numbers"].append(values[mask & ~is_text])
    ids = ctx.letter_ids
    letter_ids = np.asarray([ids.setdefault(letters[c], len(ids)) for c in cols], dtype=np.int64)
    V["sumber_kolom"].append(np.tile(letter_ids, nd)[mask])
    ctx.n_vals += n


def _invalid_message(rel: str, sheet: str, excel_row: int, letter: str, cell: object, label: str) -> str:
    where = f"Berkas {rel}, lembar kerja '{sheet}', baris {excel_row}, kolom {letter}"
    if isinstance(cell, (date, datetime, time, timedelta)):
        return (
            f"{where}: sel untuk '{label}' berisi tanggal/waktu ({cell}), bukan angka; Excel sering mengubah "
            "angka seperti 1.5 menjadi tanggal. Format sel sebagai Angka atau Teks lalu tulis ulang nilainya."
        )
    return (
        f"{where}: '{cell_text(cell)}' untuk '{label}' bukan angka yang sah. Tulis angka (mis. 1.234 atau "
        "12,5) atau tanda BPS: '-' (nihil), '...' (tidak tersedia), 'x' (rahasia)."
    )


_NOTE_TEXT = {
    "koma_ribuan_ambigu": "koma dibaca sebagai desimal; bila maksudnya ribuan, tulis dengan titik",
    "titik_desimal": "titik dibaca sebagai desimal karena bukan pemisah ribuan",
    "format_inggris": "format Inggris: koma sebagai pemisah ribuan",
    "angka_sementara": "angka sementara",
}


def row_issues(ctx: IngestContext, label: str, match: Any, rel: str, sheet: str, excel_row: int, opd: str | None,
                nihil: int, produced: int, invalid: int, n_years: int) -> None:  # fmt: skip
    where = f"Berkas {rel}, lembar kerja '{sheet}', baris {excel_row}"
    element_issue(ctx, match, label, rel, sheet, excel_row, opd)
    if nihil == produced == n_years and invalid == 0:
        ctx.issue(rel, sheet, excel_row, None, opd, PERINGATAN, "semua_nihil",
                  f"{where}: semua tahun untuk '{label}' diisi '-' (nihil). Mohon konfirmasi bahwa nilainya "
                  "memang nol; bila datanya belum ada, tulis '...'.")  # fmt: skip
