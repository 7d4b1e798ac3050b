import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { Signature } from '../api/procedures/inventory';
import { canonicalize } from '../ledger/jcs';
import type { Entry } from '../ledger/workspace';
import { insertSignature } from '../inventory';

/** Entry types of this area and what they carry (payloads are exactly these objects). */
export const DISPOSAL_ENTRY = {
  /** {incident: IncidentSubject, signature} — its lines follow as inventory.transaction-recorded. */
  incidentReported: 'disposals.incident-reported',
  /** {incidentId, notice: {notifiedOn, office, how}, signature} */
  incidentNotified: 'disposals.incident-notified',
  /** {incidentId, filing: {filedOn, confirmation}, signature} */
  incidentFiled: 'disposals.incident-filed',
  /** {destruction: DestructionSubject, signatures} — its lines follow as inventory.transaction-recorded. */
  destructionRecorded: 'disposals.destruction-recorded',
} as const;

interface LineRef {
  readonly transactionId: string;
  readonly ndc: string;
}

function insertLines(db: Database, parentId: string, kind: string, lines: readonly LineRef[]): void {
  const insert = db.prepare(
    'INSERT INTO disposal_lines (parent_id, line, kind, transaction_id, ndc) VALUES (?, ?, ?, ?, ?)',
  );
  lines.forEach((l, i) => insert.run(parentId, i + 1, kind, l.transactionId, l.ndc));
}

export function projectDisposals(db: Database, entry: Entry): void {
  const p = entry.payload;
  switch (entry.type) {
    case DISPOSAL_ENTRY.incidentReported: {
      const i = p.incident as {
        id: string;
        discoveredOn: string;
        noticeDueBy: string;
        fileBy: string;
        lines: LineRef[];
      };
      db.prepare(
        `INSERT INTO loss_incidents (id, seq, discovered_on, notice_due_by, file_by, record)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(i.id, entry.seq, i.discoveredOn, i.noticeDueBy, i.fileBy, canonicalize(i));
      insertLines(db, i.id, 'theft-loss', i.lines);
      insertSignature(db, entry.seq, i.id, p.signature as Signature);
      return;
    }
    case DISPOSAL_ENTRY.incidentNotified:
    case DISPOSAL_ENTRY.incidentFiled: {
      // The notice and the filing are each recorded once, with the entry that recorded them.
      const step = entry.type === DISPOSAL_ENTRY.incidentNotified ? 'notice' : 'filing';
      db.prepare(`UPDATE loss_incidents SET ${step} = ?, ${step}_seq = ? WHERE id = ?`).run(
        canonicalize(p[step]),
        entry.seq,
        p.incidentId,
      );
      insertSignature(db, entry.seq, p.incidentId as string, p.signature as Signature);
      return;
    }
    case DISPOSAL_ENTRY.destructionRecorded: {
      const d = p.destruction as { id: string; date: string; lines: LineRef[] };
      db.prepare('INSERT INTO destructions (id, seq, date, record) VALUES (?, ?, ?, ?)').run(
        d.id,
        entry.seq,
        d.date,
        canonicalize(d),
      );
      insertLines(db, d.id, 'destruction', d.lines);
      for (const s of p.signatures as Signature[]) insertSignature(db, entry.seq, d.id, s);
      return;
    }
  }
}
