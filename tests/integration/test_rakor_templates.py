"""Every demo OPD's submission template, filled in, ingests with no error or warning and counts fully."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from satudata.outputs import submission_template as st

pytestmark = pytest.mark.slow


def fill(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Data"]
    years = [c.value for c in ws[st.HEADER_ROW]][len(st.FIXED_HEADERS) :]
    for r in range(st.HEADER_ROW + 1, ws.max_row + 1):
        unit = str(ws.cell(row=r, column=st.FIXED_HEADERS.index("Satuan") + 1).value or "")
        for i in range(len(years)):
            cell = ws.cell(row=r, column=len(st.FIXED_HEADERS) + 1 + i)
            if cell.fill.fgColor.rgb.endswith(st.INPUT_FILL.fgColor.rgb[-6:]):
                cell.value = "-" if (r + i) % 4 == 0 else 12.5 if unit == "%" else 1234.5
    wb.save(path)


def test_demo_templates_round_trip(tmp_path):
    from satudata.evaluation.progress import compute_progress
    from satudata.reading.ingest import ingest_file
    from satudata.reference.catalogue import load_reference
    from satudata.reference.settings import load_settings
    from satudata.run.demo import plan_demo, write_reference

    write_reference(plan_demo(), tmp_path / "reference")
    settings = load_settings(tmp_path / "reference" / "pengaturan.toml")
    register, catalogue = load_reference(tmp_path / "reference", settings)
    paths = st.write_templates(catalogue, register, tmp_path / "templat", settings)
    owed = catalogue.items()
    assert len(paths) == owed["kode_opd"].nunique() == 43
    nilai = []
    for path in paths:
        fill(path)
        result = ingest_file(path, "2020-10-01", register, catalogue, settings)
        serious = result.masalah.loc[result.masalah["tingkat"] != "info"]
        assert serious.empty, (path.name, serious["pesan"].tolist()[:3])
        counted = result.nilai.loc[result.nilai["dihitung"].astype(bool)]
        kode = path.name.split("-")[0]
        assert set(counted["kode_opd"]) == {kode}
        assert len(counted) == (owed["kode_opd"] == kode).sum()
        nilai.append(result.nilai)
    import pandas as pd

    progres = compute_progress(
        "2020-10-01", {"2020-10-01": pd.concat(nilai, ignore_index=True)}, catalogue, register, settings
    ).progres_opd
    scored = progres.loc[progres["wajib"] > 0]
    assert len(scored) == 43
    assert (scored["persen"] == 100).all() and (scored["zona"] == "hijau").all()
