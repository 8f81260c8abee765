"""Benchmark of the progress stage at province scale.

Default: 35 regions x 45 producers x 1,000 elements x 5 years = 7,875,000 items, 5 rounds of
values (each round about a third of the items, with replaced values, ``...``, ``x``, ``-``,
extra data). The whole province is one catalogue and one register, so the public
``compute_progress`` is timed directly (no per-region loop); ``write_progress`` is timed
separately. Each round's values are written to ``nilai.parquet`` as the reading stage writes them and read back
as the progress stage reads them (:class:`satudata.run.pipeline.RoundValues`: each round's key columns in turn,
then the winning rounds' source columns), so the timed path is the pipeline's (Arrow text columns in chunks, not
arrays built in memory). "values read" is then only each file's schema; the reading is in the progress time. A round as the pipeline runs it
(:func:`satudata.run.pipeline.run_progress`), each in a fresh process: every round's values read, the previous
round's progress read back from what its own process wrote (as stage 2 does when that round is up to date;
``--hitung-ulang`` recomputes it from its values, as when it is not), this round computed, then its
``progres_opd`` and ``item_terkini`` written for the next. Prints wall and CPU time and peak resident memory. Targets (issue 26): at most 10 s and 2 GiB a round.

    .venv/bin/python benchmarks/bench_progress.py            # province scale
    .venv/bin/python benchmarks/bench_progress.py --regions 2  # a quick run
    .venv/bin/python benchmarks/bench_progress.py --all-columns  # every nilai column in memory
    .venv/bin/python benchmarks/bench_progress.py --hitung-ulang  # the previous round recomputed each round
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from satudata.evaluation.progress import NILAI_COLUMNS, compute_progress  # noqa: E402
from satudata.reference.catalogue import Catalogue  # noqa: E402
from satudata.reference.register import Register  # noqa: E402
from satudata.reference.settings import Settings  # noqa: E402
from satudata.run.pipeline import RoundValues  # noqa: E402
from satudata.run.previous_round import read_progress  # noqa: E402

ROUNDS = ["2020-08-27", "2020-10-01", "2020-12-01", "2021-03-01", "2021-06-01"]
STATUSES = np.array(["ada", "nihil", "tidak_tersedia", "rahasia"])
YEARS = (2016, 2017, 2018, 2019, 2020)


def peak_mib() -> float:
    """Peak resident memory of the process (ru_maxrss, KiB on Linux) in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_high_water_mark() -> bool:
    """Reset the kernel's peak RSS (VmHWM) so a stage's own peak can be read (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


TEXT_AS = {"mode": "str"}
RECOMPUTE = {"on": False}


def text(codes: np.ndarray, categories: list[str] | np.ndarray) -> pd.Series:
    """A text column of the value frames (-1 = null): pandas ``str`` (as a plain parquet read gives)
    or ``category`` (as a parquet written from categoricals reads back)."""
    codes = np.asarray(codes)
    if TEXT_AS["mode"] == "category":
        return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(list(categories), dtype="str")))
    taken = pc.take(pa.array(list(categories), pa.string()), pa.array(codes, mask=codes < 0))
    return pd.Series(taken, dtype="str")


def build(regions: int, producers: int, elements: int, share: float, seed: int = 7, needed_only: bool = False):
    rng = np.random.default_rng(seed)
    n_opd = regions * producers
    opd_codes = [f"R{r:02d}.O{o:02d}" for r in range(regions) for o in range(producers)]
    kinds = np.array(["dinas", "badan", "kecamatan", "sekretariat", "organisasi sosial"])
    frame = pd.DataFrame({"kode_opd": opd_codes, "nama_opd": [f"Produsen {c}" for c in opd_codes],
                          "singkatan": [f"P{c}" for c in opd_codes],
                          "jenis": kinds[np.arange(n_opd) % len(kinds)], "alias": ""})
    register = Register(frame)
    n_el = n_opd * elements
    el_opd = np.repeat(np.arange(n_opd), elements)
    el_codes = np.array([f"{c}.E{e:04d}" for c in opd_codes for e in range(elements)], dtype=object)
    urusan = [f"1.{u:02d}" for u in range(30)]
    el_urusan = rng.integers(0, 30, n_el)
    elements_frame = pd.DataFrame({
        "kode_elemen": pd.Series(el_codes, dtype="str"),
        "nama_elemen": text(np.arange(n_el) % 3000, [f"Jumlah hal {i}" for i in range(3000)]),
        "satuan": text(np.arange(n_el) % 5, ["Orang", "Unit", "Ha", "Ton", "Persen"]),
        "kode_urusan": text(el_urusan, urusan), "nama_urusan": text(el_urusan, [f"Urusan {u}" for u in urusan]),
        "kode_opd": text(el_opd, opd_codes), "tahun_wajib": [YEARS] * n_el, "induk": None, "tingkat": 1,
        "dihitung": True, "demo_saja": False,
    })
    catalogue = Catalogue(elements_frame, None, None)
    n_items = n_el * len(YEARS)
    frames = {}
    diligence = rng.uniform(0.2, 1.8, n_opd)  # producers differ, so zones differ
    item_opd = np.repeat(el_opd, len(YEARS))
    for putaran in ROUNDS:
        items = np.flatnonzero(rng.random(n_items) < share * diligence[item_opd])
        extra = int(len(items) * 0.02)
        el, year = items // len(YEARS), np.asarray(YEARS)[items % len(YEARS)]
        el = np.concatenate([el, rng.integers(0, n_el, extra)])
        year = np.concatenate([year, np.full(extra, 2020)])
        n = len(el)
        status = rng.choice(4, n, p=[0.85, 0.05, 0.07, 0.03])
        counted = np.r_[np.ones(n - extra, bool), np.zeros(extra, bool)]
        codes = np.where(counted, el, -1)
        columns = {
            "putaran": text(np.zeros(n, "int64"), [putaran]), "kode_opd": text(el_opd[el], opd_codes),
            "kode_elemen": text(codes, el_codes), "nama_elemen": text(el % 3000, [f"Jumlah hal {i}" for i in
                                                                               range(3000)]),
            "tahun": year.astype("int64"), "nilai": np.where(status < 2, rng.random(n) * 1000, np.nan),
            "status": text(status, STATUSES), "dihitung": counted, "dipakai": True,
            "sumber_file": text(el_opd[el], [f"{c}-{putaran}.xlsx" for c in opd_codes]),
            "sumber_sheet": text(np.zeros(n, "int64"), ["Sheet1"]), "sumber_baris": (el % elements + 2).astype("int64"),
            "sumber_kolom": text(year - YEARS[0], ["C", "D", "E", "F", "G"]),
        }
        frames[putaran] = pd.DataFrame({k: v for k, v in columns.items() if not needed_only or k in NILAI_COLUMNS})
    return register, catalogue, frames, n_items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regions", type=int, default=35)
    parser.add_argument("--producers", type=int, default=45)
    parser.add_argument("--elements", type=int, default=1000)
    parser.add_argument("--share", type=float, default=0.35, help="share of items sent in each round")
    parser.add_argument("--text", choices=["str", "category"], default="str",
                        help="dtype of the repeated text columns of the value frames")
    parser.add_argument("--all-columns", action="store_true",
                        help="keep every contract column of nilai.parquet (the pipeline reads only "
                             "progress.NILAI_COLUMNS, as satudata.run.pipeline.load_nilai does)")
    parser.add_argument("--hitung-ulang", dest="recompute", action="store_true",
                        help="recompute the previous round from its values (as stage 2 does when its key does not "
                             "match) instead of reading it back")
    args = parser.parse_args()
    TEXT_AS["mode"] = args.text
    t0 = time.perf_counter()
    register, catalogue, frames, n_items = build(args.regions, args.producers, args.elements, args.share,
                                                 needed_only=not args.all_columns)
    n_values = sum(len(f) for f in frames.values())
    kept = "all contract columns" if args.all_columns else "the columns the pipeline reads"
    print(f"data ({args.text} text columns, {kept}): {n_items:,} items, {len(register.codes):,} producers, {n_values:,} values in "
          f"{len(frames)} rounds (built in {time.perf_counter() - t0:.1f} s)")
    gc.collect()
    print(f"peak RSS while building the data: {peak_mib():,.0f} MiB; data in memory: "
          f"{_status_mib('VmRSS'):,.0f} MiB")
    folder = Path(tempfile.mkdtemp(prefix="bench-progress-"))
    for putaran, frame in frames.items():  # as the reading stage writes them
        (folder / putaran).mkdir()
        frame.to_parquet(folder / putaran / "nilai.parquet", index=False)
    (folder / "referensi.pickle").write_bytes(pickle.dumps((register, catalogue)))  # as the reference cache keeps them
    del frames, register, catalogue
    gc.collect()
    slowest, slowest_cpu, stage_peak = 0.0, 0.0, 0.0
    for number, putaran in enumerate(ROUNDS):
        # each round in a fresh process, as a stage runs: its CPU from wait4, its peak memory (VmHWM) from itself
        command = [sys.executable, __file__, "--putaran-dalam", str(folder), str(number)]
        child = subprocess.Popen(command + (["--hitung-ulang"] if args.recompute else []), stdout=subprocess.PIPE,
                                 text=True)  # fmt: skip
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{putaran}: the round's process failed")
        line = json.loads(out)
        cpu, peak = usage.ru_utime + usage.ru_stime, line["peak"]
        slowest, slowest_cpu, stage_peak = max(slowest, line["wall"]), max(slowest_cpu, cpu), max(stage_peak, peak)
        print(f"{putaran}: reference {line['reference']:.1f} s, values read {line['read']:.1f} s, previous round and "
              f"this one's progress {line['progress']:.1f} s (then written {line['write']:.1f} s): {line['wall']:.1f} s wall, {cpu:.1f} s CPU, "
              f"peak {peak:,.0f} MiB; pooled {line['pooled']:.2f} %, zones {line['zones']}, "
              f"kekurangan {line['kekurangan']:,}")  # fmt: skip
    print(f"progress stage as the pipeline runs it (reference, values, previous round and this one, one process): "
          f"slowest round {slowest:.1f} s wall, {slowest_cpu:.1f} s CPU (target <= 10 s); peak {stage_peak:,.0f} MiB "
          f"(target <= 2,048 MiB)")  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)


def one_round(folder: Path, number: int) -> None:
    """A round as :func:`satudata.run.pipeline.run_progress` computes it, in this (fresh) process; prints JSON.

    The previous round's progress is read back from what its own process wrote (``progres_opd`` and the compared
    columns of ``item_terkini``, :func:`satudata.run.previous_round.read_progress`), as stage 2 does when the
    previous round's key matches; with ``--hitung-ulang`` it is recomputed from its values (a key that does not
    match). The round then writes the two tables for the next one (timed apart: ``write``)."""
    reset_high_water_mark()  # a forked child starts with its parent's pages counted: measure from here
    t = time.perf_counter()
    register, catalogue = pickle.loads((folder / "referensi.pickle").read_bytes())
    reference = time.perf_counter() - t
    nilai = {r: RoundValues(folder / r / "nilai.parquet") for r in ROUNDS[: number + 1]}  # as load_nilai: read when needed
    read = time.perf_counter() - t - reference
    previous = None
    if number and RECOMPUTE["on"]:
        earlier = {r: v for r, v in nilai.items() if r < ROUNDS[number]}
        previous = compute_progress(ROUNDS[number - 1], earlier, catalogue, register, Settings()).progres_opd
    elif number:
        stored = read_progress(folder / ROUNDS[number - 1])
        previous = stored.progres_opd
    result = compute_progress(ROUNDS[number], nilai, catalogue, register, Settings(), previous)
    wall = time.perf_counter() - t
    out = folder / ROUNDS[number]
    result.progres_opd.to_parquet(out / "progres_opd.parquet", index=False)
    result.item_terkini.to_parquet(out / "item_terkini.parquet", index=False)
    s = result.ringkasan
    print(json.dumps({"reference": reference, "read": read, "progress": wall - reference - read, "wall": wall,
                      "write": time.perf_counter() - t - wall, "peak": _status_mib("VmHWM"),
                      "pooled": s["persen_gabungan"], "zones": s["jumlah_zona"],
                      "kekurangan": len(result.kekurangan)}))  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--putaran-dalam":
        RECOMPUTE["on"] = "--hitung-ulang" in sys.argv[4:]
        one_round(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
