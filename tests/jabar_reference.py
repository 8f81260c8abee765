"""West Java's real catalogue as tests load it: the file unchanged, a register of its `PENGHASIL DATA` values
(P01.. in name order), and settings that only set the evaluation window."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

JABAR = Path(__file__).parent / "data" / "realdata" / "corpus" / "files" / "daftar-data-jabar.csv"
SETTINGS = """[wilayah]
nama = "Provinsi Jawa Barat"
nama_singkat = "Jawa Barat"

[register]
berkas = "opd.csv"

[katalog]
berkas = "daftar-data-jabar.csv"
tahun_wajib = "2019-2023"
"""


def write_jabar_reference(root: Path) -> Path:
    """Write ``root/reference`` (catalogue, register, settings); returns that folder."""
    ref = root / "reference"
    ref.mkdir(parents=True)
    shutil.copy(JABAR, ref / JABAR.name)
    names = sorted(pd.read_csv(JABAR, dtype=str, encoding="utf-8-sig")["PENGHASIL DATA"].dropna().str.strip().unique())
    pd.DataFrame({"kode_opd": [f"P{i + 1:02d}" for i in range(len(names))], "nama_opd": names, "singkatan": "",
                  "jenis": "perangkat daerah", "alias": ""}).to_csv(ref / "opd.csv", index=False)  # fmt: skip
    (ref / "pengaturan.toml").write_text(SETTINGS, encoding="utf-8")
    return ref
