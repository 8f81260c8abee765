"""A local CKAN portal for tests: recorded Action API answers served on 127.0.0.1 (port 0) from a thread.

The answers are shaped as CKAN documents them (``{"help": ..., "success": true, "result": ...}``;
``package_search`` gives ``count`` and ``results`` with ``metadata_modified``, ``organization`` and
``resources`` with ``name``, ``format``, ``url``). Two organisations of a small Demak-like catalogue:
``dinas-kesehatan`` (3 datasets: two pages at ``rows=2``) and ``dinas-pendidikan`` (1 dataset). Resource
files are served under ``/files/``. Every request is logged (path, query, headers).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HELP = "http://127.0.0.1/api/3/action/help_show?name={}"
ORGS = {"dinas-kesehatan": "Dinas Kesehatan", "dinas-pendidikan": "Dinas Pendidikan"}

# the values the portal's resource files hold (Uraian, Satuan, years), in the OPD template's shape
PUSKESMAS_CSV = "Uraian,Satuan,2021,2022,2023\nJumlah puskesmas,Unit,27,27,29\n"
SEKOLAH_CSV = "Uraian,Satuan,2021,2022\nJumlah sekolah dasar,Unit,412,410\n"


def _org(slug: str) -> dict:
    return {"id": f"org-{slug}", "name": slug, "title": ORGS[slug], "type": "organization", "state": "active",
            "is_organization": True, "approval_status": "approved"}  # fmt: skip


def packages(base: str) -> dict[str, list[dict]]:
    """The datasets per organisation (resource URLs on ``base``)."""
    def pkg(name, title, slug, modified, resources, extras=()):
        return {"id": f"id-{name}", "name": name, "title": title, "type": "dataset", "private": False,
                "state": "active", "metadata_modified": modified, "metadata_created": "2023-01-05T08:00:00",
                "organization": _org(slug), "owner_org": f"org-{slug}", "num_resources": len(resources),
                "extras": [{"key": k, "value": v} for k, v in extras],
                "resources": [{"id": rid, "name": rname, "format": fmt, "url": url, "package_id": f"id-{name}"}
                              for rid, rname, fmt, url in resources]}  # fmt: skip

    return {
        "dinas-kesehatan": [
            pkg("daftar-rumah-sakit-swasta", "Daftar Rumah Sakit Swasta", "dinas-kesehatan", "2024-02-01T09:00:00",
                [("res-rs", "Daftar rumah sakit swasta", "PDF", f"{base}/files/rs.pdf")]),
            pkg("jumlah-puskesmas", "Jumlah Puskesmas di Kabupaten Demak", "dinas-kesehatan", "2024-03-04T10:20:30",
                [("res-puskesmas", "Jumlah Puskesmas 2021-2023", "CSV", f"{base}/files/puskesmas.csv")],
                [("kode_elemen", "1.02.0001"), ("tahun_data", "2021 - 2023")]),
            pkg("jumlah-tenaga-kesehatan", "Jumlah Tenaga Kesehatan", "dinas-kesehatan", "2024-01-15T07:00:00",
                [("res-nakes", "Jumlah Tenaga Kesehatan 2022", "XLSX", f"{base}/files/nakes-tidak-ada.xlsx")]),
        ],
        "dinas-pendidikan": [
            pkg("jumlah-sekolah-dasar", "Jumlah Sekolah Dasar", "dinas-pendidikan", "2024-03-01T00:00:00",
                [("res-sd", "Jumlah SD 2021-2022", "CSV", f"{base}/files/sekolah.csv")]),
        ],
    }


def answer(action: str, result: object) -> bytes:
    return json.dumps({"help": HELP.format(action), "success": True, "result": result}).encode("utf-8")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a client that gave up (timeout test): not an error here
        pass


class FakeCkan:
    """The server; ``fail_first``: paths answered 500 the first time; ``slow_first``: answered late the first
    time."""

    def __init__(self, fail_first: set[str] | None = None, slow_first: set[str] | None = None,
                 hostile: dict | None = None) -> None:  # fmt: skip
        self.log: list[dict] = []
        # path -> a function (handler, query) that writes the whole answer itself (see the hostile_* helpers)
        self.hostile = dict(hostile or {})
        self.fail_first = set(fail_first or ())
        self.slow_first = set(slow_first or ())  # answered after 1.5 s the first time (a client timeout)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802 - the http.server API
                parsed = urllib.parse.urlparse(self.path)
                query = {k: v[0] for k, v in urllib.parse.parse_qs(parsed.query).items()}
                server.log.append({"path": parsed.path, "query": query, "headers": dict(self.headers)})
                if parsed.path in server.hostile:
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                        server.hostile[parsed.path](self, query)
                    return
                status, body, kind = server.route(parsed.path, query)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def route(self, path: str, query: dict) -> tuple[int, bytes, str]:
        if path in self.slow_first:
            self.slow_first.discard(path)
            time.sleep(1.5)
        if path in self.fail_first:
            self.fail_first.discard(path)
            return 500, b'{"success": false, "error": {"message": "Internal Server Error"}}', "application/json"
        data = packages(self.url)
        if path == "/api/3/action/organization_list":
            return 200, answer("organization_list", sorted(ORGS)), "application/json"
        if path == "/api/3/action/package_search":
            slug = query.get("fq", "").removeprefix("organization:")
            if slug not in data:
                return 200, answer("package_search", {"count": 0, "results": [], "facets": {}, "search_facets": {}}), \
                    "application/json"  # fmt: skip
            rows, start = int(query.get("rows", 10)), int(query.get("start", 0))
            found = data[slug]
            return 200, answer("package_search", {"count": len(found), "sort": "name asc", "facets": {},
                                                  "results": found[start : start + rows], "search_facets": {}}), \
                "application/json"  # fmt: skip
        if path == "/files/puskesmas.csv":
            return 200, PUSKESMAS_CSV.encode("utf-8"), "text/csv"
        if path == "/files/sekolah.csv":
            return 200, SEKOLAH_CSV.encode("utf-8"), "text/csv"
        return 404, json.dumps({"help": "", "success": False, "error": {"message": "Not found",
                                                                        "__type": "Not Found Error"}}).encode(), \
            "application/json"  # fmt: skip

    def __enter__(self) -> FakeCkan:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.httpd.shutdown()
        self.httpd.server_close()

    def actions(self) -> list[tuple[str, dict]]:
        return [(e["path"].rsplit("/", 1)[-1], e["query"]) for e in self.log if e["path"].startswith("/api/")]


# --- a hostile portal: answers written by hand -------------------------------------------------------------


def _head(handler, status: int, headers: dict[str, str]) -> None:
    handler.send_response(status)
    for k, v in headers.items():
        handler.send_header(k, v)
    handler.end_headers()


def redirect_to(location: str):
    """Answer 302 to ``location`` (another host, port or path)."""
    def write(handler, query):
        _head(handler, 302, {"Location": location, "Content-Length": "0"})
    return write


def trickle(body: bytes, pause: float):
    """Send ``body`` one byte at a time, ``pause`` seconds apart (a portal that never quite answers)."""
    def write(handler, query):
        _head(handler, 200, {"Content-Type": "application/json", "Content-Length": str(len(body))})
        for i in range(len(body)):
            handler.wfile.write(body[i : i + 1])
            handler.wfile.flush()
            time.sleep(pause)
    return write


def trickle_headers(body: bytes, pause: float, padding: int = 200):
    """Send the status line and headers one byte at a time, ``pause`` seconds apart (each byte well within a read
    timeout, the whole far beyond it), then ``body`` at once."""
    def write(handler, query):
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Isi: {'a' * padding}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode("ascii")  # fmt: skip
        for i in range(len(head)):
            handler.wfile.write(head[i : i + 1])
            handler.wfile.flush()
            time.sleep(pause)
        handler.wfile.write(body)
        handler.close_connection = True
    return write


def truncated(body: bytes, declared: int):
    """Declare ``declared`` bytes (Content-Length) and send only ``body``, then close."""
    def write(handler, query):
        _head(handler, 200, {"Content-Type": "text/csv", "Content-Length": str(declared)})
        handler.wfile.write(body)
        handler.wfile.flush()
        handler.close_connection = True
    return write


def raw_answer(body: bytes, kind: str = "application/json", length: bool = True):
    """``body`` as it is (with or without a Content-Length)."""
    def write(handler, query):
        _head(handler, 200, {"Content-Type": kind, **({"Content-Length": str(len(body))} if length else {})})
        handler.wfile.write(body)
        handler.close_connection = True
    return write


def endless_pages():
    """package_search that claims a billion datasets and always has one more page."""
    def write(handler, query):
        start = int(query.get("start", 0))
        result = {"count": 10**9, "results": [{"id": f"id-{start}", "name": f"dataset-{start:09d}", "title": "x",
                                               "resources": []}]}  # fmt: skip
        raw_answer(answer("package_search", result))(handler, query)
    return write
