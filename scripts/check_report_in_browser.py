"""Open an HTML report in headless Chromium: screenshot it, dump the rendered DOM, collect console messages.

Usage::

    python scripts/check_report_in_browser.py report.html [--screenshot shot.png] [--width 1400] [--height 2400]

    python scripts/check_report_in_browser.py report.html --fragment "relation=same_claim" --width 390

Prints the number of aligned-pair rows the browser rendered (and how many the report's filter left
visible) and every console message; exits 1 if the page logged anything to the console (the report's
script logs nothing, so any message is a fault: an error, a resource that failed to load) or rendered
no row, and 2 if no Chromium is installed (``apt-get install chromium``). ``--fragment`` opens the
page with that address fragment, which the report's filter reads as its settings.
tests/test_browser.py drives the same functions.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["find_chromium", "BrowserCheck", "check_in_browser", "CHROMIUM_FLAGS"]

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
]
# Chromium logs every console call (console.error, uncaught exceptions, failed loads) as ":CONSOLE".
_CONSOLE = re.compile(r":CONSOLE(?::\d+)?\]\s*(.*)")


def find_chromium() -> str | None:
    """The path of a Chromium/Chrome executable, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class BrowserCheck:
    """What the browser made of a page."""

    dom: str
    console: list[str] = field(default_factory=list)
    screenshot: Path | None = None

    def count(self, css_class: str) -> int:
        """How many elements carry exactly ``class="<css_class>"`` in the rendered DOM."""
        return len(re.findall(rf'class="{re.escape(css_class)}"', self.dom))

    def visible(self, css_class: str) -> int:
        """How many of those elements the page's script left shown (no ``hidden`` attribute)."""
        tags = re.findall(rf'<[a-z]+ class="{re.escape(css_class)}"[^>]*>', self.dom)
        return sum(1 for tag in tags if not re.search(r'\shidden(?:=""|\s|>)', tag))


def _run(chromium: str, args: list[str], profile: Path, timeout: float) -> subprocess.CompletedProcess:
    command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def check_in_browser(page, *, screenshot=None, width: int = 1400, height: int = 2400,
                     chromium: str | None = None, timeout: float = 90, fragment: str | None = None) -> BrowserCheck:
    """Load ``page`` (an HTML file) in headless Chromium twice: once to dump the DOM, once to screenshot.

    Both loads use a window ``width`` by ``height``; ``fragment`` is added to the address after ``#``
    (the report's filter settings). The DOM is dumped after the page's scripts ran.

    Raises
    ------
    FileNotFoundError
        No Chromium is installed.
    RuntimeError
        Chromium failed (its stderr tail is in the message).
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        raise FileNotFoundError("no Chromium found; install it with `apt-get install chromium chromium-driver`.")
    url = Path(page).resolve().as_uri() + (f"#{fragment}" if fragment else "")
    with tempfile.TemporaryDirectory(prefix="nd-chromium-") as tmp:
        profile = Path(tmp) / "profile"
        dumped = _run(chromium, ["--dump-dom", f"--window-size={width},{height}", url], profile, timeout)
        if dumped.returncode != 0 or "<html" not in dumped.stdout.lower():
            raise RuntimeError(f"chromium --dump-dom failed ({dumped.returncode}): {dumped.stderr[-2000:]}")
        console = [m.group(1) for m in map(_CONSOLE.search, dumped.stderr.splitlines()) if m]
        shot = None
        if screenshot is not None:
            shot = Path(screenshot).resolve()
            shot.parent.mkdir(parents=True, exist_ok=True)
            taken = _run(chromium, [f"--screenshot={shot}", f"--window-size={width},{height}", url], profile, timeout)
            console += [m.group(1) for m in map(_CONSOLE.search, taken.stderr.splitlines()) if m]
            if taken.returncode != 0 or not shot.is_file():
                raise RuntimeError(f"chromium --screenshot failed ({taken.returncode}): {taken.stderr[-2000:]}")
    return BrowserCheck(dom=dumped.stdout, console=console, screenshot=shot)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page")
    parser.add_argument("--screenshot", default=None)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=2400)
    parser.add_argument("--fragment", default=None, help="address fragment, e.g. relation=same_claim")
    args = parser.parse_args(argv)
    try:
        result = check_in_browser(args.page, screenshot=args.screenshot, width=args.width, height=args.height,
                                  fragment=args.fragment)
    except FileNotFoundError as error:
        print(f"check_report_in_browser: {error}", file=sys.stderr)
        return 2
    rows = result.count("nd-pair")
    print(f"rendered rows: {rows} aligned pairs ({result.visible('nd-pair')} shown by the filter), "
          f"{result.count('nd-top-pair')} top pairs, {result.count('nd-claim')} claims, "
          f"{result.count('nd-unaligned-sent')} unaligned sentences")
    print(f"console messages: {len(result.console)}")
    for message in result.console:
        print(f"  {message}")
    if result.screenshot:
        print(f"screenshot: {result.screenshot}")
    return 0 if rows and not result.console else 1


if __name__ == "__main__":
    sys.exit(main())
