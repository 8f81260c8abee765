"""Names that become paths: ``../x``, absolute paths, NUL and reserved names are mapped to safe file
names inside the output folder (or refused); nothing is written anywhere else."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from satudata.common.paths import check_round
from satudata.common.safe_names import UnsafePath, file_stem, inside, output_file
from satudata.outputs import feedback, slides, submission_template
from satudata.reference.settings import Settings

HOSTILE = ["../x", "../../reports/raw/01_Dinkes", "/abs/y", "a\0b", "CON", "nul.txt", "com1", "..", ".hidden",
           "a\\b", "x" * 300]  # fmt: skip
PUTARAN = "2020-08-27"


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_plain_names_are_kept():
    assert [file_stem(n) for n in ["DINKES", "1.02.01", "OPD_01", "dinkes-kab"]] == [
        "DINKES", "1.02.01", "OPD_01", "dinkes-kab"]  # fmt: skip


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_become_one_plain_file_name(name):
    stem = file_stem(name)
    assert "/" not in stem and "\\" not in stem and "\0" not in stem and not stem.startswith(".")
    assert stem.split(".")[0].upper() not in {"CON", "NUL", "COM1"} and len(stem) <= 90
    assert stem != name  # it had to change, so it carries a hash of the original
    assert output_file("/tmp/keluaran", name, ".xlsx").parent == Path("/tmp/keluaran")


def test_examples_of_the_mapping():
    assert file_stem("../x") == "_x-d6b96a97"
    assert file_stem("CON") == "_CON-a3dbc4b6"
    assert file_stem("a\0b") == "a_b-59b271ae"
    assert file_stem("A/B") != file_stem("A_B") == "A_B"  # two codes never share a file


def test_empty_names_are_refused():
    for name in ["", "  ", None, "\0"]:
        with pytest.raises(UnsafePath, match="kode_opd kosong tidak dapat dipakai sebagai nama berkas"):
            file_stem(name, "kode_opd")


def test_inside_refuses_a_path_outside_its_folder(tmp_path):
    assert inside(tmp_path, tmp_path / "a" / "b.xlsx") == tmp_path / "a" / "b.xlsx"
    for bad in [tmp_path / ".." / "x.xlsx", Path("/etc/passwd")]:
        with pytest.raises(UnsafePath, match="berada di luar folder keluaran"):
            inside(tmp_path, bad)
    (tmp_path / "tautan").symlink_to("/tmp")
    with pytest.raises(UnsafePath):
        inside(tmp_path, tmp_path / "tautan" / "x.xlsx")


def _frames(codes: list[str]):
    n = len(codes)
    register = pd.DataFrame({"kode_opd": codes, "nama_opd": [f"Dinas {i}" for i in range(n)],
                             "singkatan": codes, "jenis": ["dinas"] * n})  # fmt: skip
    progres = register.assign(putaran=PUTARAN, wajib=1, terpenuhi=0, persen=0.0, zona="merah", selisih=0.0)
    kekurangan = pd.DataFrame({"putaran": PUTARAN, "kode_opd": codes, "nama_opd": register["nama_opd"],
                               "kode_elemen": "E1", "nama_elemen": "Jumlah", "satuan": "unit", "kode_urusan": "1",
                               "nama_urusan": "U", "tahun": 2020})  # fmt: skip
    masalah = pd.DataFrame(columns=["putaran", "sumber_file", "sumber_sheet", "sumber_baris", "sumber_kolom",
                                    "kode_opd", "tingkat", "kode_masalah", "pesan"])  # fmt: skip
    return register, progres, kekurangan, masalah


def test_feedback_workbooks_stay_in_their_folder(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "01_Dinkes.xlsx").write_bytes(b"kiriman asli")
    out = tmp_path / "reports" / PUTARAN / "umpan-balik"
    codes = [c for c in HOSTILE if c != "../../reports/raw/01_Dinkes"] + ["../../../raw/01_Dinkes", "DINKES"]
    register, progres, kekurangan, masalah = _frames(codes)
    before = _tree(tmp_path)
    paths = feedback.write_feedback(register, progres, kekurangan, masalah, Settings(), PUTARAN, out)
    paths.append(feedback.write_walidata_workbook(register, progres, kekurangan, masalah, Settings(), PUTARAN, out))
    assert len(set(paths)) == len(codes) + 1 and all(p.parent == out for p in paths)
    assert _tree(tmp_path) - before == {str(p.relative_to(tmp_path)) for p in paths} | {
        "reports", f"reports/{PUTARAN}", f"reports/{PUTARAN}/umpan-balik"}  # fmt: skip
    assert (raw / "01_Dinkes.xlsx").read_bytes() == b"kiriman asli"
    assert out / "DINKES.xlsx" in paths and out / "rekap-walidata-2020-08-27.xlsx" in paths
    assert out / "_x-d6b96a97.xlsx" in paths and out / "_CON-a3dbc4b6.xlsx" in paths


def test_walidata_workbook_of_a_hostile_round_is_refused(tmp_path):
    register, progres, kekurangan, masalah = _frames(["DINKES"])
    for bad in ["2020-08-27/../../../x", "2020-08-27\0", "/abs"]:
        with pytest.raises(ValueError, match="tidak valid|bukan tanggal|isoformat"):
            feedback.write_walidata_workbook(register, progres, kekurangan, masalah, Settings(), bad, tmp_path)
    assert os.listdir(tmp_path) == []


def test_templates_stay_in_their_folder(tmp_path):
    codes = ["../x", "/abs/y", "CON", "OPD01"]
    register = SimpleNamespace(frame=pd.DataFrame({"kode_opd": codes, "nama_opd": ["Dinas"] * 4,
                                                   "singkatan": ["../../z", "a/b", "nul", "Dinkes"]}))  # fmt: skip
    elements = pd.DataFrame({"kode_elemen": ["E1"] * 4, "nama_elemen": ["Jumlah"] * 4, "satuan": ["unit"] * 4,
                             "kode_urusan": ["1"] * 4, "nama_urusan": ["U"] * 4, "kode_opd": codes,
                             "tahun_wajib": [(2020,)] * 4})  # fmt: skip
    out = tmp_path / "templat"
    paths = submission_template.write_templates(SimpleNamespace(elements=elements), register, out, Settings())
    assert len(paths) == 4 and all(p.parent == out for p in paths)
    assert _tree(tmp_path) == {"templat"} | {f"templat/{p.name}" for p in paths}
    assert out / "OPD01-dinkes.xlsx" in paths
    assert all(not p.name.startswith(".") and "\0" not in p.name for p in paths)


def test_a_round_that_is_not_a_date_is_refused_before_writing(tmp_path):
    for bad in ["../x", "/abs", "2020-08-27/../../x", "2020-08-27\0", "CON"]:
        with pytest.raises(ValueError, match="tidak valid|bukan tanggal"):
            check_round(bad)
        with pytest.raises(ValueError):
            slides.build_deck(bad, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), Settings(),
                              tmp_path / "x.pptx", tmp_path / "grafik")  # fmt: skip
    assert os.listdir(tmp_path) == []
