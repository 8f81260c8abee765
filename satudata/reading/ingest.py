"""Ingestion of one round: every raw row becomes values, a structural row or an issue.

Rules decided here (documented for analysts):

* Files are processed in sorted order of their path inside the round folder, sheets in workbook
  order, rows top to bottom. Hidden files (``.x``) and Office lock files (``~$x``) are ignored.
  A round of at least ``PARALLEL_MIN_FILES`` files, or of two or more files of at least
  ``PARALLEL_MIN_BYTES`` bytes in all, is shared out over forked processes (one per CPU;
  ``SATUDATA_INGEST_WORKERS=1`` or ``workers=1`` keeps it in one reading process); each file gives the same
  compact part whichever process reads it, and the parts are joined in that order, so every output is
  the same as in one process. Without ``fork`` (or if forking fails) the round is read in one process.
* Every file is read in a forked worker (also with ``workers=1``: then one worker reads them all), whose
  memory is capped at ``max_memory_bytes`` and which is stopped after ``max_seconds`` on one
  file: such a file gets ``berkas_terlalu_besar`` naming the limit and the round goes on with the others
  (:mod:`satudata.reading.parallel`, guarded mode). The limits' checks before reading (:mod:`satudata.formats.readers`)
  refuse the bombs they can see; the worker catches the rest. The limits are the settings' ``[batas]``
  (``settings.limits``), else :data:`satudata.formats.read_limits.LIMITS`.
* The sender (OPD) is, in order: an OPD column of the table (per row); a cell such as
  ``OPD: Dinas Kesehatan`` / ``Perangkat Daerah : ...`` above the table (per sheet, else any sheet);
  the file name (``03_Dinkes_rev2.xlsx``); the sub-folder of the round folder; a title cell naming it.
  All through :class:`~satudata.reference.register.Register`. Unresolved: issue ``opd_tidak_dikenal`` with the
  closest register entries; the values are kept with ``kode_opd`` null and ``dihitung`` False.
* Duplicates: the same OPD, element and year read twice in a round: the value read **later** wins
  (``dipakai`` True), the earlier row stays with ``dipakai`` False; when the values differ an issue
  ``duplikat`` names both places.
* Row accounting per file (``manifest.json``): ``dibaca`` counts the non-blank rows of every sheet;
  blank rows are excluded from ``dibaca`` and reported apart as ``kosong`` (trailing blank rows at the
  end of a sheet are not read at all). Always
  ``dibaca == data + sum(struktur.values()) + ditolak``. A data row yields at least one value; a row
  whose every value cell is invalid, a row with values but no label, and every row of a sheet whose
  table cannot be recognised although it holds numbers are ``ditolak`` (with an issue). Rows of
  cover/instruction sheets count as structure ``sheet_dilewati`` and are noted in the file's
  ``catatan`` (not an issue: the sender did nothing wrong).
* Text numbers in CSV/TXT files and HTML tables (text-only sources) are read per column: a column that
  writes decimals with a dot (``9498.07``) is read as such (see :mod:`satudata.reading.numbers`); elsewhere,
  and in every workbook, the Indonesian rules apply.
* A data row whose every year cell is ``-`` is kept and flagged ``semua_nihil`` (peringatan).
* Outputs follow ``docs/architecture.md``; ``nilai`` adds the column ``dipakai`` (bool) and each
  manifest file entry adds ``jenis``, ``encoding``, ``pemisah``, ``sheet``, ``status``, ``jumlah_nilai``
  and ``baris.kosong``.
* Issue levels: ``galat`` (the file, a row or a cell could not be used: fix and resend), ``peringatan``
  (used or kept, but needs a person: unknown element, duplicate, all-nil row), ``info`` (for review:
  fuzzy matches, ambiguous numbers, skipped sheets, HTML disguised as ``.xls``).

This module holds the public entry points and the round (its files, the workers, the manifest). One file
is read by :mod:`satudata.reading.file_ingest`, which routes each sheet to the template reader
(:mod:`satudata.reading.template`) or the real-table reader (:mod:`satudata.reading.table`,
:mod:`satudata.reading.sheet_values`); both write into an :class:`~satudata.reading.ingest_context.IngestContext`, which
:mod:`satudata.reading.value_frame` turns into the ``nilai`` table.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import sys
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from satudata import __version__
from satudata.common import fmt
from satudata.common.safe_text import to_csv as safe_to_csv
from satudata.formats import read_limits
from satudata.formats.read_errors import TOO_BIG, out_of_memory, out_of_time
from satudata.reading import matching, numbers
from satudata.reading import template_layout as tables
from satudata.reading.file_ingest import _empty_entry, ingest_one
from satudata.reading.file_producers import infer_from_elements
from satudata.reading.ingest_context import GALAT, INFO, PERINGATAN, IngestContext
from satudata.reading.matching import ElementIndex
from satudata.reading.parallel import TIMED_OUT, Guard
from satudata.reading.parallel import map_shared as _map_shared
from satudata.reading.table_totals import check_nilai
from satudata.reading.template_layout import subtotal_words
from satudata.reading.value_checks import check_values
from satudata.reading.value_frame import (
    NILAI_COLUMNS,
    Part,
    build_part,
    float_texts,
    mark_duplicates,
    spread_rows,
    values_frame,
)
from satudata.reference.register import Register
from satudata.reference.settings import OutputSettings, Settings

__all__ = [
    "MASALAH_COLUMNS", "NILAI_COLUMNS", "PARALLEL_MIN_BYTES", "PARALLEL_MIN_FILES", "WORKERS_ENV", "IngestResult",
    "catalogue_version", "clear_caches", "float_texts", "ingest_file", "ingest_round", "issues_frame",
    "worker_count", "write_ingest",
]  # fmt: skip


MASALAH_COLUMNS = [
    "putaran", "sumber_file", "sumber_sheet", "sumber_baris", "sumber_kolom", "kode_opd", "tingkat",
    "kode_masalah", "pesan",
]  # fmt: skip


@dataclass
class IngestResult:
    """Values, issues and manifest of one round (or one file)."""

    nilai: pd.DataFrame
    masalah: pd.DataFrame
    manifest: dict


def catalogue_version(catalogue: Any) -> str:
    """The catalogue's version: the sha256 of its file when it was read from one (as the manifest's
    ``katalog.sha256`` and the report show it), else of its elements (column names and every value
    as text, in order)."""
    if getattr(catalogue, "sha256", None):
        return catalogue.sha256
    h = hashlib.sha256()
    for name, column in catalogue.elements.items():
        h.update(f"\x1d{name}\x1e".encode())
        h.update("\x1f".join(map(str, column.tolist())).encode("utf-8"))
    return h.hexdigest()


def clear_caches() -> None:
    """Empty the process-wide caches of ingestion (number parsing, name normalisation, header look-ups).

    Results never depend on them; benchmarks clear them to time a cold run, as in a fresh process.
    """
    numbers.clear_caches()
    matching.clear_caches()
    tables.clear_caches()


def _make_context(round_date: str, register: Register, catalogue: Any, settings: Settings) -> IngestContext:
    index = ElementIndex(catalogue.elements, settings.matching.element_threshold)
    words = (settings.region, settings.region_short, *register.region_words)
    return IngestContext(round_date, register, index, settings, subtotal_words(words))


def ingest_round(raw_dir: Path, round_date: str, register: Register, catalogue: Any, settings: Settings,
                 workers: int | None = None, skip: Collection[str] = ()) -> IngestResult:  # fmt: skip
    """Ingest every file under ``raw_dir`` (read only); one bad file never stops the round.

    ``workers``: processes for a round of at least ``PARALLEL_MIN_FILES`` files (default: the environment
    variable ``SATUDATA_INGEST_WORKERS``, else the CPUs available; 1 = in this process only). The result is
    the same whatever the number. ``skip``: paths in the round folder (posix) that a configured source reads
    instead (:func:`satudata.sources.collect.owned_paths`).
    """
    raw_dir = Path(raw_dir)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # many small objects, no cycles: collection passes only cost time here
    try:
        return _ingest_round(raw_dir, round_date, register, catalogue, settings, workers, skip)
    finally:
        if gc_was_enabled:
            gc.enable()


_File = tuple[Path, str, "str | None"]  # path, path inside the round folder, folder naming the OPD
PARALLEL_MIN_FILES = 8
PARALLEL_MIN_BYTES = 256 * 1024
WORKERS_ENV = "SATUDATA_INGEST_WORKERS"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _round_files(raw_dir: Path, skip: Collection[str] = ()) -> list[_File]:
    """The files of a round in processing order (hidden files and Office lock files left out)."""
    files = sorted(
        (p for p in raw_dir.rglob("*") if p.is_file() or p.is_symlink()),  # a symlink: an issue, not followed
        key=lambda p: p.relative_to(raw_dir).as_posix(),
    )
    out = []
    for path in files:
        rel = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in rel.parts) or path.name.startswith("~$") or rel.as_posix() in skip:
            continue
        out.append((path, rel.as_posix(), rel.parts[0] if len(rel.parts) > 1 else None))
    return out


def _ingest_round(raw_dir: Path, round_date: str, register: Register, catalogue: Any, settings: Settings,
                  workers: int | None, skip: Collection[str] = ()) -> IngestResult:  # fmt: skip
    ctx = _make_context(round_date, register, catalogue, settings)
    files = _round_files(raw_dir, skip)
    n = worker_count(workers, len(files), sum(_size(path) for path, _, _ in files))
    guard = _guard(ctx)
    if files and (n > 1 or guard is not None):
        version: list[str] = []
        ctx.index.prepare()  # built before the workers are forked: they share it
        fmt.load_locale_data()  # likewise: every worker formats numbers in its messages
        try:
            # this process spreads its own rows over their values while the workers send theirs
            runs = _map_shared(partial(_read_file, ctx), files, n, build_part,
                               meanwhile=lambda: version.append(catalogue_version(catalogue)),
                               join_here=lambda read: spread_rows(build_part(read)), guard=guard)  # fmt: skip
        except Exception:  # no fork on this platform, no child process allowed here, ...: go on serially
            runs = None
        if runs is not None:
            return _finish(ctx, runs, version[0])
    return _finish(ctx, [build_part([_read_file(ctx, f) for f in files])], catalogue_version(catalogue))


def _guard(ctx: IngestContext) -> Guard | None:
    """The limits of the reading workers (None: neither memory nor time is limited, or not on Linux, where
    ``RLIMIT_AS`` is enforced and forking a process with threads is safe)."""
    limits = read_limits.current(ctx.settings.limits)
    if (limits.max_memory_bytes <= 0 and limits.max_seconds <= 0) or not sys.platform.startswith("linux"):
        return None
    return Guard(limits.max_memory_bytes, limits.max_seconds, partial(_failed_file, ctx, limits))


def _failed_file(ctx: IngestContext, limits: read_limits.ReadLimits, file: _File, reason: str) -> tuple[dict, IngestContext]:
    """A file whose reading worker ran out of time or died (memory): its entry and its one issue."""
    run = ctx.fresh()
    path, rel, _ = file
    entry = _empty_entry(path, rel)
    entry["status"] = "galat"
    message = out_of_time(rel, limits.max_seconds) if reason == TIMED_OUT else out_of_memory(rel, limits.max_memory_bytes)
    run.issue(rel, None, None, None, None, GALAT, TOO_BIG, message)
    return entry, run


def worker_count(workers: int | None, n_files: int, n_bytes: int = 0) -> int:
    """Processes to use: ``workers``, else ``SATUDATA_INGEST_WORKERS``, else the CPUs; 1 for small rounds.

    A round is small when it has fewer than ``PARALLEL_MIN_FILES`` files and fewer than
    ``PARALLEL_MIN_BYTES`` bytes in all (a few big files are still worth sharing: forking costs ~10 ms).
    """
    if workers is None:
        env = os.environ.get(WORKERS_ENV, "").strip()
        if env.isdigit():
            workers = int(env)
        else:
            cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
            workers = len(cpus)
    big = n_files >= PARALLEL_MIN_FILES or (n_files >= 2 and n_bytes >= PARALLEL_MIN_BYTES)
    return max(1, min(workers, n_files)) if big else 1


def _read_file(ctx: IngestContext, file: _File) -> tuple[dict, IngestContext]:
    """Ingest one file of the round: its manifest entry and a context holding its rows, values and issues."""
    run = ctx.fresh()
    path, rel, folder = file
    return ingest_one(run, path, rel, folder), run


def _ingest_part(ctx: IngestContext, file: _File) -> Part:
    """One file of the round as a compact, picklable part."""
    return build_part([_read_file(ctx, file)])


def ingest_file(path: Path, round_date: str, register: Register, catalogue: Any, settings: Settings,
                folder_opd: str | None = None) -> IngestResult:  # fmt: skip
    """Ingest one file (``folder_opd``: the name of the folder it came from, if it names the OPD), in a
    reading worker under the limits as in a round."""
    ctx = _make_context(round_date, register, catalogue, settings)
    file = (Path(path), Path(path).name, folder_opd)
    guard = _guard(ctx)
    if guard is not None:
        ctx.index.prepare()
        try:
            parts = _map_shared(partial(_read_file, ctx), [file], 1, build_part, meanwhile=lambda: None, guard=guard)
            return _finish(ctx, parts, catalogue_version(catalogue))
        except Exception:  # noqa: BLE001 - no fork here: read in this process
            pass
    return _finish(ctx, [_ingest_part(ctx, file)], catalogue_version(catalogue))


def _finish(ctx: IngestContext, parts: list[Part], catalogue_sha: str) -> IngestResult:
    """The round's tables and manifest from the parts of its runs of files, in file order."""
    nilai = values_frame(ctx.round_date, parts)
    ctx.issues = [i for p in parts for i in p.issues]
    entries = [e for p in parts for e in p.entries]
    infer_from_elements(nilai, entries, ctx.index.elements, ctx.round_date, ctx.register, ctx.issues)
    ctx.issues += check_values(nilai, ctx.index.elements, ctx.settings, ctx.round_date)
    total_issues, total_counts = check_nilai(nilai, ctx.round_date, ctx.settings.quality.total_tolerance)
    ctx.issues += total_issues
    for e in entries:
        checked, wrong = total_counts.get(e["berkas"], (0, 0))
        e["cek_jumlah"] = {"diperiksa": e.get("cek_jumlah", {}).get("diperiksa", 0) + checked,
                           "tidak_cocok": e.get("cek_jumlah", {}).get("tidak_cocok", 0) + wrong}  # fmt: skip
    mark_duplicates(ctx, nilai)
    masalah = issues_frame(ctx.issues)
    totals = {"dibaca": 0, "data": 0, "ditolak": 0, "kosong": 0, "struktur": {}}
    for e in entries:
        b = e["baris"]
        for k in ("dibaca", "data", "ditolak", "kosong"):
            totals[k] += b[k]
        for role, n in b["struktur"].items():
            totals["struktur"][role] = totals["struktur"].get(role, 0) + n
    levels = Counter(i["tingkat"] for i in ctx.issues)
    manifest = {
        "putaran": ctx.round_date,
        "dibuat": datetime.now(ZoneInfo(ctx.settings.timezone)).isoformat(timespec="seconds"),
        "versi_paket": __version__,
        "pengaturan": json.loads(json.dumps(ctx.settings.as_dict(), default=str)),
        "katalog_sha256": catalogue_sha,
        "berkas": entries,
        "jumlah_baris": totals,
        "jumlah_nilai": int(len(nilai)),
        "jumlah_masalah": {lvl: levels.get(lvl, 0) for lvl in (GALAT, PERINGATAN, INFO)},
    }
    return IngestResult(nilai, masalah, manifest)


def issues_frame(issues: list[dict]) -> pd.DataFrame:
    """The ``masalah`` table of a list of issues: text columns as strings, ``sumber_baris`` as Int64; every
    message in plain Indonesian (:func:`satudata.common.plain_words.plain`: no borrowed ``sheet`` or ``fuzzy``)."""
    from satudata.common.plain_words import plain

    return pd.DataFrame({
        col: pd.array([plain(i[col]) if col == "pesan" and isinstance(i[col], str) else i[col] for i in issues],
                      dtype="Int64" if col == "sumber_baris" else "string")
        for col in MASALAH_COLUMNS
    })  # fmt: skip


def write_ingest(result: IngestResult, out_dir: Path, output: OutputSettings | None = None) -> None:
    """Write ``nilai.parquet``, ``masalah.parquet``, ``masalah.csv`` (in the CSV dialect of ``output``) and
    ``manifest.json``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result.nilai.to_parquet(out_dir / "nilai.parquet", index=False)
    result.masalah.to_parquet(out_dir / "masalah.parquet", index=False)
    safe_to_csv(result.masalah, out_dir / "masalah.csv", output, index=False, encoding="utf-8-sig")  # no formulas
    (out_dir / "manifest.json").write_text(
        json.dumps(result.manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
