"""Stage 4 never builds on an invalid reference: it stops with the reference's Indonesian message, and writes
no deck, no workbook and no evidence file."""

from __future__ import annotations

import pytest

from satudata.run import demo
from satudata.run.cli import main
from satudata.run.rakor_stage import run_rakor


def test_an_invalid_register_stops_the_rakor_stage(tmp_path):
    data, reports = tmp_path / "data", tmp_path / "reports"
    assert main(["demo", "--kecil", "--data-dir", str(data)]) == 0
    assert main(["hitung", "--round", demo.SMALL_ROUND, "--data-dir", str(data), "--reports-dir", str(reports)]) == 0
    register = data / "reference" / "opd.csv"
    lines = register.read_text(encoding="utf-8").splitlines()
    register.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")  # the first OPD twice
    with pytest.raises(ValueError) as stopped:
        run_rakor(demo.SMALL_ROUND, data, reports, None)
    message = str(stopped.value)
    assert "DIN01" in message and "opd.csv" in message
    round_reports = reports / demo.SMALL_ROUND
    assert not list(round_reports.rglob("*.pptx")) and not list(round_reports.rglob("*.xlsx"))


def test_the_rakor_stage_writes_each_opd_its_dssd_export_for_sipd(tmp_path):
    """Back to SIPD: per OPD with values that count, a DSSD workbook that reads back to exactly those values."""
    import pandas as pd

    from satudata.reading.dssd import read_dssd

    data, reports = tmp_path / "data", tmp_path / "reports"
    main(["demo", "--kecil", "--data-dir", str(data)])
    main(["hitung", "--round", demo.SMALL_ROUND, "--data-dir", str(data), "--reports-dir", str(reports)])
    result = run_rakor(demo.SMALL_ROUND, data, reports, None)
    folder = reports / demo.SMALL_ROUND / "sipd"
    # DIN04 has nothing that counts (0 %): no file; the other three have one each
    assert sorted(p.name for p in result.sipd) == ["dssd-DIN01.xlsx", "dssd-DIN02.xlsx", "dssd-DIN03.xlsx"]
    items = pd.read_parquet(data / "processed" / demo.SMALL_ROUND / "item_terkini.parquet")
    for kode, n in (("DIN01", 50), ("DIN02", 20), ("DIN03", 38)):
        back = read_dssd(folder / f"dssd-{kode}.xlsx").values
        back = back[back["status"].isin(["ada", "nihil"])]  # an empty cell is an item still owed
        assert len(back) == n, kode
        mine = items[(items["kode_opd"] == kode) & items["terpenuhi"]]
        expected = {(k, int(t)): (float(v) if s == "ada" else 0.0)
                    for k, t, v, s in zip(mine["kode_elemen"], mine["tahun"], mine["nilai"], mine["status"], strict=True)}
        got = {(k, int(t)): float(v) for k, t, v in zip(back["kode_dssd"], back["tahun"], back["nilai"], strict=True)}
        assert got == expected, kode
