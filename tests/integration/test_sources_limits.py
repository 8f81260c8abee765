"""Issue 26: every source is read under the limits of a submitted file (the settings' ``[batas]``).

A portal inventory (``inventaris``) and a ckanapi dump (``ckan_dump``) are size-checked before they are parsed, as
e-Walidata JSON and DSSD exports are: past the text limit (each is read whole into memory), an issue at once naming
the file, the limit and the key to change; the round goes on with the other files. Raw and reference files are
never changed."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import replace
from pathlib import Path

import pytest

from satudata.formats import read_limits
from satudata.reading import parallel
from satudata.run.pipeline import Context, run_ingest, run_progress
from satudata.sources import ckan, portal
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
