"""Benchmark of the per-OPD feedback workbooks of a large region: ``feedback.write_feedback`` alone, timed.

Builds a region like issue 26's stress region but with fewer producers (default 30 OPD owing 2,000 elements
each for 3 years: 180,000 items, each workbook as large as one of the stress region's 300), runs its stages 1
and 2 as the pipeline does (``bench_scale.py``'s generator and stage runner), then writes the feedback
workbooks ``--ulang`` times from the round's Parquet, as the rakor stage reads it, and prints the CPU and wall
seconds of each run, their median and the size written.

    .venv/bin/python benchmarks/bench_feedback.py                    # 30 OPD x 2,000 elements, 5 runs
    .venv/bin/python benchmarks/bench_feedback.py --folder /tmp/fb   # keep the region (reused when it is there)

The CPU time is this process's and its children's: from ``feedback.PARALLEL_FROM`` producers a forked process
writes every other workbook, as in the rakor stage. To compare two versions of the code, run this script
alternately with ``PYTHONPATH`` pointing at each checkout (the ``satudata`` used is printed first) and compare
the medians.

    .venv/bin/python benchmarks/bench_feedback.py --opd 300 --folder /tmp/stress --tulis 30   # the stress region
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # after PYTHONPATH: the satudata compared may be another checkout's

import pandas as pd  # noqa: E402

import satudata  # noqa: E402
from satudata.run import rounds  # noqa: E402
from satudata.run.run_lock import data_lock  # noqa: E402

ROUND = "2024-02-01"


def build_region(base: Path, opd: int, elements: int, years: int) -> Path:
    """The region's data folder under ``base``, with stages 1 and 2 of its round run (kept when already there)."""
    from tests.scale_region import producers, write_reference, write_round

    data = base / "data"
    if (data / "processed" / ROUND / "item_terkini.parquet").exists():
        return data
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_scale import run_stage

    people = producers(0, 100, opd, elements)
    span = list(range(2021, 2021 + years))
    write_reference(data / "reference", people, span)
    write_round(data / "raw" / ROUND, 1, people, span, 100, 0.7, 0.4, random.Random(26))
    folders = rounds.Folders.of(data, base / "reports")
    from satudata.run.notebook import ensure_kernel

    ensure_kernel(lambda _: None)
    with data_lock(data, say=lambda _: None):
        rounds.update_state(folders, ROUND)
        for step in rounds.plan(folders, [ROUND], 2):
            wall, cpu, mib, code = run_stage(step, folders)
            print(f"tahap {step.kind.number} {step.kind.label}: {wall:.1f} s, {cpu:.1f} s CPU, {mib:.0f} MiB")
            if code != 0:
                raise SystemExit(f"tahap {step.kind.number} gagal (kode {code})")
    return data


def cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have ended (the forked writer of every other workbook)."""
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opd", type=int, default=30, help="OPD producers (default 30)")
    parser.add_argument("--elemen", type=int, default=2000, help="elements each OPD owes (default 2000)")
    parser.add_argument("--tahun", type=int, default=3, help="years owed per element (default 3)")
    parser.add_argument("--ulang", type=int, default=5, help="runs of write_feedback (default 5)")
    parser.add_argument("--tulis", type=int, help="write the workbooks of the first N producers only (default all)")
    parser.add_argument("--folder", help="keep the region here and reuse it (default: a temporary folder)")
    args = parser.parse_args()

    print(f"satudata: {Path(satudata.__file__).parent}")
    base = Path(args.folder) if args.folder else Path(tempfile.mkdtemp(prefix="bench-feedback-"))
    data = build_region(base, args.opd, args.elemen, args.tahun)

    from satudata.evaluation import trends
    from satudata.evaluation.round_facts import load_round_facts
    from satudata.outputs.feedback import write_feedback
    from satudata.run.pipeline import Context
    from satudata.run.rakor_stage import register_frame_for
    from satudata.sources.reconcile import load_reconciliation

    ctx = Context.create(ROUND, data, base / "reports", None)
    inputs = trends.load_round_inputs(ctx.paths.processed_root, ctx.round_date)
    register = register_frame_for(ctx).sort_values("kode_opd").head(args.tulis)  # the tables stay the region's
    facts = load_round_facts(ctx.paths.processed_root, ctx.round_date, ctx.settings)
    kualitas = pd.read_parquet(ctx.processed / "kualitas_nilai.parquet")
    diterima = pd.read_parquet(ctx.processed / "item_terkini.parquet")
    rekonsiliasi = load_reconciliation(ctx.processed)
    print(f"{len(register)} produsen, {len(diterima):,} butir, {len(inputs.kekurangan):,} kekurangan, "
          f"{len(inputs.masalah):,} masalah, {len(kualitas):,} peringatan kualitas")  # fmt: skip
    cpus, walls = [], []
    for run in range(1, args.ulang + 1):
        out = Path(tempfile.mkdtemp(prefix="umpan-balik-", dir=base))
        wall, cpu = time.perf_counter(), cpu_seconds()
        paths = write_feedback(register, inputs.progres_opd, inputs.kekurangan, inputs.masalah, ctx.settings, ROUND,
                               out, kualitas=kualitas, diterima=diterima, rekonsiliasi=rekonsiliasi, facts=facts)  # fmt: skip
        cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
        cpus.append(cpu)
        walls.append(wall)
        size = sum(p.stat().st_size for p in paths) / 1024**2
        print(f"run {run}: {len(paths)} buku kerja, {size:.1f} MiB, {cpu:.2f} s CPU, {wall:.2f} s dinding")
        shutil.rmtree(out)
    print(f"median: {statistics.median(cpus):.2f} s CPU, {statistics.median(walls):.2f} s dinding")
    if not args.folder:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
