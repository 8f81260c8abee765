"""The validated register and catalogue kept between commands, so that each one does not check them again.

Reading and checking a real catalogue (3,300 SIPD elements) takes about 0.15 s; every stage, every
``satudata check`` and every notebook kernel needs it. The checked result is stored once under
``processed/.cache/referensi.pickle`` with a key, and used again only while the key is the same. The key
covers everything the result depends on:

- the bytes of the register and catalogue files (and the folder they are in);
- the settings (all of them, as :meth:`Settings.as_dict` gives them);
- the package: its version and the size and modification time of every module file, so an edited or
  upgraded ``satudata`` never reads a result its older code made; and the Python and pandas versions.

A cache that is missing, stale, unreadable or from another version is simply rebuilt; one that cannot be
written (a read-only folder) is not an error. Only a register and catalogue that pass their checks are
stored: a problem is found and reported by every command, as before. The file is a pickle the package
writes for itself in the data folder; like the Parquet outputs beside it, it is trusted as the user's own.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sys
from pathlib import Path
from typing import Any

CACHE_FILE = Path(".cache") / "referensi.pickle"
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _package_stamp() -> str:
    """Version, module files (size and mtime) and the versions the pickle depends on."""
    import pandas as pd

    from satudata import __version__

    files = sorted(PACKAGE_DIR.rglob("*.py"))
    stats = [(f.relative_to(PACKAGE_DIR).as_posix(), f.stat().st_size, f.stat().st_mtime_ns) for f in files]
    return json.dumps([__version__, sys.version, pd.__version__, stats])


def reference_key(reference_dir: Path, settings: Any) -> str | None:
    """The key of the register and catalogue that ``settings`` name in ``reference_dir`` (None: a file is
    missing or unreadable; nothing is cached then, and loading says what is wrong)."""
    digest = hashlib.sha256()
    digest.update(_package_stamp().encode())
    digest.update(str(Path(reference_dir).resolve()).encode())
    digest.update(json.dumps(settings.as_dict(), sort_keys=True, default=str).encode())
    for name in (settings.register.file, settings.catalogue.file):
        try:  # in chunks: a file far past the size limit is refused by loading, never held in memory here
            with (Path(reference_dir) / name).open("rb") as fh:
                digest.update(os.fstat(fh.fileno()).st_size.to_bytes(8, "little"))
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
        except OSError:
            return None
    return digest.hexdigest()


def cached_reference(reference_dir: Path, settings: Any, processed_root: Path) -> tuple[Any, Any]:
    """:func:`satudata.reference.catalogue.load_reference`, from the cache under ``processed_root`` when its key matches;
    otherwise loaded, checked and stored. Raises what loading raises (a register or catalogue problem)."""
    from satudata.reference import catalogue

    key = reference_key(reference_dir, settings)
    path = Path(processed_root) / CACHE_FILE
    if key is not None:
        found = _read(path, key)
        if found is not None:
            return found
    reference = catalogue.load_reference(reference_dir, settings)
    if key is not None:
        _write(path, key, reference)
    return reference


def _read(path: Path, key: str) -> tuple[Any, Any] | None:
    try:
        with path.open("rb") as fh:
            stored_key, reference = pickle.load(fh)
    except Exception:  # noqa: BLE001 - missing, truncated, or from another version: rebuilt
        return None
    return reference if stored_key == key else None


def _write(path: Path, key: str, reference: tuple[Any, Any]) -> None:
    """Store atomically (a temporary file moved into place); a folder that cannot be written is skipped."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as fh:
            pickle.dump((key, reference), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # noqa: BLE001 - a folder that cannot be written, or an object that cannot be pickled
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
