"""Benchmark: checking the totals written in big tables (``satudata.reading.table_totals.check_nilai``).

Run: ``.venv/bin/python benchmarks/bench_totals.py [--blocks 1000]``. Builds a table as ingestion gives it:
``--blocks`` blocks of 19 village rows and a ``Jumlah`` row, 10 year columns (200,000 cells and 10,000 totals
for 1,000 blocks), and prints the time of the check and the totals checked, for a table twice and four times
as big too: the check is linear in the cells (each part belongs to one total); then the same table with every
total wrong (each miss is looked at for category rows and gets its message).
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from satudata.reading.table_totals import check_nilai


def table(blocks: int) -> pd.DataFrame:
    rows, r = [], 0
    for _ in range(blocks):
        for i in range(19):
            r += 1
            rows += [(r, chr(66 + y), 2010 + y, 10.0 + i, False, f"Desa {i}") for y in range(10)]
        r += 1
        rows += [(r, chr(66 + y), 2010 + y, 361.0, True, None) for y in range(10)]
    frame = pd.DataFrame(rows, columns=["sumber_baris", "sumber_kolom", "tahun", "nilai", "total", "rincian"])
    frame = frame.assign(putaran="2024-01-01", kode_opd="DIN01", kode_elemen=None, nama_elemen_asli="Jumlah KK",
                         satuan_asli="KK", status="ada", sumber_file="besar.xlsx", sumber_sheet="Data",
                         jenis_rincian="wilayah", periode=None, label_baris="", label_kolom="KK",
                         judul_tabel="Jumlah KK per Desa")  # fmt: skip
    frame["tahun"] = frame["tahun"].astype("Int64")
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=1000)
    args = parser.parse_args()
    for factor in (1, 2, 4):
        frame = table(args.blocks * factor)
        start = time.perf_counter()
        issues, counts = check_nilai(frame, "2024-01-01", 0.5)
        took = time.perf_counter() - start
        checked, wrong = counts.get("besar.xlsx", [0, 0])
        print(f"jumlah dalam tabel: {len(frame):>9,} sel, {checked:>6,} jumlah diperiksa ({wrong} tidak cocok, "
              f"{len(issues)} masalah): {took:.2f} s")
    # the worst case: every total wrong (each miss is looked at for category rows and gets its message)
    frame = table(args.blocks)
    frame.loc[frame["total"], "nilai"] = 999.0
    start = time.perf_counter()
    issues, counts = check_nilai(frame, "2024-01-01", 0.5)
    print(f"semua jumlah salah: {len(frame):>9,} sel, {counts['besar.xlsx'][1]:>6,} tidak cocok: "
          f"{time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
