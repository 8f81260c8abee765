"""The EPSS reference: the 38 indicators of Peraturan BPS Nomor 3 Tahun 2022 by their codes, what the tool can
show for each, and the meaning of the five maturity levels (``epss/indikator.csv``, ``epss/tingkat.csv``; their
sources in ``epss/README.md``). A region overrides either with ``DATA_DIR/reference/epss-indikator.csv`` or
``epss-tingkat.csv`` (same columns): to correct a name, record its policy document (``dokumen_kebijakan``,
needed for level 3 and above) or its document of improvement (``dokumen_perbaikan``, needed for level 5).

The level an indicator's evidence supports follows the regulation's meaning of the levels, never a percent:
1 no evidence; 2 administrative documents of the process (the tool's dated outputs); 3 a policy document
(the region's); 4 documents of review and evaluation made regularly (the tool's dated reports of two rounds
or more, beside the policy); 5 documents of improvement after review (the region's, beside level 4).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).parent / "epss"
INDICATOR_FILE, LEVEL_FILE = "epss-indikator.csv", "epss-tingkat.csv"
INDICATOR_COLUMNS = ("kode", "domain", "nama_domain", "aspek", "nama_aspek", "nama_indikator", "bukti_alat",
                     "dokumen_kebijakan", "dokumen_perbaikan")  # fmt: skip
LEVEL_COLUMNS = ("tingkat", "nama", "makna", "bukti")

# evidence key -> (what the tool writes, as the workbook says it; True when it is made again every round, so
# that two rounds or more are a regular review and evaluation)
EVIDENCE = {
    "katalog": ("Katalog elemen data wajib dengan satuan, definisi dan kode elemennya; kualitas katalog di "
                "lampiran teknis", False),
    "kiriman": ("Daftar berkas kiriman OPD setiap putaran dengan ukuran dan sidik SHA-256 (lembar Sumber, "
                "lampiran teknis)", True),
    "pemeriksaan": ("Pemeriksaan setiap nilai: kewajaran, jumlah terhadap rinciannya, perhitungan baris dan sel "
                    "(lampiran teknis)", True),
    "kelengkapan": ("Kelengkapan butir wajib per OPD dan zona setiap putaran (laporan evaluasi bertanggal)", True),
    "ketepatan_waktu": ("Ketepatan waktu kiriman per OPD (skor kualitas di lampiran teknis)", True),
    "unduhan": ("Tabel progres per OPD dan butir yang masih kurang dalam xlsx dan CSV (folder unduh)", True),
    "sipd": ("Ekspor DSSD per OPD untuk diunggah ke SIPD (folder sipd)", True),
    "evaluasi": ("Laporan evaluasi bertanggal, halaman tren antarputaran dan salindia rakor setiap putaran", True),
    "umpan_balik": ("Buku kerja umpan balik per OPD dan rekap walidata setiap putaran", True),
}


class EpssReferenceError(ValueError):
    """An EPSS reference file that cannot be used; the message is Indonesian and names the file and row."""


@dataclass(frozen=True)
class EpssIndicator:
    kode: str
    domain: str
    nama_domain: str
    aspek: str
    nama_aspek: str
    nama: str
    bukti: tuple[str, ...]
    dokumen_kebijakan: str
    dokumen_perbaikan: str


@dataclass(frozen=True)
class EpssLevel:
    tingkat: int
    nama: str
    makna: str
    bukti: str


@dataclass(frozen=True)
class EpssReference:
    indicators: tuple[EpssIndicator, ...]
    levels: dict[int, EpssLevel]
    sources: tuple[str, str]  # the indicator and level files read (their names)

    def level_name(self, level: int | None) -> str:
        return self.levels[level].nama if level in self.levels else "–"


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;") if text.strip() else csv.excel
    rows = list(csv.DictReader(text.splitlines(), dialect=dialect))
    header = [h.strip() for h in (rows[0].keys() if rows else [])]
    missing = [c for c in columns if c not in header and c not in ("dokumen_kebijakan", "dokumen_perbaikan")]
    if missing:
        raise EpssReferenceError(f"{path.name}: kolom {', '.join(missing)} tidak ada (kolom yang dibutuhkan: "
                                 f"{', '.join(columns)}).")  # fmt: skip
    return [{(k or "").strip(): (v or "").strip() for k, v in r.items()} for r in rows]


def _source(reference_dir: Path | None, name: str, default: str) -> Path:
    if reference_dir is not None and (Path(reference_dir) / name).is_file():
        return Path(reference_dir) / name
    return PACKAGE_DIR / default


def load_epss_reference(reference_dir: str | Path | None = None) -> EpssReference:
    """The indicators and levels: the region's copies in ``reference_dir`` when present, else the package's.
    Every problem of a file is reported at once (:class:`EpssReferenceError`)."""
    ref = Path(reference_dir) if reference_dir is not None else None
    ind_path, lvl_path = _source(ref, INDICATOR_FILE, "indikator.csv"), _source(ref, LEVEL_FILE, "tingkat.csv")
    problems: list[str] = []
    levels: dict[int, EpssLevel] = {}
    for i, r in enumerate(_rows(lvl_path, LEVEL_COLUMNS), start=2):
        if not r["tingkat"].isdigit() or not 1 <= int(r["tingkat"]) <= 5:
            problems.append(f"{lvl_path.name} baris {i}: tingkat '{r['tingkat']}' bukan angka 1-5.")
            continue
        levels[int(r["tingkat"])] = EpssLevel(int(r["tingkat"]), r["nama"], r["makna"], r["bukti"])
    if sorted(levels) != [1, 2, 3, 4, 5] and not problems:
        problems.append(f"{lvl_path.name}: tingkat 1 sampai 5 harus ada semuanya, masing-masing sekali.")
    indicators, seen = [], set()
    for i, r in enumerate(_rows(ind_path, INDICATOR_COLUMNS), start=2):
        kode = r["kode"]
        keys = tuple(k.strip() for k in r.get("bukti_alat", "").split(";") if k.strip())
        unknown = [k for k in keys if k not in EVIDENCE]
        if not (len(kode) == 5 and kode.isdigit()):
            problems.append(f"{ind_path.name} baris {i}: kode '{kode}' bukan lima angka (contoh 10101).")
        elif kode[0] != r["domain"] or kode[:3] != r["aspek"]:
            problems.append(f"{ind_path.name} baris {i}: kode {kode} tidak cocok dengan domain '{r['domain']}' "
                            f"dan aspek '{r['aspek']}' (kode = domain, aspek, nomor indikator).")  # fmt: skip
        elif kode in seen:
            problems.append(f"{ind_path.name} baris {i}: kode {kode} tertulis dua kali.")
        if unknown:
            problems.append(f"{ind_path.name} baris {i}: bukti_alat {', '.join(unknown)} tidak dikenal "
                            f"(pilih dari {', '.join(EVIDENCE)}).")  # fmt: skip
        seen.add(kode)
        indicators.append(EpssIndicator(kode, r["domain"], r["nama_domain"], r["aspek"], r["nama_aspek"],
                                        r["nama_indikator"], keys, r.get("dokumen_kebijakan", ""),
                                        r.get("dokumen_perbaikan", "")))  # fmt: skip
    if problems:
        raise EpssReferenceError("Berkas indikator EPSS tidak dapat dipakai:\n- " + "\n- ".join(problems))
    return EpssReference(tuple(indicators), levels, (ind_path.name, lvl_path.name))


def supported_level(indicator: EpssIndicator, rounds: int) -> tuple[int, str]:
    """The level the evidence supports and why, by the regulation's meaning of the levels (module docstring):
    ``rounds`` is the number of rounds evaluated with dated outputs up to this one."""
    if not indicator.bukti:
        return 1, "Alat ini tidak memiliki bukti untuk indikator ini; bukti dukung harus dari dokumen instansi."
    if not indicator.dokumen_kebijakan:
        return 2, ("Dokumen administrasi dari alat ini ada; tingkat 3 membutuhkan dokumen kebijakan (isi kolom "
                   "dokumen_kebijakan di epss-indikator.csv wilayah).")  # fmt: skip
    regular = any(EVIDENCE[k][1] for k in indicator.bukti)
    if not regular or rounds < 2:
        why = ("buktinya tidak dibuat berkala" if not regular
               else "baru ada satu putaran evaluasi; reviu dan evaluasi berkala terlihat mulai putaran kedua")
        return 3, f"Dokumen kebijakan ({indicator.dokumen_kebijakan}) dan dokumen administrasi ada; tingkat 4: {why}."
    if not indicator.dokumen_perbaikan:
        return 4, (f"Dokumen kebijakan ({indicator.dokumen_kebijakan}) dan laporan evaluasi bertanggal dari "
                   f"{rounds} putaran (reviu dan evaluasi berkala) ada; tingkat 5 membutuhkan dokumen perbaikan "
                   "proses (kolom dokumen_perbaikan).")  # fmt: skip
    return 5, (f"Dokumen kebijakan ({indicator.dokumen_kebijakan}), evaluasi berkala {rounds} putaran dan dokumen "
               f"perbaikan ({indicator.dokumen_perbaikan}) ada.")  # fmt: skip
