"""GET over HTTP as a careful client: a portal is a stranger's server.

* **The token only to its own origin.** ``Authorization`` is sent only to the portal's own scheme, host and
  port (``origin``). Redirects are followed here, one hop at a time (at most :data:`MAX_REDIRECTS`), and each
  hop decides again: a redirect to any other scheme, host or port never sees the token (urllib used to copy
  it onto every redirect).
* **Time.** Connecting and every read have a timeout, and the whole answer (redirects, headers and body) a
  deadline of ``timeout`` seconds: a server sending a byte a second is cut off at the deadline, in its headers
  as in its body. A read timeout bounds each read, not the headers as a whole (a status line and headers sent a
  byte at a time never trip it), so while the headers are read a watchdog shuts the connection down at the
  deadline (:func:`_watched_adapter`). A source as a whole has a deadline too (``total_seconds`` from its first
  request).
* **Size.** An answer larger than ``max_bytes`` (declared or received) is refused before it is kept; a body
  shorter than its ``Content-Length`` is refused as truncated, never kept as complete.

Every failure is a :class:`HttpFailure` with a message in Bahasa Indonesia; ``retry`` says whether asking
again may help (a timeout, a dropped or truncated answer, a 5xx).
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable

MAX_REDIRECTS = 5
USER_AGENT = "satudata (evaluasi Satu Data; +https://github.com/)"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_CHUNK = 64 * 1024


class HttpFailure(RuntimeError):
    """A GET that did not give a complete answer (message in Bahasa Indonesia)."""

    def __init__(self, message: str, retry: bool = False, status: int | None = None, body: bytes = b"") -> None:
        super().__init__(message)
        self.retry = retry
        self.status = status
        self.body = body


def origin(url: str) -> tuple[str, str, int | None]:
    """``(scheme, host, port)`` of ``url``, the port filled in for http and https."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = -1
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


# the moment (time.monotonic) by which the headers of the answer being read must have arrived
_HEADERS_BY: contextvars.ContextVar[float | None] = contextvars.ContextVar("satudata_headers_by", default=None)


def _watched_adapter():
    """A requests transport adapter whose connections read an answer's status line and headers under a
    watchdog: at the moment in :data:`_HEADERS_BY` the connection's socket is shut down, so the read ends
    however slowly the server trickles (requests' read timeout applies to each read only)."""
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class Watched:
        def getresponse(self, *args, **kwargs):
            by = _HEADERS_BY.get()
            timer = None
            if by is not None:
                timer = threading.Timer(max(by - time.monotonic(), 0.0), self._cut_off)
                timer.daemon = True
                timer.start()
            try:
                return super().getresponse(*args, **kwargs)
            finally:
                if timer is not None:
                    timer.cancel()

        def _cut_off(self) -> None:
            sock = getattr(self, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    class WatchedHttp(Watched, HTTPConnection):
        pass

    class WatchedHttps(Watched, HTTPSConnection):
        pass

    class HttpPool(HTTPConnectionPool):
        ConnectionCls = WatchedHttp

    class HttpsPool(HTTPSConnectionPool):
        ConnectionCls = WatchedHttps

    class WatchedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": HttpPool, "https": HttpsPool}

    return WatchedAdapter()


def _short(url: str) -> str:
    return url.split("?")[0]


class CarefulHttp:
    """GETs for one source: ``base_url``'s origin gets the ``token``; ``timeout`` seconds per answer,
    ``total_seconds`` for the whole source, ``max_bytes`` per answer."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 30.0,
                 total_seconds: float = 3600.0, max_bytes: int = 50 * 1024 * 1024,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        import requests

        self.origin = origin(base_url)
        self.token = token
        self.timeout = timeout
        self.total_seconds = total_seconds
        self.max_bytes = max_bytes
        self.clock = clock
        self.started: float | None = None
        self.session = requests.Session()
        self.session.max_redirects = MAX_REDIRECTS
        adapter = _watched_adapter()
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def headers_for(self, url: str) -> dict[str, str]:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json, */*", "Accept-Encoding": "identity"}
        if self.token and origin(url) == self.origin:
            headers["Authorization"] = self.token
        return headers

    def get(self, url: str) -> bytes:
        """The body of ``url`` (after at most :data:`MAX_REDIRECTS` redirects); :class:`HttpFailure` else."""
        import requests

        now = self.clock()
        if self.started is None:
            self.started = now
        source_deadline = self.started + self.total_seconds
        if now >= source_deadline:
            raise HttpFailure(f"batas waktu seluruh sumber ({self.total_seconds:g} detik, batas_waktu_total_detik) "
                              "terlampaui; pengunduhan dihentikan.")  # fmt: skip
        deadline = min(now + self.timeout, source_deadline)
        first = url
        for _hop in range(MAX_REDIRECTS + 1):
            if origin(url)[0] not in _DEFAULT_PORTS:
                raise HttpFailure(f"{_short(first)} mengalihkan ke alamat yang bukan http/https ({_short(url)}).")
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise self._late(first, deadline, source_deadline)
            watch = _HEADERS_BY.set(time.monotonic() + remaining)  # the headers too arrive by the deadline
            try:
                answer = self.session.get(url, headers=self.headers_for(url), stream=True, allow_redirects=False,
                                          timeout=(min(remaining, 10.0), remaining))  # fmt: skip
            except requests.Timeout:
                raise self._late(first, deadline, source_deadline) from None
            except requests.RequestException as exc:
                if self.clock() >= deadline:  # cut off by the watchdog while the headers trickled in
                    raise self._late(first, deadline, source_deadline) from None
                raise HttpFailure(f"{_short(url)} tidak dapat dihubungi ({type(exc).__name__}).", retry=True) from None
            finally:
                _HEADERS_BY.reset(watch)
            with answer:
                location = answer.headers.get("Location")
                if answer.status_code in (301, 302, 303, 307, 308) and location:
                    url = urllib.parse.urljoin(url, location)
                    continue
                body = self._body(answer, first, deadline, source_deadline)
            if answer.status_code >= 400:
                raise HttpFailure(f"status {answer.status_code}", retry=answer.status_code >= 500,
                                  status=answer.status_code, body=body[:65536])  # fmt: skip
            return body
        raise HttpFailure(f"{_short(first)} dialihkan lebih dari {MAX_REDIRECTS} kali; tidak diikuti.")

    def _late(self, url: str, deadline: float, source_deadline: float) -> HttpFailure:
        if deadline >= source_deadline:
            return HttpFailure(f"batas waktu seluruh sumber ({self.total_seconds:g} detik, batas_waktu_total_detik) "
                               f"terlampaui saat mengunduh {_short(url)}.")  # fmt: skip
        return HttpFailure(f"{_short(url)} tidak selesai menjawab dalam {self.timeout:g} detik (batas_waktu_detik).",
                           retry=True)  # fmt: skip

    def _body(self, answer, url: str, deadline: float, source_deadline: float) -> bytes:
        import requests
        import urllib3

        declared_text = answer.headers.get("Content-Length")
        declared = None
        if declared_text is not None:
            try:
                declared = int(declared_text)
            except ValueError:
                raise HttpFailure(f"{_short(url)}: Content-Length {declared_text!r} bukan angka.", retry=True) from None
            if declared > self.max_bytes:
                raise HttpFailure(self._too_large(url, declared))
        raw = answer.raw
        chunks, size = [], 0
        while True:
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise self._late(url, deadline, source_deadline)
            sock = getattr(getattr(raw, "connection", None), "sock", None)
            if sock is not None:  # every read waits at most until the deadline
                sock.settimeout(max(remaining, 0.01))
            try:
                chunk = raw.read1(_CHUNK, decode_content=True)
            except (TimeoutError, urllib3.exceptions.ReadTimeoutError, requests.Timeout):
                raise self._late(url, deadline, source_deadline) from None
            except (urllib3.exceptions.HTTPError, requests.RequestException, OSError):
                raise HttpFailure(self._truncated(url, declared, size), retry=True) from None
            if not chunk:
                break
            size += len(chunk)
            if size > self.max_bytes:
                raise HttpFailure(self._too_large(url, size))
            chunks.append(chunk)
        received = raw.tell() if hasattr(raw, "tell") else size
        if declared is not None and received != declared:
            raise HttpFailure(self._truncated(url, declared, received), retry=True)
        return b"".join(chunks)

    def _too_large(self, url: str, size: int) -> str:
        return (f"jawaban {_short(url)} lebih besar dari {self.max_bytes / 2**20:g} MB ({size} bita; "
                "maks_mb_per_jawaban); tidak disimpan.")  # fmt: skip

    @staticmethod
    def _truncated(url: str, declared: int | None, received: int) -> str:
        told = f" dari {declared} bita yang dinyatakan (Content-Length)" if declared is not None else ""
        return f"jawaban {_short(url)} terpotong: hanya {received} bita diterima{told}; tidak disimpan."
