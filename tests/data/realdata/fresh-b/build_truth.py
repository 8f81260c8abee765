#!/usr/bin/env python3
"""Build and check the cell-level truth of this folder (fresh batch B).

usage (from any directory):
    PYTHONPATH=/work/fresh/pylib-b python build_truth.py            # write truth/<id>.csv
    PYTHONPATH=/work/fresh/pylib-b python build_truth.py --check    # write the truth, re-read every
                                     # truth row against its raw cell (python-calamine, and a second
                                     # reader: openpyxl for .xlsx, xlrd for .xls), list every numeric or
                                     # number-like cell NOT in the truth by exclusion class, run the
                                     # sum checks, write check_report.txt

Same method as ../../shared/realdata/corpus2/build_truth.py (helpers copied from it): one function per
file names the data region by hand. Two additions, both in README.md: a text '0.335' (leading 0) is a
decimal, never dot thousands; a file can be declared by hand to write ',' as the thousands separator
(PIHPS exports, '13,900'). This script never imports or runs the tool under test.
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
    elif re.fullmatch(r"-?0\.\d+", t):
        out = float(t), "dot = decimal point: a leading 0 cannot open a group of thousands"
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


def num_of(raw, is_csv: bool, comma_thousands: bool = False) -> tuple[float, str] | None:
    """comma_thousands: the file writes ',' between groups of three digits (PIHPS export style,
    '13,900'); declared per file by hand, never guessed (see README)."""
    if isinstance(raw, bool):
        return None
    if comma_thousands and isinstance(raw, str) and re.fullmatch(r"\s*-?\d{1,3}(,\d{3})+\s*", raw):
        return float(raw.strip().replace(",", "")), f'text "{raw}" (comma = thousands separator in this file)'
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

    def __init__(self, tid: str, fname: str, delim: str = ",", comma_thousands: bool = False):
        self.tid, self.fname, self.delim = tid, fname, delim
        self.comma_thousands = comma_thousands
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
        got = num_of(raw, self.is_csv, self.comma_thousands)
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
    got = num_of(raw, t.is_csv, t.comma_thousands)
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
# shared bits of this batch
# ----------------------------------------------------------------------------------------------
def year_of(raw) -> str:
    """A year header cell (number 2019.0 or text '2019', '2019 ') -> '2019'."""
    if isinstance(raw, float):
        return str(int(raw))
    return clean(raw)


def header_year_exclusions(t: Truth, sh: str, cells, why: str):
    g = t.g(sh)
    t.exclude(sh, [c for c in cells if clean(cellv(g, c))], why)


# ----------------------------------------------------------------------------------------------
# b01  BPS SP2010 web table: penduduk per kecamatan x jenis dokumen x jenis kelamin, Maluku Tengah
# ----------------------------------------------------------------------------------------------
def b01() -> Truth:
    t = Truth("b01", "sp2010.xls")
    sh = "Worksheet"
    g = t.g(sh)
    dcols = cols("C", "T")
    doc = {}
    cur = ""
    for c in dcols:
        if clean(cellv(g, f"{c}5")):
            cur = clean(cellv(g, f"{c}5"))
        doc[c] = cur
    for r in range(8, 23):
        lab = clean(cellv(g, f"B{r}")) or clean(cellv(g, f"A{r}"))
        tot = r == 22
        for c in dcols:
            sex = clean(cellv(g, f"{c}7"))
            n = ["year 2010 from the header 'Jenis dokumen SP2010' and the source line 'Sensus Penduduk "
                 "2010' (the title states no year)"]
            if sex == "Laki-laki + Perempuan":
                n.append("'Laki-laki + Perempuan' column = sum of the two sexes (not labelled Jumlah)")
            if doc[c] == "Semua Dokumen":
                n.append("'Semua Dokumen' = sum over the five document types (not labelled Jumlah)")
            if tot:
                n.append("regency total row labelled 'Kabupaten Maluku Tengah' (label written in column A, "
                         "no code)")
            t.put(sh, f"{c}{r}", year="2010", row_label=lab,
                  column_label=join("Jenis dokumen SP2010", doc[c], "Jenis Kelamin", sex),
                  wilayah="" if tot else lab, unit="", is_total=1 if tot else 0, note=join_note(*n))
    col_sum_check(t, sh, dcols, 8, 21, 22, "row 22 'Kabupaten Maluku Tengah' = sum of the 14 kecamatan")
    bad = [r for r in range(8, 23) for i in range(0, 18, 3)
           if not close(val(t, sh, f"{dcols[i]}{r}") + val(t, sh, f"{dcols[i + 1]}{r}"),
                        val(t, sh, f"{dcols[i + 2]}{r}"))]
    t.sums.append("'Laki-laki + Perempuan' = Laki-laki + Perempuan in every document group: "
                  + ("OK" if not bad else f"differs on rows {bad}"))
    t.exclude(sh, [f"A{r}" for r in range(8, 22)], "Kode kecamatan (text codes '010', '040', ...)")
    return t


# ----------------------------------------------------------------------------------------------
# b02  BPS table (Kasulampua web): Gini ratio per provinsi x daerah x 2020-2022 x semester
# ----------------------------------------------------------------------------------------------
def b02() -> Truth:
    t = Truth("b02", "Gini Ratio Menurut Provinsi dan Daerah, 2020-2022.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    dcols = cols("B", "AB")
    for r in range(7, 24):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "INDONESIA"
        for i, c in enumerate(dcols):
            area = clean(cellv(g, f"{dcols[(i // 9) * 9]}4"))
            ycell = f"{dcols[(i // 3) * 3]}5"
            y = year_of(cellv(g, ycell))
            sem = clean(cellv(g, f"{c}6"))
            per = "Maret" if "Maret" in sem else ("September" if "September" in sem else "")
            n = [f"area '{area}' written once over its 9 columns, year written once over its 3 columns "
                 f"({ycell})"]
            if area == "Perkotaan+Perdesaan":
                n.append("'Perkotaan+Perdesaan' = urban and rural together (not labelled Jumlah)")
            if sem == "Tahunan":
                n.append("'Tahunan' (annual) column: no annual Gini ratio, all '-'")
            t.put(sh, f"{c}{r}", 'dash "-": not available', year=y, period=per, row_label=lab,
                  column_label=join(clean(cellv(g, "B3")), area, y, sem),
                  wilayah="" if tot else lab, is_total=1 if tot else 0, note=join_note(*n))
    t.exclude(sh, ["B5", "K5", "T5"], "year header (number 2020)")
    t.exclude(sh, ["E5", "H5", "N5", "Q5", "W5", "Z5"], "year header (text '2021', '2022')")
    return t


# ----------------------------------------------------------------------------------------------
# b03  BPS table (Kasulampua web): produksi daging/telur/susu per provinsi, 2021 and 2020, + susu table
# ----------------------------------------------------------------------------------------------
def b03() -> Truth:
    t = Truth("b03", "Produksi Daging menurut Provinsi Kasulampua, 2020-2021.xlsx")
    sh = "table"
    g = t.g(sh)
    dcols = cols("B", "AC")
    for r in range(5, 21):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "INDONESIA"
        for i, c in enumerate(dcols):
            head = clean(cellv(g, f"{dcols[(i // 2) * 2]}3"))
            y = year_of(cellv(g, f"{c}4"))
            t.put(sh, f"{c}{r}", year=y, row_label=lab, column_label=join(head, y),
                  wilayah="" if tot else lab, unit="Ton", is_total=1 if tot else 0,
                  note=join_note("commodity header written once over its 2 year columns; years in "
                                 "descending order (2021, 2020)", "unit from the header '(Ton)'",
                                 "footnote: 2020 data are provisional (data sementara)"
                                 if y == "2020" else ""))
    for r, unit in ((25, "000 Ltr"), (26, "Juta Rp")):
        lab = clean(cellv(g, f"A{r}"))
        for c in "BC":
            y = year_of(cellv(g, f"{c}24"))
            t.put(sh, f"{c}{r}", year=y, row_label=lab,
                  column_label=join(cellv(g, "A23"), cellv(g, "B23"), y), unit=unit,
                  note=join_note("second table stacked under the province table (rows 23-26: "
                                 "'Produksi Susu' / 'Produksi Susu Perusahaan Sapi Perah'); no region "
                                 "written", f"unit from the row label '{lab}'",
                                 "footnote: 2020 data are provisional (data sementara)"
                                 if y == "2020" else ""))
    s = sum(val(t, sh, f"B{r}") for r in range(5, 20))
    t.sums.append(f"INDONESIA row is the national total, not the sum of the 15 Kasulampua provinces "
                  f"listed (Ayam Buras 2021: {g15(val(t, sh, 'B20'))} vs {g15(round(s, 2))}): as expected")
    t.exclude(sh, [f"{c}4" for c in dcols], "year header (numbers 2021, 2020)")
    t.exclude(sh, ["B24", "C24"], "year header of the stacked susu table (numbers 2021, 2020)")
    return t


# ----------------------------------------------------------------------------------------------
# b04  Kasulampua portal upload: UMP per bulan per provinsi 2014-2020, mixed cell types
# ----------------------------------------------------------------------------------------------
def b04() -> Truth:
    t = Truth("b04", "UMP Per Bulan.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    dcols = cols("B", "H")
    for r in range(4, 19):
        lab = clean(cellv(g, f"A{r}"))
        for c in dcols:
            y = year_of(cellv(g, f"{c}3"))
            raw = cellv(g, f"{c}{r}")
            n = ["unit from the title '(Rupiah)'"]
            if lab == "Papua Barat" and y <= "2018":
                n.append("2014-2018 identical to the Maluku Utara row (probably copied in the source)")
            if isinstance(raw, str) and raw.strip() == "2,339.556":
                t.cover(sh, f"{c}{r}", row_label=lab, column_label=y,
                        note="'2,339.556' mixes a comma and a dot; the neighbours (2 161 253, 2 543 331) "
                             "show it means 2339556 Rupiah (year 2017, Kalimantan Timur); read the "
                             "Indonesian way it is not a number: a reader should raise an issue")
                continue
            t.put(sh, f"{c}{r}", year=y, row_label=lab, column_label=y, wilayah=lab, unit="Rupiah",
                  note=join_note(*n))
    t.exclude(sh, ["B3", "C3", "D3", "E3", "F3"], "year header (text '2014'..'2018')")
    t.exclude(sh, ["G3", "H3"], "year header (numbers 2019, 2020)")
    return t


# ----------------------------------------------------------------------------------------------
# b05  Kasulampua portal upload: PDRB per kapita per provinsi 2014-2018, three text styles
# ----------------------------------------------------------------------------------------------
def b05() -> Truth:
    t = Truth("b05", "PDRB Per Kapita.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    dcols = cols("B", "F")
    juta_rows = {"Sulawesi Tenggara", "Maluku", "Maluku Utara", "Papua Barat"}
    for r in range(4, 19):
        lab = clean(cellv(g, f"A{r}"))
        for c in dcols:
            y = year_of(cellv(g, f"{c}3"))
            n = ["unit from the title '(Ribu Rupiah)'"]
            if lab in juta_rows:
                n.append("value is about 1/1000 of its neighbours (32.11 vs 31 870): this row is in "
                         "juta (million) Rupiah although the title says Ribu Rupiah (source "
                         "inconsistency; the stored number is kept)")
            if lab == "Papua Barat":
                n.append("identical to the Maluku Utara row (probably copied in the source)")
            t.put(sh, f"{c}{r}", year=y, row_label=lab, column_label=y, wilayah=lab,
                  unit="Ribu Rupiah", note=join_note(*n))
    t.exclude(sh, ["B3", "C3", "D3", "E3", "F3"], "year header (text '2014'..'2018')")
    t.exclude(sh, ["G3"], "year header (number 2019) over an empty column")
    return t


# ----------------------------------------------------------------------------------------------
# b06  Kasulampua portal upload: persentase penduduk miskin Maret per provinsi 2014-2019
# ----------------------------------------------------------------------------------------------
def b06() -> Truth:
    t = Truth("b06", "db60.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(4, 19):
        lab = clean(cellv(g, f"A{r}"))
        for c in cols("B", "G"):
            y = year_of(cellv(g, f"{c}3"))
            n = ["period March from the title 'Persentase Penduduk Miskin Maret (%)'",
                 "unit from the title '(%)'"]
            if lab == "Papua Barat" and y <= "2018":
                n.append("2014-2018 identical to the Maluku Utara row (probably copied in the source)")
            t.put(sh, f"{c}{r}", 'dash "-": no data (Kalimantan Utara before its first survey)', year=y,
                  period="Maret", row_label=lab, column_label=y, wilayah=lab, unit="%",
                  note=join_note(*n))
    t.exclude(sh, ["B3", "C3", "D3", "E3", "F3"], "year header (text '2014'..'2018')")
    t.exclude(sh, ["G3"], "year header (number 2019)")
    return t


# ----------------------------------------------------------------------------------------------
# b07  Kasulampua portal upload: kepadatan penduduk per provinsi 2014-2019, zeros for missing
# ----------------------------------------------------------------------------------------------
def b07() -> Truth:
    t = Truth("b07", "db74.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(4, 19):
        lab = clean(cellv(g, f"A{r}"))
        for c in cols("B", "G"):
            y = year_of(cellv(g, f"{c}3"))
            n = ["unit from the title '(jiwa/km2)'",
                 "footnote: 2014-2016 from bps.go.id, 2017-2019 from each province's website"]
            if val(t, sh, f"{c}{r}") == 0:
                n.append("0 stored where the value was not filled in (a density cannot be 0); kept as "
                         "stored")
            t.put(sh, f"{c}{r}", year=y, row_label=lab, column_label=y, wilayah=lab, unit="jiwa/km2",
                  note=join_note(*n))
    t.exclude(sh, ["B3", "C3", "D3", "E3", "F3"], "year header (text '2014'..'2018')")
    t.exclude(sh, ["G3"], "year header (number 2019)")
    return t


# ----------------------------------------------------------------------------------------------
# b08  PIHPS daily prices export (one city, 2021): dates as columns, '13,900' comma thousands
# ----------------------------------------------------------------------------------------------
def b08() -> Truth:
    t = Truth("b08", "2021.xlsx", comma_thousands=True)
    sh = "Sheet"
    g = t.g(sh)
    ncol = len(g[0])
    for r in range(2, len(g) + 1):
        code = clean(cellv(g, f"A{r}"))
        lab = clean(cellv(g, f"B{r}"))
        grp = not code.isdigit()
        for ci in range(2, ncol):
            c = col_letter(ci)
            d = clean(cellv(g, f"{c}1"))
            m = re.fullmatch(r"(\d{2})/ ?(\d{2})/ ?(\d{4})", d)
            y = m.group(3)
            n = [f"daily price on {d} (dd/ mm/ yyyy; year from the date header)",
                 "unit from the stub header 'Komoditas (Rp)'",
                 "no region anywhere in the file (the repository path says Kota Sampit, Kalimantan "
                 "Tengah)"]
            if grp:
                n.append(f"commodity group row '{code}. {lab}' = average of its sub-commodities "
                         "(rounded to 50 Rp)")
            if d.startswith("01/ 01/"):
                n.append("1 January (holiday): every commodity '-'")
            t.put(sh, f"{c}{r}", 'dash "-": no price reported that day', year=y, row_label=lab,
                  column_label=d, unit="Rp", note=join_note(*n))
    bad = []
    for r in range(2, len(g) + 1):
        if clean(cellv(g, f"A{r}")).isdigit():
            continue
        subs = []
        rr = r + 1
        while rr <= len(g) and clean(cellv(g, f"A{rr}")).isdigit():
            subs.append(rr)
            rr += 1
        for ci in range(2, ncol):
            c = col_letter(ci)
            if is_mark(cellv(g, f"{c}{r}")):
                continue
            vs = [val(t, sh, f"{c}{s}") for s in subs]
            if abs(sum(vs) / len(vs) - val(t, sh, f"{c}{r}")) > 50:
                bad.append(f"{c}{r}")
    t.sums.append("group rows (I, II, ...) = mean of their sub-commodities, rounded to 50 Rp: "
                  + ("OK" if not bad else f"{len(bad)} cells differ, e.g. {bad[:5]}"))
    t.exclude(sh, [f"A{r}" for r in range(2, len(g) + 1) if clean(cellv(g, f"A{r}")).isdigit()],
              "No (sub-commodity number as text '1', '2', ...)")
    return t


# ----------------------------------------------------------------------------------------------
# b09  BPS web table: TPT per provinsi 2026 (38 provinces), Februari / Agustus / Tahunan
# ----------------------------------------------------------------------------------------------
def b09() -> Truth:
    t = Truth("b09", "Tingkat Pengangguran Terbuka Menurut Provinsi, 2026.xlsx")
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(5, 44):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "INDONESIA"
        for c in "BCD":
            sub = clean(cellv(g, f"{c}4"))
            per = sub if sub in MONTHS else ""
            t.put(sh, f"{c}{r}", 'dash "-": not yet available', year="2026", period=per, row_label=lab,
                  column_label=join(cellv(g, "B2"), "2026", sub), wilayah="" if tot else lab, unit="%",
                  is_total=1 if tot else 0,
                  note=join_note("year from the text header '2026' in B3 (written once over 3 columns) "
                                 "and the file name", "unit from the header '(Persen)'",
                                 "'Tahunan' = annual figure" if sub == "Tahunan" else ""))
    t.exclude(sh, ["B3"], "year header (text '2026')")
    return t


# ----------------------------------------------------------------------------------------------
# b10  BPS CSV: pengangguran terbuka per pendidikan 1986-2024, years once over Feb/Aug, + 2024 table
# ----------------------------------------------------------------------------------------------
B10_NOTES = {
    "1995": "footnote: 'Pada tahun 1995, Sakernas tidak dilaksanakan' (no survey in 1995): the 0 is "
            "not a count",
    "2000": "footnote: 2000 without Maluku",
}


def b10_year_notes(y: str) -> list[str]:
    n = []
    if y in B10_NOTES:
        n.append(B10_NOTES[y])
    if "1986" <= y <= "1998":
        n.append("footnote: 1986-1998 computed without Timor Timur")
    if "2011" <= y <= "2013":
        n.append("footnote: 2011-2013 backcast (Penimbang Proyeksi Komponen)")
    if "2018" <= y <= "2020":
        n.append("footnote: 2018-2020 backcast (penimbang SUPAS 2015)")
    return n


def b10() -> Truth:
    t = Truth("b10", "Pengangguran Terbuka Menurut Pendidikan Tertinggi yang Ditamatkan 1986 - 2024.csv")
    g = t.g()
    measure = clean(g[0][0])
    ncol = len(g[2])
    ycol = {}
    cur = ""
    for ci in range(2, ncol):
        h = clean(g[2][ci])
        if h:
            cur = h
        ycol[ci] = cur
    for r in range(6, 15):
        lab = clean(g[r - 1][1])
        tot = lab == "Total"
        for ci in range(2, ncol):
            c = col_letter(ci)
            y = ycol[ci]
            sub = clean(g[3][ci])
            n = b10_year_notes(y)
            if sub:
                n.insert(0, "year written once over its two survey months (Februari/November or "
                            "Februari/Agustus)")
            if c == "AU" and r == 14:
                n.append("source error: this Total repeats Februari 2017 (7005262) and is not the sum "
                         "of its column (7040323)")
            t.put("", f"{c}{r}", year=y, period=sub, row_label=lab,
                  column_label=join("Pendidikan Tertinggi Yang Ditamatkan", y, sub),
                  is_total=1 if tot else 0,
                  note=join_note("no unit written (persons)", *n))
    for r in range(19, 26):
        lab = clean(g[r - 1][1])
        tot = lab == "Total"
        for c in "CD":
            sub = clean(cellv(g, f"{c}17"))
            t.put("", f"{c}{r}", year="2024", period=sub, row_label=lab, column_label=join("2024", sub),
                  is_total=1 if tot else 0,
                  note=join_note("second table stacked under the first (header row 16 'No.' with "
                                 "'2024'): 2024 again with SD and below merged ('SD ke bawah')",
                                 "no unit written (persons)"))
    col_sum_check(t, "", [col_letter(ci) for ci in range(2, ncol)], 6, 13, 14,
                  "row 14 'Total' = sum of the 8 education levels")
    col_sum_check(t, "", ["C", "D"], 19, 24, 25, "2024 table: 'Total' = sum of the 6 levels")
    t.exclude("", [f"A{r}" for r in list(range(6, 14)) + list(range(19, 25))], "No. (row number as text)")
    t.exclude("", [f"{col_letter(ci)}3" for ci in range(2, ncol) if clean(g[2][ci])],
              "year header (text '1986'..'2024')")
    t.exclude("", ["C16"], "year header of the stacked 2024 table (text '2024')")
    return t


# ----------------------------------------------------------------------------------------------
# b11  BPS CSV: TPT per kelompok umur 2018-2023 with a 'Rata-Rata' row and an HTML-laden Catatan
# ----------------------------------------------------------------------------------------------
def b11() -> Truth:
    t = Truth("b11", "kelompokUmurPengangguran.csv")
    g = t.g()
    measure = clean(g[0][1])
    for r in range(3, 14):
        lab = clean(g[r - 1][0])
        for c in cols("B", "G"):
            y = clean(cellv(g, f"{c}2"))
            t.put("", f"{c}{r}", year=y, row_label=lab, column_label=join(measure, y),
                  note=join_note("measure written once in B1; stub header 'Kelompok Umur - UB' in A1",
                                 "no unit written (a rate in percent)",
                                 "'Rata-Rata' row: the overall rate, not a sum (not labelled Jumlah)"
                                 if lab == "Rata-Rata" else ""))
    t.exclude("", [f"{c}2" for c in cols("B", "G")], "year header (text '2018'..'2023')")
    return t


# ----------------------------------------------------------------------------------------------
# b12  BPS CSV: rata-rata pendapatan pekerja informal per provinsi x pendidikan, 2021 (file name)
# ----------------------------------------------------------------------------------------------
def b12() -> Truth:
    t = Truth("b12", "RataRataPendidikan2021.csv")
    g = t.g()
    for r in range(2, 37):
        lab = clean(g[r - 1][0])
        tot = lab == "Indonesia"
        for c in cols("B", "F"):
            head = clean(cellv(g, f"{c}1"))
            jml = head.endswith("Jumlah (Rp)")
            t.put("", f"{c}{r}", year="2021", row_label=lab, column_label=head,
                  wilayah="" if tot else lab, unit="Rp", is_total=1 if (tot or jml) else 0,
                  note=join_note("year 2021 only in the file name", "unit from the header '(Rp)'",
                                 "'Jumlah' column = all education levels together (an average, "
                                 "labelled Jumlah)" if jml else "",
                                 "footnote 1: informal workers = self-employed and casual workers"))
    return t


# ----------------------------------------------------------------------------------------------
# b13  Dinkes chart-data CSV (Belitung Timur): ';' headerless, KB aktif shares per kecamatan
# ----------------------------------------------------------------------------------------------
def b13() -> Truth:
    t = Truth("b13", "bab_05_06_dataKBaktif.csv", delim=";")
    g = t.g()
    for r in range(1, 9):
        lab = clean(g[r - 1][0])
        tot = lab == "Kabupaten"
        for c in cols("B", "J"):
            t.add("", f"{c}{r}", row_label=lab, wilayah="" if tot else lab, is_total=1 if tot else 0,
                  note=join_note("headerless ';' CSV: no column header, no title, no year, no unit in "
                                 "the file (the file name says dataKBaktif, active family-planning "
                                 "participants; values look like percentages)",
                                 "last column = sum of the eight before it" if c == "J" else "",
                                 "regency row labelled 'Kabupaten'" if tot else ""))
    bad = [r for r in range(1, 9)
           if not close(sum(val(t, "", f"{c}{r}") for c in cols("B", "I")), val(t, "", f"J{r}"), 1e-6)]
    t.sums.append("column J = sum of B..I on every row: " + ("OK" if not bad else f"differs on rows {bad}"))
    return t


# ----------------------------------------------------------------------------------------------
# b14  Dinkes chart-data CSV (Belitung Timur): ';' headerless, kematian ibu per kecamatan
# ----------------------------------------------------------------------------------------------
def b14() -> Truth:
    t = Truth("b14", "bab_05_01_dataKematianIbu.csv", delim=";")
    g = t.g()
    for r in range(1, 9):
        lab = clean(g[r - 1][0])
        tot = lab == "Kabupaten"
        for c in cols("B", "E"):
            t.add("", f"{c}{r}", row_label=lab, wilayah="" if tot else lab, is_total=1 if tot else 0,
                  note=join_note("headerless ';' CSV: no column header, no title, no year, no unit in "
                                 "the file (the file name says dataKematianIbu, maternal deaths)",
                                 "last column = sum of the three before it" if c == "E" else "",
                                 "regency row labelled 'Kabupaten'" if tot else ""))
    col_sum_check(t, "", cols("B", "E"), 1, 7, 8, "row 8 'Kabupaten' = sum of the 7 kecamatan")
    return t


# ----------------------------------------------------------------------------------------------
# b15  Dinas Pertanian compilation (Kab. Sumbawa): long format, tahun + triwulan key columns
# ----------------------------------------------------------------------------------------------
def b15() -> Truth:
    t = Truth("b15", "produksi.csv")
    g = t.g()
    for r in range(2, len(g) + 1):
        lab = clean(g[r - 1][0])
        y = clean(g[r - 1][1])
        q = clean(g[r - 1][2])
        tot = lab == "padi total"
        for c in "DEF":
            head = clean(cellv(g, f"{c}1"))
            t.add("", f"{c}{r}", year=y, period=f"triwulan {q}", row_label=lab, column_label=head,
                  is_total=1 if tot else 0,
                  note=join_note("long format: year from the 'tahun' column, quarter from the "
                                 "'triwulan' column (1, 2, 3; no fourth quarter in the file)",
                                 "no unit and no region written (the repository is about Kabupaten "
                                 "Sumbawa)",
                                 "'padi total' = Padi sawah + padi gogo (Produktivitas weighted)"
                                 if tot else "",
                                 "0 in all three measures: no harvest that quarter"
                                 if val(t, "", f"D{r}") == 0 else ""))
    bad = []
    for r in range(2, len(g) + 1):
        if clean(g[r - 1][0]) != "padi total":
            continue
        y, q = g[r - 1][1], g[r - 1][2]
        parts = [rr for rr in range(2, len(g) + 1) if g[rr - 1][1] == y and g[rr - 1][2] == q
                 and clean(g[rr - 1][0]) in ("Padi sawah", "padi gogo")]
        for c in "DF":
            if not close(sum(val(t, "", f"{c}{p}") for p in parts), val(t, "", f"{c}{r}"), 1e-6):
                bad.append(f"{c}{r}")
    t.sums.append("'padi total' Luas Panen and Produksi = Padi sawah + padi gogo: "
                  + ("OK" if not bad else f"differs at {bad}"))
    t.exclude("", [f"B{r}" for r in range(2, len(g) + 1)], "tahun column (row key, years 2022, 2023)")
    t.exclude("", [f"C{r}" for r in range(2, len(g) + 1)], "triwulan column (row key, quarter 1-3)")
    return t


BUILDERS = [b01, b02, b03, b04, b05, b06, b07, b08, b09, b10, b11, b12, b13, b14, b15]


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
                if num_of(raw, t.is_csv, t.comma_thousands) is not None and "covered, ambiguous" not in r["note"]:
                    bad.append(f"{r['sheet']}!{r['cell']}: empty value but raw is a number {raw!r}")
                if not is_mark(raw) and "covered, ambiguous" not in r["note"]:
                    bad.append(f"{r['sheet']}!{r['cell']}: empty value but raw is not a mark {raw!r}")
                continue
            got = num_of(raw, t.is_csv, t.comma_thousands)
            if got is None or g15(got[0]) != r["value"] or not close(got[0], float(r["value"]), 1e-12):
                bad.append(f"{r['sheet']}!{r['cell']}: truth {r['value']} vs raw {raw!r}")
        other, why_not = second_reader(t.fname)
        if other is not None:
            for r in rows:
                if r["value"] == "":
                    continue
                ov = other(r["sheet"], r["cell"])
                got = num_of(ov, False, t.comma_thousands) if ov is not None else None
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
