"""One set of facts in every output (issue 23): for every OPD of every demo round, the report, the annex, the
trend page, the deck, the feedback workbook and the EPSS workbook, read back from the files `make demo` wrote,
state the same zone, percent (same rounding), items owed, items to hijau, last submission and action."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from satudata.evaluation.round_facts import load_round_facts
from satudata.outputs.feedback import FACT_ACTION, FACT_LAST_SENT, FACT_TO_HIJAU
from satudata.outputs.slides import FACTS_HEADING
from satudata.reference.settings import load_settings
from satudata.run.demo import DEMO_ROUNDS

# what every output states, as a tuple: (zone, percent, owed, items to hijau, last submission, action)
REPORT_LINE = re.compile(
    r'<p class="fakta-opd" data-kode="([^"]+)">([\d.,–]+) % zona ([^;]+); [\d.]+ dari ([\d.]+) butir wajib; '
    r"([^.]*)\. Kiriman terakhir: (.*?)\. Perlu tindakan: (.*?)\.</p>"
)
DECK_LINE = re.compile(
    r"^(.*?) \(.*\): ([\d.,–]+) % zona ([^;]+); [\d.]+ dari ([\d.]+) butir wajib; ([^;]*); "
    r"kiriman terakhir: (.*); perlu tindakan: (.*)$"
)


def to_hijau(text: str) -> int:
    """Items to hijau from ``kurang 3 butir ke hijau`` (merah: ``..., 9 butir ke hijau``); 0 once hijau."""
    found = re.search(r"(\d[\d.]*) butir ke hijau", text)
    return int(found.group(1).replace(".", "")) if found else 0


def number(text: str) -> int:
    return int(str(text).replace(".", ""))


def report_facts(reports: Path, putaran: str) -> dict[str, tuple]:
    page = (reports / putaran / f"laporan-evaluasi-{putaran}.html").read_text(encoding="utf-8")
    out = {}
    for kode, persen, zona, wajib, ke_zona, kirim, action in REPORT_LINE.findall(page):
        out[html.unescape(kode)] = (zona, persen, number(wajib), to_hijau(ke_zona), kirim, html.unescape(action))
    return out


def deck_facts(reports: Path, putaran: str, by_short: dict[str, str]) -> dict[str, tuple]:
    prs = Presentation(str(reports / putaran / f"rakor-{putaran}.pptx"))
    notes = prs.slides[-1].notes_slide.notes_text_frame.text.splitlines()
    lines = notes[notes.index(FACTS_HEADING) + 1 :]
    out = {}
    for line in lines:
        found = DECK_LINE.match(line)
        assert found, line
        short, persen, zona, wajib, ke_zona, kirim, action = found.groups()
        out[by_short[short]] = (zona, persen, number(wajib), to_hijau(ke_zona), kirim, action)
    return out


FACT_ROW = re.compile(r'<tr[^>]*\bdata-kode="([^"]+)"[^>]*>(.*?)</tr>', re.S)
FACT_CELL = re.compile(r'<td[^>]*\bdata-fakta="([a-z_]+)"[^>]*>(.*?)</td>', re.S)
ZONE_SYMBOL = re.compile(r"^[●▲■◆]\s*")


def facts_table(page: str) -> dict[str, tuple]:
    """The facts table (``outputs/facts_view.py``) of a page read back: kode_opd -> the stated facts."""
    start = page.index('<table class="tabel-fakta">')
    body = page[start : page.index("</table>", start)]
    out = {}
    for kode, row in FACT_ROW.findall(body):
        cells = {k: html.unescape(re.sub(r"<[^>]+>", "", v)).strip() for k, v in FACT_CELL.findall(row)}
        out[html.unescape(kode)] = (ZONE_SYMBOL.sub("", cells["zona"]), cells["persen"], number(cells["wajib"]),
                                    number(cells["ke_hijau"]), cells["kirim"], cells["tindakan"])  # fmt: skip
    return out


def annex_facts(reports: Path, putaran: str) -> dict[str, tuple]:
    return facts_table((reports / putaran / f"lampiran-{putaran}.html").read_text(encoding="utf-8"))


def trend_facts(reports: Path, putaran: str) -> dict[str, tuple]:
    return facts_table((reports / putaran / f"tren-{putaran}.html").read_text(encoding="utf-8"))


def workbook_facts(path: Path) -> tuple:
    ws = load_workbook(path, read_only=True)["Ringkasan"]
    rows = {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
    persen = rows["Persen capaian"]
    # a number cell shown with one decimal (format 0.0); 100.0 reads back as the integer 100
    persen = f"{persen:.1f}".replace(".", ",") if isinstance(persen, (int, float)) else persen
    return (rows["Zona"], persen, rows["Butir data wajib"], rows[FACT_TO_HIJAU], rows[FACT_LAST_SENT],
            rows[FACT_ACTION])  # fmt: skip


def epss_facts(reports: Path, putaran: str) -> dict[str, tuple]:
    ws = load_workbook(reports / putaran / f"bukti-dukung-epss-{putaran}.xlsx", read_only=True)["Per OPD"]
    rows = list(ws.iter_rows(values_only=True))
    col = {name: i for i, name in enumerate(rows[0])}
    return {
        r[col["Kode OPD"]]: (r[col["Zona"]], r[col["Persen capaian"]], r[col["Butir wajib"]], r[col["Butir ke hijau"]],
                             r[col["Kiriman terakhir"]], r[col["Perlu tindakan"]])  # fmt: skip
        for r in rows[1:]
    }


@pytest.mark.parametrize("putaran", DEMO_ROUNDS)
def test_every_output_states_the_same_facts_for_every_opd(demo_built, putaran):
    data, reports = demo_built
    settings = load_settings(data / "reference" / "pengaturan.toml")
    facts = load_round_facts(data / "processed", putaran, settings)
    expected = {
        k: (f.zona_label, f.persen_teks, f.wajib, f.ke_hijau, f.kirim_terakhir_teks, f.tindakan_teks)
        for k, f in facts.opds.items()
    }
    by_short = {f.singkatan: k for k, f in facts.opds.items()}
    assert len(by_short) == len(expected) == 43
    in_report = report_facts(reports, putaran)
    in_deck = deck_facts(reports, putaran, by_short)
    in_epss = epss_facts(reports, putaran)
    in_feedback = {k: workbook_facts(reports / putaran / "umpan-balik" / f"{k}.xlsx") for k in expected}
    in_annex, in_trend = annex_facts(reports, putaran), trend_facts(reports, putaran)
    for name, stated in (("laporan", in_report), ("salindia", in_deck), ("umpan balik", in_feedback),
                         ("EPSS", in_epss), ("lampiran", in_annex), ("tren", in_trend)):  # fmt: skip
        assert set(stated) == set(expected), name
        wrong = {k: (stated[k], expected[k]) for k in expected if stated[k] != expected[k]}
        assert not wrong, (name, wrong)


def test_demo_facts_concrete_numbers(demo_built):
    """The third demo round in numbers: 16 kuning OPDs lack 150 items for hijau (242 for 100 %), five are one
    item away; every OPD has sent a file; the action list holds every OPD below hijau and the stalled."""
    data, reports = demo_built
    settings = load_settings(data / "reference" / "pengaturan.toml")
    facts = load_round_facts(data / "processed", DEMO_ROUNDS[-1], settings)
    kuning = [f for f in facts.opds.values() if f.zona == "kuning"]
    below = [f for f in facts.opds.values() if f.zona != "hijau"]
    assert len(kuning) == 16
    assert sum(f.kurang for f in below) == 242
    assert sum(f.ke_hijau for f in kuning) == 150
    assert sum(f.ke_hijau == 1 for f in kuning) == 5
    assert all(f.kirim_terakhir is not None for f in facts.opds.values())
    acting = facts.action_list
    assert {f.kode_opd for f in below} <= {f.kode_opd for f in acting}
    deck = Presentation(str(reports / DEMO_ROUNDS[-1] / f"rakor-{DEMO_ROUNDS[-1]}.pptx"))
    titles = [s.shapes.title.text_frame.text for s in deck.slides]
    hijau_items = sum(f.ke_hijau for f in below)
    assert f"Tindak lanjut: 17 OPD mengirim {hijau_items} butir ke hijau paling lambat 7 Oktober 2020" in titles


def test_annex_and_trend_page_list_the_opds_to_act_on_first(demo_built):
    """The facts table of the annex and the trend page opens on the round's action list (18 OPDs in the third
    demo round: the 17 below hijau and one stalled hijau OPD), then the others; the region's forecast sentence
    is the deck's and the report's."""
    data, reports = demo_built
    putaran = DEMO_ROUNDS[-1]
    settings = load_settings(data / "reference" / "pengaturan.toml")
    facts = load_round_facts(data / "processed", putaran, settings)
    acting = [f.kode_opd for f in facts.action_list]
    assert len(acting) == 18 and sum(f.zona != "hijau" for f in facts.action_list) == 17
    for page in (f"lampiran-{putaran}.html", f"tren-{putaran}.html"):
        text = (reports / putaran / page).read_text(encoding="utf-8")
        start = text.index('<table class="tabel-fakta">')
        order = [html.unescape(k) for k, _ in FACT_ROW.findall(text[start : text.index("</table>", start)])]
        assert order[: len(acting)] == acting, page
        assert text.count('class="perlu-tindakan"') == len(acting), page
        assert f"{len(acting)} dari 43 OPD perlu tindakan" in text, page
        assert facts.region.forecast_text in text, page


def test_epss_workbook_lists_the_indicators_by_code_with_evidence_levels_and_links(demo_built):
    """The EPSS workbook of the third demo round: 38 indicators by code; the tool shows something for 16 and says
    so for the other 22 (level 1, 'Tidak ada'); without a policy document recorded by the region no indicator
    is above level 2 (administrative documents), whatever the percents; every round's report, annex, trend
    page, deck and feedback folder are linked, and every link resolves beside the workbook."""
    data, reports = demo_built
    putaran = DEMO_ROUNDS[-1]
    wb = load_workbook(reports / putaran / f"bukti-dukung-epss-{putaran}.xlsx")
    ws = wb["Indikator"]
    header = [c.value for c in ws[1]]
    col = {name: i for i, name in enumerate(header)}
    rows = [r for r in ws.iter_rows(min_row=2) if r[0].value and str(r[0].value).isdigit()]
    codes = [r[col["Kode"]].value for r in rows]
    assert len(codes) == len(set(codes)) == 38 and codes[0] == "10101" and codes[-1] == "50303"
    levels = {r[col["Kode"]].value: r[col["Tingkat yang didukung bukti"]].value for r in rows}
    shown = {r[col["Kode"]].value: r[col["Bukti dari alat ini"]].value for r in rows}
    assert sum(v == 2 for v in levels.values()) == 16 and sum(v == 1 for v in levels.values()) == 22
    assert all(shown[k].startswith("Tidak ada") for k, v in levels.items() if v == 1)
    assert "3 putaran" in shown["40304"]
    folder = reports / putaran
    for r in rows:
        link = r[col["Berkas bukti"]].hyperlink
        if levels[r[col["Kode"]].value] == 2:
            assert link is not None and (folder / link.target).exists(), (r[0].value, link)
    history = wb["Riwayat Putaran"]
    lines = list(history.iter_rows(min_row=2))
    assert [c[0].value for c in lines] == ["Kamis, 27 Agustus 2020", "Kamis, 10 September 2020",
                                           "Kamis, 24 September 2020"]  # fmt: skip
    for line in lines:
        for cell in line[1:]:
            assert cell.hyperlink is not None and (folder / cell.hyperlink.target).exists(), cell.hyperlink.target
    assert [c.value for c in wb["Makna Tingkat"]["B"][1:]] == ["Rintisan", "Terkelola", "Terdefinisi",
                                                               "Terpadu dan Terukur", "Optimum"]  # fmt: skip
    per_opd = [c.value for c in wb["Per OPD"][1]]
    assert per_opd[:2] == ["Kode OPD", "Nama OPD"] and not [c for c in per_opd if "_" in str(c)]
