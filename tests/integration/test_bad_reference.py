"""A battery of bad references: each is refused with an Indonesian message naming the file and row, or (for
a catalogue row, by the catalogue rule) the row is left out and listed with its reason. None is accepted
silently, and the reasons are the ones a walidata can act on."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from satudata.reference.catalogue import load_reference
from satudata.reference.settings import load_settings
from satudata.run import demo


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("reference")
    demo.generate_small(root)
    return root / "reference"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _edited(lines: list[str], i: int, column: str, value: str) -> str:
    header = next(csv.reader([lines[0]]))
    row = next(csv.reader([lines[i]]))
    row[header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(row)
    return "\n".join([*lines[:i], out.getvalue(), *lines[i + 1:]]) + "\n"


def _load(reference: Path, tmp_path: Path, register: str | None = None, catalogue: str | None = None):
    folder = tmp_path / "ref"
    shutil.copytree(reference, folder)
    if register is not None:
        (folder / "opd.csv").write_text(register, encoding="utf-8")
    if catalogue is not None:
        (folder / "katalog.csv").write_text(catalogue, encoding="utf-8")
    return load_reference(folder, load_settings(folder / "pengaturan.toml"))


REGISTER_CASES = {
    "kode ganda": lambda L: "\n".join([*L, L[1]]) + "\n",
    "kode kosong": lambda L: _edited(L, 1, "kode_opd", ""),
    "nama kosong": lambda L: _edited(L, 1, "nama_opd", ""),
    "karakter NUL": lambda L: _edited(L, 1, "nama_opd", "Dinas\x00Kesehatan"),
    "singkatan dipakai dua OPD": lambda L: _edited(L, 2, "singkatan", "Dindikbud"),
    "nama 100.000 karakter": lambda L: _edited(L, 1, "nama_opd", "x" * 100_000),
    "kolom nama_opd hilang": lambda L: "\n".join(",".join(r.split(",")[:1] + r.split(",")[2:]) for r in L) + "\n",
    "berkas kosong": lambda L: "",
}


@pytest.mark.parametrize("case", sorted(REGISTER_CASES))
def test_a_bad_register_is_refused_naming_the_file(reference, tmp_path, case):
    register = REGISTER_CASES[case](_lines(reference / "opd.csv"))
    with pytest.raises(ValueError) as refused:
        _load(reference, tmp_path, register=register)
    assert "opd.csv" in str(refused.value) and "tidak dapat dipakai" in str(refused.value), case


CATALOGUE_ROW_CASES = {  # case -> (edit, the reason listed)
    "produsen tidak dikenal": (lambda L: _edited(L, 1, "kode_opd", "ZZZ99"), "opd_tidak_dikenal"),
    "tahun terbalik": (lambda L: _edited(L, 1, "tahun_awal", "2030"), "tahun_tidak_valid"),
    "tahun berupa teks": (lambda L: _edited(L, 1, "tahun_awal", "2015a"), "tahun_tidak_valid"),
    "tahun 1800": (lambda L: _edited(L, 1, "tahun_awal", "1800"), "tahun_tidak_valid"),
    "tahun 3000": (lambda L: _edited(L, 1, "tahun_akhir", "3000"), "tahun_tidak_valid"),
    "nama elemen kosong": (lambda L: _edited(L, 1, "nama_elemen", ""), "nama_kosong"),
    "kode elemen kosong": (lambda L: _edited(L, 1, "kode_elemen", ""), "kode_kosong"),
    "baris ganda": (lambda L: "\n".join([*L, L[1]]) + "\n", "duplikat"),
}


@pytest.mark.parametrize("case", sorted(CATALOGUE_ROW_CASES))
def test_a_bad_catalogue_row_is_left_out_and_listed_with_its_reason(reference, tmp_path, case):
    edit, reason = CATALOGUE_ROW_CASES[case]
    _, catalogue = _load(reference, tmp_path, catalogue=edit(_lines(reference / "katalog.csv")))
    excluded = catalogue.excluded
    assert reason in set(excluded["alasan"]), (case, excluded.to_dict("records"))
    # the 40 elements less the row left out; a duplicate row leaves its first copy in
    assert len(catalogue.elements) == (40 if reason == "duplikat" else 39)


@pytest.mark.parametrize("text", ["", "kode_elemen,nama_elemen,satuan,kode_urusan,nama_urusan,kode_opd,tahun_awal,"
                                     "tahun_akhir,demo_saja\n"])  # fmt: skip
def test_a_catalogue_with_no_row_is_refused(reference, tmp_path, text):
    with pytest.raises(ValueError) as refused:
        _load(reference, tmp_path, catalogue=text)
    assert "katalog.csv" in str(refused.value)
