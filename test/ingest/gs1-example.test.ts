import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, freshContext, importText } from './helpers';

describe('GS1 US DSCSA guideline example (Direct Purchase, Seller Exchange 1)', () => {
  it('imports: 8 events, serial states, the pallet tree and the shipment with its transaction statement', async () => {
    const ctx = await freshContext();
    const bytes = fs.readFileSync(path.join(FIXTURES, 'GS1_US_Pharma_Example_2_2_1_1.xml'));
    const result = await importText(ctx, 'GS1_US_Pharma_Example_2_2_1_1.xml', bytes);
    expect(result.reasons).toEqual([]);
    expect(result).toMatchObject({
      status: 'imported',
      format: 'epcis-xml',
      events: 8,
      imported: 8,
      duplicates: 0,
      pending: 0,
      quarantined: 0,
    });
    const states = ctx.db
      .prepare('SELECT state, count(*) AS n FROM serial_state GROUP BY state ORDER BY state')
      .all();
    expect(states).toEqual([{ state: 'shipped', n: 16 }]);
    const shipment = ctx.db.prepare('SELECT statement, reference, ship_to FROM shipments').get();
    expect(shipment).toEqual({
      statement: 1,
      reference: 'urn:epcglobal:cbv:bt:0300011111215:DEL100',
      ship_to: '0399993456780',
    });
    const again = await importText(ctx, 'GS1_US_Pharma_Example_2_2_1_1.xml', bytes);
    expect(again.status).toBe('already-imported');
    console.log('GS1 US DSCSA example: 8/8 events imported');
  });
});
