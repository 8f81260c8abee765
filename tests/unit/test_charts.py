"""Zone bar chart and heatmap: size, order, colours, texts written on the bars."""

from __future__ import annotations

import struct

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb

from satudata.evaluation.zones import zone_series
from satudata.outputs import charts
from satudata.reference.settings import Settings

SETTINGS = Settings()


def _progres() -> pd.DataFrame:
    frame = pd.DataFrame({
        "kode_opd": ["A", "B", "C", "D", "E"],
        "nama_opd": ["Dinas A", "Dinas $x$ <script>", "Dinas C", "Dinas D", "Dinas E"],
        "persen": [50.0, 89.95, np.nan, 3.0, 100.0],
    })
    frame["zona"] = zone_series(frame["persen"], SETTINGS.zones)
    return frame


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_zone_chart_is_1920_by_1080_png_without_software_tag():
    data = charts.png_bytes(charts.zone_bar_chart(_progres(), SETTINGS, title="Uji"))
    assert _png_size(data) == (1920, 1080)
    assert b"Software" not in data
    # same input, same bytes
    assert charts.png_bytes(charts.zone_bar_chart(_progres(), SETTINGS, title="Uji")) == data


def test_zone_chart_order_texts_and_colours():
    fig = charts.zone_bar_chart(_progres(), SETTINGS)
    ax = fig.axes[0]
    ticks = sorted(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=True),
                   key=lambda kv: -kv[0])
    # top to bottom: 100, 89.95, 50, 3, then the OPD that owes nothing
    assert [label for _y, label in ticks] == ["Dinas E", "Dinas $x$ <script>", "Dinas A", "Dinas D", "Dinas C"]
    texts = {t.get_text() for t in ax.texts}
    assert "89,9 % · Kuning" in texts  # truncated, never 90,0 next to a kuning bar
    assert "100,0 % · Hijau" in texts
    assert "50,0 % · Kuning" in texts
    assert "3,0 % · Merah" in texts
    assert "tidak ada butir wajib" in texts
    assert " Kuning ≥ 50 %" in texts and " Hijau ≥ 90 %" in texts
    bars = sorted(ax.patches, key=lambda p: -p.get_y())  # top bar first
    assert [round(b.get_width(), 2) for b in bars] == [100.0, 89.95, 50.0, 3.0, 0.0]
    assert bars[0].get_facecolor()[:3] == pytest.approx(to_rgb(SETTINGS.zones.colours["hijau"]))
    assert bars[1].get_facecolor()[:3] == pytest.approx(to_rgb(SETTINGS.zones.colours["kuning"]))
    assert bars[3].get_facecolor()[:3] == pytest.approx(to_rgb(SETTINGS.zones.colours["merah"]))
    lines = sorted(line.get_xdata()[0] for line in ax.lines)
    assert lines == [50.0, 90.0]


def test_zone_chart_for_43_opds_keeps_one_bar_per_opd():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"kode_opd": [f"K{i}" for i in range(43)],
                          "nama_opd": [f"Dinas nomor {i} dengan nama yang cukup panjang sekali" for i in range(43)],
                          "persen": rng.uniform(0, 100, 43)})
    frame["zona"] = zone_series(frame["persen"], SETTINGS.zones)
    fig = charts.zone_bar_chart(frame, SETTINGS, title="43 OPD")
    assert len(fig.axes[0].patches) == 43
    assert len(fig.axes[0].get_yticklabels()) == 43
    assert _png_size(charts.png_bytes(fig)) == (1920, 1080)


def test_heatmap_colours_cells_by_zone_and_writes_values():
    matrix = pd.DataFrame([[95.0, np.nan], [50.0, 49.99]], index=["Dinas A", "Dinas B"],
                          columns=["1.01 Pendidikan", "1.02 Kesehatan"])
    fig = charts.heatmap(matrix, SETTINGS, title="Peta")
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["49", "50", "95"]
    rgb = ax.images[0].get_array()
    assert tuple(rgb[0, 0]) == pytest.approx(to_rgb(SETTINGS.zones.colours["hijau"]))
    assert tuple(rgb[0, 1]) == pytest.approx(to_rgb(charts.NO_DATA_COLOUR))
    assert tuple(rgb[1, 0]) == pytest.approx(to_rgb(SETTINGS.zones.colours["kuning"]))
    assert tuple(rgb[1, 1]) == pytest.approx(to_rgb(SETTINGS.zones.colours["merah"]))
    width, _height = _png_size(charts.png_bytes(fig))
    assert width == 1920


def test_figure_html_embeds_png_and_escapes_alt(tmp_path):
    fig = charts.zone_bar_chart(_progres(), SETTINGS)
    html = charts.figure_html(fig, 'alt "<b>" & co', caption="<i>x</i>")
    assert '<img src="data:image/png;base64,' in html
    assert 'alt="alt &quot;&lt;b&gt;&quot; &amp; co"' in html
    assert 'width="1920" height="1080"' in html
    assert "<figcaption>&lt;i&gt;x&lt;/i&gt;</figcaption>" in html
    path = charts.save_png(fig, tmp_path / "sub" / "zona.png")
    assert _png_size(path.read_bytes()) == (1920, 1080)


def test_text_colour_contrast():
    assert charts.text_colour("#F9A825") == "#000000"
    assert charts.text_colour("#2E7D32") == "#FFFFFF"
    assert charts.text_colour("#C62828") == "#FFFFFF"


def test_long_names_are_shortened_to_fit_left_of_the_bars():
    frame = _progres()
    frame.loc[0, "nama_opd"] = "Badan Perencanaan Pembangunan Penelitian dan Pengembangan Daerah " * 3
    fig = charts.zone_bar_chart(frame, SETTINGS)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    labels = {t.get_text(): t for t in ax.get_yticklabels()}
    long = next(text for text in labels if text.startswith("Badan"))
    assert long.endswith("…") and len(long) < 100
    assert "Dinas E" in labels  # short names untouched
    assert labels[long].get_fontsize() == pytest.approx(11.5)
    fig.canvas.draw()
    for label in ax.get_yticklabels():
        assert label.get_window_extent(renderer).x0 >= 0


def test_the_values_chart_of_a_region_of_desa_is_no_taller_than_a_page():
    """Issue 26: the ingest notebook drew one bar per producer (451 producers: 900 x 12,748 px). Past 40 producers it
    draws the 40 with the most values not counted, then the most read, and says how many of how many."""
    from satudata.outputs import views

    n = 1000
    nilai = pd.DataFrame({"kode_opd": [f"DS{i:04d}" for i in range(n) for _ in range(1 + i % 3)]})
    nilai["dihitung"] = [not (k.endswith("7") and j == 0) for k, j in zip(nilai["kode_opd"], nilai.groupby("kode_opd")
                                                                         .cumcount(), strict=True)]  # fmt: skip
    per = views.values_per_producer(nilai)
    fig = views.values_figure(per)
    assert _png_size(charts.png_bytes(fig)) == (900, 1240)
    ax = fig.axes[0]
    shown = [t.get_text() for t in ax.get_yticklabels()]
    # 100 producers have one value not counted (codes ending in 7): the 33 of them with 3 values read, then 7 of
    # those with 2, by code
    assert shown == [f"DS{i:04d}" for i in range(17, 1000, 30)] + [f"DS{i:04d}" for i in range(7, 200, 30)]
    assert ax.get_title() == "Nilai yang dibaca: 40 OPD dengan nilai tidak dihitung terbanyak dari 1.000 OPD (semua di tabel)"
    small = views.values_figure(per.head(5))
    assert [t.get_text() for t in small.axes[0].get_yticklabels()] == per["kode_opd"].head(5).tolist()
    assert small.axes[0].get_title() == "Nilai yang dibaca per OPD"


def test_a_zone_chart_of_many_producers_draws_the_60_lowest():
    """The report and the progress notebook draw the same bars: all of a few OPDs; of 1,000 the 60 lowest that owe
    something (the notebook drew all 1,000 in 1920 x 1080, 8 s, unreadable)."""
    few = _progres()
    assert charts.zone_chart_shown(few) == (few, None)
    many = pd.DataFrame({"kode_opd": [f"DS{i:04d}" for i in range(1000)], "nama_opd": [f"Desa {i:04d}" for i in range(1000)],
                         "persen": [np.nan if i < 5 else i / 10 for i in range(1000)]})  # fmt: skip
    many["zona"] = zone_series(many["persen"], SETTINGS.zones)
    shown, note = charts.zone_chart_shown(many)
    assert sorted(shown["kode_opd"]) == [f"DS{i:04d}" for i in range(5, 65)]
    assert note == "60 OPD dengan capaian terendah dari 1.000 OPD"
