"""Time each stage of `make demo` (setup excluded) on this machine, then the whole of it.

Run: `.venv/bin/python benchmarks/bench_demo.py` (or `make benchmark`). Target: the whole demo in
under 60 seconds on a 2-core machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from satudata.run.demo import DEMO_ROUNDS  # noqa: E402

STAGES = [
    ("1 baca kiriman", "{data}/processed/{r}/nilai.parquet"),
    ("2 progres", "{data}/processed/{r}/progres_opd.parquet"),
    ("3 laporan", "{reports}/{r}/laporan-evaluasi-{r}.html"),
    ("4 tren/rakor", "{reports}/{r}/tren-{r}.html"),
]


def make(*args: str) -> float:
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    start = time.perf_counter()
    subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), *args], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    make("setup")
    with tempfile.TemporaryDirectory() as tmp:
        data, reports = Path(tmp) / "data", Path(tmp) / "reports"
        dirs = (f"DATA_DIR={data}", f"REPORTS_DIR={reports}")
        print("Tahap make demo (berurutan, satu per satu):")
        t = make("demo-data", *dirs)
        print(f"  {'data demo':16} {'':10} {t:6.2f} s")
        total = t
        for r in DEMO_ROUNDS:
            for name, target in STAGES:
                t = make(*dirs, target.format(data=data, reports=reports, r=r))
                total += t
                print(f"  {name:16} {r:10} {t:6.2f} s")
        print(f"  {'jumlah':16} {'':10} {total:6.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        data, reports = Path(tmp) / "data", Path(tmp) / "reports"
        t = make("demo", f"DATA_DIR={data}", f"REPORTS_DIR={reports}")
        print(f"make demo utuh (-j2, tanpa setup): {t:.2f} s  (target < 60 s)")


if __name__ == "__main__":
    main()
