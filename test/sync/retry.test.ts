import { describe, expect, it } from 'vitest';
import { saveEndpoint, syncPass } from '../../src/core/sync';
import { PartnerHttpError } from '../../src/core/sync/partner-http';
import { backoffMs, withRetries } from '../../src/core/sync/retry';
import { TransportError } from '../../src/core/sync/transport';
import { startPartnerSim } from '../support/partner-sim/server';
import { freshLedger, SELLER_GLN, track } from './helpers';

const policy = { attempts: 4, baseMs: 100, capMs: 1_000, maxRetryAfterMs: 5_000 };

describe('retries and the circuit breaker', () => {
  it('full jitter stays between 0 and base·2^n (capped); Retry-After on 429/503 is what the partner asked', () => {
    expect(backoffMs({ ...policy, random: () => 0.999 }, 0)).toBe(99);
    expect(backoffMs({ ...policy, random: () => 0.999 }, 3)).toBe(799);
    expect(backoffMs({ ...policy, random: () => 0.999 }, 10)).toBe(999);
    expect(backoffMs({ ...policy, random: () => 0 }, 10)).toBe(0);
    expect(backoffMs(policy, 0, new PartnerHttpError(429, 'slow down', 3_000, null))).toBe(3_000);
    expect(backoffMs(policy, 0, new PartnerHttpError(503, 'later', 60_000, null))).toBe(5_000);
  });

  it('retries 5xx, timeouts and resets; not 400/401/403/406/415; gives up after its attempts', async () => {
    const fast = { ...policy, baseMs: 1, capMs: 2 };
    for (const [error, tries] of [
      [new PartnerHttpError(500, 'x', null, null), 4],
      [new TransportError('timeout', 'x'), 4],
      [new TransportError('reset', 'x'), 4],
      [new PartnerHttpError(400, 'x', null, null), 1],
      [new PartnerHttpError(401, 'x', null, null), 1],
      [new PartnerHttpError(403, 'x', null, null), 1],
      [new PartnerHttpError(406, 'x', null, null), 1],
      [new PartnerHttpError(415, 'x', null, null), 1],
      [new TransportError('certificate-expired', 'x'), 1],
    ] as const) {
      let n = 0;
      await expect(
        withRetries(fast, async () => {
          n++;
          throw error;
        }),
      ).rejects.toBe(error);
      expect({ status: error.message, kind: error.name, n }).toEqual({
        status: 'x',
        kind: error.name,
        n: tries,
      });
    }
  });

  it('a partner that keeps failing is paused (circuit open) and skipped by the timer, not by a person', async () => {
    const sim = track(await startPartnerSim({ faultRate: 1, faults: ['http500'] }));
    const deps = await freshLedger();
    const settings = {
      ...deps.settings,
      retry: { ...deps.settings.retry, attempts: 1 },
      openCircuitAfter: 3,
    };
    await saveEndpoint(deps, { name: 'Down Wholesale', glns: [SELLER_GLN], epcisUrl: sim.url }, {}, 'u-1');
    for (let i = 0; i < 3; i++) await syncPass({ ...deps, settings }, { actor: 'system', force: false });
    const [timer] = await syncPass({ ...deps, settings }, { actor: 'system', force: false });
    expect(timer).toMatchObject({
      skipped: true,
      message: expect.stringContaining('Paused after 3 failed syncs'),
    });
    const state = deps.ws.db.prepare('SELECT status, failures FROM sync_state').get();
    expect(state).toEqual({ status: 'open-circuit', failures: 3 });
    const requests = sim.log.length;
    const [person] = await syncPass({ ...deps, settings }, { actor: 'u-1', force: true });
    expect(person!.skipped).toBe(false);
    expect(sim.log.length).toBeGreaterThan(requests);
    // Back up: one good pass closes the circuit.
    sim.faultRate = 0;
    await syncPass({ ...deps, settings }, { actor: 'u-1', force: true });
    expect(deps.ws.db.prepare('SELECT status, failures FROM sync_state').get()).toEqual({
      status: 'ok',
      failures: 0,
    });
  });
});
