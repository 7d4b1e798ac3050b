import { ApiError } from '../api/errors';
import { MAX_UPLOAD_BYTES } from '../api/procedures/ingest';
import type { quarantineProcedures } from '../api/procedures/quarantine';
import type { Handlers } from '../api/router';
import { actorOf, withTrace, type Jobs } from '../ingest/handlers-common';
import type { LedgerService } from '../ledger/service';
import {
  closeQuarantine,
  listQuarantine,
  quarantineBytes,
  reprocessQuarantine,
  showQuarantine,
} from './service';

export function quarantineHandlers(
  service: LedgerService,
  jobs: Jobs,
): Handlers<typeof quarantineProcedures> {
  return {
    'quarantine.list': (input) => withTrace(service, (ctx) => listQuarantine(ctx, input ?? {})),
    'quarantine.show': (input) => withTrace(service, (ctx) => showQuarantine(ctx, input.id)),
    'quarantine.raw': (input) =>
      withTrace(service, (ctx) => {
        const item = showQuarantine(ctx, input.id);
        if (item.size > MAX_UPLOAD_BYTES) {
          throw new ApiError(
            'conflict',
            `The item is ${item.size} bytes, too large to send here; use "custodia quarantine show ${input.id} --raw FILE".`,
          );
        }
        return { name: item.fileName, base64: quarantineBytes(ctx, input.id).toString('base64') };
      }),
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
                label: phase === 'reading' ? 'Reading' : 'Checking and committing',
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
        const actor = actorOf(call);
        await closeQuarantine(ctx, input.id, input.reason, actor.id, { displayName: actor.displayName });
        return showQuarantine(ctx, input.id);
      }),
  };
}
