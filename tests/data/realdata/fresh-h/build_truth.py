#!/usr/bin/env python3
"""Build and check the cell-level truth of this folder (fresh batch-h, ids h01-h14).

Method and helpers copied from ../batch-g/build_truth.py (itself from batch-f .. batch-d and
../../shared/realdata/corpus2/); the builders are new. Helper changes in this batch:
- a trailing asterisk flag is read: '1.632,00 *' (h04, h05) is the number 1632, the flag named in the
  note; NUMLIKE also matches such texts so that --check lists them;
- 'n/a' is a mark (no value): it gets a truth row with an empty value, like '-'.

usage (from any directory):
    python build_truth.py            # write truth/<id>.csv for every file with truth
    python build_truth.py --check    # write the truth, re-read every truth row against its raw cell
                                     # (python-calamine, and a second reader: openpyxl for .xlsx),
                                     # list every numeric or number-like cell NOT in the truth by
                                     # exclusion class, run the sum checks, write check_report.txt

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
# batch-h builders (one function per file; the data region is named by hand)
# ----------------------------------------------------------------------------------------------
CAKUPAN = "cakupan_kab.csv"
KEPADATAN = "Kepadatan Penduduk menurut Kecamatan di Kota Bandung, 2022.csv"
PAJAK = "jumlah_penerimaan_pajak_restoran_di_kota_bandung.csv"
BANTUL = "Daerah_kab-bantul-jumlah-kasus-penyakit-pada-manusia-2018-2022.csv"
KOTAYK = "Daerah_kota-yogyakarta-jumlah-kasus-penyakit-pada-manusia-2018-2022.csv"
SKDR = "data_skdr.xlsx"
JKT_KEC = "Jumlah-Kecamatan-Kelurahan-Rukun-Warga-Rukun-Tetangga-dan-Kepala-Keluarga-Menurut-Kabupaten-Atau-Kot.csv"
JKT_UMUR = "Penduduk-Menurut-Kelompok-Umur-dan-Jenis-Kelamin-Di-DKI-Jakarta-Tahun-2013.csv"
APK = "Angka Partisipasi Kasar.xlsx"
GK_PROV = "angka_garis_kemiskinan_per_kapita_per_bulan__provinsi.csv"
PEMPRO = "DATA PEMPRO KELOMPOK.xlsx"
LUAS = "Luas Daerah dan Jumlah Pulau Menurut Provinsi, 2023 Me.xlsx"
PIRAMIDA = "piramida_data_sulbar.csv"
CEK_SULBAR = "cek_sulbar.xlsx"

MONTH_UPPER = {m.upper(): m for m in MONTHS}


def year_of_text(v) -> str:
    """'2013.0' / 2013.0 / '2013' -> '2013'."""
    s = clean(v)
    m = re.fullmatch(r"(\d{4})(\.0+)?", s)
    return m.group(1) if m else s


# h01  BKKBN Sulawesi Barat (Elsimil): coverage of kecamatan / desa / TPK per kabupaten, stacked by sasaran
def h01() -> Truth:
    t = Truth("h01", CAKUPAN)
    g = t.g()
    n = len(g)
    for r in range(2, n + 1):
        kab = clean(cellv(g, f"B{r}"))
        sas = clean(cellv(g, f"L{r}"))
        for c in cols("C", "K"):
            h = clean(cellv(g, f"{c}1"))
            pct = h.startswith("persen")
            err = "source error: 93 / 181 x 100 = 51.38, stored 51.7 (kept as stored)" if (c, r) == ("H", 21) else ""
            t.add("", f"{c}{r}", row_label=join(kab, sas), column_label=h, wilayah=kab,
                  unit="persen" if pct else "",
                  note=join_note(err, "kabupaten of Sulawesi Barat (provinsi column); rows stacked by the 'sasaran' "
                                 "column (BADUTA, CATIN, PASCASALIN, BUMIL); no year",
                                 "unit taken from the header name 'persen_...' (= elsimil / total x 100)" if pct
                                 else "count, no unit written"))
    # persen = elsimil / total * 100 (rounded to 2 decimals)
    bad = []
    for r in range(2, n + 1):
        for tot, part, pc in (("C", "D", "E"), ("F", "G", "H"), ("I", "J", "K")):
            calc = round(100 * val(t, "", f"{part}{r}") / val(t, "", f"{tot}{r}"), 2)
            if abs(calc - val(t, "", f"{pc}{r}")) > 0.011:
                bad.append(f"{pc}{r}")
    t.sums.append("persen_* = *_elsimil / total_* x 100: " + ("OK" if not bad else "MISMATCH in source: " + ", ".join(bad)))
    return t


# h02  BPS Kota Bandung web CSV: population, area, density per kecamatan 2022, city row with dashes
def h02() -> Truth:
    t = Truth("h02", KEPADATAN)
    g = t.g()
    title = clean(cellv(g, "B2"))
    units = {"B": "", "C": "ha", "D": "jiwa/ha"}
    for r in range(5, len(g) + 1):
        kec = clean(cellv(g, f"A{r}"))
        city = kec == "Kota Bandung"
        for c in ("B", "C", "D"):
            h = clean(cellv(g, f"{c}3"))
            t.put("", f"{c}{r}", year=year_of_text(cellv(g, f"{c}4")), row_label=kec,
                  column_label=join(title, h, cellv(g, f"{c}4")), wilayah="" if city else kec,
                  unit=units[c], is_total=1 if city else 0,
                  note=join_note("BPS web CSV download: header spread over records 1-4 (stub 'Kota dan Kecamatan', "
                                 "title over the columns, indicator, year row '2022')",
                                 "unit from the header '(ha)' / '(jiwa/ha)'" if units[c] else
                                 "no unit for Jumlah Penduduk (the '(Jiwa/ha)' of the title belongs to the density)",
                                 "city row 'Kota Bandung' (enclosing region = total) written with dashes" if city else ""))
    t.exclude("", ["B4", "C4", "D4"], "year header row (2022)")
    return t


# h03  Open Data Kota Bandung export: restaurant tax receipts per month and category 2018-2022, long
def h03() -> Truth:
    t = Truth("h03", PAJAK)
    g = t.g()
    n = len(g)
    for r in range(2, n + 1):
        bulan = clean(cellv(g, f"F{r}"))
        kat = clean(cellv(g, f"G{r}"))
        y = clean(cellv(g, f"J{r}"))
        t.add("", f"H{r}", year=y, period=MONTH_UPPER[bulan.upper()], row_label=join(kat, bulan, y),
              column_label="jumlah", wilayah=clean(cellv(g, f"E{r}")), unit=clean(cellv(g, f"I{r}")),
              note="open-data export (id, kode_provinsi, nama_provinsi, bps_kode_kabupaten_kota, "
                   "bps_nama_kabupaten_kota, bulan, kategori, jumlah, satuan, tahun); month in an upper-case "
                   "'bulan' column; RUMAH MAKAN only for 2018-2020, RESTORAN and KATERING 2018-2022")
    t.exclude("", [f"A{r}" for r in range(2, n + 1)], "id (running record number)")
    t.exclude("", [f"B{r}" for r in range(2, n + 1)], "kode_provinsi (BPS code)")
    t.exclude("", [f"D{r}" for r in range(2, n + 1)], "bps_kode_kabupaten_kota (BPS code)")
    t.exclude("", [f"J{r}" for r in range(2, n + 1)], "tahun (year key)")
    return t


# h04, h05  Jogja Dataku (DIY satu data) export: disease cases 2018-2022, quoted decimal-comma texts,
#           'n/a', trailing ' *' flags, mixed '0.00' / '0,00'
def _jogja(tid: str, fname: str, region: str) -> Truth:
    t = Truth(tid, fname)
    g = t.g()
    for r in range(2, len(g) + 1):
        dis = clean(cellv(g, f"A{r}"))
        for c in cols("B", "F"):
            y = clean(cellv(g, f"{c}1"))
            t.put("", f"{c}{r}", year=y, row_label=dis, column_label=y, wilayah=region,
                  mark_note="'n/a': no data", 
                  note=join_note(f"region only in the file name ('{fname.split('-jumlah')[0]}')",
                                 "values quoted, written with a decimal comma and dot thousands ('3.399,00')",
                                 "this row written '0.00' with a dot decimal, unlike the rest of the file"
                                 if "." in str(cellv(g, f"{c}{r}")) and "," not in str(cellv(g, f"{c}{r}")) else "",
                                 "number of cases, no unit written"))
    t.exclude("", [f"{c}1" for c in cols("B", "F")], "year header")
    return t


def h04() -> Truth:
    return _jogja("h04", BANTUL, "Kabupaten Bantul")


def h05() -> Truth:
    return _jogja("h05", KOTAYK, "Kota Yogyakarta")


# h06  Puskesmas Bangko Kanan (Kab. Rokan Hilir) SKDR weekly surveillance: one sheet per year, long
#      (Tahun, Minggu Ke-, Nama Penyakit, Jumlah Kasus); sheets 2022 and 2025 covered
def h06() -> Truth:
    t = Truth("h06", SKDR)
    for sh in ("2022", "2025"):
        g = t.g(sh)
        n = len(g)
        for r in range(2, n + 1):
            y = yr(cellv(g, f"A{r}"))
            wk = yr(cellv(g, f"B{r}"))
            dis = clean(cellv(g, f"C{r}"))
            t.add(sh, f"D{r}", year=y, row_label=join(dis, f"Minggu Ke- {wk}"), column_label="Jumlah Kasus",
                  note=join_note(f"year from the Tahun column (= sheet name {sh})",
                                 f"epidemiological week {wk} (column 'Minggu Ke-'): not a month, so no period",
                                 "weekly cases of the Puskesmas (named nowhere in the file); no unit"))
        t.exclude(sh, [f"A{r}" for r in range(2, n + 1)], "Tahun (year key)")
        t.exclude(sh, [f"B{r}" for r in range(2, n + 1)], "Minggu Ke- (week number key)")
    uncover(t, ["2023", "2024"], "same layout for other years; not covered (cell budget)")
    return t


# h07  Open Data DKI Jakarta (2013): kelurahan, RW, RT and households per kecamatan; floats written '3.0',
#      tahun '2013.0', kecamatan names with a trailing space
def h07() -> Truth:
    t = Truth("h07", JKT_KEC)
    g = t.g()
    n = len(g)
    for r in range(2, n + 1):
        kk = clean(cellv(g, f"B{r}"))
        kec = clean(cellv(g, f"C{r}"))
        y = year_of_text(cellv(g, f"A{r}"))
        for c in cols("D", "G"):
            t.add("", f"{c}{r}", year=y, row_label=join(kk, kec), column_label=cellv(g, f"{c}1"), wilayah=kec,
                  note=join_note("year from the tahun column written '2013.0'; counts written as floats '3.0'",
                                 "kecamatan of the kabupaten/kota administrasi in column B; no unit written",
                                 "name stored with a trailing space" if cellv(g, f"C{r}") != kec else ""))
    t.exclude("", [f"A{r}" for r in range(2, n + 1)], "tahun (year key, written '2013.0')")
    return t


# h08  Open Data DKI Jakarta: population by age group and sex 2013, long, floats '473605.0'
def h08() -> Truth:
    t = Truth("h08", JKT_UMUR)
    g = t.g()
    n = len(g)
    for r in range(2, n + 1):
        ku = clean(cellv(g, f"B{r}"))
        y = year_of_text(cellv(g, f"A{r}"))
        for c in ("C", "D"):
            t.add("", f"{c}{r}", year=y, row_label=ku, column_label=cellv(g, f"{c}1"), wilayah="DKI Jakarta",
                  note=join_note("year from the tahun column '2013.0' (also in the file name)",
                                 "region only in the file name ('...-Di-DKI-Jakarta-Tahun-2013')",
                                 "age-group labels with irregular spaces ('0  -  4 ', '60 + '); persons, no unit written"))
    t.exclude("", [f"A{r}" for r in range(2, n + 1)], "tahun (year key, written '2013.0')")
    return t


# h09  BPS Provinsi Jawa Barat web table (xlsx export): APK by level 2017-2019 per kab/kota, numbers as text,
#      merged level groups over text years, province row first, source / URL / access-time footer
def h09() -> Truth:
    t = Truth("h09", APK)
    sh = "Sheet1"
    g = t.g(sh)
    grp = ""
    groups = {}
    for c in cols("B", "M"):
        if clean(cellv(g, f"{c}2")):
            grp = clean(cellv(g, f"{c}2"))
        groups[c] = grp
    for r in range(4, 32):
        wil = clean(cellv(g, f"A{r}"))
        prov = wil.startswith("Provinsi")
        for c in cols("B", "M"):
            y = clean(cellv(g, f"{c}3"))
            t.add(sh, f"{c}{r}", year=y, row_label=wil, column_label=join(cellv(g, "B1"), groups[c], y),
                  wilayah="" if prov else wil, is_total=1 if prov else 0,
                  note=join_note("BPS web table exported to xlsx: every number stored as text with a dot decimal",
                                 "level written once over its three year columns (merged group header); years as text",
                                 "province row 'Provinsi Jawa Barat' (enclosing region; a rate, not a sum)" if prov else
                                 "kab/kota (kota written 'Kota ...', kabupaten bare)",
                                 "no unit written (a rate in percent)"))
    t.exclude(sh, [f"{c}3" for c in cols("B", "M")], "year header row (text)")
    return t


# h10  BPS / Open Data Jabar small ';' CSV: poverty line of Jawa Barat 2020-2018 (years descending),
#      empty first record ';;;', BOM, CRLF
def h10() -> Truth:
    t = Truth("h10", GK_PROV, delim=";")
    g = t.g()
    for c in ("B", "C", "D"):
        y = clean(cellv(g, f"{c}2"))
        t.add("", f"{c}3", year=y, row_label=clean(cellv(g, "A3")), column_label=y, wilayah=clean(cellv(g, "A3")),
              note="';' CSV with an empty first record ';;;' and a header 'Nama Wilayah;2020;2019;2018' (years "
                   "descending); the quantity (garis kemiskinan per kapita per bulan) and its rupiah unit are only "
                   "in the file name; no unit written")
    t.exclude("", ["B2", "C2", "D2"], "year header")
    return t


# h11  student table from BPS NTT tables: stunting and related indicators per kab/kota, abbreviated headers
#      explained in a legend block under the table
def h11() -> Truth:
    t = Truth("h11", PEMPRO)
    sh = "Sheet1"
    g = t.g(sh)
    legend = {clean(cellv(g, f"A{r}")): clean(cellv(g, f"B{r}")) for r in range(27, 34)}
    for r in range(2, 24):
        wil = clean(cellv(g, f"A{r}"))
        for c in cols("B", "H"):
            h = clean(cellv(g, f"{c}1"))
            t.add(sh, f"{c}{r}", row_label=wil, column_label=h, wilayah=wil,
                  note=join_note(f"abbreviated header '{h}' explained in the legend below the table: "
                                 f"'{legend.get(h, '')}'",
                                 "ST is a fraction (0.24), the others percentages or years; no unit written, no year "
                                 "written; bare kab/kota names ('Belu ' with a trailing space)"))
    return t


# h12  student copy of a BPS table: area, share and number of islands per province 2023, Indonesia row,
#      footnote digit glued to a name, blank cell
def h12() -> Truth:
    t = Truth("h12", LUAS)
    sh = "Sheet1"
    g = t.g(sh)
    units = {"B": "Km2", "C": "", "D": ""}
    for r in range(2, 41):
        pv = clean(cellv(g, f"A{r}"))
        ind = pv == "Indonesia"
        for c in ("B", "C", "D"):
            h = clean(cellv(g, f"{c}1"))
            wil = "" if ind else re.sub(r"(?<=[a-z])1$", "", pv)
            t.put(sh, f"{c}{r}", year="2023", row_label=pv, column_label=h, wilayah=wil,
                  unit=units[c], is_total=1 if ind else 0,
                  note=join_note("year only in the file name ('..., 2023 Me.xlsx')",
                                 "unit from the header '(Km2)'" if units[c] else "no unit written",
                                 "country row 'Indonesia' = total" if ind else "",
                                 "footnote digit glued to the name ('Papua Barat Daya1'); wilayah without it" if pv.endswith("1") else ""))
    col_sum_check(t, sh, ["B", "D"], 2, 39, 40, "Indonesia = sum of 38 provinces (area, islands)")
    s = sum(val(t, sh, f"C{r}") for r in range(2, 40))
    t.sums.append(f"Persentase column sums to {round(s, 2)} (Indonesia row 100; rounding)")
    return t


# h13  BKKBN Sulawesi Barat: population pyramid, sex as rows, 17 age groups as columns ('0 - 1' .. '75+')
def h13() -> Truth:
    t = Truth("h13", PIRAMIDA)
    g = t.g()
    for r in (2, 3):
        jk = clean(cellv(g, f"A{r}"))
        for c in cols("B", "R"):
            h = clean(cellv(g, f"{c}1"))
            t.add("", f"{c}{r}", row_label=jk, column_label=h, wilayah="Sulawesi Barat",
                  note="age groups as column headers ('0 - 1', '2 - 4', ... '75+'); region only in the file name "
                       "('piramida_data_sulbar'); persons, no unit, no year")
    return t


# h14  BKKBN Sulawesi Barat: the same pyramid as h13, long (age group rows stored as text '5-9', '10-14')
def h14() -> Truth:
    t = Truth("h14", CEK_SULBAR)
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, 19):
        ku = clean(cellv(g, f"A{r}"))
        for c in ("B", "C"):
            t.add(sh, f"{c}{r}", row_label=ku, column_label=cellv(g, f"{c}1"), wilayah="Sulawesi Barat",
                  note="age-group labels stored as text ('5-9', '10-14': not dates); region only in the file name "
                       "('cek_sulbar'); persons, no unit, no year; same numbers as h13")
    return t



# h15  the same student table as h11 saved as ';' CSV with decimal commas and CRLF (no legend)
PEMPRO_CSV = "DATA PEMPRO KELOMPOK.csv"


def h15() -> Truth:
    t = Truth("h15", PEMPRO_CSV, delim=";")
    g = t.g()
    for r in range(2, len(g) + 1):
        wil = clean(cellv(g, f"A{r}"))
        if not wil:
            continue
        for c in cols("B", "H"):
            h = clean(cellv(g, f"{c}1"))
            t.add("", f"{c}{r}", row_label=wil, column_label=h, wilayah=wil,
                  note="';' CSV, CRLF, decimal commas ('0,24'); abbreviated headers (ST, PM, BW, ASL, AML, LS, ASI) "
                       "with no legend in this file (the xlsx h11 has one); no unit, no year")
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
