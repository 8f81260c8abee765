"""Benchmark: what each file of the bad-input corpus costs to ingest, and the whole corpus as one round.

Run: ``.venv/bin/python benchmarks/bench_hostile.py``. The corpus is ``tests/hostile_files.hostile_corpus``
(good files next to a cell in XFD1048576, a zip bomb, XML ``ss:Index`` and HTML ``colspan`` of 20,000,000,
an ODS repeating a value over 16,000 x 1,000,000 cells, a 10 MB one-line CSV, a 65 MB CSV, 500 sheets, NUL
bytes, mixed encodings, symlinks, ...), plus a BIFF ``.xls`` with a value in its last cell (IV65536, within
the default limits: the most a legal ``.xls`` sheet can span).

Each file is ingested alone in a fresh process (``ingest_file``, as ``satudata check`` does: the file is read
in a forked reading worker under the limits). Printed per file: the wall time of the ingestion, the peak
resident memory of the reading worker (``getrusage(RUSAGE_CHILDREN).ru_maxrss``) and of the process
itself (``RUSAGE_SELF``; mostly the imported libraries), and the issue it got. ``25_tidak_terbaca.xlsx``
is readable here (the test makes it unreadable; root can read any file). Then the whole corpus as
one round (``ingest_round``, default workers). The bound printed is the reading workers' memory cap
(``read_limits.max_memory_bytes``, address space added to what the worker had at its fork); every peak
must stay far under it for the files the checks before reading refuse.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from satudata.formats import read_limits  # noqa: E402
from tests.hostile_files import SAMPLE_XLS, hostile_corpus, xls_far_cell  # noqa: E402

ROUND = "2024-03-01"

# run in a fresh process per file: ingest, wait for the reading worker to be reaped, report the usage
CHILD = r"""
import json, resource, sys, threading, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from satudata.reading.ingest import ingest_file, ingest_round
from satudata.reference.settings import Settings
from tests.integration.messy_fixtures import make_catalogue, make_register
register, catalogue, settings = make_register(), make_catalogue(), Settings()
path = Path(sys.argv[2])
start = time.perf_counter()
if path.is_dir() and not path.is_symlink():
    res = ingest_round(path, sys.argv[3], register, catalogue, settings)
else:
    res = ingest_file(path, sys.argv[3], register, catalogue, settings)
elapsed = time.perf_counter() - start
for t in threading.enumerate():
    if t.name.startswith("reap-"):
        t.join()
codes = sorted(set(res.masalah["kode_masalah"].astype(str)))
print(json.dumps({"seconds": elapsed, "self_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "worker_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "values": int(len(res.nilai)), "issues": codes}))
"""


def measure(path: Path) -> dict:
    run = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(path), ROUND], capture_output=True,
                         text=True, check=False, cwd=ROOT)  # fmt: skip
    if run.returncode != 0:
        return {"error": (run.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(run.stdout.strip().splitlines()[-1])


def mib(kib: int) -> str:
    return f"{kib / 1024:8.1f}"


def main() -> None:
    limits = read_limits.LIMITS
    print(f"bad-input corpus: reading workers capped at max_memory_bytes = {limits.max_memory_bytes / 1024**3:.1f} "
          f"GiB (added address space), max_seconds = {limits.max_seconds:.0f} s per file")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        raw = Path(tmp) / "raw" / ROUND
        expected, good = hostile_corpus(raw, Path(tmp) / "di_luar")
        xls_far_cell(SAMPLE_XLS, raw / "26_xls_sel_terakhir.xls")
        names = sorted(p.name for p in raw.iterdir())
        print(f"{'file':34} {'time s':>7} {'worker MiB':>10} {'self MiB':>9}  values  issues")
        worst = 0
        for name in names:
            r = measure(raw / name)
            if "error" in r:
                print(f"{name[:34]:34} FAILED: {r['error']}")
                continue
            worst = max(worst, r["worker_kib"])
            print(f"{name[:34]:34} {r['seconds']:7.3f} {mib(r['worker_kib']):>10} {mib(r['self_kib']):>9}  "
                  f"{r['values']:6d}  {', '.join(r['issues']) or '-'}")
        start = time.perf_counter()
        whole = measure(raw)
        wall = time.perf_counter() - start
        if "error" in whole:
            print(f"whole corpus as one round: FAILED: {whole['error']}")
            return
        print(f"whole corpus ({len(names)} files) as one round: {whole['seconds']:.2f} s ingest ({wall:.1f} s with "
              f"start-up), peak reading worker {mib(whole['worker_kib']).strip()} MiB, process "
              f"{mib(whole['self_kib']).strip()} MiB, {whole['values']} values "
              f"(good files hold {len(good)})")  # fmt: skip
        print(f"highest reading-worker peak of one file: {worst / 1024:.1f} MiB "
              f"(bound: {limits.max_memory_bytes / 1024**2:.0f} MiB added address space)")


if __name__ == "__main__":
    main()
