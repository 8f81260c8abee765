"""A deterministic, realistic Kabupaten Demak demo: register, catalogue, settings and three rounds.

Everything is generated from the reference facts in ``reference/`` (shipped inside the package)
with a fixed seed, so two runs give byte-identical files. The submissions imitate what OPDs
really send (see ``shared/realdata``): title rows, one- and two-row headers with merged cells,
years across and down, numbers as Excel numbers and as Indonesian text, BPS symbols, section and
subtotal rows, notes, typos, the OPD in the file name or in a cell, an instruction sheet and a
semicolon CSV.

``plan_demo()`` returns the ground truth (which items each producer has delivered by each round),
so tests can back-test the whole pipeline against it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import random
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from satudata.common.names import fold

REFERENCE = Path(__file__).parents[1] / "reference" / "demak"
DEMO_ROUNDS = ("2020-08-27", "2020-09-10", "2020-09-24")
DEMO_YEARS = (2015, 2016, 2017, 2018, 2019)
SEED = 20200827
MANIFEST_NAME = ".demo-manifest.json"
FIXED_TIME = datetime(2020, 8, 20, 8, 0, 0)
KIND_PREFIX = {
    "dinas": "DIN",
    "rsud": "RSD",
    "badan": "BAD",
    "satuan": "SAT",
    "sekretariat": "SEK",
    "inspektorat": "INS",
    "kecamatan": "KEC",
    "organisasi sosial": "ORG",
}
# Elements invented for producers the SIPD list gives nothing to (marked demo_saja in the catalogue).
INVENTED = {
    "kecamatan": [
        ("Jumlah Desa", "Desa"),
        ("Jumlah Rukun Warga (RW)", "RW"),
        ("Jumlah Rukun Tetangga (RT)", "RT"),
        ("Luas Wilayah Kecamatan", "Km2"),
        ("Jumlah Penduduk Kecamatan", "Jiwa"),
    ],
    "rsud": [
        ("Jumlah Tempat Tidur Rumah Sakit", "Unit"),
        ("Bed Occupancy Rate (BOR)", "Persen"),
        ("Jumlah Kunjungan Rawat Jalan", "Kunjungan"),
        ("Jumlah Pasien Rawat Inap", "Orang"),
        ("Jumlah Dokter Spesialis RSUD", "Orang"),
    ],
    "organisasi sosial": [
        ("Jumlah Kader PKK Aktif", "Orang"),
        ("Jumlah Kelompok Dasawisma", "Kelompok"),
        ("Jumlah Posyandu Binaan PKK", "Unit"),
        ("Jumlah Desa dengan Pokja PKK Aktif", "Desa"),
    ],
    "Setda": [
        ("Jumlah Produk Hukum Daerah yang Ditetapkan", "Dokumen"),
        ("Jumlah Kerja Sama Daerah", "Naskah"),
        ("Jumlah Aduan Layanan Publik yang Ditindaklanjuti", "Aduan"),
    ],
    "Setwan": [
        ("Jumlah Peraturan Daerah yang Disahkan", "Perda"),
        ("Jumlah Rapat Paripurna DPRD", "Kali"),
        ("Jumlah Anggota DPRD", "Orang"),
    ],
    "Inspektorat": [
        ("Jumlah Objek Pemeriksaan Reguler", "Objek"),
        ("Jumlah Temuan Pemeriksaan", "Temuan"),
        ("Persentase Tindak Lanjut Temuan", "Persen"),
    ],
    "Bappelitbangda": [
        ("Jumlah Dokumen Perencanaan yang Ditetapkan", "Dokumen"),
        ("Jumlah Kegiatan Penelitian dan Pengembangan", "Kegiatan"),
        ("Jumlah Usulan Musrenbang Kecamatan", "Usulan"),
        ("Jumlah Inovasi Daerah", "Inovasi"),
    ],
    "BPKPAD": [
        ("Pendapatan Asli Daerah", "Rupiah"),
        ("Realisasi Pajak Bumi dan Bangunan", "Rupiah"),
        ("Jumlah Wajib Pajak Daerah", "Wajib Pajak"),
        ("Nilai Aset Tetap Daerah", "Rupiah"),
    ],
    "BKPP": [
        ("Jumlah Aparatur Sipil Negara", "Orang"),
        ("Jumlah ASN yang Mengikuti Diklat", "Orang"),
        ("Jumlah Pejabat Struktural", "Orang"),
    ],
    "Bakesbangpol": [
        ("Jumlah Organisasi Kemasyarakatan Terdaftar", "Ormas"),
        ("Jumlah Partai Politik Peserta Pemilu", "Partai"),
        ("Jumlah Forum Kewaspadaan Dini Masyarakat", "Forum"),
    ],
    "BPBD": [
        ("Jumlah Kejadian Bencana Banjir", "Kejadian"),
        ("Jumlah Kejadian Bencana Rob", "Kejadian"),
        ("Jumlah Desa Tangguh Bencana", "Desa"),
        ("Jumlah Pengungsi Akibat Bencana", "Jiwa"),
    ],
}

# Round-1 coverage per producer, by position in the register (designed so that the mean lies in
# 50-100, at least 3 are merah and at least 5 hijau); later rounds add to it (0 = stalls).
ROUND1 = [
    0.92, 0.78, 1.00, 0.64, 0.55, 0.70, 0.35, 0.96, 0.81, 0.60,
    1.00, 0.72, 0.88, 0.45, 0.67, 0.58, 0.93, 0.76, 0.84, 0.30,
    0.62, 0.00, 0.90, 0.74, 0.53, 0.69, 0.86, 0.51, 1.00, 0.80,
    0.66, 0.75, 0.40, 0.94, 0.57, 0.82, 0.71, 0.63, 0.00, 0.87,
    0.77, 0.68, 0.59,
]
ROUND_GAIN = [
    (0.05, 0.00), (0.12, 0.10), (0.00, 0.00), (0.20, 0.16), (0.00, 0.20), (0.10, 0.20),
    (0.30, 0.25), (0.00, 0.04), (0.09, 0.00), (0.00, 0.00), (0.00, 0.00), (0.18, 0.10),
    (0.04, 0.08), (0.10, 0.00), (0.15, 0.18), (0.06, 0.30), (0.00, 0.07), (0.14, 0.00),
    (0.06, 0.10), (0.25, 0.30), (0.00, 0.00), (0.45, 0.35), (0.05, 0.05), (0.16, 0.10),
    (0.20, 0.00), (0.10, 0.21), (0.00, 0.14), (0.00, 0.00), (0.00, 0.00), (0.10, 0.10),
    (0.24, 0.10), (0.00, 0.20), (0.15, 0.15), (0.06, 0.00), (0.33, 0.00), (0.00, 0.18),
    (0.10, 0.10), (0.05, 0.05), (0.00, 0.55), (0.13, 0.00), (0.00, 0.23), (0.12, 0.00),
    (0.31, 0.10),
]
STYLES = ("wide_title", "merged_header", "long", "csv_comma", "csv_semicolon", "instruction_sheet")


@dataclass
class Producer:
    kode_opd: str
    nama_opd: str
    singkatan: str
    jenis: str
    alias: str
    index: int


@dataclass
class Element:
    kode_elemen: str
    nama_elemen: str
    satuan: str
    kode_urusan: str
    nama_urusan: str
    kode_opd: str
    demo_saja: bool


@dataclass
class DemoPlan:
    """The ground truth of the demo: who owes what and what was delivered by each round."""

    producers: list[Producer]
    elements: list[Element]
    # (kode_opd, round) -> set of (kode_elemen, tahun) delivered with a valid value up to that round
    delivered: dict[tuple[str, str], set[tuple[str, int]]] = field(default_factory=dict)

    def items_owed(self, kode_opd: str) -> list[tuple[str, int]]:
        return [
            (e.kode_elemen, year) for e in self.elements if e.kode_opd == kode_opd for year in DEMO_YEARS
        ]

    def expected_percent(self, kode_opd: str, round_date: str) -> float | None:
        owed = self.items_owed(kode_opd)
        if not owed:
            return None
        return 100.0 * len(self.delivered[(kode_opd, round_date)]) / len(owed)


def _read_csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def build_producers() -> list[Producer]:
    """The 43 producers of the register, with stable codes: kind prefix + number within the kind."""
    counters: dict[str, int] = {}
    out = []
    for i, row in enumerate(_read_csv("opd-demak.csv")):
        prefix = KIND_PREFIX.get(row["jenis"], "LAIN")
        counters[prefix] = counters.get(prefix, 0) + 1
        out.append(
            Producer(
                kode_opd=f"{prefix}{counters[prefix]:02d}",
                nama_opd=row["nama_opd"],
                singkatan=row["singkatan"],
                jenis=row["jenis"],
                alias=row["alias"],
                index=i,
            )
        )
    return out


def build_elements(producers: list[Producer], per_opd: int = 25) -> list[Element]:
    """About 500 elements: real SIPD top-level elements by urusan, plus invented ones where none."""
    urusan_to_opd = {r["urusan_sipd_2018"]: r["singkatan_opd_penanggung_jawab"] for r in _read_csv("urusan-ke-opd-demak.csv")}
    sipd = [r for r in _read_csv("sipd-elemen-banten-2018.csv") if r["tingkat"] == "1"]
    # candidate elements per OPD, urusan by urusan, in the document's order
    candidates: dict[str, dict[str, list[dict[str, str]]]] = {}
    for row in sipd:
        abbr = urusan_to_opd.get(row["urusan"])
        if abbr is None or len(row["elemen"]) > 90:
            continue
        candidates.setdefault(abbr, {}).setdefault(row["urusan"], []).append(row)
    elements: list[Element] = []
    used_codes: set[str] = set()
    for producer in producers:
        chosen: list[dict[str, str]] = []
        names: set[str] = set()
        lists = list(candidates.get(producer.singkatan, {}).values())
        position = 0
        while len(chosen) < per_opd and any(position < len(lst) for lst in lists):
            for lst in lists:
                if position < len(lst) and len(chosen) < per_opd:
                    row = lst[position]
                    key = fold(row["elemen"])
                    if key not in names:
                        names.add(key)
                        chosen.append(row)
            position += 1
        for row in chosen:
            code = row["ref_asli"]
            while code in used_codes:
                code += "a"
            used_codes.add(code)
            elements.append(
                Element(
                    kode_elemen=code,
                    nama_elemen=row["elemen"].strip(),
                    satuan=(row["satuan"] or "").strip(),
                    kode_urusan=row["kode_urusan_asli"],
                    nama_urusan=urusan_name(row["urusan"]),
                    kode_opd=producer.kode_opd,
                    demo_saja=False,
                )
            )
        if len(chosen) < 3:
            invented = INVENTED.get(producer.singkatan) or INVENTED.get(producer.jenis) or []
            if not invented:
                invented = [
                    (f"Jumlah Pegawai {producer.singkatan}", "Orang"),
                    (f"Jumlah Layanan yang Diselenggarakan {producer.singkatan}", "Layanan"),
                    (f"Jumlah Kegiatan Pembinaan {producer.singkatan}", "Kegiatan"),
                ]
            for j, (name, unit) in enumerate(invented, start=1):
                if producer.jenis == "kecamatan":
                    name = f"{name} {producer.nama_opd.removeprefix('Kecamatan ')}"
                elements.append(
                    Element(
                        kode_elemen=f"DEMO.{producer.kode_opd}.{j}",
                        nama_elemen=name,
                        satuan=unit,
                        # named like the real affairs of Permendagri 90/2019: unsur kewilayahan (7.01 Kecamatan)
                        # for a kecamatan, unsur pemerintahan umum for the other producers
                        kode_urusan="7.01" if producer.jenis == "kecamatan" else "8.01",
                        nama_urusan="Kecamatan" if producer.jenis == "kecamatan" else "Pemerintahan Umum",
                        kode_opd=producer.kode_opd,
                        demo_saja=True,
                    )
                )
    return elements


def plan_demo() -> DemoPlan:
    """Decide, deterministically, which items each producer delivers by each round."""
    producers = build_producers()
    elements = build_elements(producers)
    plan = DemoPlan(producers=producers, elements=elements)
    rng = random.Random(SEED)
    for p in producers:
        owed = plan.items_owed(p.kode_opd)
        order = owed[:]
        rng.shuffle(order)
        share = ROUND1[p.index]
        for k, round_date in enumerate(DEMO_ROUNDS):
            if k > 0:
                share = min(1.0, share + ROUND_GAIN[p.index][k - 1])
            count = math.floor(share * len(owed) + 1e-9)
            plan.delivered[(p.kode_opd, round_date)] = set(order[:count])
    return plan


# ---------------------------------------------------------------- values and text


def _value(rng: random.Random, unit: str) -> float:
    unit = unit.lower()
    if "persen" in unit or unit == "%":
        return round(rng.uniform(1, 99), 2)
    if unit in {"ha", "km", "km2", "m2", "ton", "m3", "liter"}:
        return round(rng.uniform(5, 25000), 2)
    if "rupiah" in unit or unit.startswith("rp"):
        return float(rng.randrange(10_000_000, 900_000_000_000, 1000))
    return float(rng.randint(0, 60000 if unit in {"orang", "jiwa", "kk"} else 900))


# deliberate anomalies (element code -> what is wrong), chosen in plan_anomalies: every quality check fires
ANOMALY_TYPO, ANOMALY_COPY, ANOMALY_REVISION = "salah_ketik_10x", "baris_disalin", "revisi"
_ANOMALIES: dict[str, str] = {}
# the files of the last round whose first Jumlah row does not add up (kode_opd -> file name), set by write_rounds
WRONG_TOTALS: dict[str, str] = {}
LATE_PRODUCER_INDEX = 5  # the producer whose files arrive after the round's date


def _unit_kind(unit: str) -> str:
    unit = unit.lower()
    if "persen" in unit or unit == "%":
        return "persen"
    if unit in {"ha", "km", "km2", "km²", "m2", "ton", "m3", "m³", "liter"}:
        return "ukuran"
    if "rupiah" in unit or unit.startswith("rp"):
        return "rupiah"
    return "orang" if unit in {"orang", "jiwa", "kk"} else "cacah"


def _nil_element(e: Element) -> bool:
    """About 3 % of the elements are nil (``-``) in every year: an event that did not happen."""
    return random.Random(f"{SEED}:nihil:{e.kode_elemen}:{e.kode_opd}").random() < 0.03


def series_value(e: Element, year: int, round_date: str | None = None) -> float:
    """The demo's value of an element in a year: a level and a trend per element and unit, with bounded
    noise (counts stay whole and positive, percents stay within 0-100), the same in every round, except
    the deliberate anomalies of :func:`plan_anomalies`."""
    r = random.Random(f"{SEED}:{e.kode_elemen}:{e.kode_opd}")
    noise = random.Random(f"{SEED}:{e.kode_elemen}:{e.kode_opd}:{year}").uniform(-1, 1)
    i = year - DEMO_YEARS[0]
    kind = _unit_kind(e.satuan)
    if kind == "persen":
        value = round(min(99.5, max(0.5, r.uniform(20, 80) + r.uniform(-1.5, 2.5) * i + noise)), 2)
    elif kind == "ukuran":
        value = round(r.uniform(50, 25000) * (1 + r.uniform(-0.01, 0.03)) ** i * (1 + 0.02 * noise), 2)
    elif kind == "rupiah":
        value = float(round(r.randrange(100_000_000, 900_000_000_000) * (1 + r.uniform(0.03, 0.08)) ** i, -3))
    elif kind == "orang":
        value = float(round(r.randint(500, 60000) * (1 + r.uniform(0.0, 0.03)) ** i * (1 + 0.01 * noise)))
    else:
        value = float(max(1, round(r.randint(20, 900) * (1 + r.uniform(-0.03, 0.05)) ** i * (1 + 0.04 * noise))))
    anomaly = _ANOMALIES.get(f"{e.kode_opd}:{e.kode_elemen}")
    if anomaly == ANOMALY_TYPO and year == DEMO_YEARS[2]:
        return value * 10
    if anomaly == ANOMALY_COPY:
        return 12345.67
    if anomaly == ANOMALY_REVISION and year == DEMO_YEARS[1] and round_date == DEMO_ROUNDS[-1]:
        return round(value * 1.15, 2)
    return value


def plan_anomalies(plan: DemoPlan) -> dict[str, str]:
    """Pick the elements that carry the deliberate anomalies: for three producers, the first element
    with a count unit delivered for every year by the first round (so every later round holds it too)."""
    _ANOMALIES.clear()
    first, before_last, last = DEMO_ROUNDS[0], DEMO_ROUNDS[-2], DEMO_ROUNDS[-1]
    chosen = []
    for p in plan.producers:
        if p.index % 2:  # a producer that sends everything again each round (revisions show)
            continue
        if len(chosen) == 2 and plan.delivered.get((p.kode_opd, last)) == plan.delivered.get((p.kode_opd, before_last)):
            continue  # the revision needs a file in the last round
        delivered = plan.delivered.get((p.kode_opd, first), set())
        for e in plan.elements:
            if (e.kode_opd == p.kode_opd and _unit_kind(e.satuan) == "orang" and not _nil_element(e)
                    and all((e.kode_elemen, y) in delivered for y in DEMO_YEARS)):
                chosen.append(f"{e.kode_opd}:{e.kode_elemen}")
                break
        if len(chosen) == 3:
            break
    _ANOMALIES.update(dict(zip(chosen, (ANOMALY_TYPO, ANOMALY_COPY, ANOMALY_REVISION), strict=False)))
    return dict(_ANOMALIES)


def arrival_date(round_date: str, producer_index: int) -> str:
    """When a producer's file of a round arrived: 2-6 days before the round; the late producer 3 days after."""
    from datetime import date, timedelta

    shift = 3 if producer_index == LATE_PRODUCER_INDEX else -(2 + producer_index % 5)
    return (date.fromisoformat(round_date) + timedelta(days=shift)).isoformat()


def indonesian(value: float) -> str:
    """``1.234,5`` for text cells (what an OPD types)."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, frac = f"{value:.2f}".split(".")
    frac = frac.rstrip("0")
    return f"{int(whole):,}".replace(",", ".") + "," + frac


def _typo(name: str, rng: random.Random) -> str:
    """One realistic slip: a dropped or doubled letter, or `Jumlah` written `Jml`."""
    if name.startswith("Jumlah ") and rng.random() < 0.4:
        return "Jml " + name[len("Jumlah ") :]
    letters = [i for i, c in enumerate(name) if c.isalpha() and i > 3]
    if not letters:
        return name
    i = rng.choice(letters)
    return name[:i] + name[i + 1 :] if rng.random() < 0.5 else name[:i] + name[i] + name[i:]


@dataclass
class Cell:
    """What one submitted cell says: a number, nil (``-``), not available (``...``) or empty."""

    kind: str  # "angka", "nihil", "tidak_tersedia", "kosong"
    value: float | None = None


def _cells_for(
    plan: DemoPlan, producer: Producer, round_date: str, previous: set[tuple[str, int]], rng: random.Random
) -> dict[str, dict[int, Cell]]:
    """The cells of this round's file of one producer: element -> year -> cell.

    Producers at an even register position send a full revision (everything delivered so far,
    some earlier values corrected); the others send only what is new since the last round.
    """
    delivered = plan.delivered[(producer.kode_opd, round_date)]
    new = delivered - previous
    if not new and previous:
        return {}
    full = producer.index % 2 == 0 or not previous
    wanted = delivered if full else new
    elements = [e for e in plan.elements if e.kode_opd == producer.kode_opd]
    out: dict[str, dict[int, Cell]] = {}
    for e in elements:
        row: dict[int, Cell] = {}
        for year in DEMO_YEARS:
            if (e.kode_elemen, year) in wanted:
                rng.random()  # the draws of earlier demos are kept, so every other choice stays the same
                _value(rng, e.satuan)
                if _nil_element(e):
                    row[year] = Cell("nihil", 0.0)
                else:
                    row[year] = Cell("angka", series_value(e, year, round_date))
            elif rng.random() < 0.35:
                row[year] = Cell("tidak_tersedia")
            else:
                row[year] = Cell("kosong")
        if any(c.kind in {"angka", "nihil"} for c in row.values()) or full:
            out[e.kode_elemen] = row
    return out


# ---------------------------------------------------------------- writers


def _deterministic_xlsx(wb: Workbook, path: Path) -> None:
    """Save a workbook with fixed properties and zip timestamps, so the bytes never vary."""
    wb.properties.creator = "satudata demo"
    wb.properties.lastModifiedBy = "satudata demo"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 8, 20, 8, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time into 'modified' whatever the properties say
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2020-08-20T08:00:00Z\g<2>",
                    data,
                )
            dst.writestr(fixed, data)


def _cell_text(cell: Cell, as_text: bool) -> object:
    if cell.kind == "nihil":
        return "-"
    if cell.kind == "tidak_tersedia":
        return "..."
    if cell.kind == "kosong":
        return None
    return indonesian(cell.value) if as_text else cell.value


def _element_rows(plan: DemoPlan, producer: Producer, cells: dict[str, dict[int, Cell]], rng: random.Random):
    """Rows in document order, grouped by urusan (the section headings), with occasional typos."""
    elements = [e for e in plan.elements if e.kode_opd == producer.kode_opd and e.kode_elemen in cells]
    by_urusan: dict[str, list[Element]] = {}
    for e in elements:
        by_urusan.setdefault(e.nama_urusan, []).append(e)
    for urusan, group in by_urusan.items():
        yield "section", urusan, None
        for e in group:
            name = _typo(e.nama_elemen, rng) if rng.random() < 0.08 else e.nama_elemen
            yield "data", name, e


def _write_wide(path: Path, plan, producer, round_date, cells, rng, *, merged: bool, instruction: bool, text_numbers: bool,
                wrong_total: bool = False) -> bool:
    """Write a wide submission; with ``wrong_total`` its first ``Jumlah`` row is off by 10 % in one year (the
    deliberate "total that does not add up"). Returns whether a wrong total was written."""
    wb = Workbook()
    if instruction:
        ws0 = wb.active
        ws0.title = "Petunjuk"
        ws0["A1"] = "PETUNJUK PENGISIAN"
        ws0["A3"] = "1. Isi nilai setiap elemen data untuk tahun 2015-2019."
        ws0["A4"] = "2. Tulis - bila nilainya nol/nihil dan ... bila data belum tersedia."
        ws0["A5"] = "3. Jangan mengubah nama kolom."
        ws = wb.create_sheet("Data")
    else:
        ws = wb.active
        ws.title = "Data Sektoral"
    ws["A1"] = f"DATA SEKTORAL {producer.nama_opd.upper()} KABUPATEN DEMAK"
    ws["A2"] = "Tahun 2015 - 2019"
    ws["A1"].font = Font(bold=True)
    start = 4
    if not instruction:
        ws["A3"] = f"OPD: {producer.nama_opd}"
        start = 5
    years = list(DEMO_YEARS)
    if merged:
        ws.cell(start, 1, "No")
        ws.cell(start, 2, "Jenis Data")
        ws.cell(start, 3, "Satuan")
        ws.cell(start, 4, "Tahun")
        ws.cell(start, 4 + len(years), "Keterangan")
        for j, y in enumerate(years):
            ws.cell(start + 1, 4 + j, y)
        ws.merge_cells(start_row=start, start_column=1, end_row=start + 1, end_column=1)
        ws.merge_cells(start_row=start, start_column=2, end_row=start + 1, end_column=2)
        ws.merge_cells(start_row=start, start_column=3, end_row=start + 1, end_column=3)
        ws.merge_cells(start_row=start, start_column=4, end_row=start, end_column=3 + len(years))
        ws.merge_cells(start_row=start, start_column=4 + len(years), end_row=start + 1, end_column=4 + len(years))
        ws.cell(start, 4).alignment = Alignment(horizontal="center")
        r = start + 2
    else:
        header = ["No", "Uraian", "Satuan", *[f"Tahun {y}" if rng.random() < 0.3 else y for y in years], "Ket"]
        for j, h in enumerate(header, start=1):
            ws.cell(start, j, h).font = Font(bold=True)
        r = start + 1
    number = 0
    section_no = 0
    sums: list[float] = [0.0] * len(years)
    wrote_wrong = False
    for role, name, e in _element_rows(plan, producer, cells, rng):
        if role == "section":
            if merged and number:
                wrote_wrong |= wrong_total and not wrote_wrong and _spoil_total(sums)
                r = _write_subtotal(ws, r, sums)
                sums = [0.0] * len(years)
            section_no += 1
            ws.cell(r, 1, chr(64 + section_no) if section_no <= 26 else section_no)
            ws.cell(r, 2, name.upper())
            r += 1
            continue
        number += 1
        ws.cell(r, 1, number)
        ws.cell(r, 2, name)
        ws.cell(r, 3, e.satuan or None)
        for j, y in enumerate(years):
            cell = cells[e.kode_elemen][y]
            ws.cell(r, 4 + j, _cell_text(cell, text_numbers and rng.random() < 0.5))
            sums[j] += cell.value or 0.0
        r += 1
    if merged and number:
        wrote_wrong |= wrong_total and not wrote_wrong and _spoil_total(sums)
        r = _write_subtotal(ws, r, sums)
    r += 1
    ws.cell(r, 1, f"Sumber: {producer.nama_opd} Kabupaten Demak")
    ws.cell(r + 1, 1, "*) angka sementara")
    _deterministic_xlsx(wb, path)
    return wrote_wrong


def _spoil_total(sums: list[float]) -> bool:
    """Make a Jumlah row 10 % too big in its first year of at least 10 (the deliberate wrong total)."""
    j = next((j for j, x in enumerate(sums) if abs(x) >= 10), None)
    if j is not None:
        sums[j] *= 1.1
    return j is not None


def _write_subtotal(ws, r: int, sums: list[float]) -> int:
    """A ``Jumlah`` row as OPDs add under each section (structural: never a value)."""
    ws.cell(r, 2, "Jumlah")
    ws.cell(r, 2).font = Font(bold=True)
    for j, total in enumerate(sums):
        ws.cell(r, 4 + j, round(total, 2))
    return r + 1


def _write_long(path: Path, plan, producer, round_date, cells, rng):
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([f"Rekap Data {producer.singkatan} untuk SIPD"])
    ws.append([])
    ws.append(["Kode Elemen", "Nama Data", "Satuan", "Tahun", "Nilai"])
    for _role, name, e in _element_rows(plan, producer, cells, rng):
        if e is None:
            continue
        for y in DEMO_YEARS:
            cell = cells[e.kode_elemen][y]
            if cell.kind == "kosong":
                continue
            ws.append([e.kode_elemen, name, e.satuan or None, y, _cell_text(cell, False)])
    _deterministic_xlsx(wb, path)


def _write_csv(path: Path, plan, producer, round_date, cells, rng, *, delimiter: str):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["Uraian", "Satuan", *DEMO_YEARS, "Keterangan"])
    for role, name, e in _element_rows(plan, producer, cells, rng):
        if role == "section":
            writer.writerow([name, "", *[""] * len(DEMO_YEARS), ""])
            continue
        values = []
        for y in DEMO_YEARS:
            text = _cell_text(cells[e.kode_elemen][y], True)
            values.append("" if text is None else text)
        writer.writerow([name, e.satuan, *values, ""])
    path.write_bytes(out.getvalue().encode("utf-8"))


def _file_name(producer: Producer, round_no: int, style: str) -> str:
    slug = producer.singkatan.replace(" ", "_").replace(".", "")
    suffix = "" if round_no == 0 else f"_rev{round_no + 1}"
    if style in {"csv_comma", "csv_semicolon"}:
        return f"{producer.index + 1:02d}_{slug}{suffix}.csv"
    if style == "wide_title":
        # the OPD is named in a cell only; the file name says nothing useful
        return f"data sektoral {producer.index + 1:02d}{suffix}.xlsx"
    return f"{producer.index + 1:02d}_{slug}{suffix}.xlsx"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_reference(plan: DemoPlan, reference_dir: Path) -> list[Path]:
    reference_dir.mkdir(parents=True, exist_ok=True)
    register = reference_dir / "opd.csv"
    with register.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["kode_opd", "nama_opd", "singkatan", "jenis", "alias"])
        for p in plan.producers:
            w.writerow([p.kode_opd, p.nama_opd, p.singkatan, p.jenis, p.alias])
    catalogue = reference_dir / "katalog.csv"
    with catalogue.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(
            ["kode_elemen", "nama_elemen", "satuan", "kode_urusan", "nama_urusan", "kode_opd",
             "tahun_awal", "tahun_akhir", "demo_saja"]
        )
        for e in plan.elements:
            w.writerow(
                [e.kode_elemen, e.nama_elemen, e.satuan, e.kode_urusan, e.nama_urusan, e.kode_opd,
                 DEMO_YEARS[0], DEMO_YEARS[-1], "ya" if e.demo_saja else "tidak"]
            )
    settings = reference_dir / "pengaturan.toml"
    settings.write_text(
        (Path(__file__).parents[1] / "reference" / "pengaturan-contoh.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return [register, catalogue, settings]


def write_rounds(plan: DemoPlan, raw_dir: Path, rounds: tuple[str, ...] = DEMO_ROUNDS) -> list[Path]:
    written: list[Path] = []
    rng = random.Random(SEED + 1)
    plan_anomalies(plan)
    WRONG_TOTALS.clear()
    for k, round_date in enumerate(rounds):
        folder = raw_dir / round_date
        folder.mkdir(parents=True, exist_ok=True)
        arrived: list[str] = []
        for p in plan.producers:
            previous = plan.delivered[(p.kode_opd, rounds[k - 1])] if k else set()
            if k == 0 and not plan.delivered[(p.kode_opd, round_date)]:
                continue  # sent nothing in the first round
            cells = _cells_for(plan, p, round_date, previous, rng)
            if not cells:
                continue
            style = STYLES[p.index % len(STYLES)]
            path = folder / _file_name(p, k, style)
            if style == "wide_title":
                _write_wide(path, plan, p, round_date, cells, rng, merged=False, instruction=False, text_numbers=False)
            elif style == "merged_header":
                # one total that does not add up, in the last of several rounds (the small test round has none)
                wrong = len(rounds) > 1 and k == len(rounds) - 1 and not WRONG_TOTALS
                if _write_wide(path, plan, p, round_date, cells, rng, merged=True, instruction=False,
                               text_numbers=True, wrong_total=wrong):  # fmt: skip
                    WRONG_TOTALS[p.kode_opd] = path.name
            elif style == "instruction_sheet":
                _write_wide(path, plan, p, round_date, cells, rng, merged=True, instruction=True, text_numbers=False)
            elif style == "long":
                _write_long(path, plan, p, round_date, cells, rng)
            elif style == "csv_comma":
                _write_csv(path, plan, p, round_date, cells, rng, delimiter=",")
            else:
                _write_csv(path, plan, p, round_date, cells, rng, delimiter=";")
            written.append(path)
            arrived.append(f"{path.name},{arrival_date(round_date, p.index)}")
        record = folder / ".kedatangan.csv"  # when each file arrived (hidden: never read as a submission)
        lines = ["berkas,diterima", *arrived]
        record.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(record)
    return written


SMALL_ROUND = "2021-03-01"
SMALL_SHARES = (1.0, 0.4, 0.76, 0.0)


def plan_small() -> DemoPlan:
    """A small round for end-to-end tests: four producers with 10 elements each (50 items).

    The first delivers everything (hijau, 100 %), the second 40 % (merah), the third 76 %
    (kuning), the fourth nothing (merah, 0 %).
    """
    producers = build_producers()[:4]
    elements = build_elements(producers, per_opd=10)
    plan = DemoPlan(producers=producers, elements=elements)
    rng = random.Random(SEED)
    for p, share in zip(producers, SMALL_SHARES, strict=True):
        order = plan.items_owed(p.kode_opd)
        rng.shuffle(order)
        plan.delivered[(p.kode_opd, SMALL_ROUND)] = set(order[: math.floor(share * len(order) + 1e-9)])
    return plan


def generate_small(data_dir: str | Path) -> list[Path]:
    """Write the small four-producer round (see ``plan_small``) into ``data_dir``."""
    data_dir = Path(data_dir)
    plan = plan_small()
    return write_reference(plan, data_dir / "reference") + write_rounds(plan, data_dir / "raw", (SMALL_ROUND,))


def urusan_name(text: str) -> str:
    """An urusan's name as Indonesian titles write it: ``Energi dan Sumber Daya Mineral`` (the SIPD list
    capitalises some conjunctions: ``Energi Dan Sumber Daya Mineral``, ``... Umum Serta Perlindungan ...``)."""
    return re.sub(r"(?<=\S )(Dan|Serta|Atau)(?= )", lambda m: m.group(1).lower(), str(text).strip())


def generate_demo(data_dir: str | Path, force: bool = False) -> list[Path]:
    """Write the Demak demo into ``data_dir`` (reference + three rounds); returns the files written.

    A manifest of the generated files (with checksums) is kept in ``data_dir/.demo-manifest.json``
    so that ``satudata clean-demo`` removes exactly these files and never a user's own.
    """
    data_dir = Path(data_dir)
    manifest_path = data_dir / MANIFEST_NAME
    if manifest_path.exists() and not force:
        existing = json.loads(manifest_path.read_text(encoding="utf-8"))
        if all((data_dir / f).exists() for f in existing["berkas"]):
            return [data_dir / f for f in existing["berkas"]]
    plan = plan_demo()
    for round_date in DEMO_ROUNDS:
        folder = data_dir / "raw" / round_date
        if folder.exists() and any(folder.iterdir()) and not (manifest_path.exists() or force):
            raise FileExistsError(
                f"Folder {folder} sudah berisi berkas yang bukan buatan demo; demo tidak ditulis agar "
                "data Anda tidak tertimpa. Pindahkan berkas itu atau pakai DATA_DIR lain."
            )
    files = write_reference(plan, data_dir / "reference") + write_rounds(plan, data_dir / "raw")
    manifest = {
        "keterangan": "Berkas demo buatan `satudata demo`; `make clean` hanya menghapus berkas ini.",
        "berkas": {str(f.relative_to(data_dir)): _sha256(f) for f in sorted(files)},
    }
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return files


def clean_demo(data_dir: str | Path) -> list[Path]:
    """Remove the generated demo files that are unchanged since generation; never anything else."""
    data_dir = Path(data_dir)
    manifest_path = data_dir / MANIFEST_NAME
    if not manifest_path.exists():
        return []
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    removed = []
    for rel, digest in manifest["berkas"].items():
        path = data_dir / rel
        if path.exists() and _sha256(path) == digest:
            path.unlink()
            removed.append(path)
    for round_date in DEMO_ROUNDS:
        folder = data_dir / "raw" / round_date
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    manifest_path.unlink()
    return removed
