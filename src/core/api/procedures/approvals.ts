import { z } from 'zod';
import { procedure } from '../contract';
import { passwordSchema } from './auth';
import { transactionSchema } from './inventory';

const hashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 hex shown with the transaction');

export const approvalsProcedures = {
  'approvals.pending': procedure({
    summary: 'Schedule II transactions waiting for a second person, oldest first.',
    permission: 'inventory.read',
    input: z.object({}).strict().optional(),
    output: z.object({ pending: z.array(transactionSchema) }),
  }),
  'approvals.history': procedure({
    summary:
      'Schedule II transactions already approved or rejected, newest first, with, for each person who signed, when their password was last reset by someone else and by whom.',
    permission: 'inventory.read',
    input: z
      .object({ limit: z.number().int().positive().max(500).optional() })
      .strict()
      .optional(),
    output: z.object({
      decided: z.array(transactionSchema),
      /** One per signer whose password someone else reset (never the first password, set with the account). */
      passwordResets: z.array(
        z.object({
          userId: z.string(),
          resetAt: z.iso.datetime(),
          resetBy: z.string(),
          resetByName: z.string(),
          /** The owner has set their own password since: the reset password signed nothing. */
          changedSince: z.boolean(),
        }),
      ),
    }),
  }),
  'approvals.approve': procedure({
    summary:
      'Approve a pending transaction with your password (pharmacist or compliance officer; never the person ' +
      'who initiated it). The signature binds the hash you were shown; it posts to inventory.',
    permission: 'inventory.approve',
    input: z.object({ transactionId: z.uuid(), subjectHash: hashSchema, password: passwordSchema }).strict(),
    output: transactionSchema,
  }),
  'approvals.reject': procedure({
    summary: 'Reject a pending transaction with your password and a reason; nothing posts.',
    permission: 'inventory.approve',
    input: z
      .object({
        transactionId: z.uuid(),
        subjectHash: hashSchema,
        password: passwordSchema,
        reason: z.string().min(5).max(1000),
      })
      .strict(),
    output: transactionSchema,
  }),
};
