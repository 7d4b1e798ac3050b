import { ApiError } from '../api/errors';
import type { Workspace } from '../ledger/workspace';
import type { RuleFinding } from '../model/findings';
import type { ClosureSignature } from '../api/procedures/quarantine';
import { closureSignature, requireSignerPermission, type ClosureSigner, type SignerIdentity } from '../auth';
import {
  QUARANTINE_ENTRY,
  quarantineRow,
  rawChunks,
  type QuarantineRow,
  type QuarantineStatus,
} from './store';

export type { QuarantineStatus } from './store';

export interface QuarantineSummary {
  readonly id: number;
  readonly kind: 'file' | 'event';
  readonly fileName: string;
  readonly fileHash: string;
  readonly format: string;
  readonly source: string;
  readonly size: number;
  readonly records: number;
  readonly reasonCount: number;
  readonly rules: string[];
  readonly suspect: boolean;
  readonly status: QuarantineStatus;
  readonly openedMs: number;
  readonly attempts: number;
  readonly partnerId: number | null;
}

export interface QuarantineDetail extends QuarantineSummary {
  readonly reasons: RuleFinding[];
  readonly resolution: {
    importedFile?: number;
    reason?: string;
    closedBy?: string;
    closedMs?: number;
    signature?: ClosureSignature;
  } | null;
}

/** A refusal of this area, in the API's terms: not-found, conflict, or invalid input. */
export class QuarantineError extends ApiError {
  constructor(
    readonly kind: 'not-found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(kind === 'invalid' ? 'invalid-input' : kind, message);
    this.name = 'QuarantineError';
  }
}

function summary(r: QuarantineRow): QuarantineSummary {
  const reasons = JSON.parse(r.reasons) as RuleFinding[];
  return {
    id: r.id,
    kind: r.kind,
    fileName: r.file_name,
    fileHash: r.file_hash.toString('hex'),
    format: r.format,
    source: r.source,
    size: r.size,
    records: r.records,
    reasonCount: reasons.length,
    rules: [...new Set(reasons.map((x) => x.rule))],
    suspect: r.suspect === 1,
    status: r.status,
    openedMs: r.opened_ms,
    attempts: r.attempts,
    partnerId: r.partner_id,
  };
}

export function listQuarantine(
  ctx: Pick<Workspace, 'db'>,
  filter: { status?: QuarantineStatus; limit?: number; offset?: number } = {},
): { items: QuarantineSummary[]; total: number } {
  const where = filter.status !== undefined ? 'WHERE status = ?' : '';
  const args = filter.status !== undefined ? [filter.status] : [];
  const total = ctx.db
    .prepare(`SELECT count(*) FROM quarantine_items ${where}`)
    .pluck()
    .get(...args) as number;
  const rows = ctx.db
    .prepare(`SELECT * FROM quarantine_items ${where} ORDER BY id DESC LIMIT ? OFFSET ?`)
    .all(...args, filter.limit ?? 100, filter.offset ?? 0) as QuarantineRow[];
  return { items: rows.map(summary), total };
}

export function showQuarantine(ctx: Pick<Workspace, 'db'>, id: number): QuarantineDetail {
  const r = quarantineRow(ctx.db, id);
  if (r === undefined) throw new QuarantineError('not-found', `There is no quarantine item ${id}.`);
  return {
    ...summary(r),
    reasons: JSON.parse(r.reasons) as RuleFinding[],
    resolution: r.resolution === null ? null : JSON.parse(r.resolution),
  };
}

/** The raw bytes as received (to download and look at, or to send back to the partner). */
export function quarantineBytes(ctx: Pick<Workspace, 'db'>, id: number): Buffer {
  showQuarantine(ctx, id);
  return Buffer.concat([...rawChunks(ctx.db, id)]);
}

/** What a person signs when closing: the item as it stands, and the reason in their words. */
function closureSubject(item: QuarantineRow, reason: string) {
  return {
    quarantineItem: item.id,
    kind: item.kind,
    file: item.file_hash.toString('hex'),
    name: item.file_name,
    attempts: item.attempts,
    reasons: JSON.parse(item.reasons) as unknown,
    action: 'close without import',
    reason,
  };
}

/**
 * Closes an item without importing it, signed electronically (21 CFR Part 11): the signer re-enters
 * their password (checked like a sign-in, refusals recorded), and the signature binds their name, the
 * meaning "closed quarantine item: <reason>", the hash of exactly the item and reason signed, and the
 * time. E.g. "the partner sent a corrected file", "test data sent by mistake".
 */
export async function closeQuarantine(
  ctx: Workspace,
  id: number,
  reason: string,
  signing: { signer: ClosureSigner; who: SignerIdentity; password: string },
): Promise<void> {
  const text = reason.trim();
  if (text.length < 5)
    throw new QuarantineError(
      'invalid',
      'Give the reason for closing in a few words (at least 5 characters).',
    );
  const signer = await signing.signer.authenticate(signing.who, signing.password, {
    procedure: 'quarantine.close',
    subject: { quarantineItem: id },
  });
  requireSignerPermission(signer, 'import.write', `close quarantine item ${id}`);
  await ctx.write((writer) => {
    const item = quarantineRow(writer.db, id);
    if (item === undefined) throw new QuarantineError('not-found', `There is no quarantine item ${id}.`);
    if (item.status !== 'open')
      throw new QuarantineError('conflict', `Quarantine item ${id} is already ${item.status}.`);
    const at = ctx.now();
    const signature = closureSignature(
      signer,
      `closed quarantine item: ${text}`,
      closureSubject(item, text),
      at,
    );
    const [seq] = writer.append([
      {
        type: QUARANTINE_ENTRY.closed,
        actor: signer.userId,
        time: at,
        payload: { item: id, reason: text, signature },
      },
    ]);
    writer.db
      .prepare("UPDATE quarantine_items SET status = 'closed', resolved_seq = ?, resolution = ? WHERE id = ?")
      .run(seq!, JSON.stringify({ reason: text, closedBy: signer.displayName, closedMs: at, signature }), id);
  });
}
