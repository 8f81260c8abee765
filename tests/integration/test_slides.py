"""The rakor deck: opens with python-pptx, converts to PDF with LibreOffice, zone slides list exactly their OPDs."""

from __future__ import annotations

import math
import re
import shutil
import subprocess

import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Emu

from satudata import slides
from satudata.settings import Settings

ROUNDS = ["2020-08-13", "2020-08-20", "2020-08-27"]
N_OPD = 30


def zone(p: float) -> str | None:
    if math.isnan(p):
        return None
    return "hijau" if p >= 90 else "kuning" if p >= 50 else "merah"


def history() -> pd.DataFrame:
    """30 OPDs owing 20 items each (one owes nothing); round 3: 14 hijau, 9 kuning, 6 merah."""
    rows = []
    for i in range(N_OPD):
        for r, rnd in enumerate(ROUNDS):
            wajib = 0 if i == 29 else 20
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


@pytest.fixture(scope="session")
def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True, timeout=900)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=900", "libreoffice-impress-nogui"],
            check=True,
            capture_output=True,
            timeout=1800,
            env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
        )
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"LibreOffice tidak dapat dipasang dengan apt-get: {exc}")
    found = shutil.which("soffice")
    if not found:
        pytest.skip("soffice tidak ditemukan setelah apt-get")
    return found


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    out = tmp_path_factory.mktemp("rakor")
    riwayat = history()
    progres = riwayat.loc[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    kekurangan = pd.DataFrame(
        [
            {"putaran": ROUNDS[-1], "kode_opd": r.kode_opd, "kode_elemen": f"E{k}", "tahun": 2019}
            for r in progres.itertuples()
            for k in range(int(r.wajib - r.terpenuhi))
        ]
    )
    path = slides.build_deck(
        ROUNDS[-1], progres, riwayat, kekurangan, Settings(), out / "rakor-2020-08-27.pptx", out / "grafik"
    )
    return path, progres, kekurangan


def titled(path) -> list[tuple[str, list[list[str]]]]:
    """(title, table rows) of each slide."""
    out = []
    for slide in Presentation(str(path)).slides:
        title = next(s.text_frame.text for s in slide.shapes if s.name == "Judul")
        rows = [[c.text for c in row.cells] for s in slide.shapes if s.has_table for row in s.table.rows]
        out.append((title, rows))
    return out


def test_deck_is_16_9_with_expected_slides(deck):
    path, _, _ = deck
    prs = Presentation(str(path))
    assert (prs.slide_width, prs.slide_height) == (Emu(12191695), Emu(6858000))
    titles = [t for t, _ in titled(path)]
    assert titles[0] == "Rapat Koordinasi Satu Data Kabupaten Demak"
    assert titles[1] == "Ringkasan"
    assert "Sebaran zona" in titles and "Tren capaian" in titles and "Langkah berikutnya" in titles
    assert "Yang bergerak sejak putaran lalu" in titles
    assert "10 OPD dengan butir kurang terbanyak" in titles
    assert prs.core_properties.created.isoformat().startswith("2020-08-27")


def test_each_zone_slide_lists_exactly_its_opds(deck):
    path, progres, _ = deck
    slides_ = titled(path)
    expected_counts = {"Hijau": 14, "Kuning": 9, "Merah": 6}
    for zona, label in (("hijau", "Hijau"), ("kuning", "Kuning"), ("merah", "Merah")):
        pages = [rows for title, rows in slides_ if title.startswith(f"Zona {label} ")]
        listed = [row[1] for rows in pages for row in rows[1:]]
        expected = progres.loc[progres["zona"] == zona, "nama_opd"].tolist()
        assert len(listed) == expected_counts[label]
        assert sorted(listed) == sorted(expected)
    # 14 hijau OPDs do not fit one slide: two slides titled (1/2), (2/2)
    hijau_titles = [t for t, _ in slides_ if t.startswith("Zona Hijau")]
    assert hijau_titles == ["Zona Hijau (≥ 90 %): 14 OPD (1/2)", "Zona Hijau (≥ 90 %): 14 OPD (2/2)"]
    # the OPD that owes nothing is listed apart, never in a zone
    no_zone = [rows for t, rows in slides_ if t.startswith(slides.NO_ZONE_TITLE)]
    assert [r[1] for rows in no_zone for r in rows[1:]] == ["Dinas Nomor 29"]


def test_zone_slide_percent_is_truncated(deck):
    path, progres, _ = deck
    rows = {r[1]: r for t, rows in titled(path) if t.startswith("Zona Kuning") for r in rows[1:]}
    assert rows["Dinas Nomor 14"][3] == "80,0 %"  # 16 of 20


def test_summary_and_missing_numbers(deck):
    path, progres, kekurangan = deck
    text = slides.slide_texts(path)
    summary = text[1]
    assert "OPD yang dievaluasi: 29 dari 30 OPD" in summary
    assert "Zona Hijau (≥ 90 %): 14 OPD" in summary and "Zona Merah (< 50 %): 6 OPD" in summary
    missing = dict(titled(path))["10 OPD dengan butir kurang terbanyak"]
    assert len(missing) == 11
    top = kekurangan.groupby("kode_opd").size().sort_values(ascending=False)
    assert missing[1][2] == str(top.iloc[0])


def test_deck_images_are_high_resolution(deck):
    path, _, _ = deck
    pictures = [s for slide in Presentation(str(path)).slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) >= 2
    for pic in pictures:
        px_w, _ = pic.image.size
        assert px_w / (pic.width / 914400) >= 150  # pixels per inch as placed


@pytest.mark.slow
def test_deck_converts_to_pdf(deck, soffice, tmp_path):
    path, _, _ = deck
    result = subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    pdf = tmp_path / "rakor-2020-08-27.pdf"
    assert pdf.exists(), result.stderr
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages == len(Presentation(str(path)).slides)


def test_first_round_deck_has_no_empty_change_column(tmp_path):
    riwayat = history()
    first = riwayat.loc[riwayat["putaran"] == ROUNDS[0]].reset_index(drop=True)
    kekurangan = pd.DataFrame(columns=["putaran", "kode_opd", "kode_elemen", "tahun"])
    path = slides.build_deck(ROUNDS[0], first, first, kekurangan, Settings(), tmp_path / "rakor.pptx",
                             tmp_path / "grafik")
    zone_tables = [rows for title, rows in titled(path) if title.startswith("Zona ")]
    assert zone_tables and all(rows[0] == ["No", "Nama OPD", "Singkatan", "Persen"] for rows in zone_tables)
    assert sum(len(rows) - 1 for rows in zone_tables) == 29  # every OPD with items owed, once
    text = slides.slide_texts(path)
    assert "Putaran pertama: belum ada pembanding." in text[1]
    assert "Perkiraan kapan rata-rata capaian mencapai 90 %: belum dapat dihitung (baru ada satu putaran)." in text[-1]
    assert not any(" item" in t for t in text)


def test_per_opd_chart_is_shared_over_slides_that_can_be_read(tmp_path, monkeypatch):
    """30 OPDs: two chart slides of 15 bars, best first; every OPD on exactly one of them."""
    from satudata import charts

    drawn: list[list[str]] = []
    real = charts.zone_bar_chart

    def spy(progres, settings, title=None):
        drawn.append(progres["nama_opd"].tolist())
        return real(progres, settings, title)

    monkeypatch.setattr(charts, "zone_bar_chart", spy)
    riwayat = history()
    last = riwayat.loc[riwayat["putaran"] == ROUNDS[-1]].reset_index(drop=True)
    kekurangan = pd.DataFrame(columns=["putaran", "kode_opd", "kode_elemen", "tahun"])
    path = slides.build_deck(ROUNDS[-1], last, riwayat, kekurangan, Settings(), tmp_path / "rakor.pptx",
                             tmp_path / "grafik")  # fmt: skip
    titles = [t for t, _ in titled(path)]
    assert [t for t in titles if t.startswith("Capaian tiap OPD")] == ["Capaian tiap OPD (1/2)", "Capaian tiap OPD (2/2)"]
    assert [len(names) for names in drawn] == [15, 15]
    assert sorted(drawn[0] + drawn[1]) == sorted(last["nama_opd"])
    best = last.sort_values("persen", ascending=False, na_position="last")
    assert min(last.set_index("nama_opd").loc[drawn[0], "persen"]) >= best["persen"].iloc[14]
    assert drawn[1][-1] == "Dinas Nomor 29"  # owes nothing: last, on the second slide
    assert sorted(p.name for p in (tmp_path / "grafik").glob("rakor-zona-2*.png")) == [
        f"rakor-zona-{ROUNDS[-1]}-1.png", f"rakor-zona-{ROUNDS[-1]}-2.png"]  # fmt: skip


def test_overall_forecast_uses_the_last_interval_and_the_round_calendar():
    from satudata.settings import RoundSettings

    riwayat = history()  # mean of the OPD percents: 59,66 -> 68,10 -> 77,76 in weekly rounds
    calendar = Settings(rounds=RoundSettings(schedule=tuple(ROUNDS), interval_days=14))
    assert slides._overall_forecast(ROUNDS[-1], riwayat, calendar) == (
        "Dengan laju sekarang (laju terakhir +9,7 poin per minggu, laju rata-rata +9,1), rata-rata capaian "
        "mencapai 90 % pada putaran ke-4 (10 September 2020)."
    )
    falling = riwayat.assign(persen=riwayat["persen"].where(riwayat["putaran"] != ROUNDS[-1], riwayat["persen"] - 20))
    text = slides._overall_forecast(ROUNDS[-1], falling, calendar)
    assert text.startswith("Rata-rata capaian mencapai 90 %: tidak tercapai dengan laju sekarang (laju terakhir −")
    assert "September" not in text and "putaran ke-" not in text
