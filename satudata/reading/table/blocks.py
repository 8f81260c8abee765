"""Where the tables of a sheet are: each table's title, header, data and note rows, and its columns.

Rows are told apart by what they hold (see :func:`row_kind`): a **value row** holds a number or a BPS
sign; a **year row** holds only years (``2019 2020 2021``, ``Tahun | 2021 | 2022``) and a **column-number
row** only rising small numbers (``1 2 4 5 6``, ``(1) (2) (3)``): both are header rows; a **text row**
holds only text. A table is: title rows, header rows (text, year and column-number rows directly
above its first value row, blank rows allowed between header and data), then value rows with section
and blank rows between them, then notes (``Sumber:``, ``Keterangan:``, ``*) angka sementara``).

A new table starts below the data of another one where header rows stand again above more value
rows: rows of text in two or more columns, of which one stands above a column holding numbers below
(a row such as ``Nama | Satuan`` without values is no header: it names an element left empty). A
header repeated exactly as it was (a page break) continues the table. Single-cell text rows between
two tables are notes of the upper table when they read as notes, else titles of the lower one.

Side by side: columns blank from a table's header to its last row split it into tables of their own
when each side has both text and numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from satudata.common.names import fold
from satudata.reading.table.sheet import NUMBER, SYMBOL, TEXT, Sheet

ROW_BLANK, ROW_TEXT, ROW_VALUES, ROW_YEARS, ROW_COLUMN_NUMBERS = "blank", "text", "values", "years", "colnum"
_NOTE = re.compile(
    r"^\s*(\*|\(\*|-\s*\)|sumber\b|source\b|catatan\b|keterangan\b|ket\s*[:.]|note\b|notes\b|nb\s*[:.]|"
    r"data\s+tanggal\b)",
    re.I,
)
_PAREN_NUMBER = re.compile(r"^\(\s*\d{1,2}\s*\)$")
# a year with a footnote number glued on (``20201`` = 2020 and note 1; ``2010-20203``)
_GLUED_YEAR = re.compile(r"^(?:(?:19[5-9]\d|20\d\d)\s*[-–]\s*)?(?:19[5-9]\d|20\d\d)\d{1,2}$")
_YEARISH_TEXT = re.compile(r"^(?:tahun\s*)?(19[5-9]\d|20\d\d)\s*(?:\*+\)?)?$|^(19[5-9]\d|20\d\d)\s*/\s*(19[5-9]\d|20\d\d)$",
                           re.I)  # fmt: skip


@dataclass
class Block:
    """One table: grid row indices and the columns it spans (inclusive)."""

    titles: list[int] = field(default_factory=list)
    header: list[int] = field(default_factory=list)
    data: list[int] = field(default_factory=list)  # every row from the first to the last value row
    notes: list[int] = field(default_factory=list)
    left: int = 0
    right: int = 0

    @property
    def top(self) -> int:
        return min(self.titles + self.header + self.data)

    @property
    def bottom(self) -> int:
        return max(self.header + self.data + self.notes + self.titles)


def is_note(text: str) -> bool:
    """True for a note under a table (``Sumber:``, ``Keterangan:``, ``*) angka sementara``)."""
    return bool(_NOTE.match(text))


_TABLE_NUMBER = re.compile(r"^(?:tabel|table|lampiran|appendix|tab\.?)?\s*[0-9]+(?:\s*\.\s*[0-9A-Za-z]+)*\.?$|^(?:tabel|table|lampiran|appendix)$",
                           re.I)  # fmt: skip


def is_title_row(sheet: Sheet, i: int) -> bool:
    """True for a title line: one text apart from a table number (``Tabel | 5.1.1 | Luas Panen ..., 2021``,
    ``Tabel 4.2.1 | Jumlah Desa ...``), with the number written (a header names columns, not tables)."""
    cells = sheet.cells(i)
    numbered = [j for j in cells if _TABLE_NUMBER.match(sheet.own[i][j].strip())]
    words = [j for j in cells if j not in numbered]
    return bool(numbered) and any(re.match(r"(?i)\s*(tabel|table|lampiran|appendix)", sheet.own[i][j]) for j in cells) \
        and len(words) <= 1


def _a_year(value: float) -> bool:
    return float(value).is_integer() and 1950 <= value <= 2099


def row_kind(sheet: Sheet, i: int, above: str = ROW_BLANK) -> str:
    """What row ``i`` holds (see module docstring); ``above``: the kind of the nearest non-blank row above.

    A row of years with a label left of them that is no column name (``Jumlah Penduduk 2020 | 2020 |
    2021``: counts that happen to look like years) is a header only right under another header row. A
    year with a footnote digit glued to it (``20201``, ``2010-20203``) is a year header that tells no
    year for sure (see :mod:`.labels`)."""
    kinds = sheet.kind[i]
    nums = [j for j, k in enumerate(kinds) if k == NUMBER]
    syms = [j for j, k in enumerate(kinds) if k == SYMBOL]
    texts = [j for j, k in enumerate(kinds) if k == TEXT]
    if not nums and not syms and not texts:
        return ROW_BLANK
    paren = [j for j in texts + nums if _PAREN_NUMBER.match(sheet.own[i][j])]  # "(1)" parses as -1
    glued = [j for j in texts + nums if sheet.own[i][j][:1] in "12" and isinstance(sheet.raw[i][j], str)
             and _GLUED_YEAR.match(sheet.own[i][j].strip())]  # fmt: skip
    nums = [j for j in nums if j not in paren and j not in glued]
    texts = [j for j in texts if j not in paren and j not in glued]
    values = [sheet.parsed[i][j].nilai for j in nums]
    if len(nums) == 1 and not syms and not paren and not glued and texts and nums[0] < min(texts) and nums[0] == min(
            j for j, k in enumerate(kinds) if k) and float(values[0]).is_integer() and 0 < values[0] < 1000:
        return ROW_TEXT  # ``1 | BERAS``: a numbered group heading, its number no value
    if (nums or paren) and not syms and not texts and not glued and _column_numbers(
            [int(v) for v in values if float(v).is_integer()] if len(values) == len(nums) else [],
            [int(sheet.own[i][j].strip("() ")) for j in paren], sorted(nums + paren), above):
        return ROW_COLUMN_NUMBERS
    if (nums or glued) and not syms and all(_a_year(v) for v in values):
        labelled = any(j < min(nums + glued) and fold(sheet.own[i][j]) not in HEADER_NAMES
                       and not _YEARISH_TEXT.match(sheet.own[i][j]) for j in texts)
        if labelled and above not in (ROW_BLANK, ROW_TEXT, ROW_YEARS, ROW_COLUMN_NUMBERS):
            return ROW_VALUES
        yearish_texts = [j for j in texts if _YEARISH_TEXT.match(sheet.own[i][j])] + glued
        years = [int(v) for v in values]
        if (len(years) >= 2 and _year_sequence(years)) or (yearish_texts and len(years) + len(yearish_texts) >= 2):
            return ROW_YEARS
        if years and not texts and above == ROW_TEXT and len(set(years)) == 1 and (len(years) >= 2 or not glued):
            return ROW_YEARS  # ``2020 2020 2020`` under the indicators' names: the year of each column
        if len(years) + len(glued) == 1 and not texts and above == ROW_TEXT:
            return ROW_YEARS  # ``2022`` alone under the indicator's name: the year of the column
        if len(years) == 1 and texts and (yearish_texts or any(_YEAR_IN.search(sheet.own[i][j]) for j in texts)
                                          or all(_headerish(sheet.own[i][j]) for j in texts)):
            return ROW_YEARS
    if syms and not nums and above == ROW_BLANK and len(texts) >= 2 and all(
            sheet.own[i][j].strip().lower() == "x" for j in syms):
        return ROW_TEXT  # ``Provinsi | x | y`` opening the sheet: columns named x and y, not secret values
    if nums or syms:
        return ROW_VALUES
    return ROW_TEXT


def _column_numbers(numbers: list[int], in_brackets: list[int], cells: list[int], above: str) -> bool:
    """True for a row numbering the columns: ``1 2 3 4``, ``(1) (2) (3)``, or the same stored as negative
    numbers (an Excel format shows -1 as ``(1)``): ``-1 -2 -3``, also ``-1 -3 -4 -5 -3 -4 -5`` repeated per
    group right under a header row. Real negative values are not integers counting up from -1 or -2."""
    if len(numbers) + len(in_brackets) != len(cells) or len(cells) < 2:
        return False
    if numbers and all(v < 0 for v in numbers) and not in_brackets:
        seq = [-v for v in numbers]
        rising = all(b > a for a, b in zip(seq, seq[1:], strict=False))
        regrouped = above in (ROW_TEXT, ROW_YEARS) and len(seq) >= 3 and max(seq) < 100
        return seq[0] <= 2 and (rising or regrouped)
    if numbers and not in_brackets and above in (ROW_TEXT, ROW_YEARS) and len(numbers) >= 4 and _runs_from_one(numbers):
        return True  # ``1 | 2 3 4 | 2 3 4``: numbered again in each group, right under the header
    seq = sorted([v for v in numbers if 0 < v < 100] + in_brackets)
    if len(seq) != len(cells):
        return False
    return seq[0] <= 2 and all(b > a for a, b in zip(seq, seq[1:], strict=False)) and (len(seq) >= 3 or bool(in_brackets))


def _runs_from_one(numbers: list[int]) -> bool:
    """Numbers that count up by one in runs, each run starting at 1 or 2, at least two runs (column numbers
    restarted in every group)."""
    runs = 1
    for a, b in zip(numbers, numbers[1:], strict=False):
        if b != a + 1:
            if b > 2:
                return False
            runs += 1
    return numbers[0] <= 2 and runs >= 2 and max(numbers) < 100


def _year_sequence(years: list[int]) -> bool:
    """Years that head columns: rising or falling (``2019 2020 2021``, ``1971 1980 1990``, ``2021 2020``), or
    one such run repeated once per group (``2018 2020 2021 2018 2020 2021``, ``2021 2020 2021 2020``); a year
    may stand twice in a run (``2021 | 2021* | 2022``)."""
    for period in range(2, len(years) + 1):
        run = years[:period]
        if any(years[k] != run[k % period] for k in range(len(years))):
            continue
        steps = [b - a for a, b in zip(run, run[1:], strict=False)]
        monotone = all(s >= 0 for s in steps) or all(s <= 0 for s in steps)
        return monotone and len(set(run)) > 1 and max(run) - min(run) <= 60
    return False


# a cell that is just one of these names a column: the mark of a header row (a data row whose cells
# are all invalid, ``Jumlah Dokter | abc | 1.2.3``, has none)
HEADER_NAMES = frozenset({
    "no", "nomor", "no urut", "uraian", "indikator", "jenis data", "nama data", "elemen", "nama elemen", "kecamatan",
    "kelurahan", "desa", "desa kelurahan", "kelurahan desa", "wilayah", "kabupaten kota", "kab kota", "kabupaten",
    "kota", "provinsi", "province", "bulan", "month", "tahun", "year", "satuan", "unit", "keterangan", "rincian",
    "uraian discription", "uraian description", "jenis", "kategori", "kelompok", "opd", "perangkat daerah",
})  # fmt: skip
_YEAR_IN = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_HEADER_WORDS = re.compile(
    r"^(no\.?|nomor|uraian|indikator|jenis|nama|satuan|sat\.?|unit|tahun|thn|keterangan|ket\.?|kode|kecamatan|"
    r"kelurahan|desa|wilayah|kabupaten|kota|provinsi|bulan|rincian|elemen|data|komponen|variabel|jumlah|total|"
    r"nilai|persentase|rata|kelompok|kategori|golongan|opd|skpd|perangkat daerah|instansi|produsen)\b",
    re.I,
)


def _headerish(text: str) -> bool:
    return bool(_HEADER_WORDS.match(text.strip())) or bool(_YEARISH_TEXT.match(text.strip()))


def _value_columns(sheet: Sheet, rows: list[int]) -> set[int]:
    return {j for i in rows for j, k in enumerate(sheet.kind[i]) if k in (NUMBER, SYMBOL)}


def _header_start(sheet: Sheet, kinds: list[str], first_data: int, floor: int) -> tuple[int, list[int]]:
    """The first header row of the table whose first value row is ``first_data`` (``floor``: rows
    above belong to another table), and the section rows between its header and ``first_data``
    (``Tenaga Kesehatan`` right under the header: a heading of the rows below, not a header)."""
    # text rows right above the data with no cell over a value column ("A | KESEHATAN"): sections
    values = _value_columns(sheet, [first_data]) - _row_number_columns(sheet, kinds, first_data)
    i = first_data - 1
    lead = []
    while i >= floor and kinds[i] in (ROW_BLANK, ROW_TEXT):
        if kinds[i] == ROW_TEXT:
            cells = sheet.cells(i)
            if is_note(sheet.own[i][cells[0]]) or set(cells) & values or any(
                    (i, j) in sheet.merged_into for j in values):
                break
            lead.append(i)
        i -= 1
    if lead:
        above, _ = _header_above(sheet, kinds, min(lead), floor, first_data)
        if above < min(lead):
            return above, sorted(lead)
    return _header_above(sheet, kinds, first_data, floor, first_data)


def _row_number_columns(sheet: Sheet, kinds: list[str], first_data: int) -> set[int]:
    """Columns numbering the rows (1, 2, 3...) in the value rows from ``first_data`` on."""
    rows = [r for r in range(first_data, min(first_data + 12, sheet.height)) if kinds[r] == ROW_VALUES]
    out = set()
    for j in _value_columns(sheet, rows):
        nums = [sheet.parsed[r][j].nilai for r in rows if sheet.kind[r][j] == NUMBER]
        counts = bool(nums) and nums[0] in (0, 1) and all(b == a + 1 for a, b in zip(nums, nums[1:], strict=False))
        named = any(fold(sheet.own[r][j]) in ("no", "nomor", "no urut") for r in range(max(0, first_data - 6), first_data))
        if counts and (len(nums) >= 2 or named):
            out.add(j)
    return out


def _header_above(sheet: Sheet, kinds: list[str], start: int, floor: int, first_data: int) -> tuple[int, list[int]]:
    i = start - 1
    while i >= floor and kinds[i] == ROW_BLANK:
        i -= 1
    top = start
    below_values = _value_columns(sheet, [first_data])
    named: set[int] = set()  # columns whose header cell is a column name (Uraian, No, Kecamatan...)
    while i >= floor:
        k = kinds[i]
        if k == ROW_BLANK and any((i, j) in sheet.merged_into for j in range(sheet.width)):
            i -= 1  # an empty row inside a merged header (``Kecamatan`` merged over three rows)
            continue
        if any(j in named and fold(sheet.own[i][j]) not in HEADER_NAMES for j in sheet.cells(i)):
            break  # text above a column name ("Laporan" over "Uraian"): a title ("Satuan" over "Unit" is not)
        if k == ROW_TEXT and is_title_row(sheet, i):
            break
        if k in (ROW_YEARS, ROW_COLUMN_NUMBERS):
            top = i
        elif k == ROW_TEXT:
            cells = sheet.cells(i)
            if len(cells) >= 2 and not is_note(sheet.own[i][cells[0]]):
                top = i
            elif len(cells) == 1 and (top < start or cells[0] in below_values) and cells[0] > 0 and (
                    cells[0] in below_values or (i, cells[0]) in sheet.merged_into
                    or any((i, j) in sheet.merged_into for j in range(cells[0] + 1, sheet.width))):
                top = i  # one cell over the value columns (a group header such as "Sekolah")
            else:
                break
        else:
            break
        named |= {j for j in sheet.cells(i) if fold(sheet.own[i][j]) in HEADER_NAMES}
        i -= 1
    return top, []


MAX_HEADER_ROWS = 6  # header rows of one table, column-number rows included (real ones have 1 to 4)
_HEADER_KINDS = (ROW_TEXT, ROW_YEARS, ROW_COLUMN_NUMBERS, ROW_BLANK)


def _header_run_ends(sheet: Sheet, kinds: list[str]) -> list[int]:
    """For each row, the first row at or below it that no header continues into: a value row, a note or
    title of one cell, or the end. Made once per sheet, so that looking for a new table below every row of
    a long run of text stays linear."""
    ends = [sheet.height] * (sheet.height + 1)
    for j in range(sheet.height - 1, -1, -1):
        k = kinds[j]
        stops = k not in _HEADER_KINDS or (k == ROW_TEXT and len(sheet.cells(j)) < 2)
        ends[j] = j if stops else ends[j + 1]
    return ends


def _starts_table(sheet: Sheet, kinds: list[str], ends: list[int], i: int, value_cols: set[int],
                  header_texts: list[tuple]) -> int | None:  # fmt: skip
    """If a new table's header starts at row ``i`` (below the data of another), its first value row."""
    k = kinds[i]
    if k not in (ROW_TEXT, ROW_YEARS, ROW_COLUMN_NUMBERS):
        return None
    cells = sheet.cells(i)
    if k == ROW_TEXT and (len(cells) < 2 or is_note(sheet.own[i][cells[0]])):
        return None
    j = ends[i + 1]
    if j >= sheet.height or kinds[j] != ROW_VALUES:
        return None
    header_rows = [r for r in range(i, j) if kinds[r] != ROW_BLANK]
    if len(header_rows) > MAX_HEADER_ROWS:
        return None
    below = _value_columns(sheet, [r for r in range(j, min(j + 3, sheet.height)) if kinds[r] == ROW_VALUES])
    # a header names most of the columns that hold numbers below it, and reads as one (header words,
    # years, a row of years or column numbers): a row "Jumlah Bidan | abc" among data rows is no header
    covered = {c for r in header_rows for c in sheet.cells(r)} | {
        c for r in header_rows for c in range(sheet.width) if (r, c) in sheet.merged_into}
    if len(covered & below) * 2 < len(below):
        return None
    signal = any(kinds[r] in (ROW_YEARS, ROW_COLUMN_NUMBERS) for r in header_rows) or any(
        fold(sheet.own[r][c]) in HEADER_NAMES or (c in below and _YEAR_IN.search(sheet.own[r][c]))
        for r in header_rows for c in sheet.cells(r))
    if not signal:
        return None
    texts = tuple(tuple(sheet.own[r]) for r in header_rows)
    if texts in header_texts:
        return None  # the same header again: a page break
    return j


def find_blocks(sheet: Sheet) -> tuple[list[Block], list[str]]:
    """The tables of a sheet, top to bottom (then left to right), and the kind of every row."""
    kinds: list[str] = []
    above = ROW_BLANK
    for i in range(sheet.height):
        kinds.append(row_kind(sheet, i, above))
        above = kinds[-1] if kinds[-1] != ROW_BLANK else above
    ends = _header_run_ends(sheet, kinds)
    blocks: list[Block] = []
    i, floor = 0, 0
    n = sheet.height
    while i < n:
        first = next((r for r in range(i, n) if kinds[r] == ROW_VALUES), None)
        if first is None:
            break
        start, sections = _header_start(sheet, kinds, first, floor)
        data_start = min(sections) if sections else first
        block = Block(header=[r for r in range(start, data_start) if kinds[r] != ROW_BLANK])
        block.titles = [r for r in range(floor, start) if kinds[r] != ROW_BLANK]
        if blocks:  # rows between two tables: notes of the upper one, titles of the lower one
            prev = blocks[-1]
            lead = [r for r in block.titles if is_note(sheet.own[r][sheet.cells(r)[0]])]
            cut = max(lead) if lead else None
            prev.notes += [r for r in block.titles if cut is not None and r <= cut]
            block.titles = [r for r in block.titles if cut is None or r > cut]
        header_texts = [tuple(tuple(sheet.own[r]) for r in block.header)]
        value_cols = _value_columns(sheet, [first])
        last = first
        r = first + 1
        while r < n:
            if kinds[r] == ROW_VALUES:
                value_cols |= _value_columns(sheet, [r])
                last = r
                r += 1
                continue
            if _starts_table(sheet, kinds, ends, r, value_cols, header_texts) is not None:
                break
            r += 1
        block.data = list(range(data_start, last + 1))
        # notes right below the data (the rest waits to be split between this table and the next)
        r = last + 1
        while r < n and kinds[r] in (ROW_TEXT, ROW_BLANK):
            if kinds[r] == ROW_TEXT:
                cells = sheet.cells(r)
                if not is_note(sheet.own[r][cells[0]]):
                    break
                block.notes.append(r)
            r += 1
        floor = (max(block.notes) + 1) if block.notes else last + 1
        blocks.append(block)
        i = floor
    if blocks:  # what is left under the last table: notes
        tail = [r for r in range(floor, n) if kinds[r] != ROW_BLANK]
        blocks[-1].notes += tail
    out: list[Block] = []
    for b in blocks:
        rows = b.header + b.data
        cols = sorted({j for r in rows for j in sheet.cells(r)})
        b.left, b.right = (cols[0], cols[-1]) if cols else (0, 0)
        out.extend(_side_by_side(sheet, b, kinds))
    return out, kinds


def _side_by_side(sheet: Sheet, block: Block, kinds: list[str]) -> list[Block]:
    """The block split at columns blank in all its header and data rows, when each part has text and numbers."""
    rows = block.header + block.data
    used = [any(sheet.kind[r][j] or (r, j) in sheet.merged_into for r in rows) for j in range(sheet.width)]
    parts, current = [], []
    for j in range(block.left, block.right + 1):
        if used[j]:
            current.append(j)
        elif current:
            parts.append(current)
            current = []
    if current:
        parts.append(current)
    if len(parts) < 2:
        return [block]

    def whole(cols: list[int]) -> bool:
        data = [r for r in block.data if kinds[r] == ROW_VALUES]
        has_text = any(sheet.kind[r][j] == TEXT for r in data for j in cols)
        has_num = any(sheet.kind[r][j] in (NUMBER, SYMBOL) for r in data for j in cols)
        return has_text and has_num

    if not all(whole(p) for p in parts):
        return [block]
    return [Block(list(block.titles), list(block.header), list(block.data), list(block.notes), p[0], p[-1])
            for p in parts]
