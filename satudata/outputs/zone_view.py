"""How a zone is shown in the HTML pages: its colour, a symbol of its own shape and its word.

Colour never says the zone alone: every badge and every zone-coloured cell carries the symbol
(``●`` hijau, ``▲`` kuning, ``■`` merah) and the label from the settings. Table helpers build the
plain data (headers, rows, cells) that ``templates/_macros.html.j2`` renders with autoescaping.
"""

from __future__ import annotations

import re
from typing import Any

from satudata.outputs.templating import ZONE_SYMBOLS
from satudata.reference.settings import Settings

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{3,8}$")
GREY = "#9E9E9E"


def colour(settings: Settings, zone: object) -> str:
    """The zone's colour from the settings, only if it is a plain hex colour (else grey)."""
    value = settings.zones.colours.get(str(zone), "")
    return value if _COLOUR.match(value) else GREY


def ink(background: str) -> str:
    """Black or white text on ``background``, whichever reads better."""
    from satudata.outputs.charts import text_colour

    return text_colour(background)


def zone_label(settings: Settings, zone: object) -> str:
    """The zone's label from the settings (``Hijau``), or an en dash when there is no zone."""
    if not isinstance(zone, str) or not zone:
        return "–"
    return settings.zones.labels.get(zone, zone)


def zone_view(settings: Settings, zone: object) -> dict[str, str] | None:
    """What a template needs to show a zone: key, label, symbol, background and text colour."""
    if not isinstance(zone, str) or zone not in settings.zones.colours:
        return None
    bg = colour(settings, zone)
    return {"key": zone, "label": zone_label(settings, zone), "symbol": ZONE_SYMBOLS.get(zone, "◆"),
            "bg": bg, "ink": ink(bg)}


def zone_text(settings: Settings, zone: object) -> str:
    """The zone as plain text with its symbol (``■ Merah``), for text without colour."""
    view = zone_view(settings, zone)
    return f"{view['symbol']} {view['label']}" if view else "–"


def zone_cell(settings: Settings, zone: object, text: str, sort: object = None) -> dict[str, Any]:
    """A table cell coloured by zone, with the zone's symbol before ``text``."""
    view = zone_view(settings, zone)
    if view is None:
        return {"text": text, "css": "angka", "sort": sort}
    return {"text": text, "zone": view, "sort": sort}


def cell(text: object, css: str = "", sort: object = None) -> dict[str, Any]:
    """A table cell with a CSS class (``berkas`` for file names) and an optional sort key."""
    return {"text": text, "css": css, "sort": sort}


def table(headers: list[str], rows: list[list[object]], css: str = "",
          numeric: set[int] | None = None) -> dict[str, Any]:
    """A table as plain data for the ``table`` macro: headers, rows of values or cells, numeric columns."""
    return {"headers": headers, "rows": rows, "css": css, "numeric": set(numeric or ())}
