"""Small tables that the stage notebooks show (file accounting, issue counts)."""

from __future__ import annotations

import pandas as pd


def file_accounting(manifest: dict) -> pd.DataFrame:
    """One row per input file: size, producer, and its row accounting (read = data + structural + rejected)."""
    rows = []
    for entry in manifest.get("berkas", []):
        baris = entry.get("baris", {})
        struktur = baris.get("struktur", {})
        row = {
            "berkas": entry.get("berkas"),
            "kode_opd": entry.get("kode_opd"),
            "ukuran": entry.get("ukuran"),
            "dibaca": baris.get("dibaca"),
            "data": baris.get("data"),
            "struktur": sum(struktur.values()) if isinstance(struktur, dict) else struktur,
            "ditolak": baris.get("ditolak"),
        }
        row["seimbang"] = row["dibaca"] == (row["data"] or 0) + (row["struktur"] or 0) + (row["ditolak"] or 0)
        rows.append(row)
    return pd.DataFrame(rows)


def issue_counts(masalah: pd.DataFrame) -> pd.DataFrame:
    """Issues counted by level and code."""
    if masalah.empty:
        return pd.DataFrame(columns=["tingkat", "kode_masalah", "jumlah"])
    return (
        masalah.groupby(["tingkat", "kode_masalah"], dropna=False)
        .size()
        .rename("jumlah")
        .reset_index()
        .sort_values(["tingkat", "jumlah"], ascending=[True, False])
        .reset_index(drop=True)
    )
