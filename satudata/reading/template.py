"""The template reader: sheets in the shape of the project's own submission template and sheets like it.

The shape: a header found by :func:`satudata.reading.template_layout.detect_layout` (a label column such as ``Uraian``,
one plain year per value column, or a ``Tahun`` and a ``Nilai`` column), then one element per row; a
subtotal row (``Jumlah``) is structure. Here are the two tests of that shape
(:func:`is_plain_template`, from the header alone, before the real-table reader runs;
:func:`is_template_shape`, on what that reader found) and the reader itself
(:func:`read_template_sheet`): values, issues, row and cell accounting of every table of a sheet, tables
below one another each with its own header. Cells are parsed and checked in
:mod:`satudata.reading.template_cells`.
"""

from __future__ import annotations

import re
from collections import Counter
from operator import itemgetter

import numpy as np

from satudata.common.names import fold
from satudata.formats.readers import Grid, column_letter
from satudata.reading.file_producers import imitated_producer, imitation_message
from satudata.reading.ingest_context import GALAT, INFO, PERINGATAN, IngestContext
from satudata.reading.matching import METHOD_FUZZY
from satudata.reading.numbers import column_uses_dot_decimal
from satudata.reading.table import SheetReading
from satudata.reading.table.columns import DIM_INDIKATOR, ROLE_BULAN, ROLE_LABEL, ROLE_NILAI, ROLE_TAHUN
from satudata.reading.table.labels import is_generic, read_label
from satudata.reading.table_totals import CODE as TOTAL_CODE
from satudata.reading.table_totals import check_subtotal_rows, tolerance
from satudata.reading.table_totals import message as total_message
from satudata.reading.template_cells import add_values, cell_issues, parse_cells, row_issues
from satudata.reading.template_layout import (
    ROLE_BLANK,
    ROLE_DATA,
    ROLE_NO_LABEL,
    ROLE_SUBTOTAL,
    Layout,
    next_table,
    row_roles,
    sub_grid,
)

_PLAIN_LABEL_HEADERS = ("uraian", "jenis data", "nama data", "elemen", "elemen data", "nama elemen", "indikator",
                        "nama indikator", "rincian")  # fmt: skip


def is_plain_template(grid: Grid, layout: Layout) -> bool:
    """True for a sheet in the submission template's own shape, recognised without the full reader (a
    round of template files is read at the template reader's speed): a label column headed ``Uraian``/
    ``Jenis Data``..., one year per value column and nothing else in its header, no OPD column, and no
    Excel number in the data rows outside the value columns but in a ``No`` column left of the label."""
    if layout.is_long or layout.opd_col is not None:
        return False
    label_header = fold(layout.headers.get(layout.label_col, ""))
    if not any(label_header == w or label_header.startswith(w + " ") for w in _PLAIN_LABEL_HEADERS):
        return False
    for col, _ in layout.year_cols:
        info = read_label([layout.headers.get(col, "")])
        if info.year is None or info.periode or info.growth or not is_generic(info.words):
            return False
    allowed = set(layout.value_cols) | {c for c in range(layout.label_col)}
    for row in grid.rows[layout.header_end + 1:]:
        for c, cell in enumerate(row):
            if type(cell) is float and c not in allowed:
                return False
    return True


def is_template_shape(reading: SheetReading | None, layout: Layout) -> bool:
    """True when a sheet is one table of the submission template's shape, which the template reader
    (:func:`_ingest_tables`) reads as it always has: element rows, one year per value column (or a
    ``Tahun`` column), no period, growth or category in the column headers, the same value columns as
    the reader of :mod:`satudata.reading.table` finds."""
    if reading is None or len(reading.tables) != 1:
        return False
    table = reading.tables[0]
    cols = table.columns
    if cols is None or cols.dimension != DIM_INDIKATOR:
        return False
    if sorted(layout.value_cols) != sorted(cols.of(ROLE_NILAI)):
        return False
    if len(cols.of(ROLE_LABEL)) > 1:
        return False  # another key or group of the rows (``Minggu Ke-``, ``Kelompok``): the template reader has no place for it
    if layout.is_long:  # a period column (month, quarter) beside ``Tahun``: the reader of periods reads it
        return bool(cols.of(ROLE_TAHUN)) and not cols.of(ROLE_BULAN)
    for j in layout.value_cols:
        info = read_label(cols.columns[j].parts)
        if info.year is None or info.periode or info.growth or not is_generic(info.words):
            return False
    return True


def read_template_sheet(ctx: IngestContext, grid: Grid, layout: Layout, reading: SheetReading | None, rel: str,
                        opd: str | None, counts: dict, cells: dict, text_source: bool) -> None:  # fmt: skip
    """Values, issues, row accounting (``counts``) and cell accounting (``cells``) of a template-shaped sheet;
    ``reading``: what the real-table reader found on it (None when the sheet went straight here)."""
    chunks = len(ctx.vals["status"])
    _ingest_tables(ctx, grid, layout, rel, opd, counts, text_source)
    _template_cells(ctx, grid, reading, chunks, cells)


def _template_cells(ctx: IngestContext, grid: Grid, reading: SheetReading | None, chunks: int,
                    cells: dict) -> None:  # fmt: skip
    """Cell accounting of a sheet read by the template reader: the numbers read as values, the rest
    structure (years of the header, row numbers, codes, subtotal rows). Without the reader's count, the
    numbers are the Excel numbers of the sheet and the numeric texts read as values."""
    statuses = ctx.vals["status"][chunks:]
    read = int(sum(np.isin(chunk, (1, 6)).sum() for chunk in statuses))
    if reading is not None:
        numeric = reading.numeric
    else:
        floats = sum(1 for row in grid.rows for c in row if type(c) is float)
        texts = ctx.vals["is_text"][chunks:]
        numeric = floats + int(sum((np.isin(st, (1, 6)) & t).sum() for st, t in zip(statuses, texts, strict=False)))
    read = min(read, numeric)
    cells["angka"] += numeric
    cells["nilai"] += read
    cells["struktur"] += numeric - read


def _ingest_tables(ctx: IngestContext, grid: Grid, layout: Layout, rel: str, file_opd: str | None, counts: dict,
                   text_source: bool) -> None:  # fmt: skip
    """The tables of one sheet: one below the other, each read with its own header (see ``next_table``)."""
    while True:
        header_like: list[int] = []
        roles = row_roles(grid, layout, ctx.totals, header_like)
        found = next_table(grid, layout, header_like) if header_like else None
        if found is None:
            break
        start, below = found
        excel_row = grid.first_row + start + 1
        years = ", ".join(str(y) for _, y in below.year_cols) or "kolom Tahun"
        ctx.issue(rel, grid.name, excel_row, None, file_opd, INFO, "tabel_berikutnya",
                  f"Berkas {rel}, lembar kerja '{grid.name}', baris {excel_row}: tabel berikutnya dimulai di sini dengan "
                  f"judul kolomnya sendiri (tahun: {years}); baris di bawahnya dibaca dengan judul kolom ini. "
                  "Periksa bila baris ini sebenarnya data.")  # fmt: skip
        head = sub_grid(grid, 0, start)
        decimals = _decimal_modes(head, layout) if text_source else {}
        _ingest_table(ctx, head, layout, rel, file_opd, counts, decimals)
        grid, layout = sub_grid(grid, start), below
    decimals = _decimal_modes(grid, layout) if text_source else {}
    _ingest_table(ctx, grid, layout, rel, file_opd, counts, decimals, roles)


def _ingest_table(ctx: IngestContext, grid: Grid, layout: Layout, rel: str, file_opd: str | None, counts: dict,
                  decimals: dict[int, str], roles: list[tuple] | None = None) -> None:  # fmt: skip
    """Values, issues and row accounting of one table; cells are parsed for the whole sheet at once."""
    if roles is None:
        roles = row_roles(grid, layout, ctx.totals)
    rows = grid.rows
    sheet, first_row, first_col = grid.name, grid.first_row, grid.first_col
    letters = {
        c: column_letter(first_col + c) for c in range(max(layout.value_cols + [layout.label_col]) + 1)
    }
    pairs = [(layout.value_col, None)] if layout.is_long else layout.year_cols
    cols = [c for c, _ in pairs]
    k = len(cols)
    data = [t for t in roles if t[1] == ROLE_DATA]
    nd = len(data)
    # the value cells of every data row, row after row
    width = max(cols) + 1
    if k == 1:
        c0 = cols[0]
        flat = [r[c0] if c0 < len(r) else None for r in (rows[t[0]] for t in data)]
    else:
        get = itemgetter(*cols)
        flat = []
        for t in data:
            r = rows[t[0]]
            flat.extend(get(r) if len(r) >= width else [r[c] if c < len(r) else None for c in cols])
    codes, values, parsed, is_text = parse_cells(flat, [decimals.get(c, "id") for c in cols] if decimals else None)
    if layout.is_long:
        tc = layout.tahun_col
        row_years = [_row_year(rows[t[0]][tc]) if tc < len(rows[t[0]]) else None for t in data]
        for j, y in enumerate(row_years):
            if y is None and codes[j] and codes[j] != 5:
                codes[j] = 7
        years = np.asarray([0 if y is None else y for y in row_years], dtype=np.int64)
    else:
        row_years = None
        years = np.tile(np.asarray([y for _, y in pairs], dtype=np.int64), nd)
    grid_codes = np.asarray(codes, dtype=np.int8).reshape(nd, k)
    valid = ((grid_codes >= 1) & (grid_codes <= 4)) | (grid_codes == 6)
    # per data row: values produced, of which nihil; whether a cell needs an issue
    per_row = (valid.sum(axis=1), (grid_codes == 2).sum(axis=1), (grid_codes >= 5).any(axis=1))

    if not layout.is_long:  # a long table's rows are years: its Jumlah rows are not checked here
        _check_subtotals(ctx, rows, roles, data, cols, letters, values.reshape(nd, k), decimals, rel, sheet,
                         first_row, file_opd)  # fmt: skip
    R = ctx.rows
    r_opd, r_match, r_label, r_unit = R["kode_opd"], R["match"], R["nama_elemen_asli"], R["satuan_asli"]
    r_file, r_sheet, r_row = R["sumber_file"], R["sumber_sheet"], R["sumber_baris"]
    base = len(r_row)
    if row_years is None and layout.opd_col is None:  # the common shape: one OPD, a column per year
        cells = (codes, parsed, flat, cols, letters)
        n_data = _plain_rows(ctx, roles, data, per_row, cells, layout, rel, sheet, file_opd, grid, counts)
        r_file.extend([rel] * n_data)
        r_sheet.extend([sheet] * n_data)
        add_values(ctx, flat, (values, is_text), grid_codes, valid, per_row[0], years, cols, letters, base)
        return
    produced_all, nihil_all, special_all = (a.tolist() for a in per_row)
    match_row = ctx.index.match
    opd_col = layout.opd_col
    n_years = len(pairs)
    struct: dict[str, int] = {}
    n_data = n_rejected = n_blank = 0
    unknown_opds: dict[str, int] = {}
    # long format: one row per year, so "every year is '-'" is judged per element, after the loop
    long_nihil: dict[tuple[str | None, str], list[int | bool]] = {}
    j = -1
    for t in roles:
        role = t[1]
        if role != ROLE_DATA:
            if role == ROLE_NO_LABEL:
                n_rejected += 1
                excel_row = first_row + t[0] + 1
                ctx.issue(rel, sheet, excel_row, None, file_opd, GALAT, "label_kosong",
                          f"Berkas {rel}, lembar kerja '{sheet}', baris {excel_row}: ada nilai tetapi nama "
                          "elemen (kolom uraian) kosong. Isi nama elemennya.")  # fmt: skip
            elif role == ROLE_BLANK:
                n_blank += 1
            else:
                struct[role] = struct.get(role, 0) + 1
            continue
        j += 1
        i, _, label, code, unit, opd_text, section = t
        excel_row = first_row + i + 1
        opd = file_opd
        if opd_col is not None and opd_text:
            opd = ctx.resolve_opd(opd_text)
            if opd is None:
                unknown_opds.setdefault(opd_text, excel_row)
        if special_all[j]:
            produced, nihil, invalid = cell_issues(
                ctx, rows[i], codes, parsed, flat, j * k, cols, letters, layout, rel, sheet, excel_row, opd, label,
                first_col,
            )  # fmt: skip
        else:
            produced, nihil, invalid = produced_all[j], nihil_all[j], 0
        if not produced:
            n_rejected += 1
            continue
        match = match_row(opd, label, code, section)
        r_opd.append(opd)
        r_match.append(match)
        r_label.append(label)
        r_unit.append(unit or None)
        r_row.append(excel_row)
        n_data += 1
        if row_years is not None:
            first, all_nihil = long_nihil.setdefault((opd, label), [excel_row, True])
            long_nihil[(opd, label)][1] = all_nihil and nihil == produced and invalid == 0
            row_issues(ctx, label, match, rel, sheet, excel_row, opd, 0, produced, invalid, n_years)
        elif (
            not match.dihitung
            or match.metode == METHOD_FUZZY
            or (nihil == produced == n_years and not invalid)
        ):
            row_issues(ctx, label, match, rel, sheet, excel_row, opd, nihil, produced, invalid, n_years)
    r_file.extend([rel] * n_data)
    r_sheet.extend([sheet] * n_data)
    counts["kosong"] += n_blank
    counts["dibaca"] += len(roles) - n_blank
    counts["data"] += n_data
    counts["ditolak"] += n_rejected
    for role, n in struct.items():
        counts["struktur"][role] = counts["struktur"].get(role, 0) + n
    add_values(ctx, flat, (values, is_text), grid_codes, valid, per_row[0], years, cols, letters, base)
    for (opd, label), (excel_row, all_nihil) in long_nihil.items():
        if all_nihil:
            ctx.issue(rel, sheet, excel_row, None, opd, PERINGATAN, "semua_nihil",
                      f"Berkas {rel}, lembar kerja '{sheet}', baris {excel_row} dst.: semua tahun untuk '{label}' diisi "
                      "'-' (nihil). Mohon konfirmasi bahwa nilainya memang nol; bila datanya belum ada, "
                      "tulis '...'.")  # fmt: skip
    for text, excel_row in unknown_opds.items():
        imitation = imitated_producer(ctx.register, [text])
        if imitation is not None:  # Dinkеs with a Cyrillic е: the producer it imitates
            ctx.issue(rel, sheet, excel_row, None, None, GALAT, "opd_tidak_dikenal",
                      f"Berkas {rel}, lembar kerja '{sheet}', baris {excel_row}: "
                      f"{imitation_message(ctx.register, *imitation)}")  # fmt: skip
            continue
        closest = "; ".join(f"{c} ({n})" for c, n, _ in ctx.register.closest(text)) or "tidak ada"
        ctx.issue(rel, sheet, excel_row, None, None, GALAT, "opd_tidak_dikenal",
                  f"Berkas {rel}, lembar kerja '{sheet}', baris {excel_row}: OPD '{text}' tidak dikenali. Yang paling "
                  f"mirip: {closest}. Perbaiki nama OPD di kolom itu.")  # fmt: skip


def _plain_rows(ctx: IngestContext, roles: list[tuple], data: list[tuple], per_row: tuple[np.ndarray, ...],
                cells: tuple, layout: Layout, rel: str, sheet: str, opd: str | None, grid: Grid,
                counts: dict) -> int:  # fmt: skip
    """Rows of a wide table without an OPD column: rows in bulk, a Python step only for rows with issues.

    Same values, issues (in the same order) and counts as the general loop of :func:`_ingest_table`.
    ``per_row``: values produced, nihil values and whether a cell needs an issue, per data row. Returns
    the number of data rows kept.
    """
    codes, parsed, flat, cols, letters = cells
    first_row, k = grid.first_row, len(cols)
    produced_np, nihil_np, special_np = per_row
    kept_np = np.flatnonzero(produced_np)
    kept = kept_np.tolist()
    matches = ctx.index.match_many(opd, [(t[2], t[3], t[6]) for t in (data[j] for j in kept)])
    # rows that need a Python step, by grid index: no label, cell issues, row issues (not counted, fuzzy,
    # every year nihil)
    events: dict[int, tuple] = {t[0]: (None, None) for t in roles if t[1] == ROLE_NO_LABEL}
    counted = np.frombuffer(bytes([m[5] for m in matches]), dtype=bool)
    fuzzy = np.frombuffer(bytes([m[3] == METHOD_FUZZY for m in matches]), dtype=bool)
    produced_kept, nihil_kept = produced_np[kept_np], nihil_np[kept_np]
    flagged = special_np[kept_np] | ~counted | fuzzy | ((nihil_kept == produced_kept) & (produced_kept == k))
    for pos in np.flatnonzero(flagged).tolist():
        j = kept[pos]
        events[data[j][0]] = (j, pos)
    for j in np.flatnonzero((produced_np == 0) & special_np).tolist():
        events[data[j][0]] = (j, None)
    for i in sorted(events):
        j, pos = events[i]
        excel_row = first_row + i + 1
        if j is None:
            ctx.issue(rel, sheet, excel_row, None, opd, GALAT, "label_kosong",
                      f"Berkas {rel}, lembar kerja '{sheet}', baris {excel_row}: ada nilai tetapi nama "
                      "elemen (kolom uraian) kosong. Isi nama elemennya.")  # fmt: skip
            continue
        label = data[j][2]
        produced, nihil, invalid = int(produced_np[j]), int(nihil_np[j]), 0
        if special_np[j]:
            produced, nihil, invalid = cell_issues(
                ctx, grid.rows[i], codes, parsed, flat, j * k, cols, letters, layout, rel, sheet, excel_row, opd,
                label, grid.first_col,
            )  # fmt: skip
        if pos is not None:
            row_issues(ctx, label, matches[pos], rel, sheet, excel_row, opd, nihil, produced, invalid, k)
    R = ctx.rows
    kept_rows = [data[j] for j in kept]
    R["kode_opd"].extend([opd] * len(kept))
    R["match"].extend(matches)
    R["nama_elemen_asli"].extend([t[2] for t in kept_rows])
    R["satuan_asli"].extend([t[4] or None for t in kept_rows])
    R["sumber_baris"].extend([first_row + t[0] + 1 for t in kept_rows])
    tally = Counter(t[1] for t in roles)
    n_blank, n_no_label, n_rows = (
        tally.pop(ROLE_BLANK, 0),
        tally.pop(ROLE_NO_LABEL, 0),
        tally.pop(ROLE_DATA, 0),
    )
    counts["kosong"] += n_blank
    counts["dibaca"] += len(roles) - n_blank
    counts["data"] += len(kept)
    counts["ditolak"] += n_no_label + n_rows - len(kept)
    for role, n in tally.items():
        counts["struktur"][role] = counts["struktur"].get(role, 0) + n
    return len(kept)


def _decimal_modes(grid: Grid, layout: Layout) -> dict[int, str]:
    start = layout.header_end + 1
    modes = {}
    for col in layout.value_cols:
        texts = [
            r[col] for r in grid.rows[start:] if col < len(r) and isinstance(r[col], str) and r[col].strip()
        ]
        if column_uses_dot_decimal(texts):
            modes[col] = "dot"
    return modes


_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def _row_year(cell: object) -> int | None:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    found = _YEAR.findall(str(cell))
    return int(found[0]) if len(set(found)) == 1 else None


def _check_subtotals(ctx: IngestContext, rows: list, roles: list[tuple], data: list[tuple], cols: list[int],
                     letters: dict[int, str], values: np.ndarray, decimals: dict[int, str], rel: str, sheet: str,
                     first_row: int, opd: str | None) -> None:  # fmt: skip
    """The table's ``Jumlah`` rows against the data rows they total (:mod:`satudata.reading.table_totals`)."""
    subtotals = [t[0] for t in roles if t[1] == ROLE_SUBTOTAL]
    if not subtotals or len(data) < 2:
        return
    written = {}
    for i in subtotals:
        row = rows[i]
        cells = [row[c] if c < len(row) else None for c in cols]
        _, totals, _, _ = parse_cells(cells, [decimals.get(c, "id") for c in cols] if decimals else None)
        written[i] = totals
    percent = ctx.settings.quality.total_tolerance
    for i, j, total, parts_sum, n in check_subtotal_rows(values, written, [t[0] for t in data], percent):
        ctx.total_checks[0] += 1
        if abs(total - parts_sum) <= tolerance(total, percent):
            continue
        ctx.total_checks[1] += 1
        excel_row, letter = first_row + i + 1, letters.get(cols[j])
        ctx.issue(rel, sheet, excel_row, letter, opd, PERINGATAN, TOTAL_CODE,
                  total_message(rel, sheet, excel_row, letter, total, parts_sum, n, "baris"))  # fmt: skip
