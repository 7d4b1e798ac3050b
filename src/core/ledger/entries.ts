import type { Database } from 'better-sqlite3-multiple-ciphers';

export interface EntryFilter {
  readonly types?: readonly string[] | undefined;
  readonly fromMs?: number | undefined;
  readonly toMs?: number | undefined;
  /** Entries before this seq (the next page of a newest-first listing). */
  readonly beforeSeq?: number | undefined;
  readonly limit: number;
}

export interface EntryRow {
  readonly seq: number;
  readonly time_ms: number;
  readonly type: string;
  readonly leaf: Buffer;
}

/** A page of ledger entries, newest first, and how many match the filter in all. */
export function listEntries(db: Database, filter: EntryFilter): { rows: EntryRow[]; total: number } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.types && filter.types.length > 0) {
    // "inventory." is a category: every type under it (a range on the type index, not a LIKE scan).
    where.push(
      `(${filter.types.map((t) => (t.endsWith('.') ? '(type >= ? AND type < ?)' : 'type = ?')).join(' OR ')})`,
    );
    for (const t of filter.types) params.push(...(t.endsWith('.') ? [t, `${t.slice(0, -1)}/`] : [t]));
  }
  if (filter.fromMs !== undefined) {
    where.push('time_ms >= ?');
    params.push(filter.fromMs);
  }
  if (filter.toMs !== undefined) {
    where.push('time_ms <= ?');
    params.push(filter.toMs);
  }
  const matching = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = (
    db.prepare(`SELECT count(*) AS n FROM ledger_leaves ${matching}`).get(...params) as { n: number }
  ).n;
  const page = [...where, ...(filter.beforeSeq !== undefined ? ['seq < ?'] : [])];
  const rows = db
    .prepare(
      `SELECT seq, time_ms, type, leaf FROM ledger_leaves ${page.length > 0 ? `WHERE ${page.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`,
    )
    .all(
      ...params,
      ...(filter.beforeSeq !== undefined ? [filter.beforeSeq] : []),
      filter.limit,
    ) as EntryRow[];
  return { rows, total };
}
