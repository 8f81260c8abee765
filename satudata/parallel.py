"""Sharing a list of independent jobs between this process and forked workers.

Used by ingestion to read a round's files on every core: the workers are forked after the
shared state (the catalogue index) is built, so they inherit it for free, and only results
travel back, pickled through a pipe. The caller gets the results in item order, whatever
process did them. A worker is a bare ``os.fork`` (no pool, no queue thread, no manager):
starting it and getting its results back costs about a millisecond, which matters when a
round takes a tenth of a second.

Robustness: a worker that dies, cannot pickle its results or sends something unreadable
loses nothing: every item it did not deliver is done again here. A worker never returns into
the caller's code: it leaves through ``os._exit`` whatever happens.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable
from typing import Any

try:
    import fcntl
except ImportError:  # not on Windows, where there is no fork either: map_shared is then never used
    fcntl = None  # type: ignore[assignment]


PIPE_SIZE = 1 << 20  # bytes; Linux allows up to /proc/sys/fs/pipe-max-size (1 MiB by default) unprivileged


def map_shared(fn: Callable, items: list, workers: int, join: Callable[[list], Any],
               meanwhile: Callable[[], object]) -> list:  # fmt: skip
    """``fn`` of every item, shared out between this process and ``workers - 1`` forked ones.

    The workers (forked now: they inherit ``fn`` and ``items``; only results are pickled) take items one
    at a time from the front; this process calls ``meanwhile()``, then takes items from the back until
    they meet, so the load evens out whatever the sizes. Returns, in item order, ``join`` of the results
    of each run of consecutive items done by one process; the items of a worker that failed are done here.
    Raises ``OSError`` when no process can be forked (the caller then goes on serially).
    """
    bounds = multiprocessing.get_context("fork").Array("q", [0, len(items)])  # [next front, end of back]
    children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
    try:
        for _ in range(workers - 1):
            children.append(_fork_worker(fn, items, bounds, join))
        meanwhile()
        runs = _runs(_take_all(fn, items, bounds, front=False), join)
        for pid, fd in children:
            runs.update(_collect(pid, fd))
        children = []
        done = {i for start, (n, _) in runs.items() for i in range(start, start + n)}
        runs.update(_runs({i: fn(x) for i, x in enumerate(items) if i not in done}, join))
        return [runs[start][1] for start in sorted(runs)]
    finally:
        with bounds.get_lock():  # after an error here, the workers stop at their next item
            bounds[0] = bounds[1]
        for pid, fd in children:  # only after an error: do not leave zombies or open pipes
            with contextlib.suppress(OSError):
                os.close(fd)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


def _fork_worker(fn: Callable, items: list, bounds: Any, join: Callable[[list], Any]) -> tuple[int, int]:
    """Fork a worker that takes items from the front and writes its pickled runs to a pipe."""
    read_fd, write_fd = os.pipe()
    if hasattr(fcntl, "F_SETPIPE_SZ"):  # results are megabytes: fewer, larger writes (Linux)
        with contextlib.suppress(OSError):
            fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    pid = os.fork()
    if pid:
        os.close(write_fd)
        return pid, read_fd
    status = 1  # the child: never return from here
    try:
        os.close(read_fd)
        data = pickle.dumps(_runs(_take_all(fn, items, bounds, front=True), join), pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_fd, "wb") as out:
            out.write(data)
        status = 0
    except BaseException:  # noqa: BLE001 - nothing may escape a forked child; its items are redone
        pass
    finally:
        os._exit(status)


def _collect(pid: int, fd: int) -> dict[int, tuple[int, Any]]:
    """The runs a worker sent (none when it failed: its items are then redone).

    The worker is reaped by a background thread: a process leaving a large address space takes
    milliseconds to be torn down, and nothing here needs to wait for that.
    """
    try:
        with os.fdopen(fd, "rb") as pipe:
            data = pipe.read()
        return pickle.loads(data) if data else {}
    except Exception:  # noqa: BLE001 - a truncated or unreadable result: redo those items here
        return {}
    finally:
        threading.Thread(target=_reap, args=(pid,), name=f"reap-{pid}", daemon=True).start()


def _reap(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)


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
