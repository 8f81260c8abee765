"""What ingesting a round's files collects, shared by the readers of a file: :class:`IngestContext`.

A context holds the round's look-ups (register, catalogue index, settings, subtotal words) and what the
readers add to it: one entry per data row (``rows``, fields ``ROW_FIELDS``), the values in chunks of
one sheet each (``vals``, fields ``VALUE_FIELDS``) and the issues. The template reader
(:mod:`satudata.reading.template`) and the real-table reader (:mod:`satudata.reading.sheet_values`) write into it;
:mod:`satudata.reading.value_frame` turns it into the ``nilai`` columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from satudata.reading.matching import ElementIndex
from satudata.reading.numbers import (
    STATUS_ADA,
    STATUS_NIHIL,
    STATUS_RAHASIA,
    STATUS_TIDAK_TERSEDIA,
    STATUS_TIDAK_VALID,
)
from satudata.reference.register import Register
from satudata.reference.settings import Settings

GALAT, PERINGATAN, INFO = "galat", "peringatan", "info"  # issue levels
# row fields only tables read by satudata.reading.table fill (the submission-template shape leaves them empty)
DETAIL_FIELDS = ("rincian", "jenis_rincian", "periode", "total", "label_baris", "label_kolom", "judul_tabel")
# per data row (``match``: the element's :class:`~satudata.reading.matching.Match`)
ROW_FIELDS = ("kode_opd", "match", "nama_elemen_asli", "satuan_asli", "sumber_file", "sumber_sheet", "sumber_baris")
# per value, in chunks (one per sheet): "is_text" marks the values written as text; their texts are in "texts"
# and the numbers written as numbers in "numbers" (teks_asli is made from both when a part is built)
VALUE_FIELDS = ("row", "tahun", "nilai", "status", "is_text", "texts", "numbers", "sumber_kolom")
# per-cell codes: 0 empty, 1-4 the value statuses, 5 invalid, 6 a number with a note to list for review,
# 7 a value without a valid year (long format); the ``status`` chunks of ``vals`` hold them
CELL_CODE = {None: 0, STATUS_ADA: 1, STATUS_NIHIL: 2, STATUS_TIDAK_TERSEDIA: 3, STATUS_RAHASIA: 4,
             STATUS_TIDAK_VALID: 5}  # fmt: skip
# the ``status`` of a value of each code (codes 0, 5 and 7 give no value)
CODE_STATUS = np.array([None, STATUS_ADA, STATUS_NIHIL, STATUS_TIDAK_TERSEDIA, STATUS_RAHASIA, None, STATUS_ADA,
                        None], dtype=object)  # fmt: skip


@dataclass
class IngestContext:
    """A round's look-ups and what the readers of a run of files collected (rows, values, issues)."""

    round_date: str
    register: Register
    index: ElementIndex
    settings: Settings
    totals: set[str]
    # row-level lists (one entry per data row) and value-level lists (one per value; "row" points back)
    rows: dict[str, list] = field(default_factory=lambda: {c: [] for c in ROW_FIELDS})
    # value-level fields in chunks (one chunk per sheet, each an array or list in row/column order)
    vals: dict[str, list] = field(default_factory=lambda: {c: [] for c in VALUE_FIELDS})
    n_vals: int = 0
    letter_ids: dict[str, int] = field(default_factory=dict)  # column letters -> id used in vals
    details: dict[int, tuple] = field(default_factory=dict)  # row index -> DETAIL_FIELDS (see reading)
    issues: list[dict] = field(default_factory=list)
    total_checks: list[int] = field(default_factory=lambda: [0, 0])  # template totals: [checked, not adding up]
    _opd_cache: dict[str, str | None] = field(default_factory=dict)

    def issue(self, file: str, sheet: str | None, row: int | None, col: str | None, opd: str | None,
              level: str, code: str, message: str) -> None:  # fmt: skip
        self.issues.append({
            "putaran": self.round_date, "sumber_file": file, "sumber_sheet": sheet, "sumber_baris": row,
            "sumber_kolom": col, "kode_opd": opd, "tingkat": level, "kode_masalah": code, "pesan": message,
        })  # fmt: skip

    def resolve_opd(self, text: str) -> str | None:
        if text not in self._opd_cache:
            self._opd_cache[text] = self.register.resolve(text) or self.register.find_in(text)
        return self._opd_cache[text]

    def fresh(self) -> IngestContext:
        """A context for another run of files: same round and look-ups (caches shared), nothing collected."""
        return IngestContext(self.round_date, self.register, self.index, self.settings, self.totals,
                             _opd_cache=self._opd_cache)  # fmt: skip
