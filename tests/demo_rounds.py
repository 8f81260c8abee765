"""The demo's three rounds through stages 1 and 2, as several test modules need them."""

from __future__ import annotations

from pathlib import Path


def demo_rounds(base: Path) -> tuple[Path, Path]:
    """``base/data`` with the demo and every round ingested and progressed; returns (data, reports)."""
    from satudata.run.demo import DEMO_ROUNDS, generate_demo
    from satudata.run.pipeline import Context, run_ingest, run_progress

    data, reports = base / "data", base / "reports"
    generate_demo(data)
    for round_date in DEMO_ROUNDS:
        ctx = Context.create(round_date, data, reports, "")
        run_ingest(ctx)
        run_progress(ctx)
    return data, reports
