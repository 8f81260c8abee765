"""A source's files read under the limits of a submitted file (the settings' ``[batas]``), as issues when they cannot be.

:func:`read_files` is how every file source (``dssd``, ``ewalidata``, ``inventaris``, ``ckan_dump``) reads its files:

1. each file's size is checked before a byte of it is parsed (:func:`size_problem`, through the one size check of
   :func:`satudata.formats.read_limits.past_size`): past ``ukuran_berkas_mb``, or past ``ukuran_teks_mb`` for a file
   read whole into memory (JSON, CSV, a portal inventory, a ckanapi dump), it is an issue at once naming the file,
   the limit and the key to change (a 427 MB e-Walidata JSON used to run 600 s and 4.2 GB before it was stopped);
2. the others are read by the source's reader in a guarded reading worker (:func:`read_guarded`) with the memory cap
   and time limit of submissions (:mod:`satudata.reading.parallel`): a file that exhausts either, or that the
   reader refuses, is an issue naming it (``berkas_terlalu_besar`` naming the limit), never the end of the round.

Whatever the reader returns is what travels back from the worker, so a reader returns what the round keeps (the
``nilai`` rows of a file, not the file's records): the work of turning a big file into values happens under the cap.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from satudata.reference.settings import Settings

LEVEL_GALAT, LEVEL_PERINGATAN, LEVEL_INFO = "galat", "peringatan", "info"
FAILED = "gagal"  # a file's result when its reading failed: (FAILED, code, message)
TEXT_SOURCE_SUFFIXES = {".json", ".jsonl", ".csv", ".txt"}  # read whole into memory: bounded like a CSV submission
# what to do with a source file past a limit ({kunci}: the [batas] key of the limit)
_SPLIT = ("Unduh ulang sumbernya dalam beberapa berkas yang lebih kecil (misalnya per OPD atau per urusan), atau "
          "naikkan {kunci} di [batas] pengaturan")  # fmt: skip
SIZE_FIX = _SPLIT + " bila komputer ini cukup memorinya. Putaran tetap dibuat tanpa berkas ini."
TIME_FIX = _SPLIT.replace("{kunci}", "detik_per_berkas") + " bila membacanya memang selama itu. Putaran tetap dibuat tanpa berkas ini."


def issue(round_date: str, file: str | None, opd: str | None, level: str, code: str, message: str,
          row: int | None = None) -> dict:  # fmt: skip
    """One row of the round's ``masalah`` about a source."""
    return {"putaran": round_date, "sumber_file": file, "sumber_sheet": None, "sumber_baris": row,
            "sumber_kolom": None, "kode_opd": opd, "tingkat": level, "kode_masalah": code, "pesan": message}  # fmt: skip


def try_read(reader: Callable[[Path], Any], path: Path) -> Any:
    """``reader(path)``, or (:data:`FAILED`, code, message) when it raises (in a worker nothing may escape)."""
    from satudata.formats.read_errors import TOO_BIG, ReadError

    try:
        return reader(path)
    except MemoryError:
        return (FAILED, "memori", "")
    except ReadError as exc:  # past a limit the reader itself checks: the same issue as a size refused before
        return (FAILED, TOO_BIG if exc.code == TOO_BIG else "sumber_tidak_terbaca", exc.message)
    except Exception as exc:  # noqa: BLE001 - any unreadable file: an issue, the round goes on
        return (FAILED, "sumber_tidak_terbaca", str(exc))


def failed(result: Any) -> bool:
    """True when ``result`` is a failed reading (see :func:`try_read`)."""
    return isinstance(result, tuple) and bool(result) and result[0] == FAILED


def read_guarded(reader: Callable[[Path], Any], paths: list[Path], settings: Settings) -> list[Any]:
    """``reader`` of every source file in a guarded reading worker, under the memory and time limits submissions
    are read under (``[batas]``, :mod:`satudata.reading.parallel`); a file that fails, runs out of memory or time
    gives (:data:`FAILED`, code, message) instead, never stops the round. In this process when no worker can be
    forked (or no limit is set)."""
    import sys
    from functools import partial

    from satudata.formats import read_limits
    from satudata.reading.parallel import TIMED_OUT, Guard, map_shared

    fn = partial(try_read, reader)
    limits = read_limits.current(settings.limits)
    if paths and sys.platform.startswith("linux") and (limits.max_memory_bytes > 0 or limits.max_seconds > 0):
        def gave_up(path: Path, reason: str) -> tuple:
            return (FAILED, "waktu" if reason == TIMED_OUT else "memori", "")

        guard = Guard(limits.max_memory_bytes, limits.max_seconds, gave_up)
        try:
            runs = map_shared(fn, paths, 1, join=list, meanwhile=lambda: None, guard=guard)
            return [result for run in runs for result in run]
        except Exception:  # noqa: BLE001 - no fork here: read in this process
            pass
    return [fn(path) for path in paths]


def failure_issue(source_name: str, round_date: str, rel: str, result: tuple, settings: Settings) -> dict:
    """The issue of a source file whose reading failed (see :func:`read_guarded`)."""
    from satudata.formats import read_limits
    from satudata.formats.read_errors import TOO_BIG, out_of_memory, out_of_time

    _, code, text = result
    limits = read_limits.current(settings.limits)
    if code in ("waktu", "memori"):
        text = (out_of_time(rel, limits.max_seconds, TIME_FIX) if code == "waktu"
                else out_of_memory(rel, limits.max_memory_bytes, SIZE_FIX.replace("{kunci}", "memori_mb")))  # fmt: skip
        return issue(round_date, rel, None, LEVEL_GALAT, TOO_BIG, f"Sumber {source_name}: {text}")
    if code == TOO_BIG:
        return issue(round_date, rel, None, LEVEL_GALAT, TOO_BIG, f"Sumber {source_name}: {text}")
    return issue(round_date, rel, None, LEVEL_GALAT, "sumber_tidak_terbaca",
                 f"Sumber {source_name}: berkas {rel} tidak dapat dibaca: {text}")  # fmt: skip


def size_problem(path: Path, rel: str, source_name: str, settings: Settings, whole: bool = False) -> str | None:
    """The message when a source file is past the size a file may have (``[batas]``), else None.

    Checked on the file's size alone, before a byte is parsed. A file read whole into memory (``whole``: every
    e-Walidata JSON, portal inventory and ckanapi dump; any JSON, JSONL, CSV or TXT) gets the text limit
    (``ukuran_teks_mb``) besides the file limit (``ukuran_berkas_mb``) every file gets."""
    from satudata.formats.read_limits import past_size

    text = whole or path.suffix.lower() in TEXT_SOURCE_SUFFIXES
    error = past_size(rel, path.stat().st_size, settings.limits, text, SIZE_FIX)
    return None if error is None else f"Sumber {source_name}: {error.message}"


def read_files(read: Any, raw_dir: Path, round_date: str, paths: list[Path], reader: Callable[[Path], Any],
               settings: Settings, whole: bool = False) -> list[tuple[str, Any]]:  # fmt: skip
    """(path in the round folder, what ``reader`` gave) of every file of ``paths`` that was read, in order. A file
    past its size (:func:`size_problem`, ``whole`` as there) or whose reading failed is not among them: it is in
    ``read.files`` with an issue in ``read.issues`` (``read``: a :class:`satudata.sources.collect.SourceRead`)."""
    from satudata.formats.read_errors import TOO_BIG

    name = read.source.name
    kept = []
    for path in paths:  # a file past the size limit is never parsed: an issue, at once
        rel = path.relative_to(raw_dir).as_posix()
        problem = size_problem(path, rel, name, settings, whole)
        if problem is None:
            kept.append(path)
        else:
            read.files.append(rel)
            read.issues.append(issue(round_date, rel, None, LEVEL_GALAT, TOO_BIG, problem))
    out = []
    for path, result in zip(kept, read_guarded(reader, kept, settings), strict=True):
        rel = path.relative_to(raw_dir).as_posix()
        read.files.append(rel)
        if failed(result):
            read.issues.append(failure_issue(name, round_date, rel, result, settings))
        else:
            out.append((rel, result))
    return out
