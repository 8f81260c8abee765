"""Register validation: duplicate codes, missing names, spellings shared by two producers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from satudata.reference.register import (
    RegisterError,
    load_register,
    load_valid_register,
    register_from_frame,
    row_spellings,
    validate_register,
)

DEMAK = Path(__file__).resolve().parents[1] / "data" / "reference" / "opd-demak.csv"


def demak_frame() -> pd.DataFrame:
    frame = pd.read_csv(DEMAK, dtype=str, keep_default_na=False)
    frame.insert(0, "kode_opd", [f"OPD{i:02d}" for i in range(1, len(frame) + 1)])
    return frame


def test_demak_register_is_valid_and_resolves_aliases():
    register = register_from_frame(demak_frame())
    assert len(register.codes) == 43
    assert register.resolve("DKK") == "OPD02"
    assert register.resolve("Dinas Kesehatan Kabupaten Demak") == "OPD02"
    assert register.frame.loc[register.frame["kode_opd"] == "OPD43", "jenis"].item() == "organisasi sosial"


def test_every_register_problem_is_listed():
    frame = demak_frame().iloc[:6].copy()
    frame.loc[2, "kode_opd"] = "OPD01"  # row 4 duplicates row 2's code
    frame.loc[3, "nama_opd"] = "  "  # row 5 has no name
    frame.loc[4, "kode_opd"] = ""  # row 6 has no code
    frame.loc[5, "alias"] = "Dinkes"  # row 7 claims Dinas Kesehatan's abbreviation
    with pytest.raises(RegisterError) as err:
        validate_register(frame, source="opd.csv")
    got = [(p.baris, p.kolom) for p in err.value.problems]
    assert got == [(2, "kode_opd"), (4, "kode_opd"), (5, "nama_opd"), (6, "kode_opd"),
                   (7, "nama_opd/singkatan/alias")]
    texts = [p.pesan for p in err.value.problems]
    assert "'OPD01' dipakai lebih dari sekali (juga di baris 4)" in texts[0]
    assert "kode OPD kosong" in texts[3]
    assert "ejaan 'dinkes' juga dipakai oleh produsen di baris 3 (Dinas Kesehatan)" in texts[4]
    assert str(err.value).startswith("Daftar OPD 'opd.csv' tidak dapat dipakai: ditemukan 5 masalah.")
    assert isinstance(err.value, ValueError)


def test_same_name_after_normalising_is_shared():
    frame = pd.DataFrame({"kode_opd": ["A", "B"], "nama_opd": ["Dinas Sosial", "DINAS SOSIAL Kab. Demak"],
                          "singkatan": ["Dinsos", "Dinsos2"], "jenis": ["dinas", "dinas"], "alias": ["", ""]})
    with pytest.raises(RegisterError) as err:
        validate_register(frame)
    assert [(p.baris, "dinas sosial" in p.pesan) for p in err.value.problems] == [(3, True)]


def test_row_spellings_follow_register_rules():
    row = {"kode_opd": "D1", "nama_opd": "Dinas Kesehatan Kab. Demak", "singkatan": "Dinkes", "alias": "DKK;"}
    assert row_spellings(row) == ["d1", "dinas kesehatan", "dinaskesehatankabdemak", "dinkes", "dkk"]


def test_load_valid_register_from_file(tmp_path: Path):
    path = tmp_path / "opd.csv"
    path.write_text("kode,nama,singkatan,jenis\nD1,Dinas Kesehatan,Dinkes,dinas\nD1,Dinas Sosial,Dinsos,dinas\n",
                    encoding="utf-8")
    columns = {"kode": "kode_opd", "nama": "nama_opd"}
    assert load_register(path, columns).codes == ["D1", "D1"]  # the plain loader does not judge
    with pytest.raises(RegisterError) as err:
        load_valid_register(path, columns)
    assert [p.baris for p in err.value.problems] == [2, 3]
    path.write_text("kode,nama,singkatan,jenis\nD1,Dinas Kesehatan,Dinkes,dinas\nD2,Dinas Sosial,Dinsos,dinas\n",
                    encoding="utf-8")
    register = load_valid_register(path, columns)
    assert register.resolve("dinsos") == "D2" and list(register.frame["alias"]) == ["", ""]


def test_register_workbook_with_title_rows_names_file_rows(tmp_path):
    from openpyxl import Workbook

    from satudata.reference.register import RegisterError, load_register, load_valid_register

    wb = Workbook()
    ws = wb.active
    ws.append(["DAFTAR PERANGKAT DAERAH KABUPATEN DEMAK"])
    ws.append([])
    ws.append(["kode_opd", "nama_opd", "singkatan", "jenis", "alias"])
    ws.append(["DIN01", "Dinas Kesehatan", "Dinkes", "dinas", "DKK"])
    ws.append([])
    ws.append(["DIN02", "Dinas Perhubungan", "Dinhub", "dinas", ""])
    ws.append(["DIN01", "Dinas Sosial", "Dinsos", "dinas", ""])  # row 7: the code of row 4 again
    wb.save(tmp_path / "opd.xlsx")
    register = load_register(tmp_path / "opd.xlsx")
    assert register.rows == [4, 6, 7]
    assert register.resolve("DKK") == "DIN01" and register.resolve("Dinas Perhubungan") == "DIN02"
    with pytest.raises(RegisterError) as err:
        load_valid_register(tmp_path / "opd.xlsx")
    assert sorted(p.baris for p in err.value.problems) == [4, 7]
    assert "baris 7" in str(err.value) or "Baris 7" in str(err.value)


def test_one_spelling_per_kind_of_producer(tmp_path: Path):
    """'Dinas', ' dinas' and 'DINAS' are one kind, written as the register first writes it."""
    path = tmp_path / "opd.csv"
    path.write_text(
        "kode_opd,nama_opd,singkatan,jenis\nD1,Dinas Kesehatan,Dinkes,Dinas\nD2,Dinas Sosial,Dinsos, dinas\n"
        "D3,Kecamatan Demak,Kec Demak,kecamatan\nD4,Dinas Pariwisata,Dinpar,DINAS\nD5,TP PKK,PKK,Organisasi  sosial\n"
        "D6,Badan Kepegawaian,BKD,\n",
        encoding="utf-8",
    )
    register = load_valid_register(path)
    assert register.frame["jenis"].tolist() == ["Dinas", "Dinas", "kecamatan", "Dinas", "Organisasi sosial", ""]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert register_from_frame(frame).frame["jenis"].tolist() == register.frame["jenis"].tolist()


def test_producers_recognised_the_way_people_write_them():
    from satudata.reference.register import register_from_frame

    reg = register_from_frame(pd.DataFrame({
        "kode_opd": ["SAT", "DINKES", "DISDIK", "BKPP", "KESBANG", "BIRO1", "BIRO2"],
        "nama_opd": ["Satuan Polisi Pamong Praja", "Dinas Kesehatan", "Dinas Pendidikan dan Kebudayaan",
                     "Badan Kepegawaian Pendidikan dan Pelatihan", "Badan Kesatuan Bangsa dan Politik",
                     "Setda - Biro Umum", "Setda - Biro Hukum"],
        "singkatan": ["Satpol PP", "Dinkes", "Dindikbud", "BKPP", "Kesbangpol", "", ""]}))
    assert reg.resolve("Dis. Kesehatan") == "DINKES"  # abbreviation written out: exact
    assert reg.resolve("Kec Bonang") is None
    found = reg.match_fuzzy("Satuan Pamong Praja", 85)
    assert found.kode_opd == "SAT" and found.skor == pytest.approx(95.0)
    assert reg.match_fuzzy("Dinas Kesehatn", 85).kode_opd == "DINKES"
    assert reg.match_fuzzy("Dinas Kesehatan Hewan", 85) is None  # a word the register name lacks
    assert reg.match_fuzzy("Dinas", 85) is None  # names no one producer
    assert reg.match_fuzzy("Setda Biro Umm", 85).kode_opd == "BIRO1"
    assert reg.match_fuzzy("Badan Kepegawaian", 85).kode_opd == "BKPP"
    assert reg.match_fuzzy("Satuan Pamong Praja", 96) is None  # the threshold holds


def test_a_pasted_name_longer_than_any_real_one_is_a_problem():
    from satudata.reference.validation import register_problems

    frame = pd.DataFrame({"kode_opd": ["DIN01", "DIN02"], "nama_opd": ["Dinas Kesehatan", "x" * 100_000],
                          "singkatan": ["Dinkes", "D" * 61], "alias": ["", ""]})  # fmt: skip
    problems = register_problems(frame)
    assert [(p.baris, p.kolom) for p in problems] == [(3, "nama_opd"), (3, "singkatan")]
    assert "100000 karakter, lebih dari 200" in problems[0].pesan


def test_letters_of_another_script_inside_a_latin_name_are_refused(tmp_path: Path):
    """Issue 25, part 6: Cyrillic ``е`` in ``Dinkеs`` beside ``Dinkes``, Greek ``ο``: refused with the row, column,
    letter and what to fix; the file itself is untouched."""
    import hashlib

    path = tmp_path / "opd.csv"
    path.write_text("kode_opd,nama_opd,singkatan,jenis,alias\n"
                    "D1,Dinas Kesehatan,Dinkes,dinas,\n"
                    "D2,Dinas Kesehatan Hewan,Dink\u0435s,dinas,\n"  # Cyrillic small ie
                    "D3,Dinas S\u03bfsial,Dinsos,dinas,\n"  # Greek small omicron
                    "D4,Dinas Pendidikan,Disdik,dinas,Dinas Pendidikan dan Kebudayaan;Disdikbud\n",
                    encoding="utf-8")  # fmt: skip
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(RegisterError) as err:
        load_valid_register(path)
    problems = [(p.baris, p.kolom) for p in err.value.problems]
    assert problems == [(3, "singkatan"), (4, "nama_opd")]
    text = str(err.value)
    assert "singkatan 'Dink\u0435s' berisi huruf Kiril '\u0435' (U+0435) di posisi 5" in text
    assert "nama_opd 'Dinas S\u03bfsial' berisi huruf Yunani '\u03bf' (U+03BF)" in text
    assert "Ketik ulang dengan huruf Latin" in text
    # the producer whose spelling it imitates is named; a name no producer has names none
    (dinkes, sosial) = [p.pesan for p in err.value.problems]
    assert "Ejaan ini meniru 'Dinkes' milik Dinas Kesehatan (kode_opd D1, baris 2)." in dinkes
    assert "meniru" not in sosial
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    # Latin letters with accents and a name wholly in another script are no look-alikes
    path.write_text("kode_opd,nama_opd,singkatan,jenis,alias\nD1,Dinas Kesehatan,Dinkes,dinas,Dinas Salud Pública\n"
                    "D2,\u0414\u0438\u043d\u0430\u0441,Dinsos,dinas,\n", encoding="utf-8")  # fmt: skip
    assert load_valid_register(path).codes == ["D1", "D2"]
