"""Back test on the integrator's demo rounds: accounting holds, nothing holding a number is rejected,
and the items delivered (valid values, counted) equal the demo's ground truth, round by round."""

from __future__ import annotations

import pytest

demo = pytest.importorskip("satudata.run.demo")

from satudata.reading.ingest import ingest_round  # noqa: E402
from satudata.reference.catalogue import load_reference  # noqa: E402
from satudata.reference.settings import load_settings  # noqa: E402


def test_demo_rounds_back_test(tmp_path):
    data = tmp_path / "data"
    demo.generate_demo(data)
    settings = load_settings(data / "reference" / "pengaturan.toml")
    register, catalogue = load_reference(data / "reference", settings)
    plan = demo.plan_demo()
    rounds = sorted(p.name for p in (data / "raw").iterdir())
    assert len(rounds) == 3
    delivered: set = set()
    for round_date in rounds:
        res = ingest_round(data / "raw" / round_date, round_date, register, catalogue, settings)
        for entry in res.manifest["berkas"]:
            b = entry["baris"]
            assert b["dibaca"] == b["data"] + sum(b["struktur"].values()) + b["ditolak"], entry["berkas"]
            assert b["ditolak"] == 0, entry["berkas"]
            assert entry["kode_opd"] is not None, entry["berkas"]
        assert not (res.masalah["tingkat"] == "galat").any()
        assert set(res.nilai["metode_cocok"]) <= {"kode", "nama", "fuzzy"}
        ok = res.nilai[res.nilai["dihitung"] & res.nilai["status"].isin(["ada", "nihil"])]
        delivered |= set(zip(ok["kode_opd"], ok["kode_elemen"], ok["tahun"], strict=True))
        want = {(o, e, y) for (o, r), items in plan.delivered.items() if r == round_date for e, y in items}
        assert delivered == want, round_date
