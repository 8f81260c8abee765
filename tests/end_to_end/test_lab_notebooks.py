"""The notebooks an analyst opens: the executed stage notebooks of the demo show pandas tables and
charts and name no folder of this machine; `make eksplorasi` shows the figures of the processed tables."""

from __future__ import annotations

import pandas as pd
import pytest

from satudata.common import fmt
from satudata.reference.settings import load_settings
from satudata.run import demo

from .conftest import run_make
from .notebook_outputs import is_pandas_table, output_of, outputs, table_rows

pytestmark = pytest.mark.slow
LAST = demo.DEMO_ROUNDS[-1]
# stage notebook -> images it must show (03 and 04 embed their report charts too)
STAGES = {"01_ingest": 1, "02_progres": 2, "03_laporan": 1, "04_rakor": 2}


@pytest.mark.parametrize("name", sorted(STAGES))
def test_executed_stage_notebooks_show_tables_and_charts(demo_built, name):
    data, reports = demo_built
    for putaran in demo.DEMO_ROUNDS:
        path = reports / putaran / "notebooks" / f"{name}.ipynb"
        tables = [h for h in outputs(path, "text/html") if is_pandas_table(h)]
        assert len(tables) >= 1, (path, "no pandas table")
        assert len(outputs(path, "image/png")) >= STAGES[name], (path, "chart missing")
        text = path.read_text(encoding="utf-8")
        # paths are recorded relative to the notebook's folder: no folder of this machine
        assert str(data.parent) not in text, path


def test_notebook_only_cells_stay_out_of_the_report(demo_built):
    _, reports = demo_built
    html = (reports / LAST / f"laporan-evaluasi-{LAST}.html").read_text(encoding="utf-8")
    assert "Untuk analis" not in html and '<table id="T_' not in html
    executed = reports / LAST / "notebooks" / "03_laporan.ipynb"
    assert "Untuk analis" in executed.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def eksplorasi(demo_built):
    data, reports = demo_built
    run_make("eksplorasi", f"ROUND={LAST}", "OPD=Dinkes", f"DATA_DIR={data}", f"REPORTS_DIR={reports}")
    return data, reports / LAST / f"eksplorasi-{LAST}.ipynb"


def test_eksplorasi_per_urusan_percent_equals_progres_urusan(eksplorasi):
    data, path = eksplorasi
    rows = table_rows(output_of(path, "views.styled_by_value(per_urusan"))
    header, body = rows[0], rows[1:]
    assert header == ["kode_urusan", "nama_urusan", *demo.DEMO_ROUNDS]
    expected = {r: pd.read_parquet(data / "processed" / r / "progres_urusan.parquet").set_index("kode_urusan")
                for r in demo.DEMO_ROUNDS}
    assert sorted(row[0] for row in body) == sorted(expected[LAST].index)
    for row in body:
        for putaran, shown in zip(demo.DEMO_ROUNDS, row[2:], strict=True):
            assert shown == fmt.persen(float(expected[putaran].loc[row[0], "persen"])), (row[0], putaran)


def test_eksplorasi_opd_history_equals_riwayat(eksplorasi):
    data, path = eksplorasi
    riwayat = pd.read_parquet(data / "processed" / "riwayat_progres_opd.parquet")
    mine = riwayat[riwayat["singkatan"] == "Dinkes"].sort_values("putaran")
    assert len(mine) == len(demo.DEMO_ROUNDS)
    labels = load_settings(data / "reference" / "pengaturan.toml").zones.labels
    rows = table_rows(output_of(path, "riwayat_opd = exploration.opd_history"))
    assert rows[1:] == [
        [str(r.putaran), fmt.angka(int(r.wajib)), fmt.angka(int(r.terpenuhi)), fmt.persen(float(r.persen)),
         labels[r.zona], fmt.persen(None if pd.isna(r.selisih) else float(r.selisih), sign=True)]
        for r in mine.itertuples()
    ]
    assert len(outputs(path, "image/png")) >= 4


def test_eksplorasi_shows_the_round_facts(eksplorasi):
    """The exploration notebook shows the round facts (``p.fakta``), never its own figures: the same zone,
    percent, items to hijau, last submission and action as the report, for every OPD."""
    from satudata.evaluation.round_facts import load_round_facts

    data, path = eksplorasi
    facts = load_round_facts(data / "processed", LAST, load_settings(data / "reference" / "pengaturan.toml"))
    rows = table_rows(output_of(path, "fakta = facts_frame(p.fakta)"))
    header, body = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    assert len(body) == len(facts.opds) == 43
    stated = {r[col["kode_opd"]]: (r[col["Zona"]], r[col["Persen capaian"]], r[col["Butir ke hijau"]],
                                   r[col["Kiriman terakhir"]], r[col["Perlu tindakan"]]) for r in body}  # fmt: skip
    assert stated == {k: (f.zona_label, f.persen_teks, str(f.ke_hijau), f.kirim_terakhir_teks, f.tindakan_teks)
                      for k, f in facts.opds.items()}  # fmt: skip
    # the OPDs to act on come first
    assert [r[col["kode_opd"]] for r in body[: len(facts.action_list)]] == [f.kode_opd for f in facts.action_list]
