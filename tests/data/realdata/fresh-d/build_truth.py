#!/usr/bin/env python3
"""Build and check the cell-level truth of this folder (fresh batch-d, ids e01-e15).

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
# batch-d builders (one function per file; the data region is named by hand)
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


MOJO = "Banyaknya akte kependudukan diterbitkan menurut jenisnya menurut bulan di Kota Mojokerto 2023.xlsx"
MOJO2 = "Jumlah Penduduk Kota Mojokerto Akhir Tahun 2022.xls"
BANTEN1 = ("Penduduk, Laju Pertumbuhan Penduduk, Distribusi Persentase Penduduk Kepadatan Penduduk, Rasio "
           "Jenis Kelamin Penduduk Menurut Kabupaten_Kota di Provinsi Banten, 2019.csv")
BANTEN2 = "Jumlah Penduduk Menurut Kelompok Umur dan Jenis Kelamin di Provinsi Banten, 2019.csv"
JABAR_MISKIN = "Persentase Penduduk Miskin Menurut Kabupaten_Kota di Jawa Barat, 2024.csv"
JATENG_KB = "Jumlah Kendaraan Bermotor Menurut Kabupaten_Kota dan Jenis Kendaraan di Provinsi Jawa Tengah, 2020.csv"
JATENG_JL = "Panjang Jalan Menurut Kabupaten_Kota dan Kondisi Jalan  di Provinsi Jawa Tengah (km), 2020.csv"


def title_case_region(s: str) -> str:
    """'KABUPATEN BOGOR' -> 'Kabupaten Bogor' (for wilayah of portal exports in capitals)."""
    return " ".join(w.capitalize() for w in clean(s).split())


# e01  Kota Mojokerto: akte issued per month by type, 2023 (year only in the FILE NAME), '-' marks
def e01() -> Truth:
    t = Truth("e01", MOJO)
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, 15):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "Jumlah/Total"
        for c in cols("B", "F"):
            head = clean(cellv(g, f"{c}1"))
            t.put(sh, f"{c}{r}", year="2023", period="" if tot else lab, row_label=lab, column_label=head,
                  wilayah="Kota Mojokerto", is_total=1 if tot else 0,
                  note=join_note("year 2023 and the kota only in the file name ('... di Kota Mojokerto "
                                 "2023.xlsx'); no title in the sheet",
                                 "annual total row 'Jumlah/Total' (sum of the 12 months)" if tot else "",
                                 "header has a trailing space ('Kelahiran Dispensasi ')" if c == "C" else ""))
    col_sum_check(t, sh, cols("B", "F"), 2, 13, 14, "row 14 'Jumlah/Total' = sum of Januari..Desember ('-' as 0)")
    return t


# e02  Kota Mojokerto (BPS kota .xls draft): kelurahan population under kecamatan subtotals, land use
def e02() -> Truth:
    t = Truth("e02", MOJO2)
    kec_note = "kecamatan subtotal row ('Kecamatan X' = sum of its kelurahan below)"
    # sheet 'Luas Wilayah' (misnamed: it holds 'Jumlah Penduduk' per kelurahan)
    sh = "Luas Wilayah"
    g = t.g(sh)
    kec = ""
    for r in range(3, 25):
        lab = clean(cellv(g, f"A{r}"))
        sub = lab.startswith("Kecamatan ")
        tot = lab == "Kota Mojokerto"
        if sub:
            kec = lab
        t.add(sh, f"B{r}", year="2022", row_label=lab, column_label=clean(cellv(g, "B1")),
              wilayah="" if tot else lab, is_total=1 if (sub or tot) else 0,
              note=join_note("year 2022 only in the file name ('Akhir Tahun 2022'); the sheet name "
                             "'Luas Wilayah' does not match its content (population)",
                             kec_note if sub else ("kota total row 'Kota Mojokerto'" if tot else
                                                   f"kelurahan of {kec}")))
    for a, b in [(3, 9), (10, 16), (17, 23)]:
        col_sum_check(t, sh, ["B"], a + 1, b, a, f"{sh}: B{a} {clean(cellv(g, f'A{a}'))} = sum of its kelurahan")
    s = sum(val(t, sh, f"B{r}") for r in (3, 10, 17))
    t.sums.append(f"{sh}: B24 'Kota Mojokerto' = sum of the 3 kecamatan: "
                  + ("OK" if close(s, val(t, sh, "B24")) else f"MISMATCH in source: {g15(val(t, sh, 'B24'))} vs {g15(s)}"))
    # sheet 'Banyak Pemohon dan Surat Tanah': an empty template (month rows numbered '1.'..'12.')
    sh = "Banyak Pemohon dan Surat Tanah"
    t.exclude(sh, [f"A{r}" for r in range(5, 17)], "row number text '1.'..'12.' of an empty template (no data)")
    # sheet 'Penggunaan Lahan': title says 2021, values only under the 2020 column
    sh = "Penggunaan Lahan"
    g = t.g(sh)
    title = clean(cellv(g, "A1"))
    for r in range(4, 31):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "Jumlah"
        t.add(sh, f"B{r}", year="2020", row_label=lab, column_label=join("Luas", "2020"), unit="Ha",
              wilayah="Kota Mojokerto", is_total=1 if tot else 0,
              note=join_note("values stand under the year header 2020 (B3); the 2021 column (C3) is empty "
                             "while the title ends ', 2021': the column header wins (ambiguous)",
                             "unit '(Ha)' from the title", "total row 'Jumlah '" if tot else ""))
    col_sum_check(t, sh, ["B"], 4, 30, 31, f"{sh}: row 31 'Jumlah' = sum of the land uses") if False else None
    s = sum(val(t, sh, f"B{r}") for r in range(4, 30))
    t.sums.append(f"{sh}: B30 'Jumlah' = sum of B4:B29: " + ("OK" if close(s, val(t, sh, "B30"), 1e-9)
                                                            else f"MISMATCH in source: {g15(val(t, sh, 'B30'))} vs {g15(round(s, 6))}"))
    t.exclude(sh, ["B3", "C3"], "year header (numbers 2020, 2021)")
    # sheet 'Pengg Lhn per Kel': kelurahan x (2020: Bangunan, Lainnya); 2021 group empty
    sh = "Pengg Lhn per Kel"
    g = t.g(sh)
    kec = ""
    for r in range(6, 28):
        lab = clean(cellv(g, f"A{r}"))
        sub = lab.startswith("Kecamatan ")
        tot = lab == "Kota Mojokerto"
        if sub:
            kec = lab
        for c in "BC":
            t.add(sh, f"{c}{r}", year="2020", row_label=lab, column_label=join("Luas", "2020", cellv(g, f"{c}5")),
                  unit="Ha", wilayah="" if tot else lab, is_total=1 if (sub or tot) else 0,
                  note=join_note("year 2020 from the group header B4 (the 2021 group D:E is empty; the title "
                                 "ends ', 2021')", "unit '(Ha)' from the title",
                                 kec_note if sub else ("kota total row" if tot else f"kelurahan of {kec}")))
    t.exclude(sh, ["B4", "D4"], "year group header (numbers 2020, 2021)")
    return t


# e03  Banten: population, growth, share, density, sex ratio per kab/kota; year only in the FILE NAME
def e03() -> Truth:
    t = Truth("e03", BANTEN1)
    g = t.g()
    units = {"B": "Ribu", "C": "%", "D": "%", "E": "per km2", "F": ""}
    for r in range(2, 11):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "Banten"
        for c in cols("B", "F"):
            head = clean(cellv(g, f"{c}1"))
            t.add("", f"{c}{r}", year="2019", row_label=lab, column_label=head, wilayah="" if tot else lab,
                  unit=units[c], is_total=1 if tot else 0,
                  note=join_note("year 2019 only in the file name; the footnote below the table speaks of "
                                 "SP2010 and the 2010-2035 projection",
                                 "province row 'Banten' = total" if tot else "",
                                 "values in thousands as the header says '(Ribu)'" if c == "B" else "",
                                 "no unit written for the growth rate (percent per year)" if c == "C" else "",
                                 "header 'per km persegi (Km2)'" if c == "E" else ""))
    col_sum_check(t, "", ["B", "D"], 2, 9, 10, "row 10 'Banten' = sum of the kab/kota (population and share)")
    return t


# e04  Banten: population by age group and sex, 2019; header says '(Ribu)' but the values are persons
def e04() -> Truth:
    t = Truth("e04", BANTEN2)
    g = t.g()
    for r in range(2, 19):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "Banten"
        for c in cols("B", "D"):
            head = clean(cellv(g, f"{c}1"))
            t.add("", f"{c}{r}", year="2019", row_label=lab, column_label=head, wilayah="Banten" if not tot else "",
                  is_total=1 if tot else 0,
                  note=join_note("year 2019 only in the file name",
                                 "header says '(Ribu)' but the values are whole persons (616975 for "
                                 "0-4 male; the 2024 file of the same series has 503.6): the written unit is "
                                 "wrong, no unit given in the truth (a reader should raise an issue)",
                                 "total row labelled with the province 'Banten' (all ages)" if tot else
                                 "age group row"))
    col_sum_check(t, "", cols("B", "D"), 2, 17, 18, "row 18 'Banten' = sum of the age groups")
    return t


# e05  Jawa Barat: persentase penduduk miskin per kab/kota 2024, BPS web CSV (header over 3 records)
def e05() -> Truth:
    t = Truth("e05", JABAR_MISKIN)
    g = t.g()
    title = clean(cellv(g, "B2"))
    for r in range(4, 32):
        lab = clean(cellv(g, f"A{r}"))
        tot = lab == "Provinsi Jawa Barat"
        t.add("", f"B{r}", year="2024", row_label=lab, column_label=join(title, "2024"), unit="%",
              wilayah="" if tot else lab, is_total=1 if tot else 0,
              note=join_note("header over 3 records: stub in A1, title in B2, year in B3",
                             "unit '(Persen)' from the title",
                             "province row first (row 4), above its kab/kota; a rate, not a sum" if tot else ""))
    t.exclude("", ["B3"], "year header (2024)")
    return t


def _od_long(tid: str, fname: str, vcol: str, tcol: str, measure_note: str, extra=None) -> Truth:
    """Open Data Jabar portal export: id, kode_provinsi, nama_provinsi, kode_kabupaten_kota,
    nama_kabupaten_kota, [dimension], value, satuan, tahun."""
    t = Truth(tid, fname)
    g = t.g()
    head = clean(cellv(g, f"{vcol}1"))
    ucol = col_letter(col_index(vcol) + 1)
    n = len(g)
    for r in range(2, n + 1):
        kab = clean(cellv(g, f"E{r}"))
        y = clean(cellv(g, f"{tcol}{r}"))
        unit = clean(cellv(g, f"{ucol}{r}"))
        dim = extra(g, r) if extra else ""
        tot = kab.upper().startswith("GABUNGAN")
        t.add("", f"{vcol}{r}", year=y, row_label=join(kab, dim), column_label=head, unit=unit,
              wilayah="" if tot else title_case_region(kab), is_total=1 if tot else 0,
              note=join_note("portal long format: one value per record, year in 'tahun', unit in 'satuan'",
                             measure_note,
                             "'GABUNGAN 7 KOTA' (kode '-') = combined inflation of the 7 cities: an aggregate, "
                             "not a sum (ambiguous total)" if tot else ""))
    t.exclude("", [f"A{r}" for r in range(2, n + 1)], "id (running record number)")
    t.exclude("", [f"B{r}" for r in range(2, n + 1)], "kode_provinsi (code 32)")
    t.exclude("", [f"D{r}" for r in range(2, n + 1)], "kode_kabupaten_kota (BPS code)")
    t.exclude("", [f"{tcol}{r}" for r in range(2, n + 1)], "tahun (year key)")
    return t


# e06  Open Data Jabar (Dinkes): cases per kab/kota and disease, 2019 (long, extra dimension column)
def e06() -> Truth:
    return _od_long("e06", "dinkes-od_15940_jumlah_kasus_penyakit_berdasarkan_jenis_penyakit_data.csv", "G", "I",
                    "disease in 'jenis_penyakit' (a second key besides the kab/kota)",
                    extra=lambda g, r: clean(cellv(g, f"F{r}")))


# e07  Open Data Jabar (Disnakertrans): minimum wage per kab/kota 2017-2023, decimals ('2376558.39')
def e07() -> Truth:
    return _od_long("e07", "disnakertrans-od_19868_daftar_upah_minimum_kabupatenkota_di_drh_prov_jabar_data.csv",
                    "F", "H", "Rupiah per month with cents for some kab/kota ('2376558.39'), '.0' on others")


# e08  Open Data Jabar (BPS): inflation of 7 cities + 'GABUNGAN 7 KOTA' with kode '-'
def e08() -> Truth:
    return _od_long("e08", "bps-od_17137_nilai_inflasi_berdasarkan_tujuh_kota_data.csv", "F", "H",
                    "annual inflation of the city")


# e09  Jawa Tengah: motor vehicles per kab/kota 2020; BPS web CSV, codes in the labels, province first
def e09() -> Truth:
    t = Truth("e09", JATENG_KB)
    g = t.g()
    title = clean(cellv(g, "B2"))
    for r in range(5, 41):
        lab = clean(cellv(g, f"A{r}"))
        if not lab:
            continue
        tot = "PROVINSI" in lab
        name = re.sub(r"^\d+\s+", "", lab)
        for c in cols("B", "F"):
            kind = clean(cellv(g, f"{c}3"))
            y = clean(cellv(g, f"{c}4"))
            rowtot = kind == "Jumlah"
            n = ["header over 4 records: stub A1, title B2, vehicle type row 3, year row 4",
                 "label carries the BPS code ('3301 Kabupaten Cilacap')", "unit '(Unit)' from the title"]
            if tot:
                n.append("province row '3300 PROVINSI JAWA TENGAH' first = total")
            if rowtot:
                n.append("'Jumlah' column = sum of the 4 vehicle types")
            if lab.startswith("3371"):
                n.append("Kota Magelang repeats the Kabupaten Blora row exactly (source copy error, kept)")
            if lab.startswith("3376") and rowtot:
                n.append("Jumlah 182612 is not B+C+D+E (182628) in the source: kept as stored")
            t.add("", f"{c}{r}", year=y, row_label=lab, column_label=join(title, kind, y), unit="Unit",
                  wilayah="" if tot else name, is_total=1 if (tot or rowtot) else 0, note=join_note(*n))
    t.exclude("", [f"{c}4" for c in cols("B", "F")], "year header row (2020 under each vehicle type)")
    col_sum_check(t, "", cols("B", "F"), 6, 40, 5, "row 5 province = sum of the 35 kab/kota")
    bad = [r for r in range(5, 41) if not close(sum(val(t, "", f"{c}{r}") for c in "BCDE"), val(t, "", f"F{r}"))]
    t.sums.append("Jumlah column F = B+C+D+E: " + ("OK" if not bad else f"differs on rows {bad}"))
    return t


# e10  Jawa Tengah: road length by condition (km) 2020; bilingual headers, sections, space thousands
def e10() -> Truth:
    t = Truth("e10", JATENG_JL)
    g = t.g()
    rows = [(r, "Kabupaten/Regency") for r in range(6, 35)] + [(r, "Kota/Municipality") for r in range(36, 42)] + [(42, "")]
    for r, sect in rows:
        lab = clean(cellv(g, f"B{r}")) or clean(cellv(g, f"A{r}"))
        tot = r == 42
        for c in cols("C", "F"):
            head = clean(cellv(g, f"{c}4"))
            raw = cellv(g, f"{c}{r}")
            t.put("", f"{c}{r}", 'dash "-" with spaces: nil', year="2020",
                  row_label=lab, column_label=join("Jenis Permukaan Jalan Type of Road Surface", head), unit="km",
                  wilayah="" if tot else (("Kota " if sect.startswith("Kota") else "Kabupaten ") + lab),
                  is_total=1 if tot else 0,
                  note=join_note("year 2020 and unit '(km)' from the title in A1",
                                 f"section row '{sect}' above (the same names occur as kabupaten and as kota: "
                                 "Magelang, Semarang, Pekalongan, Tegal)" if sect else
                                 "province total row 'Jawa Tengah'; values with SPACE thousands ('15 432'); the source "
                                 "totals differ from the column sums by a few km, and 'Rusak Berat' 26 790 is about ten "
                                 "times the column sum 2 678 (source error, kept as stored)",
                                 "value padded with spaces ('     745 ')" if isinstance(raw, str) and raw != raw.strip() and not tot else ""))
    t.exclude("", [f"A{r}" for r, s in rows if s], "row number text '1.' (No)")
    col_sum_check(t, "", cols("C", "F"), 6, 41, 42, "row 42 'Jawa Tengah' = sum of kabupaten and kota (blank and '-' as 0; section rows hold no numbers)")
    return t


# e11  Kab. Banjarnegara (Dinkes): health facilities per kecamatan 2018-2024; ';' CSV, Tahun column
def e11() -> Truth:
    t = Truth("e11", "-t_tempat_pelayanan_kesehatan_dinkes_2018-2024.csv", delim=";")
    g = t.g()
    n = len(g)
    for r in range(2, n + 1):
        lab = clean(cellv(g, f"A{r}"))
        y = clean(cellv(g, f"H{r}"))
        for c in cols("B", "G"):
            head = clean(cellv(g, f"{c}1"))
            jml = head == "Jumlah"
            t.add("", f"{c}{r}", year=y, row_label=lab, column_label=head, wilayah=lab,
                  is_total=1 if jml else 0,
                  note=join_note("';' separated; rows keyed by kecamatan and the Tahun column; headers padded "
                                 "with spaces (' Puskesmas ')",
                                 "the kabupaten (Banjarnegara) is named only in the repository, not the file",
                                 ("'Jumlah' = sum of the 5 facility columns only on the first record (93); "
                                  "every other record stores 0 (kept as stored; a reader may flag it)") if jml else ""))
    t.exclude("", [f"H{r}" for r in range(2, n + 1)], "Tahun column (year key)")
    bad = [r for r in range(2, n + 1) if val(t, "", f"G{r}") != sum(val(t, "", f"{c}{r}") for c in "BCDEF")]
    t.sums.append(f"Jumlah (G) = B+..+F: holds on {n - 1 - len(bad)} of {n - 1} records (G is 0 elsewhere)")
    return t


# e12  Open Data Jabar (Diskominfo): public wifi points per kab/kota 2019-2023
def e12() -> Truth:
    return _od_long("e12", "diskominfo-od_17306_jml_titik_layanan_akses_internet_publik_wifi__kabupate_data.csv",
                    "F", "H", "count of public wifi service points")


# e13  Open Data Jabar (Dinkes): HIV cases per kab/kota 2018-2024
def e13() -> Truth:
    return _od_long("e13", "dinkes-od_18510_jumlah_kasus_hiv_berdasarkan_kabupatenkota_v3_data.csv", "F", "H",
                    "new HIV cases")


def _od_prov_xlsx(tid: str, fname: str, note: str) -> Truth:
    """Portal-style export as .xlsx: id, kode_provinsi, nama_provinsi, value, satuan, tahun (per province)."""
    t = Truth(tid, fname)
    sh = "data"
    g = t.g(sh)
    head = clean(cellv(g, "D1"))
    n = len(g)
    for r in range(2, n + 1):
        prov = clean(cellv(g, f"C{r}"))
        t.add(sh, f"D{r}", year=yr(cellv(g, f"F{r}")), row_label=prov, column_label=head,
              unit=clean(cellv(g, f"E{r}")), wilayah=title_case_region(prov),
              note=join_note("long format per province: year in 'tahun', unit in 'satuan'", note(g, r)))
    t.exclude(sh, [f"A{r}" for r in range(2, n + 1)], "id (running record number)")
    t.exclude(sh, [f"B{r}" for r in range(2, n + 1)], "kode_provinsi (BPS code)")
    t.exclude(sh, [f"F{r}" for r in range(2, n + 1)], "tahun (year key)")
    return t


# e14  NTP per province 2019-..., unit 'PERSEN'; a few values stored divided by 100 (1.05)
def e14() -> Truth:
    def note(g, r):
        v = cellv(g, f"D{r}")
        return ("value far below its neighbours (NTP is about 100): stored as " + g15(v) +
                ": a digit prefix is probably lost (e.g. 101.81 stored as 1.81); kept as stored, a reader may flag it") if isinstance(v, float) and v < 10 else ""
    return _od_prov_xlsx("e14", "nilai_tukar_petani.xlsx", note)


# e15  Indeks Risiko Bencana per province
def e15() -> Truth:
    return _od_prov_xlsx("e15", "indeks_resiko_bencana.xlsx", lambda g, r: "")


BUILDERS = [e01, e02, e03, e04, e05, e06, e07, e08, e09, e10, e11, e12, e13, e14, e15]




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
