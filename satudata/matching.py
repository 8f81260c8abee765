"""Matching a row's element (code and/or name as written) to the catalogue.

Order, for the OPD that sent the row:

1. by code (``kode_elemen`` as written, compared without spaces and case), anywhere in the catalogue;
2. by normalised name (:func:`satudata.names.normalise_element`, through :func:`quick_normalise`) among the
   elements that OPD owes; then without a leading enumeration (``1.2.``, ``a)``, ``-``); then with the
   section heading in front (``Jumlah Tenaga Kerja di Luar Negeri`` + ``Tidak Terdidik``);
3. by normalised name among the elements of the other OPDs (kept, not counted for this OPD);
4. fuzzy (rapidfuzz ``fuzz.ratio`` on normalised names) among that OPD's elements, accepted at or
   above ``settings.matching.element_threshold`` and listed for review with its score;
5. otherwise ``tidak_cocok`` with the best candidates, so that the issue can name them.

When the OPD is unknown, steps 2 and 4 use the whole catalogue. Results are cached per
(OPD, label, code, section): a round repeats the same labels many times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import pandas as pd
from rapidfuzz import fuzz, process

from satudata import names
from satudata.names import fold, normalise_element

METHOD_CODE = "kode"
METHOD_NAME = "nama"
METHOD_FUZZY = "fuzzy"
METHOD_NONE = "tidak_cocok"


_NON_WORD = re.compile(r"[^0-9a-z]+")
_ENUMERATION = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)]|[-•*·–])\s*")


def quick_fold(text: str) -> str:
    """:func:`satudata.names.fold` with a fast path for ASCII text (same result)."""
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower()).strip()
    return fold(text)


_normalise_word = lru_cache(maxsize=65536)(normalise_element)
_ABBREVIATED = frozenset(getattr(names, "_ABBREVIATIONS", {"jml": None}))


def quick_normalise(text: str) -> str:
    """:func:`satudata.names.normalise_element` with a fast path for ASCII text (same result)."""
    if not text.isascii():
        return normalise_element(text)
    words = _NON_WORD.sub(" ", text.lower()).split()
    if _ABBREVIATED.isdisjoint(words):
        return " ".join(words)
    return " ".join([_normalise_word(w) for w in words])


class Match(NamedTuple):
    """The element a row names: ``kode_opd_pemilik`` is the OPD that owes it in the catalogue."""

    kode_elemen: str | None
    nama_elemen: str | None
    kode_opd_pemilik: str | None
    metode: str
    skor: float | None
    dihitung: bool
    kandidat: tuple[tuple[str, str, float], ...] = ()


def _norm_code(code: object) -> str:
    if code is None:
        return ""
    return "".join(str(code).split()).lower().rstrip(".")


@dataclass
class ElementIndex:
    """Look-ups over ``catalogue.elements`` built once per round."""

    elements: pd.DataFrame
    threshold: float = 85.0
    _by_code: dict[str, int] = field(init=False, repr=False)
    _by_opd_name: dict[tuple[str, str], int] = field(init=False, repr=False)
    _by_name: dict[str, int] = field(init=False, repr=False)
    _choices: dict[str | None, tuple[list[str], list[int]]] = field(init=False, repr=False)
    _cache: dict[tuple, Match] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        e = self.elements.reset_index(drop=True)
        self.elements = e
        self._codes = [str(c) for c in e["kode_elemen"].tolist()]
        self._names = [str(n) for n in e["nama_elemen"].tolist()]
        self._opds = [None if pd.isna(o) else str(o) for o in e["kode_opd"].tolist()]
        counted = e["dihitung"] if "dihitung" in e.columns else pd.Series(True, index=e.index)
        self._counted = [bool(v) for v in counted.fillna(False).tolist()]
        self._norm = [quick_normalise(n) for n in self._names]
        self._by_code, self._by_opd_name, self._by_name = {}, {}, {}
        for i, (code, opd, norm) in enumerate(zip(self._codes, self._opds, self._norm, strict=True)):
            self._by_code.setdefault(_norm_code(code), i)
            self._by_opd_name.setdefault((opd, norm), i)
            self._by_name.setdefault(norm, i)
        self._choices = {}
        self._cache = {}

    def _choices_for(self, kode_opd: str | None) -> tuple[list[str], list[int]]:
        """Normalised names (and their rows) to fuzzy-match against: the OPD's, else all (built lazily)."""
        if not self._choices:
            for i, opd in enumerate(self._opds):
                names, idx = self._choices.setdefault(opd, ([], []))
                names.append(self._norm[i])
                idx.append(i)
            self._choices[None] = (self._norm, list(range(len(self._norm))))
        return self._choices.get(kode_opd if kode_opd in self._choices else None, ([], []))

    def _match(self, i: int, kode_opd: str | None, method: str, score: float | None) -> Match:
        owner = self._opds[i]
        counts = kode_opd is not None and owner == kode_opd and self._counted[i]
        return Match(self._codes[i], self._names[i], owner, method, score, counts)

    def match(self, kode_opd: str | None, label: str, code: str = "", section: str = "") -> Match:
        """The element that a row of ``kode_opd`` names (see module docstring)."""
        key = (kode_opd, label, code, section)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._match_uncached(kode_opd, label, code, section)
        return found

    def _match_uncached(self, kode_opd: str | None, label: str, code: str, section: str) -> Match:
        if code:
            i = self._by_code.get(_norm_code(code))
            if i is not None:
                return self._match(i, kode_opd, METHOD_CODE, 100.0)
        norm = quick_normalise(label)
        i = self._by_opd_name.get((kode_opd, norm)) if kode_opd else self._by_name.get(norm)
        if i is not None:
            return self._match(i, kode_opd, METHOD_NAME, 100.0)
        bare = _ENUMERATION.sub("", label, count=1)
        if bare != label:  # "1.2. Jumlah Bidan", "a) Jumlah Bidan", "- Jumlah Bidan"
            norm = quick_normalise(bare)
        with_section = quick_normalise(f"{section} {bare}") if section else ""
        for name in (norm, with_section):
            i = self._by_opd_name.get((kode_opd, name)) if kode_opd else self._by_name.get(name)
            if name and i is not None:
                return self._match(i, kode_opd, METHOD_NAME, 100.0)
        if kode_opd:
            i = self._by_name.get(norm)
            if i is not None:
                return self._match(i, kode_opd, METHOD_NAME, 100.0)
        if not norm:
            return Match(None, None, None, METHOD_NONE, None, False)
        names, idx = self._choices_for(kode_opd)
        if not names:
            return Match(None, None, None, METHOD_NONE, None, False)
        best: list[tuple[float, int]] = []
        for query in (norm, with_section):
            if query:
                for _, score, pos in process.extract(query, names, scorer=fuzz.ratio, limit=3):
                    best.append((float(score), idx[pos]))
        best.sort(key=lambda t: (-t[0], t[1]))
        if best and best[0][0] >= self.threshold:
            score, i = best[0]
            return self._match(i, kode_opd, METHOD_FUZZY, round(score, 1))
        seen: list[tuple[str, str, float]] = []
        for score, i in best:
            if all(s[0] != self._codes[i] for s in seen):
                seen.append((self._codes[i], self._names[i], round(score, 1)))
        return Match(None, None, None, METHOD_NONE, best[0][0] if best else None, False, tuple(seen[:3]))
