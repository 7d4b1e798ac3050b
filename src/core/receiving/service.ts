import { ApiError } from '../api/errors';
import type { Principal } from '../api/principal';
import { closureSignature, type AuthService } from '../auth';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { gtinToNdcCandidates, parseAnyIdentifier, parseScanData } from '../identifiers';
import type { Workspace } from '../ledger/workspace';
import { loadDscsaContext } from '../ingest';
import type { WriteTx } from '../ledger/workspace';
import { FINAL_STATES, type SerialStateName } from '../rules/lifecycle';
import { TraceIds } from '../trace/ids';
import { canonicalSgtin, canonicalSscc } from '../model/trace-id';
import { SerialStateStore } from '../trace/state';
import { readSettings } from '../registrant/registrant';
import { EXCEPTION_ADVICE, type ExceptionKind } from './exceptions';
import { ITEM_PACKAGES, sessionOutcome, shipmentRef, type ShipmentRef } from './store';

export const RECEIVING_ENTRY = {
  sessionOpened: 'receiving.session-opened',
  accepted: 'receiving.accepted',
  exception: 'receiving.exception-opened',
  exceptionResolved: 'receiving.exception-resolved',
  sessionClosed: 'receiving.session-closed',
  investigationOpened: 'investigation.opened',
  investigationClosed: 'investigation.closed',
} as const;

/** A refusal of this area, in the API's terms: not-found, conflict, or invalid input. */
export class ReceivingError extends ApiError {
  constructor(
    readonly kind: 'not-found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(kind === 'invalid' ? 'invalid-input' : kind, message);
    this.name = 'ReceivingError';
  }
}

/** What a scan identified, without the serial (it is sealed data; the UI shows it from the scan it typed). */
export interface ScannedProduct {
  readonly kind: 'package' | 'case' | 'logistic-unit' | 'lot';
  readonly gtin?: string;
  readonly lot?: string;
  readonly expiry?: string;
  readonly sscc?: string;
  readonly hasSerial: boolean;
  readonly productName?: string;
  /**
   * DEA schedule from the product list (issue 6) when the product is a controlled substance: the
   * receipt must then also be recorded, signed, in the perpetual inventory (inventory.record,
   * kind "receipt"); a scan alone never changes the controlled-substance balance.
   */
  readonly schedule?: string;
  readonly ndc?: string;
}

export interface ScanResult {
  readonly verdict: 'accepted' | 'exception' | 'duplicate' | 'unreadable' | 'choose-shipment';
  readonly message: string;
  readonly product?: ScannedProduct;
  readonly exception?: { id: number; kind: ExceptionKind; advice: string };
  readonly investigationId?: number;
  readonly shipmentId: number | null;
  /** The shipment the package was received against (or its exception names), by its document number. */
  readonly shipment?: ShipmentRef;
  /** Open shipments whose data lists this product and lot: the person says which one arrived. */
  readonly candidates?: (ShipmentRef & { remaining: number })[];
  /** Expired, or within the short-dated threshold (settings.shortDatedDays), by the barcode's AI 17. */
  readonly dating?: { readonly status: 'expired' | 'short-dated'; readonly days: number };
  /** Packages: a tote or case counts as the packages it holds. */
  readonly units: number;
}

interface Parsed {
  gtin?: string;
  serial?: string;
  lot?: string;
  expiry?: string;
  sscc?: string;
}

/**
 * A keyboard-wedge scan: the element string the scanner typed, with GS (U+001D) between
 * variable-length fields, with or without its AIM symbology identifier (]d2 …); also a bracketed
 * string or a Digital Link typed by hand. Some wedges type GS as "^" or "~1"; GS1 data never
 * contains them in these positions, so they are read as separators too.
 */
export function parseReceivingScan(
  text: string,
): { ok: true; value: Parsed } | { ok: false; message: string } {
  let input = text.replace(/\r?\n$/, '').trim();
  if (!input.includes('\u001d') && !input.startsWith('(') && !/^https?:/i.test(input))
    input = input.replace(/\^|~1/g, '\u001d');
  const result = input.startsWith(']') ? parseScanData(input) : undefined;
  if (result !== undefined && !result.ok) return { ok: false, message: result.error.message };
  const any = parseAnyIdentifier(input);
  if (!any.ok)
    return {
      ok: false,
      message: `The scan could not be read: ${any.error.message}. Scan again, or type the label's text.`,
    };
  const v = any.value;
  if (v.gtin === undefined && v.sscc === undefined) {
    return {
      ok: false,
      message:
        'The scan holds no product (GTIN) or shipping container (SSCC). Scan the 2D barcode on the package or the SSCC on the case.',
    };
  }
  return {
    ok: true,
    value: {
      ...(v.gtin !== undefined ? { gtin: v.gtin } : {}),
      ...(v.serial !== undefined ? { serial: v.serial } : {}),
      ...(v.lot !== undefined ? { lot: v.lot } : {}),
      ...(v.expiry !== undefined ? { expiry: v.expiry } : {}),
      ...(v.sscc !== undefined ? { sscc: v.sscc } : {}),
    },
  };
}

interface ItemRow {
  id: number;
  shipment_id: number;
  trace_id: number | null;
  gtin: string | null;
  lot: string | null;
  expiry: string | null;
  quantity: number;
  product_name: string | null;
}

interface ShipmentRow {
  id: number;
  ship_to: string | null;
  status: string;
}

export async function openSession(
  ctx: Workspace,
  input: { shipmentId?: number; location?: string },
  actor: string,
): Promise<number> {
  const value = await ctx.write((writer) => {
    const db = writer.db;
    let location = input.location ?? null;
    if (input.shipmentId !== undefined) {
      const s = db.prepare('SELECT id, ship_to, status FROM shipments WHERE id = ?').get(input.shipmentId) as
        ShipmentRow | undefined;
      if (s === undefined) throw new ReceivingError('not-found', `There is no shipment ${input.shipmentId}.`);
      location ??= s.ship_to;
      db.prepare("UPDATE shipments SET status = 'receiving' WHERE id = ? AND status = 'open'").run(s.id);
    }
    location ??= [...loadDscsaContext(db, { statement: undefined }).ownGlns][0] ?? null;
    const id =
      ((db.prepare('SELECT max(id) FROM receiving_sessions').pluck().get() as number | null) ?? 0) + 1;
    const [seq] = writer.append([
      {
        type: RECEIVING_ENTRY.sessionOpened,
        actor,
        payload: { session: id, shipment: input.shipmentId ?? null, location },
      },
    ]);
    db.prepare(
      "INSERT INTO receiving_sessions (id, shipment_id, location, opened_by, opened_seq, opened_ms, status) VALUES (?, ?, ?, ?, ?, ?, 'open')",
    ).run(id, input.shipmentId ?? null, location, actor, seq!, ctx.now());
    return id;
  });
  return value;
}

/** Checks one scan against the transaction data received and records the verdict in the ledger. */
export async function scan(
  ctx: Workspace,
  sessionId: number,
  text: string,
  actor: string,
  /** The shipment the person chose when the scan matched several (a 'choose-shipment' answer). */
  chosenShipment?: number,
): Promise<ScanResult> {
  const parsed = parseReceivingScan(text);
  const value = await ctx.write((writer) => {
    const session = writer.db
      .prepare('SELECT id, shipment_id AS shipmentId, location, status FROM receiving_sessions WHERE id = ?')
      .get(sessionId) as
      { id: number; shipmentId: number | null; location: string | null; status: string } | undefined;
    if (session === undefined)
      throw new ReceivingError('not-found', `There is no receiving session ${sessionId}.`);
    if (session.status !== 'open')
      throw new ReceivingError('conflict', `Receiving session ${sessionId} is closed; open a new one.`);
    if (!parsed.ok)
      return {
        verdict: 'unreadable',
        message: parsed.message,
        shipmentId: session.shipmentId,
        units: 0,
      } satisfies ScanResult;
    return new Receiver(writer, ctx, session, actor).scan(parsed.value, chosenShipment);
  });
  return value;
}

/** The technician reports a damaged package (scanned or not): a damaged exception. */
export async function reportDamaged(
  ctx: Workspace,
  sessionId: number,
  input: { scan?: string; note: string },
  actor: string,
): Promise<ScanResult> {
  const parsed = input.scan !== undefined ? parseReceivingScan(input.scan) : undefined;
  const value = await ctx.write((writer) => {
    const session = writer.db
      .prepare('SELECT id, shipment_id AS shipmentId, location, status FROM receiving_sessions WHERE id = ?')
      .get(sessionId) as
      { id: number; shipmentId: number | null; location: string | null; status: string } | undefined;
    if (session === undefined)
      throw new ReceivingError('not-found', `There is no receiving session ${sessionId}.`);
    const r = new Receiver(writer, ctx, session, actor);
    const product = parsed?.ok === true ? r.describe(parsed.value) : undefined;
    const ex = r.exception('damaged', { note: input.note, ...(product !== undefined ? { product } : {}) });
    return {
      verdict: 'exception',
      message: EXCEPTION_ADVICE.damaged,
      ...(product !== undefined ? { product } : {}),
      exception: ex,
      shipmentId: session.shipmentId,
      units: 0,
    } satisfies ScanResult;
  });
  return value;
}

/**
 * What a finished session says: the exceptions it opened, and every exception still open from this
 * session or on its shipment (a finish is clean only when that list is empty), and the packages
 * accepted.
 */
export interface ClosedSession {
  readonly exceptions: { id: number; kind: ExceptionKind }[];
  readonly open: { id: number; kind: ExceptionKind; shipment: ShipmentRef | null }[];
  readonly accepted: number;
}

/**
 * Ends a session: anything the data lists that was not scanned becomes an exception — nothing
 * arrived at all (data without product) or some is short (under-shipment).
 */
export async function closeSession(ctx: Workspace, sessionId: number, actor: string): Promise<ClosedSession> {
  const value = await ctx.write((writer) => {
    const db = writer.db;
    const session = db
      .prepare('SELECT id, shipment_id AS shipmentId, location, status FROM receiving_sessions WHERE id = ?')
      .get(sessionId) as
      { id: number; shipmentId: number | null; location: string | null; status: string } | undefined;
    if (session === undefined)
      throw new ReceivingError('not-found', `There is no receiving session ${sessionId}.`);
    if (session.status !== 'open')
      throw new ReceivingError('conflict', `Receiving session ${sessionId} is already closed.`);
    const r = new Receiver(writer, ctx, session, actor);
    const exceptions: { id: number; kind: ExceptionKind }[] = [];
    if (session.shipmentId !== null) {
      const lines = db
        .prepare(
          `SELECT i.id, i.gtin, i.lot, ${ITEM_PACKAGES} AS quantity, i.product_name AS name,
                  (SELECT coalesce(sum(s.units), 0) FROM receiving_scans s WHERE s.item_id = i.id AND s.verdict = 'accepted') AS received
           FROM shipment_items i WHERE i.shipment_id = ? ORDER BY i.id`,
        )
        .all(session.shipmentId) as {
        id: number;
        gtin: string | null;
        lot: string | null;
        quantity: number;
        name: string | null;
        received: number;
      }[];
      const short = lines.filter((l) => l.received < l.quantity);
      const any = lines.some((l) => l.received > 0);
      if (short.length > 0) {
        const kind: ExceptionKind = any ? 'under-shipment' : 'data-without-product';
        const ex = r.exception(kind, {
          missing: short.map((l) => ({
            item: l.id,
            gtin: l.gtin,
            lot: l.lot,
            product: l.name,
            expected: l.quantity,
            received: l.received,
          })),
        });
        exceptions.push({ id: ex.id, kind });
      }
      const open = db
        .prepare("SELECT count(*) FROM receiving_exceptions WHERE shipment_id = ? AND status = 'open'")
        .pluck()
        .get(session.shipmentId) as number;
      db.prepare('UPDATE shipments SET status = ? WHERE id = ?').run(
        open > 0 ? 'exceptions' : 'received',
        session.shipmentId,
      );
    }
    const [seq] = writer.append([
      { type: RECEIVING_ENTRY.sessionClosed, actor, payload: { session: sessionId, exceptions } },
    ]);
    db.prepare("UPDATE receiving_sessions SET status = 'closed', closed_seq = ? WHERE id = ?").run(
      seq!,
      sessionId,
    );
    return { exceptions, ...sessionOutcome(db, sessionId, session.shipmentId) };
  });
  return value;
}

/**
 * Records how an exception was resolved, signed electronically (21 CFR 11.50, 11.200(a)): the person
 * re-enters their password, and the signature binds their printed name, the time, the meaning
 * "resolved receiving exception: <how>" and the hash of exactly the exception and resolution signed.
 * A wrong password, an exception that does not exist or one already resolved is refused and recorded
 * as a `receiving.refused` entry (a wrong password also counts toward lockout, as at sign-in).
 */
export function resolveException(
  auth: AuthService,
  principal: Principal,
  input: { id: number; resolution: string; password: string },
): Promise<void> {
  const { id, password } = input;
  const resolution = input.resolution.trim();
  if (resolution.length < 5)
    return Promise.reject(
      new ReceivingError('invalid', 'Say how the exception was resolved (at least 5 characters).'),
    );
  const attempt = { area: 'receiving', procedure: 'receiving.resolveException', subject: { exception: id } };
  return auth.signedWrite(principal, password, attempt, (tx, signer) => {
    const row = tx.db.prepare('SELECT * FROM receiving_exceptions WHERE id = ?').get(id) as
      | { kind: string; detail: string; status: string; opened_ms: number; shipment_id: number | null }
      | undefined;
    if (row === undefined) throw new ReceivingError('not-found', `There is no receiving exception ${id}.`);
    if (row.status !== 'open')
      throw new ReceivingError('conflict', `Receiving exception ${id} is already resolved.`);
    const subject = {
      receivingException: id,
      kind: row.kind,
      shipment: row.shipment_id,
      detail: JSON.parse(row.detail) as unknown,
      openedMs: row.opened_ms,
      resolution,
    };
    const signature = closureSignature(
      signer,
      `resolved receiving exception: ${resolution}`,
      subject,
      tx.time,
    );
    const entry = tx.record(RECEIVING_ENTRY.exceptionResolved, signer.userId, {
      exception: id,
      resolution,
      signature,
    });
    tx.db
      .prepare(
        "UPDATE receiving_exceptions SET status = 'resolved', resolved_seq = ?, resolution = ? WHERE id = ?",
      )
      .run(entry.seq, resolution, id);
  });
}

class Receiver {
  private readonly db: Database;
  private readonly ids: TraceIds;

  constructor(
    private readonly writer: WriteTx,
    private readonly ctx: Workspace,
    private readonly session: { id: number; shipmentId: number | null; location: string | null },
    private readonly actor: string,
  ) {
    this.db = writer.db;
    this.ids = new TraceIds(this.db, ctx.sealer);
  }

  describe(p: Parsed): ScannedProduct {
    const name =
      p.gtin !== undefined
        ? (this.db.prepare('SELECT name FROM trace_products WHERE gtin = ?').pluck().get(p.gtin) as
            string | null | undefined)
        : undefined;
    return {
      kind:
        p.sscc !== undefined
          ? 'logistic-unit'
          : p.serial !== undefined
            ? p.gtin?.[0] === '0'
              ? 'package'
              : 'case'
            : 'lot',
      ...(p.gtin !== undefined ? { gtin: p.gtin } : {}),
      ...(p.lot !== undefined ? { lot: p.lot } : {}),
      ...(p.expiry !== undefined ? { expiry: p.expiry } : {}),
      ...(p.sscc !== undefined ? { sscc: p.sscc } : {}),
      hasSerial: p.serial !== undefined,
      ...(name != null ? { productName: name } : {}),
      ...(p.gtin !== undefined ? this.controlled(p.gtin) : {}),
    };
  }

  /** The issue-6 product (by the NDCs the GTIN can hold) when it has a DEA schedule. */
  private controlled(gtin: string): { schedule?: string; ndc?: string } {
    const candidates = gtinToNdcCandidates(gtin);
    if (!candidates.ok) return {};
    const hasTable =
      this.db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'products'").get() !==
      undefined;
    if (!hasTable) return {};
    const stmt = this.db.prepare('SELECT ndc, schedule FROM products WHERE ndc = ? AND schedule IS NOT NULL');
    for (const c of candidates.value) {
      const row = stmt.get(c.ndc10) as { ndc: string; schedule: string } | undefined;
      if (row !== undefined) return { schedule: row.schedule, ndc: row.ndc };
    }
    return {};
  }

  scan(p: Parsed, chosen?: number): ScanResult {
    const product = this.describe(p);
    const canonical =
      p.sscc !== undefined
        ? canonicalSscc(p.sscc)
        : p.gtin !== undefined && p.serial !== undefined
          ? canonicalSgtin(p.gtin, p.serial)
          : undefined;
    const traceId = canonical !== undefined ? this.ids.find(canonical) : undefined;
    const state =
      traceId !== undefined
        ? (this.db
            .prepare(
              'SELECT state, suspect, lot, expiry FROM serial_state s JOIN trace_ids t ON t.id = s.trace_id WHERE s.trace_id = ?',
            )
            .get(traceId) as
            | { state: SerialStateName; suspect: number; lot: string | null; expiry: string | null }
            | undefined)
        : undefined;
    const dating = this.dating(p.expiry);
    const base = {
      product,
      shipmentId: this.session.shipmentId,
      ...(dating !== undefined ? { dating } : {}),
    };
    const raise = (kind: ExceptionKind, detail: Record<string, unknown> = {}): ScanResult => {
      const shipmentId = typeof detail.shipment === 'number' ? detail.shipment : this.session.shipmentId;
      // The serial is kept (sealed) with the exception, so the exception can show which package it was.
      const exceptionTrace =
        traceId ?? (canonical !== undefined ? this.ids.ensure(canonical, p.lot) : undefined);
      const exception = this.exception(kind, { product, ...detail }, exceptionTrace, shipmentId);
      const shipment = shipmentId !== null ? { shipmentId, shipment: shipmentRef(this.db, shipmentId) } : {};
      if (kind === 'suspect') {
        const investigationId = this.openInvestigation(
          traceId ?? null,
          exception.id,
          p,
          detail.reason as string,
        );
        return {
          ...base,
          ...shipment,
          verdict: 'exception',
          message: EXCEPTION_ADVICE.suspect,
          exception,
          investigationId,
          units: 0,
        };
      }
      return {
        ...base,
        ...shipment,
        verdict: 'exception',
        message: EXCEPTION_ADVICE[kind],
        exception,
        units: 0,
      };
    };

    if (state !== undefined && (FINAL_STATES.has(state.state) || state.suspect === 1)) {
      return raise('suspect', {
        reason:
          state.suspect === 1 ? 'the serial was flagged suspect' : `the serial was already ${state.state}`,
      });
    }
    if (traceId !== undefined && this.alreadyReceived(traceId)) {
      return {
        ...base,
        verdict: 'duplicate',
        message: 'This package was already received; nothing was recorded twice.',
        units: 0,
      };
    }
    // 1. The serial or SSCC itself, or a container holding it, is in transaction data we received.
    const item = traceId !== undefined ? this.itemFor(traceId) : undefined;
    if (item !== undefined) {
      const shipment = this.db
        .prepare('SELECT id, ship_to, status FROM shipments WHERE id = ?')
        .get(item.shipment_id) as ShipmentRow;
      if (
        this.session.location !== null &&
        shipment.ship_to !== null &&
        shipment.ship_to !== this.session.location
      ) {
        return raise('wrong-ship-to', { shipment: shipment.id });
      }
      const dataLot = item.lot ?? state?.lot ?? null;
      if (p.lot !== undefined && dataLot !== null && p.lot !== dataLot)
        return raise('lot-mismatch', { shipment: shipment.id, dataLot });
      const dataExpiry = item.expiry ?? state?.expiry ?? null;
      if (p.expiry !== undefined && dataExpiry !== null && p.expiry !== dataExpiry)
        return raise('expiry-mismatch', { shipment: shipment.id, dataExpiry });
      return {
        ...this.accept(item, traceId!, p, product, this.unitsOf(traceId!)),
        ...(dating ? { dating } : {}),
      };
    }
    // 2. No serial-level data: lot-level transaction data (T3 sheet, X12 856). The same package
    // gets the same verdict whether or not a shipment was chosen: the chosen one is tried first,
    // then every shipment still waiting for this product and lot; several ask the person.
    if (p.gtin === undefined)
      return raise(this.session.shipmentId === null ? 'no-data-received' : 'product-without-data');
    const target = this.lotLevelShipment(p.gtin, p.lot, chosen);
    if (Array.isArray(target)) {
      return {
        ...base,
        verdict: 'choose-shipment',
        message: `The transaction data of ${target.length} shipments lists this product and lot. Choose the shipment this package came in; nothing is recorded until you do.`,
        candidates: target,
        units: 0,
      };
    }
    if (target === null)
      return raise(this.session.shipmentId === null ? 'no-data-received' : 'product-without-data');
    const lines = this.linesOf(target, p.gtin);
    const inShipment = { shipment: target };
    if (lines.length === 0) return raise('product-without-data', inShipment);
    const serialized = lines.filter(
      (l) => l.trace_id !== null && l.quantity === 1 && this.isInstance(l.trace_id),
    );
    const lotLines = lines.filter((l) => !serialized.includes(l));
    const sameLot = lotLines.filter((l) => p.lot === undefined || l.lot === null || l.lot === p.lot);
    if (sameLot.length === 0) {
      if (serialized.some((l) => l.lot === p.lot)) return raise('wrong-serial', inShipment);
      return raise('lot-mismatch', { ...inShipment, dataLots: [...new Set(lines.map((l) => l.lot))] });
    }
    const open = sameLot.find((l) => l.received < l.quantity);
    if (open === undefined)
      return raise('over-shipment', {
        ...inShipment,
        expected: sameLot.reduce((a, l) => a + l.quantity, 0),
      });
    if (p.expiry !== undefined && open.expiry !== null && open.expiry !== p.expiry)
      return raise('expiry-mismatch', { ...inShipment, dataExpiry: open.expiry });
    const id = traceId ?? (canonical !== undefined ? this.ids.ensure(canonical, p.lot) : null);
    return { ...this.accept(open, id, p, product, 1), ...(dating ? { dating } : {}) };
  }

  /** Expired or short-dated by the barcode's expiry (YYYY-MM-DD), against today in UTC. */
  private dating(expiry: string | undefined): ScanResult['dating'] {
    if (expiry === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(expiry)) return undefined;
    const days = Math.floor((Date.parse(`${expiry}T00:00:00Z`) - this.ctx.now()) / 86_400_000) + 1;
    if (Number.isNaN(days)) return undefined;
    if (days <= 0) return { status: 'expired', days };
    const threshold = readSettings(this.db).shortDatedDays;
    return days <= threshold ? { status: 'short-dated', days } : undefined;
  }

  /** A shipment's lines for a GTIN, with the packages accepted against each. */
  private linesOf(shipmentId: number, gtin: string): (ItemRow & { received: number })[] {
    return this.db
      .prepare(
        `SELECT i.*, coalesce((SELECT sum(units) FROM receiving_scans s WHERE s.item_id = i.id AND s.verdict = 'accepted'), 0) AS received
         FROM shipment_items i WHERE i.shipment_id = ? AND i.gtin = ?`,
      )
      .all(shipmentId, gtin) as (ItemRow & { received: number })[];
  }

  /**
   * The shipment whose lot-level data a package is checked against: the one the person chose, else
   * the session's when its data lists this product and lot, else the only shipment with packages of
   * it still to come, else (all arrived) the latest that listed it, so the extra one is an
   * over-shipment of that shipment. Several still waiting: the list, for the person to choose.
   */
  private lotLevelShipment(
    gtin: string,
    lot: string | undefined,
    chosen: number | undefined,
  ): number | null | (ShipmentRef & { remaining: number })[] {
    if (chosen !== undefined) return chosen;
    const listing = this.db
      .prepare(
        `SELECT i.shipment_id AS id,
                sum(i.quantity - coalesce((SELECT sum(units) FROM receiving_scans s WHERE s.item_id = i.id AND s.verdict = 'accepted'), 0)) AS remaining
         FROM shipment_items i LEFT JOIN trace_ids t ON t.id = i.trace_id
         WHERE i.gtin = ? AND (? IS NULL OR i.lot IS NULL OR i.lot = ?) AND coalesce(t.kind, 'lot') NOT IN ('sgtin', 'sscc')
         GROUP BY i.shipment_id ORDER BY i.shipment_id DESC`,
      )
      .all(gtin, lot ?? null, lot ?? null) as { id: number; remaining: number }[];
    const session = this.session.shipmentId;
    if (session !== null && listing.some((l) => l.id === session)) return session;
    const waiting = listing.filter((l) => l.remaining > 0);
    if (waiting.length === 1) return waiting[0]!.id;
    if (waiting.length > 1)
      return waiting.map((w) => ({ ...shipmentRef(this.db, w.id), remaining: w.remaining }));
    return listing[0]?.id ?? session;
  }

  private isInstance(traceId: number): boolean {
    const kind = this.db.prepare('SELECT kind FROM trace_ids WHERE id = ?').pluck().get(traceId);
    return kind === 'sgtin' || kind === 'sscc';
  }

  private alreadyReceived(traceId: number): boolean {
    return (
      this.db
        .prepare("SELECT 1 FROM receiving_scans WHERE trace_id = ? AND verdict = 'accepted' LIMIT 1")
        .get(traceId) !== undefined
    );
  }

  /** The shipment item for this id or the nearest container above it, from the latest shipment to us. */
  private itemFor(traceId: number): ItemRow | undefined {
    return this.db
      .prepare(
        `WITH RECURSIVE up(id, depth) AS (
           SELECT ?, 0 UNION ALL
           SELECT s.parent_id, up.depth + 1 FROM serial_state s JOIN up ON s.trace_id = up.id WHERE s.parent_id IS NOT NULL AND up.depth < 16
         )
         SELECT i.* FROM up JOIN shipment_items i ON i.trace_id = up.id
         ORDER BY (i.shipment_id = coalesce(?, -1)) DESC, up.depth, i.shipment_id DESC LIMIT 1`,
      )
      .get(traceId, this.session.shipmentId) as ItemRow | undefined;
  }

  /** Units a container holds (its packages), or 1 for a package. */
  private unitsOf(traceId: number): number {
    const n = this.db
      .prepare(
        `WITH RECURSIVE below(id) AS (SELECT trace_id FROM serial_state WHERE parent_id = ? UNION ALL SELECT s.trace_id FROM serial_state s JOIN below b ON s.parent_id = b.id)
         SELECT count(*) FROM below b WHERE NOT EXISTS (SELECT 1 FROM serial_state c WHERE c.parent_id = b.id)`,
      )
      .pluck()
      .get(traceId) as number;
    return Math.max(1, n);
  }

  private accept(
    item: ItemRow,
    traceId: number | null,
    p: Parsed,
    product: ScannedProduct,
    units: number,
  ): ScanResult {
    const now = this.ctx.now();
    const [seq] = this.writer.append([
      {
        type: RECEIVING_ENTRY.accepted,
        actor: this.actor,
        payload: {
          session: this.session.id,
          shipment: item.shipment_id,
          item: item.id,
          gtin: p.gtin ?? item.gtin,
          lot: p.lot ?? item.lot,
          expiry: p.expiry ?? item.expiry,
          units,
          traceId,
        },
      },
    ]);
    this.db
      .prepare(
        "INSERT INTO receiving_scans (session_id, ledger_seq, trace_id, shipment_id, item_id, gtin, lot, expiry, units, verdict, scanned_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'accepted', ?)",
      )
      .run(
        this.session.id,
        seq!,
        traceId,
        item.shipment_id,
        item.id,
        p.gtin ?? item.gtin,
        p.lot ?? item.lot,
        p.expiry ?? item.expiry,
        units,
        now,
      );
    if (
      traceId !== null &&
      this.db.prepare('SELECT 1 FROM serial_state WHERE trace_id = ?').get(traceId) !== undefined
    ) {
      new SerialStateStore(this.db).apply([{ op: 'state', id: traceId, state: 'received', cascade: true }], {
        eventId: -seq!,
        timeMs: now,
        disposition: 'in_progress',
        ...(this.session.location !== null
          ? { location: this.session.location, owner: this.session.location }
          : {}),
      });
    }
    const ndc = (
      item.gtin !== null
        ? this.db.prepare('SELECT ndc FROM trace_products WHERE gtin = ?').pluck().get(item.gtin)
        : null
    ) as string | null | undefined;
    this.db
      .prepare(
        "INSERT INTO inventory_receipts (ledger_seq, source, shipment_id, gtin, ndc, lot, units, received_ms) VALUES (?, 'receiving', ?, ?, ?, ?, ?, ?)",
      )
      .run(seq!, item.shipment_id, item.gtin, ndc ?? null, p.lot ?? item.lot, units, now);
    const shipment = shipmentRef(this.db, item.shipment_id);
    const elsewhere =
      this.session.shipmentId !== null && this.session.shipmentId !== item.shipment_id
        ? ' (not the shipment being received: it is recorded against this one)'
        : '';
    return {
      verdict: 'accepted',
      message: `Accepted: covered by the transaction data of ${shipment.document}${shipment.seller !== null ? ` from ${shipment.seller}` : ''}${elsewhere}${units > 1 ? `; ${units} packages` : ''}.`,
      product,
      shipmentId: item.shipment_id,
      shipment,
      units,
    };
  }

  exception(
    kind: ExceptionKind,
    detail: Record<string, unknown>,
    traceId?: number,
    shipmentId: number | null = this.session.shipmentId,
  ): { id: number; kind: ExceptionKind; advice: string } {
    const id =
      ((this.db.prepare('SELECT max(id) FROM receiving_exceptions').pluck().get() as number | null) ?? 0) + 1;
    const [seq] = this.writer.append([
      {
        type: RECEIVING_ENTRY.exception,
        actor: this.actor,
        payload: {
          exception: id,
          session: this.session.id,
          shipment: shipmentId,
          kind,
          detail,
          traceId: traceId ?? null,
        },
      },
    ]);
    this.db
      .prepare(
        "INSERT INTO receiving_exceptions (id, session_id, shipment_id, kind, detail, status, opened_seq, opened_ms) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
      )
      .run(
        id,
        this.session.id,
        shipmentId,
        kind,
        JSON.stringify({ ...detail, ...(traceId !== undefined ? { traceId } : {}) }),
        seq!,
        this.ctx.now(),
      );
    this.db
      .prepare(
        'INSERT INTO receiving_scans (session_id, ledger_seq, trace_id, shipment_id, gtin, lot, expiry, units, verdict, exception_id, scanned_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)',
      )
      .run(
        this.session.id,
        seq!,
        traceId ?? null,
        shipmentId,
        (detail.product as ScannedProduct | undefined)?.gtin ?? null,
        (detail.product as ScannedProduct | undefined)?.lot ?? null,
        (detail.product as ScannedProduct | undefined)?.expiry ?? null,
        kind,
        id,
        this.ctx.now(),
      );
    return { id, kind, advice: EXCEPTION_ADVICE[kind] };
  }

  private openInvestigation(traceId: number | null, exceptionId: number, p: Parsed, reason: string): number {
    return openInvestigationIn(this.writer, this.ctx.now(), this.actor, {
      traceId,
      exceptionId,
      gtin: p.gtin ?? null,
      lot: p.lot ?? null,
      expiry: p.expiry ?? null,
      reason,
    });
  }
}

/** Opens a suspect-product investigation and quarantines the product (§582(d)(4)(A)). */
export function openInvestigationIn(
  writer: WriteTx,
  now: number,
  actor: string,
  i: {
    traceId: number | null;
    exceptionId: number | null;
    quarantineId?: number | null;
    gtin: string | null;
    lot: string | null;
    expiry: string | null;
    reason: string;
  },
): number {
  const db = writer.db;
  const id = ((db.prepare('SELECT max(id) FROM investigations').pluck().get() as number | null) ?? 0) + 1;
  const [seq] = writer.append([
    { type: RECEIVING_ENTRY.investigationOpened, actor, payload: { investigation: id, ...i } },
  ]);
  db.prepare(
    "INSERT INTO investigations (id, trace_id, exception_id, quarantine_id, gtin, lot, expiry, reason, status, opened_seq, opened_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
  ).run(id, i.traceId, i.exceptionId, i.quarantineId ?? null, i.gtin, i.lot, i.expiry, i.reason, seq!, now);
  if (i.traceId !== null)
    db.prepare('UPDATE serial_state SET quarantined = 1, suspect = 1 WHERE trace_id = ?').run(i.traceId);
  return id;
}
