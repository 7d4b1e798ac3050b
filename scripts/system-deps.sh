#!/usr/bin/env bash
# Makes sure the Debian/Ubuntu packages Custodia needs are present.
#   build: python3, make, g++ and libsecret-1-dev compile the native modules (SQLCipher, keytar)
#   test:  chromium (Playwright drives Debian's browser), gnome-keyring + dbus (a real Secret Service)
#          poppler-utils: pdftotext and pdftoppm read the report PDFs back in the tests
#          python3-cryptography: tools/verify_bundle.py, the second audit-bundle verifier (Debian's /usr/bin/python3)
# As root it installs what is missing; otherwise it prints the exact command and stops.
# Usage: scripts/system-deps.sh build|test|start
set -euo pipefail
purpose=${1:-test}
packages=(python3 make g++ pkg-config libsecret-1-dev)
case "$purpose" in
  test) packages+=(chromium gnome-keyring dbus poppler-utils python3-cryptography openssl) ;;
  start) packages+=(gnome-keyring dbus) ;;
esac

if ! command -v node >/dev/null; then
  echo "Custodia needs Node.js 20.19 or newer (https://nodejs.org); none was found." >&2
  exit 1
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "Custodia needs Node.js 20.19 or newer; this is $(node --version)." >&2
  exit 1
fi

if ! command -v dpkg-query >/dev/null; then
  echo "Not a Debian/Ubuntu system: make sure these are installed: ${packages[*]}" >&2
  exit 0
fi
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Another apt-get (an unattended upgrade, a second terminal) may hold the lock: wait for it,
  # up to 5 minutes, instead of failing at once with apt's raw error.
  wait_lock=(-o DPkg::Lock::Timeout=300)
  if ! apt-get "${wait_lock[@]}" update -qq; then
    echo "apt-get update failed (see above). If another package manager is running, let it finish and run this command again." >&2
    exit 1
  fi
  if ! apt-get "${wait_lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "Installing ${missing[*]} failed (see above). If another package manager held the lock for over 5 minutes, let it finish and run this command again." >&2
    exit 1
  fi
else
  echo "Custodia needs these system packages first. Run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  echo "then run this command again." >&2
  exit 1
fi
