import { ApiError } from '../api/errors';
import type { syncProcedures } from '../api/procedures/sync';
import type { Handlers } from '../api/router';
import {
  actorOf,
  closureSignature,
  closureSigner,
  me,
  requireSignerPermission,
  type AuthService,
} from '../auth';
import type { LedgerService } from '../ledger/service';
import { parseReceivingScan } from '../receiving';
import type { SyncRunner } from './runner';
import {
  dismissItem,
  enqueueCapture,
  requestVerification,
  retryItem,
  saveEndpoint,
  syncOverview,
  testConnection,
  type SyncDeps,
} from './service';
import { listOutbox, outboxRow } from './store';

export function syncHandlers(
  service: LedgerService,
  auth: AuthService,
  runner: SyncRunner,
): Handlers<typeof syncProcedures> {
  const signer = closureSigner(auth);
  const withDeps = <T>(fn: (deps: SyncDeps) => Promise<T> | T) =>
    service.useOpened((opened) =>
      fn({ ws: opened.workspace, secrets: opened.installation.secrets, settings: runner.settings }),
    );
  return {
    'sync.overview': () =>
      service.use((ws) => ({
        partners: syncOverview(ws).map((v) => ({
          partnerId: v.partnerId,
          name: v.name,
          glns: [...v.glns],
          epcisUrl: v.epcisUrl,
          verifyUrl: v.verifyUrl,
          auth: v.auth,
          hasClientCertificate: v.hasClientCertificate,
          hasCa: v.hasCa,
          pinned: v.pinned,
          licence: v.licence,
          licenceExpires: v.licenceExpires,
          status: v.state.status,
          message: v.state.message,
          cursor: v.state.cursor,
          lastSuccessMs: v.state.lastSuccessMs,
          lastAttemptMs: v.state.lastAttemptMs,
          tls:
            v.state.tls === null
              ? null
              : {
                  protocol: v.state.tls.protocol,
                  subject: v.state.tls.subject,
                  issuer: v.state.tls.issuer,
                  validToMs: v.state.tls.validToMs,
                },
          epcisVersion: v.state.epcisVersion,
          waiting: v.waiting,
          failed: v.failed,
          dead: v.dead,
          warnings: v.warnings,
          syncing: runner.isRunning(v.partnerId),
        })),
        outbox: listOutbox(ws.db, 100).map((o) => ({
          id: o.id,
          partnerId: o.partnerId,
          kind: o.kind,
          name: o.name,
          state: o.state,
          events: o.eventIds.length,
          attempts: o.attempts,
          lastError: o.lastError,
          enqueuedBy: o.enqueuedBy,
          enqueuedMs: o.enqueuedMs,
          outcomeMs: o.outcomeMs,
        })),
        jobId: runner.jobId,
      })),
    'sync.savePartner': (input, call) =>
      withDeps(async (deps) => {
        const { secret, clientKey, intervalMinutes, ...rest } = input;
        const partnerId = await saveEndpoint(
          deps,
          { ...rest, ...(intervalMinutes !== undefined ? { intervalMs: intervalMinutes * 60_000 } : {}) },
          { ...(secret !== undefined ? { secret } : {}), ...(clientKey !== undefined ? { clientKey } : {}) },
          actorOf(call).id,
        );
        return { partnerId };
      }),
    'sync.test': (input) => withDeps((deps) => testConnection(deps, input.partnerId)),
    'sync.run': async (input, call) => {
      const { jobId, results } = await runner.run({
        ...(input?.partnerId !== undefined ? { partnerId: input.partnerId } : {}),
        actor: actorOf(call).id,
        force: true,
      });
      return { jobId, results };
    },
    'sync.cancel': () => ({ cancelled: runner.cancel() }),
    'sync.retry': (input, call) =>
      service.use(async (ws) => {
        await retryItem(ws, input.id, actorOf(call).id);
        return { id: input.id };
      }),
    'sync.dismiss': (input, call) =>
      service.use(async (ws) => {
        const row = outboxRow(ws.db, input.id);
        if (row === undefined) throw new ApiError('not-found', `There is no outgoing item ${input.id}.`);
        const person = await signer.authenticate({ userId: me(call).userId }, input.password, {
          procedure: 'sync.dismiss',
          subject: { outboxItem: input.id },
        });
        requireSignerPermission(person, 'import.write', `dismiss outgoing item ${input.id}`);
        const reason = input.reason.trim();
        const signature = closureSignature(
          person,
          `dismissed outgoing item without sending it: ${reason}`,
          { outbox: row.id, partner: row.partnerId, name: row.name, reason },
          ws.now(),
        );
        await dismissItem(ws, input.id, { reason, signature }, person.userId);
        return { id: input.id, signature };
      }),
    'sync.send': (input, call) =>
      service.use(async (ws) => ({
        id: await enqueueCapture(
          ws,
          input.partnerId,
          Buffer.from(input.document, 'utf8'),
          input.name,
          actorOf(call).id,
        ),
      })),
    'sync.verify': (input, call) =>
      withDeps(async (deps) => {
        const scan = parseReceivingScan(input.scan);
        if (!scan.ok) throw new ApiError('invalid-input', scan.message);
        const v = scan.value;
        if (v.gtin === undefined || v.serial === undefined || v.lot === undefined || v.expiry === undefined)
          throw new ApiError(
            'invalid-input',
            'Verification needs the whole product identifier: GTIN, serial number, lot and expiry. Scan the 2D barcode on the package.',
          );
        const view = await requestVerification(deps, {
          partnerId: input.partnerId,
          gtin: v.gtin,
          lot: v.lot,
          expiry: v.expiry,
          serial: v.serial,
          context: input.context,
          actor: actorOf(call).id,
          budgetMs: 1_000,
        });
        return {
          id: view.id,
          gtin: view.gtin,
          lot: view.lot,
          expiry: view.expiry,
          context: view.context,
          corrUuid: view.corrUuid,
          status: view.status,
          failureReason: view.failureReason,
          additionalInfo: view.additionalInfo,
          responderGln: view.responderGln,
          answeredMs: view.answeredMs,
        };
      }),
  };
}
