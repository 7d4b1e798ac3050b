import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { DestructionView, IncidentView } from '../api/procedures/disposals';
import { signaturesOf } from '../inventory';

/*
 * Reads of the disposals tables. Views join each line's inventory transaction for its status
 * (a Schedule II line is pending until a second person approves it).
 */

type Status = IncidentView['lines'][number]['status'];

/** Incident and destruction subjects as signed (the JSON of the record column). */
export type IncidentSubject = Omit<
  IncidentView,
  'lines' | 'notice' | 'filing' | 'signatures' | 'ledgerSeq'
> & {
  readonly type: 'custodia.form106-incident/v1';
  readonly registrant: unknown;
  readonly lines: readonly Omit<IncidentView['lines'][number], 'status'>[];
  readonly reportedBy: { userId: string; printedName: string };
  readonly reportedAt: string;
};

export type DestructionSubject = Omit<DestructionView, 'lines' | 'signatures' | 'ledgerSeq'> & {
  readonly type: 'custodia.form41-destruction/v1';
  readonly registrant: unknown;
  readonly lines: readonly Omit<DestructionView['lines'][number], 'status'>[];
  readonly recordedBy: { userId: string; printedName: string };
};

function statuses(db: Database, parentId: string): Map<string, Status> {
  const rows = db
    .prepare(
      `SELECT l.transaction_id AS id, t.status AS status FROM disposal_lines l
         JOIN inv_transactions t ON t.id = l.transaction_id WHERE l.parent_id = ?`,
    )
    .all(parentId) as { id: string; status: Status }[];
  return new Map(rows.map((r) => [r.id, r.status]));
}

interface IncidentRow {
  id: string;
  seq: number;
  notice: string | null;
  filing: string | null;
  record: string;
}

function incidentOf(db: Database, row: IncidentRow): IncidentView {
  const s = JSON.parse(row.record) as IncidentSubject;
  const status = statuses(db, row.id);
  const notice =
    row.notice === null
      ? null
      : (JSON.parse(row.notice) as { notifiedOn: string; office: string; how: string });
  const filing =
    row.filing === null ? null : (JSON.parse(row.filing) as { filedOn: string; confirmation: string });
  const { type: _t, registrant: _r, reportedBy: _b, reportedAt: _a, ...rest } = s;
  return {
    ...rest,
    lines: s.lines.map((l) => ({ ...l, status: status.get(l.transactionId) ?? 'pending' })),
    notice: notice === null ? null : { ...notice, late: notice.notifiedOn > s.noticeDueBy },
    filing: filing === null ? null : { ...filing, late: filing.filedOn > s.fileBy },
    signatures: signaturesOf(db, row.id),
    ledgerSeq: row.seq,
  };
}

export function incidentView(db: Database, id: string): IncidentView | null {
  const row = db.prepare('SELECT * FROM loss_incidents WHERE id = ?').get(id) as IncidentRow | undefined;
  return row === undefined ? null : incidentOf(db, row);
}

export function incidentSubject(db: Database, id: string): IncidentSubject | null {
  const row = db.prepare('SELECT record FROM loss_incidents WHERE id = ?').get(id) as
    { record: string } | undefined;
  return row === undefined ? null : (JSON.parse(row.record) as IncidentSubject);
}

export function listIncidents(db: Database): IncidentView[] {
  const rows = db
    .prepare('SELECT * FROM loss_incidents ORDER BY discovered_on DESC, seq DESC')
    .all() as IncidentRow[];
  return rows.map((r) => incidentOf(db, r));
}

function destructionOf(db: Database, row: { id: string; seq: number; record: string }): DestructionView {
  const s = JSON.parse(row.record) as DestructionSubject;
  const status = statuses(db, row.id);
  const { type: _t, registrant: _r, recordedBy: _b, ...rest } = s;
  return {
    ...rest,
    lines: s.lines.map((l) => ({ ...l, status: status.get(l.transactionId) ?? 'pending' })),
    signatures: signaturesOf(db, row.id),
    ledgerSeq: row.seq,
  };
}

export function destructionView(db: Database, id: string): DestructionView | null {
  const row = db.prepare('SELECT id, seq, record FROM destructions WHERE id = ?').get(id) as
    { id: string; seq: number; record: string } | undefined;
  return row === undefined ? null : destructionOf(db, row);
}

export function destructionSubject(db: Database, id: string): DestructionSubject | null {
  const row = db.prepare('SELECT record FROM destructions WHERE id = ?').get(id) as
    { record: string } | undefined;
  return row === undefined ? null : (JSON.parse(row.record) as DestructionSubject);
}

export function listDestructions(db: Database): DestructionView[] {
  const rows = db.prepare('SELECT id, seq, record FROM destructions ORDER BY date DESC, seq DESC').all() as {
    id: string;
    seq: number;
    record: string;
  }[];
  return rows.map((r) => destructionOf(db, r));
}
