"""Seaborn figures for the questions across rounds (``notebooks/05_eksplorasi.ipynb``), in zone colours.

Each function takes a table of :mod:`satudata.outputs.exploration` and returns a matplotlib ``Figure``
(not a pyplot figure, so nothing global is left behind); :func:`satudata.outputs.views.gambar` shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from satudata.common import fmt
from satudata.evaluation.zones import zone_of
from satudata.reference.settings import Settings

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

GREY = "#9E9E9E"


def _figure(size: tuple[float, float]) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=size, dpi=100, layout="constrained")


def _zone_bands(ax: Axes, settings: Settings) -> None:
    """Pale zone bands behind a percent axis, with the thresholds dashed."""
    zones = settings.zones
    bands = (("merah", 0, zones.kuning), ("kuning", zones.kuning, zones.hijau), ("hijau", zones.hijau, 100))
    for zone, low, high in bands:
        ax.axhspan(low, high, color=zones.colours.get(zone, GREY), alpha=0.12, linewidth=0)
    for threshold in (zones.kuning, zones.hijau):
        ax.axhline(threshold, color="#616161", linestyle="--", linewidth=0.8)
    ax.set_ylim(0, 110)


def _round_labels(rounds: list[str]) -> list[str]:
    return [fmt.tanggal_pendek(r) for r in rounds]


def urusan_heatmap(wide: pd.DataFrame, settings: Settings) -> Figure:
    """Urusan x round: each cell coloured by the zone of its percent, the percent written in it."""
    import matplotlib as mpl
    import numpy as np
    import seaborn as sns
    from matplotlib.colors import BoundaryNorm, ListedColormap

    from satudata.outputs.charts import RC, short_text, text_colour

    rounds = [c for c in wide.columns if c not in ("kode_urusan", "nama_urusan")]
    matrix = wide[rounds].astype(float)
    zones = settings.zones
    cmap = ListedColormap([zones.colours.get(z, GREY) for z in ("merah", "kuning", "hijau")])
    norm = BoundaryNorm([0, zones.kuning, zones.hijau, 100.0001], cmap.N)
    with mpl.rc_context(RC):
        fig = _figure((3.5 + 2.2 * max(len(rounds), 1), 1.5 + 0.32 * max(len(wide), 1)))
        ax = fig.subplots()
        sns.heatmap(matrix.to_numpy(), ax=ax, cmap=cmap, norm=norm, cbar=False, linewidths=0.5,
                    linecolor="white", mask=np.isnan(matrix.to_numpy()))
        for (i, j), value in np.ndenumerate(matrix.to_numpy()):
            if np.isnan(value):
                continue
            zone = zone_of(value, zones)
            ax.text(j + 0.5, i + 0.5, fmt.persen(float(value)), ha="center", va="center", fontsize=8,
                    color=text_colour(zones.colours.get(zone, GREY)))
        ax.set_xticks([k + 0.5 for k in range(len(rounds))], _round_labels(rounds), rotation=0)
        ax.set_yticks([k + 0.5 for k in range(len(wide))],
                      [short_text(n, 45) for n in wide["nama_urusan"].astype(str)], rotation=0)
        ax.set_title("Persen butir terpenuhi per urusan dan putaran")
    return fig


def lines_over_rounds(long: pd.DataFrame, hue: str, settings: Settings, title: str) -> Figure:
    """Percent per round of each ``hue`` group (a kind of producer, an OPD), over the zone bands."""
    import matplotlib as mpl
    import seaborn as sns

    from satudata.outputs.charts import RC

    data = long.assign(putaran=long["putaran"].astype(str))
    data[hue] = data[hue].astype(str)
    rounds = sorted(data["putaran"].unique())
    with mpl.rc_context(RC):
        fig = _figure((10, 5.5))
        ax = fig.subplots()
        _zone_bands(ax, settings)
        sns.lineplot(data=data, x="putaran", y="persen", hue=hue, marker="o", ax=ax, sort=True)
        ax.set_xticks(range(len(rounds)), _round_labels(rounds))
        ax.set_xlabel("putaran")
        ax.set_ylabel("persen butir terpenuhi")
        ax.set_title(title)
        ax.legend(title=hue, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=8)
    return fig


def movers_chart(moved: pd.DataFrame, settings: Settings) -> Figure:
    """Horizontal bars: change in percentage points from the first to the latest round, coloured by the
    latest zone, the change and the zone written beside each bar."""
    import matplotlib as mpl
    import seaborn as sns

    from satudata.outputs.charts import RC, short_text

    data = moved.assign(label=[short_text(n, 40) for n in moved["nama_opd"].astype(str)])
    palette = [settings.zones.colours.get(z, GREY) if isinstance(z, str) else GREY for z in data["zona_akhir"]]
    with mpl.rc_context(RC):
        fig = _figure((10, 1.4 + 0.4 * max(len(data), 1)))
        ax = fig.subplots()
        if len(data):
            sns.barplot(data=data, x="perubahan", y="label", hue="label", palette=palette, legend=False, saturation=1,
                        ax=ax, orient="h")
        for y, (change, zone) in enumerate(zip(data["perubahan"], data["zona_akhir"], strict=True)):
            ax.text(float(change), y, f" {fmt.persen(float(change), sign=True)} poin, "
                    f"{settings.zones.labels.get(zone, '–')}", va="center", fontsize=8)
        ax.axvline(0, color="#424242", linewidth=0.8)
        ax.set_xlabel("perubahan persen (poin) dari putaran pertama ke terakhir")
        ax.set_ylabel("")
        ax.set_title("OPD yang paling banyak bergerak")
    return fig


def opd_history_chart(history: pd.DataFrame, name: str, settings: Settings) -> Figure:
    """One producer's percent per round: points in their zone's colour, value and zone written."""
    import matplotlib as mpl
    import seaborn as sns

    from satudata.outputs.charts import RC

    data = history.assign(putaran=history["putaran"].astype(str)).reset_index(drop=True)
    rounds = list(data["putaran"])
    colours = [settings.zones.colours.get(z, GREY) if isinstance(z, str) else GREY for z in data["zona"]]
    with mpl.rc_context(RC):
        fig = _figure((9, 5))
        ax = fig.subplots()
        _zone_bands(ax, settings)
        sns.lineplot(x=range(len(data)), y=data["persen"], color="#424242", ax=ax)
        ax.scatter(range(len(data)), data["persen"], c=colours, s=90, zorder=3, edgecolors="#212121")
        for x, (value, zone) in enumerate(zip(data["persen"], data["zona"], strict=True)):
            if pd.notna(value):
                ax.annotate(f"{fmt.persen(float(value))} % ({settings.zones.labels.get(zone, '–')})",
                            (x, float(value)), textcoords="offset points", xytext=(0, 10), ha="center", fontsize=9)
        ax.set_xticks(range(len(rounds)), _round_labels(rounds))
        ax.set_xlabel("putaran")
        ax.set_ylabel("persen butir terpenuhi")
        ax.set_title(f"Riwayat {name}")
    return fig
