"""A quality score per producer beside completeness: the data behind a zone, and how good it is.

The zone stays the completeness zone (the mission's rule). The quality score is a second figure, the
mean of the components that could be measured (each 0-100, None when there was nothing to measure):

- ``kelengkapan`` = the round's percent (items fulfilled / items owed x 100);
- ``validitas`` = 100 x (values - values with a warning) / values, over the producer's current values
  (status ``ada``); a warning is a plausibility finding (:mod:`satudata.evaluation.plausibility`: jump, sudden zero,
  all nil, copied row) or a value issue of the round (``satuan_mirip``);
- ``konsistensi`` = 100 x (checks - failed) / checks; the checks are parent values whose children all have
  values (failed: ``jumlah_tidak_cocok``), values also held by the previous round (failed: ``revisi``) and
  the totals written in the round's files (failed: ``jumlah_tabel_tidak_cocok``, :mod:`satudata.reading.table_totals`);
- ``ketepatan_waktu`` = 100 x items whose current value arrived on time / items fulfilled; a file arrives
  on the date in the round folder's ``.kedatangan.csv`` (``berkas,diterima``), else on the file's
  modification date; it is on time when it arrived by the date the catalogue's JADWAL RILIS gives for the
  item's year (``Maret n+1``: 31 March of the next year), or, without one, by the date of its round;
- ``standar_metadata`` = 100 x elements whose catalogue row is complete / elements owed; complete means a
  unit, and a definition and a classification when the catalogue has those columns.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from satudata.evaluation.plausibility import consistency_checks

COMPONENTS = ("kelengkapan", "validitas", "konsistensi", "ketepatan_waktu", "standar_metadata")
COMPONENT_LABELS = {
    "kelengkapan": "Kelengkapan", "validitas": "Validitas", "konsistensi": "Konsistensi",
    "ketepatan_waktu": "Ketepatan waktu", "standar_metadata": "Standar data dan metadata",
}  # fmt: skip
FORMULAS = {
    "kelengkapan": "butir terpenuhi / butir wajib x 100 (persen zona)",
    "validitas": "(nilai - nilai dengan peringatan) / nilai x 100",
    "konsistensi": "(pemeriksaan - gagal) / pemeriksaan x 100; pemeriksaan: jumlah rincian, jumlah dalam tabel "
                   "kiriman dan revisi",
    "ketepatan_waktu": "butir yang nilainya tiba tepat waktu / butir terpenuhi x 100",
    "standar_metadata": "elemen dengan satuan (dan definisi, klasifikasi bila ada di katalog) / elemen x 100",
}
VALIDITY_CHECKS = ("lonjakan", "nol_mendadak", "semua_strip", "nilai_disalin")
CONSISTENCY_CHECKS = ("jumlah_tidak_cocok", "revisi")
VALUE_ISSUES = ("satuan_mirip",)
QUALITY_COLUMNS = ["putaran", "kode_opd", "nama_opd", *COMPONENTS, "skor_kualitas", "nilai_diperiksa",
                   "nilai_peringatan", "cek_konsistensi", "cek_gagal", "butir_terpenuhi", "butir_tepat_waktu",
                   "elemen", "elemen_standar"]  # fmt: skip
ARRIVALS_FILE = ".kedatangan.csv"


def arrivals(raw_dir: Path, timezone: str = "Asia/Jakarta") -> dict[str, date]:
    """Arrival date of every file of a round folder (path relative to it, ``/``-separated)."""
    raw_dir = Path(raw_dir)
    out: dict[str, date] = {}
    if not raw_dir.is_dir():
        return out
    tz = ZoneInfo(timezone)
    for path in raw_dir.rglob("*"):
        rel = path.relative_to(raw_dir).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(raw_dir).parts):
            out[rel] = datetime.fromtimestamp(path.stat().st_mtime, tz).date()
    record = raw_dir / ARRIVALS_FILE
    if record.exists():
        table = pd.read_csv(record, dtype=str, encoding="utf-8-sig")
        for name, when in zip(table["berkas"], table["diterima"], strict=True):
            try:
                out[str(name)] = date.fromisoformat(str(when)[:10])
            except ValueError:
                continue
    return out


_MONTHS = {m: i for i, m in enumerate(("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
                                       "september", "oktober", "november", "desember"), start=1)}  # fmt: skip
_RELEASE = re.compile(r"^\s*(?:[a-z]+\s*-\s*)?([a-z]+)\s*(?:n\s*(?:\+\s*(\d))?)?\s*$")


@functools.lru_cache(maxsize=4096)  # the same schedule texts and years for every item of a catalogue
def release_due(text: object, year: int) -> date | None:
    """The last day an item of ``year`` is due by the catalogue's JADWAL RILIS: ``Maret n+1`` -> 31 March of
    the next year, ``Desember n`` or ``Desember`` -> 31 December of the year, ``April - Mei N+1`` -> 31 May
    of the next year. None when the text names no single month (``***``, ``Februari dan Agustus``)."""
    if not isinstance(text, str):
        return None
    m = _RELEASE.match(text.lower().replace("(", "").replace(")", ""))
    if not m or m.group(1) not in _MONTHS:
        return None
    month, target = _MONTHS[m.group(1)], year + int(m.group(2) or 0)
    first_next = date(target + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _pct(part: float, whole: float) -> float | None:
    return None if not whole else 100.0 * part / whole


def quality_by_opd(round_date: str, progres_opd: pd.DataFrame, item_terkini: pd.DataFrame, warnings: pd.DataFrame,
                   masalah: pd.DataFrame, elements: pd.DataFrame, arrived: dict[str, dict[str, date]],
                   previous_items: pd.DataFrame | None = None,
                   table_checks: dict[str, tuple[int, int]] | None = None,
                   consistency: pd.DataFrame | None = None) -> pd.DataFrame:  # fmt: skip
    """One row per producer of ``progres_opd``: every component, the score and the counts behind them.

    ``arrived`` maps a round to its files' arrival dates (:func:`arrivals`); ``table_checks`` gives, per
    producer, the totals written in its files that were checked and how many did not add up
    (:func:`table_checks_by_opd`); ``consistency`` the consistency checks per producer when already made
    (:func:`satudata.evaluation.plausibility.round_checks`).
    """
    table_checks = table_checks or {}
    items = item_terkini.astype({"kode_opd": "object"})
    status = items["status"].astype("object")
    values = items[items["terpenuhi"].astype(bool) & (status == "ada")]
    n_values = values.groupby("kode_opd").size()
    w = warnings.astype({"kode_opd": "object"})
    valid_w = w[w["kode_cek"].isin(VALIDITY_CHECKS)]
    warned = valid_w.drop_duplicates(["kode_opd", "kode_elemen", "tahun"]).groupby("kode_opd").size()
    issues = masalah[masalah["kode_masalah"].isin(VALUE_ISSUES)] if len(masalah) else masalah
    issue_counts = issues.groupby(issues["kode_opd"].astype("object")).size() if len(issues) else pd.Series(dtype=int)
    if consistency is None:
        consistency = consistency_checks(item_terkini, elements, previous_items)
    checks = consistency.set_index("kode_opd")
    n_checks = (checks["cek_jumlah"] + checks["cek_revisi"]) if len(checks) else pd.Series(dtype=int)
    failed = w[w["kode_cek"].isin(CONSISTENCY_CHECKS)].groupby("kode_opd").size()

    fulfilled = items[items["terpenuhi"].astype(bool)]
    release = dict(elements.drop_duplicates("kode_elemen")[["kode_elemen", "jadwal_rilis"]].itertuples(index=False)) \
        if "jadwal_rilis" in elements.columns else None
    on_time = _on_time(fulfilled, arrived, release)
    n_fulfilled = fulfilled.groupby("kode_opd").size()
    n_on_time = fulfilled.assign(ok=on_time).groupby("kode_opd")["ok"].sum()
    has_arrival = fulfilled.assign(known=~np.isnan(on_time.astype(float))).groupby("kode_opd")["known"].sum()

    standard = _standard(elements)
    # plain dicts for the per-producer look-ups below (a Series look-up costs microseconds each)
    n_values, warned, issue_counts, n_checks, failed, n_fulfilled, n_on_time, has_arrival = (
        counts.to_dict() for counts in (n_values, warned, issue_counts, n_checks, failed, n_fulfilled, n_on_time,
                                        has_arrival))  # fmt: skip
    rows = []
    for r in progres_opd.itertuples(index=False):
        k = r.kode_opd
        nv = int(n_values.get(k, 0))
        nw = min(nv, int(warned.get(k, 0)) + int(issue_counts.get(k, 0)))
        checked, wrong = table_checks.get(k, (0, 0))
        nc, nf = int(n_checks.get(k, 0)) + checked, int(failed.get(k, 0)) + wrong
        nful, nok = int(n_fulfilled.get(k, 0)), int(n_on_time.get(k, 0))
        ne, ns = standard.get(k, (0, 0))
        row = {
            "putaran": round_date, "kode_opd": k, "nama_opd": r.nama_opd,
            "kelengkapan": None if pd.isna(r.persen) else float(r.persen),
            "validitas": _pct(nv - nw, nv), "konsistensi": _pct(nc - min(nf, nc), nc),
            "ketepatan_waktu": _pct(nok, nful) if int(has_arrival.get(k, 0)) else None,
            "standar_metadata": _pct(ns, ne),
            "nilai_diperiksa": nv, "nilai_peringatan": nw, "cek_konsistensi": nc, "cek_gagal": min(nf, nc),
            "butir_terpenuhi": nful, "butir_tepat_waktu": nok, "elemen": ne, "elemen_standar": ns,
        }  # fmt: skip
        parts = [row[c] for c in COMPONENTS if row[c] is not None]
        row["skor_kualitas"] = float(np.mean(parts)) if parts and row["kelengkapan"] is not None else None
        rows.append(row)
    return pd.DataFrame(rows, columns=QUALITY_COLUMNS)


def table_checks_by_opd(manifest: dict) -> dict[str, tuple[int, int]]:
    """Per producer: totals written in the round's files that were checked, and how many did not add up
    (the manifest's ``cek_jumlah`` of every file, by the file's producer)."""
    out: dict[str, tuple[int, int]] = {}
    for entry in manifest.get("berkas", []):
        check = entry.get("cek_jumlah") or {}
        kode = entry.get("kode_opd")
        if kode and check.get("diperiksa"):
            checked, wrong = out.get(kode, (0, 0))
            out[kode] = (checked + int(check["diperiksa"]), wrong + int(check.get("tidak_cocok", 0)))
    return out


def _on_time(fulfilled: pd.DataFrame, arrived: dict[str, dict[str, date]],
             release: dict[str, object] | None = None) -> np.ndarray:  # fmt: skip
    """1.0 on time, 0.0 late, NaN unknown, per fulfilled item (its current value's file). Due: the date
    JADWAL RILIS gives for the item's year (:func:`release_due`), else the date of the round it came in."""
    out = np.full(len(fulfilled), np.nan)
    rounds = fulfilled["putaran_nilai"].astype("object").to_numpy()
    files = fulfilled["sumber_file"].astype("object").to_numpy()
    codes = fulfilled["kode_elemen"].astype("object").to_numpy()
    years = fulfilled["tahun"].to_numpy()
    for i, (rnd, name) in enumerate(zip(rounds, files, strict=True)):
        if not isinstance(rnd, str) or not isinstance(name, str):
            continue
        when = arrived.get(rnd, {}).get(name)
        if when is None:
            continue
        due = release_due(release.get(codes[i]), int(years[i])) if release is not None else None
        out[i] = 1.0 if when <= (due or date.fromisoformat(rnd[:10])) else 0.0
    return out


def _standard(elements: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Per producer: (elements owed, elements whose catalogue row is complete)."""
    owed = elements[elements["dihitung"].astype(bool)] if "dihitung" in elements.columns else elements
    complete = owed["satuan"].fillna("").astype(str).str.strip() != ""
    for column in ("definisi", "klasifikasi"):
        if column in owed.columns and owed[column].notna().any():
            text = owed[column].fillna("").astype(str).str.strip()
            complete &= (text != "") & ~text.isin(["*", "**", "***", "-"])
    counts = pd.DataFrame({"k": owed["kode_opd"], "c": complete}).groupby("k")["c"].agg(["size", "sum"])
    return {k: (int(n), int(done)) for k, n, done in zip(counts.index, counts["size"], counts["sum"], strict=True)}


def region_quality(quality: pd.DataFrame) -> dict[str, float | None]:
    """Each component and the score as the mean over producers that have it."""
    out: dict[str, float | None] = {}
    for column in (*COMPONENTS, "skor_kualitas"):
        series = pd.to_numeric(quality[column], errors="coerce").dropna()
        out[column] = float(series.mean()) if len(series) else None
    return out
