"""Open a report in a real browser (headless Chromium), offline, and check what a reader sees.

Checks: no console error or uncaught exception, every image decoded (``naturalWidth > 0``), and
no request to anything but the file itself and ``data:`` URIs. Saves a full-page screenshot.
Also: the pages of an A4 print (:func:`print_pages`, ``Page.printToPDF``), the layout at a phone's
width (:func:`phone_layout`: no horizontal scroll at 390 px) and the first screen (:func:`first_screen`).

Chromium is driven through the Chrome DevTools protocol over ``--remote-debugging-pipe``
(file descriptors 3 and 4, NUL-separated JSON): no port, no extra Python package. Networking is
cut off (a proxy to nowhere, every host name unresolvable, background services disabled).

Usage: ``python -m satudata.outputs.browser_check laporan.html tangkapan.png`` (exit 0 when all is well).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
OFFLINE_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
VIEWPORT = (1400, 900)


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def ensure_chromium(install: bool = True) -> str | None:
    """The Chromium executable; installs Debian's ``chromium`` when missing and we are root."""
    path = find_chromium()
    if path or not install or not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        return path
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    lock = ["-o", "DPkg::Lock::Timeout=600"]
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *lock, "chromium"]):
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            sys.stderr.write(f"Gagal memasang chromium ({' '.join(command)}): {result.stderr[-500:]}\n")
            return None
    return find_chromium()


@dataclass
class BrowserReport:
    """What the browser saw."""

    html_path: Path
    screenshot_path: Path
    console_errors: list[str] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    title: str = ""
    page_height: int = 0

    @property
    def broken_images(self) -> list[dict[str, Any]]:
        return [img for img in self.images if not img.get("ok") or int(img.get("width", 0)) <= 0]

    @property
    def ok(self) -> bool:
        return not self.console_errors and not self.broken_images and not self.external_requests

    def summary(self) -> str:
        lines = [
            f"Halaman: {self.html_path} (judul: {self.title!r}, tinggi {self.page_height} px)",
            f"Gambar: {len(self.images)} ({len(self.broken_images)} rusak)",
            f"Kesalahan di konsol peramban: {len(self.console_errors)}",
            f"Permintaan ke luar: {len(self.external_requests)}",
            f"Tangkapan layar: {self.screenshot_path}",
        ]
        lines += [f"  kesalahan: {e}" for e in self.console_errors]
        lines += [f"  gambar rusak: {img.get('alt') or img.get('src')}" for img in self.broken_images]
        lines += [f"  permintaan ke luar: {u}" for u in self.external_requests]
        lines.append("HASIL: baik" if self.ok else "HASIL: ADA MASALAH")
        return "\n".join(lines)


class _Pipe:
    """CDP over the two pipes of ``--remote-debugging-pipe``."""

    def __init__(self, write_fd: int, read_fd: int, timeout: float) -> None:
        self.write_fd, self.read_fd, self.timeout = write_fd, read_fd, timeout
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("Chromium tidak menjawab tepat waktu.")
            ready, _, _ = select.select([self.read_fd], [], [], remaining)
            if ready:
                chunk = os.read(self.read_fd, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium menutup sambungan.")
                self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self.write_fd, data):]
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, timeout: float) -> None:
        if any(e.get("method") == method for e in self.events):
            return
        deadline = time.monotonic() + timeout
        while True:
            event = self._read_message(deadline)
            if "method" in event:
                self.events.append(event)
                if event["method"] == method:
                    return


_IMAGES_JS = """
Promise.all(Array.from(document.images).map(function (img) {
  var info = function (ok) {
    return {ok: ok && img.naturalWidth > 0, width: img.naturalWidth, height: img.naturalHeight,
            alt: img.alt, src: (img.currentSrc || img.src).slice(0, 60)};
  };
  return img.decode().then(function () { return info(true); }, function () { return info(false); });
}))
"""


def _console_errors(events: list[dict[str, Any]]) -> list[str]:
    out = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            out.append(str(details.get("exception", {}).get("description") or details.get("text")))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            out.append(f"{entry.get('text')} {entry.get('url', '')}".strip())
    return out


def _external(events: list[dict[str, Any]], page_url: str) -> list[str]:
    out = []
    for event in events:
        if event.get("method") == "Network.requestWillBeSent":
            url = event.get("params", {}).get("request", {}).get("url", "")
            if url != page_url and not url.startswith(("data:", "about:", "blob:")):
                out.append(url)
    return sorted(set(out))


class Browser:
    """One headless Chromium, offline, driven over the DevTools pipe; one page (tab) at a time.

    ``with Browser() as b: b.open(path, width=390, height=844, mobile=True); b.evaluate("1 + 1")``.
    """

    def __init__(self, chromium: str | None = None, timeout: float = 60.0) -> None:
        self.chromium = chromium or ensure_chromium()
        if not self.chromium:
            raise RuntimeError("Chromium tidak ditemukan: pasang dengan `apt-get install chromium`.")
        self.timeout = timeout
        self.session: str | None = None
        self.page_url = ""

    def __enter__(self) -> Browser:
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        # the child sees our pipes as fds 3 (commands in) and 4 (replies out)
        child_in, child_out = os.dup(to_chrome_r), os.dup(from_chrome_w)

        def _wire() -> None:
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self._profile = tempfile.TemporaryDirectory(prefix="satudata-chromium-")
        command = [self.chromium, *OFFLINE_FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self._profile.name}",
                   f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}", "about:blank"]
        self.process = subprocess.Popen(command, close_fds=False, preexec_fn=_wire,  # noqa: PLW1509
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for fd in (to_chrome_r, from_chrome_w, child_in, child_out):
            os.close(fd)
        self._fds = (to_chrome_w, from_chrome_r)
        self.cdp = _Pipe(to_chrome_w, from_chrome_r, self.timeout)
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.cdp.send("Browser.close")
        for fd in self._fds:
            os.close(fd)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._profile.cleanup()

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict:
        return self.cdp.send(method, params, session=self.session)

    def open(self, html_path: str | Path, width: int = VIEWPORT[0], height: int = VIEWPORT[1],
             mobile: bool = False, scripts: bool = True) -> None:
        """Open ``html_path`` in a new tab of ``width`` x ``height`` CSS pixels and wait until it has loaded."""
        html_path = Path(html_path).resolve()
        if not html_path.exists():
            raise FileNotFoundError(f"Laporan {html_path} tidak ada: buat dulu laporannya (make round).")
        target = self.cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                  "deviceScaleFactor": 1, "mobile": mobile})
        if not scripts:
            self.send("Emulation.setScriptExecutionDisabled", {"value": True})
        self.cdp.events.clear()
        self.page_url = html_path.as_uri()
        self.send("Page.navigate", {"url": self.page_url})
        self.cdp.wait_for("Page.loadEventFired", self.timeout)

    def evaluate(self, expression: str, await_promise: bool = False) -> Any:
        """The value of a JavaScript expression in the page."""
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": await_promise,
                                                "returnByValue": True})
        return result.get("result", {}).get("value")

    def screenshot(self, path: str | Path, full_page: bool = True) -> tuple[int, int]:
        """Save a PNG of the whole page (or only the first screen); returns the page's CSS size."""
        size = self.send("Page.getLayoutMetrics")["cssContentSize"]
        width, height = int(size["width"]), int(size["height"])
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params.update(captureBeyondViewport=True,
                          clip={"x": 0, "y": 0, "width": max(width, VIEWPORT[0]), "height": height, "scale": 1})
        shot = self.send("Page.captureScreenshot", params)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(base64.b64decode(shot["data"]))
        return width, height

    def print_pdf(self, path: str | Path) -> int:
        """Print the page as the browser would (A4 from the page's CSS, backgrounds on); returns the pages."""
        pdf = self.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True,
                                            "displayHeaderFooter": False})
        data = base64.b64decode(pdf["data"])
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(data)
        return pdf_page_count(data)


_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF written by Chromium (its page objects are not compressed into object streams)."""
    return len(_PDF_PAGE.findall(data))


@dataclass
class Layout:
    """How a page lays out at one width: its scroll width against the viewport, the widest elements, the boxes
    that scroll sideways inside themselves (a table in an ``overflow-x: auto`` box) or cut their content, and
    the label size of every chart shown (CSS pixels: the chart's smallest font, ``data-huruf`` in image pixels,
    times the shown width over the image's width; None when the chart does not say its font size)."""

    width: int
    scroll_width: int
    too_wide: list[str] = field(default_factory=list)
    inner_scrolling: list[str] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return self.scroll_width <= self.width

    @property
    def small_labels(self) -> list[dict[str, Any]]:
        """Charts shown with labels under 10 CSS px, or whose label size is not known."""
        return [c for c in self.charts if c.get("huruf") is None or c["huruf"] < MIN_LABEL_PX]


MIN_LABEL_PX = 10.0

_INNER_SCROLL_JS = """
(function () {
  var out = [];
  document.querySelectorAll("body *").forEach(function (el) {
    if (!el.getClientRects().length || el.clientWidth === 0) { return; }
    var style = getComputedStyle(el), ox = style.overflowX;
    if (el.scrollWidth > el.clientWidth + 1 && (ox === "auto" || ox === "scroll" || ox === "hidden")) {
      out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ?
               "." + el.className.trim().split(/\\s+/).join(".") : "") + " " + el.scrollWidth + ">" + el.clientWidth +
               (ox === "hidden" ? " terpotong" : " bergulir"));
    }
  });
  return out;
})()
"""

_CHARTS_JS = """
(function () {
  return Array.from(document.images).filter(function (img) {
    return img.getClientRects().length && img.clientWidth > 0 && img.naturalWidth >= 200;
  }).map(function (img) {
    var font = parseFloat(img.getAttribute("data-huruf"));
    return {alt: img.alt, lebar: img.clientWidth, lebar_asli: img.naturalWidth,
            huruf: isNaN(font) ? null : Math.round(font * img.clientWidth / img.naturalWidth * 10) / 10};
  });
})()
"""


_TOO_WIDE_JS = """
(function (limit) {
  var out = [];
  document.querySelectorAll("body *").forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.right > limit + 1 && r.width > 0) {
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
               (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : "") +
               " " + Math.round(r.right));
    }
  });
  return out.slice(0, 20);
})
"""


def phone_layout(html_path: str | Path, screenshot_path: str | Path | None = None, width: int = 390,
                 height: int = 844, chromium: str | None = None) -> Layout:
    """Open the page at a phone's width; ``document.documentElement.scrollWidth`` must not exceed it.
    Saves the first screen as PNG when ``screenshot_path`` is given."""
    with Browser(chromium) as browser:
        browser.open(html_path, width=width, height=height, mobile=True)
        scroll = int(browser.evaluate("document.documentElement.scrollWidth"))
        wide = browser.evaluate(_TOO_WIDE_JS + f"({width})") or []
        inner = browser.evaluate(_INNER_SCROLL_JS) or []
        charts = browser.evaluate(_CHARTS_JS) or []
        if screenshot_path is not None:
            browser.screenshot(screenshot_path, full_page=False)
    return Layout(width, scroll, list(wide), list(inner), list(charts))


def first_screen(html_path: str | Path, screenshot_path: str | Path, width: int = 1366, height: int = 768,
                 chromium: str | None = None) -> str:
    """Save the first screen at ``width`` x ``height``; returns the text a reader sees on it."""
    with Browser(chromium) as browser:
        browser.open(html_path, width=width, height=height)
        browser.screenshot(screenshot_path, full_page=False)
        return str(browser.evaluate(_VISIBLE_TEXT_JS + f"({height})") or "")


_VISIBLE_TEXT_JS = """
(function (bottom) {
  var out = [];
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    var node = walker.currentNode, range = document.createRange();
    range.selectNodeContents(node);
    var r = range.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && r.top < bottom && r.bottom > 0 && node.textContent.trim()) {
      out.push(node.textContent.trim());
    }
  }
  return out.join(" ");
})
"""


A4_PRINT_WIDTH = 711  # CSS px: 210 mm less the page's 11 mm side margins, at 96 px per inch

_CLIPPED_JS = """
(function () {
  var out = [];
  var cells = document.querySelectorAll("td, th, .opd-kepala > span, .opd-baris > span, .k-persen, .lencana");
  cells.forEach(function (el) {
    if (!el.getClientRects().length || el.clientWidth === 0) { return; }
    var text = (el.textContent || "").trim();
    var name = el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ?
               "." + el.className.trim().split(/\\s+/).join(".") : "") + " '" + text.slice(0, 30) + "'";
    var style = getComputedStyle(el);
    if (el.scrollWidth > el.clientWidth + 1 && style.overflowX !== "visible") {
      out.push(name + " terpotong");
      return;
    }
    var r = el.getBoundingClientRect(), parent = el.parentElement && el.parentElement.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1 || (parent && r.right > parent.right + 1 && el.tagName !== "TD")) {
      out.push(name + " melewati kotaknya");
      return;
    }
    /* a word broken over two lines (Terpenuh/i); file names and paths may wrap at any character */
    text.split(/\\s+/).forEach(function (word) {
      if (word.length < 4 || !/^[A-Za-z\\u00C0-\\u024F]+[,.:;)]?$/.test(word)) { return; }
      var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        var node = walker.currentNode, at = node.textContent.indexOf(word);
        if (at < 0) { continue; }
        var range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word.length);
        var tops = {};
        Array.prototype.forEach.call(range.getClientRects(), function (rect) {
          if (rect.width > 0) { tops[Math.round(rect.top)] = true; }
        });
        if (Object.keys(tops).length > 1) { out.push(name + " memenggal kata '" + word + "'"); }
        break;
      }
    });
  });
  return out.slice(0, 40);
})()
"""


def print_clipping(html_path: str | Path, chromium: str | None = None) -> list[str]:
    """The cells of the page laid out for an A4 print (print media, the printable width) that cut their text,
    spill out of their box or break a word over two lines (``Terpenuh/i``); an empty list when none does."""
    with Browser(chromium) as browser:
        browser.open(html_path, width=A4_PRINT_WIDTH, height=1000)
        browser.send("Emulation.setEmulatedMedia", {"media": "print"})
        return list(browser.evaluate(_CLIPPED_JS) or [])


def pdf_page_texts(pdf_path: str | Path) -> list[str] | None:
    """The text of every page of a PDF (``pdftotext``, Debian ``poppler-utils``); None when it is not installed."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    out = subprocess.run([tool, "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def print_pages(html_path: str | Path, pdf_path: str | Path, chromium: str | None = None) -> int:
    """Print the page to ``pdf_path`` (A4 as its CSS asks) and return the number of pages."""
    with Browser(chromium) as browser:
        browser.open(html_path)
        return browser.print_pdf(pdf_path)


def check_page(html_path: str | Path, screenshot_path: str | Path, chromium: str | None = None,
               timeout: float = 60.0) -> BrowserReport:
    """Open ``html_path`` offline in headless Chromium, collect problems, save a full-page PNG."""
    html_path = Path(html_path).resolve()
    screenshot_path = Path(screenshot_path)
    if not html_path.exists():
        raise FileNotFoundError(f"Laporan {html_path} tidak ada: buat dulu laporannya (make round).")
    report = BrowserReport(html_path, screenshot_path)
    with Browser(chromium, timeout) as browser:
        browser.open(html_path)
        report.images = browser.evaluate(_IMAGES_JS, await_promise=True) or []
        report.title = browser.evaluate("document.title") or ""
        _width, report.page_height = browser.screenshot(screenshot_path)
        time.sleep(0.2)  # let late console messages arrive
        browser.evaluate("1")
        report.console_errors = _console_errors(browser.cdp.events)
        report.external_requests = _external(browser.cdp.events, browser.page_url)
    return report


def fmt_px(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def main(html_path: str | Path, screenshot_path: str | Path) -> int:
    """Check one report in the browser, print the findings (Bahasa Indonesia); 0 when all is well.

    Also prints the pages of an A4 print (``<tangkapan>.pdf`` beside the screenshot) and whether the page
    scrolls sideways on a phone (390 px); those are reported, the exit code follows :func:`check_page`.
    """
    report = check_page(html_path, screenshot_path)
    print(report.summary())
    pdf = Path(screenshot_path).with_suffix(".pdf")
    print(f"Cetak A4: {print_pages(html_path, pdf)} halaman ({pdf})")
    layout = phone_layout(html_path)
    print(f"Lebar ponsel {layout.width} px: " + ("tanpa gulir mendatar" if layout.fits
                                                  else f"bergulir mendatar sampai {layout.scroll_width} px"))
    print(f"  kotak yang bergulir ke samping atau terpotong: {len(layout.inner_scrolling)}")
    print(f"  grafik dengan huruf di bawah {fmt_px(MIN_LABEL_PX)} px atau tanpa ukuran huruf: "
          f"{len(layout.small_labels)} dari {len(layout.charts)}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("Pemakaian: python -m satudata.outputs.browser_check <laporan.html> <tangkapan.png>")
        raise SystemExit(2)
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
