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


def _open_in_excel(monkeypatch, held: Path) -> None:
    """Windows refuses to replace, rename or delete a file another program holds open."""
    import os

    real_replace, real_rename, real_unlink = os.replace, Path.rename, Path.unlink
    denied = PermissionError(13, "The process cannot access the file because it is being used by another process")

    def replace(src, dst):
        if Path(dst) == held or Path(src) == held:
            raise denied
        return real_replace(src, dst)

    def rename(self, target):
        if self == held:
            raise denied
        return real_rename(self, target)

    def unlink(self, missing_ok=False):
        if self == held:
            raise denied
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(Path, "rename", rename)
    monkeypatch.setattr(Path, "unlink", unlink)


def test_a_workbook_open_in_excel_is_kept_and_the_new_one_written_beside_it(tmp_path, monkeypatch):
    from satudata.outputs.kept_outputs import replace_or_beside

    book = tmp_path / "umpan balik" / "DIN01.xlsx"
    book.parent.mkdir()
    book.write_bytes(b"lama")
    new = tmp_path / "baru.xlsx"
    new.write_bytes(b"baru")
    _open_in_excel(monkeypatch, book)
    said = []
    landed = replace_or_beside(new, book, said.append)
    assert book.read_bytes() == b"lama" and landed != book and landed.read_bytes() == b"baru"
    assert landed.parent == book.parent and landed.name.startswith("DIN01.baru-") and landed.suffix == ".xlsx"
    assert not new.exists()
    (message,) = said
    assert f"{book} sedang dibuka program lain (mungkin Excel" in message and landed.name in message
    assert "Tutup berkasnya" in message


def test_an_edited_workbook_open_in_excel_is_left_where_it_is_with_a_message(tmp_path, monkeypatch):
    folder = tmp_path / "2020-09-10"
    book, other = folder / "DIN01.xlsx", folder / "DIN02.xlsx"
    folder.mkdir()
    book.write_bytes(b"ditulis")
    other.write_bytes(b"ditulis")
    record_written([book, other], folder)
    book.write_bytes(b"diubah orang, terbuka di Excel")
    other.write_bytes(b"diubah orang")
    _open_in_excel(monkeypatch, book)
    said = []
    kept = keep_edited([book, other], folder, say=said.append)
    assert [(old.name, new.name.startswith("DIN02.sebelumnya-")) for old, new in kept] == [("DIN02.xlsx", True)]
    assert book.read_bytes() == b"diubah orang, terbuka di Excel"  # nothing lost, nothing crashed
    (message,) = said
    assert f"{book} sudah diubah sejak terakhir dibuat dan sedang dibuka program lain" in message


def test_an_old_output_open_in_excel_is_left_when_the_stage_no_longer_writes_it(tmp_path, monkeypatch, capsys):
    reports = tmp_path / "laporan"
    folder = reports / ROUND
    gone = folder / "umpan-balik" / "DIN09.xlsx"  # an OPD no longer in the register
    gone.parent.mkdir(parents=True)
    gone.write_bytes(b"lama")
    report = folder / f"tren-{ROUND}.html"
    _open_in_excel(monkeypatch, gone)
    with staged_round(reports, ROUND, last=(report,)) as stage:
        stage.map(gone).unlink()
        stage.map(report).write_text("<html>baru</html>", encoding="utf-8")
    assert gone.read_bytes() == b"lama" and report.read_text(encoding="utf-8") == "<html>baru</html>"
    err = capsys.readouterr().err
    assert f"{gone} tidak dibuat lagi oleh putaran ini, tetapi sedang dibuka program lain" in err
