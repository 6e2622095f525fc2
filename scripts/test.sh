#!/usr/bin/env bash
# Everything CI checks, in one command: set-up, the test suite (slow tests excluded; run them with
# `.venv/bin/python -m pytest -m slow`), the committed gallery has no drift, and the gallery's
# LaTeX compiles.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
t=$SECONDS
python -m pytest -m "not slow" -q -n auto
echo "test: pytest took $((SECONDS - t)) s" >&2
t=$SECONDS
ssmproof build --check --latex
echo "test: build --check --latex took $((SECONDS - t)) s" >&2
