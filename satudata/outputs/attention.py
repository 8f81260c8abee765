"""Who needs attention after a round: the "Perlu perhatian" block on the report's first screen.

Every OPD in the merah zone and every OPD that stalled or fell since the previous round (its
last-interval pace, :func:`satudata.evaluation.trends.recent_pace`, is zero or below while it is under 100 %),
with the items it still owes, the deadline and the next round from the settings, and the headline
figure: the mean of the OPD percents (the pooled figure beside it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from satudata.common import fmt
from satudata.reference.settings import Settings

STALLED = "tidak bergerak"
FALLING = "turun"
RED = "merah"
BOTH = "merah dan tidak naik"
PACE_EPSILON = 1e-9


@dataclass(frozen=True)
class AttentionItem:
    """One OPD that needs attention and why."""

    kode_opd: str
    nama_opd: str
    persen: float | None
    zona: str | None
    selisih: float | None  # points since the previous round (None in the first round)
    kurang: int  # items still owed
    wajib: int
    alasan: tuple[str, ...]  # RED, STALLED, FALLING


@dataclass(frozen=True)
class Attention:
    """The block's content: OPDs, deadline and next round (texts), headline figures."""

    items: list[AttentionItem]
    batas_kirim: str  # the deadline as the feedback workbook says it
    putaran_berikutnya: str  # the next round's date, or an en dash when the calendar is not set
    batas_tersendiri: bool  # True when ``[putaran] batas_kirim`` sets a date of its own
    rata_rata: float | None
    gabungan: float | None
    wajib: int
    terpenuhi: int
    putaran_pertama: bool = False
    counts: dict[str, int] = field(default_factory=dict)


def next_round_text(settings: Settings, putaran: str) -> str:
    """The next round's long date from ``[putaran] jadwal``/``selang_hari``, or an en dash."""
    following = settings.rounds.next_round(putaran)
    return fmt.tanggal(following) if following else "–"


def attention(progres: pd.DataFrame, riwayat: pd.DataFrame, putaran: str, settings: Settings) -> Attention:
    """The merah, stalled and falling OPDs of ``putaran`` (lowest percent first) and the round's figures."""
    from satudata.evaluation.trends import history_up_to, recent_pace, rounds_of
    from satudata.outputs.feedback import deadline_text

    history = history_up_to(riwayat, putaran) if "putaran" in riwayat and len(riwayat) else riwayat
    first = len(rounds_of(history)) < 2 if len(history) else True
    paces = {} if first else dict(zip(*recent_pace(riwayat, putaran)[["kode_opd", "laju_terakhir"]].T.values,
                                      strict=True))
    items = []
    for r in progres.itertuples():
        persen = fmt.number(r.persen)
        if persen is None:
            continue
        wajib = int(r.wajib)
        kurang = wajib - int(r.terpenuhi)
        reasons = []
        if r.zona == "merah":
            reasons.append(RED)
        pace = fmt.number(paces.get(r.kode_opd))
        if pace is not None and persen < 100:
            if pace < -PACE_EPSILON:
                reasons.append(FALLING)
            elif pace <= PACE_EPSILON:
                reasons.append(STALLED)
        if reasons:
            selisih = fmt.number(getattr(r, "selisih", None))
            items.append(AttentionItem(str(r.kode_opd), str(r.nama_opd), persen, r.zona, selisih, kurang, wajib,
                                       tuple(reasons)))
    items.sort(key=lambda i: (i.persen if i.persen is not None else 0, i.nama_opd))
    persen = pd.to_numeric(progres["persen"], errors="coerce")
    wajib = int(pd.to_numeric(progres["wajib"], errors="coerce").fillna(0).sum())
    done = int(pd.to_numeric(progres["terpenuhi"], errors="coerce").fillna(0).sum())
    counts = {reason: sum(reason in i.alasan for i in items) for reason in (RED, STALLED, FALLING)}
    # an OPD both merah and stalled (or falling) is counted in both groups: say how many, so the sum adds up
    counts[BOTH] = sum(RED in i.alasan and len(i.alasan) > 1 for i in items)
    return Attention(
        items=items,
        batas_kirim=deadline_text(settings, putaran),
        putaran_berikutnya=next_round_text(settings, putaran),
        batas_tersendiri=bool(settings.rounds.deadline and settings.rounds.deadline > str(putaran)[:10]),
        rata_rata=float(persen.mean()) if persen.notna().any() else None,
        gabungan=done / wajib * 100 if wajib else None,
        wajib=wajib,
        terpenuhi=done,
        putaran_pertama=first,
        counts=counts,
    )
