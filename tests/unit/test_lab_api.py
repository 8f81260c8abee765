"""The notebook API, relative paths of executed notebooks, notebook-only cells, kept edited outputs."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import nbformat
import pytest

from satudata.outputs import kept_outputs
from satudata.outputs.report import notebook_to_html
from satudata.run.notebook import relative_parameters


def test_import_satudata_loads_nothing_heavy():
    code = ("import sys, satudata; heavy = [m for m in ('pandas', 'pandera', 'matplotlib', 'pptx', 'openpyxl') "
            "if m in sys.modules]; print(heavy); assert callable(satudata.muat)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    from satudata.run.demo import SMALL_ROUND, generate_small
    from satudata.run.pipeline import Context, run_ingest, run_progress

    data = tmp_path_factory.mktemp("api") / "data"
    generate_small(data)
    ctx = Context.create(SMALL_ROUND, data, data.parent / "reports", "")
    run_ingest(ctx)
    run_progress(ctx)
    return data, SMALL_ROUND


def test_putaran_and_muat_read_the_pipeline_outputs(small):
    import pandas as pd

    import satudata as sd

    data, round_date = small
    assert sd.putaran(data) == [round_date]
    p = sd.muat(data_dir=data)  # the latest round
    assert p.putaran == round_date
    folder = data / "processed" / round_date
    for name in ("nilai", "masalah", "progres_opd", "progres_urusan", "kekurangan", "item_terkini"):
        pd.testing.assert_frame_equal(getattr(p, name), pd.read_parquet(folder / f"{name}.parquet"))
        assert p[name] is getattr(p, name)  # read once
    assert list(p.riwayat["kode_opd"]) == sorted(p.progres_opd["kode_opd"])
    assert p.settings.zones.hijau == 90
    with pytest.raises(ValueError, match="tidak valid"):
        sd.muat("kemarin", data)


def test_path_parameters_become_relative_to_the_notebook_folder(tmp_path):
    out = tmp_path / "reports" / "2020-08-27" / "notebooks"
    params = {"putaran": "2020-08-27", "data_dir": str(tmp_path / "data"), "reports_dir": str(tmp_path / "reports"),
              "settings_file": "", "opd": "DIN01"}
    assert relative_parameters(params, out) == {
        "putaran": "2020-08-27", "data_dir": "../../../data", "reports_dir": "../..", "settings_file": "",
        "opd": "DIN01"}


def test_notebook_only_cells_are_left_out_of_the_html(tmp_path):
    nb = nbformat.v4.new_notebook()
    shown = nbformat.v4.new_markdown_cell("## Ringkasan untuk pimpinan")
    hidden = nbformat.v4.new_markdown_cell("## Untuk analis saja")
    hidden.metadata["tags"] = ["notebook-only"]
    nb.cells = [shown, hidden]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    html = notebook_to_html(path, tmp_path / "x.html", "x").read_text(encoding="utf-8")
    assert "Ringkasan untuk pimpinan" in html and "Untuk analis saja" not in html


def test_edited_outputs_are_kept_under_a_dated_name(tmp_path):
    deck = tmp_path / "rakor-2020-08-27.pptx"
    deck.write_bytes(b"dibuat satudata")
    kept_outputs.record_written([deck], tmp_path)
    # unchanged since written: replaced without a copy
    assert kept_outputs.keep_edited([deck], tmp_path) == []
    deck.write_bytes(b"diedit sebelum rakor")
    when = datetime(2020, 8, 26, 9, 30)
    kept = kept_outputs.keep_edited([deck], tmp_path, when)
    copy = tmp_path / "rakor-2020-08-27.sebelumnya-20200826-093000.pptx"
    assert kept == [(deck, copy)] and copy.read_bytes() == b"diedit sebelum rakor" and not deck.exists()
    assert "disimpan sebagai rakor-2020-08-27.sebelumnya-20200826-093000.pptx" in \
        kept_outputs.kept_notes(kept, tmp_path)[0]
    # a file satudata never wrote is kept too; kept copies are never moved again
    other = tmp_path / "DIN01.xlsx"
    other.write_bytes(b"x")
    assert [k[0] for k in kept_outputs.keep_edited([other, copy], tmp_path, when)] == [other]


def test_rakor_rerun_keeps_an_edited_deck_and_workbook(small):
    from satudata.run.rakor_stage import run_rakor

    data, round_date = small
    reports = data.parent / "reports"
    first = run_rakor(round_date, data, reports, "")
    assert first.kept == []
    again = run_rakor(round_date, data, reports, "")  # nothing edited: nothing kept
    assert again.kept == []
    first.deck.write_bytes(first.deck.read_bytes() + b"\0")
    workbook = first.feedback[0]
    workbook.write_bytes(workbook.read_bytes() + b"\0")
    third = run_rakor(round_date, data, reports, "")
    kept = dict(third.kept)
    assert set(kept) == {first.deck, workbook}
    for old, copy in kept.items():
        assert copy.exists() and copy.read_bytes().endswith(b"\0") and old.exists()
        assert ".sebelumnya-" in copy.name and copy.suffix == old.suffix
    assert any(Path(first.deck).name in note and "disimpan sebagai" in note for note in third.notes)
