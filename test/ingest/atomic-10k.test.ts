import { describe, expect, it } from 'vitest';
import { savePartner } from '../../src/core/partners/store';
import { events as ev } from '../support/synthetic';
import { reprocessQuarantine } from '../../src/core/ingest/reprocess';
import { listQuarantine, showQuarantine } from '../../src/core/quarantine/service';
import { freshContext, importText } from './helpers';
import { doc, item, MFG, PHARMACY, registerPartners, STRANGER, t } from './world';

describe('one bad event among 10,000 good ones', () => {
  it('imports nothing and names the one event; after the master data is fixed, reprocessing imports all exactly once', async () => {
    const ctx = await freshContext();
    await registerPartners(ctx);
    const good = Array.from({ length: 9_999 }, (_, i) =>
      ev.commission([item(i)], { time: t(0), location: MFG, lot: 'L1', expiry: '2028-01-31' }),
    );
    // Event 5,000: a shipment to us from a seller nobody recorded as an authorized trading partner.
    const bad = ev.ship([item(42)], {
      time: t(30),
      seller: STRANGER,
      buyer: PHARMACY,
      shipTo: PHARMACY,
      po: 'PO-77',
    });
    const text = doc([...good.slice(0, 5_000), bad, ...good.slice(5_000)]);
    const ledgerSize = ctx.ledger.size;

    const first = await importText(ctx, 'big.xml', text);
    expect(first).toMatchObject({ status: 'quarantined', events: 10_000, imported: 0, quarantined: 1 });
    expect(first.reasons).toHaveLength(1);
    expect(first.reasons[0]).toMatchObject({ rule: 'authorized-trading-partner', record: 5_000 });
    expect(first.reasons[0]!.position).toMatch(/^line \d+/);
    expect(ctx.db.prepare('SELECT count(*) FROM trace_events').pluck().get()).toBe(0);
    expect(ctx.db.prepare('SELECT count(*) FROM serial_state').pluck().get()).toBe(0);
    // The ledger got exactly one entry: the quarantine, not a single event.
    expect(ctx.ledger.size).toBe(ledgerSize + 1);
    const item1 = listQuarantine(ctx, { status: 'open' }).items[0]!;
    expect(item1).toMatchObject({
      fileName: 'big.xml',
      rules: ['authorized-trading-partner'],
      records: 10_000,
    });
    expect(showQuarantine(ctx, item1.id).size).toBe(Buffer.byteLength(text));

    await savePartner(
      ctx,
      { name: 'New Wholesaler LLC', role: 'wholesaler', authorized: true, glns: [STRANGER] },
      'test-user',
    );
    const again = await reprocessQuarantine(ctx, item1.id, 'test-user');
    expect(again).toMatchObject({ status: 'imported', imported: 10_000, duplicates: 0, quarantined: 0 });
    expect(ctx.db.prepare('SELECT count(*) FROM trace_events').pluck().get()).toBe(10_000);
    expect(
      ctx.db.prepare("SELECT count(*) FROM ledger_leaves WHERE type = 'ingest.event'").pluck().get(),
    ).toBe(10_000);
    expect(showQuarantine(ctx, item1.id).status).toBe('reprocessed');
    const third = await importText(ctx, 'big.xml', text);
    expect(third.status).toBe('already-imported');
    expect(ctx.db.prepare('SELECT count(*) FROM trace_events').pluck().get()).toBe(10_000);
    console.log('10,000-event file: 1 rejected event named, then 10,000/10,000 imported once');
  });
});
