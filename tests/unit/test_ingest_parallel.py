"""Ingestion shared out over worker processes (forked or spawned) gives exactly what the serial path gives.

Tests that simulate a failure inside a worker by patching this process (a worker that dies, no shared area)
force ``fork``: a spawned worker is a fresh interpreter and would not see the patch. ``make test-spawn`` runs
the rest with ``SATUDATA_START_METHOD=spawn``; the spawn tests at the end run under either."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from satudata.formats import read_limits
from satudata.reading import ingest, parallel, value_frame
from satudata.reading.ingest import WORKERS_ENV, _map_shared, ingest_round, worker_count
from satudata.reference.settings import Settings
from tests.integration.messy_fixtures import build_round


@pytest.fixture
def fork_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers forked, whatever SATUDATA_START_METHOD says (the test patches this process)."""
    monkeypatch.setenv(parallel.START_ENV, "fork")


@pytest.fixture(scope="module")
def messy_round(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """The messy round (workbooks, CSV, ODS, HTML, broken files, a sub-folder) plus copies read later."""
    raw = tmp_path_factory.mktemp("round")
    truth = build_round(raw)
    workbooks = sorted(raw.glob("*.xlsx"))
    for i, path in enumerate(workbooks[:3]):  # the same values again, later in the round: duplicates
        shutil.copy(path, raw / f"zz_{i}_{path.name}")
    return raw, truth


def _run(raw: Path, truth: object, workers: int, guarded: bool = True) -> ingest.IngestResult:
    """The round read by ``workers`` processes; ``guarded=False``: without reading workers' limits, so
    that ``workers=1`` reads every file in this process (the serial path)."""
    unguarded = dataclasses.replace(read_limits.LIMITS, max_memory_bytes=0, max_seconds=0)
    with pytest.MonkeyPatch.context() as mp:
        if not guarded:
            mp.setattr(read_limits, "LIMITS", unguarded)
        return ingest_round(raw, "2024-03-01", truth.register, truth.catalogue, Settings(), workers=workers)


def _assert_same(a: ingest.IngestResult, b: ingest.IngestResult) -> None:
    pd.testing.assert_frame_equal(a.nilai, b.nilai)
    pd.testing.assert_frame_equal(a.masalah, b.masalah)
    ma, mb = dict(a.manifest), dict(b.manifest)
    ma.pop("dibuat"), mb.pop("dibuat")
    assert ma == mb


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records the number of runs each completed parallel map returned (no entry: serial or fallen back)."""
    done: list[int] = []
    real = ingest._map_shared

    def spy(*args: object, **kwargs: object) -> list:
        runs = real(*args, **kwargs)
        done.append(len(runs))
        return runs

    monkeypatch.setattr(ingest, "_map_shared", spy)
    return done


def test_parallel_equals_serial_on_a_messy_round(messy_round, monkeypatch):
    raw, truth = messy_round
    n_files = sum(1 for p in raw.rglob("*") if p.is_file())
    assert n_files >= 12
    done = _spy(monkeypatch)
    serial = _run(raw, truth, workers=1, guarded=False)
    assert done == []
    for workers in (1, 2, 3):  # 1: one guarded reading worker
        _assert_same(serial, _run(raw, truth, workers=workers))
    assert len(done) == 3 and all(n >= 1 for n in done)
    # the round exercises what must survive the split: duplicates across files, file errors, issue order
    assert (~serial.nilai["dipakai"]).sum() > 0
    assert (serial.masalah["tingkat"] == "galat").sum() > 0
    assert len(serial.manifest["berkas"]) == n_files


def test_environment_variable_chooses_the_workers(messy_round, monkeypatch):
    raw, truth = messy_round
    monkeypatch.setenv(WORKERS_ENV, "1")
    serial = _run(raw, truth, workers=None, guarded=False)
    monkeypatch.setenv(WORKERS_ENV, "2")
    done = _spy(monkeypatch)
    parallel = ingest_round(raw, "2024-03-01", truth.register, truth.catalogue, Settings())
    assert len(done) == 1
    _assert_same(serial, parallel)


@pytest.mark.usefixtures("fork_workers")
def test_a_failed_fork_falls_back_to_the_serial_path(messy_round, monkeypatch):
    raw, truth = messy_round
    serial = _run(raw, truth, workers=1, guarded=False)
    done = _spy(monkeypatch)

    def no_fork() -> int:
        raise OSError("fork tidak tersedia")

    from satudata.reading import parallel

    monkeypatch.setattr(parallel.os, "fork", no_fork)
    _assert_same(serial, _run(raw, truth, workers=2))
    assert done == []  # the parallel map raised: the round was read serially


@pytest.mark.usefixtures("fork_workers")
def test_a_worker_that_dies_loses_nothing(messy_round, monkeypatch, tmp_path):
    """A worker killed mid-round (here: it exits at its third file) sends nothing; its files are redone."""
    raw, truth = messy_round
    died = tmp_path / "died"
    serial = _run(raw, truth, workers=1)
    parent = os.getpid()
    real = ingest._read_file
    calls = []

    def dying(ctx, file):
        if os.getpid() != parent:
            calls.append(file)
            if len(calls) == 3:
                died.write_text(file[1])
                os._exit(9)
        return real(ctx, file)

    monkeypatch.setattr(ingest, "_read_file", dying)
    _assert_same(serial, _run(raw, truth, workers=2))
    assert died.exists()  # the worker did die with files in hand


def test_worker_count():
    assert worker_count(4, 7) == 1  # fewer than PARALLEL_MIN_FILES files: serial
    assert worker_count(4, 8) == 4
    assert worker_count(1, 100) == 1
    assert worker_count(16, 9) == 9  # never more processes than files
    assert worker_count(4, 3, 300_000) == 3  # few files but big: shared out
    assert worker_count(4, 3, 100_000) == 1
    assert worker_count(4, 1, 10_000_000) == 1  # one file: nothing to share


def test_worker_count_from_environment(monkeypatch):
    monkeypatch.setenv(WORKERS_ENV, "3")
    assert worker_count(None, 20) == 3
    assert worker_count(2, 20) == 2  # an explicit number wins
    monkeypatch.setenv(WORKERS_ENV, "1")
    assert worker_count(None, 20) == 1


@pytest.mark.usefixtures("fork_workers")
def test_map_shared_gives_every_item_once_in_order():
    items = list(range(37))
    seen = []
    runs = _map_shared(lambda x: [x * x], items, 2, lambda parts: sum(parts, []), meanwhile=lambda: seen.append(1))
    assert sum(runs, []) == [x * x for x in items]
    assert seen == [1]
    assert 1 <= len(runs) <= 2  # the worker's run from the front, this process's run from the back


def test_parts_of_single_files_make_the_round_s_tables(messy_round):
    """One part per file, in file order: the values table (spread part by part, some parts spread
    beforehand) equals that of one part for all files."""
    raw, truth = messy_round
    ctx = ingest._make_context("2024-03-01", truth.register, truth.catalogue, Settings())
    files = ingest._round_files(raw)
    parts = [ingest._ingest_part(ctx, f) for f in files]
    whole = value_frame.build_part([ingest._read_file(ctx, f) for f in files])
    for part in parts[::2]:
        value_frame.spread_rows(part)
    pd.testing.assert_frame_equal(
        value_frame.values_frame("2024-03-01", parts), value_frame.values_frame("2024-03-01", [whole])
    )
    assert sum(len(p.per_value["row"]) for p in parts) == len(whole.per_value["row"]) > 100


@pytest.mark.usefixtures("fork_workers")
def test_results_too_large_for_the_shared_area_go_through_the_pipe(messy_round, monkeypatch):
    raw, truth = messy_round
    serial = _run(raw, truth, workers=1)
    from satudata.reading import parallel

    monkeypatch.setattr(parallel, "SHARED_BYTES", 64)  # every worker's results overflow it
    delivered = _spy_collect(monkeypatch)
    _assert_same(serial, _run(raw, truth, workers=2))
    # the workers' runs came back through their pipes (a worker that found no item left delivers none:
    # on a busy machine one worker may take every file before the other starts)
    assert delivered and sum(delivered) >= 1


@pytest.mark.usefixtures("fork_workers")
def test_without_a_shared_area_the_pipe_carries_the_results(messy_round, monkeypatch):
    raw, truth = messy_round
    serial = _run(raw, truth, workers=1)
    from satudata.reading import parallel

    def no_area(*args: object, **kwargs: object) -> None:
        raise OSError("tidak ada ruang alamat")

    monkeypatch.setattr(parallel.mmap, "mmap", no_area)
    delivered = _spy_collect(monkeypatch)
    _assert_same(serial, _run(raw, truth, workers=2))
    assert delivered and sum(delivered) >= 1  # (see the test above)


def _spy_collect(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records how many runs each worker delivered (0: its results were lost and its items redone)."""
    from satudata.reading import parallel

    delivered: list[int] = []
    real = parallel._collect

    def spy(*args: object) -> dict:
        runs = real(*args)
        delivered.append(len(runs))
        return runs

    monkeypatch.setattr(parallel, "_collect", spy)
    return delivered


def _square(x: int) -> list[int]:
    return [x * x]


def _concat(parts: list) -> list:
    return sum(parts, [])


def test_start_method_by_platform_and_environment(monkeypatch):
    monkeypatch.delenv(parallel.START_ENV, raising=False)
    monkeypatch.setattr(parallel.sys, "platform", "linux")
    assert parallel.start_method() == "fork"
    for platform in ("win32", "darwin"):
        monkeypatch.setattr(parallel.sys, "platform", platform)
        assert parallel.start_method() == "spawn"
    monkeypatch.setenv(parallel.START_ENV, "fork")
    assert parallel.start_method() == "fork"  # forced (where fork exists)
    monkeypatch.delattr(parallel.os, "fork")
    assert parallel.start_method() == "spawn"  # Windows: no fork to force
    monkeypatch.setenv(parallel.START_ENV, " Spawn ")
    assert parallel.start_method() == "spawn"


def test_spawned_workers_give_every_item_once_in_order(monkeypatch):
    monkeypatch.setenv(parallel.START_ENV, "spawn")
    items = list(range(37))
    runs = _map_shared(_square, items, 3, _concat, meanwhile=lambda: None)
    assert sum(runs, []) == [x * x for x in items]


def test_spawned_workers_read_the_round_as_the_serial_path(messy_round, monkeypatch):
    raw, truth = messy_round
    serial = _run(raw, truth, workers=1, guarded=False)
    monkeypatch.setenv(parallel.START_ENV, "spawn")
    done = _spy(monkeypatch)
    spawned = []
    real = parallel._Spawned.__init__

    def counted(self, *args, **kwargs):
        spawned.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(parallel._Spawned, "__init__", counted)
    _assert_same(serial, _run(raw, truth, workers=2, guarded=False))  # plain mode
    _assert_same(serial, _run(raw, truth, workers=2))  # guarded mode: every file in a spawned worker
    assert len(done) == 2 and len(spawned) >= 3


def test_work_that_cannot_be_pickled_is_read_serially_under_spawn(messy_round, monkeypatch):
    raw, truth = messy_round
    monkeypatch.setenv(parallel.START_ENV, "spawn")
    with pytest.raises(Exception, match="pickle|lambda|local"):
        _map_shared(lambda x: [x], [1, 2, 3], 2, _concat, meanwhile=lambda: None)
    serial = _run(raw, truth, workers=1, guarded=False)

    def no_spawn(self, *args, **kwargs):
        raise OSError("spawn tidak tersedia")

    monkeypatch.setattr(parallel._Spawned, "__init__", no_spawn)
    done = _spy(monkeypatch)
    _assert_same(serial, _run(raw, truth, workers=2))
    assert done == []  # the parallel map raised: the round was read serially
