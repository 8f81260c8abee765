"""Write the stage notebooks 01 and 02 (thin: they call satudata and display the results).

Run once after editing; the notebooks are committed without outputs.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parents[1] / "notebooks"
PARAMS = '''putaran = "2020-08-27"
data_dir = "../data"
reports_dir = "../reports"
settings_file = ""'''


def notebook(cells):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "satudata", "display_name": "satudata", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
    return nb


def params():
    cell = new_code_cell(PARAMS)
    cell.metadata["tags"] = ["parameters"]
    return cell


ingest = notebook([
    new_markdown_cell("# Tahap 1: membaca kiriman OPD\n\nSemua berkas di `data/raw/<putaran>/` dibaca; "
                      "hasilnya `nilai.parquet`, `masalah.parquet`/`.csv` dan `manifest.json` di "
                      "`data/processed/<putaran>/`."),
    params(),
    new_code_cell("import pandas as pd\n\nfrom satudata.run.pipeline import Context, run_ingest\n\n"
                  "ctx = Context.create(putaran, data_dir, reports_dir, settings_file)\n"
                  "hasil = run_ingest(ctx)"),
    new_markdown_cell("## Berkas yang diterima dan akuntansi baris"),
    new_code_cell("from satudata.outputs.summaries import file_accounting\n\nfile_accounting(hasil.manifest)"),
    new_markdown_cell("## Masalah per jenis"),
    new_code_cell("from satudata.outputs.summaries import issue_counts\n\nissue_counts(hasil.masalah)"),
])

progress = notebook([
    new_markdown_cell("# Tahap 2: progres dan zona\n\nProgres kumulatif sampai putaran ini; hasilnya "
                      "`progres_opd.parquet` (+ CSV), `progres_urusan.parquet`, `kekurangan.parquet` dan "
                      "riwayat semua putaran."),
    params(),
    new_code_cell("from satudata.run.pipeline import Context, run_progress\n\n"
                  "ctx = Context.create(putaran, data_dir, reports_dir, settings_file)\n"
                  "hasil = run_progress(ctx)\nhasil.ringkasan"),
    new_markdown_cell("## Progres per OPD"),
    new_code_cell("hasil.progres_opd[['kode_opd', 'nama_opd', 'wajib', 'terpenuhi', 'persen', 'zona', 'selisih']]"),
    new_markdown_cell("## Progres per urusan"),
    new_code_cell("hasil.progres_urusan"),
])

for name, nb in (("01_ingest.ipynb", ingest), ("02_progres.ipynb", progress)):
    nbformat.write(nb, HERE / name)
    print("wrote", HERE / name)
