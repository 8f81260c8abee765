"""One hostile producer name through every writer: HTML shows it as text, CSV cannot run it as a
formula (a negative number stays a number), the workbooks and the deck take it without the control
characters openpyxl and python-pptx refuse."""

from __future__ import annotations

import csv
from types import SimpleNamespace

import openpyxl
import pandas as pd

from satudata.common import safe_text
from satudata.outputs import feedback, report, slides
from satudata.outputs import trend_views as tv
from satudata.reading.ingest import write_ingest
from satudata.reference.settings import Settings
from tests.integration.test_slides import ROUNDS, history

IMG = "<img src=x onerror=alert(1)>"
LINK = '=HYPERLINK("x")'
NAME = f"Dinas {IMG}\x00\x01"


def _hostile_history() -> pd.DataFrame:
    riwayat = history()
    riwayat.loc[riwayat["kode_opd"] == "OPD00", "nama_opd"] = NAME
    riwayat.loc[riwayat["kode_opd"] == "OPD01", "nama_opd"] = LINK
    return riwayat


def test_html_writers_escape_the_name():
    riwayat = _hostile_history()
    progres = riwayat[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    pages = [report.opd_table_html(progres, Settings()), tv.html_table(progres[["kode_opd", "nama_opd"]]),
             tv.note_html(f"Register OPD tidak dapat dibaca ('{IMG}')")]  # fmt: skip
    for page in pages:
        assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert pages[2] == ('<blockquote class="catatan">Catatan: Register OPD tidak dapat dibaca '
                        "(&#x27;&lt;img src=x onerror=alert(1)&gt;&#x27;)</blockquote>")  # fmt: skip


def test_csv_fields_cannot_start_a_formula(tmp_path):
    masalah = pd.DataFrame({"sumber_file": [LINK, "+62812.xlsx", "-a.csv", "@x", "biasa.xlsx"],
                            "sumber_baris": [1, 2, 3, 4, 5], "nilai": [-5.0, 1.0, -0.5, 0.0, 2.0],
                            "pesan": [NAME, "ok", "- catatan", "\t=1", "Berkas a.xlsx"]})  # fmt: skip
    result = SimpleNamespace(nilai=pd.DataFrame({"x": [1]}), masalah=masalah, manifest={"berkas": []})
    write_ingest(result, tmp_path)
    with (tmp_path / "masalah.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1] == ["'" + LINK, "1", "-5.0", "Dinas <img src=x onerror=alert(1)>"]  # NUL, \x01 gone
    assert [r[0] for r in rows[1:]] == ["'" + LINK, "'+62812.xlsx", "'-a.csv", "'@x", "biasa.xlsx"]
    assert [r[2] for r in rows[1:]] == ["-5.0", "1.0", "-0.5", "0.0", "2.0"]  # numbers stay numbers
    assert [r[3] for r in rows[1:]][2:] == ["'- catatan", "'\t=1", "Berkas a.xlsx"]
    assert pd.read_parquet(tmp_path / "masalah.parquet")["sumber_file"][0] == LINK  # the data itself is kept


def test_progres_csv_is_neutralised():
    frame = pd.DataFrame({"nama_opd": [LINK, "Dinas A"], "selisih": [-3.5, 2.0]})
    safe = safe_text.csv_safe(frame)
    assert safe["nama_opd"].tolist() == ["'" + LINK, "Dinas A"] and safe["selisih"].tolist() == [-3.5, 2.0]


def test_workbooks_and_deck_take_the_name(tmp_path):
    riwayat = _hostile_history()
    progres = riwayat[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    register = progres[["kode_opd", "nama_opd", "singkatan", "jenis"]].head(3)
    kekurangan = pd.DataFrame({"putaran": ROUNDS[-1], "kode_opd": ["OPD00"], "nama_opd": [NAME],
                               "kode_elemen": ["E1"], "nama_elemen": [LINK], "satuan": ["unit"],
                               "kode_urusan": ["1"], "nama_urusan": ["U"], "tahun": [2020]})  # fmt: skip
    masalah = pd.DataFrame({"putaran": ROUNDS[-1], "sumber_file": [LINK], "sumber_sheet": ["S\x01"],
                            "sumber_baris": [3], "sumber_kolom": ["D"], "kode_opd": ["OPD00"], "tingkat": ["galat"],
                            "kode_masalah": ["x"], "pesan": [NAME]})  # fmt: skip
    out = tmp_path / "umpan-balik"
    paths = feedback.write_feedback(register, progres, kekurangan, masalah, Settings(), ROUNDS[-1], out)
    paths.append(feedback.write_walidata_workbook(register, progres, kekurangan, masalah, Settings(), ROUNDS[-1], out))
    texts = []
    for path in paths:
        for ws in openpyxl.load_workbook(path):
            texts += [(c.value, c.data_type) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert ("Dinas " + IMG, "s") in texts and (LINK, "s") in texts  # text, never a formula
    assert not any("\x00" in t or "\x01" in t for t, _ in texts)
    # the deck names the OPDs below hijau: give the hostile name and abbreviation to one of them (OPD25, 15 %)
    riwayat.loc[riwayat["kode_opd"] == "OPD25", ["nama_opd", "singkatan"]] = [NAME, "D\x0125"]
    progres = riwayat[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    deck = slides.build_deck(ROUNDS[-1], progres, riwayat, kekurangan, Settings(), tmp_path / "rakor.pptx")
    shown = slides.slide_texts(deck, notes=True)
    assert any("Dinas " + IMG in t for t in shown) and not any("\x01" in t or "\x00" in t for t in shown)
    assert "D25" in shown[3] and "D25" in shown[5]  # the chart of OPDs below hijau and the follow-up


def test_a_very_long_name_is_cut_on_slides():
    assert len(slides.slide_text("x" * 100_000)) == slides.MAX_SLIDE_TEXT
    assert slides.slide_text("a\x00b") == "ab"


RLO_NAME = "Dinas \u202eKominfo\u202c (\u2067x\u2069) \u200f"  # a right-to-left override, an isolate, a mark


def test_html_writers_drop_bidi_overrides_and_isolate_right_to_left_names():
    riwayat = history()
    riwayat.loc[riwayat["kode_opd"] == "OPD00", "nama_opd"] = RLO_NAME
    riwayat.loc[riwayat["kode_opd"] == "OPD01", "nama_opd"] = "Yayasan \u0627\u0644\u0646\u0648\u0631"  # Arabic
    progres = riwayat[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    pages = [report.opd_table_html(progres, Settings()), tv.html_table(progres[["kode_opd", "nama_opd"]]),
             tv.note_html(f"Berkas {RLO_NAME}.xlsx tidak terbaca")]  # fmt: skip
    for page in pages:
        assert not safe_text.BIDI_CONTROLS.search(page)
    assert "Dinas Kominfo (x)" in pages[0] and "Dinas Kominfo (x)" in pages[1]
    assert pages[2] == '<blockquote class="catatan">Catatan: Berkas Dinas Kominfo (x) .xlsx tidak terbaca</blockquote>'
    assert tv.note_html("Yayasan \u0627\u0644\u0646\u0648\u0631 belum mengirim") == (
        '<blockquote class="catatan">Catatan: <bdi>Yayasan \u0627\u0644\u0646\u0648\u0631 belum mengirim</bdi>'
        "</blockquote>")  # fmt: skip
    assert safe_text.html_escape('a\u202e"<b>') == "a&quot;&lt;b&gt;"  # also safe in an attribute


def test_notebook_views_escape_names_as_the_report_does():
    """Issue 25, part 6: the Stylers the executed notebooks show (02_progres, 03_laporan, 04_rakor,
    05_eksplorasi) keep a producer's markup as text, in cells, headers and captions, so an HTML converted from
    the notebook with nbconvert runs no script."""
    from satudata.outputs import exploration, views

    script = "<script>alert(1)</script>"
    riwayat = _hostile_history()
    riwayat.loc[riwayat["kode_opd"] == "OPD02", "nama_opd"] = f"Dinas {script}"
    progres = riwayat[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    labels = Settings().zones.labels | {"merah": "<b>Merah</b>"}
    settings = Settings(zones=type(Settings().zones)(labels=labels))
    wide = exploration.over_rounds(riwayat, ["kode_opd", "nama_opd"])
    wide = wide.rename(columns={"nama_opd": f"nama {IMG}"})
    pages = [views.progres_opd(progres, settings).to_html(),
             views.styled(progres[["kode_opd", "nama_opd", "persen", "zona"]], settings,
                          caption=f"Dinas {script} (OPD02)").to_html(),
             views.styled_by_value(wide, settings, list(ROUNDS)).to_html()]
    for page in pages:
        assert "<script" not in page and "<img" not in page and "<b>" not in page, page
    assert "Dinas &lt;script&gt;alert(1)&lt;/script&gt;" in pages[0] and "&lt;img src=x" in pages[0]
    assert "<caption>Dinas &lt;script&gt;alert(1)&lt;/script&gt; (OPD02)</caption>" in pages[1]
    assert "nama &lt;img src=x onerror=alert(1)&gt;" in pages[2]
    assert "Hijau" in pages[0] or "Kuning" in pages[0]
