"""The per-round evaluation report: its content (HTML fragments) and its HTML conversion.

The round notebook (``notebooks/03_laporan.ipynb``) calls :func:`load_round`, the ``*_html``
helpers and the charts, and displays what they return. After papermill has executed it, the
runner calls :func:`notebook_to_html`, which renders it through the project's nbconvert
template (``nbtemplates/satudata``): no code, no prompts, nothing loaded from another host,
print CSS for A4 landscape and a table of contents built from the headings.

Every text that comes from data (OPD and element names, file names, messages) is escaped with
``html.escape``: a name like ``Dinas <script>`` is shown as text, never run as markup.
"""

from __future__ import annotations

import html
import importlib.metadata
import json
import math
import os
import platform
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from satudata import fmt
from satudata.paths import check_round
from satudata.safe_text import html_escape
from satudata.settings import ZONE_ORDER, Settings
from satudata.zones import zone_counts, zone_of

TEMPLATE_DIR = Path(__file__).parent / "nbtemplates"
TEMPLATE_NAME = "satudata"
# cells tagged so are shown in the executed notebook (for analysts) and left out of the HTML
NOTEBOOK_ONLY_TAG = "notebook-only"
TOC_PLACEHOLDER = '<nav id="daftar-isi" class="daftar-isi"></nav>'
# nbconvert may reorder the attributes of HTML outputs: find the placeholder by its id
_TOC_SLOT = re.compile(r'<nav\b[^>]*\bid="daftar-isi"[^>]*>\s*</nav>')
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{3,8}$")
_TZ_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
PACKAGES = (
    "satudata", "pandas", "numpy", "pyarrow", "matplotlib", "babel", "python-calamine", "openpyxl",
    "rapidfuzz", "pandera", "papermill", "nbconvert", "nbformat",
)


class Raw(str):
    """A piece of HTML that is already safe (built here); every other cell text is escaped."""


def esc(value: object) -> str:
    """Escape any value for HTML text or attributes; None and NaN give an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    if isinstance(value, Raw):
        return str(value)
    return html_escape(value)  # no bidi override can turn the text around it (safe_text)


def _table(headers: list[str], rows: list[list[object]], css: str = "", numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    num = ' class="angka"'
    head = "".join(f'<th scope="col"{num if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            if isinstance(cell, Raw) and str(cell).startswith("<td"):
                cells.append(str(cell))
            else:
                cells.append(f'<td{num if i in numeric else ""}>{esc(cell)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="{esc(css)}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def colour(settings: Settings, zone: object) -> str:
    """The zone's colour from the settings, only if it is a plain hex colour (else grey)."""
    value = settings.zones.colours.get(str(zone), "")
    return value if _COLOUR.match(value) else "#9E9E9E"


def _ink(background: str) -> str:
    from satudata.charts import text_colour

    return text_colour(background)


def zone_label(settings: Settings, zone: object) -> str:
    if not isinstance(zone, str) or not zone:
        return "–"
    return settings.zones.labels.get(zone, zone)


def zone_cell(settings: Settings, zone: object, text: str) -> Raw:
    """A ``<td>`` filled with the zone's colour; the zone stays written in text elsewhere."""
    if not isinstance(zone, str) or zone not in settings.zones.colours:
        return Raw(f'<td class="angka">{esc(text)}</td>')
    bg = colour(settings, zone)
    return Raw(f'<td class="angka zona zona-{esc(zone)}" style="background:{bg};color:{_ink(bg)}">'
               f"{esc(text)}</td>")


# --------------------------------------------------------------------------------- loading


@dataclass
class RoundData:
    """Everything the report of one round reads from ``processed/``."""

    putaran: str
    progres_opd: pd.DataFrame
    progres_urusan: pd.DataFrame
    progres_jenis: pd.DataFrame
    ringkasan: dict[str, Any]
    kekurangan: pd.DataFrame
    masalah: pd.DataFrame
    nilai: pd.DataFrame
    manifest: dict[str, Any]
    riwayat: pd.DataFrame
    folder: Path = field(default_factory=Path)


def load_round(data_dir: str | Path, putaran: str) -> RoundData:
    """Read the processed outputs of one round (contract in docs/architecture.md)."""
    putaran = check_round(putaran)
    root = Path(data_dir) / "processed"
    folder = root / putaran

    def need(name: str) -> Path:
        path = folder / name
        if not path.exists():
            raise FileNotFoundError(
                f"Berkas {path} tidak ada. Jalankan dulu tahap ingest dan progres untuk putaran "
                f"{putaran} (make round ROUND={putaran})."
            )
        return path

    riwayat_path = root / "riwayat_progres_opd.parquet"
    progres = pd.read_parquet(need("progres_opd.parquet"))
    riwayat = pd.read_parquet(riwayat_path) if riwayat_path.exists() else progres.copy()
    return RoundData(
        putaran=putaran,
        progres_opd=progres,
        progres_urusan=pd.read_parquet(need("progres_urusan.parquet")),
        progres_jenis=pd.read_parquet(need("progres_jenis.parquet")),
        ringkasan=json.loads(need("ringkasan.json").read_text(encoding="utf-8")),
        kekurangan=pd.read_parquet(need("kekurangan.parquet")),
        masalah=pd.read_parquet(need("masalah.parquet")),
        nilai=pd.read_parquet(need("nilai.parquet")),
        manifest=json.loads(need("manifest.json").read_text(encoding="utf-8")),
        riwayat=riwayat,
        folder=folder,
    )


def catalogue_items(reference_dir: str | Path, settings: Settings) -> pd.DataFrame:
    """The catalogue's items (one row per element, year and OPD owed), via ``satudata.catalogue``."""
    from satudata.catalogue import load_reference

    _register, catalogue = load_reference(Path(reference_dir), settings)
    return catalogue.items()


# --------------------------------------------------------------------------------- numbers


def _round_text(value: object) -> str:
    return str(value)[:10]


def round_number(riwayat: pd.DataFrame, putaran: str) -> int:
    """The round's position (1-based) among the rounds of the history, the round included."""
    rounds = {_round_text(v) for v in riwayat.get("putaran", pd.Series(dtype=str)).dropna()}
    rounds.add(putaran)
    return sorted(rounds).index(putaran) + 1


@dataclass
class Summary:
    """Overall figures of one round and their change since the previous round."""

    dievaluasi: int
    tanpa_wajib: int
    wajib: int
    terpenuhi: int
    rata_rata: float | None
    gabungan: float | None
    zona: dict[str, int]
    putaran_sebelumnya: str | None = None
    rata_rata_sebelumnya: float | None = None
    gabungan_sebelumnya: float | None = None
    zona_sebelumnya: dict[str, int] | None = None
    arah: dict[str, int] = field(default_factory=dict)


def _overall(progres: pd.DataFrame) -> tuple[int, int, int, int, float | None, float | None]:
    persen = pd.to_numeric(progres["persen"], errors="coerce")
    wajib = pd.to_numeric(progres["wajib"], errors="coerce").fillna(0)
    terpenuhi = pd.to_numeric(progres["terpenuhi"], errors="coerce").fillna(0)
    evaluated = int(persen.notna().sum())
    total, done = int(wajib.sum()), int(terpenuhi.sum())
    mean = float(persen.mean()) if evaluated else None
    pooled = done / total * 100 if total else None
    return evaluated, len(progres) - evaluated, total, done, mean, pooled


def round_summary(progres: pd.DataFrame, riwayat: pd.DataFrame, putaran: str) -> Summary:
    """Producers evaluated, mean and pooled percent, zone counts, change since the previous round."""
    evaluated, without, total, done, mean, pooled = _overall(progres)
    summary = Summary(evaluated, without, total, done, mean, pooled, zone_counts(progres["zona"]))
    if "arah_zona" in progres:
        counts = progres["arah_zona"].value_counts()
        summary.arah = {k: int(counts.get(k, 0)) for k in ("naik", "tetap", "turun")}
    if "putaran" in riwayat and len(riwayat):
        rounds = riwayat["putaran"].map(_round_text)
        earlier = sorted({r for r in rounds if r < putaran})
        if earlier:
            before = riwayat[rounds == earlier[-1]]
            _, _, _, _, mean_b, pooled_b = _overall(before)
            summary.putaran_sebelumnya = earlier[-1]
            summary.rata_rata_sebelumnya = mean_b
            summary.gabungan_sebelumnya = pooled_b
            summary.zona_sebelumnya = zone_counts(before["zona"])
    return summary


def _change(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "–"
    return fmt.persen(now - before, sign=True) + " poin"


def sort_progres(progres: pd.DataFrame) -> pd.DataFrame:
    """Highest percent first, OPDs that owe nothing last, ties by name."""
    frame = progres.copy()
    frame["_p"] = pd.to_numeric(frame["persen"], errors="coerce")
    frame["_n"] = frame["nama_opd"].astype(str)
    frame = frame.sort_values(["_p", "_n"], ascending=[False, True], na_position="last", kind="mergesort")
    return frame.drop(columns=["_p", "_n"]).reset_index(drop=True)


# --------------------------------------------------------------------------------- fragments


def timezone_name(settings: Settings) -> str:
    return _TZ_NAMES.get(settings.timezone, settings.timezone)


def header_html(settings: Settings, putaran: str, nomor: int, built_at: datetime,
                title: str = "Laporan Evaluasi Satu Data") -> str:
    """Region, round number and date, build time; then the table-of-contents placeholder."""
    built = f"{fmt.waktu(built_at)} {timezone_name(settings)}"
    return (
        '<header class="laporan-kepala">'
        f'<p class="wilayah">{esc(settings.region)}</p>'
        f'<h1 id="judul">{esc(title)}</h1>'
        f'<p class="putaran">Putaran ke-{nomor}: <time datetime="{esc(putaran)}">{esc(fmt.tanggal(putaran))}'
        "</time></p>"
        f'<p class="waktu-bangun">Dibuat: <time class="waktu-bangun" datetime="{esc(built_at.isoformat())}">'
        f"{esc(built)}</time></p>"
        "</header>" + TOC_PLACEHOLDER
    )


def summary_html(summary: Summary, settings: Settings) -> str:
    """Cards with the overall figures, one card per zone, and the change since the previous round."""
    cards = [
        ("OPD dievaluasi", fmt.angka(summary.dievaluasi), ""),
        ("Rata-rata persen OPD", fmt.persen(summary.rata_rata) + " %",
         _change(summary.rata_rata, summary.rata_rata_sebelumnya) if summary.putaran_sebelumnya else ""),
        ("Persen gabungan butir", fmt.persen(summary.gabungan) + " %",
         f"{fmt.angka(summary.terpenuhi)} dari {fmt.angka(summary.wajib)} butir"),
    ]
    out = ['<div class="kartu-kartu">']
    for label, value, note in cards:
        out.append(f'<div class="kartu"><div class="kartu-label">{esc(label)}</div>'
                   f'<div class="kartu-nilai">{esc(value)}</div><div class="kartu-catatan">{esc(note)}</div></div>')
    for zone in ZONE_ORDER:
        bg = colour(settings, zone)
        before = summary.zona_sebelumnya.get(zone) if summary.zona_sebelumnya else None
        note = f"sebelumnya {fmt.angka(before)}" if before is not None else ""
        out.append(
            f'<div class="kartu kartu-zona" style="border-color:{bg}">'
            f'<div class="kartu-label"><span class="titik" style="background:{bg}"></span>'
            f"Zona {esc(zone_label(settings, zone))}</div>"
            f'<div class="kartu-nilai"><span class="jumlah-zona" data-zona="{esc(zone)}">'
            f"{summary.zona[zone]}</span> OPD</div><div class=\"kartu-catatan\">{esc(note)}</div></div>"
        )
    out.append("</div>")
    if summary.putaran_sebelumnya:
        arah = summary.arah
        out.append(
            f'<p class="perubahan">Dibanding putaran sebelumnya ({esc(fmt.tanggal(summary.putaran_sebelumnya))}): '
            f"rata-rata {esc(_change(summary.rata_rata, summary.rata_rata_sebelumnya))}, gabungan "
            f"{esc(_change(summary.gabungan, summary.gabungan_sebelumnya))}; "
            f"{arah.get('naik', 0)} OPD naik zona, {arah.get('turun', 0)} turun, {arah.get('tetap', 0)} tetap.</p>"
        )
    else:
        out.append('<p class="perubahan">Ini putaran pertama: belum ada pembanding.</p>')
    if summary.tanpa_wajib:
        out.append(f"<p>{summary.tanpa_wajib} OPD tidak memiliki butir wajib dan tidak diberi zona.</p>")
    return "".join(out)


def composition_html(progres: pd.DataFrame, settings: Settings) -> str:
    """For each zone: its threshold, how many OPDs and their names (with percent)."""
    zones = settings.zones
    rule = {
        "hijau": f"≥ {fmt.angka(zones.hijau)} %",
        "kuning": f"≥ {fmt.angka(zones.kuning)} % dan < {fmt.angka(zones.hijau)} %",
        "merah": f"< {fmt.angka(zones.kuning)} %",
    }
    frame = sort_progres(progres)
    out = ['<div class="komposisi">']
    for zone in ZONE_ORDER:
        members = frame[frame["zona"] == zone]
        bg = colour(settings, zone)
        items = "".join(f"<li>{esc(r.nama_opd)} ({esc(fmt.persen_zona(r.persen, settings.zones))} %)</li>"
                        for r in members.itertuples())
        out.append(
            f'<section class="komposisi-zona" style="border-top:6px solid {bg}">'
            f"<h3>{esc(zone_label(settings, zone))} ({esc(rule[zone])}): {len(members)} OPD</h3>"
            f'<ol>{items or "<li>tidak ada</li>"}</ol></section>'
        )
    out.append("</div>")
    rest = frame[frame["zona"].isna()]
    if len(rest):
        names = ", ".join(esc(n) for n in rest["nama_opd"])
        out.append(f"<p>Tanpa butir wajib (tanpa zona): {names}.</p>")
    return "".join(out)


_ARROWS = {"naik": "▲ naik", "turun": "▼ turun", "tetap": "● tetap"}


def opd_table_html(progres: pd.DataFrame, settings: Settings) -> str:
    """Per OPD: wajib, terpenuhi, persen, zona, change since the previous round (zone-coloured)."""
    rows = []
    for i, r in enumerate(sort_progres(progres).itertuples(), start=1):
        zone = r.zona if isinstance(r.zona, str) else None
        before = getattr(r, "zona_sebelumnya", None)
        arah = getattr(r, "arah_zona", None)
        selisih = getattr(r, "selisih", None)
        rows.append([
            i,
            Raw(f'<td class="nama-opd">{esc(r.nama_opd)}</td>'),
            fmt.angka(r.wajib),
            fmt.angka(r.terpenuhi),
            zone_cell(settings, zone, fmt.persen_zona(r.persen, settings.zones)),
            zone_cell(settings, zone, zone_label(settings, zone)),
            fmt.persen(None if pd.isna(selisih) else float(selisih), sign=True) if selisih is not None else "–",
            zone_label(settings, before if isinstance(before, str) else None),
            _ARROWS.get(arah, "baru") if isinstance(arah, str) else "–",
        ])
    headers = ["No", "OPD", "Wajib", "Terpenuhi", "Persen", "Zona", "Perubahan (poin)", "Zona sebelumnya",
               "Arah"]
    if not has_previous(progres):
        # first round: three columns of dashes say nothing; say why they are missing instead
        note = ("<p>Ini putaran pertama: kolom perubahan, zona sebelumnya dan arah zona muncul mulai "
                "putaran berikutnya.</p>")
        return note + _table(headers[:6], [row[:6] for row in rows], "tabel-opd", numeric={0, 2, 3, 4})
    note = "<p>Perubahan dalam poin persen dibanding putaran sebelumnya; ▲ naik, ▼ turun atau ● tetap zona.</p>"
    return note + _table(headers, rows, "tabel-opd", numeric={0, 2, 3, 4, 6})


def has_previous(progres: pd.DataFrame) -> bool:
    """True when at least one OPD has a percent from a previous round (else this is the first round)."""
    for column in ("persen_sebelumnya", "zona_sebelumnya", "arah_zona"):
        if column in progres and progres[column].notna().any():
            return True
    return False


def progress_by_opd_urusan(items: pd.DataFrame, kekurangan: pd.DataFrame) -> pd.DataFrame:
    """Items owed and fulfilled per OPD and urusan, from the catalogue items and the missing items.

    ``items``: ``kode_opd, kode_elemen, tahun, kode_urusan, nama_urusan`` (one row per item owed);
    ``kekurangan``: the missing items of the round. Returns ``kode_opd, kode_urusan, nama_urusan,
    wajib, terpenuhi, persen`` sorted by OPD and urusan.
    """
    keys = ["kode_opd", "kode_elemen", "tahun"]
    owed = items[keys + ["kode_urusan", "nama_urusan"]].drop_duplicates(keys).copy()
    owed["tahun"] = pd.to_numeric(owed["tahun"]).astype("int64")
    missing = kekurangan[keys].drop_duplicates().copy()
    missing["tahun"] = pd.to_numeric(missing["tahun"]).astype("int64")
    missing["_kurang"] = 1
    merged = owed.merge(missing, on=keys, how="left")
    merged["_kurang"] = merged["_kurang"].fillna(0)
    out = (merged.groupby(["kode_opd", "kode_urusan", "nama_urusan"], dropna=False, sort=True)
           .agg(wajib=("kode_elemen", "size"), kurang=("_kurang", "sum")).reset_index())
    out["terpenuhi"] = (out["wajib"] - out["kurang"]).astype("int64")
    out["wajib"] = out["wajib"].astype("int64")
    out["persen"] = out["terpenuhi"] / out["wajib"] * 100
    return out.drop(columns="kurang")


def natural_key(value: object) -> list:
    """Sort key that puts ``4.1.2`` before ``4.1.10``."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", str(value))]


def heatmap_matrix(by_urusan: pd.DataFrame, progres: pd.DataFrame) -> pd.DataFrame:
    """Percent per OPD (rows, ordered like the zone chart) and urusan (columns, by code)."""
    wide = by_urusan.pivot_table(index="kode_opd", columns="kode_urusan", values="persen", aggfunc="first")
    names = by_urusan.drop_duplicates("kode_urusan").set_index("kode_urusan")["nama_urusan"]
    order = [k for k in sort_progres(progres)["kode_opd"] if k in wide.index]
    order += sorted(k for k in wide.index if k not in set(order))
    wide = wide.reindex(index=order, columns=sorted(wide.columns, key=natural_key))
    label = progres.drop_duplicates("kode_opd").set_index("kode_opd")["nama_opd"]
    wide.index = [str(label.get(k, k)) for k in wide.index]
    wide.columns = [f"{c} {names.get(c, '')}".strip() for c in wide.columns]
    return wide


def wajib_mismatch(by_urusan: pd.DataFrame, progres: pd.DataFrame) -> list[str]:
    """OPDs whose items owed in the catalogue differ from ``progres_opd.wajib`` (names)."""
    from_items = by_urusan.groupby("kode_opd")["wajib"].sum()
    out = []
    for r in progres.itertuples():
        expected = int(r.wajib) if not pd.isna(r.wajib) else 0
        if int(from_items.get(r.kode_opd, 0)) != expected:
            out.append(str(r.nama_opd))
    return out


def _opd_names(progres: pd.DataFrame) -> dict[str, str]:
    return {str(k): str(v) for k, v in zip(progres["kode_opd"], progres["nama_opd"], strict=True)}


ISSUE_LABELS = {
    "berkas_rusak": "berkas rusak", "berkas_terkunci": "berkas terkunci sandi", "berkas_kosong": "berkas kosong",
    "berkas_tidak_terbaca": "berkas tidak terbaca", "opd_tidak_dikenal": "OPD tidak dikenal",
    "tabel_tidak_dikenali": "tabel tidak dikenali", "nilai_tidak_valid": "nilai tidak valid",
    "tahun_tidak_valid": "tahun tidak valid", "label_kosong": "nama elemen kosong",
    "format_tidak_didukung": "format tidak didukung", "elemen_tidak_dikenal": "elemen tidak dikenal",
    "duplikat": "duplikat", "semua_nihil": "semua tahun nihil (perlu konfirmasi)",
    "cocok_fuzzy": "nama elemen mirip (cocok fuzzy)", "angka_ambigu": "angka ambigu",
    "elemen_opd_lain": "elemen milik OPD lain", "sheet_dilewati": "sheet dilewati",
    "berkas_html": "berkas HTML bernama .xls", "format_lama": "format Excel lama (.xls)",
    "tabel_berikutnya": "tabel kedua dalam satu sheet",
    "satuan_berbeda": "satuan berbeda dengan katalog (tidak dihitung)", "satuan_mirip": "satuan mirip, periksa",
    "persen_di_atas_100": "persen di atas 100 (tidak dihitung)", "nilai_negatif": "jumlah negatif (tidak dihitung)",
    "opd_mirip": "pengirim dikenali dari nama mirip", "opd_dari_elemen": "pengirim dikenali dari elemennya",
}


def issue_label(code: object) -> str:
    """The reader's label of an issue code (``cocok_fuzzy`` -> ``nama elemen mirip (cocok fuzzy)``)."""
    return ISSUE_LABELS.get(str(code), str(code).replace("_", " "))


def issues_html(masalah: pd.DataFrame, progres: pd.DataFrame) -> str:
    """Issues per OPD by level (galat, peringatan, info) and by kind (``kode_masalah``)."""
    if masalah.empty:
        return "<p>Tidak ada masalah tercatat pada putaran ini.</p>"
    names = _opd_names(progres)
    frame = masalah.copy()
    frame["_opd"] = [names.get(str(k), str(k)) if isinstance(k, str) and k else "(OPD tidak dikenali)"
                     for k in frame["kode_opd"]]
    rows = []
    for opd, group in sorted(frame.groupby("_opd", sort=False), key=lambda kv: kv[0]):
        levels = group["tingkat"].value_counts()
        kinds = group["kode_masalah"].value_counts()
        detail = "; ".join(f"{issue_label(k)}: {int(n)}"
                           for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
        rows.append([opd, int(levels.get("galat", 0)), int(levels.get("peringatan", 0)),
                     int(levels.get("info", 0)), detail])
    return _table(["OPD", "Galat", "Peringatan", "Info", "Jenis masalah (jumlah)"], rows, "tabel-masalah",
                  numeric={1, 2, 3})


REVIEW_CODES = ("cocok_fuzzy", "opd_mirip", "opd_dari_elemen")


def fuzzy_html(masalah: pd.DataFrame, progres: pd.DataFrame) -> str:
    """The matches to review (element names and producers recognised by fuzzy matching or from their
    elements: ``REVIEW_CODES``), with their source cell."""
    fuzzy = masalah[masalah["kode_masalah"].isin(REVIEW_CODES)] if not masalah.empty else masalah
    if fuzzy.empty:
        return "<p>Tidak ada kecocokan fuzzy yang perlu diperiksa.</p>"
    names = _opd_names(progres)
    fuzzy = fuzzy.sort_values(["sumber_file", "sumber_sheet", "sumber_baris"], kind="mergesort")
    rows = [[names.get(str(r.kode_opd), r.kode_opd), Raw(f'<td class="berkas">{esc(r.sumber_file)}</td>'),
             r.sumber_sheet, r.sumber_baris, r.pesan] for r in fuzzy.itertuples()]
    return (f"<p>{len(rows)} nama elemen dicocokkan secara fuzzy: periksa apakah cocok.</p>"
            + _table(["OPD", "Berkas", "Sheet", "Baris", "Keterangan"], rows, "tabel-fuzzy", numeric={3}))


def value_quality_html(folder: str | Path, settings: Settings, limit: int = 50) -> str:
    """The "Kualitas nilai" section: the quality score per producer beside its completeness zone, each
    component with its formula, and the plausibility warnings with their cells (``kualitas_*.parquet``)."""
    from satudata.plausibility import CHECK_LABELS
    from satudata.quality import COMPONENT_LABELS, COMPONENTS, FORMULAS, region_quality

    folder = Path(folder)
    q_path, w_path = folder / "kualitas_opd.parquet", folder / "kualitas_nilai.parquet"
    if not q_path.exists() or not w_path.exists():
        return "<p>Kualitas nilai belum dihitung untuk putaran ini; jalankan ulang tahap 2.</p>"
    quality, warnings = pd.read_parquet(q_path), pd.read_parquet(w_path)
    region = region_quality(quality)
    parts = [
        "<p>Zona tetap zona kelengkapan. Skor kualitas adalah angka kedua: rata-rata komponen yang dapat diukur "
        f"(0-100). Rata-rata wilayah: <strong>{esc(fmt.persen(region['skor_kualitas']))}</strong>. Peringatan "
        "tidak mengurangi kelengkapan; periksa selnya.</p>",
        _table(["Komponen", "Rumus", "Rata-rata wilayah"],
               [[COMPONENT_LABELS[c], FORMULAS[c], fmt.persen(region[c]) if region[c] is not None else "–"]
                for c in COMPONENTS], "tabel-kualitas", numeric={2}),
    ]  # fmt: skip
    shown = quality[quality["kelengkapan"].notna()].sort_values(["skor_kualitas", "nama_opd"], kind="stable")
    rows = [[r.nama_opd, zone_cell(settings, zone_of(r.kelengkapan, settings.zones), fmt.persen_zona(r.kelengkapan, settings.zones)),
             *[fmt.persen(getattr(r, c)) if pd.notna(getattr(r, c)) else "–" for c in COMPONENTS[1:]],
             fmt.persen(r.skor_kualitas) if pd.notna(r.skor_kualitas) else "–"] for r in shown.itertuples()]
    parts.append(_table(["OPD", "Kelengkapan (zona)", *[COMPONENT_LABELS[c] for c in COMPONENTS[1:]], "Skor kualitas"],
                        rows, "tabel-kualitas", numeric={1, 2, 3, 4, 5, 6}))  # fmt: skip
    if warnings.empty:
        parts.append("<p>Tidak ada peringatan kewajaran nilai.</p>")
        return "".join(parts)
    counts = warnings["kode_cek"].value_counts()
    parts.append(_table(["Pemeriksaan", "Peringatan"], [[CHECK_LABELS.get(k, k), int(n)] for k, n in counts.items()],
                        "tabel-kualitas", numeric={1}))  # fmt: skip
    names = _opd_names(quality)
    listed = warnings.head(limit)
    parts.append(_table(["OPD", "Pemeriksaan", "Keterangan"],
                        [[names.get(str(r.kode_opd), r.kode_opd), CHECK_LABELS.get(r.kode_cek, r.kode_cek), r.pesan]
                         for r in listed.itertuples()], "tabel-kualitas"))  # fmt: skip
    if len(warnings) > limit:
        parts.append(f"<p>… dan {len(warnings) - limit} peringatan lain di kualitas_nilai.csv dan lembar "
                     "'Kualitas Nilai' umpan balik.</p>")
    return "".join(parts)


def catalogue_quality_html(folder: str | Path) -> str:
    """The "Kualitas katalog" section: the catalogue rows the round left out and why, what it changes
    per producer, and the producers recognised by fuzzy matching (from ``katalog_kualitas.json``)."""
    from satudata.catalogue_quality import EXCLUDED_FILE, headline, load_quality, reason_rows

    quality = load_quality(Path(folder))
    if quality is None:
        return "<p>Putaran ini dibaca sebelum pemeriksaan kualitas katalog ada; jalankan ulang tahap 1.</p>"
    parts = [f"<p>{esc(headline(quality))}</p>"]
    if quality.clean:
        parts.append("<p>Semua baris katalog dapat dipakai; tidak ada nama produsen yang perlu diperiksa.</p>")
        return "".join(parts)
    if reason_rows(quality):
        parts.append(_table(["Alasan dikecualikan", "Baris"], [list(r) for r in reason_rows(quality)],
                            "tabel-katalog", numeric={1}))  # fmt: skip
    changed = quality.per_opd[quality.per_opd["dikecualikan"] > 0]
    if len(changed):
        rows = [[r.nama_opd, r.baris, r.dikecualikan, r.butir_wajib, r.butir_wajib + r.butir_tertahan]
                for r in changed.itertuples(index=False)]
        parts.append("<p>Yang berubah bagi setiap produsen: butir wajib sekarang, dan bila baris yang dikecualikan "
                     "diperbaiki (baris ganda tidak menambah butir).</p>")
        parts.append(_table(["Produsen", "Baris di katalog", "Dikecualikan", "Butir wajib", "Bila diperbaiki"],
                            rows, "tabel-katalog", numeric={1, 2, 3, 4}))  # fmt: skip
    if len(quality.reviews):
        rows = [[r.baris, r.opd_tertulis, f"{r.kode_opd} {r.nama_opd}", fmt.skor(r.skor)]
                for r in quality.reviews.itertuples(index=False)]
        parts.append("<p>Nama produsen di katalog yang dikenali dengan pencocokan nama: periksa.</p>")
        parts.append(_table(["Baris", "Tertulis", "Dikenali sebagai", "Skor"], rows, "tabel-katalog",
                            numeric={0, 3}))  # fmt: skip
    if len(quality.excluded):
        parts.append(f"<p>Daftar lengkap {fmt.angka(len(quality.excluded))} baris yang dikecualikan (baris, kolom, "
                     f"alasan) ada di lembar 'Kualitas Katalog' rekap walidata dan di {EXCLUDED_FILE}.</p>")
    return "".join(parts)


def manifest_files(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The input files listed in a manifest (``berkas`` or ``files``)."""
    files = manifest.get("berkas") or manifest.get("files") or []
    return [f for f in files if isinstance(f, dict)]


def _file_name(entry: dict[str, Any]) -> str:
    return str(entry.get("nama") or entry.get("name") or entry.get("berkas") or entry.get("path") or "?")


ROLE_LABELS = {
    "judul": "judul", "header": "kepala tabel", "kepala": "kepala tabel", "judul_bagian": "judul bagian",
    "subtotal": "subtotal", "catatan": "catatan", "sheet_dilewati": "sheet dilewati", "kosong": "kosong",
}


def role_label(role: str) -> str:
    """Indonesian reader's label of a structural row role of the manifest (``header`` -> ``kepala tabel``)."""
    return ROLE_LABELS.get(role, str(role).replace("_", " "))


def row_accounting_html(manifest: dict[str, Any], progres: pd.DataFrame) -> str:
    """Rows read, data, structural (by role), rejected, per input file; checks that they reconcile."""
    files = manifest_files(manifest)
    if not files:
        return "<p>Manifest tidak memuat daftar berkas.</p>"
    names = _opd_names(progres)
    roles = sorted({role for f in files for role in ((f.get("baris") or {}).get("struktur") or {})})
    rows, bad = [], 0
    for f in sorted(files, key=_file_name):
        baris = f.get("baris") or {}
        struktur = baris.get("struktur") or {}
        counts = [int(baris.get("dibaca", 0)), int(baris.get("data", 0))]
        structural = [int(struktur.get(role, 0)) for role in roles]
        ditolak = int(baris.get("ditolak", 0))
        sel = f.get("sel") or {}
        cells = [int(sel.get(k, 0)) for k in ("angka", "nilai", "struktur", "masalah")]
        ok = counts[0] == counts[1] + sum(structural) + ditolak and cells[0] == sum(cells[1:])
        bad += not ok
        kode = f.get("kode_opd")
        rows.append([Raw(f'<td class="berkas">{esc(_file_name(f))}</td>'), names.get(str(kode), kode or "–"),
                     *counts, *structural, ditolak, *cells, "ya" if ok else "TIDAK"])
    headers = ["Berkas", "OPD", "Dibaca", "Data", *[f"Struktur: {role_label(r)}" for r in roles], "Ditolak",
               "Sel angka", "Sel: nilai", "Sel: struktur", "Sel: bermasalah", "Cocok"]
    numeric = set(range(2, 9 + len(roles)))
    note = ("<p>Semua baris terhitung: dibaca = data + struktur + ditolak untuk setiap berkas; begitu pula sel "
            "angka: sel angka = nilai + struktur + bermasalah.</p>" if not bad
            else f'<p class="peringatan">{bad} berkas tidak cocok hitungannya: periksa manifest.</p>')
    return note + _table(headers, rows, "tabel-baris", numeric=numeric)


def missing_items_html(kekurangan: pd.DataFrame, progres: pd.DataFrame) -> str:
    """Appendix: each OPD's missing items in a collapsible ``<details>`` (years grouped)."""
    out = []
    for r in sort_progres(progres).sort_values("nama_opd", kind="mergesort").itertuples():
        own = kekurangan[kekurangan["kode_opd"] == r.kode_opd]
        if own.empty:
            continue
        grouped = (own.assign(tahun=pd.to_numeric(own["tahun"]).astype("int64"))
                   .groupby(["kode_elemen", "nama_elemen", "satuan", "nama_urusan"], dropna=False, sort=True)
                   ["tahun"].apply(lambda s: ", ".join(str(t) for t in sorted(set(s)))).reset_index())
        rows = [[g.kode_elemen, g.nama_elemen, g.satuan, g.nama_urusan, g.tahun] for g in grouped.itertuples()]
        out.append(
            f"<details><summary>{esc(r.nama_opd)}: {len(own)} butir belum terpenuhi "
            f"({len(grouped)} elemen)</summary>"
            + _table(["Kode elemen", "Nama elemen", "Satuan", "Urusan", "Tahun"], rows, "tabel-kekurangan")
            + "</details>"
        )
    return "".join(out) or "<p>Tidak ada butir yang kurang: semua OPD lengkap.</p>"


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Installed versions of the packages the report depends on (plus Python)."""
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            if name == "satudata":
                from satudata import __version__

                out[name] = __version__
            else:
                out[name] = "tidak terpasang"
    return out


def _flatten(value: object, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        out = []
        for key in sorted(value, key=str):
            out += _flatten(value[key], f"{prefix}.{key}" if prefix else str(key))
        return out
    return [(prefix, json.dumps(value, ensure_ascii=False) if isinstance(value, (list, tuple)) else str(value))]


def provenance_html(manifest: dict[str, Any], settings: Settings, parameters: dict[str, object],
                    versions: dict[str, str] | None = None) -> str:
    """Input files with size and sha256, catalogue version, parameters, settings, package versions."""
    files = manifest_files(manifest)
    file_rows = [[_file_name(f), fmt.angka(f.get("ukuran", f.get("size"))), f.get("sha256") or "–"]
                 for f in sorted(files, key=_file_name)]
    katalog = manifest.get("katalog") or {}
    if not isinstance(katalog, dict):
        katalog = {"versi": katalog}
    settings_rows = [[k, "(tidak diatur)" if v in ("None", "") else v] for k, v in _flatten(settings.as_dict())]
    versions = versions or package_versions()
    parts = [
        "<h3>Berkas masukan</h3>",
        _table(["Berkas", "Ukuran (bita)", "SHA-256"], file_rows, "tabel-berkas kode", numeric={1})
        if file_rows else "<p>Tidak ada berkas tercatat.</p>",
        "<h3>Versi katalog</h3>",
        _table(["Butir", "Nilai"], [[k, v] for k, v in _flatten(katalog)], "tabel-katalog kode"),
        "<h3>Parameter</h3>",
        _table(["Parameter", "Nilai"], [[k, v] for k, v in parameters.items()], "tabel-parameter kode"),
        "<h3>Pengaturan</h3>",
        _table(["Kunci", "Nilai"], settings_rows, "tabel-pengaturan kode"),
        "<h3>Versi paket</h3>",
        _table(["Paket", "Versi"], [[k, v] for k, v in versions.items()], "tabel-paket kode"),
    ]
    return "".join(parts)


# --------------------------------------------------------------------------------- sections


def zone_chart_section(progres: pd.DataFrame, settings: Settings, putaran: str, png_path: str | Path) -> str:
    """The zone bar chart: saved as a 1920 x 1080 PNG and returned as an embedded figure."""
    from satudata import charts

    title = f"Progres Satu Data {settings.region}: {fmt.tanggal(putaran)}"
    fig = charts.zone_bar_chart(progres, settings, title=title)
    data = charts.png_bytes(fig)
    Path(png_path).parent.mkdir(parents=True, exist_ok=True)
    Path(png_path).write_bytes(data)
    alt = f"Grafik batang persen butir terpenuhi untuk {len(progres)} OPD, diwarnai menurut zona"
    return charts.figure_html(fig, alt, caption=f"Juga tersimpan sebagai {Path(png_path).name}.", data=data)


def heatmap_section(
    items: pd.DataFrame | None, kekurangan: pd.DataFrame, progres: pd.DataFrame, settings: Settings,
    png_path: str | Path,
) -> str:
    """The OPD x urusan heatmap (saved as PNG too); a table per urusan when the grid is mostly empty."""

    if items is None:
        return "<p>Peta kelengkapan per urusan tidak dibuat: katalog tidak dapat dimuat.</p>"
    by_urusan = progress_by_opd_urusan(items, kekurangan)
    if by_urusan.empty:
        return "<p>Tidak ada butir wajib di katalog: peta kelengkapan per urusan kosong.</p>"
    matrix = heatmap_matrix(by_urusan, progres)
    if matrix_density(matrix) < SPARSE_DENSITY:
        # most OPDs own one or two urusan: a grid of grey squares says nothing; list per urusan instead
        Path(png_path).unlink(missing_ok=True)
        out = urusan_table_html(by_urusan, progres, settings)
    else:
        out = _heatmap_figure(matrix, settings, png_path)
    mismatch = wajib_mismatch(by_urusan, progres)
    if mismatch:
        out += (f'<p class="peringatan">Jumlah butir wajib menurut katalog berbeda dengan tabel progres untuk '
                f"{len(mismatch)} OPD: {esc(', '.join(mismatch))}. Periksa versi katalog.</p>")
    return out


SPARSE_DENSITY = 0.25


def matrix_density(matrix: pd.DataFrame) -> float:
    """Share of the OPD x urusan cells that hold a percent (0 for an empty matrix)."""
    return float(matrix.notna().to_numpy().mean()) if matrix.size else 0.0


def urusan_table_html(by_urusan: pd.DataFrame, progres: pd.DataFrame, settings: Settings) -> str:
    """Per urusan: items owed and fulfilled (pooled), zone, and each OPD that owes items with its percent."""
    short = {str(k): (str(a) if isinstance(a, str) and a.strip() else str(n))
             for k, a, n in zip(progres["kode_opd"], progres.get("singkatan", progres["nama_opd"]),
                                progres["nama_opd"], strict=True)}
    rows = []
    groups = by_urusan.groupby(["kode_urusan", "nama_urusan"], dropna=False, sort=False)
    for (kode, nama), group in sorted(groups, key=lambda kv: natural_key(kv[0][0])):
        wajib, terpenuhi = int(group["wajib"].sum()), int(group["terpenuhi"].sum())
        persen = terpenuhi / wajib * 100 if wajib else None
        zone = zone_of(persen, settings.zones)
        members = group.sort_values(["persen", "kode_opd"], ascending=[False, True], kind="mergesort")
        opds = "; ".join(f"{short.get(str(m.kode_opd), m.kode_opd)} {fmt.persen_zona(m.persen, settings.zones)}\u00a0%"
                         for m in members.itertuples())
        rows.append([kode, nama, opds, fmt.angka(wajib), fmt.angka(terpenuhi),
                     zone_cell(settings, zone, fmt.persen_zona(persen, settings.zones)), zone_cell(settings, zone, zone_label(settings, zone))])
    note = (f"<p>Sebagian besar OPD hanya memegang satu atau dua urusan, jadi peta OPD × urusan hampir kosong. "
            f"Tabel ini merangkum {len(rows)} urusan: butir wajib dan terpenuhi semua OPD pemegangnya, "
            "lalu persen setiap OPD untuk urusan itu.</p>")
    return note + _table(["Kode", "Urusan", "OPD pemegang (persen)", "Wajib", "Terpenuhi", "Persen", "Zona"], rows,
                         "tabel-urusan", numeric={3, 4, 5})


def _heatmap_figure(matrix: pd.DataFrame, settings: Settings, png_path: str | Path) -> str:
    from satudata import charts

    fig = charts.heatmap(matrix, settings, title="Persen butir terpenuhi per OPD dan urusan")
    data = charts.png_bytes(fig)
    Path(png_path).parent.mkdir(parents=True, exist_ok=True)
    Path(png_path).write_bytes(data)
    alt = f"Peta panas persen butir terpenuhi: {matrix.shape[0]} OPD dan {matrix.shape[1]} urusan"
    return charts.figure_html(fig, alt, caption=f"Juga tersimpan sebagai {Path(png_path).name}.", data=data)


def load_items_or_none(reference_dir: str | Path, settings: Settings) -> pd.DataFrame | None:
    """Catalogue items, or None only while the catalogue module is not installed."""
    try:
        return catalogue_items(reference_dir, settings)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("satudata"):
            return None
        raise


# --------------------------------------------------------------------------------- conversion


class NotebookFailedError(RuntimeError):
    """The executed notebook holds an error: no report is written from it."""


def failed_cells(nb: Any) -> list[tuple[int, str]]:
    """(cell index, error text) of every cell whose outputs hold an error."""
    out = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                out.append((index, f"{output.get('ename', '')}: {output.get('evalue', '')}"))
    return out


_HEADING = re.compile(r"<h([23])\b[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def table_of_contents(body: str) -> str:
    """A ``<nav>`` listing every h2 (and h3 under it) that has an id, in document order."""
    # h3 entries are nested under their h2 (an unnumbered list), so the h2 numbering stays 1, 2, 3...
    entries: list[tuple[str, list[str]]] = []
    for level, anchor, inner in _HEADING.findall(body):
        text = html.unescape(_TAG.sub("", inner)).replace("¶", "").strip()
        if not text:
            continue
        link = f'<a href="#{anchor}">{esc(text)}</a>'
        if level == "3" and entries:
            entries[-1][1].append(f'<li class="toc-3">{link}</li>')
        else:
            entries.append((f'<li class="toc-{level}">{link}', []))
    items = "".join(head + (f'<ul>{"".join(sub)}</ul>' if sub else "") + "</li>" for head, sub in entries)
    return f'<nav id="daftar-isi" class="daftar-isi"><h2 class="toc-judul">Daftar isi</h2><ol>{items}</ol></nav>'


def insert_toc(body: str) -> str:
    """Fill the placeholder ``<nav id="daftar-isi">`` (else put the TOC at the start of ``<main>``)."""
    toc = table_of_contents(_TOC_SLOT.sub("", body))
    if _TOC_SLOT.search(body):
        return _TOC_SLOT.sub(lambda _m: toc, body, count=1)
    return body.replace("<main>", "<main>" + toc, 1)


_REFERENCE = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*([^"'\s>]+))|(?:url\(\s*["']?([^"')]+))|"""
    r"""(?:@import\s+["']([^"']+))""",
    re.I,
)


def external_references(body: str) -> list[str]:
    """Every ``src``/``href``/CSS ``url()``/``@import`` target that points to another host."""
    out = []
    for match in _REFERENCE.finditer(body):
        target = next(g for g in match.groups() if g is not None).strip()
        lowered = target.lower()
        if lowered.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:")):
            out.append(target)
    return out


def notebook_to_html(executed_notebook: Path, html_path: Path, title: str) -> Path:
    """nbconvert HTML with the project's template: no code, no prompts, offline, print CSS, TOC.

    Refuses (``NotebookFailedError``, nothing written) a notebook that holds an error output.
    Cell ids are renumbered and stderr streams dropped so that two builds differ only in what
    the notebook itself prints (its build time). Cells tagged ``notebook-only`` (analyst views:
    styled DataFrames, figures) stay in the notebook and are left out of the HTML. Raises
    ``ValueError`` if the page would load anything from another host.
    """
    import nbformat
    from nbconvert import HTMLExporter

    executed_notebook, html_path = Path(executed_notebook), Path(html_path)
    nb = nbformat.read(executed_notebook, as_version=4)
    failed = failed_cells(nb)
    if failed:
        where = "; ".join(f"sel {i}: {text}" for i, text in failed)
        raise NotebookFailedError(
            f"Notebook {executed_notebook} berisi galat ({where}); laporan HTML tidak dibuat. "
            "Perbaiki penyebabnya lalu jalankan ulang putaran."
        )
    nb.cells = [c for c in nb.cells if NOTEBOOK_ONLY_TAG not in c.get("metadata", {}).get("tags", [])]
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"sel-{index}"
        if "outputs" in cell:
            cell["outputs"] = [o for o in cell["outputs"]
                               if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.language_code = "id"
    body, _resources = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = insert_toc(body)
    external = external_references(body)
    if external:
        raise ValueError(f"Laporan {html_path} akan memuat sumber dari luar: {external[:5]}.")
    html_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = html_path.with_name(html_path.name + ".tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, html_path)
    return html_path
