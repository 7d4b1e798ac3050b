import { z } from 'zod';
import { procedure } from '../contract';
import { ROLES } from '../permissions';

export const demoStatusSchema = z.object({
  /** Demo data ships with this installation (resources/demo). */
  available: z.boolean(),
  /** The workstation shows the demo ledger now, not this pharmacy's own. */
  active: z.boolean(),
  /** A demo ledger exists already (entering reopens it as it was left). */
  loaded: z.boolean(),
  title: z.string().nullable(),
  /** Where the demo ledger lives: a folder of its own, never the pharmacy's. */
  dataDir: z.string().nullable(),
  /** The demo's people, with the passwords the demo README prints too. */
  people: z.array(
    z.object({
      username: z.string(),
      displayName: z.string(),
      roles: z.array(z.enum(ROLES)),
      password: z.string(),
    }),
  ),
});

/**
 * The demo month: a fictional pharmacy's March in a ledger of its own (`<data>/demo`), which the
 * workstation switches to and back. Public: it is offered on the first-run screen, before anyone
 * exists to sign in, and leaving it must work from any screen.
 */
export const demoProcedures = {
  'demo.status': procedure({
    summary: 'Is demo data available, is the workstation showing it, and who are its people?',
    permission: 'public',
    input: z.object({}).strict().optional(),
    output: demoStatusSchema,
  }),
  'demo.enter': procedure({
    summary:
      'Show the demo ledger (loaded on first use: partners, mappings, every file, one person per role). ' +
      'Offered while this workstation is not set up; its own ledger is left untouched.',
    permission: 'public',
    input: z.object({}).strict().optional(),
    output: demoStatusSchema,
  }),
  'demo.leave': procedure({
    summary: "Back to this workstation's own ledger; the demo stays as it was for next time.",
    permission: 'public',
    input: z.object({}).strict().optional(),
    output: demoStatusSchema,
  }),
  'demo.reset': procedure({
    summary: 'Throw the demo ledger away and load the demo month afresh.',
    permission: 'public',
    input: z.object({}).strict().optional(),
    output: demoStatusSchema,
  }),
};
