"""Issue 25, part 1: a stage killed halfway through moving its files into place. The record of the files the
pipeline wrote (``.satudata-ditulis.json``) and the files it describes cannot move in one step: whichever of
them moved first, the next run must not take a file the pipeline wrote for one a person edited (and keep it
aside as ``.sebelumnya-``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from satudata.outputs.kept_outputs import LEDGER, keep_edited, record_written
from satudata.run import staged_reports
from satudata.run.staged_reports import staged_round

ROUND = "2020-09-10"


class Killed(BaseException):
    """The stage killed where it stands (nothing after this point runs)."""


def _previous_run(reports: Path) -> tuple[Path, Path, Path]:
    folder = reports / ROUND
    deck, book = folder / f"rakor-{ROUND}.pptx", folder / "umpan-balik" / "DIN01.xlsx"
    book.parent.mkdir(parents=True)
    deck.write_bytes(b"deck lama")
    book.write_bytes(b"buku lama")
    record_written([deck, book], folder)
    report = folder / f"tren-{ROUND}.html"
    report.write_text("<html>lama</html>", encoding="utf-8")
    return deck, book, report


def _rebuild(reports: Path, deck: Path, book: Path, report: Path) -> None:
    with staged_round(reports, ROUND, last=(report,)) as stage:
        hidden = stage.root / ROUND
        new = [stage.map(deck), stage.map(book)]
        assert keep_edited(new, hidden) == []  # the stage itself finds its own files as it wrote them
        new[0].write_bytes(b"deck baru")
        new[1].write_bytes(b"buku baru")
        record_written(new, hidden)
        stage.map(report).write_text("<html>baru</html>", encoding="utf-8")


def test_a_stage_killed_after_moving_one_of_its_files_leaves_none_looking_edited(tmp_path, monkeypatch):
    reports = tmp_path / "laporan"
    deck, book, report = _previous_run(reports)
    real = staged_reports.place
    moved = []

    def place(source, target, say=None):
        landed = real(source, target, say)
        moved.append(Path(target).name)
        if Path(target).suffix in (".pptx", ".xlsx"):  # the first of the two files described
            raise Killed
        return landed

    monkeypatch.setattr(staged_reports, "place", place)
    with pytest.raises(Killed):
        _rebuild(reports, deck, book, report)
    monkeypatch.setattr(staged_reports, "place", real)
    new = [p for p in (deck, book) if p.read_bytes().endswith(b"baru")]
    assert len(new) == 1  # killed halfway: one file new, one old
    assert report.read_text(encoding="utf-8") == "<html>lama</html>"
    assert LEDGER not in moved  # the new record moves after the files it describes
    folder = reports / ROUND
    assert keep_edited([deck, book], folder) == []  # neither taken for an edited one
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == sorted(
        [LEDGER, deck.name, book.name, report.name])  # fmt: skip

    _rebuild(reports, deck, book, report)  # the next run: every file new, nothing kept aside
    assert deck.read_bytes() == b"deck baru" and book.read_bytes() == b"buku baru"
    assert report.read_text(encoding="utf-8") == "<html>baru</html>"
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == sorted([LEDGER, deck.name, book.name,
                                                                               report.name])  # fmt: skip
    (deck.parent / "catatan.txt").write_text("diubah", encoding="utf-8")
    deck.write_bytes(b"deck diubah orang")  # a person's edit is still kept aside
    assert [old.name for old, _ in keep_edited([deck, book], folder)] == [deck.name]

