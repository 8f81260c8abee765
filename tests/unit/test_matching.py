"""Element matching: code, normalised name, section, other OPD, fuzzy, none."""

from __future__ import annotations

import random

import pandas as pd
from rapidfuzz import fuzz, process

from satudata.reading.matching import ElementIndex, quick_normalise


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


def _fuzzy_reference(index: ElementIndex, norm: str, with_section: str, names: list[str], idx: list[int]) -> tuple:
    """The fuzzy step as first written: both queries against every name, 3 best of each, no cut-off."""
    best = []
    for query in (norm, with_section):
        if query:
            for _, score, pos in process.extract(query, names, scorer=fuzz.ratio, limit=3):
                best.append((float(score), idx[pos]))
    best.sort(key=lambda t: (-t[0], t[1]))
    if best and best[0][0] >= index.threshold:
        return ("fuzzy", best[0][1], best[0][0])
    seen = []
    for score, i in best:
        if all(s[0] != index._codes[i] for s in seen):
            seen.append((index._codes[i], index._names[i], score))
    return ("tidak_cocok", best[0][0] if best else None, tuple(seen[:3]))


def test_fuzzy_with_cutoffs_decides_as_the_full_search():
    """Typos, ties, sections and labels far from everything: the same element, score and candidates."""
    rng = random.Random(7)
    words = ["Jumlah", "Dokter", "Bidan", "Sekolah", "Dasar", "Umum", "Desa", "Pencari", "Kerja", "Guru", "Siswa"]
    names = [" ".join(rng.sample(words, rng.randint(2, 5))) for _ in range(300)]
    names += names[:20]  # the same names again: ties broken by catalogue order
    frame = pd.DataFrame({
        "kode_elemen": [f"E{i}" for i in range(len(names))], "nama_elemen": names,
        "kode_opd": [rng.choice(["A", "B"]) for _ in names], "dihitung": True,
    })  # fmt: skip
    index = ElementIndex(frame, 85.0)
    checked = {"fuzzy": 0, "tidak_cocok": 0}
    for n in range(600):
        base = rng.choice(names)
        chars = list(base)
        for _ in range(rng.randint(1, 6)):  # typos
            chars[rng.randrange(len(chars))] = rng.choice("abcdefghij ")
        label = "".join(chars) if n % 7 else " ".join(rng.sample(words, 3))
        section = rng.choice(["", "Jumlah", "Bagian Umum"])
        opd = rng.choice(["A", "B", None])
        got = index._match_uncached(opd, label, "", section)
        if got.metode not in checked:
            continue
        norm = quick_normalise(label)
        with_section = quick_normalise(f"{section} {label}") if section else ""
        names_, idx = index._choices_for(opd)
        want = _fuzzy_reference(index, norm, with_section, names_, idx)
        if got.metode == "fuzzy":
            assert want == ("fuzzy", frame.index[frame["kode_elemen"] == got.kode_elemen][0], got.skor)
        else:
            assert want == ("tidak_cocok", got.skor, got.kandidat)
        checked[got.metode] += 1
    assert checked["fuzzy"] > 100 and checked["tidak_cocok"] > 50
