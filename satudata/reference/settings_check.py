"""Checking a region's settings before anything runs: every problem at once, in Indonesian, naming the
file and the key.

A threshold that is not a number, a zone colour that is not ``#RRGGBB``, a matching threshold outside
0-100 (500 would make every file "unknown"), an unknown time zone or a level list that is not whole
numbers would otherwise surface later as an English traceback or a silently wrong round.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
ZONE_KEYS = ("hijau", "kuning", "merah")
MIN_MATCH_THRESHOLD = 70  # [pencocokan]: below it fuzzy matching takes names that differ for the same
MAX_INTERVAL_DAYS = 366  # [putaran] selang_hari: rounds at most a year apart (a date past 9999 overflows)

# every section and its keys (None: the keys are the region's own words: column headers, units, source names)
KNOWN_KEYS: dict[str, frozenset[str] | None] = {
    "wilayah": frozenset({"nama", "nama_singkat", "zona_waktu"}),
    "zona": frozenset({"hijau", "kuning", "warna", "label"}),
    "katalog": frozenset({"berkas", "sheet", "kolom", "tingkat_wajib", "tahun_wajib", "jendela_tahun", "periode",
                          "ketat"}),
    "register": frozenset({"berkas", "kolom"}),
    "pencocokan": frozenset({"ambang_elemen", "ambang_opd"}),
    "kualitas": frozenset({"rasio_lonjakan", "skor_z", "selisih_minimum", "digit_disalin", "toleransi_jumlah_persen",
                           "revisi_persen"}),
    "satuan": None,
    "putaran": frozenset({"jadwal", "selang_hari", "batas_kirim"}),
    "kontak": frozenset({"nama", "telepon", "surel"}),
    "laporan": frozenset({"kop", "disusun_oleh"}),
    "keluaran": frozenset({"csv_pemisah"}),
    "batas": None,  # checked with its bounds (_limit_problems)
    "sumber": None,  # one table per source, checked by source_problems
}  # fmt: skip


def _nearest(key: str, known: Any) -> str:
    """`` Mungkin maksudnya <nearest>?`` when a known name is close to ``key`` (rapidfuzz), else empty."""
    from rapidfuzz import fuzz, process

    best = process.extractOne(str(key), list(known), scorer=fuzz.ratio, score_cutoff=60)
    return f" Mungkin maksudnya {best[0]}?" if best else ""


def unknown_problems(raw: dict[str, Any]) -> list[str]:
    """A section or key the tool does not know (a misspelling would otherwise be ignored silently), each named
    with the nearest known one."""
    problems = []
    for name, value in raw.items():
        if name not in KNOWN_KEYS:
            kind = "Bagian" if isinstance(value, dict) else "Kunci"
            problems.append(f"{kind} [{name}] tidak dikenal.{_nearest(name, KNOWN_KEYS)} Bagian yang dikenal: "
                            f"{', '.join(KNOWN_KEYS)}.")  # fmt: skip
            continue
        known = KNOWN_KEYS[name]
        if known is None or not isinstance(value, dict) or name == "laporan":  # [laporan]: _report_problems
            continue
        for key in value:
            if key not in known:
                problems.append(f"[{name}] {key} tidak dikenal.{_nearest(key, known)} Kunci yang dikenal di [{name}]: "
                                f"{', '.join(sorted(known))}.")  # fmt: skip
    return problems


def _is_control(ch: str) -> bool:
    """A character no report, workbook or XML file can hold, or that hides in a name (Unicode ``Cc``, ``Cs``,
    and the non-characters U+FFFE and U+FFFF)."""
    import unicodedata

    return unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff"


def control_problems(raw: Any, where: tuple[str, ...] = ()) -> list[str]:
    """Every text (key or value, at any depth) holding a control character: a region name with one stops the
    workbooks of stage 4 ("All strings must be XML compatible")."""
    problems = []

    def name(path: tuple[str, ...]) -> str:
        return f"[{'.'.join(path[:-1])}] {path[-1]}" if len(path) > 1 else f"[{path[0]}]" if path else "(akar)"

    def check(text: str, path: tuple[str, ...], what: str) -> None:
        bad = [(i, ch) for i, ch in enumerate(text) if _is_control(ch)]
        if bad:
            i, ch = bad[0]
            problems.append(f"{name(path)}: {what} berisi karakter kendali U+{ord(ch):04X} (tak terlihat) di posisi "
                            f"{i + 1}{f' dan {len(bad) - 1} lainnya' if len(bad) > 1 else ''}. Hapus karakter itu "
                            "(ketik ulang teksnya).")  # fmt: skip

    if isinstance(raw, dict):
        for key, value in raw.items():
            path = (*where, str(key))
            check(str(key), path, "nama kunci")
            problems += control_problems(value, path)
    elif isinstance(raw, list):
        for value in raw:
            problems += control_problems(value, where)
    elif isinstance(raw, str):
        check(raw, where, "nilainya")
    return problems


class SettingsError(ValueError):
    """Settings that cannot be used; ``problems`` lists each (key, what to fix)."""

    def __init__(self, problems: list[str], source: Path | None) -> None:
        self.problems = problems
        where = f" {source}" if source else ""
        lines = [f"Berkas pengaturan{where} tidak dapat dipakai: ditemukan {len(problems)} masalah. Perbaiki "
                 "semuanya lalu jalankan lagi."] + [f"  {i}. {p}" for i, p in enumerate(problems, start=1)]  # fmt: skip
        super().__init__("\n".join(lines))

# the kinds of [[sumber]] a round can read (satudata/sources/collect.py)
SOURCE_KINDS = ("folder", "ckan", "ckan_dump", "inventaris", "dssd", "ewalidata")


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
    problems: list[str] = control_problems(raw) + unknown_problems(raw)
    for name in ("wilayah", "zona", "katalog", "register", "pencocokan", "kualitas", "satuan", "sumber", "batas",
                 "laporan"):
        if name in raw and not isinstance(raw[name], dict):
            problems.append(f"{name} harus berupa bagian [{name}], bukan satu nilai.")
    if any(p.endswith("bukan satu nilai.") for p in problems):
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
        value = _number(cocok, key, "pencocokan", problems, 0, 100)
        if value is not None and value < MIN_MATCH_THRESHOLD:
            problems.append(f"[pencocokan] {key} = {value:g} terlalu rendah: di bawah {MIN_MATCH_THRESHOLD} nama yang jauh "
                            "berbeda ikut dianggap sama (\"Jumlah Kapal Selam Nuklir\" menjadi \"Jumlah Hak Sewa\"). "
                            f"Tulis {MIN_MATCH_THRESHOLD}-100; bawaan 85.")  # fmt: skip
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
    interval = raw.get("putaran", {}).get("selang_hari")
    if interval is not None and (isinstance(interval, bool) or not isinstance(interval, int)
                                 or not 1 <= interval <= MAX_INTERVAL_DAYS):  # fmt: skip
        problems.append(f"[putaran] selang_hari = {interval!r} harus bilangan bulat hari 1-{MAX_INTERVAL_DAYS} "
                        "(jarak antarputaran evaluasi, misalnya 14).")  # fmt: skip
    sat = raw.get("satuan", {})
    over = sat.get("persen_boleh_lebih_100")
    if over is not None and (not isinstance(over, list) or not all(isinstance(v, str) for v in over)):
        problems.append("[satuan] persen_boleh_lebih_100 harus daftar teks, misalnya [\"partisipasi kasar\"].")
    problems += source_problems(raw.get("sumber", {}))
    _limit_problems(raw.get("batas", {}), problems)
    return problems


_SOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FILE_KINDS = ("dssd", "ewalidata", "ckan_dump", "inventaris")
_SOURCE_KEYS = {
    "folder": {"jenis"},
    "ckan": {"jenis", "url", "organisasi", "token_env", "baris_per_halaman", "jeda_detik", "percobaan_ulang",
             "batas_waktu_detik", "unduh_berkas", "maks_halaman", "maks_organisasi", "maks_mb_per_jawaban",
             "batas_waktu_total_detik"},
    **{kind: {"jenis", "berkas"} for kind in _FILE_KINDS},
}  # fmt: skip
_SOURCE_RANGES = (("baris_per_halaman", 1, 1000, True), ("jeda_detik", 0, 60, False), ("percobaan_ulang", 0, 10, True),
                  ("batas_waktu_detik", 1, 600, False), ("maks_halaman", 1, 100_000, True),
                  ("maks_organisasi", 1, 100_000, True), ("maks_mb_per_jawaban", 1, 2048, True),
                  ("batas_waktu_total_detik", 10, 86_400, False))  # fmt: skip


def _wild(text: str) -> bool:
    """A pattern part made only of wildcards (``*``, ``**``, ``?``, ``[...]``), nothing written out."""
    return not re.sub(r"\[[^\]]*\]|[*?]", "", text)


def swallows_submissions(pattern: str) -> bool:
    """True when a source's file pattern names neither a folder nor a file name: every folder part is wildcards
    and so is the file name but for its extension (``**/*``, ``*``, ``*.xlsx``, ``**/*.*``), so it takes the OPDs'
    submissions from the ingest."""
    parts = [p for p in pattern.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or not all(_wild(p) for p in parts[:-1]):
        return False
    from satudata.formats.readers import SUPPORTED_SUFFIXES

    stem, dot, suffix = parts[-1].partition(".")
    # ``*.json`` takes no submission (none is JSON); ``*``, ``*.*``, ``*.xlsx``, ``*.xls?`` do
    return _wild(stem) and (not dot or _wild(suffix) or any(
        fnmatch.fnmatch(s.lstrip("."), suffix.lower()) for s in SUPPORTED_SUFFIXES))


def _texts(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def source_problems(sumber: dict[str, Any]) -> list[str]:
    """Every problem of ``[sumber]``: one table ``[sumber.<nama>]`` per source, ``jenis`` one of
    ``folder, ckan, ckan_dump, inventaris, dssd, ewalidata``, and the keys of that kind."""

    problems: list[str] = []
    folders = []
    for name, table in sumber.items():
        where = f"sumber.{name}"
        if not isinstance(table, dict):
            problems.append(f"[sumber] {name} harus berupa bagian [{where}] dengan jenis = \"...\", bukan satu nilai.")
            continue
        if not _SOURCE_NAME.match(str(name)):
            problems.append(f"[{where}]: nama sumber hanya boleh huruf, angka, '_' dan '-' (paling panjang 40), "
                            "karena dipakai sebagai nama folder.")  # fmt: skip
        kind = table.get("jenis")
        if kind not in SOURCE_KINDS:
            problems.append(f"[{where}] jenis = {kind!r} tidak dikenal. Tulis salah satu: {', '.join(SOURCE_KINDS)}.")
            continue
        if kind == "folder":
            folders.append(name)
        for key in sorted(set(table) - _SOURCE_KEYS[kind]):
            problems.append(f"[{where}] {key} tidak dikenal untuk jenis {kind}.{_nearest(key, _SOURCE_KEYS[kind])} (yang dikenal: "
                            f"{', '.join(sorted(_SOURCE_KEYS[kind]))}).")  # fmt: skip
        if kind in _FILE_KINDS:
            files = table.get("berkas")
            if files is None:
                problems.append(f"[{where}] berkas belum diisi: tulis pola berkas di folder putaran, misalnya "
                                "berkas = \"sipd/*.xlsx\".")  # fmt: skip
            elif not _texts(files) or not files:
                problems.append(f"[{where}] berkas = {files!r} harus teks atau daftar teks, misalnya \"sipd/*.xlsx\".")
            else:
                for pattern in [files] if isinstance(files, str) else files:
                    parts = pattern.replace("\\", "/").split("/")
                    if pattern.startswith(("/", "\\")) or ".." in parts or (len(pattern) > 1 and pattern[1] == ":"):
                        problems.append(f"[{where}] berkas = {pattern!r} harus relatif terhadap folder putaran "
                                        "data/raw/<putaran>/, tanpa '/' di depan dan tanpa '..'.")  # fmt: skip
                    elif swallows_submissions(pattern):
                        problems.append(f"[{where}] berkas = {pattern!r} cocok dengan berkas kiriman OPD mana pun di "
                                        "folder putaran: semua kiriman akan dianggap milik sumber ini dan tidak dihitung "
                                        "(setiap OPD 0 %). Tulis pola yang menyebut sub-folder atau nama berkasnya, "
                                        "misalnya \"sipd/*.xlsx\" atau \"dssd-*.xlsx\".")  # fmt: skip
        if kind == "ckan":
            url = table.get("url")
            if not isinstance(url, str) or not re.match(r"^https?://[^/\s]+", url):
                problems.append(f"[{where}] url = {url!r} harus alamat portal CKAN, misalnya "
                                "\"https://data.demakkab.go.id\".")  # fmt: skip
            if "organisasi" in table and not _texts(table["organisasi"]):
                problems.append(f"[{where}] organisasi harus teks atau daftar teks (slug organisasi CKAN), misalnya "
                                "[\"dinas-kesehatan\"].")  # fmt: skip
            env = table.get("token_env")
            if env is not None and (not isinstance(env, str) or not _ENV_NAME.match(env)):
                problems.append(f"[{where}] token_env = {env!r} harus nama variabel lingkungan (mis. "
                                "\"SATUDATA_CKAN_TOKEN\"); tokennya sendiri jangan ditulis di pengaturan.")  # fmt: skip
            for key, low, high, whole in _SOURCE_RANGES:
                value = table.get(key)
                if value is not None and whole and (isinstance(value, bool) or not isinstance(value, int)):
                    problems.append(f"[{where}] {key} = {value!r} harus bilangan bulat {low}-{high}.")
                else:
                    _number(table, key, where, problems, low, high)
            if "unduh_berkas" in table and not isinstance(table["unduh_berkas"], bool):
                problems.append(f"[{where}] unduh_berkas = {table['unduh_berkas']!r} harus true atau false.")
    if len(folders) > 1:
        problems.append(f"[sumber]: hanya boleh satu sumber jenis folder (tertulis {', '.join(folders)}).")
    return problems


# sane bounds of each [batas] key, in the unit written (MB, characters, cells, seconds) and whether it is a whole
# number: below the lower bound no real file can be read, above the upper one the limit no longer limits anything
# (a memory cap of 10^15 bytes is no cap) or the number is no longer what was meant (0.001 cells is 0)
LIMIT_BOUNDS: dict[str, tuple[float, float, bool]] = {
    "ukuran_berkas_mb": (0.01, 10_240, False),
    "ukuran_teks_mb": (0.01, 4_096, False),
    "panjang_isian": (1, 1_073_741_824, True),
    "ukuran_isi_zip_mb": (0.01, 65_536, False),
    "rasio_zip": (1, 10_000, True),
    "sel_per_sheet": (1, 17_179_869_184, True),
    "baris_per_sheet": (1, 1_048_576, True),
    "kolom_per_sheet": (1, 16_384, True),
    "memori_mb": (64, 262_144, False),
    "detik_per_berkas": (0.5, 86_400, False),
}


def _shown(number: float) -> str:
    """A bound the Indonesian way: ``262.144``, ``0,01``."""
    whole, _, decimals = f"{number:,.2f}".rstrip("0").rstrip(".").partition(".")
    return whole.replace(",", ".") + (f",{decimals}" if decimals else "")


def _limit_problems(batas: dict, problems: list[str]) -> None:
    """``[batas]``: known keys only, each a number within :data:`LIMIT_BOUNDS` (a file limit of 0 would refuse
    every file; 0.001 would silently not be applied; a memory limit of 10^15 bytes switches the limit off)."""
    from satudata.formats.read_limits import SETTINGS_KEYS

    for key, value in batas.items():
        if key not in SETTINGS_KEYS:
            problems.append(f"[batas] {key} tidak dikenal.{_nearest(key, SETTINGS_KEYS)} Kunci yang dapat dipakai: "
                            f"{', '.join(SETTINGS_KEYS)}.")  # fmt: skip
        elif isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"[batas] {key} = {value!r} bukan angka. Tulis angka tanpa tanda kutip, misalnya "
                            f"{key} = 100.")  # fmt: skip
        else:
            low, high, whole = LIMIT_BOUNDS[key]
            if not low <= value <= high or (whole and value != int(value)):
                kind = "bilangan bulat " if whole else ""
                problems.append(f"[batas] {key} = {value!r} harus {kind}{_shown(low)}-{_shown(high)}. Hapus kuncinya "
                                "untuk memakai batas bawaan.")  # fmt: skip


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
