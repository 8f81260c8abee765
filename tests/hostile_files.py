"""Small hostile or awkward submissions built byte by byte (a cell far away, a zip bomb, error values)."""

from __future__ import annotations

import zipfile
from pathlib import Path

_CT = ('<?xml version="1.0" encoding="UTF-8"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')  # fmt: skip
_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')  # fmt: skip
_WB = ('<?xml version="1.0" encoding="UTF-8"?>'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>')  # fmt: skip
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')  # fmt: skip


def num(ref: str, value: float) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


def text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def row(r: int, *cells: str) -> str:
    return f'<row r="{r}">' + "".join(cells) + "</row>"


def xlsx(path: Path, rows: list[str], sheet: str = "Data", dimension: str | None = None,
         extra: dict[str, bytes] | None = None) -> Path:  # fmt: skip
    """A minimal ``.xlsx`` with one sheet whose ``<sheetData>`` holds ``rows`` (XML strings)."""
    body = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + (f'<dimension ref="{dimension}"/>' if dimension else "")
            + "<sheetData>" + "".join(rows) + "</sheetData></worksheet>")  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB.format(name=sheet))
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", body)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def good_table(opd: str = "Dinkes") -> list[str]:
    """A plain table the test catalogue knows: Jumlah Bidan (Dinkes), 2020 = 5."""
    return [row(1, text("A1", f"OPD: {opd}")), row(2, text("A2", "Uraian"), text("B2", "Satuan"), text("C2", "2020")),
            row(3, text("A3", "Jumlah Bidan"), text("B3", "Orang"), num("C3", 5))]  # fmt: skip


_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?>'
                 '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                 'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="'
                 + _ODS_MIME + '"/><manifest:file-entry manifest:full-path="content.xml" '
                 'manifest:media-type="text/xml"/></manifest:manifest>')  # fmt: skip


def ods_cell(value: float | str | None = None, repeat: int = 1) -> str:
    """An ODS cell (a number, a text, or empty), ``repeat`` times."""
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if value is None:
        return f"<table:table-cell{rep}/>"
    if isinstance(value, str):
        return f'<table:table-cell{rep} office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    return f'<table:table-cell{rep} office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'


def ods_row(*cells: str, repeat: int = 1) -> str:
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rep}>" + "".join(cells) + "</table:table-row>"


def ods(path: Path, rows: list[str], sheet: str = "Data") -> Path:
    """A minimal ``.ods`` with one table of ``rows`` (XML strings from :func:`ods_row`)."""
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{sheet}">'
               + "".join(rows) + "</table:table></office:spreadsheet></office:body></office:document-content>")  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIME)  # stored, first, as the format asks
        z.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        z.writestr("content.xml", content)
    return path


def good_ods_rows(opd: str = "Dinkes") -> list[str]:
    """:func:`good_table` as ODS rows, with LibreOffice's empty filler rows down to row 1,048,576."""
    return [ods_row(ods_cell(f"OPD: {opd}")), ods_row(ods_cell("Uraian"), ods_cell("Satuan"), ods_cell("2020")),
            ods_row(ods_cell("Jumlah Bidan"), ods_cell("Orang"), ods_cell(5.0), ods_cell(None, 1021)),
            ods_row(ods_cell(None, 1024), repeat=1048573)]  # fmt: skip


def xls_far_cell(source: Path, path: Path, row: int = 65535, col: int = 255) -> Path:
    """A copy of the BIFF ``.xls`` ``source`` whose first NUMBER or LABELSST cell is moved to (``row``, ``col``)
    (0-based): the stream keeps its size, so the OLE container is rewritten in place."""
    import shutil
    import struct

    import olefile

    shutil.copyfile(source, path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        pos = 0
        while pos + 4 <= len(data):
            rtype, size = struct.unpack_from("<HH", data, pos)
            if rtype in (0x0203, 0x00FD):
                struct.pack_into("<HH", data, pos + 4, row, col)
                break
            pos += 4 + size
        else:
            raise ValueError(f"{source} has no NUMBER or LABELSST record")
        ole.write_stream("Workbook", bytes(data))
    return path
