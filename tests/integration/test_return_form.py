"""The feedback workbook is the return form: filled in and sent back, it ingests with no issue and
raises the OPD's percent by exactly the items filled."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from satudata.outputs import feedback
from satudata.outputs import submission_template as st
from satudata.reading import return_form
from satudata.run.demo import SMALL_ROUND, generate_small
from satudata.run.pipeline import Context, run_ingest, run_progress

NEXT_ROUND = "2021-03-15"


def fill_input_sheet(path: Path) -> int:
    """Fill every yellow cell of ``Isian`` (a number; every fifth ``-``, nil); returns how many."""
    wb = openpyxl.load_workbook(path)
    ws = wb[return_form.INPUT_SHEET]
    yellow = st.INPUT_FILL.fgColor.rgb[-6:]
    filled = 0
    for r in range(st.HEADER_ROW + 1, ws.max_row + 1):
        unit = str(ws.cell(row=r, column=3).value or "")
        for c in range(len(st.FIXED_HEADERS) + 1, ws.max_column + 1):
            cell = ws.cell(row=r, column=c)
            if cell.fill.fgColor.rgb.endswith(yellow):
                cell.value = "-" if filled % 5 == 4 else 12.5 if unit == "%" else 1234
                filled += 1
    wb.save(path)
    return filled


@pytest.fixture(scope="module")
def sent_back(tmp_path_factory):
    root = tmp_path_factory.mktemp("kembali")
    data, reports = root / "data", root / "reports"
    generate_small(data)
    ctx = Context.create(SMALL_ROUND, data, reports)
    run_ingest(ctx)
    first = run_progress(ctx)
    register, _ = ctx.reference()
    processed = ctx.processed
    paths = feedback.write_feedback(
        register.frame, first.progres_opd, first.kekurangan, pd.read_parquet(processed / "masalah.parquet"),
        ctx.settings, SMALL_ROUND, reports / SMALL_ROUND / "umpan-balik", diterima=first.item_terkini,
    )  # fmt: skip
    before = first.progres_opd.set_index("kode_opd")
    kode = before.loc[(before["persen"] > 0) & (before["persen"] < 100)].index[0]  # the 76 % producer
    form = next(p for p in paths if p.stem == kode)
    sent = data / "raw" / NEXT_ROUND / f"{kode}-kembali.xlsx"
    sent.parent.mkdir(parents=True)
    shutil.copy(form, sent)
    filled = fill_input_sheet(sent)
    ctx2 = Context.create(NEXT_ROUND, data, reports)
    ingested = run_ingest(ctx2)
    second = run_progress(ctx2)
    return kode, before, filled, ingested, second, form, first


def test_return_form_lists_what_is_owed_and_what_was_accepted(sent_back):
    kode, before, filled, _, _, form, first = sent_back
    owed_now = int(before.loc[kode, "wajib"] - before.loc[kode, "terpenuhi"])
    assert filled == owed_now == len(first.kekurangan.loc[first.kekurangan["kode_opd"] == kode]) == 12
    accepted = list(openpyxl.load_workbook(form)["Nilai Diterima"].iter_rows(min_row=2, values_only=True))
    assert len(accepted) == int(before.loc[kode, "terpenuhi"]) == 38


def test_filled_return_form_ingests_with_no_issue(sent_back):
    kode, *_ = sent_back
    ingested = sent_back[3]
    serious = ingested.masalah.loc[ingested.masalah["tingkat"] != "info"]
    assert serious.empty, serious["pesan"].tolist()[:3]
    counted = ingested.nilai.loc[ingested.nilai["dihitung"].astype(bool)]
    assert set(counted["kode_opd"]) == {kode} and len(counted) == 12
    assert set(counted["sumber_sheet"]) == {return_form.INPUT_SHEET}


def test_filled_return_form_raises_the_percent_by_what_was_filled(sent_back):
    kode, before, filled, _, second, *_ = sent_back
    after = second.progres_opd.set_index("kode_opd")
    wajib = int(before.loc[kode, "wajib"])
    assert (wajib, int(before.loc[kode, "terpenuhi"])) == (50, 38)
    assert int(after.loc[kode, "terpenuhi"]) == 38 + filled == 50
    assert after.loc[kode, "persen"] - before.loc[kode, "persen"] == pytest.approx(filled / wajib * 100) == 24.0
    assert after.loc[kode, "zona"] == "hijau"
    others = [k for k in before.index if k != kode]
    assert (after.loc[others, "terpenuhi"] == before.loc[others, "terpenuhi"]).all()


def test_only_a_return_form_has_its_summary_sheets_skipped():
    assert return_form.info_sheets(["Ringkasan", "Isian", "Nilai Diterima", "Masalah"]) == {
        "Ringkasan", "Nilai Diterima", "Masalah"}  # fmt: skip
    assert return_form.info_sheets(["Ringkasan", "Data"]) == set()  # an OPD's own "Ringkasan" is data


# --- issue 25, part 4: nothing sent back is lost without a word ------------------------------------------------


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _issues_of(path: Path, sent_back) -> pd.DataFrame:
    """The issues of one file sent back, read as a round reads it (the raw file unchanged)."""
    from satudata.reading.ingest import ingest_file

    form = sent_back[5]
    data = form.parents[3] / "data"
    ctx = Context.create(NEXT_ROUND, data, form.parents[3] / "reports")
    register, catalogue = ctx.reference()
    before = _sha(path)
    result = ingest_file(path, NEXT_ROUND, register, catalogue, ctx.settings)
    assert _sha(path) == before
    return result.masalah


def test_formulas_saved_without_a_value_in_isian_are_named(sent_back, tmp_path):
    form = sent_back[5]
    path = tmp_path / f"{form.stem}-rumus.xlsx"
    shutil.copy(form, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[return_form.INPUT_SHEET]
    yellow = st.INPUT_FILL.fgColor.rgb[-6:]
    cells = [c for row in ws.iter_rows(min_row=st.HEADER_ROW + 1) for c in row
             if c.fill.fgColor.rgb.endswith(yellow)][:2]
    for cell in cells:
        cell.value = "=10*2"  # openpyxl saves the formula with an empty cached value
    wb.save(path)
    masalah = _issues_of(path, sent_back)
    found = masalah.loc[masalah["kode_masalah"] == "rumus_tanpa_nilai"]
    assert sorted(zip(found["sumber_baris"], found["sumber_kolom"], strict=True)) == sorted(
        (c.row, c.column_letter) for c in cells)
    assert set(found["sumber_sheet"]) == {return_form.INPUT_SHEET}
    assert "rumus tanpa nilai tersimpan" in found["pesan"].iloc[0]


def test_a_deleted_or_renamed_isian_sheet_is_named(sent_back, tmp_path):
    form = sent_back[5]
    renamed = tmp_path / f"{form.stem}-ganti.xlsx"
    shutil.copy(form, renamed)
    fill_input_sheet(renamed)
    wb = openpyxl.load_workbook(renamed)
    wb[return_form.INPUT_SHEET].title = "Data Kami"
    wb.save(renamed)
    masalah = _issues_of(renamed, sent_back)
    (message,) = masalah.loc[masalah["kode_masalah"] == "isian_tidak_ada", "pesan"]
    assert "lembar kerja 'Isian' tidak ada (dihapus atau diganti namanya" in message and "'Data Kami'" in message
    # the walidata's sheets are still skipped: their numbers raise no other warning or error
    assert set(masalah.loc[masalah["tingkat"] != "info", "sumber_sheet"].dropna()) <= {"Data Kami"}
    deleted = tmp_path / f"{form.stem}-hapus.xlsx"
    shutil.copy(form, deleted)
    wb = openpyxl.load_workbook(deleted)
    del wb[return_form.INPUT_SHEET]
    wb.save(deleted)
    masalah = _issues_of(deleted, sent_back)
    (message,) = masalah.loc[masalah["kode_masalah"] == "isian_tidak_ada", "pesan"]
    assert "tidak ada lembar kerja lain, jadi tidak ada nilai yang terbaca" in message


def test_a_value_corrected_in_nilai_diterima_is_named_not_dropped_silently(sent_back, tmp_path):
    form = sent_back[5]
    path = tmp_path / f"{form.stem}-koreksi.xlsx"
    shutil.copy(form, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[return_form.ACCEPTED_SHEET]
    assert ws.column_dimensions["I"].hidden and ws["I1"].value == return_form.MARK_HEADER
    old = ws["E3"].value
    ws["E3"] = 987654  # the OPD corrects an accepted value outside Isian
    ws.append(["X.99", "Elemen tambahan", "Unit", 2020, 5])
    wb.save(path)
    masalah = _issues_of(path, sent_back)
    edited = masalah.loc[masalah["kode_masalah"] == "nilai_diterima_diubah"]
    assert list(zip(edited["sumber_baris"], edited["sumber_kolom"].fillna("-"), strict=True)) == [(3, "E"), (ws.max_row, "-")]
    assert f"sel E3: Nilai diubah dari '{return_form._canonical(old)}' menjadi '987654'" in edited["pesan"].iloc[0]
    assert "baris ini ditambahkan" in edited["pesan"].iloc[1]
    # the form as the walidata wrote it raises none of these
    assert "nilai_diterima_diubah" not in set(_issues_of(form, sent_back)["kode_masalah"])


def test_a_return_form_of_an_older_version_without_the_mark_column_is_read_and_named(sent_back, tmp_path):
    """A feedback workbook written before ``Nilai Diterima`` had its hidden mark column: ``Isian`` is read as
    ever (the values filled count), nothing crashes, and one issue says that changes in ``Nilai Diterima``
    cannot be told, naming the file, sheet and header row and where to send a correction."""
    from satudata.reading.ingest import ingest_file

    form = sent_back[5]
    path = tmp_path / f"{form.stem}-versi-lama.xlsx"
    shutil.copy(form, path)
    filled = fill_input_sheet(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[return_form.ACCEPTED_SHEET]
    assert ws["I1"].value == return_form.MARK_HEADER
    ws.delete_cols(9)  # the older version had no mark column
    ws["E3"] = 987654  # a correction typed where it is not read
    wb.save(path)
    data = form.parents[3] / "data"
    ctx = Context.create(NEXT_ROUND, data, form.parents[3] / "reports")
    register, catalogue = ctx.reference()
    before = _sha(path)
    result = ingest_file(path, NEXT_ROUND, register, catalogue, ctx.settings)
    assert _sha(path) == before
    from_isian = result.nilai[result.nilai["sumber_sheet"] == return_form.INPUT_SHEET]
    assert len(from_isian) == filled and from_isian["dihitung"].all()
    assert set(result.nilai["sumber_sheet"]) == {return_form.INPUT_SHEET}  # Nilai Diterima is not read as data
    old = result.masalah.loc[result.masalah["kode_masalah"] == "nilai_diterima_diubah"]
    assert list(zip(old["sumber_sheet"], old["sumber_baris"], strict=True)) == [(return_form.ACCEPTED_SHEET, 1)]
    message = old["pesan"].iloc[0]
    assert f"Berkas {path.name}, lembar kerja 'Nilai Diterima', baris 1: buku kerja ini versi lama" in message
    assert "Kirim koreksinya di lembar kerja 'Isian'" in message
