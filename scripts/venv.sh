#!/usr/bin/env bash
# Create or update a project venv with uv, installing owa-kit editable with the given extras.
#
#   scripts/venv.sh .venv test          # test venv: no jupyterlab (it costs ~2 s per pytest start)
#   scripts/venv.sh .venv-lab lab,test  # JupyterLab, for `make lab` and the browser tests
#
# Idempotent: a stamp keyed on pyproject.toml, __about__.py, this script and the extras makes
# a re-run instant. Delete the venv (or `make clean`) to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${1:?usage: scripts/venv.sh VENV [EXTRAS]   e.g. scripts/venv.sh .venv test}
EXTRAS=${2:-}
source scripts/_uv.sh

SPEC=.
[[ -n $EXTRAS ]] && SPEC=".[$EXTRAS]"
STAMP=$VENV/.owa-kit-stamp
WANT="$(hash_of pyproject.toml owa_kit/__about__.py scripts/venv.sh scripts/_uv.sh) $SPEC"
if [[ -x $VENV/bin/python && -f $STAMP && "$(cat "$STAMP")" == "$WANT" ]]; then
  echo "owa-kit: $VENV is up to date ($SPEC)"
  exit 0
fi

start=$SECONDS
if [[ ! -x $VENV/bin/python ]]; then
  echo "owa-kit: creating $VENV"
  "$UV" venv -q -p "$("$PYTHON" -c 'import sys; print(sys.executable)')" "$VENV"
fi
echo "owa-kit: installing -e '$SPEC' into $VENV"
VIRTUAL_ENV=$PWD/$VENV "$UV" pip install -q -e "$SPEC"
echo "$WANT" > "$STAMP"
echo "owa-kit: $VENV ready in $((SECONDS - start)) s"
