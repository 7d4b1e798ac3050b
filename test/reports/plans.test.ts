import { describe, expect, it } from 'vitest';
import { T3_SQL } from '../../src/core/reports/kinds/dscsa-t3-data';
import { FSMA_SQL } from '../../src/core/reports/kinds/fsma-204';
import { loadDemo, reportContext } from './helpers';

/**
 * Every query a report kind makes is an indexed lookup (EXPLAIN QUERY PLAN), so the T3 of a lot and
 * the spreadsheet of a TLC cost the same over a ledger of a million events as over a month's.
 * Deliberate scans are listed: the product list (small) and FSMA by product or dates (no TLC).
 */
const SCANS_ALLOWED = new Set(['knownGtins', 'all']);

function fullScans(db: { prepare(sql: string): { all(...a: unknown[]): unknown[] } }, sql: string): string[] {
  const params = (sql.match(/\?/g) ?? []).map(() => 1);
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
    (p) => p.detail,
  );
  return plan.filter((d) => /^SCAN /.test(d) && !/^SCAN CONSTANT ROW/.test(d));
}

describe('report queries', () => {
  it('use an index, except the scans listed', async () => {
    const ctx = await reportContext();
    await loadDemo(ctx);
    let checked = 0;
    for (const [name, sql] of [...Object.entries(T3_SQL), ...Object.entries(FSMA_SQL)]) {
      if (SCANS_ALLOWED.has(name)) continue;
      expect(fullScans(ctx.db, sql), name).toEqual([]);
      checked++;
    }
    expect(checked).toBe(Object.keys(T3_SQL).length + Object.keys(FSMA_SQL).length - SCANS_ALLOWED.size);
  }, 60_000);
});
