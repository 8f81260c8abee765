"""The EPSS reference (Peraturan BPS 3/2022): 38 indicators by code in 19 aspects and 5 domains, the five levels,
a region's copy used instead of the package's, every problem of a file named, and the level the evidence supports
following the regulation's meaning of the levels (documents, policy, review and evaluation, improvement)."""

from __future__ import annotations

import csv
from dataclasses import replace

import pytest

from satudata.reference.epss_reference import (
    INDICATOR_FILE,
    PACKAGE_DIR,
    EpssReferenceError,
    load_epss_reference,
    supported_level,
)


def test_package_reference_holds_38_indicators_in_19_aspects_and_5_domains():
    ref = load_epss_reference()
    codes = [i.kode for i in ref.indicators]
    assert len(codes) == len(set(codes)) == 38
    assert len({i.aspek for i in ref.indicators}) == 19
    assert [d for d in sorted({i.domain for i in ref.indicators})] == ["1", "2", "3", "4", "5"]
    per_domain = {d: sum(i.domain == d for i in ref.indicators) for d in "12345"}
    assert per_domain == {"1": 4, "2": 10, "3": 7, "4": 10, "5": 7}
    assert codes[0] == "10101" and "Standar Data Statistik" in ref.indicators[0].nama
    assert [ref.levels[n].nama for n in range(1, 6)] == ["Rintisan", "Terkelola", "Terdefinisi", "Terpadu dan Terukur",
                                                         "Optimum"]  # fmt: skip
    # the tool has something to show for 16 indicators and says so for the other 22
    assert sum(bool(i.bukti) for i in ref.indicators) == 16
    assert not next(i for i in ref.indicators if i.kode == "50303").bukti  # big data: nothing from this tool


def test_levels_follow_the_kind_of_evidence_never_a_percent():
    ref = load_epss_reference()
    walidata = next(i for i in ref.indicators if i.kode == "40304")
    relevance = next(i for i in ref.indicators if i.kode == "20101")
    catalogue = next(i for i in ref.indicators if i.kode == "10101")
    assert supported_level(relevance, 3)[0] == 1 and "tidak memiliki bukti" in supported_level(relevance, 3)[1]
    assert supported_level(walidata, 3)[0] == 2  # administrative documents, no policy recorded
    policy = replace(walidata, dokumen_kebijakan="Perbup Demak 20/2021 pasal 9")
    assert supported_level(policy, 1)[0] == 3  # one round: no regular review yet
    assert supported_level(policy, 3)[0] == 4  # policy and dated evaluations of three rounds
    assert "3 putaran" in supported_level(policy, 3)[1]
    assert supported_level(replace(policy, dokumen_perbaikan="Revisi juknis 2021"), 3)[0] == 5
    # the catalogue is not made again each round: a policy gives 3, never the 4 of a regular review
    assert supported_level(replace(catalogue, dokumen_kebijakan="Perbup 20/2021"), 3)[0] == 3


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_a_region_copy_is_used_and_its_policy_documents_read(tmp_path):
    rows = list(csv.DictReader((PACKAGE_DIR / "indikator.csv").open(encoding="utf-8")))
    rows[30]["dokumen_kebijakan"] = "Perbup Demak Nomor 20 Tahun 2021"
    _write(tmp_path / INDICATOR_FILE, rows)
    ref = load_epss_reference(tmp_path)
    assert ref.sources[0] == INDICATOR_FILE and ref.sources[1] == "tingkat.csv"
    assert next(i for i in ref.indicators if i.kode == rows[30]["kode"]).dokumen_kebijakan.startswith("Perbup")


def test_every_problem_of_a_region_copy_is_named(tmp_path):
    rows = list(csv.DictReader((PACKAGE_DIR / "indikator.csv").open(encoding="utf-8")))
    rows[0]["kode"] = "1010"
    rows[1]["aspek"] = "109"
    rows[2]["bukti_alat"] = "portal"
    rows[4] = dict(rows[3])
    _write(tmp_path / INDICATOR_FILE, rows)
    with pytest.raises(EpssReferenceError) as err:
        load_epss_reference(tmp_path)
    text = str(err.value)
    assert "baris 2: kode '1010' bukan lima angka" in text
    assert "baris 3: kode 10201 tidak cocok dengan domain '1' dan aspek '109'" in text
    assert "baris 4: bukti_alat portal tidak dikenal" in text
    assert "baris 6: kode 10401 tertulis dua kali" in text
