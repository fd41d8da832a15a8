# Sourced by the set-up scripts: puts a uv binary in $UV.
# Uses $UV if set; otherwise bootstraps uv into .cache/uv-tool with the stdlib venv + pip,
# so a fresh machine needs nothing but python3 (>= 3.11).
PYTHON=${PYTHON:-python3}
UV_TOOL=.cache/uv-tool
if [[ -z "${UV:-}" ]]; then
  UV=$UV_TOOL/bin/uv
  if [[ ! -x $UV ]]; then
    echo "owa-kit: bootstrapping uv into $UV_TOOL ($PYTHON -m venv + pip install uv)"
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
      echo "owa-kit: $PYTHON is $("$PYTHON" -V 2>&1); owa-kit needs Python >= 3.11 (set PYTHON=...)" >&2
      exit 1
    }
    rm -rf "$UV_TOOL"
    "$PYTHON" -m venv "$UV_TOOL"
    "$UV_TOOL/bin/pip" install -q "uv>=0.5,<1"
  fi
fi
# uv does not write .pyc files by default, and PYTHONDONTWRITEBYTECODE may be set: compile at
# install time so imports (pytest start, server start) stay fast.
export UV_COMPILE_BYTECODE=1
export UV_NO_PROGRESS=1

# hash_of FILE...: a short content hash, for stamp files.
hash_of() { cat "$@" | "$PYTHON" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])'; }
