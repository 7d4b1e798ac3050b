import { canonicalize } from '../ledger/jcs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { Signature, TransactionView } from '../api/procedures/inventory';
import type { Schedule } from '../products';
import type { Entry } from '../ledger/workspace';
import { readRegistrant } from '../registrant/registrant';
import { toMilli, fromMilli } from './quantity';
import type { TransactionSubject } from './subject';

/** Entry types of this area and what they carry (payloads are exactly these objects). */
export const INVENTORY_ENTRY = {
  recorded: 'inventory.transaction-recorded', // {transaction: TransactionSubject, subjectHash, status, signatures}
  approved: 'approvals.approved', // {transactionId, subjectHash, signature}
  rejected: 'approvals.rejected', // {transactionId, subjectHash, reason, signature}
} as const;

export function insertSignature(db: Database, seq: number, subjectId: string, s: Signature): void {
  db.prepare(
    `INSERT INTO signatures (seq, subject_id, user_id, printed_name, meaning, signed_ms, subject_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(seq, subjectId, s.userId, s.printedName, s.meaning, Date.parse(s.signedAt), s.subjectHash);
}

export function signaturesOf(db: Database, subjectId: string): Signature[] {
  const rows = db
    .prepare('SELECT * FROM signatures WHERE subject_id = ? ORDER BY seq, meaning, user_id')
    .all(subjectId) as {
    user_id: string;
    printed_name: string;
    meaning: Signature['meaning'];
    signed_ms: number;
    subject_hash: string;
  }[];
  return rows.map((r) => ({
    userId: r.user_id,
    printedName: r.printed_name,
    meaning: r.meaning,
    signedAt: new Date(r.signed_ms).toISOString(),
    subjectHash: r.subject_hash,
  }));
}

function post(db: Database, ndc: string, lot: string | null, deltaMilli: number): void {
  // The CHECK (qty_milli >= 0) makes a negative balance impossible even if a rule were bypassed
  // (an upsert would test the CHECK on the inserted delta, so create the row first, then add).
  db.prepare('INSERT OR IGNORE INTO inv_balances (ndc, qty_milli) VALUES (?, 0)').run(ndc);
  db.prepare('UPDATE inv_balances SET qty_milli = qty_milli + ? WHERE ndc = ?').run(deltaMilli, ndc);
  if (lot !== null) {
    db.prepare('INSERT OR IGNORE INTO inv_lot_balances (ndc, lot, qty_milli) VALUES (?, ?, 0)').run(ndc, lot);
    db.prepare('UPDATE inv_lot_balances SET qty_milli = qty_milli + ? WHERE ndc = ? AND lot = ?').run(
      deltaMilli,
      ndc,
      lot,
    );
  }
}

function postTransaction(db: Database, id: string): void {
  const row = db
    .prepare('SELECT ndc, lot, qty_milli, direction FROM inv_transactions WHERE id = ?')
    .get(id) as {
    ndc: string;
    lot: string | null;
    qty_milli: number;
    direction: number;
  };
  post(db, row.ndc, row.lot, row.qty_milli * row.direction);
}

export function projectInventory(db: Database, entry: Entry): void {
  const p = entry.payload;
  switch (entry.type) {
    case INVENTORY_ENTRY.recorded: {
      const t = p.transaction as TransactionSubject;
      db.prepare(
        `INSERT INTO inv_transactions (id, seq, kind, ndc, lot, schedule, qty_milli, direction, status, date, subject,
           subject_hash, initiated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        t.id,
        entry.seq,
        t.kind,
        t.ndc,
        t.lot,
        t.schedule,
        toMilli(t.quantity),
        t.direction,
        p.status as string,
        t.date,
        canonicalize(t),
        p.subjectHash as string,
        t.initiatedBy.userId,
      );
      for (const s of p.signatures as Signature[]) insertSignature(db, entry.seq, t.id, s);
      if (p.status === 'posted') postTransaction(db, t.id);
      // A line of a Form 106 incident (disposals) is worked on the incident, not as a draft of its own.
      if (t.kind === 'theft-loss' && t.details.incidentId === undefined) insertTheftLossDraft(db, entry, t);
      return;
    }
    case INVENTORY_ENTRY.approved:
      db.prepare("UPDATE inv_transactions SET status = 'posted', decided_seq = ? WHERE id = ?").run(
        entry.seq,
        p.transactionId,
      );
      insertSignature(db, entry.seq, p.transactionId as string, p.signature as Signature);
      postTransaction(db, p.transactionId as string);
      return;
    case INVENTORY_ENTRY.rejected:
      db.prepare(
        "UPDATE inv_transactions SET status = 'rejected', decided_seq = ?, rejection_reason = ? WHERE id = ?",
      ).run(entry.seq, p.reason, p.transactionId);
      insertSignature(db, entry.seq, p.transactionId as string, p.signature as Signature);
      return;
  }
}

/** A recorded theft or loss prepares the Form 106 data at once: notice is due within one business day. */
function insertTheftLossDraft(db: Database, entry: Entry, t: TransactionSubject): void {
  const d = t.details;
  const record = {
    id: t.id,
    source: 'theft-loss',
    sourceId: t.id,
    registrant: readRegistrant(db),
    incident: {
      lossType: d.lossType,
      discoveredOn: d.discoveredOn,
      policeNotified: d.policeNotified,
      policeDepartment: d.policeDepartment ?? null,
      description: d.description,
    },
    lines: [
      {
        ndc: t.ndc,
        name: t.product.name,
        strength: t.product.strength,
        dosageForm: t.product.dosageForm,
        packageSize: t.product.packageSize,
        unit: t.product.unit,
        quantityLost: t.quantity,
      },
    ],
    fileBy: addDays(String(d.discoveredOn), 45),
    createdAt: new Date(entry.time).toISOString(),
  };
  db.prepare('INSERT INTO form106_drafts (id, seq, source, source_id, record) VALUES (?, ?, ?, ?, ?)').run(
    t.id,
    entry.seq,
    'theft-loss',
    t.id,
    canonicalize(record),
  );
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

interface TransactionRow {
  id: string;
  seq: number;
  kind: TransactionView['kind'];
  ndc: string;
  lot: string | null;
  schedule: TransactionView['schedule'];
  qty_milli: number;
  direction: 1 | -1;
  status: TransactionView['status'];
  date: string;
  subject: string;
  subject_hash: string;
  rejection_reason: string | null;
}

function view(db: Database, row: TransactionRow): TransactionView {
  const subject = JSON.parse(row.subject) as TransactionSubject;
  return {
    id: row.id,
    kind: row.kind,
    ndc: row.ndc,
    lot: row.lot,
    schedule: row.schedule,
    quantity: fromMilli(row.qty_milli),
    direction: row.direction,
    status: row.status,
    date: row.date,
    details: {
      ...subject.details,
      product: subject.product,
      initiatedBy: subject.initiatedBy,
      initiatedAt: subject.initiatedAt,
    },
    subjectHash: row.subject_hash,
    signatures: signaturesOf(db, row.id),
    rejectionReason: row.rejection_reason,
    ledgerSeq: row.seq,
  };
}

export function transactionRow(
  db: Database,
  id: string,
): (TransactionRow & { initiated_by: string }) | undefined {
  return db.prepare('SELECT * FROM inv_transactions WHERE id = ?').get(id) as
    (TransactionRow & { initiated_by: string }) | undefined;
}

export function transactionView(db: Database, id: string): TransactionView | null {
  const row = transactionRow(db, id);
  return row ? view(db, row) : null;
}

export function listTransactions(
  db: Database,
  options: {
    ndc?: string;
    status?: TransactionView['status'];
    limit: number;
    offset: number;
    oldestFirst?: boolean;
  },
): { transactions: TransactionView[]; total: number } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (options.ndc) {
    where.push('ndc = ?');
    args.push(options.ndc);
  }
  if (options.status) {
    where.push('status = ?');
    args.push(options.status);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (
    db.prepare(`SELECT count(*) AS n FROM inv_transactions ${clause}`).get(...args) as { n: number }
  ).n;
  const rows = db
    .prepare(
      `SELECT * FROM inv_transactions ${clause} ORDER BY seq ${options.oldestFirst ? 'ASC' : 'DESC'} LIMIT ? OFFSET ?`,
    )
    .all(...args, options.limit, options.offset) as TransactionRow[];
  return { transactions: rows.map((r) => view(db, r)), total };
}

export function balanceMilli(db: Database, ndc: string): number {
  const row = db.prepare('SELECT qty_milli FROM inv_balances WHERE ndc = ?').get(ndc) as
    { qty_milli: number } | undefined;
  return row?.qty_milli ?? 0;
}

export function lotBalanceMilli(db: Database, ndc: string, lot: string): number | null {
  const row = db.prepare('SELECT qty_milli FROM inv_lot_balances WHERE ndc = ? AND lot = ?').get(ndc, lot) as
    { qty_milli: number } | undefined;
  return row?.qty_milli ?? null;
}

export function pendingOutMilli(db: Database, ndc: string): number {
  const row = db
    .prepare(
      "SELECT coalesce(sum(qty_milli), 0) AS q FROM inv_transactions WHERE ndc = ? AND status = 'pending' AND direction = -1",
    )
    .get(ndc) as { q: number };
  return row.q;
}

/** Controlled-substance products with their balance and pending outgoing quantity (milli-units). */
export function listBalances(
  db: Database,
  ndc: string | null,
  schedule: string | null,
): {
  ndc: string;
  name: string;
  strength: string;
  dosage_form: string;
  unit: string;
  package_size: number | null;
  schedule: Schedule;
  on_hand: number;
  pending_out: number;
}[] {
  return db
    .prepare(
      `SELECT p.*, coalesce(b.qty_milli, 0) AS on_hand,
         (SELECT coalesce(sum(qty_milli), 0) FROM inv_transactions t
           WHERE t.ndc = p.ndc AND t.status = 'pending' AND t.direction = -1) AS pending_out
       FROM products p LEFT JOIN inv_balances b ON b.ndc = p.ndc
       WHERE p.schedule IS NOT NULL AND (? IS NULL OR p.ndc = ?) AND (? IS NULL OR p.schedule = ?)
       ORDER BY p.schedule, p.name, p.ndc`,
    )
    .all(ndc, ndc, schedule, schedule) as ReturnType<typeof listBalances>;
}

export function lotBalances(db: Database, ndc: string): { lot: string; qty_milli: number }[] {
  return db.prepare('SELECT lot, qty_milli FROM inv_lot_balances WHERE ndc = ? ORDER BY lot').all(ndc) as {
    lot: string;
    qty_milli: number;
  }[];
}
