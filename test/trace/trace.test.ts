import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SQL, trace, traceCsv } from '../../src/core/trace/query';
import { FIXTURES, freshContext, importText } from '../ingest/helpers';

/** Full scans in a plan: any SCAN except of a recursive CTE (up, below, b) or a constant row. */
function fullScans(db: { prepare(sql: string): { all(...a: unknown[]): unknown[] } }, sql: string): string[] {
  const params = (sql.match(/\?/g) ?? []).map(() => 1);
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
    (p) => p.detail,
  );
  return plan.filter((d) => /^SCAN /.test(d) && !/^SCAN (CONSTANT ROW|up|below|b)\b/.test(d));
}

describe('traceability index', () => {
  it('every trace query uses an index (EXPLAIN QUERY PLAN): no full scan of a projection table', async () => {
    const ctx = await freshContext();
    // Plans depend on what is in the tables: measure them on a populated index.
    await importText(
      ctx,
      'GS1_US_Pharma_Example_2_2_1_1.xml',
      fs.readFileSync(path.join(FIXTURES, 'GS1_US_Pharma_Example_2_2_1_1.xml')),
    );
    let checked = 0;
    for (const [name, sql] of Object.entries(SQL)) {
      expect(fullScans(ctx.db, sql), name).toEqual([]);
      checked++;
    }
    // The check itself catches a full scan.
    expect(fullScans(ctx.db, 'SELECT * FROM serial_state WHERE state = ?')).toEqual(['SCAN serial_state']);
    console.log(`trace queries with index-only plans: ${checked}/${Object.keys(SQL).length}`);
  });

  it('traces the GS1 US example: a package through its case and pallet, the pallet tree, partners and the statement', async () => {
    const ctx = await freshContext();
    await importText(
      ctx,
      'GS1_US_Pharma_Example_2_2_1_1.xml',
      fs.readFileSync(path.join(FIXTURES, 'GS1_US_Pharma_Example_2_2_1_1.xml')),
    );
    const item = trace(ctx, 'urn:epc:id:sgtin:030001.0012345.11');
    expect(item).toMatchObject({ kind: 'serial', found: true, state: { state: 'shipped' } });
    expect(item.history.map((h) => `${h.bizStep}:${h.role}`)).toEqual([
      'commissioning:epc',
      'packing:child',
      'shipping:in container',
    ]);
    expect(item.containers).toEqual([
      'https://id.gs1.org/01/10300010123452/21/110',
      'https://id.gs1.org/00/403000112345678901',
    ]);
    expect(item.transactions[0]).toMatchObject({
      statement: true,
      reference: 'urn:epcglobal:cbv:bt:0300011111215:DEL100',
    });
    expect(item.product).toMatchObject({ ndc: '0001-0123-45', name: 'Epcistra', lot: 'A123' });

    const pallet = trace(ctx, '(00)403000112345678901');
    expect(pallet.kind).toBe('sscc');
    expect(pallet.contents).toHaveLength(3);
    expect(pallet.contents.flatMap((c) => c.children)).toHaveLength(12);
    expect(pallet.partners.map((p) => p.gln).sort()).toContain('0300011111116');
    const lot = trace(ctx, '00300010123455 + A123');
    expect(lot).toMatchObject({ kind: 'lot', found: true, lot: { serials: 12 } });
    expect(traceCsv(item).split('\r\n')[0]).toContain('business step');
    expect(trace(ctx, '(01)00300010123455(21)999')).toMatchObject({ found: false });
  });
});
