"""Progress per urusan: items owed and fulfilled per OPD and urusan, the OPD x urusan heatmap (or a table
per urusan when the grid is mostly empty) and the per-urusan table of the report."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from satudata.common import fmt
from satudata.evaluation.zones import zone_of
from satudata.outputs.html_parts import paragraph, render_parts, table_part
from satudata.outputs.round_view import sort_progres
from satudata.outputs.zone_view import zone_cell, zone_label
from satudata.reference.settings import Settings


def progress_by_opd_urusan(items: pd.DataFrame, kekurangan: pd.DataFrame) -> pd.DataFrame:
    """Items owed and fulfilled per OPD and urusan, from the catalogue items and the missing items.

    ``items``: ``kode_opd, kode_elemen, tahun, kode_urusan, nama_urusan`` (one row per item owed);
    ``kekurangan``: the missing items of the round. Returns ``kode_opd, kode_urusan, nama_urusan,
    wajib, terpenuhi, persen`` sorted by OPD and urusan.
    """
    keys = ["kode_opd", "kode_elemen", "tahun"]
    owed = items[keys + ["kode_urusan", "nama_urusan"]].drop_duplicates(keys).copy()
    owed["tahun"] = pd.to_numeric(owed["tahun"]).astype("int64")
    missing = kekurangan[keys].drop_duplicates().copy()
    missing["tahun"] = pd.to_numeric(missing["tahun"]).astype("int64")
    missing["_kurang"] = 1
    merged = owed.merge(missing, on=keys, how="left")
    merged["_kurang"] = merged["_kurang"].fillna(0)
    out = (merged.groupby(["kode_opd", "kode_urusan", "nama_urusan"], dropna=False, sort=True)
           .agg(wajib=("kode_elemen", "size"), kurang=("_kurang", "sum")).reset_index())
    out["terpenuhi"] = (out["wajib"] - out["kurang"]).astype("int64")
    out["wajib"] = out["wajib"].astype("int64")
    out["persen"] = out["terpenuhi"] / out["wajib"] * 100
    return out.drop(columns="kurang")


def natural_key(value: object) -> list:
    """Sort key that puts ``4.1.2`` before ``4.1.10``."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", str(value))]


def heatmap_matrix(by_urusan: pd.DataFrame, progres: pd.DataFrame) -> pd.DataFrame:
    """Percent per OPD (rows, ordered like the zone chart) and urusan (columns, by code)."""
    wide = by_urusan.pivot_table(index="kode_opd", columns="kode_urusan", values="persen", aggfunc="first")
    names = by_urusan.drop_duplicates("kode_urusan").set_index("kode_urusan")["nama_urusan"]
    order = [k for k in sort_progres(progres)["kode_opd"] if k in wide.index]
    order += sorted(k for k in wide.index if k not in set(order))
    wide = wide.reindex(index=order, columns=sorted(wide.columns, key=natural_key))
    label = progres.drop_duplicates("kode_opd").set_index("kode_opd")["nama_opd"]
    wide.index = [str(label.get(k, k)) for k in wide.index]
    wide.columns = [f"{c} {names.get(c, '')}".strip() for c in wide.columns]
    return wide


def wajib_mismatch(by_urusan: pd.DataFrame, progres: pd.DataFrame) -> list[str]:
    """OPDs whose items owed in the catalogue differ from ``progres_opd.wajib`` (names)."""
    from_items = by_urusan.groupby("kode_opd")["wajib"].sum()
    out = []
    for r in progres.itertuples():
        expected = int(r.wajib) if not pd.isna(r.wajib) else 0
        if int(from_items.get(r.kode_opd, 0)) != expected:
            out.append(str(r.nama_opd))
    return out


def urusan_html(progres_urusan: pd.DataFrame, settings: Settings) -> str:
    """Per urusan, lowest percent first: OPDs that owe items in it, items owed and fulfilled, percent and zone."""
    frame = progres_urusan.assign(nilai_persen=pd.to_numeric(progres_urusan["persen"], errors="coerce"),
                                  kunci_kode=[tuple(natural_key(k)) for k in progres_urusan["kode_urusan"]])
    frame = frame.sort_values(["nilai_persen", "kunci_kode"], kind="mergesort", na_position="last")
    rows = [[r.kode_urusan, r.nama_urusan, fmt.angka(r.jumlah_opd), fmt.angka(r.wajib), fmt.angka(r.terpenuhi),
             zone_cell(settings, r.zona if isinstance(r.zona, str) else None,
                       fmt.persen_zona(r.nilai_persen, settings.zones) if pd.notna(r.nilai_persen) else "–")]
            for r in frame.itertuples()]

    return render_parts([
        paragraph(f"{len(rows)} urusan, persen terendah lebih dulu: butir terpenuhi dibagi butir wajib semua OPD "
           "pemegangnya. Simbol dan warna menunjukkan zona."),
        table_part(["Kode", "Urusan", "OPD", "Wajib", "Terpenuhi", "Persen"], rows, "tabel-urusan", numeric={2, 3, 4, 5}),
    ])


MAX_HEATMAP_OPDS = 60  # rows of the OPD x urusan picture: more than a printed page or a screen can show


def heatmap_section(
    items: pd.DataFrame | None, kekurangan: pd.DataFrame, progres: pd.DataFrame, settings: Settings,
    png_path: str | Path,
) -> str:
    """The OPD x urusan heatmap (saved as PNG too); a table per urusan when the grid is mostly empty."""

    if items is None:
        return render_parts([paragraph("Peta kelengkapan per urusan tidak dibuat: katalog tidak dapat dimuat.")])
    by_urusan = progress_by_opd_urusan(items, kekurangan)
    if by_urusan.empty:
        return render_parts([paragraph("Tidak ada butir wajib di katalog: peta kelengkapan per urusan kosong.")])
    matrix = heatmap_matrix(by_urusan, progres)
    if matrix_density(matrix) < SPARSE_DENSITY or len(matrix) > MAX_HEATMAP_OPDS:
        # most OPDs own one or two urusan: a grid of grey squares says nothing; list per urusan instead. So too
        # when the OPDs are more than a page can show (1,000 rows drew a picture 34,000 pixels tall)
        Path(png_path).unlink(missing_ok=True)
        out = urusan_table_html(by_urusan, progres, settings)
    else:
        # on a phone the grid (drawn for a wide screen) gives way to the same figures as a table
        out = _heatmap_figure(matrix, settings, png_path) + '<div class="hanya-ponsel">' + render_parts(
            [paragraph("Di layar sempit peta ini diganti tabel berikut.")]) + urusan_table_html(by_urusan, progres, settings) + "</div>"
    mismatch = wajib_mismatch(by_urusan, progres)
    if mismatch:
        out += render_parts([paragraph(f"Jumlah butir wajib menurut katalog berbeda dengan tabel progres untuk "
                                f"{len(mismatch)} OPD: {', '.join(mismatch)}. Periksa versi katalog.", "peringatan")])
    return out


SPARSE_DENSITY = 0.25


def matrix_density(matrix: pd.DataFrame) -> float:
    """Share of the OPD x urusan cells that hold a percent (0 for an empty matrix)."""
    return float(matrix.notna().to_numpy().mean()) if matrix.size else 0.0


def urusan_table_html(by_urusan: pd.DataFrame, progres: pd.DataFrame, settings: Settings) -> str:
    """Per urusan: items owed and fulfilled (pooled), zone, and each OPD that owes items with its percent."""

    short = {str(k): (str(a) if isinstance(a, str) and a.strip() else str(n))
             for k, a, n in zip(progres["kode_opd"], progres.get("singkatan", progres["nama_opd"]),
                                progres["nama_opd"], strict=True)}
    rows = []
    groups = by_urusan.groupby(["kode_urusan", "nama_urusan"], dropna=False, sort=False)
    for (kode, nama), group in sorted(groups, key=lambda kv: natural_key(kv[0][0])):
        wajib, terpenuhi = int(group["wajib"].sum()), int(group["terpenuhi"].sum())
        persen = terpenuhi / wajib * 100 if wajib else None
        zone = zone_of(persen, settings.zones)
        members = group.sort_values(["persen", "kode_opd"], ascending=[False, True], kind="mergesort")
        opds = "; ".join(f"{short.get(str(m.kode_opd), m.kode_opd)} {fmt.persen_zona(m.persen, settings.zones)}\u00a0%"
                         for m in members.itertuples())
        rows.append([kode, nama, opds, fmt.angka(wajib), fmt.angka(terpenuhi),
                     zone_cell(settings, zone, fmt.persen_zona(persen, settings.zones)),
                     zone_cell(settings, zone, zone_label(settings, zone))])
    return render_parts([
        paragraph(f"Sebagian besar OPD hanya memegang satu atau dua urusan, jadi peta OPD × urusan hampir kosong. "
           f"Tabel ini merangkum {len(rows)} urusan: butir wajib dan terpenuhi semua OPD pemegangnya, "
           "lalu persen setiap OPD untuk urusan itu."),
        table_part(["Kode", "Urusan", "OPD pemegang (persen)", "Wajib", "Terpenuhi", "Persen", "Zona"], rows,
           "tabel-urusan", numeric={3, 4, 5}),
    ])


def _heatmap_figure(matrix: pd.DataFrame, settings: Settings, png_path: str | Path) -> str:
    from satudata.outputs import charts

    fig = charts.heatmap(matrix, settings, title="Persen butir terpenuhi per OPD dan urusan")
    data = charts.png_bytes(fig)
    Path(png_path).parent.mkdir(parents=True, exist_ok=True)
    Path(png_path).write_bytes(data)
    alt = f"Peta panas persen butir terpenuhi: {matrix.shape[0]} OPD dan {matrix.shape[1]} urusan"
    return charts.figure_html(fig, alt, caption=f"Juga tersimpan sebagai {Path(png_path).name}.", data=data)
