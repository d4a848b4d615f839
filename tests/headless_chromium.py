"""Open a page in headless Chromium and watch it over the DevTools protocol: console, requests, screenshots.

A small client on ``websockets`` (installed with Dagster), no Selenium or Playwright: Debian's
``chromium`` is started with ``--remote-debugging-port=0``, the port is read from the
``DevToolsActivePort`` file it writes, and one page target is driven in flat session mode.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

#: Debian's Chromium; tests skip where it is absent.
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-extensions",
         "--disable-default-apps", "--hide-scrollbars", "--mute-audio")


@dataclass
class PageLog:
    """What the page did: console messages and exceptions, and every request it sent."""

    console: list[dict[str, Any]] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors, as text."""
        found = [m["text"] for m in self.console if m["level"] == "error"]
        return found + self.exceptions


class Browser:
    """A headless Chromium with one page, driven over the DevTools protocol."""

    def __init__(self, profile: Path, width: int = 1280, height: int = 900, timeout: float = 60.0) -> None:
        profile.mkdir(parents=True, exist_ok=True)
        (profile / "DevToolsActivePort").unlink(missing_ok=True)  # a reused profile's file names a dead port
        self.timeout = timeout
        self.log = PageLog()
        self._ids = itertools.count(1)
        self._process = subprocess.Popen(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._profile = profile
        try:
            self._socket = self._connect(profile / "DevToolsActivePort")
            target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Network", "Log"):
                self.send(f"{domain}.enable")
            self.send("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        except BaseException:
            self.close()
            raise

    def _connect(self, port_file: Path) -> ClientConnection:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"chromium exited with code {self._process.returncode}")
            if port_file.is_file():
                lines = port_file.read_text().split()
                if len(lines) >= 2:
                    return connect(f"ws://127.0.0.1:{lines[0]}{lines[1]}", max_size=None,
                                   open_timeout=self.timeout)
            time.sleep(0.1)
        raise TimeoutError("chromium did not open its DevTools port")

    def _call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        message_id = next(self._ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._socket.send(json.dumps(message))
        deadline = time.monotonic() + self.timeout
        while True:
            reply = json.loads(self._socket.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._event(reply)

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Call a DevTools method on the page; events that arrive meanwhile are logged."""
        return self._call(method, params, self._session)

    def _event(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.log.console.append({"level": "error" if params["type"] in ("error", "assert") else params["type"],
                                     "text": text})
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.log.exceptions.append(details.get("exception", {}).get("description") or details.get("text", ""))
        elif method == "Log.entryAdded":
            entry = params["entry"]
            self.log.console.append({"level": entry["level"], "text": f"[{entry['source']}] {entry['text']}"})
        elif method == "Network.requestWillBeSent":
            self.log.requests.append(params["request"]["url"])

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (awaited if it is a promise)."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str, ready: str, timeout: float | None = None) -> None:
        """Navigate to ``url`` and wait until the expression ``ready`` is true."""
        self.send("Page.navigate", {"url": url})
        deadline = time.monotonic() + (timeout or self.timeout)
        while not self.evaluate(f"Boolean({ready})"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url}: {ready} was not true after {timeout or self.timeout}s")
            time.sleep(0.2)

    def click(self, selector: str) -> None:
        """Click the middle of the element ``selector`` with the mouse, as a person would (a user gesture)."""
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()"
        )
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, **box, "button": "left", "clickCount": 1})

    def allow_downloads(self, folder: Path) -> None:
        """Save the page's downloads into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        self._call("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})

    def screenshot(self, selector: str, path: Path) -> Path:
        """A PNG of the element ``selector`` (its whole box, beyond the viewport too)."""
        box = self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            " return {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height}; })()"
        )
        shot = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                    "clip": {**box, "scale": 1}})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def close(self) -> None:
        """Close the connection and end the browser this object started."""
        socket = getattr(self, "_socket", None)
        if socket is not None:
            socket.close()
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.is_file() or shutil.which(str(CHROMIUM)) is None:
        return f"{CHROMIUM} is not installed (Debian package chromium; .ci/run installs it where it can)"
    return None
