"""The previous round's progress, read back from its own stage 2 when nothing it was computed from has changed.

A round's progress compares itself with the round before (change in percent and zone, revisions of values), so
stage 2 needs the previous round's ``progres_opd`` and ``item_terkini``. Recomputing them costs as much as the
round itself (7.2 million items: about 5 s CPU). Stage 2 of the previous round has already written them: when
``make round`` (``satudata putaran``) runs a round, the earlier rounds' stage 2 runs first and is brought up to
date. They are read back only when a key says they were computed from what is here now:

- the register, catalogue, settings and package (:func:`satudata.reference.reference_cache.reference_key`);
- each round's ``nilai.parquet`` up to that round (name, size and modification time).

Stage 2 writes the key (``.progres-kunci``, hidden: it is the package's, not a table) after its other files; a
key that is missing, unreadable or different (a file edited, another catalogue, an older package, a round run without ``make``) means the
previous round is computed again from its values, as before.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from satudata.common.paths import Paths
from satudata.evaluation.progress import ProgressResult
from satudata.reference.reference_cache import reference_key
from satudata.reference.settings import Settings

KEY_FILE = ".progres-kunci"
# the columns of the previous round's item_terkini that the comparisons read (plausibility's revision check)
PREVIOUS_ITEM_COLUMNS = ["kode_opd", "kode_elemen", "nama_elemen", "tahun", "terpenuhi", "nilai", "status"]


def progress_key(paths: Paths, settings: Settings, round_date: str) -> str | None:
    """The key of a round's progress as it would be computed now (None: a reference file or a round's values
    are missing; nothing is reused then)."""
    reference = reference_key(paths.reference, settings)
    if reference is None:
        return None
    digest = hashlib.sha256(reference.encode())
    for r in paths.rounds_up_to(round_date):
        try:
            st = (paths.processed(r) / "nilai.parquet").stat()
        except OSError:
            return None
        digest.update(f"{r}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def write_key(out_dir: Path, key: str | None) -> None:
    """Write the key beside the round's progress files (nothing when there is no key)."""
    if key is not None:
        (Path(out_dir) / KEY_FILE).write_text(key + "\n", encoding="ascii")


def stored_progress(paths: Paths, settings: Settings, round_date: str) -> ProgressResult | None:
    """The round's ``progres_opd`` and ``item_terkini`` (the columns compared) as its stage 2 wrote them, or
    None when they were not written from what is here now."""
    folder = paths.processed(round_date)
    try:
        stored = (folder / KEY_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not stored or stored != progress_key(paths, settings, round_date):
        return None
    return read_progress(folder)


def release_arrow_memory() -> None:
    """Give back to the system what Arrow's memory pool kept after a large read: each row group of
    ``item_terkini`` carries its own dictionary of element codes (7.2 M items at national scale: 1.4 GiB as Arrow,
    0.2 GiB as the frame), and the pool otherwise keeps those pages for later Arrow work that numpy cannot use."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def read_progress(folder: Path) -> ProgressResult | None:
    """``progres_opd`` and ``item_terkini`` (the columns compared) of a round's folder, None when unreadable."""
    try:
        opd = pd.read_parquet(Path(folder) / "progres_opd.parquet")
        items = pd.read_parquet(Path(folder) / "item_terkini.parquet", columns=PREVIOUS_ITEM_COLUMNS)
    except Exception:  # noqa: BLE001 - a file removed or broken since: computed again
        return None
    release_arrow_memory()
    empty = pd.DataFrame()
    return ProgressResult(opd, empty, empty, empty, items)
