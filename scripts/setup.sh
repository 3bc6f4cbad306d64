#!/usr/bin/env bash
# Create .venv and install narrativediff with the bundled model and the test tools.
# torch is installed first, pinned to the CPU build, so that sentence-transformers does not pull CUDA.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet torch==2.13.0
.venv/bin/python -m pip install --quiet -e ".[all,test]"

# --- faces: headless Chromium for tests/test_browser.py (optional: that test skips without it) ---
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        (apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver) \
            || echo "setup.sh: could not install chromium; tests/test_browser.py will be skipped" >&2
    else
        echo "setup.sh: chromium is not installed (installing it needs root and apt-get);" \
             "tests/test_browser.py will be skipped" >&2
    fi
fi
# --- end faces ---
