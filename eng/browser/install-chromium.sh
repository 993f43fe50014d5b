#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the browser tests (tests/Kefu.Browser.Tests).
# The tests drive it with Microsoft.Playwright through ExecutablePath=/usr/bin/chromium, so Playwright's own browser
# download (`playwright install`) is never needed. Runs as root, or through passwordless sudo; exits 3 when neither
# is possible so the caller can skip with a message instead of hanging on a password prompt.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "install-chromium: need root or passwordless sudo to run 'apt-get install chromium'" >&2
  exit 3
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: apt-get not found; install Chromium at /usr/bin/chromium by hand" >&2
  exit 3
fi

export DEBIAN_FRONTEND=noninteractive
# Test projects run in parallel and may each install something: wait for the dpkg lock instead of failing.
# Retry once after refreshing the package lists: a stale list names versions the mirror no longer has.
if ! "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium fonts-noto-cjk; then
  "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 update
  "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium fonts-noto-cjk
fi
/usr/bin/chromium --version
