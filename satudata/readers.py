"""Reading submitted files into grids of cells, one per sheet.

Workbooks (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``) go through python-calamine; ``.csv``/``.txt``
through the standard ``csv`` module with the encoding found (UTF-8 with or without BOM, else
cp1252; UTF-16 when it has a BOM) and the delimiter sniffed (``,`` ``;`` tab). Two web exports with
an ``.xls`` name are recognised by their first bytes and read: an HTML table (standard HTML parser)
and an Excel 2003 "XML Spreadsheet" (ElementTree, merged cells included). An encrypted
(password-protected) ``.xlsx`` is an OLE container, recognised by its signature.

A :class:`Grid` keeps absolute positions: ``rows[i][j]`` is Excel row ``first_row + i + 1`` and
column ``first_col + j``. Trailing blank rows are dropped, and reading stops after
``MAX_BLANK_RUN`` blank rows in a row, so a sheet that claims 1,048,576 rows costs nothing.
Problems are raised as :class:`ReadError` with a message in Bahasa Indonesia.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import python_calamine as pc

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
SUPPORTED_SUFFIXES = WORKBOOK_SUFFIXES | TEXT_SUFFIXES
MAX_BLANK_RUN = 2000
MAX_EAGER_ROWS = 100_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_SPREADSHEET_ML = b"urn:schemas-microsoft-com:office:spreadsheet"


class ReadError(Exception):
    """A file that cannot be read; ``code`` is the issue code, the message says what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Grid:
    """One sheet's cells with their absolute position."""

    name: str
    rows: list[list]
    first_row: int = 0
    first_col: int = 0
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    hidden: bool = False


@dataclass
class Source:
    """One file read: its grids plus how it was read."""

    path: Path
    kind: str  # "workbook", "csv", "html"
    grids: list[Grid]
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


def column_letter(index: int) -> str:
    """Excel column letters for a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def is_blank(cell: object) -> bool:
    """True for None, '' and text of spaces only (a 0 is not blank)."""
    return cell is None or cell == "" or (type(cell) is str and cell.isspace())


def _row_blank(row: list) -> bool:
    return row.count("") == len(row) or all(is_blank(c) for c in row)


def _trim(rows: list[list]) -> list[list]:
    """Stop at the data: cut a long run of blank rows and every trailing blank row."""
    if len(rows) <= MAX_BLANK_RUN:  # no run of blank rows can be too long: only trailing ones go
        end = len(rows)
        while end and _row_blank(rows[end - 1]):
            end -= 1
        return rows if end == len(rows) else rows[:end]
    return _trim_lazy(rows)


def _trim_lazy(rows: object) -> list[list]:
    """Like :func:`_trim` on any iterable: stops reading after ``MAX_BLANK_RUN`` blank rows."""
    out: list[list] = []
    blank_run = 0
    for row in rows:
        if _row_blank(row):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
        else:
            blank_run = 0
        out.append(row)
    while out and _row_blank(out[-1]):
        out.pop()
    return out


def read_source(path: Path) -> Source:
    """Read any supported file; raises :class:`ReadError` when it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(
            "format_tidak_didukung",
            f"Berkas {path.name}: format '{suffix or '(tanpa ekstensi)'}' tidak didukung. "
            "Kirim ulang sebagai .xlsx, .xls, .ods atau .csv.",
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise ReadError("berkas_tidak_terbaca", f"Berkas {path.name} tidak dapat dibuka: {exc}.") from exc
    if not head.strip():
        raise ReadError("berkas_kosong", f"Berkas {path.name} kosong (0 byte atau hanya spasi). Kirim ulang.")
    if suffix in WORKBOOK_SUFFIXES and _SPREADSHEET_ML in head:
        return _read_spreadsheet_ml(path)
    if suffix in WORKBOOK_SUFFIXES and _looks_like_html(head):
        return _read_html(path)
    if suffix in TEXT_SUFFIXES:
        return _read_text(path)
    if suffix in {".xlsx", ".xlsm", ".ods", ".xlsb"} and head.startswith(_OLE_MAGIC):
        raise ReadError(
            "berkas_terkunci",
            f"Berkas {path.name} terlindungi kata sandi (terenkripsi) sehingga tidak dapat dibaca. "
            "Buka kunci berkas (hapus kata sandi) lalu kirim ulang.",
        )
    return _read_workbook(path)


def _read_workbook(path: Path) -> Source:
    try:
        book = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as exc:
        raise ReadError(
            "berkas_terkunci",
            f"Berkas {path.name} terlindungi kata sandi. Hapus kata sandi lalu kirim ulang.",
        ) from exc
    except Exception as exc:  # calamine raises several types for corrupt files
        raise ReadError(
            "berkas_rusak",
            f"Berkas {path.name} rusak atau bukan lembar kerja yang sah ({type(exc).__name__}: {exc}). "
            "Buka dan simpan ulang dengan Excel/LibreOffice sebagai .xlsx, lalu kirim ulang.",
        ) from exc
    grids = []
    try:
        for meta in book.sheets_metadata:
            if str(meta.typ) not in {"SheetTypeEnum.WorkSheet", "WorkSheet"}:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            start = sheet.start or (0, 0)
            if sheet.height <= MAX_EAGER_ROWS:
                rows, first_row = _trim(sheet.to_python(skip_empty_area=True)), start[0]
            else:  # a sheet claiming ~a million rows: read lazily and stop at the data
                rows, first_row = _trim_lazy(sheet.iter_rows()), 0  # iter_rows starts at row 0 (calamine 0.9)
            merged = list(sheet.merged_cell_ranges or [])
            hidden = "Visible" not in str(meta.visible)
            grids.append(Grid(meta.name, rows, first_row, start[1], merged, hidden))
    except pc.PasswordError as exc:
        raise ReadError(
            "berkas_terkunci",
            f"Berkas {path.name} terlindungi kata sandi. Hapus kata sandi lalu kirim ulang.",
        ) from exc
    except Exception as exc:
        raise ReadError(
            "berkas_rusak",
            f"Berkas {path.name} tidak dapat dibaca sampai selesai ({type(exc).__name__}: {exc}). "
            "Simpan ulang sebagai .xlsx lalu kirim ulang.",
        ) from exc
    finally:
        book.close()
    return Source(path, "workbook", grids)


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 with BOM, UTF-8, else cp1252 (latin-1 as last resort)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter among ``,`` ``;`` tab: the one splitting the first lines most consistently."""
    sample = text[:65536]
    if not sample.strip():
        return ","
    best, best_score = ",", -1.0
    for delim in (",", ";", "\t"):
        try:
            rows = [r for _, r in zip(range(30), csv.reader(io.StringIO(sample, newline=""), delimiter=delim),
                                      strict=False)]  # fmt: skip
            counts = [len(r) - 1 for r in rows if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if not counts or max(counts) == 0:
            continue
        # consistent and frequent: the share of lines with the modal count, times that count
        modal = max(set(counts), key=counts.count)
        score = counts.count(modal) / len(counts) * (1 + min(modal, 50) / 50) if modal else 0
        if any('"' in c for r in rows for c in r):  # quotes left inside fields: this split ignored them
            score -= 0.01
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_text(path: Path) -> Source:
    text, encoding = decode_text(path.read_bytes())
    delimiter = sniff_delimiter(text)
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise ReadError(
            "berkas_rusak", f"Berkas {path.name}: CSV tidak dapat diurai ({exc}). Periksa tanda kutip."
        ) from exc
    return Source(path, "csv", [Grid(path.stem, _trim(rows))], encoding=encoding, delimiter=delimiter)


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta", b"<head")) and (
        b"<table" in head.lower() or b"<html" in start
    )


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in {"td", "th"} and self._row is not None:
            self._cell = []
            span = dict(attrs).get("colspan")
            self._span = int(span) if span and span.isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._row.extend([""] * (self._span - 1))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _read_html(path: Path) -> Source:
    text, encoding = decode_text(path.read_bytes())
    parser = _TableParser()
    parser.feed(text)
    grids = [Grid(f"tabel{i + 1}", _trim(t)) for i, t in enumerate(parser.tables) if t]
    note = (
        f"Berkas {path.name} bukan lembar kerja Excel melainkan tabel HTML yang diberi nama .xls "
        "(ekspor aplikasi web). Isinya tetap dibaca; lain kali simpan sebagai .xlsx."
    )
    return Source(path, "html", grids, encoding=encoding, notes=[note])


def _read_spreadsheet_ml(path: Path) -> Source:
    """Excel 2003 XML ("XML Spreadsheet") saved with an ``.xls`` name: worksheets, rows, cells, merges."""
    import xml.etree.ElementTree as ET

    ns = "{urn:schemas-microsoft-com:office:spreadsheet}"
    try:
        root = ET.fromstring(path.read_bytes())
    except ET.ParseError as exc:
        raise ReadError(
            "berkas_rusak",
            f"Berkas {path.name}: XML Spreadsheet tidak dapat diurai ({exc}). Simpan ulang sebagai .xlsx.",
        ) from exc
    grids = []
    for sheet in root.iter(f"{ns}Worksheet"):
        rows: list[list] = []
        merged = []
        r = -1
        for row in sheet.iter(f"{ns}Row"):
            r = int(row.get(f"{ns}Index", r + 2)) - 1
            while len(rows) <= r:
                rows.append([])
            c = -1
            for cell in row.findall(f"{ns}Cell"):
                c = int(cell.get(f"{ns}Index", c + 2)) - 1
                across, down = int(cell.get(f"{ns}MergeAcross", 0)), int(cell.get(f"{ns}MergeDown", 0))
                if across or down:
                    merged.append(((r, c), (r + down, c + across)))
                data = cell.find(f"{ns}Data")
                value: object = ""
                if data is not None:
                    text = "".join(data.itertext())
                    value = text
                    if data.get(f"{ns}Type") == "Number":
                        try:
                            value = float(text)
                        except ValueError:
                            value = text
                line = rows[r]
                line.extend([""] * (c + 1 - len(line)))
                line[c] = value
                c += across
        width = max((len(x) for x in rows), default=0)
        rows = [x + [""] * (width - len(x)) for x in rows]
        grids.append(Grid(sheet.get(f"{ns}Name", f"sheet{len(grids) + 1}"), _trim(rows), 0, 0, merged))
    note = (
        f"Berkas {path.name} berformat XML Spreadsheet 2003 (bukan .xls biasa). Isinya tetap dibaca; "
        "lain kali simpan sebagai .xlsx."
    )
    return Source(path, "workbook", grids, notes=[note])
