#!/usr/bin/env bash
# Make sure Debian's chromium is installed (the browser tests drive it with Playwright through
# executable_path; Playwright's own browser download cannot work on these machines).
#
#   scripts/chromium.sh      # prints the path; installs with apt-get when root and missing
set -euo pipefail
CHROMIUM=${OWA_KIT_CHROMIUM:-/usr/bin/chromium}
if [[ -x $CHROMIUM ]]; then
  echo "owa-kit: chromium present: $CHROMIUM"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "owa-kit: $CHROMIUM is missing and installing it needs root. Run:" >&2
  echo "    sudo apt-get update && sudo apt-get install -y chromium" >&2
  echo "or point OWA_KIT_CHROMIUM at an existing chromium binary." >&2
  exit 1
fi
start=$SECONDS
echo "owa-kit: installing chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
[[ -x $CHROMIUM ]] || { echo "owa-kit: apt-get installed chromium but $CHROMIUM is still missing" >&2; exit 1; }
echo "owa-kit: chromium installed in $((SECONDS - start)) s: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
