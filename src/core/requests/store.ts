import type { Database } from 'better-sqlite3-multiple-ciphers';
import { canonicalize } from '../ledger/jcs';
import type { Entry } from '../ledger/workspace';
import { deadlineInForce, type DscsaRespondent, type RequestRegime } from './deadline';

/*
 * The projection of requests.* entries: records_requests (one row a request) and
 * records_request_answers (each report sent in answer). Every row is rebuilt from the entries
 * alone (projections.ts lists the tables), so the deadline shown is the one the entries carry.
 */

export const REQUEST_ENTRY = {
  recorded: 'requests.recorded',
  deadlineAgreed: 'requests.deadline-agreed',
  answered: 'requests.answered',
  withdrawn: 'requests.withdrawn',
} as const;

export interface Asked {
  readonly products: string[];
  readonly lots: string[];
  readonly tlcs: string[];
  readonly serials: string[];
  readonly from?: string;
  readonly to?: string;
  readonly note?: string;
}

/** The payload of a requests.recorded entry. */
export interface RecordedPayload {
  readonly request: number;
  readonly regime: RequestRegime;
  readonly respondent: DscsaRespondent | null;
  readonly requesterKind: 'fda' | 'federal' | 'state' | 'partner';
  readonly requester: string;
  readonly contact: string | null;
  readonly channel: 'phone' | 'email' | 'in-person' | 'letter' | 'portal';
  readonly receivedMs: number;
  readonly timeZone: string;
  readonly asked: Asked;
  readonly statutoryDueMs: number;
  readonly basis: string;
}

export interface AnsweredPayload {
  readonly request: number;
  readonly reportSeq: number;
  readonly kind: string | null;
  readonly format: string | null;
  readonly sha256: string | null;
  readonly sentMs: number;
  readonly sentTo: string;
  readonly note: string | null;
}

export interface RequestAnswer {
  readonly seq: number;
  readonly reportSeq: number;
  readonly kind: string | null;
  readonly format: string | null;
  readonly sha256: string | null;
  readonly sentMs: number;
  readonly sentTo: string;
  readonly note: string | null;
  readonly by: string;
}

export interface RecordsRequest extends Omit<RecordedPayload, 'request'> {
  readonly id: number;
  readonly dueMs: number;
  readonly agreed: boolean;
  readonly status: 'open' | 'answered' | 'withdrawn';
  readonly answeredInTime: boolean | null;
  readonly recordedBy: string;
  readonly recordedSeq: number;
  readonly withdrawnReason: string | null;
  readonly answers: RequestAnswer[];
}

interface Row {
  id: number;
  recorded: string;
  due_ms: number;
  basis: string;
  agreed_note: string | null;
  status: 'open' | 'answered' | 'withdrawn';
  recorded_by: string;
  recorded_seq: number;
  withdrawn_reason: string | null;
}

/** Applies requests.* entries; ignores every other type. */
export function projectRequests(db: Database, entry: Entry): void {
  const p = entry.payload;
  switch (entry.type) {
    case REQUEST_ENTRY.recorded: {
      const r = p as unknown as RecordedPayload;
      db.prepare(
        `INSERT INTO records_requests (id, regime, requester_kind, received_ms, recorded, due_ms, basis, status, recorded_by, recorded_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
      ).run(
        r.request,
        r.regime,
        r.requesterKind,
        r.receivedMs,
        // Canonical JSON: the same text live and when rebuilt from the leaf.
        canonicalize(r),
        r.statutoryDueMs,
        r.basis,
        entry.actor,
        entry.seq,
      );
      return;
    }
    case REQUEST_ENTRY.deadlineAgreed: {
      const { request, dueMs, note } = p as { request: number; dueMs: number; note: string };
      const row = db.prepare('SELECT recorded FROM records_requests WHERE id = ?').get(request) as
        { recorded: string } | undefined;
      if (row === undefined) return;
      const r = JSON.parse(row.recorded) as RecordedPayload;
      const d = deadlineInForce(
        {
          regime: r.regime,
          receivedMs: r.receivedMs,
          timeZone: r.timeZone,
          ...(r.respondent ? { respondent: r.respondent } : {}),
        },
        { dueMs, note },
      );
      db.prepare('UPDATE records_requests SET due_ms = ?, basis = ?, agreed_note = ? WHERE id = ?').run(
        d.dueMs,
        d.basis,
        note,
        request,
      );
      return;
    }
    case REQUEST_ENTRY.answered: {
      const a = p as unknown as AnsweredPayload;
      db.prepare(
        `INSERT INTO records_request_answers (request_id, seq, report_seq, sent_ms, sent_to, answer, answered_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(a.request, entry.seq, a.reportSeq, a.sentMs, a.sentTo, canonicalize(a), entry.actor);
      db.prepare("UPDATE records_requests SET status = 'answered' WHERE id = ? AND status = 'open'").run(
        a.request,
      );
      return;
    }
    case REQUEST_ENTRY.withdrawn: {
      const { request, reason } = p as { request: number; reason: string };
      db.prepare("UPDATE records_requests SET status = 'withdrawn', withdrawn_reason = ? WHERE id = ?").run(
        reason,
        request,
      );
      return;
    }
    default:
      return;
  }
}

function view(db: Database, row: Row): RecordsRequest {
  const { request: _id, ...recorded } = JSON.parse(row.recorded) as RecordedPayload;
  const answers = (
    db
      .prepare(
        'SELECT seq, answer, answered_by FROM records_request_answers WHERE request_id = ? ORDER BY seq',
      )
      .all(row.id) as { seq: number; answer: string; answered_by: string }[]
  ).map((a) => {
    const { request: _r, ...answer } = JSON.parse(a.answer) as AnsweredPayload;
    return { ...answer, seq: a.seq, by: a.answered_by };
  });
  const first = answers[0];
  return {
    ...recorded,
    id: row.id,
    dueMs: row.due_ms,
    basis: row.basis,
    agreed: row.agreed_note !== null,
    status: row.status,
    answeredInTime: first === undefined ? null : first.sentMs <= row.due_ms,
    recordedBy: row.recorded_by,
    recordedSeq: row.recorded_seq,
    withdrawnReason: row.withdrawn_reason,
    answers,
  };
}

/** Open requests first, soonest deadline first (the older of two due together first); then the others, newest first. */
export function listRequests(db: Database, status?: RecordsRequest['status']): RecordsRequest[] {
  const rows = (
    status === undefined
      ? db
          .prepare(
            "SELECT * FROM records_requests ORDER BY status = 'open' DESC, CASE WHEN status = 'open' THEN due_ms END, CASE WHEN status = 'open' THEN id END, id DESC",
          )
          .all()
      : db.prepare('SELECT * FROM records_requests WHERE status = ? ORDER BY due_ms, id').all(status)
  ) as Row[];
  return rows.map((r) => view(db, r));
}

export function getRequest(db: Database, id: number): RecordsRequest | undefined {
  const row = db.prepare('SELECT * FROM records_requests WHERE id = ?').get(id) as Row | undefined;
  return row === undefined ? undefined : view(db, row);
}

export function nextRequestId(db: Database): number {
  return ((db.prepare('SELECT max(id) FROM records_requests').pluck().get() as number | null) ?? 0) + 1;
}
