"""The notebook API: ``import satudata as sd``; ``sd.putaran()``; ``sd.muat(putaran)``.

Reads what the pipeline wrote, with the same folders and settings as the pipeline
(:meth:`satudata.common.paths.Paths.from_env`, :class:`satudata.run.pipeline.Context`): the Makefile's
``DATA_DIR``/``REPORTS_DIR`` (environment ``SATUDATA_DATA_DIR``/``SATUDATA_REPORTS_DIR``), else the
clone's ``data/`` and ``reports/``. Each table is read from Parquet the first time it is used.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from satudata.common.paths import ROUND_PATTERN, Paths, check_round

if TYPE_CHECKING:
    import pandas as pd

    from satudata.reference.settings import Settings

HISTORY_FILE = "riwayat_progres_opd.parquet"
TABLES = ("nilai", "masalah", "progres_opd", "progres_urusan", "progres_jenis", "kekurangan", "item_terkini")


def putaran(data_dir: str | Path | None = None) -> list[str]:
    """Every round of the data folder (a folder under ``raw/`` or ``processed/``), oldest first."""
    paths = Paths.from_env(data_dir)
    found: set[str] = set(paths.rounds())
    if paths.processed_root.is_dir():
        found |= {p.name for p in paths.processed_root.iterdir() if p.is_dir() and ROUND_PATTERN.match(p.name)}
    return sorted(found)


class Putaran:
    """The processed tables of one round as DataFrames (documented columns, read when first used).

    ``nilai``, ``masalah``, ``progres_opd``, ``progres_urusan``, ``progres_jenis``, ``kekurangan``,
    ``item_terkini``: the round's files under ``processed/<putaran>/``; ``riwayat``: every round's
    ``progres_opd`` up to this round; ``ringkasan`` and ``manifest``: the round's JSON files; ``fakta``: the
    round facts every output shows.
    """

    def __init__(self, round_date: str, paths: Paths, settings: Settings) -> None:
        self.putaran = check_round(round_date)
        self.paths = paths
        self.settings = settings

    def __repr__(self) -> str:
        return f"Putaran({self.putaran!r}, data_dir={str(self.paths.data_dir)!r})"

    @property
    def folder(self) -> Path:
        return self.paths.processed(self.putaran)

    def _parquet(self, name: str) -> pd.DataFrame:
        import pandas as pd

        path = self.folder / f"{name}.parquet"
        if not path.exists():
            raise FileNotFoundError(
                f"Berkas {path} tidak ada. Jalankan dulu `make round ROUND={self.putaran}` "
                f"(tahap ingest dan progres) untuk putaran ini."
            )
        return pd.read_parquet(path)

    def _json(self, name: str) -> dict[str, Any]:
        path = self.folder / name
        if not path.exists():
            raise FileNotFoundError(f"Berkas {path} tidak ada. Jalankan dulu `make round ROUND={self.putaran}`.")
        return json.loads(path.read_text(encoding="utf-8"))

    @cached_property
    def nilai(self) -> pd.DataFrame:
        return self._parquet("nilai")

    @cached_property
    def masalah(self) -> pd.DataFrame:
        return self._parquet("masalah")

    @cached_property
    def progres_opd(self) -> pd.DataFrame:
        return self._parquet("progres_opd")

    @cached_property
    def progres_urusan(self) -> pd.DataFrame:
        return self._parquet("progres_urusan")

    @cached_property
    def progres_jenis(self) -> pd.DataFrame:
        return self._parquet("progres_jenis")

    @cached_property
    def kekurangan(self) -> pd.DataFrame:
        return self._parquet("kekurangan")

    @cached_property
    def item_terkini(self) -> pd.DataFrame:
        return self._parquet("item_terkini")

    @cached_property
    def riwayat(self) -> pd.DataFrame:
        """Every round's ``progres_opd`` up to and including this round, oldest first."""
        import pandas as pd

        path = self.paths.processed_root / HISTORY_FILE
        if not path.exists():
            return self.progres_opd.copy()
        history = pd.read_parquet(path)
        keep = history["putaran"].astype(str) <= self.putaran
        return history[keep].sort_values(["putaran", "kode_opd"], kind="stable").reset_index(drop=True)

    @cached_property
    def fakta(self) -> Any:
        """The round facts every output shows (:class:`satudata.evaluation.round_facts.RoundFacts`): per OPD
        its zone, percent as shown, items to hijau, forecast, last submission and action; ``fakta.region``
        the region's mean and forecast. Read them here rather than recomputing them from ``progres_opd``."""
        from satudata.evaluation.round_facts import load_round_facts

        return load_round_facts(self.paths.processed_root, self.putaran, self.settings)

    @cached_property
    def ringkasan(self) -> dict[str, Any]:
        return self._json("ringkasan.json")

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return self._json("manifest.json")

    def __getitem__(self, name: str) -> Any:
        if name not in (*TABLES, "riwayat", "ringkasan", "manifest", "fakta"):
            raise KeyError(name)
        return getattr(self, name)

    def semua_putaran(self, name: str) -> pd.DataFrame:
        """One table (``progres_urusan``, ``progres_jenis``, ``kekurangan``, ...) of every round up to
        this one, stacked (its ``putaran`` column tells the round); rounds not processed are skipped."""
        import pandas as pd

        if name not in TABLES:
            raise ValueError(f"Tabel '{name}' tidak dikenal; pilih salah satu dari {', '.join(TABLES)}.")
        frames = []
        for round_date in putaran(self.paths.data_dir):
            path = self.paths.processed(round_date) / f"{name}.parquet"
            if round_date <= self.putaran and path.exists():
                frames.append(pd.read_parquet(path))
        if not frames:
            return self._parquet(name).iloc[0:0]
        return pd.concat(frames, ignore_index=True)


def muat(
    round_date: str | None = None,
    data_dir: str | Path | None = None,
    reports_dir: str | Path | None = None,
    settings_file: str | Path | None = None,
) -> Putaran:
    """The processed tables of a round (None or ``""``: the latest round), as the pipeline wrote them.

    >>> import satudata as sd
    >>> p = sd.muat("2020-09-24")          # doctest: +SKIP
    >>> p.progres_opd.head()               # doctest: +SKIP
    """
    from satudata.run.pipeline import Context

    if not round_date:
        rounds = putaran(data_dir)
        if not rounds:
            where = Paths.from_env(data_dir).data_dir
            raise FileNotFoundError(f"Belum ada putaran di {where}: jalankan `make demo` atau `make round`.")
        round_date = rounds[-1]
    ctx = Context.create(str(round_date), data_dir, reports_dir, settings_file)
    return Putaran(ctx.round_date, ctx.paths, ctx.settings)
