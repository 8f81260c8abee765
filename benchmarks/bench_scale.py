"""Scale benchmark: a region with many producers (its desa as data producers), every stage as the pipeline runs it.

Generates a data folder: a register, a catalogue (each desa owes ``--elemen-desa`` elements, each OPD
``--elemen-opd``, for ``--tahun`` years), the example settings, and for each of ``--putaran`` rounds one CSV per
``--baris-per-berkas`` element rows for every producer that sends something that round. Then it runs the four
stages of each round the way ``make round`` runs them (:mod:`satudata.run.rounds`), each as its own ``python -m
satudata notebook`` (``make round`` runs them in stage workers that keep their kernel; here each stage gets its own
process, so that each has its own peak) reading the previous stage's Parquet from ``processed/``, one stage at a
time, and prints per
stage the wall time, the CPU time and the peak resident memory of the stage's process and its kernel (``wait4``),
then the size of what the round wrote (report, trend page, deck, workbooks).

    .venv/bin/python benchmarks/bench_scale.py                     # the 400-desa kabupaten, 2 rounds
    .venv/bin/python benchmarks/bench_scale.py --desa 0 --opd 300 --elemen-opd 2000 --putaran 1   # the stress region
    .venv/bin/python benchmarks/bench_scale.py --desa 20 --opd 5 --putaran 1                       # a quick run

Not part of ``make test``: it takes minutes (``make benchmark`` runs it).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from satudata.run import rounds  # noqa: E402
from satudata.run.run_lock import data_lock  # noqa: E402
from tests.scale_region import producers, write_reference, write_round  # noqa: E402

FIRST_ROUND = "2024-02-01"


def run_stage(step: rounds.Step, folders: rounds.Folders) -> tuple[float, float, float, int]:
    """Run one stage as the pipeline does; (wall s, CPU s, peak MiB, exit code) of its process and kernel."""
    env = rounds.stage_environment(folders)
    start = time.perf_counter()
    child = subprocess.Popen(rounds.stage_command(step, folders), env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode


def folder_mib(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1024**2
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1024**2 if path.is_dir() else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desa", type=int, default=400, help="desa producers (default 400)")
    parser.add_argument("--elemen-desa", type=int, default=100, help="elements each desa owes (default 100)")
    parser.add_argument("--opd", type=int, default=50, help="OPD producers (default 50)")
    parser.add_argument("--elemen-opd", type=int, default=200, help="elements each OPD owes (default 200)")
    parser.add_argument("--tahun", type=int, default=3, help="years owed per element (default 3)")
    parser.add_argument("--baris-per-berkas", type=int, default=100, help="element rows per file (default 100)")
    parser.add_argument("--putaran", type=int, default=2, help="rounds (default 2)")
    parser.add_argument("--pengirim", type=float, default=0.7, help="share of producers sending in a round (0.7)")
    parser.add_argument("--isi", type=float, default=0.4, help="share of elements sent in round 1, times the round")
    parser.add_argument("--sampai-tahap", type=int, choices=(1, 2, 3, 4), default=4, help="stop after this stage")
    parser.add_argument("--folder", help="keep the data and reports here (default: a temporary folder)")
    args = parser.parse_args()

    years = list(range(2021, 2021 + args.tahun))
    people = producers(args.desa, args.elemen_desa, args.opd, args.elemen_opd)
    base = Path(args.folder) if args.folder else Path(tempfile.mkdtemp(prefix="bench-scale-"))
    data, reports = base / "data", base / "reports"
    rng = random.Random(26)
    started = time.perf_counter()
    elements = write_reference(data / "reference", people, years)
    dates = [f"2024-{2 + 2 * i:02d}-01" for i in range(args.putaran)]
    sent = []
    for number, round_date in enumerate(dates, start=1):
        sent.append(write_round(data / "raw" / round_date, number, people, years, args.baris_per_berkas, args.pengirim,
                                args.isi, rng))  # fmt: skip
    print(f"wilayah: {len(people)} produsen ({args.desa} desa x {args.elemen_desa} elemen, {args.opd} OPD x "
          f"{args.elemen_opd} elemen), {elements:,} elemen katalog, {elements * len(years):,} butir wajib; "
          f"{args.putaran} putaran; data dibuat dalam {time.perf_counter() - started:.1f} s")  # fmt: skip
    for round_date, (files, values) in zip(dates, sent, strict=True):
        print(f"  {round_date}: {files:,} berkas, {values:,} nilai")

    folders = rounds.Folders.of(data, reports)
    from satudata.run.notebook import ensure_kernel

    ensure_kernel(lambda _: None)
    print(f"{'putaran':<11} {'tahap':<36} {'dinding s':>9} {'CPU s':>7} {'puncak MiB':>10}")
    failed = False
    with data_lock(data, say=lambda _: None):
        for round_date in dates:
            rounds.update_state(folders, round_date)
            total_wall = total_cpu = peak = 0.0
            for step in rounds.plan(folders, [round_date], args.sampai_tahap):
                if step.round != round_date or not step.out_of_date():
                    continue
                wall, cpu, mib, code = run_stage(step, folders)
                total_wall, total_cpu, peak = total_wall + wall, total_cpu + cpu, max(peak, mib)
                print(f"{round_date:<11} {step.kind.number} {step.kind.label:<34} {wall:9.1f} {cpu:7.1f} {mib:10.0f}"
                      + ("" if code == 0 else f"  GAGAL (kode {code})"))  # fmt: skip
                if code != 0:
                    failed = True
                    break
            print(f"{round_date:<11} {'satu putaran':<36} {total_wall:9.1f} {total_cpu:7.1f} {peak:10.0f}")
            if failed:
                break
            if args.sampai_tahap < 4:
                continue
            rounds.settle_rounds(folders, [round_date], say=lambda _: None)
            out = reports / round_date
            print(f"{'':<11} laporan {folder_mib(folders.report(round_date)):.2f} MiB, tren "
                  f"{folder_mib(folders.trend(round_date)):.2f} MiB, salindia "
                  f"{folder_mib(out / f'rakor-{round_date}.pptx'):.2f} MiB, umpan balik "
                  f"{folder_mib(out / 'umpan-balik'):.1f} MiB, unduhan {folder_mib(out / 'unduh'):.1f} MiB; "
                  f"processed {folder_mib(folders.processed(round_date)):.1f} MiB")  # fmt: skip
    if not args.folder:
        shutil.rmtree(base, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
