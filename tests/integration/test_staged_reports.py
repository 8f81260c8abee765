"""Stages 3 and 4 through the runner: their files appear all at once, a killed or failed stage leaves the
previous reports (marked stale), and the next run builds what a clean run builds."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest

from satudata.run import notebook, staged_reports
from satudata.run.notebook import NotebookFailed, run_stage
from satudata.run.staged_reports import NOTE, clear_stale, mark_stale, staged_round

ROUND = "2020-08-27"


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def _fake_stage(version: str, die_at: int | None = None, fail: bool = False):
    """A stand-in for papermill: writes a report, its annex, a chart, a deck and a workbook under the
    ``reports_dir`` it is given (as the notebooks do), the executed notebook at ``out`` and the HTML last;
    ``die_at``: the process ends (as ``kill -9`` would) after that many files; ``fail``: a cell raises."""

    def run(nb, out, parameters, html=None, title=None, cwd=None, kernel=None):
        folder = Path(parameters["reports_dir"]) / parameters["putaran"]
        files = [
            (folder / f"lampiran-{ROUND}.html", f"<html><body>lampiran {version}</body></html>"),
            (folder / "grafik" / f"zona-{ROUND}.png", f"png {version}"),
            (folder / f"rakor-{ROUND}.pptx", f"deck {version}"),
            (folder / "umpan-balik" / "DIN01.xlsx", f"umpan balik {version}"),
            (Path(out), json.dumps({"reports_dir": os.path.relpath(parameters["reports_dir"], cwd)})),
            (Path(html), f"<html><body>laporan {version} dari {parameters['reports_dir']}</body></html>"),
        ]
        for i, (path, text) in enumerate(files):
            if die_at is not None and i == die_at:
                os._exit(9)
            if fail and i == 3:
                raise NotebookFailed(f"Tahap 03_laporan.ipynb gagal pada sel [4].\n--- galat ---\nKeyError: 'x' "
                                     f"<img src=x onerror=alert(1)> di {parameters['reports_dir']}")  # fmt: skip
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return Path(out)

    return run


def _stage(reports: Path, monkeypatch: pytest.MonkeyPatch, version: str, **kwargs: object) -> None:
    monkeypatch.setattr(notebook, "run_notebook", _fake_stage(version, **kwargs))
    folder = reports / ROUND
    params = {"putaran": ROUND, "data_dir": str(reports.parent / "data"), "reports_dir": str(reports)}
    run_stage("notebooks/03_laporan.ipynb", folder / "notebooks" / "03_laporan.ipynb", params,
              html=folder / f"laporan-evaluasi-{ROUND}.html", stage="3", staged=True)  # fmt: skip


def _in_child(fn) -> int:
    """Run ``fn`` in a forked process (so that ``os._exit`` kills only it); its exit status."""
    pid = os.fork()
    if pid == 0:
        try:
            fn()
            os._exit(0)
        except BaseException:  # noqa: BLE001
            os._exit(1)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    reports = tmp_path / "laporan kita"
    _stage(reports, monkeypatch, "lama")
    return reports


def test_a_clean_build_writes_every_file_and_names_the_real_folder(built):
    folder = built / ROUND
    snap = _snapshot(folder)
    assert set(snap) == {f"laporan-evaluasi-{ROUND}.html", f"lampiran-{ROUND}.html", f"grafik/zona-{ROUND}.png",
                         f"rakor-{ROUND}.pptx", "umpan-balik/DIN01.xlsx", "notebooks/03_laporan.ipynb"}  # fmt: skip
    report = (folder / f"laporan-evaluasi-{ROUND}.html").read_text(encoding="utf-8")
    assert f"dari {built.resolve()}</body>" in report and ".sementara" not in report
    executed = json.loads((folder / "notebooks" / "03_laporan.ipynb").read_text(encoding="utf-8"))
    assert executed == {"reports_dir": "../.."}  # as run from the real folder
    assert [p.name for p in built.iterdir()] == [ROUND]  # no hidden folder left


@pytest.mark.parametrize("die_at", [0, 2, 4, 5])
def test_a_killed_stage_leaves_the_previous_reports_marked_and_the_next_run_rebuilds(built, monkeypatch, die_at,
                                                                                     tmp_path):  # fmt: skip
    folder = built / ROUND
    before = _snapshot(folder)
    html = folder / f"laporan-evaluasi-{ROUND}.html"
    mtime = html.stat().st_mtime_ns
    assert _in_child(lambda: _stage(built, monkeypatch, "baru", die_at=die_at)) == 9
    after = _snapshot(folder)
    assert after.keys() - {NOTE} == before.keys()
    assert {k: v for k, v in after.items() if not k.endswith(".html") and k != NOTE} == \
        {k: v for k, v in before.items() if not k.endswith(".html")}  # fmt: skip
    assert html.stat().st_mtime_ns == mtime  # make still sees the report as out of date
    assert "laporan lama" in html.read_text(encoding="utf-8") and "Laporan ini mungkin usang" in html.read_text()
    assert "belum selesai" in (folder / NOTE).read_text(encoding="utf-8")
    # the next run: what a clean build writes, no mark, no hidden folder
    _stage(built, monkeypatch, "baru")
    clean = tmp_path / "bersih"
    _stage(clean, monkeypatch, "baru")
    got, want = _snapshot(folder), _snapshot(clean / ROUND)
    assert got.keys() == want.keys() and NOTE not in got
    for name in got:  # the report names its own folder; every other file is byte for byte the same
        if name.endswith("laporan-evaluasi-2020-08-27.html"):
            assert "laporan baru" in (folder / name).read_text() and "usang" not in (folder / name).read_text()
        else:
            assert got[name] == want[name], name
    assert [p.name for p in built.iterdir()] == [ROUND]


def test_a_failed_stage_keeps_the_old_reports_says_why_and_keeps_the_failed_notebook(built, monkeypatch, capsys):
    folder = built / ROUND
    before = _snapshot(folder)
    with pytest.raises(NotebookFailed) as err:
        _stage(built, monkeypatch, "baru", fail=True)
    assert ".sementara" not in str(err.value) and str(built.resolve()) in str(err.value)
    after = _snapshot(folder)
    assert {k: v for k, v in after.items() if not k.endswith(".html") and k != NOTE} == \
        {k: v for k, v in before.items() if not k.endswith(".html")}  # fmt: skip
    note = (folder / NOTE).read_text(encoding="utf-8")
    assert f"Pembaruan putaran {ROUND} gagal pada tahap 3 (laporan evaluasi)" in note and "KeyError: 'x'" in note
    assert f"make round ROUND={ROUND}" in note
    for page in (f"laporan-evaluasi-{ROUND}.html", f"lampiran-{ROUND}.html"):
        text = (folder / page).read_text(encoding="utf-8")
        assert "Laporan ini mungkin usang" in text and "gagal pada tahap 3" in text and "<img" not in text
        assert re.search(r"<body>\n<!-- satudata-usang -->", text)


def test_the_command_line_says_the_old_reports_are_stale(built, monkeypatch, capsys):
    monkeypatch.setattr(notebook, "run_notebook", _fake_stage("baru", fail=True))
    folder = built / ROUND
    code = notebook.main(["notebooks/03_laporan.ipynb", "--tahap", "3", "--bertahap",
                          "--out", str(folder / "notebooks" / "03_laporan.ipynb"), "--html",
                          str(folder / f"laporan-evaluasi-{ROUND}.html"), "-p", "putaran", ROUND,
                          "-p", "data_dir", str(built.parent / "data"), "-p", "reports_dir", str(built)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "GAGAL: Tahap 03_laporan.ipynb gagal" in err
    assert f"Laporan lama putaran {ROUND} tetap ada tetapi ditandai usang" in err and NOTE in err


def test_marks_keep_the_modification_time_and_go_without_a_trace(tmp_path):
    folder = tmp_path / ROUND
    folder.mkdir()
    page = folder / f"laporan-evaluasi-{ROUND}.html"
    original = '<!DOCTYPE html>\n<html><head><title>x</title></head><body class="jp">\n<p>isi</p></body></html>\n'
    page.write_text(original, encoding="utf-8")
    os.utime(page, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    assert mark_stale(folder, ROUND, "tahap 4 (tren)", error="RuntimeError: <b>register</b> rusak")
    text = page.read_text(encoding="utf-8")
    assert text.index("Laporan ini mungkin usang") > text.index('<body class="jp">')
    assert "&lt;b&gt;" not in text and "register" not in text  # the error is in the note, not in the page
    assert "RuntimeError: <b>register</b> rusak" in (folder / NOTE).read_text(encoding="utf-8")
    assert page.stat().st_mtime_ns == 1_600_000_000_000_000_000
    assert mark_stale(folder, ROUND, "tahap 4 (tren)")  # marked again: one banner, not two
    assert page.read_text(encoding="utf-8").count("Laporan ini mungkin usang") == 1
    clear_stale(folder)
    assert page.read_text(encoding="utf-8") == original and not (folder / NOTE).exists()
    assert page.stat().st_mtime_ns == 1_600_000_000_000_000_000
    assert not mark_stale(tmp_path / "2021-01-01", "2021-01-01", "tahap 3")  # no report yet: nothing to mark


def test_leftover_hidden_folders_go_with_the_next_run_of_the_round(tmp_path):
    reports = tmp_path / "reports"
    leftover = reports / f"{staged_reports.PREFIX}{ROUND}-99999" / ROUND
    leftover.mkdir(parents=True)
    (leftover / "x.html").write_text("setengah")
    with staged_round(reports, ROUND) as stage:
        (stage.root / ROUND / "a.txt").write_text("a")
    assert sorted(p.name for p in reports.iterdir()) == [ROUND]
    assert (reports / ROUND / "a.txt").read_text() == "a"


def test_a_kill_while_files_move_into_place_leaves_the_old_target_and_the_next_run_rebuilds(built, monkeypatch,
                                                                                              tmp_path):  # fmt: skip
    """Killed after the first file moved: a mix may be on disk, but the make target (the HTML report, moved
    last) is still the old one, older than its inputs, so make runs the stage again; that run writes what a
    clean build writes."""
    folder = built / ROUND
    html = folder / f"laporan-evaluasi-{ROUND}.html"
    old_html, mtime = html.read_bytes(), html.stat().st_mtime_ns
    real_replace = os.replace
    moved = []

    def dying_replace(src, dst):
        if ".sementara-" in str(src) and "usang" not in str(src):
            moved.append(dst)
            if len(moved) == 2:
                os._exit(9)
        return real_replace(src, dst)

    monkeypatch.setattr(staged_reports.os, "replace", dying_replace)
    assert _in_child(lambda: _stage(built, monkeypatch, "baru")) == 9
    monkeypatch.setattr(staged_reports.os, "replace", real_replace)
    assert html.stat().st_mtime_ns == mtime and b"laporan lama" in html.read_bytes()
    assert len(html.read_bytes()) > len(old_html)  # marked stale
    _stage(built, monkeypatch, "baru")
    clean = tmp_path / "bersih"
    _stage(clean, monkeypatch, "baru")
    got, want = _snapshot(folder), _snapshot(clean / ROUND)
    assert got.keys() == want.keys()
    assert all(got[k] == want[k] for k in got if not k.startswith("laporan-evaluasi"))


def test_a_failed_ingest_marks_the_round_s_reports_and_a_successful_one_clears_them(built, monkeypatch):
    """Stages 1 and 2 are not staged here (their own files are, in satudata.run.staged_outputs) but their failure
    also leaves the round's reports out of date: they are marked the same way."""
    folder = built / ROUND
    page = folder / f"laporan-evaluasi-{ROUND}.html"
    original = page.read_bytes()
    params = {"putaran": ROUND, "data_dir": str(built.parent / "data"), "reports_dir": str(built)}

    def failing(*args: object, **kwargs: object) -> None:
        raise NotebookFailed("Tahap 01_ingest.ipynb gagal pada sel [2].\n--- galat ---\nValueError: katalog")

    monkeypatch.setattr(notebook, "run_notebook", failing)
    with pytest.raises(NotebookFailed):
        run_stage("notebooks/01_ingest.ipynb", folder / "notebooks" / "01_ingest.ipynb", params, stage="1")
    assert "gagal pada tahap 1 (membaca kiriman)" in page.read_text(encoding="utf-8")
    assert "ValueError: katalog" in (folder / NOTE).read_text(encoding="utf-8")
    monkeypatch.setattr(notebook, "run_notebook", lambda *a, **k: Path(a[1]))
    run_stage("notebooks/01_ingest.ipynb", folder / "notebooks" / "01_ingest.ipynb", params, stage="1")
    assert page.read_bytes() == original and not (folder / NOTE).exists()
