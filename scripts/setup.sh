#!/usr/bin/env bash
# Create .venv and install narrativediff with the bundled model and the test tools.
# torch is installed first, pinned to the CPU build, so that sentence-transformers does not pull CUDA.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet torch==2.13.0
.venv/bin/python -m pip install --quiet -e ".[all,test]"
