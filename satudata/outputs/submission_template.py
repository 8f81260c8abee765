"""Submission templates: one workbook per OPD listing the elements and years it owes.

Layout (the one ``satudata.reading.ingest`` reads): sheet ``Data`` with ``OPD: <nama_opd>`` in A1, an
empty row, then a one-row header ``Kode Elemen | Nama Elemen | Satuan | <year> | <year> ...``
(years as plain numbers) and one row per element. Year cells accept numbers, ``-`` (nihil) and
``...`` (tidak tersedia) through a custom validation formula; cells of years an element does not
owe are greyed out. A second sheet ``Petunjuk`` explains how to fill the form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from satudata.common.names import fold
from satudata.common.safe_names import file_stem, inside
from satudata.outputs.workbook_cells import WRAP_TOP, Cells, Look, Rows, save_workbook
from satudata.reference.settings import Settings

DATA_SHEET = "Data"
GUIDE_SHEET = "Petunjuk"
HEADER_ROW = 3
FIXED_HEADERS = ["Kode Elemen", "Nama Elemen", "Satuan"]
TEMPLATE_DATE = date(2020, 1, 1)  # fixed document date: templates do not depend on a round
INPUT_FILL = PatternFill(fill_type="solid", start_color="FFFDE7", end_color="FFFDE7")
# the same looks for a sheet written row by row (write_form_sheet)
TITLE = Look(bold=True, size=13)
HEADER = Look(fill="#455A64", bold=True, wrap=True, horizontal="center", vertical="center")
INPUT = Look(fill="#FFFDE7")
CLOSED = Look(fill="#D9D9D9")


def slug(text: object) -> str:
    """``Dinas Kesehatan`` -> ``dinas-kesehatan`` (ASCII, lower case, hyphens)."""
    return fold(text).replace(" ", "-") or "opd"


def template_name(kode_opd: str, singkatan: object) -> str:
    """``<kode_opd>-<singkatan>.xlsx`` as a safe file name (see :func:`satudata.common.safe_names.file_stem`)."""
    return f"{file_stem(kode_opd, 'kode_opd')}-{file_stem(slug(singkatan), 'singkatan')}.xlsx"


def opd_elements(elements: pd.DataFrame, kode_opd: str) -> pd.DataFrame:
    """The elements an OPD owes (``dihitung`` ones when that column exists), sorted by code."""
    mine = elements.loc[elements["kode_opd"] == kode_opd]
    if "dihitung" in mine.columns:
        mine = mine.loc[mine["dihitung"].fillna(False).astype(bool)]
    mine = mine.loc[mine["tahun_wajib"].map(lambda t: len(tuple(t)) > 0)]
    return mine.sort_values("kode_elemen", kind="stable").reset_index(drop=True)


def _guide_lines(nama_opd: str, years: list[int], settings: Settings) -> list[str]:
    first, last = years[0], years[-1]
    return [
        f"Petunjuk pengisian formulir data Satu Data {settings.region}",
        f"OPD: {nama_opd}",
        "",
        f"1. Isi lembar kerja '{DATA_SHEET}': satu baris untuk setiap elemen data, satu kolom untuk setiap tahun "
        f"({first}–{last}).",
        "2. Jangan mengubah kolom Kode Elemen, Nama Elemen dan Satuan, jangan menambah atau menghapus "
        "kolom, dan jangan mengubah baris judul.",
        "3. Tulis angka saja, tanpa satuan. Desimal boleh memakai koma (12,5) dan ribuan boleh memakai "
        "titik (1.234).",
        "4. Tulis - (tanda hubung) bila nilainya memang nol atau tidak ada kejadian (nihil).",
        "5. Tulis ... (tiga titik) bila data belum tersedia. Item itu belum dihitung terpenuhi.",
        "6. Jangan biarkan sel kosong bila datanya ada: sel kosong dihitung sebagai data yang belum dikirim.",
        "7. Sel berwarna abu-abu adalah tahun yang tidak wajib untuk elemen tersebut; biarkan kosong.",
        "8. Jangan memakai rumus: ketik nilainya langsung.",
        "9. Simpan dengan nama berkas yang sama dan kirimkan kepada walidata (BPS/Bappeda/Dinkominfo).",
    ]


def write_form_sheet(
    ws: Worksheet,
    opd: dict[str, Any],
    elements: pd.DataFrame,
    years: list[int],
    open_in: Callable[[int], Sequence[bool]],
) -> None:
    """Write the form the ingest reads back (see the module docstring) into ``ws``: one row per element
    (``kode_elemen, nama_elemen, satuan``), a year column for each of ``years``; a cell is yellow and
    open for input where ``open_in(year)`` is true for its element (one flag per element, in order), grey otherwise."""
    # written row by row (a write-only sheet of the feedback workbooks, or an ordinary one): the widths and the
    # frozen panes come first, then the rows
    first_year_col = len(FIXED_HEADERS) + 1
    for col, width in enumerate([16, 60, 14] + [10] * len(years), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"{get_column_letter(first_year_col)}{HEADER_ROW + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    last_row = HEADER_ROW + max(len(elements), 1)
    last_col = get_column_letter(first_year_col + len(years) - 1)
    first_cell = f"{get_column_letter(first_year_col)}{HEADER_ROW + 1}"
    validation = DataValidation(
        type="custom",
        formula1=f'OR(ISNUMBER({first_cell}),{first_cell}="-",{first_cell}="...",{first_cell}="…")',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Isian tidak valid",
        error="Isi dengan angka, - (nihil) atau ... (data belum tersedia).",
        promptTitle="Isian",
        prompt="Angka, - (nihil) atau ... (belum tersedia).",
        showInputMessage=True,
    )
    validation.add(f"{first_cell}:{last_col}{last_row}")
    ws.data_validations.append(validation)

    cells = Cells(ws)
    ws.append([cells(f"OPD: {opd['nama_opd']}", TITLE)])
    ws.append([])
    ws.append([cells(title, HEADER) for title in [*FIXED_HEADERS, *years]])
    looks = {1: WRAP_TOP} | {3 + i: [INPUT if open_ else CLOSED for open_ in open_in(year)] for i, year in enumerate(years)}
    satuan = [s if isinstance(s, str) else None for s in elements["satuan"].tolist()]
    empty = [None] * len(elements)
    Rows(ws, HEADER_ROW + 1).add_columns([elements["kode_elemen"], elements["nama_elemen"], satuan,
                                          *(empty for _ in years)], looks)  # fmt: skip


def template_workbook(opd: dict[str, Any], elements: pd.DataFrame, settings: Settings) -> Workbook:
    """The submission workbook of one OPD (``elements``: its rows of ``catalogue.elements``)."""
    years = sorted({int(y) for t in elements["tahun_wajib"] for y in t})
    owed = {str(e.kode_elemen): {int(y) for y in e.tahun_wajib} for e in elements.itertuples(index=False)}
    wb = Workbook(write_only=True)  # written row by row: see satudata.outputs.workbook_cells
    kodes = [str(kode) for kode in elements["kode_elemen"]]
    write_form_sheet(wb.create_sheet(DATA_SHEET), opd, elements, years, lambda year: [year in owed[k] for k in kodes])

    guide = wb.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 110
    cells = Cells(guide)
    for r, line in enumerate(_guide_lines(str(opd["nama_opd"]), years, settings), start=1):
        guide.append([cells(line, Look(bold=True, size=13, wrap=True, vertical="top") if r == 1 else WRAP_TOP)])
    wb.properties.title = f"Formulir data Satu Data {opd['nama_opd']}"
    wb.properties.subject = str(opd["kode_opd"])
    return wb


def write_templates(catalogue: Any, register: Any, out_dir: str | Path, settings: Settings) -> list[Path]:
    """Write ``<out_dir>/<kode_opd>-<singkatan>.xlsx`` for every OPD that owes at least one element.

    ``catalogue`` needs ``.elements`` (``kode_elemen, nama_elemen, satuan, kode_opd, tahun_wajib``,
    optional ``dihitung``); ``register`` needs ``.frame`` (``kode_opd, nama_opd, singkatan``).
    An OPD that owes nothing gets no template.
    """
    out_dir = Path(out_dir)
    paths = []
    for opd in register.frame.sort_values("kode_opd").to_dict("records"):
        mine = opd_elements(catalogue.elements, opd["kode_opd"])
        if mine.empty:
            continue
        wb = template_workbook(opd, mine, settings)
        paths.append(
            save_workbook(wb, inside(out_dir, out_dir / template_name(opd["kode_opd"], opd["singkatan"])),
                          TEMPLATE_DATE)  # fmt: skip
        )
    return paths
