"""Issue 26: the register (``opd.csv``) and the catalogue (``katalog.csv``) are read under the settings' ``[batas]``
like a submission. A register or catalogue past its size is refused before a byte of it is parsed, with a message
naming the file, the limit and the key to change; a catalogue is bounded by ``ukuran_berkas_mb`` in every format
(a national catalogue as CSV is past a submission's text limit and cannot be split), so a 600,000-row catalogue
still loads. The reference files are never changed."""

from __future__ import annotations

import hashlib
import time
from dataclasses import replace
from pathlib import Path

import pytest

from satudata.formats import read_limits, readers
from satudata.reference.catalogue import CatalogueError, load_reference
from satudata.reference.register import RegisterError
from satudata.reference.settings import load_settings
from satudata.run.cli import main
from tests.sources_reference import BASE, write_reference


def _sparse(path: Path, size: int, head: bytes) -> None:
    """A file of ``size`` bytes that costs nothing to make: its head, then a hole (read back as zero bytes)."""
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)


def _n(number: int) -> str:
    """A number as the messages write it: ``10.485``."""
    return f"{number:,}".replace(",", ".")


def _sha(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def parsed(monkeypatch):
    """The names of the files a reader began to parse (text or workbook), whatever the caller."""
    names: list[str] = []
    for name in ("_read_text", "_read_workbook"):
        real = getattr(readers, name)
        monkeypatch.setattr(readers, name, lambda path, *a, _real=real, **k: names.append(Path(path).name) or _real(path, *a, **k))
    return names


def test_a_huge_register_is_refused_before_it_is_parsed(tmp_path, parsed, capsys):
    ref = write_reference(tmp_path)
    _sparse(ref / "opd.csv", 100 * 1024**2, b"kode_opd,nama_opd,singkatan,jenis,alias\nDINKES,Dinas Kesehatan,,,\n")
    started = time.monotonic()
    with pytest.raises(RegisterError) as err:
        load_reference(ref, load_settings(ref / "pengaturan.toml"))
    assert time.monotonic() - started < 5
    assert parsed == []
    text = str(err.value)
    assert text.startswith("Daftar OPD 'opd.csv' tidak dapat dipakai: ditemukan 1 masalah.")
    assert ("Berkas opd.csv tidak dibaca: ukuran berkas teks (byte) (104.857.600) melebihi batas max_text_bytes = "
            "67.108.864. Daftar OPD biasanya hanya beberapa ratus baris") in text  # fmt: skip
    assert "naikkan ukuran_teks_mb di [batas] pengaturan.toml" in text and "kirim ulang" not in text
    # as the user meets it: the command stops with that message, exit code 1
    assert main(["katalog", "--data-dir", str(tmp_path)]) == 1
    assert "GAGAL: Daftar OPD 'opd.csv' tidak dapat dipakai" in capsys.readouterr().err


def test_a_huge_catalogue_is_refused_before_it_is_parsed(tmp_path, parsed, capsys):
    """300 MiB, past ``max_file_bytes``: refused at once (the reference cache's key reads it in chunks, never whole);
    the register beside it was read."""
    ref = write_reference(tmp_path)
    _sparse(ref / "katalog.csv", 300 * 1024**2, b"kode_elemen,nama_elemen,satuan,kode_opd\n1.01,Jumlah,Unit,DINKES\n")
    (tmp_path / "raw" / "2024-04-01").mkdir(parents=True)
    (tmp_path / "raw" / "2024-04-01" / "dinkes.csv").write_text("Uraian,Satuan,2021\nJumlah puskesmas,Unit,27\n")
    before = _sha(ref)
    started = time.monotonic()
    assert main(["hitung", "--round", "2024-04-01", "--data-dir", str(tmp_path)]) == 1
    assert "GAGAL: Katalog 'katalog.csv' tidak dapat dipakai" in capsys.readouterr().err
    with pytest.raises(CatalogueError) as err:
        load_reference(ref, load_settings(ref / "pengaturan.toml"))
    assert time.monotonic() - started < 20
    assert parsed == ["opd.csv", "opd.csv"]
    text = str(err.value)
    assert text.startswith("Katalog 'katalog.csv' tidak dapat dipakai: ditemukan 1 masalah.")
    assert ("Berkas katalog.csv tidak dibaca: ukuran berkas (byte) (314.572.800) melebihi batas max_file_bytes = "
            "209.715.200. Katalog dibaca utuh ke memori") in text  # fmt: skip
    assert "naikkan ukuran_berkas_mb di [batas] pengaturan.toml" in text
    assert _sha(ref) == before


def test_the_reference_limits_follow_the_settings(tmp_path, monkeypatch, parsed):
    """Lowered in ``[batas]``, the settings' limits refuse the reference files (the built-in ones allow them);
    raised, they read files the built-in limits would refuse."""
    ref = write_reference(tmp_path, BASE + "\n[batas]\nukuran_teks_mb = 0.01\n")
    (ref / "opd.csv").write_text((ref / "opd.csv").read_text(encoding="utf-8") + "\n" * 11_000, encoding="utf-8")
    with pytest.raises(RegisterError) as err:
        load_reference(ref, load_settings(ref / "pengaturan.toml"))
    size = (ref / "opd.csv").stat().st_size
    assert f"Berkas opd.csv tidak dibaca: ukuran berkas teks (byte) ({_n(size)}) melebihi batas max_text_bytes = 10.485." in str(err.value)
    (ref / "pengaturan.toml").write_text(BASE + "\n[batas]\nukuran_berkas_mb = 0.01\n", encoding="utf-8")
    (ref / "opd.csv").write_text((ref / "opd.csv").read_text(encoding="utf-8").rstrip("\n") + "\n", encoding="utf-8")
    (ref / "katalog.csv").write_text((ref / "katalog.csv").read_text(encoding="utf-8") + "\n" * 11_000, encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        load_reference(ref, load_settings(ref / "pengaturan.toml"))
    size = (ref / "katalog.csv").stat().st_size
    assert f"Berkas katalog.csv tidak dibaca: ukuran berkas (byte) ({_n(size)}) melebihi batas max_file_bytes = 10.485." in str(err.value)
    assert parsed == ["opd.csv"]  # the catalogue never
    # built-in limits smaller than these files; the settings allow them: both read
    monkeypatch.setattr(read_limits, "LIMITS", replace(read_limits.LIMITS, max_text_bytes=100, max_file_bytes=100))
    (ref / "pengaturan.toml").write_text(BASE + "\n[batas]\nukuran_teks_mb = 1\nukuran_berkas_mb = 1\n", encoding="utf-8")
    register, catalogue = load_reference(ref, load_settings(ref / "pengaturan.toml"))
    assert register.codes == ["DINKES", "DISDIK"] and len(catalogue.elements) == 4


def test_a_catalogue_is_bounded_by_the_file_limit_not_the_text_limit(tmp_path):
    """A catalogue CSV past the text limit a submission has (ukuran_teks_mb) but within ukuran_berkas_mb is read: a
    national catalogue as CSV is about 100 MB and cannot be split. The register keeps a submission's limits."""
    ref = write_reference(tmp_path, BASE + "\n[batas]\nukuran_teks_mb = 0.01\nukuran_berkas_mb = 1\n")
    rows = [f"9.99.{i:05d},Indikator nomor {i},Unit,9.99,Lain,DISDIK,2021,2023" for i in range(400)]
    (ref / "katalog.csv").write_text((ref / "katalog.csv").read_text(encoding="utf-8") + "\n".join(rows) + "\n",
                                     encoding="utf-8")  # fmt: skip
    assert 0.01 * 1024**2 < (ref / "katalog.csv").stat().st_size < 1024**2
    register, catalogue = load_reference(ref, load_settings(ref / "pengaturan.toml"))
    assert len(catalogue.elements) == 404 and register.codes == ["DINKES", "DISDIK"]


@pytest.mark.slow
def test_a_600000_row_catalogue_still_loads(tmp_path):
    """The stress region's catalogue (300 producers x 2,000 elements, ``tests.scale_region``, 45 MB) loads with
    the built-in limits and with a text limit lowered below its size (the catalogue is bounded by
    ``ukuran_berkas_mb``); a file limit below its size refuses it naming the key. About 20 s, 1.4 GiB."""
    from tests.scale_region import producers
    from tests.scale_region import write_reference as write_scale

    ref = tmp_path / "reference"
    write_scale(ref, producers(0, 0, 300, 2000), [2021, 2022, 2023])
    size = (ref / "katalog.csv").stat().st_size
    assert 40 * 1024**2 < size < 64 * 1024**2
    settings = BASE + "\n[batas]\nukuran_teks_mb = 16\n"
    (ref / "pengaturan.toml").write_text(settings, encoding="utf-8")
    register, catalogue = load_reference(ref, load_settings(ref / "pengaturan.toml"))
    assert len(catalogue.elements) == 600_000 and len(register.codes) == 300
    (ref / "pengaturan.toml").write_text(settings + "ukuran_berkas_mb = 40\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        load_reference(ref, load_settings(ref / "pengaturan.toml"))
    assert f"Berkas katalog.csv tidak dibaca: ukuran berkas (byte) ({_n(size)}) melebihi batas max_file_bytes = " in str(err.value)
    assert "naikkan ukuran_berkas_mb di [batas]" in str(err.value)
