"""SIPD e-Walidata JSON: one record per indicator and year, read into the long shape of a DSSD export.

The e-Walidata application gives a list of records (bare, or under ``data``/``result``/``results``)::

    {"kodeindikator": "1.02.0001", "uraian_indikator": "Jumlah puskesmas", "satuan": "Unit",
     "bidangurusan": "Kesehatan", "tahun": "2022", "data": "1.234,5", "status_verifikasi_walidata": "...",
     "lastupdate": "2024-03-01 10:00:00"}

:func:`read_ewalidata` returns a :class:`satudata.reading.dssd.DssdExport` (``kode_dssd`` = ``kodeindikator``,
``uraian_dssd`` = ``uraian_indikator``), one row per record, with ``bidangurusan``,
``status_verifikasi_walidata`` and ``lastupdate`` kept; ``sumber_baris`` is the record's position (1-based)
and ``sumber_kolom`` is ``data``. ``data`` is parsed by :func:`satudata.reading.numbers.parse_cell`: a JSON number as
it is, a text the Indonesian way (``1.234,5``; ``-`` nihil, ``...`` not available); an empty one has status
``kosong``. A record without a readable year, a duplicate of an earlier indicator and year, an unreadable
``data`` or a number that could be read two ways (``1,234``) is an issue naming the record; never a silent
guess.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from satudata.common import fmt
from satudata.formats.read_limits import ReadLimits
from satudata.reading.dssd import COLUMNS, STATUS_KOSONG, DssdExport
from satudata.reading.numbers import STATUS_TIDAK_VALID, parse_cell

EXTRA_COLUMNS = ["bidangurusan", "status_verifikasi_walidata", "lastupdate"]
REQUIRED = ("kodeindikator", "tahun", "data")
# number notes of parse_cell that a person must confirm (the value is kept, the issue says how it was read)
AMBIGUOUS = {"koma_ribuan_ambigu": "koma dibaca sebagai desimal; bila maksudnya ribuan, tulis tanpa koma",
             "format_inggris": "koma dibaca sebagai pemisah ribuan gaya Inggris",
             "titik_desimal": "titik dibaca sebagai desimal"}


def _records(payload: object) -> list | None:
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for key in ("data", "result", "results", "rows"):
            inner = payload.get(key)
            if isinstance(inner, list):
                return inner
            if isinstance(inner, dict):
                found = _records(inner)
                if found is not None:
                    return found
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _year(value: object) -> int | None:
    text = _text(value)
    if len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2100:
        return int(text)
    return None


def read_ewalidata(path: str | Path, limits: ReadLimits | None = None) -> DssdExport:
    """Read an e-Walidata JSON file (see the module docstring) under ``limits`` (the settings' ``[batas]``, default
    :data:`satudata.formats.read_limits.LIMITS`); ValueError when it is not one, ``ReadError``
    (``berkas_terlalu_besar``) when it is past ``max_text_bytes`` or ``max_file_bytes``."""
    from satudata.formats.read_limits import past_size

    path = Path(path)
    # read whole into memory, as a CSV is: the same limits, checked before a byte is read
    error = past_size(path.name, path.stat().st_size, limits, text=True,
                      fix="Unduh ulang dari e-Walidata dalam beberapa berkas yang lebih kecil.")  # fmt: skip
    if error is not None:
        raise error
    rows, issues = _rows(path)  # the parsed JSON is freed before the frame is built
    frame = pd.DataFrame.from_records(rows, columns=COLUMNS + EXTRA_COLUMNS)
    del rows
    frame = frame.drop_duplicates(["kode_dssd", "uraian_dssd", "tahun"], keep="last").reset_index(drop=True)
    frame = frame.astype({"tahun": "int64", "nilai": "float64", "sumber_baris": "int64"})
    elements = int(frame.drop_duplicates(["kode_dssd", "uraian_dssd"]).shape[0])
    return DssdExport(path.name, None, frame, sorted(set(frame["tahun"].tolist())), elements, issues)


def _rows(path: Path) -> tuple[list[tuple], list[str]]:
    """The rows (:data:`COLUMNS` + :data:`EXTRA_COLUMNS`) and issues of an e-Walidata JSON file."""
    try:
        payload = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"Berkas {path.name}: bukan JSON yang dapat dibaca ({exc}). Unduh ulang dari e-Walidata.") from None
    records = _records(payload)
    if records is None or (records and not any(isinstance(r, dict) and "kodeindikator" in r for r in records)):
        raise ValueError(f"Berkas {path.name}: bukan JSON e-Walidata (daftar rekaman dengan kodeindikator, "
                         "uraian_indikator, satuan, tahun, data).")  # fmt: skip
    rows, issues, seen = [], [], {}
    for number, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            issues.append(f"Berkas {path.name}, rekaman ke-{number}: bukan objek JSON; dilewati.")
            continue
        code, name = _text(rec.get("kodeindikator")), _text(rec.get("uraian_indikator"))
        where = f"Berkas {path.name}, rekaman ke-{number} ({code or name or 'tanpa kode'})"
        missing = [k for k in REQUIRED if k not in rec]
        if missing or not (code or name):
            issues.append(f"{where}: kolom {', '.join(missing) or 'kodeindikator/uraian_indikator'} tidak ada atau "
                          "kosong; rekaman dilewati.")  # fmt: skip
            continue
        year = _year(rec.get("tahun"))
        if year is None:
            issues.append(f"{where}: tahun '{_text(rec.get('tahun'))}' tidak dapat dibaca; rekaman dilewati. Tulis "
                          "tahun empat angka.")  # fmt: skip
            continue
        cell = rec.get("data")
        parsed = parse_cell(cell)
        status = STATUS_KOSONG if parsed.is_empty else parsed.status
        if status == STATUS_TIDAK_VALID:
            issues.append(f"{where} tahun {year}: data '{_text(cell)}' bukan angka. Tulis angka, '-' untuk nihil "
                          "atau '...' bila tidak tersedia.")  # fmt: skip
        if parsed.catatan in AMBIGUOUS:
            issues.append(f"{where} tahun {year}: data '{_text(cell)}' dibaca {fmt.angka(parsed.nilai)} "
                          f"({AMBIGUOUS[parsed.catatan]}). Periksa angkanya di e-Walidata.")  # fmt: skip
        key = (code or name, year)
        if key in seen:
            issues.append(f"{where} tahun {year}: indikator dan tahun yang sama sudah ada di rekaman ke-{seen[key]}; "
                          "yang terakhir dipakai. Hapus salah satu di e-Walidata.")  # fmt: skip
        seen[key] = number
        rows.append((code, name, _text(rec.get("satuan")), "", year, parsed.nilai, status, _text(cell) or None,
                     None, number, "data", _text(rec.get("bidangurusan")), _text(rec.get("status_verifikasi_walidata")),
                     _text(rec.get("lastupdate"))))  # fmt: skip
    return rows, issues
