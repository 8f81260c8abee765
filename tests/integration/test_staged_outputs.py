"""A stage killed at any point leaves the previous outputs, never a mix; the next run matches a clean build."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from satudata.run import demo, staged_outputs
from satudata.run.pipeline import Context, run_ingest, run_progress


def _snapshot(folder: Path) -> dict[str, str]:
    out = {}
    for p in sorted(folder.iterdir()):
        if p.is_file():
            data = p.read_bytes()
            if p.name == "manifest.json":  # its build time differs from run to run
                m = json.loads(data)
                m.pop("dibuat", None)
                m.pop("pengaturan", None)  # names the settings file by its (different) folder
                data = json.dumps(m, sort_keys=True).encode()
            out[p.name] = hashlib.sha256(data).hexdigest()
    return out


class Killed(Exception):
    """Stands for a kill at one point of a stage."""


@pytest.fixture
def small_round(tmp_path):
    demo.generate_small(tmp_path)
    ctx = Context.create(demo.SMALL_ROUND, tmp_path, tmp_path / "reports")
    run_ingest(ctx)
    run_progress(ctx)
    return tmp_path, ctx


@pytest.mark.parametrize("point", ["before_any_file", "after_the_target", "after_all_files", "while_moving"])
def test_a_killed_ingest_leaves_the_previous_outputs(small_round, monkeypatch, point):
    root, ctx = small_round
    before = _snapshot(ctx.processed)
    raw = next(p for p in sorted((root / "raw" / demo.SMALL_ROUND).iterdir()) if not p.name.startswith("."))
    raw.unlink()  # the round changes: a finished stage would write other outputs
    import satudata.reading.ingest as ingest

    real_write, real_replace = ingest.write_ingest, os.replace
    moved = []

    def write(result, out_dir, output=None):
        if point == "before_any_file":
            raise Killed
        result.nilai.to_parquet(Path(out_dir) / "nilai.parquet", index=False)
        if point == "after_the_target":
            raise Killed
        real_write(result, out_dir, output)
        if point == "after_all_files":
            raise Killed

    def replace(src, dst):
        moved.append(Path(dst).name)
        if point == "while_moving" and len(moved) == 2:
            raise Killed
        real_replace(src, dst)

    monkeypatch.setattr(ingest, "write_ingest", write)
    monkeypatch.setattr(staged_outputs.os, "replace", replace)
    with pytest.raises(Killed):
        run_ingest(ctx)
    after = _snapshot(ctx.processed)
    if point == "while_moving":  # files move one by one; the make target moves last, so it is still the old one
        assert after["nilai.parquet"] == before["nilai.parquet"] and moved[-1] != "nilai.parquet"
    else:
        assert after == before
    assert not list(ctx.processed.glob(".sementara-*"))  # nothing half-written is left behind
    monkeypatch.undo()
    run_ingest(ctx)
    again = _snapshot(ctx.processed)
    clean = root / "clean"
    demo.generate_small(clean)
    (clean / "raw" / demo.SMALL_ROUND / raw.name).unlink()
    clean_ctx = Context.create(demo.SMALL_ROUND, clean, clean / "reports")
    run_ingest(clean_ctx)
    expected = _snapshot(clean_ctx.processed)
    assert {k: again[k] for k in expected} == expected
