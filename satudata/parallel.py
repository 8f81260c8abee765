"""Sharing a list of independent jobs between this process and forked workers.

Used by ingestion to read a round's files on every core: the workers are forked after the
expensive shared state (the catalogue index) is built, so they inherit it for free, and only
results travel back. The caller gets the results in item order, whatever process did them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

# (function, join, items, [next from the front, end of the back]) of the current map_shared, for its workers
_SHARED: tuple[Callable, Callable, list, Any] | None = None


def map_shared(fn: Callable, items: list, workers: int, join: Callable[[list], Any],
                meanwhile: Callable[[], object]) -> list:  # fmt: skip
    """``fn`` of every item, shared out between this process and ``workers - 1`` forked ones.

    The workers (forked now: they inherit ``fn`` and ``items``; only results are pickled) take items one
    at a time from the front; this process calls ``meanwhile()``, then takes items from the back until
    they meet, so the load evens out whatever the sizes. Returns, in item order, ``join`` of the results
    of each run of consecutive items done by one process; the items of a worker that failed are done here.
    """
    global _SHARED
    mp = multiprocessing.get_context("fork")
    bounds = mp.Array("q", [0, len(items)])
    _SHARED = (fn, join, items, bounds)
    pool = None
    try:
        pool = ProcessPoolExecutor(workers - 1, mp_context=mp)
        futures = [pool.submit(_take_from_front) for _ in range(workers - 1)]
        meanwhile()
        runs = _runs(_take_all(fn, items, bounds, front=False), join)
        for future in futures:
            with contextlib.suppress(Exception):  # a broken pool, a result that cannot travel: redone below
                runs.update(future.result())
        done = {i for start, (n, _) in runs.items() for i in range(start, start + n)}
        runs.update(_runs({i: fn(x) for i, x in enumerate(items) if i not in done}, join))
        return [runs[start][1] for start in sorted(runs)]
    finally:
        _SHARED = None
        with bounds.get_lock():  # after an error here, the workers stop at their next item
            bounds[0] = bounds[1]
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)  # idle workers exit on their own: no need to wait


def _take_from_front() -> dict[int, tuple[int, Any]]:
    """A worker's share of :func:`map_shared`, as :func:`_runs`."""
    assert _SHARED is not None
    fn, join, items, bounds = _SHARED
    return _runs(_take_all(fn, items, bounds, front=True), join)


def _take_all(fn: Callable, items: list, bounds: Any, front: bool) -> dict[int, Any]:
    """``fn`` of the items still untaken, one at a time from the front or the back: {index: result}."""
    out = {}
    while True:
        with bounds.get_lock():
            lo, hi = bounds[0], bounds[1]
            if lo >= hi:
                return out
            i = lo if front else hi - 1
            bounds[0 if front else 1] = lo + 1 if front else hi - 1
        out[i] = fn(items[i])


def _runs(results: dict[int, Any], join: Callable[[list], Any]) -> dict[int, tuple[int, Any]]:
    """Results by index joined per run of consecutive indices: {first index: (length, joined results)}."""
    runs: dict[int, tuple[int, Any]] = {}
    order = sorted(results)
    while order:
        n = 1
        while n < len(order) and order[n] == order[0] + n:
            n += 1
        runs[order[0]] = (n, join([results[i] for i in order[:n]]))
        order = order[n:]
    return runs
