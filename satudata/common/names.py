"""Normalising names of OPDs and data elements before comparing them."""

from __future__ import annotations

import functools
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
    return _fold(str(text))


@functools.lru_cache(maxsize=65536)
def _fold(s: str) -> str:
    # names repeat (every element, unit and producer name is folded again by each check): cached
    if not s.isascii():
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", s.lower()).strip()


# letters of other scripts drawn like Latin ones, and the Latin letter each imitates (Cyrillic, Greek)
LOOKALIKES = {
    **dict(zip("аеорсухіјѕԁԛԝүһӏк", "aeopcyxijsdqwyhlk", strict=True)),  # Cyrillic small
    **dict(zip("АВЕКМНОРСТХУІЈЅԚԜҮҺӀ", "ABEKMHOPCTXYIJSQWYHI", strict=True)),  # Cyrillic capital
    **dict(zip("αορνικυχϲε", "aopvikuxce", strict=True)),  # Greek small
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),  # Greek capital
}
_LOOKALIKE_TABLE = str.maketrans(LOOKALIKES)


def latin_lookalike(text: object) -> str | None:
    """``text`` written wholly in Latin letters when it mixes Latin letters with Cyrillic or Greek ones drawn
    the same (``Dinkеs`` with a Cyrillic ``е`` -> ``Dinkes``): the name it imitates. None when it mixes
    nothing (plain Latin, a name wholly in another script)."""
    if not isinstance(text, str) or text.isascii():
        return None
    if not any(c.isascii() and c.isalpha() for c in text) or not any(c in LOOKALIKES for c in text):
        return None
    return text.translate(_LOOKALIKE_TABLE)


def normalise_element(text: object) -> str:
    """Normalised element name: folded, with common abbreviations written out."""
    words = fold(text).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


# abbreviations people write in producer names (``Dis. Kesehatan``, ``Kec. Bonang``, ``Bdn Kepegawaian``)
_OPD_ABBREVIATIONS = {
    "dis": "dinas", "din": "dinas", "dns": "dinas", "kec": "kecamatan", "kel": "kelurahan", "bdn": "badan",
    "bad": "badan", "sekr": "sekretariat", "sekret": "sekretariat", "sek": "sekretariat", "kab": "kabupaten",
    "pemb": "pembangunan", "pemkab": "pemerintah kabupaten", "perlind": "perlindungan",
}  # fmt: skip


def expand_opd(text: str) -> str:
    """A normalised producer name with its abbreviations written out (``dis kesehatan`` -> ``dinas kesehatan``)."""
    return " ".join(_OPD_ABBREVIATIONS.get(w, w) for w in text.split())


def normalise_opd(text: object, region_words: tuple[str, ...] = ("demak",)) -> str:
    """Normalised OPD name: folded, without a trailing 'Kabupaten <region>' suffix."""
    s = fold(text)
    for word in region_words:
        s = re.sub(rf"\b(pemerintah\s+)?(kabupaten|kab|kota)\s+{re.escape(word)}\b", " ", s)
    return " ".join(s.split())
