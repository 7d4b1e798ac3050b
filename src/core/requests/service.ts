import type { Database } from 'better-sqlite3-multiple-ciphers';
import { ApiError } from '../api/errors';
import { isTimeZone } from '../calendar';
import { entryOf, readEntries, type Entry, type Workspace } from '../ledger/workspace';
import { readRegistrant } from '../registrant/registrant';
import { statutoryDeadline, type DscsaRespondent, type RequestRegime } from './deadline';
import {
  getRequest,
  nextRequestId,
  REQUEST_ENTRY,
  type AnsweredPayload,
  type Asked,
  type RecordedPayload,
  type RecordsRequest,
} from './store';

/** The ledger entry a generated report leaves (the report engine's). */
export const REPORT_GENERATED = 'reports.generated';

export interface RecordInput {
  readonly regime: RequestRegime;
  readonly respondent?: DscsaRespondent;
  readonly requesterKind: RecordedPayload['requesterKind'];
  readonly requester: string;
  readonly contact?: string;
  readonly channel: RecordedPayload['channel'];
  readonly receivedMs: number;
  readonly timeZone: string;
  readonly asked: Asked;
}

/** A request may be recorded a few minutes "early" by a workstation clock running fast, never later. */
const CLOCK_SLACK_MS = 5 * 60_000;

const attempt = (procedure: string, actor: string, subject?: Record<string, number>) => ({
  area: 'requests',
  procedure,
  actor,
  ...(subject ? { subject } : {}),
});

function mustGet(db: Database, id: number): RecordsRequest {
  const r = getRequest(db, id);
  if (r === undefined) throw new ApiError('not-found', `There is no request ${id}.`);
  return r;
}

/** Records a request as received; the deadline is the law's, counted from the receipt. */
export async function recordRequest(
  ws: Workspace,
  input: RecordInput,
  actor: string,
): Promise<RecordsRequest> {
  const a = input.asked;
  if (a.products.length + a.lots.length + a.tlcs.length + a.serials.length === 0 && !a.from && !a.to)
    throw new ApiError(
      'invalid-input',
      'Say what was asked for: products, lots, traceability lot codes, serials or a date range.',
    );
  if (a.from && a.to && a.from > a.to)
    throw new ApiError('invalid-input', 'The date range ends before it starts.');
  if (!isTimeZone(input.timeZone))
    throw new ApiError('invalid-input', `"${input.timeZone}" is not a time zone.`);
  if (input.receivedMs > ws.now() + CLOCK_SLACK_MS)
    throw new ApiError('invalid-input', 'A request cannot be received in the future.');
  if (input.regime === 'fsma-204' && input.respondent !== undefined)
    throw new ApiError('invalid-input', 'A FSMA 204 request has no DSCSA respondent role.');
  return ws.guarded(attempt('requests.record', actor), (tx) => {
    // DSCSA: a pharmacy answers as a dispenser, a distributor as a wholesaler, unless told otherwise.
    const respondent: DscsaRespondent | null =
      input.regime === 'dscsa'
        ? (input.respondent ??
          (readRegistrant(tx.db)?.businessType === 'distributor' ? 'wholesaler' : 'dispenser'))
        : null;
    const deadline = statutoryDeadline({
      regime: input.regime,
      receivedMs: input.receivedMs,
      timeZone: input.timeZone,
      ...(respondent ? { respondent } : {}),
    });
    const id = nextRequestId(tx.db);
    const payload: RecordedPayload = {
      request: id,
      regime: input.regime,
      respondent,
      requesterKind: input.requesterKind,
      requester: input.requester,
      contact: input.contact ?? null,
      channel: input.channel,
      receivedMs: input.receivedMs,
      timeZone: input.timeZone,
      asked: input.asked,
      statutoryDueMs: deadline.dueMs,
      // The law's clocks run for requests from FDA (FSMA) or FDA and other Federal or State officials
      // (DSCSA); a trading partner's request is given the same time as a working target.
      basis:
        input.requesterKind === 'partner' || (input.regime === 'fsma-204' && input.requesterKind !== 'fda')
          ? `Working target, the time the law gives an official's request: ${deadline.basis}`
          : deadline.basis,
    };
    tx.record(REQUEST_ENTRY.recorded, actor, payload as unknown as Record<string, unknown>);
    return mustGet(tx.db, id);
  });
}

/** Records another time agreed with (FSMA) or set by (DSCSA) FDA; it replaces the deadline. */
export async function agreeDeadline(
  ws: Workspace,
  input: { id: number; dueMs: number; note: string },
  actor: string,
): Promise<RecordsRequest> {
  return ws.guarded(attempt('requests.agreeDeadline', actor, { request: input.id }), (tx) => {
    const r = mustGet(tx.db, input.id);
    if (r.status !== 'open')
      throw new ApiError('conflict', `Request ${r.id} is ${r.status}; its deadline no longer runs.`);
    if (input.dueMs <= r.receivedMs)
      throw new ApiError('invalid-input', 'An agreed time comes after the request was received.');
    tx.record(REQUEST_ENTRY.deadlineAgreed, actor, { request: r.id, dueMs: input.dueMs, note: input.note });
    return mustGet(tx.db, r.id);
  });
}

/** The entry at seq when it is a generated report; null otherwise. */
function reportEntry(ws: Workspace, seq: number): Entry | null {
  const bytes = ws.ledger.leaf(seq);
  if (bytes === undefined) return null;
  const entry = entryOf(bytes);
  return entry.type === REPORT_GENERATED ? entry : null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** What a reports.generated entry says of the file: kind, format, SHA-256, parameters. */
export function describeReport(entry: Entry) {
  const p = entry.payload;
  const file = (p.file ?? {}) as Record<string, unknown>;
  return {
    seq: entry.seq,
    time: entry.time,
    actor: entry.actor,
    kind: str(p.kind),
    format: str(p.format) ?? str(file.format),
    sha256: str(p.sha256) ?? str(p.fileSha256) ?? str(file.sha256),
    parameters: (p.parameters ?? p.params ?? {}) as Record<string, unknown>,
  };
}

/** Records a generated report as the answer sent (a request may be answered by several files). */
export async function answerRequest(
  ws: Workspace,
  input: { id: number; reportSeq: number; sentMs?: number; sentTo: string; note?: string },
  actor: string,
): Promise<RecordsRequest> {
  return ws.guarded(
    attempt('requests.answer', actor, { request: input.id, report: input.reportSeq }),
    (tx) => {
      const r = mustGet(tx.db, input.id);
      if (r.status === 'withdrawn') throw new ApiError('conflict', `Request ${r.id} was withdrawn.`);
      const report = reportEntry(ws, input.reportSeq);
      if (report === null)
        throw new ApiError('not-found', `Ledger entry ${input.reportSeq} is not a generated report.`);
      if (r.answers.some((a) => a.reportSeq === input.reportSeq))
        throw new ApiError('conflict', `That report is already recorded as sent for request ${r.id}.`);
      const sentMs = input.sentMs ?? tx.time;
      if (sentMs < report.time)
        throw new ApiError('invalid-input', 'A report cannot be sent before it was generated.');
      if (sentMs > tx.time + CLOCK_SLACK_MS)
        throw new ApiError('invalid-input', 'A report cannot be sent in the future.');
      const d = describeReport(report);
      const payload: AnsweredPayload = {
        request: r.id,
        reportSeq: report.seq,
        kind: d.kind,
        format: d.format,
        sha256: d.sha256,
        sentMs,
        sentTo: input.sentTo,
        note: input.note ?? null,
      };
      tx.record(REQUEST_ENTRY.answered, actor, payload as unknown as Record<string, unknown>);
      return mustGet(tx.db, r.id);
    },
  );
}

export async function withdrawRequest(
  ws: Workspace,
  input: { id: number; reason: string },
  actor: string,
): Promise<RecordsRequest> {
  return ws.guarded(attempt('requests.withdraw', actor, { request: input.id }), (tx) => {
    const r = mustGet(tx.db, input.id);
    if (r.status !== 'open') throw new ApiError('conflict', `Request ${r.id} is already ${r.status}.`);
    tx.record(REQUEST_ENTRY.withdrawn, actor, { request: r.id, reason: input.reason });
    return mustGet(tx.db, r.id);
  });
}

/** Generated reports, newest first (from the ledger's reports.generated entries). */
export function answerableReports(db: Database, limit: number): ReturnType<typeof describeReport>[] {
  const all: Entry[] = [];
  for (const e of readEntries(db, [REPORT_GENERATED])) if (e.type === REPORT_GENERATED) all.push(e);
  return all.slice(-limit).reverse().map(describeReport);
}
