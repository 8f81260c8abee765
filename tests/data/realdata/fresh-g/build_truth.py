#!/usr/bin/env python3
"""Build and check the cell-level truth of this folder (fresh batch-g, ids k01-k15).

Method and helpers copied from ../batch-f/build_truth.py (itself from ../batch-e, ../batch-d and
../../shared/realdata/corpus2/); the builders are new. Helper change in this batch:
- a rupiah prefix is read: 'Rp847.542.209.097' (k04) is the number 847542209097 (dot thousands), the
  prefix named in the note; NUMLIKE also matches such texts so that --check lists them.

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


NUMLIKE = re.compile(r"^\s*(Rp\.?\s?)?[-+]?\d[\d .,]*%?\s*$")


def parse_text(s: str, mode: str = "") -> tuple[float, str] | None:
    """Parse a number-like text the Indonesian way (see README, 'number text').

    mode "comma_thousands": the file writes English-style groups ('1,412', '3,231'); a comma followed by
    exactly three digits is then a thousands separator (declared per file, see README).
    Returns (value, how) or None; how is '' for a plain integer."""
    t = s.strip()
    pct = ""
    plus = ""
    rp = ""
    m_rp = re.match(r"Rp\.?\s?", t)
    if m_rp:
        t, rp = t[m_rp.end():], "rupiah prefix 'Rp'"
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
    how = join_note(out[1], pct, plus, rp)
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
# batch-g builders (one function per file; the data region is named by hand)
# ----------------------------------------------------------------------------------------------
AIR = "air-minum.xlsx"
SANITASI = "sanitasi.xlsx"
LANSIA = "jumlah-penduduk-menurut-usia-60-64-tahun.xlsx"
APBD = "realisasi-apbd-menurut-jenis-belanja.csv"
IREKA = "Template_Data_BankSampah_IREKA.xlsx"
SSH = "Contoh Standar Harga.xlsx"
HUJAN = "Data_Hujan_Kecamatan.csv"
STUNTING = "stunting.xlsx"
TPT_PROV = "dat.xlsx"
TPT_JABAR = "bps-od_17044_tingkat_pengangguran_terbuka__kabupatenkota_data.csv"
HARGA = "data_bahan_pokok.xlsx"
SUMUT = "ipm_kemiskinan_sumut.csv"
REF_ACEH = "ref_kabkota.csv"
IKP = "IndeksKetahananPangan.xlsx"
SPLINE = "Data.xlsx"

MONTH_ABBR_ID = {"jan": "Januari", "feb": "Februari", "mar": "Maret", "apr": "April", "mei": "Mei",
                 "jun": "Juni", "jul": "Juli", "ags": "Agustus", "agu": "Agustus", "sep": "September",
                 "okt": "Oktober", "nov": "November", "des": "Desember"}


# k01  Kab. Jember, Cipta Karya: households and house connections (SR) per kecamatan, no year, TOTAL column
def k01() -> Truth:
    t = Truth("k01", AIR)
    sh = "Sheet1 (2)"
    g = t.g(sh)
    for r in range(2, 33):
        kec = clean(cellv(g, f"B{r}"))
        for c in cols("C", "F"):
            h = clean(cellv(g, f"{c}1"))
            t.put(sh, f"{c}{r}", row_label=kec, column_label=h, wilayah=kec, is_total=1 if c == "F" else 0,
                  note=join_note("kecamatan of Kab. Jember (the kabupaten is named nowhere in this sheet); no year",
                                 "column TOTAL = SR + SR melalui PDAM in every row" if c == "F" else "",
                                 "households (KK), no unit written" if c == "C" else ""))
    t.exclude(sh, [f"A{r}" for r in range(2, 33)], "row number (No)")
    bad = [str(r) for r in range(2, 33)
           if not close(val(t, sh, f"D{r}") + val(t, sh, f"E{r}"), val(t, sh, f"F{r}"))]
    t.sums.append("TOTAL = SR + SR PDAM: " + ("OK" if not bad else "MISMATCH in source rows " + ", ".join(bad)))
    return t


# k02  Kab. Jember: households, households with proper sanitation and open defecation (BABS) per kecamatan
def k02() -> Truth:
    t = Truth("k02", SANITASI)
    sh = "sanitasi (4)"
    g = t.g(sh)
    for r in range(2, 33):
        kec = clean(cellv(g, f"B{r}"))
        for c in cols("C", "E"):
            h = clean(cellv(g, f"{c}1"))
            t.put(sh, f"{c}{r}", row_label=kec, column_label=h, wilayah=kec,
                  note=join_note("kecamatan of Kab. Jember (named only in the header of column C); no year",
                                 "households (KK), no unit written"))
    t.exclude(sh, [f"A{r}" for r in range(2, 33)], "row number (No)")
    bad = [str(r) for r in range(2, 33)
           if not close(val(t, sh, f"D{r}") + val(t, sh, f"E{r}"), val(t, sh, f"C{r}"))]
    t.sums.append("Jumlah KK = bersanitasi layak + BABS: " + ("OK" if not bad else "MISMATCH in source rows " + ", ".join(bad)))
    return t


# k03  Kota Tangerang Selatan: population aged 60-64 per kecamatan 2023 (Satu Data table 17), kode wilayah, city row
def k03() -> Truth:
    t = Truth("k03", LANSIA)
    sh = "17"
    g = t.g(sh)
    for r in range(4, 12):
        nm = clean(cellv(g, f"B{r}"))
        tot = r == 11
        t.add(sh, f"D{r}", year="2023", row_label=join(nm, cellv(g, f"C{r}")), column_label="Jumlah",
              wilayah="" if tot else nm, is_total=1 if tot else 0,
              note=join_note("year 2023 from the title 'Tabel 17. ... Tahun 2023'; the source line says DKB "
                             "Kemendagri 2023 Semester 2; persons, no unit written",
                             "city row 'Kota Tangerang Selatan' (code 36.74) = total of the 7 kecamatan" if tot else ""))
    t.exclude(sh, [f"A{r}" for r in range(4, 12)], "kode wilayah (36.74.01 .. 36.74, number-like text)")
    col_sum_check(t, sh, ["D"], 4, 10, 11, "Kota = sum of kecamatan")
    return t


# k04  Kota Tangerang Selatan: APBD realisation by type of spending 2021-2022, ';' CSV, 'Rp' texts with dot thousands
def k04() -> Truth:
    t = Truth("k04", APBD, delim=";")
    g = t.g()
    for r in range(4, 12):
        jb = clean(cellv(g, f"A{r}"))
        tot = jb == "Total"
        for c in ("B", "C"):
            y = clean(cellv(g, f"{c}3"))
            t.add("", f"{c}{r}", year=y, row_label=jb, column_label=y, unit="Rupiah", is_total=1 if tot else 0,
                  wilayah="" if tot else "Kota Tangerang Selatan",
                  note=join_note("Kota Tangerang Selatan (title); year from the column header; unit '(Rupiah)' "
                                 "from the title", "Total row" if tot else ""))
    t.exclude("", ["B3", "C3"], "year header (2021, 2022)")
    col_sum_check(t, "", ["B", "C"], 4, 10, 11, "Total = sum of jenis belanja")
    return t


# k05  Bank Sampah IREKA (desa cantik dashboard input): KPI key/value, monthly trend with Tahun + 'Jun24' labels,
#      composition, members per RT, valuation with an estimated total row, volume per RW
def k05() -> Truth:
    t = Truth("k05", IREKA)
    base = "dashboard input workbook of Bank Sampah IREKA (a neighbourhood RW 03); no kelurahan or city named"
    sh = "KPI"
    g = t.g(sh)
    units = {"kpi_volumeTon": ("Ton", "unit only from the key name 'kpi_volumeTon'"),
             "kpi_insentifJuta": ("Juta", "unit only from the key name 'kpi_insentifJuta' (million, rupiah implied)")}
    for r in (2, 3, 5, 7, 9):
        k = clean(cellv(g, f"A{r}"))
        u, un = units.get(k, ("", ""))
        lbl = clean(cellv(g, f"A{r + 1}")) if k != "hero_multiplier" else ""
        t.add(sh, f"B{r}", row_label=k, column_label="Value", unit=u,
              note=join_note(base, "key/value sheet; the next row holds its caption '" + lbl + "'" if lbl else
                             "key/value sheet; meaning of 'hero_multiplier' not stated", un,
                             "no year: the caption says 'sejak Jun 2024' (a cumulative total since June 2024)"
                             if k == "kpi_volumeTon" else ""))
    sh = "Tren"
    g = t.g(sh)
    for r in range(2, 26):
        y = clean(cellv(g, f"A{r}"))
        b = clean(cellv(g, f"B{r}"))
        per = MONTH_ABBR_ID[b[:3].lower()]
        t.add(sh, f"C{r}", year=y, period=per, row_label=join(y, b), column_label="Nilai_kg", unit="kg",
              note=join_note(base, f"year from the Tahun column (text '{y}'), month from the label '{b}' "
                                   "(Indonesian abbreviation + 2-digit year)"))
    t.exclude(sh, [f"A{r}" for r in range(2, 26)], "Tahun key column (year stored as text)")
    sh = "Komposisi"
    g = t.g(sh)
    for r in range(2, 11):
        t.add(sh, f"B{r}", row_label=cellv(g, f"A{r}"), column_label="Volume_kg", unit="kg",
              note=join_note(base, "composition by waste category; colour codes in column C are not data"))
    sh = "Nasabah_RT"
    g = t.g(sh)
    for r in range(2, 15):
        rt = clean(cellv(g, f"A{r}"))
        t.add(sh, f"B{r}", row_label=rt, column_label="Jumlah", wilayah=rt,
              note=join_note(base, "members (nasabah) per RT; no unit written"))
    sh = "Valuasi"
    g = t.g(sh)
    vunit = {"B": "kg", "C": "", "D": "Rp"}
    for r in range(2, 8):
        kom = clean(cellv(g, f"A{r}"))
        tot = clean(cellv(g, f"E{r}")) == "YA"
        for c in ("B", "C", "D"):
            h = clean(cellv(g, f"{c}1"))
            t.put(sh, f"{c}{r}", row_label=kom, column_label=h, unit=vunit[c], is_total=1 if tot else 0,
                  note=join_note(base, "Nilai_Rp = Volume_kg x Tarif_per_kg" if c == "D" and not tot else "",
                                 "tariff per kg, currency not written" if c == "C" else "",
                                 "total row 'Estimasi Total (5 kategori)' flagged IsTotal = YA" if tot else ""))
    col_sum_check(t, sh, ["B", "D"], 2, 6, 7, "Valuasi total = sum of 5 commodities")
    sh = "Difusi_RW"
    g = t.g(sh)
    for r in range(2, 6):
        rw = clean(cellv(g, f"A{r}"))
        t.add(sh, f"B{r}", row_label=rw, column_label="Volume_kg", unit="kg", wilayah=rw,
              note=join_note(base, "volume per RW; 'RW 03 · Asal' = the originating RW (IsAsal YA)"))
    uncover(t, ["PANDUAN", "Dampak", "SWOT", "Rekomendasi", "Roadmap"], "text only (no numbers)")
    return t


# k06  SIPD standar harga export (satudata-disnaker): unit prices of office buildings per M2, codes and ids
def k06() -> Truth:
    t = Truth("k06", SSH)
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, 8):
        item = clean(cellv(g, f"E{r}"))
        t.add(sh, f"H{r}", row_label=item, column_label="HARGA SATUAN", unit=clean(cellv(g, f"G{r}")),
              note="SIPD standar harga (ASB) row; price per SATUAN 'M2', rupiah not written; no year, no region")
    t.exclude(sh, [f"C{r}" for r in range(2, 8)], "ID STANDAR HARGA (record id)")
    t.exclude(sh, [f"A{r}" for r in range(2, 8)] + [f"D{r}" for r in range(2, 8)], "kode kelompok barang / kode barang (dotted codes)")
    t.exclude(sh, [f"I{r}" for r in range(2, 8)], "KODE REKENING (comma-separated list of account codes)")
    return t


# k07  Kota Bengkulu: rainfall per kecamatan, ';' CSV, CRLF, kecamatan names without spaces, no year, no unit
def k07() -> Truth:
    t = Truth("k07", HUJAN, delim=";")
    g = t.g()
    for r in range(2, len(g) + 1):
        kec = clean(cellv(g, f"A{r}"))
        if not kec:
            continue
        t.add("", f"B{r}", row_label=kec, column_label="Curah_Hujan", wilayah=kec,
              note="kecamatan of Kota Bengkulu written without spaces (KAMPUNGMELAYU); no year, no unit written "
                   "(annual mm by magnitude)")
    return t


# k08  Indonesia provinces: two unnamed measures 'x' and 'y' (stunting-related), no year
def k08() -> Truth:
    t = Truth("k08", STUNTING)
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, 36):
        pv = clean(cellv(g, f"A{r}"))
        for c in ("B", "C"):
            t.add(sh, f"{c}{r}", row_label=pv, column_label=cellv(g, f"{c}1"), wilayah=pv,
                  note="ambiguous: columns named only 'x' and 'y' (the file name says stunting); no year, no unit; "
                       "rows sorted by y descending")
    return t


# k09  Indonesia provinces: tpt and pkp (abbreviated headers), no year
def k09() -> Truth:
    t = Truth("k09", TPT_PROV)
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, 36):
        pv = clean(cellv(g, f"A{r}"))
        for c in ("B", "C"):
            t.add(sh, f"{c}{r}", row_label=pv, column_label=cellv(g, f"{c}1"), wilayah=pv,
                  note="abbreviated headers: tpt = tingkat pengangguran terbuka, pkp = persentase penduduk miskin "
                       "(a reader cannot know); no year, no unit written")
    return t


# k10  Jawa Barat kab/kota: open unemployment rate 2007-2024 (Open Data Jabar bps-od export), long, CRLF
def k10() -> Truth:
    t = Truth("k10", TPT_JABAR)
    g = t.g()
    for r in range(2, len(g) + 1):
        kk = clean(cellv(g, f"E{r}"))
        y = clean(cellv(g, f"H{r}"))
        t.add("", f"F{r}", year=y, row_label=join(kk, y), column_label="tingkat_pengangguran_terbuka",
              wilayah=kk, unit=clean(cellv(g, f"G{r}")),
              note="long open-data export (id, kode_provinsi, nama_provinsi, kode, nama, value, satuan, tahun); "
                   "years 2008 and 2016 absent; 25-27 kab/kota per year")
    n = len(g)
    t.exclude("", [f"A{r}" for r in range(2, n + 1)], "id (running record number)")
    t.exclude("", [f"B{r}" for r in range(2, n + 1)], "kode_provinsi (BPS code)")
    t.exclude("", [f"D{r}" for r in range(2, n + 1)], "kode_kabupaten_kota (BPS code)")
    t.exclude("", [f"H{r}" for r in range(2, n + 1)], "tahun (year key)")
    return t


# k11  Kab. Banyumas, Dinas Perindag: monthly average prices of staples 2020 (sheet '2020' only), group rows,
#      months under a merged BULAN header, annual min / max / mean columns
def k11() -> Truth:
    t = Truth("k11", HARGA)
    sh = "2020"
    g = t.g(sh)
    title = "title 'RATA-RATA HARGA DI KABUPATEN BANYUMAS PADA TAHUN 2020'"
    parent = ""
    for r in range(7, 52):
        a, b = cellv(g, f"A{r}"), clean(cellv(g, f"B{r}"))
        has = any(num_of(cellv(g, f"{c}{r}"), False) for c in cols("D", "R"))
        if a != "" and not has:
            parent = b
            continue
        if a != "":
            parent = ""
        lab = join(parent, b) if parent else b
        unit = clean(cellv(g, f"C{r}"))
        for i, c in enumerate(cols("D", "R")):
            if c <= "O":
                per, cl = MONTHS[i], join("BULAN", cellv(g, f"{c}5"))
                cn = ""
            else:
                per, cl = "", join("HARGA", cellv(g, f"{c}5"))
                cn = "annual lowest / highest / mean of the 12 monthly prices"
            t.put(sh, f"{c}{r}", year="2020", period=per, row_label=lab, column_label=cl, wilayah="Kabupaten Banyumas",
                  unit=unit, note=join_note(title, "price in rupiah per '" + unit + "' (Satuan column); rupiah not written",
                                            "item under the group row '" + parent + "'" if parent else "", cn,
                                            "unrounded averages stored with full float precision"))
    t.exclude(sh, [f"A{r}" for r in range(7, 52) if cellv(g, f"A{r}") != ""], "row number (No.)")
    uncover(t, ["2019", "2021", "2022", "2023"], "same layout for other years; not covered (cell budget)")
    return t


# k12  Sumatera Utara kab/kota: IPM, poverty %, per-capita expenditure, mean years of schooling 2019-2023, long
def k12() -> Truth:
    t = Truth("k12", SUMUT)
    g = t.g()
    for r in range(2, len(g) + 1):
        kk = clean(cellv(g, f"A{r}"))
        y = clean(cellv(g, f"B{r}"))
        for c in cols("C", "F"):
            h = clean(cellv(g, f"{c}1"))
            t.add("", f"{c}{r}", year=y, row_label=join(kk, y), column_label=h, wilayah=kk,
                  note=join_note("pivot-table export headers ('Sum of IPM'); year from the Tahun column; "
                                 "bare kab/kota names (Binjai = Kota Binjai); no unit written",
                                 "Pengeluaran_perkapita in thousand rupiah by magnitude" if c == "E" else ""))
    t.exclude("", [f"B{r}" for r in range(2, len(g) + 1)], "Tahun (year key)")
    return t


# k13  Aceh kab/kota reference list: ';' CSV, CRLF, decimal-comma coordinates, province row last
def k13() -> Truth:
    t = Truth("k13", REF_ACEH, delim=";")
    g = t.g()
    for r in range(2, len(g) + 1):
        nm = clean(cellv(g, f"B{r}"))
        if not nm:
            continue
        prov = clean(cellv(g, f"D{r}")) == "Provinsi"
        for c in ("F", "G"):
            t.add("", f"{c}{r}", row_label=nm, column_label=cellv(g, f"{c}1"), wilayah="" if prov else nm,
                  is_total=1 if prov else 0, unit="",
                  note=join_note("coordinate in decimal degrees written with a decimal comma; no year",
                                 "province row 'Provinsi Aceh' (enclosing region; its centroid, not a sum)" if prov else ""))
    t.exclude("", [f"A{r}" for r in range(2, len(g) + 1)], "kode_kabkota (BPS code)")
    return t


# k14  Indonesia kab/kota: Indeks Ketahanan Pangan (IKP), code column, no year, 0 for new Papua kabupaten
def k14() -> Truth:
    t = Truth("k14", IKP)
    sh = "Lembar1"
    g = t.g(sh)
    for r in range(2, 542):
        nm = clean(cellv(g, f"B{r}"))
        z = val(t, sh, f"C{r}") == 0
        t.add(sh, f"C{r}", row_label=nm, column_label="IKP", wilayah=nm,
              note=join_note("kab/kota food-security index; no year, no unit; bare kabupaten names",
                             "0 stored for a kabupaten without a score (new Papua kabupaten); kept as stored" if z else ""))
    t.exclude(sh, [f"A{r}" for r in range(2, 542)], "Kode Wilayah (BPS code)")
    return t


# k15  poverty modelling matrix: Y1 Y2 X1 X2 X3 for 81 unnamed regions, no labels, no year
def k15() -> Truth:
    t = Truth("k15", SPLINE)
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, 83):
        for c in cols("A", "E"):
            t.add(sh, f"{c}{r}", row_label=f"row {r - 1}", column_label=cellv(g, f"{c}1"),
                  note="unlabelled modelling matrix (responses Y1, Y2; predictors X1-X3); no region, no year, "
                       "no unit; row_label is only the record position")
    return t


BUILDERS = [k01, k02, k03, k04, k05, k06, k07, k08, k09, k10, k11, k12, k13, k14, k15]




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
