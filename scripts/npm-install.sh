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
fi
echo "$want" >"$stamp"
