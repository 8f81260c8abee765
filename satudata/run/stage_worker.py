"""A stage process that runs many stages one after the other, keeping its Jupyter kernel between them.

Every stage of a round is a notebook run by papermill. Run as a process of its own (``satudata notebook``), a
stage costs about 1.5 s before its first cell does any work: the interpreter, papermill, a new kernel, pandas
and the package imported again. A new round after the demo's three runs ten stages, seven of them one after
the other (every round's progress waits for the one before), so that start-up was most of the wait. The
round runner (:mod:`satudata.run.rounds`) starts instead up to two workers and hands each the stages it is
given: the process, its imports and its kernel are made once per run.

Between two notebooks the kernel is emptied: every name the last notebook made is removed, its figures
closed, the execution counter set back to 1 in a new history session (IPython's ``reset``) and the working directory moved to the next
notebook's, so a notebook runs as in a kernel of its own. The package's modules stay imported; their caches
hold only results of pure functions, and no notebook changes process-wide settings (warning filters, pandas
options), which a test of the committed notebooks checks. A kernel that died (a cell killed by the memory
killer) is replaced for the next stage.

Protocol: the runner writes one JSON line per stage (the arguments of ``satudata notebook``) to the worker's
standard input; the worker runs it exactly as ``satudata notebook`` does (the stale marks, the staged
reports, the failed notebook kept) and answers with the line ``REPLY <exit code>`` on its standard output.
Everything else a stage prints goes where it always went. The end of its input ends the worker, its kernel
shut down. SIGTERM or SIGHUP end the running stage as they end ``satudata notebook`` (the old reports marked,
hidden folders removed), then the worker. While a stage runs, ``tahap.json`` in the worker's runtime folder
(:mod:`satudata.run.kernel_runtime`) names it.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import traceback
from pathlib import Path

REPLY = b"\x1esatudata-tahap-selesai "
CURRENT = "tahap.json"


def serve() -> int:
    """The worker: run the stages read from standard input (see the module); returns the exit code."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    from satudata.run.kernel_runtime import own_kernel_files
    from satudata.run.notebook import KeptKernel, stop_signals_exit
    from satudata.run.notebook import main as run_stage_command

    replies = sys.stdout.buffer
    with stop_signals_exit(), own_kernel_files() as runtime:
        kernel = KeptKernel(runtime)
        current = runtime / CURRENT
        try:
            for line in sys.stdin.buffer:
                if not line.strip():
                    continue
                argv = json.loads(line)
                current.write_text(json.dumps(argv), encoding="utf-8")
                try:
                    code = run_stage_command(argv, kernel=kernel)
                except Exception:  # noqa: BLE001 - told as ``satudata notebook`` tells it: a traceback, exit 1
                    traceback.print_exc()
                    code = 1
                current.unlink(missing_ok=True)
                sys.stdout.flush()
                sys.stderr.flush()
                replies.write(REPLY + f"{code}\n".encode())
                replies.flush()
        finally:
            kernel.close()
    return 0


class Worker:
    """The runner's side of one worker process: start a stage, see whether it has ended, end the worker."""

    def __init__(self, env: dict[str, str], cwd: Path | None, command: list[str] | None = None) -> None:
        command = command or [sys.executable, "-m", "satudata.run.stage_worker"]
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=cwd)
        self._codes: queue.Queue[int | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.busy = False

    def _read(self) -> None:
        """Pass on what the worker prints; put the exit code of every stage it ends in the queue (a stage's last
        output without a line end may stand before the answer on its line)."""
        for line in self.proc.stdout:
            at = line.find(REPLY)
            if at != 0:
                _pass_on(line if at < 0 else line[:at])
            if at >= 0:
                self._codes.put(int(line[at + len(REPLY) :]))
        self._codes.put(None)  # the worker's output ended: it has ended

    def start(self, arguments: list[str]) -> bool:
        """Hand the worker a stage (the arguments of ``satudata notebook``); False when it has ended."""
        try:
            self.proc.stdin.write(json.dumps(arguments).encode() + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return False
        self.busy = True
        return True

    def ended(self) -> int | None:
        """The exit code of the running stage once it has ended (the worker's own when the worker died in it)."""
        try:
            code = self._codes.get_nowait()
        except queue.Empty:
            if self.proc.poll() is None:
                return None
            self._reader.join(timeout=1)  # the process ended: its last line may still be on its way
            try:
                code = self._codes.get_nowait()
            except queue.Empty:
                code = None
        self.busy = False
        if code is None:
            return self.proc.wait() or 1
        return code

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        """No more stages: the worker shuts its kernel down and ends."""
        with contextlib.suppress(OSError):
            self.proc.stdin.close()

    def stop(self) -> None:
        """Ask the worker to stop its running stage and end (SIGTERM; the stage marks the reports)."""
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.proc.terminate()


def _pass_on(data: bytes) -> None:
    """Write a worker's output to this process's standard output, where a stage process's went; lost if that is
    closed (the run goes on)."""
    with contextlib.suppress(OSError):
        os.write(1, data)


if __name__ == "__main__":
    sys.exit(serve())
