"""Report content helpers: numbers, escaping, tables, data quality, provenance."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from satudata.evaluation.zones import zone_direction, zone_series
from satudata.outputs import report
from satudata.reference.settings import Settings

SETTINGS = Settings()
EVIL = "Dinas <script>alert(1)</script> & Co"


def _progres(putaran: str = "2020-08-27", persen=(100.0, 89.95, 50.0, 10.0, np.nan), before=None) -> pd.DataFrame:
    wajib = [10, 2000, 10, 10, 0]
    frame = pd.DataFrame({
        "putaran": putaran,
        "kode_opd": ["O1", "O3", "O4", "O5", "O6"],
        "nama_opd": ["Dinas Kesehatan", EVIL, "Bappeda", "Kecamatan Demak", "Dinas Pariwisata"],
        "singkatan": ["Dinkes", "Dev", "Bappeda", "Kec. Demak", "Dinpar"],
        "jenis": ["dinas", "dinas", "badan", "kecamatan", "dinas"],
        "wajib": wajib,
        "terpenuhi": [int(round((p if p == p else 0) * w / 100)) for p, w in zip(persen, wajib, strict=True)],
        "persen": list(persen),
    })
    frame["zona"] = zone_series(frame["persen"], SETTINGS.zones)
    frame["persen_sebelumnya"] = before if before is not None else np.nan
    frame["selisih"] = frame["persen"] - frame["persen_sebelumnya"]
    frame["zona_sebelumnya"] = zone_series(frame["persen_sebelumnya"], SETTINGS.zones)
    frame["arah_zona"] = zone_direction(frame["zona_sebelumnya"], frame["zona"])
    return frame


def _history() -> tuple[pd.DataFrame, pd.DataFrame]:
    before = [80.0, 40.0, 92.0, 10.0, np.nan]
    now = _progres(before=before)
    prev = _progres("2020-08-13", persen=tuple(before))
    return now, pd.concat([prev, now], ignore_index=True)


def test_round_number_counts_rounds_in_history():
    _now, history = _history()
    assert report.round_number(history, "2020-08-27") == 2
    assert report.round_number(history, "2020-08-13") == 1
    assert report.round_number(history, "2020-09-10") == 3  # not yet in the history
    assert report.round_number(pd.DataFrame(), "2020-08-27") == 1


def test_round_summary_figures_and_change():
    now, history = _history()
    s = report.round_summary(now, history, "2020-08-27")
    assert s.dievaluasi == 4 and s.tanpa_wajib == 1
    assert s.zona == {"hijau": 1, "kuning": 2, "merah": 1}
    assert s.rata_rata == (100 + 89.95 + 50 + 10) / 4
    assert s.wajib == 2030 and s.terpenuhi == 10 + 1799 + 5 + 1
    assert s.gabungan == 1815 / 2030 * 100
    assert s.putaran_sebelumnya == "2020-08-13"
    assert s.rata_rata_sebelumnya == (80 + 40 + 92 + 10) / 4
    assert s.zona_sebelumnya == {"hijau": 1, "kuning": 1, "merah": 2}
    assert s.arah == {"naik": 2, "tetap": 1, "turun": 1}
    html = report.summary_html(s, SETTINGS)
    counts = dict(re.findall(r'data-zona="(\w+)">(\d+)<', html))
    assert counts == {"hijau": "1", "kuning": "2", "merah": "1"}
    assert "+7,0 poin" in html  # 62.4875 - 55.5 = 6.9875, rounded half up
    assert "Kamis, 13 Agustus 2020" in html
    assert "2 OPD naik zona, 1 turun, 1 tetap" in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "● Hijau" in text and "▲ Kuning" in text and "■ Merah" in text  # zone by symbol and word too
    headline = report.attention_html(now, history, "2020-08-27", SETTINGS)
    assert "62,5 %" in headline  # mean 62.4875 rounded half up
    assert "gabungan butir 89,4 % (1.815 dari 2.030 butir)" in headline


def test_summary_of_first_round_says_so():
    now = _progres()
    s = report.round_summary(now, now, "2020-08-27")
    assert s.putaran_sebelumnya is None
    assert "putaran pertama" in report.summary_html(s, SETTINGS)


def test_header_has_region_round_and_build_time_escaped():
    settings = Settings(region="Kabupaten <A&B>")
    built = datetime(2020, 8, 27, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    html = report.header_html(settings, "2020-08-27", 3, built)
    assert "Kabupaten &lt;A&amp;B&gt;" in html
    assert "Putaran ke-3" in html and "Kamis, 27 Agustus 2020" in html
    assert "Kamis, 27 Agustus 2020 pukul 09.30 WIB" in html
    assert report.TOC_PLACEHOLDER in html


def _entries(html: str) -> list[str]:
    return re.findall(r'<details class="opd".*?</details>', html, re.S)


def test_opd_list_escapes_names_and_marks_zones():
    now, history = _history()
    html = report.opd_table_html(now, SETTINGS, riwayat=history, putaran="2020-08-27")
    assert "<script>" not in html
    assert "Dinas &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    rows = _entries(html)
    assert len(rows) == 5
    first = rows[1]  # sorted by percent: O1 (100) then the escaped name (89,95)
    assert "2.000" in first and "1.799" in first and "89,9 %" in first
    assert f'background:{SETTINGS.zones.colours["kuning"]}' in first and "▲</span> Kuning" in first
    assert "+50,0" in first and "↑ naik" in first  # a change (49.95 points) has no zone: half up
    assert "↓ turun" in rows[2] and "−42,0" in rows[2]
    assert 'data-zona="tanpa"' in rows[4] and "Tanpa zona" in rows[4]  # the OPD owing nothing
    assert 'data-persen="-1"' in rows[4]


def test_composition_lists_names_per_zone():
    html = re.sub(r"<[^>]+>", "", report.composition_html(_progres(), SETTINGS))
    assert "● Hijau (≥ 90 %): 1 OPD" in html
    assert "▲ Kuning (≥ 50 % dan &lt; 90 %): 2 OPD" in html
    assert "■ Merah (&lt; 50 %): 1 OPD" in html
    assert "Dinas &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co (89,9 %)" in html
    assert "Tanpa butir wajib (tanpa zona): Dinas Pariwisata." in html


def _items() -> pd.DataFrame:
    rows = []
    for opd, elements in (("O1", [("E1", "1.01", "Pendidikan"), ("E2", "1.02", "Kesehatan")]),
                          ("O4", [("E3", "1.02", "Kesehatan")])):
        for kode, ku, nu in elements:
            for year in (2018, 2019):
                rows.append({"kode_opd": opd, "kode_elemen": kode, "tahun": year, "kode_urusan": ku,
                             "nama_urusan": nu})
    return pd.DataFrame(rows)


def test_progress_by_opd_urusan_counts_items():
    kekurangan = pd.DataFrame({"kode_opd": ["O1", "O4", "O4"], "kode_elemen": ["E2", "E3", "E3"],
                               "tahun": [2019, 2018, 2019]})
    out = report.progress_by_opd_urusan(_items(), kekurangan)
    got = {(r.kode_opd, r.kode_urusan): (r.wajib, r.terpenuhi, r.persen) for r in out.itertuples()}
    assert got == {("O1", "1.01"): (2, 2, 100.0), ("O1", "1.02"): (2, 1, 50.0), ("O4", "1.02"): (2, 0, 0.0)}
    progres = pd.DataFrame({"kode_opd": ["O1", "O4"], "nama_opd": ["Dinas A", "Dinas B"],
                            "persen": [75.0, 0.0], "wajib": [4, 3]})
    matrix = report.heatmap_matrix(out, progres)
    assert list(matrix.index) == ["Dinas A", "Dinas B"]
    assert list(matrix.columns) == ["1.01 Pendidikan", "1.02 Kesehatan"]
    assert matrix.loc["Dinas A", "1.02 Kesehatan"] == 50.0
    assert np.isnan(matrix.loc["Dinas B", "1.01 Pendidikan"])
    assert report.wajib_mismatch(out, progres) == ["Dinas B"]  # 2 items in catalogue, 3 in progres


def _masalah() -> pd.DataFrame:
    return pd.DataFrame({
        "putaran": "2020-08-27",
        "sumber_file": ["a.xlsx", "a.xlsx", "b.xlsx", "c.xlsx"],
        "sumber_sheet": ["S", "S", "T", None],
        "sumber_baris": [3, 4, 9, None],
        "sumber_kolom": ["B", None, "A", None],
        "kode_opd": ["O1", "O1", "O3", None],
        "tingkat": ["galat", "peringatan", "info", "galat"],
        "kode_masalah": ["angka_tidak_terbaca", "cocok_fuzzy", "cocok_fuzzy", "opd_tidak_dikenal"],
        "pesan": ["x", "'Jml <b>' ~ 'Jumlah'", "y", "z"],
    })


def test_issues_per_opd_by_level_and_kind():
    html = report.issues_html(_masalah(), _progres())
    rows = re.findall(r"<tr>(.*?)</tr>", html)[1:]
    assert len(rows) == 3
    by_name = {re.search(r"<td>(.*?)</td>", r).group(1): re.findall(r'<td class="angka">(\d+)</td>', r)
               for r in rows}
    assert by_name["Dinas Kesehatan"] == ["1", "1", "0"]
    assert by_name["(OPD tidak dikenali)"] == ["1", "0", "0"]
    assert by_name["Dinas &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"] == ["0", "0", "1"]
    assert "angka tidak terbaca: 1; nama elemen mirip (dicocokkan menurut kemiripan): 1" in html
    assert report.issues_html(_masalah().iloc[0:0], _progres()).strip().startswith("<p>Tidak ada masalah")


def test_fuzzy_matches_listed_with_source():
    html = report.review_html(_masalah(), _progres())
    assert "2 nama dicocokkan menurut kemiripan tulisan" in html
    assert "&#39;Jml &lt;b&gt;&#39; ~ &#39;Jumlah&#39;" in html
    assert len(re.findall(r"<tr>", html)) == 3


def test_row_accounting_reconciles_and_flags_mismatch():
    manifest = {"berkas": [
        {"nama": "a.xlsx", "kode_opd": "O1", "baris": {"dibaca": 10, "data": 6, "struktur": {"judul": 1, "kepala": 2},
                                                       "ditolak": 1}},
        {"nama": "b.xlsx", "kode_opd": "O3", "baris": {"dibaca": 5, "data": 3, "struktur": {"judul": 1},
                                                       "ditolak": 0}},
        {"nama": "c.xlsx", "kode_opd": "O1", "baris": {"dibaca": 2, "data": 2, "struktur": {}, "ditolak": 0},
         "sel": {"angka": 9, "nilai": 6, "struktur": 2, "masalah": 0}},
        {"nama": "d.xlsx", "kode_opd": "O1", "baris": {"dibaca": 2, "data": 2, "struktur": {}, "ditolak": 0},
         "sel": {"angka": 9, "nilai": 6, "struktur": 2, "masalah": 1}},
    ]}
    html = report.row_accounting_html(manifest, _progres())
    assert "Struktur: judul" in html and "Struktur: kepala" in html and "Sel: bermasalah" in html
    assert "2 berkas tidak cocok hitungannya" in html
    rows = re.findall(r"<tr>(.*?)</tr>", html)[1:]
    assert rows[0].endswith("<td>ya</td>") and rows[1].endswith("<td>TIDAK</td>")
    assert rows[2].endswith("<td>TIDAK</td>") and rows[3].endswith("<td>ya</td>")  # 9 != 6 + 2 + 0; 9 = 6 + 2 + 1
    assert re.findall(r"<td[^>]*>(\d+)</td>", rows[3])[-4:] == ["9", "6", "2", "1"]
    assert "Manifest tidak memuat" in report.row_accounting_html({}, _progres())
    # the other spelling of the list works too
    assert "a.xlsx" in report.row_accounting_html({"files": manifest["berkas"]}, _progres())


def test_opd_card_groups_missing_years_per_element():
    kekurangan = pd.DataFrame({
        "putaran": "2020-08-27", "kode_opd": ["O3", "O3", "O3"], "nama_opd": EVIL,
        "kode_elemen": ["E1", "E1", "E2"], "nama_elemen": ["Jumlah <b>x</b>", "Jumlah <b>x</b>", "Luas"],
        "satuan": ["unit", "unit", "ha"], "kode_urusan": "1.01", "nama_urusan": "Pendidikan",
        "tahun": [2019, 2018, 2019],
    })
    now, history = _history()
    html = report.opd_table_html(now, SETTINGS, riwayat=history, kekurangan=kekurangan, masalah=_masalah(),
                                 putaran="2020-08-27")
    card = next(r for r in _entries(html) if 'id="opd-O3"' in r)
    assert "Jumlah &lt;b&gt;x&lt;/b&gt; (unit): tahun 2018, 2019" in card and "Luas (ha): tahun 2019" in card
    assert "Masalah kiriman: 1" in card and "Catatan</strong> (nama elemen mirip (dicocokkan menurut kemiripan)): y" in card
    # history of both rounds, then both paces: 40 -> 89.95 in two weeks
    assert "13 Agustus 2020" in card and "27 Agustus 2020" in card
    assert "Laju terakhir +25,0 poin/minggu" in card


def test_provenance_lists_files_catalogue_settings_packages():
    manifest = {"katalog": {"sha256": "ab" * 32}, "berkas": [{"nama": "x<y>.xlsx", "ukuran": 12345,
                                                               "sha256": "cd" * 32}]}
    html = report.provenance_html(manifest, SETTINGS, {"putaran": "2020-08-27"},
                                  versions={"pandas": "3.1.0"})
    assert "x&lt;y&gt;.xlsx" in html and "12.345" in html and "cd" * 32 in html
    assert "ab" * 32 in html
    assert "tidak ada: nilai bawaan dipakai" in html  # default settings: no file, no English keys
    assert "<td>pandas</td><td>3.1.0</td>" in html
    versions = report.package_versions(("pandas", "paket-yang-tidak-ada"))
    assert versions["pandas"] == pd.__version__
    assert versions["paket-yang-tidak-ada"] == "tidak terpasang"


def test_unsafe_colour_in_settings_is_not_written_into_style():
    from satudata.reference.settings import ZoneSettings

    settings = Settings(zones=ZoneSettings(colours={"hijau": "red;background:url(https://x)", "kuning": "#FFF",
                                                    "merah": "#000"}))
    assert report.colour(settings, "hijau") == "#9E9E9E"
    assert "url(" not in str(report.zone_cell(settings, "hijau", "95,0"))


def test_urusan_columns_in_natural_order():
    codes = ["4.1.10", "4.1.2", "DEMO", "4.1.1"]
    assert sorted(codes, key=report.natural_key) == ["4.1.1", "4.1.2", "4.1.10", "DEMO"]
