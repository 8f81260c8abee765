"""Dataset-level completeness from a real portal inventory: Open Data Jabar's 3,427 datasets against West
Java's catalogue (`daftar-data-jabar.csv`, window 2019-2023), producers through the register, datasets to
elements by title and through a reviewed mapping file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from satudata.reference.catalogue import load_reference
from satudata.reference.settings import load_settings
from satudata.sources.portal import (
    covers,
    load_mapping,
    parse_years,
    portal_completeness,
    read_inventory,
    write_suggestions,
)
from tests.jabar_reference import write_jabar_reference

DATA = Path(__file__).parents[1] / "data" / "realdata"
INVENTORY = DATA / "portal" / "opendata_2908.json"
TANAMAN = "Dinas Tanaman Pangan Dan Hortikultura"
MAPPING = f"""judul_tabel,produsen,kode_elemen
Produksi Ubi Jalar Berdasarkan Kabupaten/Kota di Jawa Barat,{TANAMAN},P35-027
Jumlah Tenaga Patriot Desa Berdasarkan Kabupaten/Kota di Jawa Barat,,-
"""
SLICE = ["P10", "P17", "P18", "P27", "P35"]


@pytest.fixture(scope="module")
def jabar(tmp_path_factory):
    """As tests/integration/test_real_catalogue.py loads it: a register of the catalogue's PENGHASIL DATA values
    (P01.. in name order), the catalogue unchanged, only tahun_wajib set."""
    ref = write_jabar_reference(tmp_path_factory.mktemp("jabar"))
    (ref / "pemetaan-portal.csv").write_text(MAPPING, encoding="utf-8")
    settings = load_settings(ref / "pengaturan.toml")
    register, catalogue = load_reference(ref, settings)
    inventory = read_inventory(INVENTORY)
    plain = portal_completeness(inventory, register, catalogue, settings)
    mapped = portal_completeness(inventory, register, catalogue, settings, load_mapping(ref / "pemetaan-portal.csv"))
    return ref, inventory, plain, mapped


def test_years_of_tahun_data():
    assert parse_years("2019 - 2024") == (2019, 2020, 2021, 2022, 2023, 2024)
    assert parse_years("2020") == (2020,) and parse_years("2014, 2016") == (2014, 2016)
    assert parse_years("") == () and parse_years(None) == ()


def test_a_title_covers_an_element_only_with_all_its_words_and_the_same_negation():
    assert covers(["jumlah", "keluarga", "desa", "berdasarkan", "penggunaan"], ["jumlah", "keluarga", "desa", "berdasrkan"])
    assert not covers(["luas", "areal", "tanam", "kacang", "hijau"], ["luas", "panen", "tanaman", "kacang", "hijau"])
    assert not covers(["jumlah", "pelaku", "usaha", "diawasi", "tidak", "sesuai"], ["jumlah", "pelaku", "usaha", "diawasi",
                                                                          "sesuai"])  # fmt: skip


def test_the_jabar_inventory_reads_every_dataset(jabar):
    _, inventory, _, _ = jabar
    assert len(inventory) == 3427 and inventory["produsen"].nunique() == 38
    first = inventory.iloc[0]
    assert first["produsen"] == "Badan Kepegawaian Daerah" and first["tahun_data"] == "2019 - 2024"
    assert first["baris"] == 2 and first["tahun"] == (2019, 2020, 2021, 2022, 2023, 2024)
    assert first["tautan"].startswith("https://opendata.jabarprov.go.id/id/dataset/jumlah-aparatur-sipil-negara")
    assert inventory["status_data"].value_counts().to_dict() == {"Tetap": 2907, "Sementara": 520}
    # only the four reference tables of region codes state no year (Tahun Data "-")
    assert inventory.loc[inventory["tahun"].map(len) == 0, "baris"].tolist() == [1245, 1246, 1247, 1248]


def test_portal_producers_map_through_the_register(jabar):
    _, _, plain, _ = jabar
    p = plain.produsen.set_index("produsen")
    assert plain.totals()["produsen_dikenal"] == 32 and plain.totals()["dataset_produsen_dikenal"] == 2755
    # written another way: matched fuzzily, listed for review with the score
    assert p.loc["Dinas Kependudukan Dan Pencatatan Sipil", "kode_opd"] == "P16"
    assert p.loc["Dinas Kependudukan Dan Pencatatan Sipil", "metode_opd"] == "mirip"
    assert p.loc[TANAMAN, "kode_opd"] == "P35" and p.loc[TANAMAN, "metode_opd"] == "nama"
    # the register only knows DPMD's abbreviation: its 590 datasets keep no producer (an alias fixes it)
    assert pd.isna(p.loc["Dinas Pemberdayaan Masyarakat Dan Desa", "kode_opd"])
    assert p.loc["Dinas Pemberdayaan Masyarakat Dan Desa", "dataset"] == 590
    assert sorted(p.index[p["kode_opd"].isna()]) == [
        "Badan Penelitian Dan Pengembangan Daerah", "Dinas Pemberdayaan Masyarakat Dan Desa",
        "Dinas Perpustakaan Dan Kearsipan Daerah", "Inspektorat Daerah", "Satuan Polisi Pamong Praja",
        "Sekretariat Daerah"]  # fmt: skip


def _slice(result) -> dict[str, tuple]:
    per = result.per_opd.set_index("kode_opd").loc[SLICE]
    cols = ["dataset", "cocok_judul", "cocok_pemetaan", "elemen_wajib", "elemen_tercakup", "item_wajib",
            "item_tercakup"]  # fmt: skip
    return {k: tuple(int(x) for x in row) for k, row in zip(per.index, per[cols].to_numpy(), strict=True)}


def test_dataset_completeness_per_producer_by_title(jabar):
    _, _, plain, _ = jabar
    assert _slice(plain) == {
        "P10": (0, 0, 0, 79, 14, 395, 61),  # DPMD: its datasets come under the portal's full name
        "P17": (349, 0, 0, 42, 0, 210, 0),  # Dinas Kesehatan: no portal title is one of its catalogue names
        "P18": (293, 8, 0, 39, 3, 195, 15),
        "P27": (244, 9, 0, 138, 5, 690, 25),
        "P35": (301, 8, 0, 87, 7, 435, 26),
    }
    assert plain.totals() == {
        "dataset": 3427, "produsen_portal": 38, "produsen_dikenal": 32, "dataset_produsen_dikenal": 2755,
        "cocok_kode": 0, "cocok_judul": 49, "cocok_pemetaan": 0, "elemen_tercakup": 38, "elemen_wajib": 1909,
        "item_tercakup": 147, "item_wajib": 9444, "saran": 1982}  # fmt: skip
    d = plain.dataset.set_index("baris")
    # a breakdown of an element is that element; the years are those of Tahun Data inside the window
    assert d.loc[3298, ["judul_tabel", "kode_elemen", "metode"]].tolist() == [
        "Produktivitas Padi Sawah Berdasarkan Kabupaten/Kota di Jawa Barat", "P35-111", "judul"]  # fmt: skip
    assert d.loc[3298, "tahun_data"] == "2015 - 2020" and d.loc[3298, "tahun_tercakup"] == (2019, 2020)
    # 'Tidak Sesuai' is not the element 'sesuai'; 'Areal Tanam' is not 'Luas Panen'
    assert pd.isna(d.loc[2574, "kode_elemen"]) and "Tidak Sesuai" in d.loc[2574, "judul_tabel"]
    assert pd.isna(d.loc[3055, "kode_elemen"]) and "Areal Tanam" in d.loc[3055, "judul_tabel"]


def test_the_reviewed_mapping_overrides_titles(jabar, tmp_path):
    _, _, plain, mapped = jabar
    d = mapped.dataset.set_index("baris")
    assert d.loc[3265, ["metode", "kode_elemen"]].tolist() == ["pemetaan", "P35-027"]
    assert d.loc[3265, "tahun_tercakup"] == (2019, 2020, 2021, 2022)
    # '-' says the dataset holds no catalogue element, although its title matched one
    assert plain.dataset.set_index("baris").loc[1846, "kode_elemen"] == "P10-081"
    assert d.loc[1846, "metode"] == "pemetaan" and pd.isna(d.loc[1846, "kode_elemen"])
    s = _slice(mapped)
    assert s["P35"] == (301, 8, 1, 87, 8, 435, 30) and s["P10"] == (0, 0, 0, 79, 14, 395, 60)
    assert mapped.totals()["cocok_pemetaan"] == 2 and mapped.totals()["item_tercakup"] == 150
    # suggestions: the best element of each unmatched title, for review, in the mapping file's columns
    path = write_suggestions(mapped, tmp_path / "saran-pemetaan-portal.csv")
    saran = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert saran.columns.tolist() == ["judul_tabel", "produsen", "kode_elemen", "saran_kode_elemen",
                                      "saran_nama_elemen", "skor"]  # fmt: skip
    assert len(saran) == 1981 and (saran["kode_elemen"] == "").all()
    # best first: the title kept from its element by the negation is the first to review
    top = saran.iloc[0]
    assert top["judul_tabel"].startswith("Jumlah Pelaku Usaha yang Diawasi Tidak Sesuai")
    assert top["saran_kode_elemen"] == "P30-015" and top["skor"] == "95,77"  # cut, never rounded
