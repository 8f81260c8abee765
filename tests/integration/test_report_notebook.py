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

from satudata import report
from tests.integration.test_report_round_data import EXPECTED, PREVIOUS, ROUND, SCRIPT_NAME, write_round

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


def test_every_opd_appears_with_its_percent(built):
    html = built["html"]
    table = html[html.index('class="tabel-opd"'):]
    table = table[: table.index("</table>")]
    for kode, (shown, zone) in EXPECTED.items():
        name = {"O1": "Dinas Kesehatan", "O2": "Dinas Pendidikan dan Kebudayaan", "O3": SCRIPT_NAME,
                "O4": "Bappeda", "O5": "Kecamatan Demak"}[kode]
        row = next(r for r in re.findall(r"<tr>(.*?)</tr>", table) if f">{report.esc(name)}</td>" in r)
        assert f">{shown}</td>" in row, (kode, row)
        assert f">{zone.capitalize()}</td>" in row
    assert "Dinas Pariwisata" in table
    # the dangerous name is text, never markup
    assert "<script>alert(1)</script>" not in html
    assert "Dinas &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html


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
    assert len(images) == 2
    assert all('src="data:image/png;base64,' in img for img in images)


def test_sections_quality_appendix_and_provenance(built):
    html = built["html"]
    toc = re.search(r'<nav id="daftar-isi".*?</nav>', html, re.S).group(0)
    for title in ("Ringkasan", "Zona setiap OPD", "Komposisi zona", "Progres per OPD", "Kualitas data",
                  "Kecocokan fuzzy untuk diperiksa", "Perhitungan baris", "Lampiran", "Asal-usul laporan"):
        assert f">{title}</a>" in toc
    assert "2 nama elemen dicocokkan secara fuzzy" in html
    assert "Semua baris terhitung" in html
    assert html.count("<details>") == 4  # O2, O3, O4, O5 miss items; O1 is complete, O6 owes nothing
    assert "201 butir belum terpenuhi" in html
    assert "ab" * 32 in html and "cd" * 32 in html  # catalogue version, input file checksum
    assert "Kamis, 13 Agustus 2020" in html  # previous round named in the change
    assert PREVIOUS not in html.split('class="tabel-opd"')[1].split("</table>")[0]


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
