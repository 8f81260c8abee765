"""Plain official Indonesian for texts shown to readers, and the English words that must not appear.

Some messages are written by earlier stages with a borrowed word (``sheet``, ``fuzzy``); the report
shows them through :func:`plain`. :data:`ENGLISH_WORDS` is the list the output tests look for.
"""

from __future__ import annotations

import re

REPLACEMENTS = {
    "sheet": "lembar kerja",
    "Sheet": "Lembar kerja",
    "fuzzy": "menurut kemiripan",
    "Fuzzy": "Menurut kemiripan",
}
_WORD = re.compile(r"\b(" + "|".join(map(re.escape, REPLACEMENTS)) + r")\b")

ENGLISH_WORDS = (
    "fuzzy", "sheet", "No description has been provided", "Error", "Warning", "checksum", "settings",
    "bytes", "true", "false", "None", "null", "NaN", "Traceback", "Exception", "default", "download",
    "filter", "search", "sort", "page", "round", "score", "match", "missing", "report",
)


def plain(text: str) -> str:
    """``text`` with the borrowed words replaced (``sheet 'Data'`` -> ``lembar kerja 'Data'``)."""
    return _WORD.sub(lambda m: REPLACEMENTS[m.group(1)], text)


def english_words(text: str, words: tuple[str, ...] = ENGLISH_WORDS) -> list[str]:
    """The words of ``words`` found in ``text`` as whole words (case-insensitive)."""
    return [w for w in words if re.search(r"\b" + re.escape(w) + r"\b", text, re.I)]
