"""Reading submitted files into grids of cells, one per sheet.

Workbooks (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``) go through python-calamine; ``.csv``/``.txt``
through the standard ``csv`` module with the encoding found (UTF-8 with or without BOM, else
cp1252, line by line when lines of both are mixed, with an issue either way; UTF-16 when it has a BOM) and the delimiter sniffed (``,`` ``;`` tab). Two web exports with
an ``.xls`` name are recognised by their first bytes and read: an HTML table (standard HTML parser)
and an Excel 2003 "XML Spreadsheet" (ElementTree, merged cells included). An encrypted
(password-protected) ``.xlsx`` is an OLE container, recognised by its signature.

A :class:`Grid` keeps absolute positions: ``rows[i][j]`` is Excel row ``first_row + i + 1`` and
column ``first_col + j``. Trailing blank rows are dropped, and the grid ends after ``MAX_BLANK_RUN``
blank rows in a row, so a sheet that claims 1,048,576 rows costs little; rows with content after such
a run are counted and reported (``baris_setelah_kosong``), never dropped silently.

Every file is read under :mod:`satudata.formats.read_limits`, checked before allocating (file size, zip parts,
the rectangle a sheet's cells span in xlsx (:mod:`satudata.formats.xlsx_scan`), ods repeats and xls records
(:mod:`satudata.formats.format_scan`), XML ``ss:Index``, HTML ``colspan``, CSV line length); past a limit
the file gets ``berkas_terlalu_besar``. A file that cannot be read raises :class:`ReadError`; problems
that do not stop the file (error values of formulas, rows after a blank run) are
:class:`ReadProblem` items in ``Source.problems``. Messages are in Bahasa Indonesia.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as pc

from satudata.formats import format_scan, read_limits, xlsx_scan
from satudata.formats.read_errors import TOO_BIG, ReadError, ReadProblem, number, too_big
from satudata.formats.read_errors import column_letter as column_letter  # where every reader looks for it
from satudata.formats.read_limits import ReadLimits

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
SUPPORTED_SUFFIXES = WORKBOOK_SUFFIXES | TEXT_SUFFIXES
MAX_BLANK_RUN = 2000
MAX_EAGER_ROWS = 100_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_SPREADSHEET_ML = b"urn:schemas-microsoft-com:office:spreadsheet"
TEXT_FIX = "Pecah menjadi beberapa berkas atau simpan sebagai .xlsx, lalu kirim ulang."  # a text file past max_text_bytes


__all__ = ["Grid", "ReadError", "ReadLimits", "ReadProblem", "Source", "read_source"]


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
    problems: list[ReadProblem] = field(default_factory=list)  # one issue each (see read_errors)




def is_blank(cell: object) -> bool:
    """True for None, '' and text of spaces only (a 0 is not blank)."""
    return cell is None or cell == "" or (type(cell) is str and cell.isspace())


def _row_blank(row: list) -> bool:
    return row.count("") == len(row) or all(is_blank(c) for c in row)


@dataclass(frozen=True)
class Cut:
    """Rows with content left out of a grid after a run of more than ``MAX_BLANK_RUN`` blank rows
    (positions 0-based in the rows given)."""

    rows: int
    first: int
    last: int


def _trim(rows: list[list]) -> list[list]:
    """Stop at the data: cut a long run of blank rows and every trailing blank row."""
    return _trim_counted(rows)[0]


def _trim_counted(rows: list[list]) -> tuple[list[list], Cut | None]:
    """:func:`_trim`, and the rows with content it left out after a long blank run."""
    if len(rows) <= MAX_BLANK_RUN:  # no run of blank rows can be too long: only trailing ones go
        end = len(rows)
        while end and _row_blank(rows[end - 1]):
            end -= 1
        return (rows if end == len(rows) else rows[:end]), None
    return _trim_lazy(rows)


def _trim_lazy(rows: object) -> tuple[list[list], Cut | None]:
    """Like :func:`_trim` on any iterable: the grid ends after ``MAX_BLANK_RUN`` blank rows; the rows
    after that are still looked at, to count those with content (the :class:`Cut`)."""
    out: list[list] = []
    blank_run = 0
    it = iter(rows)
    for row in it:
        if _row_blank(row):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
        else:
            blank_run = 0
        out.append(row)
    while out and _row_blank(out[-1]):
        out.pop()
    n, first, last, i = 0, -1, -1, len(out) + blank_run - 1
    for row in it:
        i += 1
        if not _row_blank(row):
            n += 1
            first = i if first < 0 else first
            last = i
    return out, (Cut(n, first, last) if n else None)


def _cut_problem(file: str, sheet: str, cut: Cut | None, first_row: int) -> list[ReadProblem]:
    if cut is None:
        return []
    a, b = first_row + cut.first + 1, first_row + cut.last + 1
    return [ReadProblem(
        "baris_setelah_kosong", "galat", sheet, a, None,
        f"Berkas {file}, lembar kerja '{sheet}': {number(cut.rows)} baris berisi data (baris {number(a)} sampai "
        f"{number(b)}) tidak dibaca karena terpisah lebih dari {number(MAX_BLANK_RUN)} baris kosong dari tabel "
        "di atasnya. Hapus baris kosong di antaranya atau pindahkan data itu ke lembar kerja sendiri, lalu kirim ulang.",
    )]  # fmt: skip


def read_source(path: Path, limits: ReadLimits | None = None, size_fix: str = "") -> Source:
    """Read any supported file under ``limits`` (default :data:`satudata.formats.read_limits.LIMITS`); raises
    :class:`ReadError` when it cannot be read, ``berkas_terlalu_besar`` past a limit. ``size_fix``: what to do
    when the file is past its size limit (default: a submitter's; see :func:`read_limits.past_size`)."""
    path = Path(path)
    limits = read_limits.current(limits)
    suffix = path.suffix.lower()
    if path.is_symlink():
        raise ReadError(
            "tautan_simbolik",
            f"{path.name} adalah tautan simbolik (symlink) dan tidak diikuti. Salin berkas aslinya ke folder "
            "putaran (bukan tautannya), lalu jalankan ulang.",
        )
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(
            "format_tidak_didukung",
            f"Berkas {path.name}: format '{suffix or '(tanpa ekstensi)'}' tidak didukung. "
            "Kirim ulang sebagai .xlsx, .xls, .ods atau .csv.",
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
            size = fh.seek(0, io.SEEK_END)
    except OSError as exc:
        raise ReadError("berkas_tidak_terbaca", f"Berkas {path.name} tidak dapat dibuka: {exc}.") from exc
    if not head.strip():
        raise ReadError("berkas_kosong", f"Berkas {path.name} kosong (0 byte atau hanya spasi). Kirim ulang.")
    text_like = suffix in TEXT_SUFFIXES or (
        suffix in WORKBOOK_SUFFIXES and (_SPREADSHEET_ML in head or _looks_like_html(head)))  # fmt: skip
    if (error := read_limits.past_size(path.name, size, limits, fix=size_fix)) is not None:
        raise error
    if text_like and (error := read_limits.past_size(path.name, size, limits, True, size_fix or TEXT_FIX)):
        raise error
    if suffix in WORKBOOK_SUFFIXES and _SPREADSHEET_ML in head:
        return _read_spreadsheet_ml(path, limits)
    if suffix in WORKBOOK_SUFFIXES and _looks_like_html(head):
        return _read_html(path, limits)
    if suffix in TEXT_SUFFIXES:
        return _read_text(path, limits)
    if suffix in {".xlsx", ".xlsm", ".ods", ".xlsb"} and head.startswith(_OLE_MAGIC):
        raise ReadError(
            "berkas_terkunci",
            f"Berkas {path.name} terlindungi kata sandi (terenkripsi) sehingga tidak dapat dibaca. "
            "Buka kunci berkas (hapus kata sandi) lalu kirim ulang.",
        )
    return _read_workbook(path, limits, head)


def _read_workbook(path: Path, limits: ReadLimits, head: bytes = b"") -> Source:
    scans: list[xlsx_scan.SheetScan] = []
    if head.startswith(_ZIP_MAGIC):
        xlsx_scan.check_zip(path, limits)
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            scans = xlsx_scan.scan_xlsx(path, limits)
        elif path.suffix.lower() == ".ods":
            format_scan.scan_ods(path, limits)  # repeated rows and cells measured before they are allocated
    elif head.startswith(_OLE_MAGIC) and path.suffix.lower() == ".xls":
        format_scan.scan_xls(path, limits)  # each sheet's DIMENSIONS and cell records
    problems = [p for s in scans for p in s.problems + xlsx_scan.summary_problems(s, path.name, limits)]
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
            _check_area(path.name, meta.name, sheet.height, sheet.width, limits)
            if sheet.height <= MAX_EAGER_ROWS:
                (rows, cut), first_row = _trim_counted(sheet.to_python(skip_empty_area=True)), start[0]
            else:  # a sheet claiming ~a million rows: read lazily and stop at the data
                (rows, cut), first_row = _trim_lazy(sheet.iter_rows()), 0  # iter_rows starts at row 0 (calamine 0.9)
            problems += _cut_problem(path.name, meta.name, cut, first_row)
            merged = list(sheet.merged_cell_ranges or [])
            hidden = "Visible" not in str(meta.visible)
            grids.append(Grid(meta.name, rows, first_row, start[1], merged, hidden))
    except pc.PasswordError as exc:
        raise ReadError(
            "berkas_terkunci",
            f"Berkas {path.name} terlindungi kata sandi. Hapus kata sandi lalu kirim ulang.",
        ) from exc
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(
            "berkas_rusak",
            f"Berkas {path.name} tidak dapat dibaca sampai selesai ({type(exc).__name__}: {exc}). "
            "Simpan ulang sebagai .xlsx lalu kirim ulang.",
        ) from exc
    finally:
        book.close()
    return Source(path, "workbook", grids, problems=problems)


def _check_area(file: str, sheet: str, height: int, width: int, limits: ReadLimits) -> None:
    """Refuse a sheet spanning more rows, columns or cells than the limits."""
    where = f"lembar kerja '{sheet}'"
    if height > limits.max_rows:
        raise too_big(file, f"jumlah baris di {where}", height, "max_rows", limits.max_rows)
    if width > limits.max_columns:
        raise too_big(file, f"jumlah kolom di {where}", width, "max_columns", limits.max_columns)
    if height * width > limits.max_cells:
        raise too_big(file, f"luas sel di {where} (baris x kolom)", height * width, "max_cells", limits.max_cells)


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


def _legacy(line: bytes) -> str:
    try:
        return line.decode("cp1252")
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8D, ...)
        return line.decode("latin-1")


def decode_checked(data: bytes, file: str) -> tuple[str, str, list[ReadProblem]]:
    """:func:`decode_text`, and a problem saying so when the text is not UTF-8 (never garbled silently).

    Text that is not valid UTF-8 as a whole is decoded line by line: a line that is valid UTF-8 holding
    a non-ASCII character stays UTF-8, any other line is read as Windows-1252 (cp1252; latin-1 for the few
    bytes cp1252 leaves undefined). When both kinds of line occur the file mixes two encodings (rows pasted
    from two sources) and gets ``encoding_campuran`` naming the lines read as cp1252; a file wholly in
    cp1252 gets ``encoding_bukan_utf8``, a note only.
    """
    if b"\0" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _nul_text(data, file)
    text, encoding = decode_text(data)
    if encoding not in {"cp1252", "latin-1"}:
        return text, encoding, []
    lines = data.split(b"\n")
    out, legacy, utf8 = [], [], 0
    for i, line in enumerate(lines, start=1):
        try:
            decoded = line.decode("utf-8")
            utf8 += not line.isascii()
        except UnicodeDecodeError:
            decoded = _legacy(line)
            legacy.append(i)
        out.append(decoded)
    shown = ", ".join(number(i) for i in legacy[:10]) + (f" dan {number(len(legacy) - 10)} baris lain"
                                                       if len(legacy) > 10 else "")  # fmt: skip
    if not utf8:
        return text, encoding, [ReadProblem(
            "encoding_bukan_utf8", "info", None, None, None,
            f"Berkas {file} tidak ditulis dalam UTF-8; dibaca sebagai Windows-1252 (cp1252). Periksa huruf "
            "beraksen dan simbol (mis. é, ², °) di hasilnya; lain kali simpan sebagai 'CSV UTF-8'.")]  # fmt: skip
    return "\n".join(out), "utf-8+cp1252", [ReadProblem(
        "encoding_campuran", "peringatan", None, legacy[0], None,
        f"Berkas {file} mencampur dua pengodean teks: baris {shown} bukan UTF-8 dan dibaca sebagai Windows-1252 "
        f"(cp1252), baris lain sebagai UTF-8. Periksa huruf beraksen dan simbol di baris itu; lain kali simpan "
        "seluruh berkas sebagai 'CSV UTF-8'.")]  # fmt: skip


def _nul_text(data: bytes, file: str) -> tuple[str, str, list[ReadProblem]]:
    """Text holding NUL bytes: UTF-16 saved without its byte-order mark (every other byte NUL), read as such
    with a note; anything else is not a text file (``berkas_rusak``)."""
    head = data[:65536]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    half = len(head) // 2
    if half and max(odd, even) >= 0.3 * half and min(odd, even) <= 0.05 * half:
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = None
        if text is not None and "\0" not in text:
            return text, encoding, [ReadProblem(
                "encoding_bukan_utf8", "info", None, None, None,
                f"Berkas {file} ditulis dalam {encoding.upper()} tanpa penanda (BOM); dibaca sebagai {encoding.upper()}. "
                "Lain kali simpan sebagai 'CSV UTF-8'.")]  # fmt: skip
    raise ReadError("berkas_rusak", f"Berkas {file} berisi byte NUL sehingga bukan berkas teks (CSV) yang sah: mungkin "
                    "rusak, atau berkas lain yang diberi nama .csv. Buka di Excel, simpan sebagai 'CSV UTF-8' atau "
                    ".xlsx, lalu kirim ulang.")  # fmt: skip


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


def _read_text(path: Path, limits: ReadLimits | None = None) -> Source:
    limits = read_limits.current(limits)
    text, encoding, decoding = decode_checked(path.read_bytes(), path.name)
    delimiter = sniff_delimiter(text)
    rows: list[list] = []
    cells = 0
    previous = csv.field_size_limit(limits.max_line_chars)
    try:
        for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(r) > limits.max_columns:
                raise too_big(path.name, f"jumlah kolom di baris {number(len(rows) + 1)}", len(r), "max_columns",
                              limits.max_columns, "Periksa pemisah kolomnya; pecah baris yang terlalu panjang.")  # fmt: skip
            cells += len(r)
            if cells > limits.max_cells or len(rows) >= limits.max_rows:
                raise too_big(path.name, "jumlah sel" if cells > limits.max_cells else "jumlah baris",
                              cells if cells > limits.max_cells else len(rows) + 1,
                              "max_cells" if cells > limits.max_cells else "max_rows",
                              limits.max_cells if cells > limits.max_cells else limits.max_rows,
                              "Pecah menjadi beberapa berkas lalu kirim ulang.")  # fmt: skip
            rows.append(r)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ReadError(TOO_BIG, (
                f"Berkas {path.name} tidak dibaca: satu isian di baris {number(len(rows) + 1)} lebih panjang dari "
                f"batas max_line_chars = {number(limits.max_line_chars)} karakter. Periksa tanda kutip yang tidak "
                "ditutup, atau pecah isian yang terlalu panjang, lalu kirim ulang.")) from exc  # fmt: skip
        raise ReadError(
            "berkas_rusak", f"Berkas {path.name}: CSV tidak dapat diurai ({exc}). Periksa tanda kutip."
        ) from exc
    finally:
        csv.field_size_limit(previous)
    rows, cut = _trim_counted(rows)
    return Source(path, "csv", [Grid(path.stem, rows)], encoding=encoding, delimiter=delimiter,
                  problems=decoding + _cut_problem(path.name, path.stem, cut, 0))  # fmt: skip


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta", b"<head")) and (
        b"<table" in head.lower() or b"<html" in start
    )


def _read_html(path: Path, limits: ReadLimits | None = None) -> Source:
    from satudata.formats.html_tables import TableParser  # only for the rare web export saved as .xls

    text, encoding, decoding = decode_checked(path.read_bytes(), path.name)
    parser = TableParser(path.name, limits)
    parser.feed(text)
    grids, problems = [], list(decoding)
    for i, t in enumerate(parser.tables):
        if t:
            rows, cut = _trim_counted(t)
            grids.append(Grid(f"tabel{i + 1}", rows))
            problems += _cut_problem(path.name, f"tabel{i + 1}", cut, 0)
    note = (
        f"Berkas {path.name} bukan lembar kerja Excel melainkan tabel HTML yang diberi nama .xls "
        "(ekspor aplikasi web). Isinya tetap dibaca; lain kali simpan sebagai .xlsx."
    )
    return Source(path, "html", grids, encoding=encoding, notes=[note], problems=problems)


def _ml_index(file: str, value: str | None, default: int, what: str, limit_name: str, limit: int) -> int:
    """A 1-based ``ss:Index`` (or ``default``), refused past ``limit`` before anything is allocated."""
    if value is None:
        n = default
    elif value.strip().isdigit() and len(value.strip()) < 12:
        n = int(value)
    else:
        raise ReadError("berkas_rusak", f"Berkas {file}: nilai ss:Index '{value[:20]}' tidak sah. Simpan ulang "
                        "sebagai .xlsx lalu kirim ulang.")  # fmt: skip
    if n > limit:
        raise too_big(file, what, n, limit_name, limit)
    return max(n, 1)


def _read_spreadsheet_ml(path: Path, limits: ReadLimits | None = None) -> Source:
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
    limits = read_limits.current(limits)
    name = path.name
    grids, problems = [], []
    for sheet in root.iter(f"{ns}Worksheet"):
        rows: list[list] = []
        merged = []
        r = -1
        width = 0
        for row in sheet.iter(f"{ns}Row"):
            r = _ml_index(name, row.get(f"{ns}Index"), r + 2, "nomor baris (ss:Index)", "max_rows", limits.max_rows) - 1
            c = -1
            for cell in row.findall(f"{ns}Cell"):
                c = _ml_index(name, cell.get(f"{ns}Index"), c + 2, "nomor kolom (ss:Index)", "max_columns",
                              limits.max_columns) - 1  # fmt: skip
                across = _ml_index(name, cell.get(f"{ns}MergeAcross"), 0, "lebar sel gabungan (ss:MergeAcross)",
                                   "max_columns", limits.max_columns)  if cell.get(f"{ns}MergeAcross") else 0  # fmt: skip
                down = _ml_index(name, cell.get(f"{ns}MergeDown"), 0, "tinggi sel gabungan (ss:MergeDown)",
                                 "max_rows", limits.max_rows) if cell.get(f"{ns}MergeDown") else 0  # fmt: skip
                width = max(width, c + 1)
                if (r + 1) * width > limits.max_cells:
                    raise too_big(name, f"luas sel lembar kerja '{sheet.get(f'{ns}Name', '')}' (baris x kolom)",
                                  (r + 1) * width, "max_cells", limits.max_cells)  # fmt: skip
                while len(rows) <= r:
                    rows.append([])
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
        height = len(rows)  # a merge reaching past the cells read is clipped to them
        merged = [((a, b), (min(c, height - 1), min(d, width - 1))) for (a, b), (c, d) in merged]
        sheet_name = sheet.get(f"{ns}Name", f"sheet{len(grids) + 1}")
        rows, cut = _trim_counted(rows)
        grids.append(Grid(sheet_name, rows, 0, 0, merged))
        problems += _cut_problem(name, sheet_name, cut, 0)
    note = (
        f"Berkas {path.name} berformat XML Spreadsheet 2003 (bukan .xls biasa). Isinya tetap dibaca; "
        "lain kali simpan sebagai .xlsx."
    )
    return Source(path, "workbook", grids, notes=[note], problems=problems)
