"""Feedback workbooks: exactly an OPD's rows, text never turned into formulas, deterministic bytes."""

from __future__ import annotations

import math

import openpyxl
import pandas as pd
import pytest

from satudata.outputs import feedback
from satudata.reference.settings import Settings

PUTARAN = "2020-08-27"
TRICKY = ["=SUM(A1)", "+62812", "-", "@x"]


@pytest.fixture()
def frames():
    register = pd.DataFrame(
        {
            "kode_opd": ["A", "B", "C", "D"],
            "nama_opd": ["Dinas A", "Dinas B", "Dinas C", "=Dinas D"],
            "singkatan": ["DA", "DB", "DC", "DD"],
            "jenis": ["dinas"] * 4,
        }
    )
    progres = pd.DataFrame(
        {
            "putaran": PUTARAN,
            "kode_opd": ["A", "B", "C", "D"],
            "nama_opd": ["Dinas A", "Dinas B", "Dinas C", "=Dinas D"],
            "singkatan": ["DA", "DB", "DC", "DD"],
            "jenis": "dinas",
            "wajib": [4, 10, 10, 0],
            "terpenuhi": [1, 9, 10, 0],
            "persen": [25.0, 89.99, 100.0, math.nan],
            "zona": ["merah", "kuning", "hijau", None],
            "selisih": [5.0, 0.0, math.nan, math.nan],
        }
    )
    kekurangan = pd.DataFrame(
        {
            "putaran": PUTARAN,
            "kode_opd": ["A", "B", "A", "A"],
            "nama_opd": ["Dinas A", "Dinas B", "Dinas A", "Dinas A"],
            "kode_elemen": ["E2", "E9", "E1", "E1"],
            "nama_elemen": ["Luas =SUM(A1)", "Jumlah guru", "Jumlah siswa", "Jumlah siswa"],
            "satuan": ["Ha", "orang", "orang", "orang"],
            "kode_urusan": ["1.01"] * 4,
            "nama_urusan": ["Pendidikan"] * 4,
            "tahun": [2019, 2019, 2019, 2018],
        }
    )
    masalah = pd.DataFrame(
        {
            "putaran": PUTARAN,
            "sumber_file": ["a.xlsx"] * 4 + ["tanpa-nama.xlsx"],
            "sumber_sheet": ["Sheet1"] * 5,
            "sumber_baris": [3, 4, 5, 6, 1],
            "sumber_kolom": ["D", "D", "E", "F", None],
            "kode_opd": ["A", "A", "A", "A", None],
            "tingkat": ["galat"] * 5,
            "kode_masalah": ["angka_tidak_valid"] * 5,
            "pesan": TRICKY[:3] + ["@x"] + ["OPD tidak dikenali"],
        }
    )
    return register, progres, kekurangan, masalah


def sheet_rows(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]


def test_every_register_opd_gets_a_workbook(tmp_path, frames):
    paths = feedback.write_feedback(*frames, Settings(), PUTARAN, tmp_path)
    assert [p.name for p in paths] == ["A.xlsx", "B.xlsx", "C.xlsx", "D.xlsx"]
    wb = openpyxl.load_workbook(paths[0])
    assert wb.sheetnames == ["Ringkasan", "Isian", "Nilai Diterima", "Kekurangan Data", "Masalah"]


def test_input_sheet_lists_exactly_what_is_owed_with_deadline_and_contact(tmp_path, frames):
    from satudata.outputs import submission_template as st
    from satudata.reference.settings import settings_from_dict

    settings = settings_from_dict({
        "putaran": {"jadwal": ["2020-08-27", "2020-09-10"], "batas_kirim": "2020-09-07"},
        "kontak": {"nama": "Bidang Statistik", "telepon": "0291 1", "surel": "walidata@contoh.go.id"},
    })  # fmt: skip
    paths = feedback.write_feedback(*frames, settings, PUTARAN, tmp_path)
    ws = openpyxl.load_workbook(paths[0])["Isian"]
    assert ws["A1"].value == "OPD: Dinas A"
    assert [c.value for c in ws[st.HEADER_ROW]] == ["Kode Elemen", "Nama Elemen", "Satuan", 2018, 2019]
    rows = [[c.value for c in r[:3]] for r in ws.iter_rows(min_row=st.HEADER_ROW + 1)]
    assert rows == [["E1", "Jumlah siswa", "orang"], ["E2", "Luas =SUM(A1)", "Ha"]]
    yellow = st.INPUT_FILL.fgColor.rgb[-6:]
    open_cells = {(ws.cell(row=r, column=1).value, ws.cell(row=st.HEADER_ROW, column=c).value)
                  for r in range(st.HEADER_ROW + 1, ws.max_row + 1) for c in (4, 5)
                  if ws.cell(row=r, column=c).fill.fgColor.rgb.endswith(yellow)}  # fmt: skip
    assert open_cells == {("E1", 2018), ("E1", 2019), ("E2", 2019)}  # E2 2018 is not owed
    rule = ws.data_validations.dataValidation[0]
    assert rule.formula1 == 'OR(ISNUMBER(D4),D4="-",D4="...",D4="…")' and str(rule.sqref) == "D4:E5"
    facts = {r[0]: r[1] for r in sheet_rows(openpyxl.load_workbook(paths[0])["Ringkasan"])}
    assert facts["Batas kirim"] == "Senin, 7 September 2020"
    assert facts["Putaran evaluasi berikutnya"] == "Kamis, 10 September 2020"
    assert facts["Narahubung walidata"] == "Bidang Statistik · 0291 1 · walidata@contoh.go.id"
    assert facts["Cara mengirim"].startswith("Isi lembar kerja 'Isian'")
    done = openpyxl.load_workbook(paths[2])["Isian"]  # C owes nothing more
    assert done["A1"].value.startswith("Tidak ada data yang masih kurang")
    plain = {r[0]: r[1] for r in sheet_rows(openpyxl.load_workbook(
        feedback.write_feedback(*frames, Settings(), PUTARAN, tmp_path / "b")[0])["Ringkasan"])}  # fmt: skip
    assert plain["Batas kirim"] == "–" and plain["Narahubung walidata"] == "–"


def test_workbook_lists_exactly_its_kekurangan(tmp_path, frames):
    paths = feedback.write_feedback(*frames, Settings(), PUTARAN, tmp_path)
    rows_a = sheet_rows(openpyxl.load_workbook(paths[0])["Kekurangan Data"])
    assert rows_a == [
        ["1.01", "Pendidikan", "E1", "Jumlah siswa", "orang", 2018, feedback.NOT_SENT_ADVICE],
        ["1.01", "Pendidikan", "E1", "Jumlah siswa", "orang", 2019, feedback.NOT_SENT_ADVICE],
        ["1.01", "Pendidikan", "E2", "Luas =SUM(A1)", "Ha", 2019, feedback.NOT_SENT_ADVICE],
    ]
    assert sheet_rows(openpyxl.load_workbook(paths[1])["Kekurangan Data"]) == [
        ["1.01", "Pendidikan", "E9", "Jumlah guru", "orang", 2019, feedback.NOT_SENT_ADVICE]
    ]
    assert sheet_rows(openpyxl.load_workbook(paths[2])["Kekurangan Data"]) == []


def test_formula_looking_text_reads_back_as_string(tmp_path, frames):
    paths = feedback.write_feedback(*frames, Settings(), PUTARAN, tmp_path)
    ws = openpyxl.load_workbook(paths[0])["Masalah"]
    pesan = [ws.cell(row=r, column=7) for r in range(2, 6)]
    assert [c.value for c in pesan] == TRICKY
    assert all(c.data_type == "s" for c in pesan)
    d = openpyxl.load_workbook(paths[3])["Ringkasan"]
    assert d["B2"].value == "=Dinas D" and d["B2"].data_type == "s"
    # the issue without an OPD goes only to the walidata's workbook
    assert [r[0] for r in sheet_rows(ws)] == ["a.xlsx"] * 4


def test_summary_sheet_percent_zone_rank(tmp_path, frames):
    paths = feedback.write_feedback(*frames, Settings(), PUTARAN, tmp_path)
    facts = {r[0]: r[1] for r in sheet_rows(openpyxl.load_workbook(paths[1])["Ringkasan"])}
    assert facts["Persen capaian"] == 89.9  # 89.99 rounded would be 90 (hijau): cut, never 90 while kuning
    assert facts["Zona"] == "Kuning"
    assert facts["Peringkat"] == "2 dari 3 OPD"
    assert facts["Putaran evaluasi"] == "Kamis, 27 Agustus 2020"
    assert facts["Jumlah butir data yang masih kurang"] == 1
    wb = openpyxl.load_workbook(paths[1])
    ws = wb["Ringkasan"]
    zone_cell = next(
        ws.cell(row=r, column=2) for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "Zona"
    )
    assert zone_cell.fill.fgColor.rgb.endswith(Settings().zones.colours["kuning"].lstrip("#"))
    facts_d = {r[0]: r[1] for r in sheet_rows(openpyxl.load_workbook(paths[3])["Ringkasan"])}
    assert facts_d["Zona"] == feedback.NO_ZONE_LABEL and facts_d["Peringkat"] == "–"


def test_layout_frozen_filter_print(tmp_path, frames):
    paths = feedback.write_feedback(*frames, Settings(), PUTARAN, tmp_path)
    ws = openpyxl.load_workbook(paths[0])["Kekurangan Data"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G4"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert ws["A1"].fill.fgColor.rgb.endswith(Settings().zones.colours["merah"].lstrip("#"))  # Dinas A is merah


def test_output_is_deterministic(tmp_path, frames):
    first = feedback.write_feedback(*frames, Settings(), PUTARAN, tmp_path / "a")
    second = feedback.write_feedback(*frames, Settings(), PUTARAN, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    wb = openpyxl.load_workbook(first[0])
    assert wb.properties.created.isoformat().startswith("2020-08-27")
    assert wb.properties.modified.isoformat().startswith("2020-08-27")


def test_walidata_workbook_combines_everything(tmp_path, frames):
    path = feedback.write_walidata_workbook(*frames, Settings(), PUTARAN, tmp_path)
    assert path.name == "rekap-walidata-2020-08-27.xlsx"
    wb = openpyxl.load_workbook(path)
    ringkasan = sheet_rows(wb["Ringkasan"])
    assert [r[1] for r in ringkasan] == ["C", "B", "A", "D"]  # by rank, unranked last
    assert ringkasan[0][:2] == [1, "C"] and ringkasan[1][7] == 89.9 and ringkasan[2][10] == 3
    assert ringkasan[2][11] == 4
    change = wb["Ringkasan"].cell(row=4, column=10)  # A: "Perubahan (poin)" +5 is a number cell
    assert wb["Ringkasan"].cell(row=1, column=10).value == "Perubahan (poin)"
    assert (change.value, change.data_type) == (5.0, "n")
    assert wb["Ringkasan"].cell(row=2, column=10).value == "–"  # C: no previous round
    assert len(sheet_rows(wb["Kekurangan Data"])) == 4
    masalah = sheet_rows(wb["Masalah"])
    assert len(masalah) == 5 and masalah[4][:2] == [None, "tanpa-nama.xlsx"]  # unattributed issue kept
    assert [r[7] for r in masalah[:4]] == TRICKY


def test_a_table_longer_than_a_sheet_is_not_written_and_the_sheet_says_where_it_is(tmp_path, frames, monkeypatch):
    """The stress region's recap listed 1.3 M missing items in one sheet, which Excel cannot open whole: a table
    longer than a sheet is replaced by a sentence naming its length and where the full list is."""
    from satudata.outputs import workbook_cells

    monkeypatch.setattr(workbook_cells, "MAX_SHEET_ROWS", 3)  # the recap has 4 missing items and 5 issues
    wb = openpyxl.load_workbook(feedback.write_walidata_workbook(*frames, Settings(), PUTARAN, tmp_path))
    assert [r[0] for r in wb["Kekurangan Data"].iter_rows(values_only=True)] == [
        "Tabel ini berisi 4 baris, lebih dari yang dapat dimuat satu lembar Excel (3 baris), sehingga tidak ditulis "
        "di sini. Daftar lengkapnya: unduh/butir-kurang-2020-08-27.csv di folder laporan putaran ini, dan lembar "
        "'Kekurangan Data' di buku kerja umpan balik setiap OPD."]
    assert "5 baris" in wb["Masalah"]["A1"].value and "processed/2020-08-27" in wb["Masalah"]["A1"].value
    assert len(sheet_rows(wb["Ringkasan"])) == 4  # one row per producer, its own loop: not a table of items


def test_missing_items_say_what_to_do_and_summary_lists_steps(tmp_path, frames):
    register, progres, kekurangan, masalah = frames
    kekurangan = kekurangan.assign(status_terakhir=[None, "tidak_tersedia", "rahasia", None])
    paths = feedback.write_feedback(register, progres, kekurangan, masalah, Settings(), PUTARAN, tmp_path)
    rows_a = sheet_rows(openpyxl.load_workbook(paths[0])["Kekurangan Data"])
    # sorted by element and year: E1 2018 (none sent), E1 2019 ('x' sent), E2 2019 (none sent)
    assert [r[6] for r in rows_a] == [feedback.NOT_SENT_ADVICE, feedback.MISSING_ADVICE["rahasia"],
                                      feedback.NOT_SENT_ADVICE]
    assert sheet_rows(openpyxl.load_workbook(paths[1])["Kekurangan Data"])[0][6].startswith("Dikirim '...'")
    todo = {r[0]: r[1] for r in sheet_rows(openpyxl.load_workbook(paths[0])["Ringkasan"])}["Yang perlu dilakukan"]
    assert todo.startswith("1. Isi 3 butir yang masih kurang di lembar kerja 'Isian' buku kerja ini")
    assert "\n2. Periksa 4 catatan pada lembar kerja 'Masalah'" in todo and todo.endswith("sebelum putaran berikutnya.")
    done = {r[0]: r[1] for r in sheet_rows(openpyxl.load_workbook(paths[2])["Ringkasan"])}["Yang perlu dilakukan"]
    assert done.startswith("Tidak ada yang perlu dilakukan")
    ws_m = openpyxl.load_workbook(paths[0])["Masalah"]
    assert all(ws_m.row_dimensions[r].height >= 15 for r in range(2, ws_m.max_row + 1))
    assert feedback.todo_text(0, 2).startswith("1. Periksa 2 catatan")


def test_on_two_cores_the_same_bytes_as_on_one(tmp_path, frames, monkeypatch):
    """With many producers the workbooks are written by two processes: the same files, byte for byte."""
    from satudata.reading.parallel import start_method

    monkeypatch.setattr(feedback, "PARALLEL_FROM", 2)
    both = feedback.write_feedback(*frames, Settings(), PUTARAN, tmp_path / "dua")
    monkeypatch.setattr(feedback, "PARALLEL_FROM", 10**9)
    one = feedback.write_feedback(*frames, Settings(), PUTARAN, tmp_path / "satu")
    assert [p.name for p in both] == [p.name for p in one] == ["A.xlsx", "B.xlsx", "C.xlsx", "D.xlsx"]
    assert [p.read_bytes() for p in both] == [p.read_bytes() for p in one]
    assert start_method() in ("fork", "spawn")  # spawn (Windows, macOS): written here, one by one


def test_each_item_once_and_a_failure_in_either_half_is_raised(tmp_path, monkeypatch):
    import os

    from satudata.reading.parallel import start_method

    def write(i: int) -> None:
        (tmp_path / f"{i:03d}.txt").write_text(str(os.getpid()))

    feedback.on_both_cores(write, 50)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == [f"{i:03d}.txt" for i in range(50)]
    pids = {int((tmp_path / f"{i:03d}.txt").read_text()) for i in range(1, 50, 2)}
    forked = start_method() == "fork" and (os.cpu_count() or 1) >= 2
    assert (pids != {os.getpid()}) == forked  # the odd ones by the second process where it forks

    def failing(i: int) -> None:
        if i == 7:
            raise ValueError("rusak")

    with pytest.raises(RuntimeError if forked else ValueError, match="proses kedua|rusak"):
        feedback.on_both_cores(failing, 50)
    with pytest.raises(ValueError, match="rusak"):  # in this process's half
        feedback.on_both_cores(lambda i: failing(7 if i == 8 else i + 100), 50)
