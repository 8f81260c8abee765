"""Where things live: one place that anchors every path of the pipeline.

The data folder holds ``reference/`` (catalogue, register, settings), ``raw/<round>/``
(submissions, never written by the software) and ``processed/<round>/`` (tidy outputs).
The reports folder holds ``<round>/`` with the HTML report, slides, charts and feedback.
Both default to the folders of the clone and can be moved with the environment
variables ``SATUDATA_DATA_DIR`` and ``SATUDATA_REPORTS_DIR`` (the Makefile's
``DATA_DIR`` and ``REPORTS_DIR``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ROUND_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Paths:
    """The folders of one data set and its reports."""

    data_dir: Path
    reports_dir: Path

    @classmethod
    def from_env(
        cls, data_dir: str | Path | None = None, reports_dir: str | Path | None = None
    ) -> Paths:
        """Build from explicit arguments, else the environment, else the clone's folders."""
        data = data_dir or os.environ.get("SATUDATA_DATA_DIR") or PROJECT_ROOT / "data"
        reports = reports_dir or os.environ.get("SATUDATA_REPORTS_DIR") or PROJECT_ROOT / "reports"
        return cls(Path(data).resolve(), Path(reports).resolve())

    @property
    def reference(self) -> Path:
        return self.data_dir / "reference"

    @property
    def raw_root(self) -> Path:
        return self.data_dir / "raw"

    @property
    def processed_root(self) -> Path:
        return self.data_dir / "processed"

    @property
    def settings_file(self) -> Path:
        return self.reference / "pengaturan.toml"

    def raw(self, round_date: str) -> Path:
        return self.raw_root / check_round(round_date)

    def processed(self, round_date: str) -> Path:
        return self.processed_root / check_round(round_date)

    def reports(self, round_date: str) -> Path:
        return self.reports_dir / check_round(round_date)

    def rounds(self) -> list[str]:
        """Every round folder under ``raw/``, oldest first."""
        if not self.raw_root.is_dir():
            return []
        return sorted(
            p.name for p in self.raw_root.iterdir() if p.is_dir() and ROUND_PATTERN.match(p.name)
        )

    def rounds_up_to(self, round_date: str) -> list[str]:
        """The rounds up to and including ``round_date`` (the round itself always included)."""
        check_round(round_date)
        return sorted({r for r in self.rounds() if r <= round_date} | {round_date})


def check_round(round_date: str) -> str:
    """Return the round as an ISO date string, or raise a clear error."""
    from datetime import date

    text = str(round_date).strip()
    if not ROUND_PATTERN.match(text):
        raise ValueError(
            f"Putaran '{round_date}' tidak valid: tulis tanggal putaran sebagai YYYY-MM-DD, "
            "misalnya 2020-08-27."
        )
    try:
        date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"Putaran '{round_date}' bukan tanggal yang ada: {exc}.") from exc
    return text
