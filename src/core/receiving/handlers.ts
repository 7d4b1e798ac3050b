import { ApiError } from '../api/errors';
import type { receivingProcedures } from '../api/procedures/receiving';
import type { Handlers } from '../api/router';
import { actorOf, closureSigner, me, type AuthService } from '../auth';
import type { LedgerService } from '../ledger/service';
import { disclosing, type Disclosure } from '../ledger/access-log';
import {
  closeInvestigation,
  getInvestigation,
  listInvestigations,
  openInvestigation,
  type InvestigationView,
} from './investigations';
import { form3911Worksheet } from './form3911';
import { recordFindings } from './findings';
import { liveSource, recordIncidentNumber, recordNotification } from './notifications';
import { closeSession, openSession, reportDamaged, resolveException, scan } from './service';
import {
  exceptionIds,
  exceptionView,
  exceptionWithSerial,
  listShipments,
  shipmentLines,
  shipmentRow,
} from './store';

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
    // Lists answer from the last commit (LedgerService.read): they never wait for an import.
    'receiving.shipments': (input) =>
      service.read((ctx) => {
        const rows = listShipments(ctx.db, input?.status, input?.limit ?? 100);
        return {
          shipments: rows.map(({ statementText: _t, ...r }) => ({
            ...r,
            statement: r.statement === 1,
          })) as never,
        };
      }),
    'receiving.shipment': (input) =>
      service.read((ctx) => {
        const row = shipmentRow(ctx.db, input.id);
        if (row === undefined) throw new ApiError('not-found', `There is no shipment ${input.id}.`);
        const lines = shipmentLines(ctx.db, input.id);
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
      service.use((ctx) => scan(ctx, input.sessionId, input.scan, actorOf(call).id, input.shipmentId)),
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
      service.read((ctx) => {
        const ids = exceptionIds(ctx.db, input?.status);
        return { exceptions: ids.map((id) => exceptionView(ctx.db, id)) };
      }),
    'receiving.exception': (input, call) =>
      service.readDisclosing(
        call,
        'receiving.exception',
        (snapshot) => exceptionWithSerial(snapshot.db, snapshot.sealer, input.id),
        (r, opened) =>
          opened.count === 0
            ? null
            : { records: { receiving_exceptions: [r.id] }, identifiers: opened.count },
      ),
    'receiving.resolveException': (input, call) =>
      service.use(async (ctx) => {
        await resolveException(auth, me(call), input);
        return exceptionView(ctx.db, input.id);
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
    'receiving.recordFindings': (input, call) =>
      service.use(async (ctx) => {
        const { id, notes, ...lists } = input;
        await recordFindings(ctx, id, { ...lists, ...(notes ? { notes } : {}) }, actorOf(call).id);
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
    'receiving.form3911': (input, call) =>
      service.use((ctx) =>
        disclosing(
          ctx,
          call,
          'receiving.form3911',
          (c) => form3911Worksheet(liveSource(c), input.id, input.notification, input.timeZone ?? 'UTC'),
          (r, opened) =>
            opened.count === 0
              ? null
              : { records: { investigations: [r.investigation] }, identifiers: opened.count },
        ),
      ),
    'receiving.recordNotification': (input, call) =>
      service.use((ctx) => {
        const { id, password, ...notification } = input;
        return disclosing(
          ctx,
          call,
          'receiving.recordNotification',
          (c) =>
            recordNotification(
              { ...ctx, sealer: c.sealer },
              id,
              {
                ...notification,
                ...(notification.partnersNotified ? {} : { partnersNotified: [] }),
              } as Parameters<typeof recordNotification>[2],
              { signer, who: { userId: me(call).userId }, password },
            ),
          (r, opened) =>
            opened.count === 0
              ? null
              : { records: { investigations: [r.investigation] }, identifiers: opened.count },
        );
      }),
    'receiving.recordIncidentNumber': (input, call) =>
      service.use(async (ctx) => {
        await recordIncidentNumber(
          ctx,
          input.id,
          { incidentNumber: input.incidentNumber, receivedMs: input.receivedMs },
          actorOf(call).id,
        );
        return disclosing(
          ctx,
          call,
          'receiving.recordIncidentNumber',
          (c) => getInvestigation(c, input.id),
          (r, opened) => investigationDisclosure([r], opened),
        );
      }),
  };
}
