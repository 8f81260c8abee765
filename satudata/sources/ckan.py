"""A CKAN open-data portal: its datasets fetched once per round into a snapshot, read offline ever after.

The client speaks the CKAN Action API (``GET <url>/api/3/action/<action>``, answers shaped
``{"help": ..., "success": true, "result": ...}``):

* ``organization_list`` (the organisations' slugs) when the settings name none;
* ``package_search`` per organisation, ``fq=organization:<slug>``, paged with ``rows``/``start`` until
  ``result.count`` datasets are read;
* the resource files (CSV, XLSX, XLS, ODS) of every dataset when ``unduh_berkas`` is on, so the values they
  hold can be reconciled.

It is polite (``jeda_detik`` between requests), retries a 5xx answer or a timeout ``percobaan_ulang`` times
with a doubling pause, and sends the API token (``Authorization`` header) read from the environment
variable named by ``token_env`` (never from the settings, never written to the snapshot, never sent to a
resource on another host); with a token, ``package_search`` asks for private datasets too.

**Snapshot** (:func:`fetch_snapshot`): every answer is stored as received (bytes) under
``data/raw/<round>/portal/<nama>/`` with an index ``snapshot.json`` (files in request order, the request
without the token, time of download). It is built in a hidden folder and moved into place when complete,
so an interrupted download leaves no half snapshot. When the snapshot exists the network is never used
(:func:`load_snapshot`): a round rebuilds offline, byte for byte.

A ``ckanapi dump datasets`` file (one dataset per JSON line) is read by :func:`read_dump`; both give the same
package dicts, and :func:`packages_inventory` turns them into the inventory frame of
:func:`satudata.sources.portal.portal_completeness` (``produsen`` = the organisation's title).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from satudata.formats.read_limits import ReadLimits
from satudata.reference.settings import SourceSettings

SNAPSHOT_INDEX = "snapshot.json"
RESOURCE_FOLDER = "berkas"
RESOURCE_FORMATS = {"csv": ".csv", "xlsx": ".xlsx", "xls": ".xls", "ods": ".ods"}
MAX_RESOURCE_BYTES = 50 * 1024 * 1024


class CkanError(RuntimeError):
    """A portal that cannot be read: the message (Bahasa Indonesia) says what and what to do."""


@dataclass
class Response:
    """One answer as received: the request (without the token) and its bytes."""

    action: str
    params: dict[str, str]
    body: bytes


class CkanClient:
    """The CKAN Action API of one portal (``base_url`` without ``/api/3``), fetched through
    :class:`satudata.sources.careful_http.CarefulHttp` (the token only to the portal's own origin, timeouts and
    deadlines, answers bounded in size and checked against their ``Content-Length``)."""

    def __init__(self, base_url: str, token: str | None = None, delay: float = 1.0, retries: int = 3,
                 timeout: float = 30.0, sleep: Callable[[float], None] = time.sleep, *,
                 max_pages: int = 1000, max_organisations: int = 1000, max_bytes: int = MAX_RESOURCE_BYTES,
                 total_seconds: float = 3600.0) -> None:  # fmt: skip
        from satudata.sources.careful_http import CarefulHttp

        self.base_url = base_url.rstrip("/")
        self.token = token
        self.delay = delay
        self.retries = retries
        self.timeout = timeout
        self.sleep = sleep
        self.max_pages = max_pages
        self.max_organisations = max_organisations
        self.http = CarefulHttp(self.base_url, token, timeout, total_seconds, max_bytes)
        self.requests = 0  # requests sent, retries included
        self._last: float | None = None

    def _open(self, url: str) -> bytes:
        from satudata.sources.careful_http import HttpFailure

        for attempt in range(self.retries + 1):
            if self._last is not None and self.delay:
                wait = self.delay - (time.monotonic() - self._last)
                if wait > 0:
                    self.sleep(wait)
            self.requests += 1
            try:
                body = self.http.get(url)
                self._last = time.monotonic()
                return body
            except HttpFailure as exc:
                self._last = time.monotonic()
                if exc.status is not None and (exc.status < 500 or attempt == self.retries):
                    raise CkanError(_http_message(url, exc.status, exc.body)) from None
                if not exc.retry:
                    raise CkanError(f"Portal {self.base_url}: {exc}") from None
                if attempt == self.retries:
                    raise CkanError(f"Portal {self.base_url} tidak dapat dibaca ({exc}) setelah "
                                    f"{self.retries + 1} percobaan. Periksa url dan jaringan, lalu ulangi.") from None  # fmt: skip
            self.sleep(max(self.delay, 0.5) * 2**attempt)  # backoff: 1x, 2x, 4x the pause
        raise AssertionError("unreachable")

    def action_url(self, action: str, params: Mapping[str, str | int]) -> str:
        query = urllib.parse.urlencode({k: str(v) for k, v in params.items()})
        return f"{self.base_url}/api/3/action/{action}" + (f"?{query}" if query else "")

    def call(self, action: str, **params: str | int) -> tuple[object, Response]:
        """The ``result`` of an action and the answer as received; :class:`CkanError` when it failed."""
        body = self._open(self.action_url(action, params))
        result = parse_answer(body, f"{self.base_url} {action}")
        return result, Response(action, {k: str(v) for k, v in params.items()}, body)

    def organization_list(self) -> tuple[list[str], Response]:
        """The slugs of every organisation of the portal (at most ``max_organisations``)."""
        result, response = self.call("organization_list")
        if not isinstance(result, list):
            raise CkanError(f"Jawaban organization_list dari {self.base_url} bukan daftar organisasi.")
        if len(result) > self.max_organisations:
            raise CkanError(f"Portal {self.base_url} mendaftar {len(result)} organisasi, lebih dari maks_organisasi "
                            f"= {self.max_organisations}. Tulis organisasi yang dipakai di organisasi = [...] atau "
                            "naikkan maks_organisasi.")  # fmt: skip
        return [str(r) for r in result], response

    def package_search(self, organisation: str, rows: int = 100) -> tuple[list[dict], list[Response]]:
        """Every dataset of one organisation (``fq=organization:<slug>``), page by page (at most ``max_pages``)."""
        packages: list[dict] = []
        responses = []
        start = 0
        while True:
            if len(responses) >= self.max_pages:
                raise CkanError(f"Portal {self.base_url}, organisasi {organisation}: lebih dari {self.max_pages} "
                                "halaman package_search (maks_halaman); pengunduhan dihentikan. Periksa portalnya "
                                "atau naikkan maks_halaman.")  # fmt: skip
            extra = {"include_private": "true"} if self.token else {}  # a token may see the private datasets
            result, response = self.call("package_search", fq=f"organization:{organisation}", rows=rows,
                                         start=start, sort="name asc", **extra)  # fmt: skip
            responses.append(response)
            page = _results(result, self.base_url)
            count = _count(result, self.base_url)
            packages += page
            start += rows
            if not page or start >= count:
                return packages, responses

    def download(self, url: str) -> bytes:
        """A resource file (sent with the same politeness, retries and limits; the token only to the portal)."""
        return self._open(url)


def _http_message(url: str, status: int, body: bytes) -> str:
    detail = ""
    with contextlib.suppress(ValueError, AttributeError, RecursionError):
        detail = json.loads(body.decode("utf-8", "replace")).get("error", {}).get("message", "")
    hint = {401: "token API ditolak: periksa variabel lingkungan token_env", 403: "akses ditolak: token API "
            "tidak berhak", 404: "alamat atau organisasi tidak ada: periksa url dan organisasi"}.get(status, "")  # fmt: skip
    return f"Portal menjawab {status} untuk {url.split('?')[0]}" + (f" ({str(detail)[:300]})" if detail else "") + (
        f": {hint}." if hint else ".")


def _count(result: dict, where: str) -> int:
    count = result.get("count", 0)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise CkanError(f"Jawaban package_search dari {where}: count = {str(count)[:40]!r} bukan bilangan bulat "
                        "tidak negatif; jawaban portal rusak.")  # fmt: skip
    return count


def parse_answer(body: bytes, where: str) -> object:
    """The ``result`` of a CKAN answer (``success`` true), else :class:`CkanError` naming ``where``."""
    try:
        answer = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise CkanError(f"Jawaban {where} bukan JSON CKAN (mungkin halaman HTML). Periksa url portal.") from None
    except RecursionError:
        raise CkanError(f"Jawaban {where} bersarang terlalu dalam untuk dibaca; jawaban portal rusak.") from None
    if not isinstance(answer, dict) or answer.get("success") is not True or "result" not in answer:
        error = answer.get("error") if isinstance(answer, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        raise CkanError(f"Jawaban {where} tidak berhasil" + (f": {message}" if message else "") + ".")
    return answer["result"]


def _results(result: object, where: str) -> list[dict]:
    if not isinstance(result, dict) or not isinstance(result.get("results"), list):
        raise CkanError(f"Jawaban package_search dari {where} tidak berisi result.results.")
    return [r for r in result["results"] if isinstance(r, dict)]


# --- snapshot ---------------------------------------------------------------------------------------------


def snapshot_folder(round_raw: str | Path, source: SourceSettings) -> Path:
    """``data/raw/<round>/portal/<nama>/``."""
    return Path(round_raw) / "portal" / source.name


def has_snapshot(folder: str | Path) -> bool:
    return (Path(folder) / SNAPSHOT_INDEX).is_file()


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)[:80].strip(".") or "x"


def client_for(source: SourceSettings, environ: Mapping[str, str] | None = None,
               sleep: Callable[[float], None] = time.sleep) -> CkanClient:  # fmt: skip
    """The client of a ``ckan`` source; the token from the environment variable ``token_env`` names."""
    environ = os.environ if environ is None else environ
    token = None
    if source.token_env:
        token = environ.get(source.token_env) or None
        if token is None:
            raise CkanError(f"Sumber {source.name}: variabel lingkungan {source.token_env} (token_env) kosong. "
                            f"Isi dengan token API portal (export {source.token_env}=...) atau hapus token_env.")  # fmt: skip
    if not source.url:
        raise CkanError(f"Sumber {source.name}: url portal belum diisi di [sumber.{source.name}].")
    return CkanClient(source.url, token, source.delay, source.retries, source.timeout, sleep,
                      max_pages=source.max_pages, max_organisations=source.max_organisations,
                      max_bytes=int(source.max_mb * 2**20), total_seconds=source.total_seconds)  # fmt: skip


def fetch_snapshot(source: SourceSettings, folder: str | Path, client: CkanClient | None = None,
                   now: datetime | None = None) -> Path:  # fmt: skip
    """The snapshot of a ``ckan`` source in ``folder``: when it exists, nothing is requested; else every answer
    is fetched and stored (see the module docstring). Returns the folder."""
    folder = Path(folder)
    if has_snapshot(folder):
        return folder
    client = client or client_for(source)
    folder.parent.mkdir(parents=True, exist_ok=True)
    for left in folder.parent.glob(f".{folder.name}.unduh-*"):  # left by a download that was killed
        shutil.rmtree(left, ignore_errors=True)
    work = folder.parent / f".{folder.name}.unduh-{os.getpid()}"
    work.mkdir()
    try:
        _fetch_into(work, folder, source, client, now)
    except CkanError:
        raise
    except (RecursionError, ValueError, TypeError, KeyError, AttributeError) as exc:  # a malformed answer
        raise CkanError(f"Portal {client.base_url}: jawaban tidak dapat dipakai ({type(exc).__name__}); "
                        "snapshot tidak dibuat.") from None  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


def _fetch_into(work: Path, folder: Path, source: SourceSettings, client: CkanClient, now: datetime | None) -> None:
    files: list[dict] = []

    def keep(response: Response) -> None:
        name = f"{len(files) + 1:04d}-{response.action}.json"
        (work / name).write_bytes(response.body)
        files.append({"berkas": name, "aksi": response.action, "parameter": response.params})

    organisations = list(source.organisations)
    if not organisations:
        organisations, response = client.organization_list()
        keep(response)
    packages: list[dict] = []
    for slug in organisations:
        found, responses = client.package_search(slug, source.rows)
        for response in responses:
            keep(response)
        packages += found
    resources: dict[str, str] = {}
    failed: dict[str, str] = {}
    if source.resources:
        for resource in dataset_resources(packages):
            ext = RESOURCE_FORMATS.get(str(resource.get("format") or "").strip().lower().lstrip("."))
            url = str(resource.get("url") or "")
            if ext is None or not url.startswith(("http://", "https://")):
                continue
            name = f"{RESOURCE_FOLDER}/{_safe(str(resource.get('id') or len(resources)))}{ext}"
            (work / RESOURCE_FOLDER).mkdir(exist_ok=True)
            try:
                (work / name).write_bytes(client.download(url))
            except CkanError as exc:  # one missing file: noted in the index, the snapshot goes on
                failed[str(resource.get("id"))] = str(exc)
                continue
            resources[str(resource.get("id"))] = name
    index = {"sumber": source.name, "url": client.base_url, "organisasi": organisations,
             "diunduh": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
             "jawaban": files, "berkas_sumber_daya": resources,
             "berkas_gagal": failed}  # fmt: skip
    (work / SNAPSHOT_INDEX).write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if folder.exists():  # an incomplete folder left by hand: replaced
        shutil.rmtree(folder)
    os.replace(work, folder)


@dataclass
class Snapshot:
    """A snapshot read back: the datasets, the resource files kept ({resource id: path}), its index, and the
    entries of the index that were left out, each with why (Bahasa Indonesia)."""

    folder: Path
    packages: list[dict]
    resources: dict[str, Path]
    index: dict
    problems: list[str] = field(default_factory=list)


def inside(folder: Path, name: object) -> Path | None:
    """``folder / name`` when ``name`` is a relative name that stays inside ``folder`` once resolved (links
    followed); None otherwise (absolute, ``..``, a link out, not text)."""
    if not isinstance(name, str) or not name or "\x00" in name or Path(name).is_absolute():
        return None
    root = folder.resolve()
    path = (folder / name).resolve()
    return path if path != root and path.is_relative_to(root) else None


def load_snapshot(folder: str | Path) -> Snapshot:
    """The datasets of a snapshot, from its stored answers only (never the network). Every name in
    ``snapshot.json`` is checked to stay inside the snapshot folder; an entry that does not, or whose file is
    missing or not a CKAN answer, is left out and named in ``problems``."""
    folder = Path(folder)
    if not has_snapshot(folder):
        raise CkanError(f"Snapshot portal {folder} belum ada. Jalankan `satudata sumber --putaran <putaran> --unduh` "
                        "untuk mengunduhnya sekali.")  # fmt: skip
    try:
        index = json.loads((folder / SNAPSHOT_INDEX).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise CkanError(f"{SNAPSHOT_INDEX} di snapshot {folder.name} bukan JSON yang dapat dibaca; hapus folder "
                        "snapshot itu dan unduh ulang.") from None  # fmt: skip
    if not isinstance(index, dict):
        raise CkanError(f"{SNAPSHOT_INDEX} di snapshot {folder.name} bukan objek JSON; hapus folder snapshot itu "
                        "dan unduh ulang.")  # fmt: skip
    where = f"Snapshot {folder.name} ({SNAPSHOT_INDEX})"
    outside = "menunjuk ke luar folder snapshot (nama mutlak, '..' atau tautan); entri ini tidak dibaca"
    problems: list[str] = []
    packages: list[dict] = []
    answers = index.get("jawaban")
    for number, entry in enumerate(answers if isinstance(answers, list) else [], start=1):
        if not isinstance(entry, dict) or entry.get("aksi") != "package_search":
            continue
        name = entry.get("berkas")
        path = inside(folder, name)
        if path is None:
            problems.append(f"{where}: jawaban ke-{number} berkas = {str(name)[:200]!r} {outside}.")
            continue
        try:
            packages += _results(parse_answer(path.read_bytes(), f"{folder.name}/{name}"), f"{folder.name}/{name}")
        except (CkanError, OSError) as exc:
            problems.append(f"{where}: jawaban ke-{number} berkas = {str(name)[:200]!r} tidak dapat dibaca "
                            f"({exc}); entri ini tidak dibaca.")  # fmt: skip
    resources: dict[str, Path] = {}
    kept = index.get("berkas_sumber_daya")
    for rid, name in sorted((kept if isinstance(kept, dict) else {}).items()):
        path = inside(folder, name)
        if path is None:
            problems.append(f"{where}: berkas sumber daya {str(rid)[:100]} = {str(name)[:200]!r} {outside}.")
        elif path.is_file():
            resources[str(rid)] = folder / Path(name)
    return Snapshot(folder, _unique(packages), resources, index, problems)


def read_dump(path: str | Path, limits: ReadLimits | None = None) -> list[dict]:
    """A ``ckanapi dump datasets`` file: one dataset (JSON object) per line; a bad line raises ValueError. Every
    dataset is kept in memory, so the file is bounded like a CSV (``max_text_bytes`` of ``limits``, the settings'
    ``[batas]``): past it, ``ReadError`` (``berkas_terlalu_besar``) before a line is parsed."""
    from satudata.formats.read_limits import past_size
    from satudata.sources.source_files import SIZE_FIX

    path = Path(path)
    if (error := past_size(path.name, path.stat().st_size, limits, text=True, fix=SIZE_FIX)) is not None:
        raise error
    packages = []
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                package = json.loads(line)
            except ValueError:
                raise ValueError(f"Berkas {path.name}, baris {number}: bukan JSON. Berkas ckanapi dump berisi "
                                 "satu dataset JSON per baris.") from None  # fmt: skip
            if not isinstance(package, dict):
                raise ValueError(f"Berkas {path.name}, baris {number}: bukan objek dataset CKAN.")
            packages.append(package)
    return _unique(packages)


def dump_inventory(path: str | Path, limits: ReadLimits | None = None) -> pd.DataFrame:
    """The datasets of a ``ckanapi dump datasets`` file (:func:`read_dump`) as a portal inventory."""
    return packages_inventory(read_dump(path, limits))


def _unique(packages: list[dict]) -> list[dict]:
    """Datasets once each (by id, else name), sorted by name: paging and dumps give the same order."""
    seen: dict[str, dict] = {}
    for p in packages:
        seen.setdefault(str(p.get("id") or p.get("name")), p)
    return sorted(seen.values(), key=lambda p: (str(p.get("name") or ""), str(p.get("id") or "")))


def dataset_resources(packages: list[dict]) -> list[dict]:
    """Every resource of the datasets, with ``package_name`` and ``organisasi`` (the organisation's title)."""
    out = []
    for p in packages:
        for r in p.get("resources") or []:
            if isinstance(r, dict):
                out.append({**r, "package_name": p.get("name"), "organisasi": organisation_title(p)})
    return out


def organisation_title(package: dict) -> str:
    org = package.get("organization") or {}
    return str(org.get("title") or org.get("name") or "") if isinstance(org, dict) else ""


_YEARS_KEY = re.compile(r"tahun|periode|year", re.IGNORECASE)
_CODE_KEYS = ("kode_elemen", "kode_dssd", "kode_indikator")


def _extras(package: dict) -> dict[str, str]:
    out = {}
    for e in package.get("extras") or []:
        if isinstance(e, dict) and e.get("key"):
            out[str(e["key"])] = str(e.get("value") or "")
    return out


def packages_inventory(packages: list[dict], base_url: str | None = None) -> pd.DataFrame:
    """Datasets as the inventory frame of :func:`satudata.sources.portal.portal_completeness`: ``baris`` (1-based
    position), ``produsen`` (organisation title), ``judul_tabel``, ``tahun_data`` (an extra naming years, else the
    years of the title and of the resources' names), ``status_data``, ``tautan``, ``kode_elemen`` (an extra
    ``kode_elemen``/``kode_dssd``), ``tahun`` and ``tanggal_terbit`` (``metadata_modified``)."""
    from satudata.sources.portal import parse_years

    rows = []
    for i, p in enumerate(packages, start=1):
        extras = _extras(p)
        years_text = next((v for k, v in extras.items() if _YEARS_KEY.search(k) and parse_years(v)), "")
        if not years_text:
            names = [str(p.get("title") or "")] + [str(r.get("name") or "") for r in p.get("resources") or []
                                                   if isinstance(r, dict)]  # fmt: skip
            years = sorted({y for n in names for y in parse_years(n)})
            years_text = ", ".join(map(str, years))
        code = next((extras[k].strip() for k in _CODE_KEYS if extras.get(k, "").strip()), "")
        link = f"{base_url.rstrip('/')}/dataset/{p.get('name')}" if base_url and p.get("name") else str(p.get("url") or "")
        rows.append({"baris": i, "produsen": " ".join(organisation_title(p).split()),
                     "judul_tabel": " ".join(str(p.get("title") or p.get("name") or "").split()),
                     "tahun_data": years_text, "status_data": "private" if p.get("private") else "public",
                     "tautan": link, "kode_elemen": code, "tahun": parse_years(years_text),
                     "tanggal_terbit": str(p.get("metadata_modified") or "")[:10] or None})  # fmt: skip
    columns = ["baris", "produsen", "judul_tabel", "tahun_data", "status_data", "tautan", "kode_elemen", "tahun",
               "tanggal_terbit"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
