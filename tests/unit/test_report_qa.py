"""Reader-facing fixes found in QA: TOC numbering, first round, sparse urusan grid, labels."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from satudata.evaluation.zones import zone_direction, zone_series
from satudata.outputs import report
from satudata.reference.settings import Settings

SETTINGS = Settings()


def _progres(before=None) -> pd.DataFrame:
    frame = pd.DataFrame({
        "kode_opd": ["O1", "O2", "O3"], "nama_opd": ["Dinas Kesehatan", "Bappeda", "Kecamatan Demak"],
        "singkatan": ["Dinkes", "Bappeda", ""], "wajib": [10, 20, 10], "terpenuhi": [10, 11, 4],
        "persen": [100.0, 55.0, 40.0],
    })
    frame["zona"] = zone_series(frame["persen"], SETTINGS.zones)
    frame["persen_sebelumnya"] = before if before is not None else np.nan
    frame["selisih"] = frame["persen"] - frame["persen_sebelumnya"]
    frame["zona_sebelumnya"] = zone_series(frame["persen_sebelumnya"], SETTINGS.zones)
    frame["arah_zona"] = zone_direction(frame["zona_sebelumnya"], frame["zona"])
    return frame


def test_toc_numbers_only_h2_and_nests_h3():
    body = ('<h2 id="a">A</h2><h3 id="a1">A1</h3><h3 id="a2">A2</h3><h2 id="b">B</h2>'
            '<h2 id="c">C</h2><h3 id="c1">C1</h3>')
    toc = report.table_of_contents(body)
    top = re.search(r"<ol>(.*)</ol>", toc).group(1)
    # three numbered entries; the h3 sit in unnumbered lists inside their h2
    assert len(re.findall(r'<li class="toc-2">', top)) == 3
    assert '<li class="toc-2"><a href="#a">A</a><ul><li class="toc-3"><a href="#a1">A1</a></li>' in top
    assert '<li class="toc-2"><a href="#b">B</a></li>' in top
    assert top.count("<ul>") == 2 and "<ol>" not in top


def _headers(html: str) -> list[str]:
    head = re.search(r'<div class="opd-kepala[^"]*"[^>]*>(.*?)</div>', html).group(1)
    return re.findall(r"<span[^>]*>(.*?)</span>", head)


def test_first_round_list_drops_change_column_and_says_why():
    html = report.opd_table_html(_progres(), SETTINGS)
    assert _headers(html) == ["No", "OPD", "Jenis", "Wajib", "Terpenuhi", "Kurang", "Persen", "Zona"]
    assert "Ini putaran pertama" in html
    rows = re.findall(r'<summary class="opd-baris">(.*?)</summary>', html, re.S)
    assert len(rows) == 3 and not any("k-selisih" in r for r in rows)
    assert "Belum dapat dihitung: laju dan perkiraan muncul mulai putaran kedua." in html


def test_later_round_list_keeps_change_column():
    html = report.opd_table_html(_progres(before=[80.0, 55.0, 60.0]), SETTINGS)
    assert _headers(html)[-1] == "Perubahan (poin)"
    assert "+20,0" in html and "−20,0" in html and "↓ turun" in html and "Ini putaran pertama" not in html


def _by_urusan() -> pd.DataFrame:
    return pd.DataFrame({
        "kode_opd": ["O1", "O2", "O3", "O2"], "kode_urusan": ["4.1.2", "4.1.10", "4.1.10", "4.1.3"],
        "nama_urusan": ["Kesehatan", "Perencanaan", "Perencanaan", "PU"],
        "wajib": [10, 15, 10, 5], "terpenuhi": [10, 9, 4, 2],
    }).assign(persen=lambda f: f["terpenuhi"] / f["wajib"] * 100)


def test_sparse_grid_becomes_a_table_per_urusan():
    matrix = report.heatmap_matrix(_by_urusan(), _progres())
    assert report.matrix_density(matrix) == 4 / 9
    html = report.urusan_table_html(_by_urusan(), _progres(), SETTINGS)
    rows = re.findall(r"<tr>(.*?)</tr>", html)[1:]
    assert [re.search(r"<td>(.*?)</td>", r).group(1) for r in rows] == ["4.1.2", "4.1.3", "4.1.10"]
    perencanaan = rows[2]
    # pooled 13 of 25 = 52 % -> kuning; each OPD with its own percent, singkatan or else the name
    assert "<td>Bappeda 60,0\u00a0%; Kecamatan Demak 40,0\u00a0%</td>" in perencanaan
    assert '<td class="angka">25</td><td class="angka">13</td>' in perencanaan
    assert "zona-kuning" in perencanaan and "</span> 52,0</td>" in perencanaan and "</span> Kuning</td>" in perencanaan


def test_heatmap_section_uses_table_when_sparse(tmp_path):
    items = pd.DataFrame({
        "kode_opd": [f"O{i}" for i in range(1, 9) for _ in range(2)],
        "kode_elemen": [f"E{i}" for i in range(16)], "tahun": 2019,
        "kode_urusan": [f"4.1.{i}" for i in range(1, 9) for _ in range(2)],
        "nama_urusan": [f"Urusan {i}" for i in range(1, 9) for _ in range(2)],
    })
    progres = pd.DataFrame({"kode_opd": [f"O{i}" for i in range(1, 9)], "nama_opd": [f"Dinas {i}" for i in range(1, 9)],
                            "wajib": 2, "terpenuhi": 2, "persen": 100.0, "zona": "hijau"})
    png = tmp_path / "peta.png"
    png.write_bytes(b"old")
    html = report.heatmap_section(items, items.iloc[0:0], progres, SETTINGS, png)
    assert "<img" not in html and "tabel-urusan" in html and "8 urusan" in html
    assert not png.exists()  # a stale grid of an earlier build is not left behind


def test_dense_grid_is_drawn_and_a_table_takes_its_place_on_a_phone(tmp_path):
    """Every OPD owes items in every urusan: the grid is drawn (for a wide screen), and the same figures follow
    as a table shown only on a phone (``hanya-ponsel``), where the stylesheet hides the grid."""
    items = pd.DataFrame({
        "kode_opd": [f"O{i}" for i in range(1, 4) for _ in range(3)], "kode_elemen": [f"E{i}" for i in range(9)],
        "tahun": 2019, "kode_urusan": [f"4.1.{j}" for _ in range(3) for j in range(1, 4)],
        "nama_urusan": [f"Urusan {j}" for _ in range(3) for j in range(1, 4)],
    })  # fmt: skip
    progres = pd.DataFrame({"kode_opd": ["O1", "O2", "O3"], "nama_opd": ["Dinas 1", "Dinas 2", "Dinas 3"],
                            "wajib": 3, "terpenuhi": 3, "persen": 100.0, "zona": "hijau"})
    html = report.heatmap_section(items, items.iloc[0:0], progres, SETTINGS, tmp_path / "peta.png")
    assert html.count("<img") == 1 and (tmp_path / "peta.png").exists()
    phone = html[html.index('<div class="hanya-ponsel">'):]
    assert "tabel-urusan" in phone and phone.count("<tr>") == 4  # header and the 3 urusan


def test_row_roles_and_issue_codes_in_indonesian():
    manifest = {"berkas": [{"nama": "a.xlsx", "kode_opd": "O1", "baris": {
        "dibaca": 6, "data": 2, "struktur": {"header": 1, "judul_bagian": 2, "sheet_dilewati": 1}, "ditolak": 0}}]}
    html = report.row_accounting_html(manifest, _progres())
    assert "Struktur: kepala tabel" in html and "Struktur: judul bagian" in html
    assert "Struktur: lembar kerja dilewati" in html and "header" not in html and "_" not in html.split("<tbody>")[0]
    assert '<td class="berkas">a.xlsx</td>' in html
    assert report.issue_label("semua_nihil") == "semua tahun nihil (perlu konfirmasi)"
    assert report.issue_label("kode_baru") == "kode baru"


def test_provenance_shows_unset_settings_without_none():
    html = report.provenance_html({}, SETTINGS, {"putaran": "2020-08-27"}, versions={"pandas": "3.1.0"})
    assert ">None<" not in html and "catalogue" not in html
    assert "<td>(berkas pengaturan)</td><td>tidak ada: nilai bawaan dipakai</td>" in html


def test_provenance_shows_settings_as_written_without_folders(tmp_path):
    from satudata.reference.settings import load_settings

    path = tmp_path / "pengaturan.toml"
    path.write_text('[wilayah]\nnama = "Kabupaten Uji"\n[katalog]\nketat = false\n[putaran]\n'
                    'jadwal = ["2020-08-27", "2020-09-10"]\n', encoding="utf-8")
    html = report.provenance_html({}, load_settings(path), {"data_dir": str(tmp_path / "data")},
                                  versions={"pandas": "3.1.0"})
    assert "<td>[wilayah] nama</td><td>Kabupaten Uji</td>" in html
    assert "<td>[katalog] ketat</td><td>tidak</td>" in html
    assert "<td>[putaran] jadwal</td><td>2020-08-27, 2020-09-10</td>" in html
    assert "<td>data_dir</td><td>data</td>" in html and str(tmp_path) not in html
