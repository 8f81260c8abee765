"""One run at a time per data folder: a second one waits, saying so, or gives up with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from satudata.run.kernel_runtime import own_kernel_files
from satudata.run.run_lock import Busy, data_lock

HOLD = """
import sys, time
from satudata.run.run_lock import data_lock
with data_lock(sys.argv[1]):
    print("held", flush=True); time.sleep(float(sys.argv[2]))
"""


def _hold(tmp_path, seconds: float) -> subprocess.Popen:
    """Another run holding the folder (through the same lock: filelock, flock here, msvcrt on Windows)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_run_waits_and_says_so(tmp_path):
    proc = _hold(tmp_path, 1.5)
    said: list[str] = []
    start = time.monotonic()
    with data_lock(tmp_path, wait_seconds=30, say=said.append, poll=0.1):
        waited = time.monotonic() - start
        assert (tmp_path / ".satudata.pid").read_text(encoding="utf-8") == str(os.getpid())
    proc.wait()
    assert waited >= 1.0 and len(said) == 1 and f"PID {proc.pid}" in said[0] and "menunggu giliran" in said[0]


def test_a_second_run_gives_up_with_a_clear_message(tmp_path):
    proc = _hold(tmp_path, 5)
    try:
        with (pytest.raises(Busy, match=rf"masih dipakai proses lain \(PID {proc.pid}\)"),
              data_lock(tmp_path, wait_seconds=0.3, say=lambda _: None, poll=0.1)):
            pass
    finally:
        proc.kill()
        proc.wait()
    with data_lock(tmp_path, wait_seconds=1):  # a killed holder's lock is released by the system
        pass


def test_each_run_gets_its_own_kernel_files():
    before = os.environ.get("JUPYTER_RUNTIME_DIR")
    with own_kernel_files() as one, own_kernel_files() as two:
        assert one != two and os.environ["JUPYTER_RUNTIME_DIR"] == str(two)
    assert os.environ.get("JUPYTER_RUNTIME_DIR") == before


CHILD = """
import sys
from satudata.run.run_lock import Busy, data_lock, held_for_us
print("ditahan" if held_for_us(sys.argv[1]) else "tidak", flush=True)
try:  # the lock itself is held (by the enclosing run): anyone taking it would wait
    with data_lock(sys.argv[1], wait_seconds=0.2, say=lambda _: None, poll=0.05):
        print("terambil")
except Busy:
    print("sibuk")
sys.exit(7)
"""


def test_a_whole_run_holds_the_lock_for_the_stages_it_starts(tmp_path):
    """`python -m satudata.run.run_lock DATA -- COMMAND` (make round, make demo): COMMAND's stages are told that the
    lock is held for them; the lock stays held against everyone else; COMMAND's exit code comes back."""
    link = tmp_path / "tautan"
    link.symlink_to(tmp_path, target_is_directory=True)  # make reaches an awkward folder through a symlink
    proc = subprocess.run([sys.executable, "-m", "satudata.run.run_lock", str(link), "--", sys.executable, "-c", CHILD,
                           str(tmp_path)], capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 7, proc.stderr
    assert proc.stdout.split() == ["ditahan", "sibuk"]
    alone = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], capture_output=True, text=True)
    assert alone.stdout.split() == ["tidak", "terambil"]  # no enclosing run: a stage takes the lock itself
    usage = subprocess.run([sys.executable, "-m", "satudata.run.run_lock", str(tmp_path)], capture_output=True, text=True)
    assert usage.returncode == 2 and "FOLDER_DATA -- PERINTAH" in usage.stderr
