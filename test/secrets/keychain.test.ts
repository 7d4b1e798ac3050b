import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyKeychainMessage, createKeytarSecretStore } from '../../src/core/secrets/keytar-store';
import { tempDir } from '../store/helpers';
import { freshKeychainScope, lastJson, repoRoot, requireKeyring, runChild, runCommand } from './keyring';

requireKeyring();

interface OpenResult {
  ok: boolean;
  kind?: string;
  causeKind?: string;
  message?: string;
}

describe('OS keychain (real Secret Service)', () => {
  it('stores, reads and deletes secrets, scoped so two scopes never see each other', async () => {
    const a = freshKeychainScope();
    const b = freshKeychainScope();
    expect(await a.get('db-key')).toBeNull();
    await a.set('db-key', 'ünïcode ✓ value');
    expect(await a.get('db-key')).toBe('ünïcode ✓ value');
    expect(await b.get('db-key')).toBeNull();
    await a.set('db-key', 'replaced');
    expect(await a.get('db-key')).toBe('replaced');
    expect(await a.delete('db-key')).toBe(true);
    expect(await a.delete('db-key')).toBe(false);
    expect(await a.get('db-key')).toBeNull();
  });

  it('files entries under service "Custodia", account scope/name', async () => {
    const keytar = (await import('keytar')).default;
    const store = createKeytarSecretStore('scope-check');
    await store.set('probe-name', 'v');
    expect(await keytar.getPassword('Custodia', 'scope-check/probe-name')).toBe('v');
    await store.delete('probe-name');
  });

  it('refuses to create a ledger when no Secret Service is reachable, and writes no database', async () => {
    const dataDir = tempDir();
    const result = await runChild('open-installation.ts', [dataDir], {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dataDir, 'no-such-bus')}`,
    });
    const outcome = lastJson<OpenResult>(result.stdout);
    expect(outcome).toMatchObject({ ok: false, kind: 'keychain-unavailable', causeKind: 'unavailable' });
    expect(outcome.message).toMatch(/Secret Service/);
    const left = fs.readdirSync(dataDir);
    expect(left.filter((name) => /ledger\.db|installation\.json/.test(name))).toEqual([]);
  });

  it('refuses to open or create a ledger while the keyring is locked, and writes no database', async () => {
    const existing = tempDir();
    const fresh = tempDir();
    // A private keyring session of its own, so locking it does not disturb the other tests.
    const env = { ...process.env };
    delete env.CUSTODIA_KEYRING_READY;
    const result = await runCommand(
      'bash',
      [
        path.join(repoRoot, 'scripts/with-keyring.sh'),
        process.execPath,
        '--import',
        'tsx',
        path.join(repoRoot, 'test/secrets/children/locked-keyring.ts'),
        existing,
        fresh,
      ],
      env,
    );
    const outcome = lastJson<{ reopen: OpenResult; create: OpenResult }>(result.stdout);
    // libsecret reads a locked collection as "no such secret"; the store must not mistake that for
    // missing keys (which would send the person to their recovery kit) nor create anything.
    expect(outcome.reopen).toMatchObject({ ok: false, kind: 'keychain-unavailable', causeKind: 'locked' });
    expect(outcome.create).toMatchObject({ ok: false, kind: 'keychain-unavailable', causeKind: 'locked' });
    expect(outcome.create.message).toMatch(/[Uu]nlock/);
    expect(fs.readdirSync(fresh).filter((name) => name.startsWith('ledger.db'))).toEqual([]);
  });

  it('loads the keytar native module only when a secret is first read or written', async () => {
    const result = await runChild('lazy-keytar.ts', [], process.env);
    expect(lastJson(result.stdout)).toEqual({ before: false, afterCreate: false, afterCall: true });
  });

  it('sorts platform messages into unavailable, locked and denied', () => {
    expect(classifyKeychainMessage('Could not connect: No such file or directory')).toBe('unavailable');
    expect(classifyKeychainMessage('Cannot autolaunch D-Bus without X11 $DISPLAY')).toBe('unavailable');
    expect(classifyKeychainMessage('Cannot create an item in a locked collection')).toBe('locked');
    expect(classifyKeychainMessage('User interaction is not allowed.')).toBe('locked');
    expect(classifyKeychainMessage('Prompt dismissed')).toBe('denied');
  });
});
