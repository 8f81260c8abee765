"""Trends across rounds on hand-built three-round progres_opd tables."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from satudata import trends
from satudata.settings import Settings

ROUNDS = ["2020-08-13", "2020-08-20", "2020-08-27"]
# kode: (nama, singkatan, wajib, terpenuhi per round)
OPDS = {
    "A": ("Dinas A", "DA", 10, [4, 5, 6]),  # 40 50 60: merah -> kuning -> kuning, +10 pp/week
    "B": ("Dinas B", "DB", 20, [16, 18, 19]),  # 80 90 95: kuning -> hijau -> hijau
    "C": ("Dinas C", "DC", 10, [3, 3, 3]),  # 30 30 30: stalled merah
    "D": ("Dinas D", "DD", 10, [10, 10, 10]),  # 100: hijau, not stalled
    "E": ("Dinas E", "DE", 20, [19, 17, 14]),  # 95 85 70: hijau -> kuning -> kuning, falling
    "F": ("Dinas F", "DF", 0, [0, 0, 0]),  # owes nothing: no percent, no zone
}


def zone(p: float) -> str | None:
    if math.isnan(p):
        return None
    return "hijau" if p >= 90 else "kuning" if p >= 50 else "merah"


def round_table(i: int) -> pd.DataFrame:
    rows = []
    for kode, (nama, singkatan, wajib, done) in OPDS.items():
        persen = done[i] / wajib * 100 if wajib else math.nan
        rows.append(
            {
                "putaran": ROUNDS[i],
                "kode_opd": kode,
                "nama_opd": nama,
                "singkatan": singkatan,
                "jenis": "dinas",
                "wajib": wajib,
                "terpenuhi": done[i],
                "persen": persen,
                "zona": zone(persen),
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture()
def riwayat() -> pd.DataFrame:
    return pd.concat([round_table(i) for i in range(3)], ignore_index=True)


def test_every_opd_has_three_points(riwayat):
    series = trends.opd_series(riwayat, ROUNDS[-1])
    assert list(series.columns[2:]) == ROUNDS
    assert len(series) == 6
    scored = series.drop(index="F")
    assert (scored[ROUNDS].notna().sum(axis=1) == 3).all()
    assert series.loc["A", ROUNDS].tolist() == pytest.approx([40.0, 50.0, 60.0])
    # a later round is never shown in an earlier round's trend
    assert list(trends.opd_series(riwayat, ROUNDS[1]).columns[2:]) == ROUNDS[:2]


def test_overall_lines_mean_and_pooled(riwayat):
    lines = trends.overall_lines(riwayat, ROUNDS[-1])
    assert lines["jumlah_opd"].tolist() == [5, 5, 5]
    assert lines.loc[0, "rata_rata"] == pytest.approx((40 + 80 + 30 + 100 + 95) / 5)
    assert lines.loc[0, "gabungan"] == pytest.approx(52 / 70 * 100)
    assert lines.loc[2, "gabungan"] == pytest.approx((6 + 19 + 3 + 10 + 14) / 70 * 100)


def test_migration_counts_equal_consecutive_tables(riwayat):
    migration = trends.zone_migration(riwayat, ROUNDS[-1])
    assert len(migration) == 12
    for i in range(2):
        before, after = round_table(i), round_table(i + 1)
        pair = before.merge(after, on="kode_opd", suffixes=("_dari", "_ke"))
        pair = pair.fillna({"zona_dari": "tanpa_zona", "zona_ke": "tanpa_zona"})
        expected = pair.groupby(["zona_dari", "zona_ke"]).size()
        matrix = trends.migration_matrix(migration, ROUNDS[i])
        for (z_from, z_to), count in expected.items():
            assert matrix.loc[z_from, z_to] == count
        assert matrix.to_numpy().sum() == 6
    first = trends.migration_matrix(migration, ROUNDS[0])
    assert first.loc["merah", "kuning"] == 1 and first.loc["kuning", "hijau"] == 1
    assert first.loc["hijau", "kuning"] == 1 and first.loc["tanpa_zona", "tanpa_zona"] == 1
    last = trends.migration_matrix(migration)  # default: the last pair
    assert last.loc["kuning", "kuning"] == 2 and last.loc["hijau", "hijau"] == 2
    summary = trends.migration_summary(migration)
    assert summary[["zona_dari", "zona_ke", "jumlah", "opd"]].values.tolist() == [
        ["hijau", "kuning", 1, "DE"],
        ["kuning", "hijau", 1, "DB"],
        ["merah", "kuning", 1, "DA"],
    ]
    arah = migration.set_index(["putaran_dari", "kode_opd"])["arah"]
    assert arah[(ROUNDS[0], "A")] == "naik" and arah[(ROUNDS[0], "E")] == "turun"
    assert arah[(ROUNDS[1], "C")] == "tetap"


def test_matrix_without_missing_zone_has_three_rows(riwayat):
    migration = trends.zone_migration(riwayat.loc[riwayat["kode_opd"] != "F"], ROUNDS[-1])
    assert list(trends.migration_matrix(migration).index) == ["hijau", "kuning", "merah"]


def test_most_improved_and_stalled(riwayat):
    improved = trends.most_improved(riwayat, ROUNDS[-1], n=5)
    assert improved["kode_opd"].tolist() == ["A", "B"]
    assert improved["selisih"].tolist() == pytest.approx([10.0, 5.0])
    stalled = trends.stalled(riwayat, ROUNDS[-1])
    assert stalled["kode_opd"].tolist() == ["C"]  # D is flat but at 100, F has no percent


def test_pace_least_squares_over_last_three_rounds(riwayat):
    pace = trends.recent_pace(riwayat, ROUNDS[-1]).set_index("kode_opd")
    assert pace.loc["A", "laju_pp_per_minggu"] == pytest.approx(10.0)
    assert pace.loc["B", "laju_pp_per_minggu"] == pytest.approx(7.5)  # 105/98 pp per day x 7
    assert pace.loc["E", "laju_pp_per_minggu"] == pytest.approx(-12.5)
    assert pace.loc["C", "laju_pp_per_minggu"] == pytest.approx(0.0)
    assert math.isnan(pace.loc["F", "laju_pp_per_minggu"])
    two = trends.recent_pace(riwayat, ROUNDS[-1], window=2).set_index("kode_opd")
    assert two.loc["B", "laju_pp_per_minggu"] == pytest.approx(5.0)


def test_projection_hand_computed(riwayat):
    proj = trends.projection(riwayat, ROUNDS[-1], Settings()).set_index("kode_opd")
    # A: 60 % at 10 pp/week -> 90 % after 21 days, 100 % after 28 days
    assert proj.loc["A", "tanggal_hijau"] == date(2020, 9, 17)
    assert proj.loc["A", "tanggal_100"] == date(2020, 9, 24)
    # B: 95 % (already hijau) at 7.5 pp/week -> 100 % after ceil(4.67) = 5 days
    assert proj.loc["B", "status_hijau"] == "sudah tercapai"
    assert proj.loc["B", "tanggal_100"] == date(2020, 9, 1)
    assert proj.loc["C", "status_hijau"] == "tidak tercapai"
    assert proj.loc["E", "status_100"] == "tidak tercapai"
    assert proj.loc["D", "status_100"] == "sudah tercapai"
    assert proj.loc["F", "status_hijau"] == "belum dapat dihitung"
    one_round = trends.projection(riwayat, ROUNDS[0]).set_index("kode_opd")
    assert one_round.loc["A", "status_hijau"] == "belum dapat dihitung"


def test_projection_follows_settings_threshold(riwayat):
    from satudata.settings import ZoneSettings

    proj = trends.projection(riwayat, ROUNDS[-1], Settings(zones=ZoneSettings(hijau=80.0)))
    assert proj.set_index("kode_opd").loc["A", "tanggal_hijau"] == date(2020, 9, 10)


@given(
    persen=st.floats(0, 99.9),
    pace=st.floats(0.01, 50),
    target=st.sampled_from([90.0, 100.0]),
)
def test_projected_date_is_first_day_at_target(persen, pace, target):
    when, status = trends.project_date(persen, pace, target, "2020-08-27")
    if persen >= target:
        assert status == "sudah tercapai"
        return
    if when is None:
        assert status == "tidak tercapai"
        assert (target - persen) / (pace / 7) > trends.MAX_PROJECTION_DAYS - 1
        return
    days = (when - date(2020, 8, 27)).days
    assert persen + pace / 7 * days >= target - 1e-6
    assert persen + pace / 7 * (days - 1) < target + 1e-6
    assert when - timedelta(days=days) == date(2020, 8, 27)


def test_load_round_inputs_names_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="riwayat_progres_opd.parquet"):
        trends.load_round_inputs(tmp_path, "2020-08-27")


def test_overall_pace(riwayat):
    pace = trends.overall_pace(riwayat, ROUNDS[-1])
    # mean: 69, 71, 71 -> slope (-7*-1.667 + 7*0.333)/98 per day = 1 pp per week
    assert pace["rata_rata"] == pytest.approx(1.0)
    assert math.isnan(trends.overall_pace(riwayat, ROUNDS[0])["gabungan"])
