import type { approvalsProcedures } from '../api/procedures/approvals';
import type { Handlers } from '../api/router';
import { me, type AuthService } from '../auth';
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
    'approvals.approve': (input, ctx) => approvals.approve(me(ctx), input),
    'approvals.reject': (input, ctx) => approvals.reject(me(ctx), input),
  };
}
