import { ApiError } from '../api/errors';
import type { Principal } from '../api/principal';
import type { TransactionView } from '../api/procedures/inventory';
import { type AuthService, signature, subjectHash } from '../auth';
import type { WriteTx } from '../ledger/workspace';
import { balanceMilli, INVENTORY_ENTRY, transactionRow, transactionView, ruleViolation } from '../inventory';

const APPROVER_ROLES = new Set(['pharmacist', 'compliance-officer']);

/**
 * Dual control of Schedule I/II transactions: a second person, pharmacist or compliance officer,
 * never the initiator, re-enters their password to approve or reject exactly the version they were
 * shown (its hash). Only approval posts to inventory; a decided transaction is never decided again.
 */
export class ApprovalService {
  constructor(private readonly auth: AuthService) {}

  approve(
    principal: Principal,
    input: { transactionId: string; subjectHash: string; password: string },
  ): Promise<TransactionView> {
    return this.decide(principal, 'approved', input);
  }

  reject(
    principal: Principal,
    input: { transactionId: string; subjectHash: string; password: string; reason: string },
  ): Promise<TransactionView> {
    return this.decide(principal, 'rejected', input);
  }

  private async decide(
    principal: Principal,
    meaning: 'approved' | 'rejected',
    input: { transactionId: string; subjectHash: string; password: string; reason?: string },
  ): Promise<TransactionView> {
    const attempt = {
      area: 'approvals',
      procedure: meaning === 'approved' ? 'approvals.approve' : 'approvals.reject',
      subject: { transactionId: input.transactionId },
    };
    return this.auth.signedWrite(principal, input.password, attempt, (tx, signer) => {
      const row = transactionRow(tx.db, input.transactionId);
      if (row === undefined) {
        throw new ApiError(
          'not-found',
          `There is no transaction ${input.transactionId} waiting for approval.`,
        );
      }
      if (row.status !== 'pending') {
        throw new ApiError(
          'conflict',
          `Transaction ${row.id} was already ${row.status === 'posted' ? 'approved and posted' : 'rejected'}; it cannot be decided twice.`,
          {
            rule: 'already-decided',
            status: row.status,
          },
        );
      }
      // Defence in depth: the router already required inventory.approve; the rule itself is about roles.
      if (!signer.roles.some((r) => APPROVER_ROLES.has(r))) {
        throw new ApiError('forbidden', 'Only a pharmacist or compliance officer can approve or reject.', {
          rule: 'approver-role',
        });
      }
      if (row.initiated_by === signer.userId) {
        throw new ApiError(
          'forbidden',
          `You initiated transaction ${row.id}; a second person must ${meaning === 'approved' ? 'approve' : 'reject'} it.`,
          {
            rule: 'dual-control',
          },
        );
      }
      const stored = subjectHash(JSON.parse(row.subject));
      if (stored !== row.subject_hash) {
        throw new ApiError(
          'integrity-alarm',
          `Transaction ${row.id} no longer matches the hash it was signed with; do not approve it and run a ledger verification.`,
        );
      }
      if (input.subjectHash !== row.subject_hash) {
        throw new ApiError(
          'conflict',
          `What you were shown is not what is pending for transaction ${row.id}; reload it and check again.`,
          {
            rule: 'subject-hash',
          },
        );
      }
      if (meaning === 'approved') assertCanPost(tx, row);
      const sig = signature(signer, meaning, row.subject_hash, tx.time);
      if (meaning === 'approved') {
        tx.record(INVENTORY_ENTRY.approved, signer.userId, {
          transactionId: row.id,
          subjectHash: row.subject_hash,
          signature: sig,
        });
      } else {
        tx.record(INVENTORY_ENTRY.rejected, signer.userId, {
          transactionId: row.id,
          subjectHash: row.subject_hash,
          reason: input.reason ?? '',
          signature: sig,
        });
      }
      return transactionView(tx.db, row.id)!;
    });
  }
}

function assertCanPost(tx: WriteTx, row: { ndc: string; qty_milli: number; direction: number }): void {
  if (row.direction === -1 && row.qty_milli > balanceMilli(tx.db, row.ndc)) {
    throw ruleViolation(
      'non-negative-balance',
      `Approving would take ${row.qty_milli / 1000} from ${row.ndc}, but only ${balanceMilli(tx.db, row.ndc) / 1000} is on hand. ` +
        'A balance can never go negative: reject it, or post the missing receipt first.',
      { ndc: row.ndc },
    );
  }
}
