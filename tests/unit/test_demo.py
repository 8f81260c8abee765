"""The Demak demo: deterministic bytes, the shape the foundation issue asks for, and a safe clean."""

import hashlib
import statistics
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from satudata.run import demo


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def plan():
    return demo.plan_demo()


def test_demo_is_byte_identical(tmp_path):
    demo.generate_demo(tmp_path / "a")
    demo.generate_demo(tmp_path / "b")
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert a == b
    assert len(a) > 90


def test_register_has_43_producers_with_stable_codes(plan):
    assert len(plan.producers) == 43
    codes = [p.kode_opd for p in plan.producers]
    assert len(set(codes)) == 43
    assert codes[:3] == ["DIN01", "DIN02", "DIN03"]
    assert [p.kode_opd for p in plan.producers if p.jenis == "kecamatan"][0] == "KEC01"
    assert plan.producers[-1].singkatan == "TP PKK" and plan.producers[-1].kode_opd == "ORG01"


def test_catalogue_about_500_elements_each_producer_owes_at_least_3(plan):
    assert 450 <= len(plan.elements) <= 550
    per_opd = Counter(e.kode_opd for e in plan.elements)
    assert set(per_opd) == {p.kode_opd for p in plan.producers}
    assert min(per_opd.values()) >= 3
    real = [e for e in plan.elements if not e.demo_saja]
    assert len(real) > 350
    sipd = pd.read_csv(demo.REFERENCE / "sipd-elemen-banten-2018.csv")
    assert {e.nama_elemen for e in real} <= set(sipd["elemen"].str.strip())
    assert all(e.kode_elemen.startswith("DEMO.") for e in plan.elements if e.demo_saja)
    assert len({e.kode_elemen for e in plan.elements}) == len(plan.elements)


def test_rounds_have_the_required_zone_mix(plan):
    zones = {}
    means = {}
    for r in demo.DEMO_ROUNDS:
        percents = {p.kode_opd: plan.expected_percent(p.kode_opd, r) for p in plan.producers}
        means[r] = statistics.mean(percents.values())
        zones[r] = {k: "hijau" if v >= 90 else "kuning" if v >= 50 else "merah" for k, v in percents.items()}
    first = Counter(zones[demo.DEMO_ROUNDS[0]].values())
    assert 50 < means[demo.DEMO_ROUNDS[0]] < 100
    assert first["merah"] >= 3 and first["hijau"] >= 5
    assert means[demo.DEMO_ROUNDS[0]] < means[demo.DEMO_ROUNDS[1]] < means[demo.DEMO_ROUNDS[2]]
    order = ["merah", "kuning", "hijau"]
    r1, r2 = demo.DEMO_ROUNDS[:2]
    moved_up = [k for k in zones[r1] if order.index(zones[r2][k]) > order.index(zones[r1][k])]
    stalled = [
        p.kode_opd
        for p in plan.producers
        if plan.expected_percent(p.kode_opd, r1) == plan.expected_percent(p.kode_opd, r2) < 100
    ]
    assert moved_up and stalled


def test_each_round_folder_holds_only_that_rounds_files(tmp_path, plan):
    demo.generate_demo(tmp_path)
    files = {r: sorted(p.name for p in (tmp_path / "raw" / r).iterdir() if p.name != ".kedatangan.csv")
             for r in demo.DEMO_ROUNDS}
    # each round records when its files arrived: the late producer's after the round's date
    arrived = (tmp_path / "raw" / demo.DEMO_ROUNDS[0] / ".kedatangan.csv").read_text(encoding="utf-8").splitlines()
    assert arrived[0] == "berkas,diterima" and len(arrived) == 42
    late = [p for p in plan.producers if p.index == demo.LATE_PRODUCER_INDEX][0]
    assert [line.split(",")[1] > demo.DEMO_ROUNDS[0] for line in arrived[1:]].count(True) == 1
    assert late.singkatan in next(line for line in arrived[1:] if line.split(",")[1] > demo.DEMO_ROUNDS[0])
    # producers that delivered nothing in round 1 sent no file
    silent = [p for p in plan.producers if not plan.delivered[(p.kode_opd, demo.DEMO_ROUNDS[0])]]
    assert len(silent) == 2
    assert len(files[demo.DEMO_ROUNDS[0]]) == 41
    assert all("_rev2" in f for f in files[demo.DEMO_ROUNDS[1]])
    assert all("_rev3" in f for f in files[demo.DEMO_ROUNDS[2]])
    suffixes = Counter(Path(f).suffix for fs in files.values() for f in fs)
    assert suffixes[".xlsx"] > 0 and suffixes[".csv"] > 0
    semicolon = [f for f in (tmp_path / "raw" / demo.DEMO_ROUNDS[0]).glob("*.csv")
                 if f.read_text(encoding="utf-8").splitlines()[0].count(";") >= 5]
    assert semicolon


def test_clean_removes_only_generated_files(tmp_path):
    demo.generate_demo(tmp_path)
    mine = tmp_path / "raw" / demo.DEMO_ROUNDS[0] / "kiriman-saya.xlsx"
    mine.write_bytes(b"punya pengguna")
    edited = tmp_path / "reference" / "opd.csv"
    edited.write_text(edited.read_text() + "\n", encoding="utf-8")
    removed = demo.clean_demo(tmp_path)
    assert mine.exists() and edited.exists()
    assert len(removed) > 90
    assert not (tmp_path / demo.MANIFEST_NAME).exists()
    assert not (tmp_path / "raw" / demo.DEMO_ROUNDS[1]).exists()


def test_small_round_shares():
    plan = demo.plan_small()
    percents = [plan.expected_percent(p.kode_opd, demo.SMALL_ROUND) for p in plan.producers]
    assert percents == [100.0, 40.0, 76.0, 0.0]
    assert all(len(plan.items_owed(p.kode_opd)) == 50 for p in plan.producers)
