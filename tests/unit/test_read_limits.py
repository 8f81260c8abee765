"""Reading under limits: each hostile file is refused with ``berkas_terlalu_besar`` naming the limit,
before anything big is allocated; error values of formulas and rows after a long blank run are issues."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pytest

from satudata.formats import read_limits
from satudata.formats.read_limits import ReadLimits
from satudata.formats.readers import MAX_BLANK_RUN, ReadError, read_source
from tests.hostile_files import good_table, num, row, text, xlsx

SMALL = dataclasses.replace(read_limits.LIMITS, max_text_bytes=4096, max_line_chars=1000, max_cells=1000,
                            max_columns=100, max_rows=500, zip_ratio_min_bytes=1024**2)  # fmt: skip


def _refused(path: Path, limits: ReadLimits | None = None) -> str:
    with pytest.raises(ReadError) as info:
        read_source(path, limits)
    assert info.value.code == "berkas_terlalu_besar"
    assert f"Berkas {path.name} tidak dibaca" in info.value.message
    return info.value.message


def test_one_value_in_xfd1048576_is_refused_before_the_dense_range(tmp_path):
    path = xlsx(tmp_path / "jauh.xlsx", good_table() + [row(1048576, num("XFD1048576", 2))])
    assert path.stat().st_size < 2000
    message = _refused(path)  # with the default limits: the process survives, nothing big allocated
    assert "max_cells = 30.000.000" in message and "A1:XFD1048576" in message and "lembar kerja 'Data'" in message


def test_declared_dimension_alone_costs_nothing(tmp_path):
    path = xlsx(tmp_path / "dimensi.xlsx", good_table(), dimension="A1:XFD1048576")
    assert read_source(path).grids[0].rows[2] == ["Jumlah Bidan", "Orang", 5.0]


def test_empty_formatted_cells_far_away_are_not_counted(tmp_path):
    far_styles = row(1048576, '<c r="XFD1048576" s="1"/>')  # formatting only: the reader ignores it
    path = xlsx(tmp_path / "format.xlsx", good_table() + [far_styles])
    source = read_source(path)
    assert source.grids[0].rows[2] == ["Jumlah Bidan", "Orang", 5.0] and source.problems == []


def test_zip_bomb_is_refused_by_ratio_and_by_total(tmp_path):
    path = xlsx(tmp_path / "bom.xlsx", good_table(), extra={"xl/media/kosong.bin": b"\0" * (5 * 1024**2)})
    message = _refused(path)  # 5 MB of zeros compress ~1000 times: past max_zip_ratio = 200
    assert "max_zip_ratio = 200" in message and "xl/media/kosong.bin" in message
    total = dataclasses.replace(read_limits.LIMITS, max_unzipped_bytes=1024**2)
    assert "max_unzipped_bytes = 1.048.576" in _refused(path, total)


def test_limits_are_read_from_the_module_at_each_call(tmp_path, monkeypatch):
    path = xlsx(tmp_path / "lebar.xlsx", good_table())
    monkeypatch.setattr(read_limits, "LIMITS", dataclasses.replace(read_limits.LIMITS, max_cells=8))
    assert "max_cells = 8" in _refused(path)  # 3 rows x 3 columns


def test_xml_spreadsheet_huge_index_is_refused(tmp_path):
    head = ('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Data"><Table>')  # fmt: skip
    tail = "</Table></Worksheet></Workbook>"
    rows = tmp_path / "baris.xls"
    rows.write_text(head + '<Row ss:Index="20000000"><Cell><Data ss:Type="Number">1</Data></Cell></Row>' + tail)
    assert rows.stat().st_size < 450
    assert "nomor baris (ss:Index) (20.000.000) melebihi batas max_rows = 1.048.576" in _refused(rows)
    cols = tmp_path / "kolom.xls"
    cols.write_text(head + '<Row><Cell ss:Index="20000000"><Data ss:Type="String">x</Data></Cell></Row>' + tail)
    assert "max_columns = 16.384" in _refused(cols)
    merge = tmp_path / "gabung.xls"
    merge.write_text(head + '<Row><Cell ss:MergeAcross="20000000"><Data ss:Type="String">x</Data></Cell></Row>' + tail)
    assert "ss:MergeAcross" in _refused(merge)
    area = tmp_path / "luas.xls"
    area.write_text(head + '<Row ss:Index="1000000"><Cell ss:Index="16000"><Data ss:Type="String">x</Data>'
                    "</Cell></Row>" + tail)  # fmt: skip
    assert "max_cells" in _refused(area)


def test_html_huge_colspan_is_refused_and_rowspan_costs_nothing(tmp_path):
    wide = tmp_path / "lebar.xls"
    wide.write_text('<html><table><tr><td colspan="20000000">x</td></tr></table></html>')
    assert "colspan" in _refused(wide) and "max_columns = 16.384" in _refused(wide)
    tall = tmp_path / "tinggi.xls"
    tall.write_text('<html><table><tr><td rowspan="20000000">Uraian</td><td>2020</td></tr></table></html>')
    assert read_source(tall).grids[0].rows == [["Uraian", "2020"]]


def test_csv_limits_bytes_line_and_columns(tmp_path):
    big = tmp_path / "besar.csv"
    big.write_text("Uraian;2020\n" + "Jumlah Bidan;5\n" * 400)
    assert "max_text_bytes = 4.096" in _refused(big, SMALL)
    line = tmp_path / "panjang.csv"
    line.write_text('Uraian,2020\n"' + "x" * 2000 + '",1\n')
    assert "max_line_chars = 1.000" in _refused(line, SMALL)
    wide = tmp_path / "lebar.csv"
    wide.write_text("a," * 150 + "\n")
    assert "jumlah kolom di baris 1 (151) melebihi batas max_columns = 100" in _refused(wide, SMALL)
    # with the default limits a 10 MB single-line file is refused quickly by its columns or field length
    one = tmp_path / "satu_baris.csv"
    one.write_text("1," * 5 * 1024**2)
    assert "max_columns" in _refused(one)


def test_formula_error_values_and_formulas_without_value_are_problems(tmp_path):
    cells = row(4, '<c r="C4" t="e"><f>1/0</f><v>#DIV/0!</v></c>', '<c r="D4" t="e"><v>#REF!</v></c>',
                '<c r="E4" t="e"><f>VLOOKUP(A1,X:Y,2,0)</f><v>#N/A</v></c>', text("F4", "#VALUE!"),
                '<c r="G4"><f>SUM(C3:C4)</f></c>', '<c r="H4"><f t="shared" si="0"/></c>',
                '<c r="I4"><f>C3</f><v>5</v></c>')  # fmt: skip
    source = read_source(xlsx(tmp_path / "rumus.xlsx", good_table() + [cells], sheet="Isian"))
    got = [(p.code, p.level, p.sheet, p.row, p.col) for p in source.problems]
    assert got == [
        ("sel_galat_rumus", "galat", "Isian", 4, "C"), ("sel_galat_rumus", "galat", "Isian", 4, "D"),
        ("sel_galat_rumus", "galat", "Isian", 4, "E"),
        ("rumus_tanpa_nilai", "peringatan", "Isian", 4, "G"), ("rumus_tanpa_nilai", "peringatan", "Isian", 4, "H"),
    ]  # fmt: skip  (F4 is text typed as '#VALUE!', I4 a formula with its value: no problem)
    assert "sel C4: rumus menghasilkan galat #DIV/0!" in source.problems[0].message
    assert "#REF!" in source.problems[1].message and "#N/A" in source.problems[2].message
    assert "Buka dan simpan ulang di Excel" in source.problems[3].message
    assert source.grids[0].rows[3][2:6] == ["", "", "", "#VALUE!"]  # the reader itself shows errors as empty


def test_many_error_cells_are_named_up_to_the_limit_then_counted(tmp_path):
    cells = [row(r, f'<c r="C{r}" t="e"><v>#REF!</v></c>') for r in range(4, 4 + 105)]
    source = read_source(xlsx(tmp_path / "banyak.xlsx", good_table() + cells))
    assert len(source.problems) == 101 and source.problems[-1].row is None
    assert "5 sel lain juga berisi galat rumus" in source.problems[-1].message


def test_rows_after_a_long_blank_run_are_reported(tmp_path):
    path = tmp_path / "jarak.csv"
    path.write_text("Uraian;2020\nJumlah Bidan;5\n" + ";\n" * (MAX_BLANK_RUN + 10) + "Jumlah Perawat;7\nJumlah Dokter;2\n")
    source = read_source(path)
    assert source.grids[0].rows == [["Uraian", "2020"], ["Jumlah Bidan", "5"]]
    (p,) = source.problems
    first = 2 + MAX_BLANK_RUN + 10 + 1
    assert (p.code, p.level, p.row) == ("baris_setelah_kosong", "galat", first)
    assert f"2 baris berisi data (baris {first:,} sampai {first + 1:,})".replace(",", ".") in p.message


def test_value_in_the_last_excel_row_is_reported_not_lost(tmp_path):
    path = xlsx(tmp_path / "akhir.xlsx", good_table() + [row(1048576, num("C1048576", 9))])
    source = read_source(path)
    assert len(source.grids[0].rows) == 3
    assert [(p.code, p.row) for p in source.problems] == [("baris_setelah_kosong", 1048576)]


def test_a_symlink_is_not_followed(tmp_path):
    target = tmp_path / "passwd.csv"
    target.write_text("root;x;0\n")
    link = tmp_path / "Dinkes.csv"
    link.symlink_to(target)
    with pytest.raises(ReadError) as info:
        read_source(link)
    assert info.value.code == "tautan_simbolik" and "Dinkes.csv adalah tautan simbolik" in info.value.message


def test_zip_members_are_counted_as_declared(tmp_path):
    path = xlsx(tmp_path / "biasa.xlsx", good_table())
    with zipfile.ZipFile(path) as z:
        assert sum(i.file_size for i in z.infolist()) < 5000
    assert read_source(path).grids[0].rows[0] == ["OPD: Dinkes", "", ""]


def test_settings_batas_section_sets_the_limits_ingestion_reads_under(tmp_path):
    from satudata.reading.ingest import ingest_round
    from satudata.reference.settings import settings_from_dict
    from satudata.reference.settings_check import SettingsError
    from tests.integration.messy_fixtures import make_catalogue, make_register

    settings = settings_from_dict({"batas": {"sel_per_sheet": 8, "memori_mb": 512, "detik_per_berkas": 30}})
    assert settings.limits.max_cells == 8 and settings.limits.max_memory_bytes == 512 * 1024**2
    assert settings.limits.max_seconds == 30.0 and settings.limits.max_rows == read_limits.LIMITS.max_rows
    raw = tmp_path / "raw"
    raw.mkdir()
    xlsx(raw / "Dinkes.xlsx", good_table())
    res = ingest_round(raw, "2024-03-01", make_register(), make_catalogue(), settings)
    (issue,) = res.masalah.itertuples()
    assert issue.kode_masalah == "berkas_terlalu_besar" and "max_cells = 8" in issue.pesan
    assert res.manifest["pengaturan"]["limits"]["max_cells"] == 8  # the round records what it was read under
    with pytest.raises(SettingsError) as err:
        settings_from_dict({"batas": {"sel_per_sheet": "banyak", "memori_mb": 0, "halaman": 3}})
    text = str(err.value)
    assert "ditemukan 3 masalah" in text and "[batas] sel_per_sheet = 'banyak' bukan angka" in text
    assert "[batas] memori_mb = 0 harus 64-262.144" in text and "[batas] halaman tidak dikenal" in text


def test_the_example_batas_section_states_the_defaults():
    """Uncommented, the example settings' [batas] gives exactly the built-in limits."""
    import tomllib

    import satudata
    from satudata.reference.settings import settings_from_dict

    text = (Path(satudata.__file__).parent / "reference" / "pengaturan-contoh.toml").read_text(encoding="utf-8")
    section = text.split("\n[batas]\n", 1)[1].split("\n\n", 1)[0]
    lines = [line[2:].split("#")[0] for line in section.splitlines() if line.startswith("# ") and "=" in line]
    raw = tomllib.loads("[batas]\n" + "\n".join(lines))
    assert len(raw["batas"]) == 10
    assert settings_from_dict(raw).limits == read_limits.LIMITS
