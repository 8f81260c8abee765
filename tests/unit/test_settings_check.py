"""Bad settings are refused with every problem at once, in Indonesian, naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from satudata.settings import load_settings, settings_from_dict
from satudata.settings_check import SettingsError


def test_every_problem_at_once_naming_the_keys(tmp_path: Path):
    path = tmp_path / "pengaturan.toml"
    path.write_text(
        '[wilayah]\nzona_waktu = "Asia/Bandung"\n'
        '[zona]\nhijau = "sembilan puluh"\nkuning = 50\n'
        '[zona.warna]\nhijau = "hijau tua"\nungu = "#123456"\n'
        '[pencocokan]\nambang_elemen = 500\nambang_opd = "x"\n'
        '[katalog]\ntingkat_wajib = ["satu"]\nketat = "ya"\n'
        '[kualitas]\nrasio_lonjakan = 0\n', encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    text = str(err.value)
    assert text.startswith(f"Berkas pengaturan {path} tidak dapat dipakai: ditemukan 9 masalah.")
    for part in ("[zona] hijau = 'sembilan puluh' bukan angka", "[zona.warna] hijau = 'hijau tua' bukan warna",
                 "[zona.warna] ungu bukan nama zona", "[pencocokan] ambang_elemen = 500 di luar rentang 0-100",
                 "[pencocokan] ambang_opd = 'x' bukan angka", "[wilayah] zona_waktu = 'Asia/Bandung' tidak dikenal",
                 "[katalog] tingkat_wajib = ['satu'] harus daftar bilangan bulat", "[katalog] ketat = 'ya'",
                 "[kualitas] rasio_lonjakan = 0 di luar rentang"):
        assert part in text, part


def test_zone_order_and_good_settings():
    with pytest.raises(SettingsError, match=r"\[zona\] kuning \(95\) harus lebih kecil dari hijau \(90\)"):
        settings_from_dict({"zona": {"hijau": 90, "kuning": 95}})
    s = settings_from_dict({"zona": {"hijau": 85, "kuning": 40, "warna": {"merah": "#B71C1C"}},
                            "pencocokan": {"ambang_opd": 90}, "wilayah": {"zona_waktu": "Asia/Makassar"}})
    assert (s.zones.hijau, s.zones.kuning, s.zones.colours["merah"]) == (85.0, 40.0, "#B71C1C")
    assert s.matching.opd_threshold == 90.0 and s.timezone == "Asia/Makassar"


def test_a_missing_settings_file_is_an_error_never_another_regions_defaults(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="Berkas pengaturan .*tidak-ada.toml tidak ada"):
        load_settings(tmp_path / "tidak-ada.toml")
