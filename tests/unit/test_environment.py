"""pyproject.toml and environment.yml name the same packages with the same bounds."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _norm(spec: str) -> tuple[str, str]:
    spec = spec.replace(" ", "")
    name = re.match(r"[A-Za-z0-9_.\-]+", spec).group(0)
    return name.lower().replace("_", "-"), spec[len(name) :]


def test_pyproject_and_environment_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip = dict(_norm(s) for s in project["dependencies"] + project["optional-dependencies"]["dev"])
    conda = {}
    deps = (ROOT / "environment.yml").read_text().split("dependencies:", 1)[1]
    for line in deps.splitlines():
        m = re.match(r"^\s+-\s+([^#\s][^#]*)$", line)
        if not m or m.group(1).startswith("-") or m.group(1).strip() == "pip:":
            continue  # the pip section installs this clone (`-e .`), no package of its own
        name, bounds = _norm(m.group(1).strip())
        if name not in {"python", "pip"}:
            conda[name] = bounds
    assert pip == conda
    assert len(pip) >= 20
    # every pinned package has an upper bound
    assert all("<" in bounds for bounds in pip.values()), pip


def test_python_version_floor():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
    assert "python>=3.11" in (ROOT / "environment.yml").read_text()


def test_report_templates_and_scripts_ship_with_the_package():
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    package_data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]
    shipped = {"satudata.outputs": ("templates", "nbtemplates"), "satudata.reference": ("demak", ".")}
    found = []
    for package_name, folders in shipped.items():
        patterns = package_data[package_name]
        package = root / package_name.replace(".", "/")
        files = sorted({p.relative_to(package).as_posix() for folder in folders
                        for p in (package / folder).glob("*" if folder == "." else "**/*")
                        if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts})
        found += files
        for name in files:
            assert any(fnmatch.fnmatch(name, pattern.replace("**/", "")) or fnmatch.fnmatch(name, pattern)
                       for pattern in patterns), name
    assert "templates/opd.html.j2" in found and "nbtemplates/satudata/static/laporan.js" in found
    assert "pengaturan-contoh.toml" in found and "demak/opd-demak.csv" in found


def test_environment_installs_this_clone_and_works_on_every_platform():
    """environment.yml creates a working environment on Windows, Linux and macOS: conda-forge only, no
    platform-specific package, the lock library that works on Windows, and this clone installed by pip."""
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "conda-forge" in text and "defaults" not in text
    assert "  - filelock>=" in text
    assert text.rstrip().endswith("  - pip:\n      - --no-deps\n      - -e .")
    assert "satudata kernel" in text  # how the kernel is registered
