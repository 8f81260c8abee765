"""The round's ``nilai`` table built from what the readers collected, and its duplicates marked.

A run of files (one process's share of a round) becomes one compact, picklable :class:`Part`: the row
fields once per data row, the value fields once per value, as Arrow and numpy columns
(:func:`build_part`). Parts join, in file order, into ``nilai`` (:func:`values_frame`), where
:func:`mark_duplicates` applies the rule "the value read later wins". :func:`float_texts` writes the
numbers of Excel cells as their ``teks_asli``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
import pyarrow as pa

from satudata.reading.ingest_context import (
    CODE_STATUS,
    DETAIL_FIELDS,
    PERINGATAN,
    ROW_FIELDS,
    VALUE_FIELDS,
    IngestContext,
)
from satudata.reading.matching import Match
from satudata.reading.template_layout import cell_text

NILAI_COLUMNS = [
    "putaran", "kode_opd", "kode_elemen", "nama_elemen", "nama_elemen_asli", "satuan_asli", "tahun", "nilai",
    "status", "teks_asli", "dihitung", "metode_cocok", "skor_cocok", "sumber_file", "sumber_sheet",
    "sumber_baris", "sumber_kolom", "dipakai", "rincian", "jenis_rincian", "periode", "total", "label_baris",
    "label_kolom", "judul_tabel",
]  # fmt: skip


@dataclass
class Part:
    """What a run of files gives, compact and picklable: manifest entries, issues, ``nilai`` columns.

    The columns (Arrow string arrays, numpy arrays) are every ``nilai`` column but ``putaran`` and
    ``dipakai``; the parts of consecutive runs of files join into the round's (:func:`values_frame`).
    """

    entries: list[dict]
    issues: list[dict]
    per_row: dict[str, pa.Array | np.ndarray]  # one entry per data row
    per_value: dict[str, pa.Array | np.ndarray]  # one per value; ``row`` points into ``per_row``
    # the row-level fields spread over the values (as in ``nilai``), when already made (see spread_rows)
    spread: dict[str, pa.Array | np.ndarray] | None = None


def spread_rows(part: Part) -> Part:
    """The part with its row-level fields spread over its values (what :func:`values_frame` needs)."""
    idx = part.per_value["row"]
    take = pa.array(idx, type=pa.int64())
    part.spread = {
        name: column[idx] if isinstance(column, np.ndarray) else column.take(take)
        for name, column in part.per_row.items()
    }
    return part


def values_frame(round_date: str, parts: list[Part]) -> pd.DataFrame:
    """The ``nilai`` table of consecutive parts: row-level fields are spread over the values of each row.

    Text columns are Arrow arrays in one chunk per part (not copied into one).
    """
    spread = [p.spread if p.spread is not None else spread_rows(p).spread for p in parts]
    n = sum(len(p.per_value["row"]) for p in parts)
    data: dict[str, object] = {}
    for name in chain(parts[0].per_row, parts[0].per_value):
        if name == "row":
            continue
        chunks = [s[name] for s in spread] if name in parts[0].per_row else [p.per_value[name] for p in parts]
        if isinstance(chunks[0], np.ndarray):
            data[name] = np.concatenate(chunks) if len(chunks) > 1 else chunks[0]
        else:
            data[name] = pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=pa.string()))
    years = data["tahun"]
    data["tahun"] = pd.arrays.IntegerArray(years, years == 0)  # 0: the table tells no year
    data["putaran"] = pd.arrays.ArrowStringArray(pa.repeat(round_date, n))
    data["dipakai"] = np.ones(n, dtype=bool)
    return pd.DataFrame(data, columns=NILAI_COLUMNS, copy=False)


def build_part(files: list[tuple[dict, IngestContext]]) -> Part:
    """The part of consecutive files (each a manifest entry and the context its rows went to): row-level fields
    once per data row.

    Built once per run of files, so that the arrays are made in a few large steps, not per file.
    """
    rows: dict[str, list] = {name: [] for name in ROW_FIELDS}
    vals: dict[str, list] = {name: [] for name in VALUE_FIELDS}
    letters: dict[str, int] = {}
    issues: list[dict] = []
    details: dict[int, tuple] = {}
    for _, run in files:
        base = len(rows["sumber_baris"])
        details.update((base + k, v) for k, v in run.details.items())
        for name in ROW_FIELDS:
            rows[name].extend(run.rows[name])
        for name in ("tahun", "nilai", "status", "is_text", "texts", "numbers"):
            vals[name].extend(run.vals[name])
        vals["row"].extend(chunk + base for chunk in run.vals["row"])
        ids = np.asarray([letters.setdefault(letter, len(letters)) for letter in run.letter_ids] or [0])
        vals["sumber_kolom"].extend(ids[chunk] for chunk in run.vals["sumber_kolom"])
        issues.extend(run.issues)

    def chunks(name: str, dtype: object) -> np.ndarray:
        parts = vals[name]
        return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)

    def text(values: list) -> pa.Array:
        return pa.array(values, type=pa.string(), from_pandas=False)

    # the fields of the matches, column by column: kode_elemen, nama_elemen, kode_opd_pemilik, metode, skor, ...
    fields = list(zip(*rows["match"], strict=True)) or [()] * len(Match._fields)
    per_row = {
        "kode_opd": text(rows["kode_opd"]),
        "kode_elemen": text(fields[0]),
        "nama_elemen": text(fields[1]),
        "nama_elemen_asli": text(rows["nama_elemen_asli"]),
        "satuan_asli": text(rows["satuan_asli"]),
        "dihitung": np.asarray(fields[5], dtype=bool),
        "metode_cocok": text(fields[3]),
        "skor_cocok": pa.array(fields[4], pa.float64()).to_numpy(zero_copy_only=False),
        "sumber_file": text(rows["sumber_file"]),
        "sumber_sheet": text(rows["sumber_sheet"]),
        "sumber_baris": np.asarray(rows["sumber_baris"], dtype=np.int64),
    }
    per_row.update(_detail_columns(details, rows["nama_elemen_asli"]))
    per_value = {
        "row": chunks("row", np.int64),
        "tahun": chunks("tahun", np.int64),
        "nilai": chunks("nilai", np.float64),
        "status": pa.array(CODE_STATUS.tolist(), pa.string()).take(chunks("status", np.int8)),
        "teks_asli": _interleave_texts(
            chunks("is_text", bool), list(chain.from_iterable(vals["texts"])), chunks("numbers", np.float64)
        ),
        "sumber_kolom": pa.array(list(letters), pa.string()).take(chunks("sumber_kolom", np.int64)),
    }
    return Part([entry for entry, _ in files], issues, per_row, per_value)


def _detail_columns(details: dict[int, tuple], labels: list) -> dict[str, pa.Array | np.ndarray]:
    """The ``DETAIL_FIELDS`` columns of a part's rows: from ``details`` where a row has them, else empty
    (``label_baris`` is then the element's name as written, ``total`` False)."""
    n = len(labels)
    out: dict[str, pa.Array | np.ndarray] = {}
    for k, name in enumerate(DETAIL_FIELDS):
        if name == "total":
            flags = np.zeros(n, dtype=bool)
            for i, d in details.items():
                flags[i] = bool(d[k])
            out[name] = flags
            continue
        column = list(labels) if name == "label_baris" else [None] * n
        for i, d in details.items():
            column[i] = d[k]
        out[name] = pa.array(column, type=pa.string(), from_pandas=False)
    return out


# Arrow writes these floats exactly as Python does: whole numbers (through int64) below 1e15 as
# str(int(x)), other numbers of magnitude 1e-4 to 1e9 as repr(x); the rest go through Python
_WHOLE_MAX, _FRACTION_MIN, _FRACTION_MAX = 1e15, 1e-4, 1e9


def float_texts(floats: np.ndarray) -> list[str]:
    """``str(int(x))`` for whole floats and ``repr(x)`` for the others (as written in a cell), in bulk."""
    return _float_text_array(np.asarray(floats, dtype=np.float64)).to_pylist()


def _float_text_array(floats: np.ndarray) -> pa.Array:
    """:func:`float_texts` as an Arrow string array, without a Python string per value."""
    size = np.abs(floats)
    whole = floats == np.floor(floats)
    ints = whole & (size < _WHOLE_MAX)
    fractions = ~whole & (size >= _FRACTION_MIN) & (size < _FRACTION_MAX)
    rest = ~(ints | fractions)
    chunks, groups = [], []
    for group, texts in (
        (ints, lambda x: pa.array(x.astype(np.int64)).cast(pa.string())),
        (fractions, lambda x: pa.array(x).cast(pa.string())),
        (rest, lambda x: pa.array([str(int(v)) if v.is_integer() else cell_text(v) for v in x.tolist()], pa.string())),
    ):  # fmt: skip
        if group.any():
            chunks.append(texts(floats[group]))
            groups.append(group)
    if len(chunks) == 1:
        return chunks[0]
    if not chunks:
        return pa.array([], pa.string())
    return pa.concat_arrays(chunks).take(pa.array(_interleave(groups)))


def _interleave_texts(is_text: np.ndarray, texts: list[str], numbers: np.ndarray) -> pa.Array:
    """The texts as written of values that are ``texts`` where ``is_text`` and ``numbers`` elsewhere, in order."""
    if not len(numbers):
        return pa.array(texts, pa.string())
    number_texts = _float_text_array(numbers)
    if not texts:
        return number_texts
    return pa.concat_arrays([number_texts, pa.array(texts, pa.string())]).take(
        pa.array(_interleave([~is_text, is_text]))
    )


def _interleave(groups: list[np.ndarray]) -> np.ndarray:
    """For masks that split positions into groups: the position of each item in the groups laid end to end."""
    order = np.empty(len(groups[0]), dtype=np.int64)
    start = 0
    for group in groups:
        n = int(group.sum())
        order[group] = np.arange(start, start + n)
        start += n
    return order


def mark_duplicates(ctx: IngestContext, nilai: pd.DataFrame) -> None:
    """The value read later wins; the earlier ones get ``dipakai`` False; differing values: issue."""
    keys = ["kode_opd", "kode_elemen", "tahun"]
    known = nilai["kode_opd"].notna() & nilai["kode_elemen"].notna() & nilai["tahun"].notna()
    dup = known & nilai.duplicated(keys, keep=False)
    if not dup.any():
        return
    losers = known & nilai.duplicated(keys, keep="last")
    nilai.loc[losers, "dipakai"] = False
    sub = nilai.loc[dup]
    for _, group in sub.groupby(keys, sort=False):
        winner = group.iloc[-1]
        for _, row in group.iloc[:-1].iterrows():
            same = (row["status"] == winner["status"]) and (
                (pd.isna(row["nilai"]) and pd.isna(winner["nilai"])) or row["nilai"] == winner["nilai"]
            )
            if same:
                continue
            ctx.issue(
                row["sumber_file"], row["sumber_sheet"], int(row["sumber_baris"]), row["sumber_kolom"],
                row["kode_opd"], PERINGATAN, "duplikat",
                f"Elemen '{row['nama_elemen']}' tahun {row['tahun']} diisi dua kali dengan nilai berbeda: "
                f"'{row['teks_asli']}' di sini dan '{winner['teks_asli']}' di berkas {winner['sumber_file']}, "
                f"sheet {winner['sumber_sheet']}, baris {winner['sumber_baris']}, kolom {winner['sumber_kolom']}. "
                "Aturan: nilai yang dibaca terakhir (urutan nama berkas, lalu lembar kerja, lalu baris) yang dipakai. "
                "Hapus salah satu agar tidak ganda.",
            )  # fmt: skip
