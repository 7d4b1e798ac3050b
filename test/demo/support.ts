import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(repoRoot, 'out', 'cli', 'index.js');

/** The built `custodia` command (npm run build makes it; built here when a test runs alone). */
export function ensureBuiltCli(): void {
  if (fs.existsSync(CLI)) return;
  const built = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`could not build the CLI: ${built.stderr}`);
}

/**
 * The environment of a shell on a machine without a desktop session. The test command itself runs
 * inside a keyring session (scripts/with-keyring.sh), so its traces are cleared here.
 */
export function noDesktopEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.GNOME_KEYRING_CONTROL;
  delete env.CUSTODIA_KEYRING_READY;
  delete env.CUSTODIA_KEYRING_PASSWORD;
  delete env.CUSTODIA_PASSWORD;
  return { ...env, ...extra };
}

/** A Node stack trace line ("    at fn (file:1:2)"): no command may print one. */
export const STACK_TRACE = /^\s+at .*:\d+:\d+\)?$/m;
