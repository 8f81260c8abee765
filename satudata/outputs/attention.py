"""Who needs attention after a round: the "Perlu perhatian" block on the report's first screen.

The OPDs are the round facts' one list of OPDs to act on (:mod:`satudata.evaluation.round_facts`): those
that never sent a file, every merah and kuning OPD, and every OPD below 100 % whose last-interval pace is
shown as 0,0 (stalled) or below (falling); each with its reasons, the items it still needs for the next
zone, its last submission and the action, the deadline and the next round from the settings, and the
headline figure: the mean of the OPD percents (the pooled figure beside it) with the region's forecast.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from satudata.common import fmt
from satudata.evaluation.round_facts import FALLING, NEVER_SENT, RED, STALLED, YELLOW, OpdFacts, RoundFacts
from satudata.reference.settings import Settings

BOTH = "merah dan tidak naik"


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
    alasan: tuple[str, ...]  # NEVER_SENT, RED, YELLOW, STALLED, FALLING
    facts: OpdFacts | None = None


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
    perkiraan: str = ""  # the region's forecast sentence (round facts)


def next_round_text(settings: Settings, putaran: str) -> str:
    """The next round's long date from ``[putaran] jadwal``/``selang_hari``, or an en dash."""
    following = settings.rounds.next_round(putaran)
    return fmt.tanggal(following) if following else "–"


def attention(progres: pd.DataFrame, riwayat: pd.DataFrame, putaran: str, settings: Settings,
              facts: RoundFacts | None = None) -> Attention:
    """The round facts' list of OPDs to act on (lowest percent first) and the round's figures; ``facts``
    are computed from ``progres`` and ``riwayat`` (without the last submissions) when not given."""
    from satudata.evaluation.round_facts import round_facts
    from satudata.outputs.feedback import deadline_text

    if facts is None:
        facts = round_facts(putaran, progres, riwayat, settings)
    items = [AttentionItem(f.kode_opd, f.nama_opd, f.persen, f.zona, f.selisih, f.kurang, f.wajib, f.alasan, f)
             for f in facts.action_list]  # fmt: skip
    counts = {reason: sum(reason in i.alasan for i in items) for reason in (NEVER_SENT, RED, YELLOW, STALLED, FALLING)}
    # an OPD both merah and stalled (or falling) is counted in both groups: say how many, so the sum adds up
    counts[BOTH] = sum(RED in i.alasan and ({STALLED, FALLING} & set(i.alasan)) != set() for i in items)
    region = facts.region
    return Attention(
        items=items,
        batas_kirim=deadline_text(settings, putaran),
        putaran_berikutnya=next_round_text(settings, putaran),
        batas_tersendiri=bool(settings.rounds.deadline and settings.rounds.deadline > str(putaran)[:10]),
        rata_rata=region.rata_rata,
        gabungan=region.gabungan,
        wajib=region.wajib,
        terpenuhi=region.terpenuhi,
        putaran_pertama=facts.first_round,
        counts=counts,
        perkiraan=region.forecast_text,
    )
