"""The HTML report in a real browser: headless Chromium renders every aligned row, logs nothing to the console.

Needs Debian's ``chromium`` (scripts/setup.sh installs it when it can); skipped with the reason otherwise.
Set ``ND_SCREENSHOT_DIR`` to keep the screenshot.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("check_report_in_browser", ROOT / "scripts" / "check_report_in_browser.py")
browser = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = browser  # dataclasses look their module up there
_spec.loader.exec_module(browser)

pytestmark = pytest.mark.skipif(
    browser.find_chromium() is None,
    reason="no Chromium on PATH: install it with `apt-get install chromium chromium-driver` (scripts/setup.sh "
           "does so when run as root with apt available)",
)


def test_console_errors_are_caught(tmp_path):
    # The check itself must see a broken page, or a clean result below means nothing.
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><p>x</p><script>undefined_function();</script></body></html>")
    result = browser.check_in_browser(page)
    assert any("Uncaught ReferenceError" in message for message in result.console), result.console


def test_report_renders_every_row_without_console_errors(example_comparison, tmp_path):
    page = tmp_path / "report.html"
    example_comparison.to_html(page)
    shots = Path(os.environ.get("ND_SCREENSHOT_DIR", tmp_path))
    result = browser.check_in_browser(page, screenshot=shots / "report.png", width=1400, height=1800)
    assert result.console == []
    assert result.count("nd-pair") == len(example_comparison.alignment)
    assert result.count("nd-unaligned-sent") == len(example_comparison.unaligned)
    assert result.count("nd-plot") >= 2  # the embedded images are in the DOM

    from PIL import Image

    with Image.open(result.screenshot) as image:
        assert image.size == (1400, 1800)
        colours = image.convert("RGB").resize((350, 450)).getcolors(maxcolors=1_000_000)
    assert len(colours) > 200, "the screenshot is (nearly) blank"
