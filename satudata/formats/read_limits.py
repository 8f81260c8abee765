"""The limits one submitted file is read under, checked before anything is allocated.

Past a limit the file is not read and gets the issue ``berkas_terlalu_besar`` naming the limit; the
round goes on. The last two limits are enforced while reading, not before: every file is read in a worker
process whose address space is capped (``max_memory_bytes``) and which is stopped after ``max_seconds``,
so a bomb no check foresaw still ends as ``berkas_terlalu_besar`` (see :mod:`satudata.reading.parallel`). :data:`LIMITS` holds the defaults; to override them, pass ``limits=`` to
:func:`satudata.formats.readers.read_source` or replace ``satudata.formats.read_limits.LIMITS`` (read at each call),
e.g. ``read_limits.LIMITS = dataclasses.replace(read_limits.LIMITS, max_cells=5_000_000)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from satudata.formats.read_errors import ReadError


@dataclass(frozen=True)
class ReadLimits:
    """Bounds on one file's cost. Cell counts are the area a sheet spans (rows times columns), since
    the workbook reader allocates that whole rectangle even when it is mostly empty."""

    max_file_bytes: int = 200 * 1024**2  # any file, as stored
    max_text_bytes: int = 64 * 1024**2  # CSV, HTML and XML Spreadsheet files (read whole into memory)
    max_line_chars: int = 1024**2  # one CSV field or line
    max_unzipped_bytes: int = 1024**3  # xlsx/ods: all zip members together, uncompressed
    max_zip_ratio: int = 200  # xlsx/ods: uncompressed / compressed size of one member ...
    zip_ratio_min_bytes: int = 4 * 1024**2  # ... checked for members bigger than this
    max_cells: int = 30_000_000  # rows x columns spanned by one sheet (A1:Z1048576, 27 M: ~1.1 GB peak)
    max_rows: int = 1_048_576  # rows of one sheet (Excel's own limit)
    max_columns: int = 16_384  # columns of one sheet (Excel's own limit)
    max_cell_problems: int = 100  # issues named cell by cell per sheet and kind (the rest counted in one)
    # reading happens in a worker process (satudata.reading.parallel, guarded mode): what one file may cost there
    max_memory_bytes: int = 3 * 1024**3  # address space a reading worker may add (RLIMIT_AS); 0: no cap
    max_seconds: float = 300.0  # wall-clock time to read one file; 0: no limit


LIMITS = ReadLimits()

# the settings' [batas] keys: (field, bytes per unit written); sizes are written in MB (MiB), memory too
SETTINGS_KEYS: dict[str, tuple[str, int]] = {
    "ukuran_berkas_mb": ("max_file_bytes", 1024**2),
    "ukuran_teks_mb": ("max_text_bytes", 1024**2),
    "panjang_isian": ("max_line_chars", 1),
    "ukuran_isi_zip_mb": ("max_unzipped_bytes", 1024**2),
    "rasio_zip": ("max_zip_ratio", 1),
    "sel_per_sheet": ("max_cells", 1),
    "baris_per_sheet": ("max_rows", 1),
    "kolom_per_sheet": ("max_columns", 1),
    "memori_mb": ("max_memory_bytes", 1024**2),
    "detik_per_berkas": ("max_seconds", 1),
}


def from_settings(section: dict, base: ReadLimits | None = None) -> ReadLimits:
    """The limits of a settings file's ``[batas]`` section (checked by :mod:`satudata.reference.settings_check`), the
    keys not written taken from ``base`` (default :data:`LIMITS`)."""
    from dataclasses import replace

    changes = {}
    for key, value in section.items():
        name, unit = SETTINGS_KEYS[key]
        changes[name] = float(value) if name == "max_seconds" else int(value * unit)
    return replace(base or LIMITS, **changes)


def current(limits: ReadLimits | None = None) -> ReadLimits:
    """``limits`` when given, else the module's :data:`LIMITS` as it is now."""
    return limits if limits is not None else LIMITS


def past_size(file: str, size: int, limits: ReadLimits | None = None, text: bool = False, fix: str = "") -> ReadError | None:
    """The ``berkas_terlalu_besar`` error of a file of ``size`` bytes past ``max_text_bytes`` when it is read whole
    into memory (``text``: CSV, JSON, HTML, XML; named first, the limit that binds such a file), or past
    ``max_file_bytes`` (any file); None within them. Checked on the size alone, before a byte is parsed: the one
    size check of submissions, sources and reference tables. ``fix`` says what to do (default: a submitter's, see
    :func:`satudata.formats.read_errors.too_big`); a ``{kunci}`` in it names the ``[batas]`` key of the limit passed
    (``ukuran_teks_mb``, ``ukuran_berkas_mb``)."""
    from satudata.formats.read_errors import too_big

    limits = current(limits)
    if text and size > limits.max_text_bytes:
        what, name, limit, key = "ukuran berkas teks (byte)", "max_text_bytes", limits.max_text_bytes, "ukuran_teks_mb"
    elif size > limits.max_file_bytes:
        what, name, limit, key = "ukuran berkas (byte)", "max_file_bytes", limits.max_file_bytes, "ukuran_berkas_mb"
    else:
        return None
    return too_big(file, what, size, name, limit, fix.replace("{kunci}", key))
