"""satudata: Satu Data evaluation toolkit for Indonesian regional governments.

Turns the spreadsheets that data producers (OPD) hand in into one clean dataset,
measures each producer's progress against the SIPD elements it owes, and renders
dated evaluation reports, slides and feedback for every evaluation round.

In a notebook: ``import satudata as sd``; ``sd.putaran()`` lists the rounds and
``sd.muat(putaran)`` gives a round's tables as DataFrames. Importing the package itself
loads nothing heavy: the API is imported when first used.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it, imported on first access
_LAZY = {"putaran": "satudata.run.api", "muat": "satudata.run.api", "Putaran": "satudata.run.api"}
__all__ = ["__version__", *_LAZY]

# Modules that moved into the stage sub-packages (docs/architecture.md), still importable by their old name
# (``from satudata import views``, ``import satudata.pipeline``) so that analysts' own notebooks keep working.
# The package itself never uses these names (tests/unit/test_architecture.py).
_MOVED = {
    "fmt": "common.fmt", "names": "common.names", "paths": "common.paths",
    "plain_words": "common.plain_words", "safe_names": "common.safe_names",
    "safe_text": "common.safe_text", "plausibility": "evaluation.plausibility",
    "progress": "evaluation.progress", "quality": "evaluation.quality", "trends": "evaluation.trends",
    "zones": "evaluation.zones", "format_scan": "formats.format_scan",
    "html_tables": "formats.html_tables", "read_errors": "formats.read_errors",
    "read_limits": "formats.read_limits", "readers": "formats.readers", "xlsx_scan": "formats.xlsx_scan",
    "annex": "outputs.annex", "attention": "outputs.attention", "browser_check": "outputs.browser_check",
    "charts": "outputs.charts", "deck_content": "outputs.deck_content", "epss": "outputs.epss",
    "exploration": "outputs.exploration", "exploration_charts": "outputs.exploration_charts",
    "feedback": "outputs.feedback", "kept_outputs": "outputs.kept_outputs",
    "opd_cards": "outputs.opd_cards", "reconciliation_view": "outputs.reconciliation_view",
    "report": "outputs.report", "round_downloads": "outputs.round_downloads", "slides": "outputs.slides",
    "submission_template": "outputs.submission_template", "summaries": "outputs.summaries",
    "templating": "outputs.templating", "trend_charts": "outputs.trend_charts",
    "trend_views": "outputs.trend_views", "views": "outputs.views", "zone_view": "outputs.zone_view",
    "sources.dssd": "reading.dssd", "file_ingest": "reading.file_ingest",
    "file_producers": "reading.file_producers", "ingest": "reading.ingest",
    "ingest_context": "reading.ingest_context", "matching": "reading.matching",
    "numbers": "reading.numbers", "parallel": "reading.parallel", "return_form": "reading.return_form",
    "sheet_values": "reading.sheet_values", "table_totals": "reading.table_totals",
    "tables": "reading.template_layout", "value_checks": "reading.value_checks",
    "value_frame": "reading.value_frame", "catalogue": "reference.catalogue",
    "catalogue_quality": "reference.catalogue_quality", "periods": "reference.periods",
    "reference_cache": "reference.reference_cache", "reference_table": "reference.reference_table",
    "register": "reference.register", "settings": "reference.settings",
    "settings_check": "reference.settings_check", "units": "reference.units",
    "validation": "reference.validation", "api": "run.api", "clean": "run.clean", "cli": "run.cli",
    "demo": "run.demo", "notebook": "run.notebook", "pipeline": "run.pipeline", "run_lock": "run.run_lock",
    "staged_outputs": "run.staged_outputs", "staged_reports": "run.staged_reports",
}


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``satudata.<old name>`` imported as the module it became (the same module object)."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        old = fullname.removeprefix("satudata.")
        if fullname.startswith("satudata.") and old in _MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec: Any) -> Any:
        return importlib.import_module(f"satudata.{_MOVED[spec.name.removeprefix('satudata.')]}")

    def exec_module(self, module: Any) -> None:
        pass  # already executed under its new name

    def get_code(self, fullname: str) -> Any:
        """The moved module's code, for ``python -m satudata.<old name>`` (runpy runs it as ``__main__``)."""
        new = f"satudata.{_MOVED[fullname.removeprefix('satudata.')]}"
        return importlib.util.find_spec(new).loader.get_code(new)


sys.meta_path.append(_MovedModules())


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        return importlib.import_module(f"satudata.{_MOVED[name]}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'satudata' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
