"""Trends across evaluation rounds: series, overall lines, zone migration, movers, pace and projection.

Every function works on the stacked history of ``progres_opd`` tables (``riwayat_progres_opd``:
``putaran, kode_opd, nama_opd, singkatan, jenis, wajib, terpenuhi, persen, zona, ...``), so it can be
tested with hand-built frames. Only :func:`load_round_inputs` reads files.

Recent pace (definition used everywhere in the reports)
    The least-squares slope of an OPD's percent against the round date over its last ``window``
    rounds (default 3) up to and including the round shown, in percentage points per week
    (slope per day x 7). With two usable rounds this is the slope between those two; with fewer it
    cannot be computed. Rounds where the OPD has no percent (it owed nothing) are skipped.

Projection
    From the OPD's percent at the round shown, moving at its recent pace, the first day on which
    the percent reaches the target (the hijau threshold, 90 by default, and 100):
    ``round date + ceil((target - percent) / pace per day)`` days. ``sudah tercapai`` when the
    percent is already at or above the target, ``tidak tercapai`` when the pace is zero or
    negative (or so slow that the date is more than ten years away), ``belum dapat dihitung``
    when fewer than two rounds are available.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from satudata.settings import ZONE_ORDER, Settings

NO_ZONE = "tanpa_zona"
STATUS_REACHED = "sudah tercapai"
STATUS_NEVER = "tidak tercapai"
STATUS_UNKNOWN = "belum dapat dihitung"
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


def slope_per_week(rounds: list[str], values: list[float]) -> float:
    """Least-squares slope of ``values`` against the round dates, in points per week (NaN if < 2)."""
    if len(rounds) < 2:
        return math.nan
    start = _as_date(rounds[0])
    days = np.array([(_as_date(r) - start).days for r in rounds], dtype=float)
    return float(np.polyfit(days, np.asarray(values, dtype=float), 1)[0] * 7)


def overall_pace(riwayat: pd.DataFrame, putaran: str, window: int = 3) -> dict[str, float]:
    """Recent pace (points per week) of the mean (``rata_rata``) and pooled (``gabungan``) lines."""
    lines = overall_lines(riwayat, putaran).dropna(subset=["rata_rata"]).tail(window)
    return {
        col: slope_per_week(list(lines["putaran"]), list(lines[col])) for col in ("rata_rata", "gabungan")
    }


def recent_pace(riwayat: pd.DataFrame, putaran: str, window: int = 3) -> pd.DataFrame:
    """Each OPD's recent pace in percentage points per week (see the module docstring)."""
    hist = history_up_to(riwayat, putaran)
    rows = []
    for kode, part in hist.groupby("kode_opd", sort=True):
        usable = part.loc[part["persen"].notna()].sort_values("putaran").tail(window)
        pace = slope_per_week(list(usable["putaran"]), list(usable["persen"]))
        rows.append({"kode_opd": kode, "laju_pp_per_minggu": pace, "jumlah_putaran_laju": int(len(usable))})
    return pd.DataFrame(rows, columns=["kode_opd", "laju_pp_per_minggu", "jumlah_putaran_laju"])


def project_date(persen: float, pace_per_week: float, target: float, putaran: str) -> tuple[date | None, str]:
    """The date ``persen`` reaches ``target`` at ``pace_per_week``, and a status text.

    Returns ``(date, "")`` when reachable, else ``(None, status)`` with ``sudah tercapai``,
    ``tidak tercapai`` or ``belum dapat dihitung``.
    """
    if persen is None or math.isnan(persen):
        return None, STATUS_UNKNOWN
    if persen >= target:
        return None, STATUS_REACHED
    if pace_per_week is None or math.isnan(pace_per_week):
        return None, STATUS_UNKNOWN
    if pace_per_week <= 1e-9:
        return None, STATUS_NEVER
    days = math.ceil((target - persen) / (pace_per_week / 7) - 1e-9)
    if days > MAX_PROJECTION_DAYS:
        return None, STATUS_NEVER
    return _as_date(putaran) + timedelta(days=days), ""


def projection(
    riwayat: pd.DataFrame, putaran: str, settings: Settings | None = None, window: int = 3
) -> pd.DataFrame:
    """Per OPD at ``putaran``: percent, recent pace and the dates it reaches the hijau threshold and 100.

    Columns: ``kode_opd, nama_opd, singkatan, persen, zona, laju_pp_per_minggu, jumlah_putaran_laju,
    tanggal_hijau, status_hijau, tanggal_100, status_100`` (a date, or None with the status text).
    """
    hijau = settings.zones.hijau if settings is not None else 90.0
    now = changes(riwayat, putaran)[OPD_COLUMNS + ["persen", "zona"]]
    frame = now.merge(recent_pace(riwayat, putaran, window), on="kode_opd", how="left")
    for suffix, target in (("hijau", hijau), ("100", 100.0)):
        results = [
            project_date(p, v, target, putaran)
            for p, v in zip(frame["persen"], frame["laju_pp_per_minggu"], strict=True)
        ]
        frame[f"tanggal_{suffix}"] = [r[0] for r in results]
        frame[f"status_{suffix}"] = [r[1] for r in results]
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
