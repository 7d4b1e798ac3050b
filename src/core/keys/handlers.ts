import { ApiError } from '../api/errors';
import type { keysProcedures } from '../api/procedures/keys';
import type { Handlers } from '../api/router';
import type { LedgerService } from '../ledger/service';
import { makeRecoveryKit } from './make-recovery-kit';
import { openRecoveryKit } from './recovery-kit';
import { RecoveryKitError } from './recovery-kit-error';

export function keysHandlers(ledger: LedgerService): Handlers<typeof keysProcedures> {
  return {
    'keys.recoveryKit': ({ passphrase }, ctx) =>
      ledger
        .useOpened(async ({ installation, workspace }) => {
          const kit = await makeRecoveryKit(installation, passphrase);
          // Prove the kit opens with this passphrase before anyone relies on it.
          openRecoveryKit(kit.text, passphrase);
          await workspace.write((tx) =>
            // Which keys it carries, never their values; the passphrase never leaves this call.
            tx.record('keys.recovery-kit-made', ctx.principal?.username ?? 'system', {
              secretNames: kit.secretNames,
              notYetCreated: kit.notYetCreated,
            }),
          );
          const day = new Date().toISOString().slice(0, 10);
          return {
            fileName: `custodia-recovery-kit-${installation.installId.slice(0, 8)}-${day}.json`,
            text: kit.text,
            notYetCreated: kit.notYetCreated,
            secretNames: kit.secretNames,
          };
        })
        .catch(asApiError),
  };
}

/** A kit that cannot be made or opened, in the API's terms (the kind stays in details). */
function asApiError(error: unknown): never {
  if (error instanceof RecoveryKitError) {
    const code =
      error.kind === 'conflict' || error.kind === 'other-installation' ? 'conflict' : 'invalid-input';
    throw new ApiError(code, error.message, { kind: error.kind });
  }
  throw error;
}
