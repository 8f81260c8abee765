"""The bad-input corpus in one round next to good files (tests/hostile_files.py): the round finishes, each
bad file gets its issue, every good file's value is there, and nothing is read outside the round folder."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from satudata.reading import parallel
from satudata.reading.ingest import ingest_round, write_ingest
from satudata.reference.settings import Settings
from tests.hostile_files import hostile_corpus
from tests.integration.messy_fixtures import make_catalogue, make_register

ROUND = "2024-03-01"


@pytest.mark.parametrize("workers", [1, 2])
def test_every_bad_file_gets_its_issue_and_the_good_values_are_all_there(tmp_path, monkeypatch, workers):
    raw = tmp_path / "data" / "raw" / ROUND
    expected, good = hostile_corpus(raw, tmp_path / "di_luar")
    real_open = Path.open
    monkeypatch.setenv(parallel.START_ENV, "fork")  # the refusal is patched into this process: forked workers see it

    def denied(self: Path, *args: object, **kwargs: object):  # the tests run as root: chmod 000 would not stop it
        if self.name == "25_tidak_terbaca.xlsx":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    tree = _tree(tmp_path)
    start = time.monotonic()
    res = ingest_round(raw, ROUND, make_register(), make_catalogue(), Settings(), workers=workers)
    assert time.monotonic() - start < 60

    by_file: dict[str, set[str]] = {}
    for r in res.masalah.itertuples():
        by_file.setdefault(r.sumber_file, set()).add(r.kode_masalah)
    for name, codes in expected.items():
        assert codes <= by_file.get(name, set()), (name, by_file.get(name))
    refused = {n for n, c in expected.items() if c & {"berkas_terlalu_besar", "berkas_kosong", "berkas_rusak",
                                                      "berkas_terkunci", "tautan_simbolik", "berkas_tidak_terbaca"}}  # fmt: skip
    entries = {e["berkas"]: e for e in res.manifest["berkas"]}
    assert entries.keys() == {p.name for p in raw.iterdir()}  # every file accounted for, once
    assert {n: entries[n]["jumlah_nilai"] for n in refused} == dict.fromkeys(refused, 0)
    assert {n for n in refused if entries[n]["status"] != "galat"} == {"20_500_sheet.xlsx"}  # read: all empty
    # the good files' values, each where it was written (Jumlah Bidan, Dinkes, 2020), nothing else kept
    got = sorted((r.sumber_file, r.nilai) for r in res.nilai.itertuples())
    assert got == sorted(good)
    assert set(res.nilai["kode_opd"].astype(str)) == {"DINKES"}
    assert not any("passwd" in str(v) or "root" in str(v) for v in res.nilai["sumber_sheet"])
    # the outputs take every name (control characters, a right-to-left override) without failing
    write_ingest(res, tmp_path / "data" / "processed" / ROUND)
    assert (tmp_path / "data" / "processed" / ROUND / "nilai.parquet").stat().st_size > 0
    # nothing was written anywhere else: not in the round folder, not through its symlinks
    assert {k: v for k, v in _tree(tmp_path).items() if not k.startswith("data/processed")} == tree


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every path under ``root`` (symlinks not followed) with its size and modification time (files only: a
    folder's time changes when an output folder is made in it)."""
    out = {}
    for p in sorted(root.rglob("*")):
        st = p.lstat()
        out[p.relative_to(root).as_posix()] = (0, 0) if p.is_dir() and not p.is_symlink() else (st.st_size, st.st_mtime_ns)
    return out
