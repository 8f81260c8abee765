"""A real province catalogue (Open Data Jabar, 2,618 rows) loaded through settings alone, and a round of
three hand-made submissions against it: a producer name with a typo, element names with typos, a wrong
unit, a percent of 120 and a file that names no producer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from satudata.reference.catalogue import load_reference
from satudata.reference.catalogue_quality import assess, load_quality
from satudata.reference.settings import load_settings
from satudata.run.cli import main
from satudata.run.pipeline import Context, run_ingest, run_progress
from tests.jabar_reference import JABAR, write_jabar_reference

ROUND = "2024-03-01"


@pytest.fixture(scope="module")
def jabar(tmp_path_factory):
    root = tmp_path_factory.mktemp("jabar")
    ref = write_jabar_reference(root)
    settings = load_settings(ref / "pengaturan.toml")
    register, catalogue = load_reference(ref, settings)
    return root, register, catalogue


def test_the_jabar_catalogue_loads_through_settings_alone(jabar):
    _, register, catalogue = jabar
    assert len(register.codes) == 51
    assert catalogue.rows_read == 2618
    e, x = catalogue.elements, catalogue.excluded
    assert len(e) == 1952 and len(x) == 666
    assert x["alasan"].value_counts().to_dict() == {"nama_kosong": 481, "duplikat": 175, "periode_tidak_dikenal": 10}
    # every excluded row says where and why
    assert x["baris"].between(2, 2619).all() and x["pesan"].str.len().gt(20).all()
    row23 = x[x["baris"] == 23].iloc[0]
    assert row23["alasan"] == "nama_kosong" and row23["nama_elemen"] == "*" and row23["butir"] == 5
    unread = x[x["alasan"] == "periode_tidak_dikenal"]
    assert sorted(unread["pesan"].str.extract(r"periode '([^']+)'")[0].unique()) == [
        "***", "Tahunan dan bulanan", "Tetap"]
    first_dup = x[x["alasan"] == "duplikat"].iloc[0]
    assert first_dup["baris"] == 159 and "sudah ada di baris 155" in first_dup["pesan"]
    # how each frequency is owed in the window 2019-2023
    assert e["periode"].value_counts().to_dict() == {
        "tahunan": 1794, "tidak wajib": 43, "semesteran": 32, "bulanan": 31, "triwulanan": 26, "5 tahunan": 24,
        "3 tahunan": 1, "2 tahunan": 1}
    by_period = e.groupby("periode")["tahun_wajib"].agg(lambda s: sorted(set(s)))
    assert by_period["tahunan"] == [(2019, 2020, 2021, 2022, 2023)]
    assert by_period["5 tahunan"] == [(2023,)] and by_period["2 tahunan"] == [(2019, 2021, 2023)]
    assert by_period["bulanan"] == [(2019, 2020, 2021, 2022, 2023)] and by_period["tidak wajib"] == [()]
    assert not e.loc[e["periode"] == "tidak wajib", "dihitung"].any()
    items = catalogue.items()
    assert len(items) == 9444
    per_opd = items.groupby("kode_opd").size()
    assert per_opd[register.resolve("Dinas Kesehatan")] == 210
    assert per_opd[register.resolve("Satuan Pamong Praja")] == 50
    # units: one spelling each
    assert set(e.loc[e["satuan_asli"].str.lower().isin(["persen", "%"]), "satuan"]) == {"%"}
    assert set(e.loc[e["satuan_asli"].str.lower().isin(["hektar", "ha", "hektare (ha)"]), "satuan"]) == {"Ha"}
    assert e["jadwal_rilis"].iloc[1] == "Januari n+1"


def test_quality_counts_per_producer(jabar):
    _, register, catalogue = jabar
    q = assess(catalogue, register)
    assert q.summary["baris"] == 2618 and q.summary["dipakai"] == 1952 and q.summary["dikecualikan"] == 666
    assert q.summary["tidak_wajib"] == 43 and q.summary["butir_wajib"] == 9444
    dinkes = q.per_opd[q.per_opd["kode_opd"] == register.resolve("Dinas Kesehatan")].iloc[0]
    assert (dinkes["baris"], dinkes["dikecualikan"], dinkes["butir_wajib"], dinkes["butir_tertahan"]) == (
        149, 107, 210, 115)
    assert q.per_opd["baris"].sum() == 2618


def _write(path: Path, opd_line: str | None, rows: list[tuple[str, str, list]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    if opd_line:
        ws.append([opd_line])
        ws.append([])
    ws.append(["No", "Uraian", "Satuan", 2019, 2020, 2021, 2022, 2023])
    for i, (name, unit, values) in enumerate(rows, 1):
        ws.append([i, name, unit, *values])
    wb.save(path)


SATPOL = [
    ("Jumlah aparaturan satpol pp yang mengikuti pelatihan teknis satuan polisi pamong praja", "Orang",
     [40, 42, 45, 50, 52]),
    ("Jumlah dokumen hasil pelaksanaan kerjasama antar lembaga dan kemitraan dalam teknik pencegahan kejahatan",
     "Dokumen", [5, 6, 7, 8, 9]),
    ("Jumlah Dokumen hasil pembentukan satgas linmas diwilayah provinsi", "Dokumen", [5, 6, 7, 8, 9]),
    ("Jumlah SDM Sat Linmas yang ditingkatkan kapasitasnya.", "Orang", [120, 130, 140, 150, 160]),
    ("Jumlah kasus gangguan ketentraman dan ketertiban umum melalui deteksi dan cegah dini, pembinaan dan "
     "penyuluhan, pelaksanaan patroli, pengamanan dan pengawalan", "Kasus", [300, 310, 320, 330, 340]),
    ("Jumlah Penanganan Unjuk Rasa dan kerusuhan massa", "Kasus", [20, 21, 22, 23, 24]),
    ("Jumlah pengaduan trantibum yang ditangan", "Kasus", [60, 61, 62, 63, 64]),  # typo: ditangani
    ("Jumlah Laporan Hasil Pelaksanaan Pengawasan yang dilakukan atas kepatuhan terhadap pelaksanaan peraturan "
     "daerah dan peraturan gubernur.", "Laporan", [12, 12, 12, 12, 12]),
    ("Jumlah laporan hasil pelaksanaan sosialisasi penegakan Perda dan Pergub.", "Laporan", [4, 4, 4, 4, 4]),
    ("Jumlah Penindakan pengawasan administratif yang dilakukan terhadap kepatuhan pelaksanaan peraturan daerah "
     "dan peraturan gubernur", "Kasus", [15, 16, 17, 18, 19]),
]
BKKBN = [
    ("Persentase layanan pendampingan terhadap seluruh keluarga berisiko stunting", "Persen",
     [61.2, 64.0, 70.5, 72.1, 75.0]),
    ("Persentase kehamilan yang tidak diinginkan terhadap seluruh kehamilan Kehamilan yang dialami oleh perempuan "
     "yang sebenarnya belum menginginkan kehamilan atau sudah tidak menginginkan kehamilan tersebut", "%",
     [7.1, 6.9, 6.5, 120, 6.0]),  # 120 percent in 2022
    ("Persentase keluarga berisiko Stunting yang mendapatkan promosi peningkatan konsumsi ikan dalam negeri terhadap "
     "keluarga berisiko stunting", "Orang", [1200, 1300, 1400, 1500, 1600]),  # a count for a percent
    ("Persentase wanita kawin 15-49 tahun (pasangan usia subur) yang tidak ingin mempunyai anak (lagi) atau ingin "
     "menjarangkan kelahiran berikutnya tetapi tidak menggunakan metode kontrasepsi apapun.", "persen",
     [11.0, 10.8, 10.1, 9.7, 9.2]),
]
PENGHUBUNG = [
    *[(f"Nilai Indeks Unsur {u}", "Poin", [3.1, 3.2, 3.3, 3.4, 3.5]) for u in (
        "kompetensi pelaksana", "penanganan pengaduan", "perilaku pelaksana", "Persyaratan",
        "produk spesifikasi jenis layanan", "Prosedur dan Mekanisme Pelayanan", "sarana prasarana",
        "Tarif atau biaya pelayanan", "waktu pelayanan")],  # names three producers owe alike
    ("Jumlah kunjungn", "kunjungan", [800, 850, 900, 950, 1000]),  # typo: kunjungan
    ("Jumlah permohonan layanan", "Permohonan", [140, 150, 160, 170, 180]),
    ("Jumlah terfasilitasinya layanan", "Layanan", [130, 140, 150, 160, 170]),  # catalogue: layananan
]


@pytest.fixture(scope="module")
def jabar_round(tmp_path_factory):
    root = tmp_path_factory.mktemp("jabar-round")
    write_jabar_reference(root)
    raw = root / "raw" / ROUND
    raw.mkdir(parents=True)
    _write(raw / "kiriman-satpol.xlsx", "OPD: Satuan Pamong Prja", SATPOL)  # typo in the producer
    _write(raw / "dp3akb.xlsx", "OPD: Dinas Pemberdayaan Perempuan, Perlindungan Anak, dan Keluarga Berencana / BKKBN",
           BKKBN)
    _write(raw / "kiriman-3.xlsx", None, PENGHUBUNG)  # names no producer
    ctx = Context.create(ROUND, root, root / "reports")
    ingest = run_ingest(ctx)
    progress = run_progress(ctx)
    return root, ctx, ingest, progress


def test_three_submissions_give_the_expected_progress(jabar_round):
    _, ctx, _, progress = jabar_round
    opd = progress.progres_opd.set_index("kode_opd")
    register, _ = ctx.reference()
    satpol, bkkbn, penghubung = (register.resolve(n) for n in (
        "Satuan Pamong Praja", "Dinas Pemberdayaan Perempuan, Perlindungan Anak, dan Keluarga Berencana / BKKBN",
        "Badan Penghubung"))
    assert (opd.loc[satpol, "wajib"], opd.loc[satpol, "terpenuhi"], opd.loc[satpol, "zona"]) == (50, 50, "hijau")
    # 20 owed: a row of 5 in the wrong unit and one percent of 120 do not count
    assert (opd.loc[bkkbn, "wajib"], opd.loc[bkkbn, "terpenuhi"]) == (20, 14)
    assert opd.loc[bkkbn, "persen"] == pytest.approx(70.0) and opd.loc[bkkbn, "zona"] == "kuning"
    assert (opd.loc[penghubung, "wajib"], opd.loc[penghubung, "terpenuhi"], opd.loc[penghubung, "zona"]) == (
        60, 60, "hijau")
    # the Biro Umum owes the same nine "Nilai Indeks" names and sent nothing: nothing counts for it
    assert opd.loc[register.resolve("Setda - Biro Umum"), "terpenuhi"] == 0


def test_exactly_the_expected_review_items(jabar_round):
    _, _, ingest, _ = jabar_round
    m = ingest.masalah
    got = sorted(zip(m["sumber_file"], m["sumber_baris"].astype("object").where(m["sumber_baris"].notna(), None),
                     m["kode_masalah"], strict=True), key=str)
    assert got == sorted([
        ("dp3akb.xlsx", 5, "persen_di_atas_100"),
        ("dp3akb.xlsx", 6, "satuan_berbeda"),
        ("kiriman-3.xlsx", None, "opd_dari_elemen"),
        ("kiriman-3.xlsx", 11, "cocok_fuzzy"),
        ("kiriman-3.xlsx", 13, "cocok_fuzzy"),
        ("kiriman-satpol.xlsx", None, "opd_mirip"),
        ("kiriman-satpol.xlsx", 10, "cocok_fuzzy"),
    ], key=str)
    text = dict(zip(m["kode_masalah"], m["pesan"], strict=False))
    assert "'Satuan Pamong Prja' dikenali sebagai P40 (Satuan Pamong Praja)" in text["opd_mirip"]
    assert "skor 97,29 (ambang 85)" in text["opd_mirip"]
    assert "satuan 'Orang' (Orang) berbeda" in text["satuan_berbeda"] and "(%)" in text["satuan_berbeda"]
    assert "tahun 2022 bernilai 120 persen" in text["persen_di_atas_100"]
    assert "kolom G" in text["persen_di_atas_100"]
    assert "3 dari 3 elemen khas" in text["opd_dari_elemen"] and "60 nilainya dihitung" in text["opd_dari_elemen"]


def test_quality_is_written_with_the_round_and_shown(jabar_round, capsys):
    root, ctx, ingest, _ = jabar_round
    quality = load_quality(ctx.processed)
    assert quality.summary["dikecualikan"] == 666 and len(quality.excluded) == 666
    manifest = json.loads((ctx.processed / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["katalog"]["per_alasan"]["nama_kosong"] == 481 and manifest["katalog"]["butir_wajib"] == 9444
    from satudata.outputs.report import catalogue_quality_html

    html = catalogue_quality_html(ctx.processed)
    assert "2.618 baris dibaca, 1.952 dipakai" in html and "nama elemen kosong atau hanya tanda" in html
    assert main(["katalog", "--data-dir", str(root)]) == 0
    out = capsys.readouterr().out
    assert "666 dikecualikan" in out and "  - Dinas Kesehatan: 107 dari 149 baris; 210 -> 325 butir" in out
    assert "... dan 646 baris lain" in out


def test_katalog_command_fails_when_nothing_is_usable(tmp_path, capsys):
    ref = write_jabar_reference(tmp_path)
    (ref / JABAR.name).write_text("PENGHASIL DATA,NAMA DATA,PERIODE DATA\nDinas Kesehatan,*,Tahunan\n",
                                  encoding="utf-8")
    assert main(["katalog", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "tidak berisi satu baris elemen yang dapat dipakai (1 baris dikecualikan" in err


def test_walidata_workbook_has_the_catalogue_sheet(jabar_round, tmp_path):
    from openpyxl import load_workbook

    from satudata.outputs.feedback import write_walidata_workbook

    _, ctx, ingest, progress = jabar_round
    register, _ = ctx.reference()
    path = write_walidata_workbook(register.frame, progress.progres_opd, progress.kekurangan, ingest.masalah,
                                   ctx.settings, ROUND, tmp_path, katalog=load_quality(ctx.processed))
    ws = load_workbook(path)["Kualitas Katalog"]
    assert ws["A1"].value.startswith("Katalog daftar-data-jabar.csv: 2.618 baris dibaca")
    assert [c.value for c in ws[3]] == ["Produsen", "Kode OPD", "Baris di katalog", "Dikecualikan", "Tidak wajib",
                                        "Butir wajib", "Butir bila diperbaiki"]
    assert [c.value for c in ws[4]] == ["Dinas Kesehatan", "P17", 149, 107, 0, 210, 325]
    header = 3 + 51 + 3
    assert ws.cell(header, 1).value == "Baris" and ws.cell(header + 1, 1).value == 23
    assert ws.cell(header + 1, 3).value == "nama elemen kosong atau hanya tanda (*, -)"
    assert ws.max_row == header + 666
