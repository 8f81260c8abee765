"""The rakor deck on the demo's third round: the titles' numbers equal the round's tables, every OPD below
hijau is on the chart slide, every slide has a title placeholder and notes, at most ten slides."""

from __future__ import annotations

import pandas as pd
import pytest
from pptx import Presentation

from satudata.evaluation import trends
from satudata.outputs import slides
from satudata.run import rakor_stage

LAST = "2020-09-24"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from satudata.run.demo import DEMO_ROUNDS
    from tests.demo_rounds import demo_rounds

    assert DEMO_ROUNDS[-1] == LAST
    data, reports = demo_rounds(tmp_path_factory.mktemp("dek"))
    result = rakor_stage.run_rakor(LAST, data, reports, "")
    progres = pd.read_parquet(data / "processed" / LAST / "progres_opd.parquet")
    riwayat = pd.read_parquet(data / "processed" / "riwayat_progres_opd.parquet")
    kekurangan = pd.read_parquet(data / "processed" / LAST / "kekurangan.parquet")
    return result.deck, progres, riwayat, kekurangan


def test_demo_deck_titles_equal_the_round(demo):
    deck, progres, riwayat, kekurangan = demo
    prs = Presentation(str(deck))
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    counts = progres["zona"].value_counts().to_dict()
    assert counts == {"hijau": 26, "kuning": 16, "merah": 1}
    migration = trends.zone_migration(riwayat, LAST)
    up = int((migration.loc[migration["putaran_ke"] == LAST, "arah"] == "naik").sum())
    assert up == 17
    below = progres.loc[progres["zona"] != "hijau"]
    owed = int(kekurangan["kode_opd"].isin(below["kode_opd"]).sum())
    assert owed == 242  # for 100 %; hijau needs 90 %: 150 items of the kuning OPDs, 7 of the merah one
    from satudata.evaluation.round_facts import items_to_reach

    to_hijau = sum(items_to_reach(int(t), int(w), 90.0) for t, w in zip(below["terpenuhi"], below["wajib"], strict=True))
    assert to_hijau == 157
    assert titles == [
        "Rakor Satu Data Kabupaten Demak",
        f"{up} OPD naik zona; {counts['merah']} masih merah",
        f"OPD hijau bertambah dari 7 menjadi {counts['hijau']} dalam 3 putaran",
        f"{len(below)} OPD belum hijau: {counts['kuning']} kuning, {counts['merah']} merah",
        f"{up} OPD naik zona; 10 tidak bergerak atau turun",
        "Skor kualitas nilai 93,4 dari 100; 19 peringatan perlu diperiksa",
        f"Tindak lanjut: {len(below)} OPD mengirim {to_hijau} butir ke hijau paling lambat 7 Oktober 2020",  # 8 Oct
        "Lampiran: singkatan OPD dan cara membaca",
    ]


def test_demo_deck_names_every_opd_below_hijau(demo):
    deck, progres, _, _ = demo
    prs = Presentation(str(deck))
    below = progres.loc[progres["zona"] != "hijau"]
    on_chart = [str(c) for s in prs.slides[3].shapes if s.has_chart for c in s.chart.plots[0].categories]
    assert sorted(on_chart) == sorted(below["singkatan"])
    texts = slides.slide_texts(deck)
    for row in below.itertuples():
        assert row.nama_opd in texts[-1]  # the annex gives every name behind an abbreviation
    merah = below.loc[below["zona"] == "merah", "singkatan"].tolist()
    assert merah == ["BKPP"] and "1 OPD zona Merah: BKPP" in texts[6]


def test_demo_deck_slides_have_placeholders_and_notes(demo):
    deck, _, _, _ = demo
    prs = Presentation(str(deck))
    assert len(prs.slides) <= 10
    for slide in prs.slides:
        assert slide.shapes.title.is_placeholder and slide.shapes.title.text_frame.text
        assert slide.notes_slide.notes_text_frame.text.strip()
    notes = prs.slides[3].notes_slide.notes_text_frame.text
    assert "BKPP (Badan Kepegawaian Pendidikan dan Pelatihan): 46,7 %, zona Merah, kurang 1 butir ke kuning, 7 butir ke hijau." in notes


def test_demo_summary_figures(demo):
    deck, progres, riwayat, _ = demo
    summary = slides.slide_texts(deck)[1]
    mean = progres["persen"].mean()
    before = riwayat.loc[riwayat["putaran"] == "2020-09-10", "persen"].mean()
    assert (round(mean, 1), round(mean - before, 1)) == (88.9, 11.3)
    assert "Rata-rata capaian OPD: 88,9 % (+11,3 poin sejak putaran lalu)" in summary
    assert "(2.159 dari 2.415 butir)" in summary and progres["terpenuhi"].sum() == 2159
    assert "Tidak bergerak atau turun (laju terakhir ≤ 0): 10 OPD" in summary
    assert "Batas kirim data yang kurang: Rabu, 7 Oktober 2020; putaran berikutnya: Kamis, 8 Oktober 2020" in summary
    for word, count in (("Hijau", 26), ("Kuning", 16), ("Merah", 1)):
        assert f"{word}\n{count} OPD" in summary  # the zone cards: colour, word and count


def test_demo_deck_has_no_english(demo):
    import re

    from tests.integration.test_slides import ENGLISH

    deck, _, _, _ = demo
    for text in slides.slide_texts(deck, notes=True):
        found = set(re.findall(r"[A-Za-z]+", text.lower())) & set(ENGLISH)
        assert not found, found


def test_demo_zone_counts_per_round(demo):
    deck, _, riwayat, _ = demo
    per_round = riwayat.groupby(["putaran", "zona"]).size().unstack().loc[:, ["hijau", "kuning", "merah"]]
    assert per_round.to_numpy().tolist() == [[7, 28, 8], [11, 29, 3], [26, 16, 1]]
    slide = Presentation(str(deck)).slides[2]
    chart = next(s.chart for s in slide.shapes if s.has_chart)
    assert [list(s.values) for s in chart.plots[0].series] == per_round.T.to_numpy().tolist()
    assert "Sejak putaran lalu: Hijau +15; Kuning −13; Merah −2 OPD" in slides.slide_texts(deck)[2]
