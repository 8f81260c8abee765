"""Stage runners: each reads the previous stage's files and writes its own under ``processed/<round>/``.

Notebooks call these and show what they return; the command line calls them without Jupyter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from satudata.common.paths import Paths, check_round
from satudata.evaluation.progress import NILAI_COLUMNS
from satudata.reference.settings import Settings, load_settings
from satudata.run.previous_round import KEY_FILE, release_arrow_memory
from satudata.run.staged_outputs import staged

HISTORY_FILE = "riwayat_progres_opd.parquet"


@dataclass
class Context:
    """Everything a stage needs about where it runs."""

    round_date: str
    paths: Paths
    settings: Settings
    _reference: tuple | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def create(
        cls,
        round_date: str,
        data_dir: str | Path | None = None,
        reports_dir: str | Path | None = None,
        settings_file: str | Path | None = None,
    ) -> Context:
        round_date = check_round(round_date)  # a bad date is said first, before any file is looked for
        paths = Paths.from_env(data_dir or None, reports_dir or None)
        settings = load_settings(settings_file or paths.settings_file)
        return cls(round_date, paths, settings)

    @property
    def processed(self) -> Path:
        return self.paths.processed(self.round_date)

    @property
    def reports(self) -> Path:
        return self.paths.reports(self.round_date)

    @property
    def history_path(self) -> Path:
        return self.paths.processed_root / HISTORY_FILE

    def reference(self):
        """The validated register and catalogue (raises ``CatalogueError`` with every problem).

        Loaded once per context (``satudata hitung`` runs ingest and progress on one context), and kept
        between commands while the files, settings and package are unchanged (:mod:`satudata.reference.reference_cache`).
        """
        if self._reference is None:
            from satudata.reference.reference_cache import cached_reference

            self._reference = cached_reference(self.paths.reference, self.settings, self.paths.processed_root)
        return self._reference


def run_ingest(ctx: Context):
    """Ingest every file of the round's raw folder; write nilai, masalah and the manifest."""
    from satudata.reading.ingest import ingest_round, write_ingest

    raw = ctx.paths.raw(ctx.round_date)
    if not raw.is_dir():
        raise FileNotFoundError(
            f"Folder putaran {raw} tidak ada. Taruh berkas kiriman OPD putaran {ctx.round_date} di folder itu."
        )
    register, catalogue = ctx.reference()
    from satudata.reference.catalogue_quality import assess, write_quality

    if ctx.settings.sources:  # [sumber]: the files a source owns are read by it, not as submissions
        from satudata.sources.collect import owned_paths

        result = ingest_round(raw, ctx.round_date, register, catalogue, ctx.settings,
                              skip=owned_paths(raw, ctx.settings))  # fmt: skip
        portal = add_sources(ctx, raw, result, register, catalogue)
    else:
        result, portal = ingest_round(raw, ctx.round_date, register, catalogue, ctx.settings), None
    quality = assess(catalogue, register)
    result.manifest.setdefault("katalog", {})
    result.manifest["katalog"].update(
        {"berkas": str(catalogue.source.name) if catalogue.source else None, "sha256": catalogue.sha256,
         **{k: v for k, v in quality.summary.items() if k != "berkas"}}
    )
    result.manifest["pengaturan"] = ctx.settings.as_dict()
    with staged(ctx.processed, last=("nilai.parquet",)) as out:  # all files or none; the make target last
        write_quality(quality, out, ctx.settings.output)
        if portal is not None:
            from satudata.sources.collect import write_portal

            write_portal(portal, out, ctx.settings.output)
        write_ingest(result, out, ctx.settings.output)
    return result


def add_sources(ctx: Context, raw: Path, result, register, catalogue) -> list:
    """The configured sources of the round added to the ingest's result: their values (column ``sumber``), their
    issues, ``manifest["sumber"]``. Returns what each source read (for the portal tables)."""
    from satudata.reading.ingest import issues_frame
    from satudata.reading.value_checks import check_values
    from satudata.sources.collect import folder_name, read_sources, with_sources
    from satudata.sources.portal import load_mapping

    try:
        mapping = load_mapping(ctx.paths.reference / "pemetaan-portal.csv")
    except ValueError as exc:
        mapping = None
        result.masalah = pd.concat([result.masalah, issues_frame([{
            "putaran": ctx.round_date, "sumber_file": "pemetaan-portal.csv", "sumber_sheet": None, "sumber_baris": None,
            "sumber_kolom": None, "kode_opd": None, "tingkat": "galat", "kode_masalah": "pemetaan_tidak_terbaca",
            "pesan": f"{exc} Pemetaan portal tidak dipakai pada putaran ini."}])], ignore_index=True)  # fmt: skip
    reads = read_sources(raw, ctx.round_date, register, catalogue, ctx.settings, mapping)
    result.nilai = with_sources(result.nilai, reads, ctx.settings)
    issues = [i for r in reads for i in r.issues]
    # a source's values pass the checks a submitted file's values pass (unit, percent above 100, negative count);
    # only counted values are checked, so only they are copied (a provincial dump is mostly elements not owed here)
    nilai = result.nilai
    from_source = ((nilai["sumber"] != folder_name(ctx.settings)).to_numpy(dtype=bool)
                   & nilai["dihitung"].to_numpy(dtype=bool) & nilai["kode_elemen"].notna().to_numpy())  # fmt: skip
    if from_source.any():
        part = result.nilai[from_source].reset_index(drop=True)
        issues += check_values(part, catalogue.elements, ctx.settings, ctx.round_date)
        result.nilai.loc[from_source, "dihitung"] = part["dihitung"].to_numpy(dtype=bool)
    if issues:
        result.masalah = pd.concat([result.masalah, issues_frame(issues)], ignore_index=True)
    result.manifest["sumber"] = [r.summary() for r in reads]
    levels = result.masalah["tingkat"].value_counts()
    result.manifest["jumlah_masalah"] = {k: int(levels.get(k, 0)) for k in result.manifest["jumlah_masalah"]}
    return reads


def load_nilai(ctx: Context) -> dict[str, RoundValues]:
    """The values of every round up to this one, each read when progress needs it (each round must have been
    ingested)."""
    out = {}
    for round_date in ctx.paths.rounds_up_to(ctx.round_date):
        path = ctx.paths.processed(round_date) / "nilai.parquet"
        if not path.exists():
            raise FileNotFoundError(
                f"Nilai putaran {round_date} belum ada ({path}). Jalankan dulu "
                f"`make round ROUND={round_date}` (atau `make all`)."
            )
        out[round_date] = RoundValues(path)
    return out


# text that repeats in every round's values: read as categories (each distinct text once; at national scale the
# values take 1.3 GiB instead of 2.2 GiB and are read faster); ``kode_elemen`` has nearly a distinct code per row
REPEATED_TEXT = ["kode_opd", "status", "sumber_file", "sumber_sheet", "sumber_kolom", "sumber"]


class RoundValues:
    """One round's ``nilai.parquet``, read when progress needs it and only the columns it asks for
    (:class:`satudata.evaluation.progress.StoredValues`): deciding every item's current value reads a few key
    columns of each round in turn, its source only the winning rounds' source columns, so the values of every
    round are never all in memory (national scale: 12.9 M values)."""

    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq

        self.path = Path(path)
        self.columns = pq.read_schema(self.path).names

    def __call__(self, columns: list[str]) -> pd.DataFrame:
        import pyarrow.parquet as pq

        wanted = [c for c in columns if c in self.columns]
        text = [c for c in REPEATED_TEXT if c in wanted]
        frame = pq.read_table(self.path, columns=wanted, read_dictionary=text).to_pandas()
        release_arrow_memory()
        return frame

    def read(self) -> pd.DataFrame:
        """The columns progress reads (and ``sumber`` in a round read with ``[sumber]``) at once."""
        return self(NILAI_COLUMNS + ["sumber"])


def run_progress(ctx: Context):
    """Cumulative progress of the round, compared with the previous round: that round's progress as its own
    stage 2 wrote it when nothing it was computed from has changed, otherwise recomputed from its values
    (:mod:`satudata.run.previous_round`)."""
    from satudata.evaluation.progress import compute_progress, write_progress
    from satudata.run.previous_round import progress_key, stored_progress, write_key

    register, catalogue = ctx.reference()
    key = progress_key(ctx.paths, ctx.settings, ctx.round_date)  # before the values are read: a later change is seen
    nilai = load_nilai(ctx)
    rounds = sorted(nilai)
    previous = None
    if len(rounds) > 1:
        before = rounds[-2]
        previous = stored_progress(ctx.paths, ctx.settings, before)
        if previous is None:
            earlier = {r: v for r, v in nilai.items() if r <= before}
            previous = compute_progress(before, earlier, catalogue, register, ctx.settings)
    result = compute_progress(ctx.round_date, nilai, catalogue, register, ctx.settings,
                              previous=previous.progres_opd if previous is not None else None)
    with staged(ctx.processed, last=("progres_opd.parquet", KEY_FILE)) as out:  # all or none; the target, then its key
        write_value_quality(ctx, result, catalogue, previous.item_terkini if previous is not None else None, out)
        if ctx.settings.sources:  # [sumber]: one element across the files, SIPD and the portal
            from satudata.sources.reconcile import reconcile, write_reconciliation

            table = reconcile({r: v.read() for r, v in nilai.items()}, catalogue, register, ctx.settings,
                              ctx.round_date)  # fmt: skip
            write_reconciliation(table, out, ctx.settings.output)
        write_progress(result, out, ctx.history_path, ctx.settings.output)
        write_key(out, key)
    return result


def write_value_quality(ctx: Context, result, catalogue, previous_items: pd.DataFrame | None, out: Path) -> None:
    """The round's plausibility warnings and quality per producer (``kualitas_nilai``, ``kualitas_opd``)."""
    from satudata.common.safe_text import to_csv as safe_to_csv
    from satudata.evaluation.plausibility import round_checks
    from satudata.evaluation.quality import arrivals, quality_by_opd, table_checks_by_opd

    warnings, consistency = round_checks(result.item_terkini, catalogue.elements, ctx.settings.quality,
                                         ctx.round_date, previous=previous_items)  # fmt: skip
    masalah_path = ctx.processed / "masalah.parquet"
    masalah = pd.read_parquet(masalah_path) if masalah_path.exists() else pd.DataFrame(columns=["kode_masalah"])
    arrived = {r: arrivals(ctx.paths.raw(r), ctx.settings.timezone) for r in ctx.paths.rounds_up_to(ctx.round_date)}
    manifest_path = ctx.processed / "manifest.json"
    checks = table_checks_by_opd(read_json(manifest_path)) if manifest_path.exists() else {}
    quality = quality_by_opd(ctx.round_date, result.progres_opd, result.item_terkini, warnings, masalah,
                             catalogue.elements, arrived, previous_items, checks, consistency)  # fmt: skip
    warnings.to_parquet(out / "kualitas_nilai.parquet", index=False)
    safe_to_csv(warnings, out / "kualitas_nilai.csv", ctx.settings.output, index=False, encoding="utf-8-sig")
    quality.to_parquet(out / "kualitas_opd.parquet", index=False)
    safe_to_csv(quality, out / "kualitas_opd.csv", ctx.settings.output, index=False, encoding="utf-8-sig")


def read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))
