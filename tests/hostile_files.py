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


# ---------------------------------------------------------------------------------------------------------------
# The bad-input corpus: every hostile or broken file of issue 15 and before, next to good files, in one round.

XML_HEAD = ('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Data"><Table>')  # fmt: skip
XML_TAIL = "</Table></Worksheet></Workbook>"
SAMPLE_XLS = Path(__file__).resolve().parent / "integration" / "test_ingest_sample.xls"


def many_sheets(path: Path, n: int = 500) -> Path:
    """An ``.xlsx`` with ``n`` empty sheets."""
    sheets = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, n + 1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))  # fmt: skip
    empty = ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
             'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB.replace('<sheet name="{name}" sheetId="1" r:id="rId1"/>', sheets))
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS.replace(_WB_RELS[_WB_RELS.index("<Relationship "):
                                                                           _WB_RELS.index("</Relationships>")], rels))  # fmt: skip
        for i in range(1, n + 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", empty)
    return path


def hostile_corpus(raw: Path, outside: Path) -> tuple[dict[str, set[str]], list[tuple[str, float]]]:
    """Write the corpus into the round folder ``raw`` (``outside``: a folder outside it, for the symlinks).

    Returns the issue codes each bad file must get and the (file, value) pairs the good files hold
    (the test catalogue's Jumlah Bidan of Dinkes, 2020). Unreadable-file permissions cannot be set up as
    root; the test that uses this corpus simulates them.
    """
    raw.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    expected: dict[str, set[str]] = {}
    good: list[tuple[str, float]] = []
    table = good_table()
    # good files, some awkward
    xlsx(raw / "01_Dinkes.xlsx", table)
    good.append(("01_Dinkes.xlsx", 5.0))
    xlsx(raw / "02_Dinkes_kendali.xlsx", [row(1, text("A1", "OPD: Dinkes\x01")), *table[1:2],
                                          row(3, text("A3", "Jumlah Bidan\x00"), text("B3", "Orang"), num("C3", 6))])  # fmt: skip
    good.append(("02_Dinkes_kendali.xlsx", 6.0))
    (raw / "03_Dinkes_campur.csv").write_bytes(b"OPD: Dinkes\nUraian;Satuan;2020\n" + "Jumlah Bidan;Orang (\u00e9);7\n"
                                               .encode() + "Catatan: d\u00e9sa\n".encode("cp1252"))  # fmt: skip
    good.append(("03_Dinkes_campur.csv", 7.0))
    expected["03_Dinkes_campur.csv"] = {"encoding_campuran"}
    (raw / "04_Dinkes_web.xls").write_text("<html><body><p>OPD: Dinkes</p><table><tr><td>OPD: Dinkes</td></tr>"
                                           "<tr><td>Uraian</td><td>Satuan</td><td>2020</td></tr><tr><td>Jumlah Bidan"
                                           "</td><td>Orang</td><td>8</td></tr></table></body></html>")  # fmt: skip
    good.append(("04_Dinkes_web.xls", 8.0))
    expected["04_Dinkes_web.xls"] = {"berkas_html"}
    ods(raw / "05_Dinkes.ods", [*good_ods_rows()[:2], ods_row(ods_cell("Jumlah Bidan"), ods_cell("Orang"),
                                                               ods_cell(9.0)), good_ods_rows()[3]])  # fmt: skip
    good.append(("05_Dinkes.ods", 9.0))
    rlo = "06_Dinkes_\u202exslx.csv"  # a right-to-left override in the name
    (raw / rlo).write_text("OPD: Dinkes\nUraian,Satuan,2020\nJumlah Bidan,Orang,10\n", encoding="utf-8")
    good.append((rlo, 10.0))
    xlsx(raw / "07_Dinkes_rumus.xlsx", table + [row(4, text("A4", "Jumlah Bidan"), '<c r="C4" t="e"><f>C3/0</f>'
                                                '<v>#DIV/0!</v></c>'), row(5, '<c r="C5"><f>SUM(C3:C4)</f></c>')])  # fmt: skip
    good.append(("07_Dinkes_rumus.xlsx", 5.0))
    expected["07_Dinkes_rumus.xlsx"] = {"sel_galat_rumus", "rumus_tanpa_nilai"}
    xlsx(raw / "08_Dinkes_jarak.xlsx", table + [row(1048576, num("C1048576", 9))])
    good.append(("08_Dinkes_jarak.xlsx", 5.0))
    expected["08_Dinkes_jarak.xlsx"] = {"baris_setelah_kosong"}
    # bad files: refused before allocating, or not readable at all
    xlsx(raw / "10_jauh.xlsx", table + [row(1048576, num("XFD1048576", 2))])
    expected["10_jauh.xlsx"] = {"berkas_terlalu_besar"}
    xlsx(raw / "11_bom_zip.xlsx", table, extra={"xl/media/kosong.bin": b"\0" * (5 * 1024**2)})
    expected["11_bom_zip.xlsx"] = {"berkas_terlalu_besar"}
    (raw / "12_indeks.xls").write_text(XML_HEAD + '<Row ss:Index="20000000"><Cell><Data ss:Type="Number">1</Data>'
                                       "</Cell></Row>" + XML_TAIL)  # fmt: skip
    expected["12_indeks.xls"] = {"berkas_terlalu_besar"}
    (raw / "13_colspan.xls").write_text('<html><table><tr><td colspan="20000000">x</td></tr></table></html>')
    expected["13_colspan.xls"] = {"berkas_terlalu_besar"}
    ods(raw / "14_ulang.ods", [ods_row(ods_cell(1.0, repeat=16_000), repeat=1_000_000)])
    expected["14_ulang.ods"] = {"berkas_terlalu_besar"}
    (raw / "15_satu_baris.csv").write_text("1," * 5 * 1024**2)  # 10 MB on one line
    expected["15_satu_baris.csv"] = {"berkas_terlalu_besar"}
    with (raw / "16_besar.csv").open("wb") as fh:  # 65 MB, sparse: refused by its size alone
        fh.write(b"Uraian;2020\n")
        fh.truncate(65 * 1024**2)
    expected["16_besar.csv"] = {"berkas_terlalu_besar"}
    (raw / "17_kosong.xlsx").write_bytes(b"")
    expected["17_kosong.xlsx"] = {"berkas_kosong"}
    whole = (raw / "01_Dinkes.xlsx").read_bytes()
    (raw / "18_terpotong.xlsx").write_bytes(whole[: len(whole) // 2])
    expected["18_terpotong.xlsx"] = {"berkas_rusak"}
    (raw / "19_terkunci.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    expected["19_terkunci.xlsx"] = {"berkas_terkunci"}
    many_sheets(raw / "20_500_sheet.xlsx")
    expected["20_500_sheet.xlsx"] = {"berkas_kosong"}
    (raw / "21_nul.csv").write_bytes(b"Uraian;2020\n\0\0\0\x01\x02" * 300)
    expected["21_nul.csv"] = {"berkas_rusak"}
    (raw / "09_Dinkes_utf16.csv").write_bytes("OPD: Dinkes\nUraian;Satuan;2020\nJumlah Bidan;Orang;11\n".encode("utf-16-le"))
    good.append(("09_Dinkes_utf16.csv", 11.0))
    expected["09_Dinkes_utf16.csv"] = {"encoding_bukan_utf8"}
    (raw / "22_dokumen.pdf").write_bytes(b"%PDF-1.4\n")
    expected["22_dokumen.pdf"] = {"format_tidak_didukung"}
    (outside / "passwd.csv").write_text("root;x;0;0\n")
    (raw / "23_tautan.csv").symlink_to(outside / "passwd.csv")
    expected["23_tautan.csv"] = {"tautan_simbolik"}
    (raw / "24_folder_tautan").symlink_to(outside, target_is_directory=True)
    expected["24_folder_tautan"] = {"tautan_simbolik"}
    xlsx(raw / "25_tidak_terbaca.xlsx", table)  # the test makes it unreadable
    expected["25_tidak_terbaca.xlsx"] = {"berkas_tidak_terbaca"}
    return expected, good


# --- big sources as SIPD gives them (issue 26): real content, any size -----------------------------------------

_URUSAN = [("1.01", "Pendidikan"), ("1.02", "Kesehatan"), ("1.03", "Pekerjaan Umum dan Penataan Ruang"),
           ("2.07", "Administrasi Kependudukan"), ("2.09", "Ketahanan Pangan"), ("3.25", "Pertanian")]  # fmt: skip
_WHAT = [("Jumlah sekolah dasar", 0, "Unit"), ("Jumlah guru sekolah dasar", 0, "Orang"),
         ("Angka partisipasi murni SMP", 0, "Persen"), ("Jumlah puskesmas", 1, "Unit"),
         ("Jumlah tenaga kesehatan", 1, "Orang"), ("Cakupan imunisasi dasar lengkap", 1, "Persen"),
         ("Panjang jalan kabupaten kondisi baik", 2, "Km"), ("Jumlah penduduk menurut kelompok umur", 3, "Jiwa"),
         ("Ketersediaan beras", 4, "Ton"), ("Luas panen padi sawah", 5, "Ha"), ("Produksi jagung", 5, "Ton")]  # fmt: skip
_WHERE = ["Kecamatan", "Desa", "Kelurahan", "Kabupaten"]


def _indicator(i: int) -> tuple[str, str, str, str]:
    """(code, name, unit, urusan) of the i-th indicator of a provincial dump: codes and names never repeat."""
    what, u, unit = _WHAT[i % len(_WHAT)]
    kode_urusan, urusan = _URUSAN[u]
    return f"{kode_urusan}.{i:06d}", f"{what} di {_WHERE[i % len(_WHERE)]} ke-{i // 44 + 1}", unit, urusan


def _value(rng, i: int) -> str:
    """A value as e-Walidata and SIPD write them: Indonesian numbers, now and then nihil or not available."""
    k = i % 50
    if k == 7:
        return "-"
    if k == 19:
        return "..."
    if k % 3 == 0:
        return f"{rng.randint(1, 999)},{rng.randint(0, 99):02d}"
    return f"{rng.randint(1, 9_999_999):,}".replace(",", ".")


def ewalidata_json(path: Path, size: int, years: tuple[int, ...] = (2021, 2022, 2023), seed: int = 26) -> dict:
    """An e-Walidata JSON of at least ``size`` bytes (``{"status": true, "data": [records]}``, one record per
    indicator and year, the shape :func:`satudata.sources.ewalidata.read_ewalidata` reads), written in chunks.
    Returns {"bytes", "records"}."""
    import json
    import random

    rng = random.Random(seed)
    records = written = i = 0
    with path.open("w", encoding="utf-8") as fh:
        written += fh.write('{"status": true, "message": "Berhasil mengambil data", "data": [')
        separator = ""
        while written < size:
            chunk = []
            for _ in range(2000):
                code, name, unit, urusan = _indicator(i)
                for year in years:
                    chunk.append(json.dumps({
                        "kodeindikator": code, "uraian_indikator": name, "satuan": unit, "bidangurusan": urusan,
                        "tahun": str(year), "data": _value(rng, records),
                        "status_verifikasi_walidata": "Terverifikasi" if records % 4 else "Belum Diverifikasi",
                        "lastupdate": f"2024-0{1 + records % 3}-{1 + records % 28:02d} {records % 24:02d}:15:00"},
                        ensure_ascii=False))  # fmt: skip
                    records += 1
                i += 1
            written += fh.write(separator + ", ".join(chunk))
            separator = ", "
        written += fh.write("]}")
    return {"bytes": path.stat().st_size, "records": records}


def dssd_xlsx(path: Path, size: int, years: tuple[int, ...] = tuple(range(2019, 2025)), seed: int = 26) -> dict:
    """A SIPD DSSD export (``kode_dssd | uraian_dssd | satuan | definisi_operasional | data_2019 ... data_2024``,
    one row per element, the shape :func:`satudata.reading.dssd.read_dssd` reads) of at least ``size`` bytes as
    stored: a one-sheet ``.xlsx`` (inline strings), its sheet streamed into the zip until the file is that big.
    Returns {"bytes", "rows"} (element rows)."""
    import random

    rng = random.Random(seed)
    letters = [chr(ord("A") + j) for j in range(4 + len(years))]
    header = ["kode_dssd", "uraian_dssd", "satuan", "definisi_operasional", *(f"data_{y}" for y in years)]
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + row(1, *(text(f"{c}1", h) for c, h in zip(letters, header, strict=True))))  # fmt: skip
    words = ["banyaknya", "jumlah", "total", "seluruh", "yang", "tercatat", "terdaftar", "aktif", "pada", "akhir",
             "tahun", "berjalan", "menurut", "laporan", "dinas", "sumber", "data", "hasil", "pendataan", "lapangan",
             "sarana", "prasarana", "kondisi", "baik", "rusak", "ringan", "berat", "dibagi", "dikali", "seratus",
             "persen", "penduduk", "usia", "sekolah"]  # fmt: skip
    rows = 0
    with path.open("wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB.format(name="Sheet1"))
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(head.encode())
            while raw.tell() < size:
                chunk = []
                for _ in range(5000):
                    r = rows + 2
                    code, name, unit, _ = _indicator(rows)
                    definition = " ".join(rng.choices(words, k=rng.randint(8, 24))).capitalize() + "."
                    cells = [text(f"A{r}", code), text(f"B{r}", name), text(f"C{r}", unit), text(f"D{r}", definition)]
                    cells += [text(f"{c}{r}", _value(rng, rows * len(years) + j))
                              for j, c in enumerate(letters[4:])]  # fmt: skip
                    chunk.append(row(r, *cells))
                    rows += 1
                sheet.write("".join(chunk).encode())
            sheet.write(b"</sheetData></worksheet>")
    return {"bytes": path.stat().st_size, "rows": rows}
