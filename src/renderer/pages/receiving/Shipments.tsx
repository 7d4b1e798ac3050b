import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import { useQuery, useReloadOn } from '../../api/context';
import { Button } from '../../ui/Button';
import { SearchField, SelectField } from '../../ui/Form';
import { ErrorNotice } from '../../ui/Notice';
import { Table } from '../../ui/Table';
import { readableDate } from './kinds';
import { usePartnerNames } from './partnerNames';

type Shipment = OutputOf<Contract['receiving.shipments']>['shipments'][number];
type Status = Shipment['status'];

const STATUS_LABEL: Record<Status, string> = {
  open: 'Not received yet',
  receiving: 'Receiving',
  received: 'Received',
  exceptions: 'Received with exceptions',
};

const columnsWith = (nameOf: (gln: string | null) => string | null): ColumnDef<Shipment, unknown>[] => [
  {
    header: 'Seller',
    accessorKey: 'sellerName',
    cell: (c) => sellerOf(c.row.original, nameOf),
  },
  {
    header: 'Reference',
    accessorKey: 'reference',
    cell: (c) => <span className="mono">{shortRef(c.row.original.reference)}</span>,
  },
  {
    header: 'Date',
    accessorKey: 'transactionDate',
    cell: (c) => <span className="nowrap">{readableDate(c.getValue() as string | null)}</span>,
  },
  {
    header: 'Packages',
    accessorKey: 'units',
    cell: (c) => `${c.row.original.receivedUnits} of ${c.row.original.units}`,
  },
  {
    header: 'Statement',
    accessorKey: 'statement',
    cell: (c) => (c.row.original.statement ? 'Received' : <span className="pill pill-bad">Missing</span>),
  },
  {
    header: 'Status',
    accessorKey: 'status',
    cell: (c) => STATUS_LABEL[c.row.original.status],
  },
];

/** The seller as the data names it, else as saved under Partners, else its GLN. */
export function sellerOf(
  s: { sellerName: string | null; seller: string | null },
  nameOf: (gln: string | null) => string | null,
): string {
  return s.sellerName ?? nameOf(s.seller) ?? s.seller ?? 'an unnamed seller';
}

/** A business-transaction URN (urn:epcglobal:cbv:bt:GLN:ASN-1) shown by its document number. */
export function shortRef(reference: string | null): string {
  if (!reference) return '—';
  return reference.replace(/urn:epcglobal:cbv:bt:\d{13}:/g, '');
}

/** Shipments whose transaction data arrived, to receive against; or receive without choosing one. */
export function Shipments({
  generation,
  onReceive,
}: {
  generation: number;
  onReceive: (shipment: Shipment | null, seller: string) => void;
}) {
  const nameOf = usePartnerNames();
  const columns = useMemo(() => columnsWith(nameOf), [nameOf]);
  const [status, setStatus] = useState<Status | ''>('');
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<Shipment | null>(null);
  const list = useQuery('receiving.shipments', { ...(status ? { status } : {}), limit: 500 });
  const { reload } = list;
  useReloadOn(generation, reload);

  return (
    <section aria-labelledby="shipments-title">
      <h2 id="shipments-title">Shipments with transaction data</h2>
      <div className="filters">
        <SelectField label="Show" value={status} onChange={(e) => setStatus(e.target.value as Status | '')}>
          <option value="">All shipments</option>
          <option value="open">Not received yet</option>
          <option value="receiving">Receiving</option>
          <option value="exceptions">With exceptions</option>
          <option value="received">Received</option>
        </SelectField>
        <SearchField value={search} onSearch={setSearch} placeholder="Seller, ASN or invoice, file…" />
        <Button onClick={() => onReceive(null, '')}>Receive without choosing a shipment</Button>
      </div>
      {list.status === 'error' ? <ErrorNotice error={list.error} /> : null}
      <div className="split">
        <div>
          {list.status === 'ok' ? (
            <Table
              caption="Shipments whose transaction data was received"
              columns={columns}
              data={list.data.shipments}
              empty="No transaction data has arrived yet. Import the seller's EPCIS, ship notice or T3 file under Import & Quarantine, or receive without choosing a shipment."
              onRowActivate={setSelected}
              search={search}
              searchText={(s) =>
                `${sellerOf(s, nameOf)} ${shortRef(s.reference)} ${s.file} ${s.transactionDate ?? ''}`
              }
            />
          ) : null}
        </div>
        <aside className="detail" aria-label="Shipment">
          {selected === null ? (
            <p className="field-hint">Choose a shipment to see its lines and start receiving it.</p>
          ) : (
            <ShipmentDetail
              id={selected.id}
              generation={generation}
              onReceive={() => onReceive(selected, sellerOf(selected, nameOf))}
              nameOf={nameOf}
            />
          )}
        </aside>
      </div>
    </section>
  );
}

function ShipmentDetail({
  id,
  generation,
  onReceive,
  nameOf,
}: {
  id: number;
  generation: number;
  onReceive: () => void;
  nameOf: (gln: string | null) => string | null;
}) {
  const s = useQuery('receiving.shipment', { id });
  const { reload } = s;
  useReloadOn(generation, reload);
  if (s.status === 'loading') return <p>Loading shipment {id}…</p>;
  if (s.status === 'error') return <ErrorNotice error={s.error} />;
  const d = s.data;
  return (
    <div data-testid="shipment-detail">
      <h3>
        <span className="mono">{shortRef(d.reference)}</span> from {sellerOf(d, nameOf)}
      </h3>
      <Button variant="primary" onClick={onReceive} disabled={d.status === 'received'}>
        Receive this shipment
      </Button>
      <dl className="facts">
        <dt>Reference</dt>
        <dd className="mono">{shortRef(d.reference)}</dd>
        <dt>Transaction date</dt>
        <dd>{readableDate(d.transactionDate)}</dd>
        <dt>Ship to</dt>
        <dd>
          {d.shipToName ?? ''} <span className="mono">{d.shipTo ?? ''}</span>
        </dd>
        <dt>Transaction statement</dt>
        <dd>{d.statement ? (d.statementText ?? 'Received') : 'Not received: ask the seller for it'}</dd>
        <dt>From file</dt>
        <dd>{d.file}</dd>
      </dl>
      <table className="table">
        <caption>Transaction information, line by line</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">NDC / GTIN</th>
            <th scope="col">Lot</th>
            <th scope="col">Expiry</th>
            <th scope="col">Packages received</th>
          </tr>
        </thead>
        <tbody>
          {d.lines.map((l) =>
            l.contents.length > 0 ? (
              <ContainerRows key={l.id} line={l} />
            ) : (
              <tr key={l.id}>
                <td>
                  {l.productName ?? '—'} {l.strength ?? ''} {l.dosageForm ?? ''}
                </td>
                <td className="mono">{l.ndc ?? l.gtin ?? '—'}</td>
                <td className="mono">{l.lot ?? '—'}</td>
                <td className="nowrap">{readableDate(l.expiry)}</td>
                <td className={l.received < l.quantity ? 'short' : undefined}>
                  {l.received} of {l.quantity}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

type Line = OutputOf<Contract['receiving.shipment']>['lines'][number];

/** A tote or case: one heading row (received in packages), then what it holds by product, lot and expiry. */
function ContainerRows({ line: l }: { line: Line }) {
  return (
    <>
      <tr className="container-row">
        <td colSpan={4}>
          {l.kind === 'sscc' ? 'Tote or case' : 'Case'} holding {l.quantity} package
          {l.quantity === 1 ? '' : 's'}
        </td>
        <td className={l.received < l.quantity ? 'short' : undefined}>
          {l.received} of {l.quantity}
        </td>
      </tr>
      {l.contents.map((c) => (
        <tr key={`${l.id}-${c.gtin ?? ''}-${c.lot ?? ''}-${c.expiry ?? ''}`} className="container-content">
          <td>
            {c.productName ?? '—'} {c.strength ?? ''} {c.dosageForm ?? ''}
          </td>
          <td className="mono">{c.ndc ?? c.gtin ?? '—'}</td>
          <td className="mono">{c.lot ?? '—'}</td>
          <td className="nowrap">{readableDate(c.expiry)}</td>
          <td>{c.quantity} inside</td>
        </tr>
      ))}
    </>
  );
}
