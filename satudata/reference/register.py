"""The register of data producers (OPD and social organisations).

The register is the single source for resolving a producer's name anywhere: in a cell,
a column, a file name or a folder name. Columns: ``kode_opd, nama_opd, singkatan, jenis,
alias`` (aliases separated by ``;``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from rapidfuzz import fuzz, process

from satudata.common.names import expand_opd, fold, normalise_opd
from satudata.formats.read_limits import ReadLimits
from satudata.reference.validation import ProblemsError, register_problems

REGISTER_COLUMNS = ["kode_opd", "nama_opd", "singkatan", "jenis", "alias"]
FUZZY_MARGIN = 5.0  # points the best producer must lead the next one by to be taken


class FuzzyOpd(NamedTuple):
    """A producer recognised from a name written another way: listed for review with its score."""

    kode_opd: str
    nama_opd: str
    skor: float
    ejaan: str  # the register spelling it is closest to


@dataclass
class Register:
    """The producers of one region, with a lookup from every known spelling to a code."""

    frame: pd.DataFrame
    region_words: tuple[str, ...] = ("demak",)
    # each frame row's number in the file it was read from (None: header on row 1, no gaps)
    rows: list[int] | None = None
    _lookup: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.frame = self.frame.reset_index(drop=True)
        lookup: dict[str, str] = {}
        for row in self.frame.to_dict(orient="records"):
            for spelling in row_spellings(row, self.region_words):
                lookup.setdefault(spelling, row["kode_opd"])
        self._lookup = lookup
        # the spellings with abbreviations written out, for matching names written another way
        expanded: dict[str, str] = {}
        for spelling, code in lookup.items():
            expanded.setdefault(expand_opd(spelling), code)
        self._expanded = expanded
        self._rows: dict[str, dict] = {}  # code -> its first row (a register with duplicates is refused on load)
        for r in self.frame.to_dict(orient="records"):
            self._rows.setdefault(r["kode_opd"], r)

    def spellings(self, kode_opd: str) -> list[str]:
        """Every normalised spelling of one producer: code, name, abbreviation, aliases."""
        return row_spellings(self.row(kode_opd), self.region_words)

    @property
    def codes(self) -> list[str]:
        return list(self.frame["kode_opd"])

    def row(self, kode_opd: str) -> dict:
        """The register row of one producer as a dict (a copy: the register is not changed through it)."""
        return dict(self._rows[kode_opd])

    def name(self, kode_opd: str) -> str:
        return str(self.row(kode_opd)["nama_opd"])

    def resolve(self, text: object) -> str | None:
        """The code of the producer that ``text`` names exactly (after normalising), else None."""
        key = normalise_opd(text, self.region_words)
        if not key:
            return None
        return (self._lookup.get(key) or self._lookup.get(key.replace(" ", ""))
                or self._expanded.get(expand_opd(key)))

    def match_fuzzy(self, text: object, threshold: float, margin: float = FUZZY_MARGIN) -> FuzzyOpd | None:
        """The producer ``text`` names with a typo or another wording, for review: the best register
        spelling by rapidfuzz ``WRatio`` (abbreviations written out on both sides), accepted when its score
        reaches ``threshold`` and beats the best spelling of any other producer by ``margin`` points
        (``Setda Biro Umm`` is Biro Umum, but ``Dinas`` alone names no one). None when nothing qualifies.
        """
        ranked = self.ranked(text, covered=True)
        if not ranked or ranked[0][2] < threshold:
            return None
        if len(ranked) > 1 and ranked[0][2] - ranked[1][2] < margin:
            return None
        code, spelling, score = ranked[0]
        return FuzzyOpd(code, self.name(code), score, spelling)

    def ranked(self, text: object, limit: int = 3, covered: bool = False) -> list[tuple[str, str, float]]:
        """(kode_opd, closest spelling, score) of the ``limit`` closest producers, best first.

        With ``covered`` only spellings that hold every word of ``text`` (each word written alike or
        with a typo) count: ``Satuan Pamong Praja`` may be ``Satuan Polisi Pamong Praja``, but
        ``Dinas Kesehatan Hewan`` is not ``Dinas Kesehatan``.
        """
        key = expand_opd(normalise_opd(text, self.region_words))
        if len(key.replace(" ", "")) < 3:
            return []
        words = key.split()
        best: dict[str, tuple[float, str]] = {}
        for spelling, score, _ in process.extract(key, list(self._expanded), scorer=fuzz.WRatio, limit=limit * 8):
            if covered and not _covers(spelling.split(), words):
                continue
            code = self._expanded[spelling]
            if float(score) > best.get(code, (-1.0, ""))[0]:
                best[code] = (float(score), spelling)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
        return [(code, spelling, score) for code, (score, spelling) in ranked]

    def closest(self, text: object, limit: int = 3) -> list[tuple[str, str, float]]:
        """The ``limit`` register entries closest to ``text``: (kode_opd, nama_opd, score)."""
        key = normalise_opd(text, self.region_words)
        if not key:
            return []
        choices = list(self._lookup)
        best: dict[str, float] = {}
        for spelling, score, _ in process.extract(key, choices, scorer=fuzz.WRatio, limit=limit * 4):
            code = self._lookup[spelling]
            best[code] = max(best.get(code, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [(code, self.name(code), score) for code, score in ranked]

    def find_in(self, text: object, threshold: float = 90.0) -> str | None:
        """Find a producer named inside a longer text (a file name, a title cell).

        Tries the whole text, then every run of consecutive words, longest first, so that
        ``03_Dinkes_rev2`` and ``Data Dinas Kesehatan Kab. Demak 2020`` both resolve.
        """
        exact = self.resolve(text)
        if exact:
            return exact
        words = normalise_opd(text, self.region_words).split()
        for size in range(len(words), 0, -1):
            for start in range(0, len(words) - size + 1):
                found = self.resolve(" ".join(words[start : start + size]))
                if found:
                    return found
        return None


def _covers(spelling: list[str], words: list[str]) -> bool:
    """Every word is in ``spelling``, alike or with a typo (rapidfuzz ratio 80 or more)."""
    return all(w in spelling or any(fuzz.ratio(w, t) >= 80 for t in spelling) for w in words)


def load_register(path: str | Path, columns: dict[str, str] | None = None, limits: ReadLimits | None = None) -> Register:
    """Read a register from CSV or a workbook; ``columns`` maps a region's headers to ours. Read under ``limits``
    (the settings' ``[batas]``, as a submission): past its size, refused before it is parsed.

    The header may sit below title rows; the register remembers each row's number in the file.
    """
    from satudata.reference.reference_table import REGISTER_SIZE_FIX, read_reference_table

    known = {fold(c) for c in REGISTER_COLUMNS} | {fold(k) for k in (columns or {})}
    frame = read_reference_table(path, None, known, RegisterError, "daftar OPD", limits, REGISTER_SIZE_FIX)
    if columns:
        frame = frame.rename(columns=columns)
    for col in REGISTER_COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    frame = frame[REGISTER_COLUMNS + [c for c in frame.columns if c not in REGISTER_COLUMNS]]
    rows = [int(i) for i in frame.index]
    return Register(same_jenis(frame.reset_index(drop=True).astype(str)), rows=rows)


def same_jenis(frame: pd.DataFrame) -> pd.DataFrame:
    """The register with one spelling per kind of producer: ``Dinas``, ``dinas `` and ``DINAS`` are one
    kind (progress per kind would otherwise split it), written as the register first writes it."""
    first: dict[str, str] = {}
    jenis = []
    for value in frame["jenis"].tolist():
        text = " ".join(str(value).split())
        jenis.append(first.setdefault(fold(text), text) if text else text)
    return frame.assign(jenis=jenis)


# --- validation (issue 4) -------------------------------------------------------------------


class RegisterError(ProblemsError):
    """An invalid register; ``problems`` lists every problem, ``str()`` is the Indonesian report."""

    what = "Daftar OPD"


def row_spellings(row: dict, region_words: tuple[str, ...] = ("demak",)) -> list[str]:
    """The normalised spellings of one register row: code, name, abbreviation, aliases."""
    names = [row.get("kode_opd"), row.get("nama_opd"), row.get("singkatan")]
    alias = row.get("alias")
    if isinstance(alias, str) and alias.strip():
        names += [a for a in alias.split(";") if a.strip()]
    out: list[str] = []
    for name in names:
        if name is None or (isinstance(name, float) and pd.isna(name)):
            continue
        for variant in (normalise_opd(name, region_words), fold(name).replace(" ", "")):
            if variant and variant not in out:
                out.append(variant)
    return out


def validate_register(
    frame: pd.DataFrame,
    region_words: tuple[str, ...] = ("demak",),
    source: str | None = None,
    rows: list[int] | None = None,
) -> None:
    """Raise :class:`RegisterError` listing every problem of a register frame, else return.

    Checks: missing or duplicate ``kode_opd``, missing ``nama_opd``, a spelling (code, name,
    abbreviation or alias, after normalising) shared by two producers. Rows are numbered as
    in the file: ``rows`` gives each frame row's file row; without it the header is row 1 and
    ``frame`` is in file order.
    """
    frame = frame.reset_index(drop=True)
    lines = rows if rows is not None else [i + 2 for i in range(len(frame))]
    spellings = {
        line: row_spellings(row, region_words)
        for line, row in zip(lines, frame.to_dict(orient="records"), strict=True)
    }
    problems = register_problems(frame, spellings, lines)
    if problems:
        raise RegisterError(problems, source)


def register_from_frame(
    frame: pd.DataFrame, region_words: tuple[str, ...] = ("demak",), source: str | None = None
) -> Register:
    """A validated :class:`Register` from a frame with the register columns."""
    frame = frame.copy()
    for col in REGISTER_COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    frame = same_jenis(frame.fillna("").astype(str))
    frame = frame[REGISTER_COLUMNS + [c for c in frame.columns if c not in REGISTER_COLUMNS]]
    validate_register(frame, region_words, source)
    return Register(frame, region_words=region_words)


def load_valid_register(path: str | Path, columns: dict[str, str] | None = None,
                        limits: ReadLimits | None = None) -> Register:  # fmt: skip
    """Like :func:`load_register`, then validated: raises :class:`RegisterError` on any problem."""
    register = load_register(path, columns, limits)
    validate_register(register.frame, register.region_words, source=Path(path).name, rows=register.rows)
    return register
