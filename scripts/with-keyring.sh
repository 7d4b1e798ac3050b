#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a real gnome-keyring Secret Service,
# unlocked with a throwaway password: what the keychain tests need, with no fake keychain.
# Usage: scripts/with-keyring.sh COMMAND [ARGS...]
set -euo pipefail
if [ -n "${CUSTODIA_KEYRING_READY:-}" ]; then exec "$@"; fi
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: needs dbus and gnome-keyring (sudo apt-get install -y dbus gnome-keyring)" >&2
  exit 1
fi
export CUSTODIA_KEYRING_HOME
CUSTODIA_KEYRING_HOME=$(mktemp -d)
trap 'rm -rf "$CUSTODIA_KEYRING_HOME"' EXIT
exec dbus-run-session -- bash -c '
  export HOME_KEYRING="$CUSTODIA_KEYRING_HOME"
  export XDG_DATA_HOME="$CUSTODIA_KEYRING_HOME/data" XDG_RUNTIME_DIR="$CUSTODIA_KEYRING_HOME/run"
  mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  eval "$(printf "%s" "throwaway-test-password" | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL CUSTODIA_KEYRING_READY=1
  exec "$@"
' with-keyring "$@" 2> >(grep -v "Failed to set fd limit" >&2)
