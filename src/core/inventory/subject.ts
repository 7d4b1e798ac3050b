import type { Product } from '../api/procedures/products';
import type { TransactionInput } from '../api/procedures/inventory';
import type { Schedule } from '../products';

/**
 * Exactly what a controlled-substance transaction says, as initiated: the object whose RFC 8785
 * canonical bytes are hashed and signed (initiated, witnessed, approved, rejected). Stored in the
 * ledger entry and in the projection as is, so an approver's hash can be recomputed at any time.
 */
export interface TransactionSubject {
  readonly type: 'custodia.cs-transaction/v1';
  readonly id: string;
  readonly kind: TransactionInput['kind'];
  readonly ndc: string;
  readonly lot: string | null;
  readonly schedule: Schedule;
  readonly quantity: number;
  readonly direction: 1 | -1;
  readonly date: string;
  /** Everything else the form said, minus passwords; witnesses as {userId, printedName}. */
  readonly details: Record<string, unknown>;
  readonly product: Pick<Product, 'name' | 'strength' | 'dosageForm' | 'packageSize' | 'unit'>;
  readonly initiatedBy: { userId: string; printedName: string };
  readonly initiatedAt: string;
}

export function directionOf(input: { kind: TransactionInput['kind']; direction?: 'in' | 'out' }): 1 | -1 {
  switch (input.kind) {
    case 'receipt':
      return 1;
    case 'transfer':
    case 'adjustment':
      return input.direction === 'in' ? 1 : -1;
    default:
      return -1;
  }
}
