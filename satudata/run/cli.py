"""The ``satudata`` command line: demo data, checking one file, templates, stages without Jupyter."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from satudata import __version__


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help="folder data (bawaan: data/ di klon ini atau $SATUDATA_DATA_DIR)")
    parser.add_argument("--reports-dir", help="folder laporan (bawaan: reports/ atau $SATUDATA_REPORTS_DIR)")
    parser.add_argument("--settings", help="berkas pengaturan TOML (bawaan: <data>/reference/pengaturan.toml)")


def _context(args: argparse.Namespace):
    from satudata.run.pipeline import Context

    return Context.create(args.round, args.data_dir, args.reports_dir, args.settings)


def cmd_demo(args: argparse.Namespace) -> int:
    from satudata.common.paths import Paths
    from satudata.run import demo

    paths = Paths.from_env(args.data_dir, args.reports_dir)
    data_dir = paths.data_dir
    files = demo.generate_small(data_dir) if args.kecil else demo.generate_demo(data_dir, force=args.force)
    print(f"Data demo tersedia di {data_dir} ({len(files)} berkas).")
    if not args.bangun:
        return 0
    sys.stdout.flush()
    from satudata.run.rounds import main_build

    return main_build(paths.data_dir, paths.reports_dir, None, jobs=args.jobs,
                      reports_shown=args.reports_dir or str(paths.reports_dir))  # fmt: skip


def _round_folder_given(args: argparse.Namespace) -> str:
    """The round's raw folder as the user named the data folder (for messages)."""
    from satudata.common.paths import Paths

    shown = args.data_dir or os.environ.get("SATUDATA_DATA_DIR") or str(Paths.from_env().data_dir)
    return str(Path(shown) / "raw" / args.putaran)


def cmd_putaran(args: argparse.Namespace) -> int:
    """Build one round as `make round` does: the four stages, only those whose inputs changed."""
    import re

    from satudata.common.paths import Paths
    from satudata.run.rounds import main_build

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.putaran):
        print("Tulis putarannya sebagai tanggal: satudata putaran YYYY-MM-DD", file=sys.stderr)
        return 2
    paths = Paths.from_env(args.data_dir, args.reports_dir)
    if not paths.raw_root.joinpath(args.putaran).is_dir():
        print(f"Folder {_round_folder_given(args)} tidak ada: taruh kiriman OPD di sana.", file=sys.stderr)
        return 2
    return main_build(paths.data_dir, paths.reports_dir, [args.putaran], jobs=args.jobs,
                      last_stage=args.sampai_tahap)  # fmt: skip


def cmd_semua(args: argparse.Namespace) -> int:
    """Build every round under raw/ as `make all` does: only what changed."""
    from satudata.common.paths import Paths
    from satudata.run.rounds import main_build

    paths = Paths.from_env(args.data_dir, args.reports_dir)
    shown = args.reports_dir or os.environ.get("SATUDATA_REPORTS_DIR") or str(paths.reports_dir)
    return main_build(paths.data_dir, paths.reports_dir, None, jobs=args.jobs, reports_shown=shown)


def cmd_kernel(args: argparse.Namespace) -> int:
    """Register the Jupyter kernel `satudata` for this environment (once, after installing)."""
    from satudata.run.notebook import KERNEL_NAME, ensure_kernel

    if not ensure_kernel():
        print(f"Kernel Jupyter '{KERNEL_NAME}' sudah terdaftar.")
    return 0


def cmd_clean_demo(args: argparse.Namespace) -> int:
    from satudata.common.paths import Paths
    from satudata.run import demo

    data_dir = Paths.from_env(args.data_dir).data_dir
    removed = demo.clean_demo(data_dir)
    print(f"{len(removed)} berkas demo dihapus dari {data_dir}.")
    return 0


def cmd_rounds(args: argparse.Namespace) -> int:
    from satudata.common.paths import Paths

    print("\n".join(Paths.from_env(args.data_dir).rounds()))
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from satudata.run.pipeline import run_ingest

    result = run_ingest(_context(args))
    print(f"{len(result.nilai)} nilai, {len(result.masalah)} masalah.")
    return 0


def cmd_progress(args: argparse.Namespace, ctx=None) -> int:
    from satudata.common import fmt
    from satudata.run.pipeline import run_progress

    result = run_progress(ctx or _context(args))
    for row in result.progres_opd.itertuples(index=False):
        print(f"{row.kode_opd:8} {fmt.persen(row.persen):>6} {row.zona or '-':7} {row.nama_opd}")
    return 0


def cmd_hitung(args: argparse.Namespace) -> int:
    """Ingest and progress in one process: the register and catalogue are read once."""
    from satudata.run.pipeline import run_ingest

    ctx = _context(args)
    result = run_ingest(ctx)
    print(f"{len(result.nilai)} nilai, {len(result.masalah)} masalah.")
    return cmd_progress(args, ctx)


def cmd_katalog(args: argparse.Namespace) -> int:
    """Check the register and catalogue before a round: counts, excluded rows with reasons, what each
    producer owes. Exit 1 when they cannot be used at all (the message says why)."""
    import json

    from satudata.common.paths import Paths
    from satudata.reference.catalogue import load_reference
    from satudata.reference.catalogue_quality import as_json, assess, quality_text
    from satudata.reference.settings import load_settings

    paths = Paths.from_env(args.data_dir, args.reports_dir)
    settings = load_settings(args.settings or paths.settings_file)
    register, catalogue = load_reference(paths.reference, settings)
    quality = assess(catalogue, register)
    if args.json:
        print(json.dumps(as_json(quality, with_rows=True), ensure_ascii=False, indent=1, default=str))
    else:
        print(f"Daftar OPD: {len(register.codes)} produsen.")
        print(quality_text(quality, None if args.semua else 20))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check one submission against the catalogue and print what the ingest finds: each table (range,
    shape, where its years come from), the row and cell accounting, a few values with their cells, every
    issue. Exit 1 when the file has an error, or numeric cells and no value."""
    import json

    import pandas as pd

    from satudata.reading.ingest import ingest_file
    from satudata.reading.sheet_values import year_source_text
    from satudata.run.pipeline import Context

    ctx = Context.create("2000-01-01", args.data_dir, None, args.settings)
    register, catalogue = ctx.reference()
    result = ingest_file(Path(args.file), "2000-01-01", register, catalogue, ctx.settings)
    entry = result.manifest["berkas"][0]
    nilai = result.nilai
    counted = nilai[nilai["dihitung"]] if len(nilai) else nilai
    cells = entry.get("sel", {})
    failed = bool((result.masalah["tingkat"] == "galat").any()) or bool(cells.get("angka") and not len(nilai))
    if args.json:
        sample = nilai.head(args.contoh)[["sumber_sheet", "sumber_kolom", "sumber_baris", "nama_elemen_asli", "tahun",
                                          "periode", "rincian", "total", "nilai", "status", "teks_asli"]]  # fmt: skip
        out = {
            "berkas": args.file, "tabel": entry.get("tabel", []), "baris": entry["baris"], "sel": cells,
            "jumlah_nilai": len(nilai), "jumlah_dihitung": len(counted),
            "contoh_nilai": json.loads(sample.to_json(orient="records", force_ascii=False)),
            "masalah": json.loads(result.masalah.drop(columns=["putaran"]).to_json(orient="records", force_ascii=False)),
        }  # fmt: skip
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 1 if failed else 0
    print(f"{args.file}: {len(nilai)} nilai terbaca, {len(counted)} untuk elemen yang wajib.")
    for t in entry.get("tabel", []):
        years = f"tahun dari {year_source_text(t['tahun_dari'])}" if t["tahun_dari"] else "tahun tidak tertulis"
        print(f"  tabel {t['sheet']}!{t['rentang']}: {t['bentuk']}; {years}; "
              f"{t['jumlah_nilai']} nilai" + (f"; judul: {t['judul']}" if t["judul"] else ""))  # fmt: skip
        _print_model(t)
    b = entry["baris"]
    struktur = ", ".join(f"{k} {v}" for k, v in b["struktur"].items()) or "-"
    print(f"  baris: {b['dibaca']} dibaca = {b['data']} data + struktur ({struktur}) + {b['ditolak']} ditolak; "
          f"{b['kosong']} kosong")  # fmt: skip
    if cells:
        print(f"  sel angka: {cells['angka']} = {cells['nilai']} nilai + {cells['struktur']} struktur + "
              f"{cells['masalah']} bermasalah")  # fmt: skip
    for v in nilai.head(args.contoh).itertuples(index=False):
        year = "tanpa tahun" if pd.isna(v.tahun) else str(v.tahun)
        extra = "".join(f"; {k} {x}" for k, x in (("periode", v.periode), ("rincian", v.rincian)) if pd.notna(x))
        print(f"  {v.sumber_sheet}!{v.sumber_kolom}{v.sumber_baris}: {v.teks_asli} -> '{v.nama_elemen_asli}' {year}"
              f"{extra}{'; total' if v.total else ''}")  # fmt: skip
    for m in result.masalah.itertuples(index=False):
        print(f"- [{m.tingkat}] {m.pesan}")  # the message names file, sheet, row and column itself
    return 1 if failed else 0


def _print_model(table: dict) -> None:
    """The model the reader found for one table: title and header rows, each value column's header path and
    year with where it came from, the columns left out and why."""
    from satudata.reading.sheet_values import year_source_text

    def rows(numbers: list[int]) -> str:
        return ", ".join(map(str, numbers)) or "-"

    print(f"    baris judul: {rows(table.get('baris_judul', []))}; baris judul kolom: {rows(table.get('baris_header', []))}")
    for c in table.get("kolom_nilai", []):
        year = f"tahun {c['tahun']}" if c["tahun"] is not None else "tanpa tahun"
        source = year_source_text(c["tahun_dari"]) if c["tahun_dari"] not in ("", "beragam per baris") else c["tahun_dari"]
        print(f"    kolom {c['kolom']}: {c['jalur'] or '(tanpa judul)'} -> {year}" + (f" (dari {source})" if source else ""))
    for c in table.get("kolom_lain", []):
        print(f"    kolom {c['kolom']} dilewati: {c['alasan']}" + (f" ({c['judul']})" if c["judul"] else ""))


def cmd_template(args: argparse.Namespace) -> int:
    from satudata.outputs.submission_template import write_templates
    from satudata.run.pipeline import Context

    ctx = Context.create("2000-01-01", args.data_dir, args.reports_dir, args.settings)
    register, catalogue = ctx.reference()
    out = Path(args.out) if args.out else ctx.paths.reports_dir / "templat"
    if args.opd:
        code = register.resolve(args.opd) or args.opd
        catalogue.elements = catalogue.elements[catalogue.elements["kode_opd"] == code]
        register = type(register)(register.frame[register.frame["kode_opd"] == code])
    paths = write_templates(catalogue, register, out, ctx.settings)
    print(f"{len(paths)} templat ditulis ke {out}.")
    return 0


def cmd_sumber(args: argparse.Namespace) -> int:
    """List the configured sources and what each holds for a round; ``--unduh`` first fetches the CKAN
    snapshots the round lacks (the only command that goes to the network). Exit 1 when a source failed."""
    import json

    from satudata.run.pipeline import Context
    from satudata.sources.collect import describe_sources, source_report_lines

    ctx = Context.create(args.round, args.data_dir, args.reports_dir, args.settings)
    raw = ctx.paths.raw(ctx.round_date)
    if not raw.is_dir():
        raise FileNotFoundError(f"Folder putaran {raw} tidak ada. Buat folder itu dan taruh kiriman OPD putaran "
                                f"{ctx.round_date} di sana.")  # fmt: skip
    downloads = []
    if args.unduh:
        from satudata.sources.ckan import CkanError, fetch_snapshot, has_snapshot, snapshot_folder

        for source in (s for s in ctx.settings.sources if s.kind == "ckan"):
            folder = snapshot_folder(raw, source)
            if has_snapshot(folder):
                downloads.append((source.name, f"snapshot sudah ada di {folder}; tidak diunduh ulang.", False))
                continue
            try:
                fetch_snapshot(source, folder)
                downloads.append((source.name, f"snapshot diunduh ke {folder}.", False))
            except (CkanError, OSError) as exc:
                downloads.append((source.name, f"gagal mengunduh: {exc}", True))
    register, catalogue = ctx.reference()
    described = describe_sources(raw, ctx.round_date, register, catalogue, ctx.settings, ctx.paths.reference)
    failed = any(d[2] for d in downloads) or any(r.get("gagal") for r in described)
    if args.json:
        print(json.dumps({"putaran": ctx.round_date, "unduh": [{"sumber": n, "pesan": m, "gagal": f}
                                                               for n, m, f in downloads],
                          "sumber": described}, ensure_ascii=False, indent=1, default=str))  # fmt: skip
        return 1 if failed else 0
    for name, message, _ in downloads:
        print(f"Unduh {name}: {message}")
    print("\n".join(source_report_lines(described, ctx.round_date, ctx.settings)))
    return 1 if failed else 0


def cmd_notebook(argv: list[str]) -> int:
    from satudata.run.notebook import main as notebook_main

    return notebook_main(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="satudata", description="Evaluasi Satu Data per putaran.")
    parser.add_argument("--version", action="version", version=f"satudata {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="tulis data demo Kabupaten Demak (deterministik)")
    _common(p)
    p.add_argument("--force", action="store_true", help="tulis ulang walau sudah ada")
    p.add_argument("--kecil", action="store_true", help="satu putaran kecil (4 OPD) untuk uji")
    p.add_argument("--bangun", action="store_true",
                   help="lalu bangun semua putaran demo (seperti `satudata semua`; tanpa make)")
    p.add_argument("--jobs", type=int, default=2, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("putaran", help="bangun satu putaran: baca kiriman, progres, laporan, rakor (seperti make round)")
    _common(p)
    p.add_argument("putaran", help="tanggal putaran YYYY-MM-DD (folder <data>/raw/<putaran>)")
    p.add_argument("--sampai-tahap", type=int, choices=(1, 2, 3, 4), default=4,
                   help="berhenti setelah tahap ini (bawaan 4: semua)")
    p.add_argument("--jobs", type=int, default=2, help="tahap yang boleh berjalan bersamaan (bawaan 2)")
    p.set_defaults(func=cmd_putaran)

    p = sub.add_parser("semua", help="bangun setiap putaran di <data>/raw, hanya yang berubah (seperti make all)")
    _common(p)
    p.add_argument("--jobs", type=int, default=2, help="tahap yang boleh berjalan bersamaan (bawaan 2)")
    p.set_defaults(func=cmd_semua)

    p = sub.add_parser("kernel", help="daftarkan kernel Jupyter 'satudata' untuk lingkungan ini")
    p.set_defaults(func=cmd_kernel)

    p = sub.add_parser("clean-demo", help="hapus berkas demo yang dibuat `satudata demo`")
    _common(p)
    p.set_defaults(func=cmd_clean_demo)

    p = sub.add_parser("rounds", help="daftar putaran di data/raw")
    _common(p)
    p.set_defaults(func=cmd_rounds)

    for name, func, text in (
        ("ingest", cmd_ingest, "baca semua kiriman satu putaran"),
        ("progress", cmd_progress, "hitung progres dan zona satu putaran"),
        ("hitung", cmd_hitung, "baca kiriman lalu hitung progres satu putaran (ingest + progress)"),
    ):
        p = sub.add_parser(name, help=text)
        _common(p)
        p.add_argument("--round", required=True, help="tanggal putaran YYYY-MM-DD")
        p.set_defaults(func=func)

    p = sub.add_parser("check", help="periksa satu berkas kiriman terhadap katalog")
    _common(p)
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="keluaran JSON untuk skrip")
    p.add_argument("--contoh", type=int, default=5, help="banyak contoh nilai yang ditampilkan (bawaan 5)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("katalog", help="periksa daftar OPD dan katalog sebelum putaran")
    _common(p)
    p.add_argument("--json", action="store_true", help="keluaran JSON untuk skrip")
    p.add_argument("--semua", action="store_true", help="tampilkan semua baris yang dikecualikan (bawaan 20)")
    p.set_defaults(func=cmd_katalog)

    p = sub.add_parser("template", help="tulis templat isian untuk setiap OPD")
    _common(p)
    p.add_argument("--out", help="folder tujuan (bawaan: <reports>/templat)")
    p.add_argument("--opd", help="hanya untuk OPD ini (kode, nama atau singkatan)")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("sumber", help="daftar sumber data ([sumber]) dan isinya untuk satu putaran")
    _common(p)
    p.add_argument("--round", "--putaran", dest="round", required=True, help="tanggal putaran YYYY-MM-DD")
    p.add_argument("--unduh", action="store_true",
                   help="unduh snapshot portal CKAN yang belum ada ke data/raw/<putaran>/portal/<nama>/")
    p.add_argument("--json", action="store_true", help="keluaran JSON untuk skrip")
    p.set_defaults(func=cmd_sumber)

    sub.add_parser("notebook", help="jalankan notebook berparameter (dipakai Makefile)", add_help=False)
    return parser


# the commands that write into the data folder (processed/, or raw/ for the demo and a portal download): each takes
# the folder's lock, so a `satudata hitung` started during `make round` waits for it and then runs
WRITES_DATA = {"demo", "clean-demo", "ingest", "progress", "hitung"}


def _data_folder_lock(args: argparse.Namespace):
    """The data folder's lock for a command that writes into it (:func:`satudata.run.run_lock.holding`); nothing
    for one that only reads (``putaran`` and ``semua`` take it themselves, for the whole build)."""
    from contextlib import nullcontext

    from satudata.common.paths import Paths
    from satudata.run.run_lock import holding

    writes = args.command in WRITES_DATA or (args.command == "sumber" and args.unduh)
    if not writes:
        return nullcontext()
    return holding(Paths.from_env(args.data_dir).data_dir, say=lambda text: print(text, file=sys.stderr, flush=True))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["notebook"]:
        return cmd_notebook(argv[1:])
    args = build_parser().parse_args(argv)
    # A command imports pandas and the package (about a million objects, none of them garbage) and ends within
    # seconds: cycle collection passes would only cost time, about 0.05 s per command (benchmarks/bench_start.py).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    from satudata.run.run_lock import Busy

    try:
        with _data_folder_lock(args):
            code = args.func(args)
        sys.stdout.flush()
        return code
    except (ValueError, FileNotFoundError, FileExistsError, Busy) as exc:
        print(f"GAGAL: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the output was piped into `head`, which stopped reading: no traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    finally:
        if gc_was_enabled:
            gc.enable()
