import { ApiError } from '../api/errors';
import type { ordersProcedures } from '../api/procedures/orders';
import type { Handlers } from '../api/router';
import { actorOf } from '../auth';
import type { LedgerService } from '../ledger/service';
import { endOrder, recordFill, recordOrder, resolveOrderException } from './service';
import { LIVE, orderExceptions, orderIds, orderView } from './store';

/** The Schedule II order procedures; lists answer from the last commit and never wait for an import. */
/** now: the app's clock, which open orders' days left are counted to. */
export function ordersHandlers(service: LedgerService, now: () => number): Handlers<typeof ordersProcedures> {
  return {
    'orders.list': (input) =>
      service.read((s) => {
        const reading = LIVE(now());
        const orders = orderIds(s.db, {
          ...(input?.direction !== undefined ? { direction: input.direction } : {}),
          ...(input?.from !== undefined ? { from: input.from } : {}),
          ...(input?.to !== undefined ? { to: input.to } : {}),
        })
          .map((id) => orderView(s.db, id, reading)!)
          .filter((o) => (input?.scope ?? 'open') === 'all' || o.status === 'open' || o.status === 'partial');
        // Open orders by deadline, the nearest first: what a pharmacist chases today.
        if ((input?.scope ?? 'open') === 'open')
          orders.sort((a, b) => a.deadline.localeCompare(b.deadline) || a.id - b.id);
        return { orders };
      }),
    'orders.get': (input) =>
      service.read((s) => {
        const order = orderView(s.db, input.id, LIVE(now()));
        if (order === null) throw new ApiError('not-found', `There is no Schedule II order ${input.id}.`);
        return order;
      }),
    'orders.record': (input, call) => service.use((ws) => recordOrder(ws, input, actorOf(call).id)),
    'orders.receive': (input, call) =>
      service.use((ws) => recordFill(ws, 'inbound', input, actorOf(call).id)),
    'orders.ship': (input, call) =>
      service.use(async (ws) => (await recordFill(ws, 'outbound', input, actorOf(call).id)).order),
    'orders.end': (input, call) => service.use((ws) => endOrder(ws, input, actorOf(call).id)),
    'orders.exceptions': (input) =>
      service.read((s) => ({
        exceptions: orderExceptions(s.db, LIVE(now()), {
          ...(input?.status !== undefined ? { status: input.status } : {}),
        }),
      })),
    'orders.resolveException': (input, call) =>
      service.use((ws) => resolveOrderException(ws, input.id, input.resolution, actorOf(call).id)),
  };
}
