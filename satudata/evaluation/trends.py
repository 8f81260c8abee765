"""Trends across evaluation rounds: series, overall lines, zone migration, movers, pace and projection.

Every function works on the stacked history of ``progres_opd`` tables (``riwayat_progres_opd``:
``putaran, kode_opd, nama_opd, singkatan, jenis, wajib, terpenuhi, persen, zona, ...``), so it can be
tested with hand-built frames. Only :func:`load_round_inputs` reads files.

Pace (definitions used everywhere in the reports), in percentage points per week
    ``laju terakhir`` (last-interval pace): the change of an OPD's percent between its last two
    rounds up to and including the round shown, divided by the weeks between them. ``laju
    rata-rata`` (mean pace): the change between its first and last round in the last ``window``
    rounds (default 3), divided by the weeks between them. Rounds where the OPD has no percent (it
    owed nothing) are skipped; with fewer than two rounds neither can be computed.

Projection (from the last-interval pace only)
    ``sudah tercapai`` when the percent is already at or above the target (the hijau threshold, 90
    by default, and 100); ``tidak tercapai dengan laju sekarang`` when the last-interval pace is
    zero or negative (stalled or falling), or so slow that the target is more than ten years away;
    ``belum dapat dihitung`` with fewer than two rounds. The pace is judged as it is shown (one decimal,
    half up): a pace shown as ``0,0`` is a stalled pace and gets no forecast. No forecast reaches past
    the :func:`horizon` (the end of the round's budget year, or the last round of the schedule when the
    settings give no interval to go on with): ``tidak tercapai tahun ini``. Otherwise the percent moves on at that
    pace from the round shown: when the round calendar is known (``[putaran]`` in the settings)
    the forecast is the first later round at which it reaches the target (``putaran ke-5``), so
    never a date before the next round; without a calendar it is the first day on which it does,
    ``round date + ceil((target - percent) / pace per day)``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from satudata.reference.settings import ZONE_ORDER, RoundSettings, Settings

NO_ZONE = "tanpa_zona"
STATUS_REACHED = "sudah tercapai"
STATUS_NEVER = "tidak tercapai dengan laju sekarang"
STATUS_UNKNOWN = "belum dapat dihitung"
STATUS_NOT_THIS_YEAR = "tidak tercapai tahun ini"
MAX_PROJECTION_DAYS = 3653
OPD_COLUMNS = ["kode_opd", "nama_opd", "singkatan"]


def _as_date(value: object) -> date:
    return date.fromisoformat(str(value)[:10])


def history_up_to(riwayat: pd.DataFrame, putaran: str) -> pd.DataFrame:
    """The rows of the rounds up to and including ``putaran``, sorted by round and OPD."""
    frame = riwayat.copy()
    frame["putaran"] = frame["putaran"].astype(str).str[:10]
    frame = frame.loc[frame["putaran"] <= str(putaran)[:10]]
    frame["persen"] = pd.to_numeric(frame["persen"], errors="coerce").astype("float64")
    return frame.sort_values(["putaran", "kode_opd"], kind="stable").reset_index(drop=True)


def rounds_of(riwayat: pd.DataFrame) -> list[str]:
    """The rounds present in a history, oldest first."""
    return sorted(riwayat["putaran"].astype(str).str[:10].unique())


def opd_series(riwayat: pd.DataFrame, putaran: str) -> pd.DataFrame:
    """Each OPD's percent per round (rows: OPD, columns: rounds up to ``putaran``)."""
    hist = history_up_to(riwayat, putaran)
    names = _latest_names(hist)
    wide = hist.pivot_table(
        index="kode_opd", columns="putaran", values="persen", aggfunc="first", dropna=False
    )
    wide = wide.reindex(columns=rounds_of(hist))
    wide.columns.name = "putaran"
    return names.join(wide, on="kode_opd").set_index("kode_opd")


def _latest_names(hist: pd.DataFrame) -> pd.DataFrame:
    """One row per OPD with its names as in the latest round it appears in."""
    return (
        hist.sort_values("putaran")
        .drop_duplicates("kode_opd", keep="last")[OPD_COLUMNS]
        .sort_values("kode_opd")
        .reset_index(drop=True)
    )


def overall_lines(riwayat: pd.DataFrame, putaran: str) -> pd.DataFrame:
    """Per round: mean of the OPD percents (``rata_rata``) and pooled items (``gabungan``).

    OPDs without a percent (owing nothing) are left out of both, as in the round report.
    """
    hist = history_up_to(riwayat, putaran)
    rows = []
    for rnd, part in hist.groupby("putaran", sort=True):
        scored = part.loc[part["persen"].notna()]
        wajib = float(pd.to_numeric(scored["wajib"]).sum())
        terpenuhi = float(pd.to_numeric(scored["terpenuhi"]).sum())
        rows.append(
            {
                "putaran": rnd,
                "jumlah_opd": int(len(scored)),
                "rata_rata": float(scored["persen"].mean()) if len(scored) else math.nan,
                "gabungan": terpenuhi / wajib * 100 if wajib else math.nan,
                "wajib": wajib,
                "terpenuhi": terpenuhi,
            }
        )
    return pd.DataFrame(
        rows, columns=["putaran", "jumlah_opd", "rata_rata", "gabungan", "wajib", "terpenuhi"]
    )


def zone_migration(riwayat: pd.DataFrame, putaran: str) -> pd.DataFrame:
    """One row per OPD and pair of consecutive rounds: ``putaran_dari, putaran_ke, zona_dari, zona_ke``.

    An OPD missing from a round, or without a zone in it, is counted under ``tanpa_zona``.
    """
    hist = history_up_to(riwayat, putaran)
    rounds = rounds_of(hist)
    names = _latest_names(hist)
    zones = hist.pivot_table(index="kode_opd", columns="putaran", values="zona", aggfunc="first")
    zones = zones.reindex(index=names["kode_opd"], columns=rounds)
    out = []
    for before, after in zip(rounds, rounds[1:], strict=False):
        part = pd.DataFrame(
            {
                "putaran_dari": before,
                "putaran_ke": after,
                "kode_opd": names["kode_opd"].to_numpy(),
                "nama_opd": names["nama_opd"].to_numpy(),
                "singkatan": names["singkatan"].to_numpy(),
                "zona_dari": zones[before].fillna(NO_ZONE).to_numpy(),
                "zona_ke": zones[after].fillna(NO_ZONE).to_numpy(),
            }
        )
        out.append(part)
    columns = ["putaran_dari", "putaran_ke", "kode_opd", "nama_opd", "singkatan", "zona_dari", "zona_ke"]
    if not out:
        return pd.DataFrame(columns=columns)
    frame = pd.concat(out, ignore_index=True)[columns]
    frame["arah"] = [_direction(a, b) for a, b in zip(frame["zona_dari"], frame["zona_ke"], strict=True)]
    return frame


def _direction(before: str, after: str) -> str:
    if before == after:
        return "tetap"
    if before == NO_ZONE or after == NO_ZONE:
        return "berubah"
    return "naik" if ZONE_ORDER.index(after) < ZONE_ORDER.index(before) else "turun"


def migration_matrix(migration: pd.DataFrame, putaran_dari: str | None = None) -> pd.DataFrame:
    """Counts of OPDs from zone (rows) to zone (columns) for one pair of rounds (default: the last).

    Rows and columns are hijau, kuning, merah, plus ``tanpa_zona`` only when it occurs.
    """
    if migration.empty:
        return pd.DataFrame(0, index=list(ZONE_ORDER), columns=list(ZONE_ORDER))
    if putaran_dari is None:
        putaran_dari = migration["putaran_dari"].max()
    part = migration.loc[migration["putaran_dari"] == putaran_dari]
    labels = list(ZONE_ORDER)
    if (part[["zona_dari", "zona_ke"]] == NO_ZONE).any().any():
        labels.append(NO_ZONE)
    counts = pd.crosstab(part["zona_dari"], part["zona_ke"])
    matrix = counts.reindex(index=labels, columns=labels, fill_value=0).astype(int)
    matrix.index.name = "zona_dari"
    matrix.columns.name = "zona_ke"
    return matrix


def migration_summary(migration: pd.DataFrame) -> pd.DataFrame:
    """Per pair of rounds and (from, to): the number of OPDs and their abbreviations, changes only."""
    moved = migration.loc[migration["zona_dari"] != migration["zona_ke"]]
    columns = ["putaran_dari", "putaran_ke", "zona_dari", "zona_ke", "jumlah", "opd"]
    if moved.empty:
        return pd.DataFrame(columns=columns)
    grouped = moved.groupby(["putaran_dari", "putaran_ke", "zona_dari", "zona_ke"], sort=True)
    out = grouped.agg(jumlah=("kode_opd", "size"), opd=("singkatan", lambda s: ", ".join(sorted(s))))
    return out.reset_index()[columns]


def changes(riwayat: pd.DataFrame, putaran: str) -> pd.DataFrame:
    """Each OPD's percent at ``putaran`` and at the round before it, and the change in points."""
    hist = history_up_to(riwayat, putaran)
    rounds = rounds_of(hist)
    now = hist.loc[hist["putaran"] == rounds[-1]] if rounds else hist
    frame = now[OPD_COLUMNS + ["persen", "zona"]].copy()
    if len(rounds) >= 2:
        before = hist.loc[hist["putaran"] == rounds[-2], ["kode_opd", "persen", "zona"]]
        before = before.rename(columns={"persen": "persen_sebelumnya", "zona": "zona_sebelumnya"})
        frame = frame.merge(before, on="kode_opd", how="left")
    else:
        frame["persen_sebelumnya"] = math.nan
        frame["zona_sebelumnya"] = None
    frame["selisih"] = frame["persen"] - frame["persen_sebelumnya"]
    return frame.reset_index(drop=True)


def most_improved(riwayat: pd.DataFrame, putaran: str, n: int = 5) -> pd.DataFrame:
    """The ``n`` OPDs with the largest rise since the previous round (rises only, ties by code)."""
    frame = changes(riwayat, putaran)
    frame = frame.loc[frame["selisih"] > 0]
    return frame.sort_values(["selisih", "kode_opd"], ascending=[False, True]).head(n).reset_index(drop=True)


def stalled(riwayat: pd.DataFrame, putaran: str) -> pd.DataFrame:
    """OPDs whose percent did not change since the previous round and is below 100."""
    frame = changes(riwayat, putaran)
    mask = frame["selisih"].notna() & (frame["selisih"].abs() < 1e-9) & (frame["persen"] < 100)
    return frame.loc[mask].sort_values(["persen", "kode_opd"]).reset_index(drop=True)


def change_per_week(rounds: list[str], values: list[float]) -> float:
    """The change from the first to the last value per week between their rounds (NaN if < 2 rounds)."""
    if len(rounds) < 2:
        return math.nan
    days = (_as_date(rounds[-1]) - _as_date(rounds[0])).days
    if days <= 0:
        return math.nan
    return float((values[-1] - values[0]) / days * 7)


def _paces(rounds: list[str], values: list[float], window: int) -> tuple[float, float]:
    """(last-interval pace, mean pace over the last ``window`` rounds), points per week."""
    return change_per_week(rounds[-2:], values[-2:]), change_per_week(rounds[-window:], values[-window:])


def overall_pace(riwayat: pd.DataFrame, putaran: str, window: int = 3) -> dict[str, dict[str, float]]:
    """Pace (points per week) of the mean (``rata_rata``) and pooled (``gabungan``) lines:
    ``{"rata_rata": {"terakhir": ..., "rata_rata": ...}, "gabungan": {...}}``."""
    lines = overall_lines(riwayat, putaran).dropna(subset=["rata_rata"])
    out = {}
    for col in ("rata_rata", "gabungan"):
        last, mean = _paces(list(lines["putaran"]), list(lines[col]), window)
        out[col] = {"terakhir": last, "rata_rata": mean}
    return out


def recent_pace(riwayat: pd.DataFrame, putaran: str, window: int = 3) -> pd.DataFrame:
    """Each OPD's last-interval and mean pace in points per week (see the module docstring).

    Columns: ``kode_opd, laju_terakhir, laju_rata_rata, jumlah_putaran_laju`` (the rounds behind
    the mean pace).
    """
    hist = history_up_to(riwayat, putaran)
    rows = []
    for kode, part in hist.groupby("kode_opd", sort=True):
        usable = part.loc[part["persen"].notna()].sort_values("putaran")
        last, mean = _paces(list(usable["putaran"]), list(usable["persen"]), window)
        rows.append({"kode_opd": kode, "laju_terakhir": last, "laju_rata_rata": mean,
                     "jumlah_putaran_laju": int(min(len(usable), window))})  # fmt: skip
    return pd.DataFrame(rows, columns=["kode_opd", "laju_terakhir", "laju_rata_rata", "jumlah_putaran_laju"])


@dataclass(frozen=True)
class Forecast:
    """When a percent reaches a target: a date, and the round number when the calendar is known.

    ``status`` is empty when there is a date, else ``sudah tercapai``, ``tidak tercapai dengan laju
    sekarang`` or ``belum dapat dihitung``.
    """

    tanggal: date | None = None
    putaran_ke: int | None = None
    status: str = ""


def horizon(putaran: str, calendar: RoundSettings | None = None) -> date:
    """The last day a forecast may name: the end of the budget year of ``putaran`` (31 December), or the
    last scheduled round when the calendar is a schedule without an interval and ends before that."""
    end = date(_as_date(putaran).year, 12, 31)
    if calendar is not None and calendar.schedule and calendar.interval_days is None:
        last = _as_date(max(calendar.schedule))
        if last >= _as_date(putaran):
            end = min(end, last)
    return end


def upcoming_rounds(putaran: str, rounds_so_far: int, calendar: RoundSettings) -> list[tuple[int, date]]:
    """The rounds after ``putaran`` (``rounds_so_far`` rounds held up to it) as (number, date), up to
    the :func:`horizon`; empty when the calendar is not known."""
    if not calendar.known:
        return []
    horizon_day = horizon(putaran, calendar)
    if calendar.schedule and str(putaran)[:10] in calendar.schedule:
        number = calendar.schedule.index(str(putaran)[:10]) + 1
    else:
        number = rounds_so_far
    out = []
    current = str(putaran)[:10]
    while True:
        nxt = calendar.next_round(current)
        if nxt is None or _as_date(nxt) > horizon_day:
            return out
        number += 1
        out.append((number, _as_date(nxt)))
        current = nxt


def forecast(
    persen: float,
    pace_per_week: float,
    target: float,
    putaran: str,
    upcoming: list[tuple[int, date]] | None = None,
    until: date | None = None,
) -> Forecast:
    """When ``persen`` reaches ``target`` moving at ``pace_per_week`` (the last-interval pace).

    With ``upcoming`` rounds (from :func:`upcoming_rounds`) the answer is the first of them at which
    the target is reached, never a day in between. A pace shown as 0,0 or below gives no date (``tidak
    tercapai dengan laju sekarang``); a date after ``until`` (default: the end of the budget year,
    :func:`horizon`) gives none either (``tidak tercapai tahun ini``).
    """
    from satudata.common.fmt import round_half_up

    if persen is None or math.isnan(persen):
        return Forecast(status=STATUS_UNKNOWN)
    if persen >= target:
        return Forecast(status=STATUS_REACHED)
    if pace_per_week is None or math.isnan(pace_per_week):
        return Forecast(status=STATUS_UNKNOWN)
    if pace_per_week <= 1e-9 or round_half_up(pace_per_week, 1) <= 0:
        return Forecast(status=STATUS_NEVER)
    last_day = until if until is not None else horizon(putaran)
    days = math.ceil((target - persen) / (pace_per_week / 7) - 1e-9)
    if days > MAX_PROJECTION_DAYS:
        return Forecast(status=STATUS_NOT_THIS_YEAR)
    when = _as_date(putaran) + timedelta(days=days)
    if when > last_day:
        return Forecast(status=STATUS_NOT_THIS_YEAR)
    if upcoming:
        for number, day in upcoming:
            if day >= when and day <= last_day:
                return Forecast(tanggal=day, putaran_ke=number)
        return Forecast(status=STATUS_NOT_THIS_YEAR)
    return Forecast(tanggal=when)


def project_date(persen: float, pace_per_week: float, target: float, putaran: str) -> tuple[date | None, str]:
    """The date ``persen`` reaches ``target`` at ``pace_per_week`` and a status (see :func:`forecast`)."""
    result = forecast(persen, pace_per_week, target, putaran)
    return result.tanggal, result.status


def projection(
    riwayat: pd.DataFrame, putaran: str, settings: Settings | None = None, window: int = 3
) -> pd.DataFrame:
    """Per OPD at ``putaran``: percent, both paces and when it reaches the hijau threshold and 100.

    Columns: ``kode_opd, nama_opd, singkatan, persen, zona, laju_terakhir, laju_rata_rata,
    jumlah_putaran_laju``, and per target (``hijau``, ``100``) ``tanggal_<t>`` (a date or None),
    ``putaran_<t>`` (the round number when the calendar is known, else None) and ``status_<t>``.
    The forecast uses the last-interval pace only.
    """
    settings = settings if settings is not None else Settings()
    now = changes(riwayat, putaran)[OPD_COLUMNS + ["persen", "zona"]]
    frame = now.merge(recent_pace(riwayat, putaran, window), on="kode_opd", how="left")
    upcoming = upcoming_rounds(putaran, len(rounds_of(history_up_to(riwayat, putaran))), settings.rounds)
    last_day = horizon(putaran, settings.rounds)
    for suffix, target in (("hijau", settings.zones.hijau), ("100", 100.0)):
        results = [
            forecast(p, v, target, putaran, upcoming, last_day)
            for p, v in zip(frame["persen"], frame["laju_terakhir"], strict=True)
        ]
        frame[f"tanggal_{suffix}"] = [r.tanggal for r in results]
        frame[f"putaran_{suffix}"] = pd.array([r.putaran_ke for r in results], dtype="Int64")
        frame[f"status_{suffix}"] = [r.status for r in results]
    return frame.sort_values("kode_opd").reset_index(drop=True)


@dataclass
class RoundInputs:
    """What the rakor stage reads for one round."""

    putaran: str
    riwayat: pd.DataFrame
    progres_opd: pd.DataFrame
    kekurangan: pd.DataFrame
    masalah: pd.DataFrame
    ringkasan: dict
    sources: list[Path] = field(default_factory=list)


def load_round_inputs(processed_root: str | Path, putaran: str) -> RoundInputs:
    """Read the history and the round's outputs from ``<data_dir>/processed``, with clear errors."""
    root = Path(processed_root)
    history_file = root / "riwayat_progres_opd.parquet"
    round_dir = root / putaran
    needed = [history_file, round_dir / "progres_opd.parquet", round_dir / "kekurangan.parquet"]
    for path in needed:
        if not path.exists():
            raise FileNotFoundError(
                f"Berkas {path} tidak ada. Jalankan dulu tahap progres untuk putaran {putaran} "
                "(notebook 02_progres atau `make round ROUND=...`)."
            )
    masalah_file = round_dir / "masalah.parquet"
    ringkasan_file = round_dir / "ringkasan.json"
    sources = [p for p in [*needed, masalah_file, ringkasan_file] if p.exists()]
    return RoundInputs(
        putaran=putaran,
        riwayat=history_up_to(pd.read_parquet(history_file), putaran),
        progres_opd=pd.read_parquet(round_dir / "progres_opd.parquet"),
        kekurangan=pd.read_parquet(round_dir / "kekurangan.parquet"),
        masalah=pd.read_parquet(masalah_file) if masalah_file.exists() else pd.DataFrame(),
        ringkasan=json.loads(ringkasan_file.read_text(encoding="utf-8")) if ringkasan_file.exists() else {},
        sources=sources,
    )
