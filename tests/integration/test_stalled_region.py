"""A stalled region (issue 23): a copy of the demo with two more rounds in which nothing arrives. Nothing
moves, so neither the region nor any OPD gets a forecast, and the deck and the report say why."""

from __future__ import annotations

import pytest
from pptx import Presentation

from satudata.evaluation import trends
from satudata.evaluation.round_facts import STALLED, load_round_facts
from satudata.outputs import report
from satudata.outputs.slides import slide_texts
from satudata.run import rakor_stage
from satudata.run.pipeline import Context, run_ingest, run_progress

EXTRA = ("2020-10-08", "2020-10-22")
WHY = ("Tidak ada perkiraan kapan rata-rata capaian mencapai 90 %: rata-rata tidak bergerak (laju terakhir "
       "0,0 poin per minggu, laju rata-rata 0,0 poin per minggu), tidak tercapai dengan laju sekarang.")  # fmt: skip


@pytest.fixture(scope="module")
def stalled(tmp_path_factory):
    from tests.demo_rounds import demo_rounds

    data, reports = demo_rounds(tmp_path_factory.mktemp("macet"))
    for round_date in EXTRA:
        (data / "raw" / round_date).mkdir(parents=True)  # the round is held; no OPD sends anything
        ctx = Context.create(round_date, data, reports, "")
        run_ingest(ctx)
        run_progress(ctx)
    return data, reports


def test_stalled_region_forecasts_nothing_and_says_why(stalled):
    data, reports = stalled
    last = EXTRA[-1]
    ctx = Context.create(last, data, reports, "")
    facts = load_round_facts(data / "processed", last, ctx.settings)
    assert facts.region.forecast.status == trends.STATUS_NEVER
    assert facts.region.laju_terakhir == pytest.approx(0.0)
    assert facts.region.forecast_text == WHY
    below = [f for f in facts.opds.values() if f.persen is not None and f.persen < 100]
    assert len(below) == 20  # 23 of the 43 OPDs are at 100 %
    assert all(STALLED in f.alasan for f in below)
    assert {f.perkiraan_hijau for f in below} <= {trends.STATUS_NEVER, trends.STATUS_REACHED}
    # every OPD sent its files in the demo's rounds: the last submission is an earlier round, never this one
    assert {f.kirim_terakhir for f in facts.opds.values()} <= {"2020-08-27", "2020-09-10", "2020-09-24"}

    result = rakor_stage.run_rakor(last, data, reports, "")
    notes = "\n".join(slide_texts(result.deck, notes=True))
    assert WHY in notes
    summary = "\n".join(sh.text_frame.text for sh in Presentation(str(result.deck)).slides[1].shapes
                        if sh.has_text_frame)  # fmt: skip
    assert WHY in summary

    riwayat = facts_history(data)
    progres = riwayat.loc[riwayat["putaran"] == last]
    block = report.attention_html(progres, riwayat, last, ctx.settings, facts)
    assert WHY in block
    cards = report.opd_table_html(progres, ctx.settings, riwayat=riwayat, putaran=last, facts=facts)
    assert "Mencapai zona hijau: <strong>tidak tercapai dengan laju sekarang</strong>" in cards
    assert "Mencapai zona hijau: <strong>putaran ke-" not in cards


def facts_history(data):
    import pandas as pd

    return pd.read_parquet(data / "processed" / "riwayat_progres_opd.parquet")
