"""Indonesian formatting of dates and numbers (through babel).

Percents are shown truncated, never rounded up, so a displayed value never contradicts its
zone: 89.95 % is shown as ``89,9`` (kuning), not ``90,0``.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "id_ID"


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def tanggal(value: date | datetime | str) -> str:
    """``Kamis, 27 Agustus 2020``."""
    return format_date(_as_date(value), format="full", locale=LOCALE)


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


def truncate(value: float, decimals: int = 1) -> float:
    """Cut (never round) to ``decimals`` places, with a tolerance for float noise."""
    factor = 10**decimals
    return math.floor(value * factor + 1e-9) / factor


def persen(value: float | None, decimals: int = 1, sign: bool = False) -> str:
    """A percent for display, truncated so it never crosses a zone boundary: ``89,9``.

    With ``sign`` the value is a change in percentage points: ``+12,5`` / ``-3,0``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if sign:
        magnitude = truncate(abs(value), decimals)
        text = angka(magnitude, decimals)
        if magnitude == 0:
            return text
        return ("+" if value > 0 else "−") + text
    return angka(truncate(value, decimals), decimals)


def skor(value: float) -> str:
    """A matching score as computed, cut (never rounded) to two decimals: ``84,78``, never ``85``, so a
    score shown beside a threshold is on the same side of it as the score itself."""
    return format_decimal(math.floor(float(value) * 100) / 100, format="0.##", locale=LOCALE)
