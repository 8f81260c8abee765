"""Feedback workbooks: one per OPD of the register, and one combined workbook for the walidata.

Each OPD workbook has the sheets ``Ringkasan`` (percent, zone, rank), ``Kekurangan Data`` (every
missing element and year) and ``Masalah`` (every issue found in its files, with file, sheet, row
and what to fix). Sheets are zone-coloured, with a frozen header, an autofilter and a print set-up
(landscape, fit to width, header row repeated). Text that looks like a formula (``=``, ``+``,
``-``, ``@``) is stored as text. Output is byte-for-byte deterministic for a given round.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from satudata.common import fmt, safe_names
from satudata.outputs.workbook_cells import (  # noqa: F401 - put, fill, font_on reachable as feedback.* as before
    HEADER_GREY,
    Cells,
    Look,
    Rows,
    clean_value,
    columns_of,
    fill,
    font_on,
    frame_columns,
    put,
    row_height,
    save_workbook,
    start_table,
    write_table,
)
from satudata.reading import return_form
from satudata.reference.settings import Settings

if TYPE_CHECKING:
    from satudata.evaluation.round_facts import RoundFacts
    from satudata.reference.catalogue_quality import CatalogueQuality

FACT_TO_HIJAU = "Butir yang masih perlu dikirim untuk zona hijau"
FACT_LAST_SENT = "Kiriman terakhir"
FACT_ACTION = "Perlu tindakan"

NO_ZONE_LABEL = "Tidak dinilai (tidak ada data wajib)"
KEKURANGAN_HEADERS = [
    ("Kode Urusan", "kode_urusan", 12),
    ("Nama Urusan", "nama_urusan", 30),
    ("Kode Elemen", "kode_elemen", 16),
    ("Nama Elemen", "nama_elemen", 60),
    ("Satuan", "satuan", 14),
    ("Tahun", "tahun", 8),
    ("Keterangan (yang perlu dilakukan)", "keterangan", 58),
]
# what the OPD admin has to do for a missing item, by the status of the last value received
MISSING_ADVICE = {
    "tidak_tersedia": "Dikirim '...' (belum tersedia): isi angkanya bila datanya sudah ada.",
    "rahasia": "Dikirim 'x' (rahasia): tidak dihitung terpenuhi; bicarakan dengan walidata.",
}
NOT_SENT_ADVICE = "Belum dikirim: isi angkanya, '-' bila nihil."
KUALITAS_HEADERS = [
    ("Elemen", "nama_elemen", 40),
    ("Tahun", "tahun", 8),
    ("Pemeriksaan", "pemeriksaan", 24),
    ("Yang perlu diperiksa", "pesan", 80),
    ("Berkas", "sumber_file", 30),
    ("Lembar kerja", "sumber_sheet", 16),
    ("Baris", "sumber_baris", 8),
    ("Kolom", "sumber_kolom", 8),
]
MASALAH_HEADERS = [
    ("Berkas", "sumber_file", 30),
    ("Lembar kerja", "sumber_sheet", 16),
    ("Baris", "sumber_baris", 8),
    ("Kolom", "sumber_kolom", 8),
    ("Tingkat", "tingkat", 12),
    ("Jenis masalah", "kode_masalah", 30),
    ("Pesan (apa yang harus diperbaiki)", "pesan", 80),
]


# ---------------------------------------------------------------- content


def ranks(progres_opd: pd.DataFrame) -> pd.Series:
    """Rank of each OPD by percent, highest first; ties share the better rank; no percent, no rank."""
    persen = pd.to_numeric(progres_opd.set_index("kode_opd")["persen"], errors="coerce")
    return persen.rank(ascending=False, method="min")


def shown_percent(persen: object, settings: Settings) -> float | str:
    """A percent as a number cell, rounded for display without crossing a zone threshold (``89,9``)."""
    if persen is None or pd.isna(persen):
        return "–"
    return fmt.round_percent(float(persen), 1, fmt.zone_thresholds(settings.zones))


def shown_change(selisih: object) -> float | str:
    """A change in percentage points as a number cell rounded half up (``18.4``), ``–`` when there is none."""
    if selisih is None or pd.isna(selisih):
        return "–"
    return fmt.round_half_up(float(selisih), 1)


def zone_label(zona: object, settings: Settings) -> str:
    if not isinstance(zona, str) or zona not in settings.zones.labels:
        return NO_ZONE_LABEL
    return settings.zones.labels[zona]


def zone_colour(zona: object, settings: Settings) -> str:
    if not isinstance(zona, str):
        return HEADER_GREY
    return settings.zones.colours.get(zona, HEADER_GREY)


def _sorted_kekurangan(kekurangan: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("kode_opd", "kode_urusan", "kode_elemen", "tahun") if c in kekurangan.columns]
    frame = kekurangan.sort_values(keys, kind="stable").reset_index(drop=True) if keys else kekurangan.copy()
    # what to do about each missing item, by ``status_terakhir`` (null: nothing valid was ever sent)
    status = frame["status_terakhir"] if "status_terakhir" in frame else pd.Series([None] * len(frame))
    return frame.assign(keterangan=status.astype(object).map(MISSING_ADVICE).fillna(NOT_SENT_ADVICE).to_numpy())


def todo_text(n_missing: int, n_issues: int) -> str:
    """The ``Yang perlu dilakukan`` cell of the summary sheet: numbered steps for this OPD only."""
    steps = []
    if n_missing:
        steps.append(f"Isi {n_missing} butir yang masih kurang di lembar kerja '{return_form.INPUT_SHEET}' buku kerja ini "
                     "(sel kuning: angka, '-' bila nihil, '...' bila belum tersedia); keterangan setiap butir ada "
                     "di lembar kerja 'Kekurangan Data'.")
    if n_issues:
        steps.append(f"Periksa {n_issues} catatan pada lembar kerja 'Masalah' (berkas, lembar kerja, baris) dan perbaiki "
                     "berkas Anda sesuai pesannya.")
    if not steps:
        return "Tidak ada yang perlu dilakukan: semua butir wajib sudah terpenuhi dan tidak ada masalah pada berkas."
    steps.append("Kirim kembali berkas kepada walidata sebelum putaran berikutnya.")
    return "\n".join(f"{i}. {text}" for i, text in enumerate(steps, start=1))


def _sorted_masalah(masalah: pd.DataFrame) -> pd.DataFrame:
    """The issues in file order, their level and kind in words (``Catatan``, ``nama OPD cocok mirip``), never
    the raw codes (``info``, ``cocok_fuzzy``)."""
    from satudata.common.plain_words import LEVEL_LABELS, issue_label

    if masalah.empty:
        return pd.DataFrame(columns=["kode_opd"] + [key for _, key, _ in MASALAH_HEADERS])
    keys = [
        c for c in ("sumber_file", "sumber_sheet", "sumber_baris", "sumber_kolom") if c in masalah.columns
    ]
    frame = masalah.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)
    if "tingkat" in frame:
        frame["tingkat"] = [LEVEL_LABELS.get(str(t), str(t)) for t in frame["tingkat"].astype(object)]
    if "kode_masalah" in frame:
        frame["kode_masalah"] = [issue_label(k) for k in frame["kode_masalah"].astype(object)]
    return frame


def opd_workbook(
    opd: dict,
    progres_opd: pd.DataFrame,
    kekurangan: pd.DataFrame,
    masalah: pd.DataFrame,
    settings: Settings,
    putaran: str,
    kualitas: pd.DataFrame | None = None,
    diterima: pd.DataFrame | None = None,
    rekonsiliasi: pd.DataFrame | None = None,
    facts: RoundFacts | None = None,
) -> Workbook:
    """The feedback workbook of one OPD (``opd``: a register row with kode_opd, nama_opd, singkatan),
    also its return form: the sheet ``Isian`` lists exactly the items it still owes, with a cell to fill
    for each; filled in and sent back, the workbook ingests with no issue (its other sheets are skipped,
    see :mod:`satudata.reading.return_form`). With ``kualitas`` (the round's plausibility warnings) a sheet
    ``Kualitas Nilai`` of its own; with ``diterima`` (the round's ``item_terkini``) a sheet ``Nilai
    Diterima`` of the values already accepted. ``facts`` (the round facts) give the items to hijau, the
    last submission and the action, the same as in the report and the deck."""
    kode = opd["kode_opd"]
    fact = facts.get(kode) if facts is not None else None
    progress = progres_opd.loc[progres_opd["kode_opd"] == kode]
    row = progress.iloc[0].to_dict() if len(progress) else {}
    persen = pd.to_numeric(pd.Series([row.get("persen")]), errors="coerce").iloc[0]
    zona = row.get("zona") if not pd.isna(persen) else None
    colour = zone_colour(zona, settings)
    rank_of = ranks(progres_opd)
    rank = rank_of.get(kode, math.nan)
    mine_k = _sorted_kekurangan(kekurangan.loc[kekurangan["kode_opd"] == kode])
    masalah = _sorted_masalah(masalah)
    mine_m = masalah.loc[masalah["kode_opd"] == kode]

    wb = Workbook(write_only=True)  # written row by row: see satudata.outputs.workbook_cells
    selisih = pd.to_numeric(pd.Series([row.get("selisih")]), errors="coerce").iloc[0]
    facts: list[tuple[str, object]] = [
        ("Nama OPD", opd.get("nama_opd")),
        ("Kode OPD", kode),
        ("Singkatan", opd.get("singkatan")),
        ("Putaran evaluasi", fmt.tanggal(putaran)),
        ("Butir data wajib", int(row["wajib"]) if "wajib" in row else 0),
        ("Butir data terpenuhi", int(row["terpenuhi"]) if "terpenuhi" in row else 0),
        ("Persen capaian", shown_percent(persen, settings)),
        ("Zona", zone_label(zona, settings)),
        (
            "Peringkat",
            f"{int(rank)} dari {int(rank_of.notna().sum())} OPD" if not pd.isna(rank) else "–",
        ),
        ("Perubahan sejak putaran sebelumnya (poin persen)", shown_change(selisih)),
        ("Jumlah butir data yang masih kurang", len(mine_k)),
        (FACT_TO_HIJAU, fact.ke_hijau if fact else "–"),
        ("Menuju zona berikutnya", fact.ke_zona_teks if fact else "–"),
        (FACT_LAST_SENT, fact.kirim_terakhir_teks if fact else "–"),
        (FACT_ACTION, fact.tindakan_teks if fact else "–"),
        ("Perkiraan mencapai zona hijau", fact.perkiraan_hijau if fact else "–"),
        ("Jumlah masalah pada berkas yang dikirim", len(mine_m)),
        ("Yang perlu dilakukan", todo_text(len(mine_k), len(mine_m))),
        ("Cara mengirim", SEND_BACK_TEXT if len(mine_k) else "Tidak ada data yang masih kurang."),
        ("Batas kirim", deadline_text(settings, putaran)),
        ("Putaran evaluasi berikutnya", _next_round_text(settings, putaran)),
        ("Narahubung walidata", settings.contact.text() or "–"),
    ]
    ws = wb.create_sheet("Ringkasan")
    cells = start_table(ws, ["Keterangan", "Nilai"], [48, 70], colour, len(facts))
    value_look = Look(wrap=True, horizontal="left", vertical="top")
    for r, (label, value) in enumerate(facts, start=2):
        look = value_look
        if label == "Persen capaian" and isinstance(value, float):
            look = Look(wrap=True, horizontal="left", vertical="top", number_format="0.0")
        if label == "Zona":
            look = Look(fill=colour, bold=True, wrap=True, horizontal="left", vertical="top")
        if label in ("Yang perlu dilakukan", "Cara mengirim"):
            ws.row_dimensions[r].height = row_height(str(value), 70)
        ws.append([cells(label), cells(value, look)])

    input_sheet(wb.create_sheet(return_form.INPUT_SHEET), opd, mine_k)
    accepted_sheet(wb.create_sheet("Nilai Diterima"), diterima, kode, colour)
    write_table(wb.create_sheet("Kekurangan Data"), KEKURANGAN_HEADERS, mine_k, colour)
    write_table(wb.create_sheet("Masalah"), MASALAH_HEADERS, mine_m, colour, wrap_key="pesan")
    if kualitas is not None:
        quality_sheet(wb, kualitas.loc[kualitas["kode_opd"] == kode], colour)
    if rekonsiliasi is not None and len(rekonsiliasi):
        reconciliation_sheet(wb, rekonsiliasi.loc[rekonsiliasi["kode_opd"] == kode], colour)
    wb.properties.title = f"Umpan balik Satu Data {opd.get('nama_opd')} putaran {putaran}"
    return wb


SEND_BACK_TEXT = (f"Isi lembar kerja '{return_form.INPUT_SHEET}' (sel kuning: angka, - untuk nihil, ... bila belum tersedia), "
                  "simpan, lalu kirim berkas ini kembali kepada walidata. Jangan mengubah nama lembar kerja dan baris judul.")
ACCEPTED_HEADERS = [
    ("Kode Elemen", "kode_elemen", 16),
    ("Nama Elemen", "nama_elemen", 60),
    ("Satuan", "satuan", 14),
    ("Tahun", "tahun", 8),
    ("Nilai", "nilai", 14),
    ("Keterangan", "keterangan", 14),
    ("Diterima pada putaran", "putaran_nilai", 14),
    ("Berkas", "sumber_file", 30),
]


def deadline_text(settings: Settings, putaran: str) -> str:
    """The deadline of the next submissions: ``[putaran] batas_kirim``, else the day before the next round."""
    if settings.rounds.deadline and settings.rounds.deadline > str(putaran)[:10]:
        return fmt.tanggal(settings.rounds.deadline)
    following = settings.rounds.next_round(putaran)
    if following is None:
        return "–"
    return f"sebelum putaran berikutnya ({fmt.tanggal(following)})"


def _next_round_text(settings: Settings, putaran: str) -> str:
    following = settings.rounds.next_round(putaran)
    return fmt.tanggal(following) if following else "–"


def input_sheet(ws: Worksheet, opd: dict, missing: pd.DataFrame) -> None:
    """``Isian``: one row per element the OPD still owes, a yellow cell for each year it owes and has
    not sent (the form the ingest reads, :func:`satudata.outputs.submission_template.write_form_sheet`)."""
    from satudata.outputs.submission_template import write_form_sheet

    if missing.empty:
        ws.column_dimensions["A"].width = 70
        ws.append(["Tidak ada data yang masih kurang: lembar kerja ini tidak perlu diisi."])
        return
    elements = (missing.drop_duplicates("kode_elemen")[["kode_elemen", "nama_elemen", "satuan"]]
                .sort_values("kode_elemen", kind="stable").reset_index(drop=True))  # fmt: skip
    kodes = list(map(str, elements["kode_elemen"].tolist()))
    owed_years = missing["tahun"].astype(int)
    years = sorted(int(t) for t in owed_years.unique())

    def open_in(year: int) -> list[bool]:
        owed = set(map(str, missing["kode_elemen"][owed_years == year].tolist()))  # the elements owed for that year
        return [kode in owed for kode in kodes]

    write_form_sheet(ws, opd, elements, years, open_in)


def accepted_sheet(ws: Worksheet, diterima: pd.DataFrame | None, kode: str, colour: str) -> None:
    """``Nilai Diterima``: the values already accepted for the OPD's owed items (from ``item_terkini``)."""
    if diterima is None or diterima.empty:
        rows = pd.DataFrame(columns=[k for _, k, _ in ACCEPTED_HEADERS])
    else:
        rows = diterima.loc[(diterima["kode_opd"] == kode) & diterima["terpenuhi"].fillna(False).astype(bool)]
        rows = rows.assign(keterangan=rows["status"].map(lambda s: "nihil (-)" if s == "nihil" else "angka"))
        if "putaran_nilai" in rows:  # the round written the Indonesian way (24 September 2020), never ISO
            rows = rows.assign(putaran_nilai=rows["putaran_nilai"].map(
                lambda v: fmt.tanggal_pendek(str(v)[:10]) if isinstance(v, str) and v else v))  # fmt: skip
        rows = rows.sort_values(["kode_elemen", "tahun"], kind="stable")
    # a hidden last column keeps what was written, so that a value edited here is named when the form comes back
    mark = len(ACCEPTED_HEADERS) + 1
    ws.column_dimensions[get_column_letter(mark)].hidden = True
    cells = start_table(ws, [t for t, _, _ in ACCEPTED_HEADERS], [w for *_, w in ACCEPTED_HEADERS], colour,
                        len(rows), plain_titles=[return_form.MARK_HEADER])  # fmt: skip
    del cells  # the header is written; the rows go as XML
    columns = frame_columns(rows, [k for _, k, _ in ACCEPTED_HEADERS])
    Rows(ws, 2).add_columns([*columns, return_form.row_marks(columns)])


def quality_sheet(wb: Workbook, warnings: pd.DataFrame, colour: str, with_opd: bool = False) -> None:
    """``Kualitas Nilai``: every plausibility warning with the cell it came from and what to check."""
    from satudata.evaluation.plausibility import CHECK_LABELS

    ws = wb.create_sheet("Kualitas Nilai")
    headers = ([("Kode OPD", "kode_opd", 12)] if with_opd else []) + KUALITAS_HEADERS
    rows = warnings.assign(pemeriksaan=warnings["kode_cek"].map(lambda c: CHECK_LABELS.get(c, c)))
    write_table(ws, headers, rows.sort_values(["kode_opd", "nama_elemen", "tahun"], kind="stable"), colour,
                wrap_key="pesan")  # fmt: skip


REKONSILIASI_SHEET = "Rekonsiliasi Sumber"
REKONSILIASI_HEADERS = [
    ("Kode Elemen", "kode_elemen", 16),
    ("Nama Elemen", "nama_elemen", 44),
    ("Satuan", "satuan", 12),
    ("Tahun", "tahun", 8),
    ("Nilai di berkas OPD", "nilai_berkas", 14),
    ("Nilai di SIPD", "nilai_sipd", 14),
    ("Nilai di portal", "nilai_portal", 14),
    ("Status", "status", 18),
    ("Selisih", "selisih", 12),
    ("Keterangan", "keterangan", 70),
]


def reconciliation_sheet(wb: Workbook, rows: pd.DataFrame, colour: str) -> None:
    """``Rekonsiliasi Sumber``: each element and year of the OPD with its value in its files, in SIPD and on the
    portal, and whether they agree (:mod:`satudata.sources.reconcile`); differences first."""
    from satudata.sources.reconcile import STATUS_LABELS

    ws = wb.create_sheet(REKONSILIASI_SHEET)
    order = {"beda": 0, "hanya_satu_sumber": 1, "sama": 2}
    rows = rows.assign(_urut=rows["status"].map(order).fillna(3))
    rows = rows.sort_values(["_urut", "kode_elemen", "tahun"], kind="stable")
    rows = rows.assign(status=rows["status"].map(lambda s: STATUS_LABELS.get(s, s)))
    if rows.empty:
        ws.column_dimensions["A"].width = 90
        ws.append(["Tidak ada elemen OPD ini yang ditemukan di berkas, SIPD atau portal pada putaran ini."])
        return
    write_table(ws, REKONSILIASI_HEADERS, rows, colour, wrap_key="keterangan")


def write_feedback(
    register_frame: pd.DataFrame,
    progres_opd: pd.DataFrame,
    kekurangan: pd.DataFrame,
    masalah: pd.DataFrame,
    settings: Settings,
    putaran: str,
    out_dir: str | Path,
    kualitas: pd.DataFrame | None = None,
    diterima: pd.DataFrame | None = None,
    rekonsiliasi: pd.DataFrame | None = None,
    facts: RoundFacts | None = None,
) -> list[Path]:
    """Write ``<out_dir>/<kode_opd>.xlsx`` for every OPD of the register; returns the paths
    (``diterima``: the round's ``item_terkini``, for the sheet of values already accepted; ``rekonsiliasi``:
    the round's reconciliation across sources, a sheet ``Rekonsiliasi Sumber`` when it has rows).

    A code that is not a safe file name (``../x``, ``CON``, a NUL) is mapped to one (see
    :func:`satudata.common.safe_names.file_stem`); nothing is written outside ``out_dir``.
    """
    out_dir = Path(out_dir)
    when = date.fromisoformat(str(putaran)[:10])
    # each table is split by OPD once: a scan of every item per OPD made the stage grow with producers x items
    kekurangan_of, masalah_of = _per_opd(kekurangan), _per_opd(masalah)
    kualitas_of, diterima_of = _per_opd(kualitas), _per_opd(diterima)
    opds = register_frame.sort_values("kode_opd").to_dict("records")
    paths = [safe_names.output_file(out_dir, opd["kode_opd"], ".xlsx", "kode_opd") for opd in opds]

    def write(index: int) -> None:
        kode = opds[index]["kode_opd"]
        wb = opd_workbook(opds[index], progres_opd, _part(kekurangan_of, kekurangan, kode),
                          _part(masalah_of, masalah, kode), settings, putaran, _part(kualitas_of, kualitas, kode),
                          _part(diterima_of, diterima, kode), rekonsiliasi, facts)  # fmt: skip
        save_workbook(wb, paths[index], when)

    on_both_cores(write, len(opds))
    return paths


# a round with at least this many producers writes their workbooks on two cores (a workbook costs about 30 ms)
PARALLEL_FROM = 40


def on_both_cores(write: Callable[[int], None], n: int) -> None:
    """``write(i)`` for every ``i`` below ``n``: half of them in a forked process where the reading stage would
    fork too (Linux; :func:`satudata.reading.parallel.start_method`), with 2 cores or more and ``PARALLEL_FROM``
    items or more; otherwise all here. Each workbook is its own file, so the halves share nothing but what
    the fork copied; the wall time of 450 feedback workbooks about halves. A failure in either half raises."""
    import multiprocessing

    from satudata.reading.parallel import start_method

    if n < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or start_method() != "fork":
        for i in range(n):
            write(i)
        return
    child = multiprocessing.get_context("fork").Process(target=_write_half, args=(write, range(1, n, 2)),
                                                        daemon=True)  # fmt: skip
    child.start()
    try:
        for i in range(0, n, 2):
            write(i)
    finally:
        child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"Penulisan buku kerja umpan balik gagal di proses kedua (kode keluar {child.exitcode}; "
                           "pesan galatnya tercetak di atas); perbaiki penyebabnya lalu jalankan ulang tahap ini.")  # fmt: skip


def _write_half(write: Callable[[int], None], indexes: range) -> None:
    import traceback

    try:
        for i in indexes:
            write(i)
    except BaseException:  # noqa: BLE001 - said on stderr, and the exit code tells the parent
        traceback.print_exc(file=sys.__stderr__)  # the process's own stderr: a kernel's stream is its parent's
        os._exit(1)
    os._exit(0)


def _per_opd(frame: pd.DataFrame | None) -> dict[object, pd.DataFrame]:
    """The rows of ``frame`` per ``kode_opd``, grouped in one pass (empty when there is no frame)."""
    if frame is None or frame.empty or "kode_opd" not in frame:
        return {}
    return dict(tuple(frame.groupby(frame["kode_opd"].astype(object), sort=False, dropna=True)))


def _part(parts: dict[object, pd.DataFrame], frame: pd.DataFrame | None, kode: object) -> pd.DataFrame | None:
    """One OPD's rows of ``frame`` (no rows, same columns, when it has none; None stays None)."""
    if frame is None:
        return None
    found = parts.get(kode)
    return found if found is not None else frame.iloc[:0]


def write_walidata_workbook(
    register_frame: pd.DataFrame,
    progres_opd: pd.DataFrame,
    kekurangan: pd.DataFrame,
    masalah: pd.DataFrame,
    settings: Settings,
    putaran: str,
    out_dir: str | Path,
    katalog: CatalogueQuality | None = None,
    kualitas: pd.DataFrame | None = None,
) -> Path:
    """Write ``<out_dir>/rekap-walidata-<putaran>.xlsx``: every OPD, every missing item, every issue, and
    (given the round's catalogue assessment) the sheet ``Kualitas Katalog``."""
    when = date.fromisoformat(str(putaran)[:10])
    safe_names.check_round(putaran)  # it names the file: a date, nothing else
    rank_of = ranks(progres_opd)
    progress = progres_opd.set_index("kode_opd")
    masalah = _sorted_masalah(masalah)
    k_counts = kekurangan.groupby("kode_opd").size()
    m_counts = masalah.groupby("kode_opd").size() if len(masalah) else pd.Series(dtype=int)

    wb = Workbook(write_only=True)  # written row by row: see satudata.outputs.workbook_cells
    ws = wb.create_sheet("Ringkasan")
    headers = [
        ("Peringkat", 10),
        ("Kode OPD", 12),
        ("Nama OPD", 50),
        ("Singkatan", 14),
        ("Jenis", 12),
        ("Butir Wajib", 11),
        ("Butir Terpenuhi", 13),
        ("Persen", 9),
        ("Zona", 24),
        ("Perubahan (poin)", 14),
        ("Jumlah Kekurangan", 14),
        ("Jumlah Masalah", 12),
    ]
    register_rows = register_frame.to_dict("records")
    register_rows.sort(key=lambda o: (rank_of.get(o["kode_opd"], math.inf), o["kode_opd"]))
    cells = start_table(ws, [t for t, _ in headers], [w for _, w in headers], HEADER_GREY, len(register_rows))
    percent_look = Look(number_format="0.0")
    for opd in register_rows:
        kode = opd["kode_opd"]
        row = progress.loc[kode].to_dict() if kode in progress.index else {}
        persen = pd.to_numeric(pd.Series([row.get("persen")]), errors="coerce").iloc[0]
        zona = row.get("zona") if not pd.isna(persen) else None
        rank = rank_of.get(kode, math.nan)
        selisih = pd.to_numeric(pd.Series([row.get("selisih")]), errors="coerce").iloc[0]
        shown = shown_percent(persen, settings)
        ws.append([
            cells(int(rank) if not pd.isna(rank) else "–"),
            cells(kode),
            cells(opd.get("nama_opd")),
            cells(opd.get("singkatan")),
            cells(opd.get("jenis")),
            cells(int(row.get("wajib", 0) or 0)),
            cells(int(row.get("terpenuhi", 0) or 0)),
            cells(shown, percent_look if isinstance(shown, float) else None),
            cells(zone_label(zona, settings), Look(fill=zone_colour(zona, settings), bold=True)),
            cells(shown_change(selisih)),
            cells(int(k_counts.get(kode, 0))),
            cells(int(m_counts.get(kode, 0))),
        ])  # fmt: skip

    opd_cols = [("Kode OPD", "kode_opd", 12), ("Nama OPD", "nama_opd", 40)]
    write_table(wb.create_sheet("Kekurangan Data"), opd_cols + KEKURANGAN_HEADERS, _sorted_kekurangan(kekurangan),
                HEADER_GREY, where=f"Daftar lengkapnya: unduh/butir-kurang-{putaran}.csv di folder laporan putaran "
                "ini, dan lembar 'Kekurangan Data' di buku kerja umpan balik setiap OPD.")  # fmt: skip
    write_table(wb.create_sheet("Masalah"), [("Kode OPD", "kode_opd", 12)] + MASALAH_HEADERS, masalah, HEADER_GREY,
                where=f"Daftar lengkapnya: masalah.csv di folder data processed/{putaran}, dan lembar 'Masalah' di "
                "buku kerja umpan balik setiap OPD.")  # fmt: skip
    if kualitas is not None:
        quality_sheet(wb, kualitas, HEADER_GREY, with_opd=True)
    if katalog is not None:
        _catalogue_sheet(wb, katalog)
    wb.properties.title = f"Rekap umpan balik Satu Data {settings.region} putaran {putaran}"
    return save_workbook(wb, Path(out_dir) / f"rekap-walidata-{putaran}.xlsx", when)


def _catalogue_sheet(wb: Workbook, quality: CatalogueQuality) -> None:
    """``Kualitas Katalog``: the headline, what changes per producer, then every excluded row."""
    from satudata.reference.catalogue import REASONS
    from satudata.reference.catalogue_quality import headline

    ws = wb.create_sheet("Kualitas Katalog")
    per_opd = quality.per_opd.assign(bila_diperbaiki=quality.per_opd["butir_wajib"] + quality.per_opd["butir_tertahan"])
    headers = [("Produsen", "nama_opd", 44), ("Kode OPD", "kode_opd", 12), ("Baris di katalog", "baris", 12),
               ("Dikecualikan", "dikecualikan", 12), ("Tidak wajib", "tidak_wajib", 11),
               ("Butir wajib", "butir_wajib", 11), ("Butir bila diperbaiki", "bila_diperbaiki", 14)]  # fmt: skip
    x_headers = [("Baris", "baris", 8), ("Kolom", "kolom", 16), ("Alasan", "alasan_teks", 30),
                 ("Keterangan", "pesan", 70), ("Produsen tertulis", "opd_tertulis", 30),
                 ("Nama elemen", "nama_elemen", 40)]  # fmt: skip
    for col in range(1, max(len(headers), len(x_headers)) + 1):  # widths before the rows (write-only sheet)
        width = max(h[col - 1][2] if col <= len(h) else 0 for h in (headers, x_headers))
        ws.column_dimensions[get_column_letter(col)].width = width
    cells = Cells(ws)
    ws.append([cells(headline(quality))])
    ws.append([])
    ws.append([cells(title) for title, _, _ in headers])
    for row in columns_of(per_opd, [k for _, k, _ in headers]):
        ws.append([cells(v) for v in row])
    ws.append([])
    ws.append([])
    ws.append([cells(title) for title, _, _ in x_headers])
    excluded = quality.excluded.assign(alasan_teks=quality.excluded["alasan"].map(lambda a: REASONS.get(a, a)))
    for row in columns_of(excluded, [k for _, k, _ in x_headers]):
        ws.append([cells(v) for v in row])
