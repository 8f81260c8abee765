"""Checks on a zipped workbook (``.xlsx``, ``.xlsm``, ``.ods``, ``.xlsb``) before the workbook reader opens it.

The workbook reader (calamine) decompresses whole parts and allocates every sheet's full rectangle
(first to last non-empty cell), so a 2 KB file with one value in ``XFD1048576`` or a zip bomb would
exhaust memory. Here the zip directory is checked (total uncompressed size, compression ratio of
each big part), and each worksheet of an ``.xlsx``/``.xlsm`` is streamed once to find the rectangle
its cells span, the cells whose cached value is an error (``#REF!``, ``#DIV/0!``, ...) and the
formulas saved without a value, which calamine would all show as empty cells.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from satudata.formats.read_errors import ReadError, ReadProblem, column_letter, number, too_big
from satudata.formats.read_limits import ReadLimits

GALAT, PERINGATAN = "galat", "peringatan"
_CHUNK = 8 * 1024**2
_MAX_PENDING = 64 * 1024**2  # one row's XML bigger than this is not a real sheet
_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix
# a cell holding a value (``<v>`` or inline ``<is>``, possibly after its formula); empty cells are not read
_VALUE_CELL = re.compile(
    rb"<" + _P + rb"c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"[^>]*(?<!/)>\s*"
    rb"(?:<" + _P + rb"f\b[^>]*?(?:/>|>[^<]*</" + _P + rb"f>)\s*)?<" + _P + rb"(?:v|is)\b"
)
_REF = re.compile(rb"\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet\b")
_ROW_CLOSE = re.compile(rb"</" + _P + rb"\Z")
_CELL_TAG = re.compile(rb"<" + _P + rb"c\s([^>]*)>")
_FORMULA_TAG = re.compile(rb"<" + _P + rb"f\b")


@functools.cache
def _row_tag(prefix: bytes) -> re.Pattern:
    """``<row ...>`` with the sheet's namespace prefix: a literal start keeps the search fast."""
    return re.compile(re.escape(b"<" + prefix + b"row") + rb"\b([^>]*)>")
_V = re.compile(rb"(?:\s*<" + _P + rb"f\b[^>]*?(?:/>|>[^<]*</" + _P + rb"f>))?\s*<" + _P + rb"v>([^<]*)</")
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb"([\w:]+)=\"([^\"]*)\"")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


def column_index(letters: str) -> int:
    """0-based index of Excel column letters (A -> 0, XFD -> 16383)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


@dataclass
class SheetScan:
    """What one worksheet's XML holds: the rectangle of its value cells and the cells worth an issue."""

    name: str
    min_row: int | None = None  # 1-based Excel rows
    max_row: int | None = None
    min_col: int | None = None  # 0-based columns
    max_col: int | None = None
    problems: list[ReadProblem] = field(default_factory=list)
    prefix: bytes | None = None  # the namespace prefix of the sheet's tags (b"" for none)
    _counts: dict[str, int] = field(default_factory=dict)

    @property
    def cells(self) -> int:
        if self.min_row is None or self.min_col is None:
            return 0
        return (self.max_row - self.min_row + 1) * (self.max_col - self.min_col + 1)


def check_zip(path: Path, limits: ReadLimits) -> None:
    """Refuse a zip whose parts would decompress to too much (``berkas_terlalu_besar``); a file that
    is not a readable zip is left to the workbook reader, which says it is damaged."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes:
        raise too_big(path.name, "ukuran isi setelah dibuka (byte)", total, "max_unzipped_bytes",
                      limits.max_unzipped_bytes)  # fmt: skip
    for i in infos:
        if i.file_size > limits.zip_ratio_min_bytes:
            ratio = i.file_size // max(i.compress_size, 1)
            if ratio > limits.max_zip_ratio:
                raise too_big(path.name, f"rasio pemadatan bagian {i.filename}", ratio, "max_zip_ratio",
                              limits.max_zip_ratio,
                              "Berkas ini tampak seperti bom zip; simpan ulang dengan Excel lalu kirim ulang.")  # fmt: skip


def _attrs(tag: bytes) -> dict[str, str]:
    return {k.decode().split(":")[-1]: html.unescape(v.decode("utf-8", "replace")) for k, v in _ATTR.findall(tag)}


def _worksheet_parts(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) of every sheet listed in the workbook, in workbook order."""
    names = set(z.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return []
    targets = {}
    for tag in _REL_TAG.findall(z.read("xl/_rels/workbook.xml.rels")):
        a = _attrs(tag)
        target = a.get("Target", "")
        targets[a.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))  # fmt: skip
    out = []
    for tag in _SHEET_TAG.findall(z.read("xl/workbook.xml")):
        a = _attrs(tag)
        member = targets.get(a.get("id"))
        if member in names:
            out.append((a.get("name", member), member))
    return out


def scan_xlsx(path: Path, limits: ReadLimits) -> list[SheetScan]:
    """Stream every worksheet of an ``.xlsx``/``.xlsm``; raise ``berkas_terlalu_besar`` when one spans
    more rows, columns or cells than the limits (before the workbook reader allocates it).

    A first pass takes each row's first and last cell, which is quick but counts empty formatted
    cells too; only when that rectangle is past the limits does a second, exact pass look at the
    cells holding a value (the ones the workbook reader keeps).
    """
    try:
        with zipfile.ZipFile(path) as z:
            scans = []
            for name, member in _worksheet_parts(z):
                scan = SheetScan(name)
                with z.open(member) as fh:
                    for part in _parts(fh, scan.name, path.name):
                        _rough_part(part, scan, path.name, limits)
                if _past(scan, limits):
                    exact = SheetScan(name)
                    with z.open(member) as fh:
                        for part in _parts(fh, scan.name, path.name):
                            _exact_part(part, exact)
                    check_bounds(exact, path.name, limits)
                scans.append(scan)
            return scans
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError):
        return []  # not a readable zip (or a damaged part): the workbook reader reports it


def _parts(fh: object, sheet: str, file: str) -> Iterator[bytes]:
    """The sheet's XML in pieces of whole rows."""
    pending = b""
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            if pending:
                yield pending
            return
        data = pending + chunk
        cut = _last_row_end(data)
        if cut < 0:
            if len(data) > _MAX_PENDING:
                raise too_big(file, f"panjang satu baris XML di lembar kerja '{sheet}' (byte)", len(data), "_MAX_PENDING",
                              _MAX_PENDING)  # fmt: skip
            pending = data
            continue
        data, pending = data[: cut + 4], data[cut + 4 :]
        yield data


def _last_row_end(data: bytes) -> int:
    """Where the last ``</row>`` (any prefix) of ``data`` starts its ``row>``, or -1."""
    cut = data.rfind(b"row>")
    while cut >= 0 and not _ROW_CLOSE.search(data, max(0, cut - 40), cut):
        cut = data.rfind(b"row>", 0, cut)
    return cut


def _bound(scan: SheetScan, lo_r: int, hi_r: int, lo_c: int, hi_c: int) -> None:
    scan.min_row = lo_r if scan.min_row is None else min(scan.min_row, lo_r)
    scan.max_row = hi_r if scan.max_row is None else max(scan.max_row, hi_r)
    scan.min_col = lo_c if scan.min_col is None else min(scan.min_col, lo_c)
    scan.max_col = hi_c if scan.max_col is None else max(scan.max_col, hi_c)


def _column_range(letters: list[bytes] | set[bytes]) -> tuple[int, int]:
    """The first and last column index among column letters (shorter letters come first)."""
    lengths = set(map(len, letters))
    lo, hi = min(lengths), max(lengths)
    return (column_index(min(c for c in letters if len(c) == lo).decode()),
            column_index(max(c for c in letters if len(c) == hi).decode()))  # fmt: skip


def _past(scan: SheetScan, limits: ReadLimits) -> bool:
    return scan.min_row is not None and (
        scan.max_row > limits.max_rows or scan.max_col + 1 > limits.max_columns or scan.cells > limits.max_cells
    )


def _rough_part(data: bytes, scan: SheetScan, file: str, limits: ReadLimits) -> None:
    """Bounds from each row's first and last cell reference (empty formatted cells included)."""
    if scan.prefix is None:
        root = _ROOT.search(data)
        scan.prefix = (root.group(1) or b"") if root else b""
    pre = scan.prefix
    rows, cols = [], []
    for m in _row_tag(pre).finditer(data):
        if m.group(1).endswith(b"/"):
            continue
        start = m.end()
        end = data.find(b"row>", start)
        end = len(data) if end < 0 else end
        first = _REF.search(data, start, end)
        if first is None:
            continue
        last = _REF.match(data, data.rfind(b' r="', start, end) + 1) or first
        rows += (int(first.group(2)), int(last.group(2)))
        cols += (first.group(1), last.group(1))
    if rows:
        _bound(scan, min(rows), max(rows), *_column_range(cols))
    pos = data.find(b't="e"')
    while pos >= 0:  # cells whose cached value is an error
        tag = _CELL_TAG.match(data, data.rfind(b"<", 0, pos))
        if tag and tag.end() > pos:
            v = _V.match(data, tag.end())
            _cell_problem(scan, file, tag.group(1), v.group(1).decode("utf-8", "replace") if v else "#?", limits)
        pos = data.find(b't="e"', pos + 5)
    cell_end = b"</" + pre + b"c>"
    for closing in (b"</" + pre + b"f>" + cell_end, b"/>" + cell_end):  # a formula ending its cell: no value
        pos = data.find(closing)
        while pos >= 0:
            start = data.rfind(b"<", 0, pos if closing.startswith(b"</") else pos + 1)
            if _FORMULA_TAG.match(data, start) or closing.startswith(b"</"):
                tag = _CELL_TAG.match(data, data.rfind(b"<", 0, start))
                if tag:
                    _cell_problem(scan, file, tag.group(1), None, limits)
            pos = data.find(closing, pos + len(closing))
    # a formula followed by an empty value (``<f>A1*2</f><v></v>``, as openpyxl saves a formula it cannot
    # compute): no value either, unless the cell says its value is text (``t="str"``: Excel's empty result "")
    for empty in (b"<" + pre + b"v></" + pre + b"v>" + cell_end, b"<" + pre + b"v/>" + cell_end):
        pos = data.find(empty)
        while pos >= 0:
            before = data.rfind(b"<", 0, pos)
            start = data.rfind(b"<", 0, before) if data.startswith(b"</", before) else before
            if _FORMULA_TAG.match(data, start):
                tag = _CELL_TAG.match(data, data.rfind(b"<", 0, start))
                if tag and b't="str"' not in tag.group(1):
                    _cell_problem(scan, file, tag.group(1), None, limits)
            pos = data.find(empty, pos + len(empty))


def _exact_part(data: bytes, scan: SheetScan) -> None:
    """Bounds from the cells holding a value, as the workbook reader keeps them."""
    refs = _VALUE_CELL.findall(data)
    if refs:
        rows = [int(r) for r in {r for _, r in refs}]
        _bound(scan, min(rows), max(rows), *_column_range({c for c, _ in refs}))


def check_bounds(scan: SheetScan, file: str, limits: ReadLimits) -> None:
    """Refuse a sheet whose rectangle passes ``max_rows``, ``max_columns`` or ``max_cells``."""
    where = f"lembar kerja '{scan.name}'"
    if scan.max_row > limits.max_rows:
        raise too_big(file, f"nomor baris terakhir di {where}", scan.max_row, "max_rows", limits.max_rows)
    if scan.max_col + 1 > limits.max_columns:
        raise too_big(file, f"jumlah kolom di {where}", scan.max_col + 1, "max_columns", limits.max_columns)
    if scan.cells > limits.max_cells:

        span = (f"{column_letter(scan.min_col)}{scan.min_row}:{column_letter(scan.max_col)}{scan.max_row}")
        raise too_big(file, f"luas rentang sel {span} di {where} (baris x kolom)", scan.cells, "max_cells",
                      limits.max_cells,
                      f"Ada isi jauh di luar tabel (sampai sel {column_letter(scan.max_col)}{scan.max_row}); "
                      "hapus isi sel di luar tabel, simpan ulang, lalu kirim ulang.")  # fmt: skip


def _cell_problem(scan: SheetScan, file: str, attrs: bytes, error: str | None, limits: ReadLimits) -> None:
    m = _REF.search(attrs)
    if not m:
        return
    letters, row = m.group(1).decode(), int(m.group(2))
    code = "sel_galat_rumus" if error is not None else "rumus_tanpa_nilai"
    n = scan._counts[code] = scan._counts.get(code, 0) + 1
    if n > limits.max_cell_problems:
        return
    where = f"Berkas {file}, lembar kerja '{scan.name}', sel {letters}{row}"
    if error is not None:
        message = (f"{where}: rumus menghasilkan galat {error}, sehingga sel terbaca kosong. Perbaiki rumusnya "
                   "(atau tulis nilainya langsung) lalu kirim ulang.")  # fmt: skip
        scan.problems.append(ReadProblem(code, GALAT, scan.name, row, letters, message))
    else:
        message = (f"{where}: berisi rumus tanpa nilai tersimpan (dibuat aplikasi yang tidak menghitung rumus), "
                   "sehingga nilainya tidak terbaca. Buka dan simpan ulang di Excel atau LibreOffice, lalu kirim "
                   "ulang.")  # fmt: skip
        scan.problems.append(ReadProblem(code, PERINGATAN, scan.name, row, letters, message))


def summary_problems(scan: SheetScan, file: str, limits: ReadLimits) -> list[ReadProblem]:
    """One more issue per kind when a sheet has more such cells than ``max_cell_problems``."""
    out = []
    for code, n in scan._counts.items():
        if n > limits.max_cell_problems:
            what = "berisi galat rumus" if code == "sel_galat_rumus" else "berisi rumus tanpa nilai tersimpan"
            out.append(ReadProblem(code, GALAT if code == "sel_galat_rumus" else PERINGATAN, scan.name, None, None,
                                   f"Berkas {file}, lembar kerja '{scan.name}': {number(n - limits.max_cell_problems)} "
                                   f"sel lain juga {what} (hanya {limits.max_cell_problems} pertama yang disebut "
                                   "satu per satu). Perbaiki lalu kirim ulang."))  # fmt: skip
    return out


__all__ = ["ReadError", "SheetScan", "check_zip", "column_index", "scan_xlsx", "summary_problems"]
