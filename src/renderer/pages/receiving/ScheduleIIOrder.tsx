import { useState } from 'react';
import { useQuery } from '../../api/context';
import { SelectField } from '../../ui/Form';
import { Notice } from '../../ui/Notice';
import { ORDER_STATUS_LABEL, RecordFill } from '../inventory/Orders';
import '../inventory/orders.css';

/**
 * At the scan of a Schedule I/II package: the DEA Form 222 or CSOS order it came against, and the
 * containers and dates received on that order's line (21 CFR 1305.13(e), 1305.22(g)). Open orders
 * come first; a void, cancelled or expired one can still be chosen, since the receipt is recorded
 * all the same (1304.21(a)) and opens an exception for a pharmacist.
 */
export function ScheduleIIOrder({ ndc }: { ndc: string }) {
  const list = useQuery('orders.list', { scope: 'all', direction: 'inbound' });
  const orders =
    list.status === 'ok'
      ? list.data.orders
          .filter((o) => o.lines.some((l) => l.ndc === ndc))
          .sort(
            (a, b) =>
              Number(b.status === 'open' || b.status === 'partial') -
                Number(a.status === 'open' || a.status === 'partial') || a.deadline.localeCompare(b.deadline),
          )
      : [];
  const [chosen, setChosen] = useState<string>('');
  const order = orders.find((o) => String(o.id) === chosen) ?? orders[0];
  const [done, setDone] = useState<string | null>(null);
  if (list.status !== 'ok') return null;
  return (
    <div className="order-link" data-testid="schedule-ii-order">
      <strong>Schedule II: record it on its order</strong>
      {orders.length === 0 ? (
        <Notice kind="warn" title="No DEA Form 222 or CSOS order of ours lists this drug.">
          A Schedule II receipt needs one (21 CFR 1305.03). Record the order under Inventory → Schedule II
          orders, then come back to this package.
        </Notice>
      ) : (
        <>
          <SelectField
            label="Order"
            value={order ? String(order.id) : ''}
            onChange={(e) => {
              setChosen(e.target.value);
              setDone(null);
            }}
          >
            {orders.map((o) => (
              <option key={o.id} value={o.id}>
                {o.number} from {o.supplier.name}, signed {o.signedOn} — {ORDER_STATUS_LABEL[o.status]}
                {o.status === 'open' || o.status === 'partial' ? `, ship by ${o.deadline}` : ''}
              </option>
            ))}
          </SelectField>
          {order && done === null ? (
            <RecordFill
              key={order.id}
              order={order}
              line={order.lines.find((l) => l.ndc === ndc)!.line}
              onDone={() => {
                setDone(order.number);
                list.reload();
              }}
            />
          ) : null}
          {done !== null ? (
            <p className="field-hint" data-testid="schedule-ii-recorded">
              Recorded on order {done}. Record the signed receipt in the perpetual inventory too (Inventory →
              Record a transaction).
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}
