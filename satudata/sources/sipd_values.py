"""A SIPD file of a source (a DSSD export, an e-Walidata JSON) turned into the round's ``nilai`` rows and issues.

:func:`read_sipd_file` is what the guarded reading worker runs for each file of a ``dssd`` or ``ewalidata`` source
(:func:`satudata.sources.source_files.read_files`): it reads the file, matches its elements to the catalogue and
builds the rows, so the whole cost of a big file (its records as Python objects, the export's frame, the matching)
is paid under the worker's memory cap and time limit, and only the rows the round keeps travel back. Before, the
worker gave back the export and this process built the rows, one dict per value: a 400 MiB e-Walidata JSON read
with raised limits took 4.2 GiB in the main process, outside the cap.

Every element is matched once (by code, else by name; the producer is the element's owner in the catalogue), not
once per value; the rows are built column by column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from satudata.formats.read_limits import ReadLimits
from satudata.reading.dssd import STATUS_KOSONG, DssdExport
from satudata.reading.matching import ElementIndex
from satudata.sources.source_files import LEVEL_PERINGATAN, issue


@dataclass
class SourceValues:
    """What one file of a SIPD source gives the round: its ``nilai`` rows (with ``sumber``) and its issues."""

    nilai: pd.DataFrame
    issues: list[dict] = field(default_factory=list)


def export_values(export: DssdExport, index: ElementIndex, round_date: str, source: str, file: str
                  ) -> tuple[pd.DataFrame, list[str]]:  # fmt: skip
    """A DSSD export or e-Walidata file as ``nilai`` rows of the source (empty cells left out), and the codes
    of the elements the catalogue does not know, in file order."""
    from satudata.reading.value_frame import NILAI_COLUMNS

    v = export.values[export.values["status"] != STATUS_KOSONG]
    keys = ["kode_dssd", "uraian_dssd"]
    element = v.groupby(keys, sort=False).ngroup().to_numpy() if len(v) else np.zeros(0, dtype="int64")
    matched, unknown = [], {}  # a dict in file order: a list's `in` made a dump of 80,000 unknown codes quadratic
    for code, name in v.drop_duplicates(keys)[keys].itertuples(index=False):  # the order of ngroup(sort=False)
        first = index.match(None, name, code)
        owner = first.kode_opd_pemilik
        m = index.match(owner, name, code) if owner else first
        if m.kode_elemen is None:
            unknown.setdefault(code or name, None)
        matched.append((owner, m.kode_elemen, m.nama_elemen, bool(m.dihitung), m.metode, m.skor))

    def per_value(j: int) -> np.ndarray:
        column = np.empty(len(matched), dtype=object)
        column[:] = [m[j] for m in matched]
        return column[element]

    n = len(v)
    names, columns = v["uraian_dssd"].to_numpy(dtype=object), v["sumber_kolom"].to_numpy(dtype=object)
    years = v["tahun"].to_numpy(dtype="int64")
    units = v["satuan"].to_numpy(dtype=object)
    data = {"putaran": round_date, "kode_opd": per_value(0), "kode_elemen": per_value(1), "nama_elemen": per_value(2),
            "nama_elemen_asli": names, "satuan_asli": np.where(units == "", None, units), "tahun": years,
            "nilai": v["nilai"].to_numpy(), "status": v["status"].to_numpy(dtype=object),
            "teks_asli": v["teks_asli"].to_numpy(dtype=object), "dihitung": per_value(3).astype(bool),
            "metode_cocok": per_value(4), "skor_cocok": per_value(5), "sumber_file": file,
            "sumber_sheet": v["sumber_sheet"].to_numpy(dtype=object), "sumber_baris": v["sumber_baris"].to_numpy(),
            "sumber_kolom": columns, "dipakai": False, "rincian": None, "jenis_rincian": None, "periode": None,
            "total": False, "label_baris": names,
            "label_kolom": np.where(columns == "data", "data", np.char.add("data_", years.astype(str))).astype(object),
            "judul_tabel": None}  # fmt: skip
    frame = pd.DataFrame({c: data[c] if isinstance(data[c], np.ndarray) else [data[c]] * n for c in NILAI_COLUMNS},
                         columns=NILAI_COLUMNS)  # fmt: skip
    frame["sumber"] = source
    return typed(frame), list(unknown)


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Source rows with the dtypes of the ingest's ``nilai`` (text as string, ``tahun`` Int64...)."""
    out = frame.copy()
    for column in out.columns:
        if column in ("tahun",):
            out[column] = pd.array(out[column], dtype="Int64")
        elif column in ("sumber_baris",):
            out[column] = pd.to_numeric(out[column], errors="coerce").astype("int64") if len(out) else out[column].astype("int64")
        elif column in ("nilai", "skor_cocok"):
            out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
        elif column in ("dihitung", "dipakai", "total"):
            out[column] = out[column].fillna(False).astype(bool)
        else:
            out[column] = out[column].astype(object).where(out[column].notna(), None).astype("string")
    return out


def read_sipd_file(path: Path, kind: str, raw_dir: Path, round_date: str, source: str, index: ElementIndex,
                   limits: ReadLimits | None) -> SourceValues:  # fmt: skip
    """One file of a ``dssd`` or ``ewalidata`` source read under ``limits`` (the settings' ``[batas]``) into its
    ``nilai`` rows and issues (a value that could not be read, elements the catalogue does not know). Raises what
    the reader raises (``ReadError``, ValueError); run in the guarded reading worker."""
    from satudata.reading import dssd
    from satudata.sources import ewalidata

    rel = Path(path).relative_to(raw_dir).as_posix()
    export = dssd.read_dssd(path, limits=limits) if kind == "dssd" else ewalidata.read_ewalidata(path, limits=limits)
    issues = [issue(round_date, rel, None, LEVEL_PERINGATAN, "sumber_nilai_tidak_valid", f"Sumber {source}: {text}")
              for text in export.issues]  # fmt: skip
    frame, unknown = export_values(export, index, round_date, source, rel)
    if unknown:
        shown = ", ".join(unknown[:10]) + (f" dan {len(unknown) - 10} lainnya" if len(unknown) > 10 else "")
        issues.append(issue(round_date, rel, None, LEVEL_PERINGATAN, "sumber_elemen_tidak_dikenal",
                            f"Sumber {source}: {len(unknown)} elemen di {rel} tidak ada di katalog ({shown}). Periksa "
                            "kodenya atau tambahkan elemennya ke katalog."))  # fmt: skip
    return SourceValues(frame, issues)
