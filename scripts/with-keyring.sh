#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a real gnome-keyring Secret Service.
#   Tests (default): a throwaway keyring in a temp folder, unlocked with a throwaway password,
#     deleted afterwards. No fake keychain.
#   Headless servers: with CUSTODIA_KEYRING_PASSWORD set, the user's own persistent keyring
#     (~/.local/share/keyrings) is unlocked with that password, so keys survive restarts.
# Usage: scripts/with-keyring.sh COMMAND [ARGS...]
set -euo pipefail
if [ -n "${CUSTODIA_KEYRING_READY:-}" ]; then exec "$@"; fi
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: needs dbus and gnome-keyring (sudo apt-get install -y dbus gnome-keyring)" >&2
  exit 1
fi
if [ -n "${CUSTODIA_KEYRING_PASSWORD:-}" ]; then
  export CUSTODIA_KEYRING_MODE=persistent
else
  export CUSTODIA_KEYRING_MODE=throwaway CUSTODIA_KEYRING_HOME CUSTODIA_KEYRING_PASSWORD=throwaway-test-password
  CUSTODIA_KEYRING_HOME=$(mktemp -d)
  trap 'rm -rf "$CUSTODIA_KEYRING_HOME"' EXIT
fi
dbus-run-session -- bash -c '
  if [ "$CUSTODIA_KEYRING_MODE" = throwaway ]; then
    export XDG_DATA_HOME="$CUSTODIA_KEYRING_HOME/data" XDG_RUNTIME_DIR="$CUSTODIA_KEYRING_HOME/run"
    mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  fi
  eval "$(printf "%s" "$CUSTODIA_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets)"
  unset CUSTODIA_KEYRING_PASSWORD
  export GNOME_KEYRING_CONTROL CUSTODIA_KEYRING_READY=1
  exec "$@"
' with-keyring "$@" 2> >(grep --line-buffered -v "Failed to set fd limit" >&2)
