import { describe, expect, it } from 'vitest';
import { enqueueCapture, listOutbox, requestVerification, saveEndpoint, syncPass } from '../../src/core/sync';
import { shippingEvents, startPartnerSim } from '../support/partner-sim/server';
import { freshLedger, GTIN, OUR_GLN, SELLER_GLN, track } from './helpers';

const doc = (events: unknown[]) =>
  Buffer.from(
    JSON.stringify({
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2026-03-02T00:00:00Z',
      epcisBody: { eventList: events },
    }),
  );
// Our shipments to the partner (a distributor's customer): the partner's capture interface takes them.
const ours = (n: number, prefix: string) =>
  shippingEvents(n, {
    gtin: GTIN,
    sellerGln: OUR_GLN,
    ourGln: SELLER_GLN,
    startMs: Date.UTC(2026, 2, 2),
    prefix,
  });

describe('capture through the outbox', () => {
  it("splits to the partner's capture limit, polls each job until it stops running, and stores each event once", async () => {
    const sim = track(await startPartnerSim({ captureLimit: 4, jobPolls: 2 }));
    const deps = await freshLedger();
    const partnerId = await saveEndpoint(
      deps,
      { name: 'Riverside Clinic', role: 'dispenser', glns: [SELLER_GLN], epcisUrl: sim.url },
      {},
      'u-1',
    );
    const events = ours(10, 'cap');
    await enqueueCapture(deps.ws, partnerId, doc(events), 'shipment 77', 'u-1');
    const [r] = await syncPass(deps, { actor: 'u-1', force: true });
    expect(r).toMatchObject({ ok: true, delivered: 3, dead: 0 });
    expect([...sim.stored.values()]).toEqual(Array(10).fill(1));
    // GS1-Capture-Error-Behaviour: rollback on every POST; OPTIONS asked for the limits.
    const posts = sim.log.filter((l) => l.method === 'POST' && l.path === '/capture');
    expect(posts).toHaveLength(3);
    expect(posts.every((p) => p.headers['gs1-capture-error-behaviour'] === 'rollback')).toBe(true);
    expect(sim.log.some((l) => l.method === 'OPTIONS' && l.path === '/capture')).toBe(true);
    expect(listOutbox(deps.ws.db).map((o) => o.state)).toEqual(['delivered', 'delivered', 'delivered']);
    // Enqueue and outcome are ledger entries; polls and attempts are not.
    const types = deps.ws.db
      .prepare("SELECT type, count(*) AS n FROM ledger_leaves WHERE type LIKE 'sync.%' GROUP BY type")
      .all();
    expect(types).toEqual(
      expect.arrayContaining([
        { type: 'sync.enqueued', n: 4 },
        { type: 'sync.delivered', n: 3 },
      ]),
    );
  });

  it('a POST whose answer was lost is checked by eventID before anything is sent again', async () => {
    const sim = track(await startPartnerSim({ faultRate: 1, faults: ['reset'] }));
    const deps = await freshLedger();
    const partnerId = await saveEndpoint(
      deps,
      { name: 'Riverside Clinic', glns: [SELLER_GLN], epcisUrl: sim.url },
      {},
      'u-1',
    );
    await enqueueCapture(deps.ws, partnerId, doc(ours(3, 'lost')), 'shipment 78', 'u-1');
    // Every answer is cut: the job was created, the Location never arrived.
    const [first] = await syncPass(deps, { actor: 'u-1', force: true });
    expect(first!.delivered).toBe(0);
    expect(listOutbox(deps.ws.db)[0]!.state).toBe('posted');
    sim.faultRate = 0;
    await new Promise((r) => setTimeout(r, 700)); // the job has finished; the grace has passed
    const [second] = await syncPass(deps, { actor: 'u-1', force: true });
    expect(second!.delivered).toBe(1);
    expect([...sim.stored.values()]).toEqual([1, 1, 1]);
    expect(sim.log.filter((l) => l.method === 'GET' && l.path === '/events').length).toBeGreaterThan(0);
  });

  it("a document the partner rejects is a dead letter with the partner's reason", async () => {
    const sim = track(await startPartnerSim());
    const deps = await freshLedger();
    const partnerId = await saveEndpoint(
      deps,
      { name: 'Riverside Clinic', glns: [SELLER_GLN], epcisUrl: sim.url },
      {},
      'u-1',
    );
    await enqueueCapture(
      deps.ws,
      partnerId,
      doc([{ ...ours(1, 'bad')[0], eventTime: undefined }]),
      'broken',
      'u-1',
    );
    const [r] = await syncPass(deps, { actor: 'u-1', force: true });
    expect(r!.dead).toBe(1);
    const [row] = listOutbox(deps.ws.db);
    expect(row).toMatchObject({ state: 'dead' });
    expect(row!.lastError).toMatch(/rejected the document: an event lacks its type or eventTime/);
    expect(sim.stored.size).toBe(0);
  });
});

describe('product verification (GS1 Lightweight Messaging)', () => {
  const pkg = { gtin: GTIN, lot: 'A123', expiry: '2028-01-31', serial: 'SER0001' };
  it('records verified, each failure reason, and shows a slow responder as no answer yet', async () => {
    const sim = track(
      await startPartnerSim({ slowSerials: { SLOW1: 2_500 }, responderGln: '0300011111116' }),
    );
    sim.packages.push({
      gtin: GTIN,
      lot: 'A123',
      expiry: '280131',
      serial: 'SER0001',
      additionalInfo: 'Recalled',
    });
    const deps = await freshLedger();
    const partnerId = await saveEndpoint(
      deps,
      { name: 'Maker Pharma', role: 'manufacturer', glns: [SELLER_GLN], verifyUrl: sim.url },
      {},
      'u-1',
    );
    const ask = (p: typeof pkg) =>
      requestVerification(deps, {
        partnerId,
        ...p,
        context: 'dscsaSaleableReturn',
        actor: 'u-1',
        budgetMs: 1_000,
      });

    const ok = await ask(pkg);
    expect(ok).toMatchObject({
      status: 'verified',
      responderGln: '0300011111116',
      additionalInfo: 'Recalled',
    });
    const request = sim.log.find((l) => l.path.startsWith('/verify/'))!;
    expect(request.path).toBe(`/verify/gtin/${GTIN}/lot/A123/ser/SER0001`);

    expect(await ask({ ...pkg, gtin: '00300010000007' })).toMatchObject({
      status: 'not-verified',
      failureReason: 'No_match_GTIN',
    });
    expect(await ask({ ...pkg, serial: 'NOPE' })).toMatchObject({
      status: 'not-verified',
      failureReason: 'No_match_GTIN_Serial',
    });
    expect(await ask({ ...pkg, lot: 'B9' })).toMatchObject({
      status: 'not-verified',
      failureReason: 'No_match_GTIN_Serial_Lot',
    });
    expect(await ask({ ...pkg, expiry: '2029-01-31' })).toMatchObject({
      status: 'not-verified',
      failureReason: 'No_match_GTIN_Serial_Lot_Expiry',
    });

    const started = Date.now();
    const slow = await ask({ ...pkg, serial: 'SLOW1' });
    expect(Date.now() - started).toBeLessThan(1_800);
    expect(slow.status).toBe('no-answer-yet');
    // The background pass asks again with the same corrUUID and records the answer once.
    sim.packages.push({ gtin: GTIN, lot: 'A123', expiry: '280131', serial: 'SLOW1' });
    await new Promise((r) => setTimeout(r, 2_000));
    const [pass] = await syncPass(
      { ...deps, settings: { ...deps.settings, timeoutMs: 5_000 } },
      { actor: 'u-1', force: true },
    );
    expect(pass!.delivered).toBe(1);
    const row = deps.ws.db
      .prepare('SELECT verified, corr_uuid FROM sync_verifications WHERE outbox_id = ?')
      .get(slow.id) as {
      verified: number;
      corr_uuid: string;
    };
    expect(row.verified).toBe(1);
    const slowAsks = sim.log.filter((l) => l.path.endsWith('/ser/SLOW1'));
    expect(slowAsks.length).toBeGreaterThanOrEqual(2);
    // The serial is sealed in the database, never stored as text.
    expect(JSON.stringify(deps.ws.db.prepare('SELECT * FROM sync_verifications').all())).not.toContain(
      'SER0001',
    );
  });
});
