"""Matching a row's element (code and/or name as written) to the catalogue.

Order, for the OPD that sent the row:

1. by code (``kode_elemen`` as written, compared without spaces and case), anywhere in the catalogue;
2. by normalised name (:func:`satudata.common.names.normalise_element`, through :func:`quick_normalise`) among the
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

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from satudata.common import names
from satudata.common.names import fold, normalise_element

METHOD_CODE = "kode"
METHOD_NAME = "nama"
METHOD_FUZZY = "fuzzy"
METHOD_NONE = "tidak_cocok"


_ENUMERATION = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)]|[-•*·–])\s*")


# ASCII bytes: letters lower-cased, digits kept, everything else a space (as the regex [^0-9a-z]+ would)
_FOLD_BYTES = bytes(
    c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256)
)


def quick_fold(text: str) -> str:
    """:func:`satudata.common.names.fold` with a fast path for ASCII text (same result)."""
    if text.isascii():
        return b" ".join(text.encode("ascii").translate(_FOLD_BYTES).split()).decode("ascii")
    return fold(text)


_normalise_word = lru_cache(maxsize=65536)(normalise_element)
_ABBREVIATED = frozenset(getattr(names, "_ABBREVIATIONS", {"jml": None}))
_ABBREVIATED_BYTES = frozenset(w.encode("ascii") for w in _ABBREVIATED)


def quick_normalise(text: str) -> str:
    """:func:`satudata.common.names.normalise_element` with a fast path for ASCII text (same result)."""
    if not text.isascii():
        return normalise_element(text)
    words = text.encode("ascii").translate(_FOLD_BYTES).split()
    if _ABBREVIATED_BYTES.isdisjoint(words):
        return b" ".join(words).decode("ascii")
    return " ".join([_normalise_word(w.decode("ascii")) for w in words])


def normalise_many(texts: list[str]) -> list[str]:
    """``[quick_normalise(t) for t in texts]``."""
    return [quick_normalise(t) for t in texts]


def clear_caches() -> None:
    """Empty the process-wide normalisation caches (results never depend on them)."""
    _normalise_word.cache_clear()


class Match(NamedTuple):
    """The element a row names: ``kode_opd_pemilik`` is the OPD that owes it in the catalogue."""

    kode_elemen: str | None
    nama_elemen: str | None
    kode_opd_pemilik: str | None
    metode: str
    skor: float | None
    dihitung: bool
    kandidat: tuple[tuple[str, str, float], ...] = ()


def _first_wins(keys: list[str]) -> dict[str, int]:
    """{key: index of its first occurrence} (a dict built from the end keeps the first)."""
    return dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))


def _norm_code(code: object) -> str:
    if code is None:
        return ""
    return "".join(str(code).split()).lower().rstrip(".")


@dataclass
class ElementIndex:
    """Look-ups over ``catalogue.elements``, built when first needed.

    Only the element lists are made up front. Every name is normalised once, the first time any
    name look-up is needed (:meth:`prepare` does it before ingestion forks its workers, so they share
    it); the look-ups of one OPD (its names as written and normalised, its fuzzy choices) are cut
    from those the first time a row of that OPD is matched; codes are indexed the first time a row
    gives one. For every key the first element in catalogue order wins.
    """

    elements: pd.DataFrame
    threshold: float = 85.0
    _cache: dict[tuple, Match] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        e = self.elements.reset_index(drop=True)
        self.elements = e
        self._codes = [str(c) for c in e["kode_elemen"].tolist()]
        self._names = [str(n) for n in e["nama_elemen"].tolist()]
        missing = e["kode_opd"].isna().tolist()
        self._opds = [None if na else str(o) for o, na in zip(e["kode_opd"].tolist(), missing, strict=True)]
        counted = e["dihitung"] if "dihitung" in e.columns else pd.Series(True, index=e.index)
        self._counted = [bool(v) for v in counted.fillna(False).tolist()]
        self._cache = {}
        self._rows_of: dict[str | None, list[int]] | None = None  # element rows per OPD
        self._norm: list[str] | None = None  # every normalised name
        self._code_index: dict[str, int] | None = None
        self._name_index: dict[str, int] | None = None  # normalised name -> first element, whole catalogue
        self._exact_index: dict[str, int] | None = None  # name as written -> that first element
        self._all_choices: tuple[list[str], list[int]] | None = None
        # per OPD: (name as written -> element, normalised name -> element, fuzzy choices)
        self._per_opd: dict[str | None, tuple[dict[str, int], dict[str, int], tuple[list[str], list[int]]]] = {}

    @property
    def _by_code(self) -> dict[str, int]:
        if self._code_index is None:
            # a code without whitespace (no space, nothing unprintable) needs no splitting: _norm_code's fast path
            codes = [c.lower().rstrip(".") if " " not in c and c.isprintable() else _norm_code(c) for c in self._codes]
            self._code_index = _first_wins(codes)
        return self._code_index

    @property
    def _by_name(self) -> dict[str, int]:
        if self._name_index is None:
            self._name_index = _first_wins(self._normalised())
        return self._name_index

    def prepare(self) -> None:
        """Build now the look-ups that every round needs (all normalised names, elements by OPD).

        Ingestion calls this before forking workers: built once in the parent, the look-ups are shared
        by the workers; each worker building its own would pay the work and the memory twice.
        """
        _ = self._by_name
        self._rows_by_opd()

    def _normalised(self) -> list[str]:
        """Every element's normalised name, made once: a round of real files always holds labels that must
        be looked up among all elements (other OPDs' elements before fuzzy matching), so the OPDs' look-ups
        are cut from these rather than each normalising its own names again."""
        if self._norm is None:
            self._norm = normalise_many(self._names)
        return self._norm

    @property
    def _by_exact(self) -> dict[str, int]:
        if self._exact_index is None:
            by_name, norm = self._by_name, self._normalised()
            self._exact_index = {name: by_name[n] for name, n in zip(self._names, norm, strict=True)}
        return self._exact_index

    def _opd(self, kode_opd: str | None) -> tuple[dict[str, int], dict[str, int], tuple[list[str], list[int]]]:
        """The look-ups of one OPD's elements (``None``: the elements without an OPD), built once."""
        found = self._per_opd.get(kode_opd)
        if found is None:
            rows = self._rows_by_opd().get(kode_opd, [])
            names = [self._names[i] for i in rows]
            every = self._normalised()
            norm = [every[i] for i in rows]
            by_norm = {n: rows[j] for j, n in reversed(list(enumerate(norm)))}
            exact = {name: by_norm[n] for name, n in zip(names, norm, strict=True)}
            found = self._per_opd[kode_opd] = (exact, by_norm, (norm, rows))
        return found

    def _rows_by_opd(self) -> dict[str | None, list[int]]:
        if self._rows_of is None:
            codes, opds = pd.factorize(pd.Series(self._opds, dtype=object), use_na_sentinel=False)
            order = np.argsort(codes, kind="stable")  # element rows grouped by OPD, in catalogue order
            ends = np.cumsum(np.bincount(codes, minlength=len(opds))).tolist()
            self._rows_of = {
                None if pd.isna(opd) else opd: order[start:end].tolist()
                for opd, start, end in zip(opds.tolist(), [0, *ends][:-1], ends, strict=True)
            }
        return self._rows_of

    def _in_opd(self, kode_opd: str | None, norm: str) -> int | None:
        """The element of ``kode_opd`` (any element when None) with this normalised name."""
        return self._opd(kode_opd)[1].get(norm) if kode_opd else self._by_name.get(norm)

    def _choices_for(self, kode_opd: str | None) -> tuple[list[str], list[int]]:
        """Normalised names (and their rows) to fuzzy-match against: the OPD's, else all."""
        if kode_opd is not None and kode_opd in self._rows_by_opd():
            return self._opd(kode_opd)[2]
        if self._all_choices is None:
            every = self._normalised()
            self._all_choices = (every, list(range(len(every))))
        return self._all_choices

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

    def match_many(self, kode_opd: str | None, rows: list[tuple[str, str, str]]) -> list[Match]:
        """``[self.match(kode_opd, label, code, section) for label, code, section in rows]``, faster."""
        cache, out = self._cache, []
        append = out.append
        exact = self._opd(kode_opd)[0] if kode_opd else self._by_exact
        codes, names, opds, counted = self._codes, self._names, self._opds, self._counted
        for label, code, section in rows:
            i = None if code else exact.get(label)
            if i is not None:  # what self._match(i, kode_opd, METHOD_NAME, 100.0) gives, built directly
                owner = opds[i]
                counts = kode_opd is not None and owner == kode_opd and counted[i]
                append(tuple.__new__(Match, (codes[i], names[i], owner, METHOD_NAME, 100.0, counts, ())))
                continue
            key = (kode_opd, label, code, section)
            found = cache.get(key)
            if found is None:
                found = cache[key] = self._match_uncached(kode_opd, label, code, section)
            append(found)
        return out

    def _match_uncached(self, kode_opd: str | None, label: str, code: str, section: str) -> Match:
        if code:
            i = self._by_code.get(_norm_code(code))
            if i is not None:
                return self._match(i, kode_opd, METHOD_CODE, 100.0)
        i = self._opd(kode_opd)[0].get(label) if kode_opd else self._by_exact.get(label)
        if i is not None:
            return self._match(i, kode_opd, METHOD_NAME, 100.0)
        norm = quick_normalise(label)
        i = self._in_opd(kode_opd, norm)
        if i is not None:
            return self._match(i, kode_opd, METHOD_NAME, 100.0)
        bare = _ENUMERATION.sub("", label, count=1)
        if bare != label:  # "1.2. Jumlah Bidan", "a) Jumlah Bidan", "- Jumlah Bidan"
            norm = quick_normalise(bare)
        with_section = quick_normalise(f"{section} {bare}") if section else ""
        for name in (norm, with_section):
            i = self._in_opd(kode_opd, name)
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
        # First only candidates at or above the threshold (fast: rapidfuzz skips the others early); once one
        # is found, the next query only needs candidates as good. Each query keeps its 3 best, as below.
        best: list[tuple[float, int]] = []
        cutoff = self.threshold
        for query in (norm, with_section):
            if query:
                for _, score, pos in process.extract(query, names, scorer=fuzz.ratio, limit=3, score_cutoff=cutoff):
                    best.append((float(score), idx[pos]))
                cutoff = max([cutoff, *(score for score, _ in best)])
        if not best:  # nothing good enough: the best candidates, to name them in the issue
            for query in (norm, with_section):
                if query:
                    for _, score, pos in process.extract(query, names, scorer=fuzz.ratio, limit=3):
                        best.append((float(score), idx[pos]))
        best.sort(key=lambda t: (-t[0], t[1]))
        if best and best[0][0] >= self.threshold:
            score, i = best[0]
            return self._match(i, kode_opd, METHOD_FUZZY, score)
        seen: list[tuple[str, str, float]] = []
        for score, i in best:
            if all(s[0] != self._codes[i] for s in seen):
                seen.append((self._codes[i], self._names[i], score))
        return Match(None, None, None, METHOD_NONE, best[0][0] if best else None, False, tuple(seen[:3]))
