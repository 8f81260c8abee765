"""Charts of the trends across rounds (matplotlib ``Figure`` objects on the Agg canvas, no pyplot).

Every chart uses DejaVu Sans, writes values and zones in text (never colour alone) and is saved
as PNG without the ``Software`` metadata, so two builds give the same bytes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from satudata.common import fmt
from satudata.evaluation import trends
from satudata.evaluation.zones import zone_of
from satudata.outputs import charts
from satudata.outputs.charts import short_text, text_colour
from satudata.reference.settings import ZONE_ORDER, Settings

DPI = 200  # slides need >= 150 dpi
RC = {
    "font.family": "DejaVu Sans",
    "text.parse_math": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
NO_DATA_COLOUR = "#E0E0E0"
MEAN_COLOUR = "#0D47A1"
POOLED_COLOUR = "#212121"
MAX_HEATMAP_ROUNDS = 12
MAX_HEATMAP_OPDS = 40  # rows of the OPD x round picture: no taller than it is wide, so it fits a page or a slide


def _new_figure(size: tuple[float, float]) -> Figure:
    fig = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def zone_colour_of(persen: float, settings: Settings) -> str:
    zone = zone_of(persen, settings.zones)
    return settings.zones.colours[zone] if zone else NO_DATA_COLOUR


def zone_label_of(persen: float, settings: Settings) -> str:
    zone = zone_of(persen, settings.zones)
    return settings.zones.labels[zone] if zone else "tanpa zona"


def png_bytes(fig: Figure, dpi: int = DPI) -> bytes:
    return charts.png_bytes(fig, dpi)


def save_png(fig: Figure, path: str | Path, dpi: int = DPI) -> Path:
    """Write the figure as PNG (parents created) at ``dpi``; returns the path."""
    return charts.save_png(fig, path, dpi)


def trend_lines(riwayat: pd.DataFrame, putaran: str, settings: Settings) -> Figure:
    """Each OPD's percent per round (thin grey lines), the mean of OPD percents and the pooled percent.

    Zone bands are shaded and labelled; the mean and pooled lines carry their values.
    """
    series = trends.opd_series(riwayat, putaran)
    lines = trends.overall_lines(riwayat, putaran)
    rounds = list(lines["putaran"])
    x = [date.fromisoformat(r) for r in rounds]
    zones = settings.zones
    with rc_context(RC):
        fig = _new_figure((12.8, 7.2))
        ax = fig.add_axes((0.07, 0.12, 0.74, 0.78))
        bands = (
            ("merah", 0, zones.kuning),
            ("kuning", zones.kuning, zones.hijau),
            ("hijau", zones.hijau, 100),
        )
        for zone, low, high in bands:
            ax.axhspan(low, high, color=zones.colours[zone], alpha=0.10, lw=0)
            ax.text(
                1.005,
                (low + high) / 2,
                f"{zones.labels[zone]}\n{fmt.angka(low)}–{fmt.angka(high)} %",
                transform=ax.get_yaxis_transform(),
                va="center",
                ha="left",
                fontsize=9,
                color=zones.colours[zone],
                fontweight="bold",
            )
        for kode in series.index:
            values = series.loc[kode, rounds].to_numpy(dtype="float64")
            ax.plot(x, values, color="#9E9E9E", lw=0.8, alpha=0.7, marker="o", ms=2.5, zorder=2)
        for column, colour, style, label in (
            ("rata_rata", MEAN_COLOUR, "-", "Rata-rata persen OPD"),
            ("gabungan", POOLED_COLOUR, "--", "Gabungan (semua butir)"),
        ):
            values = lines[column].to_numpy(dtype="float64")
            ax.plot(x, values, color=colour, lw=2.6, ls=style, marker="o", ms=6, label=label, zorder=4)
            other = lines["gabungan" if column == "rata_rata" else "rata_rata"].to_numpy(dtype="float64")
            for xi, v, w in zip(x, values, other, strict=True):
                if not np.isnan(v):
                    # the higher of the two lines is labelled above its point, the lower one below
                    above = np.isnan(w) or v > w or (v == w and column == "rata_rata")
                    offset = 9 if above else -17
                    ax.annotate(
                        f"{fmt.persen(v)} %",
                        (xi, v),
                        textcoords="offset points",
                        xytext=(0, offset),
                        ha="center",
                        fontsize=9,
                        color=colour,
                        fontweight="bold",
                        zorder=5,
                    )
        ax.plot([], [], color="#9E9E9E", lw=0.8, marker="o", ms=2.5, label="Satu OPD")
        ax.set_ylim(0, 105)
        ax.set_yticks(range(0, 101, 10))
        ax.set_yticklabels([f"{v} %" for v in range(0, 101, 10)])
        ax.set_xticks(x)
        ax.set_xticklabels(
            [fmt.tanggal_pendek(r) for r in rounds],
            rotation=0 if len(x) <= 5 else 30,
            ha="center" if len(x) <= 5 else "right",
            fontsize=9,
        )
        if len(x) == 1:
            ax.set_xlim(x[0] - pd.Timedelta(days=7), x[0] + pd.Timedelta(days=7))
        else:
            ax.margins(x=0.06)
        ax.set_ylabel("Persen butir wajib yang terpenuhi")
        ax.legend(loc="upper left", fontsize=9, frameon=True)
        fig.suptitle(
            f"Capaian per putaran, {settings.region} (s.d. {fmt.tanggal_pendek(putaran)})",
            fontsize=14,
            x=0.07,
            ha="left",
        )
    return fig


def trend_heatmap(riwayat: pd.DataFrame, putaran: str, settings: Settings) -> Figure:
    """OPD (rows, best first at the last round) x round (columns): each cell its percent and zone."""
    series = trends.opd_series(riwayat, putaran)
    rounds = [c for c in series.columns if c not in ("nama_opd", "singkatan")][-MAX_HEATMAP_ROUNDS:]
    series = series.assign(_last=series[rounds[-1]].fillna(-1.0)).sort_values(
        ["_last", "nama_opd"], ascending=[False, True]
    )
    title = "Persen capaian dan zona tiap OPD per putaran"
    if len(series) > MAX_HEATMAP_OPDS:
        # a page shows about 40 rows (1,000 OPDs drew a picture 56,000 pixels tall): the lowest ones, which need
        # the meeting's attention, and the title says how many are left out and where they all are
        title = (f"{MAX_HEATMAP_OPDS} OPD dengan capaian terendah dari {fmt.angka(len(series))} OPD, per putaran "
                 "(semua OPD: buku kerja rekap walidata)")
        series = series.iloc[-MAX_HEATMAP_OPDS:]
    n_rows, n_cols = len(series), len(rounds)
    height = max(4.0, 1.4 + 0.28 * n_rows)
    with rc_context(RC):
        fig = _new_figure((12.8, height))
        ax = fig.add_axes((0.30, 0.3 / height, 0.66, 1 - 1.3 / height))
        rgb = np.ones((max(n_rows, 1), max(n_cols, 1), 3))
        for i, kode in enumerate(series.index):
            for j, rnd in enumerate(rounds):
                value = float(series.loc[kode, rnd])
                colour = zone_colour_of(value, settings)
                rgb[i, j] = to_rgb(colour)
                text = "–" if np.isnan(value) else f"{fmt.persen_zona(value, settings.zones)} · {zone_label_of(value, settings)}"
                ax.text(j, i, text, ha="center", va="center", fontsize=8, color=text_colour(colour))
        ax.imshow(rgb, aspect="auto", interpolation="nearest")
        ax.set_yticks(range(n_rows))
        ax.set_yticklabels([short_text(str(n), 50) for n in series["nama_opd"]], fontsize=8)
        ax.set_xticks(range(n_cols))
        ax.set_xticklabels([fmt.tanggal_pendek(r) for r in rounds], fontsize=9)
        charts.grid_cells(ax, n_rows, n_cols, linewidth=1.2)
        fig.suptitle(
            title,
            fontsize=13,
            x=0.02,
            ha="left",
            y=1 - 0.15 / height,
            va="top",
        )
    return fig


def migration_chart(matrix: pd.DataFrame, settings: Settings, title: str) -> Figure:
    """The from x to zone matrix with the count of OPDs written in each cell."""
    labels = {**settings.zones.labels, trends.NO_ZONE: "Tanpa zona"}
    values = matrix.to_numpy(dtype="float64")
    with rc_context(RC):
        fig = _new_figure((6.4, 5.0))
        ax = fig.add_axes((0.22, 0.08, 0.72, 0.70))
        peak = max(values.max(), 1.0)
        ax.imshow(values / peak, cmap="Blues", vmin=0, vmax=1.25, aspect="auto")
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                v = int(values[i, j])
                ax.text(
                    j,
                    i,
                    f"{v} OPD",
                    ha="center",
                    va="center",
                    fontsize=11,
                    color="#FFFFFF" if v / peak > 0.6 else "#000000",
                    fontweight="bold" if i == j else "normal",
                )
        ax.set_xticks(range(values.shape[1]))
        ax.set_xticklabels([labels.get(c, c) for c in matrix.columns])
        ax.set_yticks(range(values.shape[0]))
        ax.set_yticklabels([labels.get(r, r) for r in matrix.index])
        ax.xaxis.tick_top()
        ax.xaxis.set_label_position("top")
        ax.set_xlabel("Zona putaran ini")
        ax.set_ylabel("Zona putaran sebelumnya")
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        fig.suptitle(title, fontsize=11, y=0.98)
    return fig


def zone_count_chart(progres_opd: pd.DataFrame, settings: Settings, title: str) -> Figure:
    """Number of OPDs in each zone as bars, with the count and the zone written on each bar."""
    zones = settings.zones
    counts = progres_opd["zona"].value_counts()
    values = [int(counts.get(z, 0)) for z in ZONE_ORDER]
    total = sum(values)
    with rc_context(RC):
        fig = _new_figure((12.8, 6.4))
        ax = fig.add_axes((0.06, 0.12, 0.9, 0.74))
        x = np.arange(len(ZONE_ORDER))
        ax.bar(x, values, color=[zones.colours[z] for z in ZONE_ORDER], width=0.6)
        for xi, v in zip(x, values, strict=True):
            share = f" ({fmt.persen(v / total * 100, 0)} %)" if total else ""
            ax.text(
                xi,
                v + max(values + [1]) * 0.02,
                f"{v} OPD{share}",
                ha="center",
                va="bottom",
                fontsize=14,
                fontweight="bold",
            )
        thresholds = [
            f"≥ {fmt.angka(zones.hijau)} %",
            f"{fmt.angka(zones.kuning)}–<{fmt.angka(zones.hijau)} %",
            f"< {fmt.angka(zones.kuning)} %",
        ]
        ax.set_xticks(x)
        ax.set_xticklabels(
            [f"{zones.labels[z]}\n{t}" for z, t in zip(ZONE_ORDER, thresholds, strict=True)], fontsize=13
        )
        ax.set_ylim(0, max(values + [1]) * 1.2)
        ax.set_ylabel("Jumlah OPD")
        fig.suptitle(title, fontsize=15)
    return fig
