"""The configured sources of a round (``[sumber]``) read into values, datasets and issues (stage 1).

* ``dssd`` and ``ewalidata`` files: every cell with a value becomes a ``nilai`` row (matched to the catalogue
  by code, else by name; the producer is the element's owner), source role ``sipd``.
* ``ckan``: the round's snapshot (``portal/<nama>/``, see :mod:`satudata.sources.ckan`; never the network):
  its datasets give dataset-level completeness, and its resource files (CSV, XLSX) are read like a submission of
  the organisation that published them (:func:`satudata.reading.ingest.ingest_file`), source role ``portal``.
* ``ckan_dump`` and ``inventaris``: datasets only (dataset-level completeness), no values.

The round folder's own files are read by the ingest as always; the files a source owns (its ``berkas``
patterns, the ``portal/<nama>/`` snapshots) are left out of it (:func:`owned_paths`) so nothing is read twice.
One bad source gives an issue naming it and what to fix; the others are read and the round goes on. Source files
are read under the limits of submissions (:func:`satudata.sources.source_files.read_files`): a file past its size
is an issue before it is parsed, the others are read in a guarded reading worker with the memory cap and time
limit of submissions (a file that exhausts either gets ``berkas_terlalu_besar`` naming the limit, as a submission
would), and a SIPD file is made into its ``nilai`` rows in that worker (:mod:`satudata.sources.sipd_values`).

Every row a source adds to ``nilai`` has ``dipakai`` False: within a round a valid value in an OPD's own file
is the current value, a source's valid value fulfils an item the files leave open. The column ``sumber`` names
where each row came from (the folder source's name, ``berkas`` unless ``[sumber]`` names it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from satudata.reading.matching import ElementIndex
from satudata.reading.numbers import STATUS_ADA, STATUS_NIHIL
from satudata.reference.settings import Settings, SourceSettings
from satudata.sources.sipd_values import typed
from satudata.sources.source_files import LEVEL_GALAT, LEVEL_PERINGATAN, read_files
from satudata.sources.source_files import issue as _issue

FOLDER_NAME = "berkas"  # the round folder's source name when [sumber] does not name it
FILE_KINDS = ("dssd", "ewalidata", "ckan_dump", "inventaris")


def folder_name(settings: Settings) -> str:
    """The name of the round folder's source."""
    return next((s.name for s in settings.sources if s.kind == "folder"), FOLDER_NAME)


def source_roles(settings: Settings) -> dict[str, str]:
    """{source name: role} (``berkas``, ``sipd``, ``portal``), the round folder included."""
    return {folder_name(settings): "berkas", **{s.name: s.role for s in settings.sources if s.kind != "folder"}}


def source_files(raw_dir: str | Path, source: SourceSettings) -> list[Path]:
    """The files of a file source: its ``berkas`` patterns in the round folder, sorted, hidden files left out."""
    raw_dir = Path(raw_dir)
    found: set[Path] = set()
    for pattern in source.files:
        for path in raw_dir.glob(pattern):
            rel = path.relative_to(raw_dir)
            if path.is_file() and not any(p.startswith(".") for p in rel.parts) and not path.name.startswith("~$"):
                found.add(path)
    return sorted(found, key=lambda p: p.relative_to(raw_dir).as_posix())


def owned_paths(raw_dir: str | Path, settings: Settings) -> set[str]:
    """Paths inside the round folder (posix, relative) that belong to a source and not to the ingest."""
    raw_dir = Path(raw_dir)
    out: set[str] = set()
    for source in settings.sources:
        if source.kind in FILE_KINDS:
            out.update(p.relative_to(raw_dir).as_posix() for p in source_files(raw_dir, source))
        elif source.kind == "ckan":
            folder = raw_dir / "portal" / source.name
            if folder.is_dir():
                out.update(p.relative_to(raw_dir).as_posix() for p in folder.rglob("*") if p.is_file())
    return out


@dataclass
class SourceRead:
    """What one source holds for a round."""

    source: SourceSettings
    files: list[str] = field(default_factory=list)  # paths in the round folder that were read
    nilai: pd.DataFrame | None = None  # nilai rows (with ``sumber``) when the source holds values
    datasets: pd.DataFrame | None = None  # inventory frame when it lists datasets
    portal: Any = None  # satudata.sources.portal.PortalResult
    issues: list[dict] = field(default_factory=list)
    failed: bool = False

    def summary(self) -> dict[str, Any]:
        """Counts for the manifest and ``satudata sumber``."""
        nilai = self.nilai if self.nilai is not None else pd.DataFrame(columns=["kode_elemen", "status", "dihitung"])
        # masks, not a copy of the valid rows: a provincial dump's 1.5 M rows copied cost 0.5 GiB here
        valid = nilai["status"].isin([STATUS_ADA, STATUS_NIHIL]).to_numpy(dtype=bool)
        counted = nilai["dihitung"].to_numpy(dtype=bool)
        matched = valid & nilai["kode_elemen"].notna().to_numpy(dtype=bool)
        out = {"nama": self.source.name, "jenis": self.source.kind, "peran": self.source.role,
               "berkas": list(self.files), "nilai": int(valid.sum()), "nilai_dihitung": int((valid & counted).sum()),
               "elemen_cocok": int(nilai["kode_elemen"][matched].nunique()), "masalah": len(self.issues),
               "gagal": self.failed}  # fmt: skip
        if self.datasets is not None:
            out["dataset"] = int(len(self.datasets))
        if self.portal is not None:
            totals = self.portal.totals()
            out["dataset_cocok"] = totals["cocok_kode"] + totals["cocok_judul"] + totals["cocok_pemetaan"]
            out["item_tercakup"] = totals["item_tercakup"]
        return out


def _like(frame: pd.DataFrame, model: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the columns and dtypes of ``model`` (so the joined ``nilai`` keeps the ingest's dtypes)."""
    out = {}
    for column in model.columns:
        values = frame[column] if column in frame.columns else pd.Series([None] * len(frame), index=frame.index)
        try:
            out[column] = values.astype(model[column].dtype)
        except (TypeError, ValueError):
            out[column] = values
    return pd.DataFrame(out, index=frame.index)


def _read_sipd(read: SourceRead, raw_dir: Path, round_date: str, index: ElementIndex, settings: Settings) -> None:
    from functools import partial

    from satudata.formats import read_limits
    from satudata.sources.sipd_values import read_sipd_file

    source = read.source
    # read, matched and made into rows in the guarded worker, under the settings' [batas] (the reader's own size
    # check too: a size the settings allow is read, one past them is refused before the worker)
    reader = partial(read_sipd_file, kind=source.kind, raw_dir=raw_dir, round_date=round_date, source=source.name,
                     index=index, limits=read_limits.current(settings.limits))  # fmt: skip
    frames = []
    for _, values in read_files(read, raw_dir, round_date, source_files(raw_dir, source), reader, settings,
                                whole=source.kind == "ewalidata"):  # fmt: skip
        read.issues.extend(values.issues)
        frames.append(values.nilai)
    read.nilai = pd.concat(frames, ignore_index=True) if frames else None


def _read_ckan(read: SourceRead, raw_dir: Path, round_date: str, register, catalogue, settings: Settings) -> None:
    from satudata.reading.ingest import ingest_file
    from satudata.sources.ckan import SNAPSHOT_INDEX as SNAPSHOT_INDEX_NAME
    from satudata.sources.ckan import dataset_resources, load_snapshot, packages_inventory, snapshot_folder

    source = read.source
    folder = snapshot_folder(raw_dir, source)
    snapshot = load_snapshot(folder)  # CkanError (no snapshot) is turned into an issue by the caller
    read.files.append(folder.relative_to(raw_dir).as_posix() + "/")
    read.datasets = packages_inventory(snapshot.packages, snapshot.index.get("url"))
    owner = {str(r.get("id")): r.get("organisasi") for r in dataset_resources(snapshot.packages)}
    for problem in snapshot.problems:
        read.issues.append(_issue(round_date, read.files[0], None, LEVEL_GALAT, "sumber_tidak_terbaca",
                                  f"{problem} Perbaiki {SNAPSHOT_INDEX_NAME} atau hapus folder snapshot itu dan "
                                  "unduh ulang."))  # fmt: skip
    for rid, message in sorted(snapshot.index.get("berkas_gagal", {}).items()):
        read.issues.append(_issue(round_date, read.files[0], None, LEVEL_PERINGATAN, "sumber_berkas_gagal",
                                  f"Sumber {source.name}: berkas sumber daya {rid} tidak terunduh saat snapshot "
                                  f"dibuat ({message}); nilainya tidak ikut direkonsiliasi. Perbaiki tautannya di "
                                  "portal, lalu hapus folder snapshot dan unduh ulang."))  # fmt: skip
    frames = []
    for rid, path in sorted(snapshot.resources.items(), key=lambda kv: kv[1].as_posix()):
        rel = path.relative_to(raw_dir).as_posix()
        result = ingest_file(path, round_date, register, catalogue, settings, folder_opd=owner.get(rid) or None)
        nilai = result.nilai.copy()
        nilai["sumber_file"] = rel
        nilai["dipakai"] = False
        nilai["sumber"] = source.name
        frames.append(typed(nilai))
        for issue in result.masalah.to_dict("records"):
            issue = {k: (None if v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v) for k, v in issue.items()}
            issue["sumber_file"] = rel
            issue["pesan"] = f"Sumber {source.name} (berkas portal {rel}): {issue['pesan']}"
            read.issues.append(issue)
    read.nilai = pd.concat(frames, ignore_index=True) if frames else None


def _read_inventory(read: SourceRead, raw_dir: Path, round_date: str, settings: Settings) -> None:
    from functools import partial

    from satudata.formats import read_limits
    from satudata.sources.ckan import dump_inventory
    from satudata.sources.portal import read_inventory

    source = read.source
    # read whole into memory (a CSV; a dump's datasets as JSON objects): the text limit, before the worker
    reader = partial(read_inventory if source.kind == "inventaris" else dump_inventory,
                     limits=read_limits.current(settings.limits))  # fmt: skip
    frames = [frame for _, frame in read_files(read, raw_dir, round_date, source_files(raw_dir, source), reader,
                                               settings, whole=True)]  # fmt: skip
    if frames:
        read.datasets = pd.concat(frames, ignore_index=True)


def read_sources(raw_dir: str | Path, round_date: str, register, catalogue, settings: Settings,
                 mapping: pd.DataFrame | None = None) -> list[SourceRead]:  # fmt: skip
    """Every configured source (but the round folder) for the round; never raises for a bad source."""
    from satudata.sources.portal import portal_completeness

    raw_dir = Path(raw_dir)
    index = ElementIndex(catalogue.elements, settings.matching.element_threshold)
    out = []
    for source in settings.sources:
        if source.kind == "folder":
            continue
        read = SourceRead(source)
        try:
            if source.kind in ("dssd", "ewalidata"):
                _read_sipd(read, raw_dir, round_date, index, settings)
            elif source.kind == "ckan":
                _read_ckan(read, raw_dir, round_date, register, catalogue, settings)
            else:
                _read_inventory(read, raw_dir, round_date, settings)
            if source.kind in FILE_KINDS and not read.files:
                read.issues.append(_issue(round_date, None, None, LEVEL_PERINGATAN, "sumber_kosong",
                                          f"Sumber {source.name} ({source.kind}): tidak ada berkas yang cocok dengan "
                                          f"{', '.join(source.files)} di folder putaran {round_date}. Taruh berkasnya "
                                          "di sana atau perbaiki pola berkas di [sumber."
                                          f"{source.name}] pengaturan.toml."))  # fmt: skip
            if read.datasets is not None and len(read.datasets):
                read.portal = portal_completeness(read.datasets, register, catalogue, settings, mapping)
        except Exception as exc:  # noqa: BLE001 - one bad source never stops the round
            read.failed = True
            read.nilai = None
            read.issues.append(_issue(round_date, None, None, LEVEL_GALAT, "sumber_gagal",
                                      f"Sumber {source.name} ({source.kind}) tidak dapat dibaca: {exc} Perbaiki "
                                      f"sumbernya atau bagian [sumber.{source.name}] di pengaturan.toml; sumber "
                                      "lain tetap dihitung."))  # fmt: skip
        out.append(read)
    return out


def with_sources(nilai: pd.DataFrame, reads: list[SourceRead], settings: Settings) -> pd.DataFrame:
    """The round's ``nilai`` with a ``sumber`` column and the sources' rows after the files' rows."""
    files = nilai.copy()
    files["sumber"] = pd.array([folder_name(settings)] * len(files), dtype="string")
    extra = [r.nilai for r in reads if r.nilai is not None and len(r.nilai)]
    if not extra:
        return files
    # portal rows first, SIPD rows last: between two sources of one round, the later row (SIPD) is current
    order = {"portal": 0, "sipd": 1}
    extra = [r.nilai for r in sorted((r for r in reads if r.nilai is not None and len(r.nilai)),
                                     key=lambda r: order.get(r.source.role, 2))]  # fmt: skip
    parts = [files] + [_like(e, files) for e in extra]
    out = pd.concat(parts, ignore_index=True)
    for column in ("dihitung", "dipakai", "total"):
        out[column] = out[column].fillna(False).astype(bool)
    return out


def write_portal(reads: list[SourceRead], out_dir: str | Path, output=None) -> list[Path]:
    """The portal sources' dataset-level completeness: ``sumber_portal_opd`` (per producer) and
    ``sumber_portal_dataset`` (every dataset with its element), both with a ``sumber`` column, Parquet and CSV;
    ``saran-pemetaan-portal.csv``: titles to review for ``pemetaan-portal.csv``. Nothing when no source lists
    datasets."""
    from satudata.common.safe_text import to_csv

    results = [(r.source.name, r.portal) for r in reads if r.portal is not None]
    if not results:
        return []
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    per_opd = pd.concat([p.per_opd.assign(sumber=name) for name, p in results], ignore_index=True)
    datasets = pd.concat([p.dataset.assign(sumber=name) for name, p in results], ignore_index=True)
    datasets["tahun_tercakup"] = datasets["tahun_tercakup"].map(lambda t: ", ".join(map(str, t)))
    for stem, table in (("sumber_portal_opd", per_opd), ("sumber_portal_dataset", datasets)):
        table.to_parquet(out_dir / f"{stem}.parquet", index=False)
        to_csv(table, out_dir / f"{stem}.csv", output, index=False, encoding="utf-8-sig")
        written += [out_dir / f"{stem}.parquet", out_dir / f"{stem}.csv"]
    saran = pd.concat([p.saran.assign(sumber=name) for name, p in results], ignore_index=True)
    to_csv(saran, out_dir / "saran-pemetaan-portal.csv", output, index=False, encoding="utf-8-sig")
    written.append(out_dir / "saran-pemetaan-portal.csv")
    return written


def describe_sources(raw_dir: str | Path, round_date: str, register, catalogue, settings: Settings,
                     reference: str | Path | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """What each source holds for the round (``satudata sumber``): the round folder first (its submissions),
    then every configured source read as stage 1 reads it (counts, issues)."""
    from satudata.sources.portal import load_mapping

    raw_dir = Path(raw_dir)
    owned = owned_paths(raw_dir, settings)
    submissions = sorted(p.relative_to(raw_dir).as_posix() for p in raw_dir.rglob("*")
                         if p.is_file() and not any(x.startswith(".") for x in p.relative_to(raw_dir).parts)
                         and not p.name.startswith("~$") and p.relative_to(raw_dir).as_posix() not in owned)  # fmt: skip
    out: list[dict[str, Any]] = [{"nama": folder_name(settings), "jenis": "folder", "peran": "berkas",
                                  "berkas": submissions, "gagal": False, "pesan_masalah": []}]  # fmt: skip
    mapping = None
    if reference is not None:
        try:
            mapping = load_mapping(Path(reference) / "pemetaan-portal.csv")
        except ValueError:
            mapping = None
    for read in read_sources(raw_dir, round_date, register, catalogue, settings, mapping):
        info = read.summary()
        source = read.source
        info["pesan_masalah"] = [i["pesan"] for i in read.issues]
        if source.kind == "ckan":
            info["url"] = source.url
            info["organisasi"] = list(source.organisations)
        else:
            info["pola"] = list(source.files)
        out.append(info)
    return out


def source_report_lines(described: list[dict[str, Any]], round_date: str, settings: Settings) -> list[str]:
    """``satudata sumber`` in Bahasa Indonesia: one paragraph per source."""
    from satudata.common import fmt

    roles = {"berkas": "berkas OPD", "sipd": "SIPD", "portal": "portal"}
    lines = [f"Sumber data putaran {round_date} ({fmt.tanggal(round_date)}):"]
    if not settings.sources:
        lines.append("Pengaturan belum berisi [sumber]: hanya folder putaran yang dibaca (lihat [sumber] di "
                     "satudata/reference/pengaturan-contoh.toml untuk portal CKAN, ekspor DSSD SIPD dan e-Walidata).")  # fmt: skip
    for d in described:
        head = f"- {d['nama']} ({d['jenis']}, {roles.get(d['peran'], d['peran'])})"
        if d["jenis"] == "folder":
            lines.append(f"{head}: {fmt.angka(len(d['berkas']))} berkas kiriman di data/raw/{round_date}/.")
            continue
        where = (f"portal {d.get('url')}" + (f", organisasi {', '.join(d['organisasi'])}" if d.get("organisasi")
                                               else ", semua organisasi")) if d["jenis"] == "ckan" else \
            f"pola {', '.join(d.get('pola', []))}"  # fmt: skip
        parts = [f"{fmt.angka(len(d['berkas']))} berkas dibaca ({where})"]
        if "dataset" in d:
            parts.append(f"{fmt.angka(d['dataset'])} dataset, {fmt.angka(d.get('dataset_cocok', 0))} cocok dengan "
                         f"elemen katalog, {fmt.angka(d.get('item_tercakup', 0))} butir tercakup")  # fmt: skip
        if d["jenis"] not in ("ckan_dump", "inventaris"):
            parts.append(f"{fmt.angka(d['nilai'])} nilai ({fmt.angka(d['nilai_dihitung'])} untuk butir wajib), "
                         f"{fmt.angka(d['elemen_cocok'])} elemen cocok")  # fmt: skip
        lines.append(f"{head}: " + "; ".join(parts) + ("; GAGAL dibaca." if d.get("gagal") else "."))
        for message in d.get("pesan_masalah", [])[:5]:
            lines.append(f"    ! {message}")
        if len(d.get("pesan_masalah", [])) > 5:
            lines.append(f"    ! ... dan {len(d['pesan_masalah']) - 5} masalah lain (lihat masalah.csv setelah tahap 1).")
    return lines
