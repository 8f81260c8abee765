"""The parts every HTML section is made of (paragraphs, sub-headings, tables), rendered through the
``bagian.html.j2`` template with every text escaped. The report, the annex and the reconciliation section
build their sections from these."""

from __future__ import annotations

import re
from typing import Any

from satudata.outputs.templating import render
from satudata.outputs.zone_view import table


def paragraph(text: str, css: str = "") -> dict[str, Any]:
    """A paragraph (``css`` a class such as ``peringatan``)."""
    return {"kind": "p", "text": text, "css": css}


def subheading(text: str) -> dict[str, Any]:
    """A sub-heading inside a section."""
    return {"kind": "h3", "text": text}


def table_part(headers: list[str], rows: list[list[object]], css: str = "", numeric: set[int] | None = None) -> dict:
    """A table; ``numeric`` the column indexes aligned as numbers."""
    return {"kind": "table", "table": table(headers, rows, css, numeric)}


def render_parts(parts: list[dict[str, Any]]) -> str:
    """Paragraphs, sub-headings and tables rendered in order (every text escaped)."""
    return render("bagian.html.j2", parts=parts)


_TABLE = re.compile(r"<table\b.*?</table>", re.S)
_HEAD_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S)
_CELL = re.compile(r"<td\b(?![^>]*\bdata-label=)")


def label_cells(page: str) -> str:
    """Every body cell of every table of ``page`` (HTML the project rendered, text already escaped) names its
    column in ``data-label``, the header's text: on a phone the stylesheet shows a wide table as one card per
    row, each value after its column's name, so that no table scrolls inside its box."""

    def table(match: re.Match) -> str:
        text = match.group(0)
        head, sep, body = text.partition("</thead>")
        if not sep:
            return text
        labels = [re.sub(r"<[^>]+>", "", h).strip().replace('"', "&#34;") for h in _HEAD_CELL.findall(head)]

        def row(r: re.Match) -> str:
            names = iter(labels)
            return _CELL.sub(lambda _: f'<td data-label="{next(names, "")}"', r.group(0))

        return head + sep + _ROW.sub(row, body)

    return _TABLE.sub(table, page)
