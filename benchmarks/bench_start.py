"""Benchmark: how fast satudata starts, and a small round through the command line against a naive script.

Run: ``.venv/bin/python benchmarks/bench_start.py [--repeat 5]``. Prints

1. import time (``python -X importtime``, the sum of the top-level imports) of the command line
   (``satudata --help``) and of what ``satudata check`` imports (CLI, pipeline, ingest, catalogue), and the
   wall time of ``satudata --help`` and of ``satudata check`` on one small file;
2. ingest + progress of the small demo round (``satudata demo --kecil``) through the CLI, as one process
   (``satudata hitung``) and as two (``satudata ingest`` then ``satudata progress``), against a naive
   pandas + openpyxl script written for this benchmark: every sheet read with ``read_excel``, the first row
   taken as the header with the years, element names matched exactly to the catalogue. Both are timed as
   whole processes (interpreter start and imports included), best of ``--repeat``; the percent each gives
   every OPD is printed next to the one the demo planned, so speed is compared with being right.

Every timing is the best of ``--repeat`` runs, as wall time and as CPU time (user + system of the child
processes, which a busy machine does not inflate); the load average is printed (the machine may be shared).
Processes run as from a user's shell: the package's bytecode cached. An environment with
``PYTHONDONTWRITEBYTECODE=1`` (as on this machine) would make every start compile the package again.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
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


def timed(commands: list[list[str]], repeat: int, env: dict | None = None) -> tuple[float, float, str]:
    """Best wall and best CPU seconds of running ``commands`` one after another, and the last one's output."""
    walls, cpus, out = [], [], ""
    for _ in range(repeat):
        start, cpu = time.perf_counter(), _children_cpu()
        for cmd in commands:
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
            if proc.returncode != 0:
                raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
            out = proc.stdout
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
    return min(walls), min(cpus), out


def best(cmd: list[str], repeat: int, env: dict | None = None) -> tuple[float, str]:
    wall, _, out = timed([cmd], repeat, env)
    return wall, out


# as from a user's shell: bytecode may be cached (see the module's docstring)
USER_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def import_time(modules: str, repeat: int, after_cli: bool = True) -> float:
    """Seconds of imports (sum of the top-level entries of ``-X importtime``), best of ``repeat``: the command
    line imported first (unless not ``after_cli``), then ``modules`` without cycle collection, as
    :func:`satudata.cli.main` runs a command."""
    values = []
    code = f"import gc{', satudata.cli' if after_cli else ''}; gc.disable(); import {modules}"
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
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"load average: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")

    cli_imports = import_time("satudata.cli", args.repeat)  # (gc, as the command line has it)
    check_imports = import_time("satudata.cli, satudata.pipeline, satudata.ingest, satudata.catalogue", args.repeat)
    pandas_imports = import_time("pandas", args.repeat, after_cli=False)
    heavy = subprocess.run(
        [PY, "-c", "import sys, satudata.cli, satudata.pipeline, satudata.ingest, satudata.catalogue; "
         "print(' '.join(m for m in ('pandera', 'matplotlib', 'pptx', 'openpyxl', 'seaborn') if m in sys.modules) "
         "or '-')"], capture_output=True, text=True, env=USER_ENV).stdout.strip()
    print(f"impor CLI (satudata --help):            {cli_imports:.3f} s")
    print(f"impor untuk check (CLI+ingest+katalog): {check_imports:.3f} s  (pandas sendiri {pandas_imports:.3f} s;"
          f" modul berat termuat: {heavy})")

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        subprocess.run([PY, "-m", "satudata", "demo", "--kecil", "--data-dir", str(data)], check=True,
                       capture_output=True)
        from satudata.demo import SMALL_ROUND, SMALL_SHARES

        raw = data / "raw" / SMALL_ROUND
        small_file = sorted(raw.glob("*.xlsx"))[0]
        env = {**USER_ENV, "SATUDATA_DATA_DIR": str(data), "SATUDATA_REPORTS_DIR": str(Path(tmp) / "reports")}
        subprocess.run([PY, "-m", "satudata", "hitung", "--round", SMALL_ROUND], env=env, check=True,
                        capture_output=True)  # the first start writes the bytecode cache, as a user's first run
        help_time, _ = best([PY, "-m", "satudata", "--help"], args.repeat, env)
        check_time, _ = best([PY, "-m", "satudata", "check", str(small_file)], args.repeat, env)
        print(f"satudata --help:                        {help_time:.3f} s (proses utuh)")
        print(f"satudata check {small_file.name}:          {check_time:.3f} s (proses utuh)")

        cli = [PY, "-m", "satudata"]
        one_wall, one_cpu, progress_out = timed([[*cli, "hitung", "--round", SMALL_ROUND]], args.repeat, env)
        two_wall, two_cpu, _ = timed([[*cli, stage, "--round", SMALL_ROUND] for stage in ("ingest", "progress")],
                                     args.repeat, env)
        naive_file = Path(tmp) / "naive.py"
        naive_file.write_text(NAIVE, encoding="utf-8")
        naive_wall, naive_cpu, naive_out = timed([[PY, str(naive_file), str(data), SMALL_ROUND]], args.repeat, env)

    print("                                              dinding   CPU")
    print(f"putaran kecil lewat CLI, satu proses (hitung): {one_wall:6.3f} s  {one_cpu:6.3f} s")
    print(f"putaran kecil lewat CLI, ingest lalu progress:  {two_wall:6.3f} s  {two_cpu:6.3f} s")
    print(f"skrip naif pandas + openpyxl:                   {naive_wall:6.3f} s  {naive_cpu:6.3f} s")
    print(f"rasio CLI satu proses / naif: dinding {one_wall / naive_wall:.2f}, CPU {one_cpu / naive_cpu:.2f}")
    planned = {f"DIN0{i + 1}": 100 * share for i, share in enumerate(SMALL_SHARES)}
    cli_percent = {line.split()[0]: line.split()[1] for line in progress_out.splitlines() if line.startswith("DIN")}
    naive_percent = dict(line.split() for line in naive_out.splitlines() if line.strip())
    print("OPD     rencana   CLI     naif")
    for kode, share in planned.items():
        print(f"{kode:7} {share:7.1f}   {cli_percent.get(kode, '-'):7} {naive_percent.get(kode, '-')}")
    full_demo_round(min(args.repeat, 3))


def full_demo_round(repeat: int) -> None:
    """The first round of the full demo (43 producers, 35 files of six shapes) through ``satudata hitung``
    and through the naive script: time, and how many producers each gives the percent the demo planned."""
    from satudata.demo import DEMO_ROUNDS, plan_demo

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        subprocess.run([PY, "-m", "satudata", "demo", "--data-dir", str(data)], check=True, capture_output=True)
        round_date = DEMO_ROUNDS[0]
        env = {**USER_ENV, "SATUDATA_DATA_DIR": str(data), "SATUDATA_REPORTS_DIR": str(Path(tmp) / "reports")}
        files = len([p for p in (data / "raw" / round_date).iterdir() if not p.name.startswith(".")])
        cli_wall, cli_cpu, cli_out = timed([[PY, "-m", "satudata", "hitung", "--round", round_date]], repeat, env)
        naive_file = Path(tmp) / "naive.py"
        naive_file.write_text(NAIVE, encoding="utf-8")
        naive_wall, naive_cpu, naive_out = timed([[PY, str(naive_file), str(data), round_date]], repeat, env)
    plan = plan_demo()
    planned = {p.kode_opd: plan.expected_percent(p.kode_opd, round_date) for p in plan.producers}
    cli = {line.split()[0]: float(line.split()[1].replace(",", ".")) for line in cli_out.splitlines()
           if line.split() and line.split()[0] in planned and line.split()[1] != "-"}  # fmt: skip
    naive = {line.split()[0]: float(line.split()[1]) for line in naive_out.splitlines() if line.strip()}

    def right(found: dict[str, float]) -> int:
        return sum(1 for k, v in planned.items() if v is not None and k in found and abs(found[k] - v) < 0.05)

    wanted = sum(1 for v in planned.values() if v is not None)
    print(f"putaran pertama demo penuh ({len(planned)} OPD, {files} berkas):")
    print(f"  satudata hitung:              {cli_wall:6.3f} s  CPU {cli_cpu:6.3f} s; persen tepat {right(cli)}/{wanted} OPD")
    print(f"  skrip naif pandas + openpyxl: {naive_wall:6.3f} s  CPU {naive_cpu:6.3f} s; persen tepat {right(naive)}/{wanted} OPD")
    print(f"  rasio CLI / naif: dinding {cli_wall / naive_wall:.2f}, CPU {cli_cpu / naive_cpu:.2f}")


if __name__ == "__main__":
    main()
