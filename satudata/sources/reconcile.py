"""One element, three sources: the OPD's files, SIPD and the portal compared item by item (issue 14, item 3).

For every item owed (element x year of the catalogue, for its producer) that at least one source gives a valid
value (status ``ada``, or ``nihil`` = 0) up to the round, :func:`reconcile` takes the current value of each
source role: ``berkas`` (the round folder's files), ``sipd`` (DSSD exports, e-Walidata) and ``portal`` (values in
a portal's resource files). Within a role the latest round wins, then the row read last (as in progress).

Status per item:

* ``sama``: two or more sources give it and all values agree (equal within 1e-6 of the larger, or both 0);
* ``beda``: two or more sources give it and some value differs; ``selisih`` is the largest minus the smallest
  value and ``selisih_persen`` that difference against the file's value (else SIPD's), when it is not 0;
* ``hanya_satu_sumber``: one source only (``sumber_ada`` names it).

Tables: ``processed/<round>/rekonsiliasi.parquet`` and ``.csv`` (:func:`write_reconciliation`); the sheet
"Rekonsiliasi Sumber" of each producer's feedback workbook; :func:`report_section` gives the report's
"Rekonsiliasi sumber" section (a summary per producer and the rows that differ), and
:func:`fulfilled_by_source` how many fulfilled items each source gave (``item_terkini.sumber``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from satudata.reference.settings import OutputSettings, Settings

STATUS_SAMA, STATUS_BEDA, STATUS_SATU = "sama", "beda", "hanya_satu_sumber"
STATUS_LABELS = {STATUS_SAMA: "sama", STATUS_BEDA: "beda", STATUS_SATU: "hanya di satu sumber"}
ROLES = ("berkas", "sipd", "portal")
ROLE_LABELS = {"berkas": "berkas OPD", "sipd": "SIPD", "portal": "portal"}
VALID = ("ada", "nihil")
TOLERANCE = 1e-6
COLUMNS = ["putaran", "kode_opd", "nama_opd", "kode_urusan", "kode_elemen", "nama_elemen", "satuan", "tahun",
           "nilai_berkas", "nilai_sipd", "nilai_portal", "sumber_berkas", "sumber_sipd", "sumber_portal",
           "berkas_berkas", "berkas_sipd", "berkas_portal", "jumlah_sumber", "sumber_ada", "status", "selisih",
           "selisih_persen", "keterangan"]  # fmt: skip
FILE_NAME = "rekonsiliasi"


def _number(value: float) -> str:
    from satudata.common import fmt

    return fmt.angka(value) if value is not None and not math.isnan(value) else "-"


def reconcile(nilai_by_round: dict[str, pd.DataFrame], catalogue, register, settings: Settings,
              round_date: str) -> pd.DataFrame:  # fmt: skip
    """The reconciliation of the round (see the module docstring); empty (with the columns) when no ``nilai``
    frame has a ``sumber`` column, i.e. when ``[sumber]`` is not configured."""
    from satudata.sources.collect import source_roles

    roles = source_roles(settings)
    rounds = sorted(r for r in nilai_by_round if str(r) <= str(round_date))
    parts = []
    for number, r in enumerate(rounds):
        frame = nilai_by_round[r]
        if frame is None or not len(frame) or "sumber" not in frame.columns:
            continue
        keep = (frame["dihitung"].fillna(False).astype(bool) & frame["kode_elemen"].notna() & frame["tahun"].notna()
                & frame["status"].isin(VALID) & frame["sumber"].isin(list(roles)))  # fmt: skip
        part = frame.loc[keep, ["kode_opd", "kode_elemen", "tahun", "nilai", "status", "sumber", "sumber_file"]].copy()
        part["_urut"] = np.arange(len(part)) + number * 10**9  # later round, then later row, wins
        part["_dipakai"] = (frame.loc[keep, "dipakai"].fillna(False).astype(bool).to_numpy()
                            if "dipakai" in frame.columns else True)  # fmt: skip
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    values = pd.concat(parts, ignore_index=True)
    values = values.astype({"kode_opd": object, "kode_elemen": object, "sumber": object, "sumber_file": object})
    values["tahun"] = values["tahun"].astype("int64")
    values["peran"] = values["sumber"].map(roles)
    values["nilai"] = np.where(values["status"] == "nihil", 0.0, pd.to_numeric(values["nilai"], errors="coerce"))
    values = values.sort_values(["_urut"], kind="stable")
    latest = values.drop_duplicates(["kode_opd", "kode_elemen", "tahun", "peran"], keep="last")

    items = catalogue.items()[["kode_opd", "kode_elemen", "tahun"]].astype({"kode_opd": object, "kode_elemen": object})
    items["tahun"] = items["tahun"].astype("int64")
    latest = latest.merge(items, on=["kode_opd", "kode_elemen", "tahun"], how="inner")
    if latest.empty:
        return pd.DataFrame(columns=COLUMNS)
    wide = latest.pivot(index=["kode_opd", "kode_elemen", "tahun"], columns="peran",
                        values=["nilai", "sumber", "sumber_file"])  # fmt: skip
    out = pd.DataFrame(index=wide.index)
    for role in ROLES:
        given = role in wide["nilai"].columns
        out[f"nilai_{role}"] = wide["nilai"][role].astype("float64") if given else np.nan
        out[f"sumber_{role}"] = wide["sumber"][role].astype(object) if given else None
        out[f"berkas_{role}"] = wide["sumber_file"][role].astype(object) if given else None
    out = out.reset_index()
    present = out[[f"sumber_{r}" for r in ROLES]].notna().to_numpy()
    matrix = out[[f"nilai_{r}" for r in ROLES]].to_numpy(dtype="float64")
    count = present.sum(axis=1)
    with np.errstate(all="ignore"):
        high, low = np.nanmax(matrix, axis=1), np.nanmin(matrix, axis=1)
        diff = high - low
        same = diff <= TOLERANCE * np.maximum(np.maximum(np.abs(high), np.abs(low)), 1.0)
        base = np.where(present[:, 0], matrix[:, 0], matrix[:, 1])  # the file's value, else SIPD's
        percent = np.where(np.isfinite(base) & (base != 0), 100.0 * diff / np.abs(base), np.nan)
    status = np.where(count == 1, STATUS_SATU, np.where(same, STATUS_SAMA, STATUS_BEDA))
    out["jumlah_sumber"] = count.astype("int64")
    labels = np.array([ROLE_LABELS[r] for r in ROLES], dtype=object)
    out["sumber_ada"] = [", ".join(labels[row]) for row in present]
    out["status"] = status
    out["selisih"] = np.where(count == 1, np.nan, np.where(same, 0.0, diff))
    out["selisih_persen"] = np.where(count == 1, np.nan, np.where(same, 0.0, percent))
    notes = np.where(count == 1, "Hanya ada di " + out["sumber_ada"].to_numpy(dtype=object)
                     + ": samakan dengan sumber lain bila perlu.",
                     "Sama di " + out["sumber_ada"].to_numpy(dtype=object) + ".").astype(object)  # fmt: skip
    for i in np.flatnonzero(status == STATUS_BEDA):  # the few that differ: each value written out
        given = "; ".join(f"{ROLE_LABELS[r]} {_number(matrix[i, j])}" for j, r in enumerate(ROLES) if present[i, j])
        notes[i] = f"Berbeda: {given}. Periksa mana yang benar dan perbaiki sumber yang keliru."
    out["keterangan"] = notes
    elements = catalogue.elements.drop_duplicates("kode_elemen").set_index("kode_elemen")
    out["nama_elemen"] = out["kode_elemen"].map(elements["nama_elemen"])
    out["satuan"] = out["kode_elemen"].map(elements["satuan"])
    out["kode_urusan"] = out["kode_elemen"].map(elements["kode_urusan"])
    names = register.frame.drop_duplicates("kode_opd").set_index("kode_opd")["nama_opd"]
    out["nama_opd"] = out["kode_opd"].map(names)
    out["putaran"] = str(round_date)
    out = out[COLUMNS].sort_values(["kode_opd", "kode_elemen", "tahun"], kind="stable").reset_index(drop=True)
    return out


def write_reconciliation(table: pd.DataFrame, out_dir: str | Path, output: OutputSettings | None = None
                         ) -> list[Path]:  # fmt: skip
    """``rekonsiliasi.parquet`` and ``rekonsiliasi.csv`` (CSV dialect of ``[keluaran]``, no formulas)."""
    from satudata.common.safe_text import to_csv

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parquet, csv = out_dir / f"{FILE_NAME}.parquet", out_dir / f"{FILE_NAME}.csv"
    table.to_parquet(parquet, index=False)
    to_csv(table, csv, output, index=False, encoding="utf-8-sig")
    return [parquet, csv]


def load_reconciliation(processed: str | Path) -> pd.DataFrame | None:
    """The round's reconciliation table, None when the round has none (no ``[sumber]``)."""
    path = Path(processed) / f"{FILE_NAME}.parquet"
    return pd.read_parquet(path) if path.exists() else None


def summary_per_opd(table: pd.DataFrame) -> pd.DataFrame:
    """Per producer: items compared, ``sama``, ``beda``, ``hanya_satu_sumber`` and items per role."""
    columns = ["kode_opd", "nama_opd", "butir", "dibandingkan", STATUS_SAMA, STATUS_BEDA, STATUS_SATU,
               *[f"ada_di_{r}" for r in ROLES]]  # fmt: skip
    if table is None or table.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (code, name), g in table.groupby(["kode_opd", "nama_opd"], sort=True, dropna=False):
        rows.append({"kode_opd": code, "nama_opd": name, "butir": len(g), "dibandingkan": int((g["jumlah_sumber"] > 1).sum()),
                     **{s: int((g["status"] == s).sum()) for s in (STATUS_SAMA, STATUS_BEDA, STATUS_SATU)},
                     **{f"ada_di_{r}": int(g[f"nilai_{r}"].notna().sum()) for r in ROLES}})  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def fulfilled_by_source(item_terkini: pd.DataFrame) -> pd.DataFrame:
    """Per producer, fulfilled items by the source of their current value (``item_terkini.sumber``): one column
    per source name, plus ``terpenuhi``. Empty when ``item_terkini`` has no ``sumber`` (no ``[sumber]``)."""
    if item_terkini is None or "sumber" not in item_terkini.columns:
        return pd.DataFrame(columns=["kode_opd", "nama_opd", "terpenuhi"])
    done = item_terkini[item_terkini["terpenuhi"].fillna(False).astype(bool)]
    table = pd.crosstab([done["kode_opd"].astype(str), done["nama_opd"].astype(str)], done["sumber"].astype(str))
    table.columns = [str(c) for c in table.columns]
    table["terpenuhi"] = table.sum(axis=1)
    return table.reset_index()


@dataclass
class ReconciliationSection:
    """What the report's "Rekonsiliasi sumber" section shows."""

    ringkasan: pd.DataFrame  # per producer (summary_per_opd)
    total: dict[str, int]  # items, compared, sama, beda, hanya_satu_sumber
    beda: pd.DataFrame  # the rows that differ, largest relative difference first
    baris: pd.DataFrame  # every row
    per_sumber: pd.DataFrame  # fulfilled items by source (fulfilled_by_source)
    kalimat: str  # one sentence in Bahasa Indonesia


def report_section(processed: str | Path) -> ReconciliationSection | None:
    """The data of the report's "Rekonsiliasi sumber" section for a round's ``processed`` folder; None when the
    round has no reconciliation (no ``[sumber]`` configured): the report then leaves the section out."""
    from satudata.common import fmt

    table = load_reconciliation(processed)
    if table is None:
        return None
    items_path = Path(processed) / "item_terkini.parquet"
    per_source = fulfilled_by_source(pd.read_parquet(items_path)) if items_path.exists() else fulfilled_by_source(None)
    total = {"butir": int(len(table)), "dibandingkan": int((table["jumlah_sumber"] > 1).sum()),
             **{s: int((table["status"] == s).sum()) for s in (STATUS_SAMA, STATUS_BEDA, STATUS_SATU)}}  # fmt: skip
    beda = table[table["status"] == STATUS_BEDA].sort_values(["selisih_persen", "kode_opd", "kode_elemen", "tahun"],
                                                             ascending=[False, True, True, True], na_position="last",
                                                             kind="stable").reset_index(drop=True)  # fmt: skip
    sentence = (f"{fmt.angka(total['butir'])} butir data ada di sekurang-kurangnya satu sumber; "
                f"{fmt.angka(total['dibandingkan'])} dapat dibandingkan antarsumber: {fmt.angka(total[STATUS_SAMA])} "
                f"sama, {fmt.angka(total[STATUS_BEDA])} berbeda; {fmt.angka(total[STATUS_SATU])} hanya ada di satu "
                "sumber.")  # fmt: skip
    return ReconciliationSection(summary_per_opd(table), total, beda, table, per_source, sentence)
