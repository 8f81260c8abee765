"""Tables of an HTML page as rows of text: the web exports that arrive named ``.xls``."""

from __future__ import annotations

from html.parser import HTMLParser

from satudata.formats import read_limits
from satudata.formats.read_errors import too_big
from satudata.formats.read_limits import ReadLimits


class TableParser(HTMLParser):
    """Tables of an HTML page as rows of text; ``colspan`` widens a row (bounded by the limits),
    ``rowspan`` is not expanded (it costs nothing)."""

    def __init__(self, file: str = "", limits: ReadLimits | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._file = file
        self._limits = read_limits.current(limits)
        self._cells = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in {"td", "th"} and self._row is not None:
            self._cell = []
            span = (dict(attrs).get("colspan") or "").strip()
            self._span = int(span) if span.isdigit() and len(span) < 12 else 1
            width = len(self._row) + self._span
            self._cells += self._span
            if width > self._limits.max_columns:
                raise too_big(self._file, "jumlah kolom satu baris tabel HTML (colspan)", width, "max_columns",
                              self._limits.max_columns)  # fmt: skip
            if self._cells > self._limits.max_cells:
                raise too_big(self._file, "jumlah sel tabel HTML", self._cells, "max_cells", self._limits.max_cells)
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._row.extend([""] * (self._span - 1))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
