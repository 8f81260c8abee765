"""Helpers for the end-to-end tests: run the Makefile of this clone on a temporary data folder."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_make(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    proc = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"make {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def make():
    return run_make


@pytest.fixture(scope="session")
def demo_built(tmp_path_factory):
    """`make demo` once per session in a temporary DATA_DIR/REPORTS_DIR: (data, reports)."""
    root = tmp_path_factory.mktemp("demo")
    data, reports = root / "data", root / "reports"
    run_make("demo", f"DATA_DIR={data}", f"REPORTS_DIR={reports}")
    return data, reports
