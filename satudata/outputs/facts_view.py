"""The round facts (:mod:`satudata.evaluation.round_facts`) as the annex, the trend page and the notebooks show
them: one row per OPD with its zone, percent as shown, items owed and fulfilled, items to the next zone, pace
and forecast of hijau, last submission and action. Nothing here computes a figure: every cell is a field of
:class:`~satudata.evaluation.round_facts.OpdFacts`, written in the same words as the report and the deck.

The HTML table marks each row with ``data-kode`` and each fact cell with ``data-fakta`` (the tests read
them back) and ``data-label`` (the column's name, shown before the value when a phone stacks the cells).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from satudata.common import fmt
from satudata.outputs.zone_view import zone_view
from satudata.reference.settings import Settings

# (key, header): the columns of the facts table, in the order every page shows them
COLUMNS = (
    ("opd", "OPD"),
    ("zona", "Zona"),
    ("persen", "Persen capaian"),
    ("butir", "Butir terpenuhi"),
    ("wajib", "Butir wajib"),
    ("ke_zona", "Butir ke zona berikut"),
    ("ke_hijau", "Butir ke hijau"),
    ("perkiraan", "Perkiraan hijau"),
    ("kirim", "Kiriman terakhir"),
    ("tindakan", "Perlu tindakan"),
)
NUMERIC = {"persen", "butir", "wajib", "ke_hijau"}


def ordered(facts: Any) -> list[Any]:
    """The OPDs of ``facts``: the ones to act on first (lowest percent first), then the others by name."""
    acting = facts.action_list
    keys = {f.kode_opd for f in acting}
    rest = sorted((f for f in facts.opds.values() if f.kode_opd not in keys), key=lambda f: (f.nama_opd, f.kode_opd))
    return [*acting, *rest]


def fact_cells(fact: Any) -> dict[str, str]:
    """One OPD's facts as the texts every page writes (the report's and the deck's words)."""
    return {
        "opd": fact.nama_opd,
        "zona": fact.zona_label,
        "persen": fact.persen_teks,
        "butir": fmt.angka(fact.terpenuhi),
        "wajib": fmt.angka(fact.wajib),
        "ke_zona": fact.ke_zona_teks,
        "ke_hijau": fmt.angka(fact.ke_hijau),
        "perkiraan": fact.perkiraan_hijau,
        "kirim": fact.kirim_terakhir_teks,
        "tindakan": fact.tindakan_teks,
    }


def facts_frame(facts: Any) -> pd.DataFrame:
    """The facts as a DataFrame for a notebook: Indonesian column names, typed numbers (the percent as shown)."""
    rows = []
    for f in ordered(facts):
        rows.append({
            "kode_opd": f.kode_opd, "OPD": f.nama_opd, "Zona": f.zona_label, "Persen capaian": f.persen_teks,
            "Butir terpenuhi": f.terpenuhi, "Butir wajib": f.wajib, "Butir ke hijau": f.ke_hijau,
            "Butir ke kuning": f.ke_kuning, "Perkiraan hijau": f.perkiraan_hijau,
            "Kiriman terakhir": f.kirim_terakhir_teks, "Perlu tindakan": f.tindakan_teks,
        })  # fmt: skip
    return pd.DataFrame(rows)


def facts_table_html(facts: Any, settings: Settings, caption: str = "") -> str:
    """The facts table (every text escaped), the OPDs to act on first."""
    from satudata.outputs.templating import render

    rows = []
    for f in ordered(facts):
        cells = fact_cells(f)
        rows.append({"kode": f.kode_opd, "zona": zone_view(settings, f.zona), "aksi": f.on_list,
                     "cells": [{"key": k, "label": h, "text": cells[k], "angka": k in NUMERIC} for k, h in COLUMNS]})
    region = facts.region
    return render("fakta.html.j2", rows=rows, headers=COLUMNS, numeric=NUMERIC, caption=caption,
                  region=region.forecast_text, acting=len(facts.action_list), total=len(facts.opds))
