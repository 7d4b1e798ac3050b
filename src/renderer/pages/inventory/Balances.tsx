import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import { useQuery } from '../../api/context';
import { formatDateTime, qty } from '../../forms/format';
import { Button } from '../../ui/Button';
import { SelectField } from '../../ui/Form';
import { QueryTable } from '../../ui/QueryTable';

type Balance = OutputOf<Contract['inventory.balances']>['balances'][number];
type Schedule = Balance['schedule'];

/** Perpetual inventory per NDC (and lot) for Schedules II–V, with the last count beside it. */
export function Balances({
  onRecord,
  onCount,
}: {
  onRecord: (ndc: string) => void;
  onCount: (ndc: string) => void;
}) {
  const [schedule, setSchedule] = useState<Schedule | ''>('');
  const balances = useQuery('inventory.balances', schedule ? { schedule } : {});
  const columns: ColumnDef<Balance, unknown>[] = [
    { header: 'NDC', accessorKey: 'ndc', cell: (c) => <span className="mono">{String(c.getValue())}</span> },
    {
      header: 'Product',
      id: 'product',
      accessorFn: (b) => `${b.name} ${b.strength} ${b.dosageForm}`,
    },
    { header: 'Schedule', accessorKey: 'schedule' },
    {
      header: 'On hand',
      accessorKey: 'onHand',
      cell: (c) => <strong data-testid="on-hand">{qty(c.row.original.onHand, c.row.original.unit)}</strong>,
    },
    {
      header: 'Waiting approval',
      accessorKey: 'pendingOut',
      cell: (c) => (c.row.original.pendingOut ? `−${qty(c.row.original.pendingOut)}` : '—'),
    },
    {
      header: 'Lots',
      id: 'lots',
      enableSorting: false,
      cell: (c) =>
        c.row.original.lots.length === 0
          ? '—'
          : c.row.original.lots.map((l) => `${l.lot}: ${qty(l.quantity)}`).join(', '),
    },
    {
      header: 'Last count',
      id: 'lastCount',
      accessorFn: (b) => b.lastCount?.countedAt ?? '',
      cell: (c) => {
        const last = c.row.original.lastCount;
        return last ? `${formatDateTime(last.countedAt, 'date')}: ${qty(last.counted)}` : 'never';
      },
    },
    {
      header: 'Variance',
      id: 'variance',
      accessorFn: (b) => b.lastCount?.variance ?? 0,
      cell: (c) => {
        const last = c.row.original.lastCount;
        if (!last) return '—';
        return (
          <span className={last.variance === 0 ? 'result-ok' : 'result-bad'}>
            {last.variance > 0 ? '+' : ''}
            {qty(last.variance)}
          </span>
        );
      },
    },
    {
      header: 'Actions',
      id: 'actions',
      enableSorting: false,
      cell: (c) => (
        <span className="row-buttons">
          <Button variant="ghost" onClick={() => onRecord(c.row.original.ndc)}>
            Record
          </Button>
          <Button variant="ghost" onClick={() => onCount(c.row.original.ndc)}>
            Count
          </Button>
        </span>
      ),
    },
  ];
  return (
    <>
      <div className="filters">
        <SelectField
          label="Schedule"
          value={schedule}
          onChange={(e) => setSchedule(e.target.value as Schedule | '')}
        >
          <option value="">II–V (all)</option>
          <option value="CII">Schedule II</option>
          <option value="CIII">Schedule III</option>
          <option value="CIV">Schedule IV</option>
          <option value="CV">Schedule V</option>
        </SelectField>
        <Button onClick={balances.reload}>Refresh</Button>
      </div>
      <QueryTable
        query={balances}
        rows={(data) => data.balances}
        loading="Loading balances…"
        caption="Perpetual inventory"
        columns={columns}
        empty="No controlled-substance stock yet. Add products under Products, then record a receipt."
      />
    </>
  );
}
