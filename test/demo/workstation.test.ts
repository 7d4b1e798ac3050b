import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import { createWorkstation } from '../../src/core/workstation';
import { silentLog } from '../../src/core/platform/log';
import { repoRoot } from './support';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function workstation() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-workstation-'));
  made.push(dataDir);
  const ws = createWorkstation({
    version: 'test',
    dataDir,
    log: silentLog,
    secrets: createMemorySecretStore(),
    folderWatch: { timer: false },
    demoResources: path.join(repoRoot, 'resources', 'demo'),
  });
  // A transport's session, as the host keeps one per browser: it follows the workstation's switches.
  const slot = ws.sessions.slot('http:test');
  const call = async (method: string, input: unknown = {}) => {
    const result = await ws.router.call(
      { transport: 'http', principal: null, emit: () => {}, session: slot },
      method,
      input,
    );
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as Record<string, unknown>;
  };
  return { ws, call, dataDir };
}

describe('the workstation: the pharmacy’s own ledger or the demo, never mixed', () => {
  it('enters the demo from first run, leaves it untouched, reopens it, starts it afresh', async () => {
    const { ws, call, dataDir } = workstation();
    try {
      expect(await call('setup.status')).toMatchObject({ complete: false, demo: false });
      expect(await call('demo.status')).toMatchObject({ available: true, active: false, loaded: false });

      const entered = await call('demo.enter');
      expect(entered).toMatchObject({ active: true, loaded: true, dataDir: path.join(dataDir, 'demo') });
      expect((entered.people as unknown[]).length).toBe(5);
      expect(await call('setup.status')).toMatchObject({ complete: true, demo: true });
      await call('auth.signIn', { username: 'paula', password: 'demo pharmacist march' });
      expect((await call('ingest.files')).total).toBe(7);
      expect((await call('quarantine.list')).total).toBe(1);
      expect((await call('system.info')).dataDir).toBe(path.join(dataDir, 'demo'));
      // The demo's sessions behave as the pharmacy's: locking and unlocking reach the same session.
      await call('auth.lock');
      expect(await call('auth.session')).toMatchObject({ state: 'locked' });
      await call('auth.unlock', { password: 'demo pharmacist march' });
      expect(await call('auth.session')).toMatchObject({ state: 'active' });

      // The demo mark is the ledger's: an administrator's registrant update keeps it.
      await call('auth.signIn', { username: 'alice', password: 'demo administrator march' });
      const registrant = await call('setup.registrant');
      expect(registrant.demo).toBe(true);
      const edited: Record<string, unknown> = { ...registrant, phone: '(217) 555-0199' };
      delete edited.demo;
      expect(await call('setup.updateRegistrant', { registrant: edited })).toMatchObject({ demo: true });

      // Leaving: the pharmacy's own ledger, not set up, nobody signed in there.
      expect(await call('demo.leave')).toMatchObject({ active: false, loaded: true });
      expect(await call('setup.status')).toMatchObject({ complete: false, demo: false });
      expect(ws.services.dataDir).toBe(dataDir);

      // Back in: as it was left; afresh: a new ledger with the same month.
      await call('demo.enter');
      await call('auth.signIn', { username: 'alice', password: 'demo administrator march' });
      expect((await call('setup.registrant')).phone).toBe('(217) 555-0199');
      await call('demo.reset');
      await call('auth.signIn', { username: 'alice', password: 'demo administrator march' });
      expect((await call('setup.registrant')).phone).toBe('(217) 555-0100');
      await call('demo.leave');
    } finally {
      await ws.close();
    }
  });

  it('offers the demo on first run only: a pharmacy set up here keeps its ledger on screen', async () => {
    const { ws, call } = workstation();
    try {
      await call('setup.initialize', {
        registrant: {
          name: 'Real Pharmacy',
          address: { line1: '2 Elm St', city: 'Springfield', state: 'IL', zip: '62701' },
          deaNumber: 'BR1234563',
          stateLicense: 'IL-1',
          glns: [],
          businessType: 'pharmacy',
          demo: true,
        },
        administrator: { username: 'owner', displayName: 'Owner', password: 'a long enough passphrase' },
      });
      // Nobody marks a real ledger DEMO through setup.
      expect(await call('setup.status')).toMatchObject({ complete: true, demo: false });
      await expect(call('demo.enter')).rejects.toMatchObject({ code: 'conflict' });
      await expect(call('demo.reset')).rejects.toMatchObject({ code: 'conflict' });
    } finally {
      await ws.close();
    }
  });
});
