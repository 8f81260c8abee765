#!/usr/bin/env python3
"""Build and check the cell-level truth of this folder (fresh batch-e, ids g01-g14).

Method and helpers copied from ../batch-d/build_truth.py (itself from ../../shared/realdata/corpus2/); the builders are new.
One helper change: parse_text also reads '29664.735' (4+ digits before a dot and 3 after) as a decimal point,
since a dot-thousands group cannot follow more than 3 digits.

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
    elif re.fullmatch(r"-?\d{4,}\.\d{3}", t):
        out = float(t), "dot = decimal point: more than 3 digits before it, so not a thousands group"
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
# batch-e builders (one function per file; the data region is named by hand)
# ----------------------------------------------------------------------------------------------
MONTH_UP = {m.upper(): m for m in MONTHS}
TRIWULAN = {"1": "Triwulan I", "2": "Triwulan II", "3": "Triwulan III", "4": "Triwulan IV",
            "I": "Triwulan I", "II": "Triwulan II", "III": "Triwulan III", "IV": "Triwulan IV"}

SAMPAH = "jumlah_capaian_penanganan_sampah_di_kota_bandung.csv"
TERNAK = "Data Ternak Sarwodadi, Giritirta.xlsx"
TANIMBAR = "8101 Kepuluauan Tanimbar pengeluaran Q4 2025 Final (1).xlsx"
OLAH = "olah-data.xlsx"
JATIM_TPAK = "Tingkat Partisipasi Angkatan Kerja (TPAK) Menurut Kabupaten_Kota, 2020.csv"
JATIM_IPM = "Indeks Pembangunan Manusia Menurut Kabupaten_Kota di Provinsi Jawa Timur, 2021.csv"
JATIM_KAB_KOTA_NAMES = {"Kediri", "Blitar", "Malang", "Probolinggo", "Pasuruan", "Mojokerto", "Madiun"}


# g01  Kota Bandung: waste handled per month 2017-2024, Open Data Jabar long export with a 'bulan' column
def g01() -> Truth:
    t = Truth("g01", SAMPAH)
    g = t.g()
    n = len(g)
    for r in range(2, n + 1):
        bulan = clean(cellv(g, f"F{r}"))
        y = clean(cellv(g, f"I{r}"))
        kab = clean(cellv(g, f"E{r}"))
        t.add("", f"G{r}", year=y, period=MONTH_UP[bulan], row_label=join(kab, bulan, y),
              column_label=clean(cellv(g, "G1")), wilayah="Kota Bandung", unit=clean(cellv(g, f"H{r}")),
              note="Open Data Jabar long export: one value per record; month in 'bulan' (capitals), year in "
                   "'tahun', unit in 'satuan' (TON); tonnes with up to 3 decimals ('29664.735')")
    t.exclude("", [f"A{r}" for r in range(2, n + 1)], "id (running record number)")
    t.exclude("", [f"B{r}" for r in range(2, n + 1)], "kode_provinsi (code 32)")
    t.exclude("", [f"D{r}" for r in range(2, n + 1)], "bps_kode_kabupaten_kota (BPS code 3273)")
    t.exclude("", [f"I{r}" for r in range(2, n + 1)], "tahun (year key)")
    for y in range(2017, 2025):
        rs = [r for r in range(2, n + 1) if clean(cellv(g, f"I{r}")) == str(y)]
        t.sums.append(f"{y}: {len(rs)} monthly records" + ("" if len(rs) == 12 else " (not 12)"))
    return t


# g02  Desa Giritirta (Kab. Banjarnegara), Dusun Sarwodadi: livestock per owner, 3 animals x 4 merged columns
def g02() -> Truth:
    t = Truth("g02", TERNAK)
    sh = "Sheet1"
    g = t.g(sh)
    groups = {"E": "Kambing", "I": "Domba", "M": "Sapi"}
    for r in range(4, 41):
        owner = clean(cellv(g, f"B{r}"))
        no = cellv(g, f"A{r}")
        for c in cols("E", "P"):
            grp_col = col_letter((col_index(c) - 4) // 4 * 4 + 4)
            animal = groups[grp_col]
            sub = clean(cellv(g, f"{c}3"))
            tot = sub.startswith("Total")
            t.put(sh, f"{c}{r}", row_label=owner, column_label=join(animal, sub), wilayah="Dusun Sarwodadi",
                  unit="ekor" if False else "", is_total=1 if tot else 0,
                  note=join_note("title 'Dusun Sarwodadi' merged over A1:R1 (the repository names Desa Giritirta, "
                                 "Kec. Pejawaran, Kab. Banjarnegara); no year anywhere in the sheet",
                                 f"owner no. {int(no)} (private livestock owner)",
                                 "animal merged over 4 columns in row 2, sub-header in row 3",
                                 "'Total (Dewasa beserta anakan)' = adults + young, so it is NOT Jantan+Betina"
                                 if tot else ("young animals, a part of the Total column" if sub.startswith("Jumlah Anakan") else "")))
    t.exclude(sh, [f"A{r}" for r in range(4, 41)], "row number (No)")
    t.exclude(sh, [f"C{r}" for r in range(4, 41)], "RT number (address code)")
    t.exclude(sh, [f"D{r}" for r in range(4, 41)], "RW number (address code)")
    odd = []
    for r in range(4, 41):
        for base in ("E", "I", "M"):
            i = col_index(base)
            j, b, tot, an = (val(t, sh, f"{col_letter(i + k)}{r}") for k in range(4))
            if tot and not close(j + b + an, tot) and not close(j + b, tot):
                odd.append(f"{base}{r}")
    t.sums.append("Total = Jantan+Betina+Anakan (or Jantan+Betina when Anakan is blank): "
                  + ("OK" if not odd else f"neither holds at the group starting {', '.join(odd)}: Jantan/Betina partly "
                     "left blank in the source (kept as stored)"))
    return t


# g03  BPS Kab. Kepulauan Tanimbar: PDRB by expenditure 2021-2025, 3 sheets (adhb, adhk, distribusi)
def g03() -> Truth:
    t = Truth("g03", TANIMBAR)
    uncover(t, ["Exp"], "BPS working sheet of the quarterly expenditure-side compilation (427 x 96, ~21,000 "
                        "numbers): outside the ~300-cell budget of this batch")
    uncover(t, ["pertumbuhan"], "growth-rate sheet of the same layout: left out to stay near 300 cells")
    parents = {}
    for sh, what in [("adhb", "PDRB atas dasar harga berlaku"), ("adhk", "PDRB atas dasar harga konstan"),
                     ("distribusi", "distribusi (share of PDRB)")]:
        g = t.g(sh)
        parent = ""
        for r in range(2, 28):
            lab = clean(cellv(g, f"A{r}"))
            if all(cellv(g, f"{c}{r}") in ("", None) for c in cols("B", "F")):
                continue
            if lab:
                parent = lab
            sub = not lab
            pdrb = lab == "P D R B"
            for c in cols("B", "F"):
                y = yr(cellv(g, f"{c}1"))
                n = [f"sheet '{sh}' = {what}; year from the header row ('{cellv(g, f'{c}1')}')",
                     "kabupaten only in the file name ('8101 Kepuluauan Tanimbar ...', misspelt; 8101 = Kab. "
                     "Kepulauan Tanimbar); no title, no unit written (adhb/adhk are in million rupiah by BPS "
                     "practice, distribusi in percent)"]
                if sub:
                    n.append(f"unlabelled sub-component row (label cell empty) under '{parent}'")
                if pdrb:
                    n.append("'P D R B' (letters spaced) = total of the components")
                if lab.startswith("6. Net ekspor"):
                    n.append("'6. Net ekspor' = 6. Ekspor - 7. Impor (numbered 6 twice in the source)")
                if sh == "distribusi" and lab.startswith("7. Impor"):
                    n.append("share of imports in PDRB, subtracted in the total")
                t.add(sh, f"{c}{r}", year=y, row_label=lab, column_label=y, wilayah="Kepulauan Tanimbar",
                      is_total=1 if pdrb else 0, note=join_note(*n))
        t.exclude(sh, [f"{c}1" for c in cols("B", "F")], "year header row (2021..2025)")
        bad1 = [c for c in cols("B", "F") if not close(sum(val(t, sh, f"{c}{r}") for r in range(3, 10)), val(t, sh, f"{c}2"), 1e-6)]
        t.sums.append(f"{sh}: row 2 household consumption = sum of its 7 unlabelled sub-rows 3-9: "
                      + ("OK" if not bad1 else f"differs in {bad1}"))
        bad2 = [c for c in cols("B", "F") if not close(sum(val(t, sh, f"{c}{r}") for r in (2, 11, 13, 15, 19, 25)),
                                                        val(t, sh, f"{c}27"), 1e-6)]
        t.sums.append(f"{sh}: 'P D R B' = 1+2+3+4+5+net ekspor: " + ("OK" if not bad2 else f"differs in {bad2}"))
    return t


# g04  (BPS Kab. Kepulauan Tanimbar) PDRB by sector group, quarterly: 5 small sheets, quarters as columns
def g04() -> Truth:
    t = Truth("g04", OLAH)
    what = {"pertumbuhan_q_to_q": ("growth quarter to quarter", "%"),
            "pertumbuhan_y_on_y": ("growth year on year", "%"),
            "pertumbuhan_c_to_c": ("growth cumulative to cumulative", "%"),
            "distribusi": ("distribution (share of PDRB)", "%"),
            "pdrb_adhb_adhk": ("PDRB at current (adhb) and constant (adhk) prices", "")}
    for sh, (desc, _u) in what.items():
        g = t.g(sh)
        ncol = len(g[0])
        for r in range(2, 6):
            lab = clean(cellv(g, f"A{r}"))
            tot = lab.startswith("PRODUK DOMESTIK REGIONAL BRUTO")
            for ci in range(1, ncol):
                c = col_letter(ci)
                head = clean(cellv(g, f"{c}1"))
                m = re.fullmatch(r"Q([1-4]) (\d{4})", head)
                m2 = re.fullmatch(r"Q([1-4])-(adhb|adhk)", head)
                if m:
                    y, per = m.group(2), TRIWULAN[m.group(1)]
                    ynote = f"quarter and year from the header '{head}'"
                else:
                    y, per = "", TRIWULAN[m2.group(1)]
                    ynote = (f"header '{head}' gives the quarter but NO year (the other sheets run to Q4 2025; "
                             "the year is not stated here, left empty)")
                t.add(sh, f"{c}{r}", year=y, period=per, row_label=lab, column_label=head,
                      is_total=1 if tot else 0,
                      note=join_note(f"sheet '{sh}' = {desc}", ynote,
                                     "no region, title or unit in the workbook (the repository's other files are "
                                     "BPS Kab. Kepulauan Tanimbar, code 8101)",
                                     "total row ' PRODUK DOMESTIK REGIONAL BRUTO' (leading space)" if tot else "",
                                     "growth rates (percent by BPS practice, no unit written; negative values are real)" if sh.startswith("pertumbuhan") else ""))
    g = t.g("distribusi")
    bad = [c for c in cols("B", "E") if not close(sum(val(t, "distribusi", f"{c}{r}") for r in (2, 3, 4)), val(t, "distribusi", f"{c}5"), 1e-9)]
    t.sums.append("distribusi: Primer+Sekunder+Tersier = PDRB (100): " + ("OK" if not bad else f"differs in {bad}"))
    bad = [c for c in cols("B", "I") if not close(sum(val(t, "pdrb_adhb_adhk", f"{c}{r}") for r in (2, 3, 4)), val(t, "pdrb_adhb_adhk", f"{c}5"), 1e-9)]
    t.sums.append("pdrb_adhb_adhk: Primer+Sekunder+Tersier = PDRB: " + ("OK" if not bad else f"differs in {bad}"))
    return t


# g05  BPS Jawa Timur web CSV: TPAK per kab/kota 2020; header over 3 records, province row last
def g05() -> Truth:
    t = Truth("g05", JATIM_TPAK)
    g = t.g()
    title = clean(cellv(g, "B2"))
    for r in range(4, 43):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "Jawa Timur"
        t.add("", f"B{r}", year="2020", row_label=lab, column_label=join(title, "2020"), unit="%",
              wilayah="" if tot else lab, is_total=1 if tot else 0,
              note=join_note("header over 3 records: stub 'Kabupaten/Kota Se Jawa Timur' in A1, title in B2, year "
                             "2020 in B3", "unit '(Persen)' from the title",
                             "province row 'Jawa Timur' last (no line break after it); a rate, not a sum" if tot else ""))
    t.exclude("", ["B3"], "year header (2020)")
    return t


# g06  BPS Jawa Timur web CSV: IPM per kab/kota; the year 2021 only in the FILE NAME; bare kabupaten names
def g06() -> Truth:
    t = Truth("g06", JATIM_IPM)
    g = t.g()
    for r in range(2, 41):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "Jawa Timur"
        t.add("", f"B{r}", year="2021", row_label=lab, column_label=clean(cellv(g, "B1")),
              wilayah="" if tot else lab, is_total=1 if tot else 0,
              note=join_note("year 2021 only in the file name ('..., 2021.csv'); the footnote speaks of 2020-2023",
                             "kabupaten rows carry the bare name; this one also exists as 'Kota "
                             f"{lab}' further down, so the bare name means Kabupaten {lab}" if lab in JATIM_KAB_KOTA_NAMES else "",
                             "province row 'Jawa Timur' = province index, not a sum" if tot else ""))
    return t


# g07  Konreg PDRB Sumatera: IPM per province 2015-2023, ';' separated, decimal commas, years as columns
def g07() -> Truth:
    t = Truth("g07", "ipm.csv", delim=";")
    g = t.g()
    for r in range(2, 12):
        lab = clean(cellv(g, f"A{r}"))
        for c in cols("B", "J"):
            y = clean(cellv(g, f"{c}1"))
            t.add("", f"{c}{r}", year=y, row_label=lab, column_label=y, wilayah=lab,
                  note=join_note("Indeks Pembangunan Manusia (the measure is named only by the file name 'ipm.csv')",
                                 "';' separated with decimal commas ('69,45')",
                                 "last record has no line break" if r == 11 else ""))
    t.exclude("", [f"{c}1" for c in cols("B", "J")], "year header (2015..2023)")
    return t


# g08  Konreg PDRB Sumatera: poor population per province 2015-2023 (thousand persons, unit not written)
def g08() -> Truth:
    t = Truth("g08", "penduduk-miskin.csv", delim=";")
    g = t.g()
    for r in range(2, 12):
        lab = clean(cellv(g, f"A{r}"))
        wil = lab.replace("Kep,", "Kep.")
        for c in cols("B", "J"):
            y = clean(cellv(g, f"{c}1"))
            raw = cellv(g, f"{c}{r}")
            t.add("", f"{c}{r}", year=y, row_label=lab, column_label=y, wilayah=wil,
                  note=join_note("jumlah penduduk miskin (named only by the file name); values in thousand persons "
                                 "(ribu jiwa) by BPS practice, no unit written",
                                 "integers up to 2019, decimal commas from 2020 ('814,91')",
                                 "'1.170' among integers ~1100: dot = thousands separator (1170), not 1.17"
                                 if raw == "1.170" else "",
                                 "label written with a comma 'Kep, ...' (for 'Kep.')" if "Kep," in lab else "",
                                 "last record has no line break" if r == 11 else ""))
    t.exclude("", [f"{c}1" for c in cols("B", "J")], "year header (2015..2023)")
    return t


# g09  Inflation (year on year) per month, Jun 2019 back to Dec 2002: dates as rows, text percents
def g09() -> Truth:
    t = Truth("g09", "inflasi.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    MON_ID = {"Nopember": "November"}
    for r in range(2, 201):
        a = cellv(g, f"A{r}")
        if hasattr(a, "year"):
            y, per, lab = str(a.year), MONTHS[a.month - 1], a.isoformat()
            n = "month from a real date cell (first day of the month)"
        else:
            m = re.fullmatch(r"(\w+) (\d{4})", clean(a))
            y, per, lab = m.group(2), MON_ID.get(m.group(1), m.group(1)), clean(a)
            n = f"month written as TEXT '{clean(a)}' (old spelling of November; every November is text, not a date)"
        t.add(sh, f"B{r}", year=y, period=per, row_label=lab, column_label="Inflasi", unit="%",
              wilayah="",
              note=join_note(n, "percent stored as text with a dot decimal ('3.28%')",
                             "no region written (wilayah left empty); by the values the national year-on-year series "
                             "(18.38 % in Nov 2005)",
                             "0.00% on the oldest month Dec 2002: likely a missing value stored as 0 (kept)" if r == 200 else ""))
    return t


# g10  BPS Kab. Sijunjung (SE2026 prelist work): jorong and population per nagari; no year
def g10() -> Truth:
    t = Truth("g10", "dataNagari.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, 64):
        lab = clean(cellv(g, f"A{r}"))
        for c in "BC":
            t.add(sh, f"{c}{r}", row_label=lab, column_label=clean(cellv(g, f"{c}1")), wilayah=lab,
                  note=join_note("nagari (village) rows of Kab. Sijunjung, named only by the repository; no year, "
                                 "title or unit in the sheet",
                                 "jml_jorong = number of jorong (hamlets)" if c == "B" else "jml_pdd = population"))
    return t


# g11  National rice production 1970-2022 in a long 'Tahun' table (sheet 'Worksheet')
def g11() -> Truth:
    t = Truth("g11", "data_padi.xlsx")
    sh = "Worksheet"
    g = t.g(sh)
    for r in range(2, 55):
        y = yr(cellv(g, f"A{r}"))
        t.add(sh, f"B{r}", year=y, row_label=y, column_label="Produksi", wilayah="",
              note=join_note("long format: year in the 'Tahun' column A", "no unit written (tonnes of dry "
                             "unhusked rice, GKG, by the size of the numbers)",
                             "no region written (wilayah left empty); by the size a national series (54.6 million in 2020)"))
    t.exclude(sh, [f"A{r}" for r in range(2, 55)], "Tahun (year key)")
    return t


# g12  BPS Kab. Rembang: total PDRB per quarter 2010Q1-2026Q1 (long, periode + tahun + triwulan columns)
def g12() -> Truth:
    t = Truth("g12", "pdrb_total_triwulanan.csv")
    g = t.g()
    for r in range(2, len(g) + 1):
        per = clean(cellv(g, f"A{r}"))
        y = clean(cellv(g, f"B{r}"))
        q = clean(cellv(g, f"C{r}"))
        for c in "DE":
            if clean(cellv(g, f"{c}{r}")) == "":
                continue
            t.add("", f"{c}{r}", year=y, period=TRIWULAN[q], row_label=per, column_label=clean(cellv(g, f"{c}1")),
                  note=join_note("long format: 'periode' 2010Q1 plus year and quarter number as separate key columns",
                                 "adhb = current prices, adhk = constant 2010 prices; no unit written (million rupiah "
                                 "by BPS practice)",
                                 "no region in the file (the repository is about Kab. Rembang)",
                                 "2026Q1 holds a value while 2026Q2-Q4 are empty (a future quarter in the source: "
                                 "projection or fill, kept as stored)" if per == "2026Q1" else ""))
    t.exclude("", [f"B{r}" for r in range(2, len(g) + 1)], "tahun (year key)")
    t.exclude("", [f"C{r}" for r in range(2, len(g) + 1)], "triwulan_num (quarter key 1-4)")
    return t


# g13  Recent migration out of / into each province: quoted CSV with a row index and coordinate columns
def g13() -> Truth:
    t = Truth("g13", "inoutTotal.csv")
    g = t.g()
    for r in range(2, 36):
        lab = clean(cellv(g, f"B{r}"))
        for c in "CD":
            t.add("", f"{c}{r}", row_label=lab, column_label=clean(cellv(g, f"{c}1")), wilayah=lab,
                  note=join_note("persons migrating out of ('keluar') / into ('masuk') the province; no year, "
                                 "census round or unit written",
                                 "label 'Kep  Bangka Belitung' with a double space (for 'Kep. Bangka Belitung')"
                                 if "Kep  " in str(cellv(g, f"B{r}")) else ""))
    t.exclude("", [f"A{r}" for r in range(2, 36)], "row index (quoted, header \"\")")
    t.exclude("", [f"E{r}" for r in range(2, 36)], "latitude of the province centroid (map coordinate)")
    t.exclude("", [f"F{r}" for r in range(2, 36)], "longitude of the province centroid (map coordinate)")
    t.exclude("", [f"G{r}" for r in range(2, 36)], "id_prov (BPS province code)")
    return t


# g14  Indonesia: growth, unemployment, poverty 1996-2012; ', ' separated (values with a leading space), CRLF
def g14() -> Truth:
    t = Truth("g14", "data_kemiskinan.csv")
    g = t.g()
    for r in range(2, 19):
        y = clean(cellv(g, f"A{r}"))
        for c in "BCD":
            head = clean(cellv(g, f"{c}1"))
            t.add("", f"{c}{r}", year=y, row_label=y, column_label=head, wilayah="",
                  note=join_note("long format: year in the 'Tahun' column A",
                                 "fields separated by ', ' so every value and header has a leading space",
                                 "no unit or region written (both left empty): by the values national rates in percent "
                                 "(economic growth, open unemployment, poverty headcount)",
                                 "negative growth -13.10 in 1998 is real" if y == "1998" and c == "B" else "",
                                 "last record has no line break" if r == 18 else ""))
    t.exclude("", [f"A{r}" for r in range(2, 19)], "Tahun (year key)")
    return t


BUILDERS = [g01, g02, g03, g04, g05, g06, g07, g08, g09, g10, g11, g12, g13, g14]


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
