"""Stage 4 never builds on an invalid reference: it stops with the reference's Indonesian message, and writes
no deck, no workbook and no evidence file."""

from __future__ import annotations

import pytest

from satudata import demo
from satudata.cli import main
from satudata.slides import run_rakor


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
