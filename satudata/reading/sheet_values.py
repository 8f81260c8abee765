"""Ingestion of a sheet read by :mod:`satudata.reading.table`: values into the round's rows, issues, accounting.

Each value cell becomes one row of ``nilai`` with its element label (matched to the catalogue as the
template rows are), year, ``periode``, ``rincian``/``jenis_rincian``, ``total``, ``label_baris``,
``label_kolom`` and ``judul_tabel``. A value without a year is kept with an empty ``tahun`` and never
counted (``dihitung`` False). Issues name the file, sheet, row and column and say what to fix.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from satudata.common import fmt
from satudata.reading.matching import METHOD_FUZZY, METHOD_NONE
from satudata.reading.numbers import STATUS_ADA, STATUS_NIHIL, STATUS_RAHASIA, STATUS_TIDAK_TERSEDIA
from satudata.reading.table import SheetReading
from satudata.reading.table.sheet import NUMBER

GALAT, PERINGATAN, INFO = "galat", "peringatan", "info"
_STATUS_CODE = {STATUS_ADA: 1, STATUS_NIHIL: 2, STATUS_TIDAK_TERSEDIA: 3, STATUS_RAHASIA: 4}
_YEAR_SOURCE = {"kolom": "judul kolom", "baris": "kolom Tahun / label baris", "judul": "judul tabel",
                "judul_sheet": "judul sheet", "nama_berkas": "nama berkas", "nama_sheet": "nama sheet",
                "": "tidak ada"}  # fmt: skip


def year_source_text(codes: str) -> str:
    """``kolom, judul_sheet`` (a table's ``year_source``) as a reader says it: ``judul kolom, judul sheet``."""
    return ", ".join(_YEAR_SOURCE.get(c.strip(), c.strip()) for c in codes.split(",")) if codes else "tidak ada"


def _years(table: Any) -> str:
    years = sorted({v.tahun for v in table.values if v.tahun is not None})
    return ", ".join(map(str, years)) or "tidak ada"


def where_text(rel: str, sheet: str, row: int, col: str | None = None) -> str:
    """``Berkas X, lembar kerja 'S', baris N[, kolom C]``: where an issue is, as every message says it."""
    return f"Berkas {rel}, lembar kerja '{sheet}', baris {row}" + (f", kolom {col}" if col else "")


def add_sheet(ctx: Any, reading: SheetReading, rel: str, opd: str | None, counts: dict, cells: dict) -> None:
    """Values, issues, row and cell accounting of one sheet read by :func:`satudata.reading.table.read_sheet`."""
    sheet = reading.sheet
    name = sheet.name
    R, V = ctx.rows, ctx.vals
    texts, numbers_, is_text, years, vals, status, rows, letters = [], [], [], [], [], [], [], []
    ids = ctx.letter_ids
    numeric_values = 0
    for k, table in enumerate(reading.tables):
        b = table.block
        if k and table.values:
            top = sheet.excel_row(min(b.header + b.data))
            ctx.issue(rel, name, top, None, opd, INFO, "tabel_berikutnya",
                      f"{where_text(rel, name, top)}: tabel berikutnya dimulai di sini dengan judul kolomnya sendiri "
                      f"({table.shape}; tahun: {_years(table)}, dari {year_source_text(table.year_source)}); nilainya dibaca dengan "
                      "judul kolom dan tahun tabel ini sendiri. Periksa bila baris ini sebenarnya data.")  # fmt: skip
        reported: set[str] = set()
        for v in table.values:
            excel_row = sheet.excel_row(v.row)
            letter = sheet.letter(v.col)
            match = ctx.index.match(opd, v.elemen, v.kode, v.bagian)
            if v.tahun is None and match.dihitung:
                match = match._replace(dihitung=False)
            if v.elemen not in reported:
                reported.add(v.elemen)
                element_issue(ctx, match, v.elemen, rel, name, excel_row, opd)
            index = len(R["sumber_baris"])
            R["kode_opd"].append(opd)
            R["match"].append(match)
            R["nama_elemen_asli"].append(v.elemen)
            R["satuan_asli"].append(v.satuan)
            R["sumber_file"].append(rel)
            R["sumber_sheet"].append(name)
            R["sumber_baris"].append(excel_row)
            ctx.details[index] = (v.rincian, v.jenis_rincian, v.periode, v.total, v.label_baris, v.label_kolom,
                                  table.title or None)  # fmt: skip
            raw = sheet.raw[v.row][v.col]
            text = isinstance(raw, str)
            is_text.append(text)
            if text:
                texts.append(raw.strip())
            else:
                numbers_.append(float(raw))
            years.append(v.tahun or 0)
            vals.append(np.nan if v.parsed.nilai is None else float(v.parsed.nilai))
            status.append(_STATUS_CODE[v.parsed.status])
            rows.append(index)
            letters.append(ids.setdefault(letter, len(ids)))
            numeric_values += sheet.kind[v.row][v.col] == NUMBER
            if v.parsed.catatan and v.parsed.catatan != "angka_sementara":
                ctx.issue(rel, name, excel_row, letter, opd, INFO, "angka_ambigu",
                          f"{where_text(rel, name, excel_row, letter)}: '{sheet.own[v.row][v.col]}' dibaca sebagai "
                          f"{v.parsed.nilai!r}. Periksa; tulis angka dengan format Indonesia (titik ribuan, koma "
                          "desimal).")  # fmt: skip
        for issue in table.issues:
            _cell_issue(ctx, sheet, issue, rel, name, opd, table)
    n = len(rows)
    if n:
        V["row"].append(np.asarray(rows, dtype=np.int64))
        V["tahun"].append(np.asarray(years, dtype=np.int64))
        V["nilai"].append(np.asarray(vals, dtype=np.float64))
        V["status"].append(np.asarray(status, dtype=np.int8))
        V["is_text"].append(np.asarray(is_text, dtype=bool))
        V["texts"].append(texts)
        V["numbers"].append(np.asarray(numbers_, dtype=np.float64))
        V["sumber_kolom"].append(np.asarray(letters, dtype=np.int64))
        ctx.n_vals += n
    for role in reading.row_roles.values():
        if role == "data":
            counts["data"] += 1
        elif role == "ditolak":
            counts["ditolak"] += 1
        else:
            counts["struktur"][role] = counts["struktur"].get(role, 0) + 1
        counts["dibaca"] += 1
    counts["kosong"] += sum(1 for i in range(sheet.height) if sheet.is_blank_row(i))
    flagged = sum(i.numeric for t in reading.tables for i in t.issues)
    structural = sum(t.structural for t in reading.tables) + reading.structural_outside
    cells["angka"] += reading.numeric
    cells["nilai"] += numeric_values
    cells["masalah"] += flagged
    cells["struktur"] += structural


def element_issue(ctx: Any, match: Any, label: str, rel: str, sheet: str, excel_row: int, opd: str | None) -> None:
    """The issue a row's element match calls for: fuzzy (for review), unknown, or another OPD's element."""
    where = where_text(rel, sheet, excel_row)
    if match.metode == METHOD_FUZZY:
        ctx.issue(rel, sheet, excel_row, None, opd, INFO, "cocok_fuzzy",
                  f"{where}: '{label}' dicocokkan dengan elemen '{match.nama_elemen}' ({match.kode_elemen}), "
                  f"skor {fmt.skor(match.skor)}. Periksa; perbaiki penulisan nama elemen bila keliru.")  # fmt: skip
    elif match.metode == METHOD_NONE and opd is not None:
        cands = "; ".join(f"{n} ({k}, skor {fmt.skor(s)})" for k, n, s in match.kandidat) or "tidak ada"
        ctx.issue(rel, sheet, excel_row, None, opd, PERINGATAN, "elemen_tidak_dikenal",
                  f"{where}: elemen '{label}' tidak ada dalam daftar kewajiban OPD ini. Calon terdekat: {cands}. "
                  "Nilai disimpan sebagai data tambahan; perbaiki nama elemen bila yang dimaksud salah satu "
                  "calon.")  # fmt: skip
    elif match.kode_elemen is not None and opd is not None and not match.dihitung and match.kode_opd_pemilik != opd:
        ctx.issue(rel, sheet, excel_row, None, opd, INFO, "elemen_opd_lain",
                  f"{where}: elemen '{label}' adalah kewajiban OPD {match.kode_opd_pemilik}, bukan OPD pengirim. "
                  "Nilai disimpan sebagai data tambahan dan tidak dihitung untuk OPD ini.")  # fmt: skip


def _cell_issue(ctx: Any, sheet: Any, issue: Any, rel: str, name: str, opd: str | None, table: Any) -> None:
    excel_row = sheet.excel_row(issue.row)
    letter = sheet.letter(issue.col) if issue.col is not None else None
    where = where_text(rel, name, excel_row, letter)
    if issue.code == "nilai_tidak_valid":
        ctx.issue(rel, name, excel_row, letter, opd, GALAT, "nilai_tidak_valid",
                  f"{where}: '{issue.detail}' bukan angka yang sah. Tulis angka (mis. 1.234 atau 12,5) atau tanda "
                  "BPS: '-' (nihil), '...' (tidak tersedia), 'x' (rahasia).")  # fmt: skip
    elif issue.code == "label_kosong":
        ctx.issue(rel, name, excel_row, letter, opd, GALAT, "label_kosong",
                  f"{where}: ada nilai '{issue.detail}' tetapi baris ini tidak berlabel (nama elemen, wilayah atau "
                  "bulan kosong, atau berupa angka/tanda). Isi labelnya; nilai tidak dibaca.")  # fmt: skip
    elif issue.code == "angka_tidak_pasti":
        ctx.issue(rel, name, excel_row, letter, opd, GALAT, "angka_tidak_pasti",
                  f"{where}: '{issue.detail}' tidak pasti: sel lain di kolom ini memakai titik sebagai pemisah "
                  f"ribuan, sedangkan angka ini bisa berarti desimal atau ribuan yang kehilangan nol di belakang "
                  "(mis. 1.49 = 1.490?). Nilai tidak dibaca; tulis angka lengkapnya.")  # fmt: skip
    elif issue.code == "koma_tidak_pasti":
        ctx.issue(rel, name, excel_row, letter, opd, GALAT, "koma_tidak_pasti",
                  f"{where}: '{issue.detail}' tidak pasti: komanya bisa desimal atau pemisah ribuan, dan tidak ada sel "
                  "lain di tabel ini yang memastikannya. Nilai tidak dibaca; tulis ribuan dengan titik (14.150) "
                  "atau desimal dengan koma (14,15).")  # fmt: skip
    elif issue.code == "tahun_dari_judul":
        header, year = issue.detail.rsplit("|", 1)
        ctx.issue(rel, name, excel_row, letter, opd, PERINGATAN, "tahun_dari_judul",
                  f"{where}: judul kolom '{header}' bertentangan dengan kolom lain di kelompoknya (tahun ganda atau angka "
                  f"catatan kaki menempel); tahunnya diambil dari judul tabel: {year}. Periksa dan perbaiki judul "
                  "kolomnya.")  # fmt: skip
    elif issue.code == "tahun_tidak_pasti":
        ctx.issue(rel, name, excel_row, letter, opd, PERINGATAN, "tahun_tidak_pasti",
                  f"{where}: judul kolom '{issue.detail}' tidak memastikan tahunnya (tahun yang sama tertulis dua kali "
                  "dalam satu kelompok, atau angka catatan kaki menempel pada tahun, mis. 20201). Nilai di kolom ini "
                  "disimpan tanpa tahun dan tidak dihitung; tulis tahun yang benar di judul kolom.")  # fmt: skip
    elif issue.code == "tahun_tidak_diketahui":
        b = table.block
        first, last = sheet.address(min(b.header + b.data), b.left), sheet.address(max(b.data), b.right)
        ctx.issue(rel, name, excel_row, None, opd, PERINGATAN, "tahun_tidak_diketahui",
                  f"Berkas {rel}, lembar kerja '{name}', tabel {first}:{last}: {issue.detail} nilai tanpa tahun (tidak ada "
                  "di judul kolom, kolom Tahun, judul tabel maupun nama berkas). Nilai disimpan tetapi tidak "
                  "dihitung; tulis tahunnya di judul tabel (mis. 'Tahun 2023') atau di judul kolom.")  # fmt: skip
