"""A generated region with many producers (its desa as data producers): register, catalogue, settings and the CSV
files of each round. Used by ``benchmarks/bench_scale.py`` (any size) and the end-to-end test of a 1,000-producer
register under a memory cap (``tests/end_to_end/test_scale_memory_cap.py``)."""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

URUSAN = [("1.01", "Pendidikan"), ("1.02", "Kesehatan"), ("1.03", "Pekerjaan Umum"), ("2.07", "Kependudukan"),
          ("2.09", "Ketahanan Pangan"), ("2.13", "Pemberdayaan Masyarakat Desa"), ("3.25", "Pertanian"),
          ("3.27", "Perdagangan")]  # fmt: skip


@dataclass(frozen=True)
class Producer:
    kode_opd: str
    nama_opd: str
    singkatan: str
    jenis: str
    elements: int


def producers(desa: int, elemen_desa: int, opd: int, elemen_opd: int) -> list[Producer]:
    out = [Producer(f"DS{i:04d}", f"Desa Nomor {i:04d}", f"DS{i:04d}", "desa", elemen_desa) for i in range(1, desa + 1)]
    out += [Producer(f"OPD{i:03d}", f"Dinas Nomor {i:03d}", f"DN{i:03d}", "dinas", elemen_opd) for i in range(1, opd + 1)]
    return out


def element_code(p: Producer, k: int) -> str:
    return f"{p.kode_opd}.{k:04d}"


def element_name(p: Producer, k: int) -> str:
    # every desa owes the same list (as desa do); each OPD its own
    return f"Indikator desa {k:04d}" if p.jenis == "desa" else f"Indikator {p.singkatan} {k:04d}"


def write_reference(folder: Path, people: list[Producer], years: list[int]) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "opd.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["kode_opd", "nama_opd", "singkatan", "jenis", "alias"])
        for p in people:
            w.writerow([p.kode_opd, p.nama_opd, p.singkatan, p.jenis, ""])
    rows = 0
    with (folder / "katalog.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["kode_elemen", "nama_elemen", "satuan", "kode_urusan", "nama_urusan", "kode_opd", "tahun_awal",
                    "tahun_akhir"])  # fmt: skip
        for p in people:
            for k in range(1, p.elements + 1):
                kode_urusan, nama_urusan = URUSAN[k % len(URUSAN)]
                w.writerow([element_code(p, k), element_name(p, k), "Unit", kode_urusan, nama_urusan, p.kode_opd,
                            years[0], years[-1]])  # fmt: skip
                rows += 1
    example = ROOT / "satudata" / "reference" / "pengaturan-contoh.toml"
    (folder / "pengaturan.toml").write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    return rows


def write_round(raw: Path, number: int, people: list[Producer], years: list[int], rows_per_file: int,
                senders: float, share: float, rng: random.Random) -> tuple[int, int]:  # fmt: skip
    """One round's files: a share of the producers send, each a share of its elements (more each round). Returns
    (files, values)."""
    raw.mkdir(parents=True, exist_ok=True)
    files = values = 0
    for p in people:
        if rng.random() >= senders:
            continue
        sent = [k for k in range(1, p.elements + 1) if rng.random() < min(1.0, share * number)]
        for part in range(math.ceil(len(sent) / rows_per_file)):
            chunk = sent[part * rows_per_file : (part + 1) * rows_per_file]
            name = f"{p.singkatan}_bagian{part + 1}" + (f"_rev{number}" if number > 1 else "") + ".csv"
            with (raw / name).open("w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, lineterminator="\r\n")
                w.writerow(["Kode Elemen", "Uraian", "Satuan", *years])
                for k in chunk:
                    w.writerow([element_code(p, k), element_name(p, k), "Unit",
                                *(str(rng.randint(1, 5000)) for _ in years)])  # fmt: skip
                    values += len(years)
            files += 1
    return files, values
