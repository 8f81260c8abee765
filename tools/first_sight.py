"""Score the reader on a batch of real files as a new user would meet them: one round, the demo's reference.

usage: python tools/first_sight.py BATCH_DIR [BATCH_DIR ...] [--round 2023-06-01] [--keep DIR] [--verbose]

A batch is a folder with ``files/`` (the real files, byte for byte as published) and ``truth/`` (one CSV
per file with the columns of ``tools/score_cells.py``). Every batch named is copied into ``raw/<round>/``
of a scratch data folder whose reference is the demo's (``satudata demo``'s catalogue, register and
settings), the round's ingest runs as ``satudata ingest`` runs it, and ``tools/score_cells.py`` prints one
line per file and the summary. Exits with the scorer's code (1 below 95 % right or with any wrong or extra
value).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_round(batches: list[Path], data: Path, round_date: str) -> Path:
    """A data folder with the demo reference and every batch's files as round ``round_date``; the truth
    files of all batches gathered in ``data/truth``."""
    from satudata.run.demo import plan_demo, write_reference
    from satudata.run.pipeline import Context, run_ingest

    write_reference(plan_demo(), data / "reference")
    raw, truth = data / "raw" / round_date, data / "truth"
    raw.mkdir(parents=True)
    truth.mkdir()
    for batch in batches:
        for path in sorted((batch / "files").iterdir()):
            if path.is_file():
                if (raw / path.name).exists():
                    raise SystemExit(f"{path.name} ada di dua batch: beri nama lain")
                shutil.copyfile(path, raw / path.name)
        for path in sorted((batch / "truth").glob("*.csv")):
            shutil.copyfile(path, truth / f"{batch.name}-{path.name}")
    run_ingest(Context.create(round_date, data, data.parent / "reports"))
    return truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("batches", nargs="+", type=Path)
    parser.add_argument("--round", default="2023-06-01")
    parser.add_argument("--keep", type=Path, help="build the data folder here and keep it")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="first-sight-") as scratch:
        root = args.keep or Path(scratch)
        if args.keep:
            shutil.rmtree(root, ignore_errors=True)
        data = root / "data"
        truth = build_round([b.resolve() for b in args.batches], data, args.round)
        command = [sys.executable, str(ROOT / "tools" / "score_cells.py"), str(truth), str(data), args.round]
        return subprocess.run(command + (["--verbose"] if args.verbose else []), check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
