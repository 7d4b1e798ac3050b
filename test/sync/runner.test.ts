import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../src/core/api';
import { LedgerService } from '../../src/core/ledger/service';
import { savePartner } from '../../src/core/partners';
import { Jobs } from '../../src/core/platform/jobs';
import { silentLog } from '../../src/core/platform/log';
import { projections } from '../../src/core/projections';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import { saveEndpoint, SyncRunner } from '../../src/core/sync';
import { shippingEvents, startPartnerSim } from '../support/partner-sim/server';
import { FAST, GTIN, OUR_GLN, SELLER_GLN, tempDir, track } from './helpers';

describe('background pulls', () => {
  it('the timer pulls a partner once its ledger is open, with progress events, and never opens the ledger itself', async () => {
    const sim = track(await startPartnerSim());
    sim.serve(
      shippingEvents(9, {
        gtin: GTIN,
        sellerGln: SELLER_GLN,
        ourGln: OUR_GLN,
        startMs: Date.UTC(2026, 2, 1, 8),
      }),
    );
    const events: AppEvent[] = [];
    const service = new LedgerService({
      dataDir: tempDir(),
      appVersion: 'test',
      log: silentLog,
      emit: (e) => events.push(e),
      projections,
      secrets: createMemorySecretStore(),
    });
    const runner = new SyncRunner({
      service,
      jobs: new Jobs(),
      emit: (e) => events.push(e),
      log: silentLog,
      settings: FAST,
      tickMs: 50,
    });
    try {
      await new Promise((r) => setTimeout(r, 200));
      // Nobody opened the ledger: the timer did not either.
      expect(service.currentWorkspace).toBeNull();
      await service.useOpened(async (opened) => {
        const deps = { ws: opened.workspace, secrets: opened.installation.secrets };
        await savePartner(
          opened.workspace,
          { name: 'Us', role: 'self', authorized: true, glns: [OUR_GLN] },
          'u-1',
        );
        await saveEndpoint(
          deps,
          {
            name: 'Keystone',
            glns: [SELLER_GLN],
            authorized: true,
            licence: 'WD-1',
            epcisUrl: sim.url,
            perPage: 4,
          },
          {},
          'u-1',
        );
      });
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && !events.some((e) => e.topic === 'job.finished'))
        await new Promise((r) => setTimeout(r, 50));
      const finished = events.find((e) => e.topic === 'job.finished') as Extract<
        AppEvent,
        { topic: 'job.finished' }
      >;
      expect(finished).toMatchObject({
        ok: true,
        message: expect.stringContaining('Keystone: 9 new event(s) from 3 page(s)'),
      });
      expect(events.filter((e) => e.topic === 'job.progress').length).toBe(3);
      const count = await service.use((ws) =>
        ws.db.prepare('SELECT count(*) FROM trace_events').pluck().get(),
      );
      expect(count).toBe(9);
    } finally {
      await runner.close();
      service.close();
    }
  });
});
