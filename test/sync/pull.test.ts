import { describe, expect, it } from 'vitest';
import { saveEndpoint, syncPass } from '../../src/core/sync';
import { shippingEvents, startPartnerSim } from '../support/partner-sim/server';
import { freshLedger, GTIN, OUR_GLN, SELLER_GLN, track } from './helpers';

const START = Date.UTC(2026, 2, 1, 8, 0);
const AUTHORIZED = {
  name: 'Keystone Wholesale',
  glns: [SELLER_GLN],
  authorized: true,
  licence: 'PA wholesale distributor licence WD-1234',
  licenceChecked: 'PA Department of Health licence lookup',
  licenceExpires: '2027-06-30',
};

describe('EPCIS 2.0 pull', () => {
  it('follows Link rel="next" pages into the ledger once, across equal record times and repeated passes', async () => {
    const sim = track(await startPartnerSim({ auth: 'bearer:tok-123' }));
    // 3 events per record time and 4 per page: equal times straddle every page boundary.
    sim.serve(
      shippingEvents(23, { gtin: GTIN, sellerGln: SELLER_GLN, ourGln: OUR_GLN, startMs: START, perTime: 3 }),
    );
    const deps = await freshLedger();
    const partnerId = await saveEndpoint(
      deps,
      { ...AUTHORIZED, epcisUrl: sim.url, auth: 'bearer', perPage: 4, overlapMs: 2_000 },
      { secret: 'tok-123' },
      'test-user',
    );
    const [first] = await syncPass(deps, { actor: 'test-user', force: true });
    expect(first).toMatchObject({ partnerId, ok: true, pages: 6, events: 23 });
    const count = () => deps.ws.db.prepare('SELECT count(*) FROM trace_events').pluck().get();
    expect(count()).toBe(23);
    const cursor = deps.ws.db
      .prepare('SELECT cursor_record_time FROM sync_state WHERE partner_id = ?')
      .pluck()
      .get(partnerId);
    expect(cursor).toBe(new Date(START + 7_000).toISOString());

    // Every request carried the versions and the paging parameters of the bindings.
    const first_ = sim.log.find((l) => l.path === '/events')!;
    expect(first_.headers['gs1-epcis-version']).toBe('2.0.0');
    expect(first_.headers['gs1-cbv-version']).toBe('2.0.0');

    // A second pass re-reads the overlap window: nothing new, nothing twice.
    sim.serve(
      shippingEvents(5, {
        gtin: GTIN,
        sellerGln: SELLER_GLN,
        ourGln: OUR_GLN,
        startMs: START + 7_000,
        perTime: 5,
        prefix: 'late',
      }),
    );
    const [second] = await syncPass(deps, { actor: 'test-user', force: true });
    expect(second!.ok).toBe(true);
    expect(count()).toBe(28);
    const [third] = await syncPass(deps, { actor: 'test-user', force: true });
    expect(third!.ok).toBe(true);
    expect(count()).toBe(28);
  });

  it('an expired nextPageToken restarts from the cursor, which holds every page committed so far', async () => {
    const sim = track(await startPartnerSim({ tokenTtlMs: 0 }));
    sim.serve(shippingEvents(6, { gtin: GTIN, sellerGln: SELLER_GLN, ourGln: OUR_GLN, startMs: START }));
    const deps = await freshLedger();
    await saveEndpoint(deps, { ...AUTHORIZED, epcisUrl: sim.url, perPage: 2, overlapMs: 0 }, {}, 'test-user');
    const [r] = await syncPass(deps, { actor: 'test-user', force: true });
    // Every token expires at once: each restart from the cursor still gets a page further.
    const count = deps.ws.db.prepare('SELECT count(*) FROM trace_events').pluck().get() as number;
    expect(count).toBeGreaterThanOrEqual(4);
    expect(r!.ok).toBe(count === 6);
    if (!r!.ok)
      expect(r!.message).toMatch(/refused the request as invalid \(HTTP 400: nextPageToken has expired/);
    await syncPass(deps, { actor: 'test-user', force: true });
    await syncPass(deps, { actor: 'test-user', force: true });
    expect(deps.ws.db.prepare('SELECT count(*) FROM trace_events').pluck().get()).toBe(6);
  });

  it('a page that fails its checks goes to quarantine whole, and the cursor commits with it', async () => {
    const sim = track(await startPartnerSim());
    sim.serve(shippingEvents(5, { gtin: GTIN, sellerGln: SELLER_GLN, ourGln: OUR_GLN, startMs: START }));
    const deps = await freshLedger();
    // Not recorded as authorized (§582(d)(3)): import refuses the seller's shipments.
    const partnerId = await saveEndpoint(
      deps,
      { name: 'Unvetted Supply', glns: [SELLER_GLN], epcisUrl: sim.url, perPage: 3 },
      {},
      'test-user',
    );
    const [r] = await syncPass(deps, { actor: 'test-user', force: true });
    expect(r).toMatchObject({ ok: true, pages: 2, quarantined: 2, imported: 0 });
    expect(deps.ws.db.prepare('SELECT count(*) FROM trace_events').pluck().get()).toBe(0);
    const pages = deps.ws.db
      .prepare('SELECT outcome, quarantine_id AS q FROM sync_pages ORDER BY last_record_time')
      .all() as { outcome: string; q: number }[];
    expect(pages.map((p) => p.outcome)).toEqual(['quarantined', 'quarantined']);
    expect(
      deps.ws.db
        .prepare('SELECT cursor_record_time FROM sync_state WHERE partner_id = ?')
        .pluck()
        .get(partnerId),
    ).toBe(new Date(START + 4_000).toISOString());
    // The next pass re-reads its overlap: the same quarantined pages, no new item.
    await syncPass(deps, { actor: 'test-user', force: true });
    expect(
      deps.ws.db.prepare("SELECT count(*) FROM quarantine_items WHERE status = 'open'").pluck().get(),
    ).toBe(2);
  });

  it('OAuth2 client credentials: a token is fetched, cached, and fetched again after a 401; HTTP basic', async () => {
    const sim = track(await startPartnerSim({ auth: 'oauth2:custodia-client:s3cret-oauth' }));
    sim.serve(shippingEvents(4, { gtin: GTIN, sellerGln: SELLER_GLN, ourGln: OUR_GLN, startMs: START }));
    const deps = await freshLedger();
    await saveEndpoint(
      deps,
      {
        ...AUTHORIZED,
        epcisUrl: sim.url,
        perPage: 2,
        auth: 'oauth2',
        tokenUrl: `${sim.url}/token`,
        clientId: 'custodia-client',
      },
      { secret: 's3cret-oauth' },
      'test-user',
    );
    expect((await syncPass(deps, { actor: 'test-user', force: true }))[0]).toMatchObject({
      ok: true,
      events: 4,
    });
    expect(sim.log.filter((l) => l.path === '/token')).toHaveLength(1);
    sim.revokeTokens();
    sim.serve(
      shippingEvents(2, {
        gtin: GTIN,
        sellerGln: SELLER_GLN,
        ourGln: OUR_GLN,
        startMs: START + 60_000,
        prefix: 'more',
      }),
    );
    expect((await syncPass(deps, { actor: 'test-user', force: true }))[0]).toMatchObject({ ok: true });
    expect(sim.log.filter((l) => l.path === '/token')).toHaveLength(2);
    expect(deps.ws.db.prepare('SELECT count(*) FROM trace_events').pluck().get()).toBe(6);

    const basic = track(await startPartnerSim({ auth: 'basic:pharmacy:pa55word' }));
    basic.serve(
      shippingEvents(1, { gtin: GTIN, sellerGln: SELLER_GLN, ourGln: OUR_GLN, startMs: START, prefix: 'b' }),
    );
    const other = await freshLedger();
    await saveEndpoint(
      other,
      { ...AUTHORIZED, epcisUrl: basic.url, auth: 'basic', clientId: 'pharmacy' },
      { secret: 'wrong' },
      'test-user',
    );
    const [refused] = await syncPass(other, { actor: 'test-user', force: true });
    expect(refused!.message).toMatch(/did not accept our credentials \(HTTP 401/);
    await saveEndpoint(
      other,
      { ...AUTHORIZED, partnerId: 2, epcisUrl: basic.url, auth: 'basic', clientId: 'pharmacy' },
      { secret: 'pa55word' },
      'test-user',
    );
    expect((await syncPass(other, { actor: 'test-user', force: true }))[0]).toMatchObject({
      ok: true,
      events: 1,
    });
  });
});
