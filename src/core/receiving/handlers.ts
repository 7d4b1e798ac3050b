import { ApiError } from '../api/errors';
import type { receivingProcedures } from '../api/procedures/receiving';
import type { Handlers } from '../api/router';
import type { Workspace } from '../ledger/workspace';
import { actorOf, closureSigner, me, type AuthService } from '../auth';
import type { LedgerService } from '../ledger/service';
import { disclosing, type Disclosure } from '../ledger/access-log';
import { EXCEPTION_ADVICE, type ExceptionKind } from './exceptions';
import {
  closeInvestigation,
  getInvestigation,
  listInvestigations,
  openInvestigation,
  type InvestigationView,
} from './investigations';
import { closeSession, openSession, reportDamaged, resolveException, scan } from './service';

const SHIPMENTS = `
  SELECT s.id, s.seller, s.seller_name AS sellerName, s.ship_to AS shipTo, s.ship_to_name AS shipToName, s.transaction_date AS transactionDate,
         s.reference, s.statement, s.statement_text AS statementText, s.status, f.name AS file,
         (SELECT count(*) FROM shipment_items i WHERE i.shipment_id = s.id) AS items,
         (SELECT coalesce(sum(quantity), 0) FROM shipment_items i WHERE i.shipment_id = s.id) AS units,
         (SELECT coalesce(sum(units), 0) FROM receiving_scans r WHERE r.shipment_id = s.id AND r.verdict = 'accepted') AS receivedUnits
  FROM shipments s JOIN ingest_files f ON f.id = s.file_id`;

type ShipmentRow = {
  statement: number;
  statementText: string | null;
  status: 'open' | 'receiving' | 'received' | 'exceptions';
} & Record<string, unknown>;

function exceptionView(ctx: Pick<Workspace, 'db'>, id: number) {
  const r = ctx.db.prepare('SELECT * FROM receiving_exceptions WHERE id = ?').get(id) as {
    id: number;
    session_id: number | null;
    shipment_id: number | null;
    kind: ExceptionKind;
    detail: string;
    status: 'open' | 'resolved';
    opened_ms: number;
    resolution: string | null;
  };
  return {
    id: r.id,
    sessionId: r.session_id,
    shipmentId: r.shipment_id,
    kind: r.kind,
    advice: EXCEPTION_ADVICE[r.kind],
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    status: r.status,
    openedMs: r.opened_ms,
    resolution: r.resolution,
  };
}

/** Investigations whose view opened a sealed serial (the Form FDA 3911 draft of an illegitimate outcome). */
function investigationDisclosure(
  views: readonly InvestigationView[],
  opened: { count: number },
): Disclosure | null {
  if (opened.count === 0) return null;
  return {
    records: { investigations: views.filter((v) => v.outcome?.form3911 !== undefined).map((v) => v.id) },
    identifiers: opened.count,
  };
}

/** auth: the app's AuthService (sessions, lockout clock, password cost) checks every signature. */
export function receivingHandlers(
  service: LedgerService,
  auth: AuthService,
): Handlers<typeof receivingProcedures> {
  const signer = closureSigner(auth);
  return {
    'receiving.shipments': (input) =>
      service.use((ctx) => {
        const rows = (
          input?.status !== undefined
            ? ctx.db
                .prepare(`${SHIPMENTS} WHERE s.status = ? ORDER BY s.id DESC LIMIT ?`)
                .all(input.status, input.limit)
            : ctx.db.prepare(`${SHIPMENTS} ORDER BY s.id DESC LIMIT ?`).all(input?.limit ?? 100)
        ) as ShipmentRow[];
        return {
          shipments: rows.map(({ statementText: _t, ...r }) => ({
            ...r,
            statement: r.statement === 1,
          })) as never,
        };
      }),
    'receiving.shipment': (input) =>
      service.use((ctx) => {
        const row = ctx.db.prepare(`${SHIPMENTS} WHERE s.id = ?`).get(input.id) as ShipmentRow | undefined;
        if (row === undefined) throw new ApiError('not-found', `There is no shipment ${input.id}.`);
        const lines = ctx.db
          .prepare(
            `SELECT i.id, i.gtin, i.ndc, i.product_name AS productName, i.strength, i.dosage_form AS dosageForm, i.lot, i.expiry, i.quantity,
                    coalesce(t.kind, 'lot') AS kind,
                    (SELECT coalesce(sum(units), 0) FROM receiving_scans r WHERE r.item_id = i.id AND r.verdict = 'accepted') AS received
             FROM shipment_items i LEFT JOIN trace_ids t ON t.id = i.trace_id WHERE i.shipment_id = ? ORDER BY i.id`,
          )
          .all(input.id);
        return { ...row, statement: row.statement === 1, lines } as never;
      }),
    'receiving.openSession': (input, call) =>
      service.use(async (ctx) => ({
        sessionId: await openSession(
          ctx,
          {
            ...(input.shipmentId !== undefined ? { shipmentId: input.shipmentId } : {}),
            ...(input.location !== undefined ? { location: input.location } : {}),
          },
          actorOf(call).id,
        ),
      })),
    'receiving.scan': (input, call) =>
      service.use((ctx) => scan(ctx, input.sessionId, input.scan, actorOf(call).id)),
    'receiving.damaged': (input, call) =>
      service.use((ctx) =>
        reportDamaged(
          ctx,
          input.sessionId,
          { note: input.note, ...(input.scan !== undefined ? { scan: input.scan } : {}) },
          actorOf(call).id,
        ),
      ),
    'receiving.closeSession': (input, call) =>
      service.use((ctx) => closeSession(ctx, input.sessionId, actorOf(call).id)),
    'receiving.exceptions': (input) =>
      service.use((ctx) => {
        const ids = (
          input?.status !== undefined
            ? ctx.db
                .prepare('SELECT id FROM receiving_exceptions WHERE status = ? ORDER BY id DESC')
                .pluck()
                .all(input.status)
            : ctx.db.prepare('SELECT id FROM receiving_exceptions ORDER BY id DESC').pluck().all()
        ) as number[];
        return { exceptions: ids.map((id) => exceptionView(ctx, id)) };
      }),
    'receiving.resolveException': (input, call) =>
      service.use(async (ctx) => {
        await resolveException(ctx, input.id, input.resolution, actorOf(call).id);
        return exceptionView(ctx, input.id);
      }),
    'receiving.investigations': (input, call) =>
      service.use((ctx) =>
        disclosing(
          ctx,
          call,
          'receiving.investigations',
          (c) => ({ investigations: listInvestigations(c, input?.status) }),
          (r, opened) => investigationDisclosure(r.investigations, opened),
        ),
      ),
    'receiving.investigation': (input, call) =>
      service.use((ctx) =>
        disclosing(
          ctx,
          call,
          'receiving.investigation',
          (c) => getInvestigation(c, input.id),
          (r, opened) => investigationDisclosure([r], opened),
        ),
      ),
    'receiving.openInvestigation': (input, call) =>
      service.use(async (ctx) => {
        const { reason, ...rest } = input;
        const id = await openInvestigation(ctx, { reason, ...rest }, actorOf(call).id);
        return getInvestigation(ctx, id);
      }),
    'receiving.closeInvestigation': (input, call) =>
      service.use(async (ctx) => {
        const { id, password, ...outcome } = input;
        await closeInvestigation(ctx, id, outcome, { signer, who: { userId: me(call).userId }, password });
        // The answer shows the 3911 draft with its serial: recorded like any other showing.
        return disclosing(
          ctx,
          call,
          'receiving.closeInvestigation',
          (c) => getInvestigation(c, id),
          (r, opened) => investigationDisclosure([r], opened),
        );
      }),
  };
}
