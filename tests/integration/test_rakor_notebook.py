"""04_rakor on the demo's three rounds: trend, migration, feedback and deck agree with the processed tables."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation

from satudata.evaluation import trends

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    import papermill as pm
    from jupyter_client.kernelspec import find_kernel_specs

    from satudata.outputs.report import notebook_to_html
    from satudata.run.demo import DEMO_ROUNDS
    from tests.demo_rounds import demo_rounds

    data, reports = demo_rounds(tmp_path_factory.mktemp("rakor"))
    last = DEMO_ROUNDS[-1]
    executed = reports / last / "notebooks" / "04_rakor.ipynb"
    executed.parent.mkdir(parents=True)
    kernel = "satudata" if "satudata" in find_kernel_specs() else "python3"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "04_rakor.ipynb"),
        str(executed),
        kernel_name=kernel,
        parameters={"putaran": last, "data_dir": str(data), "reports_dir": str(reports)},
        cwd=str(ROOT / "notebooks"),
        progress_bar=False,
    )
    html = notebook_to_html(executed, reports / last / f"tren-{last}.html", f"Tren {last}")
    return data, reports / last, DEMO_ROUNDS, Path(html)


def test_every_opd_has_three_points(demo):
    data, _, rounds, _ = demo
    riwayat = pd.read_parquet(data / "processed" / "riwayat_progres_opd.parquet")
    series = trends.opd_series(riwayat, rounds[-1])
    assert list(series.columns[2:]) == list(rounds)
    assert len(series) == 43
    assert (series[list(rounds)].notna().sum(axis=1) == 3).all()


def test_migration_equals_consecutive_progres_tables(demo):
    data, _, rounds, _ = demo
    riwayat = pd.read_parquet(data / "processed" / "riwayat_progres_opd.parquet")
    migration = trends.zone_migration(riwayat, rounds[-1])
    for before, after in zip(rounds, rounds[1:], strict=False):
        a = pd.read_parquet(data / "processed" / before / "progres_opd.parquet")
        b = pd.read_parquet(data / "processed" / after / "progres_opd.parquet")
        pair = a.merge(b, on="kode_opd", suffixes=("_dari", "_ke"))
        expected = pair.groupby(["zona_dari", "zona_ke"]).size()
        matrix = trends.migration_matrix(migration, before)
        assert matrix.to_numpy().sum() == len(pair) == 43
        for (z_from, z_to), count in expected.items():
            assert matrix.loc[z_from, z_to] == count
        # the progress stage's own zona_sebelumnya agrees with the previous table
        assert (pair["zona_sebelumnya_ke"] == pair["zona_dari"]).all()


def test_feedback_for_every_register_opd_lists_its_kekurangan(demo):
    data, out, rounds, _ = demo
    register = pd.read_csv(data / "reference" / "opd.csv", dtype=str)
    files = sorted(p.name for p in (out / "umpan-balik").glob("*.xlsx"))
    assert files == sorted(
        [f"{k}.xlsx" for k in register["kode_opd"]] + [f"rekap-walidata-{rounds[-1]}.xlsx"]
    )
    kekurangan = pd.read_parquet(data / "processed" / rounds[-1] / "kekurangan.parquet")
    for kode in register["kode_opd"]:
        ws = openpyxl.load_workbook(out / "umpan-balik" / f"{kode}.xlsx", read_only=True)["Kekurangan Data"]
        rows = [(r[2], int(r[5])) for r in ws.iter_rows(min_row=2, values_only=True)]
        mine = kekurangan.loc[kekurangan["kode_opd"] == kode]
        assert sorted(rows) == sorted(zip(mine["kode_elemen"], mine["tahun"].astype(int), strict=True)), kode
    rekap = openpyxl.load_workbook(out / "umpan-balik" / f"rekap-walidata-{rounds[-1]}.xlsx", read_only=True)
    assert sum(1 for _ in rekap["Kekurangan Data"].iter_rows(min_row=2)) == len(kekurangan)


def test_deck_names_every_opd_below_hijau(demo):
    """The deck the notebook wrote: at most ten slides, each with a title placeholder and notes; every OPD
    below hijau on the chart slide, by its abbreviation."""
    data, out, rounds, _ = demo
    progres = pd.read_parquet(data / "processed" / rounds[-1] / "progres_opd.parquet")
    prs = Presentation(str(out / f"rakor-{rounds[-1]}.pptx"))
    assert len(prs.slides) <= 10
    assert all(s.shapes.title.text_frame.text and s.notes_slide.notes_text_frame.text for s in prs.slides)
    below = progres.loc[progres["zona"].isin(["kuning", "merah"]), "singkatan"]
    chart = [s for s in prs.slides if "belum hijau" in s.shapes.title.text_frame.text]
    assert len(chart) == 1
    shown = [str(c) for s in chart[0].shapes if s.has_chart for c in s.chart.plots[0].categories]
    assert sorted(shown) == sorted(below)


def test_trend_html_is_offline_and_without_code(demo):
    _, out, rounds, html = demo
    text = html.read_text(encoding="utf-8")
    assert html.name == f"tren-{rounds[-1]}.html"
    assert not re.search(r"<script[^>]+src=\"?https?:", text)
    assert "Laju terakhir" in text and "Laju rata-rata" in text and "Perpindahan zona" in text
    assert "kuadrat terkecil" not in text and "kemiringan" not in text  # plain words, no jargon
    assert "run_rakor(" not in text  # no code in the rendered page
    assert text.count("data:image/png;base64,") >= 3
    for name in ("tren", "tren-opd", "perpindahan-zona"):
        assert (out / "grafik" / f"{name}-{rounds[-1]}.png").exists()
