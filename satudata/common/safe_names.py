"""Names that become paths: a register code, an abbreviation or a round turned into one safe file name,
and the check that a path to be written stays inside its output folder.

A name keeps ASCII letters, digits, ``.``, ``_`` and ``-``; anything else (``/``, ``\\``, NUL, spaces,
control characters) becomes ``_``, leading dots go (no hidden files, no ``..``), and Windows' reserved
device names (``CON``, ``NUL``, ``COM1``, ...) get a leading ``_``. A name that had to change gets a
short hash of the original, so two different codes never share one file.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from satudata.common.paths import check_round

__all__ = ["UnsafePath", "check_round", "file_stem", "inside", "output_file"]
MAX_STEM = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CLOCK$"} | {f"{d}{i}" for d in ("COM", "LPT") for i in range(10)}


class UnsafePath(ValueError):
    """A name or path that would be written outside its folder (message in Bahasa Indonesia)."""


def file_stem(name: object, what: str = "nama") -> str:
    """A safe file-name stem for ``name`` (``what`` names it in the error: ``kode_opd``, ``putaran``).

    Raises :class:`UnsafePath` for an empty name (nothing to name a file after).
    """
    text = "" if name is None else str(name)
    if not text.strip(" \t\r\n\0"):
        raise UnsafePath(f"{what} kosong tidak dapat dipakai sebagai nama berkas; isi {what} di data rujukan.")
    stem = _UNSAFE.sub("_", text).lstrip(".")[:MAX_STEM].rstrip(". ")
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    if stem != text:
        stem = f"{stem or '_'}-{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
    return stem


def inside(folder: str | Path, path: str | Path) -> Path:
    """``path``, after checking that it resolves inside ``folder``; raises :class:`UnsafePath` otherwise."""
    base = Path(folder).resolve()
    target = Path(path).resolve()
    if target != base and base not in target.parents:
        raise UnsafePath(f"Menolak menulis {path}: berada di luar folder keluaran {base}.")
    return Path(path)


def output_file(folder: str | Path, name: object, suffix: str, what: str = "nama") -> Path:
    """``<folder>/<safe name><suffix>``, checked to stay inside ``folder``."""
    return inside(folder, Path(folder) / f"{file_stem(name, what)}{suffix}")
