#!/usr/bin/env python3
"""Build and check the cell-level truth of this folder (fresh batch-a).

usage (from any directory):
    python build_truth.py            # write truth/<id>.csv for every file with truth
    python build_truth.py --check    # write the truth, re-read every truth row against its raw cell
                                     # (python-calamine, and a second reader: openpyxl for .xlsx,
                                     # xlrd for .xls), list every numeric or number-like cell NOT in
                                     # the truth by exclusion class, run the sum checks, write
                                     # check_report.txt

One function per file names the data region by hand (rows, columns, label column, header rows).
Cells are read with python-calamine (cached values). CSV files are read with the csv module over the
CSV grid: record n = row n, field k = column k, so A1 is the first field of the first record; a
UTF-8 BOM is not part of A1.

Conventions: ../../2026-11-30/corpus-truth-method.md plus the calls listed in README.md.
xlrd is optional (only the second reader of the .xls files needs it): pip install --target <dir>
xlrd and put <dir> on PYTHONPATH. This script never imports or runs the tool under test.
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from python_calamine import CalamineWorkbook

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
TRUTH = HERE / "truth"
COLS = ["file", "sheet", "cell", "value", "year", "period", "row_label", "column_label", "wilayah",
        "unit", "is_total", "note"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]
MONTH_EN = {"jan": "Januari", "feb": "Februari", "mar": "Maret", "apr": "April", "may": "Mei",
            "jun": "Juni", "jul": "Juli", "aug": "Agustus", "sep": "September", "oct": "Oktober",
            "nov": "November", "dec": "Desember"}
MARKS = {"-", "–", "—", "...", "…", "..", "x"}


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------
def col_letter(c: int) -> str:
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def a1(r: int, c: int) -> str:
    """0-based row and column -> A1."""
    return f"{col_letter(c)}{r + 1}"


def split_a1(cell: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", cell)
    return int(m.group(2)) - 1, col_index(m.group(1))


def cols(c1: str, c2: str) -> list[str]:
    return [col_letter(i) for i in range(col_index(c1), col_index(c2) + 1)]


def clean(s: object) -> str:
    return re.sub(r"\s+", " ", str(s).replace("\xa0", " ")).strip()


def g15(x: float) -> str:
    return "%.15g" % x


def join(*parts: str) -> str:
    return " / ".join(clean(p) for p in parts if clean(p))


def join_note(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


_grid_cache: dict[tuple[str, str], list[list]] = {}


def grid(fname: str, sheet: str = "", delim: str = ",") -> list[list]:
    key = (fname, sheet)
    if key not in _grid_cache:
        p = FILES / fname
        if fname.lower().endswith(".csv"):
            with open(p, encoding="utf-8-sig", newline="") as fh:
                _grid_cache[key] = [list(r) for r in csv.reader(fh, delimiter=delim)]
        else:
            wb = CalamineWorkbook.from_path(str(p))
            _grid_cache[key] = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return _grid_cache[key]


def cellv(g: list[list], cell: str):
    r, c = split_a1(cell)
    if r >= len(g) or c >= len(g[r]):
        return ""
    return g[r][c]


NUMLIKE = re.compile(r"^\s*[-+]?\d[\d .,\u2009\u202f\xa0]*%?\s*$")


def parse_text(s: str) -> tuple[float, str] | None:
    """Parse a number-like text the Indonesian way (see README, 'number text').

    Returns (value, how) or None; how is '' for a plain integer."""
    t = s.strip()
    thin = ""
    if any(ch in t for ch in "\u2009\u202f\xa0"):
        t = re.sub("[\u2009\u202f\xa0]", " ", t)
        thin = "thin/no-break space as the group separator"
    pct = ""
    if t.endswith("%"):
        t, pct = t[:-1].strip(), "percent sign"
    out = None
    if re.fullmatch(r"-?\d+", t):
        out = float(t), ""
    elif re.fullmatch(r"-?\d+,\d+", t):
        out = float(t.replace(",", ".")), "decimal comma"
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", t):
        out = float(t.replace(".", "")), "dot thousands separator"
    elif re.fullmatch(r"-?\d{1,3}( \d{3})+", t):
        out = float(t.replace(" ", "")), "space thousands separator"
    elif re.fullmatch(r"-?\d{1,3}( \d{3})+\.\d{1,2}", t):
        out = float(t.replace(" ", "")), "space thousands separator, dot decimal"
    elif re.fullmatch(r"-?\d{1,3}( \d{3})+,\d+", t):
        out = float(t.replace(" ", "").replace(",", ".")), "space thousands separator, decimal comma"
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+,\d+", t):
        out = float(t.replace(".", "").replace(",", ".")), "dot thousands, decimal comma"
    elif re.fullmatch(r"-?\d+\.(\d{1,2}|\d{4,})", t):
        out = float(t), "dot = decimal point: not followed by a group of 3 digits"
    if out is None:
        return None
    how = join_note(out[1], pct, thin)
    if s != s.strip() and not pct:
        how = join_note(how, "surrounding spaces")
    return out[0], how


def num_of(raw, is_csv: bool) -> tuple[float, str] | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw), ""
    if isinstance(raw, str) and NUMLIKE.match(raw):
        p = parse_text(raw)
        if p is None:
            return None
        v, how = p
        if is_csv:
            note = f'text "{raw}" ({how})' if how else ""
        else:
            note = f'text "{raw}"' + (f" ({how})" if how else "")
        return v, note
    return None


def is_mark(raw) -> bool:
    return isinstance(raw, str) and raw.strip() in MARKS


class Truth:
    """Collects truth rows and declared exclusions for one file."""

    def __init__(self, tid: str, fname: str, delim: str = ","):
        self.tid, self.fname, self.delim = tid, fname, delim
        self.is_csv = fname.lower().endswith(".csv")
        self.rows: list[dict] = []
        self.excluded: dict[tuple[str, str], str] = {}
        self.sums: list[str] = []

    def g(self, sheet: str = "") -> list[list]:
        return grid(self.fname, sheet, self.delim)

    def _row(self, sheet, cell, value, year, period, row_label, column_label, wilayah, unit,
             is_total, note):
        self.rows.append(dict(file=self.fname, sheet=sheet, cell=cell, value=value, year=str(year),
                              period=period, row_label=clean(row_label),
                              column_label=clean(column_label), wilayah=clean(wilayah), unit=unit,
                              is_total=str(is_total), note=note))

    def add(self, sheet: str, cell: str, *, year="", period="", row_label="", column_label="",
            wilayah="", unit="", is_total=0, note=""):
        raw = cellv(self.g(sheet), cell)
        got = num_of(raw, self.is_csv)
        if got is None:
            raise ValueError(f"{self.tid} {sheet}!{cell}: not a number: {raw!r}")
        v, tnote = got
        self._row(sheet, cell, g15(v), year, period, row_label, column_label, wilayah, unit,
                  is_total, join_note(tnote, note))

    def mark(self, sheet: str, cell: str, *, year="", period="", row_label="", column_label="",
             wilayah="", unit="", is_total=0, note=""):
        """A non-numeric mark ('-', '–', '...') inside the data region: a row with an empty value."""
        raw = cellv(self.g(sheet), cell)
        self._row(sheet, cell, "", year, period, row_label, column_label, wilayah, unit, is_total,
                  join_note(f'text "{raw}"', note))

    def cover(self, sheet: str, cell: str, *, row_label="", column_label="", note=""):
        """An ambiguous number-like cell: an empty value, so that outputting it is not 'extra' and
        leaving it out is not 'missing'."""
        raw = cellv(self.g(sheet), cell)
        self._row(sheet, cell, "", "", "", row_label, column_label, "", "", 0,
                  join_note(f'text "{raw}"', "covered, ambiguous: " + note))

    def put(self, sheet, cell, mark_note="dash: no value", **kw):
        """Number -> add; mark -> mark; blank -> nothing."""
        raw = cellv(self.g(sheet), cell)
        if is_mark(raw):
            self.mark(sheet, cell, **{**kw, "note": join_note(mark_note, kw.get("note", ""))})
        elif raw == "" or raw is None or (isinstance(raw, str) and not raw.strip()):
            pass
        else:
            self.add(sheet, cell, **kw)

    def exclude(self, sheet: str, cells, why: str):
        for c in cells:
            self.excluded[(sheet, c)] = why

    def write(self):
        TRUTH.mkdir(exist_ok=True)
        with open(TRUTH / f"{self.tid}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=COLS, lineterminator="\n")
            w.writeheader()
            for r in self.rows:
                w.writerow(r)


def rng(col1: str, col2: str, r1: int, r2: int) -> list[str]:
    return [f"{col_letter(c)}{r}" for r in range(r1, r2 + 1)
            for c in range(col_index(col1), col_index(col2) + 1)]


def val(t: Truth, sheet: str, cell: str) -> float:
    raw = cellv(t.g(sheet), cell)
    if is_mark(raw) or raw == "" or raw is None:
        return 0.0
    got = num_of(raw, t.is_csv)
    if got is None:
        raise ValueError(f"{t.tid} {sheet}!{cell} {raw!r}")
    return got[0]


def close(a: float, b: float, tol: float = 1e-6) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(b))


def strip_num(label: str) -> str:
    """'1. Balige' -> 'Balige' (for wilayah)."""
    return clean(re.sub(r"^\s*\d+\.\s*", "", str(label)))


def col_sum_check(t: Truth, sheet: str, columns, r1: int, r2: int, total_row: int, what: str):
    bad = []
    for c in columns:
        s = sum(val(t, sheet, f"{c}{r}") for r in range(r1, r2 + 1))
        tv = val(t, sheet, f"{c}{total_row}")
        if not close(s, tv, 1e-9):
            bad.append(f"{c}{total_row}={g15(tv)} vs sum {g15(round(s, 6))}")
    t.sums.append(f"{what}: " + ("OK" if not bad else "MISMATCH in source: " + "; ".join(bad)))
    return bad


# ==============================================================================================
# batch-a builders
# ==============================================================================================
def tidy(label) -> str:
    """Region label as a wilayah: whitespace collapsed, title case kept as written."""
    return clean(label)


def wil_of(label: str) -> str:
    return clean(label)


# ----------------------------------------------------------------------------------------------
# a01  BPS table indo_12_1 (.xls BIFF): penduduk per provinsi 1971..2010, years under 'Penduduk'
# ----------------------------------------------------------------------------------------------
def a01() -> Truth:
    t = Truth("a01", "indo_12_1.xls")
    sh = "indo_12_1"
    g = t.g(sh)
    ycols = cols("B", "G")
    for r in range(5, 39):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "INDONESIA"
        for c in ycols:
            y = str(int(cellv(g, f"{c}4")))
            t.put(sh, f"{c}{r}", 'dash "-": no value (province not yet formed)', year=y,
                  row_label=lab, column_label=join("Penduduk", y), wilayah="" if tot else lab,
                  unit="", is_total=1 if tot else 0,
                  note=join_note("years as numbers in row 4 under the group header 'Penduduk' (B3)",
                                 "national total row 'INDONESIA'" + ("; includes Timor Timur (not "
                                 "listed), so it exceeds the sum of the rows" if y in ("1980", "1990", "1995") else "")
                                 if tot else "",
                                 "1995 is SUPAS, the other years census (footnote)" if y == "1995" else ""))
    # sum check: provinces = INDONESIA
    parts = []
    for c in ycols:
        s = sum(val(t, sh, f"{c}{r}") for r in range(5, 38))
        tv = val(t, sh, f"{c}38")
        parts.append(f"{c}: {g15(s)} vs {g15(tv)} {'OK' if close(s, tv) else 'DIFF ' + g15(tv - s)}")
    t.sums.append("row 38 INDONESIA vs sum of the provinces ('-' as 0): " + "; ".join(parts)
                  + " (the 1980/1990/1995 differences are Timor Timur, counted in INDONESIA but not "
                  "listed: 555350 = its 1980 census count)")
    t.exclude(sh, [f"{c}4" for c in ycols], "year header (numbers 1971..2010)")
    return t


# ----------------------------------------------------------------------------------------------
# a02  BPS indicator download: proyeksi penduduk per provinsi x sex x 2020/2019/2018, thin-space text
# ----------------------------------------------------------------------------------------------
def a02() -> Truth:
    t = Truth("a02", "Jumlah Penduduk.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    grp = {"B": "B2", "C": "B2", "D": "B2", "E": "E2", "F": "E2", "G": "E2", "H": "H2", "I": "H2", "J": "H2"}
    title = clean(cellv(g, "B1"))
    for r in range(4, 39):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "INDONESIA"
        for c in cols("B", "J"):
            y = clean(cellv(g, f"{c}3"))
            sex = clean(cellv(g, grp[c]))
            t.add(sh, f"{c}{r}", year=y, row_label=lab, column_label=join(title, sex, y),
                  wilayah="" if tot else lab, unit="ribu jiwa", is_total=1 if (tot or sex == "Jumlah") else 0,
                  note=join_note("years as text in row 3, in DESCENDING order (2020, 2019, 2018) under "
                                 "each sex group",
                                 "THIN SPACE (U+2009) between thousands and a decimal comma: '2 691,8' "
                                 "= 2691.8 (ribu jiwa)",
                                 "unit '(Ribu Jiwa)' from the title in B1",
                                 "national row 'INDONESIA' sits alphabetically between GORONTALO and "
                                 "JAMBI" if tot else "",
                                 "projection (mid-year), source note missing in this copy"))
    parts = []
    for c in cols("B", "J"):
        s = sum(val(t, sh, f"{c}{r}") for r in range(4, 39) if r != 11)
        tv = val(t, sh, f"{c}11")
        parts.append(f"{c}: {g15(round(s, 1))} vs {g15(tv)}")
    t.sums.append("INDONESIA row 11 vs sum of the 34 provinces (rounded figures): " + "; ".join(parts))
    bad = [f"r{r}" for r in range(4, 39) for a, b, s in (("B", "E", "H"), ("C", "F", "I"), ("D", "G", "J"))
           if abs(val(t, sh, f"{a}{r}") + val(t, sh, f"{b}{r}") - val(t, sh, f"{s}{r}")) > 0.15]
    t.sums.append("Laki-laki + Perempuan = Jumlah (within rounding 0.1): " + ("OK" if not bad else "FAILS " + ",".join(bad)))
    t.exclude(sh, [f"{c}3" for c in cols("B", "J")], "year header (text '2020','2019','2018')")
    return t


# ----------------------------------------------------------------------------------------------
# a03  the same BPS indicator saved with dot decimals as text, years ascending, Sumber/URL footer
# ----------------------------------------------------------------------------------------------
def a03() -> Truth:
    t = Truth("a03", "penduduk.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    grp = {"B": "B2", "C": "B2", "D": "B2", "E": "E2", "F": "E2", "G": "E2", "H": "H2", "I": "H2", "J": "H2"}
    title = clean(cellv(g, "B1"))
    for r in range(4, 39):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "INDONESIA"
        for c in cols("B", "J"):
            y = clean(cellv(g, f"{c}3"))
            sex = clean(cellv(g, grp[c]))
            t.add(sh, f"{c}{r}", year=y, row_label=lab, column_label=join(title, sex, y),
                  wilayah="" if tot else lab, unit="ribu jiwa", is_total=1 if (tot or sex == "Jumlah") else 0,
                  note=join_note("years as text in row 3 under each sex group (merged B2:D2, E2:G2, H2:J2)",
                                 "every value is TEXT with a dot decimal and one decimal place ('2619.9', "
                                 "'10428.0'): the dot is a decimal point (thousands of persons)",
                                 "unit '(Ribu Jiwa)' from the title in B1",
                                 "national total row 'INDONESIA' (last)" if tot else "",
                                 "source note: Proyeksi Penduduk 2015-2045 hasil SUPAS 2015, mid-year"))
    bad = [f"r{r}" for r in range(4, 39) for a, b, s in (("B", "E", "H"), ("C", "F", "I"), ("D", "G", "J"))
           if abs(val(t, sh, f"{a}{r}") + val(t, sh, f"{b}{r}") - val(t, sh, f"{s}{r}")) > 0.15]
    t.sums.append("Laki-laki + Perempuan = Jumlah (within rounding 0.1): " + ("OK" if not bad else "FAILS " + ",".join(bad)))
    t.exclude(sh, [f"{c}3" for c in cols("B", "J")], "year header (text '2018','2019','2020')")
    return t


# ----------------------------------------------------------------------------------------------
# a04  IPM components per kab/kota, Sumatera Barat 2022: six sheets of one workbook
# ----------------------------------------------------------------------------------------------
def a04() -> Truth:
    t = Truth("a04", "IPM.xlsx")
    # sheet UHH: year as a text header '2022' over column B, no Kode column
    sh = "UHH"
    g = t.g(sh)
    for r in range(2, 22):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "SUMATERA BARAT"
        t.add(sh, f"B{r}", year="2022", row_label=lab, column_label="2022", wilayah="" if tot else lab,
              is_total=1 if tot else 0,
              note=join_note("year from the header B1 (text '2022'); the indicator is only in the sheet "
                             "name 'UHH' (umur harapan hidup, years)",
                             "province row 'SUMATERA BARAT' (padded with trailing spaces): the enclosing "
                             "region, a total" if tot else "",
                             "labels start with a space (' Kepulauan Mentawai')"))
    for sh, what in (("HLS", "Harapan Lama Sekolah (years)"), ("RLS", "Rata-rata Lama Sekolah (years)"),
                     ("Perkapita", "Pengeluaran per kapita disesuaikan (ribu rupiah per year; no unit written)"),
                     ("IPM", "Indeks Pembangunan Manusia")):
        g = t.g(sh)
        head = clean(cellv(g, "C1"))
        for r in range(3, 23):
            lab = clean(cellv(g, f"B{r}"))
            tot = lab == "SUMATERA BARAT"
            t.add(sh, f"C{r}", year="2022", row_label=lab, column_label=join(head, "2022"),
                  wilayah="" if tot else lab, is_total=1 if tot else 0,
                  note=join_note(f"{what}; header '{head}' in C1 with the year 2022 as a NUMBER in C2 under it",
                                 "province row 'SUMATERA BARAT' (code 1300): a total" if tot else ""))
        t.exclude(sh, ["C2"], "year header (number 2022 under the indicator header)")
        t.exclude(sh, [f"A{r}" for r in range(3, 23)], "Kode wilayah (BPS region code 1300, 1301, ...)")
    t.exclude("UHH", ["B1"], "year header (text '2022')")
    return t


# ----------------------------------------------------------------------------------------------
# a05  UHH per kab/kota Sumatera Barat 2020-2022 (same layout as a04 sheet DATA)
# ----------------------------------------------------------------------------------------------
def a05() -> Truth:
    t = Truth("a05", "UHH.xlsx")
    sh = "DATA"
    g = t.g(sh)
    for r in range(2, 22):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "Provinsi Sumatera Barat"
        for c in "BCD":
            y = clean(cellv(g, f"{c}1"))
            t.add(sh, f"{c}{r}", year=y, row_label=lab, column_label=y, wilayah="" if tot else lab,
                  is_total=1 if tot else 0,
                  note=join_note("years as text in row 1; UHH (umur harapan hidup) only in the file name",
                                 "'Kab.'/'Kota' prefixes; rows sorted by the 2022 value",
                                 "province row 'Provinsi Sumatera Barat' in the middle of the list: a total" if tot else ""))
    t.exclude(sh, ["B1", "C1", "D1"], "year header (text '2020','2021','2022')")
    # cross-check with IPM.xlsx sheet UHH (2022) of the same repository
    other = {re.sub(r"koto$", "kota", clean(r[0]).lower()): r[1]
             for r in grid("IPM.xlsx", "UHH")[1:] if r and r[0]}
    miss = []
    for r in range(2, 22):
        lab = clean(cellv(g, f"A{r}"))
        key = re.sub(r"^(Kab\.|Provinsi)\s+", "", lab).lower()
        o = other.get(key)
        if o is None or not close(float(o), val(t, sh, f"D{r}")):
            miss.append(f"{lab}={o}")
    t.sums.append("D (2022) equals IPM.xlsx!UHH column B for the same region: "
                  + ("OK, all 20" if not miss else "differs/unmatched: " + "; ".join(miss)))
    return t


# ----------------------------------------------------------------------------------------------
# a06  produksi padi/beras per kab/kota Jawa Tengah: numbers and numeric text mixed, no year
# ----------------------------------------------------------------------------------------------
def a06() -> Truth:
    t = Truth("a06", "produksi padi.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    units = {"B": "ha", "C": "ton", "D": "ton"}
    last = max(r for r in range(2, len(g) + 1) if clean(cellv(g, f"A{r}")))
    for r in range(2, last + 1):
        lab = clean(cellv(g, f"A{r}"))
        for c in "BCD":
            t.add(sh, f"{c}{r}", row_label=lab, column_label=clean(cellv(g, f"{c}1")), wilayah=lab,
                  note=join_note("no year anywhere on the sheet or in the file name",
                                 "no unit written (BPS: luas panen in ha, produksi in ton)",
                                 "column B stored as numbers, C and D as numeric TEXT" if c != "B" else ""))
    t.sums.append(f"rows 2..{last}: {last - 1} kabupaten/kota, no total row")
    return t


# ----------------------------------------------------------------------------------------------
# a07/a08  BPS indicator tables re-saved: stub header 'Tahun' over the province column, years in row 1
# ----------------------------------------------------------------------------------------------
def stub_tahun(tid: str, fname: str, sh: str, what: str, unit: str) -> Truth:
    t = Truth(tid, fname)
    g = t.g(sh)
    ncol = max(len(r) for r in g)
    ycols = [col_letter(i) for i in range(1, ncol) if isinstance(cellv(g, f"{col_letter(i)}1"), float)]
    for r in range(2, 37):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "INDONESIA"
        for c in ycols:
            y = str(int(cellv(g, f"{c}1")))
            v = val(t, sh, f"{c}{r}")
            n = ["stub header A1 says 'Tahun' (it names the header row of years, not the province column)",
                 what]
            if lab == "KALIMANTAN UTARA" and v == 0:
                n.append("0 stored where no figure exists (Kalimantan Utara was formed in 2012; BPS publishes it separately only from a later year): not a real zero, ambiguous")
            if tot:
                n.append("national row 'INDONESIA'")
            t.add(sh, f"{c}{r}", year=y, row_label=lab, column_label=y, wilayah="" if tot else lab,
                  unit=unit, is_total=1 if tot else 0, note=join_note(*n))
    t.exclude(sh, [f"{c}1" for c in ycols], "year header (numbers in row 1)")
    return t


def a07() -> Truth:
    t = stub_tahun("a07", "Indeks Pembangunan Manusia.xlsx", "Indeks Pembangunan Manusia",
                   "IPM (the sheet name says 'Indeks Pembangunan Manusia'); 2010-2012 old method, "
                   "2013+ new method (the series breaks)", "")
    return t


def a08() -> Truth:
    return stub_tahun("a08", "persentasemiskin.xlsx", "Sheet1",
                      "percentage of poor population (only the file name 'persentasemiskin' says so; "
                      "not named on the sheet)", "%" if False else "")


BUILDERS = [a01, a02, a03, a04, a05, a06, a07, a08]



# ----------------------------------------------------------------------------------------------
# check
# ----------------------------------------------------------------------------------------------
def sheets_of(t: Truth) -> list[str]:
    if t.is_csv:
        return [""]
    return CalamineWorkbook.from_path(str(FILES / t.fname)).sheet_names


def second_reader(fname: str):
    """(getter, why-not): cached values read by a second library (openpyxl for .xlsx, xlrd for .xls)."""
    p = FILES / fname
    if fname.lower().endswith(".xlsx"):
        import openpyxl
        try:
            wb = openpyxl.load_workbook(p, data_only=True, read_only=True)
        except Exception as e:  # c08: openpyxl cannot parse the stylesheet of this export
            return None, f"openpyxl cannot open the file ({type(e).__name__}: {str(e)[:80]})"
        return (lambda sh, cell: wb[sh][cell].value), ""
    if fname.lower().endswith(".xls"):
        try:
            import xlrd  # optional: pip install --target <dir> xlrd
        except ImportError:
            return None, "xlrd not installed"
        wb = xlrd.open_workbook(str(p))

        def get(sh, cell):
            r, c = split_a1(cell)
            s = wb.sheet_by_name(sh)
            return s.cell_value(r, c) if r < s.nrows and c < s.ncols else None
        return get, ""
    return None, "CSV: the csv module is the only reader"


def check(built: list[Truth]) -> str:
    out = []
    total_cells = total_marks = total_bad = total_unexpl = 0
    for t in built:
        rows = list(csv.DictReader(open(TRUTH / f"{t.tid}.csv", encoding="utf-8")))
        bad = []
        seen = set()
        for r in rows:
            key = (r["sheet"], r["cell"])
            if key in seen:
                bad.append(f"duplicate {key}")
            seen.add(key)
            if r["file"] != t.fname:
                bad.append(f"{key}: file column {r['file']!r}")
            raw = cellv(grid(t.fname, r["sheet"], t.delim), r["cell"])
            if r["value"] == "":
                total_marks += 1
                if num_of(raw, t.is_csv) is not None and "covered, ambiguous" not in r["note"]:
                    bad.append(f"{r['sheet']}!{r['cell']}: empty value but raw is a number {raw!r}")
                if not is_mark(raw) and "covered, ambiguous" not in r["note"]:
                    bad.append(f"{r['sheet']}!{r['cell']}: empty value but raw is not a mark {raw!r}")
                continue
            got = num_of(raw, t.is_csv)
            if got is None or g15(got[0]) != r["value"] or not close(got[0], float(r["value"]), 1e-12):
                bad.append(f"{r['sheet']}!{r['cell']}: truth {r['value']} vs raw {raw!r}")
        other, why_not = second_reader(t.fname)
        if other is not None:
            for r in rows:
                if r["value"] == "":
                    continue
                ov = other(r["sheet"], r["cell"])
                got = num_of(ov, False) if ov is not None else None
                if got is None or not close(got[0], float(r["value"]), 1e-12):
                    bad.append(f"{r['sheet']}!{r['cell']}: second reader gives {ov!r}, truth {r['value']}")
        ncells = sum(1 for r in rows if r["value"] != "")
        total_cells += ncells
        total_bad += len(bad)
        out.append(f"== {t.tid} {t.fname}: {ncells} numeric truth cells, "
                   f"{sum(1 for r in rows if r['value'] == '')} covered marks, {len(bad)} value mismatches"
                   + (" (also re-read with a second reader)" if other is not None
                      else f" (no second reader: {why_not})"))
        out += [f"   MISMATCH {b}" for b in bad]
        classes: dict[str, list[str]] = {}
        for sh in sheets_of(t):
            g = grid(t.fname, sh, t.delim)
            for ri, row in enumerate(g):
                for ci, v in enumerate(row):
                    if v == "" or v is None:
                        continue
                    cell = a1(ri, ci)
                    if (sh, cell) in seen:
                        continue
                    isnum = isinstance(v, (int, float)) and not isinstance(v, bool)
                    islike = isinstance(v, str) and bool(NUMLIKE.match(v))
                    if not (isnum or islike):
                        continue
                    why = t.excluded.get((sh, cell), "UNEXPLAINED")
                    classes.setdefault(why, []).append(f"{sh + '!' if sh else ''}{cell}={v!r}")
        for why, cells in sorted(classes.items()):
            if why == "UNEXPLAINED":
                total_unexpl += len(cells)
            shown = ", ".join(cells[:12]) + (f" ... (+{len(cells) - 12})" if len(cells) > 12 else "")
            out.append(f"   not in truth [{why}] {len(cells)}: {shown}")
        for s in t.sums:
            out.append(f"   sum check: {s}")
    out.append(f"TOTAL: {total_cells} numeric truth cells in {len(built)} files, {total_marks} covered "
               f"marks, {total_bad} value mismatches, {total_unexpl} unexplained numeric cells outside "
               "the truth")
    shares = []
    for t in built:
        n = sum(1 for r in t.rows if r["value"] != "")
        shares.append(f"{t.tid} {n} ({100.0 * n / total_cells:.1f} %)")
    out.append("shares: " + ", ".join(shares))
    return "\n".join(out)


def main() -> int:
    built = []
    for b in BUILDERS:
        t = b()
        t.write()
        built.append(t)
        print(f"{t.tid}: {sum(1 for r in t.rows if r['value'] != '')} cells "
              f"(+{sum(1 for r in t.rows if r['value'] == '')} marks) -> truth/{t.tid}.csv")
    if "--check" in sys.argv:
        rep = check(built)
        (HERE / "check_report.txt").write_text(rep + "\n", encoding="utf-8")
        print(rep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
