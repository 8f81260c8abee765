"""Open a report in a real browser (headless Chromium), offline, and check what a reader sees.

Checks: no console error or uncaught exception, every image decoded (``naturalWidth > 0``), and
no request to anything but the file itself and ``data:`` URIs. Saves a full-page screenshot.

Chromium is driven through the Chrome DevTools protocol over ``--remote-debugging-pipe``
(file descriptors 3 and 4, NUL-separated JSON): no port, no extra Python package. Networking is
cut off (a proxy to nowhere, every host name unresolvable, background services disabled).

Usage: ``python -m satudata.browser_check laporan.html tangkapan.png`` (exit 0 when all is well).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
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
            f"Galat konsol: {len(self.console_errors)}",
            f"Permintaan ke luar: {len(self.external_requests)}",
            f"Tangkapan layar: {self.screenshot_path}",
        ]
        lines += [f"  galat: {e}" for e in self.console_errors]
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


def check_page(html_path: str | Path, screenshot_path: str | Path, chromium: str | None = None,
               timeout: float = 60.0) -> BrowserReport:
    """Open ``html_path`` offline in headless Chromium, collect problems, save a full-page PNG."""
    html_path = Path(html_path).resolve()
    screenshot_path = Path(screenshot_path)
    if not html_path.exists():
        raise FileNotFoundError(f"Laporan {html_path} tidak ada: buat dulu laporannya (make round).")
    chromium = chromium or ensure_chromium()
    if not chromium:
        raise RuntimeError("Chromium tidak ditemukan: pasang dengan `apt-get install chromium`.")
    report = BrowserReport(html_path, screenshot_path)
    page_url = html_path.as_uri()
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()
    # the child sees our pipes as fds 3 (commands in) and 4 (replies out)
    child_in, child_out = os.dup(to_chrome_r), os.dup(from_chrome_w)

    def _wire() -> None:
        os.dup2(child_in, 3)
        os.dup2(child_out, 4)

    with tempfile.TemporaryDirectory(prefix="satudata-chromium-") as profile:
        command = [chromium, *OFFLINE_FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}",
                   f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}", "about:blank"]
        process = subprocess.Popen(command, close_fds=False, preexec_fn=_wire,  # noqa: PLW1509
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for fd in (to_chrome_r, from_chrome_w, child_in, child_out):
            os.close(fd)
        cdp = _Pipe(to_chrome_w, from_chrome_r, timeout)
        try:
            target = cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                cdp.send(f"{domain}.enable", session=session)
            cdp.send("Emulation.setDeviceMetricsOverride", {"width": VIEWPORT[0], "height": VIEWPORT[1],
                     "deviceScaleFactor": 1, "mobile": False}, session=session)
            cdp.events.clear()
            cdp.send("Page.navigate", {"url": page_url}, session=session)
            cdp.wait_for("Page.loadEventFired", timeout)
            images = cdp.send("Runtime.evaluate", {"expression": _IMAGES_JS, "awaitPromise": True,
                              "returnByValue": True}, session=session)
            report.images = images.get("result", {}).get("value", []) or []
            report.title = cdp.send("Runtime.evaluate", {"expression": "document.title", "returnByValue": True},
                                    session=session).get("result", {}).get("value", "")
            size = cdp.send("Page.getLayoutMetrics", session=session)["cssContentSize"]
            width, height = int(size["width"]), int(size["height"])
            report.page_height = height
            shot = cdp.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": max(width, VIEWPORT[0]), "height": height, "scale": 1},
            }, session=session)
            screenshot_path.parent.mkdir(parents=True, exist_ok=True)
            screenshot_path.write_bytes(base64.b64decode(shot["data"]))
            time.sleep(0.2)  # let late console messages arrive
            cdp.send("Runtime.evaluate", {"expression": "1"}, session=session)
            report.console_errors = _console_errors(cdp.events)
            report.external_requests = _external(cdp.events, page_url)
            with contextlib.suppress(RuntimeError, TimeoutError, OSError):
                cdp.send("Browser.close")
        finally:
            os.close(to_chrome_w)
            os.close(from_chrome_r)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return report


def main(html_path: str | Path, screenshot_path: str | Path) -> int:
    """Check one report in the browser, print the findings (Bahasa Indonesia); 0 when all is well."""
    report = check_page(html_path, screenshot_path)
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("Pemakaian: python -m satudata.browser_check <laporan.html> <tangkapan.png>")
        raise SystemExit(2)
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
