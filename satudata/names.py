"""Normalising names of OPDs and data elements before comparing them."""

from __future__ import annotations

import re
import unicodedata

_ABBREVIATIONS = {
    "jml": "jumlah",
    "jmlh": "jumlah",
    "jlh": "jumlah",
    "kab": "kabupaten",
    "kec": "kecamatan",
    "kel": "kelurahan",
    "pddk": "penduduk",
    "pend": "pendidikan",
    "thn": "tahun",
    "th": "tahun",
    "prsn": "persen",
    "org": "orang",
    "dg": "dengan",
    "dgn": "dengan",
    "yg": "yang",
    "sd": "sd",
}
_NON_WORD = re.compile(r"[^0-9a-z]+")
_REGION_SUFFIX = re.compile(r"\b(kabupaten|kab|kota)\s+demak\b")


def fold(text: object) -> str:
    """Lower-case, strip accents, turn punctuation and any whitespace into single spaces."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return _NON_WORD.sub(" ", s).strip()


def normalise_element(text: object) -> str:
    """Normalised element name: folded, with common abbreviations written out."""
    words = fold(text).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def normalise_opd(text: object, region_words: tuple[str, ...] = ("demak",)) -> str:
    """Normalised OPD name: folded, without a trailing 'Kabupaten <region>' suffix."""
    s = fold(text)
    for word in region_words:
        s = re.sub(rf"\b(pemerintah\s+)?(kabupaten|kab|kota)\s+{re.escape(word)}\b", " ", s)
    return " ".join(s.split())
