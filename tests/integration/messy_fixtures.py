"""Generator of a round of messy submissions with known contents (the truth), for ingestion tests.

``build_round(dest)`` writes the files below into ``dest`` and returns a :class:`Truth`: the register,
a tiny catalogue, and every value written (file, label as written, element code, year, value,
status), so that a test can compare what ingestion recovers cell by cell.

Shapes covered: title rows and an instruction sheet (01), OPD in a cell plus a two-row merged header and
Indonesian text numbers (02), a three-row merged header, a column-number row, BPS symbols, sections,
subtotals and an all-nil row (03), long format with codes (04), a semicolon CSV with ``Tahun 2020``
headers (05), a cp1252 CSV with quoted commas and the cp1252 en dash (06), a UTF-8 BOM CSV with
``Rp`` and ``%`` (07), a tab-separated TXT (08), an ``.ods`` with ``2019*`` headers (09), typos,
abbreviations, an element of another OPD and one not owed (10), an HTML table saved as ``.xls``
(11), a workbook with an OPD column and notes (12), two data sheets in one workbook (13), a corrupt
``.xlsx`` (14), an empty CSV (15), an unsupported ``.pdf`` (16), and a sub-folder naming the OPD whose
file repeats an item of 01 with another value (``Dinas Kesehatan/laporan.xlsx``, a duplicate that
wins because it is read later). A real ``.xls`` is not generated here (no xls writer: xlwt is not
installed); ``test_ingest_sample.xls`` next to this file is a tiny one written once by LibreOffice
(MS Excel 97 filter) and is tested in ``test_ingest_files.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd

from satudata.reference.register import Register

OPDS = [
    ("DINKES", "Dinas Kesehatan", "Dinkes", "dinas", "DKK"),
    ("DINDIKBUD", "Dinas Pendidikan dan Kebudayaan", "Dindikbud", "dinas", "Disdikbud;Dinas Pendidikan"),
    ("DINPERTAN", "Dinas Pertanian dan Pangan", "Dinpertanpangan", "dinas", "Dinpertan;Distanpangan"),
    ("DINSOS", "Dinas Sosial Pemberdayaan Perempuan dan Perlindungan Anak", "Dinsos P2PA", "dinas",
     "Dinsos;Dinas Sosial"),
    ("DINNAKER", "Dinas Tenaga Kerja dan Perindustrian", "Dinnakerind", "dinas", "Disnakerind;Disnaker"),
    ("DLH", "Dinas Lingkungan Hidup", "DinLH", "dinas", "DLH"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Penelitian dan Pengembangan Daerah", "Bappelitbangda", "badan",
     "Bappeda"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinputaru", "dinas", "DPUPR;Dinas PU"),
    ("DINKOMINFO", "Dinas Komunikasi dan Informatika", "Dinkominfo", "dinas", "Diskominfo;Kominfo"),
    ("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Dindukcapil", "dinas", "Disdukcapil;Dukcapil"),
    ("DINHUB", "Dinas Perhubungan", "Dinhub", "dinas", "Dishub"),
]  # fmt: skip
YEARS = (2019, 2020, 2021, 2022, 2023)
ELEMENTS = {
    "DINKES": ["Jumlah Dokter Umum", "Jumlah Bidan", "Jumlah Puskesmas", "Angka Kematian Bayi",
               "Jumlah Penderita Diare", "Persentase Balita Gizi Buruk"],
    "DINDIKBUD": ["Jumlah Sekolah Dasar", "Jumlah Guru SD", "Angka Partisipasi Kasar SD", "Jumlah Murid SMP"],
    "DINPERTAN": ["Luas Lahan Sawah", "Jumlah Produksi Padi", "Produktivitas Padi", "Jumlah Populasi Sapi",
                  "Jumlah Kelompok Tani"],
    "DINSOS": ["Jumlah Penyandang Disabilitas", "Jumlah Panti Sosial", "Jumlah Penerima PKH"],
    "DINNAKER": ["Jumlah Pencari Kerja Laki-Laki", "Jumlah Pencari Kerja Perempuan", "Upah Minimum Kabupaten",
                 "Tingkat Pengangguran Terbuka"],
    "DLH": ["Volume Sampah Terangkut", "Jumlah Bank Sampah", "Indeks Kualitas Air"],
    "BAPPEDA": ["Pendapatan Asli Daerah", "Persentase Realisasi Belanja", "Jumlah Dokumen Perencanaan"],
    "DPUPR": ["Panjang Jalan Kabupaten", "Jumlah Jembatan", "Panjang Jalan Kondisi Baik"],
    "DINKOMINFO": ["Jumlah Menara Telekomunikasi", "Jumlah Desa Terlayani Internet", "Jumlah Aplikasi Daerah"],
    "DUKCAPIL": ["Jumlah Penduduk Laki-Laki", "Jumlah Penduduk Perempuan", "Jumlah Akta Kelahiran",
                 "Jumlah Kartu Keluarga"],
    "DINHUB": ["Jumlah Terminal", "Jumlah Halte", "Jumlah Kendaraan Wajib Uji"],
}  # fmt: skip


def element_code(opd: str, name: str) -> str:
    return f"{opd}.{ELEMENTS[opd].index(name) + 1:02d}"


@dataclass
class Truth:
    """What was written: ``values`` rows are dicts with file, label, kode_elemen, tahun, nilai, status."""

    register: Register
    catalogue: SimpleNamespace
    values: list[dict] = field(default_factory=list)
    issues: dict[str, set[str]] = field(default_factory=dict)  # file -> issue codes expected
    failing: set[str] = field(default_factory=set)  # files that cannot be read

    def add(
        self, file: str, label: str, code: str | None, year: int, nilai: float | None, status: str
    ) -> None:
        self.values.append({"file": file, "label": label, "kode_elemen": code, "tahun": year, "nilai": nilai,
                            "status": status})  # fmt: skip

    def expect(self, file: str, *codes: str) -> None:
        self.issues.setdefault(file, set()).update(codes)


def make_register() -> Register:
    frame = pd.DataFrame(OPDS, columns=["kode_opd", "nama_opd", "singkatan", "jenis", "alias"])
    return Register(frame)


def make_catalogue() -> SimpleNamespace:
    rows = []
    for opd, names in ELEMENTS.items():
        for name in names:
            rows.append({
                "kode_elemen": element_code(opd, name), "nama_elemen": name, "satuan": "", "kode_urusan": "1",
                "nama_urusan": "Urusan", "kode_opd": opd, "tahun_wajib": YEARS, "induk": None, "tingkat": 1,
                "dihitung": True, "demo_saja": False,
            })  # fmt: skip
    return SimpleNamespace(elements=pd.DataFrame(rows))


def _xlsx(path: Path, sheets: list[tuple[str, list[list], list[str]]]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows, merges in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in merges:
            ws.merge_cells(rng)
    wb.save(path)


def _id(x: float, decimals: int = 0) -> str:
    """Indonesian text: 1.234,5."""
    s = f"{abs(x):,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if x < 0 else "") + s


def build_round(dest: Path) -> Truth:
    """Write the messy round into ``dest`` (created) and return the truth."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    t = Truth(make_register(), make_catalogue())
    for writer in (_f01, _f02, _f03, _f04, _f05, _f06, _f07, _f08, _f09, _f10, _f11, _f12, _f13, _f_broken,
                   _f_folder):  # fmt: skip
        writer(dest, t)
    return t


def _f01(dest: Path, t: Truth) -> None:
    """OPD from the file name; title rows; instruction sheet; section, subtotal, notes; Excel numbers."""
    f = "01_Dinkes_rev2.xlsx"
    years = (2021, 2022, 2023)
    data = {"Jumlah Dokter Umum": (140, 150, 155), "Jumlah Bidan": (343, 350, 361),
            "Jumlah Puskesmas": (27, 27, 28)}  # fmt: skip
    rows = [["DATA SEKTORAL BIDANG KESEHATAN"], ["KABUPATEN DEMAK TAHUN 2021-2023"], [],
            ["No", "Uraian", "Satuan", *years, "Keterangan"], [None, "Tenaga Kesehatan"]]  # fmt: skip
    for i, (name, vals) in enumerate(data.items(), start=1):
        rows.append([i, name, "Orang", *vals, "-"])
        for y, v in zip(years, vals, strict=True):
            t.add(f, name, element_code("DINKES", name), y, float(v), "ada")
    rows.append([None, "Jumlah", None, *(sum(v[k] for v in data.values()) for k in range(3))])
    rows += [[], ["Sumber: Dinas Kesehatan Kabupaten Demak"], ["*) angka sementara"]]
    guide = [
        ["PETUNJUK PENGISIAN"],
        ["1. Isi angka pada kolom tahun, contoh 1.234"],
        ["2. Tanda - berarti nihil"],
    ]
    _xlsx(dest / f, [("Petunjuk", guide, []), ("Data", rows, ["A1:G1"])])


def _f02(dest: Path, t: Truth) -> None:
    """OPD in a cell; two-row merged header; Indonesian text numbers."""
    f = "02_pendidikan.xlsx"
    rows = [["Data Pendidikan"], ["OPD: Dinas Pendidikan dan Kebudayaan"], [],
            ["Uraian", "Satuan", "Tahun", None, None], [None, None, 2019, 2020, 2021]]  # fmt: skip
    data = [
        ("Jumlah Sekolah Dasar", "Unit", [(512, "512"), (515, "515"), (1234, "1.234")]),
        ("Jumlah Guru SD", "Orang", [(4321.5, "4.321,5"), (4400, 4400), (4410.25, "4.410,25")]),
        ("Angka Partisipasi Kasar SD", "Persen", [(98.5, "98,5"), (99.1, "99,1 %"), (100.25, "100,25")]),
    ]
    for name, unit, cells in data:
        rows.append([name, unit, *(w for _, w in cells)])
        for y, (v, _) in zip((2019, 2020, 2021), cells, strict=True):
            t.add(f, name, element_code("DINDIKBUD", name), y, float(v), "ada")
    _xlsx(dest / f, [("Sheet1", rows, ["A4:A5", "B4:B5", "C4:E4"])])


def _f03(dest: Path, t: Truth) -> None:
    """Three-row header, column numbers, BPS symbols, sections, subtotals, an all-nil row."""
    f = "03_Dinpertan.xlsx"
    rows = [["Perangkat Daerah : Dinas Pertanian dan Pangan"], [],
            ["No", "Elemen Data", "Satuan", "Capaian", None, None],
            [None, None, None, "Tahun", None, None],
            [None, None, None, 2021, 2022, 2023],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
            [None, "A. Lahan"]]  # fmt: skip
    n = "DINPERTAN"
    rows.append([1, "Luas Lahan Sawah", "Ha", 10500.5, "10.480", "…"])
    t.add(f, "Luas Lahan Sawah", element_code(n, "Luas Lahan Sawah"), 2021, 10500.5, "ada")
    t.add(f, "Luas Lahan Sawah", element_code(n, "Luas Lahan Sawah"), 2022, 10480.0, "ada")
    t.add(f, "Luas Lahan Sawah", element_code(n, "Luas Lahan Sawah"), 2023, None, "tidak_tersedia")
    rows.append([None, "B. Produksi"])
    rows.append([2, "Jumlah Produksi Padi", "Ton", "245.678,9", "x", "250.001"])
    t.add(f, "Jumlah Produksi Padi", element_code(n, "Jumlah Produksi Padi"), 2021, 245678.9, "ada")
    t.add(f, "Jumlah Produksi Padi", element_code(n, "Jumlah Produksi Padi"), 2022, None, "rahasia")
    t.add(f, "Jumlah Produksi Padi", element_code(n, "Jumlah Produksi Padi"), 2023, 250001.0, "ada")
    rows.append([3, "Jumlah Populasi Sapi", "Ekor", "-", "–", "—"])
    for y in (2021, 2022, 2023):
        t.add(f, "Jumlah Populasi Sapi", element_code(n, "Jumlah Populasi Sapi"), y, 0.0, "nihil")
    rows.append([4, "Jumlah Kelompok Tani", "Kelompok", 320, None, 335])
    t.add(f, "Jumlah Kelompok Tani", element_code(n, "Jumlah Kelompok Tani"), 2021, 320.0, "ada")
    t.add(f, "Jumlah Kelompok Tani", element_code(n, "Jumlah Kelompok Tani"), 2023, 335.0, "ada")
    rows.append([None, "Kabupaten Demak", None, 1, 2, 3])
    rows.append([None, "Total", None, 4, 5, 6])
    rows.append(["Catatan: data 2023 angka sementara"])
    merges = ["B3:B5", "C3:C5", "A3:A5", "D3:F3", "D4:F4"]
    _xlsx(dest / f, [("Pertanian", rows, merges)])
    t.expect(f, "semua_nihil")


def _f04(dest: Path, t: Truth) -> None:
    """Long format (element, tahun, nilai) with element codes; OPD from the file name."""
    f = "04_Dinsos_long.xlsx"
    rows = [["Kode Elemen", "Uraian", "Satuan", "Tahun", "Nilai"]]
    for name in ELEMENTS["DINSOS"]:
        code = element_code("DINSOS", name)
        for k, y in enumerate((2020, 2021)):
            v = 100 * (ELEMENTS["DINSOS"].index(name) + 1) + k
            rows.append([code, name.upper() if k else name, "Orang", y, v if k else _id(v * 10.0, 1)])
            t.add(f, name.upper() if k else name, code, y, float(v if k else v * 10.0), "ada")
    _xlsx(dest / f, [("Long", rows, [])])


def _csv(path: Path, lines: list[list[str]], delimiter: str, encoding: str) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(lines)
    path.write_bytes(buf.getvalue().encode(encoding))


def _f05(dest: Path, t: Truth) -> None:
    """Semicolon CSV, ``Tahun 2020`` headers, decimal commas, thousands dots."""
    f = "05_Disnakerind.csv"
    lines = [["Uraian", "Satuan", "Tahun 2020", "Tahun 2021"],
             ["Jumlah Pencari Kerja Laki-Laki", "Orang", "1.316", "1.435"],
             ["Upah Minimum Kabupaten", "Rupiah", "2.240.000", "2.310.000,50"],
             ["Tingkat Pengangguran Terbuka", "Persen", "6,2", "5,9"]]  # fmt: skip
    truth = {"Jumlah Pencari Kerja Laki-Laki": (1316.0, 1435.0), "Upah Minimum Kabupaten": (2240000.0, 2310000.5),
             "Tingkat Pengangguran Terbuka": (6.2, 5.9)}  # fmt: skip
    for name, vals in truth.items():
        for y, v in zip((2020, 2021), vals, strict=True):
            t.add(f, name, element_code("DINNAKER", name), y, v, "ada")
    _csv(dest / f, lines, ";", "utf-8")


def _f06(dest: Path, t: Truth) -> None:
    """cp1252 CSV: en dash (byte 0x96) as nihil, an accented title, quoted commas."""
    f = "06_DLH.csv"
    lines = [["Data Lingkungan Hidup – Kabupaten Demak (café data)"],
             ["Uraian", "Satuan", "2022", "2023", "Keterangan"],
             ["Volume Sampah Terangkut", "Ton", "45.300", "–", "sumber: TPA, UPT"],
             ["Jumlah Bank Sampah", "Unit", "12", "15", "termasuk unit, binaan"],
             ["Indeks Kualitas Air", "Indeks", "52,35", "...", ""]]  # fmt: skip
    t.add(f, "Volume Sampah Terangkut", element_code("DLH", "Volume Sampah Terangkut"), 2022, 45300.0, "ada")
    t.add(f, "Volume Sampah Terangkut", element_code("DLH", "Volume Sampah Terangkut"), 2023, 0.0, "nihil")
    t.add(f, "Jumlah Bank Sampah", element_code("DLH", "Jumlah Bank Sampah"), 2022, 12.0, "ada")
    t.add(f, "Jumlah Bank Sampah", element_code("DLH", "Jumlah Bank Sampah"), 2023, 15.0, "ada")
    t.add(f, "Indeks Kualitas Air", element_code("DLH", "Indeks Kualitas Air"), 2022, 52.35, "ada")
    t.add(f, "Indeks Kualitas Air", element_code("DLH", "Indeks Kualitas Air"), 2023, None, "tidak_tersedia")
    _csv(dest / f, lines, ",", "cp1252")


def _f07(dest: Path, t: Truth) -> None:
    """UTF-8 with BOM; ``Rp`` amounts and percents; non-breaking spaces."""
    f = "07_Bappeda.csv"
    lines = [["Uraian", "Satuan", "2022", "2023"],
             ["Pendapatan Asli Daerah", "Rupiah", "Rp 250.500.000.000", "Rp\u00a0261.000.000.000,75"],
             ["Persentase Realisasi Belanja", "Persen", "91,5 %", "93,25%"],
             ["Jumlah Dokumen Perencanaan", "Dokumen", "\u00a012 ", "14"]]  # fmt: skip
    truth = {
        "Pendapatan Asli Daerah": (250500000000.0, 261000000000.75),
        "Persentase Realisasi Belanja": (91.5, 93.25),
        "Jumlah Dokumen Perencanaan": (12.0, 14.0),
    }
    for name, vals in truth.items():
        for y, v in zip((2022, 2023), vals, strict=True):
            t.add(f, name, element_code("BAPPEDA", name), y, v, "ada")
    _csv(dest / f, lines, ",", "utf-8-sig")


def _f08(dest: Path, t: Truth) -> None:
    """Tab-separated text file; negative numbers in parentheses; 'NA'."""
    f = "08_DPUPR.txt"
    lines = [["Nama Data", "Sat.", "2021", "2022"],
             ["Panjang Jalan Kabupaten", "Km", "1.023,45", "1.030"],
             ["Jumlah Jembatan", "Unit", "NA", "412"],
             ["Panjang Jalan Kondisi Baik", "Km", "(12,5)", "640,2"]]  # fmt: skip
    c = lambda name: element_code("DPUPR", name)  # noqa: E731
    t.add(f, "Panjang Jalan Kabupaten", c("Panjang Jalan Kabupaten"), 2021, 1023.45, "ada")
    t.add(f, "Panjang Jalan Kabupaten", c("Panjang Jalan Kabupaten"), 2022, 1030.0, "ada")
    t.add(f, "Jumlah Jembatan", c("Jumlah Jembatan"), 2021, None, "tidak_tersedia")
    t.add(f, "Jumlah Jembatan", c("Jumlah Jembatan"), 2022, 412.0, "ada")
    t.add(f, "Panjang Jalan Kondisi Baik", c("Panjang Jalan Kondisi Baik"), 2021, -12.5, "ada")
    t.add(f, "Panjang Jalan Kondisi Baik", c("Panjang Jalan Kondisi Baik"), 2022, 640.2, "ada")
    _csv(dest / f, lines, "\t", "utf-8")


def _f09(dest: Path, t: Truth) -> None:
    """An OpenDocument spreadsheet with ``2019*`` headers (written by pandas through odfpy)."""
    f = "09_Dinkominfo.ods"
    rows = [["Indikator", "Satuan", "2019", "2020*"],
            ["Jumlah Menara Telekomunikasi", "Unit", 85, 91],
            ["Jumlah Desa Terlayani Internet", "Desa", 230, "243"],
            ["Jumlah Aplikasi Daerah", "Aplikasi", 17, 21]]  # fmt: skip
    for name, _, a, b in rows[1:]:
        t.add(f, name, element_code("DINKOMINFO", name), 2019, float(a), "ada")
        t.add(f, name, element_code("DINKOMINFO", name), 2020, float(b), "ada")
    pd.DataFrame(rows).to_excel(dest / f, engine="odf", header=False, index=False, sheet_name="Data")


def _f10(dest: Path, t: Truth) -> None:
    """Typos and abbreviations, an element of another OPD, and an element not in the catalogue."""
    f = "10_Disdukcapil.xlsx"
    n = "DUKCAPIL"
    rows = [["Uraian", "Satuan", "2022", "2023"],
            ["Jml Penduduk Laki-Laki", "Jiwa", 583000, 590100],
            ["Jumlah Pendudk Perempuan", "Jiwa", 581200, 588000],
            ["Jumlah Kartu Keluarga", "KK", 355000, 361000],
            ["Jumlah Dokter Umum", "Orang", 1, 2],
            ["Jumlah Pemohon KTP Elektronik", "Orang", 1500, 1600]]  # fmt: skip
    c = {"Jml Penduduk Laki-Laki": element_code(n, "Jumlah Penduduk Laki-Laki"),
         "Jumlah Pendudk Perempuan": element_code(n, "Jumlah Penduduk Perempuan"),
         "Jumlah Kartu Keluarga": element_code(n, "Jumlah Kartu Keluarga"),
         "Jumlah Dokter Umum": element_code("DINKES", "Jumlah Dokter Umum"),
         "Jumlah Pemohon KTP Elektronik": None}  # fmt: skip
    for label, _, a, b in rows[1:]:
        t.add(f, label, c[label], 2022, float(a), "ada")
        t.add(f, label, c[label], 2023, float(b), "ada")
    _xlsx(dest / f, [("Dukcapil", rows, [])])
    t.expect(f, "cocok_fuzzy", "elemen_opd_lain", "elemen_tidak_dikenal")


def _f11(dest: Path, t: Truth) -> None:
    """An HTML table saved with an ``.xls`` name (web export)."""
    f = "11_Dinhub_export.xls"
    body = "".join(
        f"<tr><td>{name}</td><td>Unit</td><td>{a}</td><td>{b}</td></tr>"
        for name, a, b in (("Jumlah Terminal", "3", "4"), ("Jumlah Halte", "1.024", "1.100"))
    )
    html = (f"<html><head><meta charset='utf-8'></head><body><table><tr><th>Uraian</th><th>Satuan</th>"
            f"<th>2022</th><th>2023</th></tr>{body}</table></body></html>")  # fmt: skip
    (dest / f).write_text(html, encoding="utf-8")
    for name, vals in (("Jumlah Terminal", (3.0, 4.0)), ("Jumlah Halte", (1024.0, 1100.0))):
        for y, v in zip((2022, 2023), vals, strict=True):
            t.add(f, name, element_code("DINHUB", name), y, v, "ada")
    t.expect(f, "berkas_html")


def _f12(dest: Path, t: Truth) -> None:
    """One workbook for several OPDs: an OPD column; a title row; a note at the end."""
    f = "12_rekap_bappeda.xlsx"
    rows = [["Rekap Data Sektoral"], ["OPD", "Uraian", "Satuan", "2023"],
            ["Dinkes", "Jumlah Penderita Diare", "Orang", 1931],
            ["Dinas Perhubungan", "Jumlah Kendaraan Wajib Uji", "Unit", "2.345"],
            ["Keterangan: rekap dari surat OPD"]]  # fmt: skip
    t.add(f, "Jumlah Penderita Diare", element_code("DINKES", "Jumlah Penderita Diare"), 2023, 1931.0, "ada")
    t.add(
        f,
        "Jumlah Kendaraan Wajib Uji",
        element_code("DINHUB", "Jumlah Kendaraan Wajib Uji"),
        2023,
        2345.0,
        "ada",
    )
    _xlsx(dest / f, [("Rekap", rows, [])])


def _f13(dest: Path, t: Truth) -> None:
    """Two data sheets and a cover sheet; the header on row 15 of the second sheet."""
    f = "13_Dinnakerind_2sheet.xlsx"
    s1 = [["Uraian", "Satuan", "2022"], ["Jumlah Pencari Kerja Perempuan", "Orang", 2520]]
    s2 = (
        [["keterangan umum"]]
        + [[] for _ in range(13)]
        + [["Uraian", "Satuan", "2023"], ["Tingkat Pengangguran Terbuka", "Persen", 5.75]]
    )
    cover = [["SAMPUL"], ["Laporan Data Sektoral"]]
    t.add(f, "Jumlah Pencari Kerja Perempuan", element_code("DINNAKER", "Jumlah Pencari Kerja Perempuan"), 2022,
          2520.0, "ada")  # fmt: skip
    t.add(f, "Tingkat Pengangguran Terbuka", element_code("DINNAKER", "Tingkat Pengangguran Terbuka"), 2023,
          5.75, "ada")  # fmt: skip
    _xlsx(dest / f, [("Cover", cover, []), ("2022", s1, []), ("2023", s2, [])])


def _f_broken(dest: Path, t: Truth) -> None:
    """A corrupt workbook, an empty CSV and an unsupported file: issues, the round goes on."""
    (dest / "14_rusak.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip archive")
    (dest / "15_kosong.csv").write_bytes(b"")
    (dest / "16_surat.pdf").write_bytes(b"%PDF-1.4 surat pengantar")
    t.failing |= {"14_rusak.xlsx", "15_kosong.csv", "16_surat.pdf"}
    t.expect("14_rusak.xlsx", "berkas_rusak")
    t.expect("15_kosong.csv", "berkas_kosong")
    t.expect("16_surat.pdf", "format_tidak_didukung")


def _f_folder(dest: Path, t: Truth) -> None:
    """A sub-folder names the OPD; it repeats an item of 01 with another value (read later: wins)."""
    folder = dest / "Dinas Kesehatan"
    folder.mkdir(exist_ok=True)
    f = "Dinas Kesehatan/laporan.xlsx"
    rows = [["Uraian", "Satuan", "2023"], ["Jumlah Dokter Umum", "Orang", 156],
            ["Angka Kematian Bayi", "per 1.000 KH", "7,25"]]  # fmt: skip
    t.add(f, "Jumlah Dokter Umum", element_code("DINKES", "Jumlah Dokter Umum"), 2023, 156.0, "ada")
    t.add(f, "Angka Kematian Bayi", element_code("DINKES", "Angka Kematian Bayi"), 2023, 7.25, "ada")
    _xlsx(folder / "laporan.xlsx", [("Sheet1", rows, [])])
    t.expect("01_Dinkes_rev2.xlsx", "duplikat")
