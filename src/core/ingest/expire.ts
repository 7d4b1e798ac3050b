import { openQuarantineItem } from '../quarantine';
import { finding } from '../model/findings';
import { INGEST_ENTRY, loadLedgerEvent } from './apply';
import type { Workspace } from '../ledger/workspace';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Out-of-order events wait for their predecessor, but not forever: those waiting longer than
 * `days` go to quarantine (rule pending-expired) so a person asks the partner for the missing data.
 */
export async function expirePending(
  ctx: Workspace,
  days: number,
  actor: string,
): Promise<{ expired: number }> {
  const value = await ctx.write((writer) => {
    const db = writer.db;
    const now = ctx.now();
    const rows = db
      .prepare(
        `SELECT p.event_id AS id, p.reason, e.ledger_seq AS seq, e.file_index AS fileIndex, e.event_hash AS hash, f.name AS file
         FROM pending_events p JOIN trace_events e ON e.id = p.event_id JOIN ingest_files f ON f.id = e.file_id
         WHERE p.since_ms < ? ORDER BY p.since_ms, e.id`,
      )
      .all(now - days * DAY) as {
      id: number;
      reason: string;
      seq: number;
      fileIndex: number;
      hash: Buffer;
      file: string;
    }[];
    for (const row of rows) {
      const hash = `ni:///sha-256;${row.hash.toString('hex')}?ver=CBV2.0`;
      const reasons = [
        finding(
          'pending-expired',
          `waited more than ${days} days: ${row.reason}. Ask the sender for the missing events.`,
          row.fileIndex,
          {
            position: `event ${row.fileIndex} of ${row.file}`,
          },
        ),
      ];
      writer.append([
        { type: INGEST_ENTRY.pendingResolved, actor, payload: { hash, outcome: 'expired', reasons } },
      ]);
      db.prepare('DELETE FROM pending_events WHERE event_id = ?').run(row.id);
      db.prepare('DELETE FROM pending_waits WHERE event_id = ?').run(row.id);
      db.prepare(
        'INSERT OR IGNORE INTO trace_event_errors (event_id, declared_by, reason, ledger_seq) VALUES (?, ?, ?, ?)',
      ).run(row.id, row.id, 'expired while waiting', row.seq);
      openQuarantineItem(
        writer,
        {
          kind: 'event',
          fileHash: row.hash,
          fileName: row.file,
          format: 'canonical-event',
          source: `pending event ${row.fileIndex} of ${row.file}`,
          records: 1,
          reasons,
          raw: [Buffer.from(JSON.stringify(loadLedgerEvent(db, row.seq)))],
        },
        actor,
        now,
      );
    }
    return { expired: rows.length };
  });
  return value;
}
