"""The trend page's display tables: Indonesian dates, numbers and statuses from the trend figures."""

from satudata import trend_views as tv
from satudata.settings import Settings

from .test_trends import ROUNDS, riwayat  # noqa: F401  (fixture)


def test_projection_table_shows_dates_and_statuses(riwayat):  # noqa: F811
    table = tv.projection_table(riwayat, ROUNDS[-1], Settings()).set_index("OPD")
    a = table.loc[riwayat.set_index("kode_opd").loc["A", "nama_opd"].iloc[0]]
    assert a["Mencapai 90 %"] == "17 September 2020"
    assert a["Mencapai 100 %"] == "24 September 2020"
    assert a["Laju (poin/minggu)"] == "+10,0"
    assert a["Persen (%)"] == "60,0"
    assert "tidak tercapai" in set(table["Mencapai 90 %"])


def test_overall_and_html_escape(riwayat):  # noqa: F811
    overall = tv.overall_table(riwayat, ROUNDS[-1])
    assert list(overall["Putaran"]) == ["13 Agustus 2020", "20 Agustus 2020", "27 Agustus 2020"]
    html = tv.html_table(overall.assign(OPD="Dinas <script>&"))
    assert "<script>" not in html and "&lt;script&gt;&amp;" in html
    versions = tv.versions_table()
    assert versions.iloc[0]["Paket"] == "satudata" and len(versions) == 5
