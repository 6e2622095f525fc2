#!/usr/bin/env bash
# Drift check: install the NEWEST versions pyproject.toml allows (ignoring requirements/lock.txt)
# into a separate environment (.venv-newest) and run the tests that touch third-party behaviour
# (number formats/ml_dtypes, regex/automata-lib, monoids/libsemigroups, JSON schema, sympy's
# LaTeX printer and the byte-identical gallery). A newcomer installs with the lock and stays
# green; this tells the developers, by name, when an upstream release would break us.
# Exit status: 0 when the newest versions pass, 1 when they do not (.ci/run reports it; see
# the README's "Dependencies" section for why it does not block by default).
# It works in a temporary copy of the tree, with its own .venv-newest there, so that it can run
# alongside the locked install and tests (.ci/run does): an editable install writes
# ssmproof.egg-info into the tree it installs from. SSMPROOF_DRIFT_KEEP=1 keeps the copy.
set -uo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/ssmproof-drift.XXXXXX")
[ "${SSMPROOF_DRIFT_KEEP:-0}" = 1 ] && echo "drift: working in $work" ||
  trap 'rm -rf "$work"' EXIT
tar -cf - --exclude=./.git --exclude=./.venv --exclude=./.venv-newest --exclude='*.egg-info' \
  --exclude=__pycache__ --exclude=./.hypothesis --exclude=./build . | tar -xf - -C "$work"
cd "$work"
venv=.venv-newest
if ! SSMPROOF_VENV=$venv SSMPROOF_NEWEST=1 bash scripts/setup.sh; then
  echo "DRIFT CHECK FAILED: the newest allowed versions do not install" >&2
  exit 1
fi
"$venv/bin/python" - <<'PY'
import re
from importlib import metadata
norm = lambda name: re.sub(r"[-_.]+", "-", name).lower()
locked = dict(line.split("==") for line in open("requirements/lock.txt")
              if "==" in line and not line.startswith(("#", " ")))
locked = {norm(k): v.strip() for k, v in locked.items()}
for dist in metadata.distributions():
    name, version = norm(dist.metadata["Name"]), dist.version
    if name in locked and locked[name] != version:
        print(f"drift: {name} {locked[name]} (lock) -> {version} (newest)")
PY
if "$venv/bin/python" -m pytest -q -n auto -m "not slow" \
     tests/numerics tests/ssm tests/render tests/test_build.py tests/lang/test_regex.py \
     tests/lang/test_monoid_at_scale.py tests/lang/test_spec.py; then
  echo "DRIFT CHECK PASSED: the newest allowed versions pass the version-sensitive tests" \
       "($((SECONDS - start)) s)"
else
  echo "DRIFT CHECK FAILED: the newest allowed versions break the tests above;" \
       "installs that use requirements/lock.txt are unaffected." \
       "Fix the code (or cap the version in pyproject.toml), then refresh the lock (README)."
  exit 1
fi
