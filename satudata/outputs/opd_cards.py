"""One entry per OPD for the report's interactive list: its row (figures, zone, change) and its card.

The card holds the OPD's history across rounds (``riwayat``), its pace and forecast (the last-interval
pace, :func:`satudata.evaluation.trends.projection`: no forecast when that pace is zero or below), what it still
owes (``kekurangan``, years grouped per element) and its issues (``masalah``). Everything is plain data;
``templates/opd.html.j2`` renders it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from satudata.common import fmt
from satudata.common.plain_words import LEVEL_LABELS  # one label per issue level everywhere
from satudata.outputs.zone_view import zone_text, zone_view
from satudata.reference.settings import Settings

# what one card lists of what its OPD still owes (elements) and of its issues: the rest is counted and is in the OPD's
# feedback workbook, so the report grows with producers, not with items (450 producers listing all: 5 MB)
CARD_LIST = 10
# the rounds a card's history table shows, the latest: earlier ones are counted (the trend page has them all), so a
# card does not grow round after round
CARD_ROUNDS = 6

# arrows, never the zone symbols (● ▲ ■ of :mod:`satudata.outputs.zone_view`): a merah row must not end in "●"
ARROWS = {"naik": "↑ naik", "turun": "↓ turun", "tetap": "→ tetap"}


def _round_text(value: object) -> str:
    return str(value)[:10]


def _history(riwayat: pd.DataFrame, putaran: str, settings: Settings) -> dict[str, list[dict[str, Any]]]:
    if "putaran" not in riwayat or riwayat.empty:
        return {}
    hist = riwayat.assign(tanggal_putaran=riwayat["putaran"].map(_round_text))
    hist = hist[hist["tanggal_putaran"] <= putaran].sort_values("tanggal_putaran", kind="mergesort")
    out: dict[str, list[dict[str, Any]]] = {}
    for r in hist.itertuples():
        out.setdefault(str(r.kode_opd), []).append({
            "putaran": fmt.tanggal_pendek(r.tanggal_putaran),
            "persen": fmt.persen_zona(r.persen, settings.zones) if fmt.number(r.persen) is not None else "–",
            "zona": zone_view(settings, r.zona),
            "butir": f"{fmt.angka(r.terpenuhi)} dari {fmt.angka(r.wajib)}",
        })
    return out


def _missing(kekurangan: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """What each OPD still owes, one entry per element (its years joined), in element order.

    The rows are numbered by their element group once (``ngroup``, vectorised) and then walked once, so the
    cost follows the rows, not one pandas call per element (a per-group loop took 23 % of a 300-producer
    report stage)."""
    if kekurangan.empty:
        return {}
    keys = ["kode_opd", "kode_elemen", "nama_elemen", "satuan"]
    frame = kekurangan[keys].assign(tahun=pd.to_numeric(kekurangan["tahun"], errors="coerce").astype("Int64"))
    frame["_grup"] = frame.groupby(keys, dropna=False, sort=True).ngroup().to_numpy()
    items_per_group = frame["_grup"].value_counts().to_dict()
    years_per_group: dict[int, list[str]] = {}
    years = frame.dropna(subset=["tahun"]).drop_duplicates(["_grup", "tahun"]).sort_values(["_grup", "tahun"])
    for group, year in zip(years["_grup"].tolist(), years["tahun"].tolist(), strict=True):
        years_per_group.setdefault(group, []).append(str(int(year)))
    firsts = frame.drop_duplicates("_grup").sort_values("_grup")
    out: dict[str, list[dict[str, Any]]] = {}
    for group, kode_opd, kode, nama, satuan in zip(
        firsts["_grup"].tolist(), firsts["kode_opd"].tolist(), firsts["kode_elemen"].tolist(),
        firsts["nama_elemen"].tolist(), firsts["satuan"].tolist(), strict=True,
    ):
        out.setdefault(str(kode_opd), []).append({
            "kode": kode, "nama": nama, "satuan": satuan if isinstance(satuan, str) else "",
            "tahun": ", ".join(years_per_group.get(group, [])), "butir": items_per_group[group],
        })
    return out


def _issues(masalah: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    from satudata.common.plain_words import issue_label, plain

    if masalah.empty:
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    for r in masalah.itertuples():
        if not isinstance(r.kode_opd, str) or not r.kode_opd:
            continue
        out.setdefault(r.kode_opd, []).append({
            "tingkat": LEVEL_LABELS.get(str(r.tingkat), str(r.tingkat)),
            "jenis": issue_label(r.kode_masalah),
            "pesan": plain(str(r.pesan)),
        })
    return out


def _forecasts(riwayat: pd.DataFrame, putaran: str, settings: Settings) -> dict[str, dict[str, str]]:
    from satudata.evaluation import trends
    from satudata.outputs.trend_views import when_text

    if "putaran" not in riwayat or riwayat.empty or len(trends.rounds_of(trends.history_up_to(riwayat, putaran))) < 2:
        return {}
    frame = trends.projection(riwayat, putaran, settings)
    out = {}
    for r in frame.itertuples():
        last, mean = fmt.number(r.laju_terakhir), fmt.number(r.laju_rata_rata)
        out[str(r.kode_opd)] = {
            "laju_terakhir": fmt.persen(last, sign=True) + " poin/minggu" if last is not None else "–",
            "laju_rata_rata": fmt.persen(mean, sign=True) + " poin/minggu" if mean is not None else "–",
            "hijau": when_text(r.tanggal_hijau, r.putaran_hijau, r.status_hijau),
            "seratus": when_text(r.tanggal_100, r.putaran_100, r.status_100),
            "berhenti": last is not None and last <= 1e-9,
        }
    return out


def opd_entries(progres: pd.DataFrame, riwayat: pd.DataFrame, kekurangan: pd.DataFrame, masalah: pd.DataFrame,
                putaran: str, settings: Settings, urusan: dict[str, list[tuple[str, str]]] | None = None,
                facts: Any = None) -> list[dict[str, Any]]:
    """One dict per OPD (highest percent first; those that owe nothing last): row figures and card content,
    the zone, percent, items to the next zone, last submission and action from the round facts (``facts``;
    computed without the last submissions when not given).

    ``urusan``: kode_opd -> [(kode_urusan, nama_urusan)] the OPD owes items in (for the urusan filter).
    """
    from satudata.evaluation.round_facts import round_facts
    from satudata.outputs.round_view import sort_progres

    if facts is None:
        facts = round_facts(putaran, progres, riwayat, settings)
    history = _history(riwayat, putaran, settings)
    missing, issues = _missing(kekurangan), _issues(masalah)
    forecasts = _forecasts(riwayat, putaran, settings)
    # rank on the round's list of OPDs to act on (the list's default order); the others after it
    action_rank = {f.kode_opd: i for i, f in enumerate(facts.action_list, start=1)}
    urusan = urusan or {}
    out = []
    for i, r in enumerate(sort_progres(progres).itertuples(), start=1):
        kode = str(r.kode_opd)
        persen = fmt.number(r.persen)
        wajib, terpenuhi = int(r.wajib), int(r.terpenuhi)
        selisih = fmt.number(getattr(r, "selisih", None))
        arah = getattr(r, "arah_zona", None)
        zone = r.zona if isinstance(r.zona, str) else None
        singkatan = r.singkatan if isinstance(getattr(r, "singkatan", None), str) and r.singkatan.strip() else ""
        fact = facts.get(kode)
        forecast = forecasts.get(kode)
        if forecast is not None and fact is not None:
            forecast = {**forecast, "hijau": fact.perkiraan_hijau}
        out.append({
            "no": i, "aksi": action_rank.get(kode, 10_000 + i), "kode": kode, "nama": str(r.nama_opd), "singkatan": singkatan,
            "jenis": str(r.jenis) if isinstance(getattr(r, "jenis", None), str) else "",
            "wajib": wajib, "terpenuhi": terpenuhi, "kurang": wajib - terpenuhi,
            "persen": persen, "persen_teks": fact.persen_teks if fact else "–",
            "ke_zona": fact.ke_zona_teks if fact else "–", "ke_hijau": fact.ke_hijau if fact else 0,
            "kirim": fact.kirim_terakhir_teks if fact else "–",
            "alasan": fact.alasan_teks if fact else "–", "tindakan": fact.tindakan_teks if fact else "–",
            "zona": zone_view(settings, zone), "zona_teks": zone_text(settings, zone), "zona_kunci": zone or "tanpa",
            "selisih": selisih, "selisih_teks": fmt.persen(selisih, sign=True) if selisih is not None else "–",
            "arah": ARROWS.get(arah, "baru") if isinstance(arah, str) else "–",
            "urusan": urusan.get(kode, []),
            "riwayat": history.get(kode, [])[-CARD_ROUNDS:],
            "riwayat_lain": max(0, len(history.get(kode, [])) - CARD_ROUNDS),
            "perkiraan": forecast,
            "kekurangan": missing.get(kode, [])[:CARD_LIST],
            "kekurangan_lain": max(0, len(missing.get(kode, [])) - CARD_LIST),
            "masalah": issues.get(kode, [])[:CARD_LIST],
            "masalah_jumlah": len(issues.get(kode, [])),
        })
    return out


def urusan_of_opds(items: pd.DataFrame | None) -> dict[str, list[tuple[str, str]]]:
    """kode_opd -> the urusan (code, name) it owes items in, from the catalogue items."""
    if items is None or items.empty:
        return {}
    from satudata.outputs.urusan_view import natural_key

    pairs = items[["kode_opd", "kode_urusan", "nama_urusan"]].drop_duplicates()
    out: dict[str, list[tuple[str, str]]] = {}
    for kode, group in pairs.groupby("kode_opd", sort=True):
        rows = sorted(zip(group["kode_urusan"].astype(str), group["nama_urusan"].astype(str), strict=True),
                      key=lambda kv: natural_key(kv[0]))
        out[str(kode)] = rows
    return out
