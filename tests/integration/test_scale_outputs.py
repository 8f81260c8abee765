"""Issue 26, part 1: outputs whose cost follows producers, not items. With 1,000 producers no chart is taller than a
page can show (the trend heatmap, the OPD x urusan picture, the below-hijau slide), an OPD's card lists what it
owes exactly as before, and the DSSD and feedback workbooks are written per producer from one grouping."""

from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook
from pptx import Presentation

from satudata.outputs import opd_cards, slides, trend_charts, urusan_view
from satudata.reading.dssd import write_dssd
from satudata.reference.settings import Settings
from tests.integration.test_slides import ROUNDS, history, missing_of


def test_the_trend_heatmap_of_1000_producers_fits_a_page():
    riwayat = history(1000)
    fig = trend_charts.trend_heatmap(riwayat, ROUNDS[-1], Settings())
    width, height = (v * fig.dpi for v in fig.get_size_inches())
    assert height <= width  # printed at a page's width it fits the page; was 1.4 + 0.28 x 1,000 inches at 200 dpi: 56,280 pixels
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == trend_charts.MAX_HEATMAP_OPDS == 40
    title = fig._suptitle.get_text()
    assert title.startswith("40 OPD dengan capaian terendah dari 1.000 OPD")
    # the rows shown are the lowest at the last round
    last = riwayat.loc[riwayat["putaran"] == ROUNDS[-1]].sort_values(["persen", "nama_opd"], na_position="first")
    shown = {t.get_text() for t in ax.get_yticklabels()}
    assert shown <= set(last["nama_opd"].head(200)) and len(shown) == 40


def test_a_small_trend_heatmap_shows_every_producer():
    fig = trend_charts.trend_heatmap(history(30), ROUNDS[-1], Settings())
    assert len(fig.axes[0].get_yticklabels()) == 30
    assert fig._suptitle.get_text() == "Persen capaian dan zona tiap OPD per putaran"


def test_the_below_hijau_slide_of_1000_producers_shows_the_lowest_and_says_so(tmp_path):
    riwayat = history(1000)
    progres = riwayat.loc[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    path = slides.build_deck(ROUNDS[-1], progres, riwayat, missing_of(progres), Settings(), tmp_path / "r.pptx")
    prs = Presentation(str(path))
    below = [s for s in prs.slides if "belum hijau" in s.shapes.title.text_frame.text]
    (slide,) = below
    bars = sum(len(list(s.chart.plots[0].categories)) for s in slide.shapes if s.has_chart)
    n_below = int(progres["zona"].isin(["kuning", "merah"]).sum())
    assert n_below > 900 and bars == slides.MAX_BELOW_BARS == 120
    text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert f"Yang tampil: 120 OPD terendah dari {n_below:,}".replace(",", ".") in text


def test_the_urusan_picture_of_many_producers_becomes_the_table(tmp_path):
    n = 200
    items = pd.DataFrame({"kode_opd": [f"D{i:03d}" for i in range(n) for _ in range(2)],
                          "kode_elemen": [f"E{k}" for _ in range(n) for k in range(2)], "tahun": 2023,
                          "kode_urusan": [u for _ in range(n) for u in ("1.01", "1.02")],
                          "nama_urusan": [u for _ in range(n) for u in ("Pendidikan", "Kesehatan")]})  # fmt: skip
    kekurangan = items.iloc[::3][["kode_opd", "kode_elemen", "tahun"]]
    progres = pd.DataFrame({"kode_opd": [f"D{i:03d}" for i in range(n)], "nama_opd": [f"Desa {i}" for i in range(n)],
                            "persen": 50.0, "zona": "kuning", "wajib": 2, "terpenuhi": 1})  # fmt: skip
    png = tmp_path / "peta.png"
    html = urusan_view.heatmap_section(items, kekurangan, progres, Settings(), png)
    assert not png.exists() and "<img" not in html and "tabel-urusan" in html
    # a full grid of 40 producers is still drawn
    small = urusan_view.heatmap_section(items.head(80), kekurangan.head(27), progres.head(40), Settings(), png)
    assert png.exists() and "<img" in small


def test_an_opd_card_lists_what_it_owes_per_element_with_its_years():
    kekurangan = pd.DataFrame({
        "kode_opd": ["B", "A", "A", "A", "A", "B"],
        "kode_elemen": ["2", "9", "1", "1", "1", "2"],
        "nama_elemen": ["Guru", "Murid", "Sekolah", "Sekolah", "Sekolah", "Guru"],
        "satuan": ["Orang", None, "Unit", "Unit", "Unit", "Orang"],
        "tahun": [2021, 2020, 2022, 2020, None, 2021],
    })
    out = opd_cards._missing(kekurangan)
    assert out == {
        "A": [{"kode": "1", "nama": "Sekolah", "satuan": "Unit", "tahun": "2020, 2022", "butir": 3},
              {"kode": "9", "nama": "Murid", "satuan": "", "tahun": "2020", "butir": 1}],
        "B": [{"kode": "2", "nama": "Guru", "satuan": "Orang", "tahun": "2021", "butir": 2}],
    }  # fmt: skip
    assert opd_cards._missing(kekurangan.iloc[:0]) == {}


def test_dssd_workbooks_one_per_producer_from_one_grouping(tmp_path):
    items = pd.DataFrame({"kode_opd": ["B", "A", "B", "A"], "kode_elemen": ["2", "1", "3", "1"],
                          "nama_elemen": ["Guru", "Sekolah", "=cmd()", "Sekolah"], "satuan": ["Orang", "Unit", None, "Unit"],
                          "tahun": [2021, 2021, 2021, 2022], "nilai": [5.0, 7.0, 1.5, 0.0],
                          "status": ["ada", "ada", "ada", "nihil"]})  # fmt: skip
    paths = write_dssd(items, tmp_path)
    assert list(paths) == ["B", "A"]  # first appearance
    rows_a = [list(r) for r in load_workbook(paths["A"]).active.iter_rows(values_only=True)]
    assert rows_a == [["kode_dssd", "uraian_dssd", "satuan", "data_2021", "data_2022"], ["1", "Sekolah", "Unit", 7, "-"]]
    ws_b = load_workbook(paths["B"]).active
    assert ws_b.title == "Sheet1" and ws_b["B3"].value == "=cmd()" and ws_b["B3"].data_type == "s"  # text, never a formula
    assert ws_b["D3"].value == 1.5 and ws_b["E2"].value is None


def test_a_card_lists_at_most_10_elements_and_issues_and_counts_the_rest():
    from satudata.outputs.templating import render

    kekurangan = pd.DataFrame({"kode_opd": "A", "kode_elemen": [f"E{k:03d}" for k in range(60)],
                               "nama_elemen": [f"Elemen {k}" for k in range(60)], "satuan": "Unit", "tahun": 2023})  # fmt: skip
    masalah = pd.DataFrame({"kode_opd": "A", "tingkat": "peringatan", "kode_masalah": "duplikat",
                            "pesan": [f"Masalah nomor {k}" for k in range(30)]})  # fmt: skip
    progres = pd.DataFrame({"kode_opd": ["A"], "nama_opd": ["Desa A"], "singkatan": ["DA"], "jenis": ["desa"],
                            "wajib": [100], "terpenuhi": [40], "persen": [40.0], "zona": ["merah"]})  # fmt: skip
    (entry,) = opd_cards.opd_entries(progres, progres.assign(putaran="2024-02-01"), kekurangan, masalah, "2024-02-01",
                                     Settings())  # fmt: skip
    assert len(entry["kekurangan"]) == opd_cards.CARD_LIST == 10 and entry["kekurangan_lain"] == 50
    assert len(entry["masalah"]) == 10 and entry["masalah_jumlah"] == 30
    html = render("opd.html.j2", entries=[entry], ada_sebelumnya=False, jenis=[], urusan=[], zones=[], unduhan=[],
                  tanpa_zona=False)
    assert html.count('<li><span class="kode">') == 10 and "Dan 50 elemen lainnya" in html
    assert "Masalah kiriman: 30" in html and "Dan 20 masalah lainnya" in html


def test_a_card_shows_the_last_6_rounds_and_counts_the_earlier():
    from satudata.outputs.templating import render

    dates = [f"2024-{m:02d}-01" for m in range(1, 10)]  # nine rounds
    riwayat = pd.DataFrame({"putaran": dates, "kode_opd": "A", "nama_opd": "Desa A", "singkatan": "DA",
                            "jenis": "desa", "wajib": 100, "terpenuhi": [10 * k for k in range(1, 10)],
                            "persen": [10.0 * k for k in range(1, 10)],
                            "zona": ["merah"] * 4 + ["kuning"] * 4 + ["hijau"]})  # fmt: skip
    progres = riwayat.tail(1).reset_index(drop=True)
    (entry,) = opd_cards.opd_entries(progres, riwayat, pd.DataFrame(columns=["kode_opd"]), pd.DataFrame(), dates[-1],
                                     Settings())  # fmt: skip
    assert opd_cards.CARD_ROUNDS == 6 and entry["riwayat_lain"] == 3
    assert [h["butir"] for h in entry["riwayat"]] == [f"{10 * k} dari 100" for k in range(4, 10)]
    html = render("opd.html.j2", entries=[entry], ada_sebelumnya=True, jenis=[], urusan=[], zones=[], unduhan=[],
                  tanpa_zona=False)
    assert html.count("dari 100</td>") == 6 and "40 dari 100" in html and "30 dari 100" not in html
    assert "Dan 3 putaran sebelumnya: riwayat lengkapnya ada di halaman tren putaran ini." in html


def test_the_zone_chart_of_450_producers_draws_the_lowest_60(tmp_path):
    from satudata.outputs import report

    riwayat = history(450)
    progres = riwayat.loc[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    html = report.zone_chart_section(progres, Settings(), ROUNDS[-1], tmp_path / "zona.png")
    assert "untuk 60 OPD" in html and "Semua OPD ada di bagian Progres per OPD" in html
    assert (tmp_path / "zona.png").stat().st_size < 250_000  # all 450 bars: about 350 KB of unreadable labels
    small = report.zone_chart_section(progres.head(30), Settings(), ROUNDS[-1], tmp_path / "kecil.png")
    assert "untuk 30 OPD" in small and "Semua OPD" not in small


def test_the_attention_block_of_450_producers_shows_the_first_and_counts_the_rest():
    from satudata.outputs import report

    riwayat = history(450)
    progres = riwayat.loc[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    html = report.attention_html(progres, riwayat, ROUNDS[-1], Settings())
    full = html.count('<li class="perhatian-opd"')
    short = html.count('<a class="nama"') - full
    assert full == report.MAX_ATTENTION == 30 and short <= report.MAX_ATTENTION_YELLOW == 60
    shown_total = int(html.split(" OPD perlu tindakan")[0].rsplit(">", 1)[-1].replace(".", ""))
    left = int(html.split("Dan ")[-1].split(" OPD lainnya")[0].replace(".", ""))
    assert shown_total > 300 and left == shown_total - full - short
    small = report.attention_html(progres.head(30), riwayat[riwayat["kode_opd"].isin(progres["kode_opd"].head(30))],
                                  ROUNDS[-1], Settings())  # fmt: skip
    assert "OPD lainnya yang perlu tindakan" not in small
