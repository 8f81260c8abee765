"""What every page of a round shares: the page header (letterhead, region, title, round, build time,
compiled by) and the order of the OPDs (highest percent first)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd

from satudata.common import fmt
from satudata.reference.settings import Settings

_TZ_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def sort_progres(progres: pd.DataFrame) -> pd.DataFrame:
    """Highest percent first, OPDs that owe nothing last, ties by name."""
    frame = progres.copy()
    frame["_p"] = pd.to_numeric(frame["persen"], errors="coerce")
    frame["_n"] = frame["nama_opd"].astype(str)
    frame = frame.sort_values(["_p", "_n"], ascending=[False, True], na_position="last", kind="mergesort")
    return frame.drop(columns=["_p", "_n"]).reset_index(drop=True)


def timezone_name(settings: Settings) -> str:
    return _TZ_NAMES.get(settings.timezone, settings.timezone)


def header_context(settings: Settings, putaran: str, nomor: int, built_at: datetime,
                   title: str = "Laporan Evaluasi Satu Data") -> dict[str, Any]:
    """What the page header shows: letterhead, region, title, round, build time, compiled by; and ``kaki``, the
    print footer of every page (region, title, round date) as a CSS rule."""
    return {
        "kop": list(settings.report.letterhead), "wilayah": settings.region, "judul": title, "nomor": nomor,
        "putaran": putaran, "tanggal": fmt.tanggal(putaran), "tanggal_pendek": fmt.tanggal_pendek(putaran),
        "dibuat_iso": built_at.isoformat(),
        "dibuat": f"{fmt.waktu(built_at)} {timezone_name(settings)}", "disusun_oleh": settings.report.compiled_by,
        "kaki": print_footer_css(f"{settings.region} · {title} · {fmt.tanggal(putaran)}"),
    }


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string or the ``<style>`` element: every character
    but letters, digits, spaces and plain punctuation written as a CSS escape."""
    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;-()/·")
    return '"' + "".join(c if c in safe else f"\\{ord(c):x} " for c in text) + '"'


def print_footer_css(text: str) -> Any:
    """The rule that writes ``text`` at the foot of every printed page (left), beside the page number."""
    from markupsafe import Markup

    return Markup(f"@page {{ @bottom-left {{ content: {css_string(text)}; }} }}")  # noqa: S704 - escaped above
