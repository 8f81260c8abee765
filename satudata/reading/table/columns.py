"""What each column of a table is, from its header and the cells below it.

Roles: ``nomor`` (row numbers: header ``No``/``Nomor``, or 1, 2, 3... down the rows), ``kode`` (header
``Kode...``/``id``, or texts such as ``32.04.16``), ``tahun`` (header ``Tahun`` over years: a long
table), ``bulan`` (header ``Bulan`` over month names or 1..12), ``satuan`` (header ``Satuan``/``Unit``
over short texts), ``keterangan`` (``Keterangan``, ``Ket``, ``Sumber``...), ``opd``, ``label`` (text:
what a row is) and ``nilai`` (numbers). A column is the unit column only when its header says so and
its cells look like units; the label of a row is a text column, never a number, an id or a code.

The row dimension (:func:`row_dimension`) says what the main label column lists: ``wilayah``
(header ``Kecamatan``, ``Kabupaten/Kota``, ``Provinsi``, ``Desa``... or names starting ``Kecamatan``,
``Kab.``, ``Kota``), ``periode`` (month names), ``kategori`` (header ``Kelompok``, ``Kategori``,
``Jenis ...``) or ``indikator`` (anything else: ``Uraian``, ``Indikator``, no header).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from satudata.common.names import fold
from satudata.reading.table.labels import is_generic, month_of, periode_of, read_label
from satudata.reading.table.sheet import NUMBER, SYMBOL, TEXT, Sheet

ROLE_NOMOR, ROLE_KODE, ROLE_TAHUN, ROLE_BULAN, ROLE_SATUAN, ROLE_KETERANGAN, ROLE_OPD, ROLE_LABEL, ROLE_NILAI = (
    "nomor", "kode", "tahun", "bulan", "satuan", "keterangan", "opd", "label", "nilai")  # fmt: skip
DIM_WILAYAH, DIM_PERIODE, DIM_KATEGORI, DIM_INDIKATOR = "wilayah", "periode", "kategori", "indikator"

_NOMOR = {"no", "nomor", "no urut", "nomor urut", "id", "urut", "nourut"}
_KODE = re.compile(r"^(kode|kd|code|id|no elemen|nomor elemen|kode elemen|npsn|nisn|nik|nip|npwp|nib|nomor induk|"
                   r"no induk|no registrasi|nomor registrasi|no reg|rt|rw|rt rw)(\s|$)"
                   r"|^\w+ (kode|code|id)(\s|$)")  # ``bps_kode_kabupaten_kota``, ``kab id``: codes of a portal export
# where a row is on a map: attributes of the row, not measurements
_COORDINATES = re.compile(r"^(latitude|longitude|lat|lon|lng|long|lintang|bujur|koordinat|coordinate)s?(\s|$)")
# a key column numbering sub-annual periods other than months and quarters (epidemiological weeks, days)
_NUMBERED_KEY = re.compile(r"^(minggu|pekan|week|hari ke|tanggal|tgl|day)(\s|$)")
_CODE_TEXT = re.compile(r"^\d+(\s*\.\s*\d+)+\.?$|^[0-9a-f]{16,}$|^\d+(-\d+)+$", re.I)
_TAHUN = {"tahun", "thn", "tahun data", "year", "th", "tahun tahun", "periode tahun", "tahun year", "thang",
          "tahun anggaran", "ta"}
_BULAN = {"bulan", "month", "bulan month", "periode bulan", "bln"}
_PERIOD_INDEX = {"periode", "period", "no periode"}
# key columns of a sub-annual period other than the month, and how many periods a year has
PERIOD_KEYS = {"triwulan": 4, "tw": 4, "kuartal": 4, "quarter": 4, "semester": 2, "smt": 2}
_SATUAN = {"satuan", "sat", "unit", "satuan data", "satuan unit", "unit satuan", "satuan unit of measurement"}
_KETERANGAN = ("keterangan", "ket", "catatan", "sumber", "sumber data", "definisi", "penjelasan", "note",
               "bidang", "definisi operasional")  # fmt: skip
_OPD = ("opd", "perangkat daerah", "nama opd", "skpd", "instansi", "produsen data", "nama perangkat daerah")
WILAYAH_WORDS = ("kecamatan", "kelurahan", "desa", "kabupaten", "kota", "kab", "provinsi", "propinsi", "wilayah",
                 "daerah", "region", "district", "sub district", "province", "regency", "namakec", "nama kec",
                 "kab kota", "desa kelurahan", "kelurahan desa", "nama kabupaten", "nama kecamatan", "nama desa",
                 "nama kelurahan", "nama wilayah", "nama provinsi", "puskesmas")  # fmt: skip
_WILAYAH_VALUE = re.compile(r"^(kecamatan|kec\.?|kabupaten|kab\.?|kota|desa|kelurahan|kel\.?|provinsi|prov\.?)\s", re.I)
KATEGORI_WORDS = ("kelompok", "kategori", "jenis", "golongan", "komoditas", "komoditi", "sektor", "lapangan usaha",
                  "sumber", "tingkat", "klasifikasi", "kelas", "status", "jenjang", "sub kelompok", "subsektor",
                  "sub sektor", "kategori ternak", "jenis kelamin", "kelompok umur", "umur", "bintang")  # fmt: skip
INDIKATOR_WORDS = ("uraian", "indikator", "jenis data", "nama data", "elemen", "elemen data", "nama elemen",
                   "rincian", "komponen", "variabel", "deskripsi", "item", "uraian discription", "uraian description",
                   "nama indikator", "data")  # fmt: skip


@dataclass
class Column:
    """One column of a table: its header parts (top to bottom, as written) and role."""

    index: int
    parts: list[str]
    role: str = ROLE_LABEL
    constant: bool = False  # a label column holding one text all the way down
    numbered: bool = False  # a label column of numbers that key the rows (``Minggu Ke-`` 1, 2, 3...)

    def stub_text(self, text: str) -> str:
        """What a cell of this column says of its row: its text, after the header when the column numbers
        the rows (``Minggu Ke- 7``)."""
        return f"{clean_header(self.parts[-1])} {text}" if self.numbered and self.parts and text else text

    @property
    def header(self) -> str:
        """The header path as one text: parts joined with `` / ``, line breaks and ``<br/>`` as spaces."""
        return " / ".join(clean_header(p) for p in self.parts)


@dataclass
class Columns:
    columns: dict[int, Column] = field(default_factory=dict)
    label: int | None = None  # the main label column
    dimension: str = DIM_INDIKATOR

    def of(self, role: str) -> list[int]:
        return [j for j, c in self.columns.items() if c.role == role]


_BREAK = re.compile(r"&lt;br\s*/?&gt;|<br\s*/?>", re.I)


def clean_header(text: str) -> str:
    """A header text with its line breaks (also ``<br/>`` written as text, as web exports do) as single spaces."""
    return " ".join(_BREAK.sub(" ", text).split())


def _starts(folded: str, words) -> bool:
    return any(folded == w or folded.startswith(w + " ") for w in words)


def header_parts(sheet: Sheet, header_rows: list[int], j: int, skip: set[int]) -> list[str]:
    """The texts over column ``j`` in the header rows (merged cells filled), top to bottom, each once."""
    parts: list[str] = []
    for r in header_rows:
        if r in skip:
            continue
        t = sheet.text[r][j]
        if t and t not in parts:
            parts.append(t)
    return parts


def header_paths(sheet: Sheet, header_rows: list[int], data_rows: list[int], left: int, right: int,
                 skip: set[int]) -> dict[int, list[str]]:  # fmt: skip
    """The header path of every column ``left..right``: for each header row, the cell above the column, or,
    when it is empty, the nearest written cell to its left in the same row, as long as that cell is a group
    over columns holding values (the row below names each of them) and stays within the group above it.
    A group header merged over its columns or written once (CSV exports, web downloads) is the same."""
    rows = [r for r in header_rows if r not in skip]
    holds_values = {j for j in range(left, right + 1)
                    if any(sheet.kind[i][j] in (NUMBER, SYMBOL) for i in data_rows)}
    grid = {r: {j: sheet.text[r][j] for j in range(left, right + 1)} for r in rows}
    for n, r in enumerate(rows[:-1]):
        source = None
        for j in range(left, right + 1):
            if grid[r][j]:
                source = j if j in holds_values else None
                continue
            same_group = source is not None and all(grid[u][source] == grid[u][j] for u in rows[:n])
            named_below = any(sheet.text[u][j] for u in rows[n + 1:])
            if same_group and j in holds_values and named_below:
                grid[r][j] = grid[r][source]
            else:
                source = None
    out = {}
    for j in range(left, right + 1):
        parts: list[str] = []
        for r in rows:
            if grid[r][j] and grid[r][j] not in parts:
                parts.append(grid[r][j])
        out[j] = parts
    return out


def classify(sheet: Sheet, header_rows: list[int], data_rows: list[int], left: int, right: int,
             structure_rows: set[int]) -> Columns:  # fmt: skip
    """The role of every column ``left..right`` of a table (``structure_rows``: column-number rows)."""
    out = Columns()
    paths = header_paths(sheet, header_rows, data_rows, left, right, structure_rows)
    for j in range(left, right + 1):
        parts = paths[j]
        f = fold(" ".join(parts))
        last = fold(parts[-1]) if parts else ""
        nums = [sheet.parsed[i][j].nilai for i in data_rows if sheet.kind[i][j] == NUMBER]
        n_sym = sum(sheet.kind[i][j] == SYMBOL for i in data_rows)
        texts = [sheet.text[i][j] for i in data_rows if sheet.kind[i][j] == TEXT
                 or (sheet.kind[i][j] == 0 and (i, j) in sheet.merged_into and sheet.text[i][j])]  # fmt: skip
        if not nums and not n_sym and not texts:
            if parts:
                out.columns[j] = Column(j, parts, ROLE_KETERANGAN)
            continue
        col = Column(j, parts)
        # a column whose header names a year holds values, whatever is written in it
        named_year = read_label(parts).year is not None and not (j == left and texts and not nums and not n_sym)
        # a column without a single number is no measurement when it has texts: its '-' marks say "none"
        numeric = (len(nums) + n_sym >= len(texts) and (bool(nums) or not texts)) or named_year
        if named_year:
            col.role = ROLE_NILAI
        elif last in _NOMOR or f in _NOMOR or (numeric and not parts and _counts_rows(nums)) or (
                parts and fold(parts[0]) in _NOMOR and nums and all(float(v).is_integer() for v in nums)):  # ``No / 6``
            col.role = ROLE_NOMOR
        elif _COORDINATES.match(f) and not texts:
            col.role = ROLE_KETERANGAN
        elif _KODE.match(f) or (texts and not nums and sum(bool(_CODE_TEXT.match(t)) for t in texts) >= 0.8 * len(texts)
                                and not any(isinstance(sheet.raw[i][j], (date, datetime)) for i in data_rows)):
            col.role = ROLE_KODE
        elif (f in _TAHUN or last in _TAHUN or ((j == left or not parts or parts == paths[left]) and not texts and j < right and _year_keys(nums))) and nums and all(
                float(v).is_integer() and 1950 <= v <= 2099 for v in nums):
            col.role = ROLE_TAHUN  # also a stub column of rising or falling years without a header: rows keyed by year
        elif nums and (texts or (parts and parts == paths.get(j + 1))) and not is_generic(last) and not (
                f in _SATUAN or last in _SATUAN) and _row_codes(sheet, data_rows, j):
            col.role = ROLE_KODE  # (a number column under the stub's own header codes the rows too)
        elif period_key(f) and nums and not texts and all(
                float(v).is_integer() and 1 <= v <= period_key(f) for v in nums):
            col.role = ROLE_BULAN  # ``triwulan`` 1..4 in a long table: the period of the row
        elif (period_key(f) or f in _BULAN or last in _BULAN) and texts and not nums and sum(
                periode_of(t) is not None for t in texts) >= 0.8 * len(texts):
            col.role = ROLE_BULAN  # ``Triwulan I``, ``Semester II`` written out
        elif (f in _PERIOD_INDEX or last in _PERIOD_INDEX) and nums and not texts and all(
                float(v).is_integer() and v >= 1 for v in nums):
            col.role = ROLE_BULAN if all(v <= 12 for v in nums) else ROLE_NOMOR  # a month number, or a running index
        elif nums and not texts and _leading_zero_codes(sheet, data_rows, j):
            col.role = ROLE_KODE
        elif (f in _BULAN or last in _BULAN) and (
            (nums and all(float(v).is_integer() and 1 <= v <= 12 for v in nums))
            or (texts and sum(month_of(t) is not None for t in texts) >= 0.8 * len(texts))
        ):
            col.role = ROLE_BULAN
        elif (f in _SATUAN or last in _SATUAN) and texts and all(len(t) <= 40 for t in texts):
            col.role = ROLE_SATUAN
        elif _starts(f, _KETERANGAN) and (not numeric or not nums):
            col.role = ROLE_KETERANGAN
        elif _starts(f, _OPD) and not numeric:
            col.role = ROLE_OPD
        elif _NUMBERED_KEY.match(f) and nums and not texts and all(float(v).is_integer() and 1 <= v <= 53 for v in nums):
            col.role, col.numbered = ROLE_LABEL, True  # ``Minggu Ke-`` 1..52 in a long table: which week the row is
        elif numeric:
            col.role = ROLE_NILAI
        else:
            col.role = ROLE_LABEL
            col.constant = len(set(texts)) == 1 and len(data_rows) > 2
        out.columns[j] = col
    labels = out.of(ROLE_LABEL)
    values = out.of(ROLE_NILAI)
    first_value = min(values) if values else right + 1
    named = [j for j in labels if not out.columns[j].numbered]
    candidates = [j for j in named if not out.columns[j].constant] or named or labels
    left_of_values = [j for j in candidates if j < first_value]
    pool = left_of_values or candidates
    if pool:
        # the label column: the text column with the most distinct texts (the rightmost on a tie)
        def distinct(j: int) -> tuple[int, int]:
            return (len({sheet.text[i][j] for i in data_rows if sheet.text[i][j]}), j)

        out.label = max(pool, key=distinct)
        out.dimension = row_dimension(sheet, out.columns[out.label], data_rows)
    elif out.of(ROLE_BULAN):
        out.label = out.of(ROLE_BULAN)[0]
        out.dimension = DIM_PERIODE
    return out


def period_key(folded_header: str) -> int:
    """How many periods a year has, when a header names a quarter or semester key (``triwulan``,
    ``triwulan_num``, ``semester``), else 0."""
    first = folded_header.split()[0] if folded_header else ""
    return PERIOD_KEYS.get(folded_header) or PERIOD_KEYS.get(first, 0)


def _leading_zero_codes(sheet: Sheet, data_rows: list[int], j: int) -> bool:
    """Numbers written as text with a leading zero (``010``, ``0401``): codes of the rows, not counts."""
    written = [sheet.raw[i][j] for i in data_rows if sheet.kind[i][j] == NUMBER]
    return bool(written) and all(isinstance(w, str) and re.fullmatch(r"\s*0\d+\s*", w) for w in written)


def _year_keys(nums: list[float]) -> bool:
    """Years that key the rows: three or more, distinct, rising or falling (``2012 2013 ... 2021``)."""
    steps = [b - a for a, b in zip(nums, nums[1:], strict=False)]
    return len(nums) >= 3 and (all(s > 0 for s in steps) or all(s < 0 for s in steps))


def _row_codes(sheet: Sheet, data_rows: list[int], j: int) -> bool:
    """A stub column that holds labels in some rows and, in others, whole numbers each standing right before
    the row's label (``1 | Prinsip SDI``, ``101 | Standar Data``): the numbers code the rows, they measure
    nothing."""
    numbered = [i for i in data_rows if sheet.kind[i][j] == NUMBER]
    labelled = [i for i in data_rows if sheet.kind[i][j] == TEXT]
    if any(j + 1 < sheet.width and sheet.kind[i][j + 1] == TEXT for i in labelled):
        return False  # a value column with a few invalid cells, a Keterangan column beside it
    return bool(numbered) and all(
        float(sheet.parsed[i][j].nilai).is_integer() and j + 1 < sheet.width and sheet.kind[i][j + 1] == TEXT
        for i in numbered)


def _counts_rows(nums: list[float]) -> bool:
    """1, 2, 3... down the rows (a row-number column without a header)."""
    ints = [int(v) for v in nums if float(v).is_integer()]
    return len(ints) == len(nums) >= 3 and ints[0] in (0, 1) and all(b == a + 1 for a, b in zip(ints, ints[1:], strict=False))


def row_dimension(sheet: Sheet, col: Column, data_rows: list[int]) -> str:
    """What the label column lists (see module docstring)."""
    texts = [sheet.text[i][col.index] for i in data_rows if sheet.text[i][col.index]]
    f = fold(col.parts[-1]) if col.parts else ""
    whole = fold(" ".join(col.parts))
    if texts and sum(month_of(t) is not None for t in texts) >= 0.6 * len(texts):
        return DIM_PERIODE
    dated = sum(isinstance(sheet.raw[i][col.index], (date, datetime)) for i in data_rows)
    if texts and dated >= 0.6 * len(texts):
        return DIM_PERIODE  # a date per row (a monthly series): the rows are periods
    if _starts(f, INDIKATOR_WORDS) or _starts(whole, INDIKATOR_WORDS):
        return DIM_INDIKATOR
    if _starts(f, WILAYAH_WORDS) or _starts(whole, WILAYAH_WORDS) or any(
        w in whole.split() for w in ("kecamatan", "kabupaten", "provinsi", "kelurahan", "desa", "wilayah", "namakec")
    ):
        return DIM_WILAYAH
    if texts and sum(bool(_WILAYAH_VALUE.match(t)) for t in texts) >= 0.6 * len(texts):
        return DIM_WILAYAH
    if _starts(f, KATEGORI_WORDS) or _starts(whole, KATEGORI_WORDS):
        return DIM_KATEGORI
    return DIM_INDIKATOR
