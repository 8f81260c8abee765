"""The trend page's display tables: Indonesian dates, numbers and statuses from the trend figures."""

from satudata.outputs import trend_views as tv
from satudata.reference.settings import Settings

from .test_trends import ROUNDS, riwayat  # noqa: F401  (fixture)


def test_projection_table_shows_dates_and_statuses(riwayat):  # noqa: F811
    table = tv.projection_table(riwayat, ROUNDS[-1], Settings()).set_index("OPD")
    a = table.loc[riwayat.set_index("kode_opd").loc["A", "nama_opd"].iloc[0]]
    assert a["Mencapai 90 %"] == "17 September 2020"
    assert a["Mencapai 100 %"] == "24 September 2020"
    assert a["Laju terakhir (poin/minggu)"] == "+10,0"
    assert a["Laju rata-rata (poin/minggu)"] == "+10,0"
    assert a["Persen (%)"] == "60,0"
    assert "tidak tercapai dengan laju sekarang" in set(table["Mencapai 90 %"])


def test_projection_table_states_rounds_when_the_calendar_is_known(riwayat):  # noqa: F811
    from satudata.reference.settings import RoundSettings

    settings = Settings(rounds=RoundSettings(schedule=tuple(ROUNDS), interval_days=14))
    table = tv.projection_table(riwayat, ROUNDS[-1], settings).set_index("OPD")
    # A: 60 % at +10 pp/week reaches 90 % on 17 September; the next rounds are 10 and 24 September
    assert table.loc["Dinas A", "Mencapai 90 %"] == "putaran ke-5 (24 September 2020)"
    assert table.loc["Dinas C", "Mencapai 90 %"] == "tidak tercapai dengan laju sekarang"


def test_overall_and_html_escape(riwayat):  # noqa: F811
    overall = tv.overall_table(riwayat, ROUNDS[-1])
    assert list(overall["Putaran"]) == ["13 Agustus 2020", "20 Agustus 2020", "27 Agustus 2020"]
    html = tv.html_table(overall.assign(OPD="Dinas <script>&"))
    assert "<script>" not in html and "&lt;script&gt;&amp;" in html
    versions = tv.versions_table()
    assert versions.iloc[0]["Paket"] == "satudata" and len(versions) == 5
