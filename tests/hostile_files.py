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
