"""The report's "Rekonsiliasi sumber" section: where the OPD's files, SIPD and the portal agree on a value.

Shown only when the round has a reconciliation (``[sumber]`` configured; :mod:`satudata.sources.reconcile`
computes it in stage 2). Per producer: items compared, the same, different, in one source only; the items
counted as fulfilled by the source their current value came from; then the values that differ, largest
relative difference first (the first 50; every row is in ``rekonsiliasi.csv``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from satudata.common import fmt
from satudata.outputs.html_parts import paragraph, render_parts, subheading, table_part

ROLE_NAMES = {"berkas": "Berkas OPD", "sipd": "SIPD", "portal": "Portal data"}
SHOWN = 50


def _number(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "–"
    value = float(value)
    return fmt.angka(value, None if value.is_integer() else 2)


def reconciliation_html(processed: str | Path) -> str:
    """The section's HTML (heading included), or ``""`` when the round has no reconciliation."""
    from satudata.sources.reconcile import report_section

    section = report_section(processed)
    if section is None:
        return ""
    parts = [paragraph(section.kalimat)]
    summary = section.ringkasan
    if len(summary):
        parts.append(subheading("Per OPD"))
        rows = [[r.nama_opd, fmt.angka(r.butir), fmt.angka(r.dibandingkan), fmt.angka(r.sama), fmt.angka(r.beda),
                 fmt.angka(r.hanya_satu_sumber)] for r in summary.itertuples()]  # fmt: skip
        parts.append(table_part(["OPD", "Butir", "Dibandingkan", "Sama", "Berbeda", "Hanya satu sumber"], rows,
                        "tabel-rekonsiliasi", numeric={1, 2, 3, 4, 5}))  # fmt: skip
    by_source = section.per_sumber
    sources = [c for c in by_source.columns if c not in ("kode_opd", "nama_opd", "terpenuhi")]
    if len(by_source) and sources:
        parts.append(subheading("Butir terpenuhi menurut sumber nilainya"))
        parts.append(paragraph("Butir dihitung terpenuhi dari sumber mana pun; nilai dari berkas OPD didahulukan, lalu "
                        "SIPD, lalu portal."))  # fmt: skip
        rows = [[r["nama_opd"], *[fmt.angka(int(r[s])) for s in sources], fmt.angka(int(r["terpenuhi"]))]
                for _, r in by_source.iterrows()]  # fmt: skip
        parts.append(table_part(["OPD", *sources, "Terpenuhi"], rows, "tabel-sumber", numeric=set(range(1, len(sources) + 2))))
    differ = section.beda
    if len(differ):
        parts.append(subheading("Nilai yang berbeda antarsumber"))
        more = f" ({SHOWN} pertama dari {fmt.angka(len(differ))}; semuanya di rekonsiliasi.csv)" if len(differ) > SHOWN else ""
        parts.append(paragraph(f"Selisih terbesar lebih dulu{more}. Pastikan angka yang benar, lalu samakan di sumber yang "
                        "lain."))  # fmt: skip
        rows = [[r.nama_opd, r.nama_elemen, int(r.tahun), _number(r.nilai_berkas), _number(r.nilai_sipd),
                 _number(r.nilai_portal), _number(r.selisih)] for r in differ.head(SHOWN).itertuples()]  # fmt: skip
        parts.append(table_part(["OPD", "Elemen", "Tahun", ROLE_NAMES["berkas"], ROLE_NAMES["sipd"], ROLE_NAMES["portal"],
                         "Selisih"], rows, "tabel-beda", numeric={2, 3, 4, 5, 6}))  # fmt: skip
    return '<h2 id="rekonsiliasi-sumber">Rekonsiliasi sumber</h2>' + render_parts(parts)
