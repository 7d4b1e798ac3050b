import { ApiError } from '../api/errors';
import { MAX_UPLOAD_BYTES } from '../api/procedures/ingest';
import type { quarantineProcedures } from '../api/procedures/quarantine';
import type { Handler, Handlers } from '../api/router';
import { closureSigner, me, type AuthService } from '../auth';
import { disclosing } from '../ledger/access-log';
import type { LedgerService } from '../ledger/service';
import { closeQuarantine, listQuarantine, quarantineBytes, showQuarantine } from './service';

/** Reprocessing runs the import again, a feature above this one: the app passes import's handler. */
export type Reprocess = Handler<(typeof quarantineProcedures)['quarantine.reprocess']>;

export function quarantineHandlers(
  service: LedgerService,
  auth: AuthService,
  reprocess: Reprocess,
): Handlers<typeof quarantineProcedures> {
  const signer = closureSigner(auth);
  return {
    // Lists answer from the last commit: they never wait for an import.
    'quarantine.list': (input) => service.read((snapshot) => listQuarantine(snapshot, input ?? {})),
    'quarantine.show': (input) => service.read((snapshot) => showQuarantine(snapshot, input.id)),
    'quarantine.raw': (input, call) =>
      service.use((ctx) =>
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
    'quarantine.reprocess': reprocess,
    'quarantine.close': (input, call) =>
      service.use(async (ctx) => {
        await closeQuarantine(ctx, input.id, input.reason, {
          signer,
          who: { userId: me(call).userId },
          password: input.password,
        });
        return showQuarantine(ctx, input.id);
      }),
  };
}
