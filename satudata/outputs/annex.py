"""The technical annex of a round (``lampiran-<round>.html``): what analysts check, not what leaders read.

Row and cell accounting, issues per producer, the matches to review, value and catalogue quality,
input files with checksums, the catalogue version, parameters, settings and package versions. Each
``*_html`` function computes plain data and renders it through ``templates/bagian.html.j2``
(autoescaped); :func:`write_annex` puts them on one offline page beside the report.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from satudata.common import fmt
from satudata.common.plain_words import issue_label, plain
from satudata.outputs.html_parts import paragraph, render_parts, subheading, table_part
from satudata.outputs.templating import render
from satudata.outputs.zone_view import cell, zone_cell
from satudata.reference.settings import Settings

PACKAGES = (
    "satudata", "pandas", "numpy", "pyarrow", "matplotlib", "babel", "python-calamine", "openpyxl",
    "rapidfuzz", "pandera", "papermill", "nbconvert", "nbformat", "jinja2",
)
CSS_FILE = Path(__file__).parent / "nbtemplates" / "satudata" / "static" / "laporan.css"


def annex_name(putaran: str) -> str:
    """The annex's file name beside the report: ``lampiran-<round>.html``."""
    return f"lampiran-{putaran}.html"


def _opd_names(progres: pd.DataFrame) -> dict[str, str]:
    return {str(k): str(v) for k, v in zip(progres["kode_opd"], progres["nama_opd"], strict=True)}


def issues_html(masalah: pd.DataFrame, progres: pd.DataFrame) -> str:
    """Issues per OPD by level (kesalahan, peringatan, info) and by kind (``kode_masalah``)."""
    if masalah.empty:
        return render_parts([paragraph("Tidak ada masalah tercatat pada putaran ini.")])
    names = _opd_names(progres)
    frame = masalah.copy()
    frame["_opd"] = [names.get(str(k), str(k)) if isinstance(k, str) and k else "(OPD tidak dikenali)"
                     for k in frame["kode_opd"]]
    rows = []
    for opd, group in sorted(frame.groupby("_opd", sort=False), key=lambda kv: kv[0]):
        levels = group["tingkat"].value_counts()
        kinds = group["kode_masalah"].value_counts()
        detail = "; ".join(f"{issue_label(k)}: {int(n)}"
                           for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
        rows.append([opd, int(levels.get("galat", 0)), int(levels.get("peringatan", 0)),
                     int(levels.get("info", 0)), detail])
    return render_parts([table_part(["OPD", "Kesalahan", "Peringatan", "Info", "Jenis masalah (jumlah)"], rows,
                            "tabel-masalah", numeric={1, 2, 3})])


REVIEW_CODES = ("cocok_fuzzy", "opd_mirip", "opd_dari_elemen")


def review_html(masalah: pd.DataFrame, progres: pd.DataFrame) -> str:
    """The matches to review (element names and producers recognised by similar names or from their
    elements: ``REVIEW_CODES``), with their source cell."""
    found = masalah[masalah["kode_masalah"].isin(REVIEW_CODES)] if not masalah.empty else masalah
    if found.empty:
        return render_parts([paragraph("Tidak ada pencocokan nama mirip yang perlu diperiksa.")])
    names = _opd_names(progres)
    found = found.sort_values(["sumber_file", "sumber_sheet", "sumber_baris"], kind="mergesort")
    rows = [[names.get(str(r.kode_opd), r.kode_opd), cell(r.sumber_file, "berkas"), r.sumber_sheet,
             r.sumber_baris, plain(str(r.pesan))] for r in found.itertuples()]
    return render_parts([
        paragraph(f"{len(rows)} nama dicocokkan menurut kemiripan tulisan: periksa apakah cocok."),
        table_part(["OPD", "Berkas", "Lembar kerja", "Baris", "Keterangan"], rows, "tabel-cocok", numeric={3}),
    ])


fuzzy_html = review_html  # the name the notebooks and tests used before the annex


def value_quality_html(folder: str | Path, settings: Settings, limit: int = 50, facts: Any = None) -> str:
    """The "Kualitas nilai" section: the quality score per producer beside its completeness zone, each
    component with its formula, and the plausibility warnings with their cells (``kualitas_*.parquet``).
    The zone and percent are the round facts' (``facts``; read from the processed folder when not given)."""
    from satudata.evaluation.plausibility import CHECK_LABELS
    from satudata.evaluation.quality import COMPONENT_LABELS, COMPONENTS, FORMULAS, region_quality

    folder = Path(folder)
    q_path, w_path = folder / "kualitas_opd.parquet", folder / "kualitas_nilai.parquet"
    if not q_path.exists() or not w_path.exists():
        return render_parts([paragraph("Kualitas nilai belum dihitung untuk putaran ini; jalankan ulang tahap 2.")])
    quality, warnings = pd.read_parquet(q_path), pd.read_parquet(w_path)
    if facts is None:
        from satudata.evaluation.round_facts import load_round_facts

        facts = load_round_facts(folder.parent, folder.name, settings)
    region = region_quality(quality)
    parts = [
        paragraph("Zona tetap zona kelengkapan. Skor kualitas adalah angka kedua: rata-rata komponen yang dapat diukur "
           f"(0-100). Rata-rata wilayah: {fmt.persen(region['skor_kualitas'])}. Peringatan tidak mengurangi "
           "kelengkapan; periksa selnya."),
        table_part(["Komponen", "Rumus", "Rata-rata wilayah"],
           [[COMPONENT_LABELS[c], FORMULAS[c], fmt.persen(region[c]) if region[c] is not None else "–"]
            for c in COMPONENTS], "tabel-kualitas", numeric={2}),
    ]
    shown = quality[quality["kelengkapan"].notna()].sort_values(["skor_kualitas", "nama_opd"], kind="stable")
    rows = [[r.nama_opd, _facts_zone_cell(settings, facts.get(str(r.kode_opd))),
             *[fmt.persen(getattr(r, c)) if pd.notna(getattr(r, c)) else "–" for c in COMPONENTS[1:]],
             fmt.persen(r.skor_kualitas) if pd.notna(r.skor_kualitas) else "–"] for r in shown.itertuples()]
    parts.append(table_part(["OPD", "Kelengkapan (zona)", *[COMPONENT_LABELS[c] for c in COMPONENTS[1:]], "Skor kualitas"],
                    rows, "tabel-kualitas", numeric=set(range(1, 2 + len(COMPONENTS)))))
    parts += _table_totals_parts(folder, _opd_names(quality))
    if warnings.empty:
        parts.append(paragraph("Tidak ada peringatan kewajaran nilai."))
        return render_parts(parts)
    counts = warnings["kode_cek"].value_counts()
    parts.append(table_part(["Pemeriksaan", "Peringatan"], [[CHECK_LABELS.get(k, k), int(n)] for k, n in counts.items()],
                    "tabel-kualitas", numeric={1}))
    names = _opd_names(quality)
    parts.append(table_part(["OPD", "Pemeriksaan", "Keterangan"],
                    [[names.get(str(r.kode_opd), r.kode_opd), CHECK_LABELS.get(r.kode_cek, r.kode_cek), plain(str(r.pesan))]
                     for r in warnings.head(limit).itertuples()], "tabel-kualitas"))
    if len(warnings) > limit:
        parts.append(paragraph(f"… dan {len(warnings) - limit} peringatan lain di kualitas_nilai.csv dan lembar "
                        "'Kualitas Nilai' umpan balik."))
    return render_parts(parts)


def _facts_zone_cell(settings: Settings, fact: Any) -> object:
    """The round facts' zone and percent of an OPD as a zone-coloured cell (``–`` when it has none)."""
    if fact is None or fact.zona is None:
        return "–"
    return zone_cell(settings, fact.zona, fact.persen_teks)


def _table_totals_parts(folder: Path, names: dict[str, str]) -> list[dict[str, Any]]:
    """The totals written in the round's files that were checked (manifest ``cek_jumlah``) and the ones that
    do not add up (``masalah`` ``jumlah_tabel_tidak_cocok``, :mod:`satudata.reading.table_totals`)."""
    import json

    from satudata.reading.table_totals import CODE

    manifest_path, masalah_path = folder / "manifest.json", folder / "masalah.parquet"
    if not manifest_path.exists():
        return []
    entries = json.loads(manifest_path.read_text(encoding="utf-8")).get("berkas", [])
    checked = sum((e.get("cek_jumlah") or {}).get("diperiksa", 0) for e in entries)
    if not checked:
        return []
    masalah = pd.read_parquet(masalah_path) if masalah_path.exists() else pd.DataFrame(columns=["kode_masalah"])
    wrong = masalah[masalah["kode_masalah"] == CODE]
    parts = [paragraph(f"Jumlah yang ditulis di tabel kiriman: {fmt.angka(checked)} diperiksa terhadap rinciannya, "
                f"{fmt.angka(len(wrong))} tidak cocok (dihitung dalam konsistensi).")]  # fmt: skip
    if len(wrong):
        parts.append(table_part(["OPD", "Keterangan"], [[names.get(str(r.kode_opd), r.kode_opd if isinstance(r.kode_opd, str)
                                                  else "–"), plain(str(r.pesan))] for r in wrong.itertuples()],
                        "tabel-kualitas"))  # fmt: skip
    return parts


def catalogue_quality_html(folder: str | Path) -> str:
    """The "Kualitas katalog" section: the catalogue rows the round left out and why, what it changes
    per producer, and the producers recognised by similar names (from ``katalog_kualitas.json``)."""
    from satudata.reference.catalogue_quality import EXCLUDED_FILE, headline, load_quality, reason_rows

    quality = load_quality(Path(folder))
    if quality is None:
        return render_parts([paragraph("Putaran ini dibaca sebelum pemeriksaan kualitas katalog ada; "
                                "jalankan ulang tahap 1.")])
    parts = [paragraph(headline(quality))]
    if quality.clean:
        parts.append(paragraph("Semua baris katalog dapat dipakai; tidak ada nama produsen yang perlu diperiksa."))
        return render_parts(parts)
    if reason_rows(quality):
        parts.append(table_part(["Alasan dikecualikan", "Baris"], [list(r) for r in reason_rows(quality)],
                        "tabel-katalog", numeric={1}))
    changed = quality.per_opd[quality.per_opd["dikecualikan"] > 0]
    if len(changed):
        rows = [[r.nama_opd, r.baris, r.dikecualikan, r.butir_wajib, r.butir_wajib + r.butir_tertahan]
                for r in changed.itertuples(index=False)]
        parts.append(paragraph("Yang berubah bagi setiap produsen: butir wajib sekarang, dan bila baris yang dikecualikan "
                        "diperbaiki (baris ganda tidak menambah butir)."))
        parts.append(table_part(["Produsen", "Baris di katalog", "Dikecualikan", "Butir wajib", "Bila diperbaiki"],
                        rows, "tabel-katalog", numeric={1, 2, 3, 4}))
    if len(quality.reviews):
        rows = [[r.baris, r.opd_tertulis, f"{r.kode_opd} {r.nama_opd}", fmt.skor(r.skor)]
                for r in quality.reviews.itertuples(index=False)]
        parts.append(paragraph("Nama produsen di katalog yang dikenali dengan pencocokan nama: periksa."))
        parts.append(table_part(["Baris", "Tertulis", "Dikenali sebagai", "Skor"], rows, "tabel-katalog", numeric={0, 3}))
    if len(quality.excluded):
        parts.append(paragraph(f"Daftar lengkap {fmt.angka(len(quality.excluded))} baris yang dikecualikan (baris, kolom, "
                        f"alasan) ada di lembar 'Kualitas Katalog' rekap walidata dan di {EXCLUDED_FILE}."))
    return render_parts(parts)


def manifest_files(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The input files listed in a manifest (``berkas`` or ``files``)."""
    files = manifest.get("berkas") or manifest.get("files") or []
    return [f for f in files if isinstance(f, dict)]


def _file_name(entry: dict[str, Any]) -> str:
    """The file's name as the analyst put it in the round folder (never a path of this machine)."""
    name = str(entry.get("nama") or entry.get("name") or entry.get("berkas") or entry.get("path") or "?")
    return Path(name).name if Path(name).is_absolute() else name


ROLE_LABELS = {
    "judul": "judul", "header": "kepala tabel", "kepala": "kepala tabel", "judul_bagian": "judul bagian",
    "subtotal": "subtotal", "catatan": "catatan", "sheet_dilewati": "lembar kerja dilewati", "kosong": "kosong",
}


def role_label(role: str) -> str:
    """Indonesian reader's label of a structural row role of the manifest (``header`` -> ``kepala tabel``)."""
    return ROLE_LABELS.get(role, str(role).replace("_", " "))


def row_accounting_html(manifest: dict[str, Any], progres: pd.DataFrame) -> str:
    """Rows read, data, structural (by role), rejected, per input file; checks that they reconcile."""
    files = manifest_files(manifest)
    if not files:
        return render_parts([paragraph("Manifest tidak memuat daftar berkas.")])
    names = _opd_names(progres)
    roles = sorted({role for f in files for role in ((f.get("baris") or {}).get("struktur") or {})})
    rows, bad = [], 0
    for f in sorted(files, key=_file_name):
        baris = f.get("baris") or {}
        struktur = baris.get("struktur") or {}
        counts = [int(baris.get("dibaca", 0)), int(baris.get("data", 0))]
        structural = [int(struktur.get(role, 0)) for role in roles]
        ditolak = int(baris.get("ditolak", 0))
        sel = f.get("sel") or {}
        cells = [int(sel.get(k, 0)) for k in ("angka", "nilai", "struktur", "masalah")]
        ok = counts[0] == counts[1] + sum(structural) + ditolak and cells[0] == sum(cells[1:])
        bad += not ok
        kode = f.get("kode_opd")
        rows.append([cell(_file_name(f), "berkas"), names.get(str(kode), kode or "–"),
                     *counts, *structural, ditolak, *cells, "ya" if ok else "TIDAK"])
    headers = ["Berkas", "OPD", "Dibaca", "Data", *[f"Struktur: {role_label(r)}" for r in roles], "Ditolak",
               "Sel angka", "Sel: nilai", "Sel: struktur", "Sel: bermasalah", "Cocok"]
    note = (paragraph("Semua baris terhitung: dibaca = data + struktur + ditolak untuk setiap berkas; begitu pula sel "
               "angka: sel angka = nilai + struktur + bermasalah.") if not bad
            else paragraph(f"{bad} berkas tidak cocok hitungannya: periksa manifest.", "peringatan"))
    return render_parts([note, table_part(headers, rows, "tabel-baris", numeric=set(range(2, 9 + len(roles))))])


def annex_summary(data: Any) -> list[tuple[str, str]]:
    """The annex in a few lines, for the report itself (``data``: :class:`satudata.outputs.report.RoundData`):
    the input files, the rows and numeric cells accounted for, the issues by level, the names to review."""
    files = manifest_files(data.manifest)
    rows = {k: 0 for k in ("dibaca", "data", "struktur", "ditolak")}
    cells = {k: 0 for k in ("angka", "nilai", "struktur", "masalah")}
    for f in files:
        baris = f.get("baris") or {}
        rows["dibaca"] += int(baris.get("dibaca", 0))
        rows["data"] += int(baris.get("data", 0))
        rows["struktur"] += sum(int(v) for v in (baris.get("struktur") or {}).values())
        rows["ditolak"] += int(baris.get("ditolak", 0))
        for key in cells:
            cells[key] += int((f.get("sel") or {}).get(key, 0))
    masalah = data.masalah
    levels = masalah["tingkat"].value_counts() if len(masalah) else pd.Series(dtype=int)
    review = int(masalah["kode_masalah"].isin(REVIEW_CODES).sum()) if len(masalah) else 0
    n = fmt.angka
    return [
        ("Berkas masukan", f"{n(len(files))} berkas, masing-masing dengan sidik SHA-256 di lampiran"),
        ("Baris dibaca", f"{n(rows['dibaca'])} = {n(rows['data'])} data + {n(rows['struktur'])} struktur + "
                         f"{n(rows['ditolak'])} ditolak"),
        ("Sel angka", f"{n(cells['angka'])} = {n(cells['nilai'])} nilai + {n(cells['struktur'])} struktur + "
                      f"{n(cells['masalah'])} bermasalah"),
        ("Masalah", f"{n(int(levels.get('galat', 0)))} kesalahan, {n(int(levels.get('peringatan', 0)))} peringatan, "
                    f"{n(int(levels.get('info', 0)))} info"),
        ("Nama untuk diperiksa", f"{n(review)} pencocokan menurut kemiripan tulisan"),
    ]  # fmt: skip


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Installed versions of the packages the report depends on (plus Python)."""
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            if name == "satudata":
                from satudata import __version__

                out[name] = __version__
            else:
                out[name] = "tidak terpasang"
    return out


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(v) for v in value)
    return str(value)


def _flatten(value: object, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        out = []
        for key in sorted(value, key=str):
            out += _flatten(value[key], f"{prefix}.{key}" if prefix else str(key))
        return out
    return [(prefix, _value_text(value))]


def _no_folder(value: str) -> str:
    """A value that names a file or folder of this machine is shown by its last part only."""
    return Path(value).name if value.startswith(("/", "~")) or (len(value) > 2 and value[1:3] == ":\\") else value


def settings_rows(settings: Settings) -> list[list[str]]:
    """The settings as the region wrote them: ``[bagian] kunci`` and value, from the settings file."""
    import tomllib

    if settings.source is None or not Path(settings.source).exists():
        return [["(berkas pengaturan)", "tidak ada: nilai bawaan dipakai"]]
    raw = tomllib.loads(Path(settings.source).read_text(encoding="utf-8"))
    rows = [["(berkas pengaturan)", Path(settings.source).name]]
    for key, value in _flatten(raw):
        section, _, name = key.rpartition(".")
        rows.append([f"[{section}] {name}" if section else name, _no_folder(value) or "(kosong)"])
    return rows


def provenance_html(manifest: dict[str, Any], settings: Settings, parameters: dict[str, object],
                    versions: dict[str, str] | None = None) -> str:
    """Input files with size and SHA-256, catalogue version, parameters, settings, package versions."""
    files = manifest_files(manifest)
    file_rows = [[cell(_file_name(f), "berkas"), fmt.angka(f.get("ukuran", f.get("size"))), f.get("sha256") or "–"]
                 for f in sorted(files, key=_file_name)]
    katalog = manifest.get("katalog") or {}
    if not isinstance(katalog, dict):
        katalog = {"versi": katalog}
    versions = versions or package_versions()
    return render_parts([
        subheading("Berkas masukan"),
        table_part(["Berkas", "Ukuran (bita)", "Sidik SHA-256"], file_rows, "tabel-berkas kode", numeric={1})
        if file_rows else paragraph("Tidak ada berkas tercatat."),
        subheading("Versi katalog"),
        table_part(["Butir", "Nilai"], [[k, _no_folder(v)] for k, v in _flatten(katalog)], "tabel-katalog kode"),
        subheading("Parameter"),
        table_part(["Parameter", "Nilai"], [[k, _no_folder(str(v))] for k, v in parameters.items()], "tabel-parameter kode"),
        subheading("Pengaturan"),
        table_part(["Kunci", "Nilai"], settings_rows(settings), "tabel-pengaturan kode"),
        subheading("Versi paket"),
        table_part(["Paket", "Versi"], [[k, v] for k, v in versions.items()], "tabel-paket kode"),
    ])


ANNEX_SECTIONS = (
    ("fakta-opd", "Fakta setiap OPD"),
    ("perhitungan-baris", "Perhitungan baris dan sel"),
    ("masalah-per-opd", "Masalah per OPD"),
    ("pencocokan-nama", "Pencocokan nama untuk diperiksa"),
    ("kualitas-nilai", "Kualitas nilai"),
    ("kualitas-katalog", "Kualitas katalog"),
    ("opd-urusan", "Kelengkapan per OPD dan urusan"),
    ("asal-usul", "Asal-usul laporan"),
)


def round_annex(data: Any, settings: Settings, *, putaran: str, nomor: int, built_at: datetime,
                report_folder: str | Path, report_name: str, parameters: dict[str, object],
                items: pd.DataFrame | None, facts: Any = None) -> Path:
    """Compute every technical section of the round (``data``: :class:`satudata.outputs.report.RoundData`) and
    write ``lampiran-<round>.html`` into ``report_folder``; returns its path. ``facts``: the round facts
    (:mod:`satudata.evaluation.round_facts`; read from the processed folder when not given), shown, never
    recomputed."""
    from satudata.outputs.facts_view import facts_table_html
    from satudata.outputs.urusan_view import heatmap_section

    folder = Path(report_folder)
    if facts is None:
        from satudata.evaluation.round_facts import load_round_facts

        facts = load_round_facts(Path(data.folder).parent, putaran, settings)
    html = {
        "fakta-opd": facts_table_html(facts, settings, "Angka yang sama dengan laporan, salindia rakor, umpan "
                                      "balik dan buku kerja EPSS."),
        "perhitungan-baris": _p_html("Setiap baris yang tidak kosong menjadi data, baris struktur (judul, kepala "
                                     "tabel, subtotal, catatan) atau ditolak dengan alasan.")
        + row_accounting_html(data.manifest, data.progres_opd),
        "masalah-per-opd": issues_html(data.masalah, data.progres_opd),
        "pencocokan-nama": review_html(data.masalah, data.progres_opd),
        "kualitas-nilai": value_quality_html(data.folder, settings, facts=facts),
        "kualitas-katalog": catalogue_quality_html(data.folder),
        "opd-urusan": heatmap_section(items, data.kekurangan, data.progres_opd, settings,
                                      folder / "grafik" / f"peta-panas-{putaran}.png"),
        "asal-usul": provenance_html(data.manifest, settings, parameters),
    }
    return write_annex(folder / annex_name(putaran), settings=settings, putaran=putaran, nomor=nomor,
                       built_at=built_at, report_name=report_name,
                       sections=[(a, t, html[a]) for a, t in ANNEX_SECTIONS])


def _p_html(text: str) -> str:
    return render_parts([paragraph(text)])


def write_annex(path: str | Path, *, settings: Settings, putaran: str, nomor: int, built_at: datetime,
                report_name: str, sections: list[tuple[str, str, str]]) -> Path:
    """Write the annex page: ``sections`` are (anchor, title, HTML from the ``*_html`` functions above)."""
    from markupsafe import Markup

    from satudata.outputs.round_view import header_context

    path = Path(path)
    page = render(
        "lampiran.html.j2",
        css=Markup(CSS_FILE.read_text(encoding="utf-8")),  # noqa: S704 - the project's own stylesheet
        kepala=header_context(settings, putaran, nomor, built_at, "Lampiran Teknis Evaluasi Satu Data"),
        laporan=report_name,
        sections=[{"id": a, "title": t, "html": Markup(h)} for a, t, h in sections],  # noqa: S704 - rendered here
    )
    from satudata.outputs.html_parts import label_cells

    page = label_cells(page)  # on a phone each table becomes cards, each value after its column's name
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path
