"""Progress rules on small hand-built catalogues and value frames."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from satudata.evaluation.progress import compute_progress, progress_core
from satudata.reference.catalogue import Catalogue
from satudata.reference.register import register_from_frame
from satudata.reference.settings import Settings, settings_from_dict

R1, R2 = "2021-03-01", "2021-06-01"


def catalogue(spec: dict[str, tuple[str, tuple[int, ...]]], not_counted: tuple[str, ...] = ()) -> Catalogue:
    rows = [{"kode_elemen": code, "nama_elemen": f"Elemen {code}", "satuan": "Unit", "kode_urusan": "1.02",
             "nama_urusan": "Kesehatan", "kode_opd": opd, "tahun_wajib": years, "induk": None, "tingkat": 1,
             "dihitung": code not in not_counted, "demo_saja": False} for code, (opd, years) in spec.items()]
    return Catalogue(pd.DataFrame(rows), None, None)


def register(codes=("A", "B", "C")):
    return register_from_frame(pd.DataFrame({"kode_opd": list(codes), "nama_opd": [f"Dinas {c}" for c in codes],
                                             "singkatan": [f"D{c}" for c in codes], "jenis": "dinas"}))


def values(rows: list[tuple], dipakai: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["putaran", "kode_opd", "kode_elemen", "tahun", "status", "nilai"])
    frame["dihitung"] = frame["kode_elemen"].notna()
    if dipakai:
        frame["dipakai"] = True
    frame["sumber_file"] = "f.xlsx"
    frame["sumber_sheet"] = "S"
    frame["sumber_baris"] = range(2, len(frame) + 2)
    frame["sumber_kolom"] = "D"
    return frame


def test_last_row_wins_without_dipakai_column():
    cat = catalogue({"E1": ("A", (2020,))})
    frame = values([(R1, "A", "E1", 2020, "ada", 1.0), (R1, "A", "E1", 2020, "ada", 2.0)], dipakai=False)
    res = compute_progress(R1, {R1: frame}, cat, register(), Settings())
    item = res.item_terkini.iloc[0]
    assert (item["nilai"], item["sumber_baris"], item["jumlah_nilai"]) == (2.0, 3, 2)


def test_valid_value_survives_later_invalid_and_is_replaced_by_later_valid():
    cat = catalogue({"E1": ("A", (2019, 2020))})
    r1 = values([(R1, "A", "E1", 2019, "ada", 5.0), (R1, "A", "E1", 2020, "ada", 6.0)])
    r2 = values([(R2, "A", "E1", 2019, "rahasia", None), (R2, "A", "E1", 2020, "nihil", 0.0)])
    res = compute_progress(R2, {R1: r1, R2: r2}, cat, register(), Settings())
    t = res.item_terkini.set_index("tahun")
    assert t.loc[2019, "nilai"] == 5.0 and t.loc[2019, "putaran_nilai"] == R1 and t.loc[2019, "status"] == "ada"
    assert t.loc[2020, "nilai"] == 0.0 and t.loc[2020, "putaran_nilai"] == R2
    assert res.progres_opd.set_index("kode_opd").loc["A", "persen"] == 100.0


def test_a_round_whose_values_match_no_item_owed_fulfils_nothing():
    cat = catalogue({"E1": ("A", (2020,))})
    frame = values([(R1, "A", "X", 2020, "ada", 1.0), (R1, "B", "E1", 2020, "ada", 2.0),
                    (R1, "A", "E1", 2019, "ada", 3.0)])  # fmt: skip
    res = compute_progress(R1, {R1: frame}, cat, register(), Settings())
    assert res.progres_opd.set_index("kode_opd").loc["A", "terpenuhi"] == 0
    item = res.item_terkini.iloc[0]
    assert (item["jumlah_nilai"], pd.isna(item["nilai"]), item["putaran_nilai"] is None or pd.isna(item["putaran_nilai"])) == (0, True, True)


def test_rounds_after_the_round_are_ignored():
    cat = catalogue({"E1": ("A", (2020,))})
    r2 = values([(R2, "A", "E1", 2020, "ada", 5.0)])
    res = compute_progress(R1, {R1: values([]), R2: r2}, cat, register(), Settings())
    assert res.progres_opd.set_index("kode_opd").loc["A", "terpenuhi"] == 0
    assert res.kekurangan[["kode_elemen", "tahun"]].values.tolist() == [["E1", 2020]]


def test_values_of_other_opd_years_not_owed_and_levels_not_counted_are_ignored():
    cat = catalogue({"E1": ("A", (2020,)), "E2": ("B", (2020,)), "E3": ("B", (2020,))}, not_counted=("E3",))
    frame = values([(R1, "B", "E1", 2020, "ada", 1.0),  # E1 belongs to A
                    (R1, "A", "E1", 2019, "ada", 1.0),  # 2019 not owed
                    (R1, "B", "E3", 2020, "ada", 1.0),  # E3 not counted
                    (R1, "B", None, 2020, "ada", 1.0),  # extra data
                    (R1, "B", "E2", 2020, "tidak_tersedia", None)])
    res = compute_progress(R1, {R1: frame}, cat, register(), Settings())
    t = res.progres_opd.set_index("kode_opd")
    assert t["wajib"].to_dict() == {"A": 1, "B": 1, "C": 0}
    assert t["terpenuhi"].to_dict() == {"A": 0, "B": 0, "C": 0}
    assert list(res.item_terkini["jumlah_nilai"]) == [0, 1]


@pytest.mark.parametrize(("done", "owed", "zone"), [(9, 10, "hijau"), (1, 2, "kuning"), (449, 500, "kuning"),
                                                    (249, 500, "merah"), (29, 58, "kuning"), (63, 70, "hijau")])
def test_percent_boundaries_are_exact(done, owed, zone):
    cat = catalogue({"E1": ("A", tuple(range(1900, 1900 + owed)))})
    frame = values([(R1, "A", "E1", 1900 + i, "ada", 1.0) for i in range(done)])
    row = compute_progress(R1, {R1: frame}, cat, register(), Settings()).progres_opd.iloc[0]
    assert row["persen"] == 100 * done / owed and row["zona"] == zone


def test_zone_thresholds_from_settings_and_falling_zone():
    cat = catalogue({"E1": ("A", (2020, 2021)), "E2": ("B", (2020, 2021, 2022, 2023))})
    frame = values([(R1, "A", "E1", 2020, "ada", 1.0), (R1, "B", "E2", 2020, "ada", 1.0),
                    (R1, "B", "E2", 2021, "ada", 1.0), (R1, "B", "E2", 2022, "ada", 1.0)])
    previous = pd.DataFrame({"putaran": [R1] * 3, "kode_opd": ["A", "B", "C"], "persen": [80.0, 60.0, 10.0],
                             "zona": ["hijau", "kuning", "merah"]})
    settings = settings_from_dict({"zona": {"hijau": 75, "kuning": 40}})
    res = compute_progress(R2, {R1: frame}, cat, register(), settings, previous)
    t = res.progres_opd.set_index("kode_opd")
    assert t.loc["A", ["persen", "zona", "selisih", "arah_zona"]].tolist() == [50.0, "kuning", -30.0, "turun"]
    assert t.loc["B", ["persen", "zona", "selisih", "arah_zona"]].tolist() == [75.0, "hijau", 15.0, "naik"]
    assert pd.isna(t.loc["C", "arah_zona"]) and math.isnan(t.loc["C", "selisih"])
    s = res.ringkasan
    assert (s["naik_zona"], s["turun_zona"]) == (1, 1)
    assert s["rata_rata_sebelumnya"] == pytest.approx(50.0) and s["selisih_rata_rata"] == pytest.approx(12.5)
    assert json.loads(json.dumps(s)) == s


def test_no_values_at_all():
    cat = catalogue({"E1": ("A", (2020, 2021))})
    res = compute_progress(R1, {}, cat, register(), Settings())
    s = res.ringkasan
    assert (s["wajib"], s["terpenuhi"], s["rata_rata_persen"], s["persen_gabungan"]) == (2, 0, 0.0, 0.0)
    assert (s["jumlah_produsen"], s["jumlah_tanpa_wajib"]) == (1, 2)
    assert s["jumlah_zona"] == {"hijau": 0, "kuning": 0, "merah": 1} and len(res.kekurangan) == 2
    assert res.item_terkini["status"].isna().all() and res.item_terkini["putaran_nilai"].isna().all()


def test_categorical_value_columns_are_accepted():
    cat = catalogue({"E1": ("A", (2020,)), "E2": ("A", (2020,))})
    frame = values([(R1, "A", "E2", 2020, "ada", 4.0), (R1, "A", "X", 2020, "ada", 4.0)])
    for column in ("kode_opd", "kode_elemen", "status", "sumber_file"):
        frame[column] = frame[column].astype("category")
    state = progress_core(cat.elements, [frame])
    assert state.fulfilled.tolist() == [False, True] and state.seen.tolist() == [0, 1]
    res = compute_progress(R1, {R1: frame}, cat, register(), Settings())
    assert res.item_terkini["sumber_file"].tolist()[1] == "f.xlsx"


def test_nothing_owed_gives_no_percent_anywhere():
    cat = catalogue({"E1": ("A", (2020,))}, not_counted=("E1",))
    frame = values([(R1, "A", "E1", 2020, "ada", 1.0)])
    res = compute_progress(R1, {R1: frame}, cat, register(), Settings())
    assert res.progres_opd["persen"].isna().all() and res.progres_opd["zona"].isna().all()
    s = res.ringkasan
    assert (s["rata_rata_persen"], s["persen_gabungan"], s["jumlah_produsen"], s["jumlah_tanpa_wajib"]) == (
        None, None, 0, 3)
    assert s["jumlah_zona"] == {"hijau": 0, "kuning": 0, "merah": 0}
    assert len(res.item_terkini) == 0 and len(res.kekurangan) == 0 and len(res.progres_urusan) == 0


def test_rounds_read_from_their_files_when_needed_give_the_frames_result(tmp_path):
    """Stage 2 reads each round's key columns in turn and the source columns of the winning rounds afterwards
    (``pipeline.RoundValues``): the same tables as every round's frame in memory, and a round without a winning
    row is never read for its sources."""
    from satudata.run.pipeline import RoundValues

    r0 = "2020-12-01"
    cat = catalogue({"E1": ("A", (2019, 2020)), "E2": ("B", (2020,)), "E3": ("C", (2020,))})
    frames = {
        r0: values([(r0, "A", "E1", 2019, "ada", 9.0)]),
        R1: values([(R1, "A", "E1", 2019, "ada", 5.0), (R1, "A", "E1", 2020, "tidak_tersedia", None),
                    (R1, "B", "E2", 2020, "nihil", 0.0), (R1, "C", "X", 2020, "ada", 1.0)]),
        R2: values([(R2, "A", "E1", 2020, "ada", 6.0), (R2, "B", "E2", 2020, "rahasia", None)]),
    }  # fmt: skip
    frames[R2]["sumber_file"] = "kedua.csv"
    stored = {}
    for r, frame in frames.items():
        (tmp_path / r).mkdir()
        frame.to_parquet(tmp_path / r / "nilai.parquet", index=False)
        stored[r] = RoundValues(tmp_path / r / "nilai.parquet")
    asked = []
    real = RoundValues.__call__

    def spy(self, columns):
        asked.append((self.path.parent.name, tuple(columns)))
        return real(self, columns)

    RoundValues.__call__ = spy
    try:
        got = compute_progress(R2, stored, cat, register(), Settings())
    finally:
        RoundValues.__call__ = real
    want = compute_progress(R2, frames, cat, register(), Settings())
    for name in ("progres_opd", "progres_urusan", "progres_jenis", "kekurangan", "item_terkini"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name), check_categorical=False)
    t = got.item_terkini.set_index(["kode_elemen", "tahun"])
    assert t.loc[("E1", 2019), ["nilai", "putaran_nilai"]].tolist() == [5.0, R1]  # the later round's value
    assert t.loc[("E1", 2020), ["nilai", "sumber_file"]].tolist() == [6.0, "kedua.csv"]
    assert t.loc[("E2", 2020), "status"] == "nihil" and t.loc[("E3", 2020), "jumlah_nilai"] == 0
    assert [r for r, columns in asked if "nilai" in columns] == [R1, R2]  # r0's only value lost to R1's
    assert all("nilai" not in columns for r, columns in asked if r == r0)
