"""Portable by construction (issue 27): the round pipeline's plan and up-to-date rule on folders with spaces
and non-ASCII letters, no shell and no symlink, text files opened with an explicit encoding, and a workbook
open in Excel (Windows refuses to overwrite it) kept while the new one is written beside it."""

from __future__ import annotations

import ast
import os
import time
from pathlib import Path

import pytest

from satudata.run import rounds, staged_reports
from satudata.run.staged_reports import staged_round

ROOT = Path(__file__).resolve().parents[2]
ODD = "Data Kab. Pohuwato — Bappeda'ñ 2020"  # a space, an apostrophe, a dash and a letter outside ASCII


def _data(tmp_path: Path, round_dates: tuple[str, ...] = ("2020-08-27", "2020-09-10", "2020-09-24")) -> rounds.Folders:
    base = tmp_path / ODD
    for r in round_dates:
        (base / "data" / "raw" / r / "Dinas Pendidikan é").mkdir(parents=True)
        (base / "data" / "raw" / r / "Dinas Pendidikan é" / "Rekap 50% (1).xlsx").write_bytes(b"x")
    (base / "data" / "reference").mkdir()
    (base / "data" / "reference" / "opd.csv").write_text("kode_opd\n", encoding="utf-8")
    (base / "data" / "reference" / ".cache").mkdir()
    return rounds.Folders.of(base / "data", base / "laporan kita")


def test_the_plan_is_the_makefile_s_stage_graph(tmp_path):
    folders = _data(tmp_path)
    a, b, c = folders.rounds()
    steps = {s.key: s for s in rounds.plan(folders, [b])}
    # the goal's four stages, and the earlier round's ingest and progress it reads; never a later round
    assert sorted(steps) == [(a, 1), (a, 2), (b, 1), (b, 2), (b, 3), (b, 4)]
    assert steps[(b, 2)].after == [(a, 1), (b, 1), (a, 2)]
    assert steps[(b, 4)].after == [(a, 2), (b, 2), (b, 3)]
    assert steps[(b, 3)].target == folders.reports / b / f"laporan-evaluasi-{b}.html"
    assert steps[(b, 4)].target == folders.reports / b / f"tren-{b}.html"
    ingest = steps[(b, 1)].inputs
    assert folders.processed(b) / ".masukan" in ingest and folders.data / "reference" / "opd.csv" in ingest
    assert folders.data / "reference" / ".cache" not in ingest  # hidden: the reference cache is no input
    assert rounds.PACKAGE / "run" / "rounds.py" in ingest and rounds.NOTEBOOKS / "01_ingest.ipynb" in ingest
    assert [s.kind.number for s in rounds.plan(folders, [c], last_stage=2)] == [1, 2] * 3
    every = rounds.plan(folders, folders.rounds())
    assert len(every) == 12 and {s.round for s in every if s.kind.number == 3} == {a, b, c}


def test_a_stage_command_is_a_list_of_words_with_the_folders_intact(tmp_path):
    folders = _data(tmp_path)
    r = folders.rounds()[0]
    step = next(s for s in rounds.plan(folders, [r]) if s.kind.number == 3)
    command = rounds.stage_command(step, folders)
    assert command[1:4] == ["-m", "satudata", "notebook"]
    assert command[command.index("data_dir") + 1] == str(folders.data) and ODD in str(folders.data)
    assert command[command.index("--html") + 1] == str(step.target)
    assert "--bertahap" in command and command[command.index("--title") + 1] == f"Laporan Evaluasi Satu Data {r}"
    env = rounds.stage_environment(folders)
    assert env["SATUDATA_DATA_LOCK"] == str(folders.data) and env["MPLBACKEND"] == "Agg"


def test_the_raw_state_changes_only_when_a_file_does(tmp_path):
    folders = _data(tmp_path, ("2020-08-27",))
    r = "2020-08-27"
    state = rounds.update_state(folders, r)
    text = state.read_text(encoding="utf-8")
    assert text.startswith("Dinas Pendidikan é/Rekap 50% (1).xlsx\t1\t") and text.count("\n") == 1
    first = state.stat().st_mtime_ns
    time.sleep(0.01)
    rounds.update_state(folders, r)
    assert state.stat().st_mtime_ns == first  # nothing changed: not rewritten, nothing rebuilt
    (folders.data / "raw" / r / ".~lock.x#").write_text("", encoding="utf-8")  # hidden: ignored
    rounds.update_state(folders, r)
    assert state.stat().st_mtime_ns == first
    (folders.data / "raw" / r / "catatan baru ü.txt").write_text("Sumber: Bappeda\n", encoding="utf-8")
    rounds.update_state(folders, r)
    assert "catatan baru ü.txt\t16\t" in state.read_text(encoding="utf-8")
    assert not list(state.parent.glob(".masukan.tmp*"))


def test_a_stage_runs_when_its_target_is_missing_or_older_than_an_input(tmp_path):
    folders = _data(tmp_path, ("2020-08-27",))
    r = "2020-08-27"
    rounds.update_state(folders, r)
    step = rounds.plan(folders, [r])[0]
    assert step.out_of_date()  # no target yet
    step.target.parent.mkdir(parents=True, exist_ok=True)
    step.target.write_bytes(b"PAR1")
    newest = max(p.stat().st_mtime_ns for p in step.inputs)
    os.utime(step.target, ns=(newest + 1, newest + 1))
    assert step.out_of_date()  # its executed notebook is missing: killed before the notebook finished
    step.notebook.parent.mkdir(parents=True, exist_ok=True)
    step.notebook.write_text("{}", encoding="utf-8")
    os.utime(step.notebook, ns=(newest, newest))
    assert step.out_of_date()  # a notebook older than the target: from a run before the one killed
    os.utime(step.notebook, ns=(newest + 1, newest + 1))
    assert not step.out_of_date()
    reference = folders.data / "reference" / "opd.csv"
    os.utime(reference, ns=(newest + 2, newest + 2))
    assert step.out_of_date()  # a newer reference file: the ingest runs again


def test_a_workbook_open_in_excel_is_kept_and_the_new_one_written_beside_it(tmp_path, monkeypatch, capsys):
    reports = tmp_path / ODD / "laporan"
    r = "2020-09-10"
    book = reports / r / "umpan-balik" / "DIN01.xlsx"
    book.parent.mkdir(parents=True)
    book.write_bytes(b"lama")
    report = reports / r / f"laporan-evaluasi-{r}.html"
    real = os.replace

    def excel_holds(src, dst):  # what Windows does to a file open in Excel
        if Path(dst) == book:
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return real(src, dst)

    monkeypatch.setattr(staged_reports.os, "replace", excel_holds)
    with staged_round(reports, r, last=(report,)) as stage:
        stage.map(book).write_bytes(b"baru")
        stage.map(report).write_text("<html>laporan</html>", encoding="utf-8")
    assert book.read_bytes() == b"lama"  # the open workbook is left alone
    (beside,) = book.parent.glob("DIN01.baru-*.xlsx")
    assert beside.read_bytes() == b"baru"
    assert report.read_text(encoding="utf-8") == "<html>laporan</html>"  # the rest moved into place
    err = capsys.readouterr().err
    assert "sedang dibuka program lain (mungkin Excel" in err and beside.name in err and "Tutup" in err
    assert not [p for p in reports.iterdir() if p.name.startswith(".")]  # no hidden folder left


def _text_opens_without_encoding(path: Path) -> list[str]:
    """Calls that open a file as text with the platform's encoding (cp1252 on an Indonesian Windows)."""
    bad = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or any(k.arg == "encoding" for k in node.keywords):
            continue
        fn = node.func
        if isinstance(fn, ast.Attribute) and fn.attr in ("read_text", "write_text"):
            bad.append(f"{path}:{node.lineno}")
        mode_arg = (node.args[1:2] if isinstance(fn, ast.Name) and fn.id == "open"
                    else node.args[:1] if isinstance(fn, ast.Attribute) and fn.attr == "open" else None)  # fmt: skip
        if mode_arg is None:
            continue
        modes = [k.value for k in node.keywords if k.arg == "mode"] + mode_arg
        mode = modes[0].value if modes and isinstance(modes[0], ast.Constant) else None
        text_mode = (mode is None and isinstance(fn, ast.Name)) or (isinstance(mode, str) and "b" not in mode
                                                                    and set(mode) <= set("rwaxt+"))  # fmt: skip
        if text_mode:
            bad.append(f"{path}:{node.lineno}")
    return bad


def test_every_text_file_is_opened_with_an_explicit_encoding():
    bad = [hit for path in sorted((ROOT / "satudata").rglob("*.py")) for hit in _text_opens_without_encoding(path)]
    assert bad == []


def test_the_encoding_check_sees_what_it_must(tmp_path):
    sample = tmp_path / "contoh.py"
    sample.write_text("from pathlib import Path\nopen('a')\nPath('a').read_text()\nPath('a').open('w')\n"
                      "open('a', 'rb')\nPath('a').write_text('x', encoding='utf-8')\n", encoding="utf-8")  # fmt: skip
    assert [hit.rsplit(":", 1)[1] for hit in _text_opens_without_encoding(sample)] == ["2", "3", "4"]


def test_the_run_package_creates_no_symlink_and_calls_no_shell():
    for name in ("rounds.py", "run_lock.py", "notebook.py", "staged_reports.py", "kernel_runtime.py"):
        source = (ROOT / "satudata" / "run" / name).read_text(encoding="utf-8")
        assert "symlink_to" not in source and "os.symlink" not in source and "shell=True" not in source, name
        assert "import fcntl" not in source, name  # the lock is filelock's, which works on Windows too


@pytest.mark.parametrize("platform", ["win32", "darwin", "linux"])
def test_stop_signals_exist_on_every_platform(monkeypatch, platform):
    """Windows has no SIGHUP: a stage still installs its stop handler for what exists."""
    import signal

    from satudata.run import notebook

    if platform == "win32":
        monkeypatch.delattr(signal, "SIGHUP", raising=False)
    with notebook.stop_signals_exit():
        pass
