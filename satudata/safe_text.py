"""Text made safe for the files people open: no formula in a CSV field, no control character for the
workbook and slide writers (openpyxl and python-pptx refuse NUL, ``\\x01``, ...), escaped in HTML.

A CSV field that starts with ``=`` ``+`` ``-`` ``@`` (or a tab or carriage return) is evaluated by Excel
as a formula; it gets a leading apostrophe, as OWASP advises. Only text is touched: a number (also a
negative one) stays a number. The workbooks need no prefix: :func:`satudata.feedback.put` stores text
as text, never as a formula.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # what XML 1.0 and openpyxl refuse (tab, newlines kept)


def strip_control(text: str) -> str:
    """``text`` without control characters (tab and line breaks kept)."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def csv_field(value: Any) -> Any:
    """A value as it may go into a CSV: formula-leading text gets a leading ``'``, control characters go."""
    if not isinstance(value, str):
        return value
    value = strip_control(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are safe to open in Excel (:func:`csv_field`)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(csv_field, na_action="ignore")
    out.columns = [csv_field(c) for c in out.columns]
    return out


# float columns holding percents, changes in points and scores: written to CSV_DECIMALS places, so that
# 18.400000000000006 is written 18.4 (still a number); other values are written as computed
ROUNDED_COLUMNS = re.compile(r"^(persen|selisih|skor|rata_rata|gabungan|laju|kelengkapan|validitas|konsistensi|"
                             r"ketepatan|standar)")  # fmt: skip
CSV_DECIMALS = 6


def without_float_noise(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its percent, change and score columns rounded to :data:`CSV_DECIMALS` places."""
    out = frame.copy()
    for col in out.columns:
        if ROUNDED_COLUMNS.match(str(col)) and pd.api.types.is_float_dtype(out[col].dtype):
            out[col] = out[col].round(CSV_DECIMALS)
    return out


def to_csv(frame: pd.DataFrame, path: Any, output: Any = None, **kwargs: Any) -> None:
    """``frame.to_csv(path, **kwargs)`` with every text field made safe (:func:`csv_safe`) and no float noise
    (:func:`without_float_noise`); ``output`` (``settings.output``) gives the separator: ``;`` writes ``,``
    decimals, as Excel with Indonesian settings reads them."""
    if output is not None and output.csv_separator != ",":
        kwargs = {"sep": output.csv_separator, "decimal": output.csv_decimal, **kwargs}
    csv_safe(without_float_noise(frame)).to_csv(path, **kwargs)
