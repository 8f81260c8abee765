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


def visible_text(html: str) -> str:
    """What a reader of an HTML page sees: its text without scripts and styles, plus the descriptions
    (``alt``, ``title``, ``aria-label``, ``placeholder``) a reader or a screen reader meets."""
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("script", "style"):
                self.skip += 1
            for name, value in attrs:
                if name in ("alt", "title", "aria-label", "placeholder") and value:
                    self.parts.append(value)

        def handle_endtag(self, tag: str) -> None:
            if tag in ("script", "style") and self.skip:
                self.skip -= 1

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())
