import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import { asClientError, type ClientError } from '../../api/client';
import { useClient, useQuery, useReloadOn } from '../../api/context';
import { formatDateTime } from '../../forms/format';
import { useSession } from '../../session/SessionProvider';
import { useHashSelection } from '../../shell/useHashSelection';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { SearchField, SelectField, TextAreaField } from '../../ui/Form';
import { ErrorNotice } from '../../ui/Notice';
import { Table } from '../../ui/Table';
import { useToast } from '../../ui/Toasts';
import { SignaturePassword, SignedRow, SigningFacts } from './ClosureSignature';
import { EXCEPTION_LABEL, readableDate } from './kinds';

type Exception = OutputOf<Contract['receiving.exceptions']>['exceptions'][number];

const columns: ColumnDef<Exception, unknown>[] = [
  { header: '#', accessorKey: 'id' },
  { header: 'Kind', accessorKey: 'kind', cell: (c) => EXCEPTION_LABEL[c.row.original.kind] },
  { header: 'Product', id: 'product', cell: (c) => productOf(c.row.original.detail) },
  {
    header: 'Shipment',
    id: 'shipment',
    accessorFn: (x) => x.shipment?.document ?? '',
    cell: (c) => <span className="mono">{c.row.original.shipment?.document ?? '—'}</span>,
  },
  { header: 'Opened', accessorKey: 'openedMs', cell: (c) => formatDateTime(c.getValue() as number) },
  {
    header: 'Status',
    accessorKey: 'status',
    cell: (c) => (
      <span className={`pill ${c.row.original.status === 'open' ? 'pill-bad' : 'pill-ok'}`}>
        {c.row.original.status === 'open' ? 'Open' : 'Resolved'}
      </span>
    ),
  },
];

interface Product {
  productName?: string;
  gtin?: string;
  lot?: string;
  expiry?: string;
  sscc?: string;
}
const productIn = (detail: Record<string, unknown>): Product | undefined =>
  typeof detail.product === 'object' && detail.product !== null ? (detail.product as Product) : undefined;
function productOf(detail: Record<string, unknown>): string {
  const p = productIn(detail);
  if (p === undefined) return Array.isArray(detail.missing) ? `${detail.missing.length} line(s)` : '—';
  return [
    p.productName ?? p.gtin ?? (p.sscc ? `SSCC ${p.sscc}` : undefined),
    p.lot ? `lot ${p.lot}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Every receiving exception, worked to closure: resolved with what was done, or quarantined as suspect. */
export function Exceptions({ generation, onChanged }: { generation: number; onChanged: () => void }) {
  const [status, setStatus] = useState<'open' | 'resolved' | ''>('open');
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useHashSelection('receiving', 'exceptions');
  const list = useQuery('receiving.exceptions', status ? { status } : {});
  const { reload } = list;
  useReloadOn(generation, reload);
  // An exception opened from a link may be filtered out of this list; fetch all to find it.
  const all = useQuery('receiving.exceptions', {});
  const chosen =
    (list.status === 'ok' ? list.data.exceptions.find((x) => x.id === selected) : undefined) ??
    (all.status === 'ok' ? all.data.exceptions.find((x) => x.id === selected) : undefined);

  return (
    <section aria-labelledby="exceptions-title">
      <h2 id="exceptions-title">Receiving exceptions</h2>
      <div className="filters">
        <SelectField
          label="Show"
          value={status}
          onChange={(e) => setStatus(e.target.value as 'open' | 'resolved' | '')}
        >
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
          <option value="">All</option>
        </SelectField>
        <SearchField value={search} onSearch={setSearch} placeholder="Product, lot, shipment, kind…" />
      </div>
      {list.status === 'error' ? <ErrorNotice error={list.error} /> : null}
      <div className="split">
        <div>
          {list.status === 'ok' ? (
            <Table
              caption="Receiving exceptions, newest first"
              columns={columns}
              data={list.data.exceptions}
              empty={status === 'open' ? 'No open exceptions.' : 'No exceptions with this status.'}
              onRowActivate={(x) => setSelected(x.id)}
              search={search}
              searchText={(x) =>
                `${x.id} ${EXCEPTION_LABEL[x.kind]} ${productOf(x.detail)} ${x.shipment?.document ?? ''} ${x.shipment?.seller ?? ''} ${x.resolution ?? ''}`
              }
            />
          ) : null}
        </div>
        <aside className="detail" aria-label="Exception">
          {chosen === undefined ? (
            <p className="field-hint">Choose an exception to see what to do and to close it.</p>
          ) : (
            <ExceptionDetail
              exception={chosen}
              onChanged={() => {
                reload();
                all.reload();
                onChanged();
              }}
            />
          )}
        </aside>
      </div>
    </section>
  );
}

function ExceptionDetail({ exception: x, onChanged }: { exception: Exception; onChanged: () => void }) {
  const [action, setAction] = useState<'resolve' | 'suspect' | null>(null);
  const p = productIn(x.detail);
  const missing = Array.isArray(x.detail.missing)
    ? (x.detail.missing as {
        item: number;
        product: string | null;
        gtin: string | null;
        lot: string | null;
        expected: number;
        received: number;
      }[])
    : [];
  return (
    <div data-testid="exception-detail">
      <h3>
        Exception {x.id}: {EXCEPTION_LABEL[x.kind]}
      </h3>
      <p className="advice">
        <strong>What to do: </strong>
        {x.advice}
      </p>
      <dl className="facts">
        <dt>Opened</dt>
        <dd>{formatDateTime(x.openedMs)}</dd>
        <dt>Shipment</dt>
        <dd>
          {x.shipment ? (
            <>
              <span className="mono">{x.shipment.document}</span>
              {x.shipment.seller ? ` from ${x.shipment.seller}` : ''}
              {x.shipment.date ? `, ${readableDate(x.shipment.date)}` : ''}
            </>
          ) : (
            'none: no shipment’s data covers it'
          )}
        </dd>
        <SerialFact id={x.id} hasSerial={typeof x.detail.traceId === 'number'} />
        {p?.productName ? (
          <>
            <dt>Product</dt>
            <dd>{p.productName}</dd>
          </>
        ) : null}
        {p?.gtin ? (
          <>
            <dt>GTIN</dt>
            <dd className="mono">{p.gtin}</dd>
          </>
        ) : null}
        {p?.sscc ? (
          <>
            <dt>SSCC</dt>
            <dd className="mono">{p.sscc}</dd>
          </>
        ) : null}
        {p?.lot ? (
          <>
            <dt>Lot scanned</dt>
            <dd className="mono">{p.lot}</dd>
          </>
        ) : null}
        {p?.expiry ? (
          <>
            <dt>Expiry scanned</dt>
            <dd>{readableDate(p.expiry)}</dd>
          </>
        ) : null}
        {Object.entries(x.detail)
          .filter(([k]) => !['product', 'missing', 'traceId', 'shipment'].includes(k))
          .map(([k, v]) => (
            <DetailFact key={k} name={k} value={Array.isArray(v) ? v.join(', ') : String(v)} />
          ))}
        {x.resolution ? (
          <>
            <dt>Resolution</dt>
            <dd data-testid="exception-resolution">{x.resolution}</dd>
          </>
        ) : null}
        <SignedRow signature={x.signature} testId="exception-signature" />
      </dl>
      {missing.length > 0 ? (
        <table className="table">
          <caption>Lines not fully received</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Lot</th>
              <th scope="col">In the data</th>
              <th scope="col">Received</th>
            </tr>
          </thead>
          <tbody>
            {missing.map((m) => (
              <tr key={m.item}>
                <td>{m.product ?? m.gtin ?? '—'}</td>
                <td className="mono">{m.lot ?? '—'}</td>
                <td>{m.expected}</td>
                <td>{m.received}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {x.status === 'open' ? (
        <div className="toolbar">
          <Button variant="primary" onClick={() => setAction('resolve')}>
            Resolve…
          </Button>
          {x.kind !== 'suspect' ? (
            <Button variant="danger" onClick={() => setAction('suspect')}>
              Quarantine as suspect…
            </Button>
          ) : null}
        </div>
      ) : null}
      <ExceptionAction
        action={action}
        exception={x}
        product={p}
        onClose={() => setAction(null)}
        onDone={() => {
          setAction(null);
          onChanged();
        }}
      />
    </div>
  );
}

/**
 * The package's serial (or the tote's SSCC), so the package on the bench can be found: sealed data,
 * opened when the exception is, and that showing is recorded in the ledger like any other.
 */
function SerialFact({ id, hasSerial }: { id: number; hasSerial: boolean }) {
  const client = useClient();
  const [serial, setSerial] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<ClientError | null>(null);
  useEffect(() => {
    setSerial(undefined);
    setError(null);
    if (!hasSerial) return;
    let live = true;
    client.call('receiving.exception', { id }).then(
      (x) => live && setSerial(x.serial),
      (e: unknown) => live && setError(asClientError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, id, hasSerial]);
  if (!hasSerial) return null;
  return (
    <>
      <dt>Serial / SSCC</dt>
      <dd>
        {error ? (
          <ErrorNotice error={error} />
        ) : (
          <span className="mono" data-testid="exception-serial">
            {serial === undefined ? '…' : (serial ?? '—')}
          </span>
        )}
      </dd>
    </>
  );
}

const DETAIL_LABEL: Record<string, string> = {
  note: 'Note',
  reason: 'Reason',
  dataLot: 'Lot in the data',
  dataExpiry: 'Expiry in the data',
  expected: 'Packages in the data',
  dataLots: 'Lots in the data',
};
function DetailFact({ name, value }: { name: string; value: string }) {
  return (
    <>
      <dt>{DETAIL_LABEL[name] ?? name}</dt>
      <dd>{name === 'dataExpiry' ? readableDate(value) : value}</dd>
    </>
  );
}

function ExceptionAction({
  action,
  exception: x,
  product: p,
  onClose,
  onDone,
}: {
  action: 'resolve' | 'suspect' | null;
  exception: Exception;
  product: Product | undefined;
  onClose: () => void;
  onDone: () => void;
}) {
  const client = useClient();
  const toast = useToast();
  const me = useSession().principal;
  const [text, setText] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setText('');
    setPassword('');
    setError(null);
  }, [action]);
  // Resolving is an electronic signature (21 CFR 11.200(a)): it needs the person's password too.
  const incomplete = text.trim().length < 5 || (action === 'resolve' && password === '');
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      if (action === 'resolve') {
        await client.call('receiving.resolveException', { id: x.id, resolution: text.trim(), password });
        toast('success', `Exception ${x.id} resolved and signed.`);
      } else {
        const expiry = isoExpiry(p?.expiry);
        const inv = await client.call('receiving.openInvestigation', {
          exceptionId: x.id,
          reason: text.trim(),
          ...(p?.gtin && /^\d{14}$/.test(p.gtin) ? { gtin: p.gtin } : {}),
          ...(p?.lot && p.lot.length <= 20 ? { lot: p.lot } : {}),
          ...(expiry ? { expiry } : {}),
        });
        toast('success', `Quarantined; investigation ${inv.id} is open.`);
        window.location.hash = `#/receiving/investigations/${inv.id}`;
      }
      onDone();
    } catch (e) {
      setError(asClientError(e));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={action !== null}
      title={action === 'resolve' ? `Resolve exception ${x.id}` : `Quarantine as suspect (exception ${x.id})`}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant={action === 'suspect' ? 'danger' : 'primary'}
            type="submit"
            form="exception-action"
            disabled={busy || incomplete}
          >
            {action === 'resolve'
              ? busy
                ? 'Signing…'
                : 'Sign and resolve'
              : 'Quarantine and open investigation'}
          </Button>
        </>
      }
    >
      <form
        id="exception-action"
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!incomplete && !busy) void submit();
        }}
      >
        {action === 'suspect' ? (
          <p>
            The product is set aside and an investigation opens with its deadlines (FD&C Act §582(d)(4)). Say
            why it may be suspect.
          </p>
        ) : (
          <p>
            Say what was done; you sign it with your password, and it is recorded in the ledger under your
            name.
          </p>
        )}
        <TextAreaField
          label={action === 'resolve' ? 'How it was resolved' : 'Why it may be suspect'}
          value={text}
          hint={
            action === 'resolve'
              ? 'For example: seller sent corrected T3 (invoice 4471); returned for credit, RMA 2231.'
              : 'For example: label looks altered; lot unknown to the manufacturer.'
          }
          onChange={(e) => setText(e.target.value)}
        />
        {action === 'resolve' ? (
          <>
            <SigningFacts
              printedName={me?.displayName ?? ''}
              meaning={`resolved receiving exception: ${text.trim() || '…'}`}
            />
            <SignaturePassword value={password} onChange={setPassword} />
          </>
        ) : null}
        {error ? <ErrorNotice error={error} /> : null}
      </form>
    </Dialog>
  );
}

/** The procedure takes ISO dates; scans carry YYMMDD (DD 00 = last day of the month, GS1 GenSpecs 7.12). */
function isoExpiry(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!m) return undefined;
  const year = 2000 + Number(m[1]);
  const month = Number(m[2]);
  const day = m[3] === '00' ? new Date(Date.UTC(year, month, 0)).getUTCDate() : Number(m[3]);
  return `${year}-${m[2]}-${String(day).padStart(2, '0')}`;
}
