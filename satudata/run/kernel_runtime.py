"""Where a stage's Jupyter kernel keeps its runtime files, and what a killed stage leaves behind.

A kernel talking over IPC binds its sockets at ``<ip>-<port>``; left relative (jupyter_client's default
``kernel-ipc``), they land in the kernel's working directory, which is the round's
``reports/<round>/notebooks/``. A stage killed while its kernel runs left them there, and a socket cannot be
copied: every later rebuild of the round failed on ``shutil.Error`` (errno 6) until someone deleted them.

Every stage now gets a private runtime folder under the system temp folder
(``satudata-kernel-<pid>-XXXX``, short enough for a socket path): its connection files
(``JUPYTER_RUNTIME_DIR``) and its IPC sockets live there, and the folder is removed when the stage ends. A
folder left by a process that was killed (its pid is no longer running) is removed by the next stage.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFIX = "satudata-kernel-"
SOCKET_NAME = "kernel-ipc"
_LEFT = re.compile(rf"^{PREFIX}(\d+)-")
_MAX_SOCKET_PATH = 100  # AF_UNIX paths are limited to 107 bytes; the port suffix takes up to 6


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would end the process there: every folder counts as in use
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _temp_root() -> Path:
    root = Path(tempfile.gettempdir())
    if len(str(root)) + len(PREFIX) + 30 > _MAX_SOCKET_PATH and Path("/tmp").is_dir():
        return Path("/tmp")  # a long TMPDIR would make the socket path too long to bind
    return root


def remove_leftovers(root: str | Path | None = None) -> list[Path]:
    """Remove the runtime folders of stages whose process is gone (killed); returns what was removed."""
    root = Path(root) if root is not None else _temp_root()
    removed = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = _LEFT.match(entry.name)
        if not m or int(m.group(1)) == os.getpid() or _alive(int(m.group(1))):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink() and _own(entry):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
        except OSError:
            continue
    return removed


def _own(entry: Path) -> bool:
    """True when ``entry`` belongs to this user (always where the system has no user ids)."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or entry.stat().st_uid == getuid()


@contextmanager
def own_kernel_files() -> Iterator[Path]:
    """A private runtime folder for the kernels started in the block (``JUPYTER_RUNTIME_DIR`` points at it),
    removed when the block ends."""
    remove_leftovers()
    before = os.environ.get("JUPYTER_RUNTIME_DIR")
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=_temp_root()))
    os.environ["JUPYTER_RUNTIME_DIR"] = str(folder)
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop("JUPYTER_RUNTIME_DIR", None)
        else:
            os.environ["JUPYTER_RUNTIME_DIR"] = before
        shutil.rmtree(folder, ignore_errors=True)


def socket_base(folder: str | Path) -> str:
    """The absolute IPC address prefix of a kernel started with runtime folder ``folder``."""
    return str(Path(folder).resolve() / SOCKET_NAME)


def remove_stray_sockets(folder: str | Path) -> list[Path]:
    """Remove ``kernel-ipc-*`` sockets left in ``folder`` by an older version's killed kernel (sockets only:
    a file of that name is left alone)."""
    removed = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for path in folder.glob(f"{SOCKET_NAME}-*"):
        try:
            if stat.S_ISSOCK(path.lstat().st_mode):
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed
