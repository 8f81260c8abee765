"""Indonesian formatting of dates and numbers (through babel).

Percents are shown rounded half up (66.666 shows as ``66,7``), except where rounding up would
carry a value over a zone threshold (or to 100): then it is cut, so a displayed value never
contradicts its zone: 89.95 % is shown as ``89,9`` (kuning), not ``90,0``. The thresholds come
from the settings (:func:`zone_thresholds`); without them the default zones (50, 90) are used.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "id_ID"
# the default zone thresholds (kuning, hijau) and 100: a shown percent never rounds up onto one
DEFAULT_THRESHOLDS = (50.0, 90.0, 100.0)


class _Zones(Protocol):
    hijau: float
    kuning: float


def load_locale_data() -> None:
    """Read babel's Indonesian locale data now (it is read from disk on first use, about 10 ms). Ingestion
    calls it before forking its reading workers, which then share it instead of each reading it again."""
    format_decimal(1234.5, locale=LOCALE)


def zone_thresholds(zones: _Zones) -> tuple[float, ...]:
    """The values a shown percent must not round up onto: the zones' thresholds (``settings.zones``) and 100."""
    return tuple(sorted({float(zones.kuning), float(zones.hijau), 100.0}))


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def tanggal(value: date | datetime | str) -> str:
    """``Kamis, 27 Agustus 2020``."""
    return format_date(_as_date(value), format="EEEE, d MMMM y", locale=LOCALE)  # no leading zero: "7 September"


def tanggal_pendek(value: date | datetime | str) -> str:
    """``27 Agustus 2020``."""
    return format_date(_as_date(value), format="d MMMM y", locale=LOCALE)


def waktu(value: datetime) -> str:
    """``Kamis, 27 Agustus 2020 pukul 09.30 WIB``-style build time (time zone name as given)."""
    return format_datetime(value, format="EEEE, d MMMM y 'pukul' HH.mm", locale=LOCALE)


def angka(value: float | int | None, decimals: int | None = None) -> str:
    """``1.234,5``; ``decimals`` fixes the number of decimals; None gives ``–``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        return format_decimal(value, locale=LOCALE)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALE, decimal_quantization=True)


def number(value: object) -> float | None:
    """``value`` as a float, or None when it is missing (None, NaN, NA) or not a number."""
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def truncate(value: float, decimals: int = 1) -> float:
    """Cut (never round) to ``decimals`` places, with a tolerance for float noise."""
    factor = 10**decimals
    return math.floor(value * factor + 1e-9) / factor


def round_half_up(value: float, decimals: int = 1) -> float:
    """Round half up as people do on paper (66.65 -> 66.7), on the shortest decimal text of the float."""
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


def round_percent(value: float, decimals: int = 1, thresholds: Iterable[float] = DEFAULT_THRESHOLDS) -> float:
    """A percent rounded half up for display, or cut where rounding would reach a threshold it is below.

    ``round_percent(66.666) == 66.7``; ``round_percent(89.95) == 89.9`` (90 is hijau); with
    ``thresholds=(60, 80)`` 79.96 gives 79.9 and 89.96 gives 90.0.
    """
    shown = round_half_up(value, decimals)
    below = [t for t in thresholds if value < t <= shown]
    if not below:
        return shown
    cut = truncate(value, decimals)
    step = 10.0**-decimals
    for t in below:  # float noise (49.999999999999986) must not cut onto the threshold either
        if cut >= t:
            cut = round(t - step, decimals)
    return cut


def persen(
    value: float | None, decimals: int = 1, sign: bool = False, thresholds: Iterable[float] = DEFAULT_THRESHOLDS
) -> str:
    """A percent for display (see :func:`round_percent`): ``66,7``, ``89,9``.

    With ``sign`` the value is a change in percentage points, rounded half up: ``+12,5`` / ``−3,0``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if sign:
        magnitude = round_half_up(abs(value), decimals)
        text = angka(magnitude, decimals)
        if magnitude == 0:
            return text
        return ("+" if value > 0 else "−") + text
    return angka(round_percent(value, decimals, thresholds), decimals)


def persen_zona(value: float | None, zones: _Zones, decimals: int = 1) -> str:
    """A percent shown beside its zone, with the region's thresholds (``settings.zones``)."""
    return persen(value, decimals, thresholds=zone_thresholds(zones))


def skor(value: float) -> str:
    """A matching score as computed, cut (never rounded) to two decimals: ``84,78``, never ``85``, so a
    score shown beside a threshold is on the same side of it as the score itself."""
    return format_decimal(math.floor(float(value) * 100) / 100, format="0.##", locale=LOCALE)
