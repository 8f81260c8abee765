"""Issue 25, parts 3 and 4, for sources: a SIPD DSSD export loses no value without a word (formulas saved without
a value, formula errors, a year column written twice, an ambiguous comma), source files are read in the guarded
worker under the submissions' limits, and a source pattern that would swallow the submissions is refused. Raw and
reference files are unchanged (sha256) in every case."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from satudata.reading import dssd, parallel
from satudata.reference.settings import load_settings
from satudata.reference.settings_check import SettingsError
from satudata.run.pipeline import Context, run_ingest, run_progress
from tests.sources_reference import BASE, write_reference

ROUND = "2024-04-01"
DINKES_CSV = "Uraian,Satuan,2021,2022,2023\nJumlah puskesmas,Unit,27,28,29\n"
SIPD = BASE + '\n[sumber.sipd]\njenis = "dssd"\nberkas = "sipd/*.xlsx"\n'


def _hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.parts[len(root.parts)] in ("raw", "reference")}


def _hostile_export(path: Path) -> None:
    """A DSSD export as a tool that does not calculate saves it, with error values and a year written twice."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["kode_dssd", "uraian_dssd", "satuan", "data_2021", "data_2022", "data_2021"])
    ws.append(["1.01.0001", "Jumlah sekolah dasar", "Unit", "=40+2", "1,234", 40])
    ws.append(["1.01.0002", "Jumlah guru sekolah dasar", "Orang", "#DIV/0!", "#REF!", None])
    ws["D3"].data_type = "e"  # the cached error values of two formulas, as Excel saves them
    ws["E3"].data_type = "e"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


@pytest.fixture
def sipd_round(tmp_path):
    write_reference(tmp_path, SIPD)
    raw = tmp_path / "raw" / ROUND
    raw.mkdir(parents=True)
    (raw / "dinkes.csv").write_text(DINKES_CSV, encoding="utf-8")
    return tmp_path, raw


def test_a_dssd_source_names_every_value_it_could_not_read(sipd_round):
    root, raw = sipd_round
    _hostile_export(raw / "sipd" / "dssd.xlsx")
    before = _hashes(root)
    ingest = run_ingest(Context.create(ROUND, root, root / "reports", None))
    assert _hashes(root) == before
    issues = ingest.masalah.loc[ingest.masalah["sumber_file"] == "sipd/dssd.xlsx", "pesan"].tolist()
    text = "\n".join(issues)
    assert "sel D2: berisi rumus tanpa nilai tersimpan" in text  # =40+2 saved by openpyxl: no cached value
    assert "sel D3: rumus menghasilkan galat #DIV/0!" in text and "sel E3: rumus menghasilkan galat #REF!" in text
    assert "kolom data_2021 ditulis dua kali (kolom D dan F); hanya kolom D yang dibaca" in text
    assert "sel F2 (1.01.0001 2021): '40' tidak dibaca karena kolom data_2021 ditulis dua kali" in text
    assert "sel E2 (1.01.0001 2022): '1,234' dibaca sebagai 1.234. Periksa" in text
    assert all(i.startswith("Sumber sipd: ") for i in issues)
    values = ingest.nilai[ingest.nilai["sumber"] == "sipd"]
    # each year once: 2021 from column D only (no second 2021 value from F), 2022 from E
    assert sorted(zip(values["kode_elemen"], values["tahun"], values["sumber_kolom"], strict=True)) == [
        ("1.01.0001", 2022, "E")]  # fmt: skip


def test_the_dssd_reader_reads_a_year_written_twice_once():
    grid = dssd.Grid("Sheet1", [["kode_dssd", "uraian_dssd", "data_2020", "data_2020"], ["1.01", "A", 5.0, 5.0]])
    export = dssd.read_grid(grid, "a.xlsx")
    assert list(export.values["tahun"]) == [2020] and list(export.values["nilai"]) == [5.0]
    assert export.years == [2020] and len(export.issues) == 1  # same value twice: the header issue only


def test_a_source_pattern_that_swallows_the_submissions_is_refused(tmp_path):
    for pattern in ("**/*", "*", "*.xlsx", "*/*"):
        ref = write_reference(tmp_path / pattern.replace("*", "x").replace("/", "_"),
                              BASE + f'\n[sumber.sipd]\njenis = "dssd"\nberkas = "{pattern}"\n')
        before = (ref / "pengaturan.toml").read_bytes()
        with pytest.raises(SettingsError) as err:
            load_settings(ref / "pengaturan.toml")
        assert f"[sumber.sipd] berkas = '{pattern}' cocok dengan berkas kiriman OPD mana pun" in str(err.value)
        assert (ref / "pengaturan.toml").read_bytes() == before
    for pattern in ("sipd/*.xlsx", "dssd-*.xlsx", "*.json", "portal/datasets.jsonl"):
        ref = write_reference(tmp_path / "baik", BASE + f'\n[sumber.sipd]\njenis = "dssd"\nberkas = "{pattern}"\n')
        assert load_settings(ref / "pengaturan.toml").sources[0].files == (pattern,)


def _slow_reader(path, limits=None):
    time.sleep(30)


def _greedy_reader(path, limits=None):
    return bytearray(4 * 1024**3)


@pytest.mark.parametrize(("reader", "limit", "said"), [
    (_slow_reader, "detik_per_berkas = 1", "max_seconds = 1 detik"),
    (_greedy_reader, "memori_mb = 256", "max_memory_bytes = 268.435.456 byte"),
])  # fmt: skip
def test_source_files_are_read_under_the_submissions_limits(sipd_round, monkeypatch, reader, limit, said):
    root, raw = sipd_round
    (root / "reference" / "pengaturan.toml").write_text(SIPD + f"\n[batas]\n{limit}\n", encoding="utf-8")
    dssd.write_table(pd.DataFrame({"kode_dssd": ["1.01.0001"], "uraian_dssd": ["Jumlah sekolah dasar"],
                                   "satuan": ["Unit"], "data_2021": [12]}), raw / "sipd" / "a-baik.xlsx")  # fmt: skip
    dssd.write_table(pd.DataFrame({"kode_dssd": ["1.01.0002"], "uraian_dssd": ["Jumlah guru sekolah dasar"],
                                   "satuan": ["Orang"], "data_2021": [7]}), raw / "sipd" / "b-bom.xlsx")  # fmt: skip
    real = dssd.read_dssd
    monkeypatch.setenv(parallel.START_ENV, "fork")  # the bomb is patched into this process: forked workers see it
    monkeypatch.setattr(dssd, "read_dssd", lambda p, limits=None: reader(p) if Path(p).name == "b-bom.xlsx" else real(p, limits))
    before = _hashes(root)
    started = time.monotonic()
    ctx = Context.create(ROUND, root, root / "reports", None)
    ingest = run_ingest(ctx)
    assert time.monotonic() - started < 25
    assert _hashes(root) == before
    (issue,) = ingest.masalah.loc[ingest.masalah["sumber_file"] == "sipd/b-bom.xlsx"].itertuples()
    assert issue.kode_masalah == "berkas_terlalu_besar" and said in issue.pesan
    assert issue.pesan.startswith("Sumber sipd: Berkas sipd/b-bom.xlsx tidak dibaca")
    # the other file of the source and the round's own file are read; the round goes on
    progress = run_progress(ctx).progres_opd.set_index("kode_opd")
    assert progress.loc["DISDIK", "terpenuhi"] == 1 and progress.loc["DINKES", "terpenuhi"] == 3


EWALIDATA = '\n[sumber.ewalidata]\njenis = "ewalidata"\nberkas = "sipd/*.json"\n'


def _sparse(path: Path, size: int, head: bytes) -> None:
    """A file of ``size`` bytes that costs nothing to make: its head, then a hole (read back as zero bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)


def test_a_source_past_the_size_limit_is_an_issue_before_it_is_parsed(sipd_round, monkeypatch):
    """Issue 26: a 400 MB e-Walidata JSON and a 300 MB DSSD export end as issues at once (a 427 MB JSON ran 600 s
    and 4.2 GB before); the same source's good file and the round's own file are read; the round goes on."""
    root, raw = sipd_round
    (root / "reference" / "pengaturan.toml").write_text(SIPD + EWALIDATA, encoding="utf-8")
    dssd.write_table(pd.DataFrame({"kode_dssd": ["1.01.0001"], "uraian_dssd": ["Jumlah sekolah dasar"],
                                   "satuan": ["Unit"], "data_2021": [12]}), raw / "sipd" / "a-baik.xlsx")  # fmt: skip
    _sparse(raw / "sipd" / "b-besar.xlsx", 300 * 1024**2, b"PK\x03\x04")
    _sparse(raw / "sipd" / "ewalidata.json", 400 * 1024**2, b'[{"kodeindikator": "1.01.0002", "data": "')
    log = root / "dibaca.txt"  # the reader runs in a forked worker: it says what it parsed in a file

    def reader(path, limits=None, real=dssd.read_dssd):
        with log.open("a", encoding="utf-8") as fh:
            fh.write(Path(path).name + "\n")
        return real(path, limits)

    monkeypatch.setattr(dssd, "read_dssd", reader)
    monkeypatch.setenv(parallel.START_ENV, "fork")  # forked workers see the logging reader (spawned ones would not)
    before = _hashes(root)
    started = time.monotonic()
    ctx = Context.create(ROUND, root, root / "reports", None)
    ingest = run_ingest(ctx)
    elapsed = time.monotonic() - started
    assert elapsed < 20, elapsed  # the files are never read, only their sizes
    assert log.read_text(encoding="utf-8").split() == ["a-baik.xlsx"]
    assert _hashes(root) == before
    masalah = ingest.masalah.set_index("sumber_file")
    big_json = masalah.loc["sipd/ewalidata.json"]
    assert big_json["kode_masalah"] == "berkas_terlalu_besar" and big_json["tingkat"] == "galat"
    assert big_json["pesan"].startswith("Sumber ewalidata: Berkas sipd/ewalidata.json tidak dibaca: ukuran berkas teks "
                                        "(byte) (419.430.400) melebihi batas max_text_bytes = 67.108.864.")  # fmt: skip
    assert "ukuran_teks_mb di [batas]" in big_json["pesan"] and "Putaran tetap dibuat" in big_json["pesan"]
    big_xlsx = masalah.loc["sipd/b-besar.xlsx"]
    assert big_xlsx["kode_masalah"] == "berkas_terlalu_besar"
    assert "(314.572.800) melebihi batas max_file_bytes = 209.715.200" in big_xlsx["pesan"]
    progress = run_progress(ctx).progres_opd.set_index("kode_opd")
    assert progress.loc["DISDIK", "terpenuhi"] == 1 and progress.loc["DINKES", "terpenuhi"] == 3


def test_the_size_limit_of_a_source_follows_the_settings(sipd_round):
    root, raw = sipd_round
    (root / "reference" / "pengaturan.toml").write_text(SIPD + EWALIDATA + "\n[batas]\nukuran_teks_mb = 0.01\n",
                                                        encoding="utf-8")  # fmt: skip
    (raw / "sipd").mkdir()
    (raw / "sipd" / "ewalidata.json").write_text("[" + ", ".join(["{}"] * 4000) + "]", encoding="utf-8")  # 16 KB
    ingest = run_ingest(Context.create(ROUND, root, root / "reports", None))
    (issue,) = ingest.masalah.loc[ingest.masalah["sumber_file"] == "sipd/ewalidata.json"].itertuples()
    assert issue.kode_masalah == "berkas_terlalu_besar" and "(16.000) melebihi batas max_text_bytes = 10.485" in issue.pesan


def test_the_big_source_generators_write_what_the_readers_accept(tmp_path):
    """``bench_hostile.py`` writes its 400 MiB e-Walidata JSON and 300 MiB DSSD export with these generators; a small
    file of each reads whole, every cell a value (no issue), so the big ones are real content, not noise."""
    from satudata.sources.ewalidata import read_ewalidata
    from tests.hostile_files import dssd_xlsx, ewalidata_json

    made = ewalidata_json(tmp_path / "e.json", 200_000)
    export = read_ewalidata(tmp_path / "e.json")
    assert made["bytes"] >= 200_000 and len(export.values) == made["records"] and not export.issues
    assert export.counts()["ada"] + export.counts()["nihil"] + export.counts()["tidak_tersedia"] == made["records"]
    made = dssd_xlsx(tmp_path / "d.xlsx", 200_000)
    export = dssd.read_dssd(tmp_path / "d.xlsx")
    assert made["bytes"] >= 200_000 and export.elements == made["rows"] and not export.issues
    assert export.years == list(range(2019, 2025)) and len(export.values) == 6 * made["rows"]
    assert (export.values["status"] != dssd.STATUS_KOSONG).all()


def test_a_source_size_the_settings_allow_is_read(sipd_round, monkeypatch):
    """The message of a source past the size limit says to raise ``ukuran_teks_mb``/``ukuran_berkas_mb`` in [batas]:
    raised, the file is read. The readers took the built-in limits, not the settings', so a raised limit passed the
    check before the worker and the reader refused the file all the same."""
    from dataclasses import replace

    from satudata.formats import read_limits

    root, raw = sipd_round
    # built-in limits smaller than these files (as 64 MiB is smaller than a provincial dump); the settings allow 1 MiB
    monkeypatch.setattr(read_limits, "LIMITS", replace(read_limits.LIMITS, max_text_bytes=600, max_file_bytes=3000))
    monkeypatch.setenv(parallel.START_ENV, "fork")  # forked workers see the patched built-in limits
    (root / "reference" / "pengaturan.toml").write_text(
        SIPD + EWALIDATA + "\n[batas]\nukuran_teks_mb = 1\nukuran_berkas_mb = 1\n", encoding="utf-8")  # fmt: skip
    dssd.write_table(pd.DataFrame({"kode_dssd": ["1.01.0001"], "uraian_dssd": ["Jumlah sekolah dasar"],
                                   "satuan": ["Unit"], "data_2021": [12]}), raw / "sipd" / "dssd.xlsx")  # fmt: skip
    records = [{"kodeindikator": "1.01.0002", "uraian_indikator": "Jumlah guru sekolah dasar", "satuan": "Orang",
                "bidangurusan": "Pendidikan", "tahun": str(year), "data": str(350 + year % 10),
                "status_verifikasi_walidata": "Terverifikasi", "lastupdate": "2024-03-28 09:00:00"}
               for year in (2021, 2022, 2023)]  # fmt: skip
    (raw / "sipd" / "ewalidata.json").write_text(json.dumps({"data": records}), encoding="utf-8")
    assert (raw / "sipd" / "dssd.xlsx").stat().st_size > 3000 and (raw / "sipd" / "ewalidata.json").stat().st_size > 600
    ctx = Context.create(ROUND, root, root / "reports", None)
    ingest = run_ingest(ctx)
    assert not ingest.masalah["sumber_file"].astype(str).str.startswith("sipd/").any(), ingest.masalah["pesan"].tolist()
    read = ingest.nilai[ingest.nilai["sumber"].isin(["sipd", "ewalidata"])]
    assert sorted(zip(read["sumber"], read["kode_elemen"], read["tahun"], read["nilai"], strict=True)) == [
        ("ewalidata", "1.01.0002", 2021, 351.0), ("ewalidata", "1.01.0002", 2022, 352.0),
        ("ewalidata", "1.01.0002", 2023, 353.0), ("sipd", "1.01.0001", 2021, 12.0)]  # fmt: skip
    assert run_progress(ctx).progres_opd.set_index("kode_opd").loc["DISDIK", "terpenuhi"] == 4


def test_a_dssd_export_saved_as_a_web_page_past_the_text_limit_is_too_big(sipd_round):
    """SIPD's "Excel" download is often an HTML page named ``.xls``: within the file limit, checked before the worker,
    but read whole into memory, so the reader refuses it past the text limit. That is ``berkas_terlalu_besar``
    naming the limit, as for a size refused before the worker (it was ``sumber_tidak_terbaca``); the small page of
    the same source is read."""
    root, raw = sipd_round
    (root / "reference" / "pengaturan.toml").write_text(
        BASE + '\n[sumber.sipd]\njenis = "dssd"\nberkas = "sipd/*.xls"\n\n[batas]\nukuran_teks_mb = 0.01\n',
        encoding="utf-8")  # fmt: skip

    def page(rows: list[tuple[str, str, str, int]]) -> str:
        body = "".join(f"<tr><td>{c}</td><td>{n}</td><td>{u}</td><td>{v}</td></tr>" for c, n, u, v in rows)
        return ("<html><body><table><tr><td>kode_dssd</td><td>uraian_dssd</td><td>satuan</td><td>data_2021</td></tr>"
                + body + "</table></body></html>")  # fmt: skip

    (raw / "sipd").mkdir()
    (raw / "sipd" / "a-kecil.xls").write_text(page([("1.01.0001", "Jumlah sekolah dasar", "Unit", 12)]), encoding="utf-8")
    big = page([(f"9.99.{i:04d}", f"Indikator lain nomor {i}", "Unit", i) for i in range(400)])
    (raw / "sipd" / "b-besar.xls").write_text(big, encoding="utf-8")
    assert len(big) > 0.01 * 1024**2
    ingest = run_ingest(Context.create(ROUND, root, root / "reports", None))
    (issue,) = ingest.masalah.loc[ingest.masalah["sumber_file"] == "sipd/b-besar.xls"].itertuples()
    assert issue.kode_masalah == "berkas_terlalu_besar" and issue.tingkat == "galat"
    assert issue.pesan.startswith("Sumber sipd: Berkas b-besar.xls tidak dibaca: ukuran berkas teks (byte) (")
    assert "melebihi batas max_text_bytes = 10.485." in issue.pesan
    read = ingest.nilai[ingest.nilai["sumber"] == "sipd"]
    assert list(zip(read["sumber_file"], read["kode_elemen"], read["nilai"], strict=True)) == [
        ("sipd/a-kecil.xls", "1.01.0001", 12.0)]  # fmt: skip
