"""The parts every HTML section is made of (paragraphs, sub-headings, tables), rendered through the
``bagian.html.j2`` template with every text escaped. The report, the annex and the reconciliation section
build their sections from these."""

from __future__ import annotations

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
