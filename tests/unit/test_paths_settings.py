"""Paths, settings and Indonesian formatting."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satudata.common import fmt
from satudata.common.paths import Paths, check_round
from satudata.reference.settings import Settings, load_settings, settings_from_dict


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
    assert s.zones.colours["hijau"] == "#00FF00" and s.zones.colours["merah"] == Settings().zones.colours["merah"]
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
    # rounded half up, but never onto a zone threshold (or 100) it is below
    assert fmt.persen(10 / 15 * 100) == "66,7"
    assert fmt.persen(7 / 15 * 100) == "46,7"
    assert fmt.persen(62.4875) == "62,5"
    assert fmt.persen(66.65) == "66,7"
    assert fmt.persen(89.95) == "89,9"
    assert fmt.persen(89.94) == "89,9"
    assert fmt.persen(49.99) == "49,9"
    assert fmt.persen(99.96) == "99,9"
    assert fmt.persen(90.04) == "90,0"
    assert fmt.persen(100.0) == "100,0"
    assert fmt.persen(12.35, sign=True) == "+12,4"
    assert fmt.persen(18.400000000000006, sign=True) == "+18,4"
    assert fmt.persen(-3.0, sign=True) == "−3,0"
    assert fmt.persen(None) == "–"


def test_percent_beside_a_zone_follows_the_region_thresholds():
    from satudata.reference.settings import ZoneSettings

    zones = ZoneSettings(hijau=80.0, kuning=60.0)
    assert fmt.zone_thresholds(zones) == (60.0, 80.0, 100.0)
    assert fmt.persen_zona(79.96, zones) == "79,9"  # 80 is hijau in this region
    assert fmt.persen_zona(89.96, zones) == "90,0"  # 90 is no threshold here
    assert fmt.persen_zona(59.95, zones) == "59,9"
    assert fmt.round_percent(89.95, 1, fmt.zone_thresholds(ZoneSettings())) == 89.9


@given(st.floats(0, 100, allow_nan=False), st.sampled_from([(50.0, 90.0), (60.0, 80.0), (40.0, 75.0)]))
def test_shown_percent_never_contradicts_its_zone(value, thresholds):
    from satudata.reference.settings import ZoneSettings

    zones = ZoneSettings(hijau=thresholds[1], kuning=thresholds[0])
    shown = fmt.round_percent(value, 1, fmt.zone_thresholds(zones))
    assert abs(shown - value) <= 0.1 + 1e-9
    for t in (*thresholds, 100.0):
        assert (shown >= t) == (value >= t)


def test_round_calendar_contact_and_csv_settings(tmp_path):
    from pathlib import Path

    import satudata

    demo = load_settings(Path(satudata.__file__).parent / "reference" / "pengaturan-contoh.toml")
    assert demo.rounds.schedule[:3] == ("2020-08-27", "2020-09-10", "2020-09-24")
    assert demo.rounds.interval_days == 14
    assert demo.rounds.next_round("2020-09-24") == "2020-10-08"
    assert demo.rounds.next_round("2020-10-22") == "2020-11-05"  # past the schedule: every 14 days
    assert demo.output.csv_separator == ","
    s = settings_from_dict({
        "putaran": {"jadwal": ["2021-03-01"], "batas_kirim": "2021-02-20"},
        "kontak": {"nama": "Bidang Statistik", "telepon": "0291 1", "surel": "a@b.go.id"},
        "keluaran": {"csv_pemisah": ";"},
    })  # fmt: skip
    assert s.rounds.deadline == "2021-02-20" and s.rounds.next_round("2021-03-01") is None
    assert s.contact.text() == "Bidang Statistik · 0291 1 · a@b.go.id"
    assert (s.output.csv_separator, s.output.csv_decimal) == (";", ",")
    assert not settings_from_dict({}).rounds.known
    with pytest.raises(ValueError, match="batas_kirim"):
        settings_from_dict({"putaran": {"batas_kirim": "besok"}})
    with pytest.raises(ValueError, match="csv_pemisah"):
        settings_from_dict({"keluaran": {"csv_pemisah": "|"}})
    with pytest.raises(ValueError, match="selang_hari"):
        settings_from_dict({"putaran": {"selang_hari": 0}})
