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

Guarded mode (``guard=``, used for reading submitted files): every item is done in a worker, none in
this process. Each worker caps its own address space (``RLIMIT_AS``: its size at the fork plus
``Guard.memory_bytes``), and this process kills a worker whose current item has run longer than
``Guard.seconds``. The item a worker was doing when it died is tried once more alone in a fresh
worker (a death may have other causes, such as an item before it); when that worker dies too, or when
the item ran out of time, the item's result is ``Guard.failed(item, reason)``. The items the dead
worker had finished but not sent are done again by new workers. So a file that exhausts memory or
time costs one worker, never the caller.
"""

from __future__ import annotations

import contextlib
import gc
import mmap
import multiprocessing
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

SHARED_BYTES = 1 << 28  # address space reserved per worker for its results (256 MiB); only pages written are used
_HEADER = struct.Struct("<q")  # a worker's report: the size of its results in the shared area, or -1: pipe


TIMED_OUT, DIED = "waktu", "memori"  # why an item failed in guarded mode (see Guard.failed)
START_ENV = "SATUDATA_START_METHOD"  # fork or spawn: forces how workers start (otherwise chosen by platform)


def start_method() -> str:
    """``fork`` or ``spawn``: :data:`START_ENV` when it names one (``fork`` only where it exists), else ``fork``
    on Linux and ``spawn`` on Windows and macOS."""
    forced = os.environ.get(START_ENV, "").strip().lower()
    can_fork = hasattr(os, "fork")
    if forced == "spawn" or (forced == "fork" and not can_fork):
        return "spawn"
    if forced == "fork":
        return "fork"
    return "fork" if can_fork and sys.platform.startswith("linux") else "spawn"


@dataclass(frozen=True)
class Guard:
    """Limits of guarded mode: ``memory_bytes`` of address space a worker may add to what it had when forked
    (0: no cap), ``seconds`` of wall-clock time per item (0: none); ``failed(item, reason)`` is the result of
    an item that could not be done within them (``reason``: :data:`TIMED_OUT` or :data:`DIED`)."""

    memory_bytes: int
    seconds: float
    failed: Callable[[Any, str], Any]


def map_shared(fn: Callable, items: list, workers: int, join: Callable[[list], Any],
               meanwhile: Callable[[], object], join_here: Callable[[list], Any] | None = None,
               guard: Guard | None = None) -> list:  # fmt: skip
    """``fn`` of every item, shared out between this process and ``workers - 1`` forked ones.

    The workers (forked now: they inherit ``fn`` and ``items``; only results are pickled) take items one
    at a time from the front, leaving the last one; this process calls ``meanwhile()``, then takes items
    from the back until they meet, so the load evens out whatever the sizes. Returns, in item order,
    ``join`` of the results of each run of consecutive items done by one process (``join_here``, when given,
    for the runs done in this process: it may do more, as this process waits for the workers' results
    anyway); the items of a worker that failed are done here. Raises ``OSError`` when no process can be
    forked (the caller then goes on serially). With ``guard``, see the module: every item is done in a worker
    (at least one is forked) under the guard's limits, and ``join_here`` is not used.
    """
    spawn = start_method() == "spawn"
    if spawn:  # fail here, before any process starts, when the work cannot travel to a fresh interpreter
        pickle.dumps((fn, join), pickle.HIGHEST_PROTOCOL)
    with _frozen_heap():
        if guard is not None:
            return _map_guarded(fn, items, max(1, workers), join, meanwhile, guard, spawn)
        if spawn:
            return _map_plain_spawned(fn, items, workers, join, meanwhile, join_here or join)
        return _map_plain(fn, items, workers, join, meanwhile, join_here or join)


@contextlib.contextmanager
def _frozen_heap() -> Iterator[None]:
    """The objects alive before the fork left out of cycle collections until the workers are done (``gc.freeze``,
    as Python's documentation advises before forking): neither this process nor a worker walks them."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _map_plain(fn: Callable, items: list, workers: int, join: Callable[[list], Any], meanwhile: Callable[[], object],
               join_here: Callable[[list], Any]) -> list:  # fmt: skip
    """:func:`map_shared` without a guard."""
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
        _stop(children, kill=False)  # only after an error: do not leave zombies, pipes or areas


def _stop(children: list[tuple[int, int, mmap.mmap | None]], kill: bool) -> None:
    """Close each worker's pipe and shared area and reap it (killed first when ``kill``)."""
    for pid, fd, area in children:
        if kill:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(fd)
        if area is not None:
            area.close()
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)


def _fork_worker(fn: Callable, items: list, bounds: Any, join: Callable[[list], Any],
                 guard: tuple | None = None) -> tuple[int, int, mmap.mmap | None]:  # fmt: skip
    """Fork a worker that takes items from the front and sends its pickled runs back (``guard``: the
    guarded worker's (order, slot, current, started, Guard))."""
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
        if guard is None:
            runs = _runs(_take_all(fn, items, bounds, front=True), join)
        else:
            order, slot, current, started, limits = guard
            cap_memory(limits.memory_bytes)
            runs = _runs(_take_guarded(fn, items, order, bounds, slot, current, started), join)
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


def _address_space() -> int:
    """This process's virtual size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def cap_memory(extra_bytes: int) -> None:
    """Limit this process's address space to its present size plus ``extra_bytes`` (``RLIMIT_AS``): an
    allocation past it fails (``MemoryError`` in Python) instead of exhausting the machine."""
    import resource

    size = _address_space()
    if extra_bytes <= 0 or size <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + extra_bytes if hard == resource.RLIM_INFINITY else min(size + extra_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _map_guarded(fn: Callable, items: list, workers: int, join: Callable[[list], Any],
                 meanwhile: Callable[[], object], guard: Guard, spawn: bool = False) -> list:  # fmt: skip
    """:func:`map_shared` in guarded mode (see the module)."""
    runs: dict[int, tuple[int, Any]] = {}
    failed: dict[int, str] = {}
    suspects: set[int] = set()  # items whose worker died while doing them: tried once more, alone
    todo = list(range(len(items)))
    first = True
    while todo:
        # never more than ``workers`` processes at once: suspects first, one each, the rest share what is left
        solo = [[i] for i in todo if i in suspects][:workers]
        rest = [i for i in todo if i not in suspects]
        plan = [(g, 1) for g in solo] + ([(rest, min(workers - len(solo), len(rest)))] if len(solo) < workers and rest
                                         else [])  # fmt: skip
        one_pass = _guarded_pass_spawned if spawn else _guarded_pass
        delivered, dead = one_pass(fn, items, plan, join, guard, meanwhile if first else None)
        first = False
        runs.update(delivered)
        done = {i for start, (n, _) in delivered.items() for i in range(start, start + n)}
        for i, reason in dead.items():
            if reason == TIMED_OUT or i in suspects:
                failed[i] = reason
            else:
                suspects.add(i)
        if not done and not dead:  # no progress at all (workers die between items): give up on those tried
            failed.update({i: DIED for order, _ in plan for i in order})
        todo = [i for i in todo if i not in done and i not in failed]
    for i, reason in failed.items():
        runs[i] = (1, join([guard.failed(items[i], reason)]))
    return [runs[start][1] for start in sorted(runs)]


def _guarded_pass(fn: Callable, items: list, plan: list[tuple[list[int], int]], join: Callable[[list], Any],
                  guard: Guard, meanwhile: Callable[[], object] | None) -> tuple[dict, dict[int, str]]:  # fmt: skip
    """One pass: each (items, n) of ``plan`` shared by ``n`` workers. Returns the runs delivered and
    {item: reason} for the items in hand when a worker died or was killed."""
    ctx = multiprocessing.get_context("fork")
    slots = sum(n for _, n in plan)
    current = ctx.Array("q", [-1] * slots, lock=False)  # the item each worker is doing (-1: none)
    started = ctx.Array("d", [0.0] * slots, lock=False)  # since when (time.monotonic, the same in every process)
    children: dict[int, tuple[int, int, mmap.mmap | None]] = {}  # read end of its pipe -> (slot, pid, area)
    killed: dict[int, int] = {}  # slot -> the item it was doing when it was killed
    delivered: dict[int, tuple[int, Any]] = {}
    dead: dict[int, str] = {}
    try:
        slot = 0
        for order, n in plan:
            bounds = ctx.Array("q", [0, len(order)])
            for _ in range(n):
                pid, fd, area = _fork_worker(fn, items, bounds, join, guard=(order, slot, current, started, guard))
                children[fd] = (slot, pid, area)
                slot += 1
        if meanwhile is not None:
            meanwhile()
        while children:
            ready, _, _ = select.select(list(children), [], [], 0.05)
            for fd in ready:
                slot, pid, area = children.pop(fd)
                got = _collect(pid, fd, area)
                delivered.update(got)
                if not got:  # died (or sent nothing readable): the item in hand is suspect or failed
                    item = killed.get(slot, current[slot])
                    if item >= 0:
                        dead[item] = TIMED_OUT if slot in killed else DIED
            if guard.seconds > 0:
                now = time.monotonic()
                for slot, pid, _ in children.values():
                    item = current[slot]
                    if item >= 0 and slot not in killed and now - started[slot] > guard.seconds:
                        killed[slot] = item
                        with contextlib.suppress(OSError):
                            os.kill(pid, signal.SIGKILL)
        return delivered, dead
    finally:
        # only after an error: stop the workers, free their areas
        _stop([(pid, fd, area) for fd, (_, pid, area) in children.items()], kill=True)


def _take_guarded(fn: Callable, items: list, order: list[int], bounds: Any, slot: int, current: Any,
                  started: Any) -> dict[int, Any]:  # fmt: skip
    """A guarded worker's loop: the items of ``order`` from the front, saying which one it is doing."""
    out = {}
    while True:
        with bounds.get_lock():
            k = bounds[0]
            if k >= bounds[1]:
                return out
            bounds[0] = k + 1
        i = order[k]
        started[slot] = time.monotonic()
        current[slot] = i
        out[i] = fn(items[i])
        current[slot] = -1


# --- spawned workers (Windows, macOS, or SATUDATA_START_METHOD=spawn) ---------------------------------------


class _Spawned:
    """A spawned worker: its process and the read end of the pipe it sends its pickled runs through."""

    def __init__(self, fn: Callable, items: list, bounds: Any, join: Callable[[list], Any],
                 guarded: tuple | None = None) -> None:  # fmt: skip
        ctx = multiprocessing.get_context("spawn")
        self.conn, sender = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_spawned_main, args=(fn, items, bounds, join, sender, guarded),
                                   daemon=True, name="satudata-pembaca")  # fmt: skip
        try:
            self.process.start()
        finally:
            sender.close()  # this process keeps only the read end: a dead worker then reads as EOF

    def collect(self) -> dict[int, tuple[int, Any]]:
        """The runs it sent (none when it failed: its items are then redone); the process is reaped."""
        try:
            return pickle.loads(self.conn.recv_bytes())
        except Exception:  # noqa: BLE001 - died before sending, or sent something unreadable
            return {}
        finally:
            self.conn.close()
            threading.Thread(target=self.process.join, name="reap-spawned", daemon=True).start()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.conn.close()
        with contextlib.suppress(Exception):
            self.process.join(5)


def _spawned_main(fn: Callable, items: list, bounds: Any, join: Callable[[list], Any], conn: Any,
                  guarded: tuple | None) -> None:  # fmt: skip
    """A spawned worker's body: as a forked worker's, the runs sent through ``conn``."""
    status = 1
    try:
        if guarded is None:
            runs = _runs(_take_all(fn, items, bounds, front=True), join)
        else:
            order, slot, current, started, memory_bytes = guarded
            if memory_bytes > 0 and sys.platform.startswith("linux"):
                cap_memory(memory_bytes)
            runs = _runs(_take_guarded(fn, items, order, bounds, slot, current, started), join)
        conn.send_bytes(pickle.dumps(runs, pickle.HIGHEST_PROTOCOL))
        status = 0
    except BaseException:  # noqa: BLE001 - nothing escapes a worker; its items are redone
        pass
    finally:
        with contextlib.suppress(Exception):
            conn.close()
        os._exit(status)


def _map_plain_spawned(fn: Callable, items: list, workers: int, join: Callable[[list], Any],
                       meanwhile: Callable[[], object], join_here: Callable[[list], Any]) -> list:  # fmt: skip
    """:func:`_map_plain` with spawned workers."""
    bounds = multiprocessing.get_context("spawn").Array("q", [0, len(items)])
    children: list[_Spawned] = []
    try:
        for _ in range(workers - 1):
            children.append(_Spawned(fn, items, bounds, join))
        meanwhile()
        runs = _runs(_take_all(fn, items, bounds, front=False), join_here)
        with bounds.get_lock():
            idle = bounds[0] == 0  # no worker has taken an item: none has anything to send
            bounds[0] = bounds[1]
        if idle:  # a spawned worker may still be importing: stop it instead of waiting for it
            for child in children:
                child.stop()
            children = []
        while children:
            runs.update(children.pop(0).collect())
        done = {i for start, (n, _) in runs.items() for i in range(start, start + n)}
        runs.update(_runs({i: fn(x) for i, x in enumerate(items) if i not in done}, join_here))
        return [runs[start][1] for start in sorted(runs)]
    finally:
        with bounds.get_lock():
            bounds[0] = bounds[1]
        for child in children:  # only after an error
            child.stop()


def _guarded_pass_spawned(fn: Callable, items: list, plan: list[tuple[list[int], int]],
                          join: Callable[[list], Any], guard: Guard,
                          meanwhile: Callable[[], object] | None) -> tuple[dict, dict[int, str]]:  # fmt: skip
    """:func:`_guarded_pass` with spawned workers."""
    from multiprocessing.connection import wait

    ctx = multiprocessing.get_context("spawn")
    slots = sum(n for _, n in plan)
    current = ctx.RawArray("q", [-1] * slots)
    started = ctx.RawArray("d", [0.0] * slots)
    children: dict[Any, tuple[int, _Spawned]] = {}  # its pipe -> (slot, worker)
    killed: dict[int, int] = {}
    delivered: dict[int, tuple[int, Any]] = {}
    dead: dict[int, str] = {}
    try:
        slot = 0
        for order, n in plan:
            bounds = ctx.Array("q", [0, len(order)])
            for _ in range(n):
                child = _Spawned(fn, items, bounds, join, guarded=(order, slot, current, started, guard.memory_bytes))
                children[child.conn] = (slot, child)
                slot += 1
        if meanwhile is not None:
            meanwhile()
        while children:
            for conn in wait(list(children), timeout=0.05):
                slot, child = children.pop(conn)
                got = child.collect()
                delivered.update(got)
                if not got:
                    item = killed.get(slot, current[slot])
                    if item >= 0:
                        dead[item] = TIMED_OUT if slot in killed else DIED
            if guard.seconds > 0:
                now = time.monotonic()
                for slot, child in children.values():
                    item = current[slot]
                    if item >= 0 and slot not in killed and now - started[slot] > guard.seconds:
                        killed[slot] = item
                        with contextlib.suppress(Exception):
                            child.process.kill()
        return delivered, dead
    finally:
        for _, child in children.values():
            child.stop()
