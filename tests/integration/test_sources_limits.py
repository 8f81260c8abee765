"""Issue 26: every source is read under the limits of a submitted file (the settings' ``[batas]``).

A portal inventory (``inventaris``) and a ckanapi dump (``ckan_dump``) are size-checked before they are parsed, as
e-Walidata JSON and DSSD exports are: past the text limit (each is read whole into memory), an issue at once naming
the file, the limit and the key to change; the round goes on with the other files. An e-Walidata file is made into
its values inside the guarded reading worker, so that work is under the worker's memory cap (it used to be done in
the main process: 4.2 GiB for a 400 MiB JSON read with raised limits). Raw and reference files are never changed."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from satudata.formats import read_limits
from satudata.reading import parallel
from satudata.run.pipeline import Context, run_ingest, run_progress
from satudata.sources import ckan, portal, sipd_values
from tests.sources_reference import BASE, write_reference

ROUND = "2024-04-01"
DINKES_CSV = "Uraian,Satuan,2021,2022,2023\nJumlah puskesmas,Unit,27,28,29\n"
PORTAL = ('\n[sumber.inventaris]\njenis = "inventaris"\nberkas = "portal/*.csv"\n'
          '\n[sumber.dump]\njenis = "ckan_dump"\nberkas = "portal/*.jsonl"\n')  # fmt: skip
INVENTORY = "Produsen Data;Judul Tabel;Tahun Data;Status Data;Tautan\nDinas Kesehatan;Jumlah puskesmas;2021-2023;Final;x\n"
DUMP = json.dumps({"id": "p1", "name": "jumlah-sekolah-dasar", "title": "Jumlah sekolah dasar",
                   "organization": {"name": "dinas-pendidikan", "title": "Dinas Pendidikan"}, "resources": []}) + "\n"


def _hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.parts[len(root.parts)] in ("raw", "reference")}


def _sparse(path: Path, size: int, head: bytes) -> None:
    """A file of ``size`` bytes that costs nothing to make: its head, then a hole (read back as zero bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)


@pytest.fixture
def portal_round(tmp_path):
    write_reference(tmp_path, BASE + PORTAL)
    raw = tmp_path / "raw" / ROUND
    (raw / "portal").mkdir(parents=True)
    (raw / "dinkes.csv").write_text(DINKES_CSV, encoding="utf-8")
    (raw / "portal" / "a-baik.csv").write_text(INVENTORY, encoding="utf-8")
    (raw / "portal" / "a-baik.jsonl").write_text(DUMP, encoding="utf-8")
    return tmp_path, raw


def _logged(monkeypatch, log: Path) -> None:
    """The inventory and dump readers write the name of every file they parse to ``log`` (they run in a forked
    worker: a file, not a list)."""
    for module, name in ((portal, "read_inventory"), (ckan, "read_dump")):
        real = getattr(module, name)

        def reader(path, limits=None, _real=real):
            with log.open("a", encoding="utf-8") as fh:
                fh.write(Path(path).name + "\n")
            return _real(path, limits)

        monkeypatch.setattr(module, name, reader)


def _manifest(ctx) -> dict[str, dict]:
    return {s["nama"]: s for s in json.loads((ctx.processed / "manifest.json").read_text(encoding="utf-8"))["sumber"]}


def test_an_inventory_and_a_dump_past_the_size_limit_are_issues_before_they_are_parsed(portal_round, monkeypatch):
    root, raw = portal_round
    _sparse(raw / "portal" / "b-besar.csv", 100 * 1024**2, b"Produsen Data;Judul Tabel\nDinas Kesehatan;")
    _sparse(raw / "portal" / "b-besar.jsonl", 100 * 1024**2, b'{"id": "p2", "name": "')
    log = root / "dibaca.txt"
    _logged(monkeypatch, log)
    monkeypatch.setenv(parallel.START_ENV, "fork")  # the forked workers see the logging readers
    before = _hashes(root)
    started = time.monotonic()
    ctx = Context.create(ROUND, root, root / "reports", None)
    ingest = run_ingest(ctx)
    assert time.monotonic() - started < 20  # the big files are never read, only their sizes
    assert sorted(log.read_text(encoding="utf-8").split()) == ["a-baik.csv", "a-baik.jsonl"]
    assert _hashes(root) == before
    masalah = ingest.masalah.set_index("sumber_file")
    for source, rel in (("inventaris", "portal/b-besar.csv"), ("dump", "portal/b-besar.jsonl")):
        issue = masalah.loc[rel]
        assert (issue["kode_masalah"], issue["tingkat"]) == ("berkas_terlalu_besar", "galat")
        assert issue["pesan"].startswith(f"Sumber {source}: Berkas {rel} tidak dibaca: ukuran berkas teks (byte) "
                                         "(104.857.600) melebihi batas max_text_bytes = 67.108.864. Unduh ulang")  # fmt: skip
        assert "naikkan ukuran_teks_mb di [batas] pengaturan" in issue["pesan"] and "Putaran tetap dibuat" in issue["pesan"]
    # the good file of each source and the round's own file are read; the round goes on
    sources = _manifest(ctx)
    assert (sources["inventaris"]["dataset"], sources["dump"]["dataset"]) == (1, 1)
    assert sources["inventaris"]["berkas"] == ["portal/b-besar.csv", "portal/a-baik.csv"]
    assert not sources["inventaris"]["gagal"] and not sources["dump"]["gagal"]
    assert run_progress(ctx).progres_opd.set_index("kode_opd").loc["DINKES", "terpenuhi"] == 3


def test_the_size_limit_of_an_inventory_and_a_dump_follows_the_settings(portal_round, monkeypatch):
    """Lowered in [batas], the limit refuses a 16 KB inventory and dump; raised above built-in limits smaller than
    the files, both are read (the readers' own checks take the settings' limits too)."""
    root, raw = portal_round
    (raw / "portal" / "b-lain.csv").write_text(INVENTORY + "Dinas Pendidikan;Jumlah guru;2021;Final;x\n" * 400,
                                                encoding="utf-8")  # fmt: skip
    (raw / "portal" / "b-lain.jsonl").write_text(DUMP.replace('"p1"', '"p3"') * 80, encoding="utf-8")
    sizes = {rel: (raw / rel).stat().st_size for rel in ("portal/b-lain.csv", "portal/b-lain.jsonl")}
    assert all(10_485 < size < 64_000 for size in sizes.values())
    settings = root / "reference" / "pengaturan.toml"
    settings.write_text(BASE + PORTAL + "\n[batas]\nukuran_teks_mb = 0.01\n", encoding="utf-8")
    ingest = run_ingest(Context.create(ROUND, root, root / "reports", None))
    for rel, size in sizes.items():
        (issue,) = ingest.masalah.loc[ingest.masalah["sumber_file"] == rel].itertuples()
        assert issue.kode_masalah == "berkas_terlalu_besar"
        assert f"({size:,}) melebihi batas max_text_bytes = 10.485.".replace(",", ".") in issue.pesan
    monkeypatch.setattr(read_limits, "LIMITS", replace(read_limits.LIMITS, max_text_bytes=600, max_file_bytes=600))
    monkeypatch.setenv(parallel.START_ENV, "fork")  # forked workers see the patched built-in limits
    settings.write_text(BASE + PORTAL + "\n[batas]\nukuran_teks_mb = 1\nukuran_berkas_mb = 1\n", encoding="utf-8")
    ctx = Context.create(ROUND, root, root / "reports", None)
    ingest = run_ingest(ctx)
    assert not ingest.masalah["sumber_file"].astype(str).str.startswith("portal/").any(), ingest.masalah["pesan"].tolist()
    sources = _manifest(ctx)
    assert (sources["inventaris"]["dataset"], sources["dump"]["dataset"]) == (402, 2)  # the dump's datasets by id


EWALIDATA = BASE + '\n[sumber.ewalidata]\njenis = "ewalidata"\nberkas = "sipd/*.json"\n'


def _ewalidata(path: Path, code: str, name: str) -> None:
    records = [{"kodeindikator": code, "uraian_indikator": name, "satuan": "Orang", "bidangurusan": "Pendidikan",
                "tahun": str(year), "data": str(350 + year % 10), "status_verifikasi_walidata": "Terverifikasi",
                "lastupdate": "2024-03-28 09:00:00"} for year in (2021, 2022, 2023)]  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"data": records}), encoding="utf-8")


def test_an_ewalidata_file_is_made_into_values_under_the_workers_memory_cap(tmp_path, monkeypatch):
    """The records of an e-Walidata file become values in the guarded reading worker, not in this process: there
    a conversion needing more than ``memori_mb`` ends as ``berkas_terlalu_besar`` naming the limit, the other file of
    the source and the round's own file are read, and the round goes on."""
    write_reference(tmp_path, EWALIDATA + "\n[batas]\nmemori_mb = 256\n")
    raw = tmp_path / "raw" / ROUND
    (raw / "sipd").mkdir(parents=True)
    (raw / "dinkes.csv").write_text(DINKES_CSV, encoding="utf-8")
    _ewalidata(raw / "sipd" / "a-baik.json", "1.01.0002", "Jumlah guru sekolah dasar")
    _ewalidata(raw / "sipd" / "b-rakus.json", "1.01.0001", "Jumlah sekolah dasar")
    log = tmp_path / "pid.txt"
    real = sipd_values.export_values

    def converting(export, index, round_date, source, file):
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"{file} {os.getpid()}\n")
        if file == "sipd/b-rakus.json":
            bytearray(4 * 1024**3)  # a conversion that needs far more than the cap
        return real(export, index, round_date, source, file)

    monkeypatch.setattr(sipd_values, "export_values", converting)
    monkeypatch.setenv(parallel.START_ENV, "fork")  # the forked workers see the patched conversion
    before = _hashes(tmp_path)
    started = time.monotonic()
    ctx = Context.create(ROUND, tmp_path, tmp_path / "reports", None)
    ingest = run_ingest(ctx)
    assert time.monotonic() - started < 25
    assert _hashes(tmp_path) == before
    done = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert {file for file, _ in done} == {"sipd/a-baik.json", "sipd/b-rakus.json"}
    assert all(int(pid) != os.getpid() for _, pid in done)  # both converted in a reading worker
    (issue,) = ingest.masalah.loc[ingest.masalah["sumber_file"] == "sipd/b-rakus.json"].itertuples()
    assert issue.kode_masalah == "berkas_terlalu_besar" and issue.tingkat == "galat"
    assert issue.pesan.startswith("Sumber ewalidata: Berkas sipd/b-rakus.json tidak dibaca: membacanya memerlukan "
                                  "memori lebih dari batas max_memory_bytes = 268.435.456 byte")  # fmt: skip
    assert "naikkan memori_mb di [batas] pengaturan" in issue.pesan and "kirim ulang" not in issue.pesan
    read = ingest.nilai[ingest.nilai["sumber"] == "ewalidata"]
    assert sorted(zip(read["sumber_file"], read["kode_elemen"], read["tahun"], read["nilai"], strict=True)) == [
        ("sipd/a-baik.json", "1.01.0002", 2021, 351.0), ("sipd/a-baik.json", "1.01.0002", 2022, 352.0),
        ("sipd/a-baik.json", "1.01.0002", 2023, 353.0)]  # fmt: skip
    progress = run_progress(ctx).progres_opd.set_index("kode_opd")
    assert progress.loc["DISDIK", "terpenuhi"] == 3 and progress.loc["DINKES", "terpenuhi"] == 3


def test_the_values_built_in_the_worker_are_the_values_built_before(tmp_path):
    """``export_values`` matches each element once and builds the rows column by column: the same rows, dtypes and
    unknown codes as one dict per value (checked on a 2 MiB generated dump and a file with every kind of record)."""
    from satudata.reading.matching import ElementIndex
    from satudata.reference.catalogue import load_reference
    from satudata.reference.settings import load_settings
    from satudata.sources.ewalidata import read_ewalidata
    from satudata.sources.sipd_values import export_values
    from tests.hostile_files import ewalidata_json

    ref = write_reference(tmp_path, EWALIDATA)
    _, catalogue = load_reference(ref, load_settings(ref / "pengaturan.toml"))
    index = ElementIndex(catalogue.elements)
    ewalidata_json(tmp_path / "dump.json", 300_000)
    records = [{"kodeindikator": "1.01.0002", "uraian_indikator": "Jumlah guru sekolah dasar", "satuan": "Orang",
                "tahun": "2021", "data": "1,234"},
               {"kodeindikator": "", "uraian_indikator": "Jumlah puskesmas", "satuan": "", "tahun": "2022", "data": "-"},
               {"kodeindikator": "9.9", "uraian_indikator": "Jumlh tenaga kesehatn", "satuan": "Orang", "tahun": "2023",
                "data": "..."},
               {"kodeindikator": "1.02.0001", "uraian_indikator": "x", "satuan": "Unit", "tahun": "2023", "data": None}]  # fmt: skip
    (tmp_path / "kecil.json").write_text(json.dumps(records), encoding="utf-8")
    for name in ("dump.json", "kecil.json"):
        export = read_ewalidata(tmp_path / name)
        frame, unknown = export_values(export, index, ROUND, "ewalidata", name)
        expected, unknown_before = _one_dict_per_value(export, index, name)
        pd.testing.assert_frame_equal(frame, expected)
        assert unknown == unknown_before
    assert frame[["kode_opd", "kode_elemen", "metode_cocok"]].values.tolist() == [
        ["DISDIK", "1.01.0002", "kode"], ["DINKES", "1.02.0001", "nama"], ["DINKES", "1.02.0002", "fuzzy"]]  # fmt: skip


def _one_dict_per_value(export, index, file: str) -> tuple[pd.DataFrame, list[str]]:
    """How the rows were built before (one dict per value, each value matched), kept as the reference."""
    from satudata.reading.dssd import STATUS_KOSONG
    from satudata.reading.value_frame import NILAI_COLUMNS

    v = export.values[export.values["status"] != STATUS_KOSONG]
    rows, unknown = [], {}
    for code, name, unit, year, value, status, text, sheet, line, column in zip(
        v["kode_dssd"], v["uraian_dssd"], v["satuan"], v["tahun"], v["nilai"], v["status"], v["teks_asli"],
        v["sumber_sheet"], v["sumber_baris"], v["sumber_kolom"], strict=True):  # fmt: skip
        first = index.match(None, name, code)
        owner = first.kode_opd_pemilik
        m = index.match(owner, name, code) if owner else first
        if m.kode_elemen is None:
            unknown.setdefault(code or name, None)
        rows.append({"putaran": ROUND, "kode_opd": owner, "kode_elemen": m.kode_elemen, "nama_elemen": m.nama_elemen,
                     "nama_elemen_asli": name, "satuan_asli": unit or None, "tahun": int(year), "nilai": value,
                     "status": status, "teks_asli": text, "dihitung": bool(m.dihitung), "metode_cocok": m.metode,
                     "skor_cocok": m.skor, "sumber_file": file, "sumber_sheet": sheet, "sumber_baris": int(line),
                     "sumber_kolom": column, "dipakai": False, "rincian": None, "jenis_rincian": None, "periode": None,
                     "total": False, "label_baris": name,
                     "label_kolom": f"data_{year}" if column != "data" else "data", "judul_tabel": None})  # fmt: skip
    frame = pd.DataFrame(rows, columns=NILAI_COLUMNS)
    frame["sumber"] = "ewalidata"
    return sipd_values.typed(frame), list(unknown)
