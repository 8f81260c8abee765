"""Every value cell of a table with its year, period, element label, breakdown and total flag.

Where a value's **year** comes from, first found wins: its column header (``2022``, ``s/d Februari
2023``, ``2021/2022``, ``2019 over 2018``; a growth column without a year takes the year of the year
column left of it), its row (a ``Tahun`` column, or a row label such as ``Maret 2026``), the table's
title (``PER 31 MARET 2023``, ``Tahun 2022``), the sheet's title, the file name (``... tahun
2017.csv``), the sheet name. A title or name with several years (``2014 - 2021``) tells none. A
value whose year cannot be told is kept with an empty year, is never counted, and is an issue.

The **element** (what the value measures), by what the rows list (:mod:`.columns`): rows of
indicators: the row label (with the column's own words, ``Pertumbuhan``, when it has any); rows of
wilayah, months or categories: the column's words (``JUMLAH INDIVIDU``), else a category column, else
the table's title, else the sheet's name. The wilayah or category of the row is the value's
``rincian``; a row or column named ``Jumlah``/``Total``/``Indonesia``/the region is a ``total``.

Numbers in CSV/TXT text follow the Indonesian rules unless the column writes decimals with a dot
(``3204551.0``, ``2376558.39``): then the dot is a decimal point. A column that writes both kinds
(``1.474`` and ``1.49``) is read by what most of its cells say, and the others are issues
(``angka_tidak_pasti``): ``1.49`` could be 1,49 or 1.490 with a zero lost in an export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from satudata.common.names import fold
from satudata.reading.numbers import ParsedValue, parse_cell
from satudata.reading.table import columns as C
from satudata.reading.table.blocks import ROW_COLUMN_NUMBERS, ROW_TEXT, ROW_VALUES, ROW_YEARS, Block
from satudata.reading.table.labels import (
    MONTHS,
    NOT_ADDITIVE,
    YEAR,
    LabelInfo,
    is_generic,
    month_of,
    periode_of,
    read_label,
)
from satudata.reading.table.sheet import NUMBER, SYMBOL, TEXT, Sheet

_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_DOT_DECIMAL = re.compile(r"^-?(\d+\.\d{1,2}|\d{4,}\.\d+|\d+\.\d{4,})$")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ENUMERATOR = re.compile(r"^\s*(tabel|table|lampiran)?\s*([A-Z]|[IVX]+|\d+(\.\d+)*)\s*[.)]\s+", re.I)


@dataclass
class ValueCell:
    """One value read from a cell (grid indices ``row``, ``col``)."""

    row: int
    col: int
    parsed: ParsedValue
    tahun: int | None
    tahun_dari: str  # where the year came from: kolom, baris, judul, judul_sheet, nama_berkas, nama_sheet
    periode: str | None
    elemen: str
    label_baris: str
    label_kolom: str
    rincian: str | None
    jenis_rincian: str | None
    total: bool
    satuan: str | None
    kode: str
    bagian: str


@dataclass
class CellIssue:
    """A cell (or a row, ``col`` None) that could not be read as a value: what and why."""

    row: int
    col: int | None
    code: str
    detail: str
    numeric: int = 0  # numeric cells it covers (for the cell accounting)


@dataclass
class TableReading:
    """One table read: where it is, its shape, where its years come from, its values and issues."""

    block: Block
    shape: str
    year_source: str
    values: list[ValueCell] = field(default_factory=list)
    issues: list[CellIssue] = field(default_factory=list)
    structural: int = 0  # numeric cells that are structure (years in headers, row numbers, codes...)
    title: str = ""
    columns: C.Columns | None = None
    row_roles: dict[int, str] = field(default_factory=dict)


@dataclass
class Context:
    """What the table's surroundings say: file and sheet names, the sheet's title, region words."""

    file_stem: str
    sheet_name: str
    text_source: bool
    totals: set[str]
    sheet_title: LabelInfo | None = None


def title_text(sheet: Sheet, rows: list[int]) -> str:
    """The texts of the title rows, each once, in reading order."""
    texts: dict[str, None] = {}
    for r in rows:
        for j in sheet.cells(r):
            if sheet.own[r][j]:
                texts.setdefault(sheet.own[r][j])
    return " ".join(texts)


_LETTER = re.compile(r"[A-Za-z]")


def _indicator_from_title(sheet: Sheet, rows: list[int]) -> str:
    """The title line that names the indicator: the longest, without its enumerator and years."""
    best, most = "", 0
    for r in rows:
        for j in sheet.cells(r):
            t = sheet.own[r][j]
            if len(t) > most:  # no text shorter than the best so far has more letters
                letters = len(_LETTER.findall(t))
                if letters > most:
                    best, most = t, letters
    if not best:
        return ""
    words = read_label([_ENUMERATOR.sub("", best)]).words
    return re.sub(r"[\s,;:-]+$", "", words).strip()


def _decimal_modes(sheet: Sheet, rows: list[int], cols: list[int]) -> tuple[dict[int, str], set[tuple[int, int]]]:
    """Per value column of a text source: 'dot' or 'id', and the cells that contradict their column."""
    modes: dict[int, str] = {}
    doubtful: set[tuple[int, int]] = set()
    for j in cols:
        texts = [(i, sheet.own[i][j].replace(" ", "")) for i in rows if isinstance(sheet.raw[i][j], str)]
        if any("," in t for _, t in texts):
            continue
        thousands = [i for i, t in texts if _THOUSANDS.match(t)]
        decimals = [i for i, t in texts if _DOT_DECIMAL.match(t)]
        if decimals and not thousands:
            modes[j] = "dot"
        elif decimals and thousands:
            if len(decimals) > len(thousands):
                modes[j] = "dot"
                doubtful |= {(i, j) for i in thousands}
            else:
                doubtful |= {(i, j) for i in decimals}
    return modes, doubtful


_COMMA_AMBIGUOUS = re.compile(r"^-?[1-9]\d{0,2},\d{3}$")
_COMMA_THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?$|^-?\d{1,3}(?:,\d{3})+\.\d+$")
_COMMA_DECIMAL = re.compile(r"^-?\d+,(?:\d{1,2}|\d{4,})$|^-?\d{1,3}(?:\.\d{3})+,\d+$|^-?0,\d+$")


def _comma_mode(sheet: Sheet, rows: list[int], cols: list[int]) -> str | None:
    """What a comma means in the table's text numbers when some read either way (``14,150``: 14.15 or
    14150): ``"desimal"`` when another cell proves a decimal comma (``12,5``, ``1.234,5``, ``0,125``),
    ``"ribuan"`` when another proves comma thousands (``1,234,567``, ``1,234.5``), ``"tidak_pasti"`` when
    nothing in the table tells (those cells are issues, never guessed), None when no cell is ambiguous."""
    own = sheet.own
    texts = [_strip_spaces(sheet.raw[i][j]) for i in rows for j in cols
             if "," in own[i][j] and isinstance(sheet.raw[i][j], str)]  # fmt: skip
    if not any(_COMMA_AMBIGUOUS.match(s) for s in texts):
        return None
    decimal = any(_COMMA_DECIMAL.match(s) for s in texts)
    thousands = any(_COMMA_THOUSANDS.match(s) for s in texts)
    if decimal != thousands:
        return "desimal" if decimal else "ribuan"
    return "tidak_pasti"


_AREA = re.compile(r"\b(kabupaten|kab\.?|kota|provinsi|propinsi|prov\.?)\s+", re.I)
_AREA_KIND = {"kab": "Kabupaten", "kab.": "Kabupaten", "prov": "Provinsi", "prov.": "Provinsi", "propinsi": "Provinsi"}
# the short names provinces go by in file names and titles (``piramida_data_sulbar``)
PROVINCE_SHORT = {
    "sumut": "Sumatera Utara", "sumbar": "Sumatera Barat", "sumsel": "Sumatera Selatan", "kepri": "Kepulauan Riau",
    "babel": "Kepulauan Bangka Belitung", "jabar": "Jawa Barat", "jateng": "Jawa Tengah", "jatim": "Jawa Timur",
    "diy": "Daerah Istimewa Yogyakarta", "ntb": "Nusa Tenggara Barat", "ntt": "Nusa Tenggara Timur",
    "kalbar": "Kalimantan Barat", "kalteng": "Kalimantan Tengah", "kalsel": "Kalimantan Selatan",
    "kaltim": "Kalimantan Timur", "kaltara": "Kalimantan Utara", "sulut": "Sulawesi Utara",
    "sulteng": "Sulawesi Tengah", "sulsel": "Sulawesi Selatan", "sultra": "Sulawesi Tenggara",
    "sulbar": "Sulawesi Barat", "malut": "Maluku Utara", "pabar": "Papua Barat", "papbar": "Papua Barat",
}  # fmt: skip
_AREA_EN = re.compile(r"\b([A-Z][A-Za-z'.-]*(?:\s+[A-Z][A-Za-z'.-]*){0,2})\s+(?i:regency|municipality|city|province)\b")
_NOT_A_NAME = {"pada", "tahun", "menurut", "dan", "di", "per", "sampai", "bulan", "semester", "triwulan", "by", "in",
               "of", "and", "the", "kecamatan", "kabupaten", "kota", "provinsi", "keadaan", "posisi", "data", "jumlah"}


def file_words(stem: str) -> str:
    """A file's name as the words it writes: underscores, and hyphens between letters, are spaces, and the
    short names of regions are written out (``Daerah_kab-bantul-jumlah-kasus-2018-2022`` -> ``Daerah
    Kabupaten bantul jumlah kasus-2018-2022``, ``piramida_data_sulbar`` -> ``piramida data Provinsi Sulawesi
    Barat``)."""
    words = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", " ", re.sub(r"_+", " ", stem)).strip()
    words = re.sub(r"(?i)\bkab\b(?!\.?\s*kota)", "Kabupaten", words)
    return re.sub(r"[A-Za-z]+", lambda m: f"Provinsi {PROVINCE_SHORT[m.group(0).lower()]}"
                  if m.group(0).lower() in PROVINCE_SHORT else m.group(0), words)


def _named_regions(text: str) -> list[tuple[str, str]]:
    """The regions a title or file name names, as ``(kind, name)`` written there: ``Kabupaten Sikka``,
    ``KABUPATEN BANYUMAS PADA TAHUN 2020`` (the name stops at a word that is no name, a comma or a bracket),
    ``Sikka Regency`` (kind empty)."""
    text = text.replace("_", " ")
    out = []
    for m in _AREA.finditer(text):
        words = []
        for raw in text[m.end():].split()[:4]:
            word = raw.rstrip(",;:)")
            if raw.startswith("(") or fold(word) in _NOT_A_NAME or not re.fullmatch(r"[A-Za-z'.-]+", word):
                break
            words.append(word)
            if word != raw:
                break
        if words:
            out.append((m.group(1), " ".join(words)))
    out += [("", m.group(1)) for m in _AREA_EN.finditer(text)]
    out += [("Provinsi", PROVINCE_SHORT[w]) for w in re.findall(r"[A-Za-z]+", text.lower()) if w in PROVINCE_SHORT]
    return out


def _title_regions(text: str) -> set[str]:
    """The ways a row may name the region a title covers (``... di Kabupaten Sikka, 2021`` -> ``sikka``,
    ``kabupaten sikka``...): a row labelled so is the table's total."""
    out = set()
    for _, name in _named_regions(text):
        name = fold(name)
        out |= {name, f"kabupaten {name}", f"kota {name}", f"provinsi {name}", f"kab {name}"}
    return out


def _covered_region(text: str) -> str | None:
    """The one region a title or file name says its table covers, as written (``KABUPATEN BANYUMAS``);
    None when it names none or several."""
    found = {f"{_AREA_KIND.get(kind.lower(), kind)} {name}" for kind, name in _named_regions(text) if kind}
    return found.pop() if len(found) == 1 else None


def _one_period(text: str) -> bool:
    """True when a title names a single period: one month word (``... Miskin Maret (%)``), not a span
    (``Januari - Desember``) and not several."""
    return len({month_of(w) for w in re.findall(r"[A-Za-z]{3,}", text) if month_of(w)}) == 1


def _spaced(label: str) -> str:
    """The name of a wilayah or category as a reader says it: underscores for spaces (``Ogan_Komering_Ulu``),
    a code or number in front dropped (``01   Nias``, ``1. Balige``), letters spaced out joined (``N i a s``)."""
    if "_" in label and " " not in label.strip():
        label = re.sub(r"(?<=[^\W_])_+(?=[^\W_])", " ", label)
    label = re.sub(r"^\s*\d+(?:\.\d+)*\s*[.)]?\s+(?=\D)", "", label)
    return re.sub(r"\b(?:[A-Za-z] {1,3}){2,}[A-Za-z]\b", lambda m: m.group(0).replace(" ", ""), label).strip()


def _strip_spaces(text: str) -> str:
    return re.sub(r"[\s\u00a0\u2007\u202f\u2009]+", "", text).rstrip("*%")


def _doubtful_year_columns(cols: C.Columns, infos: dict[int, LabelInfo], value_cols: list[int]) -> set[int]:
    """Value columns whose year cannot be told from their header: a year with a footnote number glued on
    (``20201``), or the same year header written twice in one group (``2018 2020 2020`` under ``Banjir``)."""
    out = {j for j in value_cols if infos[j].doubtful}
    seen: dict[tuple, list[int]] = {}
    for j in value_cols:
        info, parts = infos[j], cols.columns[j].parts
        if info.year is not None and parts:
            key = (tuple(parts[:-1]), parts[-1], info.periode, info.words)
            seen.setdefault(key, []).append(j)
    for columns in seen.values():
        if len(columns) > 1:
            out |= set(columns)
    return out


_LAST_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)\d{0,2}(?!\d)")


def _title_line_years(sheet: Sheet, rows: list[int]) -> list[tuple[int, ...]]:
    """The years each title line names, in the order written (``..., 2018, 2020, 2021`` -> 2018, 2020, 2021)."""
    out = []
    for r in rows:
        years = tuple(int(y) for y in YEAR.findall(" ".join(sheet.own[r][j] for j in sheet.cells(r))))
        if years:
            out.append(years)
    return out


def _years_from_title(cols: C.Columns, infos: dict[int, LabelInfo], value_cols: list[int], doubtful: set[int],
                      title_years: list[tuple[int, ...]]) -> dict[int, int]:  # fmt: skip
    """Years for the columns of a group whose headers contradict themselves (``2018 2020 2020``, ``20201
    20202``), taken from the title when one of its lines lists as many years as the group has columns, in
    the order the headers follow and agreeing with every header that is not in doubt: ``..., 2018, 2020,
    2021`` over ``2018 2020 2020`` gives 2018, 2020, 2021. Anything else settles nothing."""
    groups: dict[tuple, list[int]] = {}
    for j in value_cols:
        groups.setdefault(tuple(cols.columns[j].parts[:-1]), []).append(j)
    out: dict[int, int] = {}
    for members in groups.values():
        if not doubtful & set(members):
            continue
        heads = []
        for j in members:
            found = _LAST_YEAR.findall(cols.columns[j].parts[-1]) if cols.columns[j].parts else []
            heads.append(int(found[-1][:4]) if found else None)
        options = {line for line in title_years if len(line) == len(members) and list(line) == sorted(set(line))}
        if len(options) != 1 or None in heads:
            continue
        line = options.pop()
        agrees = all(h == y or (j in doubtful and k and h == heads[k - 1]) or (j in doubtful and infos[j].doubtful)
                     for k, (j, h, y) in enumerate(zip(members, heads, line, strict=True)))
        if agrees and all(b >= a for a, b in zip(heads, heads[1:], strict=False)):
            out.update({j: y for j, y in zip(members, line, strict=True) if j in doubtful})
    return out


def read_table(sheet: Sheet, block: Block, kinds: list[str], ctx: Context) -> TableReading:
    """The values of one table (see module docstring)."""
    colnum_rows = {r for r in block.header if kinds[r] == ROW_COLUMN_NUMBERS}
    value_rows = [r for r in block.data if kinds[r] == ROW_VALUES]
    cols = C.classify(sheet, block.header, value_rows, block.left, block.right, colnum_rows)
    value_cols = cols.of(C.ROLE_NILAI)
    infos = {j: read_label(cols.columns[j].parts) for j in value_cols}
    # a growth column without a year compares the year column left of it with the one before
    for j in value_cols:
        if infos[j].year is None and infos[j].growth:
            left = [k for k in value_cols if k < j and infos[k].year is not None]
            if left:
                src = infos[left[-1]]
                info = infos[j]
                infos[j] = LabelInfo(info.years, src.year, src.periode, True, info.school_year, info.unit,
                                     info.total, info.words)  # fmt: skip
    whole_title = title_text(sheet, block.titles) if block.titles else ""
    title = read_label([whole_title]) if block.titles else None
    regions = _title_regions(whole_title) if block.titles else set()
    # the region the table covers, when its title (else the file's name) names one: the breakdown of the
    # values whose row names none (``RATA-RATA HARGA DI KABUPATEN BANYUMAS``)
    covered = _covered_region(whole_title) or _covered_region(ctx.file_stem)
    indicator = _indicator_from_title(sheet, block.titles)
    if not indicator and ctx.sheet_title is not None:
        indicator = ctx.sheet_title.words
    file_info = read_label([ctx.file_stem])
    sheet_info = read_label([ctx.sheet_name])
    fallbacks = [
        ("judul", title),
        ("judul_sheet", ctx.sheet_title),
        ("nama_berkas", file_info),
        ("nama_sheet", sheet_info),
    ]
    table_year, year_source = None, ""
    for source, info in fallbacks:
        if info is not None and info.years:
            if info.year is not None:
                table_year, year_source = info.year, source
            break  # several years in a title: it tells none, and no later source is asked
    issues_first: list[CellIssue] = []
    # the period of the title (``Persentase Penduduk Miskin Maret``), when it names one and only one
    # the period of a title: of every value when the title names one month and no year (``Persentase
    # Penduduk Miskin Maret``: the month every year column was measured); of the values whose year the title
    # gives when it names a year too (``REALISASI JUNI 2022``: a date, not the period of other years)
    title_periode = title.periode if title is not None and _one_period(whole_title) else None
    dated_title = title is not None and bool(title.years)
    modes, doubtful = _decimal_modes(sheet, value_rows, value_cols) if ctx.text_source else ({}, set())
    comma = _comma_mode(sheet, value_rows, value_cols)
    doubtful_years = _doubtful_year_columns(cols, infos, value_cols)
    settled = _years_from_title(cols, infos, value_cols, doubtful_years, _title_line_years(sheet, block.titles))
    for j in sorted(doubtful_years):
        year_row = next((r for r in block.header if read_label([sheet.text[r][j]]).years), max(block.header, default=block.top))
        literal = read_label([cols.columns[j].parts[-1]]).year if cols.columns[j].parts else None
        if j in settled and settled[j] == literal:
            pass  # the title agrees with the header as written: nothing was overridden
        elif j in settled:
            issues_first.append(CellIssue(year_row, j, "tahun_dari_judul", f"{sheet.text[year_row][j]}|{settled[j]}"))
        else:
            issues_first.append(CellIssue(year_row, j, "tahun_tidak_pasti", sheet.text[year_row][j]))
            continue
        info = infos[j]
        infos[j] = LabelInfo(info.years, settled[j], info.periode, info.growth, info.school_year, info.unit, info.total,
                             info.words)  # fmt: skip
    doubtful_years -= set(settled)
    tahun_col = (cols.of(C.ROLE_TAHUN) or [None])[0]
    bulan_col = (cols.of(C.ROLE_BULAN) or [None])[0]
    unit_col = (cols.of(C.ROLE_SATUAN) or [None])[0]
    code_col = (cols.of(C.ROLE_KODE) or [None])[0]
    label_col = cols.label
    extra_labels = [j for j in cols.of(C.ROLE_LABEL) if j != label_col and not cols.columns[j].constant]
    stub_labels = cols.of(C.ROLE_LABEL)  # every column that says what a row is, left to right
    stub_cols = set(cols.of(C.ROLE_LABEL)) | set(cols.of(C.ROLE_KODE))
    extra_dims = {j: C.row_dimension(sheet, cols.columns[j], value_rows) for j in extra_labels}
    dim = cols.dimension
    if label_col is None and (tahun_col is not None or bulan_col is not None):
        dim = C.DIM_PERIODE  # "Tahun | UMP": each row is a year (or month); the columns are the indicators
    column_total = _column_totals(cols, value_cols)
    headers = {j: cols.columns[j].header for j in value_cols}
    own_words = {j: "" if is_generic(infos[j].words) else infos[j].words for j in value_cols}
    shape = _shape(cols, infos, tahun_col is not None, bool(value_cols))
    # the table's title as a reader would say it: its title block, else the sheet's title, else the file's name
    # when that reads as a title (``Jumlah Penduduk ... di Provinsi Banten, 2019.csv``)
    named = file_info.words if len(re.findall(r"[A-Za-z]{2,}", file_info.words)) >= 3 else ""
    out = TableReading(block, shape, "", title=indicator or named, columns=cols)
    out.issues.extend(issues_first)
    span = range(block.left, block.right + 1)  # tables side by side share rows, never columns

    def numbers_in(r: int) -> int:
        return sum(sheet.kind[r][j] == NUMBER for j in span)

    # numbers in the header (years, column numbers) are structure; those of titles and notes are
    # counted once per sheet (read_sheet), as tables side by side share them
    for r in block.header:
        out.structural += numbers_in(r)
        out.row_roles[r] = "header"
    for r in block.titles:
        out.row_roles[r] = "judul"
    for r in block.notes:
        out.row_roles[r] = "catatan"
    structure_cols = [j for j, c in cols.columns.items() if c.role != C.ROLE_NILAI]
    section = ""
    sources_used: set[str] = set()
    bare_rows: dict[int, str] = {}
    for r in block.data:
        # the header written again (a page break, or the same header under a new heading) is structure
        if kinds[r] == ROW_TEXT and all(
                j in cols.columns and sheet.own[r][j] in cols.columns[j].parts for j in sheet.cells(r)):
            out.row_roles[r] = "header"
            continue
        # a row of text under the header with text in value columns ("Jumlah Dokter | abc | 1.2.3") is a
        # data row whose cells are invalid, not a section
        invalid_row = kinds[r] == ROW_TEXT and label_col is not None and bool(sheet.text[r][label_col]) and any(
            sheet.kind[r][j] == TEXT for j in value_cols)
        if kinds[r] != ROW_VALUES and not invalid_row:
            if kinds[r] == ROW_TEXT:
                cells = sheet.cells(r)
                section = sheet.own[r][cells[0]] if len(cells) == 1 else section
                out.row_roles[r] = "judul_bagian"
                out.structural += numbers_in(r)  # the number of a numbered heading (``1 | BERAS``)
            elif kinds[r] in (ROW_YEARS, ROW_COLUMN_NUMBERS):
                out.row_roles[r] = "header"
                out.structural += numbers_in(r)
            elif kinds[r] != "blank":
                out.row_roles[r] = "judul_bagian"
            continue
        out.structural += sum(sheet.kind[r][j] == NUMBER for j in structure_cols)
        label = sheet.text[r][label_col].strip() if label_col is not None else ""
        if label_col is not None and cols.columns[label_col].numbered:
            label = cols.columns[label_col].stub_text(label)  # ``Minggu Ke- 7``
        elif label_col is not None and sheet.kind[r][label_col] in (NUMBER, SYMBOL) and (r, label_col) not in sheet.merged_into:
            label = ""  # a number or a sign is no label
        if not label and label_col is not None:
            # a stub written as a staircase (domain, aspect, indicator each one column further right): the
            # row's label is the text nearest left of the label column
            label = next((sheet.own[r][k].strip() for k in range(label_col - 1, block.left - 1, -1)
                          if k in stub_cols and sheet.kind[r][k] == TEXT and sheet.own[r][k].strip()), "")
        extras = [cols.columns[j].stub_text(sheet.text[r][j].strip()) for j in extra_labels if sheet.text[r][j].strip()]
        extras = [e for e in extras if e != label]
        # another key column of a long table that is no wilayah (``jenis_penyakit``: CAMPAK) says which
        # variant of the column's measure the row holds: it is part of the element
        kinds_of = [cols.columns[j].stub_text(sheet.text[r][j].strip()) for j in extra_labels
                    if extra_dims[j] != C.DIM_WILAYAH and sheet.text[r][j].strip() not in ("", label)]
        # the row's label as its whole stub says it: ``KOTA BANDUNG / RESTORAN``, ``Jakarta Selatan / Jagakarsa``
        row_label = " / ".join(dict.fromkeys(
            t for t in ([label] if len(stub_labels) < 2 or label_col is None else
                        [label if k == label_col else cols.columns[k].stub_text(sheet.text[r][k].strip()) for k in stub_labels])
            if t))  # fmt: skip
        # the wilayah above the row's own, in a column left of it (``Jakarta Selatan | Jagakarsa``)
        parents = [_spaced(sheet.text[r][j].strip()) for j in extra_labels if extra_dims[j] == C.DIM_WILAYAH
                   and label_col is not None and j < label_col and sheet.text[r][j].strip() not in ("", label)]
        code = sheet.own[r][code_col] if code_col is not None else ""
        unit = sheet.own[r][unit_col] if unit_col is not None else ""
        row_year = None
        row_periode = None
        if tahun_col is not None and sheet.kind[r][tahun_col] == NUMBER:
            row_year = int(sheet.parsed[r][tahun_col].nilai)
        if bulan_col is not None:
            b = sheet.parsed[r][bulan_col].nilai if sheet.kind[r][bulan_col] == NUMBER else None
            key = fold(cols.columns[bulan_col].parts[-1]) if cols.columns[bulan_col].parts else ""
            if b is not None and C.period_key(key):
                row_periode = f"{'Triwulan' if C.period_key(key) == 4 else 'Semester'} {_ROMAN[int(b)]}"
            elif b is not None and float(b).is_integer() and 1 <= b <= 12:
                row_periode = MONTHS[int(b) - 1]
            else:
                row_periode = month_of(sheet.own[r][bulan_col]) or periode_of(sheet.own[r][bulan_col])
        if label and row_year is None and dim != C.DIM_PERIODE:
            keyed = read_label([label])
            if keyed.year is not None and (not keyed.words or fold(keyed.words) in ("tahun", "year", "jumlah", "total")):
                row_year = keyed.year  # ``Tahun 2021`` under the kecamatan: a row keyed by its year
        stamp = sheet.raw[r][label_col] if label_col is not None else None
        if dim == C.DIM_PERIODE and isinstance(stamp, (date, datetime)):
            row_year = row_year or stamp.year
            row_periode = row_periode or (MONTHS[stamp.month - 1] if stamp.day == 1 else None)  # a month's row
        elif dim == C.DIM_PERIODE and label:
            li = read_label([label])
            row_periode = row_periode or month_of(label) or li.periode
            row_year = row_year or li.year
        if not label and code:
            label = code
        if not label and not extras:  # "Jumlah" written in the No column of a total row
            texts = [sheet.own[r][j] for j in structure_cols if sheet.kind[r][j] == TEXT]
            label = next((t for t in texts if fold(t) in ctx.totals or read_label([t]).total), "")
        if not label and label_col is None:
            label = " ".join(sheet.own[r][j] for j in (tahun_col, bulan_col) if j is not None).strip()
        folded = fold(label)
        spaced = _spaced(label) if dim in (C.DIM_WILAYAH, C.DIM_KATEGORI) else label
        is_total_row = bool(label) and (folded in ctx.totals or folded in regions or read_label([label]).total)
        if is_total_row and dim == C.DIM_WILAYAH and _bare_name(folded):
            bare_rows[r] = spaced  # ``Demak`` in Kabupaten Demak: the region's row, or its kecamatan Demak
        produced = 0
        for j in value_cols:
            k = sheet.kind[r][j]
            if k not in (NUMBER, SYMBOL):
                if k == TEXT:
                    out.issues.append(CellIssue(r, j, "nilai_tidak_valid", sheet.own[r][j]))
                continue
            if not label and not extras:
                out.issues.append(CellIssue(r, j, "label_kosong", sheet.own[r][j], int(k == NUMBER)))
                continue
            if (r, j) in doubtful:
                out.issues.append(CellIssue(r, j, "angka_tidak_pasti", sheet.own[r][j], 1))
                continue
            parsed = sheet.parsed[r][j]
            if j in modes and isinstance(sheet.raw[r][j], str):
                parsed = parse_cell(sheet.raw[r][j], modes[j])
            if comma and isinstance(sheet.raw[r][j], str) and _COMMA_AMBIGUOUS.match(_strip_spaces(sheet.raw[r][j])):
                if comma == "tidak_pasti":
                    out.issues.append(CellIssue(r, j, "koma_tidak_pasti", sheet.own[r][j], 1))
                    continue
                if comma == "ribuan":
                    parsed = ParsedValue(parsed.nilai * 1000, parsed.status)
                else:
                    parsed = ParsedValue(parsed.nilai, parsed.status)  # the table proves a decimal comma
            info = infos[j]
            year, source = info.year, "kolom"
            if j in doubtful_years:
                year = None  # never the title's or the row's year in place of a doubtful header
            elif row_year is not None and (year is None or tahun_col is None):
                year, source = row_year, "baris"  # a row keyed by its year beats the column header
            if year is None and table_year is not None and j not in doubtful_years:
                year, source = table_year, year_source
            if year is None:
                source = ""
            periode = info.periode or row_periode or (
                title_periode if not dated_title or source == "judul" else None) or (
                ctx.sheet_title.periode if source == "judul_sheet" and ctx.sheet_title is not None else None)
            sources_used.add(source)
            words = own_words[j]
            rincian = jenis = None
            if dim == C.DIM_INDIKATOR:
                element = label if not words else f"{label} - {words}"
                if extras:
                    rincian, jenis = " / ".join(extras), "kategori"
            else:
                base = words
                if not base or info.growth:
                    base = (extras[0] if extras else indicator or ctx.sheet_name) + (f" - {words}" if words else "")
                elif kinds_of:
                    base = f"{base} - {' / '.join(kinds_of)}"
                element = base
                if dim == C.DIM_WILAYAH:
                    rincian, jenis = (None if is_total_row else " / ".join(parents + [spaced])), "wilayah"
                elif dim == C.DIM_KATEGORI:
                    rincian, jenis = spaced, "kategori"
                elif extras:
                    rincian, jenis = " / ".join(extras), "kategori"
            if rincian is None and covered and not is_total_row:
                rincian, jenis = covered, "wilayah"
            out.values.append(ValueCell(
                r, j, parsed, year, source, periode, element, row_label, headers[j], rincian, jenis,
                is_total_row or j in column_total, unit or info.unit or None, code, section,
            ))  # fmt: skip
            produced += 1
        out.row_roles[r] = "data" if produced else "ditolak"
    if bare_rows:
        _settle_bare_region_rows(out, bare_rows, column_total, f"{whole_title} {' '.join(headers.values())}")
    used = sorted(s for s in sources_used if s)
    out.year_source = ", ".join(used) if used else ("tidak ada" if value_cols else "")
    if "" in sources_used:
        first = min((v.row for v in out.values if v.tahun is None), default=None)
        if first is not None:
            out.issues.append(CellIssue(first, None, "tahun_tidak_diketahui",
                                        str(sum(v.tahun is None for v in out.values))))
    return out


_REGION_KINDS = {"kabupaten", "kab", "kota", "provinsi", "prov", "propinsi", "jumlah", "total"}


def _bare_name(folded: str) -> bool:
    """True for a row label that is the region's bare name (``demak``), not ``kabupaten demak`` or ``jumlah``:
    the capital kecamatan often bears the region's name."""
    return bool(folded) and folded.split()[0] not in _REGION_KINDS and not read_label([folded]).total


def _settle_bare_region_rows(out: TableReading, bare_rows: dict[int, str], column_total: set[int], words: str) -> None:
    """A row named only by the region's bare name (``Demak`` under ``Kecamatan``) is the region's total only
    when the table proves it: no other total row, and its numbers add up to the other rows (or, for figures
    that do not add up, it stands first or last). Otherwise it is the kecamatan of that name: a breakdown."""
    by_row: dict[int, list[ValueCell]] = {}
    for v in out.values:
        by_row.setdefault(v.row, []).append(v)
    explicit = any(all(v.total or v.col in column_total for v in vs) and any(v.col not in column_total for v in vs)
                   for r, vs in by_row.items() if r not in bare_rows)  # fmt: skip
    rows = sorted(by_row)
    for r, name in bare_rows.items():
        if explicit:
            total = False
        elif NOT_ADDITIVE.search(words):
            total = r in (rows[0], rows[-1])
        else:
            total = _adds_up(by_row, r)
        if not total:
            for k, v in enumerate(out.values):
                if v.row == r and v.rincian is None:
                    out.values[k] = replace(v, total=v.col in column_total, rincian=name, jenis_rincian="wilayah")


def _adds_up(by_row: dict[int, list[ValueCell]], r: int) -> bool:
    """True when every numeric cell of row ``r`` equals the sum of its column over the other non-total rows
    (at least two of them, within rounding), and at least one column was checked."""
    checked = 0
    for v in by_row[r]:
        if v.parsed.nilai is None:
            continue
        parts = [w.parsed.nilai for rr, vs in by_row.items() if rr != r for w in vs
                 if w.col == v.col and not w.total and w.parsed.nilai is not None]  # fmt: skip
        if len(parts) < 2:
            continue
        if abs(sum(parts) - v.parsed.nilai) > max(1.0, abs(v.parsed.nilai) * 0.005):
            return False
        checked += 1
    return checked > 0


def _column_totals(cols: C.Columns, value_cols: list[int]) -> set[int]:
    """Value columns that total their siblings: ``Negeri | Swasta | Total`` under one group header
    (a lone ``Jumlah`` column is the value column of its table, no total)."""
    out = set()
    groups: dict[tuple, list[int]] = {}
    for j in value_cols:
        info = read_label(cols.columns[j].parts)
        parts = [p for p in info.words.split(" / ") if p]
        if parts:
            groups.setdefault(tuple(parts[:-1]), []).append(j)
    for members in groups.values():
        lasts = {j: fold(read_label(cols.columns[j].parts).words.split(" / ")[-1]) for j in members}
        if len(set(lasts.values())) < 2:
            continue
        out |= {j for j, last in lasts.items() if last in ("total", "jumlah", "jumlah total", "total jumlah")}
    return out


def _shape(cols: C.Columns, infos: dict[int, LabelInfo], long: bool, has_values: bool) -> str:
    """A short name of the table's shape, for ``satudata check`` and the manifest."""
    if not has_values:
        return "tanpa_nilai"
    rows = {C.DIM_WILAYAH: "wilayah", C.DIM_PERIODE: "periode", C.DIM_KATEGORI: "kategori",
            C.DIM_INDIKATOR: "indikator"}[cols.dimension]  # fmt: skip
    if long:
        return f"panjang ({rows} x tahun)"
    across = "tahun" if any(i.year is not None for i in infos.values()) else "indikator"
    if any(i.periode for i in infos.values()):
        across += "+periode"
    return f"{rows} x {across}"
