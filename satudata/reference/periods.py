"""How often an element is owed: the frequency words regions write in their catalogues.

A catalogue says how often each element is published (``PERIODE DATA``: ``Tahunan``, ``Semester``,
``Lima Tahunan``, ``Apabila Dibutuhkan``...). Each word maps to a :class:`Frequency`:

- ``tahunan``: owed for every year of the evaluation window (``tahun_wajib`` in ``[katalog]``);
- ``berkala`` every N years (``Lima Tahunan``): owed for the window's years that lie a multiple of N
  years from the anchor year (``tahun_acuan``; by default the window's last year), so a five-yearly
  element in the window 2019-2023 is owed for 2023;
- sub-annual (``semesteran``, ``triwulanan``, ``bulanan``): owed for every year of the window, like an
  annual element. An item stays one element x one year, so that percents compare across catalogues; the
  number of periods a year has is kept with the element (``jumlah_periode``) and a value of a period or
  of the year's total fulfils the year;
- ``tidak_wajib`` (``Apabila Dibutuhkan``): kept in the catalogue (values sent for it are recognised)
  but owed for no year.

Regions add or change words in ``[katalog.periode]`` of the settings, e.g.::

    [katalog.periode]
    "Tahunan dan bulanan" = "bulanan"
    "Sensus" = { setiap = 10, tahun_acuan = 2020 }
    "Tetap" = "tidak wajib"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from satudata.common.names import fold

TAHUNAN, BERKALA, SUB_TAHUNAN, TIDAK_WAJIB = "tahunan", "berkala", "sub_tahunan", "tidak_wajib"


@dataclass(frozen=True)
class Frequency:
    """How an element is owed: ``kind`` one of tahunan, berkala, sub_tahunan, tidak_wajib."""

    kind: str
    every: int = 1  # berkala: once in ``every`` years
    periods: int = 1  # sub_tahunan: periods in a year (2, 4, 12)
    anchor: int | None = None  # berkala: a year it is owed (None: the window's last year)

    @property
    def label(self) -> str:
        """The canonical word, as reports show it (``tahunan``, ``5 tahunan``, ``bulanan``...)."""
        if self.kind == BERKALA:
            return f"{self.every} tahunan"
        if self.kind == SUB_TAHUNAN:
            return _SUB_LABEL.get(self.periods, f"{self.periods} periode per tahun")
        return "tidak wajib" if self.kind == TIDAK_WAJIB else TAHUNAN

    def years_owed(self, window: tuple[int, ...]) -> tuple[int, ...]:
        """The years of the evaluation window this element is owed for."""
        if self.kind == TIDAK_WAJIB or not window:
            return ()
        if self.kind != BERKALA:
            return tuple(window)
        anchor = self.anchor if self.anchor is not None else max(window)
        return tuple(y for y in window if (y - anchor) % self.every == 0)


ANNUAL = Frequency(TAHUNAN)
NOT_OWED = Frequency(TIDAK_WAJIB)
_SUB_LABEL = {2: "semesteran", 4: "triwulanan", 12: "bulanan"}
_NUMBER_WORDS = {"satu": 1, "dua": 2, "dwi": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "sepuluh": 10}

# folded word -> frequency: the words regions commonly write (extended by [katalog.periode])
DEFAULT_FREQUENCIES: dict[str, Frequency] = {
    **{w: ANNUAL for w in ("tahunan", "per tahun", "setiap tahun", "pertahun", "tahun ajaran",
                           "tahun anggaran", "annual")},
    **{w: Frequency(SUB_TAHUNAN, periods=2) for w in ("semesteran", "semester", "per semester", "enam bulanan")},
    **{w: Frequency(SUB_TAHUNAN, periods=4) for w in ("triwulanan", "triwulan", "per triwulan", "kuartalan",
                                                       "tiga bulanan")},
    **{w: Frequency(SUB_TAHUNAN, periods=12) for w in ("bulanan", "per bulan", "setiap bulan")},
    **{w: NOT_OWED for w in ("apabila dibutuhkan", "apabila diajukan", "bila dibutuhkan", "jika dibutuhkan",
                             "sewaktu waktu", "insidental", "tidak berkala", "tidak wajib")},
}  # fmt: skip
_EVERY_N = re.compile(r"^(?:(\d+)|(" + "|".join(_NUMBER_WORDS) + r"))\s*tahun(?:an)?$")


def parse_frequency(value: object, key: str = "") -> Frequency:
    """A frequency from the settings: a word (``tahunan``, ``bulanan``, ``5 tahunan``, ``tidak wajib``)
    or a table ``{ setiap = N, tahun_acuan = Y }``. Raises ValueError in Indonesian naming ``key``."""
    where = f"[katalog.periode] '{key}'" if key else "[katalog.periode]"
    if isinstance(value, dict):
        try:
            every = int(value.get("setiap", 1))
            anchor = int(value["tahun_acuan"]) if "tahun_acuan" in value else None
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where}: setiap dan tahun_acuan harus bilangan bulat (tertulis {value}).") from exc
        if every < 1:
            raise ValueError(f"{where}: setiap harus 1 atau lebih (tertulis {every}).")
        return ANNUAL if every == 1 else Frequency(BERKALA, every=every, anchor=anchor)
    found = frequency_of(value, {})
    if found is None:
        raise ValueError(f"{where}: '{value}' tidak dikenal. Tulis tahunan, semesteran, triwulanan, bulanan, "
                         "'<N> tahunan' (mis. '5 tahunan'), 'tidak wajib', atau { setiap = N, tahun_acuan = Y }.")
    return found


def frequency_of(text: object, extra: dict[str, Frequency]) -> Frequency | None:
    """The frequency a catalogue cell names (the region's words first), or None when not recognised."""
    key = fold(text)
    if key in extra:
        return extra[key]
    if key in DEFAULT_FREQUENCIES:
        return DEFAULT_FREQUENCIES[key]
    m = _EVERY_N.match(key)
    if m:
        every = int(m.group(1)) if m.group(1) else _NUMBER_WORDS[m.group(2)]
        return ANNUAL if every == 1 else Frequency(BERKALA, every=every)
    return None


def frequencies_from_settings(raw: dict[str, object]) -> dict[str, Frequency]:
    """``[katalog.periode]`` as folded word -> frequency (every problem raised at once)."""
    out: dict[str, Frequency] = {}
    problems = []
    for word, value in raw.items():
        try:
            out[fold(word)] = parse_frequency(value, word)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise ValueError("Pengaturan periode katalog tidak dapat dipakai:\n  " + "\n  ".join(problems))
    return out
