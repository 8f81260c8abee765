"""A round mixing an OPD's file, a CKAN portal snapshot, a SIPD DSSD export and an e-Walidata JSON: stage 1
reads every source (each value tagged with its source), stage 2 counts an item fulfilled from any source and
says from which, and reconciles each element and year across the three (``sama``, ``beda``,
``hanya_satu_sumber``). Without ``[sumber]`` the same folder gives today's outputs. One bad source is an issue
and the round goes on. The portal is a local recorded server, stopped before the round runs."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from satudata.reading.dssd import write_table
from satudata.reference.settings import load_settings
from satudata.run.pipeline import Context, run_ingest, run_progress
from satudata.sources.ckan import CkanClient, fetch_snapshot
from tests.ckan_server import FakeCkan
from tests.sources_reference import BASE, sources_settings, write_reference

ROUND = "2024-04-01"
DINKES_CSV = "Uraian,Satuan,2021,2022,2023\nJumlah puskesmas,Unit,27,28,29\nJumlah tenaga kesehatan,Orang,1200,1210,\n"
DSSD = pd.DataFrame({"kode_dssd": ["1.02.0001", "1.02.0002"], "uraian_dssd": ["Jumlah puskesmas", "Jumlah tenaga kesehatan"],
                     "satuan": ["Unit", "Orang"], "data_2021": [27, 1200], "data_2022": [27, None],
                     "data_2023": [29, None]})  # fmt: skip
EWALIDATA = [{"kodeindikator": "1.01.0002", "uraian_indikator": "Jumlah guru sekolah dasar", "satuan": "Orang",
              "bidangurusan": "Pendidikan", "tahun": "2021", "data": "350", "status_verifikasi_walidata": "Terverifikasi",
              "lastupdate": "2024-03-28 09:00:00"},
             {"kodeindikator": "9.99.9999", "uraian_indikator": "Indikator lain", "satuan": "Unit",
              "bidangurusan": "Lain", "tahun": "2021", "data": "5", "status_verifikasi_walidata": "",
              "lastupdate": ""}]  # fmt: skip


def _round_folder(root: Path, url: str) -> Path:
    raw = root / "raw" / ROUND
    (raw / "sipd").mkdir(parents=True)
    (raw / "dinkes.csv").write_text(DINKES_CSV, encoding="utf-8")
    write_table(DSSD, raw / "sipd" / "dssd-kesehatan.xlsx")
    (raw / "sipd" / "ewalidata.json").write_text(json.dumps({"data": EWALIDATA}), encoding="utf-8")
    settings = load_settings(write_reference(root, sources_settings(url)) / "pengaturan.toml")
    source = next(s for s in settings.sources if s.kind == "ckan")
    fetch_snapshot(source, raw / "portal" / source.name, CkanClient(url, delay=0.0, sleep=lambda s: None))
    return raw


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    with FakeCkan() as portal:
        _round_folder(root, portal.url)
    # the portal is stopped: the round is built from the snapshot only
    ctx = Context.create(ROUND, root, root / "reports", None)
    ingest = run_ingest(ctx)
    progress = run_progress(ctx)
    return root, ctx, ingest, progress


def test_stage_1_tags_every_value_with_its_source(mixed):
    _root, ctx, ingest, _ = mixed
    nilai = ingest.nilai
    counted = nilai[nilai["dihitung"]]
    by_source = counted.groupby("sumber", observed=True).size().to_dict()
    # file: 5 values; SIPD: 4 DSSD cells + 1 e-Walidata record; portal: 3 puskesmas + 2 sekolah dasar
    assert by_source == {"berkas": 5, "sipd": 4, "ewalidata": 1, "portal": 5}
    assert not nilai.loc[nilai["sumber"] != "berkas", "dipakai"].any()
    files = set(nilai["sumber_file"])
    assert {"dinkes.csv", "sipd/dssd-kesehatan.xlsx", "sipd/ewalidata.json",
            "portal/portal/berkas/res-puskesmas.csv", "portal/portal/berkas/res-sd.csv"} <= files  # fmt: skip
    manifest = json.loads((ctx.processed / "manifest.json").read_text(encoding="utf-8"))
    assert [e["berkas"] for e in manifest["berkas"]] == ["dinkes.csv"]  # sources' files are not submissions
    summary = {s["nama"]: s for s in manifest["sumber"]}
    assert (summary["portal"]["dataset"], summary["portal"]["dataset_cocok"], summary["portal"]["nilai"]) == (4, 3, 5)
    assert (summary["sipd"]["nilai"], summary["sipd"]["elemen_cocok"]) == (4, 2)
    codes = ingest.masalah.set_index("kode_masalah")["pesan"]
    assert "9.99.9999" in codes["sumber_elemen_tidak_dikenal"]
    assert "res-nakes tidak terunduh" in codes["sumber_berkas_gagal"]
    portal = pd.read_parquet(ctx.processed / "sumber_portal_opd.parquet").set_index("kode_opd")
    assert portal.loc["DINKES", "item_tercakup"] == 4 and portal.loc["DISDIK", "item_tercakup"] == 2


def test_progress_counts_any_source_and_says_which(mixed):
    _, _, _, progress = mixed
    opd = progress.progres_opd.set_index("kode_opd")
    assert opd.loc["DINKES", ["wajib", "terpenuhi"]].tolist() == [6, 5]
    assert opd.loc["DISDIK", ["wajib", "terpenuhi"]].tolist() == [6, 3]
    assert opd.loc["DISDIK", "zona"] == "kuning"
    items = progress.item_terkini.set_index(["kode_elemen", "tahun"])
    assert items.loc[("1.02.0001", 2022), ["nilai", "sumber"]].tolist() == [28.0, "berkas"]  # the file is current
    assert items.loc[("1.01.0001", 2021), ["nilai", "sumber"]].tolist() == [412.0, "portal"]
    assert items.loc[("1.01.0002", 2021), ["nilai", "sumber"]].tolist() == [350.0, "ewalidata"]
    assert pd.isna(items.loc[("1.01.0002", 2022), "sumber"])


def test_reconciliation_has_sama_beda_and_one_source(mixed):
    _, ctx, _, _ = mixed
    table = pd.read_parquet(ctx.processed / "rekonsiliasi.parquet")
    assert (ctx.processed / "rekonsiliasi.csv").exists()
    rows = {(r.kode_elemen, r.tahun): r for r in table.itertuples(index=False)}
    assert len(rows) == 8
    beda = rows[("1.02.0001", 2022)]
    assert (beda.status, beda.nilai_berkas, beda.nilai_sipd, beda.nilai_portal, beda.selisih) == ("beda", 28.0, 27.0, 27.0, 1.0)
    assert math.isclose(beda.selisih_persen, 100 / 28)
    assert beda.sumber_ada == "berkas OPD, SIPD, portal"
    assert rows[("1.02.0001", 2021)].status == "sama" and rows[("1.02.0002", 2021)].status == "sama"
    assert rows[("1.02.0002", 2022)].status == "hanya_satu_sumber"
    assert (rows[("1.01.0001", 2021)].status, rows[("1.01.0001", 2021)].nilai_portal) == ("hanya_satu_sumber", 412.0)
    assert table["status"].value_counts().to_dict() == {"hanya_satu_sumber": 4, "sama": 3, "beda": 1}


def test_report_section_data(mixed):
    from satudata.sources.reconcile import report_section

    _, ctx, _, _ = mixed
    section = report_section(ctx.processed)
    assert section.total == {"butir": 8, "dibandingkan": 4, "sama": 3, "beda": 1, "hanya_satu_sumber": 4}
    assert section.beda[["kode_elemen", "tahun"]].values.tolist() == [["1.02.0001", 2022]]
    per = section.ringkasan.set_index("kode_opd")
    assert per.loc["DINKES", ["butir", "sama", "beda", "hanya_satu_sumber", "ada_di_portal"]].tolist() == [5, 3, 1, 1, 3]
    by_source = section.per_sumber.set_index("kode_opd")
    assert by_source.loc["DISDIK", ["portal", "ewalidata", "terpenuhi"]].tolist() == [2, 1, 3]
    assert section.kalimat.startswith("8 butir data ada di sekurang-kurangnya satu sumber; 4 dapat dibandingkan")


def test_feedback_sheet_rekonsiliasi(mixed, tmp_path):
    from satudata.outputs import feedback
    from satudata.sources.reconcile import load_reconciliation

    _, ctx, _, progress = mixed
    register, _ = ctx.reference()
    table = load_reconciliation(ctx.processed)
    args = (register.frame, progress.progres_opd, progress.kekurangan, pd.DataFrame(columns=["kode_opd"]),
            ctx.settings, ROUND, tmp_path)  # fmt: skip
    paths = feedback.write_feedback(*args, rekonsiliasi=table)
    wb = load_workbook(paths[0])  # DINKES
    assert wb.sheetnames[-1] == "Rekonsiliasi Sumber"
    ws = wb["Rekonsiliasi Sumber"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 5
    beda = next(r for r in rows if r["Status"] == "beda")
    assert (beda["Kode Elemen"], beda["Tahun"], beda["Nilai di berkas OPD"], beda["Nilai di SIPD"],
            beda["Nilai di portal"], beda["Selisih"]) == ("1.02.0001", 2022, 28, 27, 27, 1)  # fmt: skip
    without = feedback.write_feedback(*args[:-1], tmp_path / "tanpa")
    assert "Rekonsiliasi Sumber" not in load_workbook(without[0]).sheetnames
    before = [load_workbook(p).sheetnames for p in without]
    assert all(names[:-1] == before[0] for names in [load_workbook(p).sheetnames for p in paths])


def test_without_sumber_the_round_is_as_before(mixed, tmp_path):
    root, _, _, _ = mixed
    plain = tmp_path / "plain"
    shutil.copytree(root / "raw", plain / "raw")
    write_reference(plain, BASE)
    ctx = Context.create(ROUND, plain, plain / "reports", None)
    ingest = run_ingest(ctx)
    progress = run_progress(ctx)
    assert "sumber" not in ingest.nilai.columns and "sumber" not in progress.item_terkini.columns
    assert not (ctx.processed / "rekonsiliasi.parquet").exists()
    manifest = json.loads((ctx.processed / "manifest.json").read_text(encoding="utf-8"))
    assert "sumber" not in manifest and "sources" not in manifest["pengaturan"]
    assert "sipd/dssd-kesehatan.xlsx" in [e["berkas"] for e in manifest["berkas"]]  # read as a submission, as before
    opd = progress.progres_opd.set_index("kode_opd")
    assert opd.loc["DINKES", "terpenuhi"] == 5 and opd.loc["DISDIK", "terpenuhi"] == 0


def test_a_bad_source_is_an_issue_and_the_round_goes_on(mixed, tmp_path):
    root, _, _, _ = mixed
    bad = tmp_path / "bad"
    shutil.copytree(root / "raw", bad / "raw")
    shutil.copytree(root / "reference", bad / "reference")
    (bad / "raw" / ROUND / "sipd" / "ewalidata.json").write_text("{rusak", encoding="utf-8")
    shutil.rmtree(bad / "raw" / ROUND / "portal")  # no snapshot
    ctx = Context.create(ROUND, bad, bad / "reports", None)
    ingest = run_ingest(ctx)
    masalah = ingest.masalah.set_index("kode_masalah")["pesan"]
    assert "Sumber ewalidata: berkas sipd/ewalidata.json tidak dapat dibaca" in masalah["sumber_tidak_terbaca"]
    assert "Sumber portal (ckan) tidak dapat dibaca" in masalah["sumber_gagal"]
    assert "satudata sumber --putaran" in masalah["sumber_gagal"]
    progress = run_progress(ctx)
    opd = progress.progres_opd.set_index("kode_opd")
    assert opd.loc["DINKES", "terpenuhi"] == 5 and opd.loc["DISDIK", "terpenuhi"] == 0


def test_cli_sumber_lists_what_each_source_holds(mixed, capsys):
    from satudata.run.cli import main

    root, _, _, _ = mixed
    assert main(["sumber", "--round", ROUND, "--data-dir", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Sumber data putaran 2024-04-01 (Senin, 1 April 2024):"
    assert out[1] == "- berkas (folder, berkas OPD): 1 berkas kiriman di data/raw/2024-04-01/."
    portal = next(line for line in out if line.startswith("- portal "))
    assert "1 berkas dibaca" in portal and "4 dataset, 3 cocok dengan elemen katalog, 6 butir tercakup" in portal
    assert "5 nilai (5 untuk butir wajib), 2 elemen cocok" in portal
    sipd = next(line for line in out if line.startswith("- sipd "))
    assert sipd == ("- sipd (dssd, SIPD): 1 berkas dibaca (pola sipd/*.xlsx); 4 nilai (4 untuk butir wajib), "
                    "2 elemen cocok.")  # fmt: skip
    assert any("9.99.9999" in line for line in out)


def test_cli_sumber_downloads_a_missing_snapshot_once(tmp_path, capsys):
    from satudata.run.cli import main

    with FakeCkan() as portal:
        write_reference(tmp_path, sources_settings(portal.url))
        (tmp_path / "raw" / ROUND).mkdir(parents=True)
        assert main(["sumber", "--putaran", ROUND, "--data-dir", str(tmp_path), "--unduh"]) == 0
        sent = len(portal.log)
        assert main(["sumber", "--putaran", ROUND, "--data-dir", str(tmp_path), "--unduh"]) == 0
        assert len(portal.log) == sent  # the snapshot exists: nothing requested
    out = capsys.readouterr().out
    assert "Unduh portal: snapshot diunduh ke" in out and "Unduh portal: snapshot sudah ada" in out
    assert (tmp_path / "raw" / ROUND / "portal" / "portal" / "snapshot.json").exists()
    # the sipd patterns match nothing in this round: said, with what to do
    assert "tidak ada berkas yang cocok dengan sipd/*.xlsx" in out


def test_the_rakor_stage_adds_the_sheet_to_each_feedback_workbook(mixed):
    from satudata.run.rakor_stage import run_rakor

    root, _, _, _ = mixed
    result = run_rakor(ROUND, root, root / "reports", None)
    names = {p.stem: load_workbook(p).sheetnames for p in result.feedback}
    assert all(n[-1] == "Rekonsiliasi Sumber" for n in names.values()) and sorted(names) == ["DINKES", "DISDIK"]
    ws = load_workbook(next(p for p in result.feedback if p.stem == "DISDIK"))["Rekonsiliasi Sumber"]
    assert [(r[0].value, r[3].value, r[6].value, r[7].value) for r in ws.iter_rows(min_row=2)] == [
        ("1.01.0001", 2021, 412, "hanya di satu sumber"), ("1.01.0001", 2022, 410, "hanya di satu sumber"),
        ("1.01.0002", 2021, None, "hanya di satu sumber")]


def test_a_form_sent_back_skips_the_reconciliation_sheet():
    from satudata.reading.return_form import info_sheets

    assert info_sheets(["Ringkasan", "Isian", "Rekonsiliasi Sumber"]) == {"Ringkasan", "Rekonsiliasi Sumber"}


def test_a_round_rebuilds_from_its_snapshot_byte_for_byte(mixed, tmp_path):
    root, ctx, _, _ = mixed
    again = tmp_path / "again"
    shutil.copytree(root / "raw", again / "raw")
    shutil.copytree(root / "reference", again / "reference")
    other = Context.create(ROUND, again, again / "reports", None)
    run_ingest(other)
    run_progress(other)
    for name in ("rekonsiliasi.csv", "sumber_portal_dataset.csv", "sumber_portal_opd.csv", "masalah.csv"):
        assert (other.processed / name).read_bytes() == (ctx.processed / name).read_bytes(), name
    for name in ("nilai.parquet", "rekonsiliasi.parquet", "item_terkini.parquet"):
        assert pd.read_parquet(other.processed / name).equals(pd.read_parquet(ctx.processed / name)), name


def test_a_ckanapi_dump_source_gives_dataset_completeness(tmp_path):
    from tests.ckan_server import packages

    write_reference(tmp_path, BASE + '\n[sumber.dump]\njenis = "ckan_dump"\nberkas = "portal/datasets.jsonl"\n')
    raw = tmp_path / "raw" / ROUND / "portal"
    raw.mkdir(parents=True)
    lines = [json.dumps(p) for group in packages("http://portal.invalid").values() for p in group]
    (raw / "datasets.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ctx = Context.create(ROUND, tmp_path, tmp_path / "reports", None)
    ingest = run_ingest(ctx)
    summary = json.loads((ctx.processed / "manifest.json").read_text(encoding="utf-8"))["sumber"][0]
    assert (summary["nama"], summary["dataset"], summary["dataset_cocok"], summary["item_tercakup"]) == ("dump", 4, 3, 6)
    assert summary["berkas"] == ["portal/datasets.jsonl"] and len(ingest.masalah) == 0
    per_opd = pd.read_parquet(ctx.processed / "sumber_portal_opd.parquet").set_index("kode_opd")
    assert per_opd.loc["DINKES", ["cocok_kode", "cocok_judul", "item_tercakup"]].tolist() == [1, 1, 4]


def test_cli_sumber_without_sumber_and_as_json(mixed, tmp_path, capsys):
    from satudata.run.cli import main

    root, _, _, _ = mixed
    write_reference(tmp_path, BASE)
    (tmp_path / "raw" / ROUND).mkdir(parents=True)
    (tmp_path / "raw" / ROUND / "dinkes.csv").write_text(DINKES_CSV, encoding="utf-8")
    assert main(["sumber", "--round", ROUND, "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("Pengaturan belum berisi [sumber]: hanya folder putaran yang dibaca")
    assert out[2] == "- berkas (folder, berkas OPD): 1 berkas kiriman di data/raw/2024-04-01/."
    assert main(["sumber", "--round", ROUND, "--data-dir", str(root), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_name = {d["nama"]: d for d in data["sumber"]}
    assert (by_name["ewalidata"]["nilai"], by_name["ewalidata"]["nilai_dihitung"]) == (2, 1)
    assert by_name["berkas"]["berkas"] == ["dinkes.csv"]


def test_a_source_value_passes_the_checks_a_file_value_passes(tmp_path):
    """A negative count from e-Walidata is not counted, as it would not be from a submitted file."""
    with FakeCkan() as portal:
        raw = _round_folder(tmp_path, portal.url)
    negative = [{**EWALIDATA[0], "data": "-350"}]
    (raw / "sipd" / "ewalidata.json").write_text(json.dumps({"data": negative}), encoding="utf-8")
    ctx = Context.create(ROUND, tmp_path, tmp_path / "reports", None)
    ingest = run_ingest(ctx)
    row = ingest.nilai[ingest.nilai["sumber"] == "ewalidata"].iloc[0]
    assert (row["kode_elemen"], row["nilai"], bool(row["dihitung"])) == ("1.01.0002", -350.0, False)
    issue = ingest.masalah[ingest.masalah["kode_masalah"] == "nilai_negatif"]
    assert len(issue) == 1 and "sipd/ewalidata.json" in issue.iloc[0]["pesan"]
    progress = run_progress(ctx)
    items = progress.item_terkini.set_index(["kode_elemen", "tahun"])
    assert not bool(items.loc[("1.01.0002", 2021), "terpenuhi"])
    assert progress.progres_opd.set_index("kode_opd").loc["DISDIK", "terpenuhi"] == 2


def test_the_report_section_rekonsiliasi_sumber(mixed, tmp_path):
    from satudata.outputs.reconciliation_view import reconciliation_html

    _, ctx, _, _ = mixed
    html = reconciliation_html(ctx.processed)
    assert html.startswith('<h2 id="rekonsiliasi-sumber">Rekonsiliasi sumber</h2>')
    assert "3 sama, 1 berbeda; 4 hanya ada di satu" in html
    # the one value that differs: the file says 28, SIPD and the portal 27
    row = html[html.index("Nilai yang berbeda antarsumber"):]
    assert "Jumlah puskesmas" in row and "<td" in row and ">28<" in row and ">27<" in row
    assert "Butir terpenuhi menurut sumber nilainya" in html
    assert reconciliation_html(tmp_path) == ""  # no [sumber]: no section
