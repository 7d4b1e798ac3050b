import { canonicalize } from '../ledger/jcs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { Signature } from '../api/procedures/inventory';
import type { Entry } from '../ledger/workspace';
import { addDays, insertSignature } from '../inventory';
import { readRegistrant } from '../registrant/registrant';

export const COUNT_ENTRY = {
  recorded: 'counts.recorded', // {count, discrepancy: {id, schedule, varianceMilli} | null, signature}
  explained: 'counts.discrepancy-explained', // {discrepancyId, explanation, signature}
  signedOff: 'counts.discrepancy-signed-off', // {discrepancyId, signature}
  escalated: 'counts.discrepancy-escalated', // {discrepancyId, incident, line, signature}
  sealed: 'counts.inventory-sealed', // {inventory, signature, counterSignatures}
} as const;

export interface CountPayload {
  readonly id: string;
  readonly ndc: string;
  readonly kind: 'cycle' | 'physical';
  readonly countedMilli: number;
  readonly expectedMilli: number;
  readonly thresholdBp: number;
  readonly countedBy: string;
  readonly note: string | null;
}

export function projectCounts(db: Database, entry: Entry): void {
  const p = entry.payload;
  switch (entry.type) {
    case COUNT_ENTRY.recorded: {
      const c = p.count as CountPayload;
      const d = p.discrepancy as { id: string; schedule: string; varianceMilli: number } | null;
      db.prepare(
        `INSERT INTO counts (id, seq, ndc, kind, counted_milli, expected_milli, threshold_bp, counted_ms, counted_by, discrepancy_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        c.id,
        entry.seq,
        c.ndc,
        c.kind,
        c.countedMilli,
        c.expectedMilli,
        c.thresholdBp,
        entry.time,
        c.countedBy,
        d?.id ?? null,
      );
      insertSignature(db, entry.seq, c.id, p.signature as Signature);
      if (d !== null) {
        db.prepare(
          "INSERT INTO discrepancies (id, count_id, ndc, schedule, variance_milli, status) VALUES (?, ?, ?, ?, ?, 'open')",
        ).run(d.id, c.id, c.ndc, d.schedule, d.varianceMilli);
      }
      return;
    }
    case COUNT_ENTRY.explained: {
      const s = p.signature as Signature;
      db.prepare(
        "UPDATE discrepancies SET status = 'explained', explanation = ?, explained_by = ? WHERE id = ?",
      ).run(p.explanation, s.userId, p.discrepancyId);
      insertSignature(db, entry.seq, p.discrepancyId as string, s);
      return;
    }
    case COUNT_ENTRY.signedOff:
      db.prepare("UPDATE discrepancies SET status = 'closed' WHERE id = ?").run(p.discrepancyId);
      insertSignature(db, entry.seq, p.discrepancyId as string, p.signature as Signature);
      return;
    case COUNT_ENTRY.escalated: {
      const id = p.discrepancyId as string;
      const incident = p.incident as Record<string, unknown>;
      db.prepare("UPDATE discrepancies SET status = 'escalated', form106_id = ? WHERE id = ?").run(id, id);
      insertSignature(db, entry.seq, id, p.signature as Signature);
      const record = {
        id,
        source: 'discrepancy',
        sourceId: id,
        registrant: readRegistrant(db),
        incident,
        lines: [p.line],
        fileBy: addDays(String(incident.discoveredOn), 45),
        createdAt: new Date(entry.time).toISOString(),
      };
      db.prepare(
        'INSERT INTO form106_drafts (id, seq, source, source_id, record) VALUES (?, ?, ?, ?, ?)',
      ).run(id, entry.seq, 'discrepancy', id, canonicalize(record));
      return;
    }
    case COUNT_ENTRY.sealed: {
      const inv = p.inventory as { id: string; kind: string; date: string };
      db.prepare('INSERT INTO sealed_inventories (id, seq, kind, date, record) VALUES (?, ?, ?, ?, ?)').run(
        inv.id,
        entry.seq,
        inv.kind,
        inv.date,
        canonicalize({ ...inv, signature: p.signature, counterSignatures: p.counterSignatures ?? [] }),
      );
      insertSignature(db, entry.seq, inv.id, p.signature as Signature);
      // Inventories sealed before each counter signed carry no counterSignatures.
      for (const s of (p.counterSignatures ?? []) as Signature[]) insertSignature(db, entry.seq, inv.id, s);
      return;
    }
  }
}
