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
