import { ApiError } from '../api/errors';
import { MAX_UPLOAD_BYTES } from '../api/procedures/ingest';
import type { quarantineProcedures } from '../api/procedures/quarantine';
import type { Handlers } from '../api/router';
import { actorOf, withTrace, type Jobs } from '../ingest/handlers-common';
import { importPhaseLabel } from '../ingest/pipeline';
import type { AuthService } from '../auth/service';
import { me } from '../auth/handlers';
import type { LedgerService } from '../ledger/service';
import { disclosing } from '../sealing/access-log';
import {
  closeQuarantine,
  listQuarantine,
  quarantineBytes,
  reprocessQuarantine,
  showQuarantine,
} from './service';
import { closureSigner, ledgerClosureSigner } from './signed-closure';

/**
 * auth: the app's AuthService (sessions, lockout clock, password cost). Without it, signatures are
 * checked by an AuthService over the same ledger: the same rules and entries.
 */
export function quarantineHandlers(
  service: LedgerService,
  jobs: Jobs,
  auth?: AuthService,
): Handlers<typeof quarantineProcedures> {
  const signer = auth !== undefined ? closureSigner(auth) : ledgerClosureSigner((fn) => service.use(fn));
  return {
    'quarantine.list': (input) => withTrace(service, (ctx) => listQuarantine(ctx, input ?? {})),
    'quarantine.show': (input) => withTrace(service, (ctx) => showQuarantine(ctx, input.id)),
    'quarantine.raw': (input, call) =>
      withTrace(service, (ctx) =>
        // The bytes as received hold serials in clear: who downloaded them is recorded.
        disclosing(
          ctx,
          call,
          'quarantine.raw',
          (c) => {
            const item = showQuarantine(c, input.id);
            if (item.size > MAX_UPLOAD_BYTES) {
              throw new ApiError(
                'conflict',
                `The item is ${item.size} bytes, too large to send here; use "custodia quarantine show ${input.id} --raw FILE".`,
              );
            }
            const bytes = quarantineBytes(c, input.id);
            return { name: item.fileName, bytes };
          },
          (r, opened) => ({
            records: { quarantine_items: [input.id] },
            identifiers: opened.count,
            rawBytes: r.bytes.length,
          }),
        ).then((r) => ({ name: r.name, base64: r.bytes.toString('base64') })),
      ),
    'quarantine.reprocess': (input, call) =>
      withTrace(service, async (ctx) => {
        const job = jobs.start(input.jobId);
        try {
          return await reprocessQuarantine(ctx, input.id, actorOf(call).id, {
            ...(input.partnerId !== undefined ? { partnerId: input.partnerId } : {}),
            ...(input.mappingId !== undefined ? { mappingId: input.mappingId } : {}),
            signal: job.signal,
            onProgress: (phase, done) =>
              call.emit({
                topic: 'job.progress',
                jobId: job.id,
                label: importPhaseLabel(phase, 'the file'),
                done,
                total: null,
              }),
          });
        } finally {
          job.done();
        }
      }),
    'quarantine.close': (input, call) =>
      withTrace(service, async (ctx) => {
        await closeQuarantine(ctx, input.id, input.reason, {
          signer,
          who: { userId: me(call).userId },
          password: input.password,
        });
        return showQuarantine(ctx, input.id);
      }),
  };
}
