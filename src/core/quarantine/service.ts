import type { TraceContext } from '../ingest/context';
import { importFile, type ImportResult } from '../ingest/pipeline';
import type { RuleFinding } from '../rules/findings';
import type { IngestFormat } from '../ingest/records';
import type { ClosureSignature } from '../api/procedures/quarantine';
import {
  closureSignature,
  requireSignerPermission,
  type ClosureSigner,
  type SignerIdentity,
} from './signed-closure';
import { QUARANTINE_ENTRY, rawChunks } from './store';

export type QuarantineStatus = 'open' | 'reprocessed' | 'closed';

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

export class QuarantineError extends Error {
  constructor(
    readonly kind: 'not-found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'QuarantineError';
  }
}

interface Row {
  id: number;
  kind: 'file' | 'event';
  file_name: string;
  file_hash: Buffer;
  format: string;
  source: string;
  size: number;
  records: number;
  reasons: string;
  suspect: number;
  status: QuarantineStatus;
  opened_ms: number;
  attempts: number;
  partner_id: number | null;
  mapping_id: number | null;
  resolution: string | null;
}

function summary(r: Row): QuarantineSummary {
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
  ctx: Pick<TraceContext, 'db'>,
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
    .all(...args, filter.limit ?? 100, filter.offset ?? 0) as Row[];
  return { items: rows.map(summary), total };
}

export function showQuarantine(ctx: Pick<TraceContext, 'db'>, id: number): QuarantineDetail {
  const r = ctx.db.prepare('SELECT * FROM quarantine_items WHERE id = ?').get(id) as Row | undefined;
  if (r === undefined) throw new QuarantineError('not-found', `There is no quarantine item ${id}.`);
  return {
    ...summary(r),
    reasons: JSON.parse(r.reasons) as RuleFinding[],
    resolution: r.resolution === null ? null : JSON.parse(r.resolution),
  };
}

/** The raw bytes as received (to download and look at, or to send back to the partner). */
export function quarantineBytes(ctx: Pick<TraceContext, 'db'>, id: number): Buffer {
  showQuarantine(ctx, id);
  return Buffer.concat([...rawChunks(ctx.db, id)]);
}

/**
 * Runs the quarantined bytes through the import again (after master data was fixed): imported means
 * the item is closed as reprocessed in the same transaction; rejected again keeps it open with the
 * new reasons and one more attempt.
 */
export async function reprocessQuarantine(
  ctx: TraceContext,
  id: number,
  actor: string,
  options: {
    signal?: AbortSignal;
    onProgress?: (phase: 'reading' | 'committing', done: number) => void;
    /** A partner and column mapping chosen now (a CSV that came without one). */
    partnerId?: number;
    mappingId?: number;
  } = {},
): Promise<ImportResult> {
  const item = ctx.db.prepare('SELECT * FROM quarantine_items WHERE id = ?').get(id) as Row | undefined;
  if (item === undefined) throw new QuarantineError('not-found', `There is no quarantine item ${id}.`);
  if (item.status !== 'open')
    throw new QuarantineError('conflict', `Quarantine item ${id} is already ${item.status}.`);
  if (item.kind === 'event') {
    throw new QuarantineError(
      'conflict',
      `Quarantine item ${id} is one event of a file that was imported; it was rejected when its predecessor arrived. Ask the partner for a corrected event (an EPCIS error declaration and a corrective event), import that, then close this item with a reason.`,
    );
  }
  const bytes = Buffer.concat([...rawChunks(ctx.db, id)]);
  const { partnerId, mappingId, ...run } = options;
  const partner = partnerId ?? item.partner_id ?? undefined;
  const mapping = mappingId ?? item.mapping_id ?? undefined;
  return importFile(
    ctx,
    {
      source: { bytes },
      name: item.file_name,
      origin: `reprocess of quarantine item ${id}`,
      // A newly chosen mapping decides between a T3 and an FSMA sheet: detect the format again.
      ...(mappingId === undefined ? { format: item.format as IngestFormat } : {}),
      ...(partner !== undefined ? { partnerId: partner } : {}),
      ...(mapping !== undefined ? { mappingId: mapping } : {}),
    },
    { actor, quarantineId: id, ...run },
  );
}

/** What a person signs when closing: the item as it stands, and the reason in their words. */
function closureSubject(item: Row, reason: string) {
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
  ctx: TraceContext,
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
  await ctx.ledger.write((writer) => {
    const item = writer.db.prepare('SELECT * FROM quarantine_items WHERE id = ?').get(id) as Row | undefined;
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
