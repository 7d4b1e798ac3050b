import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { Signature } from '../../api/procedures/inventory';
import { holidayObservedOn, weekdayOf } from '../../calendar';
import type { ReportSection } from '../document';
import type { ReportSource } from '../kind';

/* What the DEA kinds (dea-106, dea-41, biennial-inventory, cs-log) print the same way. */

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "Friday 2026-07-03 (Independence Day observed)": a deadline's day, said as a person checks it. */
export function dayLabel(date: string): string {
  const holiday = holidayObservedOn(date);
  return `${WEEKDAYS[weekdayOf(date)]} ${date}${holiday ? ` (${holiday.name}${holiday.date !== date ? ', observed' : ''})` : ''}`;
}

export const SCHEDULE_TITLE: Record<string, string> = {
  CI: 'Schedule I',
  CII: 'Schedule II',
  CIII: 'Schedule III',
  CIV: 'Schedule IV',
  CV: 'Schedule V',
};

/** The unit of measure as DEA's theft/loss data writes it (TLR: UNIT, MILLILITER, GRAM, MILLIGRAM). */
export function deaUnit(unit: string): string {
  if (/^(ml|milliliters?)$/i.test(unit)) return 'MILLILITER';
  if (/^(mg|milligrams?)$/i.test(unit)) return 'MILLIGRAM';
  if (/^(g|grams?)$/i.test(unit)) return 'GRAM';
  return 'UNIT';
}

export function money(n: number): string {
  return `$${n.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/** The signatures a subject carries as of the report's checkpoint, as a section. */
export function signaturesSection(
  source: ReportSource,
  subjectId: string,
  heading = 'Electronic signatures (21 CFR Part 11)',
): ReportSection {
  const rows = signaturesAt(source, subjectId);
  return {
    heading,
    sheet: 'Signatures',
    paragraphs: [
      'Each signature was made by re-entering the signer’s own password; it binds the SHA-256 of the canonical record shown, and the ledger entry that holds it is covered by the checkpoint printed on this report.',
    ],
    table: {
      columns: [
        { header: 'Printed name', type: 'text', width: 18 },
        { header: 'Meaning', type: 'text', width: 10 },
        { header: 'Signed (UTC)', type: 'date', width: 18 },
        { header: 'Record SHA-256', type: 'text', width: 72 },
      ],
      rows: rows.map((s) => [
        s.printedName,
        s.meaning,
        s.signedAt.replace('T', ' ').slice(0, 19),
        s.subjectHash,
      ]),
    },
    emptyText: 'No signature is recorded.',
  };
}

export function signaturesAt(source: ReportSource, subjectId: string): Signature[] {
  const rows = source.db
    .prepare('SELECT * FROM signatures WHERE subject_id = ? ORDER BY seq, meaning, user_id')
    .all(subjectId) as {
    seq: number;
    user_id: string;
    printed_name: string;
    meaning: Signature['meaning'];
    signed_ms: number;
    subject_hash: string;
  }[];
  return rows
    .filter((r) => source.covers(r.seq))
    .map((r) => ({
      userId: r.user_id,
      printedName: r.printed_name,
      meaning: r.meaning,
      signedAt: new Date(r.signed_ms).toISOString(),
      subjectHash: r.subject_hash,
    }));
}

export type LineStatus = 'posted' | 'pending approval' | 'rejected';

/**
 * A transaction's status as of the checkpoint: a Schedule II line recorded before it but approved
 * after it was still pending then (inv_transactions.status is updated in place; decided_seq says when).
 */
export function statusAt(
  db: Database,
  source: Pick<ReportSource, 'covers'>,
  transactionId: string,
): LineStatus {
  const row = db
    .prepare('SELECT status, decided_seq FROM inv_transactions WHERE id = ?')
    .get(transactionId) as { status: string; decided_seq: number | null } | undefined;
  if (row === undefined) return 'pending approval';
  if (row.decided_seq !== null && !source.covers(row.decided_seq)) return 'pending approval';
  return row.status === 'posted' ? 'posted' : row.status === 'rejected' ? 'rejected' : 'pending approval';
}
