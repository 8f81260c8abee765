"""Finding the table in a sheet: header rows, the role of each column and of each row.

Header: searched on the first ``HEADER_SEARCH_ROWS`` rows. A header row has a label column
(``Uraian``, ``Jenis Data``, ``Nama Data``, ``Elemen``, ``Indikator``, ``NAMA``...) and year columns
(``2019``, ``Tahun 2019``, ``2019*``, ``NILAI 2024 SEMESTER I``) or, in long format, a ``Tahun``
column and a value column (``Nilai``, ``Jumlah``...). The header may continue on up to two more
rows (merged ``Tahun`` spanning the years below); merged cells are filled from their top-left cell
before the texts of a column's header rows are joined. A row that only numbers the columns
(``(1) (2) (3)``) right under the header is a header row too. Tables stacked in one sheet: a row
below the header whose label is a header word (or the header's own label), or whose value cells are
years rising by 1 to 5, starts a new table when a header is found right there with other columns or
years (:func:`next_table`); the same header again (a page break) is only a header row.

Row roles (every row of a sheet gets one): ``judul`` (above the header), ``header``, ``data``,
``judul_bagian`` (a label and no value, no unit), ``tanpa_nilai`` (a label with a unit but no value:
an element left empty), ``subtotal`` (label just ``Jumlah``/``Total``/``Sub Total``/the region's name;
never ``Jumlah Dokter Umum``), ``catatan`` (``Sumber:``, ``Keterangan:``, ``*) angka sementara``,
``Catatan``; or text only outside the label and value columns), ``kosong`` (blank) and
``tanpa_label`` (values but no label: rejected by ingestion).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from satudata.common.names import fold
from satudata.formats.readers import Grid, is_blank
from satudata.reading.matching import quick_fold
from satudata.reading.numbers import parse_cell

HEADER_SEARCH_ROWS = 20
ROLE_DATA = "data"
ROLE_TITLE = "judul"
ROLE_HEADER = "header"
ROLE_SECTION = "judul_bagian"
ROLE_NO_VALUE = "tanpa_nilai"
ROLE_SUBTOTAL = "subtotal"
ROLE_NOTE = "catatan"
ROLE_BLANK = "kosong"
ROLE_NO_LABEL = "tanpa_label"

LABEL_WORDS = (
    "uraian", "jenis data", "nama data", "elemen", "elemen data", "nama elemen", "sub elemen", "indikator",
    "nama indikator", "nama", "rincian", "komponen", "variabel", "data", "item", "jenis", "deskripsi",
)  # fmt: skip
CODE_WORDS = ("kode", "kode elemen", "no elemen", "nomor elemen", "kode data", "kode sipd", "id elemen")
UNIT_WORDS = ("satuan", "sat", "unit", "satuan data")
NOTE_WORDS = ("keterangan", "ket", "catatan", "sumber", "sumber data", "bidang", "definisi", "penjelasan")
OPD_WORDS = (
    "opd",
    "perangkat daerah",
    "nama opd",
    "skpd",
    "instansi",
    "produsen data",
    "nama perangkat daerah",
)
NUMBER_WORDS = ("no", "nomor", "no urut", "nomor urut")
YEAR_COLUMN_WORDS = ("tahun", "thn", "periode", "tahun data")
VALUE_WORDS = ("nilai", "jumlah", "angka", "capaian", "realisasi", "besaran", "nilai data", "data", "value")
SUBTOTAL_WORDS = {
    "", "jumlah", "total", "sub total", "subtotal", "jumlah total", "grand total", "total keseluruhan",
    "jumlah keseluruhan", "jumlah seluruhnya", "total jumlah", "jumlah total keseluruhan", "rata rata",
    "jumlah rata rata", "sub jumlah",
}  # fmt: skip
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_NOTE_START = re.compile(
    r"^\s*(\*|\(\*|sumber\s*(data)?\s*[:.]|catatan\b|keterangan\s*[:.]|ket\s*[:.]|note\s*[:.]|nb\s*[:.])",
    re.I,
)
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")


def cell_text(cell: object) -> str:
    """The text of a cell as written: floats that are whole numbers lose their ``.0``."""
    if type(cell) is str:
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return str(cell).strip()


@lru_cache(maxsize=8192)  # header texts repeat from sheet to sheet (templates)
def _matches(folded: str, words: tuple[str, ...]) -> bool:
    return any(folded == w or folded.startswith(w + " ") for w in words)


def clear_caches() -> None:
    """Empty the caches of header-word look-ups and header rows (results never depend on them)."""
    _matches.cache_clear()
    _classify_header.cache_clear()


@dataclass
class Layout:
    """Where the table is: header rows (grid indices, inclusive) and column roles (grid columns)."""

    header_start: int
    header_end: int
    label_col: int
    year_cols: list[tuple[int, int]] = field(default_factory=list)  # (column, year)
    code_col: int | None = None
    unit_col: int | None = None
    opd_col: int | None = None
    tahun_col: int | None = None  # long format
    value_col: int | None = None  # long format
    other_label_cols: list[int] = field(default_factory=list)
    headers: dict[int, str] = field(default_factory=dict)

    @property
    def is_long(self) -> bool:
        return self.tahun_col is not None and self.value_col is not None

    @property
    def value_cols(self) -> list[int]:
        return [self.value_col] if self.is_long else [c for c, _ in self.year_cols]


@dataclass(slots=True)
class RowInfo:
    """One row of a sheet with its role; label/code/unit/opd are texts as written."""

    index: int
    role: str
    label: str = ""
    code: str = ""
    unit: str = ""
    opd_text: str = ""
    section: str = ""


def _filled(grid: Grid, stop: int) -> tuple[list[list[str]], set[tuple[int, int]]]:
    """Texts of the first ``stop`` rows with merged ranges filled; also the covered cells."""
    width = max((len(r) for r in grid.rows[:stop]), default=0)
    texts = [[cell_text(c) for c in r] + [""] * (width - len(r)) for r in grid.rows[:stop]]
    covered: set[tuple[int, int]] = set()
    for (r0, c0), (r1, c1) in grid.merged:
        r0, r1, c0, c1 = r0 - grid.first_row, r1 - grid.first_row, c0 - grid.first_col, c1 - grid.first_col
        if r0 < 0 or c0 < 0 or r0 >= len(texts):
            continue
        top = texts[r0][c0] if c0 < width else ""
        for r in range(r0, min(r1, len(texts) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                if (r, c) != (r0, c0):
                    texts[r][c] = top
                    covered.add((r, c))
    return texts, covered


def _is_year_like(text: str) -> bool:
    return bool(_YEAR.fullmatch(text.rstrip("*").strip()))


def _continues(texts: list[list[str]], covered: set, raw: list[list], top: int, row: int) -> bool:
    """True when ``row`` continues the header that starts at ``top`` (see module docstring)."""
    cells = [(c, t) for c, t in enumerate(texts[row]) if t and (row, c) not in covered]
    if not cells:
        return any((row, c) in covered for c in range(len(texts[row])))
    for c, text in cells:
        above = texts[top][c] if c < len(texts[top]) else ""
        plain = above and (top, c) not in covered and not _spans_right(texts, covered, top, c)
        if plain and (_YEAR.search(above) or not _is_year_like(text)):
            return False  # the row writes under a plain header cell: it is data
        if not _is_year_like(text) and parse_cell(raw[row][c]).is_value:
            return False
    return True


def _spans_right(texts: list[list[str]], covered: set, row: int, col: int) -> bool:
    return (row, col + 1) in covered and texts[row][col + 1] == texts[row][col]


def _classify_columns(texts: list[list[str]], start: int, end: int) -> dict[str, object]:
    """The role of each column from the header rows ``start..end`` (copies: callers may keep them)."""
    roles = _classify_header(tuple(tuple(row) for row in texts[start : end + 1]))
    return {k: (list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v) for k, v in roles.items()}


@lru_cache(maxsize=1024)  # the files of a round mostly share a few templates: the same header rows
def _classify_header(header: tuple[tuple[str, ...], ...]) -> dict[str, object]:
    texts = [list(row) for row in header]
    start, end = 0, len(texts) - 1
    width = len(texts[start]) if texts else 0
    roles: dict[str, object] = {"years": [], "label": None, "code": None, "unit": None, "opd": None,
                                "tahun": None, "value": None, "headers": {}, "other": []}  # fmt: skip
    for c in range(width):
        parts: list[str] = []
        for r in range(start, end + 1):
            t = texts[r][c] if c < len(texts[r]) else ""
            if t and t not in parts:
                parts.append(t)
        if not parts:
            continue
        folded = [fold(p) for p in parts]
        composite = " ".join(parts)
        roles["headers"][c] = composite
        years = set(_YEAR.findall(composite))

        def hit(words: tuple[str, ...], folded: list[str] = folded) -> bool:
            return any(_matches(f, words) for f in folded)

        if hit(CODE_WORDS) and roles["code"] is None:
            roles["code"] = c
        elif hit(OPD_WORDS) and roles["opd"] is None:
            roles["opd"] = c
        elif hit(UNIT_WORDS) and roles["unit"] is None:
            roles["unit"] = c
        elif hit(NOTE_WORDS) or hit(NUMBER_WORDS):
            continue
        elif len(years) == 1:
            roles["years"].append((c, int(years.pop())))
        elif years:
            continue
        elif hit(YEAR_COLUMN_WORDS) and roles["tahun"] is None:
            roles["tahun"] = c
        elif hit(LABEL_WORDS) and roles["label"] is None:
            roles["label"] = c
        elif hit(VALUE_WORDS) and roles["value"] is None:
            roles["value"] = c
        else:
            roles["other"].append(c)
    return roles


def detect_layout(grid: Grid) -> Layout | None:
    """The table layout of a sheet, or None when no header is found in the first rows."""
    stop = min(len(grid.rows), HEADER_SEARCH_ROWS + 3)
    texts, covered = _filled(grid, stop)
    for top in range(min(len(texts), HEADER_SEARCH_ROWS)):
        if len({t for t in texts[top] if t}) < 2:
            continue  # blank, or a title written once (perhaps merged across)
        end = top
        while end + 1 < len(texts) and end - top < 2 and _continues(texts, covered, grid.rows, top, end + 1):
            end += 1
        roles = _classify_columns(texts, top, end)
        years, label = roles["years"], roles["label"]
        long = roles["tahun"] is not None and roles["value"] is not None and not years
        if not years and not long:
            continue
        value_cols = [c for c, _ in years] or [roles["value"]]
        if label is None:
            known = {roles["code"], roles["unit"], roles["opd"], roles["tahun"]}
            left = [c for c in roles["other"] if c < min(value_cols) and c not in known]
            if not left:
                continue
            label = left[0]
        if label > min(value_cols) and roles["code"] is None:
            continue
        others = [c for c in roles["other"] if c < min(value_cols) and c != label]
        layout = Layout(
            top, end, label, sorted(years), roles["code"], roles["unit"], roles["opd"],
            roles["tahun"] if long else None, roles["value"] if long else None, others, roles["headers"],
        )  # fmt: skip
        if end + 1 < len(texts) and _is_column_numbers(texts[end + 1]):
            layout.header_end = end + 1
        return layout
    return None


def _is_column_numbers(texts: list[str]) -> bool:
    cells = [t for t in texts if t]
    return (
        len(cells) >= 2
        and all(_COLUMN_NUMBER.match(t) for t in cells)
        and any("(" in t for t in cells)
        or (len(cells) >= 3 and [t for t in cells] == [str(i) for i in range(1, len(cells) + 1)])
    )


_LABEL_WORD_SET = frozenset(LABEL_WORDS)
_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)


def _a_year(cell: object) -> bool:
    """A cell holding just a year (``2021``, ``2021*``, 2021.0): the start of a header row of years."""
    if type(cell) is float:
        return cell.is_integer() and 1950 <= cell <= 2099
    return type(cell) is str and _is_year_like(cell.strip())


def _years_across(row: list, value_cols: list[int]) -> bool:
    """Every filled value cell of the row holds a year, at least two, rising by 1 to 5 from cell to cell
    (as a header's years do; counts that happen to lie between 1950 and 2099 rarely do)."""
    cells = [row[c] for c in value_cols if c < len(row) and not is_blank(row[c])]
    if len(cells) < 2 or not all(map(_a_year, cells)):
        return False
    years = [int(float(str(c).strip().rstrip("*"))) for c in cells]
    return all(1 <= b - a <= 5 for a, b in zip(years, years[1:], strict=False))


def _column_roles(layout: Layout) -> tuple:
    return (layout.label_col, tuple(layout.year_cols), layout.code_col, layout.unit_col, layout.opd_col,
            layout.tahun_col, layout.value_col)  # fmt: skip


def sub_grid(grid: Grid, start: int, stop: int | None = None) -> Grid:
    """The rows ``start:stop`` of a sheet as a grid of their own (same absolute positions)."""
    return Grid(grid.name, grid.rows[start:stop], grid.first_row + start, grid.first_col, grid.merged, grid.hidden)


def next_table(grid: Grid, layout: Layout, header_like: list[int]) -> tuple[int, Layout] | None:
    """Where a second table starts below the first in the same sheet, and its layout.

    A row that looks like a header (see :func:`row_roles`) starts a new table when a header is found
    right there and its columns differ from the first table's (other years, other columns): its rows
    must then be read with their own header. A header repeated as it was (a page break) is no new table.
    """
    for k in header_like:
        if k <= layout.header_end:
            continue
        found = detect_layout(sub_grid(grid, k))
        if found is not None and found.header_start == 0 and _column_roles(found) != _column_roles(layout):
            return k, found
    return None


def subtotal_words(region_words: tuple[str, ...]) -> set[str]:
    """Folded labels that mark a subtotal or total row, for a region."""
    words = set(SUBTOTAL_WORDS)
    for w in region_words:
        w = fold(w)
        if w:
            words |= {w, f"kabupaten {w}", f"kab {w}", f"kota {w}", f"jumlah {w}", f"total {w}"}
            words |= {f"jumlah kabupaten {w}", f"jumlah kab {w}", f"jumlah kota {w}"}
    return words


def classify_rows(grid: Grid, layout: Layout, totals: set[str]) -> list[RowInfo]:
    """A role for every row of the sheet (grid indices 0..len-1)."""
    return [RowInfo(*t) for t in row_roles(grid, layout, totals)]


# first characters (ASCII letters and digits) with which _NOTE_START can never match
_NOT_NOTE_START = frozenset("0123456789abdefghijlmopqrtuvwxyzABDEFGHIJLMOPQRTUVWXYZ")


def row_roles(grid: Grid, layout: Layout, totals: set[str], header_like: list[int] | None = None) -> list[tuple]:
    """What :func:`classify_rows` says, as plain tuples ``(index, role, label, code, unit, opd_text, section)``.

    One pass with the checks inlined: ingestion calls this for every sheet. ``header_like`` collects the
    rows below the header whose label is a header word (``Uraian``, ``Jenis Data``...) or the header's own
    label, or whose values are all years: where a second table may start in the same sheet (see
    :func:`next_table`).
    """
    out: list[tuple] = []
    append = out.append
    value_cols = layout.value_cols
    label_col, code_col, unit_col, opd_col = (
        layout.label_col,
        layout.code_col,
        layout.unit_col,
        layout.opd_col,
    )
    others = layout.other_label_cols
    header_label: str | None = None
    header_texts = None
    section = ""
    rows = grid.rows
    for i in range(min(layout.header_start, len(rows))):
        append((i, ROLE_BLANK if all(is_blank(c) for c in rows[i]) else ROLE_TITLE, "", "", "", "", ""))
    for i in range(layout.header_start, min(layout.header_end + 1, len(rows))):
        append((i, ROLE_HEADER, "", "", "", "", ""))
    for i in range(layout.header_end + 1, len(rows)):
        row = rows[i]
        n = len(row)
        first_cell = None
        for c in row:
            if c is None or c == "" or (type(c) is str and c.isspace()):
                continue
            first_cell = c
            break
        if first_cell is None:
            append((i, ROLE_BLANK, "", "", "", "", ""))
            continue
        label = row[label_col] if label_col < n else ""
        label = label.strip() if type(label) is str else cell_text(label)
        if not label:
            for c in others:
                if c < n and not is_blank(row[c]) and isinstance(row[c], str):
                    label = row[c].strip()
        # a number's text (digits, sign, "nan", "inf") never starts a note: its text is only needed below
        first = (
            first_cell.strip()
            if type(first_cell) is str
            else None
            if type(first_cell) is float
            else cell_text(first_cell)
        )
        has_value = False
        for c in value_cols:
            if c < n:
                v = row[c]
                if not (v is None or v == "" or (type(v) is str and v.isspace())):
                    has_value = True
                    if (
                        header_like is not None
                        and (1950.0 <= v <= 2099.0 if type(v) is float else type(v) is str and len(v) < 8)
                        and label
                        and _a_year(v)
                        and _years_across(row, value_cols)
                    ):
                        header_like.append(i)  # a row of years under a label: another table's header?
                    break
        if (
            first
            and first[0] not in _NOT_NOTE_START
            and _NOTE_START.match(first)
            and (not has_value or first == label)
        ):
            append((i, ROLE_NOTE, label, "", "", "", ""))
            continue
        if header_texts is None:
            header_texts = [fold(cell_text(c)) for c in rows[layout.header_start]]
            header_label = header_texts[label_col] if label_col < len(header_texts) else None
            # a label ending in an ASCII letter or digit folds to text ending in it: unless that is the last
            # letter of a header label, a header word or a subtotal word, folding it can tell nothing
            last_letters = {w[-1] for w in chain(totals, LABEL_WORDS, [header_label or ""]) if w}
        if not label:
            folded = ""
        elif label[-1] in _ASCII_ALNUM and label[-1].lower() not in last_letters:
            folded = None  # neither a header, a header word nor a subtotal
        else:
            folded = quick_fold(label)
        if label and folded is not None and folded == header_label:
            if header_like is not None:
                header_like.append(i)
            append((i, ROLE_HEADER, label, "", "", "", ""))
            continue
        if header_like is not None and folded in _LABEL_WORD_SET:
            header_like.append(i)
        code = unit = opd = ""
        if code_col is not None and code_col < n:
            code = row[code_col]
            code = code.strip() if type(code) is str else cell_text(code)
        if unit_col is not None and unit_col < n:
            unit = row[unit_col]
            unit = unit.strip() if type(unit) is str else cell_text(unit)
        if opd_col is not None and opd_col < n:
            opd = row[opd_col]
            opd = opd.strip() if type(opd) is str else cell_text(opd)
        if label and folded in totals:
            append((i, ROLE_SUBTOTAL, label, "", "", "", ""))
            continue
        if not has_value:
            if label and not unit:
                section = label
                append((i, ROLE_SECTION, label, "", "", "", ""))
            elif label:
                append((i, ROLE_NO_VALUE, label, code, unit, opd, section))
            else:
                append((i, ROLE_NOTE, cell_text(first_cell) if first is None else first, "", "", "", ""))
            continue
        if not label and not code:
            append((i, ROLE_NO_LABEL, "", "", "", "", ""))
            continue
        append((i, ROLE_DATA, label, code, unit, opd, section))
    return out


INSTRUCTION_WORDS = ("petunjuk", "instruksi", "cara pengisian", "panduan", "cover", "sampul", "readme",
                     "read me", "daftar isi", "pengantar", "contoh pengisian",
                     # metadata of the table (SIMDASI's ``Konsep Definisi``: Atribut | Nilai), no data
                     "konsep definisi", "konsep dan definisi", "metadata", "metadata statistik")  # fmt: skip
AUXILIARY_WORDS = (
    "informasi",
    "info",
    "keterangan",
    "referensi",
    "ref",
    "daftar",
    "lookup",
    "list",
    "master",
)


def _name_has(name: str, words: tuple[str, ...]) -> bool:
    f = fold(name)
    return any(f == w or f.startswith(w + " ") or f.endswith(" " + w) for w in words)


def is_instruction_sheet(name: str) -> bool:
    """True when a sheet's name says it is a cover or instruction sheet: skipped whatever it holds."""
    return _name_has(name, INSTRUCTION_WORDS)


_COPY = re.compile(r"^#?\s*(?P<base>.+?)\s*\(\d+\)$")
_DRAFT_WORDS = ("copy of", "salinan", "draft", "draf", "coba", "backup", "cadangan")


def copied_from(name: str, names: list[str]) -> str | None:
    """The sheet a sheet looks like a copy or draft of (``#Sheet1 (2)`` of ``Sheet1``; ``Copy of Data``), or
    ``"(draf)"`` for a sheet named as a draft; None for any other sheet."""
    m = _COPY.match(name.strip())
    if m and fold(m.group("base")) in {fold(n) for n in names if n != name}:
        return next(n for n in names if fold(n) == fold(m.group("base")))
    f = fold(name)
    return "(draf)" if any(f.startswith(w) for w in _DRAFT_WORDS) else None


def is_auxiliary_sheet(name: str) -> bool:
    """True for names such as ``Referensi`` or ``Keterangan``: skipped when no data table is found."""
    return _name_has(name, AUXILIARY_WORDS)
