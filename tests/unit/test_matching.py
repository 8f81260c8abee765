"""Element matching: code, normalised name, section, other OPD, fuzzy, none."""

from __future__ import annotations

import pandas as pd

from satudata.matching import ElementIndex


def _index(threshold: float = 85.0) -> ElementIndex:
    rows = [
        ("E1", "Jumlah Dokter Umum", "DINKES", True),
        ("E2", "Jumlah Pencari Kerja Laki-Laki", "DISNAKER", True),
        ("E3", "Jumlah Tenaga Kerja di Luar Negeri Tidak Terdidik", "DISNAKER", True),
        ("E4", "Jumlah Sekolah Dasar", "DINDIK", True),
        ("E5", "Jumlah Bidan Desa", "DINKES", False),
    ]
    frame = pd.DataFrame(rows, columns=["kode_elemen", "nama_elemen", "kode_opd", "dihitung"])
    return ElementIndex(frame, threshold)


def test_by_code_and_by_name():
    idx = _index()
    m = idx.match("DINKES", "whatever", code=" e1 ")
    assert (m.kode_elemen, m.metode, m.dihitung) == ("E1", "kode", True)
    m = idx.match("DINKES", "JML  dokter umum")
    assert (m.kode_elemen, m.metode, m.skor, m.dihitung) == ("E1", "nama", 100.0, True)


def test_not_counted_when_catalogue_says_so_or_other_opd():
    idx = _index()
    assert idx.match("DINKES", "Jumlah Bidan Desa").dihitung is False
    m = idx.match("DINKES", "Jumlah Sekolah Dasar")
    assert (m.kode_elemen, m.kode_opd_pemilik, m.dihitung) == ("E4", "DINDIK", False)


def test_section_prefix_and_fuzzy():
    idx = _index()
    m = idx.match("DISNAKER", "Tidak Terdidik", section="Jumlah Tenaga Kerja di Luar Negeri")
    assert (m.kode_elemen, m.metode) == ("E3", "nama")
    m = idx.match("DISNAKER", "Jumlah Pencari Keja Laki-Laki")
    assert (m.kode_elemen, m.metode, m.dihitung) == ("E2", "fuzzy", True)
    assert 90 < m.skor < 100


def test_below_threshold_lists_candidates():
    m = _index().match("DINKES", "Jumlah Perawat Gigi")
    assert (m.kode_elemen, m.metode, m.dihitung) == (None, "tidak_cocok", False)
    assert m.kandidat[0][0] == "E1" and len(m.kandidat) == 2
    strict = _index(threshold=99.0).match("DISNAKER", "Jumlah Pencari Keja Laki-Laki")
    assert strict.metode == "tidak_cocok" and strict.kandidat[0][0] == "E2"


def test_leading_enumeration_is_ignored():
    idx = _index()
    for label in (
        "1. Jumlah Dokter Umum",
        "2.1) Jumlah Dokter Umum",
        "a. Jumlah Dokter Umum",
        "- Jumlah Dokter Umum",
    ):
        m = idx.match("DINKES", label)
        assert (m.kode_elemen, m.metode) == ("E1", "nama"), label
    # a number that is part of the name is kept
    assert idx.match("DINKES", "10 Jumlah Dokter Umum").metode != "nama"
