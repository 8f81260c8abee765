"""What the rakor deck says, computed from a round's tables: titles that state the point, the figures
behind them (for the speaker notes), and the rows of each slide. :mod:`satudata.outputs.slides` draws it.

Nothing here touches python-pptx, so every number a slide shows can be tested on hand-built frames.

Slides (at most :data:`MAX_SLIDES`, whatever the number of OPDs): title; summary (zone counts now and
the headline percent); zone counts per round; the OPDs below hijau; who moved and who stalled; the
quality of the values (when computed); follow-up (who, what, by when); annex (names behind the
abbreviations, how to read the deck).

Stalled ("tidak bergerak") and falling ("turun") use the last-interval pace of
:func:`satudata.evaluation.trends.recent_pace`: an OPD still below 100 % whose pace is 0 or negative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from satudata.common import fmt
from satudata.evaluation import round_facts as facts_of_round
from satudata.evaluation import trends
from satudata.reference.settings import ZONE_ORDER, Settings, ZoneSettings

MAX_SLIDES = 10
MAX_BELOW_BARS = 120  # bars on the below-hijau slide (six columns of 20): the lowest OPDs, all of them in the notes
PACE_EPS = 1e-9

# deuteranopia-safe stand-ins (Okabe-Ito), used only for the zones whose settings colours a
# deuteranope cannot tell apart
SAFE_COLOURS = {"hijau": "#009E73", "kuning": "#F0E442", "merah": "#D55E00"}
MIN_CVD_DISTANCE = 20.0  # CIE76 delta E between two zone colours as a deuteranope sees them


# ---------------------------------------------------------------- colours
def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _gamma(channel: float) -> float:
    channel = min(1.0, max(0.0, channel))
    return channel * 12.92 if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


# Machado, Oliveira & Fernandes (2009), deuteranopia at severity 1.0, on linear RGB
_DEUTAN = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881))


def deuteranope_sees(hex_colour: str) -> tuple[float, float, float]:
    """The sRGB colour (0-1) a deuteranope perceives for ``hex_colour`` (Machado 2009 simulation)."""
    lin = [_linear(c) for c in _rgb(hex_colour)]
    return tuple(_gamma(sum(m * c for m, c in zip(row, lin, strict=True))) for row in _DEUTAN)  # type: ignore[return-value]


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def deuteranope_distance(a: str, b: str) -> float:
    """CIE76 delta E between two colours as a deuteranope sees them."""
    la, lb = _lab(deuteranope_sees(a)), _lab(deuteranope_sees(b))
    return math.dist(la, lb)


def zone_colours(settings: Settings) -> dict[str, str]:
    """The zone colours of the deck: the settings' colours, except that a zone whose colour a
    deuteranope confuses with another zone's takes the safe stand-in of :data:`SAFE_COLOURS`
    (hijau first, then merah), until every pair stays apart."""
    colours = {z: settings.zones.colours.get(z, SAFE_COLOURS[z]) for z in ZONE_ORDER}
    for zone in ("hijau", "merah", "kuning"):
        if _all_apart(colours):
            break
        colours[zone] = SAFE_COLOURS[zone]
    return colours


def _all_apart(colours: dict[str, str]) -> bool:
    zones = list(colours)
    return all(
        deuteranope_distance(colours[a], colours[b]) >= MIN_CVD_DISTANCE
        for i, a in enumerate(zones)
        for b in zones[i + 1 :]
    )


# ---------------------------------------------------------------- content
@dataclass
class OpdRow:
    """One OPD as the deck shows it."""

    kode_opd: str
    singkatan: str
    nama_opd: str
    persen: float
    zona: str
    kurang: int = 0  # items still owed
    persen_sebelumnya: float = math.nan
    zona_sebelumnya: str | None = None
    laju_terakhir: float = math.nan  # points per week, last interval
    ke_hijau: int = 0  # items still needed for hijau (round facts)
    ke_kuning: int = 0  # items still needed for kuning
    facts: facts_of_round.OpdFacts | None = None


@dataclass
class FollowUp:
    """One row of the follow-up table: who, what, by when."""

    siapa: str
    apa: str
    kapan: str
    zona: str | None = None


@dataclass
class DeckContent:
    """Everything the deck shows, computed; :mod:`satudata.outputs.slides` only draws it."""

    putaran: str
    region: str
    round_number: int
    rounds: list[str]
    labels: dict[str, str]
    colours: dict[str, str]
    zones: ZoneSettings
    counts: dict[str, int]  # zone -> OPDs now
    no_zone: int  # OPDs that owe nothing
    counts_per_round: dict[str, dict[str, int]]  # round -> zone -> OPDs
    mean_percent: float
    pooled_percent: float
    wajib: int
    terpenuhi: int
    mean_change: float  # points since the previous round (NaN in the first round)
    below: list[OpdRow]  # below hijau, lowest first
    moved_up: list[OpdRow]  # zone went up since the previous round
    moved_down: list[OpdRow]  # zone went down
    stalled: list[OpdRow]  # last-interval pace == 0, below 100 %
    falling: list[OpdRow]  # last-interval pace < 0
    deadline: date | None
    deadline_text: str
    next_round: str | None
    contact: str
    overall_forecast: str
    follow_up: list[FollowUp] = field(default_factory=list)
    annex: list[OpdRow] = field(default_factory=list)  # every OPD named by abbreviation on a slide
    quality: QualityContent | None = None
    with_errors: list[OpdRow] | None = None  # OPDs whose files this round have errors (None: not known)
    facts: facts_of_round.RoundFacts | None = None  # the round's facts every output shows

    @property
    def first_round(self) -> bool:
        return len(self.rounds) < 2

    def label(self, zone: str) -> str:
        return self.labels.get(zone, zone)

    def pct(self, value: float) -> str:
        """A percent as shown beside its zone (``89,9``)."""
        return fmt.persen_zona(value, self.zones)


@dataclass
class QualityContent:
    """The quality of the values: the region's score, warnings per check, the lowest scores."""

    score: float | None
    warnings: list[tuple[str, int]]
    lowest: list[tuple[str, str, float]]  # (singkatan, nama_opd, score)

    @property
    def total(self) -> int:
        return sum(n for _, n in self.warnings)


def deadline_date(settings: Settings, putaran: str) -> date | None:
    """The day by which the OPDs send what they owe: ``[putaran] batas_kirim`` when it is after the
    round, else the day before the next round of the calendar (None when neither is known). The
    same rule as the feedback workbook's :func:`satudata.outputs.feedback.deadline_text`."""
    if settings.rounds.deadline and settings.rounds.deadline > str(putaran)[:10]:
        return date.fromisoformat(settings.rounds.deadline)
    following = settings.rounds.next_round(putaran)
    return date.fromisoformat(following) - timedelta(days=1) if following else None


def _deadline_text(settings: Settings, putaran: str) -> str:
    from satudata.outputs.feedback import deadline_text

    return deadline_text(settings, putaran)


def _text(value: object, fallback: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return fallback
    text = " ".join(str(value).split())
    return text or fallback


def _rows(frame: pd.DataFrame, facts: facts_of_round.RoundFacts | None = None) -> list[OpdRow]:
    out = []
    for r in frame.itertuples(index=False):
        kode = _text(r.kode_opd)
        fact = facts.get(kode) if facts is not None else None
        out.append(
            OpdRow(
                kode_opd=kode,
                singkatan=_text(getattr(r, "singkatan", None), kode),
                nama_opd=_text(getattr(r, "nama_opd", None), kode),
                persen=float(r.persen),
                zona=str(r.zona) if isinstance(r.zona, str) else trends.NO_ZONE,
                kurang=int(getattr(r, "kurang", 0) or 0),
                persen_sebelumnya=float(getattr(r, "persen_sebelumnya", math.nan)),
                zona_sebelumnya=getattr(r, "zona_sebelumnya", None)
                if isinstance(getattr(r, "zona_sebelumnya", None), str)
                else None,
                laju_terakhir=float(getattr(r, "laju_terakhir", math.nan)),
                ke_hijau=fact.ke_hijau if fact else 0,
                ke_kuning=fact.ke_kuning if fact else 0,
                facts=fact,
            )
        )
    return out


def _zone_of(persen: float, settings: Settings) -> str | None:
    if persen is None or math.isnan(persen):
        return None
    z = settings.zones
    return "hijau" if persen >= z.hijau else "kuning" if persen >= z.kuning else "merah"


def _current(
    putaran: str, progres_opd: pd.DataFrame, riwayat: pd.DataFrame, kekurangan: pd.DataFrame, settings: Settings
) -> pd.DataFrame:
    """One row per OPD of the round: percent, zone, items owed, previous percent and zone, pace."""
    frame = progres_opd.copy()
    for column in ("singkatan", "nama_opd"):
        if column not in frame:
            frame[column] = frame["kode_opd"]
    frame["persen"] = pd.to_numeric(frame["persen"], errors="coerce").astype("float64")
    given = frame["zona"] if "zona" in frame else pd.Series(None, index=frame.index, dtype=object)
    frame["zona"] = [
        z if isinstance(z, str) and z in ZONE_ORDER and not math.isnan(p) else _zone_of(p, settings)
        for z, p in zip(given, frame["persen"], strict=True)
    ]
    frame = frame.drop(columns=[c for c in ("persen_sebelumnya", "zona_sebelumnya", "selisih") if c in frame])
    if len(kekurangan) and "kode_opd" in kekurangan:
        owed = kekurangan.groupby("kode_opd").size().rename("kurang")
    else:
        owed = pd.Series(dtype="int64", name="kurang")
    frame = frame.merge(owed, left_on="kode_opd", right_index=True, how="left")
    frame["kurang"] = frame["kurang"].fillna(0).astype(int)
    changes = trends.changes(riwayat, putaran)[["kode_opd", "persen_sebelumnya", "zona_sebelumnya"]]
    frame = frame.merge(changes, on="kode_opd", how="left")
    pace = trends.recent_pace(riwayat, putaran)[["kode_opd", "laju_terakhir"]]
    return frame.merge(pace, on="kode_opd", how="left")


def _counts_per_round(hist: pd.DataFrame, settings: Settings) -> dict[str, dict[str, int]]:
    out = {}
    for rnd, part in hist.groupby("putaran", sort=True):
        given = part["zona"] if "zona" in part else pd.Series(None, index=part.index, dtype=object)
        zones = [
            z if isinstance(z, str) and z in ZONE_ORDER and not math.isnan(p) else _zone_of(p, settings)
            for z, p in zip(given, part["persen"], strict=True)
        ]
        out[str(rnd)] = {z: zones.count(z) for z in ZONE_ORDER}
    return out


def _quality(quality: tuple[pd.DataFrame, pd.DataFrame] | None, progres_opd: pd.DataFrame) -> QualityContent | None:
    if quality is None:
        return None
    from satudata.evaluation.plausibility import CHECK_LABELS
    from satudata.evaluation.quality import region_quality

    scores, warnings = quality
    region = region_quality(scores)
    counts = warnings["kode_cek"].value_counts() if "kode_cek" in warnings else pd.Series(dtype="int64")
    rows = [(CHECK_LABELS.get(str(k), str(k)), int(n)) for k, n in counts.items()]
    low = scores[pd.to_numeric(scores["skor_kualitas"], errors="coerce").notna()]
    low = low.sort_values(["skor_kualitas", "nama_opd"]).head(3)
    short = dict(zip(progres_opd["kode_opd"], progres_opd.get("singkatan", progres_opd["kode_opd"]), strict=True))
    lowest = [
        (_text(getattr(r, "singkatan", None) or short.get(r.kode_opd), _text(r.nama_opd)), _text(r.nama_opd),
         float(r.skor_kualitas))
        for r in low.itertuples(index=False)
    ]
    return QualityContent(score=region.get("skor_kualitas"), warnings=rows, lowest=lowest)


def build_content(
    putaran: str,
    progres_opd: pd.DataFrame,
    riwayat: pd.DataFrame,
    kekurangan: pd.DataFrame,
    settings: Settings,
    quality: tuple[pd.DataFrame, pd.DataFrame] | None = None,
    masalah: pd.DataFrame | None = None,
    facts: facts_of_round.RoundFacts | None = None,
) -> DeckContent:
    """Everything the deck of ``putaran`` shows (``facts``: the round's facts,
    :func:`satudata.evaluation.round_facts.round_facts`; computed here, without the last submissions, when not given). ``riwayat`` may hold later rounds: they are left out;
    when it lacks ``putaran`` the round's own ``progres_opd`` is added to it. ``masalah`` (the round's issues)
    names, in the follow-up, the OPDs whose files have errors to fix."""
    putaran = str(putaran)[:10]
    hist = trends.history_up_to(riwayat, putaran) if len(riwayat) else riwayat.assign(putaran=[])
    if putaran not in set(hist.get("putaran", pd.Series(dtype=str))):
        own = progres_opd.assign(putaran=putaran)
        hist = trends.history_up_to(pd.concat([hist, own], ignore_index=True), putaran)
    rounds = trends.rounds_of(hist)
    if facts is None:
        facts = facts_of_round.round_facts(putaran, progres_opd, hist, settings)
    now = _current(putaran, progres_opd, hist, kekurangan, settings)
    scored = now.loc[now["persen"].notna()]
    counts = {z: int((scored["zona"] == z).sum()) for z in ZONE_ORDER}
    lines = trends.overall_lines(hist, putaran)
    last = lines.iloc[-1]
    mean_change = float(last["rata_rata"] - lines.iloc[-2]["rata_rata"]) if len(lines) >= 2 else math.nan

    order = ["persen", "singkatan", "kode_opd"]
    below = _rows(scored.loc[scored["zona"] != "hijau"].sort_values(order, kind="stable"), facts)
    rank = {z: i for i, z in enumerate(ZONE_ORDER)}
    up, down = [], []
    if len(rounds) >= 2:
        pairs = scored.loc[scored["zona_sebelumnya"].isin(ZONE_ORDER)]
        step = [rank[b] - rank[a] for a, b in zip(pairs["zona"], pairs["zona_sebelumnya"], strict=True)]
        moved = pairs.assign(_langkah=step)
        up = _rows(moved.loc[moved["_langkah"] > 0].sort_values(["persen", "singkatan"], ascending=[False, True]),
                   facts)  # fmt: skip
        down = _rows(moved.loc[moved["_langkah"] < 0].sort_values(order, kind="stable"), facts)
    # stalled and falling as the round's facts say (the pace as shown: 0,0 is stalled)
    reasons = {k: f.alasan for k, f in facts.opds.items()}
    owes = scored.sort_values(order, kind="stable")
    stalled = _rows(owes.loc[[facts_of_round.STALLED in reasons.get(k, ()) for k in owes["kode_opd"]]], facts)
    falling = _rows(owes.loc[[facts_of_round.FALLING in reasons.get(k, ()) for k in owes["kode_opd"]]], facts)

    labels = {z: settings.zones.labels.get(z, z.capitalize()) for z in ZONE_ORDER}
    content = DeckContent(
        putaran=putaran,
        region=settings.region,
        round_number=_round_number(putaran, rounds, settings),
        rounds=rounds,
        labels=labels,
        colours=zone_colours(settings),
        zones=settings.zones,
        counts=counts,
        no_zone=int(now["persen"].isna().sum()),
        counts_per_round=_counts_per_round(hist, settings),
        mean_percent=float(last["rata_rata"]),
        pooled_percent=float(last["gabungan"]),
        wajib=int(last["wajib"]),
        terpenuhi=int(last["terpenuhi"]),
        mean_change=mean_change,
        below=below,
        moved_up=up,
        moved_down=down,
        stalled=stalled,
        falling=falling,
        deadline=deadline_date(settings, putaran),
        deadline_text=_deadline_text(settings, putaran),
        next_round=settings.rounds.next_round(putaran),
        contact=settings.contact.text(),
        overall_forecast=facts.region.forecast_text,
        quality=_quality(quality, progres_opd),
        with_errors=None if masalah is None else _rows(now.loc[now["kode_opd"].isin(_with_errors(masalah))]
                                                       .sort_values(order, kind="stable"), facts),  # fmt: skip
        facts=facts,
    )
    content.follow_up = _follow_up(content)
    shown_below = below[:MAX_BELOW_BARS]  # the below-hijau slide draws the lowest of them (1,000 bars read as nothing)
    named = {r.kode_opd: r for r in [*shown_below, *up, *down, *stalled, *falling, *(content.with_errors or [])]}
    content.annex = sorted(named.values(), key=lambda r: (r.persen, r.singkatan))
    return content


def _round_number(putaran: str, rounds: list[str], settings: Settings) -> int:
    schedule = settings.rounds.schedule
    if schedule and putaran in schedule:
        return schedule.index(putaran) + 1
    return len(rounds)


def overall_forecast(putaran: str, riwayat: pd.DataFrame, settings: Settings) -> str:
    """When the mean of the OPD percents reaches the hijau threshold: the region's forecast sentence of the
    round facts (:func:`satudata.evaluation.round_facts.region_facts`, the same rule as an OPD's)."""
    hist = trends.history_up_to(riwayat, putaran)
    own = hist.loc[hist["putaran"] == str(putaran)[:10]]
    return facts_of_round.region_facts(str(putaran)[:10], own, hist, settings).forecast_text


def abbreviations(rows: list[OpdRow]) -> str:
    """``DINKES, BAPPEDA`` (or ``tidak ada``)."""
    return ", ".join(r.singkatan for r in rows) or "tidak ada"


def _with_errors(masalah: pd.DataFrame) -> set[str]:
    """The producers with at least one error (``galat``) among the round's issues."""
    if masalah is None or masalah.empty or "tingkat" not in masalah.columns:
        return set()
    errors = masalah[masalah["tingkat"].astype("object") == "galat"]
    return {str(k) for k in errors["kode_opd"].dropna()}


def _follow_up(c: DeckContent) -> list[FollowUp]:
    """Who does what by when, from the round facts' one list of OPDs to act on."""
    by_when = fmt.tanggal(c.deadline) if c.deadline else "belum ditetapkan"
    acting = c.facts.action_list if c.facts is not None else []
    short = {r.kode_opd: r for r in [*c.below, *c.stalled, *c.falling]}
    never = [f for f in acting if facts_of_round.NEVER_SENT in f.alasan]
    merah = [f for f in acting if f.zona == "merah" and f not in never]
    kuning = [f for f in acting if f.zona == "kuning" and f not in never]
    idle = [f for f in acting if {facts_of_round.STALLED, facts_of_round.FALLING} & set(f.alasan)]

    def names(rows: list[facts_of_round.OpdFacts]) -> str:
        return ", ".join(short[f.kode_opd].singkatan if f.kode_opd in short else f.singkatan for f in rows)

    rows = []
    if never:
        rows.append(FollowUp(
            f"{len(never)} OPD {facts_of_round.NEVER_SENT}: {names(never)}",
            f"Kirim berkas pertama: {fmt.angka(sum(f.ke_hijau for f in never))} butir untuk mencapai "
            f"{c.label('hijau')}; walidata menghubungi kepala OPD", by_when, "merah"))  # fmt: skip
    if merah:
        rows.append(FollowUp(
            f"{len(merah)} OPD zona {c.label('merah')}: {names(merah)}",
            f"Kirim {fmt.angka(sum(f.ke_kuning for f in merah))} butir untuk mencapai {c.label('kuning')} "
            f"({fmt.angka(sum(f.ke_hijau for f in merah))} butir untuk {c.label('hijau')}); isi lembar 'Isian' "
            "buku kerja umpan balik lalu kirim kembali", by_when, "merah"))  # fmt: skip
    if kuning:
        rows.append(FollowUp(
            f"{len(kuning)} OPD zona {c.label('kuning')}: {names(kuning)}",
            f"Kirim {fmt.angka(sum(f.ke_hijau for f in kuning))} butir untuk mencapai {c.label('hijau')} "
            f"(≥ {fmt.angka(c.zones.hijau)} %)", by_when, "kuning"))  # fmt: skip
    if idle:
        rows.append(FollowUp(
            f"{len(idle)} OPD tidak bergerak atau turun: {names(sorted(idle, key=lambda f: f.singkatan))}",
            "Sampaikan kendala di rakor ini dan rencana pengiriman kepada walidata",
            "hari ini (rakor)"))  # fmt: skip
    fix = "Perbaiki berkas sesuai lembar 'Masalah' di buku kerja umpan balik, lalu kirim ulang"
    if c.with_errors is None:
        rows.append(FollowUp("Semua OPD yang berkasnya bermasalah", fix, by_when))
    elif c.with_errors:
        rows.append(FollowUp(f"{len(c.with_errors)} OPD dengan galat berkas: {abbreviations(c.with_errors)}", fix,
                             by_when))  # fmt: skip
    who = "Walidata" if not c.contact else (
        c.contact if c.contact.lower().startswith("walidata") else f"Walidata ({c.contact})")  # fmt: skip
    rows.append(FollowUp(
        who,
        "Kirim buku kerja umpan balik ke setiap OPD; evaluasi putaran berikutnya",
        fmt.tanggal(c.next_round) if c.next_round else "jadwal belum ditetapkan"))  # fmt: skip
    return rows


def fact_line(f: facts_of_round.OpdFacts, label: str) -> str:
    """One OPD's facts in one line (the annex slide's notes): the same figures as the report and workbooks."""
    return (f"{f.singkatan} ({f.nama_opd}): {f.persen_teks} % zona {label}; {fmt.angka(f.terpenuhi)} dari "
            f"{fmt.angka(f.wajib)} butir wajib; {f.ke_zona_teks}; kiriman terakhir: {f.kirim_terakhir_teks}; "
            f"perlu tindakan: {f.tindakan_teks}")  # fmt: skip
