"""The demo's deliberate anomalies are found, few other values are flagged, and the quality score of two
producers is reproduced by hand from the round's tables."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from satudata.run import demo
from satudata.run.pipeline import Context, run_ingest, run_progress

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_rounds(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo-quality")
    demo.generate_demo(root)
    for round_date in demo.DEMO_ROUNDS:
        ctx = Context.create(round_date, root, root / "reports")
        run_ingest(ctx)
        run_progress(ctx)
    return root, ctx


def test_every_deliberate_anomaly_is_found(demo_rounds):
    root, ctx = demo_rounds
    warnings = pd.read_parquet(ctx.processed / "kualitas_nilai.parquet")
    anomalies = demo.plan_anomalies(demo.plan_demo())
    by_kind = {kind: key.split(":") for key, kind in anomalies.items()}
    typo, copy, revision = by_kind[demo.ANOMALY_TYPO], by_kind[demo.ANOMALY_COPY], by_kind[demo.ANOMALY_REVISION]
    found = set(zip(warnings["kode_opd"], warnings["kode_elemen"], warnings["tahun"], warnings["kode_cek"],
                    strict=True))
    assert (typo[0], typo[1], demo.DEMO_YEARS[2], "lonjakan") in found
    assert (copy[0], copy[1], demo.DEMO_YEARS[-1], "nilai_disalin") in found
    assert (revision[0], revision[1], demo.DEMO_YEARS[1], "revisi") in found
    # the late producer's files arrived after the round's date
    quality = pd.read_parquet(ctx.processed / "kualitas_opd.parquet").set_index("kode_opd")
    plan = demo.plan_demo()
    late = next(p for p in plan.producers if p.index == demo.LATE_PRODUCER_INDEX)
    assert quality.loc[late.kode_opd, "ketepatan_waktu"] == 0.0
    on_time = quality.drop(index=late.kode_opd)["ketepatan_waktu"].dropna()
    assert len(on_time) > 30 and (on_time == 100.0).all()


def test_the_total_that_does_not_add_up_is_found(demo_rounds):
    """The demo's one wrong Jumlah row (last round) is the only total that fails; every other total written in
    the demo's files is checked and adds up; the producer's consistency counts it."""
    root, ctx = demo_rounds
    assert len(demo.WRONG_TOTALS) == 1
    (code, name), = demo.WRONG_TOTALS.items()
    for round_date in demo.DEMO_ROUNDS:
        masalah = pd.read_parquet(root / "processed" / round_date / "masalah.parquet")
        wrong = masalah[masalah["kode_masalah"] == "jumlah_tabel_tidak_cocok"]
        manifest = json.loads((root / "processed" / round_date / "manifest.json").read_text(encoding="utf-8"))
        checked = sum(e["cek_jumlah"]["diperiksa"] for e in manifest["berkas"])
        assert checked >= 15  # every merged-header file's Jumlah rows are checked
        if round_date != demo.DEMO_ROUNDS[-1]:
            assert wrong.empty, wrong["pesan"].tolist()
            continue
        assert len(wrong) == 1
        issue = wrong.iloc[0]
        assert (issue["kode_opd"], issue["sumber_file"], issue["tingkat"]) == (code, name, "peringatan")
        assert "jumlah tertulis" in issue["pesan"] and "selisih" in issue["pesan"]
        entry = next(e for e in manifest["berkas"] if e["berkas"] == name)
        assert entry["cek_jumlah"]["tidak_cocok"] == 1
    quality = pd.read_parquet(ctx.processed / "kualitas_opd.parquet").set_index("kode_opd")
    assert quality.loc[code, "cek_gagal"] >= 1 and quality.loc[code, "konsistensi"] < 100
    # the report's annex, "Kualitas nilai": how many written totals were checked, and the one that fails
    from satudata.outputs.annex import value_quality_html

    html = value_quality_html(ctx.processed, ctx.settings)
    assert f"Jumlah yang ditulis di tabel kiriman: {checked} diperiksa terhadap rinciannya, 1 tidak cocok" in html
    assert "jumlah tertulis" in html and name in html


def test_few_other_values_get_a_warning(demo_rounds):
    _, ctx = demo_rounds
    warnings = pd.read_parquet(ctx.processed / "kualitas_nilai.parquet")
    items = pd.read_parquet(ctx.processed / "item_terkini.parquet")
    values = int(items["status"].astype("object").isin(["ada", "nihil"]).sum())
    deliberate = {tuple(k.split(":")) for k in demo.plan_anomalies(demo.plan_demo())}
    other = warnings[[(o, e) not in deliberate for o, e in zip(warnings["kode_opd"], warnings["kode_elemen"],
                                                                 strict=True)]]
    other = other[other["kode_cek"] != "semua_strip"]  # the demo's nil elements are deliberate too
    assert values > 2000
    assert len(other) / values < 0.02, other[["kode_opd", "kode_elemen", "tahun", "kode_cek"]].to_string()


def test_completeness_is_what_it_was(demo_rounds):
    _, ctx = demo_rounds
    plan = demo.plan_demo()
    opd = pd.read_parquet(ctx.processed / "progres_opd.parquet").set_index("kode_opd")
    for p in plan.producers:
        expected = plan.expected_percent(p.kode_opd, ctx.round_date)
        if expected is None:
            assert pd.isna(opd.loc[p.kode_opd, "persen"])
        else:
            assert opd.loc[p.kode_opd, "persen"] == pytest.approx(expected), p.kode_opd


@pytest.mark.parametrize("which", [0, 1])
def test_quality_score_reproduced_by_hand(demo_rounds, which):
    root, ctx = demo_rounds
    quality = pd.read_parquet(ctx.processed / "kualitas_opd.parquet").set_index("kode_opd")
    warnings = pd.read_parquet(ctx.processed / "kualitas_nilai.parquet")
    items = pd.read_parquet(ctx.processed / "item_terkini.parquet")
    anomalies = demo.plan_anomalies(demo.plan_demo())
    code = [k.split(":")[0] for k, v in anomalies.items() if v in (demo.ANOMALY_TYPO, demo.ANOMALY_REVISION)][which]
    mine = items[items["kode_opd"].astype("object") == code]
    values = mine[mine["terpenuhi"] & (mine["status"].astype("object") == "ada")]
    w = warnings[warnings["kode_opd"] == code]
    warned = len(w[w["kode_cek"].isin(["lonjakan", "nol_mendadak", "semua_strip", "nilai_disalin"])]
                 .drop_duplicates(["kode_elemen", "tahun"]))
    validitas = 100 * (len(values) - warned) / len(values)
    # consistency: the values also held by the previous round are checked for revisions
    previous = pd.read_parquet(root / "processed" / demo.DEMO_ROUNDS[-2] / "item_terkini.parquet")
    prev = previous[(previous["kode_opd"].astype("object") == code)
                    & previous["status"].astype("object").isin(["ada", "nihil"])]
    now = mine[mine["status"].astype("object").isin(["ada", "nihil"])]
    checks = len(now.merge(prev[["kode_elemen", "tahun"]].astype(object), on=["kode_elemen", "tahun"]))
    failed = int((w["kode_cek"] == "revisi").sum())
    # and the totals written in its files of this round (the manifest counts them; masalah has the misses)
    manifest = json.loads((ctx.processed / "manifest.json").read_text(encoding="utf-8"))
    checks += sum(e["cek_jumlah"]["diperiksa"] for e in manifest["berkas"] if e["kode_opd"] == code)
    masalah = pd.read_parquet(ctx.processed / "masalah.parquet")
    failed += int(((masalah["kode_opd"] == code) & (masalah["kode_masalah"] == "jumlah_tabel_tidak_cocok")).sum())
    konsistensi = 100 * (checks - failed) / checks
    catalogue = pd.read_csv(root / "reference" / "katalog.csv", dtype=str, keep_default_na=False)
    own = catalogue[catalogue["kode_opd"] == code]
    standar = 100 * (own["satuan"].str.strip() != "").sum() / len(own)
    row = quality.loc[code]
    assert row["validitas"] == pytest.approx(validitas)
    assert row["konsistensi"] == pytest.approx(konsistensi)
    assert row["ketepatan_waktu"] == pytest.approx(100.0)
    assert row["standar_metadata"] == pytest.approx(standar)
    kelengkapan = pd.read_parquet(ctx.processed / "progres_opd.parquet").set_index("kode_opd").loc[code, "persen"]
    assert row["skor_kualitas"] == pytest.approx((kelengkapan + validitas + konsistensi + 100.0 + standar) / 5)
    assert warned >= 1 or failed >= 1  # each of the two carries an anomaly


def test_epss_figures_reproduced_by_hand_and_no_level_from_a_percent(demo_rounds):
    """The figures the EPSS workbook shows per producer are the quality shares (by hand, for the late producer and
    the one with a typo); none of them sets a level: a producer has no level column at all."""
    from satudata.outputs.epss import MEASURES, epss_view
    from satudata.reference.catalogue import load_reference
    from satudata.reference.settings import load_settings

    root, ctx = demo_rounds
    quality = pd.read_parquet(ctx.processed / "kualitas_opd.parquet")
    _, catalogue = load_reference(root / "reference", load_settings(root / "reference" / "pengaturan.toml"))
    per_opd, figures = epss_view(quality, catalogue.elements)
    per_opd = per_opd.set_index("Kode OPD")
    q = quality.set_index("kode_opd")
    plan = demo.plan_demo()
    late = next(p for p in plan.producers if p.index == demo.LATE_PRODUCER_INDEX).kode_opd
    typo = next(k.split(":")[0] for k, v in demo.plan_anomalies(plan).items() if v == demo.ANOMALY_TYPO)
    labels = {m.column: m.label for m in MEASURES}
    for code in (late, typo):
        for column in ("validitas", "ketepatan_waktu", "standar_metadata"):
            assert per_opd.loc[code, labels[column]] == pytest.approx(q.loc[code, column]), (code, column)
    assert per_opd.loc[late, labels["ketepatan_waktu"]] < 20
    assert not [c for c in per_opd.columns if "tingkat" in c.lower() or c.endswith("_persen")]
    # no definitions in the demo's catalogue: metadata is said to be unmeasured, with the reason
    assert "belum dapat diukur" in figures["10201"] and "kolom definisi" in figures["10201"]
    mean = float(quality["validitas"].mean())
    from satudata.common import fmt

    assert f"{fmt.persen(mean)} %" in figures["20201"]
