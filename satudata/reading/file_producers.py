"""Which producer sent a file, when no spelling of the register names it exactly.

Two steps after the exact look-ups of ingestion (``OPD:`` cell, file name, folder, title cells):

1. :func:`fuzzy_producer`: the ``OPD:`` text, the file name and the folder name, matched to the
   register with rapidfuzz at ``[pencocokan] ambang_opd`` (``Satuan Pamong Praja`` is ``Satuan Polisi
   Pamong Praja``). The values count; the issue ``opd_mirip`` lists the match with its score for review.
2. :func:`infer_from_elements`: a file that still names no producer is given the producer whose
   catalogue elements its values match, when one producer owns at least :data:`MIN_SHARE` of the
   distinct elements matched (and at least :data:`MIN_ELEMENTS` of them). Its values then count for that
   producer, and the issue ``opd_dari_elemen`` says so for review. Otherwise the values stay uncounted
   under ``opd_tidak_dikenal``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from satudata.common import fmt
from satudata.common.names import LOOKALIKES, fold, latin_lookalike
from satudata.reading.ingest_context import PERINGATAN
from satudata.reference.register import FuzzyOpd, Register

MIN_SHARE = 0.8
MIN_ELEMENTS = 3
# words of file names that never name a producer
_NOISE = re.compile(r"\b(data|rev(isi)?\d*|final|fix|laporan|kirim(an)?|templat|template|isian|update|tahun|thn|"
                    r"sd|s d|copy|salinan|baru|lama|draft|v\d+)\b|\d+", re.IGNORECASE)  # fmt: skip


def clean_name(text: str) -> str:
    """A file or folder name without the words and numbers that never name a producer."""
    return " ".join(_NOISE.sub(" ", re.sub(r"[_\-.]+", " ", text)).split())


def fuzzy_producer(register: Register, texts: list[str | None], threshold: float) -> tuple[FuzzyOpd, str] | None:
    """The first of ``texts`` (``OPD:`` text, file name, folder) that names one producer with a typo or
    another wording, with that text; None when none does."""
    for text in texts:
        if not text:
            continue
        for candidate in dict.fromkeys((text, clean_name(text))):
            found = register.match_fuzzy(candidate, threshold) if candidate else None
            if found is not None:
                return found, text
    return None


def fuzzy_message(rel: str, text: str, found: FuzzyOpd, threshold: float) -> str:
    """The review note of a producer recognised by fuzzy matching (score as computed, cut, never rounded)."""
    return (f"Berkas {rel}: pengirim '{text}' dikenali sebagai {found.kode_opd} ({found.nama_opd}) dengan "
            f"pencocokan nama, skor {fmt.skor(found.skor)} (ambang {fmt.skor(threshold)}). Nilainya dihitung untuk "
            "OPD itu; periksa, dan tambahkan ejaan ini sebagai alias di daftar OPD bila benar.")


def imitated_producer(register: Register, texts: list[str | None]) -> tuple[str, str] | None:
    """The first of ``texts`` that mixes Latin letters with Cyrillic or Greek ones drawn the same (``Dinkеs``)
    and, written in Latin letters, names a producer of the register: ``(text, kode_opd)``. Such a sender is
    not taken for that producer (its values are not counted for it): the issue names the producer imitated."""
    for text in texts:
        latin = latin_lookalike(text)
        kode = register.resolve(latin) if latin else None
        if kode is not None:
            return str(text), kode
    return None


def imitation_message(register: Register, text: str, kode_opd: str) -> str:
    """What is wrong with a look-alike sender name and what to fix (Bahasa Indonesia)."""
    import unicodedata

    foreign = [(i, ch) for i, ch in enumerate(text) if ch.isalpha() and not ch.isascii() and ch in LOOKALIKES]
    i, ch = foreign[0]
    script = {"CYRILLIC": "Kiril", "GREEK": "Yunani"}.get(unicodedata.name(ch, "").split(" ", 1)[0], "lain")
    more = f" dan {len(foreign) - 1} huruf lain" if len(foreign) > 1 else ""
    return (f"nama pengirim '{text}' berisi huruf {script} '{ch}' (U+{ord(ch):04X}) di posisi {i + 1}{more} yang tampak "
            f"sama dengan huruf Latin: nama ini meniru {kode_opd} ({register.name(kode_opd)}), tetapi bukan ejaan "
            "OPD itu, sehingga nilainya tidak dihitung untuknya. Ketik ulang nama OPD dengan huruf Latin.")


def _shared(names: pd.Series, owners: pd.Series) -> np.ndarray:
    """True where an element's (folded) name is owed by more than one producer."""
    per_name = pd.DataFrame({"n": names.to_numpy(), "o": owners.to_numpy()}).groupby("n")["o"].nunique()
    return names.map(per_name).gt(1).to_numpy()


def infer_from_elements(nilai: pd.DataFrame, entries: list[dict], elements: pd.DataFrame, round_date: str,
                        register: Register, issues: list[dict]) -> None:  # fmt: skip
    """Give files without a producer the producer whose elements they match (see the module). ``nilai``
    (``kode_opd``, ``dihitung``), the entries and the issues (the file's ``opd_tidak_dikenal`` becomes
    ``opd_dari_elemen``; its other issues get the producer) are changed in place."""
    unknown = [e for e in entries if e.get("kode_opd") is None and e.get("jumlah_nilai")]
    if not unknown or nilai.empty:
        return
    elements = elements.drop_duplicates("kode_elemen")
    owner = elements.set_index("kode_elemen")["kode_opd"]
    names = elements["nama_elemen"].map(fold)
    # a name owed by one producer only is evidence of who sent it (``Nilai Indeks ...`` owed by many is not)
    distinctive = set(elements["kode_elemen"][~_shared(names, elements["kode_opd"])])
    name_of = dict(zip(elements["kode_elemen"], names, strict=True))
    for entry in unknown:
        rel = entry["berkas"]
        rows = np.flatnonzero((nilai["sumber_file"] == rel).to_numpy() & nilai["kode_opd"].isna().to_numpy()
                              & nilai["kode_elemen"].notna().to_numpy())  # fmt: skip
        if not len(rows):
            continue
        evidence = pd.unique(nilai["kode_elemen"].iloc[rows][nilai["kode_elemen"].iloc[rows].isin(distinctive)])
        if not len(evidence):
            continue
        per_owner = pd.Series(evidence).map(owner).value_counts()
        best, n_best = per_owner.index[0], int(per_owner.iloc[0])
        share = n_best / len(evidence)
        if n_best < MIN_ELEMENTS or share < MIN_SHARE:
            continue
        # each value goes to that producer's element of the same name (names shared with others included)
        own = elements[elements["kode_opd"] == best]
        own_code = dict(zip(own["nama_elemen"].map(fold), own["kode_elemen"], strict=True))
        own_counted = dict(zip(own["kode_elemen"], own["dihitung"].astype(bool), strict=True))
        own_name = dict(zip(own["kode_elemen"], own["nama_elemen"], strict=True))
        matched = nilai["kode_elemen"].iloc[rows].map(name_of).map(own_code)
        mine = rows[matched.notna().to_numpy()]
        codes = matched.dropna().to_numpy()
        ok = nilai["tahun"].iloc[mine].notna().to_numpy() & np.array([own_counted[c] for c in codes], dtype=bool)
        nilai.iloc[rows, nilai.columns.get_loc("kode_opd")] = best
        nilai.iloc[mine, nilai.columns.get_loc("kode_elemen")] = codes
        nilai.iloc[mine, nilai.columns.get_loc("nama_elemen")] = [own_name[c] for c in codes]
        nilai.iloc[mine[ok], nilai.columns.get_loc("dihitung")] = True
        n_counted = int(ok.sum())
        entry["kode_opd"] = best
        issues[:] = [i for i in issues if not (i["sumber_file"] == rel and i["kode_masalah"] == "opd_tidak_dikenal")]
        for i in issues:
            if i["sumber_file"] == rel and i["kode_opd"] is None:
                i["kode_opd"] = best
        issues.append({
            "putaran": round_date, "sumber_file": rel, "sumber_sheet": None, "sumber_baris": None,
            "sumber_kolom": None, "kode_opd": best, "tingkat": PERINGATAN, "kode_masalah": "opd_dari_elemen",
            "pesan": f"Berkas {rel} tidak menyebut pengirimnya; {n_best} dari {len(evidence)} elemen khas yang cocok "
                     f"({fmt.persen(100 * share, 0)} %) adalah elemen {best} ({register.name(best)}) di katalog, "
                     f"jadi {n_counted} nilainya dihitung untuk OPD itu. Periksa; tulis 'OPD: <nama OPD>' di atas "
                     "tabel atau singkatan OPD di nama berkas agar pasti.",
        })  # fmt: skip
