import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/core/api/principal';
import { createCore, type Core } from '../../src/core/app';
import { openRecoveryKit } from '../../src/core/keys/recovery-kit';
import { silentLog } from '../../src/core/platform/log';

// The window's way to a recovery kit: through the router, against the real keychain.
const admin: Principal = { userId: 'u-1', username: 'ada', displayName: 'Ada', roles: ['administrator'] };
const technician: Principal = { userId: 'u-2', username: 'tim', displayName: 'Tim', roles: ['technician'] };
const PASSPHRASE = 'maple street recovery kit 2026';

let core: Core;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-kit-api-'));
const call = (method: string, input: unknown, principal: Principal | null) =>
  core.router.call({ transport: 'http', principal, emit: () => {} }, method, input);

beforeAll(() => {
  core = createCore({ version: 'test', dataDir, log: silentLog });
});
afterAll(async () => {
  await core.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('keys.recoveryKit', () => {
  it('returns a kit that opens with the passphrase and records that it was made, without the keys', async () => {
    const result = await call('keys.recoveryKit', { passphrase: PASSPHRASE }, admin);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const kit = result.value as {
      fileName: string;
      text: string;
      secretNames: string[];
      notYetCreated: string[];
    };
    expect(kit.fileName).toMatch(/^custodia-recovery-kit-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.json$/);
    expect(kit.notYetCreated).toEqual([]);
    const { contents } = openRecoveryKit(kit.text, PASSPHRASE);
    expect(Object.keys(contents.secrets).sort()).toEqual([...kit.secretNames].sort());
    expect(() => openRecoveryKit(kit.text, 'not the passphrase at all')).toThrow();

    const page = await call('ledger.entries', { types: ['keys.recovery-kit-made'] }, admin);
    expect(page.ok).toBe(true);
    if (!page.ok) return;
    const entries = (page.value as { entries: { seq: number; actor: string }[] }).entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor).toBe('ada');
    const entry = await call('ledger.entry', { seq: entries[0]!.seq }, admin);
    const canonical = entry.ok ? (entry.value as { canonicalJson: string }).canonicalJson : '';
    expect(canonical).toContain('secretNames');
    for (const secret of Object.values(contents.secrets)) expect(canonical).not.toContain(secret);
    expect(canonical).not.toContain(PASSPHRASE);
  });

  it('refuses a weak passphrase with a reason, and anyone but an administrator', async () => {
    const weak = await call('keys.recoveryKit', { passphrase: 'short' }, admin);
    expect(weak.ok ? null : weak.error.code).toBe('invalid-input');
    const tech = await call('keys.recoveryKit', { passphrase: PASSPHRASE }, technician);
    expect(tech.ok ? null : tech.error.code).toBe('forbidden');
    const nobody = await call('keys.recoveryKit', { passphrase: PASSPHRASE }, null);
    expect(nobody.ok ? null : nobody.error.code).toBe('unauthenticated');
  });
});
