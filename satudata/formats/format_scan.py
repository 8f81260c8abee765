"""Checks on ``.ods`` and BIFF ``.xls`` workbooks before the workbook reader opens them, as
:mod:`satudata.formats.xlsx_scan` does for ``.xlsx``.

The workbook reader (calamine) allocates the rectangle every sheet's cells span. In an ``.ods`` one XML
element can stand for millions of cells (``table:number-rows-repeated`` on a row,
``table:number-columns-repeated`` on a cell), so a few hundred bytes can ask for gigabytes; here
``content.xml`` is streamed (never loaded whole) and the rectangle of the cells holding something is
measured with the repeats applied. Repeated *empty* rows and cells (LibreOffice writes one such row
down to row 1,048,576 in every sheet) hold nothing and are not counted, as the reader does not fill them.

A BIFF ``.xls`` (Excel 97-2003, an OLE container) is read record by record: each worksheet's
``DIMENSIONS`` record says its used range, and the cell records (numbers, text, formulas) give the
rectangle actually spanned; the larger of the two is checked against the limits. Past a limit:
``berkas_terlalu_besar`` naming it, before anything is allocated.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from satudata.formats.read_errors import ReadError
from satudata.formats.read_limits import ReadLimits
from satudata.formats.xlsx_scan import SheetScan, check_bounds
from satudata.formats.xlsx_scan import _bound as _bound  # one rectangle rule for every format

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_T = f"{{{_TABLE}}}"
_CELLS = {f"{_T}table-cell", f"{_T}covered-table-cell"}
_ROW, _SHEET = f"{_T}table-row", f"{_T}table"
_REPEAT_ROWS, _REPEAT_COLS = f"{_T}number-rows-repeated", f"{_T}number-columns-repeated"
_VALUE_TYPE = f"{{{_OFFICE}}}value-type"


def _repeat(value: str | None, file: str) -> int:
    if value is None:
        return 1
    value = value.strip()
    if not value.isdigit() or len(value) > 12:
        raise ReadError("berkas_rusak", f"Berkas {file}: jumlah pengulangan '{value[:20]}' tidak sah di content.xml. "
                        "Simpan ulang sebagai .xlsx lalu kirim ulang.")  # fmt: skip
    return max(int(value), 1)


def scan_ods(path: Path, limits: ReadLimits) -> list[SheetScan]:
    """The rectangle of the cells holding something in each table of an ``.ods``, repeats applied; raises
    ``berkas_terlalu_besar`` for the first table past a limit. A file without a readable ``content.xml`` is
    left to the workbook reader, which says it is damaged."""
    from xml.etree import ElementTree as ET  # only for .ods files

    file = path.name
    try:
        z = zipfile.ZipFile(path)
        member = z.open("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return []
    scans: list[SheetScan] = []
    scan: SheetScan | None = None
    stack: list = []  # the open elements (ElementTree)
    row = col = 0  # 1-based row of the current row element, 0-based column of the next cell
    row_has, row_lo, row_hi = False, 0, 0  # the columns holding something in the current row
    try:
        with z, member:
            for event, elem in ET.iterparse(member, events=("start", "end")):
                tag = elem.tag
                if event == "start":
                    stack.append(elem)
                    if tag == _SHEET:
                        scan, row = SheetScan(elem.get(f"{_T}name", f"tabel{len(scans) + 1}")), 0
                        scans.append(scan)
                    elif tag == _ROW:
                        col, row_has = 0, False
                    continue
                stack.pop()
                if tag in _CELLS and scan is not None:
                    n = _repeat(elem.get(_REPEAT_COLS), file)
                    if elem.get(_VALUE_TYPE) is not None or len(elem) or (elem.text or "").strip():
                        row_lo = col if not row_has else row_lo
                        row_hi, row_has = col + n - 1, True
                    col += n
                elif tag == _ROW and scan is not None:
                    n = _repeat(elem.get(_REPEAT_ROWS), file)
                    if row_has:
                        _bound(scan, row + 1, row + n, row_lo, row_hi)
                        check_bounds(scan, file, limits)
                    row += n
                elif tag == _SHEET:
                    scan = None
                if stack and tag in _CELLS | {_ROW}:  # keep memory flat: drop what was measured
                    stack[-1].remove(elem)
    except ET.ParseError as exc:
        raise ReadError("berkas_rusak", f"Berkas {file}: content.xml tidak dapat diurai ({exc}). Buka dan simpan "
                        "ulang dengan LibreOffice atau Excel, lalu kirim ulang.") from exc  # fmt: skip
    return scans


# BIFF record types (Excel 97-2003 and BIFF5)
_BOF, _EOF, _DIMENSIONS, _BOUNDSHEET = 0x0809, 0x000A, 0x0200, 0x0085
_ONE_CELL = {0x0203, 0x027E, 0x00FD, 0x0204, 0x00D6, 0x0006, 0x0205}  # NUMBER RK LABELSST LABEL RSTRING FORMULA BOOLERR
_MULRK = 0x00BD
_WORKSHEET = 0x0010


def scan_xls(path: Path, limits: ReadLimits) -> list[SheetScan]:
    """The used range of each worksheet of a BIFF ``.xls``: the larger of its ``DIMENSIONS`` record and of the
    rectangle its cell records span; raises ``berkas_terlalu_besar`` for the first sheet past a limit. A file
    that is not a readable OLE workbook is left to the workbook reader."""
    import olefile

    file = path.name
    try:
        with olefile.OleFileIO(str(path)) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                return []
            data = ole.openstream(name).read()
    except Exception:  # noqa: BLE001 - a damaged container (olefile raises several types): the reader reports it
        return []
    names = _sheet_names(data)
    scans: list[SheetScan] = []
    stack: list[SheetScan | None] = []  # one entry per open BOF..EOF substream (a chart may sit inside a sheet)
    pos, end = 0, len(data)
    while pos + 4 <= end:
        rtype, size = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if rtype == _BOF and len(body) >= 4:
            worksheet = struct.unpack_from("<H", body, 2)[0] == _WORKSHEET
            scan = SheetScan(names[len(scans)] if len(scans) < len(names) else f"sheet{len(scans) + 1}") \
                if worksheet else None  # fmt: skip
            scans += [scan] if scan is not None else []
            stack.append(scan)
            continue
        if rtype == _EOF:
            if stack:
                stack.pop()
            continue
        scan = stack[-1] if stack else None
        if scan is None:
            continue
        if rtype == _DIMENSIONS and len(body) in (10, 14):  # BIFF8: 32-bit rows, BIFF5: 16-bit rows
            r0, r1, c0, c1 = struct.unpack_from("<IIHH" if len(body) == 14 else "<HHHH", body)
            if r1 > r0 and c1 > c0:  # first row, last row + 1, first column, last column + 1
                _bound(scan, r0 + 1, r1, c0, c1 - 1)
                check_bounds(scan, file, limits)
        elif rtype in _ONE_CELL and len(body) >= 4:
            r, c = struct.unpack_from("<HH", body)
            _bound(scan, r + 1, r + 1, c, c)
        elif rtype == _MULRK and len(body) >= 6:
            r, c = struct.unpack_from("<HH", body)
            last = struct.unpack_from("<H", body, len(body) - 2)[0]
            _bound(scan, r + 1, r + 1, c, max(c, last))
    for s in scans:
        if s.min_row is not None:
            check_bounds(s, file, limits)
    return scans


def _sheet_names(data: bytes) -> list[str]:
    """The worksheet and chart names of the BOUNDSHEET records, in order (for the messages)."""
    out, pos = [], 0
    while pos + 4 <= len(data):
        rtype, size = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if rtype == _BOUNDSHEET and len(body) >= 8:
            if body[5] != 0:  # not a worksheet (chart, macro sheet): it has no worksheet BOF either
                continue
            n, flags = body[6], body[7]
            raw = body[8 : 8 + (2 * n if flags & 1 else n)]
            out.append(raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace"))
        elif rtype == _EOF:
            break
    return out
