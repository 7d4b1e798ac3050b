import { z } from 'zod';
import { procedure } from '../contract';

export const keysProcedures = {
  'keys.recoveryKit': procedure({
    summary:
      'A recovery kit for this installation: every key sealed under a passphrase the person chooses, as the ' +
      'text of a file to save away from this computer. Making one is recorded in the ledger (never the keys).',
    permission: 'settings.manage',
    input: z.object({ passphrase: z.string().min(1).max(1024) }).strict(),
    output: z.object({
      fileName: z.string(),
      text: z.string(),
      /** Keys that do not exist yet (made on first use): make a new kit later. */
      notYetCreated: z.array(z.string()),
      secretNames: z.array(z.string()),
    }),
  }),
};
