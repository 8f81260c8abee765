"""Back test of the whole demo: `make demo` in a temporary DATA_DIR gives the planned percent of
every producer in every round (the demo generator knows which items it delivered)."""

import json

import pandas as pd
import pytest

from satudata.run import demo

from .conftest import run_make


@pytest.fixture(scope="module")
def built(demo_built):
    return demo_built


def test_every_round_has_a_dated_report(built):
    data, reports = built
    for r in demo.DEMO_ROUNDS:
        assert (reports / r / f"laporan-evaluasi-{r}.html").exists()
        assert (reports / r / f"tren-{r}.html").exists()


def test_progress_equals_the_plan_for_every_producer_and_round(built):
    data, _ = built
    plan = demo.plan_demo()
    for r in demo.DEMO_ROUNDS:
        progres = pd.read_parquet(data / "processed" / r / "progres_opd.parquet").set_index("kode_opd")
        assert len(progres) == 43
        for p in plan.producers:
            owed = len(plan.items_owed(p.kode_opd))
            done = len(plan.delivered[(p.kode_opd, r)])
            row = progres.loc[p.kode_opd]
            assert (row["wajib"], row["terpenuhi"]) == (owed, done), (r, p.kode_opd, p.nama_opd)
            assert row["persen"] == pytest.approx(100 * done / owed)


def test_first_round_matches_the_seed_situation(built):
    data, _ = built
    r = demo.DEMO_ROUNDS[0]
    summary = json.loads((data / "processed" / r / "ringkasan.json").read_text(encoding="utf-8"))
    progres = pd.read_parquet(data / "processed" / r / "progres_opd.parquet")
    zones = progres["zona"].value_counts().to_dict()
    assert zones == {"kuning": 28, "merah": 8, "hijau": 7}
    assert summary["jumlah_zona"] == zones
    assert summary["rata_rata_persen"] == pytest.approx(progres["persen"].mean())
    assert 50 < summary["rata_rata_persen"] < 100


def test_history_and_zone_moves(built):
    data, _ = built
    history = pd.read_parquet(data / "processed" / "riwayat_progres_opd.parquet")
    assert history.groupby(history["putaran"].astype(str)).size().to_dict() == {r: 43 for r in demo.DEMO_ROUNDS}
    second = history[history["putaran"].astype(str) == demo.DEMO_ROUNDS[1]]
    assert (second["arah_zona"] == "naik").sum() >= 1
    assert (second["selisih"] == 0).sum() >= 1


def test_row_accounting_holds_for_every_demo_file(built):
    data, _ = built
    for r in demo.DEMO_ROUNDS:
        manifest = json.loads((data / "processed" / r / "manifest.json").read_text(encoding="utf-8"))
        files = manifest["berkas"]
        assert len(files) == len([p for p in (data / "raw" / r).iterdir() if not p.name.startswith(".")])
        for f in files:
            b = f["baris"]
            assert b["dibaca"] == b["data"] + sum(b["struktur"].values()) + b["ditolak"], f["berkas"]
            assert b["ditolak"] == 0, f["berkas"]


def test_second_make_all_runs_nothing(built):
    data, reports = built
    proc = run_make("all", f"DATA_DIR={data}", f"REPORTS_DIR={reports}")
    assert ">>" not in proc.stdout
