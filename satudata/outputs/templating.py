"""Jinja2 rendering of the report's HTML: one environment, autoescaping on, the project's filters.

``report.py`` and ``annex.py`` compute plain data (numbers, names, dates, zone names); the templates
under ``satudata/outputs/templates/`` turn it into HTML. Autoescaping is on for every template, so a name
such as ``Dinas <script>`` is shown as text; only values marked safe by a template itself (a chart
already encoded by ``charts.figure_html``) pass unescaped.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from satudata.common import fmt
from satudata.common.safe_text import strip_bidi, strip_control

TEMPLATE_DIR = Path(__file__).parent / "templates"
# the zone is never told by colour alone: a symbol of its own shape and its word go with it
ZONE_SYMBOLS = {"hijau": "●", "kuning": "▲", "merah": "■"}


def _text(value: object) -> object:
    """None, NaN and pandas' NA as an en dash; everything else unchanged."""
    import math

    if value is None or value is _na():
        return "–"
    if isinstance(value, float) and math.isnan(value):
        return "–"
    return value


def _plain(value: object) -> object:
    """What every ``{{ }}`` shows: a text without bidirectional overrides or control characters (a name with
    U+202E cannot turn the text around it), then autoescaped; HTML marked safe passes as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return strip_control(strip_bidi(value))
    return value


def _na() -> object:
    import pandas as pd

    return pd.NA


@cache
def environment() -> jinja2.Environment:
    """The shared environment: files under ``templates/``, autoescape for every template."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        finalize=_plain,
    )
    env.filters.update(
        teks=_text,
        angka=fmt.angka,
        tanggal=fmt.tanggal,
        tanggal_pendek=fmt.tanggal_pendek,
    )
    env.globals["ZONE_SYMBOLS"] = ZONE_SYMBOLS
    return env


def render(name: str, **context: Any) -> str:
    """Render the template ``name`` with ``context``; the result is HTML (a plain ``str``)."""
    return str(environment().get_template(name).render(**context))


def safe(html: str) -> Markup:
    """Mark HTML built by a trusted helper (an embedded chart) as safe for a template."""
    return Markup(html)  # noqa: S704 - callers pass only HTML produced by satudata's own helpers
