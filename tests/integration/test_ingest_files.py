"""Single files with awkward properties: .xls, huge used range, encrypted, HTML, unknown OPD, bad cells."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
from msoffcrypto.format.ooxml import OOXMLFile

from satudata.reading.ingest import ingest_file, ingest_round
from satudata.reference.settings import Settings
from tests.integration.messy_fixtures import make_catalogue, make_register

HERE = Path(__file__).parent


def _check_accounting(result) -> None:
    for entry in result.manifest["berkas"]:
        b = entry["baris"]
        assert b["dibaca"] == b["data"] + sum(b["struktur"].values()) + b["ditolak"], entry["berkas"]


def _ingest(path: Path, folder: str | None = None):
    result = ingest_file(path, "2024-03-01", make_register(), make_catalogue(), Settings(), folder_opd=folder)
    _check_accounting(result)
    return result


def _save(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_real_xls_with_merged_header(tmp_path):
    # test_ingest_sample.xls: written by LibreOffice (MS Excel 97 filter) from a workbook with
    # "OPD: Dinas Perhubungan" in A1, a two-row merged header (Tahun over 2022, 2023) and a note
    res = _ingest(HERE / "test_ingest_sample.xls")
    got = {
        (r.nama_elemen_asli, int(r.tahun)): (r.nilai, r.status, r.kode_elemen) for r in res.nilai.itertuples()
    }
    assert got == {
        ("Jumlah Terminal", 2022): (3.0, "ada", "DINHUB.01"),
        ("Jumlah Terminal", 2023): (4.0, "ada", "DINHUB.01"),
        ("Jumlah Halte", 2022): (1024.0, "ada", "DINHUB.02"),
        ("Jumlah Halte", 2023): (0.0, "nihil", "DINHUB.02"),
    }
    b = res.manifest["berkas"][0]["baris"]
    assert (b["data"], b["struktur"], b["kosong"]) == (2, {"judul": 1, "header": 2, "catatan": 1}, 1)
    assert res.manifest["berkas"][0]["kode_opd"] == "DINHUB"


def test_sheet_claiming_a_million_rows_stops_at_the_data(tmp_path):
    small = _save(tmp_path / "small.xlsx", [["Uraian", "Satuan", "2020"], ["Jumlah Bidan", "Orang", 5]])
    huge = tmp_path / "03_Dinkes_besar.xlsx"
    with zipfile.ZipFile(small) as zin, zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = re.sub(r'<dimension ref="[^"]+"/>', '<dimension ref="A1:Z1048576"/>', data.decode())
                xml = xml.replace("</sheetData>", '<row r="1048576"><c r="Z1048576" t="inlineStr"><is><t> </t>'
                                  "</is></c></row></sheetData>")  # fmt: skip
                data = xml.encode()
            zout.writestr(item, data)
    res = _ingest(huge)
    assert len(res.nilai) == 1 and res.nilai.iloc[0]["nilai"] == 5.0
    assert res.manifest["berkas"][0]["baris"]["dibaca"] == 2


def test_encrypted_corrupt_and_empty_files_are_issues_and_the_round_goes_on(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    # a workbook really encrypted with a password, as Excel does it (an OLE container, not a zip)
    plain = _save(tmp_path / "terbuka.xlsx", [["Uraian", "Satuan", "2020"], ["Jumlah Bidan", "Orang", 5]])
    with plain.open("rb") as src, (raw / "01_Dinkes_terkunci.xlsx").open("wb") as out:
        OOXMLFile(src).encrypt("rahasia", out)
    (raw / "02_Dinhub.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (raw / "03_kosong.xlsx").write_bytes(b"")
    (raw / "~$04_Dinkes.xlsx").write_bytes(b"lock file")
    _save(raw / "05_Dinkes.xlsx", [["Uraian", "Satuan", "2020"], ["Jumlah Bidan", "Orang", 5]])
    res = ingest_round(raw, "2024-03-01", make_register(), make_catalogue(), Settings())
    _check_accounting(res)
    codes = dict(zip(res.masalah["sumber_file"], res.masalah["kode_masalah"], strict=True))
    assert codes == {"01_Dinkes_terkunci.xlsx": "berkas_terkunci", "02_Dinhub.xls": "berkas_rusak",
                     "03_kosong.xlsx": "berkas_kosong"}  # fmt: skip
    assert [e["berkas"] for e in res.manifest["berkas"]] == [
        "01_Dinkes_terkunci.xlsx", "02_Dinhub.xls", "03_kosong.xlsx", "05_Dinkes.xlsx"]  # fmt: skip
    assert len(res.nilai) == 1 and res.nilai.iloc[0]["kode_elemen"] == "DINKES.02"
    assert "kata sandi" in res.masalah.iloc[0]["pesan"]


def test_unknown_opd_names_closest_entries(tmp_path):
    res = _ingest(_save(tmp_path / "kiriman.xlsx", [["OPD: Dinas Kesehatn Hewan"], ["Uraian", "Satuan", "2020"],
                                                    ["Jumlah Bidan", "Orang", 5]]))  # fmt: skip
    issue = res.masalah[res.masalah["kode_masalah"] == "opd_tidak_dikenal"].iloc[0]
    assert (
        issue["tingkat"] == "galat"
        and "DINKES" in issue["pesan"]
        and "Dinas Kesehatn Hewan" in issue["pesan"]
    )
    assert res.nilai["kode_opd"].isna().all() and not res.nilai["dihitung"].any() and len(res.nilai) == 1


def test_bad_cells_and_rows_are_issues_never_guesses(tmp_path):
    rows = [["Uraian", "Satuan", "2020", "2021"],
            ["Jumlah Bidan", "Orang", "12 orang", "1.234"],
            ["Jumlah Dokter Umum", "Orang", "abc", "1.2.3"],
            [None, None, 7, 8],
            ["Jumlah Puskesmas", "Unit", "1,234", 2]]  # fmt: skip
    res = _ingest(_save(tmp_path / "01_Dinkes.xlsx", rows))
    m = res.masalah
    invalid = m[m["kode_masalah"] == "nilai_tidak_valid"]
    assert sorted(zip(invalid["sumber_baris"], invalid["sumber_kolom"], strict=True)) == [
        (2, "C"), (3, "C"), (3, "D")]  # fmt: skip
    assert list(m.loc[m["kode_masalah"] == "label_kosong", "sumber_baris"]) == [4]
    ambiguous = m[m["kode_masalah"] == "angka_ambigu"]
    assert list(zip(ambiguous["sumber_baris"], ambiguous["sumber_kolom"], strict=True)) == [(5, "C")]
    b = res.manifest["berkas"][0]["baris"]
    assert (b["dibaca"], b["data"], b["ditolak"]) == (5, 2, 2)  # row 3: every cell invalid; row 4: no label
    got = {(r.nama_elemen_asli, int(r.tahun)): r.nilai for r in res.nilai.itertuples()}
    assert got == {
        ("Jumlah Bidan", 2021): 1234.0,
        ("Jumlah Puskesmas", 2020): 1.234,
        ("Jumlah Puskesmas", 2021): 2.0,
    }


def test_long_format_with_bad_year_and_html_entities(tmp_path):
    rows = [["Nama Elemen", "Tahun", "Nilai"], ["Jumlah Bidan", 2020, 5], ["Jumlah Bidan", "dua ribu", 6],
            ["Jumlah Bidan", "Tahun 2021", "7,5"]]  # fmt: skip
    res = _ingest(_save(tmp_path / "Dinkes.xlsx", rows))
    assert sorted(zip(res.nilai["tahun"], res.nilai["nilai"], strict=True)) == [(2020, 5.0), (2021, 7.5)]
    assert list(res.masalah.loc[res.masalah["kode_masalah"] == "tahun_tidak_valid", "sumber_baris"]) == [3]
    html = tmp_path / "Dinhub.xls"
    html.write_text("<table><tr><td>Uraian</td><td>2022</td></tr><tr><td>Jumlah&nbsp;Halte</td>"
                    "<td>1.024</td></tr></table>", encoding="utf-8")  # fmt: skip
    res = _ingest(html)
    assert res.nilai.iloc[0]["kode_elemen"] == "DINHUB.02" and res.nilai.iloc[0]["nilai"] == 1024.0
    assert list(res.masalah["kode_masalah"]) == ["berkas_html"]


def test_folder_names_the_opd_and_raw_is_untouched(tmp_path):
    raw = tmp_path / "raw" / "Dinas Perhubungan"
    raw.mkdir(parents=True)
    src = HERE / "test_ingest_sample.xls"
    shutil.copy(src, raw / "laporan.xls")
    wb = openpyxl.Workbook()
    wb.active.append(["Uraian", "2023"])
    wb.active.append(["Jumlah Halte", 12])
    wb.save(raw / "tanpa_opd.xlsx")
    before = sorted((p.name, p.stat().st_mtime_ns) for p in raw.iterdir())
    res = ingest_round(tmp_path / "raw", "2024-03-01", make_register(), make_catalogue(), Settings())
    assert sorted((p.name, p.stat().st_mtime_ns) for p in raw.iterdir()) == before
    by_file = {e["berkas"]: e["kode_opd"] for e in res.manifest["berkas"]}
    assert by_file == {
        "Dinas Perhubungan/laporan.xls": "DINHUB",
        "Dinas Perhubungan/tanpa_opd.xlsx": "DINHUB",
    }
    assert res.nilai["dihitung"].all() and len(res.nilai) == 5


def test_date_cell_is_an_issue_that_says_why(tmp_path):
    import datetime

    res = _ingest(_save(tmp_path / "Dinkes.xlsx", [["Uraian", "2020", "2021"],
                                                  ["Jumlah Bidan", datetime.datetime(2020, 5, 1), 4]]))  # fmt: skip
    issue = res.masalah[res.masalah["kode_masalah"] == "nilai_tidak_valid"].iloc[0]
    assert (issue["sumber_baris"], issue["sumber_kolom"]) == (2, "B") and "tanggal" in issue["pesan"]
    assert list(res.nilai["nilai"]) == [4.0]


def test_workbook_with_only_empty_sheets_and_opd_from_title(tmp_path):
    wb = openpyxl.Workbook()
    wb.create_sheet("Kosong2")
    wb.save(tmp_path / "kosong.xlsx")
    res = _ingest(tmp_path / "kosong.xlsx")
    assert list(res.masalah["kode_masalah"]) == ["berkas_kosong"] and len(res.nilai) == 0
    titled = _save(
        tmp_path / "kiriman.xlsx", [["Laporan", "Dinas Perhubungan"], ["Uraian", "2022"], ["Jumlah Halte", 3]]
    )
    res = _ingest(titled)
    assert (
        res.manifest["berkas"][0]["kode_opd"] == "DINHUB" and res.nilai.iloc[0]["kode_elemen"] == "DINHUB.02"
    )


def test_sheet_without_header_is_rejected_but_reference_sheet_is_skipped(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    for row in (["Uraian", "2022"], ["Jumlah Bidan", 4]):
        wb.active.append(row)
    ref = wb.create_sheet("Referensi")
    for row in ([1, "Dinas Kesehatan"], [2, "Dinas Perhubungan"]):
        ref.append(row)
    loose = wb.create_sheet("Lain")
    for row in (["Bidan", 4, 5], ["Dokter", 6, 7], ["catatan bebas"]):
        loose.append(row)
    wb.save(tmp_path / "Dinkes.xlsx")
    res = _ingest(tmp_path / "Dinkes.xlsx")
    codes = dict(zip(res.masalah["sumber_sheet"], res.masalah["kode_masalah"], strict=True))
    # a reference sheet is noted in the manifest, not reported as an issue
    assert codes == {"Lain": "tabel_tidak_dikenali"}
    assert any("'Referensi'" in note for note in res.manifest["berkas"][0]["catatan"])
    b = res.manifest["berkas"][0]["baris"]
    assert (b["data"], b["ditolak"], b["struktur"]) == (1, 3, {"header": 1, "sheet_dilewati": 2})


def test_xml_spreadsheet_2003_saved_as_xls(tmp_path):
    xml = """<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="Data">
  <Table>
   <Row><Cell><Data ss:Type="String">OPD: Dinas Perhubungan</Data></Cell></Row>
   <Row ss:Index="3"><Cell ss:MergeDown="1"><Data ss:Type="String">Uraian</Data></Cell>
    <Cell ss:MergeAcross="1"><Data ss:Type="String">Tahun</Data></Cell></Row>
   <Row><Cell ss:Index="2"><Data ss:Type="Number">2022</Data></Cell><Cell><Data ss:Type="Number">2023</Data></Cell></Row>
   <Row><Cell><Data ss:Type="String">Jumlah Halte</Data></Cell><Cell><Data ss:Type="Number">12.5</Data></Cell>
    <Cell><Data ss:Type="String">1.024</Data></Cell></Row>
  </Table>
 </Worksheet>
</Workbook>"""
    (tmp_path / "export.xls").write_text(xml, encoding="utf-8")
    res = _ingest(tmp_path / "export.xls")
    got = {(int(r.tahun), r.sumber_kolom, int(r.sumber_baris)): r.nilai for r in res.nilai.itertuples()}
    assert got == {(2022, "B", 5): 12.5, (2023, "C", 5): 1024.0}
    assert set(res.nilai["kode_elemen"]) == {"DINHUB.02"} and list(res.masalah["kode_masalah"]) == [
        "format_lama"
    ]
