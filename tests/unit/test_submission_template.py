"""Submission templates: layout the ingest reads, validation, names; round trip through ingest."""

from __future__ import annotations

from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from satudata.outputs import submission_template as st
from satudata.reference.register import Register
from satudata.reference.settings import Settings


def make_reference():
    register = Register(
        pd.DataFrame(
            {
                "kode_opd": ["OPD01", "OPD02", "OPD03"],
                "nama_opd": ["Dinas Kesehatan", "Dinas Pendidikan dan Kebudayaan", "Kecamatan Mijen"],
                "singkatan": ["Dinkes", "Dindikbud", "Kec. Mijen"],
                "jenis": ["dinas", "dinas", "kecamatan"],
                "alias": ["", "", ""],
            }
        )
    )
    elements = pd.DataFrame(
        {
            "kode_elemen": ["1.02.01", "1.02.02", "1.02.03", "1.01.01", "1.02.04"],
            "nama_elemen": ["Jumlah puskesmas", "Jumlah bidan", "=Rasio dokter", "Jumlah SD", "Sub-elemen"],
            "satuan": ["unit", "orang", None, "unit", "unit"],
            "kode_urusan": ["1.02", "1.02", "1.02", "1.01", "1.02"],
            "nama_urusan": ["Kesehatan", "Kesehatan", "Kesehatan", "Pendidikan", "Kesehatan"],
            "kode_opd": ["OPD01", "OPD01", "OPD01", "OPD02", "OPD01"],
            "tahun_wajib": [(2017, 2018, 2019), (2018, 2019), (2019,), (2019,), (2019,)],
            "dihitung": [True, True, True, True, False],
        }
    )
    return register, SimpleNamespace(elements=elements)


def test_one_template_per_opd_that_owes(tmp_path):
    register, catalogue = make_reference()
    paths = st.write_templates(catalogue, register, tmp_path, Settings())
    assert [p.name for p in paths] == ["OPD01-dinkes.xlsx", "OPD02-dindikbud.xlsx"]  # OPD03 owes nothing


def test_layout_the_reader_expects(tmp_path):
    register, catalogue = make_reference()
    path = st.write_templates(catalogue, register, tmp_path, Settings())[0]
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Data", "Petunjuk"]
    ws = wb["Data"]
    assert ws["A1"].value == "OPD: Dinas Kesehatan"
    assert [c.value for c in ws[3]] == ["Kode Elemen", "Nama Elemen", "Satuan", 2017, 2018, 2019]
    rows = [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]
    assert [r[:3] for r in rows] == [
        ["1.02.01", "Jumlah puskesmas", "unit"],
        ["1.02.02", "Jumlah bidan", "orang"],
        ["1.02.03", "=Rasio dokter", None],  # not-counted sub-element left out; name kept as text
    ]
    assert ws["B6"].data_type == "s"
    assert all(v is None for r in rows for v in r[3:])
    # years not owed are greyed, owed ones are input cells
    assert ws["D5"].fill.fgColor.rgb.endswith("D9D9D9") and ws["E5"].fill.fgColor.rgb.endswith("FFFDE7")
    guide = [r[0] for r in wb["Petunjuk"].iter_rows(values_only=True)]
    assert any("- (tanda hubung)" in (line or "") for line in guide)
    assert any("... (tiga titik)" in (line or "") for line in guide)


def test_validation_accepts_numbers_dash_and_dots(tmp_path):
    register, catalogue = make_reference()
    path = st.write_templates(catalogue, register, tmp_path, Settings())[0]
    validations = openpyxl.load_workbook(path)["Data"].data_validations.dataValidation
    assert len(validations) == 1
    dv = validations[0]
    assert dv.type == "custom"
    assert str(dv.sqref) == "D4:F6"
    assert dv.formula1 == 'OR(ISNUMBER(D4),D4="-",D4="...",D4="…")'
    assert dv.showErrorMessage


def test_templates_are_deterministic(tmp_path):
    register, catalogue = make_reference()
    a = st.write_templates(catalogue, register, tmp_path / "a", Settings())
    b = st.write_templates(catalogue, register, tmp_path / "b", Settings())
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def fill_template(path, value_for):
    wb = openpyxl.load_workbook(path)
    ws = wb["Data"]
    years = [c.value for c in ws[3]][3:]
    for r in range(4, ws.max_row + 1):
        for i, year in enumerate(years):
            cell = ws.cell(row=r, column=4 + i)
            if cell.fill.fgColor.rgb.endswith("FFFDE7"):
                cell.value = value_for(r, year)
    wb.save(path)


def test_round_trip_through_ingest_and_progress(tmp_path):
    """A template filled in every owed cell ingests without issues and gives 100 % hijau."""
    ingest = pytest.importorskip("satudata.reading.ingest")
    progress = pytest.importorskip("satudata.evaluation.progress")
    register, catalogue = make_reference()
    from satudata.reference.catalogue import Catalogue

    catalogue = Catalogue(catalogue.elements.assign(induk=None, tingkat=1, demo_saja=False))
    settings = Settings()
    path = st.write_templates(catalogue, register, tmp_path, settings)[0]
    fill_template(path, lambda r, year: "-" if (r + year) % 3 == 0 else float(r * 10 + year % 100))
    result = ingest.ingest_file(path, "2020-08-27", register, catalogue, settings)
    masalah = result.masalah
    # no issue at all; the instruction sheet is only noted in the manifest
    assert masalah.empty, masalah.to_dict("records")
    assert any("'Petunjuk'" in note for note in result.manifest["berkas"][0]["catatan"])
    nilai = result.nilai
    counted = nilai.loc[nilai["dihitung"].astype(bool)]
    assert len(counted) == 6  # 3 + 2 + 1 items owed by OPD01
    assert set(counted["kode_opd"]) == {"OPD01"}
    assert sorted(counted["status"].unique()) == ["ada", "nihil"]
    table = progress.compute_progress(
        "2020-08-27", {"2020-08-27": nilai}, catalogue, register, settings
    ).progres_opd
    row = table.set_index("kode_opd").loc["OPD01"]
    assert row["wajib"] == 6 and row["terpenuhi"] == 6
    assert row["persen"] == pytest.approx(100.0)
    assert row["zona"] == "hijau"
