"""Charts of a round: the zone bar chart and the OPD x urusan heatmap (matplotlib, Agg).

Figures are built as ``matplotlib.figure.Figure`` objects drawn by the Agg canvas, never
through pyplot, so no global state and no GUI backend are involved, and a notebook does not
display them twice. Every text uses DejaVu Sans (shipped with matplotlib; no web fonts), and
math text is switched off so that a ``$`` in an OPD name stays a dollar sign. PNGs are written
without the ``Software`` metadata so that two builds give the same bytes.

Every chart writes the value and the zone in text next to the colour (never colour alone).
"""

from __future__ import annotations

import base64
import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from satudata.common import fmt
from satudata.common.safe_text import html_escape, html_isolated
from satudata.reference.settings import Settings

# 1920 x 1080 pixels: a full-HD rakor screen
SCREEN_SIZE = (19.2, 10.8)
SCREEN_DPI = 100
NO_DATA_COLOUR = "#E0E0E0"
RC = {
    "font.family": "DejaVu Sans",
    "text.parse_math": False,
    "svg.hashsalt": "satudata",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance)."""
    channels = []
    for c in to_rgb(background):
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    return "#000000" if luminance > 0.30 else "#FFFFFF"


def short_text(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def opd_label(row: pd.Series | dict, limit: int = 60) -> str:
    """The name shown for an OPD on a chart: ``nama_opd`` (shortened), else the code."""
    name = row.get("nama_opd")
    if not isinstance(name, str) or not name.strip():
        name = str(row.get("kode_opd", ""))
    return short_text(name, limit)


def zone_chart_order(progres: pd.DataFrame) -> pd.DataFrame:
    """The OPDs in the order of :func:`zone_bar_chart`: highest percent first, then by name; those that owe
    nothing last. Adds ``_persen``, ``_label`` and ``_has`` (has a percent)."""
    frame = progres.copy()
    frame["_persen"] = pd.to_numeric(frame["persen"], errors="coerce").astype("float64")
    frame["_label"] = [opd_label(r) for _, r in frame.iterrows()]
    frame["_has"] = frame["_persen"].notna()
    return frame.sort_values(
        ["_has", "_persen", "_label"], ascending=[False, False, True], kind="mergesort"
    ).reset_index(drop=True)


MAX_ZONE_BARS = 60  # bars of a zone chart: more are not readable in 1920 x 1080 (and cost seconds to draw)


def zone_chart_shown(progres: pd.DataFrame, limit: int = MAX_ZONE_BARS) -> tuple[pd.DataFrame, str | None]:
    """The OPDs a zone chart draws and, when not all, the words that say so: past ``limit`` OPDs the ``limit``
    lowest that owe something (those that need attention), ``60 OPD dengan capaian terendah dari 1.000 OPD``.
    The report and the progress notebook draw the same bars."""
    if len(progres) <= limit:
        return progres, None
    ordered = zone_chart_order(progres)
    lowest = set(ordered.loc[ordered["_has"], "kode_opd"].tail(limit))
    shown = progres[progres["kode_opd"].isin(lowest)]
    return shown, f"{len(shown)} OPD dengan capaian terendah dari {fmt.angka(len(progres))} OPD"


def zone_chart_font(n: int) -> float:
    """The label size (points) of :func:`zone_bar_chart` for ``n`` OPDs."""
    return 11.5 if n <= 30 else (10.5 if n <= 45 else max(5.0, 10.5 * 45 / n))


def zone_bar_chart(progres: pd.DataFrame, settings: Settings, title: str | None = None) -> Figure:
    """Every OPD as a horizontal bar, highest percent on top, coloured by zone.

    ``progres`` follows the ``progres_opd`` contract (``kode_opd, nama_opd, persen, zona``).
    Each bar carries its percent (Indonesian, never rounded onto a zone threshold: ``89,9 %``) and its zone label; dashed
    lines mark the kuning and hijau thresholds. An OPD that owes nothing gets no bar and the
    text ``tidak ada butir wajib``. The figure is 1920 x 1080 pixels at 100 dpi.
    """
    zones = settings.zones
    frame = zone_chart_order(progres)
    n = len(frame)
    with rc_context(RC):
        fig = Figure(figsize=SCREEN_SIZE, dpi=SCREEN_DPI)
        FigureCanvasAgg(fig)
        # room for the names on the left, the title on top
        font = zone_chart_font(n)
        ax = fig.add_axes((0.27, 0.06, 0.70, 0.86 if title else 0.90))
        y = np.arange(n)[::-1]
        widths = frame["_persen"].fillna(0.0).to_numpy()
        colours = [
            zones.colours.get(str(z), NO_DATA_COLOUR) if has else NO_DATA_COLOUR
            for z, has in zip(frame["zona"], frame["_has"], strict=True)
        ]
        ax.barh(y, widths, color=colours, height=0.78, edgecolor="none")
        ax.set_yticks(y)
        ax.set_yticklabels(frame["_label"], fontsize=font)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlim(0, 100)
        ax.set_xticks(range(0, 101, 10))
        ax.set_xticklabels([f"{v} %" for v in range(0, 101, 10)], fontsize=font + 1)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel("Persentase butir wajib yang terpenuhi", fontsize=font + 2)
        for threshold, zone in ((zones.kuning, "kuning"), (zones.hijau, "hijau")):
            ax.axvline(threshold, color="#424242", linestyle="--", linewidth=1.2, zorder=0.5)
            ax.text(
                threshold,
                1.0,
                f" {zones.labels.get(zone, zone)} ≥ {fmt.angka(threshold)} %",
                transform=ax.get_xaxis_transform(),
                fontsize=font + 1,
                va="bottom",
                ha="left",
                color="#212121",
            )
        for yi, value, has, zone, colour in zip(
            y, widths, frame["_has"], frame["zona"], colours, strict=True
        ):
            if not has:
                ax.text(1, yi, "tidak ada butir wajib", va="center", ha="left", fontsize=font, color="#424242")
                continue
            text = f"{fmt.persen_zona(float(value), zones)} % · {zones.labels.get(str(zone), str(zone))}"
            # inside the bar when there is room, else just after its end
            if value >= 22:
                ax.text(value - 0.6, yi, text, va="center", ha="right", fontsize=font,
                        color=text_colour(colour), fontweight="bold")
            else:
                ax.text(value + 0.6, yi, text, va="center", ha="left", fontsize=font, color="#212121",
                        fontweight="bold")
        if title:
            fig.suptitle(title, fontsize=18, x=0.5, y=0.985, va="top")
        _fit_tick_labels(fig, ax)
    return fig


def _fit_tick_labels(fig: Figure, ax) -> None:
    """Shorten the y tick labels (with an ellipsis) until each fits left of the axes."""
    renderer = fig.canvas.get_renderer()
    room = ax.get_window_extent(renderer).x0 - 14
    labels = ax.get_yticklabels()
    if not labels:
        return
    props = labels[0].get_fontproperties()

    def width(text: str) -> float:
        return renderer.get_text_width_height_descent(text, props, ismath=False)[0]

    fitted = []
    for label in labels:
        text = label.get_text()
        while len(text) > 8 and width(text) > room:
            text = text[:-2].rstrip("… ") + "…"
        fitted.append(text)
    ax.set_yticks(ax.get_yticks(), fitted, fontsize=props.get_size_in_points())


def heatmap(matrix: pd.DataFrame, settings: Settings, title: str | None = None) -> Figure:
    """Completeness by OPD (rows) and urusan (columns), each cell coloured by its zone.

    ``matrix`` holds percents (NaN where the OPD owes nothing in that urusan); its index and
    columns are the labels shown. Each cell writes its percent (one decimal, see fmt.persen); empty cells stay
    light grey. The width is 1920 pixels, the height grows with the number of rows.
    """
    zones = settings.zones
    rows, cols = matrix.shape
    height = max(4.5, 3.2 + 0.34 * rows)
    values = matrix.to_numpy(dtype="float64", na_value=np.nan)
    with rc_context(RC):
        fig = Figure(figsize=(SCREEN_SIZE[0], height), dpi=SCREEN_DPI)
        FigureCanvasAgg(fig)
        top_room = 2.6 / height
        ax = fig.add_axes((0.25, 0.2 / height + 0.01, 0.63, 1 - top_room - 0.2 / height - 0.01))
        rgb = np.ones((max(rows, 1), max(cols, 1), 3))
        for i in range(rows):
            for j in range(cols):
                v = values[i, j]
                if math.isnan(v):
                    colour = NO_DATA_COLOUR
                elif v >= zones.hijau:
                    colour = zones.colours["hijau"]
                elif v >= zones.kuning:
                    colour = zones.colours["kuning"]
                else:
                    colour = zones.colours["merah"]
                rgb[i, j] = to_rgb(colour)
                if not math.isnan(v):
                    ax.text(j, i, fmt.persen(v, 0), ha="center", va="center",
                            fontsize=9 if cols > 25 else 11, color=text_colour(colour))
        ax.imshow(rgb, aspect="auto", interpolation="nearest")
        ax.set_yticks(range(rows))
        ax.set_yticklabels([short_text(str(r), 55) for r in matrix.index], fontsize=11)
        ax.set_xticks(range(cols))
        ax.set_xticklabels([short_text(str(c), 34) for c in matrix.columns], fontsize=10, rotation=50,
                           ha="left", rotation_mode="anchor")
        grid_cells(ax, rows, cols, linewidth=1.0)
        legend = (
            f"Angka = persen butir terpenuhi. Warna: {zones.labels['hijau']} ≥ {fmt.angka(zones.hijau)} %, "
            f"{zones.labels['kuning']} ≥ {fmt.angka(zones.kuning)} %, {zones.labels['merah']} di bawahnya; "
            "abu-abu = tidak ada butir wajib."
        )
        fig.text(0.25, 0.005, legend, fontsize=10, va="bottom", ha="left", color="#212121")
        if title:
            fig.suptitle(title, fontsize=16, x=0.02, ha="left", y=0.998, va="top")
        _fit_tick_labels(fig, ax)
    return fig


def grid_cells(ax, rows: int, cols: int, linewidth: float) -> None:
    """Style an ``imshow`` table: labels on top, no spines or ticks, white lines between cells."""
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(-0.5, cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=linewidth)
    ax.tick_params(which="minor", length=0)


PHONE_WIDTH_PX = 360  # drawn for a phone: a 390 px screen less the page's margins
PHONE_FONT_PT = 8.5


def label_px(font_pt: float, dpi: float) -> float:
    """A font of ``font_pt`` points in pixels of an image drawn at ``dpi``."""
    return round(font_pt * dpi / 72, 1)


def zone_bar_chart_phone(progres: pd.DataFrame, settings: Settings) -> Figure:
    """The zone chart drawn for a phone: 360 px wide at 100 dpi, one bar per OPD (its abbreviation), its percent
    and zone written beside it, labels of 8,5 pt (11,8 px, shown at its own width on a 390 px screen), thresholds
    dashed. Same order as :func:`zone_bar_chart`."""
    zones = settings.zones
    frame = zone_chart_order(progres)
    short = [r.get("singkatan") if isinstance(r.get("singkatan"), str) and r.get("singkatan").strip()
             else short_text(r["_label"], 15) for _, r in frame.iterrows()]  # fmt: skip
    n = len(frame)
    width_in = PHONE_WIDTH_PX / SCREEN_DPI
    height_in = 0.24 * n + 0.9
    with rc_context(RC):
        fig = Figure(figsize=(width_in, height_in), dpi=SCREEN_DPI)
        FigureCanvasAgg(fig)
        bottom, top = 0.55 / height_in, 1 - 0.35 / height_in
        ax = fig.add_axes((0.35, bottom, 0.62, top - bottom))
        y = np.arange(n)[::-1]
        widths = frame["_persen"].fillna(0.0).to_numpy()
        colours = [zones.colours.get(str(z), NO_DATA_COLOUR) if has else NO_DATA_COLOUR
                   for z, has in zip(frame["zona"], frame["_has"], strict=True)]  # fmt: skip
        ax.barh(y, widths, color=colours, height=0.8, edgecolor="none")
        ax.set_yticks(y)
        ax.set_yticklabels([short_text(t, 15) for t in short], fontsize=PHONE_FONT_PT)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 50, 90])
        ax.set_xticklabels(["0 %", f"{fmt.angka(zones.kuning)} %", f"{fmt.angka(zones.hijau)} %"], fontsize=PHONE_FONT_PT)
        ax.tick_params(axis="y", length=0)
        for threshold in (zones.kuning, zones.hijau):
            ax.axvline(threshold, color="#424242", linestyle="--", linewidth=0.8, zorder=0.5)
        for yi, value, has, zone, colour in zip(y, widths, frame["_has"], frame["zona"], colours, strict=True):
            if not has:
                ax.text(1, yi, "tanpa butir wajib", va="center", ha="left", fontsize=PHONE_FONT_PT, color="#424242")
                continue
            text = f"{fmt.persen_zona(float(value), zones)} % {zones.labels.get(str(zone), str(zone))}"
            if value >= 55:
                ax.text(value - 1, yi, text, va="center", ha="right", fontsize=PHONE_FONT_PT,
                        color=text_colour(colour), fontweight="bold")
            else:
                ax.text(value + 1, yi, text, va="center", ha="left", fontsize=PHONE_FONT_PT, color="#212121",
                        fontweight="bold")
    return fig


def png_bytes(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes (at ``dpi``, else its own), without varying metadata, in at most 256 colours
    (:func:`palette_png`)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi or fig.dpi, metadata={"Software": None})
    return palette_png(buffer.getvalue())


PALETTE_SIZE = 256
MAX_COLOURS = 8192  # a palette is made for at most this many colours (a distance table of 8192 x 256)


def palette_png(png: bytes) -> bytes:
    """An opaque PNG with its colours in a palette: the 256 most used colours exactly (the bars, zones, text and
    background), any other (a shade at the edge of a letter) as the nearest of them. A chart holds a few hundred
    colours, nearly all anti-aliasing; in a palette its PNG is about a quarter of the size (a 450-producer zone
    chart 228 KB to 80 KB), which is what a report embedding it carries. A PNG with transparency, or one
    that would not get smaller, or with more than ``MAX_COLOURS`` colours, is returned as it was."""
    from PIL import Image

    rgba = np.ascontiguousarray(np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")))
    if (rgba[..., 3] != 255).any():
        return png
    pixels = rgba.view(np.uint32).ravel()  # one number per pixel (its four bytes), hashed, not sorted
    codes, colours = pd.factorize(pixels)
    if len(colours) > MAX_COLOURS:  # not a chart's few hundred colours (a photograph): left as it is
        return png
    counts = np.bincount(codes, minlength=len(colours))
    kept = np.sort(np.argsort(-counts, kind="stable")[:PALETTE_SIZE])  # the most used, in order of appearance
    split = colours.view(np.uint8).reshape(-1, 4)[:, :3].astype(np.int32)  # R, G, B of each colour
    if len(colours) <= PALETTE_SIZE:
        nearest = np.arange(len(colours), dtype=np.uint8)  # every colour kept: exact
    else:
        distance = ((split[:, None, :] - split[None, kept, :]) ** 2).sum(axis=2)  # every colour to every kept one
        nearest = distance.argmin(axis=1).astype(np.uint8)  # a kept colour is its own nearest (distance 0)
    indexed = Image.fromarray(nearest[codes].reshape(rgba.shape[:2]), mode="P")
    indexed.putpalette(split[kept].astype(np.uint8).tobytes())
    out = io.BytesIO()
    indexed.save(out, format="PNG", compress_level=8)  # 3 % larger than level 9, in a third of its time
    return out.getvalue() if len(out.getvalue()) < len(png) else png


def save_png(fig: Figure, path: str | Path, dpi: float | None = None) -> Path:
    """Write the figure as a PNG (parents created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(fig, dpi))
    return path


def figure_html(fig: Figure, alt: str, caption: str | None = None, data: bytes | None = None,
                font_px: float | None = None, css: str = "") -> str:  # fmt: skip
    """An ``<figure>`` with the PNG embedded as base64 (no external file), alt text escaped. ``font_px``: the
    chart's smallest label in image pixels (``data-huruf``: the browser check computes the size shown);
    ``css``: extra classes of the figure (``grafik-layar``, ``grafik-ponsel``)."""
    payload = base64.b64encode(data if data is not None else png_bytes(fig)).decode("ascii")
    width, height = (int(round(v * fig.dpi)) for v in fig.get_size_inches())
    cap = f"<figcaption>{html_isolated(caption)}</figcaption>" if caption else ""
    font = f' data-huruf="{font_px:g}"' if font_px else ""
    classes = f"grafik {css}".strip()
    return (
        f'<figure class="{classes}"><img src="data:image/png;base64,{payload}" alt="{html_escape(alt)}" '
        f'width="{width}" height="{height}"{font}>{cap}</figure>'
    )
