"""Paths, settings and Indonesian formatting."""

import pytest

from satudata import fmt
from satudata.paths import Paths, check_round
from satudata.settings import load_settings, settings_from_dict


def test_check_round_accepts_iso_dates_and_explains_the_rest():
    assert check_round(" 2020-08-27 ") == "2020-08-27"
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        check_round("27-08-2020")
    with pytest.raises(ValueError, match="bukan tanggal"):
        check_round("2020-02-30")


def test_rounds_are_sorted_and_ignore_other_folders(tmp_path):
    for name in ("2020-09-10", "2020-08-27", "arsip", "2020-9-1"):
        (tmp_path / "data" / "raw" / name).mkdir(parents=True)
    paths = Paths.from_env(tmp_path / "data", tmp_path / "reports")
    assert paths.rounds() == ["2020-08-27", "2020-09-10"]
    assert paths.rounds_up_to("2020-09-01") == ["2020-08-27", "2020-09-01"]
    assert paths.processed("2020-08-27") == tmp_path / "data" / "processed" / "2020-08-27"


def test_settings_file_maps_zones_and_catalogue_columns(tmp_path):
    f = tmp_path / "pengaturan.toml"
    f.write_text(
        '[wilayah]\nnama = "Kota Lubuklinggau"\n[zona]\nhijau = 80\nkuning = 40\n'
        '[zona.warna]\nhijau = "#00FF00"\n[katalog]\nberkas = "daftar.xlsx"\ntingkat_wajib = [1]\n'
        '[katalog.kolom]\n"NAMA DATA" = "nama_elemen"\n',
        encoding="utf-8",
    )
    s = load_settings(f)
    assert s.region == "Kota Lubuklinggau"
    assert (s.zones.hijau, s.zones.kuning) == (80.0, 40.0)
    assert s.zones.colours["hijau"] == "#00FF00" and s.zones.colours["merah"] == "#C62828"
    assert s.catalogue.file == "daftar.xlsx" and s.catalogue.levels_owed == [1]
    assert s.catalogue.columns == {"NAMA DATA": "nama_elemen"}
    assert load_settings(None).zones.hijau == 90.0  # no file named: the defaults


def test_impossible_thresholds_are_refused_in_indonesian():
    with pytest.raises(ValueError, match=r"\[zona\] kuning \(60\) harus lebih kecil dari hijau \(40\)"):
        settings_from_dict({"zona": {"hijau": 40, "kuning": 60}})


def test_indonesian_formats():
    assert fmt.tanggal("2020-08-27") == "Kamis, 27 Agustus 2020"
    assert fmt.angka(1234.5, 1) == "1.234,5"
    assert fmt.angka(1234567) == "1.234.567"
    # truncation: the shown percent never crosses a zone boundary
    assert fmt.persen(89.95) == "89,9"
    assert fmt.persen(49.99) == "49,9"
    assert fmt.persen(100.0) == "100,0"
    assert fmt.persen(12.35, sign=True) == "+12,3"
    assert fmt.persen(-3.0, sign=True) == "−3,0"
    assert fmt.persen(None) == "–"
