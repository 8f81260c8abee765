"""Benchmark of reading real tables (``satudata.reading.table``): the real corpus and sheets of awkward sizes.

Run: ``.venv/bin/python benchmarks/bench_reading.py``. Prints wall times (seconds, best of 3) of
``read_sheet`` on every sheet of the 36 real corpus files, and on synthetic sheets whose shape once made a
step grow with the square of the rows (a long run of text rows under a table) or that are simply big.
Every time should grow about linearly with the cells.
"""

from __future__ import annotations

import time
from pathlib import Path

from satudata.formats.readers import Grid, read_source
from satudata.reading.table import read_sheet
from satudata.reading.template_layout import subtotal_words

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "realdata" / "corpus" / "files"
TOTALS = subtotal_words(("Demak",))


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def read_all(sources: list) -> int:
    n = 0
    for path, source in sources:
        for grid in source.grids:
            r = read_sheet(grid, path.stem, source.kind in ("csv", "html"), TOTALS)
            n += sum(len(t.values) for t in r.tables)
    return n


def main() -> None:
    sources = [(p, read_source(p)) for p in sorted(CORPUS.iterdir())]
    cells = sum(len(r) for _, s in sources for g in s.grids for r in g.rows)
    values = read_all(sources)
    print(f"{'real corpus: 36 files, ' + f'{values:,} values':<55} {best(lambda: read_all(sources)):7.3f} s"
          f"  ({cells:,} cells)")
    for n in (2_000, 8_000, 32_000):
        rows = [["Uraian", "2020"], ["Jumlah Bidan", 1.0]] + [[f"nama {i}", f"teks {i}"] for i in range(n)]
        grid = Grid("teks", rows)
        print(f"{f'table + {n:,} text rows of two cells':<55} "
              f"{best(lambda g=grid: read_sheet(g, 'x', False, TOTALS)):7.3f} s")
    for n in (5_000, 20_000):
        rows = [["Uraian"] + [str(2000 + j) for j in range(20)]] + [
            [f"Elemen {i}"] + [float(i + j) for j in range(20)] for i in range(n)]
        grid = Grid("besar", rows)
        print(f"{f'{n:,} rows x 20 year columns':<55} {best(lambda g=grid: read_sheet(g, 'x', False, TOTALS), 1):7.3f} s")


if __name__ == "__main__":
    main()
