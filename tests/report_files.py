"""Two builds' report folders compared: every file with its build time taken out (the only thing two clean
runs differ in)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

# a build time, the random ids pandas gives a styled table (`#T_98c40_row0_col5`), an object's address in a repr
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?|pukul \d{2}\.\d{2}(\.\d{2})?"
                   r"|(?<![A-Za-z0-9])T_[0-9a-f]{5}(?![0-9a-f])| at 0x[0-9a-f]+")


def zip_members(data: bytes) -> dict[str, bytes]:
    """An xlsx or pptx's parts, its document properties (the build time) left out."""
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if not n.startswith("docProps/")}


def normalised(name: str, data: bytes) -> object:
    """A report file with its build time taken out (the only thing two clean runs differ in)."""
    if name.endswith((".xlsx", ".pptx")):
        return {n: normalised(n, d) for n, d in zip_members(data).items()}
    if name.endswith((".html", ".ipynb", ".xml", ".json", ".rels")) or name.endswith(".csv"):
        text = data.decode("utf-8", "replace")
        if name.endswith(".ipynb"):  # papermill's timings and the kernel's execution metadata
            import json

            nb = json.loads(text)
            nb.get("metadata", {}).pop("papermill", None)
            for cell in nb.get("cells", []):
                cell.pop("id", None)  # papermill gives its parameters cell a new random id
                cell.get("metadata", {}).pop("papermill", None)
                cell.get("metadata", {}).pop("execution", None)
            text = json.dumps(nb, sort_keys=True)
        return STAMP.sub("T", text)
    return data


def report_files(base: Path) -> dict[str, object]:
    """Every file under ``base/reports`` (no socket allowed there), normalised, by its path."""
    folder = base / "reports"
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        assert not p.is_socket(), f"socket left in the reports: {rel}"
        if p.is_file() and p.name != ".satudata-ditulis.json":  # the record of written files' hashes
            out[rel] = normalised(p.name, p.read_bytes())
    return out
