"""``[sumber]``: named sources parsed, every problem named by its key at once, the example file's sources
valid, and no ``[sumber]`` leaves the settings (and their provenance) exactly as before."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from satudata.reference.settings import Settings, SourceSettings, settings_from_dict
from satudata.reference.settings_check import SettingsError

EXAMPLE = Path(__file__).parents[2] / "satudata" / "reference" / "pengaturan-contoh.toml"


def test_named_sources_are_read():
    settings = settings_from_dict({"sumber": {
        "sipd": {"jenis": "dssd", "berkas": "sipd/*.xlsx"},
        "portal": {"jenis": "ckan", "url": "https://data.demakkab.go.id/", "organisasi": "dinkes",
                   "token_env": "SATUDATA_CKAN_TOKEN", "jeda_detik": 2, "baris_per_halaman": 50},
    }})  # fmt: skip
    sipd, portal = settings.sources
    assert sipd == SourceSettings("sipd", "dssd", files=("sipd/*.xlsx",))
    assert (portal.url, portal.organisations, portal.token_env, portal.delay, portal.rows, portal.retries) == (
        "https://data.demakkab.go.id", ("dinkes",), "SATUDATA_CKAN_TOKEN", 2.0, 50, 3)
    assert (sipd.role, portal.role) == ("sipd", "portal")
    assert settings.as_dict()["sources"][0]["name"] == "sipd"


def test_no_sumber_is_as_before():
    settings = settings_from_dict({})
    assert settings.sources == () and "sources" not in settings.as_dict()
    assert settings.as_dict() == Settings().as_dict()


def test_every_source_problem_at_once_naming_the_key():
    with pytest.raises(SettingsError) as err:
        settings_from_dict({"sumber": {
            "a b": {"jenis": "dssd", "berkas": "../luar/*.xlsx"},
            "portal": {"jenis": "ckan", "url": "data.go.id", "token_env": "rahasia 123", "percobaan_ulang": 2.5,
                       "warna": "x"},
            "ewalidata": {"jenis": "ewalidata"},
            "aneh": {"jenis": "ftp"},
            "f1": {"jenis": "folder"}, "f2": {"jenis": "folder"},
        }})  # fmt: skip
    problems = err.value.problems
    assert len(problems) == 9
    assert "[sumber.a b]: nama sumber hanya boleh huruf" in problems[0]
    assert "[sumber.a b] berkas = '../luar/*.xlsx' harus relatif" in problems[1]
    assert "[sumber.portal] warna tidak dikenal untuk jenis ckan" in problems[2]
    assert "[sumber.portal] url = 'data.go.id' harus alamat portal CKAN" in problems[3]
    assert "[sumber.portal] token_env = 'rahasia 123' harus nama variabel lingkungan" in problems[4]
    assert "[sumber.portal] percobaan_ulang = 2.5 harus bilangan bulat 0-10" in problems[5]
    assert "[sumber.ewalidata] berkas belum diisi" in problems[6]
    assert "[sumber.aneh] jenis = 'ftp' tidak dikenal" in problems[7]
    assert problems[8] == "[sumber]: hanya boleh satu sumber jenis folder (tertulis f1, f2)."


def test_the_example_sources_are_valid_when_uncommented():
    text = EXAMPLE.read_text(encoding="utf-8").split("# [sumber]:", 1)[1]
    lines = [line[2:] for line in text.splitlines() if line.startswith("# [sumber.") or
             (line.startswith("# ") and "=" in line.split("#")[1] and not line.startswith("# `"))]  # fmt: skip
    raw = tomllib.loads("\n".join(lines))
    settings = settings_from_dict(raw)
    assert [(s.name, s.kind) for s in settings.sources] == [
        ("berkas", "folder"), ("portal", "ckan"), ("portal_dump", "ckan_dump"), ("inventaris", "inventaris"),
        ("sipd", "dssd"), ("ewalidata", "ewalidata")]
