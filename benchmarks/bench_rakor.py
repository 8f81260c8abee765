"""Benchmark of the rakor stage: trends, deck, feedback workbooks and submission templates.

Run: ``.venv/bin/python benchmarks/bench_rakor.py``. Prints wall times (seconds) measured on the
demo (43 OPDs, three rounds) and on a synthetic history of 200 OPDs over 24 rounds.
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from satudata.evaluation import trends
from satudata.outputs import feedback, slides, submission_template, trend_charts
from satudata.reference.catalogue import load_reference
from satudata.reference.settings import Settings
from satudata.run.demo import DEMO_ROUNDS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.demo_rounds import demo_rounds  # noqa: E402 - the demo's rounds through stages 1 and 2, as the tests build them


def timed(label: str, fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    print(f"{label:<55} {time.perf_counter() - start:7.3f} s")
    return out


def synthetic_history(n_opd: int = 200, n_rounds: int = 24) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    rows = []
    start = date(2020, 1, 2)
    done = np.zeros(n_opd)
    for r in range(n_rounds):
        done = np.minimum(100, done + rng.integers(0, 8, n_opd))
        for i in range(n_opd):
            persen = float(done[i])
            zona = "hijau" if persen >= 90 else "kuning" if persen >= 50 else "merah"
            rows.append(
                {
                    "putaran": (start + timedelta(days=14 * r)).isoformat(),
                    "kode_opd": f"OPD{i:03d}",
                    "nama_opd": f"Dinas {i:03d}",
                    "singkatan": f"D{i:03d}",
                    "jenis": "dinas",
                    "wajib": 100,
                    "terpenuhi": int(done[i]),
                    "persen": persen,
                    "zona": zona,
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        data, reports = demo_rounds(base)
        last = DEMO_ROUNDS[-1]
        inputs = trends.load_round_inputs(data / "processed", last)
        riwayat = inputs.riwayat
        print(
            f"demo: {riwayat['kode_opd'].nunique()} OPD, {len(DEMO_ROUNDS)} putaran, "
            f"{len(inputs.kekurangan)} item kurang"
        )
        timed("trends: projection (demo)", trends.projection, riwayat, last, settings)
        timed("trends: migration (demo)", trends.zone_migration, riwayat, last)
        timed(
            "chart: trend lines (demo, 200 dpi)",
            lambda: trend_charts.png_bytes(trend_charts.trend_lines(riwayat, last, settings)),
        )
        timed(
            "chart: trend heatmap (demo, 200 dpi)",
            lambda: trend_charts.png_bytes(trend_charts.trend_heatmap(riwayat, last, settings)),
        )
        deck = timed(
            "deck: build_deck (demo)",
            slides.build_deck,
            last,
            inputs.progres_opd,
            riwayat,
            inputs.kekurangan,
            settings,
            base / "out" / "rakor.pptx",
            masalah=inputs.masalah,
        )
        print(f"{'deck size':<55} {deck.stat().st_size / 1e6:7.2f} MB")
        register, catalogue = load_reference(data / "reference", settings)
        args = (
            register.frame,
            inputs.progres_opd,
            inputs.kekurangan,
            inputs.masalah,
            settings,
            last,
            base / "out" / "umpan-balik",
        )
        paths = timed("feedback: 43 OPD workbooks (demo)", feedback.write_feedback, *args)
        timed("feedback: walidata workbook (demo)", feedback.write_walidata_workbook, *args)
        print(f"{'feedback workbooks written':<55} {len(paths):7d}")
        paths = timed(
            "templates: write_templates (demo catalogue)",
            submission_template.write_templates,
            catalogue,
            register,
            base / "out" / "templat",
            settings,
        )
        print(f"{'templates written':<55} {len(paths):7d}")

        big = synthetic_history()
        last_big = big["putaran"].max()
        print(
            f"synthetic: {big['kode_opd'].nunique()} OPD, {big['putaran'].nunique()} putaran, {len(big)} baris"
        )
        timed("trends: projection (synthetic)", trends.projection, big, last_big, settings)
        timed(
            "trends: migration + matrix (synthetic)",
            lambda: trends.migration_matrix(trends.zone_migration(big, last_big)),
        )
        timed(
            "chart: trend lines (synthetic)",
            lambda: trend_charts.png_bytes(trend_charts.trend_lines(big, last_big, settings)),
        )
        assert not math.isnan(trends.overall_lines(big, last_big)["rata_rata"].iloc[-1])


if __name__ == "__main__":
    main()
