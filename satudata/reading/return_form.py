"""The feedback workbook as a return form: the names of its sheets, shared by the writer
(:mod:`satudata.outputs.feedback`) and the ingest (:mod:`satudata.reading.file_ingest`).

An OPD fills in the sheet :data:`INPUT_SHEET` and sends the workbook back. When a workbook holds that
sheet, its other sheets (summary, values already accepted, issues) are what the walidata wrote, not
data sent: the ingest skips them as it skips an instruction sheet, so they neither count twice nor
raise issues.
"""

from __future__ import annotations

from collections.abc import Iterable

INPUT_SHEET = "Isian"
INFO_SHEETS = ("Ringkasan", "Nilai Diterima", "Kekurangan Data", "Masalah", "Kualitas Nilai", "Rekonsiliasi Sumber")


def info_sheets(sheet_names: Iterable[str]) -> set[str]:
    """The sheets of a workbook skipped as the walidata's own (empty unless it holds :data:`INPUT_SHEET`)."""
    names = list(sheet_names)
    if INPUT_SHEET not in names:
        return set()
    return {n for n in names if n in INFO_SHEETS}
