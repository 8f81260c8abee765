"""The Windows path (issue 27): with no `make` on PATH and the reading workers started by `spawn`, the README's
Windows steps (`satudata demo`, `satudata putaran` for every demo round, `satudata semua`) build the same
reports and tables as `make demo`, apart from the build time, and the last `satudata semua` runs no stage."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from satudata.run import demo
from tests.report_files import STAMP, normalised

from .conftest import ROOT

pytestmark = pytest.mark.slow


def readme_windows_steps() -> list[str]:
    """The commands of the README's Windows block, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- windows-steps:.*?-->\s*```bat\n(.*?)```", text, re.S)
    assert block, "the README's Windows steps are missing"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def _without_make(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has this environment's programs and nothing else: no make, no bash tools."""
    bin_dir = tmp_path / "bin only"
    bin_dir.mkdir()
    scripts = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    env.update(PATH=os.pathsep.join([str(scripts), str(bin_dir)]), SATUDATA_START_METHOD="spawn")
    assert shutil.which("make", path=env["PATH"]) is None
    assert shutil.which("satudata", path=env["PATH"]) is not None
    return env


@pytest.fixture(scope="module")
def built_without_make(tmp_path_factory) -> tuple[Path, Path, list[str]]:
    """The README's Windows steps run in a folder with a space and a non-ASCII letter: (data, reports, outputs)."""
    base = tmp_path_factory.mktemp("windows") / "Satu Data Kabupatén"
    data, reports = base / "data", base / "laporan kita"
    env = _without_make(base.parent)
    env.update(SATUDATA_DATA_DIR=str(data), SATUDATA_REPORTS_DIR=str(reports))
    outputs = []
    for line in readme_windows_steps():
        if not line.startswith("satudata "):
            continue  # cd, conda and start: the environment is this one, the report is checked below
        proc = subprocess.run(line.split(), env=env, cwd=base.parent, capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, f"{line}\n{proc.stdout}\n{proc.stderr}"
        outputs.append((line, proc.stdout))
    return data, reports, outputs


def test_readme_steps_build_every_demo_round_through_satudata_putaran(built_without_make):
    data, reports, outputs = built_without_make
    rounds_built = [line.split()[2] for line, _ in outputs if line.startswith("satudata putaran ")]
    assert rounds_built == list(demo.DEMO_ROUNDS)
    for (line, out), r in zip([o for o in outputs if o[0].startswith("satudata putaran ")], demo.DEMO_ROUNDS,
                              strict=True):  # fmt: skip
        assert f">> [{r}] tahap 3: laporan evaluasi" in out and f">> [{r}] tahap 4:" in out, line
    opened = next(s for s in readme_windows_steps() if s.startswith("start "))
    page = reports / Path(*opened.split()[1].split("\\")[1:])
    assert page.is_file() and "Laporan Evaluasi" in page.read_text(encoding="utf-8")


def test_a_second_satudata_semua_runs_no_stage(built_without_make):
    data, reports, outputs = built_without_make
    line, out = outputs[-1]
    assert line == "satudata semua"
    assert ">>" not in out and f"selesai: {len(demo.DEMO_ROUNDS)} putaran" in out


def _placed(data: bytes, *folders: Path) -> bytes:
    """The folders' own paths taken out (the settings file is recorded by its path; the two builds differ
    only in where they ran)."""
    for i, folder in enumerate(folders):
        for form in (str(folder), json.dumps(str(folder))[1:-1]):
            data = data.replace(form.encode("utf-8"), f"<folder{i}>".encode())
    return data


_CHECKSUM = re.compile(r"\d[\d.]*(\D{1,60}?)[0-9a-f]{64}")


def _without_checksums(value: object) -> object:
    """The annex and the rakor notebook list every processed file with its size and sha256; the manifest records
    the settings file by its path, so its size and checksum (and only they) tell where the build ran."""
    if isinstance(value, dict):
        return {k: _without_checksums(v) for k, v in value.items()}
    return _CHECKSUM.sub(r"N\1H", value) if isinstance(value, str) else value


def _tables(data: Path) -> dict[str, object]:
    out: dict[str, object] = {}
    processed = data / "processed"
    for p in sorted(processed.rglob("*")):
        rel = p.relative_to(processed).as_posix()
        if not p.is_file() or rel.startswith(".cache") or "/." in f"/{rel}":
            continue
        if p.suffix == ".parquet":
            out[rel] = pd.read_parquet(p)
        elif p.suffix == ".json":
            doc = json.loads(_placed(p.read_bytes(), data).decode("utf-8"))
            doc.pop("dibuat", None)
            out[rel] = STAMP.sub("T", json.dumps(doc, sort_keys=True, ensure_ascii=False))
        else:
            out[rel] = normalised(p.name, _placed(p.read_bytes(), data))
    return out


def test_the_same_tables_as_make_demo(built_without_make, demo_built):
    data, _, _ = built_without_make
    got, want = _tables(data), _tables(demo_built[0])
    assert sorted(got) == sorted(want)
    for name, table in got.items():
        if isinstance(table, pd.DataFrame):
            pd.testing.assert_frame_equal(table, want[name], obj=name)
        else:
            assert table == want[name], name


def test_the_same_reports_as_make_demo(built_without_make, demo_built):
    _, reports, _ = built_without_make

    def files(folder: Path) -> dict[str, object]:
        return {p.relative_to(folder).as_posix(): _without_checksums(normalised(p.name, _placed(
                    p.read_bytes(), folder.parent / "data", folder)))  # fmt: skip
                for p in sorted(folder.rglob("*"))
                if p.is_file() and p.name != ".satudata-ditulis.json"
                and not p.name.startswith("eksplorasi-")}  # `make eksplorasi` (test_lab_notebooks) adds one to make demo's  # fmt: skip

    got, want = files(reports), files(demo_built[1])
    assert sorted(got) == sorted(want)
    assert sum(name.endswith((".html", ".pptx", ".xlsx")) for name in got) > 50
    for name in got:
        assert got[name] == want[name], name
