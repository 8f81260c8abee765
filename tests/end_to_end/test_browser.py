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
    assert len(result.images) == 1  # the zone chart (the OPD x urusan grid is in the annex)
    assert all(img["ok"] and img["width"] > 0 for img in result.images)
    assert {img["width"] for img in result.images} == {1920}
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
    for key in ("report", "annex", "trend"):
        layout = browser_check.phone_layout(demo_round[key], tmp_path / f"{key}-390.png", chromium=chromium)
        assert layout.fits, (key, layout.scroll_width, layout.too_wide)
        assert layout.scroll_width == 390


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
