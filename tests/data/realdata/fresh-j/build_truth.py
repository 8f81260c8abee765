#!/usr/bin/env python3
"""Build and check the cell-level truth of this folder (fresh batch-j, ids j01-j15).

Method and helpers copied unchanged from ../fresh-i/build_truth.py (itself from batch-h .. batch-d and
../../shared/realdata/corpus2/); the builders are new. No helper changes in this batch.

usage (from any directory):
    python build_truth.py            # write truth/<id>.csv for every file with truth
    python build_truth.py --check    # write the truth, re-read every truth row against its raw cell
                                     # (python-calamine, and a second reader: openpyxl for .xlsx,
                                     # xlrd for .xls), list every numeric or number-like cell NOT in
                                     # the truth by exclusion class, run the sum checks, write
                                     # check_report.txt

One function per file names the data region by hand (rows, columns, label column, header rows).
Cells are read with python-calamine (cached values). CSV files are read with the csv module over the
CSV grid: record n = row n, field k = column k, so A1 is the first field of the first record
(a UTF-8 BOM is dropped). This script never imports or runs the tool under test.
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
MARKS = {"-", "–", "—", "...", "…", "..", "x", "n/a"}


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


NUMLIKE = re.compile(r"^\s*(Rp\.?\s?)?[-+]?\d[\d .,]*%?\s*\*?\s*$")


def parse_text(s: str, mode: str = "") -> tuple[float, str] | None:
    """Parse a number-like text the Indonesian way (see README, 'number text').

    mode "comma_thousands": the file writes English-style groups ('1,412', '3,231'); a comma followed by
    exactly three digits is then a thousands separator (declared per file, see README).
    Returns (value, how) or None; how is '' for a plain integer."""
    t = s.strip()
    pct = ""
    plus = ""
    rp = ""
    star = ""
    m_star = re.search(r"\s*\*$", t)
    if m_star and t[:m_star.start()].strip():
        t, star = t[:m_star.start()].strip(), "asterisk flag '*' after the number"
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
    how = join_note(out[1], pct, plus, rp, star)
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
# batch-j builders (one function per file; the data region is named by hand)
# ----------------------------------------------------------------------------------------------
MONTH_ABBR_ID = {"jan": "Januari", "feb": "Februari", "mar": "Maret", "apr": "April", "mei": "Mei",
                 "juni": "Juni", "jun": "Juni", "jul": "Juli", "juli": "Juli", "agt": "Agustus",
                 "agu": "Agustus", "ags": "Agustus", "sept": "September", "sep": "September",
                 "okt": "Oktober", "nop": "November", "nov": "November", "des": "Desember"}
MONTH_UPPER = {m.upper(): m for m in MONTHS}


def row_sum_check(t: Truth, sheet: str, rows, parts, total: str, what: str, tol: float = 1e-9):
    """For each row, sum of the part columns == the total column."""
    bad = []
    for r in rows:
        s = sum(val(t, sheet, f"{c}{r}") for c in parts)
        tv = val(t, sheet, f"{total}{r}")
        if not close(s, tv, tol):
            bad.append(f"{total}{r}={g15(tv)} vs sum {g15(round(s, 6))}")
    t.sums.append(f"{what}: " + ("OK" if not bad else "MISMATCH in source: " + "; ".join(bad)))
    return bad



SBY_WNI = "Jumlah Penduduk Menurut Kewarganegaraan dan Jenis Kelamin per Kecamatan, 2024.csv"
BDG_SEM = "Jumlah Penduduk Kota Bandung menurut Kecamatan, 2024.csv"
BDG_RIT = "jumlah_ritasi_pengangkutan_sampah_di_kota_bandung_1.csv"
BDG_KEP = ("Penduduk, Laju Pertumbuhan Penduduk, Distribusi Persentase Penduduk Kepadatan Penduduk, Rasio Jenis "
           "Kelamin Penduduk Menurut Kecamatan di Kota Bandung, 2026.csv")
JABAR_MISKIN = "Jumlah dan Persentase Penduduk Miskin Menurut Kabupaten_Kota di Provinsi Jawa Barat, 2024.xlsx"
JABAR_IPM = "Indeks Pembangunan Manusia Provinsi Jawa Barat 2024.xlsx"
RS_BPS = "RS Jabar BPS.xlsx"
RS_OD = "RS Jabar OD.xlsx"
BALI_DANAU = "Ketinggian Ibu Kota Kabupaten, Nama dan Luas Danau di Provinsi Bali.csv"
BALI_LUAS = "Luas Daerah dan Jumlah Pulau Menurut Kabupaten_Kota di Provinsi Bali, 2023.xlsx"
JEMBER = "Produksi Buah–Buahan dan Sayuran Tahunan Menurut Jenis Tanaman di Kabupaten Jember, {}.csv"
JAGUNG = "Luas Panen, Produksi, dan Produktivitas Jagung Menurut Provinsi, 2022-2023.csv"
KERETA = "Jumlah Penumpang Kereta Api, {}.csv"


def groups_over(g: list[list], row: int, c1: str, c2: str) -> dict[str, str]:
    """A group header written once over its columns (merged-like in a CSV): carry it to the right."""
    grp, out = "", {}
    for c in cols(c1, c2):
        if clean(cellv(g, f"{c}{row}")):
            grp = clean(cellv(g, f"{c}{row}"))
        out[c] = grp
    return out


def col_sum_check_marks(t: Truth, sheet: str, columns, rows, total_row: int, what: str, tol: float = 1e-9):
    """Like col_sum_check, over an explicit list of part rows."""
    bad = []
    for c in columns:
        s = sum(val(t, sheet, f"{c}{r}") for r in rows)
        tv = val(t, sheet, f"{c}{total_row}")
        if not close(s, tv, tol):
            bad.append(f"{c}{total_row}={g15(tv)} vs sum {g15(round(s, 6))}")
    t.sums.append(f"{what}: " + ("OK" if not bad else "MISMATCH in source: " + "; ".join(bad)))
    return bad


def rounding_check(t: Truth, sheet: str, what: str, pairs, abs_tol: float):
    """pairs: (cell of the stored total, computed sum). OK when every difference is within the rounding
    of the published figures (abs_tol); the largest difference is named."""
    bad, worst = [], 0.0
    for cell, s in pairs:
        tv = val(t, sheet, cell)
        d = abs(tv - s)
        worst = max(worst, d)
        if d > abs_tol + 1e-9:
            bad.append(f"{cell}={g15(tv)} vs sum {g15(round(s, 6))}")
    if bad:
        t.sums.append(f"{what}: MISMATCH in source: " + "; ".join(bad))
    elif worst > 1e-9:
        t.sums.append(f"{what}: OK within rounding (largest difference {g15(round(worst, 6))}, "
                      f"tolerance {g15(abs_tol)})")
    else:
        t.sums.append(f"{what}: OK")
    return bad


# j01  BPS Kota Surabaya web CSV: population per kecamatan by citizenship (WNI / Orang Asing Tetap) and sex
#      (L, P, Total) 2024; BOM; header over 5 records (stub 'kecamatan.', title with '(Jiwa)', group, year, sex);
#      '-' marks; city row 'Kota Surabaya' last
def j01() -> Truth:
    t = Truth("j01", SBY_WNI)
    g = t.g()
    title = clean(cellv(g, "B2"))
    grp = groups_over(g, 3, "B", "G")
    yrs = groups_over(g, 4, "B", "G")
    for r in range(6, 38):
        wil = clean(cellv(g, f"A{r}"))
        city = wil == "Kota Surabaya"
        for c in cols("B", "G"):
            jk = clean(cellv(g, f"{c}5"))
            tot_col = jk == "Total"
            t.put("", f"{c}{r}", year=yrs[c], row_label=wil, column_label=join(title, grp[c], yrs[c], jk),
                  wilayah="" if city else wil, unit="Jiwa", is_total=1 if (city or tot_col) else 0,
                  mark_note="'-' = nil (BPS convention)",
                  note=join_note("BPS web CSV download: BOM; header over records 1-5 (stub 'kecamatan.', title, "
                                 "citizenship group written once over its three columns, year '2024' as text "
                                 "written once per group, sex L / P / Total)",
                                 "unit '(Jiwa)' from the title",
                                 "Total = L + P (total column)" if tot_col else "",
                                 "city row 'Kota Surabaya' (total of the 31 kecamatan)" if city
                                 else "kecamatan of Kota Surabaya"))
    t.exclude("", ["B4", "E4"], "year header (text)")
    row_sum_check(t, "", range(6, 38), ["B", "C"], "D", "WNI Total = L + P ('-' as 0)")
    row_sum_check(t, "", range(6, 38), ["E", "F"], "G", "Orang Asing Tetap Total = L + P ('-' as 0)")
    col_sum_check(t, "", cols("B", "G"), 6, 36, 37, "Kota Surabaya = sum of 31 kecamatan ('-' as 0)")
    return t


# j02  BPS Kota Bandung web CSV: population per kecamatan, Semester I and II 2024; BOM; header over 4 records
#      (stub 'Kota dan Kecamatan', title with '(Jiwa)', year, semesters); city row 'Kota Bandung' last
def j02() -> Truth:
    t = Truth("j02", BDG_SEM)
    g = t.g()
    title = clean(cellv(g, "B2"))
    y = clean(cellv(g, "B3"))
    for r in range(5, 36):
        wil = clean(cellv(g, f"A{r}"))
        city = wil == "Kota Bandung"
        for c in ("B", "C"):
            sem = clean(cellv(g, f"{c}4"))
            t.add("", f"{c}{r}", year=y, period=sem, row_label=wil, column_label=join(title, y, sem),
                  wilayah="" if city else wil, unit="Jiwa", is_total=1 if city else 0,
                  note=join_note("BPS web CSV download: BOM; header over records 1-4 (stub 'Kota dan Kecamatan', "
                                 "title, year '2024' written once over both columns, semester)",
                                 f"period = the semester as written ('{sem}'; no month given)",
                                 "unit '(Jiwa)' from the title",
                                 "city row 'Kota Bandung' (total of the 30 kecamatan)" if city
                                 else "kecamatan of Kota Bandung"))
    t.exclude("", ["B3"], "year header (text)")
    col_sum_check(t, "", ["B", "C"], 5, 34, 35, "Kota Bandung = sum of 30 kecamatan")
    return t


# j03  Open Data Kota Bandung export: monthly waste-transport trips (ritasi) 2017-2024, long; id, province and
#      kab/kota code columns; month names in capitals in 'bulan', year in 'tahun', unit in 'satuan' (RIT)
def j03() -> Truth:
    t = Truth("j03", BDG_RIT)
    g = t.g()
    n = len(g)
    for r in range(2, n + 1):
        kota = clean(cellv(g, f"E{r}"))
        bulan = clean(cellv(g, f"F{r}"))
        y = yr(cellv(g, f"I{r}"))
        t.add("", f"G{r}", year=y, period=MONTH_UPPER[bulan.upper()], row_label=join(kota, bulan, y),
              column_label="jumlah_ritasi", wilayah=kota, unit=clean(cellv(g, f"H{r}")),
              note=join_note("Open Data export (id, kode_provinsi, nama_provinsi, bps_kode_kabupaten_kota, "
                             "bps_nama_kabupaten_kota, bulan, jumlah_ritasi, satuan, tahun)",
                             f"month from the 'bulan' column ('{bulan}'), year from the 'tahun' column",
                             "unit from the satuan column ('RIT' = trips)"))
    t.exclude("", [f"A{r}" for r in range(2, n + 1)], "id (row number)")
    t.exclude("", [f"B{r}" for r in range(2, n + 1)], "kode_provinsi (code)")
    t.exclude("", [f"D{r}" for r in range(2, n + 1)], "bps_kode_kabupaten_kota (code)")
    t.exclude("", [f"I{r}" for r in range(2, n + 1)], "tahun (year key)")
    return t


# j04  BPS Kota Bandung table as CSV (header reduced to one record by the uploader?): population, growth rate,
#      share, density and sex ratio per kecamatan; header 'Jumlah Penduduk (Ribu)' over values in persons;
#      city row 'Bandung' last; 'Catatan' footer naming 2020-2023 projections; year only in the file name (2026)
def j04() -> Truth:
    t = Truth("j04", BDG_KEP)
    g = t.g()
    units = {"B": "Ribu", "C": "", "D": "", "E": "per km2", "F": ""}
    unotes = {
        "B": "unit 'Ribu' as written in the header 'Jumlah Penduduk (Ribu)'; doubtful: the values are persons "
             "(Kota Bandung 2,569,102), not thousands (kept as written)",
        "C": "growth rate in percent per year (no unit written)",
        "D": "share of the city population in percent (no unit written; the column adds to 100.8)",
        "E": "unit from the header 'Kepadatan Penduduk per km persegi (Km2)'",
        "F": "sex ratio (no unit written)",
    }
    for r in range(2, 33):
        wil = clean(cellv(g, f"A{r}"))
        city = wil == "Bandung"
        for c in cols("B", "F"):
            h = clean(cellv(g, f"{c}1"))
            t.add("", f"{c}{r}", year="2026", row_label=wil, column_label=h, wilayah="" if city else wil,
                  unit=units[c], is_total=1 if city else 0,
                  note=join_note("year only in the file name ('..., 2026.csv'); doubtful: the 'Catatan' footer "
                                 "speaks of the interim projection 2020-2023 and growth 2020-2021",
                                 unotes[c],
                                 "city row 'Bandung' (Kota Bandung; total / city value)" if city
                                 else "kecamatan of Kota Bandung (city only in the title of the file name)"))
    col_sum_check(t, "", ["B"], 2, 31, 32, "Bandung = sum of 30 kecamatan (population)")
    rounding_check(t, "", "Persentase Penduduk: sum of 30 kecamatan = city row (100.8 as written)",
                   [("D32", sum(val(t, "", f"D{r}") for r in range(2, 32)))], 0.05)
    return t


# j05  BPS Jawa Barat web table as xlsx: poverty line, poor population and share, March and September 2024 per
#      kab/kota; header flattened into one row ('Garis Kemiskinan - Maret (Rp)', '... (ribu) (Ribu)'); '...' for
#      every kab/kota September value; province row 'Jawa Barat' last; year only in the file name
def j05() -> Truth:
    t = Truth("j05", JABAR_MISKIN)
    sh = "Sheet1"
    g = t.g(sh)
    units = {"B": "Rp", "C": "Rp", "D": "ribu", "E": "ribu", "F": "", "G": ""}
    for r in range(2, 30):
        wil = clean(cellv(g, f"A{r}"))
        prov = wil == "Jawa Barat"
        for c in cols("B", "G"):
            h = clean(cellv(g, f"{c}1"))
            per = "Maret" if "Maret" in h else "September"
            t.put(sh, f"{c}{r}", year="2024", period=per, row_label=wil, column_label=h,
                  wilayah="" if prov else wil, unit=units[c], is_total=1 if prov else 0,
                  mark_note="'...' = data not available (September figures exist only for the province)",
                  note=join_note("year only in the file name ('..., 2024.xlsx')",
                                 f"period = survey month '{per}' from the header",
                                 "unit from the header" if units[c] else "percentage, no unit written",
                                 "header '(ribu) (Ribu)' written twice" if c in "DE" else "",
                                 "province row 'Jawa Barat' (enclosing region; total / province value)" if prov
                                 else "kab/kota (kabupaten bare, kota written 'Kota ...')"))
    rounding_check(t, sh, "Jawa Barat = sum of 27 kab/kota (poor population in thousands, Maret)",
                   [("D29", sum(val(t, sh, f"D{r}") for r in range(2, 29)))], 0.05)
    return t


# j06  compiled sheet 'DATA INDEKS PEMBANGUNAN MANUSIA PROVINSI JAWA BARAT 2024': five stacked blocks with their
#      own headers (years 2021-2024 as numbers; 2023/2024; 'Capaian IPM 2024'), 'No' columns, group rows with '-',
#      units inside the row labels
def j06() -> Truth:
    t = Truth("j06", JABAR_IPM)
    sh = "Indeks Pembangunan Manusia Prov"
    g = t.g(sh)
    stack = "stacked block {} of 5 titled '{}'"

    def unit_of(label: str) -> str:
        m = re.search(r"\(([^)]*)\)\s*$", label)
        if not m:
            return ""
        u = re.sub(r"^[A-Z]+ - ", "", m.group(1))
        return "" if u in ("APS", "APM") else u

    # block 1: A4 'Indikator', B4:E4 years, rows 5-13
    b1 = clean(cellv(g, "A3"))
    for r in range(5, 14):
        lab = clean(cellv(g, f"A{r}"))
        u = unit_of(lab)
        for c in cols("B", "E"):
            y = yr(cellv(g, f"{c}4"))
            notes = [stack.format(1, b1), "years as numbers in row 4"]
            if r == 13:
                notes.append("doubtful: 'Pengeluaran Riil per Kapita (Ribu Rupiah)' 10.93-12.157 look like "
                             "millions of rupiah (kept as written)")
            t.put(sh, f"{c}{r}", year=y, row_label=lab, column_label=join(cellv(g, "A4"), y), wilayah="Jawa Barat",
                  unit=u, mark_note="'-' = not given",
                  note=join_note(*notes, f"unit from the label '({u})'" if u else "no unit written",
                                 "province of the sheet title (Provinsi Jawa Barat)"))
    t.exclude(sh, [f"{c}4" for c in cols("B", "E")], "year header row (numbers)")
    # blocks 2-4: 'No | Indikator | 2023 | 2024'
    for blk, (hr, r1, r2) in enumerate([(16, 17, 20), (23, 24, 32), (35, 36, 46)], start=2):
        title = clean(cellv(g, f"A{hr - 1}"))
        group = ""
        for r in range(r1, r2 + 1):
            lab = clean(cellv(g, f"B{r}"))
            sub = lab.startswith("-")
            if not sub:
                group = lab
            rl = join(group, re.sub(r"^-\s*", "", lab)) if sub else lab
            u = unit_of(lab)
            for c in ("C", "D"):
                y = yr(cellv(g, f"{c}{hr}"))
                is_grp = blk == 3 and not sub
                t.put(sh, f"{c}{r}", year=y, row_label=rl, column_label=join(cellv(g, f"B{hr}"), y),
                      wilayah="Jawa Barat", unit=u,
                      mark_note="'-' on a group row (its values are in the sub-rows below)" if is_grp
                      else "'-' = not given",
                      note=join_note(stack.format(blk, title), f"years as numbers in row {hr}",
                                     "sub-row written '  - ...' under its group row" if sub else "",
                                     f"unit from the label '({u})'" if u else "no unit written",
                                     "province of the block title (Provinsi Jawa Barat)"))
            if clean(cellv(g, f"A{r}")):
                t.exclude(sh, [f"A{r}"], "No (row number)")
        t.exclude(sh, [f"C{hr}", f"D{hr}"], "year header row (numbers)")
    # block 5: 'No | Kabupaten/Kota | Capaian IPM 2024 | Laju IPM (%)', rows 50-76
    title5 = clean(cellv(g, "A48"))
    for r in range(50, 77):
        wil = clean(cellv(g, f"B{r}"))
        for c in ("C", "D"):
            h = clean(cellv(g, f"{c}49"))
            t.add(sh, f"{c}{r}", year="2024", row_label=wil, column_label=h, wilayah=wil,
                  unit="%" if c == "D" else "",
                  note=join_note(stack.format(5, title5), "year 2024 from the header 'Capaian IPM 2024' and the "
                                 "block title '(2024)'", "unit '(%)' from the header" if c == "D"
                                 else "index, no unit written", "kab/kota sorted by IPM (No in column A)"))
        t.exclude(sh, [f"A{r}"], "No (rank / row number)")
    return t


# j07  'Jawa Barat dalam Angka 2022' table as xlsx: general and special hospitals per kab/kota; kab/kota group
#      ('Kabupaten' / 'Kota') written once in column B, names in C (Bogor, Sukabumi, Bandung, Cirebon, Bekasi and
#      Tasikmalaya appear twice); Total column (=D+E formulas) and Total row; footer 'Sumber: Dinkes Prov. Jawa
#      Barat Tahun 2021'
def j07() -> Truth:
    t = Truth("j07", RS_BPS)
    sh = "Jabar dalam Angka 2022"
    g = t.g(sh)
    grp = ""
    for r in range(2, 30):
        if clean(cellv(g, f"B{r}")):
            grp = clean(cellv(g, f"B{r}"))
        name = clean(cellv(g, f"C{r}"))
        tot_row = r == 29
        wil = "" if tot_row else f"{grp} {name}"
        for c in ("D", "E", "F"):
            h = clean(cellv(g, f"{c}1"))
            tot_col = c == "F"
            t.add(sh, f"{c}{r}", year="2021", row_label="Total" if tot_row else join(grp, name), column_label=h,
                  wilayah=wil, is_total=1 if (tot_row or tot_col) else 0,
                  note=join_note("year 2021 from the footer 'Sumber: Dinkes Prov. Jawa Barat Tahun 2021' (the sheet "
                                 "name 'Jabar dalam Angka 2022' is the publication edition)",
                                 "kab/kota group 'Kabupaten' / 'Kota' written once in column B on the first row of "
                                 "its group; the wilayah joins group and name (Bogor, Sukabumi, Bandung, Cirebon, "
                                 "Bekasi and Tasikmalaya exist as both)" if not tot_row else
                                 "row 'Total' merged A29:C29 (total of the 27 kab/kota)",
                                 "Total = RS Umum + RS Khusus (formula, cached value; total column)" if tot_col else "",
                                 "hospitals, no unit written"))
    t.exclude(sh, [f"A{r}" for r in range(2, 29)], "No (row number)")
    row_sum_check(t, sh, range(2, 30), ["D", "E"], "F", "Total = RS Umum + RS Khusus")
    col_sum_check(t, sh, ["D", "E", "F"], 2, 28, 29, "Total row = sum of 27 kab/kota")
    return t


# j08  Open Data Jawa Barat export as xlsx: hospitals per kab/kota 2021, long (id, codes, names, jumlah_rs,
#      satuan 'UNIT', tahun) with a 'TOTAL' row added (merged A29:E29, =SUM formula)
def j08() -> Truth:
    t = Truth("j08", RS_OD)
    sh = "Open Data Jabar"
    g = t.g(sh)
    for r in range(2, 29):
        wil = clean(cellv(g, f"E{r}"))
        t.add(sh, f"F{r}", year=yr(cellv(g, f"H{r}")), row_label=wil, column_label="jumlah_rs", wilayah=wil,
              unit=clean(cellv(g, f"G{r}")),
              note=join_note("Open Data export (id, kode_provinsi, nama_provinsi, kode_kabupaten_kota, "
                             "nama_kabupaten_kota, jumlah_rs, satuan, tahun)", "year from the tahun column",
                             "unit from the satuan column ('UNIT')"))
    t.add(sh, "F29", year="2021", row_label="TOTAL", column_label="jumlah_rs", unit="UNIT", is_total=1,
          note=join_note("row 'TOTAL' (merged A29:E29) added under the export, formula =SUM, cached value",
                         "year and unit from the rows above (the TOTAL row has no tahun / satuan)"))
    t.exclude(sh, [f"A{r}" for r in range(2, 29)], "id (row number)")
    t.exclude(sh, [f"B{r}" for r in range(2, 29)], "kode_provinsi (code)")
    t.exclude(sh, [f"D{r}" for r in range(2, 29)], "kode_kabupaten_kota (code)")
    t.exclude(sh, [f"H{r}" for r in range(2, 29)], "tahun (year key)")
    col_sum_check(t, sh, ["F"], 2, 28, 29, "TOTAL = sum of 27 kab/kota")
    return t


# j09  BPS Provinsi Bali publication table as CSV: altitude of the regency capitals and name / area of lakes;
#      BOM; bilingual title and header (Indonesian record, English record); '-' padded with spaces; area with a
#      space thousands separator and padding ('1 607.50     '); a second lake of Buleleng on its own record;
#      bilingual notes and source; no year anywhere
def j09() -> Truth:
    t = Truth("j09", BALI_DANAU)
    g = t.g()
    kab = ""
    for r in range(6, 16):
        if clean(cellv(g, f"A{r}")):
            kab = clean(cellv(g, f"A{r}"))
        lake = clean(cellv(g, f"C{r}"))
        common = join_note("no year in the file", "bilingual header over records 4-5; kab/kota of Provinsi Bali "
                           "(Denpasar is a kota, written bare)")
        t.put("", f"B{r}", row_label=kab, column_label=join(cellv(g, "B4"), cellv(g, "B5")), wilayah=kab,
              unit="meter", note=join_note(common, "unit from the header 'Latitude (meter)' (altitude above sea "
                                                   "level, see Keterangan)"))
        t.put("", f"D{r}", row_label=join(kab, lake) if lake != "-" else kab,
              column_label=join(cellv(g, "D4"), cellv(g, "D5")), wilayah=kab, unit="Ha",
              mark_note="'-' padded with spaces: no lake", note=join_note(
                  common, "unit from the header 'Area (Ha)'",
                  f"lake '{lake}' in column C" if lake != "-" else "",
                  "second lake of Buleleng on its own record (kab/kota cell empty)" if r == 14 else ""))
    return t


# j10  BPS Provinsi Bali table as xlsx: area, share of area and number of islands per kab/kota; the capital column
#      holds the text 'NaN'; islands blank where none; province row 'Bali'; 'Catatan' footnote; year only in the
#      file name
def j10() -> Truth:
    t = Truth("j10", BALI_LUAS)
    sh = "Sheet1"
    g = t.g(sh)
    units = {"C": "Km2", "D": "", "E": ""}
    for r in range(2, 12):
        wil = clean(cellv(g, f"A{r}"))
        prov = wil == "Bali"
        for c in ("C", "D", "E"):
            h = clean(cellv(g, f"{c}1"))
            t.put(sh, f"{c}{r}", year="2023", row_label=wil, column_label=h, wilayah="" if prov else wil,
                  unit=units[c], is_total=1 if prov else 0,
                  note=join_note("year only in the file name ('..., 2023.xlsx')",
                                 "unit from the header '(Km2)'" if c == "C" else
                                 ("percentage, no unit written" if c == "D" else "count of islands, no unit written"),
                                 "column 'Ibu Kota Wilayah' holds the text 'NaN' (not data)",
                                 "province row 'Bali' (total)" if prov else "kab/kota of Provinsi Bali"))
    rounding_check(t, sh, "Bali = sum of 9 kab/kota, area and share",
                   [(f"{c}11", sum(val(t, sh, f"{c}{r}") for r in range(2, 11))) for c in ("C", "D")], 0.05)
    col_sum_check(t, sh, ["E"], 2, 10, 11, "Bali = sum of 9 kab/kota, islands (blank as 0)")
    return t


# j11, j12  BPS Kabupaten Jember CSV: annual fruit and vegetable production by crop, 2020 and 2023 (year only
#      in the file name); BOM; unit inside the bilingual row labels '(kw/qui)'; blank values; '...' (2020)
def jember(tid: str, year: str) -> Truth:
    t = Truth(tid, JEMBER.format(year))
    g = t.g()
    h = clean(cellv(g, "B1"))
    for r in range(2, len(g) + 1):
        lab = clean(cellv(g, f"A{r}"))
        m = re.search(r"\(([^)]*)\)\s*$", lab)
        t.put("", f"B{r}", year=year, row_label=lab, column_label=h, wilayah="Kabupaten Jember",
              unit=m.group(1) if m else "", mark_note="'...' = data not available",
              note=join_note(f"year and region only in the file name ('... di Kabupaten Jember, {year}.csv'); BOM",
                             "unit 'kw/qui' (kuintal / quintal) from the bilingual row label",
                             "blank values have no row"))
    return t


def j11() -> Truth:
    return jember("j11", "2020")


def j12() -> Truth:
    return jember("j12", "2023")


# j13  BPS web CSV: maize harvested area (ha), productivity (ku/ha) and production (ton) per province,
#      2023..2020 descending (file name says 2022-2023); BOM; stub '34 Provinsi'; header over 4 records; '-' and 0
#      for DKI Jakarta; 'INDONESIA' row last
def j13() -> Truth:
    t = Truth("j13", JAGUNG)
    g = t.g()
    title = clean(cellv(g, "B2"))
    grp = groups_over(g, 3, "B", "M")
    for r in range(5, 40):
        wil = clean(cellv(g, f"A{r}"))
        tot = wil == "INDONESIA"
        for c in cols("B", "M"):
            y = clean(cellv(g, f"{c}4"))
            m = re.search(r"\(([^)]*)\)\s*$", grp[c])
            t.put("", f"{c}{r}", year=y, row_label=wil, column_label=join(title, grp[c], y),
                  wilayah="" if tot else wil, unit=m.group(1) if m else "", is_total=1 if tot else 0,
                  mark_note="'-' = no data",
                  note=join_note("BPS web CSV download: BOM; header over records 1-4 (stub '34 Provinsi', title, "
                                 "group with unit written once over its four year columns, years 2023 2022 2021 2020 "
                                 "descending as text)",
                                 "the file name says '2022-2023' but the header years are 2020-2023",
                                 f"unit from the group header '({m.group(1)})'" if m else "",
                                 "country row 'INDONESIA' (total of the provinces; productivity a national value)"
                                 if tot else "province (upper case)"))
    t.exclude("", [f"{c}4" for c in cols("B", "M")], "year header row (text)")
    rounding_check(t, "", "INDONESIA = sum of 34 provinces, harvested area ('-' as 0)",
                   [(f"{c}39", sum(val(t, "", f"{c}{r}") for r in range(5, 39))) for c in cols("B", "E")], 0.05)
    col_sum_check(t, "", cols("J", "M"), 5, 38, 39, "INDONESIA = sum of 34 provinces, production ('-' as 0)")
    return t


# j14, j15  BPS web CSV: train passengers per month 2024 / 2025 by network or service, with a 'Tahunan' column,
#      a subtotal row 'Jawa (Jabodetabek+Non Jabodetabek)' and a 'Total' row; BOM; year only in the file name;
#      2025 has '-' from August on and in 'Tahunan'
def kereta(tid: str, year: str) -> Truth:
    t = Truth(tid, KERETA.format(year))
    g = t.g()
    for r in range(2, 11):
        lab = clean(cellv(g, f"A{r}"))
        sub = lab.startswith("Jawa (")
        tot_row = lab == "Total"
        for c in cols("B", "N"):
            h = clean(cellv(g, f"{c}1"))
            annual = h == "Tahunan"
            t.put("", f"{c}{r}", year=year, period="" if annual else h, row_label=lab, column_label=h,
                  is_total=1 if (sub or tot_row or annual) else 0,
                  mark_note="'-' = not yet available",
                  note=join_note(f"year only in the file name ('Jumlah Penumpang Kereta Api, {year}.csv'); BOM",
                                 "month from the column header" if not annual else
                                 "'Tahunan' = annual total of the months (total column)",
                                 "subtotal row Jawa = Jabodetabek + Non Jabodetabek (Jawa)" if sub else "",
                                 "row 'Total' = Jawa + Non Jawa + Kereta Bandara + MRT + LRT + Kereta cepat" if tot_row
                                 else "",
                                 "rows are rail networks / services (header 'tipe kendaraan'), not administrative "
                                 "regions: no wilayah", "passengers, no unit written (BPS publishes thousands)"))
    months = cols("B", "M")
    full = [c for c in months if not is_mark(cellv(g, f"{c}2"))]
    if is_mark(cellv(g, "N2")):
        t.sums.append("Tahunan: '-' in every row (no check)")
    else:
        rounding_check(t, "", "Tahunan = sum of the 12 months (figures rounded)",
                       [(f"N{r}", sum(val(t, "", f"{c}{r}") for c in months)) for r in range(2, 11)], 3)
    rounding_check(t, "", "Jawa = Jabodetabek + Non Jabodetabek (months with data)",
                   [(f"{c}4", val(t, "", f"{c}2") + val(t, "", f"{c}3")) for c in full], 2)
    rounding_check(t, "", "Total = Jawa + Non Jawa + Kereta Bandara + MRT + LRT + Kereta cepat (months with data)",
                   [(f"{c}10", sum(val(t, "", f"{c}{r}") for r in range(4, 10))) for c in full], 2)
    return t


def j14() -> Truth:
    return kereta("j14", "2024")


def j15() -> Truth:
    return kereta("j15", "2025")


BUILDERS = [j01, j02, j03, j04, j05, j06, j07, j08, j09, j10, j11, j12, j13, j14, j15]

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
