#!/usr/bin/env bash
# Install the Debian packages listed in requirements/apt.txt that are missing.
# Runs apt-get only when something is missing; needs root (or sudo) then.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
list="$here/requirements/apt.txt"
missing=()
while read -r line; do
  spec="${line%%#*}"; spec="$(echo "$spec" | xargs)"
  [ -z "$spec" ] && continue
  pkg="${spec%% *}"
  # "pkg cmd=name": the package counts as present when the command is on PATH already
  # (npm comes with the NodeSource nodejs package, which conflicts with Debian's npm).
  cmd=""
  case "$spec" in *" cmd="*) cmd="${spec##* cmd=}" ;; esac
  if [ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done < "$list"
# python3 -m venv needs ensurepip, which Debian ships separately.
if ! python3 -c "import ensurepip" 2>/dev/null; then
  missing+=("python3-venv")
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "==> installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq -o DPkg::Lock::Timeout=300
$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}"
