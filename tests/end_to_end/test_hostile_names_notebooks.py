"""Issue 25, part 6: a producer name, an element name or a file name carrying markup (``<script>``,
``"><img onerror=...>``, ``{{ }}``, backticks) reaches the executed audit notebooks of a round as text: converted
with ``jupyter nbconvert --to html`` (as an analyst shares them) no script of the sender runs and no element
carries an event handler; the names are there, escaped. Raw and reference files are unchanged (sha256)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from satudata.run import demo

from .conftest import run_make

ROUND = demo.SMALL_ROUND
pytestmark = pytest.mark.slow

MARK = "satudata_xss"
FILE_NAME = f'Dinas Hantu "><img src=x onerror={MARK}(1)> {{{{7*7}}}} `id`.csv'
SUBMISSION = (
    f"OPD,<script>{MARK}(2)</script> Dinas Hantu\n"
    "Uraian,Satuan,2019,2020\n"
    f"<script>{MARK}(3)</script> Jumlah hantu,Unit,1,2\n"
    f'"""><img src=x onerror={MARK}(4)> Jumlah jin",Unit,3,4\n'
    f"{{{{ 7*7 }}}} `{MARK}(5)` ${{7*7}} Jumlah tuyul,Unit,5,6\n"
)


class _Scan(HTMLParser):
    """Every script's text and every event-handler attribute of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[tuple[str, str, str]] = []
        self.elements: list[str] = []
        self.text = ""  # the page's text outside scripts, as a reader sees it
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.handlers.append((tag, name, value or ""))
            if name.lower() in ("src", "href") and (value or "").strip().lower().startswith("javascript:"):
                self.handlers.append((tag, name, value or ""))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text += data


def _sha256s(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.fixture(scope="module")
def hostile_round(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("nama jahat")
    subprocess.run([sys.executable, "-m", "satudata", "demo", "--kecil", "--data-dir", str(base / "data")],
                   check=True, capture_output=True)  # fmt: skip
    (base / "data" / "raw" / ROUND / FILE_NAME).write_text(SUBMISSION, encoding="utf-8")
    before = {"raw": _sha256s(base / "data" / "raw"), "reference": _sha256s(base / "data" / "reference")}
    run_make("round", f"ROUND={ROUND}", f"DATA_DIR={base / 'data'}", f"REPORTS_DIR={base / 'reports'}")
    assert _sha256s(base / "data" / "raw") == before["raw"]
    assert _sha256s(base / "data" / "reference") == before["reference"]
    return base


@pytest.mark.parametrize("notebook", ["01_ingest", "02_progres", "03_laporan", "04_rakor"])
def test_hostile_names_in_an_executed_notebook_stay_inert_when_converted_to_html(hostile_round, tmp_path, notebook):
    executed = hostile_round / "reports" / ROUND / "notebooks" / f"{notebook}.ipynb"
    raw_notebook = executed.read_text(encoding="utf-8")
    out = tmp_path / f"{notebook}.html"
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(executed), "--output",
                    out.stem, "--output-dir", str(tmp_path)], check=True, capture_output=True, timeout=300)  # fmt: skip
    page = out.read_text(encoding="utf-8")
    scan = _Scan()
    scan.feed(page)
    assert [s for s in scan.scripts if MARK in s] == []  # no script of the sender
    assert [h for h in scan.handlers if MARK in h[2]] == []  # no event handler of the sender
    assert "<img src=x" not in page and f"<script>{MARK}" not in page
    if notebook == "01_ingest":  # the names did reach this notebook, and the page shows them as text
        assert MARK in raw_notebook
        assert MARK in scan.text, [line for line in page.splitlines() if MARK in line][:10]  # shown as text
        assert "&lt;img src=x onerror=" + MARK in page  # the file name's markup escaped
