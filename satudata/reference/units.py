"""Units: one spelling per unit, and what kind of quantity each measures.

Regions and OPDs write one unit many ways (``%``, ``Persen``, ``persen``, ``Persentase``). Every unit
is compared through its canonical spelling (:data:`CANONICAL`, extended by ``[satuan]`` in the settings:
``"Pkt" = "Paket"``). A canonical unit has a family (persen, uang, luas, panjang, berat, volume, cacah,
indeks) and a scale within it, so that ``Rp`` and ``Rp juta`` are the same family but not the same unit
(a value in millions for an element in rupiah is off by a million).

Comparing a value's unit with its element's (:func:`compare_units`):

- same canonical unit, or either side without a unit: nothing to say;
- two count units (``Unit`` and ``Sekolah``): ``mirip``, a warning, the value still counts;
- anything else where both families are known (``Orang`` for a percent, ``Rp juta`` for ``Rp``,
  ``Km`` for ``Ha``): ``beda``, the value does not count until the unit or the number is fixed;
- a unit of unknown family on one side: ``mirip``.
"""

from __future__ import annotations

from collections.abc import Mapping

from satudata.common.names import fold

PERSEN, UANG, LUAS, PANJANG, BERAT, VOLUME, CACAH, INDEKS = (
    "persen", "uang", "luas", "panjang", "berat", "volume", "cacah", "indeks")  # fmt: skip
SAME, SIMILAR, DIFFERENT = "sama", "mirip", "beda"

# canonical spelling -> (family, scale within the family, other spellings)
CANONICAL: dict[str, tuple[str, float, tuple[str, ...]]] = {
    "%": (PERSEN, 1, ("persen", "prosen", "persentase", "prosentase", "percent", "pct", "per seratus")),
    "Rp": (UANG, 1, ("rupiah", "idr", "rp.")),
    "Rp ribu": (UANG, 1e3, ("ribu rupiah", "rp ribu", "rp 000", "rp. 000", "ribuan rupiah")),
    "Rp juta": (UANG, 1e6, ("juta rupiah", "rp juta", "rp/juta", "jt rp", "rp jt", "juta", "rp (juta)",
                            "jutaan rupiah", "rp 000 000")),
    "Rp miliar": (UANG, 1e9, ("miliar rupiah", "milyar rupiah", "rp miliar", "rp milyar", "m rupiah")),
    "Ha": (LUAS, 1e4, ("hektar", "hektare", "hektar (ha)", "hektare (ha)", "ha.")),
    "m²": (LUAS, 1, ("m2", "meter persegi", "m persegi")),
    "Km²": (LUAS, 1e6, ("km2", "kilometer persegi", "km persegi")),
    "Km": (PANJANG, 1e3, ("kilometer", "km.")),
    "m": (PANJANG, 1, ("meter",)),
    "Ton": (BERAT, 1e3, ("ton", "tonne")),
    "Kw": (BERAT, 1e2, ("kuintal", "kwintal", "ku")),
    "Kg": (BERAT, 1, ("kilogram",)),
    "Liter": (VOLUME, 1e-3, ("l", "ltr")),
    "m³": (VOLUME, 1, ("m3", "meter kubik")),
    "Orang": (CACAH, 1, ("org", "jiwa", "or", "orang/jiwa", "jiwa/orang", "penduduk")),
    "Unit": (CACAH, 1, ("buah", "bh", "unit/buah", "buah/unit")),
    "KK": (CACAH, 1, ("kepala keluarga", "keluarga")),
    "Rumah Tangga": (CACAH, 1, ("ruta", "rumah tangga (ruta)", "rumahtangga")),
    "Indeks": (INDEKS, 1, ("index",)),
    "Poin": (INDEKS, 1, ("point", "skor", "nilai")),
}  # fmt: skip
# other count words (their canonical spelling is the word capitalised as here)
COUNT_WORDS = (
    "Kasus", "Desa", "Kelurahan", "Kecamatan", "Dokumen", "Perusahaan", "Kelompok", "Lembaga", "Ekor", "Sekolah",
    "Kali", "Judul", "Usaha", "Lokasi", "Objek", "Sertifikat", "Pasien", "Kegiatan", "Paket", "Titik", "Pohon",
    "Kamar", "Ruang", "Koperasi", "Permohonan", "Layanan", "Laporan", "Arsip", "Kendaraan", "Pelaku Usaha",
    "Badan Usaha", "Organisasi", "Ormas", "Yayasan", "Klub", "Sarana", "Bangunan", "Rumah", "Puskesmas",
    "Sambungan", "Perangkat Daerah", "Kab/Kota", "Pasar", "Industri", "Produk", "Komoditas", "Peserta",
)  # fmt: skip
# what is not a unit: placeholders written in the unit column
_NO_UNIT = {"", "-", "--", "*", "**", "***", "n/a", "na", "tidak ada", "lainnya"}


class UnitTable:
    """Canonical spellings (the package's table plus the region's ``[satuan]``) and families."""

    def __init__(self, extra: Mapping[str, str] | None = None) -> None:
        self._canonical: dict[str, str] = {}
        self._family: dict[str, tuple[str, float]] = {}
        for name, (family, scale, spellings) in CANONICAL.items():
            self._family[name] = (family, scale)
            for spelling in (name, *spellings):
                self._canonical.setdefault(fold(spelling), name)
        for word in COUNT_WORDS:
            self._family.setdefault(word, (CACAH, 1))
            self._canonical.setdefault(fold(word), word)
        for spelling, name in (extra or {}).items():
            target = self._canonical.get(fold(name), str(name).strip())
            self._canonical[fold(spelling)] = target
            self._canonical.setdefault(fold(name), target)

    def canonical(self, text: object) -> str | None:
        """The canonical spelling of a unit; an unknown unit as written (spaces tidied); None when empty."""
        if text is None or (isinstance(text, float) and text != text):
            return None
        written = " ".join(str(text).split()).strip("()[] ")
        if written.lower() in _NO_UNIT:
            return None
        return self._canonical.get(fold(written), written)

    def family(self, unit: str | None) -> tuple[str, float] | None:
        """(family, scale) of a canonical unit, None when its family is unknown."""
        return self._family.get(unit) if unit else None

    def is_percent(self, unit: str | None) -> bool:
        return unit == "%"

    def is_count(self, unit: str | None) -> bool:
        fam = self.family(unit)
        return fam is not None and fam[0] == CACAH

    def compare(self, value_unit: object, element_unit: object) -> str:
        """``sama``, ``mirip`` or ``beda`` (see the module's docstring)."""
        a, b = self.canonical(value_unit), self.canonical(element_unit)
        if a is None or b is None or fold(a) == fold(b):
            return SAME
        fa, fb = self.family(a), self.family(b)
        if fa is None or fb is None:
            return SIMILAR
        if fa[0] == fb[0] == CACAH:
            return SIMILAR
        return DIFFERENT
