"""Checking a region's settings before anything runs: every problem at once, in Indonesian, naming the
file and the key.

A threshold that is not a number, a zone colour that is not ``#RRGGBB``, a matching threshold outside
0-100 (500 would make every file "unknown"), an unknown time zone or a level list that is not whole
numbers would otherwise surface later as an English traceback or a silently wrong round.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
ZONE_KEYS = ("hijau", "kuning", "merah")


class SettingsError(ValueError):
    """Settings that cannot be used; ``problems`` lists each (key, what to fix)."""

    def __init__(self, problems: list[str], source: Path | None) -> None:
        self.problems = problems
        where = f" {source}" if source else ""
        lines = [f"Berkas pengaturan{where} tidak dapat dipakai: ditemukan {len(problems)} masalah. Perbaiki "
                 "semuanya lalu jalankan lagi."] + [f"  {i}. {p}" for i, p in enumerate(problems, start=1)]  # fmt: skip
        super().__init__("\n".join(lines))


def _number(section: dict, key: str, where: str, problems: list[str], low: float | None = None,
            high: float | None = None) -> float | None:  # fmt: skip
    if key not in section:
        return None
    value = section[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"[{where}] {key} = {value!r} bukan angka. Tulis angka tanpa tanda kutip, misalnya {key} = 90.")
        return None
    if (low is not None and value < low) or (high is not None and value > high):
        problems.append(f"[{where}] {key} = {value} di luar rentang {low:g}-{high:g}.")
        return None
    return float(value)


def settings_problems(raw: dict[str, Any]) -> list[str]:
    """Every problem of a settings structure (the parsed TOML), each naming its key."""
    problems: list[str] = []
    for name in ("wilayah", "zona", "katalog", "register", "pencocokan", "kualitas", "satuan", "laporan"):
        if name in raw and not isinstance(raw[name], dict):
            problems.append(f"{name} harus berupa bagian [{name}], bukan satu nilai.")
    if problems:
        return problems
    zona = raw.get("zona", {})
    hijau = _number(zona, "hijau", "zona", problems, 0, 100)
    kuning = _number(zona, "kuning", "zona", problems, 0, 100)
    if hijau is not None and kuning is not None and not kuning < hijau:
        problems.append(f"[zona] kuning ({kuning:g}) harus lebih kecil dari hijau ({hijau:g}).")
    for key, value in dict(zona.get("warna", {})).items():
        if key not in ZONE_KEYS:
            problems.append(f"[zona.warna] {key} bukan nama zona (hijau, kuning, merah).")
        elif not isinstance(value, str) or not _COLOUR.match(value):
            problems.append(f"[zona.warna] {key} = {value!r} bukan warna. Tulis kode warna seperti \"#1B7F5F\".")
    for key in dict(zona.get("label", {})):
        if key not in ZONE_KEYS:
            problems.append(f"[zona.label] {key} bukan nama zona (hijau, kuning, merah).")
    cocok = raw.get("pencocokan", {})
    for key in ("ambang_elemen", "ambang_opd"):
        _number(cocok, key, "pencocokan", problems, 0, 100)
    zone = raw.get("wilayah", {}).get("zona_waktu")
    if zone is not None:
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"[wilayah] zona_waktu = {zone!r} tidak dikenal. Tulis misalnya \"Asia/Jakarta\" (WIB), "
                            "\"Asia/Makassar\" (WITA) atau \"Asia/Jayapura\" (WIT).")  # fmt: skip
    kat = raw.get("katalog", {})
    levels = kat.get("tingkat_wajib")
    if levels is not None and (not isinstance(levels, list) or not all(isinstance(v, int) for v in levels)):
        problems.append(f"[katalog] tingkat_wajib = {levels!r} harus daftar bilangan bulat, misalnya [1] atau [1, 2].")
    if "ketat" in kat and not isinstance(kat["ketat"], bool):
        problems.append(f"[katalog] ketat = {kat['ketat']!r} harus true atau false.")
    kual = raw.get("kualitas", {})
    for key, low, high in (("rasio_lonjakan", 1, 1000), ("skor_z", 0, 100), ("selisih_minimum", 0, 1e12),
                           ("digit_disalin", 1, 20), ("toleransi_jumlah_persen", 0, 100), ("revisi_persen", 0, 1000)):
        _number(kual, key, "kualitas", problems, low, high)
    problems += _report_problems(raw.get("laporan", {}))
    sat = raw.get("satuan", {})
    over = sat.get("persen_boleh_lebih_100")
    if over is not None and (not isinstance(over, list) or not all(isinstance(v, str) for v in over)):
        problems.append("[satuan] persen_boleh_lebih_100 harus daftar teks, misalnya [\"partisipasi kasar\"].")
    return problems


def _report_problems(laporan: dict[str, Any]) -> list[str]:
    """``[laporan]``: ``kop`` is a text or a list of texts (lines), ``disusun_oleh`` a text."""
    problems = []
    kop = laporan.get("kop")
    if kop is not None and not (isinstance(kop, str) or (isinstance(kop, list) and all(isinstance(v, str) for v in kop))):
        problems.append(f"[laporan] kop = {kop!r} harus teks atau daftar baris teks, misalnya "
                        "[\"PEMERINTAH KABUPATEN DEMAK\", \"DINAS KOMUNIKASI DAN INFORMATIKA\"].")
    elif isinstance(kop, list) and len(kop) > 6:
        problems.append(f"[laporan] kop berisi {len(kop)} baris; paling banyak 6 baris.")
    disusun = laporan.get("disusun_oleh")
    if disusun is not None and not isinstance(disusun, str):
        problems.append(f"[laporan] disusun_oleh = {disusun!r} harus teks, misalnya \"Bidang Statistik Diskominfo\".")
    for key in laporan:
        if key not in ("kop", "disusun_oleh"):
            problems.append(f"[laporan] {key} tidak dikenal (yang dikenal: kop, disusun_oleh).")
    return problems
