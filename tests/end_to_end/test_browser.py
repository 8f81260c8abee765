"""The report in a real browser: headless Chromium, offline, no console error, images decoded."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from satudata import browser_check
from tests.integration.test_report_notebook import build
from tests.integration.test_report_round_data import write_round

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chromium() -> str:
    path = browser_check.ensure_chromium()
    if path is None:
        pytest.skip("Chromium tidak tersedia dan tidak dapat dipasang di mesin ini.")
    return path


def _png_size(path: Path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


def test_report_opens_offline_without_errors(chromium, tmp_path, capsys):
    data_dir = write_round(tmp_path / "data")
    html = build(data_dir, tmp_path / "reports")
    shot = tmp_path / "tangkapan" / "laporan.png"
    result = browser_check.check_page(html, shot, chromium=chromium)
    assert result.console_errors == []
    assert result.external_requests == []
    assert len(result.images) == 2
    assert all(img["ok"] and img["width"] > 0 for img in result.images)
    assert {img["width"] for img in result.images} == {1920}
    assert result.title == "Laporan Evaluasi Satu Data 2020-08-27"
    width, height = _png_size(shot)
    assert width == browser_check.VIEWPORT[0]
    assert height == result.page_height and height > 2000  # the whole page, not one screen
    assert browser_check.main(html, shot) == 0
    assert "HASIL: baik" in capsys.readouterr().out


def test_checker_catches_errors_broken_images_and_requests(chromium, tmp_path):
    page = tmp_path / "rusak.html"
    page.write_text(
        '<!DOCTYPE html><html lang="id"><head><title>rusak</title>'
        '<link rel="stylesheet" href="https://cdn.contoh.invalid/gaya.css"></head><body>'
        '<img alt="hilang" src="tidak-ada.png"><img alt="baik" src="data:image/png;base64,'
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==">'
        '<script>console.error("galat uji");</script></body></html>',
        encoding="utf-8",
    )
    result = browser_check.check_page(page, tmp_path / "rusak.png", chromium=chromium)
    assert not result.ok
    assert any("galat uji" in e for e in result.console_errors)
    assert [img["alt"] for img in result.broken_images] == ["hilang"]
    assert "https://cdn.contoh.invalid/gaya.css" in result.external_requests
    assert browser_check.main(page, tmp_path / "rusak.png") == 1
