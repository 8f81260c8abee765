"""Outputs a person may have edited (the rakor deck, the feedback workbooks) are never overwritten silently.

The pipeline records the SHA-256 of every such file it writes in ``<folder>/.satudata-ditulis.json``.
Before a rerun rewrites them, a file whose content is no longer what the pipeline wrote (someone edited
the deck before the meeting), or that the pipeline did not write, is renamed
``<name>.sebelumnya-<YYYYMMDD-HHMMSS><suffix>`` next to it, and the caller says so. A file still as it was
written is simply replaced, so ``make`` reruns leave no clutter.

Windows refuses to rename, replace or delete a file another program holds open (a workbook open in Excel, a
deck in PowerPoint: ``PermissionError``). Such a file is kept as it is: :func:`replace_or_beside` writes the new
one beside it as ``<name>.baru-<YYYYMMDD-HHMMSS><suffix>``, :func:`keep_edited` leaves an open edited file where
it is, :func:`remove_or_keep` leaves an open file the stage no longer writes, each with a message in Bahasa
Indonesia naming the file to close.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

LEDGER = ".satudata-ditulis.json"
KEPT_MARK = ".sebelumnya-"
NEW_MARK = ".baru-"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ledger(folder: Path) -> dict[str, str | list[str]]:
    path = folder / LEDGER
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return {}
    return data if isinstance(data, dict) else {}


def _key(path: Path, folder: Path) -> str:
    return Path(path).resolve().relative_to(folder.resolve()).as_posix()


def is_kept_copy(path: Path) -> bool:
    return KEPT_MARK in Path(path).name


def kept_name(path: Path, when: datetime) -> Path:
    """``rakor-2020-09-24.pptx`` -> ``rakor-2020-09-24.sebelumnya-20200924-101500.pptx`` (a free name)."""
    path = Path(path)
    stamp = when.strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}{KEPT_MARK}{stamp}{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}{KEPT_MARK}{stamp}-{n}{path.suffix}")
        n += 1
    return candidate


def keep_edited(paths: Iterable[Path], folder: Path, when: datetime | None = None,
                say: Callable[[str], None] | None = None) -> list[tuple[Path, Path]]:  # fmt: skip
    """Rename every existing file of ``paths`` (under ``folder``) that is not byte for byte what the
    pipeline last wrote; returns ``(path, kept_as)`` for each file renamed (a file open in another program is
    left where it is, with a message through ``say``, stderr by default)."""
    folder = Path(folder)
    written = _ledger(folder)
    when = when or datetime.now()
    kept = []
    for path in paths:
        path = Path(path)
        if not path.is_file() or is_kept_copy(path):
            continue
        if _sha256(path) in _accepted(written.get(_key(path, folder))):
            continue
        target = kept_name(path, when)
        try:
            path.rename(target)
        except PermissionError:  # open in another program (Windows): it stays as it is, under its own name
            _say(say, f"PERHATIAN: {path} sudah diubah sejak terakhir dibuat dan sedang dibuka program lain "
                      "(mungkin Excel atau PowerPoint), jadi tidak bisa disimpan dengan nama lain. Berkas itu "
                      "dibiarkan apa adanya; tutup berkasnya lalu jalankan lagi bila berkas baru harus "
                      "menggantikannya.")  # fmt: skip
            continue
        kept.append((path, target))
    return kept


def _say(say: Callable[[str], None] | None, message: str) -> None:
    if say is not None:
        say(message)
    else:
        print(message, file=sys.stderr)


def replace_or_beside(source: Path, target: Path, say: Callable[[str], None] | None = None) -> Path:
    """Move ``source`` onto ``target``; returns where it landed: ``target``, or, when ``target`` is open in
    another program (Windows: ``PermissionError``), ``<name>.baru-<YYYYMMDD-HHMMSS><suffix>`` beside it, the
    open file kept as it is and the analyst told which file to close."""
    source, target = Path(source), Path(target)
    try:
        os.replace(source, target)
        return target
    except PermissionError:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        beside = target.with_name(f"{target.stem}{NEW_MARK}{stamp}{target.suffix}")
        n = 2
        while beside.exists():
            beside = target.with_name(f"{target.stem}{NEW_MARK}{stamp}-{n}{target.suffix}")
            n += 1
        os.replace(source, beside)
        _say(say, f"PERHATIAN: {target} sedang dibuka program lain (mungkin Excel atau PowerPoint) dan tidak bisa "
                  f"ditimpa. Berkas lama dibiarkan; berkas baru ditulis sebagai {beside.name}. Tutup berkasnya lalu "
                  "jalankan lagi bila ingin berkas baru menggantikannya.")  # fmt: skip
        return beside


def remove_or_keep(path: Path, say: Callable[[str], None] | None = None) -> bool:
    """Remove ``path`` (an output the stage no longer writes); True when it is gone. An open file (Windows) is
    left, and the analyst told."""
    try:
        Path(path).unlink(missing_ok=True)
        return True
    except PermissionError:
        _say(say, f"PERHATIAN: {path} tidak dibuat lagi oleh putaran ini, tetapi sedang dibuka program lain "
                  "(mungkin Excel atau PowerPoint) sehingga tidak bisa dihapus. Berkas itu dibiarkan; tutup lalu "
                  "hapus sendiri bila tidak diperlukan.")  # fmt: skip
        return False


def _accepted(recorded: object) -> list[str]:
    """The hashes a ledger entry accepts: one, or (while a stage's files were being moved into place) the old
    and the new one."""
    if isinstance(recorded, str):
        return [recorded]
    return [h for h in recorded if isinstance(h, str)] if isinstance(recorded, list) else []


def accept_both(folder: Path, incoming: Path) -> None:
    """Before a stage moves its files into ``folder`` one by one, with its own ledger ``incoming`` among them:
    the ledger of ``folder`` accepts, for every file, the hash it had and the new one, so a run killed
    halfway through the moves leaves no file of the pipeline's own looking edited by a person (whichever of
    the two versions each file is). The new ledger, moved in after the files, takes its place."""
    folder = Path(folder)
    old, new = _ledger(folder), _ledger(Path(incoming).parent)
    both = {key: sorted(set(_accepted(old.get(key))) | set(_accepted(new.get(key)))) for key in old.keys() | new.keys()}
    _write_ledger(folder, both)


def _write_ledger(folder: Path, written: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (LEDGER + ".tmp")
    tmp.write_text(json.dumps(dict(sorted(written.items())), indent=1) + "\n", encoding="utf-8")
    tmp.replace(folder / LEDGER)


def record_written(paths: Iterable[Path], folder: Path) -> None:
    """Remember what the pipeline wrote (added to what it wrote before)."""
    folder = Path(folder)
    written = _ledger(folder)
    for path in paths:
        if Path(path).is_file():
            written[_key(path, folder)] = _sha256(Path(path))
    _write_ledger(folder, written)


def kept_notes(kept: list[tuple[Path, Path]], folder: Path) -> list[str]:
    """One sentence (Bahasa Indonesia) per file kept."""
    return [
        f"{_key(old, folder)} sudah diubah sejak terakhir dibuat (atau tidak dibuat oleh satudata); versi itu "
        f"disimpan sebagai {_key(new, folder)} dan berkas baru ditulis."
        for old, new in kept
    ]


def existing_outputs(folder: Path, pattern: str) -> list[Path]:
    """Files of ``folder`` matching ``pattern`` that are not kept copies."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(pattern) if p.is_file() and not is_kept_copy(p))
