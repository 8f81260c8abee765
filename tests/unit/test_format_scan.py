"""ODS repeats and BIFF .xls records are measured before the workbook reader allocates anything."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import python_calamine as pc

from satudata.formats import read_limits
from satudata.formats.format_scan import scan_ods, scan_xls
from satudata.formats.readers import ReadError, read_source
from tests.hostile_files import good_ods_rows, ods, ods_cell, ods_row, xls_far_cell

SAMPLE_XLS = Path(__file__).resolve().parents[1] / "integration" / "test_ingest_sample.xls"


@pytest.fixture
def no_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """The workbook reader must not be reached."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook reader was opened")

    monkeypatch.setattr(pc.CalamineWorkbook, "from_path", refuse)


def _refused(path: Path, limits: read_limits.ReadLimits | None = None) -> ReadError:
    with pytest.raises(ReadError) as err:
        read_source(path, limits)
    assert err.value.code == "berkas_terlalu_besar"
    return err.value


def test_ods_with_libreoffice_filler_rows_reads_normally(tmp_path):
    path = ods(tmp_path / "Dinkes.ods", good_ods_rows())
    (scan,) = scan_ods(path, read_limits.LIMITS)
    assert (scan.min_row, scan.max_row, scan.min_col, scan.max_col) == (1, 3, 0, 2)
    (grid,) = read_source(path).grids
    assert grid.rows[2][:3] == ["Jumlah Bidan", "Orang", 5.0]


def test_ods_repeated_rows_and_columns_with_a_value_are_refused(tmp_path, no_reader):
    rows = [*good_ods_rows()[:3], ods_row(ods_cell(1.0, repeat=16_000), repeat=1_000_000)]
    err = _refused(ods(tmp_path / "bom.ods", rows))
    assert "bom.ods" in err.message and "max_cells = 30.000.000" in err.message and "lembar kerja 'Data'" in err.message


def test_ods_repeat_past_the_column_limit_is_refused(tmp_path, no_reader):
    err = _refused(ods(tmp_path / "lebar.ods", [ods_row(ods_cell(None, 20_000), ods_cell("x"))]))
    assert "max_columns = 16.384" in err.message


def test_ods_limits_follow_the_settings(tmp_path, no_reader):
    small = dataclasses.replace(read_limits.LIMITS, max_cells=5)
    err = _refused(ods(tmp_path / "Dinkes.ods", good_ods_rows()), small)
    assert "A1:C2" in err.message and "(6)" in err.message and "max_cells = 5" in err.message  # refused at row 2


def test_xls_sample_reads_and_its_range_is_measured():
    (scan,) = scan_xls(SAMPLE_XLS, read_limits.LIMITS)
    assert (scan.name, scan.min_row, scan.max_row, scan.min_col, scan.max_col) == ("Data", 1, 7, 0, 3)
    assert read_source(SAMPLE_XLS).grids[0].name == "Data"


def test_xls_cell_far_away_is_refused_before_reading(tmp_path, no_reader):
    path = xls_far_cell(SAMPLE_XLS, tmp_path / "jauh.xls")
    small = dataclasses.replace(read_limits.LIMITS, max_cells=1_000_000)
    err = _refused(path, small)
    assert "jauh.xls" in err.message and "IV65536" in err.message and "max_cells = 1.000.000" in err.message
