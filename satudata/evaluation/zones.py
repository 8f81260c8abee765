"""Zones of progress (hijau, kuning, merah) from the unrounded percent.

The rule (DESIGN.md): hijau when percent >= ``zones.hijau`` (90), kuning when percent >=
``zones.kuning`` (50) and below hijau, merah below kuning. A missing percent (an OPD owing
nothing) has no zone. Thresholds come from the settings, never from the code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from satudata.reference.settings import ZONE_ORDER, ZoneSettings

# rank of a zone, used to say whether an OPD moved up or down
ZONE_RANK = {"merah": 1, "kuning": 2, "hijau": 3}


def zone_of(percent: float | None, zones: ZoneSettings) -> str | None:
    """The zone of one unrounded percent: ``"hijau"``, ``"kuning"``, ``"merah"`` or None."""
    if percent is None:
        return None
    value = float(percent)
    if math.isnan(value):
        return None
    if value >= zones.hijau:
        return "hijau"
    if value >= zones.kuning:
        return "kuning"
    return "merah"


def zone_series(percent: pd.Series, zones: ZoneSettings) -> pd.Series:
    """The zone of every percent in a Series (vectorised); NaN gives a missing zone."""
    values = pd.to_numeric(percent, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    out = np.select(
        [values >= zones.hijau, values >= zones.kuning, values < zones.kuning],
        ["hijau", "kuning", "merah"],
        default="",
    )
    result = pd.Series(out, index=percent.index, dtype="object")
    result[np.isnan(values)] = None
    return result.astype(pd.StringDtype(na_value=np.nan)).rename(percent.name)


def zone_direction(before: pd.Series, after: pd.Series) -> pd.Series:
    """``naik``, ``turun`` or ``tetap`` from one zone to the next; missing when either is missing."""
    rank_before = before.map(ZONE_RANK).astype("float64")
    rank_after = after.map(ZONE_RANK).astype("float64")
    out = np.select(
        [rank_after > rank_before, rank_after < rank_before, rank_after == rank_before],
        ["naik", "turun", "tetap"],
        default="",
    )
    result = pd.Series(out, index=after.index, dtype="object")
    result[np.isnan(rank_before.to_numpy()) | np.isnan(rank_after.to_numpy())] = None
    return result.astype(pd.StringDtype(na_value=np.nan))


def zone_counts(zones_column: pd.Series) -> dict[str, int]:
    """How many of each zone, in the order hijau, kuning, merah (missing zones not counted)."""
    counts = zones_column.value_counts()
    return {zone: int(counts.get(zone, 0)) for zone in ZONE_ORDER}
