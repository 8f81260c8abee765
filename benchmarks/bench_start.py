"""Benchmark: how fast satudata starts, and a small round through the command line against a naive script.

Run: ``.venv/bin/python benchmarks/bench_start.py [--repeat 7]``. Prints

1. import time (``python -X importtime``, the sum of the top-level imports) of the command line
   (``satudata --help``), of what ``satudata check`` imports (CLI, pipeline, ingest, catalogue) and of what
   the notebook runner imports for every stage (papermill, nbconvert), and the wall time of ``satudata --help`` and of ``satudata check`` on one small file;
   what a notebook stage costs before it does any work (``satudata notebook`` on a notebook with only its
   parameters, and on one that only imports pandas and the package), and ten such stages in one stage worker
   (a kernel kept, as a round runs them) against ten processes;
2. ingest + progress of a round through the CLI, as one process (``satudata hitung``; for the small round also
   as two, ``satudata ingest`` then ``satudata progress``), against a naive pandas + openpyxl script written
   for this benchmark: every sheet read with ``read_excel``, the first row taken as the header with the
   years, element names matched exactly to the catalogue. Three rounds: the small demo round (``satudata
   demo --kecil``, 3 files), the first round of the full demo (41 files of six shapes) and the real ``.xlsx``
   files of ``tests/data/realdata`` (15 files, real shapes and sizes). The percent each gives every OPD is
   printed next to the one the demo planned, so speed is compared with being right.

Commands are timed as whole processes (interpreter start and imports included), as wall time and as CPU
time (user + system of the child processes); the commands compared take turns, ``--repeat`` times after one
untimed turn, and the median and the best are printed: a slow moment of a shared machine then falls on both
sides. The load average is printed too.
Processes run as from a user's shell: the package's bytecode cached. An environment with
``PYTHONDONTWRITEBYTECODE=1`` (as on this machine) would make every start compile the package again.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

PY = sys.executable

NAIVE = textwrap.dedent('''
    """What an analyst writes instead: read every sheet, years in the first row, exact names."""
    import sys
    from pathlib import Path

    import pandas as pd

    data = Path(sys.argv[1])
    round_date = sys.argv[2]
    katalog = pd.read_csv(data / "reference" / "katalog.csv", dtype=str)
    owed = {}
    for row in katalog.itertuples():
        for year in range(int(row.tahun_awal), int(row.tahun_akhir) + 1):
            owed.setdefault(row.kode_opd, set()).add((row.nama_elemen, year))
    names = dict(zip(katalog["nama_elemen"], katalog["kode_opd"]))
    found = set()
    for path in sorted((data / "raw" / round_date).rglob("*.xlsx")):
        for sheet in pd.read_excel(path, sheet_name=None, header=0, engine="openpyxl").values():
            if sheet.empty:
                continue
            label = sheet.columns[0]
            years = [c for c in sheet.columns if str(c).strip().split(".")[0].isdigit() and len(str(c).strip().split(".")[0]) == 4]
            for _, r in sheet.iterrows():
                name = r[label]
                if name in names:
                    for c in years:
                        if pd.notna(pd.to_numeric(r[c], errors="coerce")):
                            found.add((names[name], name, int(str(c).split(".")[0])))
    for kode in sorted(owed):
        done = sum(1 for (k, n, y) in found if k == kode and (n, y) in owed[kode])
        print(f"{kode} {100 * done / len(owed[kode]):.1f}")
''')


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Timing:
    """Seconds of one command (or chain of commands) over its runs: wall and CPU, best and median."""

    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    out: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)

    def line(self) -> str:
        return (f"dinding {self.wall:6.3f} s (terbaik {min(self.walls):.3f}), "
                f"CPU {self.cpu:6.3f} s (terbaik {min(self.cpus):.3f})")  # fmt: skip


def race(runs: dict[str, list[list[str]]], repeat: int, env: dict | None = None) -> dict[str, Timing]:
    """Each entry's commands run one after another, the entries taking turns ``repeat`` times (so a slow moment
    of a shared machine falls on both sides), after one untimed turn that writes the bytecode caches."""
    timings = {name: Timing() for name in runs}
    for turn in range(repeat + 1):
        for name, commands in runs.items():
            start, cpu = time.perf_counter(), _children_cpu()
            for cmd in commands:
                proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
                if proc.returncode != 0:
                    raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
                timings[name].out = proc.stdout
            if turn:
                timings[name].walls.append(time.perf_counter() - start)
                timings[name].cpus.append(_children_cpu() - cpu)
    return timings


def stage_start_up(folder: Path, repeat: int, env: dict) -> None:
    """What every notebook stage costs before it does any work: ``satudata notebook`` (papermill, the kernel's
    start and shutdown, the executed notebook written) on a notebook with only its parameters cell, and on one that
    also imports what a stage imports first (pandas, the pipeline, the charts)."""
    import json

    def notebook(name: str, code: str) -> Path:
        cells = [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": ['putaran = "2020-01-01"\n'],
                  "outputs": [], "execution_count": None}]  # fmt: skip
        if code:
            cells.append({"cell_type": "code", "metadata": {}, "source": [code], "outputs": [], "execution_count": None})
        path = folder / f"{name}.ipynb"
        path.write_text(json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "satudata", "display_name":
                        "satudata", "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")  # fmt: skip
        return path

    empty = notebook("kosong", "")
    imports = notebook("impor", "import pandas, satudata.run.pipeline, satudata.outputs.charts\n")

    def run(path: Path) -> list[list[str]]:
        return [[PY, "-m", "satudata", "notebook", str(path), "--out", str(folder / f"{path.stem}-jalan.ipynb"),
                 "-p", "putaran", "2020-01-02"]]  # fmt: skip

    timed = race({"kosong": run(empty), "impor": run(imports)}, repeat, env)
    print(f"tahap notebook kosong (satudata notebook): {timed['kosong'].line()}")
    print(f"tahap yang hanya mengimpor pandas dan satudata: {timed['impor'].line()}")
    kept_kernel(imports, folder, repeat, env)


def kept_kernel(notebook: Path, folder: Path, repeat: int, env: dict, stages: int = 10) -> None:
    """``stages`` runs of ``notebook`` as a round runs its stages (:mod:`satudata.run.stage_worker`: one process
    and kernel kept for all) against ``stages`` runs of ``satudata notebook`` (a process and kernel each), taking
    turns ``repeat`` times; wall time of the batch, CPU of the processes."""
    from satudata.run.stage_worker import Worker

    arguments = [str(notebook), "--out", str(folder / "tetap-jalan.ipynb"), "-p", "putaran", "2020-01-02"]
    walls: dict[str, list[float]] = {"pekerja": [], "proses": []}
    cpus: dict[str, list[float]] = {"pekerja": [], "proses": []}
    for turn in range(repeat + 1):
        start, cpu = time.perf_counter(), _children_cpu()
        worker = Worker(env, None)
        for _ in range(stages):
            worker.start(arguments)
            while (code := worker.ended()) is None:
                time.sleep(0.005)
            if code != 0:
                raise SystemExit("stage worker failed")
        worker.close()
        worker.proc.wait()
        timings = [(time.perf_counter() - start, _children_cpu() - cpu)]
        start, cpu = time.perf_counter(), _children_cpu()
        for _ in range(stages):
            subprocess.run([PY, "-m", "satudata", "notebook", *arguments], check=True, capture_output=True, env=env)
        timings.append((time.perf_counter() - start, _children_cpu() - cpu))
        if turn:
            for name, (w, c) in zip(("pekerja", "proses"), timings, strict=True):
                walls[name].append(w)
                cpus[name].append(c)
    for name, label in (("pekerja", "satu pekerja tahap, kernel dipakai ulang"), ("proses", "satu proses per tahap")):
        print(f"{stages} tahap yang mengimpor pandas dan satudata, {label}: dinding {statistics.median(walls[name]):.2f} s, "
              f"CPU {statistics.median(cpus[name]):.2f} s (median {repeat} kali)")  # fmt: skip


def ratio(cli: Timing, naive: Timing) -> str:
    return f"rasio CLI / naif (median): dinding {cli.wall / naive.wall:.2f}, CPU {cli.cpu / naive.cpu:.2f}"


# as from a user's shell: bytecode may be cached (see the module's docstring)
USER_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def import_time(modules: str, repeat: int, after_cli: bool = True) -> float:
    """Seconds of imports (sum of the top-level entries of ``-X importtime``), best of ``repeat``: the command
    line imported first (unless not ``after_cli``), then ``modules`` without cycle collection, as
    :func:`satudata.run.cli.main` runs a command."""
    return code_import_time(f"import gc{', satudata.run.cli' if after_cli else ''}; gc.disable(); import {modules}",
                            repeat)  # fmt: skip


def code_import_time(code: str, repeat: int) -> float:
    """Seconds of the imports ``code`` makes (see :func:`import_time`), best of ``repeat``."""
    values = []
    subprocess.run([PY, "-c", code], env=USER_ENV, check=True)  # writes the bytecode cache
    for _ in range(repeat):
        proc = subprocess.run([PY, "-X", "importtime", "-c", code], capture_output=True, text=True,
                              env=USER_ENV)  # fmt: skip
        total = 0
        for line in proc.stderr.splitlines():
            m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
            if m and not m.group(2).startswith(" "):
                total += int(m.group(1))
        values.append(total / 1e6)
    return min(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"load average: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")

    cli_imports = import_time("satudata.run.cli", args.repeat)  # (gc, as the command line has it)
    check_imports = import_time("satudata.run.cli, satudata.run.pipeline, satudata.reading.ingest, satudata.reference.catalogue", args.repeat)
    pandas_imports = import_time("pandas", args.repeat, after_cli=False)
    heavy = subprocess.run(
        [PY, "-c", "import sys, satudata.run.cli, satudata.run.pipeline, satudata.reading.ingest, satudata.reference.catalogue; "
         "print(' '.join(m for m in ('pandera', 'matplotlib', 'pptx', 'openpyxl', 'seaborn') if m in sys.modules) "
         "or '-')"], capture_output=True, text=True, env=USER_ENV).stdout.strip()
    print(f"impor CLI (satudata --help):            {cli_imports:.3f} s")
    print(f"impor untuk check (CLI+ingest+katalog): {check_imports:.3f} s  (pandas sendiri {pandas_imports:.3f} s;"
          f" modul berat termuat: {heavy})")
    runner = "import papermill, nbconvert"  # what `satudata notebook` imports to run and render each stage
    plain = code_import_time(runner, args.repeat)
    skipped = code_import_time(f"from satudata.run.notebook import skip_iri_grammar; skip_iri_grammar(); {runner}",
                               args.repeat)  # fmt: skip
    print(f"impor penjalan notebook per tahap:      {skipped:.3f} s  (tanpa melewati rfc3987_syntax {plain:.3f} s)")

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        subprocess.run([PY, "-m", "satudata", "demo", "--kecil", "--data-dir", str(data)], check=True,
                       capture_output=True)
        from satudata.run.demo import SMALL_ROUND, SMALL_SHARES

        raw = data / "raw" / SMALL_ROUND
        small_file = sorted(raw.glob("*.xlsx"))[0]
        n_small = len([p for p in raw.iterdir() if not p.name.startswith('.')])
        env = {**USER_ENV, "SATUDATA_DATA_DIR": str(data), "SATUDATA_REPORTS_DIR": str(Path(tmp) / "reports")}
        starts = race({"help": [[PY, "-m", "satudata", "--help"]],
                       "check": [[PY, "-m", "satudata", "check", str(small_file)]]}, args.repeat, env)  # fmt: skip
        print(f"satudata --help:                        {starts['help'].wall:.3f} s (proses utuh, median)")
        print(f"satudata check {small_file.name}:          {starts['check'].wall:.3f} s (proses utuh, median)")
        stage_start_up(Path(tmp), args.repeat, env)

        cli = [PY, "-m", "satudata"]
        naive_file = Path(tmp) / "naive.py"
        naive_file.write_text(NAIVE, encoding="utf-8")
        small = race({
            "hitung": [[*cli, "hitung", "--round", SMALL_ROUND]],
            "dua": [[*cli, stage, "--round", SMALL_ROUND] for stage in ("ingest", "progress")],
            "naif": [[PY, str(naive_file), str(data), SMALL_ROUND]],
        }, args.repeat, env)  # fmt: skip

    print(f"putaran kecil ({n_small} berkas, 4 OPD):")
    print(f"  CLI satu proses (hitung):     {small['hitung'].line()}")
    print(f"  CLI ingest lalu progress:     {small['dua'].line()}")
    print(f"  skrip naif pandas + openpyxl: {small['naif'].line()}")
    print(f"  {ratio(small['hitung'], small['naif'])}")
    planned = {f"DIN0{i + 1}": 100 * share for i, share in enumerate(SMALL_SHARES)}
    cli_percent = {line.split()[0]: line.split()[1] for line in small["hitung"].out.splitlines()
                   if line.startswith("DIN")}  # fmt: skip
    naive_percent = dict(line.split() for line in small["naif"].out.splitlines() if line.strip())
    print("  OPD     rencana   CLI     naif")
    for kode, share in planned.items():
        print(f"  {kode:7} {share:7.1f}   {cli_percent.get(kode, '-'):7} {naive_percent.get(kode, '-')}")
    full_demo_round(args.repeat)
    real_files_round(args.repeat)


def full_demo_round(repeat: int) -> None:
    """The first round of the full demo (43 producers, 35 files of six shapes) through ``satudata hitung``
    and through the naive script: time, and how many producers each gives the percent the demo planned."""
    from satudata.run.demo import DEMO_ROUNDS, plan_demo

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        subprocess.run([PY, "-m", "satudata", "demo", "--data-dir", str(data)], check=True, capture_output=True)
        round_date = DEMO_ROUNDS[0]
        env = {**USER_ENV, "SATUDATA_DATA_DIR": str(data), "SATUDATA_REPORTS_DIR": str(Path(tmp) / "reports")}
        files = len([p for p in (data / "raw" / round_date).iterdir() if not p.name.startswith(".")])
        naive_file = Path(tmp) / "naive.py"
        naive_file.write_text(NAIVE, encoding="utf-8")
        timing = race({"hitung": [[PY, "-m", "satudata", "hitung", "--round", round_date]],
                       "naif": [[PY, str(naive_file), str(data), round_date]]}, repeat, env)  # fmt: skip
        cli_out, naive_out = timing["hitung"].out, timing["naif"].out
    plan = plan_demo()
    planned = {p.kode_opd: plan.expected_percent(p.kode_opd, round_date) for p in plan.producers}
    cli = {line.split()[0]: float(line.split()[1].replace(",", ".")) for line in cli_out.splitlines()
           if line.split() and line.split()[0] in planned and line.split()[1] != "-"}  # fmt: skip
    naive = {line.split()[0]: float(line.split()[1]) for line in naive_out.splitlines() if line.strip()}

    def right(found: dict[str, float]) -> int:
        return sum(1 for k, v in planned.items() if v is not None and k in found and abs(found[k] - v) < 0.05)

    wanted = sum(1 for v in planned.values() if v is not None)
    print(f"putaran pertama demo penuh ({len(planned)} OPD, {files} berkas):")
    print(f"  satudata hitung:              {timing['hitung'].line()}; persen tepat {right(cli)}/{wanted} OPD")
    print(f"  skrip naif pandas + openpyxl: {timing['naif'].line()}; persen tepat {right(naive)}/{wanted} OPD")
    print(f"  {ratio(timing['hitung'], timing['naif'])}")


CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "realdata" / "corpus" / "files"


def real_files_round(repeat: int) -> None:
    """The real ``.xlsx`` files of the corpus (``tests/data/realdata``, the files the naive script can open) as one
    round with the demo's reference: the time of both on real shapes and sizes. Neither finds the demo's
    elements in them, so only the time is compared."""
    import shutil

    files = sorted(CORPUS.glob("*.xlsx"))
    if not files:
        return
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo"
        subprocess.run([PY, "-m", "satudata", "demo", "--kecil", "--data-dir", str(demo)], check=True,
                       capture_output=True)  # fmt: skip
        data = Path(tmp) / "data"  # the demo's reference, and this one round
        shutil.copytree(demo / "reference", data / "reference")
        round_date = "2024-01-15"
        raw = data / "raw" / round_date
        raw.mkdir(parents=True)
        for f in files:
            shutil.copy(f, raw / f.name)
        env = {**USER_ENV, "SATUDATA_DATA_DIR": str(data), "SATUDATA_REPORTS_DIR": str(Path(tmp) / "reports")}
        naive_file = Path(tmp) / "naive.py"
        naive_file.write_text(NAIVE, encoding="utf-8")
        timing = race({"hitung": [[PY, "-m", "satudata", "hitung", "--round", round_date]],
                       "naif": [[PY, str(naive_file), str(data), round_date]]}, repeat, env)  # fmt: skip
    size = sum(f.stat().st_size for f in files) / 1024
    print(f"berkas .xlsx nyata dari korpus ({len(files)} berkas, {size:.0f} KB), referensi demo:")
    print(f"  satudata hitung:              {timing['hitung'].line()}")
    print(f"  skrip naif pandas + openpyxl: {timing['naif'].line()}")
    print(f"  {ratio(timing['hitung'], timing['naif'])}")


if __name__ == "__main__":
    main()
