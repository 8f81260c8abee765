"""The facts of one round, per OPD and for the region, that every output shows and none recomputes.

Per OPD (:class:`OpdFacts`): its zone, percent (as shown: :func:`satudata.common.fmt.persen_zona`, rounded
half up and never across a zone threshold), items owed and fulfilled, the items still needed for the next
zone (``kurang N butir ke hijau``: hijau needs ``ceil(hijau % x owed)`` items, not all of them), its pace
and forecast (:func:`satudata.evaluation.trends.forecast`: none at a shown pace of 0,0 or below, none past
the budget year or the rounds in the settings), the round of its last submission or ``belum pernah
mengirim``, and, when it is on the round's one list of OPDs to act on, the reasons and the action.

Who is on the list (:data:`REASONS`, in this order): an OPD that owes items and never sent a file; every
merah OPD; every kuning OPD (it lacks items for hijau); an OPD still below 100 % whose last-interval pace
shown is 0,0 (``tidak bergerak``) or below (``turun``). The action names what it must send:
``kirim N butir ke kuning|hijau`` (``lengkapi N butir`` once hijau).

The region (:class:`RegionFacts`): the mean of the OPD percents, its pace and its forecast under the same
rule, with the reason when there is none.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pandas as pd

from satudata.common import fmt
from satudata.evaluation import trends
from satudata.evaluation.zones import zone_of
from satudata.reference.settings import Settings

NEVER_SENT = "belum pernah mengirim"
RED = "zona merah"
YELLOW = "belum hijau"
STALLED = "tidak bergerak"
FALLING = "turun"
REASONS = (NEVER_SENT, RED, YELLOW, STALLED, FALLING)
NO_ACTION = "tidak ada"


def items_to_reach(terpenuhi: int, wajib: int, threshold: float) -> int:
    """Items still to fulfil for the percent to reach ``threshold`` (0 when it already does).

    The least n with ``(terpenuhi + n) / wajib * 100 >= threshold`` under the same float rule as the zone
    (:func:`satudata.evaluation.zones.zone_of`): 9 of 10 is hijau, so an OPD with 5 of 10 needs 4."""
    if wajib <= 0:
        return 0
    need = math.ceil(Fraction(str(threshold)) * wajib / 100) - terpenuhi
    need = max(0, min(need, wajib - terpenuhi))
    # agree with the float comparison the zone uses, whatever the rounding of the division
    while need > 0 and (terpenuhi + need - 1) / wajib * 100 >= threshold:
        need -= 1
    while need < wajib - terpenuhi and (terpenuhi + need) / wajib * 100 < threshold:
        need += 1
    return need


def shown_pace(pace: float | None) -> float | None:
    """A pace in points per week as the outputs show it (one decimal, half up); None when unknown."""
    value = fmt.number(pace)
    return None if value is None else fmt.round_half_up(value, 1)


def pace_text(pace: float | None) -> str:
    """``+2,5 poin per minggu`` (``–`` when unknown)."""
    return "–" if fmt.number(pace) is None else f"{fmt.persen(pace, sign=True)} poin per minggu"


@dataclass(frozen=True)
class OpdFacts:
    """One OPD at one round, as every output states it."""

    kode_opd: str
    nama_opd: str
    singkatan: str
    wajib: int
    terpenuhi: int
    persen: float | None
    persen_teks: str  # ``88,9`` (``–`` without a percent)
    zona: str | None
    zona_label: str
    ke_hijau: int
    ke_kuning: int
    selisih: float | None
    arah_zona: str | None
    laju_terakhir: float | None
    perkiraan_hijau: str  # ``putaran ke-5 (8 Oktober 2020)`` or a status
    kirim_terakhir: str | None  # ISO date of the last round it sent a file in
    alasan: tuple[str, ...] = ()
    tindakan: str = NO_ACTION

    @property
    def kurang(self) -> int:
        """Items still owed for 100 %."""
        return self.wajib - self.terpenuhi

    @property
    def kirim_terakhir_teks(self) -> str:
        return fmt.tanggal_pendek(self.kirim_terakhir) if self.kirim_terakhir else NEVER_SENT

    @property
    def ke_zona_teks(self) -> str:
        """``kurang 3 butir ke hijau`` (merah: ``ke kuning``, then the items to hijau); ``sudah hijau``."""
        if self.zona is None:
            return "tidak ada butir wajib"
        if self.zona == "hijau":
            return "sudah hijau"
        if self.zona == "merah":
            return f"kurang {fmt.angka(self.ke_kuning)} butir ke kuning, {fmt.angka(self.ke_hijau)} butir ke hijau"
        return f"kurang {fmt.angka(self.ke_hijau)} butir ke hijau"

    @property
    def on_list(self) -> bool:
        return bool(self.alasan)

    @property
    def alasan_teks(self) -> str:
        return ", ".join(self.alasan) if self.alasan else NO_ACTION

    @property
    def tindakan_teks(self) -> str:
        """``belum hijau (kirim 3 butir ke hijau)``, or ``tidak ada``: the same words in every output."""
        return f"{self.alasan_teks} ({self.tindakan})" if self.alasan else NO_ACTION


@dataclass(frozen=True)
class RegionFacts:
    """The region at one round: the mean of the OPD percents, its pace and forecast."""

    rata_rata: float | None
    gabungan: float | None
    wajib: int
    terpenuhi: int
    laju_terakhir: float | None
    laju_rata_rata: float | None
    forecast: trends.Forecast
    forecast_text: str  # one sentence, the same in the deck and the report


@dataclass
class RoundFacts:
    """Every OPD's facts (register order of ``progres_opd``: lowest percent first on :attr:`action_list`)."""

    putaran: str
    opds: dict[str, OpdFacts]
    region: RegionFacts
    first_round: bool
    counts: dict[str, int] = field(default_factory=dict)  # reason -> OPDs

    @property
    def action_list(self) -> list[OpdFacts]:
        """The one list of OPDs to act on: lowest percent first, then by name."""
        rows = [f for f in self.opds.values() if f.on_list]
        return sorted(rows, key=lambda f: (f.persen if f.persen is not None else -1.0, f.nama_opd, f.kode_opd))

    def get(self, kode_opd: str) -> OpdFacts | None:
        return self.opds.get(str(kode_opd))


def last_submissions(manifests: dict[str, dict]) -> dict[str, str]:
    """kode_opd -> the latest round (ISO date) whose manifest lists a file of it."""
    out: dict[str, str] = {}
    for rnd in sorted(manifests):
        for entry in manifests[rnd].get("berkas", []) or []:
            kode = entry.get("kode_opd")
            if isinstance(kode, str) and kode:
                out[kode] = str(rnd)[:10]
    return out


def load_manifests(processed_root: str | Path, putaran: str) -> dict[str, dict]:
    """The manifests of every round up to and including ``putaran`` (rounds without one are left out)."""
    root = Path(processed_root)
    out = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name[:1].isdigit()) if root.exists() else []:
        if folder.name[:10] <= str(putaran)[:10] and (folder / "manifest.json").exists():
            out[folder.name[:10]] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return out


def _forecast_text(result: trends.Forecast) -> str:
    from satudata.common.fmt import tanggal_pendek

    if result.tanggal is None:
        return result.status
    when = tanggal_pendek(result.tanggal)
    return f"putaran ke-{result.putaran_ke} ({when})" if result.putaran_ke else when


def region_facts(putaran: str, progres: pd.DataFrame, hist: pd.DataFrame, settings: Settings) -> RegionFacts:
    """The region's mean percent, pace and forecast of hijau (same rule as an OPD's)."""
    persen = pd.to_numeric(progres["persen"], errors="coerce")
    scored = progres.loc[persen.notna()]
    wajib = int(pd.to_numeric(scored["wajib"], errors="coerce").fillna(0).sum())
    done = int(pd.to_numeric(scored["terpenuhi"], errors="coerce").fillna(0).sum())
    mean = float(persen.mean()) if persen.notna().any() else None
    lines = trends.overall_lines(hist, putaran).dropna(subset=["rata_rata"]) if len(hist) else pd.DataFrame()
    target = f"{fmt.angka(settings.zones.hijau)} %"
    if len(lines) < 2 or mean is None:
        result = trends.Forecast(status=trends.STATUS_UNKNOWN)
        text = (f"Perkiraan kapan rata-rata capaian mencapai {target}: {trends.STATUS_UNKNOWN} "
                "(baru ada satu putaran).")  # fmt: skip
        return RegionFacts(mean, done / wajib * 100 if wajib else None, wajib, done, None, None, result, text)
    pace = trends.overall_pace(hist, putaran)["rata_rata"]
    last, avg = fmt.number(pace["terakhir"]), fmt.number(pace["rata_rata"])
    upcoming = trends.upcoming_rounds(putaran, len(lines), settings.rounds)
    result = trends.forecast(float(lines.iloc[-1]["rata_rata"]), pace["terakhir"], settings.zones.hijau, putaran,
                             upcoming)  # fmt: skip
    paces = f"laju terakhir {pace_text(last)}, laju rata-rata {pace_text(avg)}"
    if result.status == trends.STATUS_REACHED:
        text = f"Rata-rata capaian sudah mencapai {target} ({paces})."
    elif result.tanggal is not None:
        text = f"Dengan laju sekarang ({paces}), rata-rata capaian mencapai {target} pada {_forecast_text(result)}."
    elif result.status == trends.STATUS_NEVER:
        why = "tidak bergerak" if (shown_pace(last) or 0.0) == 0 else "turun"
        text = (f"Tidak ada perkiraan kapan rata-rata capaian mencapai {target}: rata-rata {why} "
                f"({paces}), {trends.STATUS_NEVER}.")  # fmt: skip
    elif result.status == trends.STATUS_NOT_THIS_YEAR:
        text = (f"Tidak ada perkiraan kapan rata-rata capaian mencapai {target}: dengan laju sekarang ({paces}) "
                f"{trends.STATUS_NOT_THIS_YEAR} (batas perkiraan: {fmt.tanggal_pendek(trends.horizon(putaran, settings.rounds))}).")  # fmt: skip
    else:
        text = f"Perkiraan kapan rata-rata capaian mencapai {target}: {result.status} ({paces})."
    return RegionFacts(mean, done / wajib * 100 if wajib else None, wajib, done, last, avg, result, text)


def round_facts(
    putaran: str,
    progres_opd: pd.DataFrame,
    riwayat: pd.DataFrame,
    settings: Settings,
    last_sent: dict[str, str] | None = None,
) -> RoundFacts:
    """The facts of ``putaran`` from its ``progres_opd``, the history (later rounds are left out; the round
    itself is added when missing) and ``last_sent`` (:func:`last_submissions`; None: not known, nobody is
    said never to have sent)."""
    putaran = str(putaran)[:10]
    hist = trends.history_up_to(riwayat, putaran) if len(riwayat) and "putaran" in riwayat else pd.DataFrame()
    if not len(hist) or putaran not in set(hist["putaran"]):
        hist = trends.history_up_to(pd.concat([hist, progres_opd.assign(putaran=putaran)], ignore_index=True),
                                    putaran)  # fmt: skip
    first = len(trends.rounds_of(hist)) < 2
    proj = trends.projection(hist, putaran, settings).set_index("kode_opd") if not first else None
    zones = settings.zones
    opds: dict[str, OpdFacts] = {}
    for r in progres_opd.itertuples(index=False):
        kode = str(r.kode_opd)
        wajib, done = int(r.wajib or 0), int(r.terpenuhi or 0)
        persen = fmt.number(r.persen)
        zona = zone_of(persen, zones)
        pace = fmt.number(proj.loc[kode, "laju_terakhir"]) if proj is not None and kode in proj.index else None
        if proj is not None and kode in proj.index:
            row = proj.loc[kode]
            forecast = _forecast_text(trends.Forecast(
                row["tanggal_hijau"], None if pd.isna(row["putaran_hijau"]) else int(row["putaran_hijau"]),
                row["status_hijau"]))  # fmt: skip
        else:
            forecast = trends.STATUS_UNKNOWN
        sent = (last_sent or {}).get(kode)
        reasons = []
        if last_sent is not None and sent is None and wajib > done:
            reasons.append(NEVER_SENT)
        if zona == "merah":
            reasons.append(RED)
        elif zona == "kuning":
            reasons.append(YELLOW)
        shown = shown_pace(pace)
        if shown is not None and persen is not None and persen < 100:
            if shown < 0:
                reasons.append(FALLING)
            elif shown == 0:
                reasons.append(STALLED)
        ke_hijau, ke_kuning = items_to_reach(done, wajib, zones.hijau), items_to_reach(done, wajib, zones.kuning)
        if not reasons:
            action = NO_ACTION
        elif zona == "merah":
            action = f"kirim {fmt.angka(ke_kuning)} butir ke kuning ({fmt.angka(ke_hijau)} butir ke hijau)"
        elif zona == "kuning":
            action = f"kirim {fmt.angka(ke_hijau)} butir ke hijau"
        else:
            action = f"lengkapi {fmt.angka(wajib - done)} butir yang masih kurang"
        nama = str(r.nama_opd)
        singkatan = getattr(r, "singkatan", None)
        arah = getattr(r, "arah_zona", None)
        opds[kode] = OpdFacts(
            kode_opd=kode, nama_opd=nama,
            singkatan=singkatan.strip() if isinstance(singkatan, str) and singkatan.strip() else kode,
            wajib=wajib, terpenuhi=done, persen=persen,
            persen_teks=fmt.persen_zona(persen, zones) if persen is not None else "–",
            zona=zona, zona_label=zones.labels.get(zona, zona) if zona else "Tidak dinilai",
            ke_hijau=ke_hijau, ke_kuning=ke_kuning,
            selisih=fmt.number(getattr(r, "selisih", None)), arah_zona=arah if isinstance(arah, str) else None,
            laju_terakhir=pace, perkiraan_hijau=forecast, kirim_terakhir=sent,
            alasan=tuple(reasons), tindakan=action,
        )  # fmt: skip
    counts = {reason: sum(reason in f.alasan for f in opds.values()) for reason in REASONS}
    return RoundFacts(putaran, opds, region_facts(putaran, progres_opd, hist, settings), first, counts)


def load_round_facts(processed_root: str | Path, putaran: str, settings: Settings) -> RoundFacts:
    """The facts of ``putaran`` from ``<data_dir>/processed``: its ``progres_opd``, the history of rounds and
    every round's manifest (for the last submission)."""
    root = Path(processed_root)
    progres = pd.read_parquet(root / putaran / "progres_opd.parquet")
    history = root / "riwayat_progres_opd.parquet"
    riwayat = pd.read_parquet(history) if history.exists() else progres.assign(putaran=putaran)
    return round_facts(putaran, progres, riwayat, settings, last_submissions(load_manifests(root, putaran)))
