"""Random grids never break ingestion: no exception, and the row accounting always holds."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from satudata.reading.ingest import ingest_file
from satudata.reference.settings import Settings
from tests.integration.messy_fixtures import make_catalogue, make_register

REGISTER, CATALOGUE = make_register(), make_catalogue()
WORDS = ["Uraian", "Satuan", "Tahun", "Nilai", "Kode", "Ket", "2019", "2020", "Tahun 2021", "Jumlah", "Total",
         "Jumlah Bidan", "Jml Dokter Umum", "OPD: Dinkes", "Sumber: BPS", "-", "...", "x", "1.234", "12,5",
         "(7)", "Rp 1.000", "45 %", "abc", "", "", "", "Kabupaten Demak", "*) sementara", "Orang"]  # fmt: skip
CELL = st.one_of(st.sampled_from(WORDS), st.integers(-5, 3000).map(str), st.text(max_size=6))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=12), st.sampled_from([",", ";"]))
def test_random_csv_grids(rows, delimiter):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Dinkes.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter=delimiter).writerows(rows)
        res = ingest_file(path, "2024-01-01", REGISTER, CATALOGUE, Settings())
        lines = path.read_bytes().count(b"\n")
    assert "berkas_tidak_terbaca" not in set(res.masalah["kode_masalah"])
    entry = res.manifest["berkas"][0]
    b = entry["baris"]
    assert b["dibaca"] == b["data"] + sum(b["struktur"].values()) + b["ditolak"]
    assert b["dibaca"] + b["kosong"] <= lines
    assert len(res.nilai) <= sum(1 for r in rows for c in r if c.strip())
    assert res.nilai["status"].isin(["ada", "nihil", "tidak_tersedia", "rahasia"]).all()
