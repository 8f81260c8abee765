"""Pieces of the phone and print layout: every table cell names its column (cards on a phone), the print footer
is a CSS string that cannot break out of its rule, the phone zone chart is drawn for a 390 px screen."""

from __future__ import annotations

import pandas as pd

from satudata.outputs import charts
from satudata.outputs.html_parts import label_cells
from satudata.outputs.round_view import css_string, print_footer_css
from satudata.reference.settings import settings_from_dict


def test_every_body_cell_names_its_column():
    page = ('<p>x</p><table><thead><tr><th scope="col">Berkas</th><th class="angka">Ukuran (bita)</th></tr></thead>'
            '<tbody><tr><td class="berkas">a.xlsx</td><td class="angka">1.234</td></tr>'
            '<tr><td>b.csv</td><td>5</td></tr></tbody></table><table><tr><td>tanpa kepala</td></tr></table>')
    out = label_cells(page)
    assert out.count('data-label="Berkas"') == 2 and out.count('data-label="Ukuran (bita)"') == 2
    assert '<td data-label="Berkas" class="berkas">a.xlsx</td>' in out
    assert "<td>tanpa kepala</td>" in out  # a table without a header row is left as it is
    assert label_cells(out) == out  # a labelled cell is not labelled twice


def test_print_footer_is_a_safe_css_string():
    text = 'Kab. "Uji" </style><script>x</script> · Kamis, 24 September 2020'
    quoted = css_string(text)
    assert quoted.startswith('"') and quoted.endswith('"') and '"' not in quoted[1:-1]
    assert "<" not in quoted and ">" not in quoted and "Kamis, 24 September 2020" in quoted
    assert str(print_footer_css("Kabupaten Demak · Kamis, 24 September 2020")) == (
        '@page { @bottom-left { content: "Kabupaten Demak · Kamis, 24 September 2020"; } }')


def test_phone_zone_chart_is_drawn_for_the_width_with_labels_of_ten_px_or_more():
    progres = pd.DataFrame({"kode_opd": [f"O{i}" for i in range(43)], "nama_opd": [f"Dinas {i}" for i in range(43)],
                            "singkatan": [f"D{i}" for i in range(43)], "persen": [i * 100 / 42 for i in range(43)],
                            "zona": ["merah"] * 21 + ["kuning"] * 17 + ["hijau"] * 5})  # fmt: skip
    fig = charts.zone_bar_chart_phone(progres, settings_from_dict({}))
    width, _height = (round(v * fig.dpi) for v in fig.get_size_inches())
    assert width == charts.PHONE_WIDTH_PX == 360
    # shown at its own width on a 390 px screen: the smallest label is 11,8 px
    assert charts.label_px(charts.PHONE_FONT_PT, fig.dpi) == 11.8 >= 10
    html = charts.figure_html(fig, "grafik", font_px=11.8, css="grafik-ponsel")
    assert 'class="grafik grafik-ponsel"' in html and 'data-huruf="11.8"' in html and 'width="360"' in html
