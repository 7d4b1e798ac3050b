import type { keysProcedures } from '../api/procedures/keys';
import type { Handlers } from '../api/router';
import type { LedgerService } from '../ledger/service';
import { makeRecoveryKit } from './make-recovery-kit';
import { openRecoveryKit } from './recovery-kit';

export function keysHandlers(ledger: LedgerService): Handlers<typeof keysProcedures> {
  return {
    'keys.recoveryKit': ({ passphrase }, ctx) =>
      ledger.useOpened(async ({ installation, ledger: log }) => {
        const kit = await makeRecoveryKit(installation, passphrase);
        // Prove the kit opens with this passphrase before anyone relies on it.
        openRecoveryKit(kit.text, passphrase);
        await log.append([
          {
            type: 'keys.recovery-kit-made',
            actor: ctx.principal?.username ?? 'system',
            // Which keys it carries, never their values; the passphrase never leaves this call.
            payload: { secretNames: kit.secretNames, notYetCreated: kit.notYetCreated },
          },
        ]);
        const day = new Date().toISOString().slice(0, 10);
        return {
          fileName: `custodia-recovery-kit-${installation.installId.slice(0, 8)}-${day}.json`,
          text: kit.text,
          notYetCreated: kit.notYetCreated,
          secretNames: kit.secretNames,
        };
      }),
  };
}
