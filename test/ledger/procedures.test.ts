import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import type { AppEvent } from '../../src/core/api/events';
import type { Principal } from '../../src/core/api/principal';
import type { CallContext } from '../../src/core/api/router';
import { createCore, type Core } from '../../src/core/app';
import { verifyBundle } from '../../src/core/ledger/audit-verify';
import { leafHash, verifyInclusion } from '../../src/core/ledger/merkle';
import { parseVerifierKey } from '../../src/core/ledger/note';
import { silentLog } from '../../src/core/platform/log';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import { tempDir } from './helpers';

const officer: Principal = {
  userId: 'u-1',
  username: 'cora',
  displayName: 'Cora',
  roles: ['compliance-officer'],
};
const technician: Principal = { userId: 'u-2', username: 'tim', displayName: 'Tim', roles: ['technician'] };

let core: Core;
const events: AppEvent[] = [];
const ctx = (principal: Principal | null): CallContext => ({
  transport: 'cli',
  principal,
  emit: (e) => events.push(e),
});
async function call(method: string, input: unknown, principal: Principal | null = officer) {
  return core.router.call(ctx(principal), method, input);
}

beforeAll(() => {
  core = createCore({
    version: 'test',
    dataDir: tempDir(),
    log: silentLog,
    secrets: createMemorySecretStore(),
  });
});
afterAll(() => core.close());

describe('ledger procedures', () => {
  it('status is public and does not create a ledger; other calls need a signed-in person', async () => {
    expect(await call('ledger.status', undefined, null)).toMatchObject({
      ok: true,
      value: { state: 'not-created', size: null },
    });
    expect(await call('ledger.entries', {}, null)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(await call('ledger.verify', {}, technician)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await call('audit.export', {}, technician)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('creates the ledger on first use; status, checkpoint, entries and entry with proof', async () => {
    const cp = await call('ledger.checkpoint', {});
    expect(cp).toMatchObject({ ok: true, value: { size: expect.any(Number) } });
    const ledger = await call('ledger.status', {});
    expect(ledger).toMatchObject({ ok: true, value: { state: 'open', size: expect.any(Number) } });
    const page = await call('ledger.entries', { types: ['ledger.genesis'], limit: 10 });
    expect(page).toMatchObject({
      ok: true,
      value: { total: 1, entries: [{ seq: 0, type: 'ledger.genesis', actor: 'system' }] },
    });
    const filtered = await call('ledger.entries', { types: ['no.such'], limit: 10 });
    expect(filtered).toMatchObject({ ok: true, value: { total: 0, entries: [] } });
    // A category is its prefix with the dot (issue 19): "ledger." finds ledger.genesis, "ledger" alone nothing.
    const category = (await call('ledger.entries', { types: ['ledger.', 'no.such'], limit: 10 })) as {
      value: { total: number; entries: { type: string }[] };
    };
    expect(category.value.total).toBeGreaterThan(0);
    expect(category.value.entries.every((e) => e.type.startsWith('ledger.'))).toBe(true);
    expect(await call('ledger.entries', { types: ['ledger'], limit: 10 })).toMatchObject({
      value: { total: 0 },
    });
    const entry = await call('ledger.entry', { seq: 0 });
    expect(entry.ok).toBe(true);
    const value = (
      entry as {
        value: {
          canonicalJson: string;
          leafHash: string;
          proof: { treeSize: number; root: string; path: string[] };
        };
      }
    ).value;
    expect(leafHash(Buffer.from(value.canonicalJson)).toString('base64')).toBe(value.leafHash);
    const b = (s: string) => Buffer.from(s, 'base64');
    expect(
      verifyInclusion(
        0,
        value.proof.treeSize,
        b(value.leafHash),
        value.proof.path.map(b),
        b(value.proof.root),
      ),
    ).toBe(true);
    expect(await call('ledger.entry', { seq: 99 })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('verify reports progress events and a plain-language result; export writes a verifiable bundle', async () => {
    const result = await call('ledger.verify', { jobId: 'job-1' });
    expect(result).toMatchObject({ ok: true, value: { jobId: 'job-1', status: 'consistent' } });
    expect(events.some((e) => e.topic === 'job.progress' && e.jobId === 'job-1')).toBe(true);
    expect(events.some((e) => e.topic === 'job.finished' && e.jobId === 'job-1' && e.ok)).toBe(true);
    const exported = await call('audit.export', {});
    expect(exported.ok).toBe(true);
    const value = (exported as { value: { path: string; verifierKey: string } }).value;
    expect(value.path).toContain('/exports/');
    const report = await verifyBundle(fs.readFileSync(value.path), {
      trustedKeys: [parseVerifierKey(value.verifierKey)],
    });
    expect(report.verdict.status).toBe('consistent');
    const info = await call('system.info', {}, null);
    expect(info).toMatchObject({ ok: true, value: { ledger: { state: 'open' } } });
  });
});
