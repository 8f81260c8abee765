"""``make clean``: remove what the pipeline generated, and nothing else.

A round folder under ``processed/`` is the pipeline's when it holds ``.masukan`` or ``manifest.json``;
one under the reports folder when it holds the round's ``notebooks/`` or its dated report. Only
folders named as a round (``YYYY-MM-DD``) are looked at, symlinks are never followed, and the
submission templates folder goes only when it holds nothing but workbooks. Another folder that
happens to be named like a date, or any file of the user's, stays.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
from pathlib import Path

from satudata.common.paths import ROUND_PATTERN, Paths
from satudata.reference.reference_cache import CACHE_FILE
from satudata.run.staged_reports import PREFIX as STAGE_PREFIX

HISTORY_FILE = "riwayat_progres_opd.parquet"


def _generated_processed(folder: Path) -> bool:
    return (folder / ".masukan").is_file() or (folder / "manifest.json").is_file()


def _generated_report(folder: Path) -> bool:
    r = folder.name
    return (folder / "notebooks").is_dir() or (folder / f"laporan-evaluasi-{r}.html").is_file()


def _rounds(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if ROUND_PATTERN.match(p.name) and p.is_dir() and not p.is_symlink())


def clean(paths: Paths) -> list[Path]:
    """Remove the generated outputs under ``paths``; returns what was removed."""
    removed = []
    for folder in _rounds(paths.processed_root):
        if _generated_processed(folder):
            shutil.rmtree(folder)
            removed.append(folder)
    history = paths.processed_root / HISTORY_FILE
    if history.is_file() and not history.is_symlink():
        history.unlink()
        removed.append(history)
    cache = paths.processed_root / CACHE_FILE  # the checked register and catalogue (satudata.reference.reference_cache)
    if cache.is_file() and not cache.is_symlink():
        cache.unlink()
        removed.append(cache)
        with contextlib.suppress(OSError):
            cache.parent.rmdir()  # only when nothing else is in it
    for folder in _rounds(paths.reports_dir):
        if _generated_report(folder):
            shutil.rmtree(folder)
            removed.append(folder)
    if paths.reports_dir.is_dir():  # hidden folders of a stage killed midway (satudata.run.staged_reports)
        for folder in sorted(paths.reports_dir.glob(f"{STAGE_PREFIX}????-??-??-*")):
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder)
                removed.append(folder)
    templates = paths.reports_dir / "templat"
    if templates.is_dir() and not templates.is_symlink() and all(
        p.is_file() and p.suffix == ".xlsx" for p in templates.iterdir()
    ):
        shutil.rmtree(templates)
        removed.append(templates)
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m satudata.run.clean", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir")
    parser.add_argument("--reports-dir")
    args = parser.parse_args(argv)
    paths = Paths.from_env(args.data_dir, args.reports_dir)
    if not paths.data_dir.is_dir():  # nothing to clean, and no folder made just to hold its lock
        removed = clean(paths)
    else:
        from satudata.run.run_lock import holding

        with holding(paths.data_dir, say=lambda text: print(text, file=sys.stderr, flush=True)):  # never under a round
            removed = clean(paths)
    print(f"{len(removed)} keluaran dihapus dari {paths.data_dir / 'processed'} dan {paths.reports_dir}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
