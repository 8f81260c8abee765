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


# --- issue 25, part 5: settings checked for meaning ------------------------------------------------------------


def _problems(raw: dict) -> str:
    with pytest.raises(SettingsError) as err:
        settings_from_dict(raw)
    return str(err.value)


def test_unknown_sections_and_keys_are_named_with_the_nearest_known_one():
    text = _problems({"wilayahh": {"nama": "Kabupaten Uji"}, "pencocokan": {"ambang_elemn": 90},
                      "putaran": {"selang": 14}, "batas": {"memori": 512},
                      "sumber": {"sipd": {"jenis": "dssd", "berkas": "sipd/*.xlsx", "berkass": "x"}}})
    assert "ditemukan 5 masalah" in text
    assert "Bagian [wilayahh] tidak dikenal. Mungkin maksudnya wilayah?" in text
    assert "[pencocokan] ambang_elemn tidak dikenal. Mungkin maksudnya ambang_elemen?" in text
    assert "[putaran] selang tidak dikenal. Mungkin maksudnya selang_hari?" in text
    assert "[batas] memori tidak dikenal. Mungkin maksudnya memori_mb?" in text
    assert "[sumber.sipd] berkass tidak dikenal untuk jenis dssd. Mungkin maksudnya berkas?" in text
    # the region's own words stay free: catalogue columns, period words, units
    s = settings_from_dict({"katalog": {"kolom": {"JUDUL DATA": "nama_elemen"}, "periode": {"Tetap": "tidak wajib"}},
                            "satuan": {"Pkt": "Paket"}, "zona": {"label": {"hijau": "Baik"}}})
    assert s.units.spellings == {"Pkt": "Paket"}


def test_a_matching_threshold_that_takes_different_names_for_the_same_is_refused():
    text = _problems({"pencocokan": {"ambang_elemen": 0, "ambang_opd": 60}})
    assert "[pencocokan] ambang_elemen = 0 terlalu rendah" in text and "Jumlah Kapal Selam Nuklir" in text
    assert "[pencocokan] ambang_opd = 60 terlalu rendah" in text
    assert settings_from_dict({"pencocokan": {"ambang_elemen": 70}}).matching.element_threshold == 70


def test_a_round_interval_past_a_year_is_refused_before_stage_3_overflows():
    text = _problems({"putaran": {"selang_hari": 999999999}})
    assert "[putaran] selang_hari = 999999999 harus bilangan bulat hari 1-366" in text
    assert _problems({"putaran": {"selang_hari": 7.5}}).count("selang_hari") == 1
    assert settings_from_dict({"putaran": {"selang_hari": 366}}).rounds.next_round("2020-01-01") == "2021-01-01"


def test_limits_outside_sane_bounds_are_refused():
    text = _problems({"batas": {"sel_per_sheet": 0.001, "memori_mb": 1e9, "detik_per_berkas": 0.001,
                                "rasio_zip": 2.5}})
    assert "ditemukan 4 masalah" in text
    assert "[batas] sel_per_sheet = 0.001 harus bilangan bulat 1-17.179.869.184" in text  # int(0.001) is no limit
    assert "[batas] memori_mb = 1000000000.0 harus 64-262.144" in text  # 10^15 bytes switch the cap off
    assert "[batas] detik_per_berkas = 0.001 harus 0,5-86.400" in text
    assert "[batas] rasio_zip = 2.5 harus bilangan bulat" in text


def test_control_characters_are_refused_wherever_they_are(tmp_path: Path):
    path = tmp_path / "pengaturan.toml"
    path.write_text('[wilayah]\nnama = "Kabupaten\\u0007 Uji"\n[kontak]\nnama = "Walidata\\u001b[31m"\n'
                    '[laporan]\nkop = ["PEMERINTAH", "DINAS\\u0000"]\n', encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    text = str(err.value)
    assert "ditemukan 3 masalah" in text
    assert "[wilayah] nama: nilainya berisi karakter kendali U+0007 (tak terlihat) di posisi 10" in text
    assert "[kontak] nama: nilainya berisi karakter kendali U+001B" in text
    assert "[laporan] kop: nilainya berisi karakter kendali U+0000" in text
    assert path.read_bytes() == before
    assert settings_from_dict({"wilayah": {"nama": "Kabupaten Bantaeng"}}).region == "Kabupaten Bantaeng"
