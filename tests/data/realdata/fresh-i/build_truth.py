#!/usr/bin/env python3
"""Build and check the cell-level truth of this folder (fresh batch-i, ids i01-i15).

Method and helpers copied from ../batch-h/build_truth.py (itself from batch-g .. batch-d and
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
# batch-i builders (one function per file; the data region is named by hand)
# ----------------------------------------------------------------------------------------------
TEGAL = "template_perkembangan_data_indikator_strategis_kota_tegal.xlsx"
SAGU = "Areal-Sagu.xls"
IKP = "2. IKP_2024_Prov22.xlsx"
IPM_JATENG = "Indeks Pembangunan Manusia (metode baru).csv"
IPM_JABAR = "Indeks Pembangunan Manusia.xlsx"
TPT_SUMUT = "Tingkat Pengangguran Terbuka (TPT) Penduduk Umur 15 Tahun Keatas Manurut Kab_Kota.xlsx"
PDRB_JATIM = "PDRB ADHB Kabupaten_Kota.xlsx"
PKM_SBY = "oktober-banyaknya-kunjungan-di-puskesmas-per-kecamatan-tahun-2022.csv"
BENCANA_ATAM = "jumlah-kejadian-bencana-menurut-kecamatan-di-kabupaten-aceh-tamiang-tahun-2024.csv"
MATI_DKI = "data-kematian-penduduk-berdasarkan-jenis-kelamin-per-kecamatan-tahun-2017.csv"
STUNTING_NTT = "Jumlah dan Persentase Balita Stunting Menurut Kabupaten_Kota, 2021-2023.csv"
MISKIN_SULTRA = "Jumlah Penduduk Miskin Provinsi Sulawesi Tenggara Menurut Kabupaten_Kota, 2024.csv"
LONGSOR_BNA = "tanah_longsor_2021.csv"
KB_MALANG = "data_kb_performance.csv"
BENCANA_BATU = "DATA BENCANA - KALKULASI.csv"

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


# i01  BPS Kota Tegal strategic-indicator workbook (template filled with data): one sheet per indicator
#      group, years 2019-2024 as text column headers, a Unit column, group rows, a README sheet
def i01() -> Truth:
    t = Truth("i01", TEGAL)
    sheets = ["LUAS_KEPENDUDUKAN", "ANGKA_KEMISKINAN", "INFLASI_UMUM", "IPM", "PDRB", "KETENAGAKERJAAN",
              "KESEJAHTERAAN"]
    for sh in sheets:
        g = t.g(sh)
        n = len(g)
        group_unit = ""
        for r in range(2, n + 1):
            kel = clean(cellv(g, f"B{r}"))
            sub_raw = clean(cellv(g, f"C{r}"))
            sub = re.sub(r"^-\s*", "", sub_raw)
            unit = clean(cellv(g, f"D{r}"))
            notes = []
            if sh == "KESEJAHTERAAN" and sub == "Distribusi Pendapatan":
                group_unit = unit
            if sh == "KESEJAHTERAAN" and sub in ("40 % bawah", "40 % tengah", "20 % atas") and not unit:
                unit = group_unit
                notes.append("unit 'Persen' written once on the group row 'Distribusi Pendapatan' above")
            if sub_raw.startswith("-"):
                notes.append(f"sub-row of 'Jumlah Penduduk' written '{sub_raw}'")
            if unit == "satuan":
                notes.append("unit written as the placeholder 'satuan' (kept as written)")
            total = 1 if (sh == "LUAS_KEPENDUDUKAN" and sub == "Jumlah Penduduk") else 0
            if total:
                notes.append("Jumlah Penduduk = Laki-laki + Perempuan (total row)")
            if sh == "INFLASI_UMUM" and not sub:
                notes.append("general inflation (an index over the groups below, not a sum)")
            if sh == "IPM" and not sub:
                notes.append("the IPM itself (composite of the rows below, not a sum); no unit written")
            if sh == "PDRB" and r == 6:
                notes.append("2024 value 24.0 stored as written (far from 2019-2023 values; doubtful)")
            label = join(kel, sub)
            for c in cols("E", "J"):
                y = yr(cellv(g, f"{c}1"))
                t.put(sh, f"{c}{r}", year=y, row_label=label, column_label=y, wilayah="Kota Tegal", unit=unit,
                      is_total=total,
                      note=join_note("region only in the file name ('..._kota_tegal.xlsx')",
                                     "years as text column headers; indicator group number in column A (not data)",
                                     *notes, "" if unit else "no unit written"))
        t.exclude(sh, [f"A{r}" for r in range(2, n + 1)], "No (indicator group number)")
        t.exclude(sh, [f"{c}1" for c in cols("E", "J")], "year header row (text)")
    bad = []
    for c in cols("E", "J"):
        if not close(val(t, "LUAS_KEPENDUDUKAN", f"{c}5") + val(t, "LUAS_KEPENDUDUKAN", f"{c}6"),
                     val(t, "LUAS_KEPENDUDUKAN", f"{c}4")):
            bad.append(f"{c}4")
    t.sums.append("Jumlah Penduduk = Laki-laki + Perempuan (2019-2024): " + ("OK" if not bad else "MISMATCH in source: " + ", ".join(bad)))
    bad = []
    for c in cols("E", "I"):
        s = sum(val(t, "KESEJAHTERAAN", f"{c}{r}") for r in (5, 6, 7))
        if abs(s - 100) > 0.011:
            bad.append(f"{c}: {g15(round(s, 4))}")
    t.sums.append("Distribusi Pendapatan 40 % bawah + 40 % tengah + 20 % atas = 100 (2019-2023): "
                  + ("OK" if not bad else "MISMATCH in source: " + "; ".join(bad)))
    return t


# i02  Ditjen Perkebunan table (BIFF .xls): sago area by province 2015-2021, bilingual title, (Ha) unit cell,
#      years with footnote marks '2020*)' '2021**)', growth column, '-' marks, Indonesia row, legend
def i02() -> Truth:
    t = Truth("i02", SAGU)
    sh = "LA SAGU"
    g = t.g(sh)
    for r in list(range(11, 45)) + [46]:
        prov = clean(cellv(g, f"B{r}"))
        tot = prov == "Indonesia"
        for c in cols("C", "J"):
            head = cellv(g, f"{c}8")
            if c == "J":
                y, colab, unit = "2019", "Pertumbuhan/Growth / 2019 over 2018 / (%)", "%"
                cn = "growth 2019 over 2018 in percent (header 'Pertumbuhan/Growth', '2019 over 2018', '(%)'); year = the later year"
            else:
                y = re.match(r"\d{4}", yr(head)).group(0)
                colab, unit = join("Tahun", yr(head)), "Ha"
                cn = "unit from the cell '(Ha)' above the table"
                if c == "H":
                    cn = join_note(cn, "header '2020*)': *) Angka Sementara / preliminary figure (legend)")
                if c == "I":
                    cn = join_note(cn, "header '2021**)': **) Angka Estimasi / estimation figure (legend)")
            t.put(sh, f"{c}{r}", year=y, row_label=prov, column_label=colab, wilayah="" if tot else prov,
                  unit=unit, is_total=1 if tot else 0, mark_note="'-' = Data tidak tersedia / not available (legend)",
                  note=join_note(cn, "country row 'Indonesia' (total of the provinces)" if tot else "province"))
    t.exclude(sh, [f"A{r}" for r in range(11, 45)], "No. (row number)")
    t.exclude(sh, [f"{c}8" for c in cols("C", "G")], "year header row (numbers)")
    col_sum_check(t, sh, cols("C", "I"), 11, 44, 46, "Indonesia = sum of 34 provinces ('-' as 0), 2015-2021")
    bad = []
    for r in list(range(11, 45)) + [46]:
        f, gg, j = val(t, sh, f"F{r}"), val(t, sh, f"G{r}"), val(t, sh, f"J{r}")
        calc = 0.0 if f == 0 else 100 * (gg - f) / f
        if abs(calc - j) > 1e-6:
            bad.append(f"J{r}={g15(j)} vs {g15(round(calc, 6))}")
    t.sums.append("growth J = (2019 - 2018) / 2018 x 100: " + ("OK" if not bad else "MISMATCH in source: " + "; ".join(bad)))
    return t


# i03  Bawaslu Indeks Kerawanan Pemilu 2024 by province: five sheets (index and four dimensions), provinces
#      sorted by score with a descending rank column, a side block (mean, standard deviation, category
#      ranges, counts per category) right of the table
IKP_SHEETS = ["IKP Provinsi", "Dimensi Sospol", "Dimensi Penyelenggaraan Pemilu", "Dimensi Kontestasi",
              "Dimensi Partisipasi"]


def i03() -> Truth:
    t = Truth("i03", IKP)
    for sh in IKP_SHEETS:
        g = t.g(sh)
        head = clean(cellv(g, "C1"))
        ynote = ("year from the header 'Skor IKP 2024' (and the file name 'IKP_2024')" if "2024" in head
                 else "year from the file name ('2. IKP_2024_Prov22.xlsx')")
        sheet_note = ""
        if sh == "Dimensi Sospol":
            sheet_note = ("ambiguous: the header says 'Skor Dimensi Penyelenggaraan Pemilu' (copied from the next "
                          "sheet) but the sheet is 'Dimensi Sospol' and its scores differ from that sheet; the sheet "
                          "name is taken, the header kept as column label")
        for r in range(2, 36):
            prov = clean(cellv(g, f"B{r}"))
            t.add(sh, f"C{r}", year="2024", row_label=prov, column_label=head, wilayah=prov,
                  note=join_note(ynote, sheet_note, "province rows sorted by score, rank in column A (not data); "
                                 "category in column D; score 0-100, no unit written"))
        t.exclude(sh, [f"A{r}" for r in range(2, 36)], "NO (rank, descending)")
        if clean(cellv(g, "B36")) == "RATA-RATA":
            t.add(sh, "C36", year="2024", row_label="RATA-RATA", column_label=head,
                  note=join_note(ynote, "average row of the 34 provinces (not a sum, not a total)"))
        side = "side block right of the table (statistics of the scores in column C)"
        t.add(sh, "H2", year="2024", row_label="Rerata", column_label=head,
              note=join_note(ynote, side, "mean (formula =AVERAGE(C2:C35), cached value)"))
        t.add(sh, "H3", year="2024", row_label="Simpangan Baku", column_label=head,
              note=join_note(ynote, side, "standard deviation (formula =STDEV(C2:C35), cached value)"))
        for r in (8, 9, 10):
            kat = clean(cellv(g, f"G{r}"))
            t.put(sh, f"H{r}", year="2024", row_label=kat, column_label="Range / lower bound",
                  note=join_note(ynote, side, "category range 'Kategori | Range' (merged H7:J7): lower bound"))
            t.put(sh, f"J{r}", year="2024", row_label=kat, column_label="Range / s/d (upper bound)",
                  note=join_note(ynote, side, "category range: upper bound after 's/d'"))
        for r in (15, 16, 17):
            kat = clean(cellv(g, f"G{r}"))
            t.add(sh, f"H{r}", year="2024", row_label=kat, column_label="Jumlah",
                  note=join_note(ynote, side, "number of provinces in the category (count)"))
        # checks: mean and counts
        vals = [val(t, sh, f"C{r}") for r in range(2, 36)]
        mean = sum(vals) / len(vals)
        cats = [clean(cellv(g, f"D{r}")) for r in range(2, 36)]
        cnt = {k: cats.count(k) for k in ("Rendah", "Sedang", "Tinggi")}
        okm = abs(mean - val(t, sh, "H2")) < 1e-6
        okc = all(cnt[clean(cellv(g, f"G{r}"))] == val(t, sh, f"H{r}") for r in (15, 16, 17))
        t.sums.append(f"{sh}: Rerata = mean of C2:C35 {'OK' if okm else 'MISMATCH'}; counts per category "
                      f"{'OK' if okc else 'MISMATCH in source: ' + str(cnt)}")
    return t


# i04  BPS Provinsi Jawa Tengah web CSV: IPM (metode baru) and its four components 2020-2022 per kab/kota,
#      ';', CRLF, header over 3 records (title, component with unit in brackets, text years), numbers as
#      text with dot decimals ('10930.00'), province row first, source URL and access-time footer
def i04() -> Truth:
    t = Truth("i04", IPM_JATENG, delim=";")
    g = t.g()
    title = clean(cellv(g, "B1"))
    grp = ""
    groups = {}
    for c in cols("B", "P"):
        if clean(cellv(g, f"{c}2")):
            grp = clean(cellv(g, f"{c}2"))
        groups[c] = grp
    for r in range(4, 40):
        wil = clean(cellv(g, f"A{r}"))
        prov = wil.startswith("PROVINSI")
        for c in cols("B", "P"):
            y = clean(cellv(g, f"{c}3"))
            m = re.search(r"\(([^)]*)\)\s*$", groups[c])
            unit = m.group(1) if m else ""
            t.add("", f"{c}{r}", year=y, row_label=wil, column_label=join(title, groups[c], y),
                  wilayah="" if prov else wil, unit=unit, is_total=1 if prov else 0,
                  note=join_note("BPS web CSV download (';', CRLF): header over records 1-3 (title, component, "
                                 "year); component written once over its three year columns; years as text",
                                 f"unit from the component header '({unit})'" if unit else
                                 "no unit written for the IPM columns",
                                 "province row 'PROVINSI JAWA TENGAH' (enclosing region; index values, not a sum)"
                                 if prov else "kab/kota"))
    t.exclude("", [f"{c}3" for c in cols("B", "P")], "year header row (text)")
    return t


# i05  BPS Provinsi Jawa Barat web table exported to xlsx: IPM 2020-2022 per kab/kota; merged title over
#      text years; numbers as text; province row first; 'Sumber: BPS', source URL and access-time footer
def i05() -> Truth:
    t = Truth("i05", IPM_JABAR)
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(3, 31):
        wil = clean(cellv(g, f"A{r}"))
        prov = wil.startswith("Provinsi")
        for c in cols("B", "D"):
            y = clean(cellv(g, f"{c}2"))
            t.add(sh, f"{c}{r}", year=y, row_label=wil, column_label=join(cellv(g, "B1"), y),
                  wilayah="" if prov else wil, is_total=1 if prov else 0,
                  note=join_note("BPS web table exported to xlsx: numbers stored as text with a dot decimal",
                                 "title 'Indeks Pembangunan Manusia' merged over three text-year columns; stub "
                                 "'Wilayah Jawa Barat' merged over two rows",
                                 "province row 'Provinsi Jawa Barat' (enclosing region; an index, not a sum)"
                                 if prov else "kab/kota (kota written 'Kota ...', kabupaten bare)",
                                 "no unit written"))
    t.exclude(sh, [f"{c}2" for c in cols("B", "D")], "year header row (text)")
    return t


# i06  BPS Provinsi Sumatera Utara indicator table exported to xlsx: TPT 2021-2023 per kab/kota; header
#      reduced to one row; numbers as text; province row first; quantity only in the file name and URL
def i06() -> Truth:
    t = Truth("i06", TPT_SUMUT)
    sh = "Sheet1"
    g = t.g(sh)
    for r in range(2, 36):
        wil = clean(cellv(g, f"A{r}"))
        prov = wil == "Sumatera Utara"
        for c in cols("B", "D"):
            y = clean(cellv(g, f"{c}1"))
            t.add(sh, f"{c}{r}", year=y, row_label=wil, column_label=y, wilayah="" if prov else wil,
                  is_total=1 if prov else 0,
                  note=join_note("BPS web table exported to xlsx, header reduced to one row 'Kabupaten Kota | 2021 | "
                                 "2022 | 2023' (years as text); numbers stored as text",
                                 "the quantity (Tingkat Pengangguran Terbuka, a percentage) is only in the file name "
                                 "and the source URL in the footer; no unit written",
                                 "province row 'Sumatera Utara' (enclosing region; a rate, not a sum)" if prov
                                 else "kab/kota written bare (kota without 'Kota')"))
    t.exclude(sh, [f"{c}1" for c in cols("B", "D")], "year header row (text)")
    return t


# i07  BPS Provinsi Jawa Timur web table exported to xlsx: PDRB ADHB (Miliar Rupiah) 2022-2024 per
#      kab/kota; title '[Seri 2010] ...' merged over the table; years as numbers
def i07() -> Truth:
    t = Truth("i07", PDRB_JATIM)
    sh = "Sheet1"
    g = t.g(sh)
    title = clean(cellv(g, "A1"))
    for r in range(3, 41):
        wil = clean(cellv(g, f"A{r}"))
        for c in cols("B", "D"):
            y = yr(cellv(g, f"{c}2"))
            t.add(sh, f"{c}{r}", year=y, row_label=wil, column_label=join(title, y), wilayah=wil,
                  unit="Miliar Rupiah",
                  note=join_note("title '[Seri 2010] PDRB Atas Dasar Harga Berlaku Menurut Kabupaten/Kota (Miliar "
                                 "Rupiah)' merged A1:D1; unit from the title", "years stored as numbers in row 2",
                                 "38 kab/kota of Jawa Timur (province named nowhere in the file); no province row"))
    t.exclude(sh, [f"{c}2" for c in cols("B", "D")], "year header row (numbers)")
    return t


# i08  Open Data Kota Surabaya (Dinas Kesehatan): puskesmas visits, new / repeat / total, October 2022;
#      ';' CSV; month in a Periode column, year only in the file name
def i08() -> Truth:
    t = Truth("i08", PKM_SBY, delim=";")
    g = t.g()
    n = len(g)
    for r in range(2, n + 1):
        bulan = clean(cellv(g, f"A{r}"))
        wil, kec, pkm = clean(cellv(g, f"B{r}")), clean(cellv(g, f"C{r}")), clean(cellv(g, f"D{r}"))
        for c in ("E", "F", "G"):
            h = clean(cellv(g, f"{c}1"))
            t.add("", f"{c}{r}", year="2022", period=MONTH_UPPER[bulan.upper()], row_label=join(pkm, kec, wil),
                  column_label=h, wilayah=kec, is_total=1 if c == "G" else 0,
                  note=join_note("month from the 'Periode' column (Oktober); year only in the file name "
                                 "('...-tahun-2022.csv')", "one row per puskesmas; kecamatan in column C, city area "
                                 "(Surabaya Barat/Timur/...) in column B",
                                 "Total Kunjungan = Baru + Lama (total column)" if c == "G" else "",
                                 "visits, no unit written"))
    row_sum_check(t, "", range(2, n + 1), ["E", "F"], "G", "Total Kunjungan = Baru + Lama")
    return t


# i09  Satu Data Kabupaten Aceh Tamiang (BPBD): disaster events per kecamatan 2024, long; Kemendagri codes
#      written like decimals ('11.16', '11.16.01'); two records broken by an unquoted comma in
#      'Gempa Bumi 4,4 SR' (the count moves one field right); a record without province; empty trailing records
def i09() -> Truth:
    t = Truth("i09", BENCANA_ATAM)
    g = t.g()
    for r in range(2, 29):
        row = g[r - 1]
        kec = clean(cellv(g, f"F{r}"))
        shifted = len(row) == 10
        if shifted:
            kej = clean(cellv(g, f"G{r}")) + "," + clean(cellv(g, f"H{r}"))
            cell, unit = f"I{r}", clean(cellv(g, f"J{r}"))
        else:
            kej = clean(cellv(g, f"G{r}"))
            cell, unit = f"H{r}", clean(cellv(g, f"I{r}"))
        notes = []
        if shifted:
            notes.append("record broken by the unquoted comma in 'Gempa Bumi " + kej.split("Gempa Bumi ")[1] +
                         "' (10 fields): the count stands under 'satuan', the unit one field further")
        if not clean(cellv(g, f"A{r}")):
            notes.append("province code and name empty in this record")
        if r == 16:
            notes.append("code 11.16.07 written beside 'Kota Kualasimpang' (code of Kejuruan Muda; kept as written)")
        t.add("", cell, year="2024", row_label=join(kec, kej), column_label="jumlah", wilayah=kec, unit=unit,
              note=join_note("Satu Data export (kemendagri_kode_provinsi .. satuan); year only in the file name "
                             "('...-tahun-2024.csv'); kecamatan of Kabupaten Aceh Tamiang", *notes,
                             "unit from the satuan column"))
    t.exclude("", [f"A{r}" for r in range(2, 29)], "kemendagri_kode_provinsi (code)")
    t.exclude("", [f"C{r}" for r in range(2, 29)], "kemendagri_kode_kabupaten (code written '11.16')")
    t.exclude("", [f"E{r}" for r in range(2, 29)], "kemendagri_kode_kecamatan (code written '11.16.01')")
    return t


# i10  Open Data DKI Jakarta (Dukcapil) 2017: deaths per kecamatan and sex, long, ';' CSV, CRLF,
#      abbreviated kecamatan names ('KEP. SERIBU UTR')
def i10() -> Truth:
    t = Truth("i10", MATI_DKI, delim=";")
    g = t.g()
    n = len(g)
    for r in range(2, n + 1):
        kab, kec, jk = clean(cellv(g, f"B{r}")), clean(cellv(g, f"C{r}")), clean(cellv(g, f"D{r}"))
        t.add("", f"E{r}", year=yr(cellv(g, f"A{r}")), row_label=join(kab, kec, jk), column_label="jumlah",
              wilayah=kec,
              note=join_note("year from the tahun column (also in the file name)", "kecamatan of DKI Jakarta "
                             "(kabupaten/kota administrasi in column B; names abbreviated as written, "
                             "e.g. 'KEP. SERIBU UTR')", "deaths, no unit written"))
    t.exclude("", [f"A{r}" for r in range(2, n + 1)], "tahun (year key)")
    return t


# i11  BPS Provinsi NTT web CSV: number and share of stunted toddlers per kab/kota 2021-2023; BOM; header over
#      4 records (stub, title, group, years descending 2023 2022 2021); '-' mark; province row last
def i11() -> Truth:
    t = Truth("i11", STUNTING_NTT)
    g = t.g()
    title = clean(cellv(g, "B2"))
    grp = ""
    groups = {}
    for c in cols("B", "S"):
        if clean(cellv(g, f"{c}3")):
            grp = clean(cellv(g, f"{c}3"))
        groups[c] = grp
    for r in range(5, 28):
        wil = clean(cellv(g, f"A{r}"))
        prov = wil == "Nusa Tenggara Timur"
        for c in cols("B", "S"):
            y = clean(cellv(g, f"{c}4"))
            pct = groups[c].startswith("Persentase")
            t.put("", f"{c}{r}", year=y, row_label=wil, column_label=join(title, groups[c], y),
                  wilayah="" if prov else wil, unit="" if pct else "Jiwa", is_total=1 if prov else 0,
                  note=join_note("BPS web CSV download: BOM; header over records 1-4 (stub 'Wilayah', title, group "
                                 "written once over its three year columns, years 2023 2022 2021 descending)",
                                 "no unit written for the percentage" if pct else
                                 "unit '(Jiwa)' from the title",
                                 "province row 'Nusa Tenggara Timur' (enclosing region; total)" if prov
                                 else "kab/kota written bare"))
    t.exclude("", [f"{c}4" for c in cols("B", "S")], "year header row (text)")
    col_sum_check(t, "", cols("B", "P"), 5, 26, 27, "Nusa Tenggara Timur = sum of 22 kab/kota (counts, '-' as 0)")
    parts = {"N": ("B", "E"), "O": ("C", "F"), "P": ("D", "G")}
    bad = []
    for tc, (a, b) in parts.items():
        for r in range(5, 28):
            if not close(val(t, "", f"{a}{r}") + val(t, "", f"{b}{r}"), val(t, "", f"{tc}{r}")):
                bad.append(f"{tc}{r}")
    t.sums.append("Stunting = Sangat Pendek + Pendek: " + ("OK" if not bad else "MISMATCH in source: " + ", ".join(bad)))
    return t


# i12  BPS Provinsi Sulawesi Tenggara CSV: poor population (thousands) per kab/kota 2024; BOM; two columns;
#      province total row last; year only in the file name
def i12() -> Truth:
    t = Truth("i12", MISKIN_SULTRA)
    g = t.g()
    for r in range(2, 20):
        wil = clean(cellv(g, f"A{r}"))
        prov = wil == "Sulawesi Tenggara"
        t.add("", f"B{r}", year="2024", row_label=wil, column_label=clean(cellv(g, "B1")),
              wilayah="" if prov else wil, unit="ribu jiwa", is_total=1 if prov else 0,
              note=join_note("year only in the file name ('..., 2024.csv'); BOM", "unit from the header 'Jiwa (Ribu)'",
                             "province row 'Sulawesi Tenggara' (enclosing region; total)" if prov else "kab/kota"))
    col_sum_check(t, "", ["B"], 2, 18, 19, "Sulawesi Tenggara = sum of 17 kab/kota")
    return t


# i13  compiled from BPS Kabupaten Banjarnegara: landslides per kecamatan and month 2021, ';' CSV, months as
#      Indonesian abbreviations (Jan .. Agt, Sept, Nop, Des), ' - ' marks with spaces; year only in the file name
def i13() -> Truth:
    t = Truth("i13", LONGSOR_BNA, delim=";")
    g = t.g()
    for r in range(2, 22):
        kec = clean(cellv(g, f"A{r}"))
        for c in cols("B", "M"):
            h = clean(cellv(g, f"{c}1"))
            t.put("", f"{c}{r}", year="2021", period=MONTH_ABBR_ID[h.lower()], row_label=kec, column_label=h,
                  wilayah=kec, mark_note="' - ' (dash with spaces): no event / no value",
                  note=join_note("year only in the file name ('tanah_longsor_2021.csv'); month from the abbreviated "
                                 f"column header '{h}'", "kecamatan of Kabupaten Banjarnegara (named nowhere in the "
                                 "file); landslide events, no unit written",
                                 "kecamatan Banjarnegara (same name as the kabupaten; a kecamatan row, not a total)"
                                 if kec == "Banjarnegara" else ""))
    return t


# i14  compiled from Satu Data Kabupaten Malang (DP2KB figures): KB participants per kecamatan 2020-2024 as
#      columns, growth 2024 vs 2023 as text with decimal comma and '%' ('-11,44%'), a category column
def i14() -> Truth:
    t = Truth("i14", KB_MALANG)
    g = t.g()
    n = len(g)
    for r in range(2, n + 1):
        kec = clean(cellv(g, f"A{r}"))
        for c in cols("B", "F"):
            y = clean(cellv(g, f"{c}1"))
            t.add("", f"{c}{r}", year=y, row_label=kec, column_label=y, wilayah=kec,
                  note=join_note("years as column headers", "kecamatan of Kabupaten Malang (named nowhere in the file); "
                                 "KB participants, no unit written"))
        t.add("", f"G{r}", year="2024", row_label=kec, column_label="Growth_2024_vs_2023", wilayah=kec, unit="%",
              note=join_note("growth 2024 vs 2023 written with a decimal comma and '%'", "year = the later year of "
                             "the header 'Growth_2024_vs_2023'", "category in Performance_Level (text)"))
    t.exclude("", [f"{c}1" for c in cols("B", "F")], "year header (text)")
    bad = []
    for r in range(2, n + 1):
        e, f, gg = val(t, "", f"E{r}"), val(t, "", f"F{r}"), val(t, "", f"G{r}")
        if abs(round(100 * (f - e) / e, 2) - gg) > 0.011:
            bad.append(f"G{r}")
    t.sums.append("Growth = (2024 - 2023) / 2023 x 100: " + ("OK" if not bad else "MISMATCH in source: " + ", ".join(bad)))
    return t


# i15  compiled from BPBD Kota Batu (2021-2023 accumulated by a student): disaster events per desa/kelurahan
#      by type with coordinates and a Total column; CRLF except the last record
def i15() -> Truth:
    t = Truth("i15", BENCANA_BATU)
    g = t.g()
    for r in range(2, 26):
        desa, kec = clean(cellv(g, f"A{r}")), clean(cellv(g, f"B{r}"))
        for c in cols("E", "N"):
            h = clean(cellv(g, f"{c}1"))
            tot = c == "N"
            t.add("", f"{c}{r}", row_label=join(kec, desa), column_label=h, wilayah=desa, is_total=1 if tot else 0,
                  note=join_note("desa/kelurahan of Kota Batu (city named nowhere in the file), kecamatan in column B",
                                 "period 2021-2023 only in the repository description: no year",
                                 "Total = sum of the nine disaster types (total column)" if tot else "",
                                 "events, no unit written"))
    t.exclude("", [f"C{r}" for r in range(2, 26)], "Latitude (coordinate)")
    t.exclude("", [f"D{r}" for r in range(2, 26)], "Longitude (coordinate)")
    row_sum_check(t, "", range(2, 26), cols("E", "M"), "N", "Total = sum of the nine types")
    return t


BUILDERS = [i01, i02, i03, i04, i05, i06, i07, i08, i09, i10, i11, i12, i13, i14, i15]



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
