#!/usr/bin/env bash
# Create .venv-owui: a slim Open WebUI 0.12.4 (no torch/CUDA/chromadb) for the conformance and
# deploy tests. Upstream's own slim list ships inside the wheel as requirements-slim.txt; the
# server must then run with USE_SLIM_DOCKER=true (see reference/openwebui-server.md §1.3, §2).
#
#   scripts/owui.sh          # idempotent; a stamp makes a re-run instant
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_uv.sh
VENV=${OWA_KIT_OWUI_VENV:-.venv-owui}
OWUI_VERSION=0.12.4
STAMP=$VENV/.owa-kit-stamp
WANT="open-webui==$OWUI_VERSION $(hash_of scripts/owui.sh scripts/_uv.sh)"
if [[ -x $VENV/bin/python && -f $STAMP && "$(cat "$STAMP")" == "$WANT" ]]; then
  echo "owa-kit: $VENV is up to date (open-webui $OWUI_VERSION, slim)"
  exit 0
fi

start=$SECONDS
rm -rf "$VENV"
echo "owa-kit: creating $VENV with open-webui==$OWUI_VERSION (slim)"
"$UV" venv -q -p "$("$PYTHON" -c 'import sys; print(sys.executable)')" "$VENV"
export VIRTUAL_ENV=$PWD/$VENV
"$UV" pip install -q --no-deps "open-webui==$OWUI_VERSION"
SITE=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "owa-kit: installing $SITE/requirements-slim.txt"
"$UV" pip install -q -r "$SITE/requirements-slim.txt"
# Importing open_webui runs migrations and probes; check the installed distribution only.
got=$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("open-webui"))')
[[ $got == "$OWUI_VERSION" ]] || { echo "owa-kit: $VENV has open-webui $got, wanted $OWUI_VERSION" >&2; exit 1; }
echo "$WANT" > "$STAMP"
echo "owa-kit: $VENV ready in $((SECONDS - start)) s (start the server with USE_SLIM_DOCKER=true)"
