"""A stage's files appear all at once or not at all.

A stage writes several files (``nilai.parquet``, ``masalah.csv``, ``manifest.json``...), and ``make``
trusts the stage's target file. A run killed halfway used to leave a fresh target beside stale files,
and the next ``make`` built reports from the mix. :func:`staged` writes everything into a hidden
folder beside the outputs first; only when the stage has finished are the files moved into place, one
``os.replace`` each (atomic on one file system), the make target last. A run that dies before leaves
the previous outputs untouched, and its hidden folder is removed by the next run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFIX = ".sementara-"


@contextmanager
def staged(out_dir: Path, last: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield a temporary folder to write the stage's files into; on success move them into ``out_dir``
    (the names in ``last``, the make targets, after every other file). On an error nothing moves."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob(f"{PREFIX}*"):  # left by a run that was killed
        shutil.rmtree(old, ignore_errors=True)
    tmp = out_dir / f"{PREFIX}{os.getpid()}"
    tmp.mkdir()
    try:
        yield tmp
        names = sorted(p.name for p in tmp.iterdir())
        for name in [n for n in names if n not in last] + [n for n in last if n in names]:
            os.replace(tmp / name, out_dir / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
