#!/usr/bin/env bash
# `npm ci` when node_modules does not match package-lock.json (or native modules were last built
# for Electron), otherwise nothing: re-running the README's commands stays fast.
set -euo pipefail
stamp=node_modules/.custodia-install
want="$(sha256sum package-lock.json | cut -d' ' -f1) node"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
if [ -f "$stamp" ] && [ "$(cut -d' ' -f1 "$stamp")" = "${want%% *}" ]; then
  # Same packages, native modules built for Electron's ABI: rebuild them for Node.
  npm rebuild better-sqlite3-multiple-ciphers keytar
else
  npm ci --no-audit --no-fund
  if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'; then
    echo "(The EBADENGINE warnings above are expected: Electron 45 and its build tools ask for Node 22.12, which" >&2
    echo " only the packaged desktop window needs; it brings its own. The core, the CLI and every test run on" >&2
    echo " this Node $(node --version), 20.19 or newer.)" >&2
  fi
fi
echo "$want" >"$stamp"
