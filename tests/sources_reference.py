"""A small Demak-like reference for the source tests: two producers, four elements owed 2021-2023, and
settings with or without ``[sumber]`` (a CKAN portal, SIPD DSSD exports, e-Walidata JSON)."""

from __future__ import annotations

from pathlib import Path

OPD = """kode_opd,nama_opd,singkatan,jenis,alias
DINKES,Dinas Kesehatan,Dinkes,perangkat daerah,
DISDIK,Dinas Pendidikan,Disdik,perangkat daerah,
"""
KATALOG = """kode_elemen,nama_elemen,satuan,kode_urusan,nama_urusan,kode_opd,tahun_awal,tahun_akhir
1.02.0001,Jumlah puskesmas,Unit,1.02,Kesehatan,DINKES,2021,2023
1.02.0002,Jumlah tenaga kesehatan,Orang,1.02,Kesehatan,DINKES,2021,2023
1.01.0001,Jumlah sekolah dasar,Unit,1.01,Pendidikan,DISDIK,2021,2023
1.01.0002,Jumlah guru sekolah dasar,Orang,1.01,Pendidikan,DISDIK,2021,2023
"""
BASE = """[wilayah]
nama = "Kabupaten Demak"
nama_singkat = "Demak"

[register]
berkas = "opd.csv"

[katalog]
berkas = "katalog.csv"
"""


def sources_settings(url: str = "http://127.0.0.1:9") -> str:
    return BASE + f"""
[sumber.berkas]
jenis = "folder"

[sumber.portal]
jenis = "ckan"
url = "{url}"
organisasi = ["dinas-kesehatan", "dinas-pendidikan"]
baris_per_halaman = 2
jeda_detik = 0
percobaan_ulang = 2

[sumber.sipd]
jenis = "dssd"
berkas = "sipd/*.xlsx"

[sumber.ewalidata]
jenis = "ewalidata"
berkas = "sipd/*.json"
"""


def write_reference(root: Path, settings: str = BASE) -> Path:
    ref = root / "reference"
    ref.mkdir(parents=True, exist_ok=True)
    (ref / "opd.csv").write_text(OPD, encoding="utf-8")
    (ref / "katalog.csv").write_text(KATALOG, encoding="utf-8")
    (ref / "pengaturan.toml").write_text(settings, encoding="utf-8")
    return ref
