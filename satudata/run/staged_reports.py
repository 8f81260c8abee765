"""Stages 3 and 4 write their reports all at once, and a failed rebuild marks the old ones as stale.

**All at once.** The report stage writes an HTML report, its annex, PNG charts and the executed
notebook; the rakor stage a trend page, the deck, a workbook per OPD and more. Which files a stage writes
is its own business, so the staging is done around the stage, not inside it: :func:`staged_round` copies
the round's report folder ``REPORTS_DIR/<round>/`` into a hidden folder
``REPORTS_DIR/.sementara-<round>-<pid>/<round>/`` and the stage runs with that hidden folder as its
``reports_dir`` (so it also finds what earlier stages wrote, such as the zone chart the deck shows, and
the record of the files a person edited). When the stage has finished, every file it added or changed is
moved into ``REPORTS_DIR/<round>/`` (``os.replace``, atomic on one file system), the make target last,
and every file it removed is removed there too. A stage that fails or is killed moves nothing: the
previous outputs stay as they were, and the hidden folder is removed by the next run of that round.

The stage is given the hidden folder as its ``reports_dir`` parameter; the executed notebook and the
text outputs (HTML, notebook, JSON, Markdown, CSV, text) name it the way they name any parameter, so
before the move that name is replaced by the real folder's (the hidden folder's name is unique to the
run, so nothing else can match it).

**Stale marks.** Before a stage of a round whose reports already exist runs, :func:`mark_stale` writes
``PERHATIAN-keluaran-usang.txt`` into the round's report folder and a banner at the top of every HTML
report there (keeping each file's modification time, so that ``make`` still sees the reports as out of
date and rebuilds them, and ``.DELETE_ON_ERROR`` never deletes them). When the stage succeeds,
:func:`clear_stale` removes both; when it fails, the note and the banner say why and since when. A run
killed outright leaves the marks saying that the rebuild started and did not finish, which is the truth.
An analyst opening the old report after a failed rebuild thus sees at once that it does not show the
latest submissions, and the note says what to do.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from satudata.outputs.kept_outputs import LEDGER, accept_both, remove_or_keep, replace_or_beside

PREFIX = ".sementara-"
NOTE = "PERHATIAN-keluaran-usang.txt"
TEXT_SUFFIXES = {".html", ".htm", ".ipynb", ".json", ".md", ".txt", ".csv", ".svg", ".xml"}
_BANNER = re.compile(r"\n?<!-- satudata-usang -->.*?<!-- /satudata-usang -->\n?", re.S)
_BODY = re.compile(r"<body\b[^>]*>", re.I)
STAGES = {
    "1": "tahap 1 (membaca kiriman)",
    "2": "tahap 2 (progres dan zona)",
    "3": "tahap 3 (laporan evaluasi)",
    "4": "tahap 4 (tren, bahan rakor dan umpan balik)",
}


@dataclass
class StagedRound:
    """A stage's hidden reports folder: ``root`` stands for ``final_root`` (``REPORTS_DIR``)."""

    final_root: Path
    root: Path
    round_date: str
    before: dict[str, tuple[int, int]] = field(default_factory=dict)  # file -> (size, mtime_ns) as copied

    def map(self, path: str | Path) -> Path:
        """Where the stage writes what belongs at ``path`` (a path outside ``REPORTS_DIR`` is left as it is)."""
        try:
            return self.root / Path(path).resolve().relative_to(self.final_root)
        except ValueError:
            return Path(path)

    def unmap_text(self, text: str, cwd: Path | None = None) -> str:
        """``text`` with the hidden folder named as the real one (absolute, and relative to ``cwd``)."""
        pairs = [(str(self.root), str(self.final_root))]
        if cwd is not None:
            start = Path(cwd).resolve()
            pairs.insert(0, (os.path.relpath(self.root, start), os.path.relpath(self.final_root, start)))
        for hidden, real in pairs:
            text = text.replace(hidden, real)
        return text


def _not_copied(folder: str, names: list[str]) -> set[str]:
    """What the hidden copy leaves out: the stale note, and anything that is not a file, a folder or a link
    (a socket or a pipe left by a killed program cannot be copied)."""
    skip = {NOTE} & set(names)
    for name in names:
        try:
            mode = os.lstat(os.path.join(folder, name)).st_mode
        except OSError:
            skip.add(name)
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
            skip.add(name)
    return skip


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for p in folder.rglob("*"):
        if p.is_file() and not p.is_symlink():
            st = p.stat()
            out[p.relative_to(folder).as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


@contextmanager
def staged_round(reports_dir: str | Path, round_date: str, last: tuple[str | Path, ...] = (),
                 cwd: Path | None = None) -> Iterator[StagedRound]:  # fmt: skip
    """Run a stage against a hidden copy of ``reports_dir/<round_date>`` and move what it wrote into place
    when it finishes (``last``: final paths, the make targets, moved after every other file; ``cwd``: the
    folder the stage's relative paths were written from). On an error nothing moves."""
    final_root = Path(reports_dir).resolve()
    final_root.mkdir(parents=True, exist_ok=True)
    for old in final_root.glob(f"{PREFIX}{round_date}-*"):  # left by a run of this round that was killed
        shutil.rmtree(old, ignore_errors=True)
    stage = StagedRound(final_root, final_root / f"{PREFIX}{round_date}-{os.getpid()}", round_date)
    shutil.rmtree(stage.root, ignore_errors=True)
    stage.root.mkdir()
    try:
        final_round = final_root / round_date
        if final_round.is_dir():
            shutil.copytree(final_round, stage.root / round_date, symlinks=True, ignore=_not_copied)
        else:
            (stage.root / round_date).mkdir()
        stage.before = _files(stage.root)
        yield stage
        _commit(stage, [stage.map(p) for p in last], cwd)
    finally:
        shutil.rmtree(stage.root, ignore_errors=True)


def _commit(stage: StagedRound, last: list[Path], cwd: Path | None) -> None:
    now = _files(stage.root)
    changed = [rel for rel, st in now.items() if stage.before.get(rel) != st]
    for rel in changed:
        path = stage.root / rel
        if path.suffix.lower() in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            fixed = stage.unmap_text(text, cwd)
            if fixed != text:
                path.write_text(fixed, encoding="utf-8", errors="surrogateescape")
    last_rel = [p.relative_to(stage.root).as_posix() for p in last if p.is_relative_to(stage.root)]
    ledgers = [r for r in changed if r.rsplit("/", 1)[-1] == LEDGER and r not in last_rel]
    for rel in ledgers:  # first: a file moved or not yet moved is the pipeline's own either way
        accept_both((stage.final_root / rel).parent, stage.root / rel)
    firsts = [r for r in changed if r not in last_rel and r not in ledgers]
    for rel in firsts + ledgers + [r for r in last_rel if r in changed]:  # the new ledgers after their files
        target = stage.final_root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        place(stage.root / rel, target)
    for rel in stage.before.keys() - now.keys():  # removed by the stage (a kept copy renamed, an old output)
        remove_or_keep(stage.final_root / rel)


def place(source: Path, target: Path, say=None) -> Path:
    """Move ``source`` onto ``target``; returns where it landed. A target open in another program (Windows:
    a workbook open in Excel) is kept and the new file written beside it, with a message
    (:func:`satudata.outputs.kept_outputs.replace_or_beside`)."""
    return replace_or_beside(source, target, say)


def _when(moment: datetime | None = None) -> str:
    return (moment or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M:%S %Z").strip()


def _reports(round_dir: Path) -> list[Path]:
    for left in round_dir.glob(".*.usang-*"):  # a banner being written when the run was killed
        left.unlink(missing_ok=True)
    return sorted(p for p in round_dir.glob("*.htm*") if p.is_file() and not p.name.startswith("."))


def _set_banner(path: Path, banner: str | None) -> None:
    """Put ``banner`` at the top of the page (None: take it away), keeping the file's modification time."""
    st = path.stat()
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    new = _BANNER.sub("", text)
    if banner is not None:
        block = f"<!-- satudata-usang -->{banner}<!-- /satudata-usang -->\n"
        m = _BODY.search(new)
        new = new[: m.end()] + "\n" + block + new[m.end() :] if m else block + new
    if new != text:
        tmp = path.with_name(f".{path.name}.usang-{os.getpid()}")
        tmp.write_text(new, encoding="utf-8", errors="surrogateescape")
        os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
        os.replace(tmp, path)


def mark_stale(round_dir: str | Path, round_date: str, stage: str, error: str | None = None) -> bool:
    """Mark the round's existing reports as stale: ``stage`` started a rebuild (``error``: and failed with it).
    Returns False when the folder holds no report yet (nothing to mark)."""
    round_dir = Path(round_dir)
    reports = _reports(round_dir)
    if not reports:
        return False
    built = max(p.stat().st_mtime for p in reports)
    built_at = _when(datetime.fromtimestamp(built).astimezone())
    state = (f"gagal pada {stage} ({_when()})" if error is not None
             else f"dimulai {_when()} pada {stage} dan belum selesai: sedang berjalan, atau terhenti")  # fmt: skip
    lines = [
        "PERHATIAN: keluaran di folder ini mungkin usang.",
        "",
        f"Pembaruan putaran {round_date} {state}.",
        f"Laporan, bahan rakor dan umpan balik di folder ini berasal dari pembaruan terakhir yang berhasil "
        f"(laporan terakhir dibuat {built_at}); perubahan kiriman atau referensi sesudah itu belum termuat.",
    ]
    if error:
        lines += ["", "Galat:", error.strip()[:4000]]
    lines += ["", f"Perbaiki penyebabnya lalu jalankan lagi `make round ROUND={round_date}` (atau `make all`). "
                  "Catatan ini dan peringatan di atas laporan hilang sendiri setelah pembaruan berhasil."]  # fmt: skip
    note = round_dir / NOTE
    tmp = note.with_name(f".{NOTE}.{os.getpid()}")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, note)
    banner = (
        '<div role="alert" style="border:3px solid #b00020;background:#fff4f4;color:#3a0008;padding:12px 16px;'
        'margin:0 0 16px 0;font:16px/1.4 sans-serif"><strong>Laporan ini mungkin usang.</strong> Pembaruan putaran '
        f"{html.escape(round_date)} {html.escape(state)}; isi halaman ini dari pembaruan yang berhasil sebelumnya "
        f"({html.escape(built_at)}). Lihat {html.escape(NOTE)} di folder ini.</div>"
    )
    for path in reports:
        _set_banner(path, banner)
    return True


def clear_stale(round_dir: str | Path) -> None:
    """Take the stale marks away (the stage succeeded)."""
    round_dir = Path(round_dir)
    if not round_dir.is_dir():
        return
    for path in _reports(round_dir):
        _set_banner(path, None)
    (round_dir / NOTE).unlink(missing_ok=True)  # last: a run killed before this leaves the note to say so
    for left in round_dir.glob(f".{NOTE}.*"):
        left.unlink(missing_ok=True)


def settle(round_dir: str | Path, round_date: str) -> bool:
    """Take the stale marks away when the reports they mark are complete; True when it did.

    A stage marks the reports when it starts and takes the marks away when it has finished. A run killed
    after the last stage moved its files into place but before it took the marks away left complete
    reports marked, and make, seeing every report up to date, runs no stage that would take them away. The
    round's trend page is the last file its last stage moves into place, and make builds it only when
    every earlier stage of the round has finished: a trend page (and report) newer than the note means the
    stage that wrote the note finished. A note newer than the trend page (a stage started, failed or was
    killed since) is kept."""
    round_dir = Path(round_dir)
    note = round_dir / NOTE
    report, trend = round_dir / f"laporan-evaluasi-{round_date}.html", round_dir / f"tren-{round_date}.html"
    try:
        marked = note.stat().st_mtime_ns
        if not (report.is_file() and trend.stat().st_mtime_ns > marked):
            return False
    except FileNotFoundError:
        return False
    clear_stale(round_dir)
    return True

def is_stale(round_dir: str | Path) -> bool:
    """True when the round's report folder carries a stale mark."""
    return (Path(round_dir) / NOTE).exists()


def main(argv: list[str] | None = None) -> int:
    """``python -m satudata.run.staged_reports REPORTS_DIR/<round> <round>``: :func:`settle` (the Makefile
    runs it after a round's reports are up to date)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("Pakai: python -m satudata.run.staged_reports FOLDER_LAPORAN_PUTARAN PUTARAN", file=sys.stderr)
        return 2
    if settle(args[0], args[1]):
        print(f">> [{args[1]}] laporan sudah lengkap: tanda usang dihapus")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
