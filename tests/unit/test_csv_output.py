"""CSV files people open: percents without float noise, and the Indonesian Excel dialect as an option."""

from __future__ import annotations

import pandas as pd

from satudata.common import safe_text
from satudata.reference.settings import OutputSettings, settings_from_dict


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "kode_opd": ["A", "B"],
        "nama_opd": ["=Dinas A", "Dinas B"],
        "wajib": [15, 20],
        "persen": [18.400000000000006, 10 / 15 * 100],
        "selisih": [0.1 + 0.2, None],
        "nilai": [0.1234567891, 2.0],  # a value is written as computed
    })  # fmt: skip


def test_percents_lose_float_noise_and_stay_numbers(tmp_path):
    path = tmp_path / "progres_opd.csv"
    safe_text.to_csv(frame(), path, index=False, encoding="utf-8-sig")
    text = path.read_text(encoding="utf-8-sig")
    assert "18.400000000000006" not in text and "0.30000000000000004" not in text
    lines = text.splitlines()
    assert lines[0] == "kode_opd,nama_opd,wajib,persen,selisih,nilai"
    assert lines[1] == "A,'=Dinas A,15,18.4,0.3,0.1234567891"
    assert lines[2] == "B,Dinas B,20,66.666667,,2.0"
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert back["persen"].tolist() == [18.4, 66.666667]


def test_semicolon_dialect_writes_comma_decimals(tmp_path):
    output = settings_from_dict({"keluaran": {"csv_pemisah": ";"}}).output
    assert output == OutputSettings(csv_separator=";")
    path = tmp_path / "progres_opd.csv"
    safe_text.to_csv(frame(), path, output, index=False, encoding="utf-8-sig")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "kode_opd;nama_opd;wajib;persen;selisih;nilai"
    assert lines[1] == "A;'=Dinas A;15;18,4;0,3;0,1234567891"
    back = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    assert back["persen"].tolist() == [18.4, 66.666667]


def test_categorical_text_is_made_safe_too(tmp_path):
    """Text kept as categories (the progress tables at scale) gets the same leading ' and loses control
    characters; numbers kept as categories stay numbers."""
    from satudata.common.safe_text import to_csv

    frame = pd.DataFrame({
        "nama_elemen": pd.Categorical(["=HYPERLINK(1)", "Luas", None, "Luas\x01", "+62 812"]),
        "tahun": pd.Categorical([2021, 2022, None, 2021, 2023]),
        "catatan": ["-", "@a", "b", "c", "d"],
    })
    path = tmp_path / "kategori.csv"
    to_csv(frame, path, index=False)
    assert path.read_text(encoding="utf-8").splitlines() == [
        "nama_elemen,tahun,catatan", "'=HYPERLINK(1),2021,'-", "Luas,2022,'@a", ",,b", "Luas,2021,c", "'+62 812,2023,d"]
