"""Trends across rounds on hand-built three-round progres_opd tables."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from satudata.common import fmt
from satudata.evaluation import trends
from satudata.reference.settings import Settings

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


def test_last_interval_and_mean_pace(riwayat):
    pace = trends.recent_pace(riwayat, ROUNDS[-1]).set_index("kode_opd")
    assert pace.loc["A", "laju_terakhir"] == pytest.approx(10.0)
    assert pace.loc["A", "laju_rata_rata"] == pytest.approx(10.0)
    assert pace.loc["B", "laju_terakhir"] == pytest.approx(5.0)  # 90 -> 95 in one week
    assert pace.loc["B", "laju_rata_rata"] == pytest.approx(7.5)  # 80 -> 95 in two weeks
    assert pace.loc["E", "laju_terakhir"] == pytest.approx(-15.0)
    assert pace.loc["E", "laju_rata_rata"] == pytest.approx(-12.5)
    assert pace.loc["C", "laju_terakhir"] == pytest.approx(0.0)
    assert math.isnan(pace.loc["F", "laju_terakhir"])
    two = trends.recent_pace(riwayat, ROUNDS[-1], window=2).set_index("kode_opd")
    assert two.loc["B", "laju_rata_rata"] == pytest.approx(5.0)


def test_projection_hand_computed(riwayat):
    proj = trends.projection(riwayat, ROUNDS[-1], Settings()).set_index("kode_opd")
    # A: 60 % at 10 pp/week -> 90 % after 21 days, 100 % after 28 days
    assert proj.loc["A", "tanggal_hijau"] == date(2020, 9, 17)
    assert proj.loc["A", "tanggal_100"] == date(2020, 9, 24)
    assert pd.isna(proj.loc["A", "putaran_hijau"])  # no calendar in the settings: a date
    # B: 95 % (already hijau) at its last-interval pace 5 pp/week -> 100 % after 7 days
    assert proj.loc["B", "status_hijau"] == "sudah tercapai"
    assert proj.loc["B", "tanggal_100"] == date(2020, 9, 3)
    assert proj.loc["C", "status_hijau"] == "tidak tercapai dengan laju sekarang"
    assert proj.loc["E", "status_100"] == "tidak tercapai dengan laju sekarang"
    assert proj.loc["D", "status_100"] == "sudah tercapai"
    assert proj.loc["F", "status_hijau"] == "belum dapat dihitung"
    one_round = trends.projection(riwayat, ROUNDS[0]).set_index("kode_opd")
    assert one_round.loc["A", "status_hijau"] == "belum dapat dihitung"


def test_projection_follows_settings_threshold(riwayat):
    from satudata.reference.settings import ZoneSettings

    proj = trends.projection(riwayat, ROUNDS[-1], Settings(zones=ZoneSettings(hijau=80.0)))
    assert proj.set_index("kode_opd").loc["A", "tanggal_hijau"] == date(2020, 9, 10)


def stalled_after_rise() -> pd.DataFrame:
    """The issue's case: rising, then stalled at 88 (or falling a little) in the last interval. A
    least-squares line over the three rounds still rises and gave a date two days after the rakor."""
    rows = []
    for kode, series in {"G": [70.0, 88.0, 88.0], "H": [60.0, 80.0, 78.0], "I": [50.0, 60.0, 70.0]}.items():
        for rnd, persen in zip(["2020-08-27", "2020-09-10", "2020-09-24"], series, strict=True):
            rows.append({"putaran": rnd, "kode_opd": kode, "nama_opd": f"Dinas {kode}", "singkatan": kode,
                         "jenis": "dinas", "wajib": 100, "terpenuhi": persen, "persen": persen,
                         "zona": zone(persen)})  # fmt: skip
    return pd.DataFrame(rows)


def test_stalled_or_falling_in_the_last_interval_gets_no_date():
    proj = trends.projection(stalled_after_rise(), "2020-09-24", Settings()).set_index("kode_opd")
    for kode in ("G", "H"):
        assert proj.loc[kode, "laju_rata_rata"] > 0  # the mean pace still rises ...
        assert proj.loc[kode, "tanggal_hijau"] is None  # ... but no date is promised
        assert proj.loc[kode, "status_hijau"] == "tidak tercapai dengan laju sekarang"
        assert proj.loc[kode, "status_100"] == "tidak tercapai dengan laju sekarang"
    assert proj.loc["H", "laju_terakhir"] == pytest.approx(-1.0)  # 80 -> 78 in two weeks
    # I: 70 % at 5 pp/week -> 90 % after 28 days
    assert proj.loc["I", "tanggal_hijau"] == date(2020, 10, 22)


def test_forecast_in_rounds_from_the_calendar(riwayat):
    from satudata.reference.settings import RoundSettings

    calendar = RoundSettings(schedule=(*ROUNDS, "2020-09-03", "2020-09-10"), interval_days=7)
    proj = trends.projection(riwayat, ROUNDS[-1], Settings(rounds=calendar)).set_index("kode_opd")
    # A reaches 90 % on 17 September: the schedule ends on 10 September (round 5), then every 7 days
    assert (proj.loc["A", "putaran_hijau"], proj.loc["A", "tanggal_hijau"]) == (6, date(2020, 9, 17))
    assert (proj.loc["A", "putaran_100"], proj.loc["A", "tanggal_100"]) == (7, date(2020, 9, 24))
    assert (proj.loc["B", "putaran_100"], proj.loc["B", "tanggal_100"]) == (4, date(2020, 9, 3))


def test_forecast_is_never_before_the_next_round():
    from satudata.reference.settings import RoundSettings

    upcoming = trends.upcoming_rounds("2020-09-24", 3, RoundSettings(interval_days=14))
    assert upcoming[:2] == [(4, date(2020, 10, 8)), (5, date(2020, 10, 22))]
    # 89 % at 7 pp/week reaches 90 % the next day, but the next round is on 8 October
    result = trends.forecast(89.0, 7.0, 90.0, "2020-09-24", upcoming)
    assert (result.putaran_ke, result.tanggal) == (4, date(2020, 10, 8))
    assert trends.forecast(89.0, 7.0, 90.0, "2020-09-24").tanggal == date(2020, 9, 25)  # no calendar


def test_demo_history_promises_no_date_to_stalled_opds():
    """On the demo's own plan (the items each producer delivered by each round), every OPD whose
    last-interval pace is <= 0 gets no forecast, and the others get a round after the third."""
    from pathlib import Path

    from satudata.reference.settings import load_settings
    from satudata.run import demo

    plan = demo.plan_demo()
    rows = []
    for rnd in demo.DEMO_ROUNDS:
        for p in plan.producers:
            owed, done = len(plan.items_owed(p.kode_opd)), len(plan.delivered[(p.kode_opd, rnd)])
            persen = 100 * done / owed
            rows.append({"putaran": rnd, "kode_opd": p.kode_opd, "nama_opd": p.nama_opd, "singkatan": p.kode_opd,
                         "jenis": "dinas", "wajib": owed, "terpenuhi": done, "persen": persen,
                         "zona": zone(persen)})  # fmt: skip
    settings = load_settings(Path(trends.__file__).parents[1] / "reference" / "pengaturan-contoh.toml")
    proj = trends.projection(pd.DataFrame(rows), demo.DEMO_ROUNDS[-1], settings)
    still = proj.loc[(proj["laju_terakhir"] <= 0) & (proj["persen"] < 100)]
    assert len(still) >= 5
    assert still["tanggal_hijau"].isna().all() and still["tanggal_100"].isna().all()
    assert set(still.loc[still["persen"] < 90, "status_hijau"]) == {"tidak tercapai dengan laju sekarang"}
    dated = proj.loc[proj["putaran_hijau"].notna()]
    assert len(dated) >= 1 and (dated["putaran_hijau"] >= 4).all()
    assert (pd.to_datetime(dated["tanggal_hijau"]) > pd.Timestamp(demo.DEMO_ROUNDS[-1])).all()


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
        if fmt.round_half_up(pace, 1) <= 0:  # shown as 0,0 per week: stalled, no forecast
            assert status == "tidak tercapai dengan laju sekarang"
        else:  # past the end of the budget year
            assert status == "tidak tercapai tahun ini"
            assert date(2020, 8, 27) + timedelta(days=math.ceil((target - persen) / (pace / 7) - 1e-9)) > date(
                2020, 12, 31)
        return
    assert when <= date(2020, 12, 31)
    days = (when - date(2020, 8, 27)).days
    assert persen + pace / 7 * days >= target - 1e-6
    assert persen + pace / 7 * (days - 1) < target + 1e-6
    assert when - timedelta(days=days) == date(2020, 8, 27)


def test_load_round_inputs_names_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="riwayat_progres_opd.parquet"):
        trends.load_round_inputs(tmp_path, "2020-08-27")


def test_overall_pace(riwayat):
    pace = trends.overall_pace(riwayat, ROUNDS[-1])
    # mean of A-E: 69, 71, 71 -> last interval 0 pp/week, mean (71 - 69) / 2 weeks = 1 pp/week
    assert pace["rata_rata"]["terakhir"] == pytest.approx(0.0)
    assert pace["rata_rata"]["rata_rata"] == pytest.approx(1.0)
    assert math.isnan(trends.overall_pace(riwayat, ROUNDS[0])["gabungan"]["terakhir"])


def test_no_forecast_at_a_pace_shown_as_zero_or_past_the_budget_year():
    """The issue's regional line: 0,04 points per week is shown as 0,0 and forecasts nothing; a pace that
    would reach 90 % only next year says so; a schedule without an interval bounds the forecast too."""
    from satudata.reference.settings import RoundSettings

    assert trends.forecast(70.0, 0.04, 90.0, "2020-09-24").status == "tidak tercapai dengan laju sekarang"
    assert trends.forecast(70.0, -0.04, 90.0, "2020-09-24").status == "tidak tercapai dengan laju sekarang"
    # 20 points at 1 point per week: 140 days, 11 February 2021
    assert trends.forecast(70.0, 1.0, 90.0, "2020-09-24").status == "tidak tercapai tahun ini"
    assert trends.forecast(70.0, 2.0, 90.0, "2020-09-24").tanggal == date(2020, 12, 3)
    calendar = RoundSettings(schedule=("2020-09-24", "2020-10-08", "2020-10-22"))
    assert trends.horizon("2020-09-24", calendar) == date(2020, 10, 22)
    upcoming = trends.upcoming_rounds("2020-09-24", 3, calendar)
    assert upcoming == [(2, date(2020, 10, 8)), (3, date(2020, 10, 22))]
    late = trends.forecast(70.0, 2.0, 90.0, "2020-09-24", upcoming, trends.horizon("2020-09-24", calendar))
    assert late.status == "tidak tercapai tahun ini"
    soon = trends.forecast(70.0, 5.0, 90.0, "2020-09-24", upcoming, trends.horizon("2020-09-24", calendar))
    assert (soon.putaran_ke, soon.tanggal) == (3, date(2020, 10, 22))
