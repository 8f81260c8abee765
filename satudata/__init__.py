"""satudata: Satu Data evaluation toolkit for Indonesian regional governments.

Turns the spreadsheets that data producers (OPD) hand in into one clean dataset,
measures each producer's progress against the SIPD elements it owes, and renders
dated evaluation reports, slides and feedback for every evaluation round.

In a notebook: ``import satudata as sd``; ``sd.putaran()`` lists the rounds and
``sd.muat(putaran)`` gives a round's tables as DataFrames. Importing the package itself
loads nothing heavy: the API is imported when first used.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it, imported on first access
_LAZY = {"putaran": "satudata.api", "muat": "satudata.api", "Putaran": "satudata.api"}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'satudata' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
