"""The per-round evaluation report: what it shows (plain data) and its HTML conversion.

The round notebook (``notebooks/03_laporan.ipynb``) calls :func:`load_round`, the ``*_html``
helpers and the charts, and displays what they return. Each helper computes plain data and renders
it through a Jinja2 template under ``satudata/outputs/templates/`` with autoescaping
(:mod:`satudata.outputs.templating`): a name like ``Dinas <script>`` is shown as text, never run as markup.
The report is for decisions: who needs attention first (:mod:`satudata.outputs.attention`), then zones,
the OPD list with one card per OPD (:mod:`satudata.outputs.opd_cards`) and urusan. The technical part
(row accounting, matches to review, checksums, versions, settings) is the annex page
(:mod:`satudata.outputs.annex`, ``lampiran-<round>.html``). After papermill has executed the notebook,
the runner calls :func:`notebook_to_html`, which renders it through the project's nbconvert
template (``nbtemplates/satudata``): no code, no prompts, nothing loaded from another host, print
CSS for A4 and a table of contents built from the headings.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from satudata.common import fmt
from satudata.common.paths import check_round
from satudata.common.plain_words import ISSUE_LABELS, issue_label  # noqa: F401 - reachable as report.* as before
from satudata.evaluation.zones import zone_counts, zone_of
from satudata.outputs.annex import (  # noqa: F401 - the annex's sections, reachable as report.* as before
    PACKAGES,
    REVIEW_CODES,
    ROLE_LABELS,
    catalogue_quality_html,
    fuzzy_html,
    issues_html,
    manifest_files,
    package_versions,
    provenance_html,
    review_html,
    role_label,
    row_accounting_html,
    value_quality_html,
)
from satudata.outputs.html_parts import paragraph, render_parts, table_part  # noqa: F401
from satudata.outputs.round_view import header_context, sort_progres, timezone_name  # noqa: F401
from satudata.outputs.templating import render
from satudata.outputs.urusan_view import (  # noqa: F401 - the urusan sections, reachable as report.* as before
    SPARSE_DENSITY,
    heatmap_matrix,
    heatmap_section,
    matrix_density,
    natural_key,
    progress_by_opd_urusan,
    urusan_html,
    urusan_table_html,
    wajib_mismatch,
)
from satudata.outputs.zone_view import colour, zone_cell, zone_label, zone_text, zone_view  # noqa: F401
from satudata.reference.settings import ZONE_ORDER, Settings

TEMPLATE_DIR = Path(__file__).parent / "nbtemplates"
TEMPLATE_NAME = "satudata"
# cells tagged so are shown in the executed notebook (for analysts) and left out of the HTML
NOTEBOOK_ONLY_TAG = "notebook-only"
TOC_PLACEHOLDER = '<nav id="daftar-isi" class="daftar-isi"></nav>'
# nbconvert may reorder the attributes of HTML outputs: find the placeholder by its id
_TOC_SLOT = re.compile(r'<nav\b[^>]*\bid="daftar-isi"[^>]*>\s*</nav>')


# --------------------------------------------------------------------------------- loading


@dataclass
class RoundData:
    """Everything the report of one round reads from ``processed/``."""

    putaran: str
    progres_opd: pd.DataFrame
    progres_urusan: pd.DataFrame
    progres_jenis: pd.DataFrame
    ringkasan: dict[str, Any]
    kekurangan: pd.DataFrame
    masalah: pd.DataFrame
    nilai: pd.DataFrame
    manifest: dict[str, Any]
    riwayat: pd.DataFrame
    folder: Path = field(default_factory=Path)


def load_round(data_dir: str | Path, putaran: str) -> RoundData:
    """Read the processed outputs of one round (contract in docs/architecture.md)."""
    putaran = check_round(putaran)
    root = Path(data_dir) / "processed"
    folder = root / putaran

    def need(name: str) -> Path:
        path = folder / name
        if not path.exists():
            raise FileNotFoundError(
                f"Berkas {path} tidak ada. Jalankan dulu tahap ingest dan progres untuk putaran "
                f"{putaran} (make round ROUND={putaran})."
            )
        return path

    riwayat_path = root / "riwayat_progres_opd.parquet"
    progres = pd.read_parquet(need("progres_opd.parquet"))
    riwayat = pd.read_parquet(riwayat_path) if riwayat_path.exists() else progres.copy()
    return RoundData(
        putaran=putaran,
        progres_opd=progres,
        progres_urusan=pd.read_parquet(need("progres_urusan.parquet")),
        progres_jenis=pd.read_parquet(need("progres_jenis.parquet")),
        ringkasan=json.loads(need("ringkasan.json").read_text(encoding="utf-8")),
        kekurangan=pd.read_parquet(need("kekurangan.parquet")),
        masalah=pd.read_parquet(need("masalah.parquet")),
        nilai=pd.read_parquet(need("nilai.parquet")),
        manifest=json.loads(need("manifest.json").read_text(encoding="utf-8")),
        riwayat=riwayat,
        folder=folder,
    )


def catalogue_items(reference_dir: str | Path, settings: Settings, processed_root: str | Path | None = None) -> pd.DataFrame:
    """The catalogue's items (one row per element, year and OPD owed), via ``satudata.reference.catalogue``.

    The register and catalogue come through the reference cache (:mod:`satudata.reference.reference_cache`,
    under ``processed_root``, by default the ``processed`` folder beside ``reference_dir``): the stages before
    have checked them already, and a catalogue of 600,000 rows took 40 s to check again."""
    from satudata.reference.reference_cache import cached_reference

    reference_dir = Path(reference_dir)
    root = Path(processed_root) if processed_root is not None else reference_dir.parent / "processed"
    _register, catalogue = cached_reference(reference_dir, settings, root)
    return catalogue.items()


# --------------------------------------------------------------------------------- numbers


def _round_text(value: object) -> str:
    return str(value)[:10]


def round_number(riwayat: pd.DataFrame, putaran: str) -> int:
    """The round's position (1-based) among the rounds of the history, the round included."""
    rounds = {_round_text(v) for v in riwayat.get("putaran", pd.Series(dtype=str)).dropna()}
    rounds.add(putaran)
    return sorted(rounds).index(putaran) + 1


@dataclass
class Summary:
    """Overall figures of one round and their change since the previous round."""

    dievaluasi: int
    tanpa_wajib: int
    wajib: int
    terpenuhi: int
    rata_rata: float | None
    gabungan: float | None
    zona: dict[str, int]
    putaran_sebelumnya: str | None = None
    rata_rata_sebelumnya: float | None = None
    gabungan_sebelumnya: float | None = None
    zona_sebelumnya: dict[str, int] | None = None
    arah: dict[str, int] = field(default_factory=dict)


def _overall(progres: pd.DataFrame) -> tuple[int, int, int, int, float | None, float | None]:
    persen = pd.to_numeric(progres["persen"], errors="coerce")
    wajib = pd.to_numeric(progres["wajib"], errors="coerce").fillna(0)
    terpenuhi = pd.to_numeric(progres["terpenuhi"], errors="coerce").fillna(0)
    evaluated = int(persen.notna().sum())
    total, done = int(wajib.sum()), int(terpenuhi.sum())
    mean = float(persen.mean()) if evaluated else None
    pooled = done / total * 100 if total else None
    return evaluated, len(progres) - evaluated, total, done, mean, pooled


def round_summary(progres: pd.DataFrame, riwayat: pd.DataFrame, putaran: str) -> Summary:
    """Producers evaluated, mean and pooled percent, zone counts, change since the previous round."""
    evaluated, without, total, done, mean, pooled = _overall(progres)
    summary = Summary(evaluated, without, total, done, mean, pooled, zone_counts(progres["zona"]))
    if "arah_zona" in progres:
        counts = progres["arah_zona"].value_counts()
        summary.arah = {k: int(counts.get(k, 0)) for k in ("naik", "tetap", "turun")}
    if "putaran" in riwayat and len(riwayat):
        rounds = riwayat["putaran"].map(_round_text)
        earlier = sorted({r for r in rounds if r < putaran})
        if earlier:
            before = riwayat[rounds == earlier[-1]]
            _, _, _, _, mean_b, pooled_b = _overall(before)
            summary.putaran_sebelumnya = earlier[-1]
            summary.rata_rata_sebelumnya = mean_b
            summary.gabungan_sebelumnya = pooled_b
            summary.zona_sebelumnya = zone_counts(before["zona"])
    return summary


def _change(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "–"
    return fmt.persen(now - before, sign=True) + " poin"


# --------------------------------------------------------------------------------- fragments


def header_html(settings: Settings, putaran: str, nomor: int, built_at: datetime,
                title: str = "Laporan Evaluasi Satu Data", toc: bool = True) -> str:
    """Letterhead, region, round number and date, build time, compiled by; then (``toc``) the
    table-of-contents placeholder (the report puts it after "Perlu perhatian" instead)."""
    head = render("kepala.html.j2", k=header_context(settings, putaran, nomor, built_at, title))
    return head + (TOC_PLACEHOLDER if toc else "")


def annex_link_html(putaran: str, data: Any = None) -> str:
    """The paragraph that leads to the round's technical annex (a relative link beside the report); given the
    round's ``data`` (:class:`RoundData`), also the annex's summary embedded (a report forwarded alone still holds
    it) and the links to the trend page, the deck, the feedback workbooks and the EPSS workbook beside it."""
    from satudata.outputs.annex import annex_name, annex_summary

    if data is None:
        return render("tautan-lampiran.html.j2", nama=annex_name(putaran), ringkasan=[], bahan=[])
    bahan = [{"label": "halaman tren antarputaran", "href": f"tren-{putaran}.html"},
             {"label": "salindia rakor", "href": f"rakor-{putaran}.pptx"},
             {"label": "umpan balik per OPD", "href": "umpan-balik/"},
             {"label": "bukti dukung EPSS", "href": f"bukti-dukung-epss-{putaran}.xlsx"}]  # fmt: skip
    return render("tautan-lampiran.html.j2", nama=annex_name(putaran), ringkasan=annex_summary(data), bahan=bahan)


def summary_html(summary: Summary, settings: Settings) -> str:
    """The headline (mean of the OPD percents, pooled beside it), one card per zone, the change."""
    zones = []
    for zone in ZONE_ORDER:
        before = summary.zona_sebelumnya.get(zone) if summary.zona_sebelumnya else None
        zones.append({"view": zone_view(settings, zone), "jumlah": summary.zona[zone],
                      "aturan": zone_rule(settings, zone), "sebelumnya": before})
    return render(
        "ringkasan.html.j2", s=summary, zones=zones,
        rata_rata=fmt.persen(summary.rata_rata), gabungan=fmt.persen(summary.gabungan),
        rata_rata_zona=zone_view(settings, zone_of(summary.rata_rata, settings.zones)),
        perubahan_rata=_change(summary.rata_rata, summary.rata_rata_sebelumnya),
        perubahan_gabungan=_change(summary.gabungan, summary.gabungan_sebelumnya),
        sebelumnya=fmt.tanggal(summary.putaran_sebelumnya) if summary.putaran_sebelumnya else None,
    )


def zone_rule(settings: Settings, zone: str) -> str:
    """The zone's rule in words: ``≥ 90 %``, ``≥ 50 % dan < 90 %``, ``< 50 %``."""
    z = settings.zones
    return {"hijau": f"≥ {fmt.angka(z.hijau)} %", "kuning": f"≥ {fmt.angka(z.kuning)} % dan < {fmt.angka(z.hijau)} %",
            "merah": f"< {fmt.angka(z.kuning)} %"}[zone]


MAX_ATTENTION = 30  # full lines of the "Perlu perhatian" block
MAX_ATTENTION_YELLOW = 60  # short entries of kuning OPDs with no other reason


def attention_html(progres: pd.DataFrame, riwayat: pd.DataFrame, putaran: str, settings: Settings,
                   facts: Any = None) -> str:
    """The "Perlu perhatian" block: the round facts' list of OPDs to act on (never sent, merah, kuning,
    stalled, falling) with the reason, the items to the next zone, the last submission and the action;
    the deadline, the next round and the region's forecast."""
    from satudata.outputs.attention import BOTH, FALLING, NEVER_SENT, RED, STALLED, YELLOW, attention

    found = attention(progres, riwayat, putaran, settings, facts)
    rows = [{"nama": i.nama_opd, "kode": i.kode_opd, "persen": i.facts.persen_teks,
             "zona": zone_view(settings, i.zona), "kurang": i.kurang, "wajib": i.wajib,
             "alasan": i.facts.alasan_teks, "ke_zona": i.facts.ke_zona_teks, "tindakan": i.facts.tindakan,
             "kirim": i.facts.kirim_terakhir_teks,
             "selisih": fmt.persen(i.selisih, sign=True) + " poin" if i.selisih is not None else "–"}
            for i in found.items]  # fmt: skip
    # a kuning OPD with no other reason is one short entry (name and items to hijau) after the full lines, so
    # the first screen holds who never sent, the merah, the stalled and the falling
    only_yellow = [r for r, i in zip(rows, found.items, strict=True) if i.alasan == (YELLOW,)]
    only_yellow.sort(key=lambda r: (to_hijau(r["ke_zona"]), r["nama"]))
    full = [r for r in rows if r not in only_yellow]
    # with hundreds of producers the block shows the first of each list (lowest first) and counts the rest, which
    # are all in "Progres per OPD": the first screen stays a first screen, the report grows with what it shows
    left_out = max(0, len(full) - MAX_ATTENTION) + max(0, len(only_yellow) - MAX_ATTENTION_YELLOW)
    return render("perhatian.html.j2", a=found, rows=full[:MAX_ATTENTION], semua=len(rows),
                  kuning_saja=only_yellow[:MAX_ATTENTION_YELLOW], lainnya=left_out, rata_rata=fmt.persen(found.rata_rata),
                  gabungan=fmt.persen(found.gabungan),
                  rata_rata_zona=zone_view(settings, zone_of(found.rata_rata, settings.zones)),
                  jumlah_belum_kirim=found.counts.get(NEVER_SENT, 0),
                  jumlah_merah=found.counts.get(RED, 0), jumlah_kuning=found.counts.get(YELLOW, 0),
                  jumlah_diam=found.counts.get(STALLED, 0),
                  jumlah_turun=found.counts.get(FALLING, 0), jumlah_keduanya=found.counts.get(BOTH, 0))


def to_hijau(text: str) -> int:
    """The items to hijau in ``kurang 3 butir ke hijau`` (0 when the text names none)."""
    found = re.search(r"(\d[\d.]*) butir ke hijau", text)
    return int(found.group(1).replace(".", "")) if found else 0


def composition_html(progres: pd.DataFrame, settings: Settings) -> str:
    """For each zone: its threshold, how many OPDs and their names (with percent)."""
    frame = sort_progres(progres)
    groups = []
    for zone in ZONE_ORDER:
        members = frame[frame["zona"] == zone]
        groups.append({"view": zone_view(settings, zone), "aturan": zone_rule(settings, zone),
                       "anggota": [f"{r.nama_opd} ({fmt.persen_zona(r.persen, settings.zones)} %)"
                                   for r in members.itertuples()]})
    rest = [str(n) for n in frame[frame["zona"].isna()]["nama_opd"]]
    return render("komposisi.html.j2", groups=groups, rest=rest)


def opd_table_html(progres: pd.DataFrame, settings: Settings, riwayat: pd.DataFrame | None = None,
                   kekurangan: pd.DataFrame | None = None, masalah: pd.DataFrame | None = None,
                   putaran: str | None = None, items: pd.DataFrame | None = None,
                   unduhan: list[dict[str, str]] | None = None, facts: Any = None) -> str:
    """The OPD list: one row per OPD (sortable, filterable by zona, jenis and urusan, searchable with
    scripts on), each opening a card with its history, pace and forecast, what it owes and its issues."""
    from satudata.outputs.opd_cards import opd_entries, urusan_of_opds

    putaran = putaran or (str(progres["putaran"].iloc[0])[:10] if "putaran" in progres and len(progres) else "")
    empty = pd.DataFrame(columns=["kode_opd", "tahun", "kode_elemen", "nama_elemen", "satuan"])
    entries = opd_entries(
        progres, riwayat if riwayat is not None else progres,
        kekurangan if kekurangan is not None else empty,
        masalah if masalah is not None else pd.DataFrame(), putaran, settings, urusan_of_opds(items), facts)
    jenis = sorted({e["jenis"] for e in entries if e["jenis"]})
    urusan = sorted({u for e in entries for u in e["urusan"]}, key=lambda kv: natural_key(kv[0]))
    return render("opd.html.j2", entries=entries, ada_sebelumnya=has_previous(progres), jenis=jenis,
                  urusan=urusan, zones=[zone_view(settings, z) for z in ZONE_ORDER],
                  unduhan=unduhan or [], tanpa_zona=any(e["zona"] is None for e in entries))


def has_previous(progres: pd.DataFrame) -> bool:
    """True when at least one OPD has a percent from a previous round (else this is the first round)."""
    for column in ("persen_sebelumnya", "zona_sebelumnya", "arah_zona"):
        if column in progres and progres[column].notna().any():
            return True
    return False


# --------------------------------------------------------------------------------- sections


def zone_chart_section(progres: pd.DataFrame, settings: Settings, putaran: str, png_path: str | Path) -> str:
    """The zone bar chart: saved as a 1920 x 1080 PNG and returned as an embedded figure. Past
    :data:`satudata.outputs.charts.MAX_ZONE_BARS` OPDs, the lowest (:func:`satudata.outputs.charts.zone_chart_shown`):
    450 bars in one picture are unreadable (and half a megabyte)."""
    from satudata.outputs import charts

    title = f"Progres Satu Data {settings.region}: {fmt.tanggal(putaran)}"
    caption = f"Juga tersimpan sebagai {Path(png_path).name}."
    shown, note = charts.zone_chart_shown(progres)
    if note:
        title = f"{note}: {fmt.tanggal(putaran)}"
        caption = f"Semua OPD ada di bagian Progres per OPD. {caption}"
    fig = charts.zone_bar_chart(shown, settings, title=title)
    data = charts.png_bytes(fig)
    Path(png_path).parent.mkdir(parents=True, exist_ok=True)
    Path(png_path).write_bytes(data)
    alt = f"Grafik batang persen butir terpenuhi untuk {len(shown)} OPD, diwarnai menurut zona"
    font = charts.zone_chart_font(len(shown))
    screen = charts.figure_html(fig, alt, caption=caption, data=data,
                                font_px=charts.label_px(font, fig.dpi), css="grafik-layar")  # fmt: skip
    phone = charts.zone_bar_chart_phone(shown, settings)
    small = charts.figure_html(phone, alt + " (digambar untuk layar ponsel)", data=charts.png_bytes(phone),
                               font_px=charts.label_px(charts.PHONE_FONT_PT, phone.dpi), css="grafik-ponsel")  # fmt: skip
    return screen + small


def load_items_or_none(reference_dir: str | Path, settings: Settings) -> pd.DataFrame | None:
    """Catalogue items, or None only while the catalogue module is not installed."""
    try:
        return catalogue_items(reference_dir, settings)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("satudata"):
            return None
        raise


# --------------------------------------------------------------------------------- conversion


class NotebookFailedError(RuntimeError):
    """The executed notebook holds an error: no report is written from it."""


def failed_cells(nb: Any) -> list[tuple[int, str]]:
    """(cell index, error text) of every cell whose outputs hold an error."""
    out = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                out.append((index, f"{output.get('ename', '')}: {output.get('evalue', '')}"))
    return out


_HEADING = re.compile(r"<h([23])\b[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def table_of_contents(body: str) -> str:
    """A ``<nav>`` listing every h2 (and h3 under it) that has an id, in document order."""
    # h3 entries are nested under their h2 (an unnumbered list), so the h2 numbering stays 1, 2, 3...
    entries: list[tuple[str, list[str]]] = []
    for level, anchor, inner in _HEADING.findall(body):
        text = html.unescape(_TAG.sub("", inner)).replace("¶", "").strip()
        if not text:
            continue
        link = f'<a href="#{anchor}">{html.escape(text)}</a>'
        if level == "3" and entries:
            entries[-1][1].append(f'<li class="toc-3">{link}</li>')
        else:
            entries.append((f'<li class="toc-{level}">{link}', []))
    items = "".join(head + (f'<ul>{"".join(sub)}</ul>' if sub else "") + "</li>" for head, sub in entries)
    return f'<nav id="daftar-isi" class="daftar-isi"><h2 class="toc-judul">Daftar isi</h2><ol>{items}</ol></nav>'


def insert_toc(body: str) -> str:
    """Fill the placeholder ``<nav id="daftar-isi">`` (else put the TOC at the start of ``<main>``)."""
    toc = table_of_contents(_TOC_SLOT.sub("", body))
    if _TOC_SLOT.search(body):
        return _TOC_SLOT.sub(lambda _m: toc, body, count=1)
    return body.replace("<main>", "<main>" + toc, 1)


_REFERENCE = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*([^"'\s>]+))|(?:url\(\s*["']?([^"')]+))|"""
    r"""(?:@import\s+["']([^"']+))""",
    re.I,
)


def external_references(body: str) -> list[str]:
    """Every ``src``/``href``/CSS ``url()``/``@import`` target that points to another host."""
    out = []
    for match in _REFERENCE.finditer(body):
        target = next(g for g in match.groups() if g is not None).strip()
        lowered = target.lower()
        if lowered.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:")):
            out.append(target)
    return out


def notebook_to_html(executed_notebook: Path, html_path: Path, title: str) -> Path:
    """nbconvert HTML with the project's template: no code, no prompts, offline, print CSS, TOC.

    Refuses (``NotebookFailedError``, nothing written) a notebook that holds an error output.
    Cell ids are renumbered and stderr streams dropped so that two builds differ only in what
    the notebook itself prints (its build time). Cells tagged ``notebook-only`` (analyst views:
    styled DataFrames, figures) stay in the notebook and are left out of the HTML. Raises
    ``ValueError`` if the page would load anything from another host.
    """
    import nbformat
    from nbconvert import HTMLExporter

    executed_notebook, html_path = Path(executed_notebook), Path(html_path)
    nb = nbformat.read(executed_notebook, as_version=4)
    failed = failed_cells(nb)
    if failed:
        where = "; ".join(f"sel {i}: {text}" for i, text in failed)
        raise NotebookFailedError(
            f"Buku catatan Jupyter {executed_notebook} berisi galat ({where}); laporan HTML tidak dibuat. "
            "Perbaiki penyebabnya lalu jalankan ulang putaran."
        )
    nb.cells = [c for c in nb.cells if NOTEBOOK_ONLY_TAG not in c.get("metadata", {}).get("tags", [])]
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"sel-{index}"
        if "outputs" in cell:
            cell["outputs"] = [o for o in cell["outputs"]
                               if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    # a date in the title is written the Indonesian way (``Laporan ... 27 Agustus 2020``), never ISO
    title = re.sub(r"\b(\d{4}-\d{2}-\d{2})\b", lambda m: fmt.tanggal_pendek(m.group(1)), title)
    nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.language_code = "id"
    body, _resources = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = insert_toc(body)
    external = external_references(body)
    if external:
        raise ValueError(f"Laporan {html_path} akan memuat sumber dari luar: {external[:5]}.")
    html_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = html_path.with_name(html_path.name + ".tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, html_path)
    return html_path
