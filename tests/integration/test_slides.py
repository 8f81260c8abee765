"""The rakor deck: at most ten slides whatever the number of OPDs, titles that state the point and equal the
round's counts, every OPD below hijau on the chart (text >= 14 pt), title placeholders, notes and footer on
every slide, zone words beside zone colours, no English; LibreOffice opens it (when installed)."""

from __future__ import annotations

import math
import re
import shutil
import subprocess

import pandas as pd
import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from satudata.evaluation import trends
from satudata.outputs import deck_content, slides
from satudata.reference.settings import RoundSettings, Settings, ZoneSettings

ROUNDS = ["2020-08-13", "2020-08-20", "2020-08-27"]
N_OPD = 30
ZONE_WORDS = ("Hijau", "Kuning", "Merah")
# English words that must not reach a rakor audience (whole words, case-insensitive)
ENGLISH = ("fuzzy", "sheet", "slide", "chart", "item", "items", "score", "warning", "deadline", "round", "page",
           "none", "nan", "null", "true", "false", "total", "stalled", "progress", "zone", "the", "and", "of")  # fmt: skip


def zone(p: float) -> str | None:
    if math.isnan(p):
        return None
    return "hijau" if p >= 90 else "kuning" if p >= 50 else "merah"


def history(n: int = N_OPD) -> pd.DataFrame:
    """30 OPDs owing 20 items each (the last owes nothing); round 3: 14 hijau, 9 kuning, 6 merah."""
    rows = []
    for i in range(n):
        for r, rnd in enumerate(ROUNDS):
            wajib = 0 if i == n - 1 else 20
            final = 20 if i < 14 else (14 + i % 4 if i < 23 else 3 + i % 5)
            done = max(0, final - 2 * (2 - r) * (i % 3)) if wajib else 0
            persen = done / wajib * 100 if wajib else math.nan
            rows.append(
                {
                    "putaran": rnd,
                    "kode_opd": f"OPD{i:02d}",
                    "nama_opd": f"Dinas Nomor {i:02d}",
                    "singkatan": f"D{i:02d}",
                    "jenis": "dinas",
                    "wajib": wajib,
                    "terpenuhi": done,
                    "persen": persen,
                    "zona": zone(persen),
                }
            )
    frame = pd.DataFrame(rows)
    prev = frame.groupby("kode_opd")["persen"].shift(1)
    return frame.assign(persen_sebelumnya=prev, selisih=frame["persen"] - prev)


def missing_of(progres: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"putaran": ROUNDS[-1], "kode_opd": r.kode_opd, "kode_elemen": f"E{k}", "tahun": 2019}
            for r in progres.itertuples()
            for k in range(int(r.wajib - r.terpenuhi))
        ],
        columns=["putaran", "kode_opd", "kode_elemen", "tahun"],
    )


CALENDAR = Settings(rounds=RoundSettings(schedule=tuple(ROUNDS), interval_days=14))


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    out = tmp_path_factory.mktemp("rakor")
    riwayat = history()
    progres = riwayat.loc[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    kekurangan = missing_of(progres)
    path = slides.build_deck(ROUNDS[-1], progres, riwayat, kekurangan, CALENDAR, out / "rakor-2020-08-27.pptx")
    return path, progres, kekurangan


def titles(path) -> list[str]:
    return [slide.shapes.title.text_frame.text for slide in Presentation(str(path)).slides]


def chart_categories(slide) -> list[str]:
    return [str(c) for s in slide.shapes if s.has_chart for c in s.chart.plots[0].categories]


def test_deck_is_16_9_with_at_most_ten_slides(deck):
    path, _, _ = deck
    prs = Presentation(str(path))
    assert (prs.slide_width, prs.slide_height) == (Emu(12191695), Emu(6858000))
    assert len(prs.slides) == 7  # no quality tables given: title, summary, zones per round, below hijau,
    assert titles(path)[0] == "Rakor Satu Data Kabupaten Demak"  # movers, follow-up, annex
    assert titles(path)[-1] == "Lampiran: singkatan OPD dan cara membaca"
    assert prs.core_properties.created.isoformat().startswith("2020-08-27")


def test_every_slide_has_a_title_placeholder_notes_and_the_footer(deck):
    path, _, _ = deck
    prs = Presentation(str(path))
    for number, slide in enumerate(prs.slides, start=1):
        title = slide.shapes.title
        assert title is not None and title.is_placeholder and title.text_frame.text.strip()
        assert slide.has_notes_slide and len(slide.notes_slide.notes_text_frame.text) > 40
        footer = next(s for s in slide.shapes if s.name == "Kaki")
        assert footer.text_frame.text == "Rakor Satu Data Kabupaten Demak · 27 Agustus 2020"
        page = next(s for s in slide.shapes if s.name == "Nomor halaman")
        field = page.text_frame.paragraphs[0]._p.find(qn("a:fld"))
        assert field.get("type") == "slidenum" and page.text_frame.text == f"Halaman {number}"


def test_titles_state_the_round_counts(deck):
    path, progres, kekurangan = deck
    counts = progres["zona"].value_counts()
    migration = trends.zone_migration(history(), ROUNDS[-1])
    up = int((migration.loc[migration["putaran_ke"] == ROUNDS[-1], "arah"] == "naik").sum())
    assert (up, counts["merah"], counts["kuning"], counts["hijau"]) == (4, 6, 9, 14)
    shown = titles(path)
    assert shown[1] == "4 OPD naik zona; 6 masih merah"
    assert shown[2] == "OPD hijau bertambah dari 5 menjadi 14 dalam 3 putaran"
    assert shown[3] == "15 OPD belum hijau: 9 kuning, 6 merah"
    assert shown[4] == "4 OPD naik zona; 5 tidak bergerak atau turun"
    below = progres.loc[progres["zona"] != "hijau"].dropna(subset=["zona"])
    owed = int(kekurangan.loc[kekurangan["kode_opd"].isin(below["kode_opd"])].shape[0])
    assert owed == 129
    # the deadline: no batas_kirim, so the day before the next round (10 September by selang_hari)
    assert shown[5] == "Tindak lanjut: 15 OPD mengirim 99 butir ke hijau paling lambat 9 September 2020"


def test_zone_counts_per_round_slide(deck):
    path, _, _ = deck
    slide = Presentation(str(path)).slides[2]
    chart = next(s.chart for s in slide.shapes if s.has_chart)
    assert [s.name for s in chart.plots[0].series] == list(ZONE_WORDS)
    assert {s.name: list(s.values) for s in chart.plots[0].series} == {
        "Hijau": [5, 10, 14], "Kuning": [15, 13, 9], "Merah": [9, 6, 6]}  # fmt: skip
    table = next(s.table for s in slide.shapes if s.has_table)
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Zona", "13 Agu 2020", "20 Agu 2020", "27 Agu 2020"],
        ["Hijau", "5", "10", "14"], ["Kuning", "15", "13", "9"], ["Merah", "9", "6", "6"],
        ["Jumlah", "29", "29", "29"]]  # fmt: skip


def test_every_opd_below_hijau_is_on_the_chart_and_in_the_annex(deck):
    path, progres, _ = deck
    prs = Presentation(str(path))
    below = progres.loc[progres["zona"].isin(["kuning", "merah"])]
    assert len(below) == 15
    shown = chart_categories(prs.slides[3])
    assert sorted(shown) == sorted(below["singkatan"])  # only those below hijau, each once
    annex = slides.slide_texts(path)[-1]
    for row in below.itertuples():
        assert row.singkatan in annex and row.nama_opd in annex


def _sizes(element) -> list[int]:
    return [int(n.get("sz")) for n in element.iter() if n.get("sz") is not None]


def test_below_hijau_chart_text_is_at_least_14_pt(deck):
    path, _, _ = deck
    slide = Presentation(str(path)).slides[3]
    charts = [s.chart for s in slide.shapes if s.has_chart]
    assert charts
    for chart in charts:
        sizes = _sizes(chart._chartSpace)
        assert sizes and min(sizes) >= 1400
        labels = [p for p in chart._chartSpace.iter(qn("c:dLbl"))]
        assert len(labels) == len(list(chart.plots[0].categories))  # a percent and zone word on every bar
    texts = slides.slide_texts(path)[3]
    assert "15,0 % Merah" in texts and "85,0 % Kuning" in texts


def test_many_opds_below_hijau_stay_on_one_slide(tmp_path):
    """120 OPDs, 105 below hijau: still at most ten slides, one chart slide with columns of at most 20 bars."""
    riwayat = history(120)
    riwayat["singkatan"] = "Dinas-" + riwayat["kode_opd"].str[3:]
    progres = riwayat.loc[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    path = slides.build_deck(ROUNDS[-1], progres, riwayat, missing_of(progres), Settings(), tmp_path / "r.pptx")
    prs = Presentation(str(path))
    assert len(prs.slides) <= deck_content.MAX_SLIDES
    below = progres.loc[progres["zona"].isin(["kuning", "merah"]), "singkatan"]
    assert len(below) == 105
    chart_slides = [s for s in prs.slides if chart_categories(s) and "belum hijau" in s.shapes.title.text_frame.text]
    assert len(chart_slides) == 1
    charts = [s.chart for s in chart_slides[0].shapes if s.has_chart]
    assert [len(list(c.plots[0].categories)) for c in charts] == [18, 18, 18, 18, 18, 15]
    assert sorted(chart_categories(chart_slides[0])) == sorted(below)
    assert min(min(_sizes(c._chartSpace)) for c in charts) >= 1400
    annex = slides.slide_texts(path)[-1]
    assert all(name in annex for name in below)


def test_every_zone_colour_has_its_word(deck):
    """A slide that uses a zone's colour (a fill, a bar, a series) also writes the zone's word."""
    path, _, _ = deck
    colours = deck_content.zone_colours(CALENDAR)
    words = dict(zip(("hijau", "kuning", "merah"), ZONE_WORDS, strict=True))
    texts = slides.slide_texts(path)
    for slide, text in zip(Presentation(str(path)).slides, texts, strict=True):
        parts = [slide._element, *(s.chart._chartSpace for s in slide.shapes if s.has_chart)]
        used = {"#" + n.get("val").upper() for part in parts for n in part.iter(qn("a:srgbClr"))}
        for zone_, colour in colours.items():
            if colour.upper() in used:
                assert words[zone_] in text, (zone_, slide.shapes.title.text_frame.text)


def test_zone_colours_stay_apart_for_deuteranopia():
    # the default palette (the report's) already stays apart: the deck uses it as it is, as the report does
    default = Settings().zones.colours
    assert deck_content.zone_colours(Settings()) == default
    for a, b in (("hijau", "kuning"), ("hijau", "merah"), ("kuning", "merah")):
        assert deck_content.deuteranope_distance(default[a], default[b]) >= deck_content.MIN_CVD_DISTANCE
    # a region's green and red that a deuteranope confuses: green takes the safe bluish green
    confused = {"hijau": "#2E7D32", "kuning": "#F9A825", "merah": "#C62828"}
    assert deck_content.deuteranope_distance(confused["hijau"], confused["merah"]) < deck_content.MIN_CVD_DISTANCE
    colours = deck_content.zone_colours(Settings(zones=ZoneSettings(colours=confused)))
    assert colours["hijau"] == "#009E73"
    for a, b in (("hijau", "kuning"), ("hijau", "merah"), ("kuning", "merah")):
        assert deck_content.deuteranope_distance(colours[a], colours[b]) >= deck_content.MIN_CVD_DISTANCE
    # a region's palette that already stays apart is kept as it is
    safe = {"hijau": "#1B5E9E", "kuning": "#F0E442", "merah": "#C65A00"}
    assert deck_content.zone_colours(Settings(zones=ZoneSettings(colours=safe))) == safe


def test_no_english_on_slides_or_in_notes(deck):
    path, _, _ = deck
    for text in slides.slide_texts(path, notes=True):
        words = set(re.findall(r"[A-Za-z]+", text.lower()))
        assert not words & set(ENGLISH), words & set(ENGLISH)


def test_stalled_and_falling_come_from_the_last_interval_pace():
    """Stalled: last-interval pace 0 below 100 %; falling: below 0; a rise before a stall does not count."""
    rows = []
    series = {"A": [40, 60, 60], "B": [50, 70, 65], "C": [40, 45, 92], "D": [100, 100, 100], "E": [95, 95, 95]}
    for kode, values in series.items():
        for rnd, p in zip(ROUNDS, values, strict=True):
            rows.append({"putaran": rnd, "kode_opd": kode, "nama_opd": f"Dinas {kode}", "singkatan": kode,
                         "wajib": 20, "terpenuhi": p / 5, "persen": float(p), "zona": zone(p)})  # fmt: skip
    riwayat = pd.DataFrame(rows)
    progres = riwayat.loc[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    content = deck_content.build_content(ROUNDS[-1], progres, riwayat, missing_of(progres), Settings())
    pace = trends.recent_pace(riwayat, ROUNDS[-1]).set_index("kode_opd")["laju_terakhir"]
    assert pace.round(3).to_dict() == {"A": 0.0, "B": -5.0, "C": 47.0, "D": 0.0, "E": 0.0}
    assert [r.singkatan for r in content.stalled] == ["A", "E"]  # D is complete: not stalled
    assert [r.singkatan for r in content.falling] == ["B"]
    assert [r.singkatan for r in content.moved_up] == ["C"] and content.moved_down == []
    assert slides._movement_title(content) == "1 OPD naik zona; 3 tidak bergerak atau turun"
    assert slides.headline(content) == "1 OPD naik zona; tidak ada lagi yang merah"


def test_deadline_from_the_settings_else_the_day_before_the_next_round():
    from datetime import date

    with_deadline = Settings(rounds=RoundSettings(schedule=tuple(ROUNDS), deadline="2020-09-05"))
    assert deck_content.deadline_date(with_deadline, ROUNDS[-1]) == date(2020, 9, 5)
    assert deck_content.deadline_date(CALENDAR, ROUNDS[-1]) == date(2020, 9, 9)  # next round 10 September
    assert deck_content.deadline_date(Settings(), ROUNDS[-1]) is None
    riwayat = history()
    progres = riwayat.loc[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    content = deck_content.build_content(ROUNDS[-1], progres, riwayat, missing_of(progres), with_deadline)
    assert slides._follow_up_title(content) == "Tindak lanjut: 15 OPD mengirim 99 butir ke hijau paling lambat 5 September 2020"
    assert [(f.kapan, f.zona) for f in content.follow_up] == [
        ("Sabtu, 5 September 2020", "merah"), ("Sabtu, 5 September 2020", "kuning"), ("hari ini (rakor)", None),
        ("Sabtu, 5 September 2020", None), ("jadwal belum ditetapkan", None)]  # fmt: skip
    assert content.follow_up[0].siapa == "6 OPD zona Merah: D25, D26, D27, D23, D28, D24"
    # they lack 89 items for 100 % (17+16+15+14+14+13), 77 for hijau (90 %) and 29 for kuning (50 %)
    assert content.follow_up[0].apa.startswith("Kirim 29 butir untuk mencapai Kuning (77 butir untuk Hijau)")
    none = deck_content.build_content(ROUNDS[-1], progres, riwayat, missing_of(progres), Settings())
    assert none.follow_up[0].kapan == "belum ditetapkan"


def test_quality_slide_when_the_quality_tables_are_given(tmp_path):
    riwayat = history()
    progres = riwayat.loc[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    scores = progres[["kode_opd", "nama_opd"]].assign(skor_kualitas=[80.0 + i % 20 for i in range(N_OPD)])
    scores.loc[scores["kode_opd"] == "OPD29", "skor_kualitas"] = math.nan
    from satudata.evaluation.quality import COMPONENTS

    for column in COMPONENTS:
        scores[column] = math.nan
    warnings = pd.DataFrame({"kode_cek": ["lonjakan", "lonjakan", "semua_strip"]})
    path = slides.build_deck(ROUNDS[-1], progres, riwayat, missing_of(progres), Settings(), tmp_path / "r.pptx",
                             quality=(scores, warnings))  # fmt: skip
    shown = titles(path)
    assert len(shown) == 8
    assert shown[5] == "Skor kualitas nilai 87,8 dari 100; 3 peringatan perlu diperiksa"  # (1.790 + 756) / 29
    text = slides.slide_texts(path)[5]
    assert "lonjakan antartahun 2; seluruh tahun '-' 1" in text and "D00 (Dinas Nomor 00) 80,0" in text
    assert "lembar 'Kualitas Nilai'" in text


def test_first_round_deck(tmp_path):
    riwayat = history()
    first = riwayat.loc[riwayat["putaran"] == ROUNDS[0]].reset_index(drop=True)
    path = slides.build_deck(ROUNDS[0], first, first, missing_of(first), Settings(), tmp_path / "rakor.pptx")
    shown = titles(path)
    assert len(shown) == 7
    assert shown[1] == "Putaran pertama: 5 OPD hijau, 15 kuning, 9 merah"
    assert shown[2] == "Titik awal: 5 dari 29 OPD sudah hijau"
    assert shown[4] == "Pergerakan terlihat mulai putaran kedua"
    text = slides.slide_texts(path)
    assert "Putaran pertama: belum ada pembanding." in text[4]
    assert "Perkiraan kapan rata-rata capaian mencapai 90 %: belum dapat dihitung (baru ada satu putaran)." in text[1]


def test_overall_forecast_uses_the_last_interval_and_the_round_calendar():
    riwayat = history()  # mean of the OPD percents: 59,66 -> 68,10 -> 77,76 in weekly rounds
    calendar = Settings(rounds=RoundSettings(schedule=tuple(ROUNDS), interval_days=14))
    assert deck_content.overall_forecast(ROUNDS[-1], riwayat, calendar) == (
        "Dengan laju sekarang (laju terakhir +9,7 poin per minggu, laju rata-rata +9,1 poin per minggu), rata-rata capaian "
        "mencapai 90 % pada putaran ke-4 (10 September 2020)."
    )
    falling = riwayat.assign(persen=riwayat["persen"].where(riwayat["putaran"] != ROUNDS[-1], riwayat["persen"] - 20))
    text = deck_content.overall_forecast(ROUNDS[-1], falling, calendar)
    assert text.startswith("Tidak ada perkiraan kapan rata-rata capaian mencapai 90 %: rata-rata turun (laju terakhir "
                           "−10,3 poin per minggu")
    assert "September" not in text and "putaran ke-" not in text


def test_layout_helpers():
    assert slides.chart_columns(17) == [(0, 9), (9, 17)]
    assert slides.chart_columns(16) == [(0, 16)]
    assert slides.chart_columns(0) == []
    assert slides.annex_layout(["Dinas Nomor 00"] * 10) == (1, 14, 106)  # one table, names on one line
    assert slides.annex_layout(["x" * 40] * 33) == (2, 12, 51)
    assert slides.annex_layout(["x" * 60] * 33) == (2, 10, 61)  # 10 pt: each name on one line again
    assert slides.annex_layout(["Dinas Nomor 00"] * 59)[0] == 3


@pytest.mark.slow
def test_deck_converts_to_pdf_with_one_page_per_slide(deck, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) tidak terpasang")
    path, _, _ = deck
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profil", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "rakor-2020-08-27.pdf"
    assert pdf.exists(), result.stderr
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages == len(Presentation(str(path)).slides) == 7


def test_text_is_marked_indonesian(deck):
    """Every run, in slides, notes and charts, carries lang="id-ID" (spelling checks in Indonesian)."""
    path, _, _ = deck
    prs = Presentation(str(path))
    for slide in prs.slides:
        parts = [slide._element, slide.notes_slide._element]
        parts += [s.chart._chartSpace for s in slide.shapes if s.has_chart]
        langs = {n.get("lang") for part in parts for tag in ("a:rPr", "a:endParaRPr", "a:defRPr")
                 for n in part.iter(qn(tag))}  # fmt: skip
        assert langs == {"id-ID"}, langs
    assert prs.core_properties.language == "id-ID"


def test_follow_up_names_the_opds_whose_files_have_errors():
    riwayat = history()
    progres = riwayat.loc[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    masalah = pd.DataFrame({"kode_opd": ["OPD03", "OPD07", "OPD07", None, "OPD20"],
                            "tingkat": ["galat", "galat", "peringatan", "galat", "info"]})  # fmt: skip

    def rows(m):
        content = deck_content.build_content(ROUNDS[-1], progres, riwayat, missing_of(progres), CALENDAR, masalah=m)
        return [f.siapa for f in content.follow_up if "berkas" in f.siapa]

    assert rows(masalah) == ["2 OPD dengan galat berkas: D03, D07"]  # a warning or a note is no error to fix
    assert rows(masalah.iloc[0:0]) == []  # no file error: no row
    assert rows(None) == ["Semua OPD yang berkasnya bermasalah"]  # not known: the general row
