"""Running a parametrised notebook with papermill, with clear errors and no partial report.

The executed notebook is written to ``out`` (kept for audit). When a cell fails, the cell's
source and the error are printed, the executed notebook is renamed ``*.gagal.ipynb`` so it can
be inspected, no HTML is written, and the caller (make) gets a non-zero exit.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

KERNEL_NAME = "satudata"
# parameters that name a file or folder: recorded relative to the executed notebook's folder
PATH_PARAMETERS = ("data_dir", "reports_dir", "settings_file")


def _kernel_manager_class(runtime: Path):
    """A kernel manager talking to the kernel over local IPC sockets, not TCP, kept in ``runtime`` (the
    stage's private runtime folder, :mod:`satudata.run.kernel_runtime`), never in the kernel's working
    directory (the round's report folder).

    Nothing leaves the machine either way, but over TCP every kernel prints a warning about
    unencrypted transport that would drown the analyst's make output. jupyter_client also
    interrupts an idle kernel before shutting it down, which makes a busy machine print
    ``KeyboardInterrupt caught in kernel``; after papermill has finished there is nothing to
    interrupt, so that one interrupt is skipped (interrupts on a cell time-out still happen).
    """
    from jupyter_client.manager import AsyncKernelManager

    from satudata.run.kernel_runtime import socket_base

    class IpcKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if os.name != "nt":  # Windows has no IPC sockets for ZeroMQ: there the kernel talks over localhost TCP
                self.transport = "ipc"
                self.ip = socket_base(runtime)  # absolute: the default "kernel-ipc" lands in the kernel's cwd

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

    return IpcKernelManager


# A new session (IPython's ``reset``): every user name removed, the execution counter at 1 and a new history
# session, so the history database never sees a cell number twice.
_EMPTY = """\
get_ipython().reset(new_session=True)
(lambda os, gc, sys: (sys.modules.get("matplotlib.pyplot") and sys.modules["matplotlib.pyplot"].close("all"),
                      os.chdir({cwd!r}), gc.collect()))(__import__("os"), __import__("gc"), __import__("sys"))
"""


class KeptKernel:
    """One kernel kept for the notebooks a worker runs: :meth:`for_notebook` gives the kernel manager papermill
    uses (started by papermill the first time, emptied and moved to ``cwd`` every later time)."""

    def __init__(self, runtime: Path) -> None:
        self.runtime = runtime
        self.km = None

    def for_notebook(self, cwd: Path | None):
        from jupyter_core.utils import run_sync

        if self.km is not None and not run_sync(self.km.is_alive)():
            self.close()  # died in the last stage: a new one for this stage
        if self.km is None:
            self.km = _kernel_manager_class(self.runtime)(kernel_name=_kernel_name())
            return self.km  # papermill starts it, in cwd
        run_sync(self._empty)(str(Path(cwd).resolve()) if cwd is not None else os.getcwd())
        return self.km

    async def _empty(self, cwd: str) -> None:
        """Run :data:`_EMPTY` over the shell channel alone: its requests wait in a queue until the kernel reads
        them (a kernel client's readiness check listens to the broadcast channel for 0.2 s each time)."""
        kc = self.km.client()
        kc.allow_stdin = False
        kc.shell_channel.start()  # the shell channel alone
        try:
            sent = kc.execute(_EMPTY.format(cwd=cwd), silent=True, store_history=False)
            while True:
                reply = await kc.get_shell_msg(timeout=60)
                if reply["parent_header"].get("msg_id") == sent:
                    break
        finally:
            kc.stop_channels()
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"kernel tidak dapat dikosongkan: {reply['content'].get('evalue', '')}")

    def close(self) -> None:
        """Shut the kernel down (if it runs) and forget it."""
        if self.km is None:
            return
        from jupyter_core.utils import run_sync

        km, self.km = self.km, None
        try:
            if run_sync(km.is_alive)():
                run_sync(km.shutdown_kernel)(now=False)
        except RuntimeError:
            pass
        finally:
            run_sync(km.cleanup_resources)()


def skip_iri_grammar() -> None:
    """Leave out the one optional import that makes running a notebook slow.

    papermill and nbconvert read notebooks with nbformat, which imports jsonschema; jsonschema imports
    ``rfc3987_syntax`` when it is installed (JupyterLab's dependencies install it) only to check the
    ``iri`` string format, which no notebook schema uses. Importing it builds a grammar: about 1.2 s of the
    1.7 s papermill takes to import, in every stage of every round. Marked as absent, jsonschema skips it.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None: "not installed"


class NotebookFailed(RuntimeError):
    """A notebook cell raised; the message shows the cell and the error."""


def _kernel_name() -> str:
    from jupyter_client.kernelspec import find_kernel_specs

    specs = find_kernel_specs()
    if KERNEL_NAME in specs:
        return KERNEL_NAME
    raise NotebookFailed(
        f"Kernel Jupyter '{KERNEL_NAME}' belum terdaftar. Jalankan `satudata kernel` (atau `make setup`) terlebih dahulu."
    )


def ensure_kernel(say=print) -> bool:
    """Register the kernel ``satudata`` for this environment's Python (``--sys-prefix``) when no kernel of that
    name is known yet: a conda environment made from ``environment.yml`` has none. True when it did."""
    from jupyter_client.kernelspec import find_kernel_specs

    if KERNEL_NAME in find_kernel_specs():
        return False
    import subprocess

    subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL_NAME,
                    "--display-name", KERNEL_NAME], check=True, capture_output=True)  # fmt: skip
    say(f"Kernel Jupyter '{KERNEL_NAME}' didaftarkan untuk {sys.executable}.")
    return True


def _failed_cell(notebook: Path) -> tuple[str, str]:
    """The source and the error text of the first cell that raised, from the executed notebook."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return cell.source, f"{output.get('ename')}: {output.get('evalue')}"
    return "", ""


def relative_path(value: str | Path, start: str | Path) -> str:
    """``value`` relative to ``start`` (POSIX separators); unchanged if it is relative or on another drive."""
    if not str(value) or not Path(value).is_absolute():
        return str(value)
    try:
        return Path(os.path.relpath(Path(value).resolve(), Path(start).resolve())).as_posix()
    except ValueError:
        return str(value)


def relative_parameters(parameters: dict[str, str], start: str | Path) -> dict[str, str]:
    """The parameters with every path (``data_dir``, ``reports_dir``, ``settings_file``) made relative to
    ``start``, the kernel's working directory: the executed notebook names no folder of this machine and
    still runs when reopened from its folder, or after the data and reports folders are moved together."""
    return {k: relative_path(v, start) if k in PATH_PARAMETERS and v else v for k, v in parameters.items()}


def _relative_metadata(source: Path, executed: Path, name: str | None = None) -> None:
    """papermill records the input and output notebooks as given: record the input as named in the clone
    (``notebooks/01_ingest.ipynb``) and the output by its name (``name``: the name it will have)."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    meta = nb.metadata.get("papermill")
    if meta is None:
        return
    from satudata.common.paths import PROJECT_ROOT

    try:  # the committed notebook, as named in the clone
        meta["input_path"] = source.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        meta["input_path"] = source.name
    meta["output_path"] = name or executed.name
    nbformat.write(nb, executed)


def work_name(out: Path) -> Path:
    """Where papermill writes the executed notebook ``out`` while it runs (it saves after every cell): a hidden
    name beside it, replaced onto ``out`` only when the notebook has finished. A run killed halfway thus never
    leaves a half-run notebook under the real name, and the finished notebook is always newer than the files
    its cells wrote (the round pipeline reruns a stage whose notebook is older than its target)."""
    return out.with_name(f".{out.name}.{os.getpid()}.sementara.ipynb")  # papermill wants .ipynb


def remove_work_left(out: Path) -> list[Path]:
    """Remove the work files of ``out`` left by a run that was killed (the data folder's lock is held)."""
    removed = []
    for left in out.parent.glob(f".{out.name}.*.sementara.ipynb"):
        left.unlink(missing_ok=True)
        removed.append(left)
    return removed


def run_notebook(
    notebook: str | Path,
    out: str | Path,
    parameters: dict[str, str],
    html: str | Path | None = None,
    title: str | None = None,
    cwd: str | Path | None = None,
    kernel: KeptKernel | None = None,
) -> Path:
    """Execute ``notebook`` into ``out`` with ``parameters``; optionally render ``html``.

    With ``cwd`` (the kernel's working directory) path parameters are passed relative to it. The executed
    notebook appears under ``out`` only when every cell has run (:func:`work_name`). With ``kernel`` (a stage
    worker's, :mod:`satudata.run.stage_worker`) the notebook runs in that kernel, emptied first; otherwise in
    a kernel of its own, shut down at the end.
    """
    skip_iri_grammar()
    import papermill as pm

    notebook, out = Path(notebook), Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_work_left(out)
    failed = out.with_suffix(".gagal.ipynb")
    failed.unlink(missing_ok=True)
    if html is not None:
        Path(html).unlink(missing_ok=True)
    if cwd is not None:
        parameters = relative_parameters(parameters, cwd)
    from satudata.run.kernel_runtime import own_kernel_files

    work = work_name(out)
    try:
        try:
            with own_kernel_files() if kernel is None else nullcontext(kernel.runtime) as runtime:
                if kernel is None:
                    manager = {"kernel_manager_class": _kernel_manager_class(runtime)}
                else:
                    manager = {"km": kernel.for_notebook(Path(cwd) if cwd else None)}
                pm.execute_notebook(
                    str(notebook),
                    str(work),
                    parameters=parameters,
                    kernel_name=_kernel_name(),
                    cwd=str(cwd) if cwd else None,
                    progress_bar=False,
                    request_save_on_cell_execute=False,
                    **manager,
                )
        except pm.PapermillExecutionError as exc:
            if work.exists():
                _relative_metadata(notebook, work, failed.name)
                work.replace(failed)
            source, error = _failed_cell(failed) if failed.exists() else ("", "")
            raise NotebookFailed(
                f"Tahap {notebook.name} gagal pada sel [{exc.exec_count}].\n"
                f"--- isi sel ---\n{source or exc.source}\n--- galat ---\n{error or exc.ename + ': ' + exc.evalue}\n"
                f"Buku catatan Jupyter yang dijalankan disimpan di {failed} untuk diperiksa; laporan tidak dibuat."
            ) from None
        _relative_metadata(notebook, work, out.name)
        os.replace(work, out)
    finally:
        work.unlink(missing_ok=True)
    if html is not None:
        from satudata.outputs.report import notebook_to_html

        notebook_to_html(out, Path(html), title or notebook.stem)
    return out


def run_stage(notebook: str | Path, out: str | Path, parameters: dict[str, str], html: str | Path | None = None,
              title: str | None = None, stage: str | None = None, staged: bool = False,
              kernel: KeptKernel | None = None) -> Path:  # fmt: skip
    """:func:`run_notebook` as a stage of a round (``stage``: its number, 1 to 4; the round and reports folder
    from ``parameters``): the round's existing reports are marked stale while it runs and after it fails
    (:mod:`satudata.run.staged_reports`); with ``staged`` every file it writes under the reports folder
    appears only when it has finished, the HTML (the make target) last."""
    from satudata.run import staged_reports
    from satudata.run.kernel_runtime import remove_stray_sockets

    out = Path(out)
    cwd = out.parent
    remove_stray_sockets(cwd)  # left there by a kernel of an older version that was killed
    round_date, reports_dir = parameters.get("putaran"), parameters.get("reports_dir")
    if stage is None or not round_date or not reports_dir:
        return run_notebook(notebook, out, parameters, html=html, title=title, cwd=cwd, kernel=kernel)
    label = staged_reports.STAGES.get(str(stage), f"tahap {stage}")
    round_dir = Path(reports_dir) / round_date
    staged_reports.mark_stale(round_dir, round_date, label)
    try:
        if not staged:
            run_notebook(notebook, out, parameters, html=html, title=title, cwd=cwd, kernel=kernel)
        else:
            cwd.mkdir(parents=True, exist_ok=True)
            _run_staged(notebook, out, parameters, html, title, cwd, reports_dir, round_date, kernel)
    except BaseException as exc:
        staged_reports.mark_stale(round_dir, round_date, label, getattr(exc, "reason", None) or str(exc)
                                  or type(exc).__name__)
        raise
    staged_reports.clear_stale(round_dir)
    return out


def _run_staged(notebook: str | Path, out: Path, parameters: dict[str, str], html: str | Path | None,
                title: str | None, cwd: Path, reports_dir: str, round_date: str,
                kernel: KeptKernel | None = None) -> None:  # fmt: skip
    from satudata.run.staged_reports import staged_round

    targets = tuple(p for p in (out, html) if p is not None)  # the HTML (make's target) last
    with staged_round(reports_dir, round_date, last=targets, cwd=cwd) as stage:
        hidden = dict(parameters, reports_dir=str(stage.root))
        staged_out = stage.map(out)
        try:
            run_notebook(notebook, staged_out, hidden, html=stage.map(html) if html is not None else None,
                         title=title, cwd=cwd, kernel=kernel)  # fmt: skip
        except NotebookFailed as exc:  # keep the failed notebook where the message says, under the real folder
            failed = staged_out.with_suffix(".gagal.ipynb")
            if failed.exists():
                out.parent.mkdir(parents=True, exist_ok=True)
                failed.replace(out.with_suffix(".gagal.ipynb"))
            raise NotebookFailed(stage.unmap_text(str(exc))) from None
        out.with_suffix(".gagal.ipynb").unlink(missing_ok=True)


class Stopped(SystemExit):
    """The stage was asked to stop (SIGTERM, SIGHUP): raised where it runs so every ``finally`` still runs
    (the kernel shut down, the hidden folders and the runtime folder removed, the old reports marked)."""

    def __init__(self, code: int, name: str) -> None:
        super().__init__(code)
        self.reason = f"dihentikan dari luar ({name}) sebelum selesai"


@contextmanager
def stop_signals_exit() -> Iterator[None]:
    """SIGTERM and SIGHUP end the block with :class:`Stopped` (exit code 128 + signal) instead of killing the
    process outright. The same stop often arrives twice at once (to the whole process group, and again from
    make or the lock's wrapper passing it on): a repeat within two seconds is ignored, so the stage can
    shut its kernel down and mark the reports; a later one ends the process the default way."""
    import signal
    import time

    first: list[float] = []

    def again(signum: int, _frame: object) -> None:
        if time.monotonic() - first[0] < 2.0:
            return  # the same stop delivered twice: let the first one unwind
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    def stop(signum: int, _frame: object) -> None:
        first.append(time.monotonic())
        for sig in stops:
            signal.signal(sig, again)
        raise Stopped(128 + signum, signal.Signals(signum).name)

    stops = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {sig: signal.signal(sig, stop) for sig in stops}  # Windows has no SIGHUP
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(argv: list[str], kernel: KeptKernel | None = None) -> int:
    """Command-line entry (``satudata notebook``): returns the exit code. A stage worker passes its kept
    ``kernel`` (:mod:`satudata.run.stage_worker`)."""
    import argparse

    parser = argparse.ArgumentParser(prog="satudata notebook", description="Jalankan notebook berparameter.")
    parser.add_argument("notebook")
    parser.add_argument("--out", required=True)
    parser.add_argument("--html")
    parser.add_argument("--title")
    parser.add_argument("--tahap", help="nomor tahap putaran (1-4): laporan lama ditandai usang bila gagal")
    parser.add_argument("--bertahap", action="store_true",
                        help="tulis semua keluaran di folder tersembunyi dan pindahkan sekaligus bila selesai")  # fmt: skip
    parser.add_argument("-p", "--param", nargs=2, action="append", default=[], metavar=("NAMA", "NILAI"))
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    from satudata.run.run_lock import Busy, data_lock, held_for_us

    params = dict(args.param)
    data_dir = params.get("data_dir") or os.environ.get("SATUDATA_DATA_DIR") or "data"
    try:
        with stop_signals_exit(), nullcontext() if held_for_us(data_dir) else data_lock(data_dir):
            run_stage(args.notebook, args.out, params, html=args.html, title=args.title, stage=args.tahap,
                      staged=args.bertahap, kernel=kernel)  # fmt: skip
    except (NotebookFailed, Busy) as exc:
        print(f"\nGAGAL: {exc}", file=sys.stderr)
        if args.tahap and params.get("putaran") and params.get("reports_dir"):
            from satudata.run.staged_reports import NOTE, is_stale

            round_dir = Path(params["reports_dir"]) / params["putaran"]
            if is_stale(round_dir):
                print(f"Laporan lama putaran {params['putaran']} tetap ada tetapi ditandai usang: lihat "
                      f"{round_dir / NOTE}.", file=sys.stderr)  # fmt: skip
        return 1
    return 0
