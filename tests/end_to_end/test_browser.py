"""The report in a real browser: headless Chromium, offline, no console error, images decoded."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from satudata.outputs import browser_check
from tests.integration.test_report_notebook import build
from tests.integration.test_report_round_data import write_round

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chromium() -> str:
    path = browser_check.ensure_chromium()
    if path is None:
        pytest.skip("Chromium tidak tersedia dan tidak dapat dipasang di mesin ini.")
    return path


def _png_size(path: Path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


def test_report_opens_offline_without_errors(chromium, tmp_path, capsys):
    data_dir = write_round(tmp_path / "data")
    html = build(data_dir, tmp_path / "reports")
    shot = tmp_path / "tangkapan" / "laporan.png"
    result = browser_check.check_page(html, shot, chromium=chromium)
    assert result.console_errors == []
    assert result.external_requests == []
    # the zone chart for a screen and the one drawn for a phone (the OPD x urusan grid is in the annex)
    assert len(result.images) == 2
    assert all(img["ok"] and img["width"] > 0 for img in result.images)
    assert {img["width"] for img in result.images} == {1920, 360}
    annex = browser_check.check_page(html.with_name("lampiran-2020-08-27.html"), shot.with_name("lampiran.png"),
                                     chromium=chromium)
    assert annex.ok and len(annex.images) == 1
    assert result.title == "Laporan Evaluasi Satu Data 27 Agustus 2020"
    width, height = _png_size(shot)
    assert width == browser_check.VIEWPORT[0]
    assert height == result.page_height and height > 1500  # the whole page, not one screen
    assert browser_check.main(html, shot) == 0
    assert "HASIL: baik" in capsys.readouterr().out


def test_checker_catches_errors_broken_images_and_requests(chromium, tmp_path):
    page = tmp_path / "rusak.html"
    page.write_text(
        '<!DOCTYPE html><html lang="id"><head><title>rusak</title>'
        '<link rel="stylesheet" href="https://cdn.contoh.invalid/gaya.css"></head><body>'
        '<img alt="hilang" src="tidak-ada.png"><img alt="baik" src="data:image/png;base64,'
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==">'
        '<script>console.error("galat uji");</script></body></html>',
        encoding="utf-8",
    )
    result = browser_check.check_page(page, tmp_path / "rusak.png", chromium=chromium)
    assert not result.ok
    assert any("galat uji" in e for e in result.console_errors)
    assert [img["alt"] for img in result.broken_images] == ["hilang"]
    assert "https://cdn.contoh.invalid/gaya.css" in result.external_requests
    assert browser_check.main(page, tmp_path / "rusak.png") == 1


# --------------------------------------------------------------------------- the demo's last round


@pytest.fixture(scope="module")
def demo_round(demo_built) -> dict:
    """The demo's third round (2020-09-24): its report, annex and trend page, and the OPDs to name."""
    import pandas as pd

    from satudata.evaluation import trends

    data, reports = demo_built
    putaran = sorted(p.name for p in (data / "raw").iterdir() if p.is_dir())[-1]
    progres = pd.read_parquet(data / "processed" / putaran / "progres_opd.parquet")
    riwayat = pd.read_parquet(data / "processed" / "riwayat_progres_opd.parquet")
    pace = trends.recent_pace(riwayat, putaran).set_index("kode_opd")["laju_terakhir"]
    progres = progres.assign(laju=progres["kode_opd"].map(pace))
    merah = set(progres.loc[progres["zona"] == "merah", "nama_opd"])
    stalled = set(progres.loc[(progres["laju"] <= 0) & (progres["persen"] < 100), "nama_opd"])
    folder = reports / putaran
    return {"putaran": putaran, "folder": folder, "progres": progres, "merah": merah, "stalled": stalled,
            "report": folder / f"laporan-evaluasi-{putaran}.html", "annex": folder / f"lampiran-{putaran}.html",
            "trend": folder / f"tren-{putaran}.html"}


def test_demo_first_screen_names_every_merah_and_stalled_opd(chromium, demo_round, tmp_path):
    assert demo_round["putaran"] == "2020-09-24"
    assert demo_round["merah"] == {"Badan Kepegawaian Pendidikan dan Pelatihan"}
    assert len(demo_round["stalled"]) == 10 and demo_round["merah"] <= demo_round["stalled"]
    seen = browser_check.first_screen(demo_round["report"], tmp_path / "layar-1366.png", width=1366, height=768,
                                      chromium=chromium)
    assert "Perlu perhatian" in seen
    for name in demo_round["merah"] | demo_round["stalled"]:
        assert name in seen, name
    # the one list of OPDs to act on: 1 merah, 16 kuning (the kuning that also stalled in full lines, the others
    # in one short entry with the items each still needs for hijau), 10 stalled
    assert "OPD perlu tindakan: 1 di zona merah, 16 di zona kuning, 10 tidak bergerak dan 0 turun" in seen
    assert "Putaran berikutnya: Kamis, 8 Oktober 2020" in seen
    assert "Capaian rata-rata OPD 88,9 %" in seen and "gabungan butir 89,4 %" in seen
    assert _png_size(tmp_path / "layar-1366.png") == (1366, 768)


def test_demo_no_forecast_where_the_last_pace_is_not_positive(demo_round):
    import re

    html = demo_round["report"].read_text(encoding="utf-8")
    progres = demo_round["progres"]
    checked = 0
    for r in progres.itertuples():
        card = re.search(rf'<details class="opd"[^>]*\bid="opd-{r.kode_opd}"[^>]*>.*?</details>', html, re.S).group(0)
        forecast = re.search(r'<p class="perkiraan">(.*?)</p>', card, re.S).group(1)
        if r.laju <= 0:
            checked += 1
            assert "putaran ke-" not in forecast and "2020" not in forecast, (r.nama_opd, forecast)
            expected = "sudah tercapai" if r.persen >= 90 else "tidak tercapai dengan laju sekarang"
            assert f"Mencapai zona hijau: <strong>{expected}</strong>" in forecast, (r.nama_opd, forecast)
    assert checked == 15  # 10 stalled below 100 % and 5 already at 100 %


def test_demo_report_prints_on_at_most_four_a4_pages(chromium, demo_round, tmp_path):
    pages = browser_check.print_pages(demo_round["report"], tmp_path / "laporan.pdf", chromium=chromium)
    assert 1 <= pages <= 4
    import re

    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", (tmp_path / "laporan.pdf").read_bytes())
    assert len(boxes) == pages and {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}  # A4


def test_demo_pages_have_no_horizontal_scroll_at_390_px(chromium, demo_round, tmp_path):
    """At 390 px no page scrolls sideways, no table scrolls (or is cut) inside its box, and every chart shown is
    drawn for the width: its smallest label is at least 10 px as shown (the trend page's charts give way to
    tables: none is shown)."""
    shown = {}
    for key in ("report", "annex", "trend"):
        layout = browser_check.phone_layout(demo_round[key], tmp_path / f"{key}-390.png", chromium=chromium)
        assert layout.fits, (key, layout.scroll_width, layout.too_wide)
        assert layout.scroll_width == 390
        assert layout.inner_scrolling == [], (key, layout.inner_scrolling)
        assert layout.small_labels == [], (key, layout.charts)
        shown[key] = layout.charts
    assert len(shown["report"]) == 1 and shown["report"][0]["lebar_asli"] == 360
    assert shown["report"][0]["huruf"] >= 10
    assert shown["trend"] == []


def test_inner_scrolling_and_small_chart_labels_are_caught(chromium, tmp_path):
    """The measures can fail: a wide table in an ``overflow-x: auto`` box and a 1920 px chart shown at 360 px."""
    page = tmp_path / "sempit.html"
    cells = "".join(f"<td>kolom-panjang-{i}</td>" for i in range(12))
    png = browser_check_png(1920, 1080)
    page.write_text(
        '<!DOCTYPE html><html lang="id"><head><meta name="viewport" content="width=device-width"><title>uji</title>'
        '</head><body><div style="overflow-x:auto"><table><tr>' + cells + '</tr></table></div>'
        f'<img alt="grafik" data-huruf="14.6" style="max-width:100%" src="data:image/png;base64,{png}">'
        '</body></html>', encoding="utf-8")
    layout = browser_check.phone_layout(page, chromium=chromium)
    assert layout.fits and len(layout.inner_scrolling) == 1 and "bergulir" in layout.inner_scrolling[0]
    assert len(layout.small_labels) == 1 and layout.small_labels[0]["huruf"] < 3


def browser_check_png(width: int, height: int) -> str:
    """A white PNG of ``width`` x ``height`` (base64)."""
    import base64

    from matplotlib.figure import Figure

    from satudata.outputs.charts import png_bytes

    return base64.b64encode(png_bytes(Figure(figsize=(width / 100, height / 100), dpi=100))).decode("ascii")


def test_demo_print_has_no_clipped_cell_and_dates_every_page(chromium, demo_round, tmp_path):
    """Printed on A4: no cell cuts its text or breaks a word (the Persen chip holds "● 100,0 %", the header says
    "Terpenuhi" in one piece), and every page carries the region and the round's date (read in the PDF's text)."""
    for key in ("report", "annex", "trend"):
        assert browser_check.print_clipping(demo_round[key], chromium=chromium) == [], key
    pdf = tmp_path / "laporan.pdf"
    pages = browser_check.print_pages(demo_round["report"], pdf, chromium=chromium)
    texts = browser_check.pdf_page_texts(pdf)
    if texts is None:
        pytest.skip("pdftotext (Debian poppler-utils) tidak terpasang: tanggal per halaman tidak dapat dibaca.")
    assert len(texts) == pages
    for number, text in enumerate(texts, start=1):
        flat = " ".join(text.split())
        assert "Kabupaten Demak" in flat and "Kamis, 24 September 2020" in flat, (number, flat[-300:])
        assert f"Halaman {number} dari {pages}" in flat, number


def test_demo_print_check_catches_a_clipped_chip(chromium, tmp_path):
    page = tmp_path / "terpotong.html"
    page.write_text('<!DOCTYPE html><html lang="id"><head><title>uji</title></head><body><table><tr>'
                    '<td style="width:20px;max-width:20px;overflow:hidden;white-space:nowrap">100,0 %</td>'
                    '<th style="width:30px;max-width:30px;overflow-wrap:anywhere">Terpenuhi</th></tr></table></body></html>',
                    encoding="utf-8")  # fmt: skip
    found = browser_check.print_clipping(page, chromium=chromium)
    assert any("terpotong" in f for f in found) and any("memenggal kata 'Terpenuhi'" in f for f in found)


def test_demo_opd_list_opens_on_the_opds_to_act_on(chromium, demo_round):
    """The report's OPD list opens sorted "Perlu tindakan dulu": the round facts' action list in its order
    (18 OPDs in the third round, lowest percent first), then the others."""
    from satudata.evaluation.round_facts import load_round_facts
    from satudata.reference.settings import load_settings

    data = demo_round["folder"].parents[1] / "data"
    facts = load_round_facts(data / "processed", demo_round["putaran"],
                             load_settings(data / "reference" / "pengaturan.toml"))  # fmt: skip
    acting = [f"opd-{f.kode_opd}" for f in facts.action_list]
    with browser_check.Browser(chromium) as browser:
        browser.open(demo_round["report"], width=390, height=844, mobile=True)
        order = browser.evaluate('Array.from(document.querySelectorAll("#daftar-opd details.opd")).map(e => e.id)')
        chosen = browser.evaluate('document.getElementById("urut-opd").value')
    assert chosen == "aksi" and len(acting) == 18
    assert order[: len(acting)] == acting and len(order) == 43


def test_demo_pages_have_no_english_word(demo_round):
    from satudata.common.plain_words import english_words, visible_text

    for key in ("report", "annex", "trend"):
        text = visible_text(demo_round[key].read_text(encoding="utf-8"))
        assert len(text) > 2000, key
        assert english_words(text) == [], key


def test_demo_opd_list_works_with_and_without_scripts(chromium, demo_round):
    count = "document.querySelectorAll('details.opd').length"
    shown = "Array.from(document.querySelectorAll('details.opd')).filter(d => d.offsetParent !== null).length"
    with browser_check.Browser(chromium) as browser:
        browser.open(demo_round["report"], scripts=False)
        assert browser.evaluate(count) == 43
        assert browser.evaluate("document.getElementById('kendali-opd').offsetParent === null")  # no dead controls
    with browser_check.Browser(chromium) as browser:
        browser.open(demo_round["report"])
        assert browser.evaluate(shown) == 43
        assert browser.evaluate("document.getElementById('kendali-opd').offsetParent !== null")
        browser.evaluate("var z = document.getElementById('saring-zona'); z.value = 'merah';"
                         "z.dispatchEvent(new Event('change'))")
        assert browser.evaluate(shown) == 1
        assert browser.evaluate("document.getElementById('jumlah-tampil').textContent") == "1 dari 43 OPD"
        browser.evaluate("var z = document.getElementById('saring-zona'); z.value = '';"
                         "z.dispatchEvent(new Event('change'));"
                         "var s = document.getElementById('cari-opd'); s.value = 'kecamatan';"
                         "s.dispatchEvent(new Event('input'))")
        assert browser.evaluate(shown) == 14
        browser.evaluate("var s = document.getElementById('cari-opd'); s.value = '';"
                         "s.dispatchEvent(new Event('input'));"
                         "var o = document.getElementById('urut-opd'); o.value = 'persen-naik';"
                         "o.dispatchEvent(new Event('change'))")
        first = browser.evaluate("document.querySelector('details.opd .k-nama').textContent")
        assert first.startswith("Badan Kepegawaian Pendidikan dan Pelatihan")
        browser.evaluate("location.hash = '#opd-DIN02'")
        assert browser.evaluate("document.getElementById('opd-DIN02').open") is True
        assert browser.cdp.events is not None and browser_check._console_errors(browser.cdp.events) == []
