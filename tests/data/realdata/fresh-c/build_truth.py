#!/usr/bin/env python3
"""Build and check the cell-level truth of this folder (fresh batch-c, ids d01-d15).

Method and helpers copied from ../../shared/realdata/corpus2/build_truth.py; the builders are new.

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


NUMLIKE = re.compile(r"^\s*[-+]?\d[\d .,]*%?\s*$")


def parse_text(s: str) -> tuple[float, str] | None:
    """Parse a number-like text the Indonesian way (see README, 'number text').

    Returns (value, how) or None; how is '' for a plain integer."""
    t = s.strip()
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
    how = join_note(out[1], pct)
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


# ----------------------------------------------------------------------------------------------
# batch-c builders (one function per file; the data region is named by hand)
# ----------------------------------------------------------------------------------------------
def uncover(t: Truth, sheets, why: str):
    """Sheets of a workbook that this truth does not cover (not read by --check)."""
    if not hasattr(t, "uncovered"):
        t.uncovered = {}
    for s in sheets:
        t.uncovered[s] = why


def yr(v) -> str:
    if isinstance(v, (int, float)):
        return str(int(v))
    return clean(v)


def spaced_name(label: str) -> str:
    """'01   N i a s' -> 'Nias'; '10   D  a  i  r  i' -> 'Dairi'; '06   Toba ' -> 'Toba'."""
    s = re.sub(r"^\s*\d+\s+", "", str(label)).strip()
    toks = s.split()
    if len(toks) > 1 and all(len(x) == 1 for x in toks):
        return "".join(toks).capitalize() if s.isupper() else "".join(toks)
    return clean(s)


# d01  NTB: jumlah penduduk per kab/kota 2018-2024, all values TEXT, scale changes in 2020
def d01() -> Truth:
    t = Truth("d01", "jumlah_penduduk.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    ycols = cols("B", "H")
    for r in range(2, 13):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "Nusa Tenggara Barat"
        for c in ycols:
            y = yr(cellv(g, f"{c}1"))
            n = []
            if c in "BC":
                n.append("2018-2019 stored in persons ('685.161,0': dot thousands, decimal comma)")
            else:
                n.append("2020-2024 stored in THOUSANDS of persons ('721,5' = 721.5 thousand) with no "
                         "unit written anywhere: the scale changes inside the row (a reader should "
                         "raise an issue, not rescale)")
            if tot:
                n.append("province row 'Nusa Tenggara Barat' = total of the 10 kab/kota")
            t.add(sh, f"{c}{r}", year=y, row_label=lab, column_label=y,
                  wilayah="" if tot else lab, is_total=1 if tot else 0, note=join_note(*n))
    col_sum_check(t, sh, ycols, 2, 11, 12, "row 12 'Nusa Tenggara Barat' = sum of the kab/kota")
    t.exclude(sh, [f"{c}1" for c in ycols], "year header (numbers 2018..2024)")
    return t


# d02  NTB: persentase pelayanan kesehatan bayi, years DESCENDING as columns, province row FIRST
def d02() -> Truth:
    t = Truth("d02", "persentase_pelayanan_kesehatan_bayi.xlsx")
    sh = "Worksheet"
    g = t.g(sh)
    ycols = cols("B", "H")
    for r in range(2, 13):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "Nusa Tenggara Barat"
        wil = re.sub(r"^Kabupaten\s+", "", lab)
        for c in ycols:
            y = yr(cellv(g, f"{c}1"))
            t.add(sh, f"{c}{r}", year=y, row_label=lab, column_label=y,
                  wilayah="" if tot else wil, is_total=1 if tot else 0,
                  note=join_note("years descending 2024..2018 in the header row",
                                 "province row first (row 2), above its kab/kota" if tot else "",
                                 "no unit in the sheet; the file name says 'persentase' (values "
                                 "above 100 occur: coverage against a target)"))
    t.exclude(sh, [f"{c}1" for c in ycols], "year header (numbers 2024..2018)")
    return t


# d03  BPS Sumut: desa hit by disasters per kab/kota, 3 disasters x 2018-2020, section rows (.xls)
def d03() -> Truth:
    t = Truth("d03", "bencana_sumut.xls")
    sh = "Sheet1"
    g = t.g(sh)
    dcols = cols("B", "J")
    grp = {c: clean(cellv(g, f"{dcols[(i // 3) * 3]}3")) for i, c in enumerate(dcols)}
    rows = [(r, "Kabupaten") for r in range(6, 31)] + [(r, "Kota") for r in range(32, 40)] + [(40, "")]
    for r, sect in rows:
        lab = clean(cellv(g, f"A{r}"))
        tot = r == 40
        for c in dcols:
            y = yr(cellv(g, f"{c}4"))
            t.put(sh, f"{c}{r}", 'en dash "–" with trailing spaces: nil', year=y, row_label=lab,
                  column_label=join(grp[c], y), wilayah="" if tot else spaced_name(lab),
                  is_total=1 if tot else 0,
                  note=join_note("province total row 'Sumatera Utara'" if tot else
                                 f"section '{sect}'; label carries the BPS code and spaced letters",
                                 "disaster written once over its 3 year columns (merged)"))
    col_sum_check(t, sh, dcols, 6, 39, 40, "row 40 'Sumatera Utara' = sum of kabupaten and kota ('–' as 0)")
    t.exclude(sh, [f"{c}4" for c in dcols], "year header (numbers 2018..2020 under each disaster)")
    return t


# d04  BPS Sumut geography table saved as CSV: space thousands + decimal comma mixed with dot decimals
def d04() -> Truth:
    t = Truth("d04", "data_sumut.csv")
    g = t.g()
    units = {"C": "km2", "D": "%", "E": "", "F": "m", "G": "Km"}
    for r in range(2, 35):
        lab = clean(cellv(g, f"A{r}"))
        for c in cols("C", "G"):
            head = clean(cellv(g, f"{c}1"))
            n = ["no year in the file", "header footnote stars (*) ... ****)) kept in the label"]
            raw = cellv(g, f"{c}{r}")
            if c in "CF" and re.fullmatch(r"\d+\.\d+", raw.strip()):
                n.append("same column also has '1 842,51' style (space thousands, decimal comma): "
                         "here the dot is a decimal point")
            t.put("", f"{c}{r}", 'dash "-": none', row_label=lab, column_label=head,
                  wilayah=spaced_name(lab), unit=units[c],
                  note=join_note(*n, "ibukota (capital) in column B"))
    return t


# d05  DKI Jakarta: bayi lahir / BBLR / gizi kurang per kota, 3 sheets, years as columns
def d05() -> Truth:
    t = Truth("d05", "BBLR_Gizi.xlsx")
    for sh in ["BayiLahir", "BBLR", "GiziKurang"]:
        g = t.g(sh)
        for r in range(2, 9):
            lab = clean(cellv(g, f"A{r}"))
            tot = lab == "DKI Jakarta"
            for c in "BCD":
                y = yr(cellv(g, f"{c}1"))
                t.add(sh, f"{c}{r}", year=y, row_label=lab, column_label=y,
                      wilayah="" if tot else lab, is_total=1 if tot else 0,
                      note=join_note(f"measure named only by the sheet name '{sh}'",
                                     "province row 'DKI Jakarta' = total" if tot else "",
                                     "column 2021 repeats column 2020 on every row (file's copy)"
                                     if c == "D" else ""))
        col_sum_check(t, sh, "BCD", 2, 7, 8, f"{sh}: row 8 'DKI Jakarta' = sum of the 6 kab/kota")
        t.exclude(sh, ["B1", "C1", "D1"], "year header (numbers 2018, 2020, 2021)")
    return t


# d06  stunting per province, one sheet per year (year only in the SHEET NAME 'Tahun2019')
def d06() -> Truth:
    t = Truth("d06", "data_stunting.xlsx")
    for sh in ["Tahun2019", "Tahun2022"]:
        g = t.g(sh)
        y = sh[-4:]
        last = max(r for r in range(2, len(g) + 1) if clean(cellv(g, f"B{r}")))
        for r in range(2, last + 1):
            lab = clean(cellv(g, f"B{r}"))
            for c in cols("C", "G"):
                head = clean(cellv(g, f"{c}1"))
                t.add(sh, f"{c}{r}", year=y, row_label=lab, column_label=head, wilayah=lab,
                      note=join_note(f"year only in the sheet name '{sh}'",
                                     "cPrevalensi = (sPendek + sSangatPendek) / JumlahBalita as a "
                                     "fraction" if c == "G" else "",
                                     "Prevalensi in percent (no unit written)" if c == "F" else ""))
        t.exclude(sh, [f"A{r}" for r in range(2, last + 1)], "No (row number)")
    uncover(t, ["Tahun2020", "Tahun2021"], "sheet not covered (same shape as Tahun2019/Tahun2022)")
    return t


# d07  Papua / Papua Barat kabupaten: poverty, Gini, forest area, population, APM; year ROW under header
def d07() -> Truth:
    t = Truth("d07", "Data Pak Titus.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    units = {"C": "%", "D": "", "E": "ha", "F": "ha", "G": "ha", "H": "ha", "I": "ha", "J": "ha",
             "K": "Jiwa", "L": "", "M": "", "N": ""}
    prov = ""
    for r in range(3, 45):
        if clean(cellv(g, f"A{r}")):
            prov = clean(cellv(g, f"A{r}"))
        lab = clean(cellv(g, f"B{r}"))
        for c in cols("C", "N"):
            head = clean(cellv(g, f"{c}1"))
            y = yr(cellv(g, f"{c}2"))
            t.add(sh, f"{c}{r}", year=y, row_label=lab, column_label=join(head, y), wilayah=lab,
                  unit=units[c],
                  note=join_note(f"province '{prov}' written once in column A (carried down)",
                                 "year from row 2 under the header (text '2020' in C2:D2, number "
                                 "2020 in E2:N2)"))
    t.exclude(sh, [f"{c}2" for c in cols("C", "N")], "year row under the header ('2020' text and 2020 numbers)")
    return t


# d08  Kota Medan: DBD cases, density, area, health facilities per kecamatan; no year anywhere
def d08() -> Truth:
    t = Truth("d08", "dbd1.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, 23):
        lab = clean(cellv(g, f"A{r}"))
        for c in cols("B", "E"):
            head = clean(cellv(g, f"{c}1"))
            t.add(sh, f"{c}{r}", row_label=lab, column_label=head, wilayah=lab,
                  unit="Km2" if c == "D" else "",
                  note="no year and no kota named in the sheet (kecamatan of Kota Medan)")
    return t


# d09  Kab. Sumenep tourism: monthly visitors per attraction, long format with BULAN and TAHUN numbers
def d09() -> Truth:
    t = Truth("d09", "Data Import.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, len(g) + 1):
        y = yr(cellv(g, f"C{r}"))
        m = int(cellv(g, f"B{r}"))
        lab = clean(cellv(g, f"D{r}"))
        t.add(sh, f"E{r}", year=y, period=MONTHS[m - 1], row_label=lab, column_label="PENGUNJUNG",
              note="long format: month number in BULAN, year in TAHUN, running index in PERIODE; "
                   "attraction (WISATA) as the row key; the sheet names no kabupaten")
    n = len(g)
    t.exclude(sh, [f"A{r}" for r in range(2, n + 1)], "PERIODE (running month index 1..62)")
    t.exclude(sh, [f"B{r}" for r in range(2, n + 1)], "BULAN (month number: period key)")
    t.exclude(sh, [f"C{r}" for r in range(2, n + 1)], "TAHUN (year key)")
    return t


# d10  Kab. Sumenep: monthly visitors (column 'Y'), id and month keys as numbers
def d10() -> Truth:
    t = Truth("d10", "kabupaten.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, len(g) + 1):
        y = yr(cellv(g, f"D{r}"))
        m = int(cellv(g, f"C{r}"))
        t.add(sh, f"E{r}", year=y, period=MONTHS[m - 1], column_label="Y",
              note="long format: id wisata (6), running periode, BULAN month number, TAHUN; the value "
                   "column is only named 'Y' (visitors of the kabupaten, from the file name "
                   "'kabupaten' and the repository: ambiguous label)")
    n = len(g)
    t.exclude(sh, [f"A{r}" for r in range(2, n + 1)], "id wisata (code 6)")
    t.exclude(sh, [f"B{r}" for r in range(2, n + 1)], "periode (running index)")
    t.exclude(sh, [f"C{r}" for r in range(2, n + 1)], "BULAN (month number: period key)")
    t.exclude(sh, [f"D{r}" for r in range(2, n + 1)], "TAHUN (year key)")
    return t


# d11  Sumatera Barat kab/kota: violence against children/women; YEAR GLUED INTO THE HEADER NAME
def d11() -> Truth:
    t = Truth("d11", "Sosial_Kesejahteraan.xlsx")
    sh = "Sosial"
    g = t.g(sh)
    for r in range(2, 20):
        lab = clean(cellv(g, f"A{r}"))
        for c in cols("B", "T"):
            head = clean(cellv(g, f"{c}1"))
            m = re.search(r"(20\d\d)$", head)
            y = m.group(1) if m else ""
            t.add(sh, f"{c}{r}", year=y, row_label=lab, column_label=head, wilayah=lab,
                  note=join_note("year glued to the end of the header name ('KekerasanAnak2020', "
                                 "'Jumlah_Korban_Anak_2020')" if y else
                                 "header 'Kejadian_Kecelakaan' has no year (none in the sheet)",
                                 "columns not in year order (P, Q, R, S after O)"))
    bad = [r for r in range(2, 20) if val(t, sh, f"H{r}") != val(t, sh, f"E{r}") + val(t, sh, f"F{r}")]
    t.sums.append("Sosial: Jumlah_Korban_Anak_2021 (H) = KorbanAnakLK2021 (E) + KorbanAnakPR2021 (F): "
                  + ("OK" if not bad else f"differs on rows {bad}"))
    sh = "UMP"
    g = t.g(sh)
    for r in range(2, 8):
        y = yr(cellv(g, f"A{r}"))
        t.add(sh, f"B{r}", year=y, column_label="UMP",
              note="rows keyed by the Tahun column; UMP (provincial minimum wage, Rupiah; no unit "
                   "or province written)")
    t.exclude(sh, [f"A{r}" for r in range(2, 8)], "Tahun column (row key)")
    uncover(t, ["Kesejahteraan(Pekerjaan)", "Agama", "Pendidikan", "Kesehatan", "Pencari_Kerja_Terdaftar",
                "Tingkat_Pendidikan", "Kelompok_Umur", "Kejahatan"],
            "sheet not covered (Agama has a used range of 1,048,575 rows; several sheets carry a "
            "second side table)")
    return t


# d12  BPS web export: TPT per province 2024, Februari / Agustus / Tahunan under the year
def d12() -> Truth:
    t = Truth("d12", "tpt.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    title = clean(cellv(g, "B2"))
    for r in range(5, 44):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "INDONESIA"
        for c in "BCD":
            sub = clean(cellv(g, f"{c}4"))
            t.add(sh, f"{c}{r}", year="2024", period=sub if sub in MONTHS else "", row_label=lab,
                  column_label=join(title, "2024", sub), wilayah="" if tot else lab, unit="%",
                  is_total=1 if tot else 0,
                  note=join_note("year 2024 written once in B3 over the three columns",
                                 "unit from the title '(Persen)'",
                                 "'Tahunan' is not a month; its values are not the mean of Februari "
                                 "and Agustus (ACEH 8.435 vs 5.655): kept as stored" if c == "D" else "",
                                 "national total row 'INDONESIA'" if tot else ""))
    t.exclude(sh, ["B3"], "year header (number 2024)")
    return t


# d13  DIY kab/kota: remote-sensing and socio-economic indicators, negative values, no year
def d13() -> Truth:
    t = Truth("d13", "data_kabupaten.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, 7):
        lab = clean(cellv(g, f"A{r}"))
        for c in cols("B", "S"):
            head = clean(cellv(g, f"{c}1"))
            v = val(t, sh, f"{c}{r}")
            t.add(sh, f"{c}{r}", row_label=lab, column_label=head, wilayah=lab,
                  note=join_note("no year in the sheet",
                                 "negative index value: data" if v < 0 else "",
                                 "very small value stored in scientific notation" if 0 < abs(v) < 1e-3 else ""))
    return t


# d14  BPS PDB quarterly: wide sheet (year over 4 Triwulan columns, text numbers) + long re-typing
def d14() -> Truth:
    t = Truth("d14", "data2.xlsx")
    sh = "table"
    g = t.g(sh)
    y = ""
    for c in cols("B", "AO"):
        if cellv(g, f"{c}4") not in ("", None):
            y = yr(cellv(g, f"{c}4"))
        q = clean(cellv(g, f"{c}5"))
        t.add(sh, f"{c}6", year=y, period=q, row_label=clean(cellv(g, "A6")),
              column_label=join(cellv(g, "B2"), cellv(g, "B3"), y, q), unit="Milyar Rupiah",
              note="year written once over its 4 Triwulan columns (carried right); value stored as "
                   "text with a dot decimal ('3783859.30'); national PDB (Indonesia)")
    t.exclude(sh, [f"{c}4" for c in cols("B", "AO") if cellv(g, f"{c}4") not in ("", None)],
              "year header (numbers 2019..2010, descending)")
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, 42):
        y = yr(cellv(g, f"D{r}"))
        t.add(sh, f"B{r}", year=y, period=clean(cellv(g, f"C{r}")), row_label=clean(cellv(g, f"A{r}")),
              column_label="Nilai",
              note="long re-typing of sheet 'table': the Tahun column runs 2010..2019 while the values "
                   "are in the order of 'table' (2019..2010), so every year here contradicts sheet "
                   "'table' (e.g. 3783859.30 is 2019 Triwulan I there, 2010 here); the truth keeps "
                   "this sheet's own Tahun (row year); a reader may flag it")
    t.exclude(sh, [f"D{r}" for r in range(2, 42)], "Tahun column (row key)")
    return t


# d15  Tahun-keyed rows: population and PDRB per capita 2021-2024 (region not written)
def d15() -> Truth:
    t = Truth("d15", "data_sosial_ekonomi.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, 6):
        y = yr(cellv(g, f"A{r}"))
        for c in "BC":
            head = clean(cellv(g, f"{c}1"))
            t.add(sh, f"{c}{r}", year=y, column_label=head, unit="Rp" if c == "C" else "",
                  note="rows keyed by the Tahun column; no region named in the sheet")
    t.exclude(sh, [f"A{r}" for r in range(2, 6)], "Tahun column (row key)")
    return t


BUILDERS = [d01, d02, d03, d04, d05, d06, d07, d08, d09, d10, d11, d12, d13, d14, d15]


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
        except Exception as e:  # openpyxl may fail on some exports' stylesheets
            return None, f"openpyxl cannot open the file ({type(e).__name__}: {str(e)[:80]})"
        if not wb.sheetnames:  # d14: Strict Open XML (purl.oclc.org namespaces) is invisible to openpyxl
            return None, "openpyxl sees no sheets (Strict Open XML workbook)"
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
        unc = getattr(t, "uncovered", {})
        for sh, why in unc.items():
            out.append(f"   sheet {sh!r} not covered and not read: {why}")
        for sh in sheets_of(t):
            if sh in unc:
                continue
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
