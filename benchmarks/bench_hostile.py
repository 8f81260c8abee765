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

Then big sources (issue 26: a 427 MB e-Walidata JSON ran 600 s and 4.2 GB, a large DSSD export 240 s and 3.4 GB):
a round of the sources test reference (two OPDs, ``[sumber.sipd]`` DSSD exports ``sipd/*.xlsx``,
``[sumber.ewalidata]`` ``sipd/*.json``) whose good files are an OPD's CSV, a small DSSD export and a small
e-Walidata JSON, run as the pipeline runs stages 1 and 2 (``run_ingest``, ``run_progress``; source files read in
the guarded reading worker under the file limits) in a fresh process, without a big file, then with each of: an
e-Walidata JSON just under the text limit (60 MiB, 240,000 records: read), a 400 MiB e-Walidata JSON (a provincial
dump, 1.5 M records), a 300 MiB DSSD export (``.xlsx``, 2.4 M element rows, as ``[sumber.sipd]`` and again as an
OPD's own file in the round folder), both, and the 400 MiB JSON again with ``[batas]`` raised so that it is read (its
values are made in the reading worker, under its memory cap: the default 3 GiB, then 2 GiB, past which it is an
issue). Printed per run: wall and CPU time (this process and its reading
workers) of each stage, the peak resident memory of the process and of its reading workers, the issue each big
file got and the values read from it, and the values of the good files read. The big files are written
with real content (:func:`tests.hostile_files.ewalidata_json`, :func:`tests.hostile_files.dssd_xlsx`; about a
minute); a small file of each generator is read first to show the content is what the readers accept.

    .venv/bin/python benchmarks/bench_hostile.py                  # both parts
    .venv/bin/python benchmarks/bench_hostile.py --bagian sumber  # the big sources only
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from satudata.formats import read_limits  # noqa: E402
from tests.hostile_files import SAMPLE_XLS, dssd_xlsx, ewalidata_json, hostile_corpus, xls_far_cell  # noqa: E402

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


def files_corpus() -> None:
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


# --- big sources -----------------------------------------------------------------------------------------

SOURCE_ROUND = "2024-04-01"
SOURCES = '\n[sumber.sipd]\njenis = "dssd"\nberkas = "sipd/*.xlsx"\n\n[sumber.ewalidata]\njenis = "ewalidata"\nberkas = "sipd/*.json"\n'
GOOD = {"dinkes.csv": "DINKES", "sipd/dssd-pendidikan.xlsx": "DISDIK", "sipd/ewalidata-pendidikan.json": "DISDIK"}
# just under the text limit (the generator overshoots by up to a chunk of 6,000 records, 1.7 MB): read, not refused
WITHIN = read_limits.LIMITS.max_text_bytes - 4 * 1024**2
BIG = {"ewalidata": ("sipd/ewalidata-provinsi.json", 400 * 1024**2), "dssd": ("sipd/dssd-provinsi.xlsx", 300 * 1024**2),
       "dalam_batas": ("sipd/ewalidata-kabupaten.json", WITHIN)}
CASES = [("tanpa berkas besar", {}),
         ("e-Walidata JSON < 64 MiB (dalam batas)", {"dalam_batas": "sipd/ewalidata-kabupaten.json"}),
         ("e-Walidata JSON 400 MiB", {"ewalidata": "sipd/ewalidata-provinsi.json"}),
         ("ekspor DSSD 300 MiB ([sumber.sipd])", {"dssd": "sipd/dssd-provinsi.xlsx"}),
         ("ekspor DSSD 300 MiB (berkas OPD)", {"dssd": "dssd-provinsi.xlsx"}),
         ("keduanya", {"ewalidata": "sipd/ewalidata-provinsi.json", "dssd": "sipd/dssd-provinsi.xlsx"}),
         # the limits raised so the 400 MiB JSON is read: its values are made in the reading worker, under its cap
         ("e-Walidata JSON 400 MiB, [batas] naik", {"ewalidata": "sipd/ewalidata-provinsi.json"},
          "ukuran_teks_mb = 1024\nukuran_berkas_mb = 1024\n"),
         ("  idem, memori_mb = 2048", {"ewalidata": "sipd/ewalidata-provinsi.json"},
          "ukuran_teks_mb = 1024\nukuran_berkas_mb = 1024\nmemori_mb = 2048\n")]  # fmt: skip

# stages 1 and 2 as the pipeline runs them, in a fresh process; the usage of the process and its reading workers
ROUND_CHILD = r"""
import json, resource, sys, threading, time
sys.path.insert(0, sys.argv[1])
from satudata.run.pipeline import Context, run_ingest, run_progress
data, big, good = sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])

def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime

def reaped():
    for t in threading.enumerate():
        if t.name.startswith("reap-"):
            t.join()

ctx = Context.create(sys.argv[5], data, data + "/reports", None)
t0, c0 = time.perf_counter(), cpu()
ingest = run_ingest(ctx)
reaped()
t1, c1 = time.perf_counter(), cpu()
progress = run_progress(ctx).progres_opd.set_index("kode_opd")
reaped()
t2, c2 = time.perf_counter(), cpu()
masalah = ingest.masalah.astype({"sumber_file": str})
issues = {rel: [[r.kode_masalah, r.pesan] for r in masalah[masalah["sumber_file"] == rel].itertuples()] for rel in big}
nilai = ingest.nilai.astype({"sumber_file": str})
read = {rel: int(((nilai["sumber_file"] == rel) & nilai["status"].isin(["ada", "nihil"])).sum()) for rel in good + big}
print(json.dumps({"ingest": [t1 - t0, c1 - c0], "progress": [t2 - t1, c2 - c1],
                  "self_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "worker_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "issues": issues, "read": read,
                  "terpenuhi": {k: int(v) for k, v in progress["terpenuhi"].items()}}))
"""


def source_round(root: Path) -> Path:
    """The data folder of the big-sources round with its good files (no big file yet)."""
    import pandas as pd

    from satudata.reading.dssd import write_table
    from tests.sources_reference import BASE, write_reference

    write_reference(root, BASE + SOURCES)
    raw = root / "raw" / SOURCE_ROUND
    (raw / "sipd").mkdir(parents=True)
    (raw / "dinkes.csv").write_text("Uraian,Satuan,2021,2022,2023\nJumlah puskesmas,Unit,27,28,29\n"
                                    "Jumlah tenaga kesehatan,Orang,1200,1210,\n", encoding="utf-8")  # fmt: skip
    write_table(pd.DataFrame({"kode_dssd": ["1.01.0001"], "uraian_dssd": ["Jumlah sekolah dasar"], "satuan": ["Unit"],
                              "data_2021": [41], "data_2022": [42], "data_2023": [42]}),
                raw / "sipd" / "dssd-pendidikan.xlsx")  # fmt: skip
    records = [{"kodeindikator": "1.01.0002", "uraian_indikator": "Jumlah guru sekolah dasar", "satuan": "Orang",
                "bidangurusan": "Pendidikan", "tahun": str(y), "data": v, "status_verifikasi_walidata": "Terverifikasi",
                "lastupdate": "2024-03-28 09:00:00"} for y, v in ((2021, "350"), (2022, "355"), (2023, "-"))]  # fmt: skip
    (raw / "sipd" / "ewalidata-pendidikan.json").write_text(json.dumps({"status": True, "data": records}), encoding="utf-8")
    return raw


def run_source_round(root: Path, big: list[str]) -> dict:
    shutil.rmtree(root / "processed" / SOURCE_ROUND, ignore_errors=True)
    run = subprocess.run([sys.executable, "-c", ROUND_CHILD, str(ROOT), str(root), json.dumps(big), json.dumps(list(GOOD)),
                          SOURCE_ROUND], capture_output=True, text=True, check=False, cwd=ROOT)  # fmt: skip
    if run.returncode != 0:
        return {"error": (run.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(run.stdout.strip().splitlines()[-1])


def big_sources(tmp: Path) -> None:
    from satudata.reading.dssd import read_dssd
    from satudata.sources.ewalidata import read_ewalidata

    limits = read_limits.LIMITS
    print(f"\nsumber besar: batas berkas max_file_bytes = {limits.max_file_bytes / 1024**2:.0f} MiB, max_text_bytes = "
          f"{limits.max_text_bytes / 1024**2:.0f} MiB (JSON, CSV); pekerja baca {limits.max_memory_bytes / 1024**3:.1f} "
          f"GiB, {limits.max_seconds:.0f} s per berkas")  # fmt: skip
    small = tmp / "kecil"
    small.mkdir()
    e = ewalidata_json(small / "e.json", 2 * 1024**2)
    d = dssd_xlsx(small / "d.xlsx", 2 * 1024**2)
    ce, cd = read_ewalidata(small / "e.json").counts(), read_dssd(small / "d.xlsx").counts()
    print(f"  isi yang sama, 2 MiB: e-Walidata {e['records']:,} rekaman dibaca sebagai {ce['sel']:,} sel "
          f"({ce.get('ada', 0):,} ada); DSSD {d['rows']:,} baris dibaca sebagai {cd['sel']:,} sel ({cd.get('ada', 0):,} ada)")
    root = tmp / "data"
    raw = source_round(root)
    stash = tmp / "besar"
    stash.mkdir()
    for kind, (rel, size) in BIG.items():
        start = time.perf_counter()
        made = (dssd_xlsx if kind == "dssd" else ewalidata_json)(stash / Path(rel).name, size)
        print(f"  {Path(rel).name}: {made['bytes']:,} byte, {made.get('records', made.get('rows')):,} "
              f"{'baris elemen' if kind == 'dssd' else 'rekaman'}, ditulis dalam {time.perf_counter() - start:.1f} s")
    run_source_round(root, [])  # the reference cache built once, as in any round after the first
    print(f"  {'putaran':36} {'tahap 1 s':>9} {'CPU s':>6} {'tahap 2 s':>9} {'CPU s':>6} {'proses MiB':>10} "
          f"{'pekerja MiB':>11}  berkas besar: masalah; nilai berkas baik")  # fmt: skip
    settings = root / "reference" / "pengaturan.toml"
    plain = settings.read_text(encoding="utf-8")
    for label, placed, *batas in CASES:
        for kind, rel in placed.items():
            os.replace(stash / Path(BIG[kind][0]).name, raw / rel)
        settings.write_text(plain + (f"\n[batas]\n{batas[0]}" if batas else ""), encoding="utf-8")
        try:
            r = run_source_round(root, list(placed.values()))
        finally:
            settings.write_text(plain, encoding="utf-8")
            for kind, rel in placed.items():
                os.replace(raw / rel, stash / Path(BIG[kind][0]).name)
        if "error" in r:
            print(f"  {label:36} GAGAL: {r['error']}")
            continue
        said = "; ".join(f"{Path(rel).name}: {', '.join(code for code, _ in r['issues'][rel]) or 'tanpa masalah'}, "
                         f"{r['read'][rel]:,} nilai" for rel in placed.values()) or "-"  # fmt: skip
        good = [(k, v) for k, v in r["read"].items() if k in GOOD]
        print(f"  {label:36} {r['ingest'][0]:9.2f} {r['ingest'][1]:6.2f} {r['progress'][0]:9.2f} {r['progress'][1]:6.2f} "
              f"{mib(r['self_kib']):>10} {mib(r['worker_kib']):>11}  {said}; "
              f"{sum(v for _, v in good)} nilai ({', '.join(f'{k} {v}' for k, v in good)}); terpenuhi "
              f"{', '.join(f'{k} {v}' for k, v in sorted(r['terpenuhi'].items()))}")  # fmt: skip
        for rel in placed.values():
            for _, message in r["issues"][rel][:1]:
                print(f"      {message[:150]}...")
    print("  (tahap 1 dan 2 dalam proses baru tiap putaran; CPU = proses dan pekerja bacanya; MiB = puncak memori "
          "resident; berkas dalam batas berisi kode yang tidak ada di katalog, seperti dump provinsi)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bagian", choices=("berkas", "sumber", "semua"), default="semua",
                        help="berkas: the bad-input corpus; sumber: the big sources; semua: both (default)")
    args = parser.parse_args()
    if args.bagian in ("berkas", "semua"):
        files_corpus()
    if args.bagian in ("sumber", "semua"):
        with tempfile.TemporaryDirectory(prefix="bench-sumber-") as tmp:
            big_sources(Path(tmp))


if __name__ == "__main__":
    main()
