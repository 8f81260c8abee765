"""Validation of the reference tables (catalogue and register) with pandera.

Every problem is collected at once: pandera runs lazily (``lazy=True``) and its failure cases
are turned into :class:`Problem` objects together with the problems found by our own checks
(unknown OPD, unparseable years, spellings shared by two producers). The row of a problem is
the row as the user sees it in the file: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pandera costs ~0.4 s to import: only when a frame may hold a problem
    import pandera.pandas as pa

YEAR_MIN = 1900
YEAR_MAX = 2100


@dataclass(frozen=True)
class Problem:
    """One problem in a reference file: where it is and what to fix (Bahasa Indonesia)."""

    baris: int | None  # row as seen in the file (header = 1), None for the whole file
    kolom: str | None  # column header as written in the file
    pesan: str  # what is wrong and what to fix

    def __str__(self) -> str:
        where = []
        if self.baris is not None:
            where.append(f"baris {self.baris}")
        if self.kolom:
            where.append(f"kolom '{self.kolom}'")
        prefix = ", ".join(where).capitalize() if where else "Seluruh berkas"
        return f"{prefix}: {self.pesan}"


class ProblemsError(ValueError):
    """A reference file with problems; ``str()`` is one report in Bahasa Indonesia."""

    what = "Berkas"

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = sort_problems(problems)
        self.source = source
        super().__init__(self.report())

    def report(self) -> str:
        name = f" '{self.source}'" if self.source else ""
        head = (
            f"{self.what}{name} tidak dapat dipakai: ditemukan {len(self.problems)} masalah. "
            "Perbaiki semuanya lalu jalankan lagi (nomor baris sama dengan nomor baris di berkas)."
        )
        lines = [head] + [f"  {i}. {p}" for i, p in enumerate(self.problems, start=1)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Whole-file problems first, then by row and column; duplicates removed."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.baris is not None, p.baris or 0, p.kolom or ""))


def _blank(series: pd.Series) -> pd.Series:
    return series.isna() | (series.astype("str").str.strip() == "")


def _not_blank(name: str) -> pa.Check:
    import pandera.pandas as pa

    return pa.Check(lambda s: ~_blank(s), name=name, element_wise=False)


# failure case -> Indonesian message; key: (column, check name)
MessageFn = Callable[[object, int, pd.DataFrame], str]


def problems_from_schema(
    schema: pa.DataFrameSchema,
    frame: pd.DataFrame,
    messages: dict[tuple[str, str], MessageFn],
    labels: dict[str, str],
) -> list[Problem]:
    """Run ``schema`` lazily on ``frame`` (indexed by file row) and translate every failure."""
    from pandera.errors import SchemaErrors

    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        out = []
        for case in err.failure_cases.itertuples(index=False):
            column = str(case.column) if case.column is not None else ""
            check = str(case.check)
            fn = messages.get((column, check)) or messages.get((column, check.split("(")[0]))
            row = int(case.index) if case.index is not None and not pd.isna(case.index) else None
            if fn is None:  # a check without a tailored message: still reported
                text = f"nilai '{case.failure_case}' tidak sah ({check}). Perbaiki nilainya."
            else:
                text = fn(case.failure_case, row, frame)
            out.append(Problem(row, labels.get(column, column) or None, text))
        return out
    return []


def _texts_ok(frame: pd.DataFrame, column: str, unique: bool = False) -> bool:
    """The column holds only non-blank strings (and, with ``unique``, no value twice)."""
    if column not in frame.columns:
        return False
    series = frame[column]
    if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return False
    if series.isna().any() or not series.map(lambda v: isinstance(v, str) and bool(v.strip())).all():
        return False
    return not (unique and series.duplicated().any())


def _ints_ok(frame: pd.DataFrame, column: str, low: int, high: int | None = None) -> bool:
    """The column is ``Int64`` and every value present lies in ``[low, high]``."""
    if column not in frame.columns or str(frame[column].dtype) != "Int64":
        return False
    values = frame[column].dropna()
    return bool((values >= low).all() and (high is None or (values <= high).all()))


def catalogue_clean(frame: pd.DataFrame) -> bool:
    """True when the catalogue frame certainly passes :func:`catalogue_schema` (checked with pandas alone,
    so that pandera is imported only when there may be something to report)."""
    return (_texts_ok(frame, "kode_elemen", unique=True) and _texts_ok(frame, "nama_elemen")
            and _ints_ok(frame, "tahun_awal", YEAR_MIN, YEAR_MAX) and _ints_ok(frame, "tahun_akhir", YEAR_MIN, YEAR_MAX)
            and _ints_ok(frame, "tingkat", 0))


def register_clean(frame: pd.DataFrame) -> bool:
    """True when the register frame certainly passes :func:`register_schema` (pandas alone)."""
    return _texts_ok(frame, "kode_opd", unique=True) and _texts_ok(frame, "nama_opd")


def _rows_with(frame: pd.DataFrame, column: str, value: object, row: int | None) -> str:
    others = [int(r) for r in frame.index[frame[column] == value] if r != row]
    return ", ".join(str(r) for r in others)


def catalogue_schema() -> pa.DataFrameSchema:
    """Schema of a catalogue after column mapping and year parsing (index = file row)."""
    import pandera.pandas as pa

    year = pa.Column("Int64", pa.Check.in_range(YEAR_MIN, YEAR_MAX), nullable=True)
    return pa.DataFrameSchema(
        {
            "kode_elemen": pa.Column(
                str, [_not_blank("kode_ada")], nullable=True, unique=True, report_duplicates="all"
            ),
            "nama_elemen": pa.Column(str, [_not_blank("nama_ada")], nullable=True),
            "tahun_awal": year,
            "tahun_akhir": year,
            "tingkat": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        },
    )


def catalogue_problems(frame: pd.DataFrame, labels: dict[str, str]) -> list[Problem]:
    """Problems pandera finds in a typed catalogue frame (indexed by file row)."""

    def dup(v: object, r: int | None, f: pd.DataFrame) -> str:
        return (
            f"kode elemen '{v}' dipakai lebih dari sekali (juga di baris {_rows_with(f, 'kode_elemen', v, r)}). "
            "Setiap elemen harus punya kode unik: ubah salah satu kode atau hapus baris ganda."
        )

    def year(v: object, r: int | None, f: pd.DataFrame) -> str:
        return f"tahun {v} tidak mungkin. Tulis tahun antara {YEAR_MIN} dan {YEAR_MAX}."

    messages: dict[tuple[str, str], MessageFn] = {
        ("kode_elemen", "field_uniqueness"): dup,
        ("kode_elemen", "kode_ada"): lambda v, r, f: "kode elemen kosong. Isi kode elemen (atau hapus "
        "kolom kode agar kode dibuat otomatis).",
        ("nama_elemen", "nama_ada"): lambda v, r, f: "nama elemen kosong. Isi nama elemen data.",
        ("tahun_awal", "in_range"): year,
        ("tahun_akhir", "in_range"): year,
        ("tingkat", "greater_than_or_equal_to"): lambda v, r, f: f"tingkat {v} tidak sah. Tulis 0 untuk judul "
        "bagian, 1 untuk elemen, 2 untuk sub-elemen, dan seterusnya.",
    }
    found = [] if catalogue_clean(frame) else problems_from_schema(catalogue_schema(), frame, messages, labels)
    backwards = frame["tahun_awal"] > frame["tahun_akhir"]
    for row in frame.index[backwards.fillna(False).to_numpy(dtype=bool)]:
        awal, akhir = frame.loc[row, "tahun_awal"], frame.loc[row, "tahun_akhir"]
        found.append(Problem(int(row), labels.get("tahun_awal"), f"tahun awal {awal} lebih besar dari tahun "
                             f"akhir {akhir}. Perbaiki urutan tahunnya."))
    return found


def register_schema() -> pa.DataFrameSchema:
    """Schema of an OPD register (index = file row)."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "kode_opd": pa.Column(
                str, [_not_blank("kode_ada")], nullable=True, unique=True, report_duplicates="all"
            ),
            "nama_opd": pa.Column(str, [_not_blank("nama_ada")], nullable=True),
        }
    )


def register_problems(
    frame: pd.DataFrame, spellings: dict[int, list[str]] | None = None, rows: list[int] | None = None
) -> list[Problem]:
    """Every problem of a register frame (columns ``kode_opd, nama_opd, singkatan, alias``).

    ``frame`` may have any index; rows are numbered as in the file (``rows``, else header = row 1). With
    ``spellings`` (file row -> normalised spellings of that producer) a spelling shared by
    two producers is reported too.
    """
    typed = frame.copy()
    typed.index = pd.Index(rows, dtype="int64") if rows is not None else pd.RangeIndex(2, len(frame) + 2)
    for col in ("kode_opd", "nama_opd"):
        if col not in typed.columns:
            typed[col] = ""
        typed[col] = typed[col].astype("str")

    def dup(v: object, r: int | None, f: pd.DataFrame) -> str:
        return (
            f"kode OPD '{v}' dipakai lebih dari sekali (juga di baris {_rows_with(f, 'kode_opd', v, r)}). "
            "Setiap produsen data harus punya kode unik."
        )

    messages: dict[tuple[str, str], MessageFn] = {
        ("kode_opd", "field_uniqueness"): dup,
        ("kode_opd", "kode_ada"): lambda v, r, f: "kode OPD kosong. Isi kode produsen data.",
        ("nama_opd", "nama_ada"): lambda v, r, f: "nama OPD kosong. Isi nama resmi produsen data.",
    }
    labels = {"kode_opd": "kode_opd", "nama_opd": "nama_opd"}
    problems = [] if register_clean(typed) else problems_from_schema(register_schema(), typed, messages, labels)
    problems += long_texts(typed)
    problems += mixed_scripts(typed)
    if spellings:
        problems += shared_spellings(typed, spellings)
    return sort_problems(problems)


# the longest a register field may be: a code, an abbreviation, an official name, the list of aliases
REGISTER_MAX_LENGTH = {"kode_opd": 40, "singkatan": 60, "nama_opd": 200, "alias": 1000}


def long_texts(frame: pd.DataFrame) -> list[Problem]:
    """A register field longer than any real one (:data:`REGISTER_MAX_LENGTH`) is a pasting error."""
    out = []
    for column, limit in REGISTER_MAX_LENGTH.items():
        if column not in frame.columns:
            continue
        lengths = frame[column].astype("object").map(lambda v: len(v) if isinstance(v, str) else 0)
        for row, n in lengths[lengths > limit].items():
            out.append(Problem(row, column, f"{column} panjangnya {n} karakter, lebih dari {limit}. Periksa "
                                            "apakah isi sel lain ikut tertempel; tulis nama resminya saja."))  # fmt: skip
    return out


# what a script is called in a message (the first word of the Unicode name of its letters)
_SCRIPT_NAMES = {"CYRILLIC": "Kiril", "GREEK": "Yunani", "ARMENIAN": "Armenia", "COPTIC": "Koptik",
                 "CHEROKEE": "Cherokee", "FULLWIDTH": "lebar penuh", "MATHEMATICAL": "simbol matematika"}  # fmt: skip


def _script(ch: str) -> str | None:
    """``LATIN`` for a Latin letter, the first word of its Unicode name for a letter of another script, None for
    anything that is not a letter."""
    import unicodedata

    if not ch.isalpha():
        return None
    if ch.isascii():
        return "LATIN"
    return unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]


def mixed_scripts(frame: pd.DataFrame) -> list[Problem]:
    """A name, abbreviation or alias that mixes Latin letters with letters of another script (Cyrillic ``е`` in
    ``Dinkеs``, Greek ``ο``): it looks like another producer's name but never matches it, so two producers
    would look the same in every report. Refused, as full-width and zero-width spaces are; the message names the
    producer whose spelling it imitates, when one has it."""
    out = []
    spelt: dict = {}  # filled at the first look-alike (most registers have none)
    for column in ("kode_opd", "nama_opd", "singkatan", "alias"):
        if column not in frame.columns:
            continue
        for row, value in frame[column].astype("object").items():
            if not isinstance(value, str) or value.isascii():
                continue
            scripts = [(ch, _script(ch)) for ch in value]
            if not any(sc == "LATIN" for _, sc in scripts):
                continue
            other = [(i, ch, sc) for i, (ch, sc) in enumerate(scripts) if sc not in (None, "LATIN")]
            if not other:
                continue
            i, ch, sc = other[0]
            more = f" dan {len(other) - 1} huruf lain" if len(other) > 1 else ""
            spelt = spelt or _spellings(frame)
            out.append(Problem(row, column, f"{column} '{value}' berisi huruf {_SCRIPT_NAMES.get(sc, sc.title())} "
                                            f"'{ch}' (U+{ord(ch):04X}) di posisi {i + 1}{more} di antara huruf Latin: "
                                            "tampak sama dengan huruf Latin tetapi berbeda, sehingga nama ini tidak "
                                            f"pernah cocok dengan ejaan biasanya.{_imitated(value, row, spelt)} "
                                            "Ketik ulang dengan huruf Latin."))  # fmt: skip
    return out


def _spellings(frame: pd.DataFrame) -> dict[str, tuple[int, str, str, str]]:
    """Every name, abbreviation and alias of the register, folded: (row, kode_opd, nama_opd, as written)."""
    from satudata.common.names import fold

    out: dict[str, tuple[int, str, str, str]] = {}
    for row, rec in frame.astype("object").iterrows():
        texts = [rec.get("nama_opd"), rec.get("singkatan"), *str(rec.get("alias") or "").split(";")]
        for text in texts:
            if isinstance(text, str) and text.strip():
                out.setdefault(fold(text), (row, str(rec.get("kode_opd") or ""), str(rec.get("nama_opd") or ""),
                                            text.strip()))  # fmt: skip
    return out


def _imitated(value: str, row: int, spelt: dict[str, tuple[int, str, str, str]]) -> str:
    """`` Ejaan ini meniru 'Dinkes' milik Dinas Kesehatan (kode_opd D1, baris 2).`` when the name written in Latin
    letters is another producer's spelling; empty otherwise."""
    from satudata.common.names import fold, latin_lookalike

    latin = latin_lookalike(value)
    found = spelt.get(fold(latin)) if latin else None
    if found is None or found[0] == row:
        return ""
    other_row, kode, nama, written = found
    return f" Ejaan ini meniru '{written}' milik {nama} (kode_opd {kode}, baris {other_row})."


def shared_spellings(frame: pd.DataFrame, spellings: dict[int, list[str]]) -> list[Problem]:
    """A name, abbreviation or alias that two producers share makes names ambiguous."""
    owner: dict[str, int] = {}
    out = []
    for row, names in spellings.items():
        for spelling in dict.fromkeys(names):
            first = owner.setdefault(spelling, row)
            if first != row and frame.loc[first, "kode_opd"] != frame.loc[row, "kode_opd"]:
                out.append(
                    Problem(
                        row,
                        "nama_opd/singkatan/alias",
                        f"ejaan '{spelling}' juga dipakai oleh produsen di baris {first} "
                        f"({frame.loc[first, 'nama_opd']}). Nama, singkatan dan alias harus berbeda "
                        "antar produsen: hapus atau ubah salah satunya.",
                    )
                )
    return out
