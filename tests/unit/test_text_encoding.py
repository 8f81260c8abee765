"""A CSV that is not UTF-8 is read as cp1252 with an issue saying so; mixed lines are decoded each as written."""

from __future__ import annotations

from satudata.formats.readers import read_source


def test_mixed_utf8_and_cp1252_lines_are_each_decoded_and_reported(tmp_path):
    path = tmp_path / "Dinkes.csv"
    path.write_bytes(b"Uraian;Satuan;2020\n" + "Jumlah Puskesmas – rawat inap;Unit;12\n".encode()
                     + "Jumlah Bidan Désa;Orang;5\n".encode("cp1252") + "Luas (km²);km²;3\n".encode())  # fmt: skip
    source = read_source(path)
    rows = source.grids[0].rows
    assert [r[0] for r in rows] == ["Uraian", "Jumlah Puskesmas – rawat inap", "Jumlah Bidan Désa", "Luas (km²)"]
    assert source.encoding == "utf-8+cp1252"
    (problem,) = source.problems
    assert (problem.code, problem.level, problem.row) == ("encoding_campuran", "peringatan", 3)
    assert "Berkas Dinkes.csv mencampur dua pengodean" in problem.message and "baris 3 bukan UTF-8" in problem.message


def test_a_cp1252_file_is_read_with_a_note(tmp_path):
    path = tmp_path / "Dinsos.csv"
    path.write_bytes("Uraian,2020\nJumlah Panti – Sosial,4\nCafé,2\n".encode("cp1252"))
    source = read_source(path)
    assert [r[0] for r in source.grids[0].rows] == ["Uraian", "Jumlah Panti – Sosial", "Café"]
    assert source.encoding == "cp1252"
    assert [(p.code, p.level) for p in source.problems] == [("encoding_bukan_utf8", "info")]
    assert "Windows-1252" in source.problems[0].message and "Dinsos.csv" in source.problems[0].message


def test_utf8_files_get_no_note(tmp_path):
    path = tmp_path / "Dinkes.csv"
    path.write_text("Uraian,2020\nLuas (km²),3\n", encoding="utf-8")
    assert read_source(path).problems == []
