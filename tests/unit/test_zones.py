"""Zone rule: hijau >= 90, kuning >= 50 and < 90, merah < 50, on the unrounded percent."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from satudata.evaluation.zones import zone_counts, zone_direction, zone_of, zone_series
from satudata.reference.settings import ZoneSettings, settings_from_dict

DEFAULT = ZoneSettings()
percents = st.floats(min_value=0, max_value=100, allow_nan=False)


@pytest.mark.parametrize(
    ("percent", "zone"),
    [(89.99, "kuning"), (90, "hijau"), (49.99, "merah"), (50, "kuning"), (100, "hijau"), (0, "merah"),
     (89.99999999, "kuning"), (None, None), (math.nan, None)],
)
def test_boundaries(percent, zone):
    assert zone_of(percent, DEFAULT) == zone
    expected = zone if zone else None
    got = zone_series(pd.Series([percent], dtype="float64"), DEFAULT).iloc[0]
    assert (pd.isna(got) and expected is None) or got == expected


@given(percents)
def test_rule_holds_for_any_percent(p):
    zone = zone_of(p, DEFAULT)
    assert zone == ("hijau" if p >= 90 else "kuning" if p >= 50 else "merah")
    assert zone_series(pd.Series([p]), DEFAULT).iloc[0] == zone


@given(percents, percents, percents)
def test_thresholds_from_settings_are_honoured(a, b, p):
    kuning, hijau = sorted((a, b))
    if kuning == hijau:
        return
    zones = settings_from_dict({"zona": {"hijau": hijau, "kuning": kuning}}).zones
    expected = "hijau" if p >= hijau else "kuning" if p >= kuning else "merah"
    assert zone_of(p, zones) == expected
    assert zone_series(pd.Series([p]), zones).iloc[0] == expected


def test_custom_thresholds_move_the_boundaries():
    zones = settings_from_dict({"zona": {"hijau": 80, "kuning": 60}}).zones
    assert [zone_of(p, zones) for p in (80, 79.99, 60, 59.99)] == ["hijau", "kuning", "kuning", "merah"]


def test_series_keeps_index_and_marks_missing():
    s = zone_series(pd.Series([95.0, None, 10.0], index=["a", "b", "c"]), DEFAULT)
    assert list(s.index) == ["a", "b", "c"]
    assert s["a"] == "hijau" and pd.isna(s["b"]) and s["c"] == "merah"


def test_direction_and_counts():
    before = pd.Series(["merah", "hijau", "kuning", None, "kuning"])
    after = pd.Series(["kuning", "kuning", "kuning", "hijau", None])
    d = zone_direction(before, after)
    assert list(d.iloc[:3]) == ["naik", "turun", "tetap"] and d.iloc[3:].isna().all()
    assert zone_counts(pd.Series(["hijau", "hijau", None, "merah"])) == {"hijau": 2, "kuning": 0, "merah": 1}
