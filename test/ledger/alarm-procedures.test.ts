import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/core/api/principal';
import type { CallContext } from '../../src/core/api/router';
import { createCore, type Core } from '../../src/core/app';
import { verifyBundle } from '../../src/core/ledger/audit-verify';
import { parseVerifierKey } from '../../src/core/ledger/note';
import { silentLog } from '../../src/core/platform/log';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import { tempDir } from './helpers';

/**
 * Issue 17 scope 1 through the API, as the app and serve see it: under a rollback alarm the status
 * says so with the ways on, verify fails, an audit export still comes out (saying it was taken
 * under the alarm, with nothing appended), and writes are refused with the alarm's text.
 */
const officer: Principal = {
  userId: 'u-1',
  username: 'cora',
  displayName: 'Cora',
  roles: ['compliance-officer'],
};
const ctx: CallContext = { transport: 'cli', principal: officer, emit: () => undefined };
const dataDir = tempDir();
const secrets = createMemorySecretStore();
const open = () => createCore({ version: 'test', dataDir, log: silentLog, secrets });
let core: Core | null = null;

afterAll(async () => {
  await core?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the ledger procedures under a standing alarm', () => {
  it('status, verify, export and writes after a rollback', async () => {
    core = open();
    expect(await core.router.call(ctx, 'ledger.checkpoint', {})).toMatchObject({ ok: true });
    await core.close();
    const older = fs.readFileSync(path.join(dataDir, 'ledger.db'));
    core = open();
    // Three exports: three entries and checkpoints the older copy will not have.
    for (let i = 0; i < 3; i++)
      expect(await core.router.call(ctx, 'audit.export', {})).toMatchObject({ ok: true });
    await core.close();
    fs.writeFileSync(path.join(dataDir, 'ledger.db'), older);
    for (const side of ['-wal', '-shm']) fs.rmSync(path.join(dataDir, `ledger.db${side}`), { force: true });

    core = open();
    const status = await core.router.call(ctx, 'ledger.status', {});
    expect(status).toMatchObject({ ok: true, value: { state: 'alarm' } });
    const message = (status as { value: { message: string } }).value.message;
    expect(message).toContain('are gone');
    expect(message).toContain('restore the latest backup');
    const info = await core.router.call(ctx, 'system.info', {});
    expect(info).toMatchObject({ ok: true, value: { ledger: { state: 'alarm' } } });
    // The dashboard's health never says all is well under an alarm: the ledger check names it.
    const health = await core.router.call(ctx, 'system.health', {});
    expect(health).toMatchObject({ ok: true, value: { ok: false } });
    const checks = (health as { value: { checks: { name: string; ok: boolean; message: string }[] } }).value
      .checks;
    expect(checks.find((check) => check.name === 'ledger')).toMatchObject({ ok: false });
    expect(checks.find((check) => check.name === 'ledger')?.message).toContain('are gone');

    const verified = await core.router.call(ctx, 'ledger.verify', {});
    expect(verified).toMatchObject({ ok: true, value: { status: 'inconsistent' } });
    expect((verified as { value: { message: string } }).value.message).toContain('are gone');

    const size = (status as { value: { size: number } }).value.size;
    const exported = await core.router.call(ctx, 'audit.export', {});
    expect(exported).toMatchObject({ ok: true });
    const value = (
      exported as { value: { path: string; verifierKey: string; alarm: string | null; end: number } }
    ).value;
    expect(value.alarm).toContain('are gone');
    expect(value.end).toBe(size);
    const report = await verifyBundle(fs.readFileSync(value.path), {
      trustedKeys: [parseVerifierKey(value.verifierKey)],
    });
    expect(report.verdict.status).toBe('consistent');
    expect(report.notes.join(' ')).toContain('exported while the ledger stood under an alarm');
    // Any write, through the one write path, is refused with the alarm's text.
    // (a failed sign-in is recorded as an entry: here it cannot be, and says why).
    const failed = await core.router.call({ ...ctx, principal: null }, 'auth.signIn', {
      username: 'nobody',
      password: 'not-a-password',
    });
    expect(failed).toMatchObject({ ok: false, error: { code: 'integrity-alarm' } });
    expect((failed as { error: { message: string } }).error.message).toContain('are gone');
    const after = await core.router.call(ctx, 'ledger.status', {});
    expect((after as { value: { size: number } }).value.size).toBe(size);
  });
});
