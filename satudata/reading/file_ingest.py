"""One file of a round: opened, its sender found, each sheet routed to the reader of its shape.

:func:`ingest_one` reads a file into a grid per sheet (:mod:`satudata.formats.readers`), finds the sending OPD
(a cell ``OPD: ...`` above a table, the file name, the folder, a title cell), then per sheet:

* a cover, instruction or reference sheet is skipped with a note (:func:`skip_sheet`);
* a sheet in the submission template's shape goes to the template reader
  (:mod:`satudata.reading.template`): at once when :func:`~satudata.reading.template.is_plain_template`
  recognises it from its header, else when the real-table reader finds one table of that shape
  (:func:`~satudata.reading.template.is_template_shape`);
* any other sheet is read by :func:`satudata.reading.table.read_sheet` and added by :mod:`satudata.reading.sheet_values`;
* a sheet where neither finds a table is skipped or rejected (:func:`skip_sheet`).

It fills the file's manifest entry (row and cell accounting, tables found) and never raises: a file that
cannot be read or processed becomes an issue.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from satudata.common import fmt
from satudata.formats.read_errors import TOO_BIG, out_of_memory
from satudata.formats.read_limits import current as current_limits
from satudata.formats.readers import SUPPORTED_SUFFIXES, Grid, ReadError, Source, is_blank, read_source
from satudata.reading import return_form
from satudata.reading.dssd import dssd_owner, is_dssd
from satudata.reading.file_producers import (
    fuzzy_message,
    fuzzy_producer,
    imitated_producer,
    imitation_message,
)
from satudata.reading.ingest_context import GALAT, INFO, PERINGATAN, IngestContext
from satudata.reading.numbers import STATUS_ADA, parse_cell
from satudata.reading.sheet_values import add_sheet
from satudata.reading.table import SheetReading, read_sheet
from satudata.reading.template import is_plain_template, is_template_shape, read_template_sheet
from satudata.reading.template_layout import (
    ROLE_DATA,
    cell_text,
    copied_from,
    detect_layout,
    is_auxiliary_sheet,
    is_instruction_sheet,
)

ROLE_SKIPPED_SHEET = "sheet_dilewati"


_OPD_CELL = re.compile(
    r"^\s*(opd|nama opd|perangkat daerah|nama perangkat daerah|skpd|instansi|produsen data|unit kerja)"
    r"\s*[:：]\s*(.*)$",
    re.IGNORECASE,
)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _empty_entry(path: Path, rel: str) -> dict:
    try:  # a symlink is neither followed nor hashed; an unreadable file is reported by read_source
        size, sha = path.lstat().st_size, None if path.is_symlink() else _sha256(path)
    except OSError:
        size, sha = None, None
    return {
        "berkas": rel, "ukuran": size, "sha256": sha, "kode_opd": None,
        "jenis": None, "encoding": None, "pemisah": None, "sheet": [], "status": "dibaca", "jumlah_nilai": 0,
        "baris": {"dibaca": 0, "data": 0, "struktur": {}, "ditolak": 0, "kosong": 0},
        "sel": {"angka": 0, "nilai": 0, "struktur": 0, "masalah": 0}, "tabel": [],
        "cek_jumlah": {"diperiksa": 0, "tidak_cocok": 0},  # totals written in the file checked (table_totals)
    }  # fmt: skip


def ingest_one(ctx: IngestContext, path: Path, rel: str, folder: str | None) -> dict:
    entry = _empty_entry(path, rel)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES and not path.is_symlink():
        entry["status"] = "dilewati"
        ctx.issue(rel, None, None, None, None, PERINGATAN, "format_tidak_didukung",
                  f"Berkas {rel}: format '{path.suffix or '(tanpa ekstensi)'}' tidak didukung dan dilewati. "
                  "Kirim data sebagai .xlsx, .xls, .ods atau .csv.")  # fmt: skip
        return entry
    try:
        source = read_source(path, ctx.settings.limits)  # [batas] of the settings, else the defaults
    except ReadError as exc:
        entry["status"] = "galat"
        ctx.issue(rel, None, None, None, None, GALAT, exc.code, exc.message)
        return entry
    except MemoryError:  # past the reading worker's memory cap (see read_limits.max_memory_bytes)
        entry["status"] = "galat"
        _memory_issue(ctx, rel)
        return entry
    except Exception as exc:  # never let one file stop the round
        entry["status"] = "galat"
        ctx.issue(rel, None, None, None, None, GALAT, "berkas_tidak_terbaca",
                  f"Berkas {rel} tidak dapat dibaca ({type(exc).__name__}: {exc}). Simpan ulang sebagai .xlsx "
                  "lalu kirim ulang.")  # fmt: skip
        return entry
    entry.update(jenis=source.kind, encoding=source.encoding, pemisah=source.delimiter,
                 sheet=[g.name for g in source.grids])  # fmt: skip
    for note in source.notes:
        ctx.issue(
            rel, None, None, None, None, INFO, "berkas_html" if source.kind == "html" else "format_lama", note
        )
    start_rows, start_chunks, start_vals = len(ctx.rows["sumber_baris"]), len(ctx.vals["row"]), ctx.n_vals
    start_checks = list(ctx.total_checks)
    try:
        _ingest_source(ctx, source, rel, folder, entry)
    except Exception as exc:  # a bug, an unforeseen shape, no memory left: report it, keep the round going
        source.grids.clear()  # free the cells first: the issue below must not fail for lack of memory
        for col in ctx.rows.values():
            del col[start_rows:]
        for col in ctx.vals.values():
            del col[start_chunks:]
        ctx.n_vals = start_vals
        entry["status"] = "galat"
        entry["baris"] = {"dibaca": 0, "data": 0, "struktur": {}, "ditolak": 0, "kosong": 0}
        entry["sel"] = {"angka": 0, "nilai": 0, "struktur": 0, "masalah": 0}
        entry["tabel"] = []
        if isinstance(exc, MemoryError):
            _memory_issue(ctx, rel)
        else:
            ctx.issue(rel, None, None, None, None, GALAT, "berkas_tidak_terbaca",
                      f"Berkas {rel} tidak dapat diolah ({type(exc).__name__}: {exc}). Periksa bentuk tabelnya "
                      "atau gunakan templat pengisian.")  # fmt: skip
    entry["jumlah_nilai"] = ctx.n_vals - start_vals
    entry["cek_jumlah"] = {"diperiksa": ctx.total_checks[0] - start_checks[0],
                           "tidak_cocok": ctx.total_checks[1] - start_checks[1]}  # fmt: skip
    for p in source.problems:  # error values of formulas, rows after a long blank run (see readers)
        ctx.issue(rel, p.sheet, p.row, p.col, entry["kode_opd"], p.level, p.code, p.message)
    if entry["status"] == "dibaca" and entry["sel"]["angka"] and not entry["jumlah_nilai"]:
        ctx.issue(rel, None, None, None, entry["kode_opd"], GALAT, "tanpa_nilai",
                  f"Berkas {rel} berisi {entry['sel']['angka']} sel angka tetapi tidak satu pun terbaca sebagai "
                  "nilai (lihat masalah lain berkas ini). Periksa bentuk tabelnya atau gunakan templat pengisian.")  # fmt: skip
    if entry["status"] == "dibaca" and entry["baris"]["dibaca"] == 0:
        ctx.issue(rel, None, None, None, None, GALAT, "berkas_kosong",
                  f"Berkas {rel} tidak berisi data (semua lembar kerja kosong). Kirim ulang berkas yang berisi data.")  # fmt: skip
    return entry


def _memory_issue(ctx: IngestContext, rel: str) -> None:
    limit = current_limits(ctx.settings.limits).max_memory_bytes
    ctx.issue(rel, None, None, None, None, GALAT, TOO_BIG, out_of_memory(rel, limit))


def _opd_from_cells(ctx: IngestContext, rows: list[list]) -> tuple[str | None, str | None]:
    """(kode_opd, text written) from a cell such as ``OPD: Dinas Kesehatan`` in the given rows."""
    for row in rows:
        for j, cell in enumerate(row):
            if not isinstance(cell, str) or not cell.strip():
                continue
            m = _OPD_CELL.match(cell)
            if not m:
                continue
            text = m.group(2).strip()
            if not text:  # the name is in the next non-empty cell
                text = next((cell_text(c) for c in row[j + 1 :] if not is_blank(c)), "")
            if text:
                return ctx.resolve_opd(text), text
    return None, None


def _ingest_source(ctx: IngestContext, source: Source, rel: str, folder: str | None, entry: dict) -> None:
    text_source = source.kind in {"csv", "html"}
    stem = Path(rel).stem
    sheets = []
    walidata_sheets = return_form.info_sheets(g.name for g in source.grids)  # a feedback workbook sent back
    missing_input = return_form.missing_input_message(rel, (g.name for g in source.grids))
    if missing_input:
        ctx.issue(rel, None, None, None, None, PERINGATAN, "isian_tidak_ada", missing_input)
    for grid in source.grids:
        skip = (is_instruction_sheet(grid.name) or grid.name in walidata_sheets) and len(source.grids) > 1
        layout = None if skip else detect_layout(grid)
        quick = layout is not None and is_plain_template(grid, layout)
        reading = None if skip or quick else read_sheet(grid, stem, text_source, ctx.totals)
        top = layout.header_start if layout else _first_table_row(reading, grid)
        sheets.append((grid, skip, layout, reading, _opd_from_cells(ctx, grid.rows[:top])))
    file_opd, written = next(((o, t) for *_, (o, t) in sheets if o), (None, None))
    if file_opd is None:
        file_opd = ctx.resolve_opd(stem) or (ctx.resolve_opd(folder) if folder else None)
    if file_opd is None and is_dssd(g for g, *_ in sheets):  # a SIPD DSSD export: its elements' producer
        file_opd = dssd_owner(ctx, rel, [g for g, *_ in sheets])
    if file_opd is None:
        for grid, _, layout, reading, _ in sheets:
            top = layout.header_start if layout else _first_table_row(reading, grid, 0)
            for row in grid.rows[:top]:
                texts = (c for c in row if isinstance(c, str) and c.strip())
                file_opd = file_opd or next((o for o in map(ctx.resolve_opd, texts) if o), None)
    has_opd_column = any(layout is not None and layout.opd_col is not None for _, _, layout, _, _ in sheets)
    has_table = any(layout is not None or (reading is not None and _has_values(reading))
                    for _, _, layout, reading, _ in sheets)  # fmt: skip
    written = next((t for *_, (_, t) in sheets if t), None)
    fuzzy = imitation = None
    if file_opd is None and has_table and not has_opd_column:
        imitation = imitated_producer(ctx.register, [written, stem, folder])
    if imitation is None and file_opd is None and has_table and not has_opd_column:
        fuzzy = fuzzy_producer(ctx.register, [written, stem, folder], ctx.settings.matching.opd_threshold)
    if imitation is not None:  # Dinkеs with a Cyrillic е: not taken for Dinkes, and said so
        ctx.issue(rel, None, None, None, None, GALAT, "opd_tidak_dikenal",
                  f"Berkas {rel}: {imitation_message(ctx.register, *imitation)}")
    elif fuzzy is not None:
        file_opd = fuzzy[0].kode_opd
        ctx.issue(rel, None, None, None, file_opd, PERINGATAN, "opd_mirip",
                  fuzzy_message(rel, fuzzy[1], fuzzy[0], ctx.settings.matching.opd_threshold))
    elif file_opd is None and has_table and not has_opd_column:
        text = written or stem
        closest = ctx.register.closest(text)
        names = "; ".join(f"{c} ({n}, skor {fmt.skor(s)})" for c, n, s in closest) or "tidak ada"
        ctx.issue(rel, None, None, None, None, GALAT, "opd_tidak_dikenal",
                  f"Berkas {rel}: OPD pengirim tidak dikenali dari isi, nama berkas maupun folder ('{text}'). "
                  f"Yang paling mirip: {names}. Tulis 'OPD: <nama OPD>' di atas tabel atau beri nama berkas "
                  "dengan singkatan OPD; nilai disimpan tetapi belum dihitung kecuali elemennya jelas milik satu OPD "
                  "(lihat masalah opd_dari_elemen).")  # fmt: skip
    entry["kode_opd"] = file_opd
    counts = entry["baris"]
    cells = entry["sel"]
    for grid, skip, layout, reading, (sheet_opd, _) in sheets:
        opd = sheet_opd or file_opd
        if skip:
            skip_sheet(ctx, grid, rel, opd, entry, True)
            if grid.name == return_form.ACCEPTED_SHEET and grid.name in walidata_sheets:
                _edited_accepted(ctx, grid, rel, opd)
            continue
        if layout is not None and (reading is None or is_template_shape(reading, layout)):
            read_template_sheet(ctx, grid, layout, reading, rel, opd, counts, cells, text_source)
            if reading is None:
                continue
        elif _has_values(reading):
            add_sheet(ctx, reading, rel, opd, counts, cells)
            _flag_copy(ctx, grid.name, [g.name for g, *_ in sheets], rel, opd)
        else:
            skip_sheet(ctx, grid, rel, opd, entry, is_auxiliary_sheet(grid.name))
            cells["angka"] += reading.numeric
            cells["masalah" if reading.numeric and not is_auxiliary_sheet(grid.name) else "struktur"] += reading.numeric
            continue
        entry["tabel"].extend(_table_summaries(reading))


def _edited_accepted(ctx: IngestContext, grid: Grid, rel: str, opd: str | None) -> None:
    """A value changed (or a row added) in the walidata's ``Nilai Diterima`` of a return form: not read, named."""
    for row, letter, what in return_form.edited_cells(grid.rows, grid.first_row, grid.first_col):
        cell = f"sel {letter}{row}" if letter else f"baris {row}"
        ctx.issue(rel, grid.name, row, letter, opd, PERINGATAN, "nilai_diterima_diubah",
                  f"Berkas {rel}, lembar kerja '{grid.name}', {cell}: {what}. Lembar kerja ini catatan walidata "
                  f"tentang nilai yang sudah diterima, jadi perubahannya tidak dibaca. Kirim koreksinya di lembar "
                  f"kerja '{return_form.INPUT_SHEET}' (bila tahunnya ada di sana) atau dalam templat pengisian, "
                  "lalu kirim ulang.")  # fmt: skip


def _flag_copy(ctx: IngestContext, name: str, names: list[str], rel: str, opd: str | None) -> None:
    """A visible sheet that looks like a copy or draft of another is read like any sheet, and flagged for review."""
    base = copied_from(name, names)
    if base is None:
        return
    of = f"salinan dari '{base}'" if base != "(draf)" else "draf"
    ctx.issue(rel, name, None, None, opd, INFO, "sheet_salinan",
              f"Berkas {rel}, lembar kerja '{name}': tampak sebagai {of}. Nilainya dibaca seperti lembar kerja lain; "
              "periksa mana yang final dan hapus atau sembunyikan salinan yang tidak dipakai agar nilai tidak "
              "ganda.")  # fmt: skip


def _first_table_row(reading: SheetReading | None, grid: Grid, default: int | None = None) -> int:
    """The first header (or data) row of the first table the reader found, else ``default`` (15 rows)."""
    if reading is not None and reading.tables:
        b = reading.tables[0].block
        return min(b.header + b.data)
    return min(len(grid.rows), 15) if default is None else default


def _has_values(reading: SheetReading | None) -> bool:
    """True when the reader found a table: values (or value cells with issues) under a header, or
    values whose year is known (a table without any header and without any year is not recognised)."""
    if reading is None:
        return False
    tables = [t for t in reading.tables if t.values or t.issues]
    return any(t.block.header or any(v.tahun is not None for v in t.values) for t in tables)


# why a column of a table holds no values (``satudata check`` says it)
LEFT_OUT = {"nomor": "nomor baris", "kode": "kode/identitas, bukan ukuran", "tahun": "kolom Tahun (tahun tiap baris)",
            "bulan": "kolom periode (bulan/triwulan tiap baris)", "satuan": "satuan", "keterangan": "keterangan/sumber",
            "opd": "nama OPD", "label": "label baris"}  # fmt: skip


def _table_summaries(reading: SheetReading) -> list[dict]:
    """For the manifest and ``satudata check``: each table's range, shape, where its years come from, and its
    model: title and header rows, the header path of every value column with its year and where the year came
    from, and the columns left out with the reason."""
    sheet = reading.sheet
    out = []
    for t in reading.tables:
        b = t.block
        columns, left_out = [], []
        for j, col in sorted((t.columns.columns if t.columns else {}).items()):
            if col.role != "nilai":
                left_out.append({"kolom": sheet.letter(j), "judul": col.header, "alasan": LEFT_OUT.get(col.role, col.role)})
                continue
            years = {(v.tahun, v.tahun_dari) for v in t.values if v.col == j}
            year, source = next(iter(years)) if len(years) == 1 else (None, "baris" if years else "")
            columns.append({"kolom": sheet.letter(j), "jalur": col.header, "tahun": year,
                            "tahun_dari": source if len(years) == 1 else ("beragam per baris" if years else "")})
        out.append({
            "sheet": sheet.name,
            "rentang": f"{sheet.address(b.top, b.left)}:{sheet.address(b.bottom, b.right)}",
            "bentuk": t.shape, "tahun_dari": t.year_source, "judul": t.title,
            "jumlah_nilai": len(t.values), "jumlah_masalah": len(t.issues),
            "baris_judul": [sheet.excel_row(r) for r in b.titles], "baris_header": [sheet.excel_row(r) for r in b.header],
            "kolom_nilai": columns, "kolom_lain": left_out,
        })  # fmt: skip
    return out


def _count(counts: dict, role: str, n: int = 1) -> None:
    if role == "kosong":
        counts["kosong"] += n
        return
    counts["dibaca"] += n
    if role == ROLE_DATA:
        counts["data"] += n
    elif role == "ditolak":
        counts["ditolak"] += n
    else:
        counts["struktur"][role] = counts["struktur"].get(role, 0) + n


def skip_sheet(ctx: IngestContext, grid: Grid, rel: str, opd: str | None, entry: dict, named: bool) -> None:
    """Account for a sheet that holds no data table.

    A recognised cover, instruction or reference sheet is nothing the sender did wrong: it gets a
    note in the manifest (``catatan``) and its rows count as structure, but no issue. Any other
    sheet without numbers gets an ``info`` issue; one with numbers but no header is rejected.
    """
    counts = entry["baris"]
    nonblank = [r for r in grid.rows if any(not is_blank(c) for c in r)]
    counts["kosong"] += len(grid.rows) - len(nonblank)
    if not nonblank:
        return
    numbers = [r for r in nonblank if any(parse_cell(c).status == STATUS_ADA for c in r)]
    if named or not numbers:
        _count(counts, ROLE_SKIPPED_SHEET, len(nonblank))
        why = "sampul/petunjuk/referensi" if named else "tanpa tabel data (tidak ada angka)"
        text = (f"Berkas {rel}, lembar kerja '{grid.name}': dilewati sebagai lembar kerja {why}; {len(nonblank)} baris "
                "tidak dibaca sebagai data.")  # fmt: skip
        entry.setdefault("catatan", []).append(text)
        if not named:
            ctx.issue(rel, grid.name, None, None, opd, INFO, "sheet_dilewati", text)
        return
    _count(counts, "ditolak", len(nonblank))
    ctx.issue(rel, grid.name, None, None, opd, GALAT, "tabel_tidak_dikenali",
              f"Berkas {rel}, lembar kerja '{grid.name}': berisi angka tetapi baris judul kolom tidak ditemukan pada 20 "
              f"baris pertama ({len(nonblank)} baris ditolak). Pastikan ada kolom 'Uraian' (nama elemen) dan kolom "
              "tahun (mis. '2023') atau kolom 'Tahun' dan 'Nilai', atau gunakan templat pengisian.")  # fmt: skip
