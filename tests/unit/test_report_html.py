"""HTML conversion: the project's template, offline, no code, TOC, refusal of failed notebooks."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from satudata.outputs import report

PNG_1PX = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def _notebook(error: bool = False):
    header = new_code_cell("display(HTML(header))", outputs=[new_output(
        "display_data", data={"text/html": '<h1 id="judul">Judul</h1>' + report.TOC_PLACEHOLDER})])
    chart = new_code_cell("SECRET_CODE = 1", outputs=[
        new_output("display_data", data={"image/png": PNG_1PX, "text/plain": "<Figure>"}),
        new_output("stream", name="stderr", text="UserWarning: noisy\n"),
    ])
    cells = [
        new_code_cell('putaran = "2020-08-27"', metadata={"tags": ["parameters"]}),
        header,
        new_markdown_cell("## Ringkasan & angka\n\nTeks."),
        chart,
        new_markdown_cell("### Rincian"),
        new_markdown_cell("## Lampiran"),
    ]
    if error:
        cells.append(new_code_cell("1/0", outputs=[new_output("error", ename="ZeroDivisionError",
                                                              evalue="division by zero", traceback=[])]))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


@pytest.fixture(scope="module")
def html_text(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("html")
    source = folder / "nb.ipynb"
    nbformat.write(_notebook(), source)
    out = report.notebook_to_html(source, folder / "out" / "laporan.html", "Laporan <uji>")
    return out.read_text(encoding="utf-8")


def test_html_is_offline_indonesian_and_without_code(html_text):
    assert report.external_references(html_text) == []
    assert '<html lang="id">' in html_text
    assert "<title>Laporan &lt;uji&gt;</title>" in html_text
    assert "SECRET_CODE" not in html_text and "putaran = " not in html_text
    assert "noisy" not in html_text  # stderr dropped
    assert "require.js" not in html_text and "MathJax" not in html_text and "mermaid" not in html_text
    assert re.search(r"<script[^>]*\ssrc=", html_text) is None
    assert "size: A4 portrait" in html_text and 'counter(page) " dari " counter(pages)' in html_text
    assert "data:image/png;base64," + PNG_1PX[:20] in html_text
    assert "In&nbsp;[" not in html_text and "jp-InputPrompt" not in html_text.split("</style>")[-1]


def test_html_has_toc_in_place_of_placeholder(html_text):
    nav = re.search(r'<nav id="daftar-isi" class="daftar-isi">(.*?)</nav>', html_text, re.S)
    assert nav is not None
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav.group(1))
    assert [text for _a, text in links] == ["Ringkasan &amp; angka", "Rincian", "Lampiran"]
    for anchor, _text in links:
        assert f'id="{anchor}"' in html_text
    # the TOC comes after the title, and only once
    assert html_text.index('id="judul"') < html_text.index('id="daftar-isi"')
    assert html_text.count('id="daftar-isi"') == 1


def test_cell_ids_are_stable(html_text):
    ids = re.findall(r'id="cell-id=([^"]+)"', html_text)
    assert ids and all(re.fullmatch(r"sel-\d+", i) for i in ids)


def test_failed_notebook_is_refused_and_nothing_written(tmp_path):
    source = tmp_path / "nb.ipynb"
    nbformat.write(_notebook(error=True), source)
    target = tmp_path / "laporan.html"
    with pytest.raises(report.NotebookFailedError, match="ZeroDivisionError"):
        report.notebook_to_html(source, target, "x")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]


@pytest.mark.parametrize(
    ("snippet", "found"),
    [
        ('<script src="https://cdn.example/require.js"></script>', ["https://cdn.example/require.js"]),
        ("<link href='//fonts.example/css' rel=stylesheet>", ["//fonts.example/css"]),
        ("<style>body { background: url( 'http://x.example/a.png' ) }</style>", ["http://x.example/a.png"]),
        ('<style>@import "https://x.example/a.css";</style>', ["https://x.example/a.css"]),
        ("<img src=http://x.example/a.png>", ["http://x.example/a.png"]),
        ('<a href="#Ringkasan">x</a><img src="data:image/png;base64,AAA">', []),
        ("<p>lihat https://bps.go.id dan href=&quot;https://x&quot;</p>", []),
        ('<div data-zona="hijau">', []),
    ],
)
def test_external_references(snippet, found):
    assert report.external_references(snippet) == found


def test_toc_without_placeholder_goes_to_start_of_main():
    body = '<body><main><h2 id="A">A<a class="anchor-link" href="#A">¶</a></h2><h4 id="B">B</h4></main>'
    out = report.insert_toc(body)
    assert out.startswith('<body><main><nav id="daftar-isi"')
    assert '<li class="toc-2"><a href="#A">A</a></li>' in out and "#B" not in out


def test_a_bidi_override_in_a_name_cannot_turn_the_report_text_around():
    from satudata.outputs.templating import environment

    html = environment().from_string("<p>{{ name }}</p>").render(name="Dinas \u202eKesehatan\x01<script>")
    assert html == "<p>Dinas Kesehatan&lt;script&gt;</p>"
