"""pandera is imported only when a frame may hold a problem: the pandas pre-check never calls a frame
clean that pandera would reject."""

from __future__ import annotations

import pandas as pd
import pytest

from satudata.reference import validation as v


def _catalogue(**changes) -> pd.DataFrame:
    frame = pd.DataFrame({
        "kode_elemen": ["E1", "E2"], "nama_elemen": ["Jumlah Sekolah", "Jumlah Guru"],
        "tahun_awal": pd.array([2015, 2016], dtype="Int64"), "tahun_akhir": pd.array([2019, None], dtype="Int64"),
        "tingkat": pd.array([1, None], dtype="Int64"),
    }, index=[2, 3])
    for column, values in changes.items():
        frame[column] = values
    return frame


def test_a_clean_catalogue_skips_pandera_and_pandera_agrees():
    frame = _catalogue()
    assert v.catalogue_clean(frame)
    assert v.problems_from_schema(v.catalogue_schema(), frame, {}, {}) == []


@pytest.mark.parametrize("changes", [
    {"kode_elemen": ["E1", "E1"]}, {"kode_elemen": ["E1", " "]}, {"nama_elemen": ["Jumlah", "  "]},
    {"tahun_awal": pd.array([1800, 2016], dtype="Int64")}, {"tingkat": pd.array([-1, 1], dtype="Int64")},
    {"tahun_akhir": [2019.0, 2020.0]},
])
def test_a_catalogue_with_a_problem_goes_to_pandera(changes):
    frame = _catalogue(**changes)
    assert not v.catalogue_clean(frame)
    assert v.catalogue_problems(frame, {}) != []


def test_register_duplicate_code_still_reported():
    frame = pd.DataFrame({"kode_opd": ["A", "A"], "nama_opd": ["Dinas A", "Dinas B"]})
    assert not v.register_clean(frame.astype("str"))
    assert any("lebih dari sekali" in p.pesan if hasattr(p, "pesan") else "lebih dari sekali" in str(p)
               for p in v.register_problems(frame))
