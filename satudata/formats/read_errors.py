"""What reading a file can report: a :class:`ReadError` that stops the file, a :class:`ReadProblem` that
does not (an error value in a cell, rows left after a long blank run), and the ``berkas_terlalu_besar``
error naming the limit passed."""

from __future__ import annotations

from dataclasses import dataclass

TOO_BIG = "berkas_terlalu_besar"


class ReadError(Exception):
    """A file that cannot be read; ``code`` is the issue code, the message says what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ReadProblem:
    """A problem found while reading that does not stop the file: it becomes one issue of the round.

    ``row`` is the Excel row (1-based), ``col`` the column letters; ``level`` is ``galat``,
    ``peringatan`` or ``info`` as in ``masalah``.
    """

    code: str
    level: str
    sheet: str | None
    row: int | None
    col: str | None
    message: str


def number(n: int) -> str:
    """``20000000`` -> ``20.000.000`` (Indonesian thousands separator)."""
    return f"{n:,}".replace(",", ".")


def too_big(file: str, what: str, value: int, limit_name: str, limit: int, fix: str = "") -> ReadError:
    """The ``berkas_terlalu_besar`` error: ``what`` (``value``) is past ``limit_name`` (``limit``)."""
    fix = fix or ("Hapus isi dan format sel di luar tabel, simpan ulang sebagai .xlsx, atau pecah menjadi "
                  "beberapa berkas, lalu kirim ulang.")  # fmt: skip
    return ReadError(
        TOO_BIG,
        f"Berkas {file} tidak dibaca: {what} ({number(value)}) melebihi batas {limit_name} = {number(limit)}. "
        + fix,
    )


def out_of_memory(file: str, limit: int, fix: str = "") -> str:
    """The message of a file whose reading needed more memory than ``max_memory_bytes``; ``fix`` says what to do
    (default: a submitter's)."""
    gib = f"{limit / 1024**3:.1f}".replace(".", ",")
    fix = fix or ("Berkas ini mungkin berisi sel atau format di luar tabel yang sangat luas, atau rusak: salin tabelnya "
                  "saja ke berkas .xlsx baru, simpan, lalu kirim ulang.")  # fmt: skip
    return (f"Berkas {file} tidak dibaca: membacanya memerlukan memori lebih dari batas max_memory_bytes = "
            f"{number(limit)} byte ({gib} GiB), sehingga proses pembacanya dihentikan. {fix}")


def out_of_time(file: str, seconds: float, fix: str = "") -> str:
    """The message of a file whose reading took longer than ``max_seconds``; ``fix`` says what to do (default: a
    submitter's)."""
    fix = fix or ("Salin tabelnya saja ke berkas .xlsx baru (tanpa sel kosong berformat di luar tabel) atau pecah "
                  "menjadi beberapa berkas, lalu kirim ulang.")  # fmt: skip
    return (f"Berkas {file} tidak dibaca: membacanya lebih lama dari batas max_seconds = {number(round(seconds))} "
            f"detik, sehingga proses pembacanya dihentikan. {fix}")


def column_letter(index: int) -> str:
    """Excel column letters for a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
