import { z } from 'zod';
import { procedure } from '../contract';

export const ledgerStateSchema = z.enum(['not-created', 'closed', 'open', 'alarm', 'unavailable']);

export const systemProcedures = {
  'system.info': procedure({
    summary: 'Version, data directory, transport and ledger state of this installation.',
    permission: 'public',
    input: z.object({}).strict().optional(),
    output: z.object({
      product: z.literal('Custodia'),
      version: z.string(),
      dataDir: z.string(),
      transport: z.enum(['ipc', 'http', 'cli']),
      ledger: z.object({ state: ledgerStateSchema, message: z.string() }),
      signedIn: z.object({ username: z.string(), displayName: z.string() }).nullable(),
      /** How to run the command line on this computer (`custodia`, or `npx --no custodia` in the app's folder). */
      cli: z.string(),
    }),
  }),
  'system.health': procedure({
    summary: 'Is the core alive and are its parts usable? Checks cost milliseconds.',
    permission: 'public',
    input: z.object({}).strict().optional(),
    output: z.object({
      ok: z.boolean(),
      checks: z.array(
        z.object({
          name: z.string(),
          ok: z.boolean(),
          message: z.string(),
        }),
      ),
    }),
  }),
  'system.echo': procedure({
    summary: 'Returns its input: a probe for transports and their validation.',
    permission: 'public',
    input: z.object({ text: z.string().max(1000), count: z.number().int().min(1).max(10) }).strict(),
    output: z.object({ text: z.string() }),
  }),
};
