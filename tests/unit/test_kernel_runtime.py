"""A stage's kernel files live in a private runtime folder, never in the report folder; what a killed
stage leaves (its runtime folder, a socket an older version put in the report folder) goes with the next."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from satudata.run.kernel_runtime import (
    PREFIX,
    own_kernel_files,
    remove_leftovers,
    remove_stray_sockets,
    socket_base,
)
from satudata.run.staged_reports import staged_round


def _socket(path: Path) -> socket.socket:
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    return s


def test_the_runtime_folder_is_private_absolute_and_removed():
    before = os.environ.get("JUPYTER_RUNTIME_DIR")
    with own_kernel_files() as one, own_kernel_files() as two:
        assert one != two and os.environ["JUPYTER_RUNTIME_DIR"] == str(two)
        assert one.name.startswith(f"{PREFIX}{os.getpid()}-")
        assert socket_base(one) == str(one.resolve() / "kernel-ipc") and len(socket_base(one)) < 100
    assert not one.exists() and not two.exists()
    assert os.environ.get("JUPYTER_RUNTIME_DIR") == before


def test_a_killed_process_runtime_folder_goes_and_a_living_one_stays(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = tmp_path / f"{PREFIX}{int(dead.stdout)}-abc"
    alive = tmp_path / f"{PREFIX}{os.getppid()}-abc"
    other = tmp_path / "satudata-lain"
    for folder in (gone, alive, other):
        folder.mkdir()
    assert remove_leftovers(tmp_path) == [gone]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, other.name])


def test_sockets_left_in_the_report_folder_are_removed_and_never_copied(tmp_path):
    reports = tmp_path / "reports"
    notebooks = reports / "2021-03-01" / "notebooks"
    notebooks.mkdir(parents=True)
    (notebooks / "01_ingest.ipynb").write_text("{}")
    (notebooks / "kernel-ipc-catatan").write_text("bukan soket")  # a file of that name stays
    sockets = [_socket(notebooks / f"kernel-ipc-{i}") for i in (1, 2)]
    try:
        with staged_round(reports, "2021-03-01") as stage:  # used to fail: shutil.Error, errno 6
            copied = sorted(p.name for p in (stage.root / "2021-03-01" / "notebooks").iterdir())
        assert copied == ["01_ingest.ipynb", "kernel-ipc-catatan"]
        assert sorted(p.name for p in remove_stray_sockets(notebooks)) == ["kernel-ipc-1", "kernel-ipc-2"]
        assert sorted(p.name for p in notebooks.iterdir()) == ["01_ingest.ipynb", "kernel-ipc-catatan"]
    finally:
        for s in sockets:
            s.close()
