import type { OutputOf } from '../../core/api/contract';
import type { ordersProcedures } from '../../core/api/procedures/orders';
import { dataOption, type Command } from '../command';
import { openCliCore } from '../core-for-cli';
import { personOf, PASSWORD_HINT } from '../person';

type Listed = OutputOf<(typeof ordersProcedures)['orders.list']>;

/**
 * `custodia orders`: the Schedule II orders (DEA Form 222, CSOS) still waiting for a shipment, the
 * nearest 60-day deadline first (21 CFR 1305.13(b), 1305.22(e)), or every order with --all. The
 * same procedure and permission as the Orders tab (orders.list).
 */
export const ordersCommand: Command = {
  name: 'orders',
  summary: 'List open Schedule II orders (DEA Form 222, CSOS) and partial fills with their 60-day deadline',
  usage: `orders --data DIR --user NAME [--all] [--json]   (${PASSWORD_HINT})`,
  options: { ...dataOption, all: { type: 'boolean' }, json: { type: 'boolean' } },
  access: { kind: 'person', permission: 'inventory.read', procedure: 'orders.list' },
  async run(args, io, caller) {
    const core = openCliCore(args);
    try {
      const { principal } = personOf(caller);
      const result = await core.router.call({ transport: 'cli', principal, emit: () => {} }, 'orders.list', {
        scope: args.values.all === true ? 'all' : 'open',
      });
      if (!result.ok) {
        if (args.values.json === true) io.out(JSON.stringify(result, null, 2));
        else io.err(`custodia orders: ${result.error.message}`);
        return 1;
      }
      const { orders } = result.value as Listed;
      if (args.values.json === true) {
        io.out(JSON.stringify({ orders }, null, 2));
        return 0;
      }
      if (orders.length === 0)
        io.out(
          args.values.all === true
            ? 'No Schedule II order is recorded.'
            : 'No order is waiting for a shipment.',
        );
      for (const o of orders) {
        const party = o.direction === 'inbound' ? `from ${o.supplier.name}` : `for ${o.purchaser.name}`;
        const left = o.status === 'open' || o.status === 'partial' ? `, ${o.daysLeft} day(s) left` : '';
        io.out(
          `${o.number}  ${o.form === 'csos' ? 'CSOS' : 'DEA Form 222'} ${party}, signed ${o.signedOn}, ship by ${o.deadline}${left} — ${o.status}`,
        );
        for (const l of o.lines)
          io.out(
            `  line ${l.line}: ${l.productName} (${l.ndc}) ${l.filled} of ${l.packages} × ${l.packageSize} ${l.unit} — ${l.status}`,
          );
      }
      return 0;
    } finally {
      await core.close();
    }
  },
};
