"""The rakor stage (stage 4): the round's outputs read once, then the deck, the feedback workbooks, the
walidata's recap, the DSSD exports back to SIPD and the EPSS evidence written beside the report.

It runs the writers of :mod:`satudata.outputs`; it lives here because it reads the round through the
pipeline's :class:`~satudata.run.pipeline.Context` (folders, settings, the checked reference).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from satudata.evaluation import trends
from satudata.outputs.kept_outputs import existing_outputs, keep_edited, kept_notes, record_written
from satudata.outputs.slides import build_deck
from satudata.reference.settings import Settings
from satudata.run.pipeline import Context


@dataclass
class RakorResult:
    """What the rakor stage read and wrote for one round."""

    inputs: trends.RoundInputs
    settings: Settings
    reports_dir: Path
    deck: Path
    feedback: list[Path]
    walidata: Path
    notes: list[str] = field(default_factory=list)
    data_dir: Path | None = None
    kept: list[tuple[Path, Path]] = field(default_factory=list)  # (output, its edited copy kept)
    epss: Path | None = None  # the EPSS evidence workbook (when the round's quality was computed)
    sipd: list[Path] = field(default_factory=list)  # the DSSD exports per OPD, for upload to SIPD
    facts: Any = None  # the round facts every output shows (satudata.evaluation.round_facts.RoundFacts)


def register_frame_for(ctx: Context) -> pd.DataFrame:
    """The register's OPDs. An invalid register or catalogue stops the stage with its Indonesian message
    (``CatalogueError``): no deck, workbook or trend page is built on a reference that does not hold."""
    register, _ = ctx.reference()
    return register.frame


def run_rakor(
    putaran: str,
    data_dir: str | Path | None = None,
    reports_dir: str | Path | None = None,
    settings_file: str | Path | None = None,
) -> RakorResult:
    """The rakor stage: read the round's outputs, write the deck, the feedback workbooks and the recap."""
    from satudata.outputs.feedback import write_feedback, write_walidata_workbook

    ctx = Context.create(putaran, data_dir, reports_dir, settings_file)
    inputs = trends.load_round_inputs(ctx.paths.processed_root, ctx.round_date)
    settings, out = ctx.settings, ctx.reports
    register_frame = register_frame_for(ctx)  # first: an invalid reference stops the stage before any output
    deck_path, feedback_dir = out / f"rakor-{ctx.round_date}.pptx", out / "umpan-balik"
    kept = keep_edited([deck_path, *existing_outputs(feedback_dir, "*.xlsx")], out)
    quality_path, warnings_path = ctx.processed / "kualitas_opd.parquet", ctx.processed / "kualitas_nilai.parquet"
    quality = ((pd.read_parquet(quality_path), pd.read_parquet(warnings_path))
               if quality_path.exists() and warnings_path.exists() else None)  # fmt: skip
    from satudata.evaluation.round_facts import load_round_facts

    facts = load_round_facts(ctx.paths.processed_root, ctx.round_date, settings)
    deck = build_deck(
        ctx.round_date,
        inputs.progres_opd,
        inputs.riwayat,
        inputs.kekurangan,
        settings,
        deck_path,
        quality=quality,
        masalah=inputs.masalah,
        facts=facts,
    )
    args = (
        register_frame,
        inputs.progres_opd,
        inputs.kekurangan,
        inputs.masalah,
        settings,
        ctx.round_date,
        feedback_dir,
    )
    from satudata.reference.catalogue_quality import load_quality

    katalog = load_quality(ctx.processed)
    kualitas = quality[1] if quality is not None else None
    items_path = ctx.processed / "item_terkini.parquet"
    diterima = pd.read_parquet(items_path) if items_path.exists() else None
    from satudata.sources.reconcile import load_reconciliation  # [sumber]: the sheet Rekonsiliasi Sumber

    feedback = write_feedback(*args, kualitas=kualitas, diterima=diterima, rekonsiliasi=load_reconciliation(ctx.processed),
                              facts=facts)
    walidata = write_walidata_workbook(*args, katalog=katalog, kualitas=kualitas)
    sipd = write_sipd_exports(diterima, out / "sipd")
    record_written([deck, *feedback, walidata, *sipd], out)
    result = RakorResult(
        inputs, settings, out, deck, feedback, walidata, kept_notes(kept, out), ctx.paths.data_dir, kept
    )
    result.sipd = sipd
    result.facts = facts
    if quality is not None:
        result.epss = _write_epss(ctx, quality[0], facts)
    return result


def write_sipd_exports(item_terkini: pd.DataFrame | None, folder: Path) -> list[Path]:
    """Back to SIPD: per OPD, ``dssd-<kode_opd>.xlsx`` in the DSSD columns (``kode_dssd, uraian_dssd, satuan,
    data_<year>...``) holding the values that count this round (fulfilled items only), ready for the walidata
    to upload; every year owed is a column. None when the round has no items."""
    from satudata.reading.dssd import write_dssd

    if item_terkini is None or item_terkini.empty:
        return []
    years = sorted({int(y) for y in item_terkini["tahun"].dropna()})
    clean = item_terkini[item_terkini["terpenuhi"].fillna(False).astype(bool).to_numpy()]
    return list(write_dssd(clean, folder, years).values())


def _write_epss(ctx: Context, quality: pd.DataFrame, facts=None) -> Path | None:
    """The EPSS evidence workbook of the round (the reference was read when the stage began)."""
    import json

    from satudata.outputs.epss import epss_view, write_evidence
    from satudata.reference.epss_reference import load_epss_reference

    _register, catalogue = ctx.reference()
    reference = load_epss_reference(ctx.paths.reference)  # the region's copy in DATA_DIR/reference, else the package's
    per_opd, figures = epss_view(quality, catalogue.elements)
    files, rounds = [], []
    for round_date in ctx.paths.rounds_up_to(ctx.round_date):
        path = ctx.paths.processed(round_date) / "manifest.json"
        if path.exists():
            rounds.append(round_date)
            entries = json.loads(path.read_text(encoding="utf-8")).get("berkas", [])
            files += [{**e, "putaran": round_date} for e in entries]
    return write_evidence(per_opd, figures, files, ctx.round_date, ctx.reports, ctx.settings.region, facts,
                          rounds=rounds, reference=reference)
