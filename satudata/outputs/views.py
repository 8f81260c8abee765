"""What the notebooks show an analyst: DataFrames styled the Indonesian way and small figures.

Each function returns a pandas ``Styler`` (zone colours, ``1.234,5`` numbers, percents cut so a
shown value never contradicts its zone) or a matplotlib ``Figure``; a notebook cell shows it with
:func:`gambar`. Every text a Styler shows (cells, column headers, caption, zone labels) is HTML-escaped, as in
the report: a producer's name holding ``<script>`` reaches the executed notebook, and any HTML converted from
it, as text. The HTML report keeps its own rendering (``satudata.outputs.report``); cells showing these
views in the report notebooks are tagged ``notebook-only`` and left out of the HTML.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from satudata.common import fmt
from satudata.evaluation.zones import zone_of
from satudata.reference.settings import Settings

if TYPE_CHECKING:
    from IPython.display import Image
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler

PERCENT_COLUMNS = ("persen", "persen_sebelumnya", "rata_rata_persen", "persen_awal", "persen_akhir")
CHANGE_COLUMNS = ("selisih", "perubahan")
ZONE_COLUMNS = ("zona", "zona_sebelumnya", "zona_awal", "zona_akhir")
GREY = "#9E9E9E"


def _ink(background: str) -> str:
    from satudata.outputs.charts import text_colour

    return text_colour(background)


def zone_css(settings: Settings, zone: object) -> str:
    """``background`` and text colour of a zone (empty for no zone)."""
    if not isinstance(zone, str) or zone not in settings.zones.colours:
        return ""
    bg = settings.zones.colours[zone]
    return f"background-color: {bg}; color: {_ink(bg)}"


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _number(value: object) -> str:
    if _is_missing(value):
        return "–"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int) or (isinstance(value, float) and float(value).is_integer()):
        return fmt.angka(int(value))
    return fmt.angka(float(value), 1)


def _escaped(styler: Styler) -> Styler:
    """The column headers escaped too, the index hidden."""
    return styler.format_index(escape="html", axis=1).hide(axis="index")


def styled(
    frame: pd.DataFrame,
    settings: Settings,
    *,
    percent_columns: Iterable[str] | None = None,
    zone_column: str | None = "zona",
    caption: str | None = None,
) -> Styler:
    """A table as an analyst reads it: numbers ``1.234``, percents ``66,6``, changes ``+12,5``,
    zones written as their label and coloured, and each percent coloured by its row's zone."""
    percents = [c for c in (percent_columns or PERCENT_COLUMNS) if c in frame.columns]
    changes = [c for c in CHANGE_COLUMNS if c in frame.columns]
    zones = [c for c in ZONE_COLUMNS if c in frame.columns]
    numbers = [c for c in frame.columns if c not in percents + changes
               and pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])]
    formats = {c: (lambda v: fmt.persen(None if _is_missing(v) else float(v))) for c in percents}
    formats |= {c: (lambda v: fmt.persen(None if _is_missing(v) else float(v), sign=True)) for c in changes}
    formats |= {c: _number for c in numbers}
    labels = settings.zones.labels
    # with escape="html" a formatter gets the text already escaped; a label from the settings is escaped here
    formats |= {c: (lambda v: html.escape(labels[v]) if v in labels else v if isinstance(v, str) else "–")
                for c in zones}  # fmt: skip
    styler = _escaped(frame.style.format(formats, na_rep="–", escape="html"))
    for column in zones:
        styler = styler.map(lambda v: zone_css(settings, v), subset=[column])
    if zone_column in frame.columns and percents:
        def row_colours(row: pd.Series) -> list[str]:
            css = zone_css(settings, row[zone_column])
            return [css if c in percents[:1] else "" for c in row.index]

        styler = styler.apply(row_colours, axis=1)
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler


def styled_by_value(frame: pd.DataFrame, settings: Settings, value_columns: Iterable[str],
                    caption: str | None = None) -> Styler:
    """A wide table of percents (one column per round): each percent formatted and coloured by its own zone."""
    values = [c for c in value_columns if c in frame.columns]
    others = [c for c in frame.columns if c not in values and pd.api.types.is_numeric_dtype(frame[c])]
    formats = {c: (lambda v: fmt.persen(None if _is_missing(v) else float(v))) for c in values}
    formats |= {c: _number for c in others}
    styler = _escaped(frame.style.format(formats, na_rep="–", escape="html"))
    if values:
        styler = styler.map(lambda v: zone_css(settings, zone_of(None if _is_missing(v) else v, settings.zones)),
                            subset=values)
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler


def gambar(fig: Figure, width: int | None = 900) -> Image:
    """The figure as a PNG image a notebook shows (also without an inline matplotlib backend)."""
    from IPython.display import Image

    from satudata.outputs.charts import png_bytes

    return Image(data=png_bytes(fig), format="png", width=width)


# ------------------------------------------------------------------------- stage views


def progres_opd(progres: pd.DataFrame, settings: Settings) -> Styler:
    """Per producer: owed, fulfilled, percent, zone and change since the previous round, best first."""
    columns = [c for c in ("kode_opd", "nama_opd", "jenis", "wajib", "terpenuhi", "persen", "zona",
                           "selisih", "zona_sebelumnya") if c in progres.columns]
    table = progres.sort_values(["persen", "kode_opd"], ascending=[False, True], na_position="last")[columns]
    return styled(table, settings)


def progres_urusan(by_urusan: pd.DataFrame, settings: Settings) -> Styler:
    """Per urusan: producers, owed, fulfilled, pooled percent and zone, lowest first."""
    by_urusan = with_percent(by_urusan, settings)
    columns = [c for c in ("kode_urusan", "nama_urusan", "jumlah_opd", "wajib", "terpenuhi", "persen", "zona")
               if c in by_urusan.columns]
    return styled(by_urusan.sort_values(["persen", "kode_urusan"], na_position="first")[columns], settings)


def with_percent(frame: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """``frame`` with ``persen`` (from ``terpenuhi``/``wajib`` when absent, else empty) and ``zona``."""
    out = frame.copy()
    if "persen" not in out.columns:
        if {"wajib", "terpenuhi"} <= set(out.columns):
            wajib = out["wajib"].astype("float64")
            out["persen"] = (100 * out["terpenuhi"].astype("float64") / wajib).where(wajib > 0)
        else:
            out["persen"] = float("nan")
    if "zona" not in out.columns:
        out["zona"] = [zone_of(None if _is_missing(v) else float(v), settings.zones) for v in out["persen"]]
    return out


def progres_jenis(by_kind: pd.DataFrame, settings: Settings) -> Styler:
    """Per kind of producer: producers, owed, fulfilled, pooled and mean percent, zone."""
    columns = [c for c in ("jenis", "jumlah_opd", "wajib", "terpenuhi", "persen", "rata_rata_persen", "zona")
               if c in by_kind.columns]
    return styled(by_kind[columns], settings)


def masalah_per_opd(masalah: pd.DataFrame) -> pd.DataFrame:
    """Issues counted per producer and level (errors, warnings), most first."""
    if masalah.empty:
        return pd.DataFrame(columns=["kode_opd", "tingkat", "jumlah"])
    counts = (masalah.assign(kode_opd=masalah["kode_opd"].astype("object").fillna("(tanpa OPD)"))
              .groupby(["kode_opd", "tingkat"], dropna=False).size().rename("jumlah").reset_index())
    return counts.sort_values(["jumlah", "kode_opd"], ascending=[False, True]).reset_index(drop=True)


def values_per_producer(nilai: pd.DataFrame) -> pd.DataFrame:
    """Values read per producer: all, counted towards progress, not counted."""
    if nilai.empty:
        return pd.DataFrame(columns=["kode_opd", "nilai_dibaca", "dihitung", "tidak_dihitung"])
    frame = nilai.assign(kode_opd=nilai["kode_opd"].astype("object").fillna("(tanpa OPD)"))
    counted = frame["dihitung"].fillna(False).astype(bool) if "dihitung" in frame else True
    out = (frame.assign(_c=counted).groupby("kode_opd")["_c"].agg(nilai_dibaca="size", dihitung="sum")
           .reset_index())
    out["dihitung"] = out["dihitung"].astype("int64")
    out["tidak_dihitung"] = out["nilai_dibaca"] - out["dihitung"]
    return out.sort_values(["nilai_dibaca", "kode_opd"], ascending=[False, True]).reset_index(drop=True)


MAX_VALUE_BARS = 40  # producers in the values chart: 1,240 px tall at most, not one bar per producer of a region


def values_figure(per_producer: pd.DataFrame) -> Figure:
    """Stacked bars: values read per producer, counted and not counted. Past :data:`MAX_VALUE_BARS` producers
    (a region's desa) only those with the most values not counted (then the most values read), the title saying
    how many of how many: one bar per producer drew 1,000 producers 28,000 pixels tall."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from satudata.outputs.charts import RC

    title = "Nilai yang dibaca per OPD"
    if len(per_producer) > MAX_VALUE_BARS:
        shown = per_producer.sort_values(["tidak_dihitung", "nilai_dibaca", "kode_opd"], ascending=[False, False, True],
                                         kind="mergesort").head(MAX_VALUE_BARS)  # fmt: skip
        title = (f"Nilai yang dibaca: {MAX_VALUE_BARS} OPD dengan nilai tidak dihitung terbanyak dari "
                 f"{fmt.angka(len(per_producer))} OPD (semua di tabel)")  # fmt: skip
        per_producer = shown
    rows = max(len(per_producer), 1)
    with mpl.rc_context(RC):
        fig = Figure(figsize=(9, 1.2 + 0.28 * rows), dpi=100, layout="constrained")
        ax = fig.subplots()
        labels = per_producer["kode_opd"].astype(str).tolist()
        ax.barh(labels, per_producer["dihitung"], color="#1565C0", label="dihitung")
        ax.barh(labels, per_producer["tidak_dihitung"], left=per_producer["dihitung"], color="#BDBDBD",
                label="tidak dihitung")
        ax.invert_yaxis()
        ax.set_xlabel("jumlah nilai")
        ax.set_title(title)
        ax.legend(loc="lower right", frameon=False)
    return fig


def urusan_figure(by_urusan: pd.DataFrame, settings: Settings) -> Figure:
    """Horizontal bars: pooled percent per urusan, coloured by zone, value written on each bar."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from satudata.outputs.charts import RC, short_text

    table = with_percent(by_urusan, settings).sort_values(["persen", "nama_urusan"], ascending=[True, True], na_position="first")
    rows = max(len(table), 1)
    with mpl.rc_context(RC):
        fig = Figure(figsize=(10, 1.2 + 0.3 * rows), dpi=100, layout="constrained")
        ax = fig.subplots()
        labels = [short_text(n, 45) for n in table["nama_urusan"].astype(str)]
        values = table["persen"].fillna(0).to_numpy()
        colours = [settings.zones.colours.get(z, GREY) if isinstance(z, str) else GREY for z in table["zona"]]
        ax.barh(range(rows if len(table) else 0), values, color=colours)
        ax.set_yticks(range(len(table)), labels)
        for y, (value, zone) in enumerate(zip(table["persen"], table["zona"], strict=True)):
            text = f"{fmt.persen_zona(None if _is_missing(value) else float(value), settings.zones)} % {settings.zones.labels.get(zone, '')}"
            ax.text(min(float(value) if not _is_missing(value) else 0, 100) + 1, y, text, va="center", fontsize=8)
        for threshold in (settings.zones.kuning, settings.zones.hijau):
            ax.axvline(threshold, color="#616161", linestyle="--", linewidth=0.8)
        ax.set_xlim(0, 120)
        ax.set_xlabel("persen butir terpenuhi")
        ax.set_title("Kelengkapan per urusan")
    return fig
