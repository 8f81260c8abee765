"""An EPSS view: the indicators of BPS's sectoral statistics evaluation a walidata can evidence from the
data handed in, with a level per producer and for the region, and the evidence as a workbook.

EPSS (Evaluasi Penyelenggaraan Statistik Sektoral) is set by Peraturan BPS Nomor 3 Tahun 2022: 5 domains,
19 aspects, 38 indicators, maturity levels 1-5 (Rintisan, Terkelola, Terdefinisi, Terpadu dan Terukur,
Optimum), domain weights Prinsip Satu Data Indonesia 28 %, Kualitas Data 24 %, Proses Bisnis Statistik
19 %, Kelembagaan 17 %, Statistik Nasional 12 % (Peraturan BPS 3/2022 and its Pedoman Teknis Penilaian
EPSS 2022). The official level of an indicator is decided by BPS's assessors from documents (bukti dukung);
what this module gives is an *indication from the data*: the share the data shows, mapped to a level by
:data:`LEVEL_RULE`, with the evidence listed so the walidata can attach it.

Measured (from the catalogue and the round's tables): standard data (elements whose catalogue row has a
unit, and a definition and a classification when the catalogue has those columns), metadata (elements
with a definition), reference codes (elements with a code written in the catalogue, not derived),
timeliness (items whose value arrived on time), accuracy (values with no plausibility warning),
consistency (totals and revisions that hold), availability (items fulfilled: the completeness percent).

Not measurable from submissions (listed in the workbook with the reason): interoperability, relevance,
accessibility of the published data, the whole Proses Bisnis Statistik domain (planning, collection,
checking and dissemination are processes shown by documents), Kelembagaan (people, leadership,
collaboration) and Statistik Nasional (use of statistics, guidance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from satudata.common import fmt

LEVELS = {1: "Rintisan", 2: "Terkelola", 3: "Terdefinisi", 4: "Terpadu dan Terukur", 5: "Optimum"}
DOMAIN_WEIGHTS = {"Prinsip Satu Data Indonesia": 28, "Kualitas Data": 24, "Proses Bisnis Statistik": 19,
                  "Kelembagaan": 17, "Statistik Nasional": 12}  # fmt: skip
LEVEL_RULE = "tingkat 1 bila < 20 %, 2 bila < 40 %, 3 bila < 60 %, 4 bila < 80 %, 5 bila >= 80 %"
SOURCE = "Peraturan BPS Nomor 3 Tahun 2022 tentang Evaluasi Penyelenggaraan Statistik Sektoral"


@dataclass(frozen=True)
class Indicator:
    key: str
    domain: str
    aspect: str
    measure: str  # what is measured, as the workbook says it
    column: str | None  # the share's column in the per-producer table (None: not measurable)
    why_not: str = ""


INDICATORS = (
    Indicator("standar_data", "Prinsip Satu Data Indonesia", "Standar Data Statistik",
              "elemen dengan satuan (dan definisi, klasifikasi bila katalog memuatnya) / elemen wajib", "standar_metadata"),
    Indicator("metadata", "Prinsip Satu Data Indonesia", "Metadata Statistik",
              "elemen dengan definisi di katalog / elemen wajib", "metadata"),
    Indicator("kode_referensi", "Prinsip Satu Data Indonesia", "Kode Referensi dan Data Induk",
              "elemen dengan kode tertulis di katalog (bukan kode buatan) / elemen wajib", "kode_referensi"),
    Indicator("interoperabilitas", "Prinsip Satu Data Indonesia", "Interoperabilitas Data", "", None,
              "butuh bukti sistem dan pertukaran data antaraplikasi, bukan isi kiriman"),
    Indicator("relevansi", "Kualitas Data", "Relevansi", "", None, "butuh survei kebutuhan pengguna data"),
    Indicator("akurasi", "Kualitas Data", "Akurasi", "nilai tanpa peringatan kewajaran / nilai", "validitas"),
    Indicator("ketepatan_waktu", "Kualitas Data", "Aktualitas dan Ketepatan Waktu",
              "butir yang nilainya tiba tepat waktu / butir terpenuhi", "ketepatan_waktu"),
    Indicator("ketersediaan", "Kualitas Data", "Aksesibilitas (ketersediaan data)",
              "butir terpenuhi / butir wajib (kelengkapan)", "kelengkapan"),
    Indicator("konsistensi", "Kualitas Data", "Keterbandingan dan Konsistensi",
              "pemeriksaan jumlah rincian, jumlah dalam tabel dan revisi yang lolos / pemeriksaan", "konsistensi"),
    Indicator("proses_bisnis", "Proses Bisnis Statistik", "Perencanaan, pengumpulan, pemeriksaan, penyebarluasan",
              "", None, "proses dibuktikan dengan dokumen kegiatan statistik, bukan dengan isi data"),
    Indicator("kelembagaan", "Kelembagaan", "SDM, kepemimpinan, kolaborasi", "", None,
              "menyangkut organisasi dan sumber daya, tidak tampak dalam data"),
    Indicator("statistik_nasional", "Statistik Nasional", "Pemanfaatan data dan pembinaan statistik", "", None,
              "menyangkut pemanfaatan dan pembinaan, tidak tampak dalam data"),
)  # fmt: skip


_UNMEASURED = {
    "metadata": "katalog tidak memuat kolom definisi (petakan kolom definisi di [katalog.kolom])",
    "ketepatan_waktu": "tanggal kedatangan berkas tidak diketahui",
    "konsistensi": "belum ada rincian dengan jumlahnya atau putaran sebelumnya untuk dibandingkan",
}


def level_of(share: float | None) -> int | None:
    """The level a share (0-100) indicates (:data:`LEVEL_RULE`); None when nothing was measured."""
    if share is None or pd.isna(share):
        return None
    return 1 if share < 20 else 2 if share < 40 else 3 if share < 60 else 4 if share < 80 else 5


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


def _region_row(ind: Indicator, share: float | None, note: str) -> dict:
    level = level_of(share)
    return {"domain": ind.domain, "bobot_domain": DOMAIN_WEIGHTS[ind.domain], "aspek": ind.aspect,
            "diukur": ind.measure, "persen": share, "tingkat": level, "nama_tingkat": LEVELS.get(level) if level else None,
            "keterangan": note}  # fmt: skip


def epss_view(quality: pd.DataFrame, elements: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per producer: share and level of every measurable indicator; the region: one row per indicator
    with its domain, weight, measure, share, level, rule, or why it cannot be measured)."""
    shares = quality.merge(catalogue_shares(elements), on="kode_opd", how="left")
    per_opd = shares[["kode_opd", "nama_opd"]].copy()
    rows = []
    for ind in INDICATORS:
        if ind.column is None:
            rows.append(_region_row(ind, None, f"Tidak dapat diukur dari data: {ind.why_not}."))
            continue
        share = pd.to_numeric(shares[ind.column], errors="coerce")
        if share.isna().all():
            rows.append(_region_row(ind, None, f"Belum dapat diukur: {_UNMEASURED.get(ind.key, 'datanya belum ada')}."))
            continue
        per_opd[f"{ind.key}_persen"] = share
        per_opd[f"{ind.key}_tingkat"] = share.map(level_of).astype("Int64")
        rows.append(_region_row(ind, float(share.mean()), f"Rata-rata {int(share.notna().sum())} OPD; {LEVEL_RULE}."))
    return per_opd, pd.DataFrame(rows)


FACT_COLUMNS = ("Zona", "Persen capaian", "Butir wajib", "Butir ke hijau", "Kiriman terakhir", "Perlu tindakan")


def with_facts(per_opd: pd.DataFrame, facts) -> pd.DataFrame:
    """The per-producer table with the round facts (:class:`satudata.evaluation.round_facts.RoundFacts`) in front:
    zone, percent as shown, items owed, items to hijau, last submission and action, as every output states them."""
    rows = []
    for kode in per_opd["kode_opd"]:
        f = facts.get(kode)
        rows.append([f.zona_label, f.persen_teks, f.wajib, f.ke_hijau, f.kirim_terakhir_teks,
                     f.tindakan_teks] if f else [None] * 6)  # fmt: skip
    front = pd.DataFrame(rows, columns=list(FACT_COLUMNS), index=per_opd.index)
    return pd.concat([per_opd[["kode_opd", "nama_opd"]], front, per_opd.drop(columns=["kode_opd", "nama_opd"])],
                     axis=1)  # fmt: skip


def write_evidence(per_opd: pd.DataFrame, region: pd.DataFrame, manifest_files: list[dict], putaran: str,
                   out_dir: Path, region_name: str, facts=None) -> Path:  # fmt: skip
    """``bukti-dukung-epss-<putaran>.xlsx``: per indicator what was measured and the level it indicates,
    per producer the shares and levels (with the round facts in front, given ``facts``), and the files and
    rounds the figures come from. Shares are rounded half up, as the report rounds them."""
    from openpyxl import Workbook

    from satudata.outputs.workbook_cells import HEADER_GREY, put, save_workbook, style_table

    wb = Workbook()
    ws = wb.active
    ws.title = "Indikator"
    headers = [("Domain", 28), ("Bobot domain (%)", 10), ("Aspek / indikator", 34), ("Yang diukur", 50),
               ("Persen", 10), ("Tingkat", 8), ("Nama tingkat", 20), ("Keterangan", 60)]  # fmt: skip
    for c, (title, _) in enumerate(headers, start=1):
        put(ws, 1, c, title)
    for r, row in enumerate(region.to_dict("records"), start=2):
        values = [row["domain"], row["bobot_domain"], row["aspek"], row["diukur"] or "–",
                  fmt.round_half_up(row["persen"], 1) if row["persen"] is not None and not pd.isna(row["persen"]) else "–",
                  row["tingkat"] if row["tingkat"] else "–", row["nama_tingkat"] or "–", row["keterangan"]]  # fmt: skip
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value)
    style_table(ws, len(headers), [w for _, w in headers], HEADER_GREY)
    note = len(region) + 3
    put(ws, note, 1, f"Dasar: {SOURCE}. Tingkat di sini adalah indikasi dari data kiriman OPD, bukan penilaian "
                     "resmi BPS; lampirkan lembar 'Sumber' sebagai bukti dukung.")  # fmt: skip

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
    style_table(ws_o, len(columns), [40 if c in ("nama_opd", "Perlu tindakan") else 14 for c in columns], HEADER_GREY)

    ws_s = wb.create_sheet("Sumber")
    for c, title in enumerate(["Putaran", "Berkas", "Kode OPD", "Jumlah nilai", "sha256"], start=1):
        put(ws_s, 1, c, title)
    for r, entry in enumerate(manifest_files, start=2):
        for c, value in enumerate([entry.get("putaran"), entry.get("berkas"), entry.get("kode_opd"),
                                   entry.get("jumlah_nilai"), entry.get("sha256")], start=1):  # fmt: skip
            put(ws_s, r, c, value)
    style_table(ws_s, 5, [12, 50, 12, 12, 66], HEADER_GREY)
    wb.properties.title = f"Bukti dukung EPSS {region_name} putaran {putaran}"
    return save_workbook(wb, Path(out_dir) / f"bukti-dukung-epss-{putaran}.xlsx", date.fromisoformat(putaran))
