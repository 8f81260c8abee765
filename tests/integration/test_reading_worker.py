"""Every file is read in a worker with a memory cap and a time limit: a file that exhausts either (in ways
no check before reading foresaw, simulated here) gets ``berkas_terlalu_besar`` and the round goes on.

The simulations patch this process, so they force forked workers; the real workbook past the memory cap and
the guarded map of a module-level function run under whichever start method is in force (``make test-spawn``)."""

from __future__ import annotations

import dataclasses
import os
import signal
import time
from pathlib import Path

import pytest

from satudata.formats import read_limits
from satudata.reading import file_ingest, parallel
from satudata.reading.ingest import ingest_file, ingest_round
from satudata.reading.parallel import DIED, TIMED_OUT, Guard, map_shared
from satudata.reference.settings import Settings
from tests.hostile_files import good_table, xlsx
from tests.integration.messy_fixtures import make_catalogue, make_register

ROUND = "2024-03-01"


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw" / ROUND
    raw.mkdir(parents=True)
    xlsx(raw / "01_Dinkes.xlsx", good_table())
    for name in ("02_memori.xlsx", "03_macet.xlsx", "04_mogok.xlsx", "05_Dinkes.xlsx"):
        xlsx(raw / name, good_table())
    return raw


@pytest.fixture
def bombs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading ``02_memori`` allocates without end, ``03_macet`` never finishes, ``04_mogok`` kills its process
    (as the kernel's out-of-memory killer, or a native library aborting on a failed allocation, would); the limits are small to keep the test fast."""
    monkeypatch.setenv(parallel.START_ENV, "fork")  # the bombs are patched into this process: forked workers see them
    real = file_ingest.read_source
    parent = os.getpid()

    def hostile(path: Path, *args: object, **kwargs: object):
        assert os.getpid() != parent, "a file was read in the round's own process"
        if path.name == "02_memori.xlsx":
            hoard = []
            while True:
                hoard.append(bytearray(16 * 1024**2))
        if path.name == "03_macet.xlsx":
            time.sleep(60)
        if path.name == "04_mogok.xlsx":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(file_ingest, "read_source", hostile)
    small = dataclasses.replace(read_limits.LIMITS, max_memory_bytes=512 * 1024**2, max_seconds=2)
    monkeypatch.setattr(read_limits, "LIMITS", small)


@pytest.mark.parametrize("workers", [1, 2])
def test_memory_time_and_crash_bombs_become_issues(raw, bombs, workers):
    start = time.monotonic()
    res = ingest_round(raw, ROUND, make_register(), make_catalogue(), Settings(), workers=workers)
    assert time.monotonic() - start < 20  # the hung file was stopped at its limit, not waited for
    issues = {r.sumber_file: (r.kode_masalah, r.tingkat, r.pesan) for r in res.masalah.itertuples()}
    assert set(issues) == {"02_memori.xlsx", "03_macet.xlsx", "04_mogok.xlsx"}
    assert all(code == "berkas_terlalu_besar" and level == "galat" for code, level, _ in issues.values())
    assert "max_memory_bytes = 536.870.912 byte" in issues["02_memori.xlsx"][2]
    assert "max_seconds = 2 detik" in issues["03_macet.xlsx"][2]
    assert "max_memory_bytes" in issues["04_mogok.xlsx"][2] and "Berkas 04_mogok.xlsx" in issues["04_mogok.xlsx"][2]
    entries = {e["berkas"]: e["status"] for e in res.manifest["berkas"]}
    assert entries == {"01_Dinkes.xlsx": "dibaca", "02_memori.xlsx": "galat", "03_macet.xlsx": "galat",
                       "04_mogok.xlsx": "galat", "05_Dinkes.xlsx": "dibaca"}  # fmt: skip
    assert sorted((r.sumber_file, r.nilai) for r in res.nilai.itertuples()) == [
        ("01_Dinkes.xlsx", 5.0), ("05_Dinkes.xlsx", 5.0)]  # fmt: skip


def test_one_file_checked_alone_is_read_under_the_same_limits(raw, bombs):
    res = ingest_file(raw / "02_memori.xlsx", ROUND, make_register(), make_catalogue(), Settings())
    assert list(res.masalah["kode_masalah"]) == ["berkas_terlalu_besar"]
    assert len(res.nilai) == 0


def test_guarded_map_keeps_order_and_retries_a_death_once(monkeypatch):
    """An item whose worker died is tried again alone: an item that kills every worker fails, one that
    died for another reason (here: the first attempt only) succeeds; order is kept."""
    monkeypatch.setenv(parallel.START_ENV, "fork")  # a local function: only a forked worker can run it
    marker = Path(f"/tmp/satudata-guard-{os.getpid()}")
    marker.unlink(missing_ok=True)

    def fn(x: int) -> list[int]:
        if x in (3, 4, 8):
            os._exit(1)
        if x == 5 and not marker.exists():
            marker.touch()
            os._exit(1)
        if x == 7:
            time.sleep(30)
        return [x]

    try:
        guard = Guard(0, 1.0, lambda x, why: [f"{x}:{why}"])
        runs = map_shared(fn, list(range(10)), 2, lambda parts: sum(parts, []), meanwhile=lambda: None, guard=guard)
    finally:
        marker.unlink(missing_ok=True)
    assert sum(runs, []) == [0, 1, 2, f"3:{DIED}", f"4:{DIED}", 5, 6, f"7:{TIMED_OUT}", f"8:{DIED}", 9]


def test_a_real_workbook_past_the_memory_cap_is_an_issue(tmp_path, monkeypatch):
    """No simulation: a legal .xls whose one sheet spans 65,536 x 256 cells passes the checks before reading
    (16.8 M cells, under max_cells) and makes the workbook reader allocate ~1 GB; under a 300 MB cap the
    reading worker dies (the native reader aborts, or Python raises MemoryError) and the file gets its issue."""
    from tests.hostile_files import SAMPLE_XLS, xls_far_cell

    path = xls_far_cell(SAMPLE_XLS, tmp_path / "jauh.xls")
    monkeypatch.setattr(read_limits, "LIMITS", dataclasses.replace(read_limits.LIMITS, max_memory_bytes=300 * 1024**2))
    res = ingest_file(path, ROUND, make_register(), make_catalogue(), Settings())
    (issue,) = res.masalah.itertuples()
    assert issue.kode_masalah == "berkas_terlalu_besar" and "max_memory_bytes = 314.572.800 byte" in issue.pesan
    assert len(res.nilai) == 0


def _dies_or_sleeps(item: tuple[int, str]) -> list[int]:
    """Module-level (a spawned worker imports it): 3 and 8 kill their worker, 5 only the first time, 7 hangs."""
    x, marker = item
    if x in (3, 8):
        os._exit(1)
    if x == 5 and not Path(marker).exists():
        Path(marker).touch()
        os._exit(1)
    if x == 7:
        time.sleep(30)
    return [x]


def _concat(parts: list) -> list:
    return sum(parts, [])


def _failed(item: tuple[int, str], why: str) -> list[str]:
    return [f"{item[0]}:{why}"]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_guarded_map_under_both_start_methods(tmp_path, monkeypatch, method):
    monkeypatch.setenv(parallel.START_ENV, method)
    marker = str(tmp_path / "sekali")
    guard = Guard(0, 1.0, _failed)
    runs = map_shared(_dies_or_sleeps, [(x, marker) for x in range(10)], 2, _concat, meanwhile=lambda: None,
                      guard=guard)  # fmt: skip
    assert sum(runs, []) == [0, 1, 2, f"3:{DIED}", 4, 5, 6, f"7:{TIMED_OUT}", f"8:{DIED}", 9]
