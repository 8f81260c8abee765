"""The checked register and catalogue are kept between commands, and never used once anything they depend on
has changed."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from satudata.reference import catalogue
from satudata.reference.catalogue import CatalogueError
from satudata.reference.reference_cache import CACHE_FILE
from satudata.run import demo
from satudata.run.cli import main
from satudata.run.pipeline import Context


@pytest.fixture
def small(tmp_path):
    data = tmp_path / "data"
    assert main(["demo", "--kecil", "--data-dir", str(data)]) == 0
    return data


@pytest.fixture
def loads(monkeypatch):
    counted: list[int] = []
    real = catalogue.load_reference
    monkeypatch.setattr(catalogue, "load_reference", lambda *a, **k: counted.append(1) or real(*a, **k))
    return counted


def _reference(data):
    return Context.create(demo.SMALL_ROUND, data).reference()


def test_a_second_command_reads_the_checked_reference_from_the_cache(small, loads):
    register, first = _reference(small)
    assert (small / "processed" / CACHE_FILE).is_file()
    register2, second = _reference(small)
    assert len(loads) == 1  # checked once, then read back
    pd.testing.assert_frame_equal(first.elements, second.elements)
    pd.testing.assert_frame_equal(register.frame, register2.frame)
    assert second.sha256 == first.sha256 and len(second.items()) == len(first.items()) == 200
    # the whole round from the cached reference gives the planned percents
    assert main(["hitung", "--round", demo.SMALL_ROUND, "--data-dir", str(small)]) == 0
    assert len(loads) == 1
    progres = pd.read_parquet(small / "processed" / demo.SMALL_ROUND / "progres_opd.parquet").set_index("kode_opd")
    assert progres.loc["DIN03", "persen"] == 76.0 and progres.loc["DIN02", "persen"] == 40.0


def test_a_changed_catalogue_or_setting_is_checked_again(small, loads):
    _reference(small)
    path = small / "reference" / "katalog.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # one element fewer
    _, cat = _reference(small)
    assert len(loads) == 2 and len(cat.elements) == len(lines) - 2
    settings = small / "reference" / "pengaturan.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace('nama_singkat = "Demak"',
                                                                     'nama_singkat = "Kudus"'), encoding="utf-8")
    _reference(small)
    assert len(loads) == 3
    # an unusable catalogue is never served from the cache: the error is raised every time
    path.write_text(path.read_text(encoding="utf-8").replace("nama_elemen", "judul", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(CatalogueError, match="nama_elemen"):
            _reference(small)


def test_a_changed_module_of_the_package_makes_the_cache_stale(small, loads, monkeypatch, tmp_path):
    from satudata.reference import reference_cache

    _reference(small)
    package = tmp_path / "paket"
    package.mkdir()
    module = package / "catalogue.py"
    module.write_text("# v1\n")
    monkeypatch.setattr(reference_cache, "PACKAGE_DIR", package)
    _reference(small)  # another package: checked again
    _reference(small)
    assert len(loads) == 2
    module.write_text("# v2, edited\n")
    os.utime(module, ns=(module.stat().st_atime_ns, module.stat().st_mtime_ns + 10**9))
    _reference(small)
    assert len(loads) == 3


def test_an_unreadable_cache_is_rebuilt_and_one_that_cannot_be_written_is_no_error(small, loads):
    _reference(small)
    cache = small / "processed" / CACHE_FILE
    cache.write_bytes(b"bukan pickle")
    _, cat = _reference(small)
    assert len(loads) == 2 and len(cat.elements) == 40
    cache.unlink()
    cache.parent.rmdir()
    cache.parent.write_text("bukan folder")  # the cache cannot be written (as in a read-only folder, also for root)
    _, cat = _reference(small)
    assert len(loads) == 3 and len(cat.elements) == 40 and cache.parent.is_file()
