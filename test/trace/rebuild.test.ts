import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expirePending } from '../../src/core/ingest/expire';
import { events as ev } from '../support/synthetic';
import { openSession, scan } from '../../src/core/receiving/service';
import { rebuildTraceProjections } from '../../src/core/ingest/rebuild';
import { FIXTURES, freshContext, importText } from '../ingest/helpers';
import {
  caseOf,
  doc,
  item,
  ITEM_GTIN,
  MFG,
  PHARMACY,
  registerPartners,
  t,
  WHOLESALER,
} from '../ingest/world';

describe('trace projections rebuilt from the ledger', () => {
  it('a rebuild reproduces every projection table; a projection changed behind the ledger shows up', async () => {
    const ctx = await freshContext();
    await registerPartners(ctx);
    await importText(
      ctx,
      'GS1_US_Pharma_Example_2_2_1_1.xml',
      fs.readFileSync(path.join(FIXTURES, 'GS1_US_Pharma_Example_2_2_1_1.xml')),
    );
    for (const tab of ['shipping', 'receiving']) {
      await importText(
        ctx,
        `${tab}.csv`,
        fs.readFileSync(path.join(FIXTURES, `fda-fsma204-sortable-spreadsheet-sample-${tab}.csv`)),
      );
    }
    const items = [1, 2, 3].map(item);
    // Out of order: the shipment waits for its commissioning, which a later file brings.
    await importText(
      ctx,
      'ship.xml',
      doc([
        ev.ship([caseOf(1)], {
          time: t(10),
          seller: WHOLESALER,
          buyer: PHARMACY,
          shipTo: PHARMACY,
          po: 'P',
          desadv: 'A',
        }),
      ]),
    );
    const commission = ev.commission([...items, item(9)], {
      time: t(0),
      location: MFG,
      lot: 'L1',
      expiry: '2028-03-31',
    });
    await importText(
      ctx,
      'mfg.xml',
      doc([
        commission,
        ev.commission([caseOf(1)], { time: t(1), location: MFG, lot: 'L1' }),
        ev.pack(caseOf(1), items, { time: t(2), location: MFG }),
      ]),
    );
    const declared = commission.replace(
      '<eventTimeZoneOffset>+00:00</eventTimeZoneOffset>',
      `<eventTimeZoneOffset>+00:00</eventTimeZoneOffset><errorDeclaration><declarationTime>${t(30)}</declarationTime></errorDeclaration>`,
    );
    const r = await importText(ctx, 'declaration.xml', doc([declared]));
    expect(r.imported).toBe(1);
    const session = await openSession(ctx, {}, 't');
    await scan(ctx, session, `]d201${ITEM_GTIN}17280331${'10'}L1\u001d21S000002`, 't');

    // An event that waits in vain: expired to quarantine after its days.
    await importText(ctx, 'lost.xml', doc([ev.receive([caseOf(7)], { time: t(50), location: PHARMACY })]));
    expect(ctx.db.prepare('SELECT count(*) FROM pending_events').pluck().get()).toBe(1);
    const later = { ...ctx, now: () => Date.now() + 3 * 24 * 3600 * 1000 };
    expect(await expirePending(later, 2, 't')).toEqual({ expired: 1 });
    expect(ctx.db.prepare('SELECT count(*) FROM pending_events').pluck().get()).toBe(0);
    expect(
      ctx.db.prepare("SELECT reasons FROM quarantine_items WHERE kind = 'event'").pluck().get(),
    ).toContain('pending-expired');

    const first = await rebuildTraceProjections(ctx);
    expect(first.differences).toEqual([]);
    expect(first.entries).toBeGreaterThan(10);
    console.log(`projection rebuild: ${first.entries} ledger records replayed, 0 differences`);

    ctx.db
      .prepare(
        "UPDATE serial_state SET state = 'dispensed' WHERE trace_id = (SELECT min(trace_id) FROM serial_state)",
      )
      .run();
    const second = await rebuildTraceProjections(ctx);
    expect(second.differences).toHaveLength(1);
    expect(second.differences[0]).toMatch(/^serial_state: live/);
    expect((await rebuildTraceProjections(ctx)).differences).toEqual([]);
  });
});
