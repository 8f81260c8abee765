"""The quality of the catalogue a round used: what was excluded and why, and what it changes per producer.

A catalogue row that cannot be used (a name ``*``, a duplicate, an unknown producer, an unreadable
period) is left out, never silently: :func:`assess` counts the rows per reason and per producer and the
items each producer owes, beside the items its excluded rows would owe once fixed. The ingest stage
writes the assessment next to the round's values (``katalog_kualitas.json``, ``katalog_dikecualikan.csv``);
the report, the walidata workbook and ``satudata katalog`` show it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from satudata.common import fmt
from satudata.common.safe_text import to_csv as safe_to_csv
from satudata.reference.catalogue import EXCLUSION_COLUMNS, REASONS, REVIEW_COLUMNS, Catalogue
from satudata.reference.register import Register
from satudata.reference.settings import OutputSettings

SUMMARY_FILE = "katalog_kualitas.json"
EXCLUDED_FILE = "katalog_dikecualikan.csv"
PER_OPD_COLUMNS = ["kode_opd", "nama_opd", "baris", "dipakai", "tidak_wajib", "dikecualikan", "butir_wajib",
                   "butir_tertahan"]  # fmt: skip
UNKNOWN = "(tidak dikenal)"


@dataclass
class CatalogueQuality:
    """Counts of the whole catalogue, a table per producer, the excluded rows and the review list."""

    summary: dict[str, Any]
    per_opd: pd.DataFrame
    excluded: pd.DataFrame
    reviews: pd.DataFrame

    @property
    def clean(self) -> bool:
        return self.excluded.empty and self.reviews.empty


def assess(catalogue: Catalogue, register: Register) -> CatalogueQuality:
    """The quality of a loaded catalogue."""
    e, x = catalogue.elements, catalogue.excluded
    owed = e["tahun_wajib"].map(len).where(e["dihitung"].astype(bool), 0)
    per: dict[str, dict[str, Any]] = {}
    codes = set(register.codes)

    def slot(code: object, written: object) -> dict[str, Any]:
        key = str(code) if isinstance(code, str) and code else f"?{written or ''}"
        if key not in per:
            known = isinstance(code, str) and code in codes
            per[key] = {"kode_opd": code if known else None,
                        "nama_opd": register.name(code) if known else f"{UNKNOWN} {written or '(kosong)'}",
                        **{c: 0 for c in PER_OPD_COLUMNS[2:]}}  # fmt: skip
        return per[key]

    for code, wajib, n in zip(e["kode_opd"], e["dihitung"], owed, strict=True):
        row = slot(code, None)
        row["baris"] += 1
        row["dipakai"] += 1
        row["tidak_wajib"] += int(not wajib)
        row["butir_wajib"] += int(n)
    for code, written, items in zip(x["kode_opd"], x["opd_tertulis"], x["butir"], strict=True):
        row = slot(code, written)
        row["baris"] += 1
        row["dikecualikan"] += 1
        row["butir_tertahan"] += 0 if pd.isna(items) else int(items)
    per_opd = pd.DataFrame(list(per.values()), columns=PER_OPD_COLUMNS)
    per_opd = per_opd.sort_values(["dikecualikan", "nama_opd"], ascending=[False, True], kind="stable")
    by_reason = x["alasan"].value_counts().to_dict() if len(x) else {}
    summary = {
        "berkas": catalogue.source.name if catalogue.source else None,
        "baris": int(catalogue.rows_read if catalogue.rows_read is not None else len(e) + len(x)),
        "dipakai": int(len(e)),
        "tidak_wajib": int((~e["dihitung"].astype(bool)).sum()),
        "dikecualikan": int(len(x)),
        "per_alasan": {k: int(v) for k, v in sorted(by_reason.items(), key=lambda kv: (-kv[1], kv[0]))},
        "butir_wajib": int(owed.sum()),
        "butir_tertahan": int(x["butir"].fillna(0).sum()) if len(x) else 0,
        "produsen_mirip": int(len(catalogue.reviews)),
        "periode": {str(k): int(v) for k, v in e["periode"].value_counts().items()} if "periode" in e else {},
    }
    return CatalogueQuality(summary, per_opd.reset_index(drop=True), x, catalogue.reviews)


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def as_json(quality: CatalogueQuality, with_rows: bool = False) -> dict[str, Any]:
    """The assessment as plain data: counts, ``per_opd``, ``mirip`` (and ``dikecualikan_baris``)."""
    out = {**quality.summary, "per_opd": _records(quality.per_opd), "mirip": _records(quality.reviews)}
    if with_rows:
        out["dikecualikan_baris"] = _records(quality.excluded)
    return out


def write_quality(quality: CatalogueQuality, out_dir: Path, output: OutputSettings | None = None) -> None:
    """``katalog_kualitas.json`` (counts, per producer, review list) and ``katalog_dikecualikan.csv``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / SUMMARY_FILE).write_text(json.dumps(as_json(quality), ensure_ascii=False, indent=1, default=str),
                                        encoding="utf-8")  # fmt: skip
    excluded = quality.excluded.assign(alasan_teks=quality.excluded["alasan"].map(REASONS))
    safe_to_csv(excluded, out_dir / EXCLUDED_FILE, output, index=False, encoding="utf-8-sig")  # names may start with "="


def load_quality(processed_dir: Path) -> CatalogueQuality | None:
    """The assessment a round's ingest wrote, or None (rounds ingested before it existed)."""
    path = Path(processed_dir) / SUMMARY_FILE
    if not path.exists():
        return None
    payload = json.loads(path.read_text(encoding="utf-8"))
    per_opd = pd.DataFrame(payload.pop("per_opd", []), columns=PER_OPD_COLUMNS)
    reviews = pd.DataFrame(payload.pop("mirip", []), columns=REVIEW_COLUMNS)
    excluded_path = Path(processed_dir) / EXCLUDED_FILE
    excluded = (pd.read_csv(excluded_path, encoding="utf-8-sig", dtype={"kolom": str, "opd_tertulis": str})
                if excluded_path.exists() else pd.DataFrame(columns=EXCLUSION_COLUMNS))  # fmt: skip
    return CatalogueQuality(payload, per_opd, excluded[[c for c in EXCLUSION_COLUMNS if c in excluded]], reviews)


def reason_rows(quality: CatalogueQuality) -> list[tuple[str, int]]:
    """(reason as reports say it, rows) sorted by rows."""
    return [(REASONS.get(k, k), n) for k, n in quality.summary.get("per_alasan", {}).items()]


def headline(quality: CatalogueQuality) -> str:
    """One sentence: rows read, usable, excluded, items owed."""
    s = quality.summary
    text = (f"Katalog {s.get('berkas') or ''}: {fmt.angka(s['baris'])} baris dibaca, {fmt.angka(s['dipakai'])} "
            f"dipakai ({fmt.angka(s['tidak_wajib'])} di antaranya tidak wajib), {fmt.angka(s['dikecualikan'])} "
            f"dikecualikan; {fmt.angka(s['butir_wajib'])} butir wajib (elemen x tahun).")  # fmt: skip
    if s.get("butir_tertahan"):
        text += (f" Baris yang dikecualikan akan menambah {fmt.angka(s['butir_tertahan'])} butir wajib "
                 "bila diperbaiki.")
    return " ".join(text.split())


def quality_text(quality: CatalogueQuality, limit: int | None = None) -> str:
    """The assessment as plain text for the command line: counts, reasons, producers, every excluded row."""
    lines = [headline(quality)]
    if quality.summary.get("periode"):
        lines.append("Periode: " + ", ".join(f"{k} {v}" for k, v in quality.summary["periode"].items()) + ".")
    if quality.summary.get("per_alasan"):
        lines.append("Dikecualikan per alasan:")
        lines += [f"  - {reason}: {n}" for reason, n in reason_rows(quality)]
    changed = quality.per_opd[quality.per_opd["dikecualikan"] > 0]
    if len(changed):
        lines.append("Produsen dengan baris dikecualikan (butir wajib sekarang -> bila diperbaiki):")
        for r in changed.itertuples(index=False):
            lines.append(f"  - {r.nama_opd}: {r.dikecualikan} dari {r.baris} baris; {r.butir_wajib} -> "
                         f"{r.butir_wajib + r.butir_tertahan} butir")
    if len(quality.reviews):
        lines.append("Nama produsen dikenali dengan pencocokan nama (periksa):")
        for r in quality.reviews.itertuples(index=False):
            lines.append(f"  - baris {r.baris}: '{r.opd_tertulis}' -> {r.kode_opd} {r.nama_opd} (skor {fmt.skor(r.skor)})")
    rows = quality.excluded if limit is None else quality.excluded.head(limit)
    if len(rows):
        lines.append("Baris yang dikecualikan:")
        for r in rows.itertuples(index=False):
            lines.append(f"  - baris {r.baris}" + (f", kolom '{r.kolom}'" if isinstance(r.kolom, str) else "")
                         + f": {r.pesan}")
        if limit is not None and len(quality.excluded) > limit:
            lines.append(f"  ... dan {len(quality.excluded) - limit} baris lain (lihat {EXCLUDED_FILE}).")
    return "\n".join(lines)
