#!/usr/bin/env python3
"""Build and check the cell-level truth of this folder (fresh batch-f, ids h01-h15).

Method and helpers copied from ../batch-e/build_truth.py (itself from ../batch-d and ../../shared/realdata/corpus2/);
the builders are new. Helper changes:
- parse_text accepts a leading plus sign ('+0.00190476' in h05) and, for a file declared mode="comma_thousands"
  (h02, an English-style export), reads '3,231' as 3231; every other file keeps the Indonesian reading.

usage (from any directory):
    python build_truth.py            # write truth/<id>.csv for every file with truth
    python build_truth.py --check    # write the truth, re-read every truth row against its raw cell
                                     # (python-calamine, and a second reader: openpyxl for .xlsx,
                                     # xlrd for .xls), list every numeric or number-like cell NOT in
                                     # the truth by exclusion class, run the sum checks, write
                                     # check_report.txt

One function per file names the data region by hand (rows, columns, label column, header rows).
Cells are read with python-calamine (cached values). CSV files are read with the csv module over the
CSV grid: record n = row n, field k = column k, so A1 is the first field of the first record.
This script never imports or runs the tool under test.
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


def parse_text(s: str, mode: str = "") -> tuple[float, str] | None:
    """Parse a number-like text the Indonesian way (see README, 'number text').

    mode "comma_thousands": the file writes English-style groups ('1,412', '3,231'); a comma followed by
    exactly three digits is then a thousands separator (declared per file, see README).
    Returns (value, how) or None; how is '' for a plain integer."""
    t = s.strip()
    pct = ""
    plus = ""
    if t.endswith("%"):
        t, pct = t[:-1].strip(), "percent sign"
    if t.startswith("+"):
        t, plus = t[1:], "leading plus sign"
    out = None
    if mode == "comma_thousands" and re.fullmatch(r"-?\d{1,3}(,\d{3})+", t):
        out = float(t.replace(",", "")), "comma thousands separator (English-style export)"
    elif re.fullmatch(r"-?\d+", t):
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
    elif re.fullmatch(r"-?\d{4,}\.\d{3}", t):
        out = float(t), "dot = decimal point: more than 3 digits before it, so not a thousands group"
    elif re.fullmatch(r"-?\d+\.(\d{1,2}|\d{4,})", t):
        out = float(t), "dot = decimal point: not followed by a group of 3 digits"
    if out is None:
        return None
    how = join_note(out[1], pct, plus)
    if s != s.strip() and not pct:
        how = join_note(how, "surrounding spaces")
    return out[0], how


def num_of(raw, is_csv: bool, mode: str = "") -> tuple[float, str] | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw), ""
    if isinstance(raw, str) and NUMLIKE.match(raw):
        p = parse_text(raw, mode)
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

    def __init__(self, tid: str, fname: str, delim: str = ",", mode: str = ""):
        self.tid, self.fname, self.delim, self.mode = tid, fname, delim, mode
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
        got = num_of(raw, self.is_csv, self.mode)
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
        what = f"stored number {g15(raw)}" if isinstance(raw, (int, float)) else f'text "{raw}"'
        self._row(sheet, cell, "", "", "", row_label, column_label, "", "", 0,
                  join_note(what, "covered, ambiguous: " + note))

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
    got = num_of(raw, t.is_csv, t.mode)
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



# ----------------------------------------------------------------------------------------------
# batch-f builders (one function per file; the data region is named by hand)
# ----------------------------------------------------------------------------------------------
MONTH_NUM = {i + 1: m for i, m in enumerate(MONTHS)}

PADI = "511 Luas  Panen,  Produksi dan Rata-rata Produksi 2022.xlsx"
RPH = "Jumlah Ternak yang Dipotong di RPH Pemerintah CSV.csv"
SD = "Data Dindikpora Th.2021-2022.xlsx"
SMA = "Data Dindikpora SMA Th.2023-2024.xlsx"
IKS = "iks.xlsx"
IDM = "pondokrejo_a__3404_50kb_ar_idm_2022.xls"
MISKIN_MALUKU = "kemiskinan.csv"
APBD = "apbd.csv"
TANI = "data_pertanian.xlsx"
TBPARU = "penduduk.xlsx"
KEPADATAN = "kepadatan_penduduk.csv"
KDRT = "korban_KDRT_gender.csv"
PENDUDUK_PROV = "jumlah_penduduk.csv"
MISKIN_PROV = "data_kemiskinan.xlsx"
STUNTING = "stunting.xlsx"


def unspace(label: str) -> str:
    """'B a w a n g' -> 'Bawang', 'J u m l a h' -> 'Jumlah' (letter-spaced names as BPS tables write them)."""
    c = clean(label)
    toks = c.split(" ")
    if len(toks) > 2 and all(len(x) == 1 for x in toks):
        return "".join(toks)
    return c


# h01  Kab. Banjarnegara, Dinas Pertanian: rice harvested area / production / yield per kecamatan 2022,
#      two crop groups merged over 3 columns, units row, column numbers, Jumlah + earlier-year total rows
def h01() -> Truth:
    t = Truth("h01", PADI)
    sh = "Sheet1"
    g = t.g(sh)
    groups = {"D": "D", "E": "D", "F": "D", "H": "H", "I": "H", "J": "H"}
    title = ("title C1:C3 'Luas Panen, Produksi dan Rata-rata Produksi Tanaman Pangan di Kab. Banjarnegara Menurut "
             "Kecamatan dan Jenis Tanaman Tahun 2022'")
    for r in list(range(13, 33)) + list(range(33, 38)):
        lab = clean(cellv(g, f"A{r}")) if r >= 33 else clean(cellv(g, f"B{r}"))
        if r <= 32:
            year, wil, tot = "2022", unspace(lab), 0
            rnote = "letter-spaced kecamatan name" if unspace(lab) != lab else ""
        elif r == 33:
            year, wil, tot, rnote = "2022", "", 1, "kabupaten total 'J u m l a h' (letter-spaced)"
        else:
            year = re.search(r"(\d{4})", lab).group(1)
            wil, tot = "", 1
            rnote = ("kabupaten total of an earlier year: the row label 'Tahun " + year + "' gives the year "
                     "(a row year beats the title year 2022)")
        for c in cols("D", "J"):
            if c == "G":
                continue
            grp = clean(cellv(g, f"{groups[c]}7"))
            unit = clean(cellv(g, f"{c}10")).strip("()")
            clabel = join(grp, cellv(g, f"{c}8"), cellv(g, f"{c}9"), cellv(g, f"{c}10"))
            cnote = ("yield = Produksi / Luas Panen x 10, stored with full float precision"
                     if c in ("F", "J") else "")
            unote = "unit written 'Ku/Ha' here and 'Kw/Ha' for Padi Sawah (both quintal per hectare)" if c == "J" else ""
            t.put(sh, f"{c}{r}", year=year, row_label=lab, column_label=clabel, wilayah=wil, unit=unit,
                  is_total=tot, note=join_note(title if r <= 33 else "", rnote, cnote, unote))
    t.exclude(sh, [f"A{r}" for r in range(13, 33)], "kecamatan number text ('01.'..'20.')")
    t.exclude(sh, ["G33", "G34"], "stray 0 in the unlabelled spacer column G (no header, blank in all kecamatan rows)")
    col_sum_check(t, sh, ["D", "E", "H", "I"], 13, 32, 33, "kecamatan rows 13-32 = 'J u m l a h' row 33")
    return t


# h02  Kab. Banjarnegara, Dinas Pertanian: livestock slaughtered in the government abattoirs (RPH), long CSV
#      with a Tahun column, ' - ' marks, English-style comma thousands in quotes, a duplicated year
def h02() -> Truth:
    t = Truth("h02", RPH, mode="comma_thousands")
    g = t.g()
    heads = [clean(x) for x in g[0]]
    seen: dict[tuple[str, str], int] = {}
    for r in range(2, len(g) + 1):
        kec = clean(cellv(g, f"A{r}"))
        y = clean(cellv(g, f"H{r}"))
        seen[(kec, y)] = seen.get((kec, y), 0) + 1
        dup = seen[(kec, y)] > 1 or (y == "2019" and r in (4, 5))
        for ci, c in enumerate(cols("B", "G")):
            rn = ["RPH location = Kecamatan " + kec + (" (the kecamatan of the same name as the kabupaten, "
                  "not the kabupaten total)" if kec == "Banjarnegara" else ""),
                  "head counts; no unit written"]
            if dup:
                rn.append("ambiguous: Tahun 2019 appears twice per kecamatan (rows 4-5 and 6-7); rows 6-7 repeat "
                          "the 2020 values exactly (source error kept as stored, year as written)")
            t.put(sh := "", f"{c}{r}", year=y, row_label=join(kec, y), column_label=heads[ci + 1], wilayah=kec,
                  note=join_note(*rn))
    t.exclude("", [f"H{r}" for r in range(2, len(g) + 1)], "Tahun (year key)")
    return t


def dindikpora(t: Truth, sh: str, year: str, ynote: str, ratio_row: int | None):
    g = t.g(sh)
    for r in range(8, 29):
        lab = clean(cellv(g, f"A{r}")) if r == 28 else clean(cellv(g, f"B{r}"))
        tot = 1 if r == 28 else 0
        for c in cols("C", "K"):
            grp_col = {"C": "C", "D": "C", "E": "C", "F": "F", "G": "F", "H": "F", "I": "I", "J": "I", "K": "I"}[c]
            sub = clean(cellv(g, f"{c}6"))
            ctot = 1 if sub == "Jumlah" else 0
            t.put(sh, f"{c}{r}", year=year, row_label=lab, column_label=join(cellv(g, f"{grp_col}5"), sub),
                  wilayah="" if tot else lab, is_total=1 if (tot or ctot) else 0,
                  note=join_note(ynote, "Guru*): teachers including the head of school" if grp_col == "F" else ""))
    t.exclude(sh, [f"A{r}" for r in range(8, 28)], "row number (1..20)")
    t.exclude(sh, ["A7"] + [f"{c}7" for c in cols("C", "K")],
              "column-number row stored as numbers (1, 2, 3, 4 repeated per group)")
    if ratio_row:
        for c, grp in (("C", "Sekolah"), ("F", "Guru"), ("I", "Murid")):
            t.cover(sh, f"{c}{ratio_row}", row_label="", column_label=join(grp, "Negeri"),
                    note=f"unlabelled number under the Jumlah row = Negeri / Jumlah of {grp} "
                         f"({cellv(g, f'{c}28'):g} / {cellv(g, f'{chr(ord(c) + 2)}28'):g}), a share a worker "
                         "left below the table; not a table cell")
    col_sum_check(t, sh, cols("C", "K"), 8, 27, 28, "kecamatan rows 8-27 = Jumlah row 28")
    bad = [f"{r}:{x}" for r in range(8, 29) for x in ("C", "F", "I")
           if not close(val(t, sh, f"{x}{r}") + val(t, sh, f"{chr(ord(x) + 1)}{r}"), val(t, sh, f"{chr(ord(x) + 2)}{r}"))]
    t.sums.append("Negeri + Swasta = Jumlah in every row: " + ("OK" if not bad else "MISMATCH in source: " + ", ".join(bad)))


# h03  Kab. Banjarnegara, Dindikpora: SD schools/teachers/pupils per kecamatan, school year 2021/2022
def h03() -> Truth:
    t = Truth("h03", SD)
    dindikpora(t, "4.1.3 (KOR)", "2021/2022",
               "school year from C4 'Tahun Ajaran 2021/2022' and the title K2 '..., 2021/2022'; blank Swasta cells "
               "have no row", 29)
    return t


# h04  Kab. Banjarnegara, Dindikpora: SMA per kecamatan; the title names other school years than the header
def h04() -> Truth:
    t = Truth("h04", SMA)
    dindikpora(t, "4.1.7 (123) SMA", "2023/2024",
               "ambiguous: the title A2 says '..., 2021/2022 dan 2022/2023' but the header C4 'Tahun Ajaran 2023 /2024' "
               "and the file name 'Th.2023-2024' say 2023/2024 (header wins; a reader should raise an issue)", None)
    return t


# h05  Kalurahan Pondokrejo (Kab. Sleman): IDM social-resilience indicators, score and possible increment
def h05() -> Truth:
    t = Truth("h05", IKS)
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(3, 38):
        ind = clean(cellv(g, f"B{r}"))
        for c in ("C", "F"):
            t.put(sh, f"{c}{r}", row_label=ind, column_label=clean(cellv(g, f"{c}1")),
                  note=join_note("IDM indicator table (Indeks Ketahanan Sosial); no year, village or unit in the "
                                 "sheet (the repository names Pondokrejo)",
                                 "Nilai = index increase if the activity is carried out; 0 where nothing is planned"
                                 if c == "F" else "Skor 0-5"))
    t.exclude(sh, [f"A{r}" for r in range(3, 38)], "indicator number (No.)")
    return t


# h06  Kab. Sleman GIS layer export: IDM 2022 attributes of one kalurahan (attribute-table .xls)
def h06() -> Truth:
    t = Truth("h06", IDM)
    sh = "a__3404_50kb_ar_idm_2022"
    g = t.g(sh)
    nm = clean(cellv(g, "D2"))
    common = ("GIS attribute table exported to .xls (WPS); kalurahan Pondokrejo, kapanewon Tempel, Kab. Sleman; "
              "source column: Dinas Pemberdayaan Masyarakat dan Kalurahan Kabupaten Sleman")
    t.add(sh, "H2", year="2022", row_label=nm, column_label="luas", wilayah=nm,
          note=join_note(common, "area, no unit written (ha by magnitude); year 2022 only from the file/sheet name "
                                 "'..._idm_2022'"))
    t.add(sh, "K2", year="2022", row_label=nm, column_label="nilai2022", wilayah=nm,
          note=join_note(common, "IDM score 2022 (status in L2 'MAJU')"))
    t.add(sh, "M2", year="2022", row_label=nm, column_label="kenaikan", wilayah=nm,
          note=join_note(common, "increase of the IDM score; the year 2022 only from the file/sheet name"))
    t.exclude(sh, ["B2"], "ogc_fid (feature id)")
    t.exclude(sh, ["C2"], "objectid (feature id)")
    t.exclude(sh, ["J2"], "kode_wil (Kemendagri village code 3404142004)")
    return t


# h07  Maluku: poor population (%) per kab/kota 2020-2025, the year only as a suffix of the column name
def h07() -> Truth:
    t = Truth("h07", MISKIN_MALUKU)
    g = t.g()
    for r in range(2, len(g) + 1):
        kk = clean(cellv(g, f"A{r}"))
        tot = kk == "Maluku"
        for c in cols("B", "G"):
            h = clean(cellv(g, f"{c}1"))
            t.add("", f"{c}{r}", year=re.search(r"(\d{4})", h).group(1), row_label=kk, column_label=h,
                  wilayah="" if tot else kk, is_total=1 if tot else 0,
                  note=join_note("year only as the suffix of the column name 'miskin_YYYY'; percent of poor "
                                 "population, no unit written",
                                 "province row 'Maluku' (enclosing region) = total" if tot else "",
                                 "bare city name (Kota " + kk + ")" if kk in ("Ambon", "Tual") else ""))
    return t


# h08  DJPb Maluku: APBD realisation per pemda, monthly cut-offs Jan-Jul 2026, ';' CSV with thang/bulan keys
def h08() -> Truth:
    t = Truth("h08", APBD, delim=";")
    g = t.g()
    heads = [clean(x) for x in g[0]]
    for r in range(2, len(g) + 1):
        y = clean(cellv(g, f"A{r}"))
        b = int(clean(cellv(g, f"B{r}")))
        cut = clean(cellv(g, f"C{r}"))
        pem = clean(cellv(g, f"D{r}"))
        for ci, c in enumerate(cols("E", "H")):
            t.add("", f"{c}{r}", year=y, period=MONTH_NUM[b], row_label=join(pem, f"bulan {b}", cut),
                  column_label=heads[4 + ci], wilayah=pem,
                  note=join_note(f"cut-off {cut}: year-to-date realisation (values grow month by month); "
                                 "the file writes only bulan and tgl_cutoff; rupiah, no unit written",
                                 "the provincial government's own budget, not a total of the kab/kota"
                                 if pem.startswith("Provinsi") else "",
                                 "negative value as stored" if val(t, "", f"{c}{r}") < 0 else ""))
    t.exclude("", [f"A{r}" for r in range(2, len(g) + 1)], "thang (year key)")
    t.exclude("", [f"B{r}" for r in range(2, len(g) + 1)], "bulan (month key 1-7)")
    return t


# h09  Sumatera Selatan kab/kota: production (p_) and area (l_) of six crops, units in a footer row under the data
def h09() -> Truth:
    t = Truth("h09", TANI)
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, 19):
        kk = clean(cellv(g, f"A{r}"))
        for c in cols("B", "M"):
            h = clean(cellv(g, f"{c}1"))
            unit = clean(cellv(g, f"{c}19"))
            t.add(sh, f"{c}{r}", row_label=kk, column_label=h, wilayah=kk, unit=unit,
                  note=join_note("p_ = produksi, l_ = luas (abbreviated headers); no year and no province in the sheet",
                                 f"unit from the footer row 19 under the column ('{unit}'), kept as written"
                                 if unit else "no unit written for this column"))
    return t


# h10  Kota Bandung kecamatan: TB patients treated, deaths, and two population columns without a year
def h10() -> Truth:
    t = Truth("h10", TBPARU)
    sh = "Jumlah Penduduk"
    g = t.g(sh)
    for r in range(2, 32):
        kec = clean(cellv(g, f"A{r}"))
        for c in cols("B", "G"):
            h = clean(cellv(g, f"{c}1"))
            n = ""
            if c == "E":
                n = "total_kasus = L + P + kematian in every row (a derived total column)"
            elif c in ("F", "G"):
                n = ("ambiguous: two population columns 'penduduk_2' / 'penduduk_1' with no year anywhere; a reader "
                     "should not guess the years")
            t.add(sh, f"{c}{r}", row_label=kec, column_label=h, wilayah=kec, is_total=1 if c == "E" else 0,
                  note=join_note("kecamatan of Kota Bandung (the city is named only by the repository); no year", n))
    bad = [str(r) for r in range(2, 32)
           if not close(val(t, sh, f"B{r}") + val(t, sh, f"C{r}") + val(t, sh, f"D{r}"), val(t, sh, f"E{r}"))]
    t.sums.append("total_kasus = L + P + kematian: " + ("OK" if not bad else "MISMATCH in rows " + ", ".join(bad)))
    return t


# h11  Jawa Barat kab/kota: population density 2018-2022, years as columns, BPS code column
def h11() -> Truth:
    t = Truth("h11", KEPADATAN)
    g = t.g()
    for r in range(2, len(g) + 1):
        kk = clean(cellv(g, f"B{r}"))
        for c in cols("C", "G"):
            y = clean(cellv(g, f"{c}1"))
            t.add("", f"{c}{r}", year=y, row_label=kk, column_label=y, wilayah=kk,
                  note="population density (no unit written); years as column headers")
    t.exclude("", [f"A{r}" for r in range(2, len(g) + 1)], "kode_kabupaten_kota (BPS code)")
    t.exclude("", [f"{c}1" for c in cols("C", "G")], "year header (2018..2022)")
    return t


# h12  Jawa Barat kab/kota: domestic-violence victims by sex 2018-2022, long table
def h12() -> Truth:
    t = Truth("h12", KDRT)
    g = t.g()
    for r in range(2, len(g) + 1):
        kk = clean(cellv(g, f"B{r}"))
        sx = clean(cellv(g, f"C{r}"))
        y = clean(cellv(g, f"E{r}"))
        t.add("", f"D{r}", year=y, row_label=join(kk, sx, y), column_label="jumlah_korban", wilayah=kk,
              note="long table: one value per kab/kota, sex and year; persons, no unit written")
    t.exclude("", [f"A{r}" for r in range(2, len(g) + 1)], "kode_kabupaten_kota (BPS code)")
    t.exclude("", [f"E{r}" for r in range(2, len(g) + 1)], "tahun (year key)")
    return t


# h13  Indonesia provinces: population 2018-2025, long export with id, kode_provinsi, satuan JIWA, tahun
def h13() -> Truth:
    t = Truth("h13", PENDUDUK_PROV)
    g = t.g()
    for r in range(2, len(g) + 1):
        pv = clean(cellv(g, f"C{r}"))
        y = clean(cellv(g, f"F{r}"))
        t.add("", f"D{r}", year=y, row_label=join(pv, y), column_label="jumlah_penduduk", wilayah=pv,
              unit=clean(cellv(g, f"E{r}")),
              note="long export (id, kode_provinsi, nama_provinsi, value, satuan, tahun); 34 provinces every year")
    t.exclude("", [f"A{r}" for r in range(2, len(g) + 1)], "id (running record number)")
    t.exclude("", [f"B{r}" for r in range(2, len(g) + 1)], "kode_provinsi (BPS code)")
    t.exclude("", [f"F{r}" for r in range(2, len(g) + 1)], "tahun (year key)")
    return t


# h14  Indonesia provinces 2023: five welfare indicators, a tahun key column, float artefacts
def h14() -> Truth:
    t = Truth("h14", MISKIN_PROV)
    sh = "Data"
    g = t.g(sh)
    for r in range(2, 36):
        pv = clean(cellv(g, f"A{r}"))
        y = yr(cellv(g, f"B{r}"))
        for c in cols("C", "G"):
            h = clean(cellv(g, f"{c}1"))
            t.add(sh, f"{c}{r}", year=y, row_label=pv, column_label=h, wilayah=pv,
                  note=join_note("year from the tahun column",
                                 "stored with a float artefact (e.g. 70.38499999999999)" if c == "C" else "",
                                 "no unit written" ))
    t.exclude(sh, [f"B{r}" for r in range(2, 36)], "tahun (year key)")
    return t


# h15  Indonesia provinces: toddlers, stunting and severe stunting counts and a percentage, no year
def h15() -> Truth:
    t = Truth("h15", STUNTING)
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, 36):
        pv = clean(cellv(g, f"A{r}"))
        for c in cols("B", "E"):
            h = clean(cellv(g, f"{c}1"))
            t.add(sh, f"{c}{r}", row_label=pv, column_label=h, wilayah=pv, unit="%" if c == "E" else "",
                  note=join_note("no year in the sheet",
                                 "percentage stored unrounded in this row only" if (c == "E" and r == 35) else ""))
    return t


BUILDERS = [h01, h02, h03, h04, h05, h06, h07, h08, h09, h10, h11, h12, h13, h14, h15]



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
                if num_of(raw, t.is_csv, t.mode) is not None and "covered, ambiguous" not in r["note"]:
                    bad.append(f"{r['sheet']}!{r['cell']}: empty value but raw is a number {raw!r}")
                if not is_mark(raw) and "covered, ambiguous" not in r["note"]:
                    bad.append(f"{r['sheet']}!{r['cell']}: empty value but raw is not a mark {raw!r}")
                continue
            got = num_of(raw, t.is_csv, t.mode)
            if got is None or g15(got[0]) != r["value"] or not close(got[0], float(r["value"]), 1e-12):
                bad.append(f"{r['sheet']}!{r['cell']}: truth {r['value']} vs raw {raw!r}")
        other, why_not = second_reader(t.fname)
        if other is not None:
            for r in rows:
                if r["value"] == "":
                    continue
                ov = other(r["sheet"], r["cell"])
                got = num_of(ov, False, t.mode) if ov is not None else None
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
