import { ApiError } from '../api/errors';
import type { ClosureSignature } from '../api/procedures/quarantine';
import type { Workspace } from '../ledger/workspace';
import { closureSignature, requireSignerPermission, type ClosureSigner, type SignerIdentity } from '../auth';
import { TraceIds } from '../trace/ids';
import { parseTraceId } from '../model/trace-id';
import { investigationClocks, type Clock, type Form3911Draft, type IllegitimateClass } from './investigation';
import { itemFor } from './form3911-items';
import { findingsOf, type FindingsView } from './findings';
import { initialNotifiedMs, notificationsOf, type NotificationSummary } from './notifications';
import { openInvestigationIn, ReceivingError, RECEIVING_ENTRY } from './service';

export interface InvestigationView {
  readonly id: number;
  readonly status: 'open' | 'cleared' | 'illegitimate';
  readonly reason: string;
  readonly gtin: string | null;
  readonly lot: string | null;
  readonly expiry: string | null;
  readonly productName: string | null;
  readonly exceptionId: number | null;
  readonly openedMs: number;
  readonly determinedMs: number | null;
  readonly clocks: Clock[];
  readonly outcome: {
    outcome: string;
    description: string;
    classification?: IllegitimateClass;
    form3911?: Form3911Draft;
    signature?: ClosureSignature;
  } | null;
  /** Form FDA 3911 notifications recorded as sent, and the incident number FDA assigned. */
  readonly notifications: NotificationSummary[];
  readonly incidentNumber: string | null;
  /** What technicians found, for the person who decides (and kept with the outcome they signed). */
  readonly findings: FindingsView[];
}

interface Row {
  id: number;
  trace_id: number | null;
  exception_id: number | null;
  gtin: string | null;
  lot: string | null;
  expiry: string | null;
  reason: string;
  status: 'open' | 'cleared' | 'illegitimate';
  opened_ms: number;
  determined_ms: number | null;
  closed_seq: number | null;
  outcome: string | null;
}

function view(ctx: Pick<Workspace, 'db' | 'sealer'>, r: Row): InvestigationView {
  const outcome =
    r.outcome === null
      ? null
      : (JSON.parse(r.outcome) as InvestigationView['outcome'] & { closedMs?: number });
  if (outcome?.form3911 !== undefined && r.trace_id !== null) {
    // The serial is opened from its sealed row only when the draft is shown (never stored in clear).
    const serial = parseTraceId(new TraceIds(ctx.db, ctx.sealer).open(r.trace_id)).serial;
    if (serial !== undefined)
      outcome.form3911 = { ...outcome.form3911, serialNumbers: [decodeURIComponent(serial)] };
  }
  const name =
    r.gtin !== null
      ? (ctx.db.prepare('SELECT name FROM trace_products WHERE gtin = ?').pluck().get(r.gtin) as
          string | null | undefined)
      : null;
  return {
    id: r.id,
    status: r.status,
    reason: r.reason,
    gtin: r.gtin,
    lot: r.lot,
    expiry: r.expiry,
    productName: name ?? null,
    exceptionId: r.exception_id,
    openedMs: r.opened_ms,
    determinedMs: r.determined_ms,
    clocks: investigationClocks({
      openedMs: r.opened_ms,
      determinedMs: r.determined_ms,
      closedMs: outcome?.closedMs ?? null,
      status: r.status,
      notifiedMs: initialNotifiedMs(ctx.db, r.id),
    }),
    outcome,
    ...notificationsOf(ctx.db, r.id),
    findings: findingsOf(ctx.db, r.id),
  };
}

export function listInvestigations(
  ctx: Pick<Workspace, 'db' | 'sealer'>,
  status?: 'open' | 'cleared' | 'illegitimate',
): InvestigationView[] {
  const rows = (
    status === undefined
      ? ctx.db.prepare('SELECT * FROM investigations ORDER BY id DESC').all()
      : ctx.db.prepare('SELECT * FROM investigations WHERE status = ? ORDER BY id DESC').all(status)
  ) as Row[];
  return rows.map((r) => view(ctx, r));
}

export function getInvestigation(ctx: Pick<Workspace, 'db' | 'sealer'>, id: number): InvestigationView {
  const row = ctx.db.prepare('SELECT * FROM investigations WHERE id = ?').get(id) as Row | undefined;
  if (row === undefined) throw new ReceivingError('not-found', `There is no investigation ${id}.`);
  return view(ctx, row);
}

/** Opens an investigation by hand (a product looks wrong on the shelf, a partner notified us). */
export async function openInvestigation(
  ctx: Workspace,
  input: { exceptionId?: number; gtin?: string; lot?: string; expiry?: string; reason: string },
  actor: string,
): Promise<number> {
  const value = await ctx.write((writer) => {
    let traceId: number | null = null;
    if (input.exceptionId !== undefined) {
      const ex = writer.db
        .prepare('SELECT detail FROM receiving_exceptions WHERE id = ?')
        .pluck()
        .get(input.exceptionId) as string | undefined;
      if (ex === undefined)
        throw new ReceivingError('not-found', `There is no receiving exception ${input.exceptionId}.`);
      traceId = (JSON.parse(ex) as { traceId?: number }).traceId ?? null;
    }
    return openInvestigationIn(writer, ctx.now(), actor, {
      traceId,
      exceptionId: input.exceptionId ?? null,
      gtin: input.gtin ?? null,
      lot: input.lot ?? null,
      expiry: input.expiry ?? null,
      reason: input.reason,
    });
  });
  return value;
}

/** The words a signature on an outcome carries: "investigation outcome: illegitimate (diverted)". */
export function outcomeMeaning(
  outcome: 'cleared' | 'illegitimate',
  classification?: IllegitimateClass,
): string {
  return `investigation outcome: ${outcome}${outcome === 'illegitimate' && classification !== undefined ? ` (${classification})` : ''}`;
}

/**
 * Records the outcome, signed electronically (21 CFR Part 11): the signer re-enters their password,
 * and the signature binds their name, the meaning ("investigation outcome: illegitimate (diverted)"),
 * the hash of exactly the investigation and outcome signed, and the time. Cleared: the product leaves
 * quarantine. Illegitimate: it stays quarantined for disposition, and the Form FDA 3911 data is
 * prepared for the reports issue (notify within 24 h).
 */
export async function closeInvestigation(
  ctx: Workspace,
  id: number,
  input: {
    outcome: 'cleared' | 'illegitimate';
    description: string;
    classification?: IllegitimateClass;
    quantity?: number;
  },
  signing: { signer: ClosureSigner; who: SignerIdentity; password: string },
): Promise<void> {
  if (input.description.trim().length < 5)
    throw new ReceivingError('invalid', 'Describe what the investigation found (at least 5 characters).');
  if (input.outcome === 'illegitimate' && input.classification === undefined) {
    throw new ReceivingError(
      'invalid',
      `An illegitimate product needs its classification (counterfeit, diverted, stolen, …) for Form FDA 3911 item ${itemFor('classification').item}.`,
    );
  }
  // Every refusal leaves a receiving.refused entry (21 CFR 11.10(e): the audit trail records attempts
  // too): a wrong password (which also counts toward lockout), a signer without the authority, an
  // investigation that does not exist or is already closed.
  const attempt = {
    area: 'receiving',
    procedure: 'receiving.closeInvestigation',
    subject: { investigation: id },
  };
  const signer = await signing.signer.authenticate(signing.who, signing.password, attempt);
  try {
    requireSignerPermission(signer, 'inventory.approve', `record the outcome of investigation ${id}`);
  } catch (error) {
    if (error instanceof ApiError) await ctx.refuse({ ...attempt, actor: signer.userId }, error);
    throw error;
  }
  await ctx.guarded({ ...attempt, actor: signer.userId }, (writer) => {
    const db = writer.db;
    const row = db.prepare('SELECT * FROM investigations WHERE id = ?').get(id) as Row | undefined;
    if (row === undefined) throw new ReceivingError('not-found', `There is no investigation ${id}.`);
    if (row.status !== 'open')
      throw new ReceivingError('conflict', `Investigation ${id} is already closed (${row.status}).`);
    const now = ctx.now();
    let form3911: Form3911Draft | undefined;
    if (input.outcome === 'illegitimate') {
      const product = (
        row.gtin !== null
          ? db.prepare('SELECT * FROM trace_products WHERE gtin = ?').get(row.gtin)
          : undefined
      ) as
        | { ndc: string | null; name: string | null; strength: string | null; dosage_form: string | null }
        | undefined;
      form3911 = {
        typeOfReport: 'Initial',
        incidentNumber: null,
        dateOfInitialNotification: null,
        dateDeterminedIllegitimate: new Date(now).toISOString().slice(0, 10),
        classification: input.classification!,
        productName: product?.name ?? null,
        primaryIngredients: null,
        drugUse: null,
        drugDescription: null,
        strength: product?.strength ?? null,
        dosageForm: product?.dosage_form ?? null,
        quantity: { number: input.quantity ?? 1, unit: 'package' },
        ndc: product?.ndc ?? null,
        serialNumbers: [],
        lotNumbers: row.lot !== null ? [row.lot] : [],
        expirationDates: row.expiry !== null ? [row.expiry] : [],
        description: input.description.trim(),
        terminationReason: null,
        otherReportingMechanisms: [],
      };
    }
    const description = input.description.trim();
    // What is signed: the investigation as opened (its identifier by row id, never the serial) and the outcome.
    const subject = {
      investigation: row.id,
      opened: {
        reason: row.reason,
        traceId: row.trace_id,
        exceptionId: row.exception_id,
        gtin: row.gtin,
        lot: row.lot,
        expiry: row.expiry,
      },
      outcome: input.outcome,
      classification: input.classification ?? null,
      description,
      quantity: input.quantity ?? null,
      // The findings the signer had before them (their ledger entries), so the signature covers them.
      findings: findingsOf(db, row.id).map((f) => f.seq),
    };
    const signature = closureSignature(
      signer,
      outcomeMeaning(input.outcome, input.classification),
      subject,
      now,
    );
    const outcome = {
      outcome: input.outcome,
      description,
      ...(input.classification !== undefined ? { classification: input.classification } : {}),
      ...(form3911 !== undefined ? { form3911 } : {}),
      closedMs: now,
      signature,
    };
    // The ledger keeps the outcome; the 3911 draft (with the serial) stays in the sealed projection.
    const [seq] = writer.append([
      {
        type: RECEIVING_ENTRY.investigationClosed,
        actor: signer.userId,
        time: now,
        payload: {
          investigation: id,
          outcome: input.outcome,
          classification: input.classification ?? null,
          description: outcome.description,
          signature,
        },
      },
    ]);
    db.prepare(
      'UPDATE investigations SET status = ?, determined_ms = ?, closed_seq = ?, outcome = ? WHERE id = ?',
    ).run(input.outcome, now, seq!, JSON.stringify(outcome), id);
    if (row.trace_id !== null && input.outcome === 'cleared')
      db.prepare('UPDATE serial_state SET quarantined = 0, suspect = 0 WHERE trace_id = ?').run(row.trace_id);
  });
}
