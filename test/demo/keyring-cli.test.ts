import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuiltCli, noDesktopEnv, repoRoot, STACK_TRACE } from './support';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-keyring-cli-'));
const DEMO_FILE = path.join(repoRoot, 'resources', 'demo', 'files', '2026-03-02-keystone-epcis.xml');

function custodia(args: string[], env: NodeJS.ProcessEnv) {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

beforeAll(ensureBuiltCli);
afterAll(() => {
  spawnSync(process.execPath, [CLI, 'keyring', 'stop', '--data', path.join(base, 'kept')], {
    env: noDesktopEnv(),
  });
  fs.rmSync(base, { recursive: true, force: true });
});

describe('the command line without a desktop session', () => {
  it('asks for the keyring password in words when it has none, and leaves nothing behind', () => {
    const dir = path.join(base, 'no-password');
    const r = custodia(['import', DEMO_FILE, '--data', dir], noDesktopEnv());
    expect(r.code).toBe(1);
    expect(r.err).toContain('CUSTODIA_KEYRING_PASSWORD');
    expect(r.err).toContain('run the command in a terminal to be asked once');
    expect(r.err).not.toMatch(STACK_TRACE);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('a command that fails for want of a keychain says so and removes the lock and folder it made', () => {
    const dir = path.join(base, 'no-keychain');
    const env = {
      ...noDesktopEnv(),
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(base, 'no-such-bus')}`,
    };
    const r = custodia(['import', DEMO_FILE, '--data', dir], env);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/keychain/i);
    expect(r.err).not.toMatch(STACK_TRACE);
    expect(fs.existsSync(path.join(dir, 'ledger.lock'))).toBe(false);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('starts one keyring per data folder, reuses it, and refuses a wrong password after a restart', () => {
    const dir = path.join(base, 'kept');
    const env = noDesktopEnv({ CUSTODIA_KEYRING_PASSWORD: 'first keyring password' });
    expect(custodia(['demo', 'load', '--data', dir], env).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'keyring', 'data', 'keyrings'))).toBe(true);
    // The running keyring is reused: no password needed now.
    const reused = custodia(['ledger', 'verify', '--data', dir], noDesktopEnv());
    expect(reused.code, reused.err).toBe(0);
    // A demo folder inside a data folder uses that folder's keyring, as the app does.
    expect(custodia(['keyring', 'stop', '--data', dir], noDesktopEnv()).out).toContain('Stopped the keyring');
    const wrong = custodia(
      ['ledger', 'verify', '--data', dir],
      noDesktopEnv({ CUSTODIA_KEYRING_PASSWORD: 'not it' }),
    );
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('the keyring password for');
    expect(wrong.err).not.toMatch(STACK_TRACE);
    const right = custodia(['ledger', 'verify', '--data', dir], env);
    expect(right.code, right.err).toBe(0);
    // A second demo load into the same folder says what to do.
    const again = custodia(['demo', 'load', '--data', dir], env);
    expect(again.code).toBe(2);
    expect(again.err).toContain('add --reset');
  });

  it("a ledger made with the user's own keyring (with-keyring.sh and a password) keeps using it", () => {
    const home = path.join(base, 'home');
    const dir = path.join(base, 'legacy');
    fs.mkdirSync(home);
    const env = noDesktopEnv({ HOME: home, CUSTODIA_KEYRING_PASSWORD: 'user keyring password' });
    delete env.XDG_DATA_HOME;
    delete env.XDG_RUNTIME_DIR;
    const made = spawnSync(
      'scripts/with-keyring.sh',
      [process.execPath, CLI, 'demo', 'load', '--data', dir],
      {
        cwd: repoRoot,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(made.status, made.stderr).toBe(0);
    expect(fs.existsSync(path.join(home, '.local', 'share', 'keyrings', 'login.keyring'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'keyring'))).toBe(false);
    try {
      const verified = custodia(['ledger', 'verify', '--data', dir], env);
      expect(verified.code, verified.err).toBe(0);
      expect(fs.existsSync(path.join(dir, 'keyring'))).toBe(false);
    } finally {
      custodia(['keyring', 'stop', '--data', dir], env);
    }
  });
});
