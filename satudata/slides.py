"""The rakor slide deck of a round (python-pptx, 16:9, Bahasa Indonesia).

Slides: title; summary; zone distribution chart; every OPD's percent (the report's zone bar chart,
when ``satudata.charts`` provides it); one or more slides per zone listing its OPDs with their
percent; movers; trend; the OPDs with the most items missing; next steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Inches, Pt

from satudata import fmt, trend_charts, trends
from satudata.kept_outputs import existing_outputs, keep_edited, kept_notes, record_written
from satudata.paths import check_round
from satudata.safe_text import strip_control
from satudata.settings import ZONE_ORDER, Settings
from satudata.trend_views import when_text

if TYPE_CHECKING:
    from satudata.pipeline import Context

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
ROWS_PER_SLIDE = 10
BARS_PER_SLIDE = 22  # bars of the per-OPD chart on one slide
TOP_MISSING = 10
TOP_MOVERS = 5
NO_ZONE_TITLE = "OPD tanpa butir wajib"


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())

MAX_SLIDE_TEXT = 300  # characters of one title, line or table cell


class Deck:
    """A thin wrapper over a blank-layout presentation with titled slides and a footer."""

    def __init__(self, footer: str) -> None:
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = SLIDE_W, SLIDE_H
        self.footer = footer

    def slide(self, title: str, colour: str | None = None):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])  # blank
        if colour:
            band = slide.shapes.add_shape(1, 0, 0, SLIDE_W, Inches(0.18))
            band.fill.solid()
            band.fill.fore_color.rgb = _rgb(colour)
            band.line.fill.background()
        box = slide.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.9))
        box.name = "Judul"
        para = box.text_frame.paragraphs[0]
        para.text = slide_text(title)
        para.font.size, para.font.bold = Pt(30), True
        foot = slide.shapes.add_textbox(Inches(0.5), Inches(7.0), Inches(12.3), Inches(0.4))
        foot.name = "Kaki"
        fpara = foot.text_frame.paragraphs[0]
        fpara.text = f"{self.footer} · {len(self.prs.slides)}"
        fpara.font.size = Pt(11)
        fpara.font.color.rgb = _rgb("#616161")
        return slide

    def bullets(self, slide, lines: list[str], top: float = 1.4, size: int = 20) -> None:
        box = slide.shapes.add_textbox(Inches(0.6), Inches(top), Inches(12.1), Inches(7.0 - top))
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.text = f"• {slide_text(line)}"
            para.font.size = Pt(size)
            para.space_after = Pt(10)

    def picture(self, slide, image: Path, top: float = 1.25) -> None:
        """The image, as large as fits below the title, centred, aspect kept."""
        pic = slide.shapes.add_picture(str(image), 0, Inches(top))
        max_w, max_h = SLIDE_W - Inches(0.8), Inches(6.95 - top)
        scale = min(max_w / pic.width, max_h / pic.height)
        pic.width, pic.height = int(pic.width * scale), int(pic.height * scale)
        pic.left = int((SLIDE_W - pic.width) / 2)

    def table(
        self,
        slide,
        header: list[str],
        rows: list[list[str]],
        widths: list[float],
        left: float = 0.5,
        top: float = 1.3,
        fills: list[str | None] | None = None,
        size: int = 15,
    ) -> None:
        height = Inches(0.42) * (len(rows) + 1)
        shape = slide.shapes.add_table(
            len(rows) + 1, len(header), Inches(left), Inches(top), Inches(sum(widths)), Emu(int(height))
        )
        table = shape.table
        for j, width in enumerate(widths):
            table.columns[j].width = Inches(width)
        for j, text in enumerate(header):
            self._cell(table.cell(0, j), text, size, bold=True)
        for i, row in enumerate(rows, start=1):
            for j, text in enumerate(row):
                cell = table.cell(i, j)
                self._cell(cell, text, size)
                if fills and fills[i - 1] and j == len(row) - 1:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = _rgb(fills[i - 1])

    @staticmethod
    def _cell(cell, text: str, size: int, bold: bool = False) -> None:
        cell.text = slide_text(text)
        for para in cell.text_frame.paragraphs:
            para.font.size, para.font.bold = Pt(size), bold


def slide_text(text: object, limit: int = MAX_SLIDE_TEXT) -> str:
    """Text as a slide may show it: no control character (python-pptx refuses them), at most ``limit``
    characters (a longer name is cut with ``…``)."""
    text = strip_control(str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chunks(frame: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    return [frame.iloc[i : i + size] for i in range(0, len(frame), size)] or [frame]


def zone_members(progres_opd: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The OPDs of each zone (and of ``tanpa_zona``), best first."""
    frame = progres_opd.copy()
    frame["persen"] = pd.to_numeric(frame["persen"], errors="coerce")
    frame["zona"] = frame["zona"].where(frame["persen"].notna(), None)
    out = {}
    for zone in ZONE_ORDER:
        part = frame.loc[frame["zona"] == zone]
        out[zone] = part.sort_values(["persen", "nama_opd"], ascending=[False, True]).reset_index(drop=True)
    out[trends.NO_ZONE] = frame.loc[frame["zona"].isna()].sort_values("nama_opd").reset_index(drop=True)
    return out


def _zone_range(zone: str, settings: Settings) -> str:
    z = settings.zones
    return {
        "hijau": f"≥ {fmt.angka(z.hijau)} %",
        "kuning": f"{fmt.angka(z.kuning)} % s.d. < {fmt.angka(z.hijau)} %",
        "merah": f"< {fmt.angka(z.kuning)} %",
    }[zone]


def _summary_lines(
    putaran: str, riwayat: pd.DataFrame, progres_opd: pd.DataFrame, settings: Settings
) -> list[str]:
    lines = trends.overall_lines(riwayat, putaran)
    now = lines.iloc[-1] if len(lines) else None
    members = zone_members(progres_opd)
    out = [f"OPD yang dievaluasi: {sum(len(members[z]) for z in ZONE_ORDER)} dari {len(progres_opd)} OPD"]
    if now is not None:
        out.append(
            f"Rata-rata capaian OPD: {fmt.persen(now['rata_rata'])} %; capaian gabungan semua butir: "
            f"{fmt.persen(now['gabungan'])} % ({fmt.angka(int(now['terpenuhi']))} dari "
            f"{fmt.angka(int(now['wajib']))} butir)"
        )
    if len(lines) >= 2:
        before = lines.iloc[-2]
        out.append(
            f"Perubahan sejak {fmt.tanggal_pendek(before['putaran'])}: rata-rata "
            f"{fmt.persen(now['rata_rata'] - before['rata_rata'], sign=True)} poin, gabungan "
            f"{fmt.persen(now['gabungan'] - before['gabungan'], sign=True)} poin"
        )
    else:
        out.append("Putaran pertama: belum ada pembanding.")
    for zone in ZONE_ORDER:
        out.append(
            f"Zona {settings.zones.labels[zone]} ({_zone_range(zone, settings)}): {len(members[zone])} OPD"
        )
    if len(members[trends.NO_ZONE]):
        out.append(f"Tanpa butir wajib (tidak dievaluasi): {len(members[trends.NO_ZONE])} OPD")
    return out


def _zone_chart_of_report(progres_opd: pd.DataFrame, settings: Settings, path: Path) -> list[Path] | None:
    """The report's per-OPD zone bar chart re-rendered at slide resolution, if ``satudata.charts`` has it.

    At most ``BARS_PER_SLIDE`` bars a slide, so that names and percents can be read on a projector: the
    OPDs are shared evenly over as few slides as that allows, best first (``<path stem>-1.png``, ...).
    """
    try:
        from satudata import charts

        ordered = charts.zone_chart_order(progres_opd)
        pages = max(1, -(-len(ordered) // BARS_PER_SLIDE))
        size = max(1, -(-len(ordered) // pages))
        figures = [
            charts.zone_bar_chart(ordered.iloc[i : i + size].drop(columns=["_persen", "_label", "_has"]), settings)
            for i in range(0, max(len(ordered), 1), size)
        ]
    except (ImportError, AttributeError):
        return None
    if len(figures) == 1:
        return [trend_charts.save_png(figures[0], path, dpi=trend_charts.DPI)]
    return [
        trend_charts.save_png(fig, path.with_name(f"{path.stem}-{k}{path.suffix}"), dpi=trend_charts.DPI)
        for k, fig in enumerate(figures, start=1)
    ]


def _zone_slides(deck: Deck, progres_opd: pd.DataFrame, settings: Settings) -> None:
    members = zone_members(progres_opd)
    first_round = "selisih" not in progres_opd or progres_opd["selisih"].isna().all()
    for zone in (*ZONE_ORDER, trends.NO_ZONE):
        frame = members[zone]
        if zone == trends.NO_ZONE:
            if frame.empty:
                continue
            label, colour = NO_ZONE_TITLE, "#9E9E9E"
        else:
            label = f"Zona {settings.zones.labels[zone]} ({_zone_range(zone, settings)})"
            colour = settings.zones.colours[zone]
        pages = _chunks(frame, ROWS_PER_SLIDE)
        for page_no, page in enumerate(pages, start=1):
            title = f"{label}: {len(frame)} OPD" + (f" ({page_no}/{len(pages)})" if len(pages) > 1 else "")
            slide = deck.slide(title, colour)
            if page.empty:
                deck.bullets(slide, ["Tidak ada OPD di zona ini pada putaran ini."])
                continue
            rows = []
            start = (page_no - 1) * ROWS_PER_SLIDE + 1
            for i, row in enumerate(page.itertuples(index=False), start=start):
                selisih = getattr(row, "selisih", math.nan)
                rows.append(
                    [
                        str(i),
                        str(row.nama_opd),
                        str(row.singkatan),
                        f"{fmt.persen_zona(row.persen, settings.zones)} %" if not pd.isna(row.persen) else "–",
                        fmt.persen(selisih, sign=True) if not pd.isna(selisih) else "–",
                    ]
                )
            if first_round:  # a column of dashes says nothing: the change appears from the second round
                deck.table(slide, ["No", "Nama OPD", "Singkatan", "Persen"], [r[:4] for r in rows],
                           [0.6, 8.8, 1.8, 1.2], left=0.45, size=14)
                continue
            deck.table(
                slide,
                ["No", "Nama OPD", "Singkatan", "Persen", "Perubahan (poin)"],
                rows,
                [0.6, 7.3, 1.8, 1.2, 1.5],
                left=0.45,
                size=14,
            )


def _movers_slide(deck: Deck, putaran: str, riwayat: pd.DataFrame, settings: Settings) -> None:
    slide = deck.slide("Yang bergerak sejak putaran lalu")
    if len(trends.rounds_of(riwayat)) < 2:
        deck.bullets(slide, ["Putaran pertama: belum ada pembanding."])
        return
    improved = trends.most_improved(riwayat, putaran, TOP_MOVERS)
    rows = [
        [
            str(r.nama_opd),
            f"{fmt.persen(r.persen_sebelumnya)} → {fmt.persen(r.persen)} %",
            fmt.persen(r.selisih, sign=True),
        ]
        for r in improved.itertuples(index=False)
    ]
    if not rows:
        rows = [["Tidak ada OPD yang naik", "", ""]]
    deck.table(slide, ["Naik paling banyak", "Persen", "Poin"], rows, [4.2, 2.0, 0.9], size=13)
    migration = trends.zone_migration(riwayat, putaran)
    last = migration.loc[migration["putaran_dari"] == migration["putaran_dari"].max()]
    labels = {**settings.zones.labels, trends.NO_ZONE: "tanpa zona"}
    moved = trends.migration_summary(last)
    lines = [
        f"{labels[r.zona_dari]} → {labels[r.zona_ke]} ({r.jumlah} OPD): {r.opd}"
        for r in moved.itertuples(index=False)
    ]
    stalled = trends.stalled(riwayat, putaran)
    box = slide.shapes.add_textbox(Inches(7.9), Inches(1.3), Inches(5.0), Inches(5.6))
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # long lists shrink instead of running off the slide
    texts = [
        ("Pindah zona", lines or ["tidak ada"]),
        (
            f"Tidak bergerak, di bawah 100 % ({len(stalled)} OPD)",
            [", ".join(stalled["singkatan"].astype(str)) or "tidak ada"],
        ),
    ]
    first = True
    for heading, items in texts:
        para = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        para.text, para.font.bold, para.font.size = heading, True, Pt(16)
        for item in items:
            p = frame.add_paragraph()
            p.text, p.font.size = item, Pt(13)


def _missing_slide(deck: Deck, progres_opd: pd.DataFrame, kekurangan: pd.DataFrame, settings: Settings) -> None:
    slide = deck.slide(f"{TOP_MISSING} OPD dengan butir kurang terbanyak")
    counts = kekurangan.groupby("kode_opd").size().rename("kurang")
    frame = progres_opd.merge(counts, left_on="kode_opd", right_index=True, how="inner")
    frame = frame.sort_values(["kurang", "kode_opd"], ascending=[False, True]).head(TOP_MISSING)
    if frame.empty:
        deck.bullets(slide, ["Tidak ada butir yang kurang: semua OPD sudah lengkap."])
        return
    rows = [
        [
            str(i),
            str(r.nama_opd),
            fmt.angka(int(r.kurang)),
            fmt.angka(int(r.wajib)),
            f"{fmt.persen_zona(r.persen, settings.zones)} %",
        ]
        for i, r in enumerate(frame.itertuples(index=False), start=1)
    ]
    deck.table(
        slide, ["No", "Nama OPD", "Butir kurang", "Butir wajib", "Persen"], rows, [0.7, 7.0, 1.7, 1.7, 1.3]
    )


def _quality_slide(deck: Deck, quality: pd.DataFrame, warnings: pd.DataFrame) -> None:
    """One slide on the quality of the values: the region's score, warnings per check, lowest scores."""
    from satudata.plausibility import CHECK_LABELS
    from satudata.quality import region_quality

    slide = deck.slide("Kualitas nilai: yang perlu diperiksa")
    region = region_quality(quality)
    lines = [f"Skor kualitas rata-rata {fmt.persen(region['skor_kualitas'])} dari 100 (zona tetap menurut "
             "kelengkapan)."]  # fmt: skip
    counts = warnings["kode_cek"].value_counts()
    lines.append("Peringatan: " + ("; ".join(f"{CHECK_LABELS.get(k, k)} {int(n)}" for k, n in counts.items())
                                   if len(counts) else "tidak ada") + ".")  # fmt: skip
    low = quality[quality["skor_kualitas"].notna()].sort_values(["skor_kualitas", "nama_opd"]).head(3)
    lines += [f"{r.nama_opd}: skor {fmt.persen(r.skor_kualitas)}" for r in low.itertuples(index=False)]
    lines.append("Rinciannya ada di sheet 'Kualitas Nilai' buku kerja umpan balik.")
    deck.bullets(slide, lines, size=18)


def _overall_forecast(putaran: str, riwayat: pd.DataFrame, settings: Settings) -> str:
    """When the mean of the OPD percents reaches the hijau threshold at its last-interval pace."""
    lines = trends.overall_lines(riwayat, putaran).dropna(subset=["rata_rata"])
    target = f"{fmt.angka(settings.zones.hijau)} %"
    if len(lines) < 2:
        return f"Perkiraan kapan rata-rata capaian mencapai {target}: {trends.STATUS_UNKNOWN} (baru ada satu putaran)."
    pace = trends.overall_pace(riwayat, putaran)["rata_rata"]
    paces = (f"laju terakhir {fmt.persen(pace['terakhir'], sign=True)} poin per minggu, laju rata-rata "
             f"{fmt.persen(pace['rata_rata'], sign=True)}")  # fmt: skip
    upcoming = trends.upcoming_rounds(putaran, len(lines), settings.rounds)
    result = trends.forecast(float(lines.iloc[-1]["rata_rata"]), pace["terakhir"], settings.zones.hijau, putaran,
                             upcoming)  # fmt: skip
    if result.tanggal is None:
        return f"Rata-rata capaian mencapai {target}: {result.status} ({paces})."
    return (f"Dengan laju sekarang ({paces}), rata-rata capaian mencapai {target} pada "
            f"{when_text(result.tanggal, result.putaran_ke, '')}.")  # fmt: skip


def _next_steps(
    putaran: str, riwayat: pd.DataFrame, progres_opd: pd.DataFrame, settings: Settings
) -> list[str]:
    members = zone_members(progres_opd)
    labels = settings.zones.labels
    steps = [
        f"OPD zona {labels['merah']} ({len(members['merah'])} OPD): kirim data yang masih kurang; rincian tiap "
        "butir ada di buku kerja umpan balik masing-masing (folder umpan-balik).",
        f"OPD zona {labels['kuning']} ({len(members['kuning'])} OPD): lengkapi butir yang kurang untuk mencapai "
        f"zona {labels['hijau']} (≥ {fmt.angka(settings.zones.hijau)} %).",
        "Perbaiki berkas sesuai sheet 'Masalah' di buku kerja umpan balik, lalu kirim ulang.",
        "Isi lembar 'Isian' di buku kerja umpan balik (angka, '-' untuk nihil, '...' untuk belum tersedia), lalu "
        "kirim berkas itu kembali: terbaca otomatis.",
    ]
    steps.append(_overall_forecast(putaran, riwayat, settings))
    return steps


def build_deck(
    putaran: str,
    progres_opd: pd.DataFrame,
    riwayat: pd.DataFrame,
    kekurangan: pd.DataFrame,
    settings: Settings,
    out_path: str | Path,
    images_dir: str | Path,
    zone_chart: str | Path | None = None,
    quality: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> Path:
    """Write the rakor deck of ``putaran`` to ``out_path``; chart PNGs go to ``images_dir``; ``quality``
    (``kualitas_opd``, ``kualitas_nilai``) adds the slide on the quality of the values.

    ``zone_chart`` is an existing per-OPD zone bar chart (the report's ``zona-<R>.png``) used when
    ``satudata.charts.zone_bar_chart`` cannot be called to render it at slide resolution.
    """
    putaran = check_round(putaran)  # it names files: a date, nothing else
    out_path, images_dir = Path(out_path), Path(images_dir)
    riwayat = trends.history_up_to(riwayat, putaran)
    date_text = fmt.tanggal(putaran)
    deck = Deck(f"Rakor Satu Data {settings.region} · {fmt.tanggal_pendek(putaran)}")

    slide = deck.slide(f"Rapat Koordinasi Satu Data {settings.region}")
    deck.bullets(
        slide,
        [
            f"Evaluasi kelengkapan data SIPD putaran {date_text}",
            "Capaian setiap perangkat daerah, perpindahan zona, dan langkah berikutnya",
        ],
        top=2.4,
        size=24,
    )

    slide = deck.slide("Ringkasan")
    deck.bullets(slide, _summary_lines(putaran, riwayat, progres_opd, settings))

    count_png = trend_charts.save_png(
        trend_charts.zone_count_chart(
            progres_opd, settings, f"Jumlah OPD per zona, {fmt.tanggal_pendek(putaran)}"
        ),
        images_dir / f"rakor-zona-jumlah-{putaran}.png",
    )
    deck.picture(deck.slide("Sebaran zona"), count_png)

    bars = _zone_chart_of_report(progres_opd, settings, images_dir / f"rakor-zona-{putaran}.png")
    if bars is None and zone_chart is not None and Path(zone_chart).exists():
        bars = [Path(zone_chart)]
    for k, image in enumerate(bars or [], start=1):
        title = "Capaian tiap OPD" + (f" ({k}/{len(bars)})" if len(bars) > 1 else "")
        deck.picture(deck.slide(title), image, top=1.15)

    _zone_slides(deck, progres_opd, settings)
    _movers_slide(deck, putaran, riwayat, settings)
    trend_png = trend_charts.save_png(
        trend_charts.trend_lines(riwayat, putaran, settings), images_dir / f"rakor-tren-{putaran}.png"
    )
    deck.picture(deck.slide("Tren capaian"), trend_png)
    _missing_slide(deck, progres_opd, kekurangan, settings)
    if quality is not None:
        _quality_slide(deck, *quality)
    deck.bullets(deck.slide("Langkah berikutnya"), _next_steps(putaran, riwayat, progres_opd, settings))

    stamp = datetime.fromisoformat(putaran)
    props = deck.prs.core_properties
    props.title = f"Rakor Satu Data {settings.region} {putaran}"
    props.author = props.last_modified_by = "satudata"
    props.created = props.modified = stamp
    props.revision = 1
    out_path.parent.mkdir(parents=True, exist_ok=True)
    deck.prs.save(str(out_path))
    return out_path


def slide_texts(path: str | Path) -> list[str]:
    """All text of each slide (titles, text boxes, table cells), one string per slide: for checks."""
    prs = Presentation(str(path))
    out = []
    for slide in prs.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        out.append("\n".join(parts))
    return out


@dataclass
class RakorResult:
    """What the rakor stage read and wrote for one round."""

    inputs: trends.RoundInputs
    settings: Settings
    reports_dir: Path
    deck: Path
    feedback: list[Path]
    walidata: Path
    notes: list[str] = field(default_factory=list)
    data_dir: Path | None = None
    kept: list[tuple[Path, Path]] = field(default_factory=list)  # (output, its edited copy kept)
    epss: Path | None = None  # the EPSS evidence workbook (when the round's quality was computed)


def register_frame_for(ctx: Context, progres_opd: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The register's OPDs; when the reference cannot be read, the OPDs of ``progres_opd`` (with a note)."""
    try:
        register, _ = ctx.reference()
        return register.frame, []
    except Exception as exc:  # noqa: BLE001 - any reference problem: still give every OPD its workbook
        frame = progres_opd[["kode_opd", "nama_opd", "singkatan", "jenis"]].drop_duplicates("kode_opd")
        return frame, [
            f"Register OPD tidak dapat dibaca ({exc}); umpan balik dibuat untuk OPD di progres_opd."
        ]


def run_rakor(
    putaran: str,
    data_dir: str | Path | None = None,
    reports_dir: str | Path | None = None,
    settings_file: str | Path | None = None,
) -> RakorResult:
    """The rakor stage: read the round's outputs, write the deck, the feedback workbooks and the recap."""
    from satudata.feedback import write_feedback, write_walidata_workbook
    from satudata.pipeline import Context

    ctx = Context.create(putaran, data_dir, reports_dir, settings_file)
    inputs = trends.load_round_inputs(ctx.paths.processed_root, ctx.round_date)
    settings, out = ctx.settings, ctx.reports
    register_frame, notes = register_frame_for(ctx, inputs.progres_opd)
    deck_path, feedback_dir = out / f"rakor-{ctx.round_date}.pptx", out / "umpan-balik"
    kept = keep_edited([deck_path, *existing_outputs(feedback_dir, "*.xlsx")], out)
    quality_path, warnings_path = ctx.processed / "kualitas_opd.parquet", ctx.processed / "kualitas_nilai.parquet"
    quality = ((pd.read_parquet(quality_path), pd.read_parquet(warnings_path))
               if quality_path.exists() and warnings_path.exists() else None)  # fmt: skip
    deck = build_deck(
        ctx.round_date,
        inputs.progres_opd,
        inputs.riwayat,
        inputs.kekurangan,
        settings,
        deck_path,
        out / "grafik",
        zone_chart=out / "grafik" / f"zona-{ctx.round_date}.png",
        quality=quality,
    )
    args = (
        register_frame,
        inputs.progres_opd,
        inputs.kekurangan,
        inputs.masalah,
        settings,
        ctx.round_date,
        feedback_dir,
    )
    from satudata.catalogue_quality import load_quality

    katalog = load_quality(ctx.processed)
    kualitas = quality[1] if quality is not None else None
    items_path = ctx.processed / "item_terkini.parquet"
    diterima = pd.read_parquet(items_path) if items_path.exists() else None
    feedback = write_feedback(*args, kualitas=kualitas, diterima=diterima)
    walidata = write_walidata_workbook(*args, katalog=katalog, kualitas=kualitas)
    record_written([deck, *feedback, walidata], out)
    result = RakorResult(
        inputs, settings, out, deck, feedback, walidata, [*notes, *kept_notes(kept, out)], ctx.paths.data_dir, kept
    )
    if quality is not None:
        result.epss = _write_epss(ctx, quality[0])
    return result


def _write_epss(ctx: Context, quality: pd.DataFrame) -> Path | None:
    """The EPSS evidence workbook of the round (None, with no error, when the reference cannot be read)."""
    import json

    from satudata.epss import epss_view, write_evidence

    try:
        _register, catalogue = ctx.reference()
    except ValueError:
        return None
    per_opd, region = epss_view(quality, catalogue.elements)
    files = []
    for round_date in ctx.paths.rounds_up_to(ctx.round_date):
        path = ctx.paths.processed(round_date) / "manifest.json"
        if path.exists():
            entries = json.loads(path.read_text(encoding="utf-8")).get("berkas", [])
            files += [{**e, "putaran": round_date} for e in entries]
    return write_evidence(per_opd, region, files, ctx.round_date, ctx.reports, ctx.settings.region)
