"""A small synthetic round written in the processed-file contract (docs/architecture.md).

Six producers, two rounds in the history. Known results of the current round 2020-08-27:

| kode | nama | wajib | terpenuhi | persen | zona | before | arah |
|---|---|---|---|---|---|---|---|
| O1 | Dinas Kesehatan | 10 | 10 | 100.0 | hijau | 80.0 kuning | naik |
| O2 | Dinas Pendidikan dan Kebudayaan | 20 | 18 | 90.0 | hijau | 85.0 kuning | naik |
| O3 | Dinas <script>alert(1)</script> & Co | 2000 | 1799 | 89.95 | kuning (shown 89,9) | 40.0 merah | naik |
| O4 | Bappeda | 10 | 5 | 50.0 | kuning | 92.0 hijau | turun |
| O5 | Kecamatan Demak | 10 | 1 | 10.0 | merah | 10.0 merah | tetap |
| O6 | Dinas Pariwisata | 0 | 0 | NaN | none | NaN | none |
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from satudata.evaluation.zones import zone_direction, zone_series
from satudata.reference.settings import Settings

ROUND = "2020-08-27"
PREVIOUS = "2020-08-13"
SCRIPT_NAME = "Dinas <script>alert(1)</script> & Co"
YEARS = [2015, 2016, 2017, 2018, 2019]
URUSAN = [("1.01", "Pendidikan"), ("1.02", "Kesehatan"), ("2.01", "Perencanaan & <Pembangunan>")]
# kode, nama, singkatan, jenis, elements owed (5 years each), items fulfilled
PRODUCERS = [
    ("O1", "Dinas Kesehatan", "Dinkes", "dinas", 2, 10),
    ("O2", "Dinas Pendidikan dan Kebudayaan", "Dindikbud", "dinas", 4, 18),
    ("O3", SCRIPT_NAME, "Script", "dinas", 400, 1799),
    ("O4", "Bappeda", "Bappeda", "badan", 2, 5),
    ("O5", "Kecamatan Demak", "Kec. Demak", "kecamatan", 2, 1),
    ("O6", "Dinas Pariwisata", "Dinpar", "dinas", 0, 0),
]
PREVIOUS_PERCENT = {"O1": 80.0, "O2": 85.0, "O3": 40.0, "O4": 92.0, "O5": 10.0, "O6": np.nan}
EXPECTED = {  # kode: (persen shown, zona)
    "O1": ("100,0", "hijau"),
    "O2": ("90,0", "hijau"),
    "O3": ("89,9", "kuning"),
    "O4": ("50,0", "kuning"),
    "O5": ("10,0", "merah"),
}
SETTINGS_TOML = """
[wilayah]
nama = "Kabupaten Contoh & <Uji>"
nama_singkat = "Contoh"
zona_waktu = "Asia/Jakarta"

[zona]
hijau = 90
kuning = 50
"""


def items() -> pd.DataFrame:
    """Catalogue items: one row per OPD, element and year owed."""
    rows = []
    for kode, _nama, _s, _j, n_elements, _done in PRODUCERS:
        for e in range(n_elements):
            ku, nu = URUSAN[e % len(URUSAN)]
            for year in YEARS:
                rows.append({
                    "kode_opd": kode, "kode_elemen": f"{kode}.E{e:03d}",
                    "nama_elemen": "Jumlah <b>puskesmas</b> & pustu" if e == 0 else f"Elemen {kode} nomor {e}",
                    "satuan": "unit", "kode_urusan": ku, "nama_urusan": nu, "tahun": year,
                })
    return pd.DataFrame(rows)


def progres(settings: Settings) -> pd.DataFrame:
    frame = pd.DataFrame(
        [{"putaran": ROUND, "kode_opd": k, "nama_opd": n, "singkatan": s, "jenis": j, "wajib": e * 5,
          "terpenuhi": d} for k, n, s, j, e, d in PRODUCERS]
    )
    frame["wajib"] = frame["wajib"].astype("int64")
    frame["terpenuhi"] = frame["terpenuhi"].astype("int64")
    frame["persen"] = np.where(frame["wajib"] > 0, frame["terpenuhi"] / frame["wajib"].replace(0, 1) * 100, np.nan)
    frame["zona"] = zone_series(frame["persen"], settings.zones)
    frame["persen_sebelumnya"] = frame["kode_opd"].map(PREVIOUS_PERCENT).astype("float64")
    frame["selisih"] = frame["persen"] - frame["persen_sebelumnya"]
    frame["zona_sebelumnya"] = zone_series(frame["persen_sebelumnya"], settings.zones)
    frame["arah_zona"] = zone_direction(frame["zona_sebelumnya"], frame["zona"])
    return frame


def write_round(data_dir: Path) -> Path:
    """Write reference + processed files of the synthetic round; returns ``data_dir``."""
    settings = Settings()
    reference = data_dir / "reference"
    reference.mkdir(parents=True, exist_ok=True)
    (reference / "pengaturan.toml").write_text(SETTINGS_TOML, encoding="utf-8")
    pd.DataFrame(
        [{"kode_opd": k, "nama_opd": n, "singkatan": s, "jenis": j, "alias": ""} for k, n, s, j, _e, _d in PRODUCERS]
    ).to_csv(reference / "opd.csv", index=False)
    it = items()
    catalogue = it.drop_duplicates("kode_elemen")[
        ["kode_elemen", "nama_elemen", "satuan", "kode_urusan", "nama_urusan", "kode_opd"]].copy()
    catalogue["tahun_awal"], catalogue["tahun_akhir"] = YEARS[0], YEARS[-1]
    catalogue.to_csv(reference / "katalog.csv", index=False)

    folder = data_dir / "processed" / ROUND
    folder.mkdir(parents=True, exist_ok=True)
    current = progres(settings)
    current.to_parquet(folder / "progres_opd.parquet", index=False)
    before = current.copy()
    before["putaran"] = PREVIOUS
    before["persen"] = before["persen_sebelumnya"]
    before["terpenuhi"] = (before["persen"].fillna(0) * before["wajib"] / 100).round().astype("int64")
    before["zona"] = before["zona_sebelumnya"]
    for col in ("persen_sebelumnya", "selisih", "zona_sebelumnya", "arah_zona"):
        before[col] = pd.NA if col in ("zona_sebelumnya", "arah_zona") else np.nan
    pd.concat([before, current], ignore_index=True).to_parquet(
        data_dir / "processed" / "riwayat_progres_opd.parquet", index=False)

    # missing items: the items after the first `done` of each OPD
    missing = []
    for kode, nama, _s, _j, _e, done in PRODUCERS:
        own = it[it["kode_opd"] == kode].sort_values(["kode_elemen", "tahun"])
        part = own.iloc[done:].copy()
        part["nama_opd"] = nama
        missing.append(part)
    kekurangan = pd.concat(missing, ignore_index=True)
    kekurangan.insert(0, "putaran", ROUND)
    kekurangan = kekurangan[["putaran", "kode_opd", "nama_opd", "kode_elemen", "nama_elemen", "satuan",
                             "kode_urusan", "nama_urusan", "tahun"]]
    kekurangan.to_parquet(folder / "kekurangan.parquet", index=False)

    # per urusan as stage 2 writes it: OPDs owing items in it, items owed and fulfilled, percent, zone
    owed = it.groupby(["kode_urusan", "nama_urusan"]).agg(jumlah_opd=("kode_opd", "nunique"),
                                                          wajib=("kode_elemen", "size"))
    short = kekurangan.groupby(["kode_urusan", "nama_urusan"]).size()
    by_urusan = owed.assign(terpenuhi=owed["wajib"] - short.reindex(owed.index).fillna(0).astype("int64"))
    by_urusan = by_urusan.reset_index()
    by_urusan["persen"] = by_urusan["terpenuhi"] / by_urusan["wajib"] * 100
    by_urusan["zona"] = zone_series(by_urusan["persen"], settings.zones)
    by_urusan.insert(0, "putaran", ROUND)
    by_urusan.to_parquet(folder / "progres_urusan.parquet", index=False)
    by_jenis = current.groupby("jenis")[["wajib", "terpenuhi"]].sum().reset_index()
    by_jenis.insert(0, "putaran", ROUND)
    by_jenis.to_parquet(folder / "progres_jenis.parquet", index=False)
    (folder / "ringkasan.json").write_text(json.dumps({"putaran": ROUND}), encoding="utf-8")

    masalah = pd.DataFrame([
        {"kode_opd": "O1", "tingkat": "galat", "kode_masalah": "angka_tidak_terbaca",
         "pesan": "Sel C5 berisi 'abc': tulis angka."},
        {"kode_opd": "O1", "tingkat": "peringatan", "kode_masalah": "semua_nihil", "pesan": "Baris 7 semua '-'."},
        {"kode_opd": "O3", "tingkat": "info", "kode_masalah": "cocok_fuzzy",
         "pesan": "'Jml <i>puskesmas</i>' dicocokkan dengan 'Jumlah puskesmas' (skor 91)."},
        {"kode_opd": "O3", "tingkat": "peringatan", "kode_masalah": "cocok_fuzzy",
         "pesan": "'Jml pustu' dicocokkan dengan 'Jumlah pustu' (skor 87)."},
        {"kode_opd": None, "tingkat": "galat", "kode_masalah": "opd_tidak_dikenal",
         "pesan": "Berkas tanpa_nama.xlsx: OPD tidak dikenali; tulis nama OPD di nama berkas."},
    ])
    masalah.insert(0, "putaran", ROUND)
    masalah["sumber_file"] = ["dinkes.xlsx", "dinkes.xlsx", "script.xlsx", "script.xlsx", "tanpa_nama.xlsx"]
    masalah["sumber_sheet"] = ["Data", "Data", "Lembar1", "Lembar1", None]
    masalah["sumber_baris"] = pd.array([5, 7, 12, 13, None], dtype="Int64")
    masalah["sumber_kolom"] = ["C", None, "A", "A", None]
    masalah.to_parquet(folder / "masalah.parquet", index=False)

    nilai = pd.DataFrame([
        {"putaran": ROUND, "kode_opd": "O1", "kode_elemen": "O1.E000", "nama_elemen": "Jumlah puskesmas",
         "nama_elemen_asli": "Jumlah puskesmas", "satuan_asli": "unit", "tahun": 2015, "nilai": 27.0,
         "status": "ada", "teks_asli": "27", "dihitung": True, "metode_cocok": "kode", "skor_cocok": 100.0,
         "sumber_file": "dinkes.xlsx", "sumber_sheet": "Data", "sumber_baris": 4, "sumber_kolom": "C"},
    ])
    nilai.to_parquet(folder / "nilai.parquet", index=False)
    manifest = {
        "putaran": ROUND,
        "waktu": "2020-08-27T10:00:00+07:00",
        "versi": "0.1.0",
        "katalog": {"berkas": "katalog.csv", "sha256": "ab" * 32},
        "berkas": [
            {"nama": "dinkes.xlsx", "ukuran": 12345, "sha256": "cd" * 32, "kode_opd": "O1",
             "baris": {"dibaca": 20, "data": 15, "struktur": {"judul": 2, "kepala": 2}, "ditolak": 1}},
            {"nama": "script.xlsx", "ukuran": 2048, "sha256": "ef" * 32, "kode_opd": "O3",
             "baris": {"dibaca": 10, "data": 8, "struktur": {"judul": 1, "catatan": 1}, "ditolak": 0}},
        ],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return data_dir
