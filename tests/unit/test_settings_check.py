"""Bad settings are refused with every problem at once, in Indonesian, naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from satudata.reference.settings import load_settings, settings_from_dict
from satudata.reference.settings_check import SettingsError


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


def test_letterhead_and_compiled_by_of_the_report():
    s = settings_from_dict({"laporan": {"kop": ["PEMERINTAH KABUPATEN DEMAK", " DINAS KOMINFO ", ""],
                                        "disusun_oleh": "Bidang Statistik"}})
    assert s.report.letterhead == ("PEMERINTAH KABUPATEN DEMAK", "DINAS KOMINFO")
    assert s.report.compiled_by == "Bidang Statistik"
    one = settings_from_dict({"laporan": {"kop": "PEMERINTAH KOTA UJI"}})
    assert one.report.letterhead == ("PEMERINTAH KOTA UJI",) and one.report.compiled_by is None
    assert settings_from_dict({}).report.letterhead == ()
    with pytest.raises(SettingsError) as err:
        settings_from_dict({"laporan": {"kop": [1, 2], "disusun_oleh": 7, "logo": "a.png"}})
    text = str(err.value)
    assert "[laporan] kop = [1, 2] harus teks atau daftar baris teks" in text
    assert "[laporan] disusun_oleh = 7 harus teks" in text
    assert "[laporan] logo tidak dikenal (yang dikenal: kop, disusun_oleh)" in text
    with pytest.raises(SettingsError, match=r"\[laporan\] kop berisi 7 baris; paling banyak 6 baris"):
        settings_from_dict({"laporan": {"kop": ["a"] * 7}})


def test_example_settings_carry_the_report_keys():
    example = Path(__file__).resolve().parents[2] / "satudata" / "reference" / "pengaturan-contoh.toml"
    s = load_settings(example)
    assert s.report.letterhead == ("PEMERINTAH KABUPATEN DEMAK", "DINAS KOMUNIKASI DAN INFORMATIKA")
    assert s.report.compiled_by == "Walidata Diskominfo Kabupaten Demak"
