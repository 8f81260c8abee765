"""The feedback workbook as a return form: the names of its sheets, shared by the writer
(:mod:`satudata.outputs.feedback`) and the ingest (:mod:`satudata.reading.file_ingest`).

An OPD fills in the sheet :data:`INPUT_SHEET` and sends the workbook back. When a workbook holds that
sheet, its other sheets (summary, values already accepted, issues) are what the walidata wrote, not
data sent: the ingest skips them as it skips an instruction sheet, so they neither count twice nor
raise issues.

Nothing sent back is lost without a word:

* a workbook that holds the walidata's sheets (at least :data:`RETURN_FORM_MIN_SHEETS` of :data:`INFO_SHEETS`)
  but no :data:`INPUT_SHEET` is still a return form whose ``Isian`` was deleted or renamed: its walidata sheets
  are skipped, its other sheets read as any sheet, and :func:`missing_input_message` names what happened;
* every row of :data:`ACCEPTED_SHEET` carries, in a hidden last column, the values the walidata wrote
  (:func:`row_marks`); a value changed there (a correction typed outside ``Isian``) or a row added is not read
  as data, and :func:`edited_cells` names each such cell so the correction is sent the right way; a sheet of an
  older version without that column is named once, as one whose changes cannot be told.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

INPUT_SHEET = "Isian"
ACCEPTED_SHEET = "Nilai Diterima"
INFO_SHEETS = ("Ringkasan", ACCEPTED_SHEET, "Kekurangan Data", "Masalah", "Kualitas Nilai", "Rekonsiliasi Sumber")
RETURN_FORM_MIN_SHEETS = 3  # an OPD's own workbook may have a "Ringkasan"; three of the walidata's sheets do not
MARK_HEADER = "Sidik (jangan diubah)"  # the hidden column of ACCEPTED_SHEET
_MARK_PREFIX = "sd1:"


def is_return_form(sheet_names: Iterable[str]) -> bool:
    """True when a workbook is a feedback workbook sent back (with or without its ``Isian`` sheet)."""
    names = set(sheet_names)
    info = names & set(INFO_SHEETS)
    return (INPUT_SHEET in names and bool(info)) or len(info) >= RETURN_FORM_MIN_SHEETS


def info_sheets(sheet_names: Iterable[str]) -> set[str]:
    """The sheets of a workbook skipped as the walidata's own (empty unless it is a return form)."""
    names = list(sheet_names)
    if not is_return_form(names):
        return set()
    return {n for n in names if n in INFO_SHEETS}


def missing_input_message(rel: str, sheet_names: Iterable[str]) -> str | None:
    """The issue of a return form whose ``Isian`` sheet was deleted or renamed (None when it has one, or is no
    return form)."""
    names = list(sheet_names)
    if INPUT_SHEET in names or not is_return_form(names):
        return None
    others = [n for n in names if n not in INFO_SHEETS]
    where = (f"lembar kerja lain di berkas ini: {', '.join(repr(n) for n in others)}, dibaca seperti lembar kerja "
             "biasa" if others else "tidak ada lembar kerja lain, jadi tidak ada nilai yang terbaca")  # fmt: skip
    return (f"Berkas {rel} adalah buku kerja umpan balik yang dikirim kembali, tetapi lembar kerja '{INPUT_SHEET}' "
            f"tidak ada (dihapus atau diganti namanya; {where}). Kembalikan lembar kerja '{INPUT_SHEET}' dengan nama "
            "itu (salin dari buku kerja umpan balik yang dikirim walidata), isi sel kuningnya, lalu kirim ulang.")


def _canonical(value: object) -> str:
    """A cell as text, the same whether openpyxl wrote it or calamine read it back (2019 and 2019.0 alike)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return " ".join(str(value).split())


def row_marks(columns: Sequence[object]) -> pa.Array:
    """What the walidata wrote in each row of :data:`ACCEPTED_SHEET` (the rows of ``columns``, each a Series or a
    sequence of values, all as long), kept in the sheet's hidden last column: ``sd1:`` and the JSON list (ASCII)
    of the row's cells as text (``_canonical``: ``["1.01.0001", "2019", "12.5", ""]``). Built a column at a time,
    each distinct value of a column turned into text once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    parts: list[object] = [pa.scalar(_MARK_PREFIX + "[", text)]
    for index, column in enumerate(columns):
        if index:
            parts.append(pa.scalar(", ", text))
        parts.append(_mark_texts(column))
    return pc.binary_join_element_wise(*parts, pa.scalar("]", text), pa.scalar("", text))


def _mark_texts(column: object) -> pa.Array:
    """Each cell of ``column`` as its JSON text in a row's mark, each distinct value written once."""
    import pyarrow as pa

    from satudata.formats.xlsx_rows import clean_value, distinct_values

    codes, values = distinct_values(column)
    kinds = set(map(type, values))
    if kinds <= {str, type(None)} and _plain_words(value for value in values if value is not None):
        texts = ['""' if value is None else f'"{value}"' for value in values]  # JSON of text left as it is
    elif kinds <= {float, type(None)}:  # numbers: whole ones without ".0", NaN as nothing
        texts = ['""' if value is None or value != value else f'"{int(value)}"' if value.is_integer() else f'"{value!r}"'
                 for value in values]  # fmt: skip
    else:
        texts = [json.dumps(_canonical(clean_value(value)), ensure_ascii=True) for value in values]
    return pa.array(texts, pa.large_string()).take(pa.array(codes))


def _plain_words(texts: Iterable[str]) -> bool:
    """True when ``_canonical`` and JSON leave every text as it is: printable ASCII without quotes or
    backslashes, words separated by single spaces (checked on all of them joined, with a line break between)."""
    text = "\n".join(texts)
    return (text.isascii() and '"' not in text and "\\" not in text and text.replace("\n", "").isprintable()
            and "  " not in text and " \n" not in text and "\n " not in text and text.strip(" ") == text)


def edited_cells(rows: Sequence[Sequence[object]], first_row: int = 0, first_col: int = 0
                 ) -> list[tuple[int, str | None, str]]:  # fmt: skip
    """The cells of :data:`ACCEPTED_SHEET` (its rows as read, the header first; ``first_row``/``first_col``: the
    0-based position of ``rows[0][0]``) that differ from what the walidata wrote: (Excel row, column letters or
    None for an added row, what changed). A sheet written before the marks existed (an older version of the
    workbook, without the mark column) cannot be checked: one entry for its header row says so, when the sheet
    holds any row."""
    from satudata.formats.readers import column_letter

    if not rows:
        return []
    header = [_canonical(c) for c in rows[0]]
    if MARK_HEADER not in header:
        if any(_canonical(c) for row in rows[1:] for c in row):
            return [(first_row + 1, None, f"buku kerja ini versi lama, tanpa kolom '{MARK_HEADER}', jadi nilai "
                                          "yang diubah atau ditambahkan di lembar kerja ini tidak dapat dikenali")]  # fmt: skip
        return []
    mark_col = header.index(MARK_HEADER)
    out = []
    for r, row in enumerate(rows[1:], start=1):
        excel_row = first_row + r + 1
        mark = _canonical(row[mark_col]) if mark_col < len(row) else ""
        shown = [_canonical(c) for c in row[:mark_col]]
        if not mark.startswith(_MARK_PREFIX):
            if any(shown):
                out.append((excel_row, None, "baris ini ditambahkan"))
            continue
        try:
            written = json.loads(mark[len(_MARK_PREFIX):])
        except ValueError:
            written = None
        if not isinstance(written, list):
            out.append((excel_row, column_letter(first_col + mark_col), "kolom sidiknya diubah"))
            continue
        for j, before in enumerate(written):
            now = shown[j] if j < len(shown) else ""
            if now != before:
                title = header[j] if j < len(header) and header[j] else f"kolom {j + 1}"
                out.append((excel_row, column_letter(first_col + j),
                            f"{title} diubah dari '{before or '(kosong)'}' menjadi '{now or '(kosong)'}'"))
    return out
