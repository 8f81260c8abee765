"""Two `make round` at once on one data folder both finish, and the outputs are those of one clean run."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd

from satudata.run import demo

from .conftest import ROOT

ROUND = demo.SMALL_ROUND


def test_two_runs_on_one_data_folder(tmp_path):
    data, reports = tmp_path / "data", tmp_path / "reports"
    subprocess.run([sys.executable, "-m", "satudata", "demo", "--kecil", "--data-dir", str(data)], check=True)
    command = ["make", "--no-print-directory", "-C", str(ROOT), "round", f"ROUND={ROUND}", f"DATA_DIR={data}",
               f"REPORTS_DIR={reports}"]
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for _ in range(2)]
    outputs = [r.communicate(timeout=900) for r in runs]
    results = [(r.returncode, out, err) for r, (out, err) in zip(runs, outputs, strict=True)]
    for code, out, err in results:
        assert code == 0, out + err
    assert any("menunggu giliran" in out + err for _, out, err in results)  # one waited for the other
    progres = pd.read_parquet(data / "processed" / ROUND / "progres_opd.parquet").set_index("kode_opd")
    plan = demo.plan_small()
    for p in plan.producers:
        expected = plan.expected_percent(p.kode_opd, ROUND)
        assert progres.loc[p.kode_opd, "persen"] == expected or (expected is None and pd.isna(
            progres.loc[p.kode_opd, "persen"]))
    assert (reports / ROUND / f"laporan-evaluasi-{ROUND}.html").exists()
    assert (reports / ROUND / f"tren-{ROUND}.html").exists()
