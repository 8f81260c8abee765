"""Dataset-level completeness from an open-data portal's inventory (issue 14, item 2).

A portal inventory lists datasets, not values: Open Data Jabar's is a ``;`` CSV
``Produsen Data;Judul Tabel;Tahun Data;Status Data;Tautan`` (``Tahun Data`` like ``2019 - 2024``, ``2020`` or
``2014, 2016``). :func:`portal_completeness` tells, per producer of the register, which of its catalogue
elements and items (element x year of its window) the portal's datasets cover:

* **Producer**: the inventory's ``Produsen Data`` through the register (:meth:`Register.resolve`, then
  :meth:`Register.match_fuzzy` at ``[pencocokan] ambang_opd``; a fuzzy match is listed for review). A
  producer the register does not know keeps its name and no code.
* **Element**: first the reviewed mapping file (``data/reference/pemetaan-portal.csv``: ``judul_tabel,
  produsen, kode_elemen``; an empty ``produsen`` applies to a title from any producer; an element code
  ``-`` says the dataset holds no catalogue element), which overrides everything; else by code when the
  inventory has one (``kode_elemen``/``kode_dssd`` column); else by title: the title without the region's
  boilerplate (``di Lingkungan Pemerintah Provinsi Jawa Barat``, ``di Jawa Barat``, ``Berdasarkan
  Kabupaten/Kota``...) against the names of the producer's elements (all elements when the producer is not
  known) with rapidfuzz, the better of ``ratio`` and ``token_sort_ratio``, accepted from ``[pencocokan]
  ambang_elemen``. The best candidate of every dataset left unmatched with a score from
  :data:`SUGGEST_FROM` is a suggestion for the walidata (:func:`write_suggestions`), to be copied into the
  mapping file once checked.
* **Years**: the years of ``Tahun Data`` (a range ``2019 - 2024`` is every year of it); an item is covered
  when a dataset matched to its element holds its year and the year is owed.

The element's owner in the catalogue gets the covered items (a dataset of another producer that matches
an element still covers it); datasets are counted under the producer that published them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from satudata.formats.read_limits import ReadLimits
from satudata.formats.readers import decode_text, sniff_delimiter
from satudata.reading.matching import quick_normalise
from satudata.reference.catalogue import Catalogue
from satudata.reference.register import Register
from satudata.reference.settings import Settings

SUGGEST_FROM = 60.0  # a title scoring below the threshold but at least this is suggested for review
NOT_AN_ELEMENT = "-"  # kode_elemen in the mapping file: the dataset holds no catalogue element
METHOD_MAPPING, METHOD_CODE, METHOD_TITLE, METHOD_NONE = "pemetaan", "kode", "judul", "tidak_cocok"
INVENTORY_COLUMNS = {"produsen data": "produsen", "judul tabel": "judul_tabel", "tahun data": "tahun_data",
                     "status data": "status_data", "tautan": "tautan", "kode_elemen": "kode_elemen",
                     "kode elemen": "kode_elemen", "kode_dssd": "kode_elemen"}  # fmt: skip
MAPPING_COLUMNS = ["judul_tabel", "produsen", "kode_elemen"]
# words of a title that name the region or the breakdown, not the data (normalised text)
_BOILERPLATE = re.compile(
    r"\b(di lingkungan pemerintah provinsi jawa barat|di lingkungan pemerintah daerah provinsi jawa barat"
    r"|pemerintah provinsi jawa barat|di provinsi jawa barat|provinsi jawa barat|di jawa barat|jawa barat"
    r"|berdasarkan kabupaten kota|menurut kabupaten kota|per kabupaten kota|di kabupaten kota|kabupaten kota"
    r"|tahun \d{4}( \d{4})?)\b"
)
_YEAR_SPAN = re.compile(r"((?:19|20)\d\d)\s*(?:-|–|s\.?\s*d\.?|sampai)\s*((?:19|20)\d\d)|((?:19|20)\d\d)")


def parse_years(text: object) -> tuple[int, ...]:
    """The years ``Tahun Data`` names: ``2019 - 2024`` is 2019..2024, ``2014, 2016`` is both, ``2020`` one."""
    if not isinstance(text, str):
        return ()
    years: set[int] = set()
    for start, end, single in _YEAR_SPAN.findall(text):
        if single:
            years.add(int(single))
        elif int(start) <= int(end) and int(end) - int(start) <= 100:
            years.update(range(int(start), int(end) + 1))
    return tuple(sorted(years))


def read_inventory(path: str | Path, limits: ReadLimits | None = None) -> pd.DataFrame:
    """A portal inventory CSV (any extension, delimiter sniffed, encoding found) as ``baris, produsen,
    judul_tabel, tahun_data, status_data, tautan, kode_elemen, tahun`` (``tahun``: a tuple of years; ``baris``:
    the file row). Raises ValueError without ``Produsen Data`` and ``Judul Tabel`` columns. Read whole into memory,
    so bounded like a CSV (``max_text_bytes`` of ``limits``, the settings' ``[batas]``): past it, ``ReadError``
    (``berkas_terlalu_besar``) before a byte is parsed."""
    from satudata.formats.read_limits import past_size
    from satudata.sources.source_files import SIZE_FIX

    path = Path(path)
    if (error := past_size(path.name, path.stat().st_size, limits, text=True, fix=SIZE_FIX)) is not None:
        raise error
    text, _ = decode_text(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    header = next(reader, [])
    columns = [INVENTORY_COLUMNS.get(" ".join(h.split()).lower()) for h in header]
    if "produsen" not in columns or "judul_tabel" not in columns:
        raise ValueError(f"Berkas {path.name}: kolom 'Produsen Data' dan 'Judul Tabel' tidak ditemukan di baris "
                         "pertama. Pastikan berkas adalah daftar dataset portal (Produsen Data;Judul Tabel;"
                         "Tahun Data;Status Data;Tautan).")  # fmt: skip
    records = []
    for row in reader:
        if not any(c.strip() for c in row):
            continue
        rec = {c: " ".join(v.split()) for c, v in zip(columns, row, strict=False) if c}
        rec["baris"] = reader.line_num
        records.append(rec)
    frame = pd.DataFrame.from_records(records)
    for column in ("produsen", "judul_tabel", "tahun_data", "status_data", "tautan", "kode_elemen"):
        if column not in frame:
            frame[column] = ""
    frame = frame[["baris", "produsen", "judul_tabel", "tahun_data", "status_data", "tautan", "kode_elemen"]]
    frame = frame.fillna("")
    frame["tahun"] = frame["tahun_data"].map(parse_years)
    return frame


def load_mapping(path: str | Path | None) -> pd.DataFrame:
    """The reviewed mapping (``judul_tabel, produsen, kode_elemen``), empty when the file does not exist."""
    if path is None or not Path(path).exists():
        return pd.DataFrame(columns=MAPPING_COLUMNS)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in ("judul_tabel", "kode_elemen") if c not in frame.columns]
    if missing:
        raise ValueError(f"Berkas {Path(path).name}: kolom {', '.join(missing)} tidak ada. Kolomnya: judul_tabel, "
                         "produsen, kode_elemen.")  # fmt: skip
    if "produsen" not in frame.columns:
        frame["produsen"] = ""
    return frame[MAPPING_COLUMNS].map(lambda s: " ".join(str(s).split()))


_STOPWORDS = frozenset(["di", "dan", "yang", "berdasarkan", "menurut", "ke", "dari", "untuk", "per", "atau", "dengan", "pada", "dalam", "oleh", "bagi", "se"])
_PARENS = re.compile(r"\([^)]*\)")


def content_words(name: str) -> list[str]:
    """The words of an element name that a dataset title must hold: normalised, without words in parentheses
    (``(PMA)``, ``(Unit)``), the region's boilerplate and connecting words."""
    return [w for w in title_key(_PARENS.sub(" ", name)).split() if w not in _STOPWORDS and not w.isdigit()]


_NEGATIONS = frozenset({"tidak", "non", "bukan", "belum", "tanpa"})


def covers(title_words: list[str], element_words: list[str]) -> bool:
    """Every element word is in the title, written alike or with a typo (``berdasrkan``, rapidfuzz ratio
    from 80), and a negation (``tidak``, ``non``...) is in both or in neither: ``Diawasi Tidak Sesuai`` is not
    ``diawasi sesuai``."""
    if _NEGATIONS.isdisjoint(title_words) != _NEGATIONS.isdisjoint(element_words):
        return False
    return all(w in title_words or any(fuzz.ratio(w, t) >= 80 for t in title_words) for w in element_words)


def title_key(title: str) -> str:
    """A title or element name without the region's boilerplate, normalised, for fuzzy comparison."""
    return " ".join(_BOILERPLATE.sub(" ", quick_normalise(title)).split())


@dataclass
class PortalResult:
    """``dataset``: every dataset with its producer and element; ``per_opd``: completeness per producer;
    ``produsen``: every producer name of the inventory with its register code; ``saran``: suggestions."""

    dataset: pd.DataFrame
    per_opd: pd.DataFrame
    produsen: pd.DataFrame
    saran: pd.DataFrame

    def totals(self) -> dict[str, int]:
        d = self.dataset
        per = self.per_opd
        return {
            "dataset": len(d), "produsen_portal": int(self.produsen.shape[0]),
            "produsen_dikenal": int(self.produsen["kode_opd"].notna().sum()),
            "dataset_produsen_dikenal": int(d["kode_opd"].notna().sum()),
            "cocok_kode": int((d["metode"] == METHOD_CODE).sum()),
            "cocok_judul": int((d["metode"] == METHOD_TITLE).sum()),
            "cocok_pemetaan": int((d["metode"] == METHOD_MAPPING).sum()),
            "elemen_tercakup": int(per["elemen_tercakup"].sum()), "elemen_wajib": int(per["elemen_wajib"].sum()),
            "item_tercakup": int(per["item_tercakup"].sum()), "item_wajib": int(per["item_wajib"].sum()),
            "saran": len(self.saran),
        }  # fmt: skip


def _producers(names: list[str], register: Register, threshold: float) -> pd.DataFrame:
    out = []
    for name in names:
        code = register.resolve(name)
        method, score = ("nama", 100.0) if code else (None, None)
        if code is None:
            fuzzy = register.match_fuzzy(name, threshold)
            if fuzzy is not None:
                code, method, score = fuzzy.kode_opd, "mirip", fuzzy.skor
        out.append((name, code, method, score))
    return pd.DataFrame(out, columns=["produsen", "kode_opd", "metode_opd", "skor_opd"])


def portal_completeness(inventory: pd.DataFrame, register: Register, catalogue: Catalogue, settings: Settings,
                        mapping: pd.DataFrame | None = None) -> PortalResult:  # fmt: skip
    """Dataset-level completeness per producer (see the module docstring)."""
    elements = catalogue.elements.reset_index(drop=True)
    owed_years = [tuple(t) for t in elements["tahun_wajib"]]
    codes = elements["kode_elemen"].astype(str).tolist()
    owners = elements["kode_opd"].astype(object).tolist()
    position = {c: i for i, c in reversed(list(enumerate(codes)))}
    keys = [title_key(n) for n in elements["nama_elemen"].astype(str)]
    words = [content_words(n) for n in elements["nama_elemen"].astype(str)]
    rows_of: dict[object, list[int]] = {}
    for i, owner in enumerate(owners):
        rows_of.setdefault(owner, []).append(i)

    producers = _producers(sorted(inventory["produsen"].unique()), register, settings.matching.opd_threshold)
    code_of = dict(zip(producers["produsen"], producers["kode_opd"], strict=True))
    mapping = load_mapping(None) if mapping is None else mapping
    by_title_producer = {(t.lower(), p.lower()): k for t, p, k in mapping[MAPPING_COLUMNS].itertuples(index=False)}
    threshold = settings.matching.element_threshold

    cache: dict[tuple[object, str], tuple[int | None, float | None, int | None, float | None]] = {}
    out = []
    for rec in inventory.itertuples(index=False):
        opd = code_of.get(rec.produsen)
        mapped = by_title_producer.get((rec.judul_tabel.lower(), rec.produsen.lower()),
                                       by_title_producer.get((rec.judul_tabel.lower(), "")))  # fmt: skip
        element, method, score, best, best_score = None, METHOD_NONE, None, None, None
        if mapped is not None:
            method = METHOD_MAPPING
            element = None if mapped == NOT_AN_ELEMENT else position.get(mapped)
            if element is None and mapped != NOT_AN_ELEMENT:
                method = METHOD_NONE  # a code the catalogue does not have: listed by check_mapping
        elif rec.kode_elemen and rec.kode_elemen in position:
            element, method, score = position[rec.kode_elemen], METHOD_CODE, 100.0
        else:
            key = (opd, rec.judul_tabel)
            if key not in cache:
                cache[key] = _best_title(title_key(rec.judul_tabel), rows_of.get(opd) if opd else None, keys,
                                         words, threshold)  # fmt: skip
            element, score, best, best_score = cache[key]
            if element is not None:
                method = METHOD_TITLE
        years = tuple(y for y in rec.tahun if element is not None and y in owed_years[element])
        out.append((rec.baris, rec.produsen, opd, rec.judul_tabel, rec.tahun_data, rec.status_data, rec.tautan,
                    method, None if element is None else codes[element],
                    None if element is None else elements.at[element, "nama_elemen"],
                    None if element is None else owners[element], score, years,
                    None if best is None else codes[best], best_score))  # fmt: skip
    dataset = pd.DataFrame(out, columns=["baris", "produsen", "kode_opd", "judul_tabel", "tahun_data", "status_data",
                                         "tautan", "metode", "kode_elemen", "nama_elemen", "kode_opd_elemen", "skor",
                                         "tahun_tercakup", "saran_kode_elemen", "saran_skor"])  # fmt: skip
    per_opd = _per_opd(dataset, elements, register)
    saran = dataset[dataset["saran_kode_elemen"].notna()].copy()
    saran["saran_nama_elemen"] = saran["saran_kode_elemen"].map(lambda c: elements.at[position[c], "nama_elemen"])
    saran = saran[["baris", "judul_tabel", "produsen", "saran_kode_elemen", "saran_nama_elemen", "saran_skor"]]
    saran = saran.sort_values(["saran_skor", "baris"], ascending=[False, True]).reset_index(drop=True)
    counted = dataset.groupby("produsen").size().rename("dataset")
    producers = producers.merge(counted, left_on="produsen", right_index=True, how="left")
    return PortalResult(dataset, per_opd, producers, saran)


def _best_title(key: str, rows: list[int] | None, keys: list[str], words: list[list[str]], threshold: float):
    """(element, score, None, None) for the best element that reaches ``threshold`` and whose every content word
    the title holds (:func:`covers`), else (None, None, best, its score) for a suggestion from
    :data:`SUGGEST_FROM` (or all None)."""
    rows = list(range(len(keys))) if rows is None else rows
    if not key or not rows:
        return None, None, None, None
    choices = [keys[i] for i in rows]
    scores: dict[int, float] = {}
    for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
        for _, score, pos in process.extract(key, choices, scorer=scorer, limit=5, score_cutoff=SUGGEST_FROM):
            scores[rows[pos]] = max(scores.get(rows[pos], 0.0), float(score))
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    title_words = key.split()
    for i, score in ranked:  # the best element whose every word the title holds
        if score < threshold:
            break
        if covers(title_words, words[i]):
            return i, score, None, None
    best_i, best_score = ranked[0] if ranked else (None, -1.0)
    if best_i is not None and best_score >= SUGGEST_FROM:
        return None, None, best_i, best_score
    return None, None, None, None


def _per_opd(dataset: pd.DataFrame, elements: pd.DataFrame, register: Register) -> pd.DataFrame:
    owed = elements[elements["tahun_wajib"].map(len) > 0]
    items_owed = owed.groupby("kode_opd")["tahun_wajib"].agg(lambda s: sum(len(t) for t in s))
    elements_owed = owed.groupby("kode_opd").size()
    matched = dataset[dataset["kode_elemen"].notna()]
    covered_items = {(o, e, y) for o, e, ys in zip(matched["kode_opd_elemen"], matched["kode_elemen"],
                                                   matched["tahun_tercakup"], strict=True) for y in ys}  # fmt: skip
    covered_elements = {(o, e) for o, e in zip(matched["kode_opd_elemen"], matched["kode_elemen"], strict=True)}
    rows = []
    by_opd = dataset.groupby("kode_opd", dropna=True)
    for code in register.codes:
        d = by_opd.get_group(code) if code in by_opd.groups else dataset.iloc[:0]
        wajib = int(items_owed.get(code, 0))
        items = sum(1 for o, _, _ in covered_items if o == code)
        rows.append({
            "kode_opd": code, "nama_opd": register.name(code), "dataset": len(d),
            "cocok_kode": int((d["metode"] == METHOD_CODE).sum()),
            "cocok_judul": int((d["metode"] == METHOD_TITLE).sum()),
            "cocok_pemetaan": int((d["metode"] == METHOD_MAPPING).sum()),
            "elemen_wajib": int(elements_owed.get(code, 0)),
            "elemen_tercakup": sum(1 for o, _ in covered_elements if o == code),
            "item_wajib": wajib, "item_tercakup": items,
            "persen_item": round(items / wajib * 100, 2) if wajib else None,
        })  # fmt: skip
    return pd.DataFrame(rows)


def write_suggestions(result: PortalResult, path: str | Path) -> Path:
    """The suggestions as a CSV in the mapping file's columns (``kode_elemen`` empty: the walidata fills it
    after checking ``saran_kode_elemen``), ready to copy into ``pemetaan-portal.csv``."""
    from satudata.common.safe_text import to_csv

    s = result.saran
    frame = pd.DataFrame({"judul_tabel": s["judul_tabel"], "produsen": s["produsen"], "kode_elemen": "",
                          "saran_kode_elemen": s["saran_kode_elemen"], "saran_nama_elemen": s["saran_nama_elemen"],
                          "skor": s["saran_skor"].map(lambda x: f"{int(x * 100) / 100:.2f}".replace(".", ","))})  # fmt: skip
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    to_csv(frame, path, index=False, encoding="utf-8-sig")
    return path
