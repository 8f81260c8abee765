"""Display tables of the trend page (``04_rakor``): trend figures formatted the Indonesian way.

The notebook only calls these and shows what they return; every number is formatted through
:mod:`satudata.common.fmt` (percents rounded so a shown value never contradicts its zone).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd

from satudata import __version__
from satudata.common import fmt
from satudata.common.safe_text import html_isolated, html_safe_frame
from satudata.evaluation import trends
from satudata.reference.settings import Settings

PACKAGES = ("pandas", "matplotlib", "python-pptx", "openpyxl")


def note_html(text: str) -> str:
    """A note of the stage (e.g. the register could not be read) as escaped HTML: its text quotes
    names from the data, so it never goes through Markdown or raw HTML."""
    return f'<blockquote class="catatan">Catatan: {html_isolated(text)}</blockquote>'


def html_table(frame: pd.DataFrame) -> str:
    """A table without index, every text escaped (on a phone the page's script names each cell's column, and the
    table becomes one card per row: it never scrolls inside its box)."""
    return html_safe_frame(frame).to_html(index=False, escape=True, na_rep="–", border=0, classes="tabel")


def rounds_table(riwayat: pd.DataFrame, putaran: str, settings: Settings) -> pd.DataFrame:
    """Every OPD's percent (as the zone rule shows it) and zone in each round up to ``putaran``: the table that takes
    the place of the trend page's per-OPD chart on a phone."""
    hist = trends.history_up_to(riwayat, putaran)
    labels = zone_labels(settings)
    rows = {}
    for r in hist.sort_values(["putaran", "kode_opd"]).itertuples():
        entry = rows.setdefault(str(r.kode_opd), {"OPD": r.nama_opd})
        value = fmt.number(r.persen)
        zone = labels.get(r.zona, "Tanpa zona") if isinstance(r.zona, str) else "Tanpa zona"
        entry[fmt.tanggal_pendek(r.putaran)] = "–" if value is None else f"{fmt.persen_zona(value, settings.zones)} % {zone}"
    return pd.DataFrame(list(rows.values()))


def zone_labels(settings: Settings) -> dict[str, str]:
    return {**settings.zones.labels, trends.NO_ZONE: "Tanpa zona"}


def overall_table(riwayat: pd.DataFrame, putaran: str) -> pd.DataFrame:
    """Mean and pooled percent per round, with the items behind the pooled one."""
    lines = trends.overall_lines(riwayat, putaran)
    return pd.DataFrame({
        "Putaran": [fmt.tanggal_pendek(p) for p in lines["putaran"]],
        "OPD dievaluasi": lines["jumlah_opd"],
        "Rata-rata (%)": [fmt.persen(v) for v in lines["rata_rata"]],
        "Gabungan (%)": [fmt.persen(v) for v in lines["gabungan"]],
        "Butir terpenuhi": [fmt.angka(int(v)) for v in lines["terpenuhi"]],
        "Butir wajib": [fmt.angka(int(v)) for v in lines["wajib"]],
    })  # fmt: skip


def migration_table(migration: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Zone changes between consecutive rounds: from, to, how many and who."""
    summary = trends.migration_summary(migration)
    labels = zone_labels(settings)
    return pd.DataFrame({
        "Dari putaran": [fmt.tanggal_pendek(p) for p in summary["putaran_dari"]],
        "Ke putaran": [fmt.tanggal_pendek(p) for p in summary["putaran_ke"]],
        "Dari zona": summary["zona_dari"].map(labels),
        "Ke zona": summary["zona_ke"].map(labels),
        "Jumlah OPD": summary["jumlah"],
        "OPD": summary["opd"],
    })  # fmt: skip


def _now(facts: Any, kode: object, key: str, fallback: object) -> object:
    """A current-round fact of an OPD (``persen_teks``, ``zona_label``, ...) from the round facts; ``fallback``
    only for a page built without them."""
    fact = facts.get(str(kode)) if facts is not None else None
    return getattr(fact, key) if fact is not None else fallback


def improved_table(riwayat: pd.DataFrame, putaran: str, settings: Settings, n: int = 10,
                   facts: Any = None) -> pd.DataFrame:  # fmt: skip
    """The OPDs that gained most since the previous round; the current percent and zone are the round facts'."""
    up = trends.most_improved(riwayat, putaran, n=n)
    labels = zone_labels(settings)
    return pd.DataFrame({
        "OPD": up["nama_opd"],
        "Sebelumnya (%)": [fmt.persen_zona(v, settings.zones) for v in up["persen_sebelumnya"]],
        "Sekarang (%)": [_now(facts, k, "persen_teks", fmt.persen_zona(v, settings.zones))
                         for k, v in zip(up["kode_opd"], up["persen"], strict=True)],
        "Perubahan (poin)": [fmt.persen(v, sign=True) for v in up["selisih"]],
        "Zona": [_now(facts, k, "zona_label", labels.get(z, z)) for k, z in zip(up["kode_opd"], up["zona"], strict=True)],
    })  # fmt: skip


def stalled_table(riwayat: pd.DataFrame, putaran: str, settings: Settings, facts: Any = None) -> pd.DataFrame:
    """The OPDs below 100 % that did not move since the previous round, with their items to hijau."""
    still = trends.stalled(riwayat, putaran)
    labels = zone_labels(settings)
    frame = pd.DataFrame({
        "OPD": still["nama_opd"],
        "Persen (%)": [_now(facts, k, "persen_teks", fmt.persen_zona(v, settings.zones))
                       for k, v in zip(still["kode_opd"], still["persen"], strict=True)],
        "Zona": [_now(facts, k, "zona_label", labels.get(z, z)) for k, z in zip(still["kode_opd"], still["zona"], strict=True)],
    })  # fmt: skip
    if facts is not None:
        frame["Butir ke zona berikut"] = [_now(facts, k, "ke_zona_teks", "–") for k in still["kode_opd"]]
        frame["Kiriman terakhir"] = [_now(facts, k, "kirim_terakhir_teks", "–") for k in still["kode_opd"]]
    return frame


def when_text(tanggal: object, putaran_ke: object, status: str) -> str:
    """A forecast for a reader: ``putaran ke-5 (8 Oktober 2020)``, a date, or the status text."""
    if tanggal is None or pd.isna(tanggal):
        return status
    if putaran_ke is not None and not pd.isna(putaran_ke):
        return f"putaran ke-{int(putaran_ke)} ({fmt.tanggal_pendek(tanggal)})"
    return fmt.tanggal_pendek(tanggal)


def projection_table(riwayat: pd.DataFrame, putaran: str, settings: Settings, facts: Any = None) -> pd.DataFrame:
    """Both paces and when each OPD reaches the hijau threshold and 100 % at its last-interval pace; the
    percent, zone and forecast of hijau are the round facts' (``facts``), the same as every other output."""
    p = trends.projection(riwayat, putaran, settings).sort_values(["persen", "nama_opd"], ascending=[False, True])
    labels = zone_labels(settings)
    return pd.DataFrame({
        "OPD": p["nama_opd"],
        "Persen (%)": [_now(facts, k, "persen_teks", fmt.persen_zona(v, settings.zones))
                       for k, v in zip(p["kode_opd"], p["persen"], strict=True)],
        "Zona": [_now(facts, k, "zona_label", labels.get(z, "Tanpa zona") if isinstance(z, str) else "Tanpa zona")
                 for k, z in zip(p["kode_opd"], p["zona"], strict=True)],
        "Laju terakhir (poin/minggu)": [fmt.persen(v, sign=True) for v in p["laju_terakhir"]],
        "Laju rata-rata (poin/minggu)": [fmt.persen(v, sign=True) for v in p["laju_rata_rata"]],
        f"Mencapai {fmt.angka(settings.zones.hijau)} %": [
            _now(facts, k, "perkiraan_hijau", when_text(t, n, s))
            for k, t, n, s in zip(p["kode_opd"], p["tanggal_hijau"], p["putaran_hijau"], p["status_hijau"],
                                  strict=True)],
        "Mencapai 100 %": [when_text(t, n, s) for t, n, s in zip(p["tanggal_100"], p["putaran_100"],
                                                                  p["status_100"], strict=True)],
    })  # fmt: skip


def outputs_table(reports_dir: Path, deck: Path, walidata: Path, feedback: Iterable[Path],
                  names: dict[str, str]) -> pd.DataFrame:  # fmt: skip
    """The files this stage wrote, relative to the round's report folder."""
    feedback = list(feedback)
    return pd.DataFrame({
        "Berkas": [str(p.relative_to(reports_dir)) for p in (deck, walidata, *feedback)],
        "Isi": ["Bahan rakor (PowerPoint 16:9)", "Rekap umpan balik untuk walidata"]
        + ["Umpan balik " + names.get(p.stem, p.stem) for p in feedback],
    })  # fmt: skip


def shown_path(path: str | Path | None, root: str | Path | None) -> str:
    """``path`` as shown to a reader: relative to ``root`` (the data folder) when it lies under it."""
    if path is None or not str(path):
        return ""
    if root is not None:
        try:
            return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def sources_table(sources: Iterable[Path], root: str | Path | None = None) -> pd.DataFrame:
    """The input files of the trend page with size and SHA-256 (paths relative to ``root``, the data folder)."""
    sources = list(sources)
    return pd.DataFrame({
        "Berkas masukan": [shown_path(p, root) for p in sources],
        "Ukuran (bita)": [fmt.angka(p.stat().st_size) for p in sources],
        "Sidik SHA-256": [hashlib.sha256(p.read_bytes()).hexdigest() for p in sources],
    })  # fmt: skip


def versions_table() -> pd.DataFrame:
    """The package versions the page was built with."""
    return pd.DataFrame({
        "Paket": ["satudata", *PACKAGES],
        "Versi": [__version__] + [version(p) for p in PACKAGES],
    })  # fmt: skip
