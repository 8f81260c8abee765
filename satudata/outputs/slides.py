"""The rakor slide deck of a round (python-pptx, 16:9, Bahasa Indonesia): drawing only.

:mod:`satudata.outputs.deck_content` computes what each slide says; this module draws it. At most
:data:`satudata.outputs.deck_content.MAX_SLIDES` slides whatever the number of OPDs:

1. title; 2. summary (title = the point: ``17 OPD naik zona; 1 masih merah``); 3. zone counts per
round (chart and table); 4. the OPDs below hijau (one chart, abbreviations, text >= 14 pt, in
columns when there are many); 5. who moved and who stalled; 6. the quality of the values (when
computed); 7. follow-up (who, what, by when); 8. annex (names behind the abbreviations, definitions).

Every slide uses a layout with a title placeholder, has speaker notes with its figures and the same
footer (region, round date, page number as a field). Charts are native PowerPoint charts, so their
text stays text (and can be edited before the rakor). A zone is always shown by its colour and its
word; the colours are the settings' unless a deuteranope could not tell two zones apart
(:func:`satudata.outputs.deck_content.zone_colours`).
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import pandas as pd
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from satudata.common import fmt
from satudata.common.paths import check_round
from satudata.common.safe_text import strip_control
from satudata.outputs import deck_content
from satudata.outputs.deck_content import DeckContent, OpdRow, abbreviations
from satudata.reference.settings import ZONE_ORDER, Settings

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
LEFT = Inches(0.5)
WIDTH = SLIDE_W - 2 * LEFT
BODY_TOP = Inches(1.35)
FOOTER_TOP = Inches(6.98)
BODY_H = FOOTER_TOP - BODY_TOP - Inches(0.08)
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5  # the default template's "Title Slide" and "Title Only"
MIN_CHART_PT = 14  # every text of the below-hijau chart
ROWS_PER_CHART = 16  # bars of one chart column on the below-hijau slide
ROWS_PER_CHART_MANY = 20  # ... when more than three columns of 16 would be needed
MAX_BELOW_BARS = deck_content.MAX_BELOW_BARS  # bars on the below-hijau slide: the lowest, the rest in the notes
MAX_ROUNDS_SHOWN = 6  # rounds on the zone-count slide
MAX_TABLE_ROWS = 12  # rows of a mover table before the rest is listed in one line
INK, MUTED, GRID = "#212121", "#616161", "#BDBDBD"
LANG = "id-ID"
MAX_SLIDE_TEXT = 300  # characters of one title, line or table cell


def slide_text(text: object, limit: int = MAX_SLIDE_TEXT) -> str:
    """Text as a slide may show it: no control character (python-pptx refuses them), at most ``limit``
    characters (a longer name is cut with ``…``)."""
    text = strip_control(str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def ink_on(background: str) -> str:
    """Black or white text, whichever reads better on ``background`` (WCAG contrast)."""
    r, g, b = (deck_content._linear(c) for c in deck_content._rgb(background))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


def _font(font, size: float, bold: bool = False, colour: str | None = INK) -> None:
    font.size, font.bold = Pt(size), bold
    if colour:
        font.color.rgb = _rgb(colour)


class Deck:
    """A 16:9 presentation whose slides all have a title placeholder, notes and the same footer."""

    def __init__(self, content: DeckContent) -> None:
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = SLIDE_W, SLIDE_H
        self.c = content
        self.footer = f"Rakor Satu Data {content.region} · {fmt.tanggal_pendek(content.putaran)}"

    # ------------------------------------------------------------ frame of a slide
    def slide(self, title: str, notes: list[str], layout: int = LAYOUT_TITLE_ONLY):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout])
        head = slide.shapes.title
        if layout == LAYOUT_TITLE_ONLY:
            head.left, head.top, head.width, head.height = LEFT, Inches(0.25), WIDTH, Inches(1.0)
            head.text_frame.word_wrap = True
            head.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        head.text = slide_text(title)
        size = 40 if layout != LAYOUT_TITLE_ONLY else (30 if len(title) <= 46 else 26)
        for para in head.text_frame.paragraphs:
            para.alignment = PP_ALIGN.LEFT if layout == LAYOUT_TITLE_ONLY else PP_ALIGN.CENTER
            for run in para.runs:
                _font(run.font, size, bold=True)
        slide.notes_slide.notes_text_frame.text = slide_text("\n".join(notes), limit=20_000)
        self._footer(slide)
        return slide

    def _footer(self, slide) -> None:
        line = slide.shapes.add_connector(1, LEFT, FOOTER_TOP, LEFT + WIDTH, FOOTER_TOP)
        line.line.color.rgb, line.line.width = _rgb(GRID), Pt(0.75)
        line.name = "Garis kaki"
        left = slide.shapes.add_textbox(LEFT, FOOTER_TOP + Inches(0.05), Inches(9.5), Inches(0.4))
        left.name = "Kaki"
        left.text_frame.word_wrap = True  # else LibreOffice centres an unwrapped box's text on the box
        para = left.text_frame.paragraphs[0]
        para.alignment = PP_ALIGN.LEFT
        para.text = slide_text(self.footer)
        _font(para.runs[0].font, 12, colour=MUTED)
        right = slide.shapes.add_textbox(LEFT + WIDTH - Inches(2.5), FOOTER_TOP + Inches(0.05), Inches(2.5),
                                         Inches(0.4))  # fmt: skip
        right.name = "Nomor halaman"
        right.text_frame.word_wrap = True
        para = right.text_frame.paragraphs[0]
        para.alignment = PP_ALIGN.RIGHT
        run = para.add_run()
        run.text = "Halaman "
        _font(run.font, 12, colour=MUTED)
        number = len(self.prs.slides)
        field_ = etree.SubElement(para._p, qn("a:fld"))
        field_.set("id", "{5C5B2D3E-6A0F-4C1B-9A55-2F1D4E7C9B10}")
        field_.set("type", "slidenum")
        props = etree.SubElement(field_, qn("a:rPr"))
        props.set("sz", "1200")
        fill = etree.SubElement(etree.SubElement(props, qn("a:solidFill")), qn("a:srgbClr"))
        fill.set("val", MUTED.lstrip("#"))
        etree.SubElement(field_, qn("a:t")).text = str(number)
        end = para._p.find(qn("a:endParaRPr"))
        if end is not None:  # the field goes before the paragraph's end mark
            para._p.remove(end)
            para._p.append(end)

    # ------------------------------------------------------------ building blocks
    def text(self, slide, lines: list[str], left: Emu, top: Emu, width: Emu, height: Emu, size: float = 20,
             bold_first: bool = False, bullet: bool = False, name: str | None = None):  # fmt: skip
        box = slide.shapes.add_textbox(left, top, width, height)
        if name:
            box.name = name
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.text = slide_text(("• " if bullet else "") + line)
            para.space_after = Pt(size * 0.45)
            for run in para.runs:
                _font(run.font, size, bold=bold_first and i == 0)
        return box

    def chip(self, slide, zone: str, text: str, left: Emu, top: Emu, width: Emu, height: Emu, size: float = 18):
        """A box in the zone's colour with the zone's word in it (never colour alone)."""
        colour = self.c.colours[zone]
        box = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, width, height)
        box.name = f"Zona {self.c.label(zone)}"
        box.fill.solid()
        box.fill.fore_color.rgb = _rgb(colour)
        box.line.fill.background()
        frame = box.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        for i, line in enumerate(text.split("\n")):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.text = slide_text(line)
            para.alignment = PP_ALIGN.CENTER
            for run in para.runs:
                _font(run.font, size * (1.6 if i == 1 else 1), bold=i <= 1, colour=ink_on(colour))
        return box

    def table(self, slide, header: list[str], rows: list[list[str]], widths: list[float], left: Emu, top: Emu,
              size: float = 14, zones: list[str | None] | None = None, zone_col: int = -1, row_h: float = 0.4):  # fmt: skip
        """A table; the cell ``zone_col`` of a row with a zone is filled with its colour (and says its word)."""
        shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, Inches(sum(widths)),
                                       Inches(row_h * (len(rows) + 1)))  # fmt: skip
        table = shape.table
        for j, width in enumerate(widths):
            table.columns[j].width = Inches(width)
        for tr in table._tbl.tr_lst:  # each row's height set in the XML: python-pptx's setter re-adds every row's
            tr.h = Inches(row_h)  # height to the frame's at each call, quadratic (1,000 rows: 95 s)
        shape.height = Inches(row_h) * (len(rows) + 1)
        for j, text in enumerate(header):
            self._cell(table.cell(0, j), text, size, bold=True, fill="#37474F", colour="#FFFFFF")
        for i, row in enumerate(rows, start=1):
            zone = zones[i - 1] if zones else None
            for j, text in enumerate(row):
                fill = self.c.colours[zone] if zone in ZONE_ORDER and j == zone_col % len(row) else (
                    "#F5F5F5" if i % 2 == 0 else "#FFFFFF")  # fmt: skip
                self._cell(table.cell(i, j), text, size, fill=fill, colour=ink_on(fill))
        return shape

    @staticmethod
    def _cell(cell, text: str, size: float, bold: bool = False, fill: str = "#FFFFFF", colour: str = INK) -> None:
        cell.text = slide_text(text)
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb(fill)
        cell.margin_top = cell.margin_bottom = Pt(2)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        for para in cell.text_frame.paragraphs:
            for run in para.runs:
                _font(run.font, size, bold=bold, colour=colour)

    def zone_word(self, zone: str | None) -> str:
        return self.c.label(zone) if zone in ZONE_ORDER else "tanpa zona"

    def zone_text(self, row: OpdRow) -> str:
        return f"{self.c.pct(row.persen)} % {self.zone_word(row.zona)}"


# ---------------------------------------------------------------- slides
def _title_slide(deck: Deck) -> None:
    c = deck.c
    notes = [
        f"Rakor Satu Data {c.region}, evaluasi putaran ke-{c.round_number} ({fmt.tanggal(c.putaran)}).",
        f"OPD yang dievaluasi: {sum(c.counts.values())}; "
        + "; ".join(f"zona {c.label(z)} {c.counts[z]} OPD" for z in ZONE_ORDER) + ".",
    ]
    slide = deck.slide(f"Rakor Satu Data {c.region}", notes, layout=LAYOUT_TITLE)
    slide.shapes.title.top, slide.shapes.title.left = Inches(1.4), LEFT
    slide.shapes.title.width, slide.shapes.title.height = WIDTH, Inches(1.5)
    sub = slide.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = LEFT, Inches(3.0), WIDTH, Inches(1.3)
    sub.text = slide_text(f"Evaluasi kelengkapan data SIPD putaran ke-{c.round_number}\n{fmt.tanggal(c.putaran)}")
    for para in sub.text_frame.paragraphs:
        para.alignment = PP_ALIGN.CENTER
        for run in para.runs:
            _font(run.font, 24, colour=MUTED)
    width, gap = Inches(3.0), Inches(0.4)
    start = int((SLIDE_W - 3 * width - 2 * gap) / 2)
    for k, zone in enumerate(ZONE_ORDER):
        deck.chip(slide, zone, f"{c.label(zone)}\n{c.counts[zone]}\nOPD", start + k * (width + gap), Inches(4.6),
                  width, Inches(1.9), size=18)  # fmt: skip


def headline(c: DeckContent) -> str:
    """The summary slide's title: ``17 OPD naik zona; 1 masih merah``."""
    merah, kuning, hijau = (c.label(z).lower() for z in ("merah", "kuning", "hijau"))
    if c.first_round:
        return (f"Putaran pertama: {c.counts['hijau']} OPD {hijau}, {c.counts['kuning']} {kuning}, "
                f"{c.counts['merah']} {merah}")  # fmt: skip
    up = f"{len(c.moved_up)} OPD naik zona" if c.moved_up else "Tidak ada OPD yang naik zona"
    parts = [up]
    if c.moved_down:
        parts[0] += f", {len(c.moved_down)} turun"
    parts.append(f"{c.counts['merah']} masih {merah}" if c.counts["merah"] else f"tidak ada lagi yang {merah}")
    return "; ".join(parts)


def _summary_slide(deck: Deck) -> None:
    c = deck.c
    before = c.counts_per_round.get(c.rounds[-2]) if not c.first_round else None
    lines = [
        f"Rata-rata capaian OPD: {c.pct(c.mean_percent)} %"
        + (f" ({fmt.persen(c.mean_change, sign=True)} poin sejak putaran lalu)" if not c.first_round else ""),
        f"Capaian gabungan semua butir: {c.pct(c.pooled_percent)} % ({fmt.angka(c.terpenuhi)} dari "
        f"{fmt.angka(c.wajib)} butir)",
        f"Batas kirim data yang kurang: {fmt.tanggal(c.deadline) if c.deadline else 'belum ditetapkan'}; "
        f"putaran berikutnya: {fmt.tanggal(c.next_round) if c.next_round else 'belum dijadwalkan'}",
        c.overall_forecast,
    ]
    if not c.first_round:
        lines.insert(2, f"Tidak bergerak atau turun (laju terakhir ≤ 0): {len(c.stalled) + len(c.falling)} OPD")
    if c.no_zone:
        lines.append(f"Tanpa butir wajib (tidak dievaluasi): {c.no_zone} OPD")
    notes = [headline(c) + "."]
    for zone in ZONE_ORDER:
        change = f" (putaran lalu {before[zone]})" if before else ""
        notes.append(f"Zona {c.label(zone)}: {c.counts[zone]} OPD{change}.")
    if not c.first_round:
        notes.append(f"Naik zona: {abbreviations(c.moved_up)}. Turun zona: {abbreviations(c.moved_down)}.")
        notes.append(f"Masih {c.label('merah').lower()}: {abbreviations([r for r in c.below if r.zona == 'merah'])}.")
    notes += lines
    slide = deck.slide(headline(c), notes)
    width, gap = Inches(3.9), Inches(0.3)
    for k, zone in enumerate(ZONE_ORDER):
        change = ""
        if before:
            delta = c.counts[zone] - before[zone]
            change = f" ({_signed(delta)})"
        deck.chip(slide, zone, f"{c.label(zone)}\n{c.counts[zone]} OPD{change}", LEFT + k * (width + gap), BODY_TOP,
                  width, Inches(1.55), size=20)  # fmt: skip
    deck.text(slide, lines, LEFT, BODY_TOP + Inches(1.8), WIDTH, BODY_H - Inches(1.8), size=20, bullet=True,
              name="Ringkasan")  # fmt: skip


def _zone_rounds_title(c: DeckContent, rounds: list[str]) -> str:
    hijau = c.label("hijau")
    first, now = c.counts_per_round[rounds[0]]["hijau"], c.counts["hijau"]
    if c.first_round:
        return f"Titik awal: {now} dari {sum(c.counts.values())} OPD sudah {hijau.lower()}"
    span = f"dalam {len(rounds)} putaran"
    if now > first:
        return f"OPD {hijau.lower()} bertambah dari {first} menjadi {now} {span}"
    if now < first:
        return f"OPD {hijau.lower()} berkurang dari {first} menjadi {now} {span}"
    return f"OPD {hijau.lower()} tetap {now} {span}"


def _zone_rounds_slide(deck: Deck) -> None:
    c = deck.c
    rounds = c.rounds[-MAX_ROUNDS_SHOWN:]
    title = _zone_rounds_title(c, rounds)
    notes = [title + "."] + [
        f"{fmt.tanggal_pendek(r)}: " + ", ".join(f"{c.label(z)} {c.counts_per_round[r][z]}" for z in ZONE_ORDER)
        for r in rounds
    ]
    if len(c.rounds) > len(rounds):
        notes.append(f"Ditampilkan {len(rounds)} putaran terakhir dari {len(c.rounds)}.")
    slide = deck.slide(title, notes)
    data = CategoryChartData()
    data.categories = [short_date(r) for r in rounds]
    for zone in ZONE_ORDER:
        data.add_series(c.label(zone), [c.counts_per_round[r][zone] for r in rounds])
    chart_w = Inches(7.0)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_STACKED, LEFT, BODY_TOP, chart_w, BODY_H, data)
    frame.name = "Grafik zona per putaran"
    chart = frame.chart
    chart.font.size = Pt(14)
    chart.has_legend = True
    chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    chart.legend.font.size = Pt(16)
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = _rgb(GRID)
    chart.value_axis.tick_labels.font.size = Pt(14)
    chart.category_axis.tick_labels.font.size = Pt(14)
    plot = chart.plots[0]
    plot.gap_width = 60
    for zone, series in zip(ZONE_ORDER, plot.series, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(c.colours[zone])
        series.data_labels.show_value = True
        series.data_labels.font.size = Pt(16)
        series.data_labels.font.bold = True
        series.data_labels.font.color.rgb = _rgb(ink_on(c.colours[zone]))
        series.data_labels.position = XL_LABEL_POSITION.CENTER
    header = ["Zona", *[short_date(r) for r in rounds]]
    room = (WIDTH - chart_w) / 914400 - 0.2 - 1.2
    col_w = min(1.5, room / max(len(rounds), 1))
    rows = [[c.label(z), *[str(c.counts_per_round[r][z]) for r in rounds]] for z in ZONE_ORDER]
    rows.append(["Jumlah", *[str(sum(c.counts_per_round[r].values())) for r in rounds]])
    deck.table(slide, header, rows, [1.2] + [col_w] * len(rounds), LEFT + chart_w + Inches(0.2),
               BODY_TOP + Inches(0.4), size=14 if col_w >= 1.1 else 12, zones=[*ZONE_ORDER, None], zone_col=0,
               row_h=0.55)  # fmt: skip
    most = max(sum(v.values()) for v in c.counts_per_round.values()) or 1
    step = 5 if most <= 30 else 10 if most <= 80 else 20
    chart.value_axis.minimum_scale, chart.value_axis.major_unit = 0, step
    chart.value_axis.maximum_scale = math.ceil(most / step) * step
    if not c.first_round:
        before = c.counts_per_round[c.rounds[-2]]
        change = "; ".join(f"{c.label(z)} {_signed(c.counts[z] - before[z])}" for z in ZONE_ORDER)
        deck.text(slide, [f"Sejak putaran lalu: {change} OPD"], LEFT + chart_w + Inches(0.2), BODY_TOP + Inches(3.4),
                  WIDTH - chart_w - Inches(0.2), Inches(0.9), size=18, name="Perubahan")  # fmt: skip


def _signed(n: int) -> str:
    """``+15``, ``−2``, ``±0``."""
    return f"+{n}" if n > 0 else f"−{-n}" if n < 0 else "±0"


def short_date(value: str) -> str:
    """``24 Sep 2020``: a round's date where room is short."""
    from babel.dates import format_date

    return format_date(fmt._as_date(value), format="d MMM y", locale=fmt.LOCALE)


def _below_title(c: DeckContent) -> str:
    if not c.below:
        return f"Semua OPD yang dievaluasi sudah {c.label('hijau').lower()}"
    merah, kuning = c.counts["merah"], c.counts["kuning"]
    return (f"{len(c.below)} OPD belum {c.label('hijau').lower()}: {kuning} {c.label('kuning').lower()}, "
            f"{merah} {c.label('merah').lower()}")  # fmt: skip


def chart_columns(n: int, per_column: int = ROWS_PER_CHART) -> list[tuple[int, int]]:
    """(start, stop) of each chart column of ``n`` bars, at most ``per_column`` each, shared evenly."""
    columns = max(1, math.ceil(n / per_column))
    size = math.ceil(n / columns) if n else 0
    return [(i, min(i + size, n)) for i in range(0, n, size)] if n else []


def _below_slide(deck: Deck) -> None:
    c = deck.c
    title = _below_title(c)
    notes = [title + ", urut dari persen terendah."] + [
        f"{r.singkatan} ({r.nama_opd}): {c.pct(r.persen)} %, zona {deck.zone_word(r.zona)}, "
        f"{r.facts.ke_zona_teks if r.facts else 'kurang ' + fmt.angka(r.kurang) + ' butir'}." for r in c.below
    ]  # fmt: skip
    slide = deck.slide(title, notes)
    if not c.below:
        deck.text(slide, [f"Tidak ada OPD di zona {c.label('kuning')} atau {c.label('merah')} pada putaran ini."],
                  LEFT, BODY_TOP, WIDTH, Inches(1.0), size=22)  # fmt: skip
        return
    legend = (f"Batas zona: {c.label('hijau')} ≥ {fmt.angka(c.zones.hijau)} %, {c.label('kuning')} "
              f"{fmt.angka(c.zones.kuning)} s.d. < {fmt.angka(c.zones.hijau)} %, {c.label('merah')} "
              f"< {fmt.angka(c.zones.kuning)} %. Nama lengkap OPD ada di lampiran.")  # fmt: skip
    below = c.below[:MAX_BELOW_BARS]  # lowest first: a slide of 1,000 bars reads as nothing
    if len(below) < len(c.below):
        legend += (f" Yang tampil: {len(below)} OPD terendah dari {fmt.angka(len(c.below))}; semuanya ada di catatan "
                   "salindia ini dan di rekap walidata.")
    deck.text(slide, [legend], LEFT, BODY_TOP - Inches(0.1), WIDTH, Inches(0.4), size=14, name="Keterangan")
    compact = len(below) > 3 * ROWS_PER_CHART  # many: more bars a column, the percent alone on each bar
    columns = chart_columns(len(below), ROWS_PER_CHART_MANY if compact else ROWS_PER_CHART)
    gap = Inches(0.15)
    width = int((WIDTH - gap * (len(columns) - 1)) / len(columns))
    top = BODY_TOP + Inches(0.35)
    per_column = max(stop - start for start, stop in columns)
    for k, (start, stop) in enumerate(columns):
        part = below[start:stop]
        height = int(min(BODY_H - Inches(0.35), Inches(0.9) + Inches(0.45) * per_column))
        _bar_chart(deck, slide, part, LEFT + k * (width + gap), top, width, height,
                   major=50 if len(columns) > 2 else 25, compact=compact)  # fmt: skip


def _bar_chart(deck: Deck, slide, rows: list[OpdRow], left: Emu, top: Emu, width: Emu, height: Emu,
               major: int, compact: bool = False) -> None:  # fmt: skip
    """One native bar chart of ``rows`` (lowest on top), each bar in its zone's colour and labelled with its
    percent and zone word (``compact``: the percent alone; the thresholds above the chart tell the zone);
    every text at least :data:`MIN_CHART_PT`, every category labelled."""
    c = deck.c
    shown = list(reversed(rows))  # a bar chart draws its first category at the bottom
    data = CategoryChartData(number_format='0.0')
    data.categories = [slide_text(r.singkatan, 24) for r in shown]
    data.add_series("Persen", [round(r.persen, 1) for r in shown])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, left, top, width, height, data)
    frame.name = "Grafik OPD di bawah hijau"
    chart = frame.chart
    chart.font.size = Pt(MIN_CHART_PT)
    chart.has_legend = False
    chart.has_title = False
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = 0, 100, major
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb(GRID)
    axis.tick_labels.font.size = Pt(MIN_CHART_PT)
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = '0" %"', False
    chart.category_axis.tick_labels.font.size = Pt(MIN_CHART_PT if compact else 16)
    chart.category_axis.tick_labels.font.bold = not compact
    _label_every_category(chart.category_axis._element)
    plot = chart.plots[0]
    plot.gap_width = 35
    plot.vary_by_categories = False
    series = plot.series[0]
    for i, row in enumerate(shown):
        colour = c.colours.get(row.zona, "#9E9E9E")
        point = series.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colour)
        label = point.data_label
        inside = row.persen >= 45
        label.position = XL_LABEL_POSITION.INSIDE_END if inside else XL_LABEL_POSITION.OUTSIDE_END
        label.text_frame.text = c.pct(row.persen) if compact else deck.zone_text(row)
        label.text_frame._txBody.find(qn("a:bodyPr")).set("wrap", "none")  # one line, beside or in the bar
        for run in label.text_frame.paragraphs[0].runs:
            _font(run.font, MIN_CHART_PT, bold=True, colour=ink_on(colour) if inside else INK)


def _label_every_category(axis) -> None:
    """``<c:tickLblSkip val="1"/>``: every abbreviation shown, none skipped for lack of room (schema order:
    after ``c:lblOffset``, before ``c:tickMarkSkip``, ``c:noMultiLvlLbl`` and ``c:extLst``)."""
    skip = axis.find(qn("c:tickLblSkip"))
    if skip is None:
        skip = etree.Element(qn("c:tickLblSkip"))
        later = [axis.find(qn(t)) for t in ("c:tickMarkSkip", "c:noMultiLvlLbl", "c:extLst")]
        later = [n for n in later if n is not None]
        if later:
            later[0].addprevious(skip)
        else:
            axis.append(skip)
    skip.set("val", "1")


def _mover_rows(deck: Deck, rows: list[OpdRow], limit: int) -> tuple[list[list[str]], list[str | None]]:
    c = deck.c
    out, zones = [], []
    for r in rows[:limit]:
        before = (f"{c.pct(r.persen_sebelumnya)} % {deck.zone_word(r.zona_sebelumnya)}"
                  if not math.isnan(r.persen_sebelumnya) else "–")  # fmt: skip
        change = fmt.persen(r.persen - r.persen_sebelumnya, sign=True) if not math.isnan(r.persen_sebelumnya) else "–"
        out.append([r.singkatan, before, deck.zone_text(r), change])
        zones.append(r.zona)
    if len(rows) > limit:
        rest = rows[limit:]
        out.append([f"+{len(rest)} OPD", abbreviations(rest), "", ""])
        zones.append(None)
    return out, zones


def _movement_title(c: DeckContent) -> str:
    if c.first_round:
        return "Pergerakan terlihat mulai putaran kedua"
    idle = len(c.stalled) + len(c.falling)
    parts = [f"{len(c.moved_up)} OPD naik zona" if c.moved_up else "Tidak ada OPD yang naik zona"]
    if c.moved_down:
        parts.append(f"{len(c.moved_down)} turun zona")
    parts.append(f"{idle} tidak bergerak atau turun" if idle else "semua yang belum lengkap bergerak")
    return "; ".join(parts)


def _movement_slide(deck: Deck) -> None:
    c = deck.c
    title = _movement_title(c)
    idle = sorted([*c.stalled, *c.falling], key=lambda r: (r.persen, r.singkatan))
    notes = [title + "."]
    if not c.first_round:
        notes += [
            "Naik zona: " + "; ".join(f"{r.singkatan} {deck.zone_word(r.zona_sebelumnya)} ke {deck.zone_word(r.zona)}"
                                      f" ({c.pct(r.persen)} %)" for r in c.moved_up) + ("" if c.moved_up else "tidak ada"),
            "Turun zona: " + abbreviations(c.moved_down) + ".",
            "Tidak bergerak (laju terakhir 0 poin per minggu): " + abbreviations(c.stalled) + ".",
            "Turun (laju terakhir negatif): " + "; ".join(
                f"{r.singkatan} {fmt.persen(r.laju_terakhir, sign=True)} poin per minggu" for r in c.falling)
            + ("" if c.falling else "tidak ada") + ".",
            "Laju terakhir = perubahan persen antara dua putaran terakhir, dibagi jumlah minggu di antaranya.",
        ]  # fmt: skip
    slide = deck.slide(title, notes)
    if c.first_round:
        deck.text(slide, ["Putaran pertama: belum ada pembanding. Perpindahan zona dan OPD yang tidak bergerak "
                          "tampil mulai putaran berikutnya."], LEFT, BODY_TOP, WIDTH, Inches(1.2), size=22)  # fmt: skip
        return
    half = (WIDTH - Inches(0.3)) / 2
    moved = [*c.moved_up, *c.moved_down]
    blocks = [
        (f"Pindah zona ({len(c.moved_up)} naik, {len(c.moved_down)} turun)", moved),
        (f"Tidak bergerak atau turun ({len(idle)} OPD)", idle),
    ]
    n_rows = max(len(moved), len(idle), 1)
    size = 14 if n_rows <= 11 else 12
    row_h = 0.36 if n_rows <= 11 else 0.3
    limit = MAX_TABLE_ROWS if n_rows > 11 else 11  # the rest in one row of abbreviations
    for k, (heading, rows) in enumerate(blocks):
        left = LEFT + k * (half + Inches(0.3))
        deck.text(slide, [heading], left, BODY_TOP - Inches(0.05), half, Inches(0.45), size=16, bold_first=True)
        if not rows:
            deck.text(slide, ["tidak ada"], left, BODY_TOP + Inches(0.45), half, Inches(0.5), size=16)
            continue
        table_rows, zones = _mover_rows(deck, rows, limit)
        shape = deck.table(slide, ["OPD", "Putaran lalu", "Sekarang", "Poin"], table_rows, [2.1, 1.55, 1.55, 0.8],
                   left, BODY_TOP + Inches(0.45), size=size, zones=zones, zone_col=2, row_h=row_h)  # fmt: skip
        if len(rows) > limit:  # the rest, by abbreviation, over the three value columns
            last = len(table_rows)
            shape.table.cell(last, 1).merge(shape.table.cell(last, 3))


def _quality_title(q: deck_content.QualityContent) -> str:
    score = f"{fmt.persen(q.score)} dari 100" if q.score is not None else "belum dapat dihitung"
    return f"Skor kualitas nilai {score}; {fmt.angka(q.total)} peringatan perlu diperiksa"


def _quality_slide(deck: Deck) -> None:
    q = deck.c.quality
    assert q is not None
    title = _quality_title(q)
    lines = [f"Skor rata-rata OPD {fmt.persen(q.score) if q.score is not None else '–'} dari 100; zona tetap "
             "menurut kelengkapan, skor ini angka kedua."]  # fmt: skip
    lines.append("Peringatan: " + ("; ".join(f"{label} {fmt.angka(n)}" for label, n in q.warnings)
                                   if q.warnings else "tidak ada") + ".")  # fmt: skip
    lines += [f"Skor terendah: {s} ({name}) {fmt.persen(score)}" for s, name, score in q.lowest]
    lines.append("Rinciannya ada di lembar 'Kualitas Nilai' buku kerja umpan balik setiap OPD.")
    slide = deck.slide(title, [title + ".", *lines])
    deck.text(slide, lines, LEFT, BODY_TOP, WIDTH, BODY_H, size=20, bullet=True, name="Kualitas")


def _follow_up_title(c: DeckContent) -> str:
    owing = [r for r in c.below if r.ke_hijau]
    if not owing:
        return "Tindak lanjut: pertahankan capaian, periksa kualitas nilai"
    when = f"paling lambat {fmt.tanggal_pendek(c.deadline)}" if c.deadline else "sebelum putaran berikutnya"
    return (f"Tindak lanjut: {len(owing)} OPD mengirim {fmt.angka(sum(r.ke_hijau for r in owing))} butir "
            f"ke {c.label('hijau').lower()} {when}")  # fmt: skip


def _follow_up_slide(deck: Deck) -> None:
    c = deck.c
    title = _follow_up_title(c)
    notes = [title + "."] + [f"{f.siapa} — {f.apa} — {f.kapan}." for f in c.follow_up]
    notes.append(f"Batas kirim: {c.deadline_text}. Putaran berikutnya: "
                 f"{fmt.tanggal(c.next_round) if c.next_round else 'belum dijadwalkan'}.")  # fmt: skip
    if c.contact:
        notes.append(f"Narahubung walidata: {c.contact}.")
    slide = deck.slide(title, notes)
    length = sum(len(f.siapa) + len(f.apa) for f in c.follow_up)
    size = 16 if length < 450 else 14 if length < 900 else 12
    deck.table(slide, ["Siapa", "Apa", "Paling lambat"], [[f.siapa, f.apa, f.kapan] for f in c.follow_up],
               [4.9, 4.8, 2.6], LEFT, BODY_TOP, size=size, zones=[f.zona for f in c.follow_up], zone_col=0,
               row_h=0.5)  # fmt: skip


def row_height(size: float, lines: int = 1) -> float:
    """Inches of a table row of ``lines`` lines at ``size`` points (text, line spacing and cell margins)."""
    return (size * 1.2 * max(lines, 1) + 4) / 72


ANNEX_ROOM = 4.85  # inches of height for the annex tables, above the definitions
ANNEX_SHORT_W = 1.6  # inches of the abbreviation column
CHAR_EM = 0.52  # mean character width in em of the deck's sans-serif font


def _name_chars(name_w: float, size: float) -> int:
    return max(12, int(name_w * 72 / (size * CHAR_EM)))


def annex_layout(names: list[str]) -> tuple[int, int, int]:
    """(tables side by side, font size, characters per name line) so that the OPDs whose ``names`` are
    given fit the annex slide, long names wrapped over lines, none cut: the largest size with one or two
    tables, else three. When nothing fits: three tables at 8 pt and 0 (names then cut to one line)."""
    width_all = WIDTH / 914400
    for columns, sizes in (((1, 2), (14, 13, 12, 11, 10)), ((3,), (12, 11, 10, 9))):
        for size in sizes:
            for cols in columns:
                name_w = (width_all - 0.2 * (cols - 1)) / cols - ANNEX_SHORT_W
                chars = _name_chars(name_w, size)
                per = math.ceil(len(names) / cols)
                tallest = max(
                    sum(row_height(size, math.ceil(len(n) / chars)) for n in names[k * per : (k + 1) * per])
                    for k in range(cols)
                )
                if tallest + row_height(size) <= ANNEX_ROOM:
                    return cols, size, chars
    return 3, 8, 0


def _annex_slide(deck: Deck) -> None:
    c = deck.c
    title = "Lampiran: singkatan OPD dan cara membaca"
    definitions = (
        f"Zona menurut persen butir wajib yang terpenuhi: {c.label('hijau')} ≥ {fmt.angka(c.zones.hijau)} %, "
        f"{c.label('kuning')} {fmt.angka(c.zones.kuning)} s.d. < {fmt.angka(c.zones.hijau)} %, "
        f"{c.label('merah')} < {fmt.angka(c.zones.kuning)} %. Laju terakhir: perubahan persen antara dua putaran "
        "terakhir per minggu; tidak bergerak = 0, turun = kurang dari 0. Butir = satu elemen data untuk satu tahun."
    )
    notes = [title + ".", definitions, FACTS_HEADING]
    if c.facts is not None:  # every OPD of the round, with the figures the report and workbooks state
        notes += [deck_content.fact_line(f, deck.zone_word(f.zona) if f.zona else f.zona_label)
                  for f in sorted(c.facts.opds.values(), key=lambda f: (f.singkatan, f.kode_opd))]  # fmt: skip
    slide = deck.slide(title, notes)
    rows = c.annex
    if rows:
        columns, size, chars = annex_layout([r.nama_opd for r in rows])
        gap = 0.2
        width = (WIDTH / 914400 - gap * (columns - 1)) / columns
        per = math.ceil(len(rows) / columns)
        cut = chars or _name_chars(width - ANNEX_SHORT_W, size)
        for k in range(columns):
            part = rows[k * per : (k + 1) * per]
            if not part:
                continue
            deck.table(slide, ["Singkatan", "Nama OPD"],
                       [[r.singkatan, r.nama_opd if chars else _short(r.nama_opd, cut)] for r in part],
                       [ANNEX_SHORT_W, width - ANNEX_SHORT_W], LEFT + Inches(k * (width + gap)), BODY_TOP,
                       size=size, row_h=row_height(size))  # fmt: skip
    else:
        deck.text(slide, ["Tidak ada OPD yang disebut dengan singkatan."], LEFT, BODY_TOP, WIDTH, Inches(0.6), size=18)
    deck.text(slide, [definitions], LEFT, FOOTER_TOP - Inches(0.72), WIDTH, Inches(0.7), size=12, name="Definisi")


FACTS_HEADING = "Fakta setiap OPD putaran ini:"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _set_language(prs) -> None:
    """Mark every run as Indonesian, so spelling checks in PowerPoint and LibreOffice use the right language."""
    for slide in prs.slides:
        parts = [slide._element, slide.notes_slide._element]
        parts += [shape.chart._chartSpace for shape in slide.shapes if shape.has_chart]
        for part in parts:
            for tag in ("a:rPr", "a:endParaRPr", "a:defRPr"):
                for node in part.iter(qn(tag)):
                    node.set("lang", LANG)


def build_deck(
    putaran: str,
    progres_opd: pd.DataFrame,
    riwayat: pd.DataFrame,
    kekurangan: pd.DataFrame,
    settings: Settings,
    out_path: str | Path,
    quality: tuple[pd.DataFrame, pd.DataFrame] | None = None,
    masalah: pd.DataFrame | None = None,
    facts: deck_content.facts_of_round.RoundFacts | None = None,
) -> Path:
    """Write the rakor deck of ``putaran`` to ``out_path``; ``quality`` (``kualitas_opd``,
    ``kualitas_nilai``) adds the slide on the quality of the values; ``masalah`` names the OPDs whose
    files have errors in the follow-up. The charts are native to the deck: no PNG is written."""
    putaran = check_round(putaran)  # it names files: a date, nothing else
    out_path = Path(out_path)
    content = deck_content.build_content(putaran, progres_opd, riwayat, kekurangan, settings, quality, masalah,
                                          facts)
    deck = Deck(content)
    _title_slide(deck)
    _summary_slide(deck)
    _zone_rounds_slide(deck)
    _below_slide(deck)
    _movement_slide(deck)
    if content.quality is not None:
        _quality_slide(deck)
    _follow_up_slide(deck)
    _annex_slide(deck)
    _set_language(deck.prs)

    stamp = datetime.fromisoformat(putaran)
    props = deck.prs.core_properties
    props.title = f"Rakor Satu Data {settings.region} {putaran}"
    props.author = props.last_modified_by = "satudata"
    props.language = LANG
    props.created = props.modified = stamp
    props.revision = 1
    out_path.parent.mkdir(parents=True, exist_ok=True)
    deck.prs.save(str(out_path))
    return out_path


def slide_texts(path: str | Path, notes: bool = False) -> list[str]:
    """All text of each slide (title, text boxes, table cells, chart categories and labels; with ``notes``
    the speaker notes too), one string per slide: for checks."""
    prs = Presentation(str(path))
    out = []
    for slide in prs.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
            if shape.has_chart:
                parts.extend(_chart_texts(shape.chart))
        if notes and slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
        out.append("\n".join(parts))
    return out


def _chart_texts(chart) -> list[str]:
    texts = [str(c) for c in chart.plots[0].categories] if chart.plots else []
    texts += [s.name for plot in chart.plots for s in plot.series]
    texts += ["".join(t.text or "" for t in rich.iter(qn("a:t"))) for rich in chart._chartSpace.iter(qn("c:rich"))]
    return texts
