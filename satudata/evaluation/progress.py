"""Cumulative progress per OPD, urusan and kind of producer, with zones and what is missing.

The rules (DESIGN.md), as implemented here:

- An item is one element x one year owed (only catalogue rows with ``dihitung``).
- A value counts for an item when its row has ``dihitung`` True, a ``kode_elemen`` of a counted
  element, the same ``kode_opd`` as the catalogue row and a year owed; anything else (extra data,
  years not owed, elements of levels not owed) is ignored for progress.
- An item is fulfilled when a valid value exists in any round up to and including the round.
  Valid means status ``ada`` or ``nihil`` (``-``, value 0). ``tidak_tersedia`` (``...``),
  ``rahasia`` (``x``, confidential) and missing cells do not fulfil: a confidential figure is
  not a figure handed in for Satu Data, so ``x`` does not count.
- The current value of an item is the latest valid one: latest round first, then, within a
  round, a row marked ``dipakai`` (all rows count as used when the column is absent), then the
  last row. An item never valid shows its latest status (e.g. ``tidak_tersedia``).
  ``item_terkini`` keeps, per item, the current value, its round and source, and how many
  values were seen in all rounds (``jumlah_nilai``; every status counts). When the values carry a
  ``sumber`` column (``[sumber]`` configured, :mod:`satudata.sources.collect`) ``item_terkini`` has
  ``sumber`` too: the source that gave the current value (an item is fulfilled from any source).
- percent = 100 x fulfilled / owed, unrounded; an OPD owing nothing has no percent and no zone
  and is left out of means and zone counts. Overall: the mean of OPD percents
  (``rata_rata_persen``) and the pooled items (``persen_gabungan``). Per kind of producer
  (``progres_jenis``) the zone is that of the pooled percent.

Tables (added columns beyond docs/architecture.md are marked +):

- ``progres_opd``: every producer of the register, sorted by persen (desc, missing last) then nama_opd.
- ``progres_urusan``: ``putaran, kode_urusan, nama_urusan, jumlah_opd+, wajib, terpenuhi, persen, zona+``.
- ``progres_jenis``: ``putaran, jenis, jumlah_opd`` (with a percent), ``jumlah_tanpa_wajib, wajib,
  terpenuhi, persen`` (pooled), ``rata_rata_persen`` (mean of OPD percents), ``zona``.
- ``kekurangan``: the contract columns + ``status_terakhir`` (latest status seen, null if none).
- ``item_terkini``: every item owed: catalogue columns, ``tahun, terpenuhi, putaran_nilai, nilai,
  status, sumber_file, sumber_sheet, sumber_baris, sumber_kolom, jumlah_nilai``.
  Repeated text in ``kekurangan`` and ``item_terkini`` is categorical (millions of rows at
  province scale); compare with ``==`` as with text.

The core works on integer keys (element position x year) and numpy, so a province of 7.9
million items runs in seconds (see ``benchmarks/bench_progress.py``).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from satudata.common import safe_text
from satudata.evaluation.zones import zone_counts, zone_direction, zone_series
from satudata.reference.catalogue import Catalogue, expand_years
from satudata.reference.register import Register
from satudata.reference.settings import OutputSettings, Settings

STATUSES = ("ada", "nihil", "tidak_tersedia", "rahasia")
VALID_STATUSES = ("ada", "nihil")
OPD_COLUMNS = [
    "putaran", "kode_opd", "nama_opd", "singkatan", "jenis", "wajib", "terpenuhi", "persen", "zona",
    "persen_sebelumnya", "selisih", "zona_sebelumnya", "arah_zona",
]  # fmt: skip
SHORTAGE_COLUMNS = [
    "putaran", "kode_opd", "nama_opd", "kode_elemen", "nama_elemen", "satuan", "kode_urusan",
    "nama_urusan", "tahun", "status_terakhir",
]  # fmt: skip
ELEMENT_FIELDS = ["kode_elemen", "nama_elemen", "satuan", "kode_urusan", "nama_urusan", "kode_opd", "tahun_wajib"]
# the columns of nilai.parquet that compute_progress reads (a caller may load only these)
NILAI_COLUMNS = ["kode_opd", "kode_elemen", "tahun", "nilai", "status", "dihitung", "dipakai", "sumber_file",
                 "sumber_sheet", "sumber_baris", "sumber_kolom"]
SOURCE_COLUMNS = ["nilai", "status", "sumber_file", "sumber_sheet", "sumber_baris", "sumber_kolom"]
# what deciding every item's current value reads from every round (the source columns are read afterwards, only
# for the winning rows)
KEY_COLUMNS = ["kode_opd", "kode_elemen", "tahun", "status", "dihitung", "dipakai"]


class StoredValues(Protocol):
    """A round's values kept in a file and read when needed (:class:`satudata.run.pipeline.RoundValues`):
    ``columns`` names what the file holds, calling it reads the columns asked for that it holds."""

    columns: list[str]

    def __call__(self, columns: list[str]) -> pd.DataFrame: ...


Values = pd.DataFrame | StoredValues


def _read(values: Values | None, columns: list[str]) -> pd.DataFrame | None:
    """``values`` as a frame: a stored round read now, only ``columns`` (a frame in memory as it is)."""
    if values is None or isinstance(values, pd.DataFrame):
        return values
    return values(columns)


@dataclass
class ProgressResult:
    """Everything the progress stage produces for one round."""

    progres_opd: pd.DataFrame
    progres_urusan: pd.DataFrame
    progres_jenis: pd.DataFrame
    kekurangan: pd.DataFrame
    item_terkini: pd.DataFrame
    ringkasan: dict = field(default_factory=dict)


@dataclass
class ItemState:
    """The vectorised state of every item owed (arrays aligned on item position)."""

    elements: pd.DataFrame  # counted elements, position = element id
    item_element: np.ndarray  # element id of each item
    item_year: np.ndarray
    fulfilled: np.ndarray  # bool
    seen: np.ndarray  # values seen per item (any status)
    winner_frame: np.ndarray  # index into rounds of the current value, -1 none
    winner_row: np.ndarray  # row in that round's frame, -1 none


def item_keys(elements: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """Items of counted elements: element id, year and sorted integer key per item, year base and span.

    key = element id x span + (year - base), so keys follow the catalogue order and sort
    without sorting (years inside an element are sorted).
    """
    item_element, item_year = expand_years(elements["tahun_wajib"])
    base = int(item_year.min()) if len(item_year) else 0
    span = int(item_year.max()) - base + 1 if len(item_year) else 1
    keys = item_element * span + (item_year - base)
    return item_element, item_year, keys, base, span


def _arrow_text(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A column as arrow text (no Python objects for pandas ``str`` columns)."""
    return pa.array(values.astype("str").array)


def _codes(values: pd.Series, categories: pa.Array) -> np.ndarray:
    """Position of each value in ``categories`` (-1 when absent or null), hashed by arrow."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        mapping = _codes(pd.Series(values.cat.categories), categories)
        codes = values.cat.codes.to_numpy()
        return np.where(codes >= 0, mapping[codes] if len(mapping) else -1, -1)
    text = _arrow_text(values)
    found = pc.index_in(text, value_set=categories.cast(text.type))
    return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype="int64")


def _bool_column(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.ones(len(frame), dtype=bool)
    return frame[column].fillna(False).to_numpy(dtype=bool)


RANK_BITS = 12  # valid (1 bit), round number (10 bits), dipakai (1 bit)


def _winners(parts: list[np.ndarray], n_items: int, row_bits: int) -> tuple[np.ndarray, ...]:
    """The current value of every item: per item the value with the highest rank, the last row on ties.

    ``parts``: per round one sort key per value, ``item position | rank | row`` (:func:`progress_core`), so one
    sort in place orders every value by item, then rank, then row, without an array of positions beside it
    (at national scale the sort keys are most of the memory). Emptied here.
    """
    winner_frame = np.full(n_items, -1, dtype="int32")
    winner_row = np.full(n_items, -1, dtype="int32")
    fulfilled = np.zeros(n_items, dtype=bool)
    counts = np.zeros(n_items, dtype="int64")
    key = np.concatenate(parts) if parts else np.empty(0, dtype="int64")
    parts.clear()
    if not len(key):  # no round holds a value of an item owed
        return winner_frame, winner_row, fulfilled, counts
    key.sort()  # in place; keys are unique (a round and a row name one value)
    pos = key >> (RANK_BITS + row_bits)
    last = np.flatnonzero(np.r_[pos[1:] != pos[:-1], True])
    items = pos[last]
    del pos
    win = key[last]
    del key
    winner_row[items] = win & ((1 << row_bits) - 1)
    winner_frame[items] = (win >> (row_bits + 1)) & 1023
    fulfilled[items] = (win >> (row_bits + RANK_BITS - 1)) & 1 > 0
    counts[items] = np.diff(np.r_[-1, last])  # values per item, items in ascending order
    return winner_frame, winner_row, fulfilled, counts


def progress_core(elements: pd.DataFrame, frames: list[Values]) -> ItemState:
    """Fulfilment and current value of every item from the values of every round, oldest round first.

    ``elements`` are the catalogue elements (only those with ``dihitung`` are used). A round kept in a file is
    read here one at a time and only its :data:`KEY_COLUMNS` (national scale: 12.9 M values in five rounds are
    never all in memory). This is the vectorised heart of :func:`compute_progress`.
    """
    if len(frames) >= 1024:
        raise ValueError("Terlalu banyak putaran (lebih dari 1023) untuk dihitung sekaligus.")
    wanted = [c for c in ELEMENT_FIELDS if c in elements.columns]
    mask = elements["dihitung"].fillna(False).to_numpy(dtype=bool)
    counted = (elements[wanted] if mask.all() else elements.loc[mask, wanted]).reset_index(drop=True)
    item_element, item_year, keys, base, span = item_keys(counted)
    element_codes = _arrow_text(counted["kode_elemen"])
    opd_codes = pc.unique(_arrow_text(counted["kode_opd"]))
    element_opd = _codes(counted["kode_opd"], opd_codes)
    statuses = pa.array(STATUSES)
    row_bits = 63 - RANK_BITS - len(keys).bit_length()  # the sort key: item position | rank | row
    parts = []
    for number, values in enumerate(frames):
        frame = _read(values, KEY_COLUMNS) if len(keys) else None
        if frame is None or len(frame) == 0:
            continue
        if len(frame) >= 1 << row_bits:
            raise ValueError(f"Terlalu banyak nilai dalam satu putaran ({len(frame):,}) untuk katalog sebesar ini "
                             f"({len(keys):,} butir): bagi putaran itu.")  # fmt: skip
        elem = _codes(frame["kode_elemen"], element_codes)
        opd = _codes(frame["kode_opd"], opd_codes)
        year = pd.to_numeric(frame["tahun"], errors="coerce").fillna(-1).to_numpy(dtype="int64")
        ok = (elem >= 0) & _bool_column(frame, "dihitung") & (year >= base) & (year < base + span)
        ok &= opd == np.where(elem >= 0, element_opd[elem], -2)
        rows = np.flatnonzero(ok)
        key = elem[rows] * span + (year[rows] - base)
        pos = np.searchsorted(keys, key)
        hit = (pos < len(keys)) & (keys[np.minimum(pos, len(keys) - 1)] == key)
        rows, pos = rows[hit], pos[hit]
        status = _codes(frame["status"], statuses)[rows]
        valid = (status == 0) | (status == 1)
        used = _bool_column(frame, "dipakai")[rows]
        # rank inside an item: valid first, then the later round, then dipakai; then the later row
        rank = (valid.astype("int64") << (RANK_BITS - 1)) | (number << 1) | used
        parts.append((pos.astype("int64") << (RANK_BITS + row_bits)) | (rank << row_bits) | rows)
        del frame, elem, opd, year, ok, pos, rank
    winner_frame, winner_row, fulfilled, seen = _winners(parts, len(keys), row_bits)
    return ItemState(counted, item_element, item_year, fulfilled, seen, winner_frame, winner_row)



def _percent(done: np.ndarray, owed: np.ndarray) -> np.ndarray:
    """100 x done / owed (multiplied first, so exact boundaries stay exact); NaN when owed is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(owed > 0, 100.0 * done / np.where(owed > 0, owed, 1), np.nan)


def _by_item(state: ItemState, column: str) -> pd.Categorical:
    """An element-level column repeated for each item, as a categorical (cheap at scale)."""
    codes, uniques = pd.factorize(state.elements[column].astype("str"), use_na_sentinel=True)
    return pd.Categorical.from_codes(codes[state.item_element], categories=pd.Index(uniques, dtype="str"))


def _opd_table(round_date, state, register, settings, previous) -> pd.DataFrame:
    reg = register.frame
    element_opd = _codes(state.elements["kode_opd"], _arrow_text(reg["kode_opd"]))
    item_opd = element_opd[state.item_element]
    if (element_opd < 0).any():
        unknown = sorted(set(state.elements["kode_opd"]) - set(reg["kode_opd"]))
        raise ValueError(f"OPD {', '.join(unknown)} ada di katalog tetapi tidak ada di daftar OPD. "
                         "Tambahkan ke daftar OPD atau perbaiki katalog.")
    owed = np.bincount(item_opd, minlength=len(reg))
    done = np.bincount(item_opd[state.fulfilled], minlength=len(reg))
    out = pd.DataFrame({
        "putaran": round_date, "kode_opd": reg["kode_opd"].astype("str"), "nama_opd": reg["nama_opd"],
        "singkatan": reg["singkatan"], "jenis": reg["jenis"], "wajib": owed.astype("int64"),
        "terpenuhi": done.astype("int64"), "persen": _percent(done, owed),
    })
    out["zona"] = zone_series(out["persen"], settings.zones)
    if previous is not None and len(previous):
        prev = previous.drop_duplicates("kode_opd", keep="last").set_index("kode_opd")
        out["persen_sebelumnya"] = out["kode_opd"].map(prev["persen"]).astype("float64")
        out["zona_sebelumnya"] = out["kode_opd"].map(prev["zona"]).astype(pd.StringDtype(na_value=np.nan))
    else:
        out["persen_sebelumnya"] = np.nan
        out["zona_sebelumnya"] = pd.Series(np.nan, index=out.index, dtype=pd.StringDtype(na_value=np.nan))
    out["selisih"] = out["persen"] - out["persen_sebelumnya"]
    out["arah_zona"] = zone_direction(out["zona_sebelumnya"], out["zona"])
    out = out.sort_values(["persen", "nama_opd"], ascending=[False, True], na_position="last", kind="stable")
    return out[OPD_COLUMNS].reset_index(drop=True)


def _group_table(round_date, keys: pd.Series, state, settings, names: pd.Series | None = None) -> pd.DataFrame:
    codes, uniques = pd.factorize(keys.astype("str"))
    item_group = codes[state.item_element]
    owed = np.bincount(item_group, minlength=len(uniques))
    done = np.bincount(item_group[state.fulfilled], minlength=len(uniques))
    opd_codes = pd.factorize(state.elements["kode_opd"])[0]
    pairs = pd.DataFrame({"g": codes, "o": opd_codes}).drop_duplicates()
    n_opd = np.bincount(pairs["g"].to_numpy(), minlength=len(uniques))
    out = pd.DataFrame({"putaran": round_date, "key": pd.Index(uniques).astype("str"),
                        "jumlah_opd": n_opd.astype("int64"), "wajib": owed.astype("int64"),
                        "terpenuhi": done.astype("int64"), "persen": _percent(done, owed)})
    if names is not None:
        first = pd.Series(names.to_numpy(), index=keys.astype("str").to_numpy())
        out.insert(2, "name", out["key"].map(first[~first.index.duplicated()]))
    out["zona"] = zone_series(out["persen"], settings.zones)
    return out


def _urusan_table(round_date, state, settings) -> pd.DataFrame:
    out = _group_table(round_date, state.elements["kode_urusan"], state, settings, state.elements["nama_urusan"])
    out = out.rename(columns={"key": "kode_urusan", "name": "nama_urusan"})
    return out.sort_values(["persen", "nama_urusan"], ascending=[False, True], kind="stable").reset_index(
        drop=True)


def _jenis_table(round_date, opd: pd.DataFrame, settings) -> pd.DataFrame:
    rows = []
    for jenis, group in opd.groupby("jenis", sort=True, dropna=False):
        with_percent = group["persen"].dropna()
        owed, done = int(group["wajib"].sum()), int(group["terpenuhi"].sum())
        rows.append({"putaran": round_date, "jenis": str(jenis), "jumlah_opd": int(len(with_percent)),
                     "jumlah_tanpa_wajib": int(len(group) - len(with_percent)), "wajib": owed,
                     "terpenuhi": done, "persen": float(_percent(np.array(done), np.array(owed))),
                     "rata_rata_persen": float(with_percent.mean()) if len(with_percent) else math.nan})
    out = pd.DataFrame(rows, columns=["putaran", "jenis", "jumlah_opd", "jumlah_tanpa_wajib", "wajib",
                                      "terpenuhi", "persen", "rata_rata_persen"])
    out["zona"] = zone_series(out["persen"], settings.zones)
    return out.sort_values(["persen", "jenis"], ascending=[False, True], na_position="last",
                           kind="stable").reset_index(drop=True)


def _item_frame(round_date, state, register) -> pd.DataFrame:
    """Catalogue columns of every item (categoricals for repeated text)."""
    out = pd.DataFrame({"putaran": pd.Categorical.from_codes(np.zeros(len(state.item_year), "int8"),
                                                             [round_date])})
    names = register.frame.drop_duplicates("kode_opd").set_index("kode_opd")["nama_opd"]
    for column in ("kode_opd", "nama_opd", "kode_elemen", "nama_elemen", "satuan", "kode_urusan", "nama_urusan"):
        if column == "nama_opd":
            out[column] = out["kode_opd"].map(names)
        else:
            out[column] = _by_item(state, column)
    out["tahun"] = state.item_year
    return out


def _sources(frames: list[Values], state: ItemState, columns: list[str] = SOURCE_COLUMNS
             ) -> dict[str, pd.Series]:  # fmt: skip
    """Current value, status and source of every item, gathered from the winning rows one round at a time (a
    round kept in a file read here, its ``columns`` only). Text comes back as categories: a few distinct file
    names, sheets, columns and statuses over millions of items."""
    wf, wr = state.winner_frame, state.winner_row
    n = len(wf)
    numbers = {c: np.full(n, np.nan) for c in columns if c in ("nilai", "sumber_baris")}
    texts = {c: (np.full(n, -1, dtype="int32"), {}) for c in columns if c not in numbers}
    for number, values in enumerate(frames):
        pick = np.flatnonzero(wf == number)
        if not len(pick):
            continue
        frame = _read(values, columns)
        rows = wr[pick]
        for column, found in numbers.items():
            if column in frame.columns:
                found[pick] = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype="float64",
                                                                                     na_value=np.nan)[rows]  # fmt: skip
        for column, (codes, categories) in texts.items():
            if column in frame.columns:
                codes[pick] = _category_codes(frame[column], rows, categories)
        del frame
    out = {c: pd.Series(v) if c == "nilai" else pd.Series(v).astype("Int64") for c, v in numbers.items()}
    for column, (codes, categories) in texts.items():
        out[column] = pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(list(categories), dtype="str")))
    return {c: out[c] for c in columns}


def _category_codes(values: pd.Series, rows: np.ndarray, categories: dict[str, int]) -> np.ndarray:
    """The text of ``values`` at ``rows`` as codes into ``categories`` (text -> code, extended with the texts
    met here); -1 for a missing text."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        local, names = values.cat.codes.to_numpy()[rows], values.cat.categories
    else:
        local, names = pd.factorize(values.to_numpy()[rows], use_na_sentinel=True)
    used = np.unique(local[local >= 0])
    mapping = np.full(len(names), -1, dtype="int32")
    for i in used:
        mapping[i] = categories.setdefault(str(names[i]), len(categories))
    return np.where(local >= 0, mapping[np.maximum(local, 0)], -1) if len(mapping) else np.full(len(rows), -1)


def compute_progress(
    round_date: str,
    nilai_by_round: dict[str, Values],
    catalogue: Catalogue,
    register: Register,
    settings: Settings,
    previous: pd.DataFrame | None = None,
) -> ProgressResult:
    """Progress of one round from every round's values up to it (see the module docstring): frames, or rounds
    kept in files and read when needed (:class:`StoredValues`)."""
    rounds = sorted(r for r in nilai_by_round if str(r) <= str(round_date))
    frames = [nilai_by_round[r] for r in rounds]
    state = progress_core(catalogue.elements, frames)
    opd = _opd_table(round_date, state, register, settings, previous)
    urusan = _urusan_table(round_date, state, settings)
    jenis = _jenis_table(round_date, opd, settings)

    terkini = _item_frame(round_date, state, register)
    terkini["terpenuhi"] = state.fulfilled
    # with [sumber]: ``sumber`` names the source of each current value (rounds read before it: the folder's)
    named = any(f is not None and "sumber" in f.columns for f in frames)
    src = _sources(frames, state, SOURCE_COLUMNS + ["sumber"] if named else SOURCE_COLUMNS)
    terkini["putaran_nilai"] = pd.Categorical.from_codes(state.winner_frame, categories=rounds)
    for column in SOURCE_COLUMNS:
        terkini[column] = src[column].array
    if named:
        from satudata.sources.collect import folder_name

        sumber = src["sumber"].astype("object")
        sumber[(state.winner_frame >= 0) & sumber.isna().to_numpy()] = folder_name(settings)
        terkini["sumber"] = pd.Categorical(sumber)
    terkini["jumlah_nilai"] = state.seen

    missing = np.flatnonzero(~state.fulfilled)
    wanted = [c if c != "status_terakhir" else "status" for c in SHORTAGE_COLUMNS]
    kekurangan = terkini[wanted].iloc[missing].reset_index(drop=True)
    kekurangan = kekurangan.rename(columns={"status": "status_terakhir"})
    return ProgressResult(opd, urusan, jenis, kekurangan, terkini, summary(round_date, opd, previous))


def _num(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def summary(round_date: str, opd: pd.DataFrame, previous: pd.DataFrame | None) -> dict:
    """``ringkasan.json``: counts, means, pooled percent, zones and change since the previous round."""
    with_percent = opd["persen"].dropna()
    owed, done = int(opd["wajib"].sum()), int(opd["terpenuhi"].sum())
    mean = float(with_percent.mean()) if len(with_percent) else math.nan
    prev_mean, prev_round = math.nan, None
    if previous is not None and len(previous):
        prev_mean = float(previous["persen"].dropna().mean()) if previous["persen"].notna().any() else math.nan
        prev_round = str(previous["putaran"].iloc[0])
    return {
        "putaran": str(round_date),
        "jumlah_produsen": int(len(with_percent)),
        "jumlah_tanpa_wajib": int(opd["persen"].isna().sum()),
        "rata_rata_persen": _num(mean),
        "persen_gabungan": _num(float(_percent(np.array(done), np.array(owed)))),
        "wajib": owed,
        "terpenuhi": done,
        "jumlah_zona": zone_counts(opd["zona"]),
        "putaran_sebelumnya": prev_round,
        "rata_rata_sebelumnya": _num(prev_mean),
        "selisih_rata_rata": _num(mean - prev_mean),
        "naik_zona": int((opd["arah_zona"] == "naik").sum()),
        "turun_zona": int((opd["arah_zona"] == "turun").sum()),
    }


def _replace(path: Path, write) -> None:
    """Write through a temporary file then rename, so a failed run leaves no half file."""
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def write_progress(result: ProgressResult, out_dir: Path, history_path: Path, output: OutputSettings | None = None
                   ) -> None:  # fmt: skip
    """Write the round's progress files and upsert its rows into the history of rounds (``output``: the
    CSV dialect of the settings)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {"progres_opd": result.progres_opd, "progres_urusan": result.progres_urusan,
              "progres_jenis": result.progres_jenis, "kekurangan": result.kekurangan,
              "item_terkini": result.item_terkini}
    for name, table in tables.items():
        _replace(out_dir / f"{name}.parquet", lambda p, t=table: t.to_parquet(p, index=False))
    _replace(out_dir / "progres_opd.csv",
             lambda p: safe_text.to_csv(result.progres_opd, p, output, index=False, encoding="utf-8-sig"))
    text = json.dumps(result.ringkasan, ensure_ascii=False, indent=2)
    _replace(out_dir / "ringkasan.json", lambda p: p.write_text(text + "\n", encoding="utf-8"))
    upsert_history(result.progres_opd, Path(history_path))


def upsert_history(progres_opd: pd.DataFrame, history_path: Path) -> pd.DataFrame:
    """Replace this round's rows in the history (or add them); rows sorted by putaran."""
    history_path.parent.mkdir(parents=True, exist_ok=True)
    rounds = set(progres_opd["putaran"].astype("str"))
    if history_path.exists():
        old = pd.read_parquet(history_path)
        old = old[~old["putaran"].astype("str").isin(rounds)]
        history = pd.concat([old, progres_opd], ignore_index=True) if len(old) else progres_opd.copy()
    else:
        history = progres_opd.copy()
    history = history.sort_values("putaran", kind="stable").reset_index(drop=True)
    _replace(history_path, lambda p: history.to_parquet(p, index=False))
    return history
