import type { z } from 'zod';
import type { balanceSchema, inventoryProcedures } from '../api/procedures/inventory';
import type { Handlers } from '../api/router';
import { me, type AuthService } from '../auth';
import { verifyProjections, type ProjectionSet } from '../ledger/replay';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { requireProduct } from '../products';
import { listBalances, listTransactions, lotBalances } from './projection';
import { fromMilli } from './quantity';
import type { InventoryService } from './service';

/** The latest count of a product; counts is a feature above inventory, so the app passes it in. */
export type LastCount = (
  db: Database,
  ndc: string,
) => { countedAt: string; counted: number; expected: number; variance: number } | null;

type Balance = z.input<typeof balanceSchema>;

/** A read of the last commit that never waits for a write in progress (the app passes LedgerService.read). */
export type ReadCommitted = <T>(fn: (db: Database) => T) => Promise<T>;

export function inventoryHandlers(
  auth: AuthService,
  inventory: InventoryService,
  projections: ProjectionSet,
  lastCount: LastCount,
  read: ReadCommitted,
): Handlers<typeof inventoryProcedures> {
  return {
    'inventory.balances': (input) =>
      read((db) => {
        const ws = { db };
        const ndc = input?.ndc ? requireProduct(ws.db, input.ndc).ndc : null;
        const rows = listBalances(ws.db, ndc, input?.schedule ?? null);
        const balances: Balance[] = rows.map((r) => {
          const count = lastCount(ws.db, r.ndc);
          return {
            ndc: r.ndc,
            name: r.name,
            strength: r.strength,
            dosageForm: r.dosage_form,
            unit: r.unit,
            packageSize: r.package_size,
            schedule: r.schedule,
            onHand: fromMilli(r.on_hand),
            pendingOut: fromMilli(r.pending_out),
            lots: lotBalances(ws.db, r.ndc).map((l) => ({
              lot: l.lot,
              quantity: fromMilli(l.qty_milli),
            })),
            lastCount: count
              ? {
                  countedAt: count.countedAt,
                  counted: count.counted,
                  expected: count.expected,
                  variance: count.variance,
                }
              : null,
          };
        });
        return { balances };
      }),
    'inventory.transactions': (input) =>
      read((db) => {
        const ws = { db };
        const ndc = input?.ndc ? requireProduct(ws.db, input.ndc).ndc : undefined;
        return listTransactions(ws.db, {
          limit: input?.limit ?? 100,
          offset: input?.offset ?? 0,
          ...(ndc ? { ndc } : {}),
          ...(input?.status ? { status: input.status } : {}),
        });
      }),
    'inventory.record': (input, ctx) => inventory.record(me(ctx), input.transaction, input.password),
    'inventory.correct': (input, ctx) => inventory.correct(me(ctx), input, input.password),
    'inventory.verifyProjections': async () => verifyProjections((await auth.workspace()).db, projections),
  };
}
