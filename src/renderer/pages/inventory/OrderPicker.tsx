import type { Contract, OutputOf } from '../../../core/api';
import { useQuery } from '../../api/context';
import { SelectField } from '../../ui/Form';

type Order = OutputOf<Contract['orders.get']>;

export interface PickedOrder {
  readonly form: Order['form'];
  readonly number: string;
  readonly line: number;
  /** The other registrant: the supplier of our order, or the registrant who ordered from us. */
  readonly party: Order['supplier'];
}

const digits = (ndc: string) => ndc.replace(/\D/g, '');

/**
 * The recorded DEA Form 222 / CSOS orders still open for this drug, to fill a Schedule II
 * transaction's order number, line and the other registrant (with the address 21 CFR 1304.22(c)
 * wants on a receipt) from the order instead of typing them again.
 */
export function OrderPicker({
  ndc,
  direction,
  onPick,
}: {
  ndc: string;
  direction: Order['direction'];
  onPick: (picked: PickedOrder) => void;
}) {
  const list = useQuery('orders.list', { scope: 'open', direction });
  const choices =
    list.status === 'ok'
      ? list.data.orders.flatMap((o) =>
          o.lines
            .filter((l) => digits(l.ndc) === digits(ndc))
            .map((l) => ({ o, l, key: `${o.id}/${l.line}` })),
        )
      : [];
  if (choices.length === 0) return null;
  return (
    <SelectField
      label="Recorded order"
      defaultValue=""
      hint="Fills the order number, its line and the other registrant from the order."
      onChange={(e) => {
        const c = choices.find((x) => x.key === e.target.value);
        if (c)
          onPick({
            form: c.o.form,
            number: c.o.number,
            line: c.l.line,
            party: direction === 'inbound' ? c.o.supplier : c.o.purchaser,
          });
      }}
    >
      <option value="">Choose an open order…</option>
      {choices.map(({ o, l, key }) => (
        <option key={key} value={key}>
          {o.number} ({o.form === 'csos' ? 'CSOS' : 'Form 222'}) {direction === 'inbound' ? 'from' : 'for'}{' '}
          {(direction === 'inbound' ? o.supplier : o.purchaser).name}, line {l.line}: {l.remaining} of{' '}
          {l.packages} still to come, ship by {o.deadline}
        </option>
      ))}
    </SelectField>
  );
}
