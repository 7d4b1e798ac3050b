import type { z } from 'zod';
import type { balanceSchema, inventoryProcedures } from '../api/procedures/inventory';
import type { Handlers } from '../api/router';
import { me } from '../auth/handlers';
import type { AuthService } from '../auth/service';
import { countView } from '../counts/service';
import { requireProduct } from '../products/products';
import { listTransactions } from './projection';
import { fromMilli } from './quantity';
import { verifyProjections } from './rebuild';
import type { InventoryService } from './service';

type Balance = z.input<typeof balanceSchema>;

export function inventoryHandlers(
  auth: AuthService,
  inventory: InventoryService,
): Handlers<typeof inventoryProcedures> {
  return {
    'inventory.balances': async (input) => {
      const ws = await auth.workspace();
      const ndc = input?.ndc ? requireProduct(ws.db, input.ndc).ndc : null;
      const rows = ws.db
        .prepare(
          `SELECT p.*, coalesce(b.qty_milli, 0) AS on_hand,
             (SELECT coalesce(sum(qty_milli), 0) FROM inv_transactions t
               WHERE t.ndc = p.ndc AND t.status = 'pending' AND t.direction = -1) AS pending_out,
             (SELECT id FROM counts c WHERE c.ndc = p.ndc ORDER BY seq DESC LIMIT 1) AS last_count
           FROM products p LEFT JOIN inv_balances b ON b.ndc = p.ndc
           WHERE p.schedule IS NOT NULL AND (? IS NULL OR p.ndc = ?) AND (? IS NULL OR p.schedule = ?)
           ORDER BY p.schedule, p.name, p.ndc`,
        )
        .all(ndc, ndc, input?.schedule ?? null, input?.schedule ?? null) as {
        ndc: string;
        name: string;
        strength: string;
        dosage_form: string;
        unit: string;
        package_size: number | null;
        schedule: Balance['schedule'];
        on_hand: number;
        pending_out: number;
        last_count: string | null;
      }[];
      const lots = ws.db.prepare('SELECT lot, qty_milli FROM inv_lot_balances WHERE ndc = ? ORDER BY lot');
      const balances: Balance[] = rows.map((r) => {
        const count = r.last_count ? countView(ws.db, r.last_count) : null;
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
          lots: (lots.all(r.ndc) as { lot: string; qty_milli: number }[]).map((l) => ({
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
    },
    'inventory.transactions': async (input) => {
      const ws = await auth.workspace();
      const ndc = input?.ndc ? requireProduct(ws.db, input.ndc).ndc : undefined;
      return listTransactions(ws.db, {
        limit: input?.limit ?? 100,
        offset: input?.offset ?? 0,
        ...(ndc ? { ndc } : {}),
        ...(input?.status ? { status: input.status } : {}),
      });
    },
    'inventory.record': (input, ctx) => inventory.record(me(ctx), input.transaction, input.password),
    'inventory.correct': (input, ctx) => inventory.correct(me(ctx), input, input.password),
    'inventory.verifyProjections': async () => verifyProjections((await auth.workspace()).db),
  };
}
