import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import { useQuery, useReloadOn } from '../../api/context';
import { formatDateTime } from '../../forms/format';
import { useHashSelection } from '../../shell/useHashSelection';
import { SearchField, SelectField } from '../../ui/Form';
import { ErrorNotice } from '../../ui/Notice';
import { Table } from '../../ui/Table';
import { formatLabel } from './formats';
import { ruleWords } from './FindingsTable';
import { QuarantineDetail } from './QuarantineDetail';

type Item = OutputOf<Contract['quarantine.list']>['items'][number];
type Status = Item['status'];

const STATUS_LABEL: Record<Status, string> = {
  open: 'Open',
  reprocessed: 'Reprocessed',
  closed: 'Closed',
};

const columns: ColumnDef<Item, unknown>[] = [
  { header: 'Item', accessorKey: 'id' },
  { header: 'File', accessorKey: 'fileName' },
  { header: 'Format', accessorKey: 'format', cell: (c) => formatLabel(c.getValue() as string) },
  {
    header: 'Why',
    accessorKey: 'rules',
    cell: (c) => (
      <span title={c.row.original.rules.join(', ')}>
        {(c.row.original.suspect ? ['suspect', ...c.row.original.rules] : c.row.original.rules)
          .map(ruleWords)
          .join('; ')}
      </span>
    ),
  },
  {
    header: 'Status',
    accessorKey: 'status',
    cell: (c) => (
      <span className={`pill ${c.row.original.status === 'open' ? 'pill-bad' : 'pill-ok'}`}>
        {STATUS_LABEL[c.row.original.status]}
      </span>
    ),
  },
  { header: 'Since', accessorKey: 'openedMs', cell: (c) => formatDateTime(c.getValue() as number) },
  { header: 'Tried again', accessorKey: 'attempts' },
];

/**
 * Rejected files and events, kept with their raw bytes and reasons until someone reprocesses them
 * after fixing master data, or closes them with a reason. Nothing is ever deleted.
 */
export function Quarantine({ generation, onChanged }: { generation: number; onChanged: () => void }) {
  const [status, setStatus] = useState<Status | ''>('open');
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useHashSelection('import', 'quarantine');
  const list = useQuery('quarantine.list', { ...(status ? { status } : {}), limit: 500 });
  const { reload } = list;
  useReloadOn(generation, reload);

  return (
    <section aria-labelledby="quarantine-title">
      <h2 id="quarantine-title">Quarantine</h2>
      <div className="filters">
        <SelectField label="Show" value={status} onChange={(e) => setStatus(e.target.value as Status | '')}>
          <option value="open">Open items</option>
          <option value="reprocessed">Reprocessed</option>
          <option value="closed">Closed</option>
          <option value="">All</option>
        </SelectField>
        <SearchField value={search} onSearch={setSearch} placeholder="File, reason…" />
        {list.status === 'ok' ? (
          <p className="field-hint" data-testid="quarantine-count">
            {list.data.total.toLocaleString()} item(s)
          </p>
        ) : null}
      </div>
      {list.status === 'error' ? <ErrorNotice error={list.error} /> : null}
      {list.status === 'ok' ? (
        <Table
          caption="Quarantined files and events, newest first"
          columns={columns}
          data={list.data.items}
          empty={status === 'open' ? 'Nothing is waiting in quarantine.' : 'No items with this status.'}
          onRowActivate={(item) => setSelected(item.id)}
          search={search}
          searchText={(item) =>
            `${item.id} ${item.fileName} ${item.rules.map(ruleWords).join(' ')} ${item.rules.join(' ')}`
          }
        />
      ) : null}
      {/* Full width below the list: reasons and raw bytes need the room. */}
      <div className="quarantine-panel" role="region" aria-label="Quarantine item">
        {selected === null ? (
          <p className="field-hint">
            Choose an item to see why it was rejected, its raw bytes, and what to do.
          </p>
        ) : (
          <QuarantineDetail
            id={selected}
            generation={generation}
            onChanged={() => {
              onChanged();
              list.reload();
            }}
          />
        )}
      </div>
    </section>
  );
}
