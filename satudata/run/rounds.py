"""The round pipeline, defined once: the four stages of a round, what each reads, and when it must run.

``satudata putaran ROUND`` and ``satudata semua`` run it; ``make round``, ``make all`` and ``make demo`` call
them, so there is no second definition in the Makefile. Per round:

1. ``01_ingest``: ``processed/<r>/nilai.parquet`` from the round's raw folder (its state file
   ``processed/<r>/.masukan``), the reference files, the package and the notebook;
2. ``02_progres``: ``processed/<r>/progres_opd.parquet`` from ``nilai.parquet`` of every round up to ``r``
   and ``progres_opd.parquet`` of every earlier round (rounds' progress runs in date order: each one updates
   the shared history table);
3. ``03_laporan``: ``reports/<r>/laporan-evaluasi-<r>.html`` from the round's progress (staged: written in
   a hidden folder, moved into place when done);
4. ``04_rakor``: ``reports/<r>/tren-<r>.html`` (and the deck and workbooks) from ``progres_opd.parquet`` of
   every round up to ``r`` and the round's report (staged).

A stage runs when its target is missing or older than one of its inputs (modification times, as make
compares them), or, for stages 1 and 2, when its executed notebook is missing or older than its target (a run
killed after the kernel wrote the target but before the notebook finished), after the stages it reads from. Up to two stages run at once (``jobs``) as soon as what they
read is ready. Each stage runs as ``python -m satudata notebook ...`` would (:mod:`satudata.run.notebook`), in
a stage worker that keeps its process and kernel from one stage to the next (:mod:`satudata.run.stage_worker`): a failed or
killed stage leaves the previous reports marked stale, and the run stops starting stages, lets the running
one finish and exits non-zero; a target the failed stage changed is removed (make's ``.DELETE_ON_ERROR``).
The whole run holds the data folder's lock (:mod:`satudata.run.run_lock`), which its stages find held for
them. Once a round's reports are up to date, a stale mark left by a run killed after its last move goes
(:func:`satudata.run.staged_reports.settle`).

The raw folder's state (path, size and modification time of every file, sub-folders included; hidden files
left out) is rewritten only when it changes, so an added, changed or removed file re-runs the round.
Everything here is :mod:`pathlib` and :mod:`subprocess`: no shell, no ``make``, no symlink; it runs the same
on Windows, Linux and macOS.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from satudata.common.paths import PROJECT_ROOT, ROUND_PATTERN

NOTEBOOKS = PROJECT_ROOT / "notebooks"
PACKAGE = Path(__file__).resolve().parents[1]
STATE_NAME = ".masukan"
JOBS = 2


@dataclass(frozen=True)
class StageKind:
    """One of the four stages: its number, notebook, what it says, whether its files are staged, its title."""

    number: int
    notebook: str
    label: str
    staged: bool = False
    title: str | None = None


STAGES = (
    StageKind(1, "01_ingest", "membaca kiriman"),
    StageKind(2, "02_progres", "progres dan zona"),
    StageKind(3, "03_laporan", "laporan evaluasi", staged=True, title="Laporan Evaluasi Satu Data"),
    StageKind(4, "04_rakor", "tren, bahan rakor dan umpan balik", staged=True, title="Tren Satu Data"),
)


@dataclass
class Step:
    """One stage of one round: its target, the files it reads, the steps that must finish first."""

    round: str
    kind: StageKind
    target: Path
    inputs: list[Path]
    after: list[tuple[str, int]] = field(default_factory=list)
    notebook: Path | None = None  # the executed notebook of a stage that writes its target from its kernel


    @property
    def key(self) -> tuple[str, int]:
        return (self.round, self.kind.number)

    def out_of_date(self) -> bool:
        """True when the target is missing or older than one of its inputs (an input that is missing counts
        as changed), or when the stage's executed notebook is missing or older than its target: stages 1 and
        2 write their target from a cell and the notebook goes on after it, so a run killed in between left a
        complete target and an unfinished notebook (the notebook is put in place only when it has finished,
        :func:`satudata.run.notebook.work_name`)."""
        try:
            built = self.target.stat().st_mtime_ns
        except FileNotFoundError:
            return True
        if self.notebook is not None:
            try:
                if self.notebook.stat().st_mtime_ns < built:
                    return True
            except FileNotFoundError:
                return True
        for path in self.inputs:
            try:
                if path.stat().st_mtime_ns > built:
                    return True
            except FileNotFoundError:
                return True
        return False


@dataclass(frozen=True)
class Folders:
    """The data and reports folders of a run, absolute."""

    data: Path
    reports: Path

    @classmethod
    def of(cls, data_dir: str | Path, reports_dir: str | Path) -> Folders:
        return cls(Path(data_dir).resolve(), Path(reports_dir).resolve())

    def processed(self, round_date: str) -> Path:
        return self.data / "processed" / round_date

    def rounds(self) -> list[str]:
        raw = self.data / "raw"
        if not raw.is_dir():
            return []
        return sorted(p.name for p in raw.iterdir() if p.is_dir() and ROUND_PATTERN.match(p.name))

    def report(self, round_date: str) -> Path:
        return self.reports / round_date / f"laporan-evaluasi-{round_date}.html"

    def trend(self, round_date: str) -> Path:
        return self.reports / round_date / f"tren-{round_date}.html"


def input_state(raw_dir: Path) -> bytes:
    """The state of a round's raw folder: one line per file (path inside it, size, modification time and, for a
    symlink, its target), sorted; hidden files left out."""
    lines = []
    for path in raw_dir.rglob("*"):
        if path.name.startswith(".") or not (path.is_file() or path.is_symlink()):
            continue
        st = path.lstat()
        target = os.readlink(path) if path.is_symlink() else ""
        seconds, nanos = divmod(st.st_mtime_ns, 1_000_000_000)
        lines.append(f"{path.relative_to(raw_dir).as_posix()}\t{st.st_size}\t{seconds}.{nanos:09d}\t{target}\n"
                     .encode("utf-8", "surrogateescape"))  # fmt: skip
    return b"".join(sorted(lines))


def update_state(folders: Folders, round_date: str) -> Path:
    """Write the round's state file when the raw folder changed (never touched otherwise); returns it."""
    state = folders.processed(round_date) / STATE_NAME
    state.parent.mkdir(parents=True, exist_ok=True)
    now = input_state(folders.data / "raw" / round_date)
    try:
        if state.read_bytes() == now:
            return state
    except FileNotFoundError:
        pass
    tmp = state.with_name(f"{STATE_NAME}.tmp.{os.getpid()}")
    tmp.write_bytes(now)
    os.replace(tmp, state)
    return state


def reference_files(folders: Folders) -> list[Path]:
    """The reference folder's entries (settings, register, catalogue), hidden ones left out."""
    folder = folders.data / "reference"
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() else []


def package_files() -> list[Path]:
    """The package's modules and report templates: a change to any of them rebuilds every round's ingest."""
    files = [p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts]
    for folder in ("nbtemplates", "templates"):
        files += [p for p in (PACKAGE / "outputs" / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(files)


def plan(folders: Folders, goals: Sequence[str], last_stage: int = 4) -> list[Step]:
    """The steps that bring the rounds ``goals`` up to date (up to stage ``last_stage``), with every earlier
    round's stages they read from, in round and stage order."""
    rounds = folders.rounds()
    needed = sorted({r for g in goals for r in rounds if r <= g})
    reference, package = reference_files(folders), package_files()

    def nb(kind: StageKind) -> Path:
        return NOTEBOOKS / f"{kind.notebook}.ipynb"

    def executed(r: str, kind: StageKind) -> Path:
        return folders.reports / r / "notebooks" / f"{kind.notebook}.ipynb"

    def nilai(r: str) -> Path:
        return folders.processed(r) / "nilai.parquet"

    def progres(r: str) -> Path:
        return folders.processed(r) / "progres_opd.parquet"

    one, two, three, four = STAGES
    steps = []
    for r in needed:
        upto = [x for x in rounds if x <= r]
        before = [x for x in rounds if x < r]
        steps.append(Step(r, one, nilai(r), [folders.processed(r) / STATE_NAME, *reference, nb(one), *package],
                          notebook=executed(r, one)))  # fmt: skip
        steps.append(Step(r, two, progres(r), [*map(nilai, upto), nb(two), *map(progres, before)],
                          [(x, 1) for x in upto] + [(x, 2) for x in before], notebook=executed(r, two)))  # fmt: skip
        if r in goals:
            steps.append(Step(r, three, folders.report(r), [progres(r), nb(three)], [(r, 2)]))
            steps.append(Step(r, four, folders.trend(r), [*map(progres, upto), folders.report(r), nb(four)],
                              [(x, 2) for x in upto] + [(r, 3)]))  # fmt: skip
    return [s for s in steps if s.kind.number <= last_stage]


def stage_command(step: Step, folders: Folders) -> list[str]:
    """The command that runs one step on its own: ``python -m satudata notebook`` with the round and folders."""
    return [sys.executable, "-m", "satudata", "notebook", *stage_arguments(step, folders)]


def stage_arguments(step: Step, folders: Folders) -> list[str]:
    """The arguments of ``satudata notebook`` that run one step (what a stage worker is handed)."""
    r, kind = step.round, step.kind
    out = step.notebook or folders.reports / r / "notebooks" / f"{kind.notebook}.ipynb"
    command = [str(NOTEBOOKS / f"{kind.notebook}.ipynb"), "--tahap", str(kind.number)]
    if kind.staged:
        command.append("--bertahap")
    command += ["--out", str(out)]
    if kind.title:
        command += ["--html", str(step.target), "--title", f"{kind.title} {r}"]
    for name, value in (("putaran", r), ("data_dir", str(folders.data)), ("reports_dir", str(folders.reports)),
                        ("settings_file", "")):  # fmt: skip
        command += ["-p", name, value]
    return command


def stage_environment(folders: Folders) -> dict[str, str]:
    """The stages' environment: the folders, the lock held for them, no display, bytecode allowed."""
    from satudata.run.run_lock import HELD_ENV

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({"MPLBACKEND": "Agg", "SATUDATA_DATA_DIR": str(folders.data),
                "SATUDATA_REPORTS_DIR": str(folders.reports), HELD_ENV: str(folders.data)})  # fmt: skip
    return env


class StageFailed(RuntimeError):
    """A stage exited non-zero (its own message has been shown)."""


class _Stop(BaseException):
    """The run was asked to stop (SIGTERM, SIGHUP)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def run_steps(steps: list[Step], folders: Folders, jobs: int = JOBS, say: Callable[[str], None] = print) -> int:
    """Run the steps that are out of date, up to ``jobs`` at once, each after the steps it reads from, in up to
    ``jobs`` stage workers that keep their kernel from one stage to the next (:mod:`satudata.run.stage_worker`).
    Returns the number of stages run; raises :class:`StageFailed` after letting the running ones finish."""
    from satudata.run.stage_worker import Worker

    pending = {s.key: s for s in steps}
    done: set[tuple[str, int]] = set()
    running: dict[tuple[str, int], tuple[Worker, Step, int | None]] = {}
    workers: list[Worker] = []
    failed: list[Step] = []
    ran = 0
    env = stage_environment(folders)
    cwd = PROJECT_ROOT if PROJECT_ROOT.is_dir() else None

    def idle_worker() -> Worker:
        workers[:] = [w for w in workers if w.busy or w.alive()]
        for worker in workers:
            if not worker.busy:
                return worker
        workers.append(Worker(env, cwd))
        return workers[-1]

    try:
        while pending or running:
            moved = True
            while moved and not failed and len(running) < jobs:
                moved = False
                for key, step in list(pending.items()):
                    if len(running) >= jobs:
                        break
                    if not all(k in done for k in step.after if k in pending or k in running or k in done):
                        continue
                    del pending[key]
                    moved = True
                    if not step.out_of_date():
                        done.add(key)
                        continue
                    say(f">> [{step.round}] tahap {step.kind.number}: {step.kind.label}")
                    sys.stdout.flush()
                    before = _mtime(step.target)
                    worker = idle_worker()
                    if not worker.start(stage_arguments(step, folders)):  # it ended while idle: another one
                        workers.remove(worker)
                        worker = idle_worker()
                        worker.start(stage_arguments(step, folders))
                    running[key] = (worker, step, before)
                    ran += 1
            if not running:
                break  # nothing left, or a failure stopped the rest
            time.sleep(0.02)
            for key, (worker, step, before) in list(running.items()):
                code = worker.ended()
                if code is None:
                    continue
                del running[key]
                if code == 0:
                    done.add(key)
                else:
                    failed.append(step)
                    if _mtime(step.target) != before:  # never leave a half-made target looking built
                        step.target.unlink(missing_ok=True)
    finally:
        _finish(workers)
    if failed:
        step = failed[0]
        raise StageFailed(f"putaran {step.round} berhenti pada tahap {step.kind.number} ({step.kind.label}).")
    return ran


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def _finish(workers: list) -> None:
    """End the stage workers: an idle one is told there is nothing more (it shuts its kernel down); one still
    running a stage when the run itself stops is asked to stop (the stage marks the old reports and cleans up
    after itself). Then every one is waited for."""
    for worker in workers:
        if worker.busy:
            worker.stop()
        else:
            worker.close()
    for worker in workers:
        try:
            worker.proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            worker.proc.kill()
            worker.proc.wait()


def settle_rounds(folders: Folders, goals: Sequence[str], say: Callable[[str], None] = print) -> None:
    """Take away the stale marks of rounds whose reports are complete (see the module)."""
    from satudata.run.staged_reports import NOTE, settle

    for r in goals:
        if (folders.reports / r / NOTE).exists() and settle(folders.reports / r, r):
            say(f">> [{r}] laporan sudah lengkap: tanda usang dihapus")


def build(data_dir: str | Path, reports_dir: str | Path, goals: Sequence[str] | None = None, jobs: int = JOBS,
          last_stage: int = 4, say: Callable[[str], None] = print, wait_seconds: float = 3600) -> int:  # fmt: skip
    """Bring the rounds ``goals`` (None: every round under ``raw/``) up to date while holding the data
    folder's lock; returns the number of stages run. Raises :class:`StageFailed` or
    :class:`satudata.run.run_lock.Busy`."""
    from contextlib import nullcontext

    from satudata.run.notebook import ensure_kernel
    from satudata.run.run_lock import data_lock, held_for_us

    folders = Folders.of(data_dir, reports_dir)
    goals = folders.rounds() if goals is None else list(goals)
    previous = _stop_on_signals()
    try:
        with nullcontext() if held_for_us(folders.data) else data_lock(folders.data, wait_seconds, say=say):
            for r in folders.rounds():
                if any(r <= g for g in goals):
                    update_state(folders, r)
            steps = plan(folders, goals, last_stage)
            if any(s.out_of_date() for s in steps):
                ensure_kernel(say)
            ran = run_steps(steps, folders, jobs, say)
            if last_stage >= 4:
                settle_rounds(folders, goals, say)
            return ran
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop_on_signals() -> dict:
    """SIGTERM and SIGHUP end the run through ``finally`` (its stages are asked to stop and waited for)."""

    def stop(signum: int, _frame: object) -> None:
        raise _Stop(signum)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            previous[sig] = signal.signal(sig, stop)
    return previous


def main_build(data_dir: str | Path, reports_dir: str | Path, goals: Sequence[str] | None, jobs: int = JOBS,
               last_stage: int = 4, reports_shown: str | None = None) -> int:  # fmt: skip
    """What ``satudata putaran`` and ``satudata semua`` do: the exit code, messages in Indonesian."""
    from satudata.run.run_lock import Busy

    try:
        build(data_dir, reports_dir, goals, jobs, last_stage)
    except (StageFailed, Busy) as exc:
        print(f"GAGAL: {exc}", file=sys.stderr)
        return 1
    except _Stop as exc:
        return 128 + exc.signum
    if goals is None:
        n = len(Folders.of(data_dir, reports_dir).rounds())
        print(f"selesai: {n} putaran di {reports_shown if reports_shown is not None else reports_dir}")
    return 0
