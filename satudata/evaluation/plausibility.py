"""Plausibility of the values that fulfil items: warnings a walidata checks before a Bappeda head sees them.

Run on ``item_terkini`` (the current value of every item owed), per producer and element, its series
over the years. Findings are warnings: they never remove fulfilment (completeness and zones stay as
they are); they lower the quality score (:mod:`satudata.evaluation.quality`). Thresholds are in ``[kualitas]``.

- ``lonjakan``: a value that jumps against its neighbour year by more than ``rasio_lonjakan`` (3x up or
  down to a third) AND stands out of the element's own series (robust z-score of its logarithm, median
  and MAD, above ``skor_z``) AND moves by at least ``selisih_minimum``: a 10x typo is found, a steady
  growth of 3x a year or a small count moving from 2 to 5 is not.
- ``nol_mendadak``: a 0 (or ``-``) between two years whose values are both at least ``selisih_minimum``.
- ``semua_strip``: every year of the series is ``-`` (nil): possible, but worth a look.
- ``nilai_disalin``: the same value in every year (at least 3), when the value is precise (a fraction, or
  at least ``digit_disalin`` digits): ``Jumlah kecamatan 14`` every year is plausible, ``1.234.567``
  people every year is a copied row.
- ``jumlah_tidak_cocok``: the children of an element in the catalogue (``induk``), all with values in the
  same year and in the parent's unit, do not add up to the parent's value (beyond
  ``toleransi_jumlah_persen`` and 1 unit of rounding).
- ``revisi``: a value that differs from the one the previous round held for the same item by more than
  ``revisi_persen`` percent, with no note: a revision someone should confirm.

Each warning names the item, the cell it came from and what to check (Bahasa Indonesia).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from satudata.common import fmt
from satudata.reference.settings import QualitySettings

WARNING_COLUMNS = ["putaran", "kode_opd", "kode_elemen", "nama_elemen", "tahun", "nilai", "kode_cek", "pesan",
                   "sumber_file", "sumber_sheet", "sumber_baris", "sumber_kolom"]  # fmt: skip
CHECK_LABELS = {
    "lonjakan": "lonjakan antartahun",
    "nol_mendadak": "nol di tengah deret",
    "semua_strip": "seluruh tahun '-'",
    "nilai_disalin": "nilai sama setiap tahun",
    "jumlah_tidak_cocok": "rincian tidak sama dengan jumlahnya",
    "revisi": "berubah dari putaran sebelumnya",
}


@dataclass
class Series:
    """The current values of every item, sorted by producer, element and year, with numeric helpers."""

    items: pd.DataFrame  # item_terkini rows that hold a value (status ada or nihil)
    value: np.ndarray  # float; nihil counts as 0
    group: np.ndarray  # one id per (kode_opd, kode_elemen)


def _series(item_terkini: pd.DataFrame) -> Series:
    have = item_terkini[item_terkini["status"].astype("object").isin(["ada", "nihil"])].copy()
    have = have.sort_values(["kode_opd", "kode_elemen", "tahun"], kind="stable").reset_index(drop=True)
    value = np.where(have["status"].astype("object") == "nihil", 0.0,
                     pd.to_numeric(have["nilai"], errors="coerce").to_numpy(dtype=float))  # fmt: skip
    keys = have["kode_opd"].astype("object").astype(str) + "\x1f" + have["kode_elemen"].astype("object").astype(str)
    group = pd.factorize(keys)[0] if len(have) else np.zeros(0, dtype=np.int64)
    return Series(have, value, group)


def _records(items: pd.DataFrame, positions: np.ndarray) -> list[dict]:
    """The rows of ``items`` at ``positions`` as dicts, taken at once (a row at a time cost about 0.3 ms each:
    seconds when a region's noisy series give tens of thousands of warnings)."""
    return items.iloc[positions].to_dict("records")


def _warning(round_date: str, row: pd.Series | dict, value: float | None, code: str, message: str) -> dict:
    return {"putaran": round_date, "kode_opd": row["kode_opd"], "kode_elemen": row["kode_elemen"],
            "nama_elemen": row["nama_elemen"], "tahun": int(row["tahun"]), "nilai": value, "kode_cek": code,
            "pesan": message, "sumber_file": row["sumber_file"], "sumber_sheet": row["sumber_sheet"],
            "sumber_baris": row["sumber_baris"], "sumber_kolom": row["sumber_kolom"]}  # fmt: skip


def _where(row: pd.Series | dict) -> str:
    if pd.isna(row["sumber_file"]):
        return ""
    col = f", kolom {row['sumber_kolom']}" if isinstance(row["sumber_kolom"], str) else ""
    return f" (berkas {row['sumber_file']}, lembar kerja '{row['sumber_sheet']}', baris {row['sumber_baris']}{col})"


def _num(value: float) -> str:
    return fmt.angka(float(value), None if float(value).is_integer() else 2)


def jumps(s: Series, q: QualitySettings, round_date: str) -> list[dict]:
    """``lonjakan`` and ``nol_mendadak`` (see the module)."""
    out: list[dict] = []
    if not len(s.value):
        return out
    g, v = s.group, s.value
    same_prev = np.r_[False, g[1:] == g[:-1]]
    same_next = np.r_[g[1:] == g[:-1], False]
    prev = np.r_[np.nan, v[:-1]]
    nxt = np.r_[v[1:], np.nan]
    positive = v > 0
    logv = np.where(positive, np.log(np.where(positive, v, 1.0)), np.nan)
    frame = pd.DataFrame({"g": g, "l": logv})
    median = frame.groupby("g")["l"].transform("median").to_numpy()
    mad = (frame["l"] - median).abs().groupby(frame["g"]).transform("median").to_numpy()
    n_pos = frame.groupby("g")["l"].transform("count").to_numpy()
    scale = np.maximum(1.4826 * np.nan_to_num(mad), 0.1)
    z = np.abs(logv - median) / scale
    ratio_prev = np.where(same_prev & (prev > 0) & positive, v / np.where(prev > 0, prev, 1.0), 1.0)
    ratio_next = np.where(same_next & (nxt > 0) & positive, v / np.where(nxt > 0, nxt, 1.0), 1.0)
    big = lambda r: (r > q.jump_ratio) | (r < 1 / q.jump_ratio)  # noqa: E731
    moved = (np.abs(v - np.nan_to_num(prev)) >= q.min_change) | (np.abs(v - np.nan_to_num(nxt)) >= q.min_change)
    jump = positive & (n_pos >= 3) & (z > q.z_score) & (big(ratio_prev) | big(ratio_next)) & moved
    flagged = np.flatnonzero(jump)
    for i, row in zip(flagged, _records(s.items, flagged), strict=True):
        other = prev[i] if big(ratio_prev[i]) else nxt[i]
        other_year = int(row["tahun"]) - 1 if big(ratio_prev[i]) else int(row["tahun"]) + 1
        factor = v[i] / other
        text = f"{_num(factor)} kali" if factor >= 1 else f"{_num(1 / factor)} kali lebih kecil"
        out.append(_warning(round_date, row, float(v[i]), "lonjakan",
                            f"'{row['nama_elemen']}' tahun {row['tahun']} = {_num(v[i])}{_where(row)}: {text} "
                            f"dari nilai di sekitarnya ({_num(other)}, sekitar tahun {other_year}) dan jauh dari "
                            "deret elemen ini. Periksa salah ketik (mis. angka nol berlebih) atau satuan."))
    zero = (v == 0) & same_prev & same_next & (prev >= q.min_change) & (nxt >= q.min_change)
    flagged = np.flatnonzero(zero)
    for i, row in zip(flagged, _records(s.items, flagged), strict=True):
        out.append(_warning(round_date, row, 0.0, "nol_mendadak",
                            f"'{row['nama_elemen']}' tahun {row['tahun']} bernilai 0 atau '-'{_where(row)}, sedangkan "
                            f"tahun sebelum dan sesudahnya {_num(prev[i])} dan {_num(nxt[i])}. Periksa apakah "
                            "datanya memang nihil atau belum diisi."))
    return out


def flat_series(s: Series, q: QualitySettings, round_date: str) -> list[dict]:
    """``semua_strip`` and ``nilai_disalin``: one warning per series, on its last year."""
    out: list[dict] = []
    if not len(s.value):
        return out
    # the items are sorted by series: each series is one run of rows, from ``start`` to ``last``
    start = np.flatnonzero(np.r_[True, s.group[1:] != s.group[:-1]])
    last = np.r_[start[1:], len(s.value)] - 1
    n = last - start + 1
    lo, hi = np.fmin.reduceat(s.value, start), np.fmax.reduceat(s.value, start)  # NaN left out
    nihil = np.logical_and.reduceat((s.items["status"].astype("object") == "nihil").to_numpy(), start)
    flat = (n >= 3) & (nihil | ((lo == hi) & (lo != 0)))
    for k in np.flatnonzero(flat):  # only the flat series: a round has few
        row = s.items.iloc[int(last[k])]
        if nihil[k]:
            out.append(_warning(round_date, row, 0.0, "semua_strip",
                                f"'{row['nama_elemen']}': seluruh {int(n[k])} tahun diisi '-' (nihil){_where(row)}. "
                                "Periksa apakah memang tidak ada kejadian/objeknya, atau datanya belum tersedia "
                                "(tulis '...' bila belum tersedia)."))
        elif _precise(lo[k], q.copied_digits):
            out.append(_warning(round_date, row, float(lo[k]), "nilai_disalin",
                                f"'{row['nama_elemen']}': {int(n[k])} tahun bernilai sama persis, {_num(lo[k])}"
                                f"{_where(row)}. Periksa apakah baris disalin dari tahun lain."))
    return out


def _precise(value: float, digits: int) -> bool:
    return not float(value).is_integer() or abs(value) >= 10 ** (digits - 1)


def _parent_sums(s: Series, elements: pd.DataFrame) -> pd.DataFrame:
    """Every parent value (element with children in the catalogue, same unit, not a percent) in a year
    where all its children have a value: ``v`` the parent's, ``jumlah`` the children's sum, ``n``."""
    empty = pd.DataFrame(columns=["kode_opd", "kode_elemen", "tahun", "v", "jumlah", "n"])
    if not len(s.value) or "induk" not in elements.columns:
        return empty
    e = elements[["kode_elemen", "induk", "satuan"]].astype("object")
    child = e[e["induk"].notna() & (e["induk"].astype(str) != "nan")]
    unit = dict(zip(e["kode_elemen"], e["satuan"], strict=True))
    child = child[[unit.get(p) == u and u != "%" for p, u in zip(child["induk"], child["satuan"], strict=True)]]
    if child.empty:
        return empty
    n_children = child.groupby("induk").size()
    items = s.items.assign(v=s.value).astype({"kode_opd": "object", "kode_elemen": "object"})
    parts = items.merge(child[["kode_elemen", "induk"]], on="kode_elemen")
    sums = parts.groupby(["kode_opd", "induk", "tahun"]).agg(jumlah=("v", "sum"), n=("v", "size")).reset_index()
    sums = sums[sums["n"].to_numpy() == sums["induk"].map(n_children).to_numpy()]
    return items.merge(sums, left_on=["kode_opd", "kode_elemen", "tahun"], right_on=["kode_opd", "induk", "tahun"])


def totals(merged: pd.DataFrame, q: QualitySettings, round_date: str) -> list[dict]:
    """``jumlah_tidak_cocok`` for catalogue parents whose children all have a value that year (``merged``:
    :func:`_parent_sums`)."""
    tolerance = np.maximum(1.0, merged["v"].abs() * q.total_tolerance / 100)
    return [_warning(round_date, row, float(row["v"]), "jumlah_tidak_cocok",
                     f"'{row['nama_elemen']}' tahun {row['tahun']} = {_num(row['v'])}{_where(row)}, tetapi "
                     f"{int(row['n'])} rinciannya berjumlah {_num(row['jumlah'])}. Periksa jumlah atau rinciannya.")
            for _, row in merged[(merged["v"] - merged["jumlah"]).abs() > tolerance].iterrows()]  # fmt: skip


def _revision_pairs(s: Series, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Items with a value now and in the previous round: ``v`` now, ``lama`` before."""
    key = ["kode_opd", "kode_elemen", "tahun"]
    if previous is None or previous.empty or not len(s.value):
        return pd.DataFrame(columns=[*key, "v", "lama"])
    before = _series(previous)
    old = before.items[key].astype({"kode_opd": "object", "kode_elemen": "object"}).assign(lama=before.value)
    now = s.items.assign(v=s.value).astype({"kode_opd": "object", "kode_elemen": "object"})
    return now.merge(old, on=key)


def revisions(merged: pd.DataFrame, q: QualitySettings, round_date: str) -> list[dict]:
    """``revisi``: the current value differs from the previous round's for the same item (``merged``:
    :func:`_revision_pairs`)."""
    changed = (merged["v"] - merged["lama"]).abs() > np.maximum(merged["lama"].abs() * q.revision_pct / 100, 1e-9)
    return [_warning(round_date, row, float(row["v"]), "revisi",
                     f"'{row['nama_elemen']}' tahun {row['tahun']} kini {_num(row['v'])}{_where(row)}; putaran "
                     f"sebelumnya {_num(row['lama'])}. Pastikan perubahan ini revisi yang disengaja dan catat "
                     "alasannya.")
            for _, row in merged[changed].iterrows()]  # fmt: skip


def consistency_checks(item_terkini: pd.DataFrame, elements: pd.DataFrame,
                       previous: pd.DataFrame | None = None) -> pd.DataFrame:  # fmt: skip
    """Per producer, how many consistency checks were possible: ``cek_jumlah`` (parent values with all
    their children) and ``cek_revisi`` (values also held by the previous round)."""
    s = _series(item_terkini)
    return _consistency(_parent_sums(s, elements), _revision_pairs(s, previous))


def _consistency(sums: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    out = pd.concat([sums.groupby("kode_opd").size().rename("cek_jumlah"),
                     pairs.groupby("kode_opd").size().rename("cek_revisi")], axis=1).fillna(0).astype("int64")
    out.index.name = "kode_opd"
    return out.reset_index()


def check_series(item_terkini: pd.DataFrame, elements: pd.DataFrame, settings_q: QualitySettings, round_date: str,
                 previous: pd.DataFrame | None = None) -> pd.DataFrame:  # fmt: skip
    """Every plausibility warning of a round's current values (columns :data:`WARNING_COLUMNS`)."""
    return round_checks(item_terkini, elements, settings_q, round_date, previous)[0]


def round_checks(item_terkini: pd.DataFrame, elements: pd.DataFrame, settings_q: QualitySettings, round_date: str,
                 previous: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """:func:`check_series` and :func:`consistency_checks` of one round, each series and sum made once."""
    s = _series(item_terkini)
    sums, pairs = _parent_sums(s, elements), _revision_pairs(s, previous)
    found = (jumps(s, settings_q, round_date) + flat_series(s, settings_q, round_date)
             + totals(sums, settings_q, round_date) + revisions(pairs, settings_q, round_date))
    frame = pd.DataFrame(found, columns=WARNING_COLUMNS)
    for col in ("kode_opd", "kode_elemen", "nama_elemen", "sumber_file", "sumber_sheet", "sumber_kolom"):
        frame[col] = frame[col].astype("object")
    frame["sumber_baris"] = frame["sumber_baris"].astype("Int64")
    warnings = frame.sort_values(["kode_opd", "kode_elemen", "tahun", "kode_cek"], kind="stable")
    return warnings.reset_index(drop=True), _consistency(sums, pairs)
