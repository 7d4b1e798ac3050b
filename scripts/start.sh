#!/usr/bin/env bash
# The README's first command: installs what Custodia needs, builds it, and starts the workstation.
# On a desktop it opens the Electron window. Where the Electron runtime cannot be installed (no
# network to its download server) or there is no display, it serves the same UI on 127.0.0.1
# and prints the URL to open. Extra arguments go to `custodia serve` (e.g. --data DIR --port N).
#   bash scripts/start.sh --demo    opens on the demo month (a ledger of its own, marked DEMO)
set -euo pipefail
cd "$(dirname "$0")/.."
demo=
for arg in "$@"; do [ "$arg" = --demo ] && demo=1; done
bash scripts/system-deps.sh start
bash scripts/npm-install.sh
echo "Building Custodia…"
npm run -s build >/dev/null

have_display() {
  case "$(uname -s)" in
    Darwin | MINGW* | MSYS* | CYGWIN*) return 0 ;;
    *) [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] ;;
  esac
}
electron_runtime() {
  # Electron 45+ installs without its binary and fetches it on first launch; try that once, briefly.
  node -e "const fs=require('fs'),p=require('path'),d=p.dirname(require.resolve('electron'));
    const f=p.join(d,'path.txt'); process.exit(fs.existsSync(f)&&fs.existsSync(p.join(d,'dist',fs.readFileSync(f,'utf8')))?0:1)" 2>/dev/null && return 0
  echo "Fetching the Electron runtime…"
  timeout 180 node node_modules/electron/install.js >/dev/null 2>&1
}

if [ -z "${CUSTODIA_HEADLESS:-}" ] && have_display && electron_runtime; then
  npx electron-builder install-app-deps >/dev/null
  echo "electron $(sha256sum package-lock.json | cut -d' ' -f1)" >node_modules/.custodia-install
  exec npx electron . ${demo:+--demo}
fi

if have_display; then
  why="the Electron runtime could not be downloaded on this machine (its download server is out of reach)"
else
  why="this machine has no graphical display for a window"
fi
[ -n "${CUSTODIA_HEADLESS:-}" ] && why="CUSTODIA_HEADLESS is set"
echo
echo "Custodia is starting as a headless host because ${why}."
echo "It serves the same workstation UI to a browser on this computer only (127.0.0.1)."
echo
if [ "$(uname -s)" = Linux ] && [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ -z "${CUSTODIA_KEYRING_READY:-}" ] &&
  [ -z "${CUSTODIA_KEYRING_PASSWORD:-}" ] && ! [ -t 0 ]; then
  # No desktop session, no keyring password and nobody at a terminal to ask: a throwaway session
  # whose keys and ledger both vanish at stop, rather than a ledger whose keys would be lost.
  throwaway=$(mktemp -d)
  echo "No keyring password given (set CUSTODIA_KEYRING_PASSWORD to keep data): this is a throwaway session;"
  echo "its ledger lives in $throwaway and cannot be opened again once you stop it (its keys go with the session)."
  exec scripts/with-keyring.sh node out/cli/index.js serve --data "$throwaway" "$@"
fi
# Without a desktop session, `custodia serve` starts (or reuses) the data folder's own keyring and
# asks for its password once (or reads CUSTODIA_KEYRING_PASSWORD), like every other custodia command.
exec node out/cli/index.js serve "$@"
