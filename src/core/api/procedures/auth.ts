import { z } from 'zod';
import { procedure } from '../contract';
import { principalSchema } from '../principal';

/** A password as typed. Never logged, never in a ledger entry; the policy is checked by the core. */
export const passwordSchema = z.string().min(1).max(1024);
export const usernameSchema = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lowercase letters, digits, ".", "_" and "-"');

export const sessionStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('signed-out') }),
  z.object({
    state: z.literal('active'),
    principal: principalSchema,
    /** Milliseconds until the workstation locks itself if nothing happens. */
    locksInMs: z.number().int().nonnegative(),
  }),
  z.object({
    state: z.literal('locked'),
    principal: principalSchema,
    lockedAt: z.iso.datetime(),
  }),
]);

export const authProcedures = {
  'auth.signIn': procedure({
    summary:
      'Sign in with username and password; binds the person to this window, host session or CLI run. ' +
      'Repeated wrong passwords lock the account for a while.',
    permission: 'public',
    input: z.object({ username: z.string().min(1).max(64), password: passwordSchema }).strict(),
    output: z.object({ principal: principalSchema }),
  }),
  'auth.signOut': procedure({
    summary: 'Sign out whoever is signed in (or locked) here.',
    permission: 'public',
    input: z.object({}).strict().optional(),
    output: z.object({ signedOut: z.boolean() }),
  }),
  'auth.session': procedure({
    summary: 'Who is signed in here, and whether the workstation is locked. Does not count as activity.',
    permission: 'public',
    input: z.object({}).strict().optional(),
    output: sessionStateSchema,
  }),
  'auth.lock': procedure({
    summary: 'Lock the workstation now; the same person unlocks it with their password.',
    permission: 'auth.session',
    input: z.object({}).strict().optional(),
    output: z.object({ locked: z.literal(true) }),
  }),
  'auth.unlock': procedure({
    summary: "Unlock a locked workstation with the locked person's password (anyone else signs in instead).",
    permission: 'public',
    input: z.object({ password: passwordSchema }).strict(),
    output: z.object({ principal: principalSchema }),
  }),
  'auth.changePassword': procedure({
    summary: 'Change your own password (the current one is required).',
    permission: 'auth.session',
    input: z.object({ currentPassword: passwordSchema, newPassword: passwordSchema }).strict(),
    output: z.object({ changed: z.literal(true) }),
  }),
  'auth.passwordPolicy': procedure({
    summary: 'The password policy in plain words, and a check of a candidate password.',
    permission: 'public',
    input: z
      .object({ candidate: passwordSchema.optional(), username: z.string().max(64).optional() })
      .strict()
      .optional(),
    output: z.object({
      description: z.string(),
      minLength: z.number().int(),
      ok: z.boolean().nullable(),
      problems: z.array(z.string()),
    }),
  }),
};
