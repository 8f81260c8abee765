"""Hostile and broken files next to a good one: the round finishes, each bad file has its issue, the
good file's value is there, and nothing is followed outside the round folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from satudata.reading import parallel
from satudata.reading.ingest import ingest_round
from satudata.reference.settings import Settings
from tests.hostile_files import good_table, num, row, xlsx
from tests.integration.messy_fixtures import make_catalogue, make_register


def _round(raw: Path):
    return ingest_round(raw, "2024-03-01", make_register(), make_catalogue(), Settings(), workers=1)


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw" / "2024-03-01"
    raw.mkdir(parents=True)
    xlsx(raw / "01_Dinkes.xlsx", good_table())
    return raw


def test_bad_files_do_not_stop_the_round(raw, tmp_path, monkeypatch):
    xlsx(raw / "02_jauh.xlsx", good_table() + [row(1048576, num("XFD1048576", 2))])
    xlsx(raw / "03_Dinkes_rumus.xlsx", good_table() + [row(4, '<c r="C4" t="e"><f>C3/0</f><v>#DIV/0!</v></c>')])
    (raw / "04_terkunci.xlsx").write_bytes((raw / "01_Dinkes.xlsx").read_bytes())
    outside = tmp_path / "rahasia"
    outside.mkdir()
    (outside / "passwd.csv").write_text("root;x;0;0\n")
    (raw / "05_tautan.csv").symlink_to(outside / "passwd.csv")
    (raw / "06_folder_tautan").symlink_to(outside, target_is_directory=True)
    real_open = Path.open
    monkeypatch.setenv(parallel.START_ENV, "fork")  # the refusal is patched into this process: forked workers see it

    def denied(self: Path, *args, **kwargs):  # the tests run as root: chmod 000 would not stop a read
        if self.name == "04_terkunci.xlsx":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    res = _round(raw)
    issues = {(r.sumber_file, r.kode_masalah) for r in res.masalah.itertuples()}
    assert issues == {
        ("02_jauh.xlsx", "berkas_terlalu_besar"),
        ("03_Dinkes_rumus.xlsx", "sel_galat_rumus"),
        ("04_terkunci.xlsx", "berkas_tidak_terbaca"),
        ("05_tautan.csv", "tautan_simbolik"),
        ("06_folder_tautan", "tautan_simbolik"),
    }
    formula = res.masalah[res.masalah["kode_masalah"] == "sel_galat_rumus"].iloc[0]
    assert (formula.sumber_sheet, formula.sumber_baris, formula.sumber_kolom, formula.tingkat) == ("Data", 4, "C", "galat")
    assert formula.kode_opd == "DINKES" and "#DIV/0!" in formula.pesan
    locked = res.masalah[res.masalah["kode_masalah"] == "berkas_tidak_terbaca"].iloc[0]
    assert "Berkas 04_terkunci.xlsx tidak dapat dibuka" in locked.pesan and "Permission denied" in locked.pesan
    entries = {e["berkas"]: e for e in res.manifest["berkas"]}
    assert entries["04_terkunci.xlsx"]["sha256"] is None and entries["04_terkunci.xlsx"]["status"] == "galat"
    assert entries["05_tautan.csv"]["sha256"] is None  # the target is neither read nor hashed
    assert not any("passwd" in e for e in entries) and "root" not in set(res.nilai["sumber_sheet"].astype(str))
    # the good values are all there
    got = sorted((r.sumber_file, r.nilai) for r in res.nilai.itertuples())
    assert got == [("01_Dinkes.xlsx", 5.0), ("03_Dinkes_rumus.xlsx", 5.0)]


def test_rows_after_a_blank_run_become_an_issue_of_the_round(raw):
    xlsx(raw / "02_Dinkes_jarak.xlsx", good_table() + [row(1048576, num("C1048576", 9))])
    res = _round(raw)
    (issue,) = res.masalah[res.masalah["sumber_file"] == "02_Dinkes_jarak.xlsx"].itertuples()
    assert (issue.kode_masalah, issue.sumber_baris, issue.kode_opd) == ("baris_setelah_kosong", 1048576, "DINKES")


def test_a_sender_name_with_look_alike_letters_names_the_producer_it_imitates(tmp_path):
    """Issue 25, part 6: ``Dinkеs`` with a Cyrillic ``е`` beside the register's ``Dinkes``: not taken for
    Dinkes (its value is not counted), and the issue names the producer it imitates, the letter and what to
    fix. The file itself is untouched."""
    import hashlib

    raw = tmp_path / "raw" / "2024-03-01"
    raw.mkdir(parents=True)
    name = "01_Dink\u0435s.xlsx"
    xlsx(raw / name, good_table("Dink\u0435s"))
    before = hashlib.sha256((raw / name).read_bytes()).hexdigest()
    res = _round(raw)
    (issue,) = res.masalah[res.masalah["kode_masalah"] == "opd_tidak_dikenal"].itertuples()
    assert issue.sumber_file == name and issue.tingkat == "galat"
    assert "nama pengirim 'Dink\u0435s' berisi huruf Kiril '\u0435' (U+0435) di posisi 5" in issue.pesan
    assert "meniru DINKES (Dinas Kesehatan)" in issue.pesan and "Ketik ulang nama OPD dengan huruf Latin" in issue.pesan
    assert res.nilai["kode_opd"].isna().all() and not res.nilai["dihitung"].any()
    assert hashlib.sha256((raw / name).read_bytes()).hexdigest() == before
