#!/usr/bin/env bash
# The README's test command: installs what the tests need, then runs every check and test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh test
bash scripts/npm-install.sh

step() { printf '\n== %s\n' "$*"; }
step "format (prettier --check)"
npx prettier --check . >/dev/null || { npx prettier --check . ; exit 1; }
step "lint (eslint, with import boundaries)"
npx eslint .
step "types (tsc --noEmit, node and web)"
npx tsc --noEmit -p tsconfig.node.json
npx tsc --noEmit -p tsconfig.web.json
step "build (electron-vite: main, preload, renderer; esbuild: the custodia command)"
npm run -s build >/dev/null
step "unit, conformance and CLI tests (vitest, real keychain)"
scripts/with-keyring.sh npx vitest run
step "end-to-end tests (Playwright in Debian's Chromium, against the headless host)"
scripts/with-keyring.sh npx playwright test
echo
echo "All checks passed."
