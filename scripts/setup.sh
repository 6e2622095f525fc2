#!/usr/bin/env bash
# Set-up on a fresh machine: system tools for the LaTeX gallery and pictures (Debian packages,
# installed only when missing, and optional: a failed apt-get is reported, never fatal), then a
# virtual environment in .venv with ssmproof and its test and torch extras (torch: the PyTorch
# bridge and its tests) at the exact versions of
# requirements/lock.txt (the versions the tests and the byte-reproducible gallery are made
# with). Safe to run again: it skips what is already there.
#   SSMPROOF_VENV=DIR   make the environment in DIR instead of .venv
#   SSMPROOF_NEWEST=1   ignore the lock: the newest versions pyproject.toml allows (drift check)
#   SSMPROOF_SETUP=system|python   only that half (CI installs the system packages once, first)
set -uo pipefail
cd "$(dirname "$0")/.."
venv="${SSMPROOF_VENV:-.venv}"
part="${SSMPROOF_SETUP:-all}"
start=$SECONDS

if [ "$part" != python ]; then
  need=()
  command -v pdflatex >/dev/null 2>&1 || need+=(texlive-latex-base texlive-latex-recommended)
  command -v dot >/dev/null 2>&1 || need+=(graphviz)
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "setup: installing ${need[*]}" >&2
      if ! { apt-get update -qq >/dev/null &&
             DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
               "${need[@]}" >/dev/null; }; then
        echo "setup: apt-get could not install ${need[*]}; going on without them" \
             "(only the LaTeX compile and SVG pictures need them)" >&2
      fi
    else
      echo "setup: please install ${need[*]} (LaTeX compile and SVG pictures need them)" >&2
    fi
  fi
fi
[ "$part" = system ] && exit 0

set -e
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if [ "${SSMPROOF_NEWEST:-0}" = 1 ]; then
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade \
    --upgrade-strategy eager -e '.[test]'  # no torch: the newest wheel pulls CUDA packages
else
  "$venv/bin/python" -m pip install -q --disable-pip-version-check \
    -c requirements/lock.txt -e '.[test,torch]'
fi
echo "setup: $venv ready in $((SECONDS - start)) s" >&2
