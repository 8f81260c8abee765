"""Real files through ``[sumber]``: the two Sidoarjo SIPD DSSD exports as a ``dssd`` source (next to an OPD file
that disagrees on one cell), and West Java's portal inventory as an ``inventaris`` source."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from satudata.run.pipeline import Context, run_ingest, run_progress
from tests.integration.test_sources_dssd import CAGAR, JALAN, KATALOG, OPD, SETTINGS
from tests.jabar_reference import write_jabar_reference

INVENTORY = Path(__file__).parents[1] / "data" / "realdata" / "portal" / "opendata_2908.json"
DISBUD_CSV = "Uraian,Satuan,2023,2024\nJumlah bangunan cagar budaya (nama lain),Unit,2,1\n"


def test_sidoarjo_exports_as_a_dssd_source(tmp_path):
    ref = tmp_path / "reference"
    ref.mkdir()
    (ref / "opd.csv").write_text(OPD, encoding="utf-8")
    (ref / "katalog.csv").write_text(KATALOG, encoding="utf-8")
    (ref / "pengaturan.toml").write_text(SETTINGS + '\n[sumber.sipd]\njenis = "dssd"\nberkas = ["sipd/*.xls", '
                                         '"sipd/*.xlsx"]\n', encoding="utf-8")  # fmt: skip
    raw = tmp_path / "raw" / "2024-06-01"
    (raw / "sipd").mkdir(parents=True)
    shutil.copy(CAGAR, raw / "sipd")
    shutil.copy(JALAN, raw / "sipd")
    (raw / "disbud.csv").write_text(DISBUD_CSV, encoding="utf-8")
    ctx = Context.create("2024-06-01", tmp_path, tmp_path / "reports", None)
    ingest = run_ingest(ctx)
    sipd = ingest.nilai[ingest.nilai["sumber"] == "sipd"]
    cells = {(k, int(t)): v for k, t, v in sipd[["kode_elemen", "tahun", "nilai"]].itertuples(index=False)}
    # every valued cell of both exports (the empty ones are not values): on its code and year
    assert cells == {("1.03.000011", 2023): 1.0, ("1.03.000011", 2024): 1.0, ("PU-7", 2022): 1.0}
    assert set(sipd["kode_opd"]) == {"DISBUD", "DPU"}
    manifest = json.loads((ctx.processed / "manifest.json").read_text(encoding="utf-8"))
    assert [e["berkas"] for e in manifest["berkas"]] == ["disbud.csv"]
    progress = run_progress(ctx)
    opd = progress.progres_opd.set_index("kode_opd")
    assert opd.loc["DISBUD", ["wajib", "terpenuhi"]].tolist() == [6, 2]
    assert opd.loc["DPU", ["wajib", "terpenuhi"]].tolist() == [12, 1]
    table = pd.read_parquet(ctx.processed / "rekonsiliasi.parquet").set_index(["kode_elemen", "tahun"])
    assert table.loc[("1.03.000011", 2023), ["status", "nilai_berkas", "nilai_sipd", "selisih"]].tolist() == [
        "beda", 2.0, 1.0, 1.0]
    assert table.loc[("1.03.000011", 2024), "status"] == "sama"
    assert table.loc[("PU-7", 2022), ["status", "sumber_ada"]].tolist() == ["hanya_satu_sumber", "SIPD"]


def test_jabar_inventory_as_an_inventaris_source(tmp_path):
    ref = write_jabar_reference(tmp_path)
    with (ref / "pengaturan.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[sumber.jabar]\njenis = "inventaris"\nberkas = "portal/opendata_2908.json"\n')
    raw = tmp_path / "raw" / "2024-08-29" / "portal"
    raw.mkdir(parents=True)
    shutil.copy(INVENTORY, raw)
    ctx = Context.create("2024-08-29", tmp_path, tmp_path / "reports", None)
    ingest = run_ingest(ctx)
    summary = json.loads((ctx.processed / "manifest.json").read_text(encoding="utf-8"))["sumber"][0]
    assert (summary["dataset"], summary["dataset_cocok"], summary["item_tercakup"], summary["nilai"]) == (3427, 49, 147, 0)
    assert len(ingest.nilai) == 0  # an inventory lists datasets, it holds no value
    datasets = pd.read_parquet(ctx.processed / "sumber_portal_dataset.parquet")
    assert (len(datasets), int(datasets["kode_opd"].notna().sum()), datasets["produsen"].nunique()) == (3427, 2755, 38)
    per_opd = pd.read_parquet(ctx.processed / "sumber_portal_opd.parquet")
    assert int((per_opd["dataset"] > 0).sum()) == 32
    assert (int(per_opd["item_tercakup"].sum()), int(per_opd["item_wajib"].sum())) == (147, 9444)
    assert (ctx.processed / "saran-pemetaan-portal.csv").exists()
