"""Sharing a list of independent jobs between this process and forked workers.

Used by ingestion to read a round's files on every core: the workers are forked after the
shared state (the catalogue) is loaded, so they inherit it for free, and only results travel
back. The caller gets the results in item order, whatever process did them. A worker is a bare
``os.fork`` (no pool, no queue thread, no manager): starting it and getting its results back
costs about a millisecond, which matters when a round takes a tenth of a second.

A worker pickles its results into a shared memory area made before the fork (anonymous, only
the pages written are ever allocated) and then reports their size through a pipe; results
larger than the area go through the pipe itself. Workers leave the last item to this process,
which has no results to send: both then finish at about the same time.

Robustness: a worker that dies, cannot pickle its results or sends something unreadable
loses nothing: every item it did not deliver is done again here. A worker never returns into
the caller's code: it leaves through ``os._exit`` whatever happens.
"""

from __future__ import annotations

import contextlib
import mmap
import multiprocessing
import os
import pickle
import struct
import threading
from collections.abc import Callable
from typing import Any

SHARED_BYTES = 1 << 28  # address space reserved per worker for its results (256 MiB); only pages written are used
_HEADER = struct.Struct("<q")  # a worker's report: the size of its results in the shared area, or -1: pipe


def map_shared(fn: Callable, items: list, workers: int, join: Callable[[list], Any],
               meanwhile: Callable[[], object], join_here: Callable[[list], Any] | None = None) -> list:  # fmt: skip
    """``fn`` of every item, shared out between this process and ``workers - 1`` forked ones.

    The workers (forked now: they inherit ``fn`` and ``items``; only results are pickled) take items one
    at a time from the front, leaving the last one; this process calls ``meanwhile()``, then takes items
    from the back until they meet, so the load evens out whatever the sizes. Returns, in item order,
    ``join`` of the results of each run of consecutive items done by one process (``join_here``, when given,
    for the runs done in this process: it may do more, as this process waits for the workers' results
    anyway); the items of a worker that failed are done here. Raises ``OSError`` when no process can be
    forked (the caller then goes on serially).
    """
    join_here = join_here or join
    bounds = multiprocessing.get_context("fork").Array("q", [0, len(items)])  # [next front, end of back]
    children: list[tuple[int, int, mmap.mmap | None]] = []  # (pid, read end of its pipe, its shared area)
    try:
        for _ in range(workers - 1):
            children.append(_fork_worker(fn, items, bounds, join))
        meanwhile()
        runs = _runs(_take_all(fn, items, bounds, front=False), join_here)
        while children:
            runs.update(_collect(*children.pop(0)))
        done = {i for start, (n, _) in runs.items() for i in range(start, start + n)}
        runs.update(_runs({i: fn(x) for i, x in enumerate(items) if i not in done}, join_here))
        return [runs[start][1] for start in sorted(runs)]
    finally:
        with bounds.get_lock():  # after an error here, the workers stop at their next item
            bounds[0] = bounds[1]
        for pid, fd, area in children:  # only after an error: do not leave zombies, pipes or areas
            with contextlib.suppress(OSError):
                os.close(fd)
            if area is not None:
                area.close()
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


def _fork_worker(fn: Callable, items: list, bounds: Any,
                 join: Callable[[list], Any]) -> tuple[int, int, mmap.mmap | None]:  # fmt: skip
    """Fork a worker that takes items from the front and sends its pickled runs back."""
    try:
        area: mmap.mmap | None = mmap.mmap(-1, SHARED_BYTES)  # shared with the child (MAP_SHARED | MAP_ANONYMOUS)
    except (OSError, ValueError):  # no address space to spare: the results go through the pipe
        area = None
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except BaseException:
        os.close(read_fd)
        os.close(write_fd)
        if area is not None:
            area.close()
        raise
    if pid:
        os.close(write_fd)
        return pid, read_fd, area
    status = 1  # the child: never return from here
    try:
        os.close(read_fd)
        runs = _runs(_take_all(fn, items, bounds, front=True), join)
        with os.fdopen(write_fd, "wb") as pipe:
            try:
                if area is None:
                    raise ValueError("no shared area")
                pickle.dump(runs, area, pickle.HIGHEST_PROTOCOL)
                pipe.write(_HEADER.pack(area.tell()))
            except ValueError:  # no area, or results larger than it: through the pipe
                pipe.write(_HEADER.pack(-1))
                pickle.dump(runs, pipe, pickle.HIGHEST_PROTOCOL)
        status = 0
    except BaseException:  # noqa: BLE001 - nothing may escape a forked child; its items are redone
        pass
    finally:
        os._exit(status)


def _collect(pid: int, fd: int, area: mmap.mmap | None) -> dict[int, tuple[int, Any]]:
    """The runs a worker sent (none when it failed: its items are then redone).

    The worker is reaped by a background thread: a process leaving a large address space takes
    milliseconds to be torn down, and nothing here needs to wait for that.
    """
    try:
        with os.fdopen(fd, "rb") as pipe:
            header = pipe.read(_HEADER.size)
            if len(header) < _HEADER.size:  # the worker died before reporting
                return {}
            (size,) = _HEADER.unpack(header)
            if size < 0 or area is None:
                return pickle.load(pipe)
        return pickle.loads(area[:size])
    except Exception:  # noqa: BLE001 - a truncated or unreadable result: redo those items here
        return {}
    finally:
        if area is not None:
            area.close()
        threading.Thread(target=_reap, args=(pid,), name=f"reap-{pid}", daemon=True).start()


def _reap(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)


def _take_all(fn: Callable, items: list, bounds: Any, front: bool) -> dict[int, Any]:
    """``fn`` of the items still untaken, one at a time: {index: result}.

    From the back (this process) until none is left; from the front (a worker) while more than one is left.
    """
    out = {}
    keep = 1 if front else 0
    while True:
        with bounds.get_lock():
            lo, hi = bounds[0], bounds[1]
            if hi - lo <= keep:
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
