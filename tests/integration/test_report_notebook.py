"""The report notebook run by papermill on a small synthetic round, then converted to HTML.

Three kernel runs in all: two builds of the same round (determinism) and one failing run.
"""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import pandas as pd
import papermill as pm
import pytest
from jupyter_client.kernelspec import find_kernel_specs

from satudata.outputs import report
from tests.integration.test_report_round_data import EXPECTED, ROUND, write_round

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "03_laporan.ipynb"
pytestmark = pytest.mark.slow


def kernel_name() -> str:
    return "satudata" if "satudata" in find_kernel_specs() else "python3"


def build(data_dir: Path, reports_dir: Path, putaran: str = ROUND) -> Path:
    """Execute the notebook like the pipeline does, then convert it; returns the HTML path."""
    executed = reports_dir / putaran / "notebooks" / "03_laporan.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    env_before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(ROOT) + (os.pathsep + env_before if env_before else "")
    try:
        pm.execute_notebook(
            str(NOTEBOOK), str(executed), kernel_name=kernel_name(), progress_bar=False, cwd=str(reports_dir),
            parameters={"putaran": putaran, "data_dir": str(data_dir), "reports_dir": str(reports_dir),
                        "settings_file": ""},
        )
    finally:
        if env_before is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = env_before
    return report.notebook_to_html(executed, reports_dir / putaran / f"laporan-evaluasi-{putaran}.html",
                                   f"Laporan Evaluasi Satu Data {putaran}")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("laporan")
    data_dir = write_round(root / "data")
    reports_dir = root / "reports"
    first = build(data_dir, reports_dir).read_text(encoding="utf-8")
    second_path = build(data_dir, reports_dir)
    return {"data": data_dir, "reports": reports_dir, "first": first,
            "html": second_path.read_text(encoding="utf-8")}


def _png_size(path: Path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


def test_no_request_to_another_host(built):
    html = built["html"]
    assert report.external_references(html) == []
    targets = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]+)""", html)
    targets += re.findall(r"""url\(\s*["']?([^"')]+)""", html)
    assert targets, "the report has images and links"
    assert not [t for t in targets if re.match(r"(?i)(https?:)?//", t)]
    assert "@import" not in html


def _entries(html: str) -> dict[str, str]:
    """kode_opd -> the OPD's whole entry (row and card) in the OPD list."""
    return {m.group(1): m.group(0)
            for m in re.finditer(r'<details class="opd"[^>]*\bid="opd-(\w+)"[^>]*>.*?</details>', html, re.S)}


def test_every_opd_appears_with_its_percent(built):
    html = built["html"]
    entries = _entries(html)
    assert set(entries) == {"O1", "O2", "O3", "O4", "O5", "O6"}
    for kode, (shown, zone) in EXPECTED.items():
        row = entries[kode].split("</summary>")[0]
        assert f"</span> {shown} %</span>" in row, (kode, row)
        assert f"</span> {zone.capitalize()}</span>" in row
    assert "Tanpa zona" in entries["O6"]
    # the dangerous name is text, never markup
    assert "<script>alert(1)</script>" not in html
    assert "Dinas &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html


def test_perlu_perhatian_names_merah_stalled_and_falling_first(built):
    html = built["html"]
    block = html[re.search(r'<section [^>]*class="perhatian"', html).start():]
    block = block[: block.index("</section>")]
    names = re.findall(r'<a class="nama" href="#opd-(\w+)">', block)
    # Kecamatan Demak 10 % merah and stalled; Bappeda fell from 92 to 50; the one list of OPDs to act on also
    # holds O3 (89,95 %: kuning, one item from hijau) and O2 (hijau but below 100 % and stalled)
    # (a kuning OPD with no other reason is one short entry after the full lines)
    assert names == ["O5", "O4", "O2", "O3"]
    assert re.search(r'1 OPD zona kuning lainnya .*href="#opd-O3">[^<]*</a> 1\.</p>', block)
    assert "tidak bergerak (0,0 poin)" in block and "■</span> Merah" in block
    assert "turun (−42,0 poin)" in block
    assert "masih kurang <strong>9</strong> dari 10 butir" in block
    assert "masih kurang <strong>5</strong> dari 10 butir" in block
    # headline: the mean of the OPD percents, the pooled figure beside it
    assert "68,0 %" in block  # (100 + 90 + 89.95 + 50 + 10) / 5 = 67.99, rounded half up
    assert "gabungan butir 89,4 % (1.833 dari 2.050 butir)" in block
    assert html.index('class="perhatian"') < html.index('id="daftar-isi"') < html.index('id="daftar-opd"')
    # the block names only OPDs of the list, each linking to its card
    assert all(f'id="opd-{kode}"' in html for kode in names)


def test_summary_zone_counts_equal_progres_opd(built):
    progres = pd.read_parquet(built["data"] / "processed" / ROUND / "progres_opd.parquet")
    expected = progres["zona"].value_counts().to_dict()
    counts = {z: int(n) for z, n in re.findall(r'data-zona="(\w+)">(\d+)<', built["html"])}
    assert counts == {"hijau": expected["hijau"], "kuning": expected["kuning"], "merah": expected["merah"]}
    assert counts == {"hijau": 2, "kuning": 2, "merah": 1}
    assert "Putaran ke-2" in built["html"] and "Kamis, 27 Agustus 2020" in built["html"]
    assert "Kabupaten Contoh &amp; &lt;Uji&gt;" in built["html"]


def test_two_builds_differ_only_in_build_time(built):
    pattern = re.compile(r'<time class="waktu-bangun" datetime="[^"]*">[^<]*</time>')
    assert len(pattern.findall(built["first"])) == 1
    assert pattern.sub("", built["first"]) == pattern.sub("", built["html"])


def test_charts_saved_and_embedded(built):
    grafik = built["reports"] / ROUND / "grafik"
    assert _png_size(grafik / f"zona-{ROUND}.png") == (1920, 1080)
    assert _png_size(grafik / f"peta-panas-{ROUND}.png")[0] == 1920
    images = re.findall(r"<img\b[^>]*>", built["html"])
    # the zone chart for a screen and the one drawn for a phone (360 px); the OPD x urusan grid is in the annex
    assert len(images) == 2
    assert 'width="1920"' in images[0] and 'width="360"' in images[1] and "data-huruf" in images[1]
    assert all('src="data:image/png;base64,' in img for img in images)
    annex = (built["reports"] / ROUND / f"lampiran-{ROUND}.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<img\b[^>]*src="data:image/png;base64,', annex)) == 1


def test_sections_of_the_report_and_of_its_annex(built):
    html = built["html"]
    toc = re.search(r'<nav id="daftar-isi".*?</nav>', html, re.S).group(0)
    titles = re.findall(r'<a href="#[^"]+">([^<]+)</a>', toc)
    assert titles == ["Perlu perhatian", "Zona", "Progres per OPD", "Capaian per urusan", "Lampiran teknis"]
    assert f'<a href="lampiran-{ROUND}.html">lampiran-{ROUND}.html</a>' in html
    for technical in ("SHA-256</th>", "ab" * 32, "cd" * 32, "Perhitungan baris", "Versi paket"):
        assert technical not in html, technical
    annex = (built["reports"] / ROUND / f"lampiran-{ROUND}.html").read_text(encoding="utf-8")
    assert f'<a href="laporan-evaluasi-{ROUND}.html">' in annex
    for title in ("Perhitungan baris dan sel", "Masalah per OPD", "Pencocokan nama untuk diperiksa",
                  "Kualitas nilai", "Kualitas katalog", "Kelengkapan per OPD dan urusan", "Asal-usul laporan"):
        assert f">{title}</h2>" in annex, title
    assert "2 nama dicocokkan menurut kemiripan tulisan" in annex
    assert "Semua baris terhitung" in annex
    assert "ab" * 32 in annex and "cd" * 32 in annex  # catalogue version, input file checksum
    assert "<script" not in annex and report.external_references(annex) == []


def test_opd_cards_hold_history_owed_items_and_issues(built):
    entries = _entries(built["html"])
    assert len(entries) == 6
    card = entries["O5"]
    assert "13 Agustus 2020" in card and "27 Agustus 2020" in card  # both rounds of its history
    assert "Masih kurang: 9 butir" in card
    assert "Mencapai zona hijau: <strong>tidak tercapai dengan laju sekarang</strong>" in card  # pace 0
    assert "Kamis, 13 Agustus 2020" in built["html"]  # previous round named in the change
    assert "Masih kurang: 0 butir" in entries["O1"] and "sudah tercapai" in entries["O1"]


def test_no_absolute_path_in_any_output(built):
    folder = built["reports"] / ROUND
    roots = {str(built["data"]), str(built["reports"]), str(ROOT), str(Path.home())}
    for path in [*folder.glob("*.html"), *(folder / "unduh").glob("*.csv")]:
        text = path.read_text(encoding="utf-8")
        for root in roots:
            assert root not in text, (path.name, root)


def test_download_links_point_to_files_with_numbers_as_numbers(built):
    import base64

    from openpyxl import load_workbook

    folder = built["reports"] / ROUND
    # embedded in the report (a report forwarded alone still holds its tables), the same bytes as the files
    found = re.findall(r'<a download="([^"]+)" href="data:[^;]+;base64,([^"]+)">', built["html"])
    links = [f"unduh/{name}" for name, _ in found]
    assert links == [f"unduh/progres-opd-{ROUND}.xlsx", f"unduh/progres-opd-{ROUND}.csv",
                     f"unduh/butir-kurang-{ROUND}.xlsx", f"unduh/butir-kurang-{ROUND}.csv"]
    assert all((folder / link).read_bytes() == base64.b64decode(data) for link, (_, data) in zip(links, found,
                                                                                                 strict=True))
    ws = load_workbook(folder / links[0]).active
    header = [c.value for c in ws[1]]
    rows = {r[header.index("Kode OPD")]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["O3"][header.index("Persen")] == 89.95 and rows["O3"][header.index("Butir wajib")] == 2000
    assert rows["O4"][header.index("Perubahan (poin)")] == -42.0
    assert ws.cell(row=2, column=header.index("Persen") + 1).number_format == "0.0"


def test_failed_run_leaves_no_report(tmp_path):
    data_dir = write_round(tmp_path / "data")
    (data_dir / "processed" / ROUND / "progres_opd.parquet").unlink()
    reports_dir = tmp_path / "reports"
    with pytest.raises(pm.PapermillExecutionError, match="progres_opd.parquet"):
        build(data_dir, reports_dir)
    executed = reports_dir / ROUND / "notebooks" / "03_laporan.ipynb"
    assert executed.exists()  # kept for audit, with the error
    with pytest.raises(report.NotebookFailedError, match="FileNotFoundError"):
        report.notebook_to_html(executed, reports_dir / ROUND / "laporan.html", "x")
    assert not list((reports_dir / ROUND).glob("*.html"))


def test_every_zone_colour_comes_with_its_symbol(built):
    """Colour never says the zone alone: each element coloured by zone also carries ● ▲ or ■."""
    html = built["html"] + (built["reports"] / ROUND / f"lampiran-{ROUND}.html").read_text(encoding="utf-8")
    coloured = re.findall(r'<(span|td)\b[^>]*\bstyle="background:#[0-9A-Fa-f]{6};color:#[0-9A-Fa-f]{6}"[^>]*>(.*?)</\1>',
                          html, re.S)
    assert len(coloured) > 20
    symbols = {"●", "▲", "■"}
    assert all(symbols & set(inner) for _tag, inner in coloured), [i for _t, i in coloured if not symbols & set(i)][:3]
    words = re.sub(r"<[^>]+>", "", built["html"])
    assert words.count("■ Merah") >= 2 and words.count("▲ Kuning") >= 2 and words.count("● Hijau") >= 2
