import { describe, expect, it } from 'vitest';
import { events as ev } from '../support/synthetic';
import { freshContext, importText } from '../ingest/helpers';
import {
  caseOf,
  doc,
  item,
  MFG,
  pallet,
  PHARMACY,
  registerPartners,
  STRANGER,
  t,
  WHOLESALER,
} from '../ingest/world';

const items = [1, 2, 3, 4].map(item);
const commissionAndPack = [
  ev.commission(items, { time: t(0), location: MFG, lot: 'L1', expiry: '2028-03-31' }),
  ev.commission([caseOf(1)], { time: t(1), location: MFG, lot: 'L1', expiry: '2028-03-31' }),
  ev.pack(caseOf(1), items, { time: t(2), location: MFG }),
];
const shipToPharmacy = (time: string, epcs = [caseOf(1)]) =>
  ev.ship(epcs, {
    time,
    seller: WHOLESALER,
    buyer: PHARMACY,
    shipTo: PHARMACY,
    location: WHOLESALER,
    po: 'PO-1',
    desadv: 'ASN-1',
  });

function stateOf(ctx: Awaited<ReturnType<typeof freshContext>>) {
  return Object.fromEntries(
    (
      ctx.db.prepare('SELECT state, count(*) AS n FROM serial_state GROUP BY state').all() as {
        state: string;
        n: number;
      }[]
    ).map((r) => [r.state, r.n]),
  );
}

describe('DSCSA scenario replays', () => {
  it('commission, pack, ship, receive, unpack, decommission: every file accepted, states follow', async () => {
    const ctx = await freshContext();
    await registerPartners(ctx);
    const r1 = await importText(ctx, 'mfg.xml', doc([...commissionAndPack, shipToPharmacy(t(10))]));
    expect(r1).toMatchObject({ status: 'imported', imported: 4, pending: 0, quarantined: 0 });
    expect(stateOf(ctx)).toEqual({ shipped: 5 });
    const r2 = await importText(
      ctx,
      'pharmacy.xml',
      doc([
        ev.receive([caseOf(1)], { time: t(20), location: PHARMACY }),
        ev.unpack(caseOf(1), [], { time: t(21), location: PHARMACY }),
      ]),
    );
    expect(r2).toMatchObject({ status: 'imported', imported: 2 });
    expect(stateOf(ctx)).toEqual({ received: 5 });
    expect(
      ctx.db.prepare('SELECT count(*) FROM serial_state WHERE parent_id IS NOT NULL').pluck().get(),
    ).toBe(0);
    const r3 = await importText(
      ctx,
      'decommission.xml',
      doc([ev.decommission([item(1)], { time: t(30), location: PHARMACY })]),
    );
    expect(r3).toMatchObject({ status: 'imported', imported: 1 });
    expect(stateOf(ctx)).toEqual({ received: 4, decommissioned: 1 });
    console.log('scenario commission→decommission: accepted 3/3 files');
  });

  it('double commissioning is rejected, naming the rule and the record', async () => {
    const ctx = await freshContext();
    await importText(ctx, 'first.xml', doc(commissionAndPack));
    const r = await importText(
      ctx,
      'again.xml',
      doc([
        ev.commission([item(9)], { time: t(3), location: MFG }),
        ev.commission([item(2)], { time: t(5), location: MFG }),
      ]),
    );
    expect(r.status).toBe('quarantined');
    expect(r.imported).toBe(0);
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toMatchObject({ rule: 'double-commissioning', record: 1, field: 'epcList/0' });
    // Nothing of the rejected file was kept: the new serial in its first event does not exist.
    expect(ctx.db.prepare('SELECT count(*) FROM serial_state').pluck().get()).toBe(5);
  });

  it('out-of-order arrival: the shipment waits as pending until its commissioning arrives', async () => {
    const ctx = await freshContext();
    await registerPartners(ctx);
    const early = await importText(ctx, 'ship-first.xml', doc([shipToPharmacy(t(10))]));
    expect(early).toMatchObject({ status: 'imported', imported: 0, pending: 1, quarantined: 0 });
    expect(ctx.db.prepare('SELECT count(*) FROM pending_events').pluck().get()).toBe(1);
    const late = await importText(ctx, 'commission-later.xml', doc(commissionAndPack));
    expect(late).toMatchObject({ status: 'imported', imported: 3, resolved: 1 });
    expect(ctx.db.prepare('SELECT count(*) FROM pending_events').pluck().get()).toBe(0);
    expect(stateOf(ctx)).toEqual({ shipped: 5 });
  });

  it('out of order within one file: receiving before shipping waits and resolves in the same import', async () => {
    const ctx = await freshContext();
    await registerPartners(ctx);
    const r = await importText(
      ctx,
      'jumbled.xml',
      doc([
        ...commissionAndPack,
        ev.receive([caseOf(1)], { time: t(20), location: PHARMACY }),
        shipToPharmacy(t(10)),
      ]),
    );
    expect(r).toMatchObject({ status: 'imported', imported: 5, pending: 0 });
    expect(stateOf(ctx)).toEqual({ received: 5 });
  });

  it('shipping a decommissioned serial is rejected and flagged suspect', async () => {
    const ctx = await freshContext();
    await registerPartners(ctx);
    await importText(
      ctx,
      'mfg.xml',
      doc([
        ...commissionAndPack,
        ev.unpack(caseOf(1), [item(4)], { time: t(3), location: MFG }),
        ev.decommission([item(4)], { time: t(4), location: MFG }),
      ]),
    );
    const r = await importText(ctx, 'ship-dead.xml', doc([shipToPharmacy(t(10), [item(4)])]));
    expect(r.status).toBe('quarantined');
    expect(r.reasons[0]).toMatchObject({ rule: 'decommissioned-activity', record: 0, suspect: true });
    expect(ctx.db.prepare('SELECT suspect FROM quarantine_items').pluck().get()).toBe(1);
  });

  it('aggregation consistency: no child in two parents, unpack only what is in the parent', async () => {
    const ctx = await freshContext();
    await importText(
      ctx,
      'mfg.xml',
      doc([...commissionAndPack, ev.commission([caseOf(2)], { time: t(3), location: MFG })]),
    );
    const twice = await importText(
      ctx,
      'repack.xml',
      doc([ev.pack(caseOf(2), [item(1)], { time: t(4), location: MFG })]),
    );
    expect(twice.reasons.map((x) => x.rule)).toEqual(['aggregation-two-parents']);
    const wrong = await importText(
      ctx,
      'unpack.xml',
      doc([ev.unpack(caseOf(2), [item(1)], { time: t(4), location: MFG })]),
    );
    expect(wrong.reasons.map((x) => x.rule)).toEqual(['aggregation-not-in-parent']);
    const ok = await importText(
      ctx,
      'unpack-then-pack.xml',
      doc([
        ev.unpack(caseOf(1), [item(1)], { time: t(5), location: MFG }),
        ev.pack(caseOf(2), [item(1)], { time: t(6), location: MFG }),
      ]),
    );
    expect(ok).toMatchObject({ status: 'imported', imported: 2 });
  });

  it('a DSCSA transfer needs the transaction statement and, to us, an authorized seller', async () => {
    const ctx = await freshContext();
    await registerPartners(ctx);
    const noTs = await importText(
      ctx,
      'no-ts.xml',
      doc([...commissionAndPack, shipToPharmacy(t(10))], { statement: false }),
    );
    expect(noTs.reasons.map((x) => x.rule)).toEqual(['dscsa-transaction-statement']);
    const stranger = await importText(
      ctx,
      'stranger.xml',
      doc([
        ...commissionAndPack,
        ev.ship([caseOf(1)], { time: t(10), seller: STRANGER, buyer: PHARMACY, shipTo: PHARMACY, po: 'X' }),
      ]),
    );
    expect(stranger.reasons.map((x) => x.rule)).toEqual(['authorized-trading-partner']);
    void pallet;
  });

  it('a drug GTIN without master data is rejected until the product is known', async () => {
    const ctx = await freshContext();
    const r = await importText(ctx, 'no-master-data.xml', doc(commissionAndPack, { products: [] }));
    expect(r.reasons.map((x) => x.rule)).toEqual(['dscsa-product-master-data', 'dscsa-product-master-data']);
  });
});
