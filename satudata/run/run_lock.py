"""One run at a time per data folder.

Two ``make all`` on one data folder used to run their notebooks' kernels side by side and trip over
each other's outputs. Every stage takes an exclusive lock on ``<DATA_DIR>/.satudata.lock`` (the ``filelock``
library: ``flock`` on Linux and macOS, ``msvcrt.locking`` on Windows, released by the system even when the
process is killed); the holder writes its process id into ``<DATA_DIR>/.satudata.pid``, so a second run
waits for it, saying who holds it, and gives up with a clear message after ``wait_seconds``. Each stage's kernel also gets its own runtime folder
(:mod:`satudata.run.kernel_runtime`), so two kernels never share a socket name.

A whole ``satudata putaran`` or ``satudata semua`` (``make round``, ``make all``, ``make demo``) runs under one
lock (:mod:`satudata.run.rounds`; ``python -m satudata.run.run_lock DATA_DIR -- COMMAND ...`` does the same
for any command): the stages it starts find the lock held for them (``SATUDATA_DATA_LOCK``) and run side by
side, while another run still waits for the whole of this one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".satudata.lock"
HOLDER_NAME = ".satudata.pid"  # the process id of the run holding the lock (for the waiting run's message)
HELD_ENV = "SATUDATA_DATA_LOCK"  # the data folder whose lock an enclosing run holds for this process


class Busy(RuntimeError):
    """Another run held the data folder for longer than we were willing to wait."""


@contextmanager
def data_lock(data_dir: str | Path, wait_seconds: float = 3600, say: Callable[[str], None] = print,
              poll: float = 0.5) -> Iterator[None]:  # fmt: skip
    """Hold the data folder's lock for the duration of the block (see the module)."""
    from filelock import FileLock, Timeout

    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(folder / LOCK_NAME, thread_local=False)
    holder_file = folder / HOLDER_NAME
    deadline, told = time.monotonic() + wait_seconds, False
    while True:
        try:
            lock.acquire(timeout=0)
            break
        except Timeout:
            holder = _holder(holder_file)
            if time.monotonic() >= deadline:
                raise Busy(f"Folder data {folder} masih dipakai proses lain (PID {holder}). Tunggu sampai "
                           "proses itu selesai, atau hentikan proses itu, lalu jalankan lagi.") from None
            if not told:
                say(f">> Folder data {folder} sedang dipakai proses lain (PID {holder}); menunggu giliran ...")
                told = True
            time.sleep(poll)
    try:
        holder_file.write_text(str(os.getpid()), encoding="utf-8")
        yield
    finally:
        lock.release()


def _holder(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip() or "?"
    except OSError:
        return "?"


def held_for_us(data_dir: str | Path) -> bool:
    """True when an enclosing run (:func:`main`) holds ``data_dir``'s lock for this process and its children."""
    return os.environ.get(HELD_ENV) == str(Path(data_dir).resolve())


@contextmanager
def holding(data_dir: str | Path, wait_seconds: float = 3600,
            say: Callable[[str], None] = print) -> Iterator[None]:  # fmt: skip
    """The data folder's lock for a command that writes into it (``satudata hitung``, ``ingest``, ``demo`` ...):
    taken, or waited for while a round runs, unless an enclosing run already holds it for this process. While it
    is held, nested calls and child processes are told so (``SATUDATA_DATA_LOCK``) and do not wait for it."""
    if held_for_us(data_dir):
        yield
        return
    with data_lock(data_dir, wait_seconds, say=say):
        before = os.environ.get(HELD_ENV)
        os.environ[HELD_ENV] = str(Path(data_dir).resolve())
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(HELD_ENV, None)
            else:
                os.environ[HELD_ENV] = before


def main(argv: list[str] | None = None) -> int:
    """``python -m satudata.run.run_lock DATA_DIR -- COMMAND ...``: run COMMAND while holding DATA_DIR's lock.

    Returns COMMAND's exit code, or 1 when the folder stayed busy (the message says so, in Indonesian)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 3 or args[1] != "--":
        print("Pakai: python -m satudata.run.run_lock FOLDER_DATA -- PERINTAH ...", file=sys.stderr)
        return 2
    data_dir, command = args[0], args[2:]
    try:
        with data_lock(data_dir):
            env = {**os.environ, HELD_ENV: str(Path(data_dir).resolve())}
            return subprocess.run(command, env=env, check=False).returncode
    except Busy as exc:
        print(f"GAGAL: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
