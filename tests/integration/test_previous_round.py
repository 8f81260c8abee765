"""Stage 2 reads the previous round's progress back from that round's own stage 2 when nothing it was computed
from has changed, and recomputes it otherwise; either way the round's tables are the same."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from satudata.evaluation import progress
from satudata.run import demo
from satudata.run.pipeline import Context, run_ingest, run_progress
from satudata.run.previous_round import KEY_FILE, progress_key, stored_progress

pytestmark = pytest.mark.slow

TABLES = ["progres_opd", "progres_urusan", "kekurangan", "item_terkini", "kualitas_nilai", "kualitas_opd"]


@pytest.fixture(scope="module")
def demo_rounds(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo-previous")
    demo.generate_demo(root)
    for round_date in demo.DEMO_ROUNDS:
        ctx = Context.create(round_date, root, root / "reports")
        run_ingest(ctx)
        run_progress(ctx)
    return root


@pytest.fixture
def counted(monkeypatch):
    """How many rounds compute_progress computed."""
    calls = []
    real = progress.compute_progress

    def counting(round_date, *args, **kwargs):
        calls.append(round_date)
        return real(round_date, *args, **kwargs)

    monkeypatch.setattr(progress, "compute_progress", counting)
    return calls


def tables(ctx: Context) -> dict:
    out = {name: pd.read_parquet(ctx.processed / f"{name}.parquet") for name in TABLES}
    out["ringkasan"] = json.loads((ctx.processed / "ringkasan.json").read_text(encoding="utf-8"))
    return out


def assert_same(a: dict, b: dict) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name], check_categorical=False, obj=name)
    assert a["ringkasan"] == b["ringkasan"]


def test_the_previous_round_is_read_back_and_gives_the_same_tables(demo_rounds, counted):
    last, before = demo.DEMO_ROUNDS[-1], demo.DEMO_ROUNDS[-2]
    ctx = Context.create(last, demo_rounds, demo_rounds / "reports")
    (ctx.paths.processed(before) / KEY_FILE).unlink()  # as a round run before this change: recomputed
    run_progress(ctx)
    assert counted == [before, last]
    recomputed = tables(ctx)
    revisions = recomputed["kualitas_nilai"]["kode_cek"].eq("revisi").sum()
    assert revisions >= 1  # the comparison with the previous round is exercised

    run_progress(Context.create(before, demo_rounds, demo_rounds / "reports"))  # writes its key again
    counted.clear()
    run_progress(ctx)
    assert counted == [last]  # the previous round read back, not computed
    assert_same(tables(ctx), recomputed)
    assert recomputed["ringkasan"]["putaran_sebelumnya"] == before


def test_a_changed_input_of_the_previous_round_makes_it_computed_again(demo_rounds, counted):
    last, before = demo.DEMO_ROUNDS[-1], demo.DEMO_ROUNDS[-2]
    ctx = Context.create(last, demo_rounds, demo_rounds / "reports")
    assert stored_progress(ctx.paths, ctx.settings, before) is not None
    nilai = ctx.paths.processed(demo.DEMO_ROUNDS[0]) / "nilai.parquet"  # an earlier round's values re-ingested
    st = nilai.stat()
    os.utime(nilai, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert stored_progress(ctx.paths, ctx.settings, before) is None
    run_progress(ctx)
    assert counted == [before, last]
    # other settings (another zone boundary) change the key too
    import dataclasses

    key = progress_key(ctx.paths, ctx.settings, before)
    stricter = dataclasses.replace(ctx.settings, zones=dataclasses.replace(ctx.settings.zones, hijau=95.0))
    assert progress_key(ctx.paths, stricter, before) not in (None, key)
    run_progress(Context.create(before, demo_rounds, demo_rounds / "reports"))  # as make round would


def test_a_broken_key_or_table_is_computed_again(demo_rounds, counted):
    last, before = demo.DEMO_ROUNDS[-1], demo.DEMO_ROUNDS[-2]
    run_progress(Context.create(before, demo_rounds, demo_rounds / "reports"))
    ctx = Context.create(last, demo_rounds, demo_rounds / "reports")
    folder = ctx.paths.processed(before)
    assert stored_progress(ctx.paths, ctx.settings, before) is not None
    (folder / KEY_FILE).write_bytes(b"\xff\xfe")
    assert stored_progress(ctx.paths, ctx.settings, before) is None
    run_progress(Context.create(before, demo_rounds, demo_rounds / "reports"))
    (folder / "item_terkini.parquet").write_bytes(b"bukan parquet")
    assert stored_progress(ctx.paths, ctx.settings, before) is None
    counted.clear()
    run_progress(ctx)
    assert counted == [before, last]
    run_progress(Context.create(before, demo_rounds, demo_rounds / "reports"))
    assert stored_progress(ctx.paths, ctx.settings, before) is not None
