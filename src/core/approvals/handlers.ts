import type { approvalsProcedures } from '../api/procedures/approvals';
import type { Handlers } from '../api/router';
import { lastPasswordReset, me, type AuthService } from '../auth';
import { listTransactions } from '../inventory';
import type { ApprovalService } from './service';

export function approvalsHandlers(
  auth: AuthService,
  approvals: ApprovalService,
): Handlers<typeof approvalsProcedures> {
  return {
    'approvals.pending': async () => {
      const ws = await auth.workspace();
      return {
        pending: listTransactions(ws.db, { status: 'pending', limit: 500, offset: 0, oldestFirst: true })
          .transactions,
      };
    },
    'approvals.history': async (input) => {
      const ws = await auth.workspace();
      const limit = input?.limit ?? 100;
      const decided = ['posted', 'rejected']
        .flatMap(
          (status) =>
            listTransactions(ws.db, { status: status as 'posted' | 'rejected', limit: 500, offset: 0 })
              .transactions,
        )
        // Only what went through a second person's signature: approved or rejected.
        .filter((tx) => tx.signatures.some((s) => s.meaning === 'approved' || s.meaning === 'rejected'))
        .sort((a, b) => b.ledgerSeq - a.ledgerSeq)
        .slice(0, limit);
      const signers = [...new Set(decided.flatMap((tx) => tx.signatures.map((s) => s.userId)))];
      const passwordResets = signers.flatMap((userId) => {
        const reset = lastPasswordReset(ws.db, userId);
        return reset === null ? [] : [{ userId, ...reset }];
      });
      return { decided, passwordResets };
    },
    'approvals.approve': (input, ctx) => approvals.approve(me(ctx), input),
    'approvals.reject': (input, ctx) => approvals.reject(me(ctx), input),
  };
}
