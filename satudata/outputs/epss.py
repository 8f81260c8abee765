"""The EPSS evidence workbook (``bukti-dukung-epss-<round>.xlsx``): the 38 indicators of BPS's sectoral statistics
evaluation by their codes, what this tool can show for each, the level that evidence supports by the
regulation's meaning of the levels, and links to the round's own evidence.

EPSS (Evaluasi Penyelenggaraan Statistik Sektoral) is set by Peraturan BPS Nomor 3 Tahun 2022: 5 domains,
19 aspects, 38 indicators, maturity levels 1-5 (Rintisan, Terkelola, Terdefinisi, Terpadu dan Terukur,
Optimum), domain weights Prinsip SDI 28 %, Kualitas Data 24 %, Proses Bisnis Statistik 19 %, Kelembagaan 17 %,
Statistik Nasional 12 %. A level is decided by BPS's assessors from documents (bukti dukung): 2 needs
administrative documents of the process, 3 a policy, 4 documents of regular review and evaluation, 5 documents
of improvement. The indicator list, what the tool shows for each and the level meanings are reference data a
region can correct (:mod:`satudata.reference.epss_reference`); the level an indicator's evidence supports is
:func:`~satudata.reference.epss_reference.supported_level`, never a percent band. Where the tool has nothing to
show for an indicator, the workbook says so.

Figures the tool measures (shares of elements, values and items per producer) are shown beside the indicators
they illustrate and per producer, rounded half up as the report rounds them; they set no level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from satudata.common import fmt

DOMAIN_WEIGHTS = {"1": 28, "2": 24, "3": 19, "4": 17, "5": 12}
SOURCE = "Peraturan BPS Nomor 3 Tahun 2022 tentang Evaluasi Penyelenggaraan Statistik Sektoral"


@dataclass(frozen=True)
class Measure:
    """A figure the tool measures per producer: its column, its Indonesian name and the indicator it illustrates."""

    column: str
    label: str
    indicator: str  # EPSS code
    why_not: str = ""  # when the figure could not be measured


MEASURES = (
    Measure("standar_metadata", "Elemen dengan satuan (dan definisi, klasifikasi bila ada) (%)", "10101"),
    Measure("metadata", "Elemen dengan definisi di katalog (%)", "10201",
            "katalog tidak memuat kolom definisi (petakan kolom definisi di [katalog.kolom])"),
    Measure("validitas", "Nilai tanpa peringatan kewajaran (%)", "20201"),
    Measure("ketepatan_waktu", "Butir yang tiba tepat waktu (%)", "20302", "tanggal kedatangan berkas tidak diketahui"),
    Measure("konsistensi", "Pemeriksaan jumlah dan revisi yang lolos (%)", "20502",
            "belum ada rincian dengan jumlahnya atau putaran sebelumnya untuk dibandingkan"),
)  # fmt: skip


def catalogue_shares(elements: pd.DataFrame) -> pd.DataFrame:
    """Per producer: ``metadata`` (elements with a definition) and ``kode_referensi`` (elements whose code
    was written in the catalogue, not derived as ``<kode_opd>-001``), as percents of the elements owed."""
    owed = elements[elements["dihitung"].astype(bool)] if "dihitung" in elements.columns else elements
    definition = owed["definisi"].fillna("").astype(str).str.strip() if "definisi" in owed.columns else None
    has_definition = (definition != "") & ~definition.isin(["*", "**", "***", "-"]) if definition is not None \
        else pd.Series(False, index=owed.index)
    derived = [bool(re.fullmatch(re.escape(str(o)) + r"-\d{3,}", str(c)))
               for o, c in zip(owed["kode_opd"], owed["kode_elemen"], strict=True)]  # fmt: skip
    frame = pd.DataFrame({"kode_opd": owed["kode_opd"].to_numpy(), "d": has_definition.to_numpy(),
                          "k": ~pd.Series(derived, dtype=bool).to_numpy()})  # fmt: skip
    out = frame.groupby("kode_opd").agg(metadata=("d", "mean"), kode_referensi=("k", "mean")) * 100
    if definition is None or not has_definition.any():  # no definitions kept in the catalogue: not measured
        out["metadata"] = float("nan")
    return out.reset_index()


def epss_view(quality: pd.DataFrame, elements: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """(per producer: every measured figure under its Indonesian name; per EPSS code: the region's figure as a
    sentence, ``Rata-rata 43 OPD: 87,5 % ...``, or why it could not be measured)."""
    shares = quality.merge(catalogue_shares(elements), on="kode_opd", how="left")
    per_opd = pd.DataFrame({"Kode OPD": shares["kode_opd"], "Nama OPD": shares["nama_opd"]})
    figures: dict[str, str] = {}
    for m in MEASURES:
        share = pd.to_numeric(shares[m.column], errors="coerce") if m.column in shares else pd.Series(dtype=float)
        if share.isna().all():
            figures[m.indicator] = f"{m.label.removesuffix(' (%)')}: belum dapat diukur, {m.why_not or 'datanya belum ada'}."
            continue
        per_opd[m.label] = share.to_numpy()
        figures[m.indicator] = (f"{m.label.removesuffix(' (%)')}: rata-rata {fmt.angka(int(share.notna().sum()))} OPD "
                                f"{fmt.persen(float(share.mean()))} %.")  # fmt: skip
    return per_opd, figures


FACT_COLUMNS = ("Zona", "Persen capaian", "Butir wajib", "Butir ke hijau", "Kiriman terakhir", "Perlu tindakan")


def with_facts(per_opd: pd.DataFrame, facts) -> pd.DataFrame:
    """The per-producer table with the round facts (:class:`satudata.evaluation.round_facts.RoundFacts`) in front:
    zone, percent as shown, items owed, items to hijau, last submission and action, as every output states them."""
    rows = []
    for kode in per_opd["Kode OPD"]:
        f = facts.get(kode)
        rows.append([f.zona_label, f.persen_teks, f.wajib, f.ke_hijau, f.kirim_terakhir_teks,
                     f.tindakan_teks] if f else [None] * 6)  # fmt: skip
    front = pd.DataFrame(rows, columns=list(FACT_COLUMNS), index=per_opd.index)
    return pd.concat([per_opd[["Kode OPD", "Nama OPD"]], front, per_opd.drop(columns=["Kode OPD", "Nama OPD"])],
                     axis=1)  # fmt: skip


def round_evidence(putaran: str, rounds: list[str]) -> list[dict[str, str]]:
    """Every round's evidence up to ``putaran``, as paths relative to this round's report folder (the workbook
    sits there): the dated report, the annex, the trend page, the deck and the feedback folder."""
    out = []
    for r in rounds:
        base = "" if r == putaran else f"../{r}/"
        out.append({"putaran": r, "laporan": f"{base}laporan-evaluasi-{r}.html", "lampiran": f"{base}lampiran-{r}.html",
                    "tren": f"{base}tren-{r}.html", "salindia": f"{base}rakor-{r}.pptx",
                    "umpan_balik": f"{base}umpan-balik/"})  # fmt: skip
    return out


# evidence key -> the files of this round that hold it (relative to the workbook), for the "Berkas bukti" column
EVIDENCE_FILES = {
    "katalog": ("lampiran",), "kiriman": ("lampiran",), "pemeriksaan": ("lampiran",), "kelengkapan": ("laporan",),
    "ketepatan_waktu": ("lampiran",), "unduhan": ("unduh",), "sipd": ("sipd",), "evaluasi": ("laporan", "tren", "salindia"),
    "umpan_balik": ("umpan_balik",),
}  # fmt: skip


def indicator_rows(reference, figures: dict[str, str], putaran: str, rounds: list[str]) -> list[dict[str, object]]:
    """One row per indicator: code, domain, aspect, name, what the tool shows, its figure, the files, the level
    the evidence supports and why (:func:`satudata.reference.epss_reference.supported_level`)."""
    from satudata.reference.epss_reference import EVIDENCE, supported_level

    this = round_evidence(putaran, [putaran])[0] | {"unduh": "unduh/", "sipd": "sipd/"}
    rows = []
    for ind in reference.indicators:
        level, why = supported_level(ind, len(rounds))
        files = list(dict.fromkeys(this[f] for k in ind.bukti for f in EVIDENCE_FILES[k]))
        shown = "; ".join(EVIDENCE[k][0] for k in ind.bukti) or "Tidak ada: alat ini tidak memiliki bukti untuk indikator ini."
        if ind.bukti and len(rounds) > 1 and any(EVIDENCE[k][1] for k in ind.bukti):
            shown += f"; untuk {fmt.angka(len(rounds))} putaran (lembar Riwayat Putaran)"
        rows.append({"kode": ind.kode, "domain": f"{ind.domain} {ind.nama_domain}", "aspek": f"{ind.aspek} {ind.nama_aspek}",
                     "indikator": ind.nama, "bukti": shown, "angka": figures.get(ind.kode, "–"),
                     "berkas": ", ".join(files) if files else "–", "tingkat": level,
                     "nama_tingkat": reference.level_name(level), "dasar": why})  # fmt: skip
    return rows


def write_evidence(per_opd: pd.DataFrame, figures: dict[str, str], manifest_files: list[dict], putaran: str,
                   out_dir: Path, region_name: str, facts=None, rounds: list[str] | None = None,
                   reference=None) -> Path:  # fmt: skip
    """``bukti-dukung-epss-<putaran>.xlsx``: the indicators by code with the evidence and the level it supports
    (``Indikator``), the levels' meaning (``Makna Tingkat``), links to every round's report, annex, trend page,
    deck and feedback (``Riwayat Putaran``), per producer the round facts and the measured figures (``Per OPD``),
    and the files received (``Sumber``). ``reference``: :func:`satudata.reference.epss_reference.load_epss_reference`
    (the package's when not given); ``rounds``: the rounds evaluated up to this one."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from satudata.outputs.workbook_cells import HEADER_GREY, put, save_workbook, style_table
    from satudata.reference.epss_reference import load_epss_reference

    reference = reference or load_epss_reference()
    rounds = sorted(set(rounds or []) | {putaran})
    link_font = Font(color="0563C1", underline="single")

    def link(ws, row: int, col: int, text: str, target: str) -> None:
        cell = put(ws, row, col, text)
        cell.hyperlink = target
        cell.font = link_font

    wb = Workbook()
    ws = wb.active
    ws.title = "Indikator"
    headers = [("Kode", 8), ("Domain", 22), ("Aspek", 24), ("Indikator", 40), ("Bukti dari alat ini", 50),
               ("Angka dari alat ini", 36), ("Berkas bukti", 30), ("Tingkat yang didukung bukti", 12),
               ("Nama tingkat", 16), ("Dasar tingkat", 60)]  # fmt: skip
    for c, (title, _) in enumerate(headers, start=1):
        put(ws, 1, c, title)
    keys = ("kode", "domain", "aspek", "indikator", "bukti", "angka", "berkas", "tingkat", "nama_tingkat", "dasar")
    rows = indicator_rows(reference, figures, putaran, rounds)
    for r, row in enumerate(rows, start=2):
        for c, key in enumerate(keys, start=1):
            if key == "berkas" and row[key] != "–":
                link(ws, r, c, str(row[key]), str(row[key]).split(", ")[0])
            else:
                put(ws, r, c, row[key])
            ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")
    style_table(ws, len(headers), [w for _, w in headers], HEADER_GREY)
    note = len(rows) + 3
    shown = sum(1 for row in rows if row["berkas"] != "–")
    put(ws, note, 1, f"Dasar: {SOURCE}; daftar indikator dan makna tingkat dari {reference.sources[0]} dan "
                     f"{reference.sources[1]} (wilayah dapat membetulkannya di folder referensi). Alat ini memiliki bukti "
                     f"untuk {shown} dari {len(rows)} indikator. Tingkat di sini adalah tingkat yang didukung bukti "
                     "menurut makna tingkat peraturan itu, bukan penilaian resmi BPS.")  # fmt: skip

    ws_l = wb.create_sheet("Makna Tingkat")
    for c, title in enumerate(["Tingkat", "Nama tingkat", "Makna", "Bukti yang dibutuhkan"], start=1):
        put(ws_l, 1, c, title)
    for r, level in enumerate(sorted(reference.levels.values(), key=lambda lv: lv.tingkat), start=2):
        for c, value in enumerate([level.tingkat, level.nama, level.makna, level.bukti], start=1):
            put(ws_l, r, c, value).alignment = Alignment(wrap_text=True, vertical="top")
    style_table(ws_l, 4, [9, 20, 60, 70], HEADER_GREY)

    ws_h = wb.create_sheet("Riwayat Putaran")
    titles = ["Putaran", "Laporan evaluasi", "Lampiran teknis", "Halaman tren", "Salindia rakor", "Umpan balik OPD"]
    for c, title in enumerate(titles, start=1):
        put(ws_h, 1, c, title)
    for r, entry in enumerate(round_evidence(putaran, rounds), start=2):
        put(ws_h, r, 1, fmt.tanggal(entry["putaran"]))
        for c, key in enumerate(("laporan", "lampiran", "tren", "salindia", "umpan_balik"), start=2):
            link(ws_h, r, c, entry[key].removeprefix(f"../{entry['putaran']}/") if key != "umpan_balik"
                 else f"umpan-balik {entry['putaran']}", entry[key])  # fmt: skip
    style_table(ws_h, len(titles), [28, 36, 28, 24, 26, 24], HEADER_GREY)

    ws_o = wb.create_sheet("Per OPD")
    if facts is not None:
        per_opd = with_facts(per_opd, facts)
    columns = list(per_opd.columns)
    for c, name in enumerate(columns, start=1):
        put(ws_o, 1, c, name)
    for r, row in enumerate(per_opd.itertuples(index=False), start=2):
        for c, value in enumerate(row, start=1):
            put(ws_o, r, c, None if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA
                else fmt.round_half_up(value, 1) if isinstance(value, float) else value)  # fmt: skip
    style_table(ws_o, len(columns), [40 if c in ("Nama OPD", "Perlu tindakan") else 14 for c in columns], HEADER_GREY)

    ws_s = wb.create_sheet("Sumber")
    for c, title in enumerate(["Putaran", "Berkas", "Kode OPD", "Jumlah nilai", "Sidik SHA-256"], start=1):
        put(ws_s, 1, c, title)
    for r, entry in enumerate(manifest_files, start=2):
        when = entry.get("putaran")
        for c, value in enumerate([fmt.tanggal_pendek(when) if when else None, entry.get("berkas"), entry.get("kode_opd"),
                                   entry.get("jumlah_nilai"), entry.get("sha256")], start=1):  # fmt: skip
            put(ws_s, r, c, value)
    style_table(ws_s, 5, [18, 50, 12, 12, 66], HEADER_GREY)
    wb.properties.title = f"Bukti dukung EPSS {region_name} putaran {fmt.tanggal_pendek(putaran)}"
    return save_workbook(wb, Path(out_dir) / f"bukti-dukung-epss-{putaran}.xlsx", date.fromisoformat(putaran))
