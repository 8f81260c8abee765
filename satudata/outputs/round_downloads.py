"""The round's tables beside its report, for the "Unduh" links: xlsx (numbers as numbers) and CSV.

Stage 3 writes them into ``reports/<round>/unduh/`` so the links of the report are relative and work
wherever the round's folder is copied: the per-OPD progress and the items still owed, each as xlsx
(openpyxl, typed cells, percents with one decimal shown) and as CSV in the dialect of the settings
(``[keluaran] csv_pemisah``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from satudata.outputs.workbook_cells import MAX_SHEET_ROWS
from satudata.reference.settings import Settings

FOLDER = "unduh"
PROGRESS_COLUMNS = {
    "kode_opd": "Kode OPD", "nama_opd": "Nama OPD", "singkatan": "Singkatan", "jenis": "Jenis",
    "wajib": "Butir wajib", "terpenuhi": "Butir terpenuhi", "persen": "Persen", "zona": "Zona",
    "persen_sebelumnya": "Persen sebelumnya", "selisih": "Perubahan (poin)", "zona_sebelumnya": "Zona sebelumnya",
    "arah_zona": "Arah zona",
}
MISSING_COLUMNS = {
    "kode_opd": "Kode OPD", "nama_opd": "Nama OPD", "kode_urusan": "Kode urusan", "nama_urusan": "Urusan",
    "kode_elemen": "Kode elemen", "nama_elemen": "Nama elemen", "satuan": "Satuan", "tahun": "Tahun",
}
PERCENT_HEADERS = {"Persen", "Persen sebelumnya", "Perubahan (poin)"}


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str, when: str | None = None) -> Path:
    """``frame`` as one sheet with a bold, frozen header; percent columns shown with one decimal; numbers stay
    numbers (rounded to 6 decimals, no float noise), text is never a formula.

    The data rows go through the row writer (:class:`satudata.formats.xlsx_rows.Rows`: the sheet's XML text,
    built a column at a time, not a cell object per value): the missing items of a 400-desa round are 110,000
    rows. With ``when`` (the round), the same frame gives the same bytes (the report embeds them)."""
    from datetime import date

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from satudata.formats.xlsx_rows import Look, Rows
    from satudata.outputs.workbook_cells import save_workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    for index, name in enumerate(frame.columns, start=1):  # widths and the frozen header come before the rows
        width = max([len(str(name)), *(len(str(v)) for v in frame.iloc[:200, index - 1])], default=8)
        ws.column_dimensions[get_column_letter(index)].width = min(max(8, width + 2), 60)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in frame.columns:
        cell = WriteOnlyCell(ws, value=str(name))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    shown = {index: Look(number_format="0.0") for index, name in enumerate(frame.columns) if name in PERCENT_HEADERS}
    rounded = frame.copy()
    for name in frame.columns:  # no float noise; the row writer leaves NaN and NA cells empty
        if pd.api.types.is_float_dtype(frame[name].dtype):
            rounded[name] = frame[name].round(6)
    Rows(ws, 2).add_columns([rounded.iloc[:, index] for index in range(rounded.shape[1])], shown)
    return save_workbook(wb, path, date.fromisoformat(str(when)[:10]) if when is not None else date.today())


MAX_XLSX_ROWS = MAX_SHEET_ROWS  # a longer table is offered as CSV only


def _labelled(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The columns a reader needs, without float noise (rounded while they still have their data names),
    under the reader's headers."""
    from satudata.common.safe_text import without_float_noise

    present = [c for c in columns if c in frame.columns]
    out = without_float_noise(frame[present]).rename(columns=columns)
    if "putaran" in out:
        out = out.drop(columns="putaran")
    return out


def write_round_tables(progres: pd.DataFrame, kekurangan: pd.DataFrame, report_folder: str | Path,
                       putaran: str, settings: Settings) -> list[dict[str, str]]:
    """Write the tables into ``<report_folder>/unduh/``; returns the links (label, relative href)."""
    from satudata.common import fmt
    from satudata.common.safe_text import to_csv
    from satudata.outputs.round_view import sort_progres

    folder = Path(report_folder) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    progress = _labelled(sort_progres(progres), PROGRESS_COLUMNS)
    missing = kekurangan.copy()
    if "tahun" in missing:
        missing["tahun"] = pd.to_numeric(missing["tahun"], errors="coerce").astype("Int64")
    missing = _labelled(missing.sort_values([c for c in ("nama_opd", "kode_elemen", "tahun") if c in missing]),
                        MISSING_COLUMNS)
    links = []
    for stem, frame, sheet, label in (
        (f"progres-opd-{putaran}", progress, "Progres OPD", "Progres per OPD"),
        (f"butir-kurang-{putaran}", missing, "Butir Kurang", "Butir yang masih kurang"),
    ):
        to_csv(frame, folder / f"{stem}.csv", settings.output, index=False)
        if len(frame) > MAX_XLSX_ROWS:  # no sheet holds it: the CSV says why it comes alone
            (folder / f"{stem}.xlsx").unlink(missing_ok=True)  # an earlier run's, of other data
            rows = fmt.angka(len(frame))
            links.append(_link(f"{label} (CSV; {rows} baris, melebihi satu lembar Excel: gunakan CSV atau lembar "
                               "umpan balik per OPD)", folder, f"{stem}.csv", "text/csv"))  # fmt: skip
            continue
        write_xlsx(frame, folder / f"{stem}.xlsx", sheet, when=putaran)
        links.append(_link(f"{label} (xlsx)", folder, f"{stem}.xlsx", XLSX_TYPE))
        links.append(_link(f"{label} (CSV)", folder, f"{stem}.csv", "text/csv"))
    return links


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# a file larger than this is linked, not embedded: the missing items of 400 desa (12 MiB of xlsx and CSV) made
# the report 18 MiB; embedded as base64 a file grows by a third
MAX_EMBEDDED_BYTES = 128 * 1024


def _link(label: str, folder: Path, name: str, media_type: str) -> dict[str, str]:
    """A download link: ``href`` the file beside the report, ``data`` the same bytes embedded (a ``data:`` URI)
    when the file is at most ``MAX_EMBEDDED_BYTES`` (else empty), so that a report forwarded alone still holds
    its small tables, and ``nama`` the file name it downloads as."""
    import base64

    content = (folder / name).read_bytes()
    if len(content) > MAX_EMBEDDED_BYTES:
        return {"label": label, "href": f"{FOLDER}/{name}", "nama": name, "data": ""}
    payload = base64.b64encode(content).decode("ascii")
    return {"label": label, "href": f"{FOLDER}/{name}", "nama": name, "data": f"data:{media_type};base64,{payload}"}
