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


# the reader's label of each issue code (report, annex, OPD cards, workbooks)
ISSUE_LABELS = {
    "berkas_rusak": "berkas rusak", "berkas_terkunci": "berkas terkunci sandi", "berkas_kosong": "berkas kosong",
    "berkas_tidak_terbaca": "berkas tidak terbaca", "opd_tidak_dikenal": "OPD tidak dikenal",
    "tabel_tidak_dikenali": "tabel tidak dikenali", "nilai_tidak_valid": "nilai tidak valid",
    "tahun_tidak_valid": "tahun tidak valid", "label_kosong": "nama elemen kosong",
    "format_tidak_didukung": "format tidak didukung", "elemen_tidak_dikenal": "elemen tidak dikenal",
    "duplikat": "duplikat", "semua_nihil": "semua tahun nihil (perlu konfirmasi)",
    "cocok_fuzzy": "nama elemen mirip (dicocokkan menurut kemiripan)", "angka_ambigu": "angka ambigu",
    "elemen_opd_lain": "elemen milik OPD lain", "sheet_dilewati": "lembar kerja dilewati",
    "berkas_html": "berkas HTML bernama .xls", "format_lama": "format Excel lama (.xls)",
    "tabel_berikutnya": "tabel kedua dalam satu lembar kerja",
    "satuan_berbeda": "satuan berbeda dengan katalog (tidak dihitung)", "satuan_mirip": "satuan mirip, periksa",
    "persen_di_atas_100": "persen di atas 100 (tidak dihitung)", "nilai_negatif": "jumlah negatif (tidak dihitung)",
    "opd_mirip": "pengirim dikenali dari nama mirip", "opd_dari_elemen": "pengirim dikenali dari elemennya",
}
LEVEL_LABELS = {"galat": "Kesalahan", "peringatan": "Peringatan", "info": "Catatan"}


def issue_label(code: object) -> str:
    """The reader's label of an issue code (``semua_nihil`` -> ``semua tahun nihil (perlu konfirmasi)``)."""
    return ISSUE_LABELS.get(str(code), str(code).replace("_", " "))
