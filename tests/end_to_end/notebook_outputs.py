"""Reading what an executed notebook shows: pandas tables (DataFrame or Styler HTML) and images."""

from __future__ import annotations

from html.parser import HTMLParser

import nbformat


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self._hidden += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "style":
            self._hidden -= 1
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    """Every row of the first table in ``html`` as cell texts (header row first)."""
    parser = _Rows()
    parser.feed(html)
    return [r for r in parser.rows if r]


def is_pandas_table(html: str) -> bool:
    """A DataFrame (``class="dataframe"``) or a pandas Styler (``<table id="T_...">``)."""
    return 'class="dataframe"' in html or '<table id="T_' in html


def outputs(path, kind: str) -> list[str]:
    """Every output of ``kind`` (``text/html``, ``image/png``) of the notebook at ``path``."""
    nb = nbformat.read(path, as_version=4)
    return [o["data"][kind] for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if kind in o.get("data", {})]


def output_of(path, needle: str, kind: str = "text/html") -> str:
    """The output of ``kind`` of the first code cell whose source contains ``needle``."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and needle in cell.source:
            for o in cell.outputs:
                if kind in o.get("data", {}):
                    return o["data"][kind]
    raise AssertionError(f"no {kind} output for a cell containing {needle!r} in {path}")
