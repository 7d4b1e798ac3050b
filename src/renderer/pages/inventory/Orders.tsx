import { useState } from 'react';
import type { Contract, InputOf, OutputOf } from '../../../core/api';
import { asClientError, type ClientError } from '../../api/client';
import { useClient, useQuery } from '../../api/context';
import { splitError, type FieldErrors } from '../../forms/errors';
import { deaNumberProblem, today } from '../../forms/identifiers';
import { useSession } from '../../session/SessionProvider';
import { can } from '../../session/roles';
import { Button } from '../../ui/Button';
import { Field, SelectField, TextAreaField } from '../../ui/Form';
import { ErrorNotice, Notice } from '../../ui/Notice';
import { useToast } from '../../ui/Toasts';
import { productLabel, useControlledProducts } from './useControlledProducts';
import './orders.css';

type Order = OutputOf<Contract['orders.get']>;
type OrderLine = Order['lines'][number];
type OrderException = OutputOf<Contract['orders.exceptions']>['exceptions'][number];
type OrderInput = InputOf<Contract['orders.record']>;

const FORM_LABEL: Record<Order['form'], string> = { 'dea-222': 'DEA Form 222', csos: 'CSOS' };
export const ORDER_STATUS_LABEL: Record<Order['status'], string> = {
  open: 'Open',
  partial: 'Partially filled',
  filled: 'Filled',
  expired: 'Expired (60 days)',
  cancelled: 'Cancelled',
  voided: 'Void',
  unaccepted: 'Unaccepted',
};
const ENDING_LABEL: Record<Order['endings'][number]['action'], string> = {
  cancelled: 'Cancelled by the purchaser',
  voided: 'Voided by the supplier',
  unaccepted: 'Unaccepted (defective)',
};

/** Which field a refusal of the core is about (details.rule or details.field). */
const RULE_FIELDS: Record<string, string> = {
  'dea-number': 'partyDea',
  'dea-222-serial': 'number',
  'csos-order-number': 'number',
  'csos-order-year': 'number',
  'order-number-used': 'number',
  'future-date': 'signedOn',
  'csos-signature': 'signerSubject',
  'partial-fill-60-days': 'shippedOn',
  'over-order': 'containers',
  'received-before-shipped': 'receivedOn',
  'shipped-before-signed': 'shippedOn',
};

const drug = (l: OrderLine) => [l.productName, l.strength, l.dosageForm].filter(Boolean).join(' ');
const other = (o: Order) => (o.direction === 'inbound' ? o.supplier : o.purchaser);

function DaysLeft({ order }: { order: Order }) {
  if (order.status !== 'open' && order.status !== 'partial') return null;
  const cls = order.daysLeft < 0 ? 'pill-bad' : order.daysLeft <= 7 ? 'pill-warn' : 'pill-ok';
  return (
    <span className={`pill ${cls}`} data-testid="order-days-left">
      {order.daysLeft < 0
        ? `expired ${-order.daysLeft} d ago`
        : order.daysLeft === 0
          ? 'last day today'
          : `${order.daysLeft} d left`}
    </span>
  );
}

function useSubmit(): [
  boolean,
  ClientError | null,
  FieldErrors,
  (run: () => Promise<unknown>) => Promise<boolean>,
] {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const submit = async (run: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setFields({});
    try {
      await run();
      return true;
    } catch (e) {
      const split = splitError(e, { ruleFields: RULE_FIELDS });
      setFields(split.fields);
      setError(split.general ?? (Object.keys(split.fields).length === 0 ? asClientError(e) : null));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return [busy, error, fields, submit];
}

/**
 * Schedule II orders (DEA Form 222, CSOS): the open ones and their partial fills with the last day
 * the supplier may ship (60 days from signing, 21 CFR 1305.13(b), 1305.22(e)), each order's lines
 * and what came against them, and the receipts outside an order for a pharmacist to resolve.
 */
export function Orders() {
  const me = useSession().principal;
  const [scope, setScope] = useState<'open' | 'all'>('open');
  const list = useQuery('orders.list', { scope });
  const exceptions = useQuery('orders.exceptions', { status: 'open' });
  const [recording, setRecording] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  const mayWrite = can.recordInventory(me);
  const orders = list.status === 'ok' ? list.data.orders : [];
  const reload = () => {
    list.reload();
    exceptions.reload();
  };
  return (
    <section className="orders" aria-label="Schedule II orders" data-testid="orders">
      <p className="field-hint">
        DEA Form 222 and CSOS orders for Schedule II, kept apart from other records (21 CFR 1305.17, 1305.27).
        A partial fill&apos;s balance must be shipped within 60 days of the date the order was signed; after
        that the order is no longer valid (1305.13(b), 1305.22(e)).
      </p>
      <div className="toolbar">
        {mayWrite ? (
          <Button variant="primary" onClick={() => setRecording((r) => !r)} aria-expanded={recording}>
            {recording ? 'Close' : 'Record an order…'}
          </Button>
        ) : null}
        <SelectField label="Show" value={scope} onChange={(e) => setScope(e.target.value as 'open' | 'all')}>
          <option value="open">Open orders and partial fills</option>
          <option value="all">Every order</option>
        </SelectField>
      </div>
      {recording ? (
        <RecordOrder
          onRecorded={(o) => {
            setRecording(false);
            setScope('open');
            setOpenId(o.id);
            reload();
          }}
        />
      ) : null}
      {exceptions.status === 'ok' && exceptions.data.exceptions.length > 0 ? (
        <OrderExceptions exceptions={exceptions.data.exceptions} onResolved={reload} />
      ) : null}
      {list.status === 'error' ? <ErrorNotice error={list.error} /> : null}
      <table className="table orders-table">
        <caption className="visually-hidden">Schedule II orders</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Supplier / purchaser</th>
            <th scope="col">Drugs</th>
            <th scope="col">Signed</th>
            <th scope="col">Ship by</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {list.status === 'ok' && orders.length === 0 ? (
            <tr>
              <td colSpan={6} className="table-empty" data-testid="orders-none">
                {scope === 'open'
                  ? 'No order is waiting for a shipment.'
                  : 'No Schedule II order is recorded yet.'}
              </td>
            </tr>
          ) : null}
          {orders.map((o) => (
            <OrderRow
              key={o.id}
              order={o}
              expanded={openId === o.id}
              onToggle={() => setOpenId(openId === o.id ? null : o.id)}
              onChanged={reload}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function OrderRow({
  order: o,
  expanded,
  onToggle,
  onChanged,
}: {
  order: Order;
  expanded: boolean;
  onToggle: () => void;
  onChanged: () => void;
}) {
  return (
    <>
      <tr className="order-row" data-testid="order-row">
        <td>
          <button type="button" className="link" aria-expanded={expanded} onClick={onToggle}>
            {o.number}
          </button>
          <div className="field-hint">
            {FORM_LABEL[o.form]} · {o.direction === 'inbound' ? 'we order' : 'ordered from us'}
          </div>
        </td>
        <td>{other(o).name}</td>
        <td>
          {o.lines.map((l) => (
            <div key={l.line}>
              {drug(l)} — {l.filled} of {l.packages}
            </div>
          ))}
        </td>
        <td>{o.signedOn}</td>
        <td>
          {o.deadline} <DaysLeft order={o} />
        </td>
        <td data-testid="order-status">{ORDER_STATUS_LABEL[o.status]}</td>
      </tr>
      {expanded ? (
        <tr className="order-detail-row">
          <td colSpan={6}>
            <OrderDetail order={o} onChanged={onChanged} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function OrderDetail({ order: o, onChanged }: { order: Order; onChanged: () => void }) {
  const me = useSession().principal;
  const mayWrite = can.recordInventory(me);
  const live = o.status === 'open' || o.status === 'partial';
  return (
    <div className="order-detail" data-testid="order-detail">
      <dl className="facts">
        <dt>Supplier</dt>
        <dd>
          {o.supplier.name}, DEA {o.supplier.deaNumber} — {o.supplier.address}
        </dd>
        <dt>Purchaser</dt>
        <dd>
          {o.purchaser.name}, DEA {o.purchaser.deaNumber} — {o.purchaser.address}
        </dd>
        <dt>Signed</dt>
        <dd>
          {o.signedOn}; shipments by {o.deadline} (60 days)
        </dd>
        <dt>Recorded by</dt>
        <dd>{o.recordedBy}</dd>
        {o.note ? (
          <>
            <dt>Note</dt>
            <dd>{o.note}</dd>
          </>
        ) : null}
      </dl>
      {o.csos ? (
        <details className="order-csos">
          <summary>CSOS signature</summary>
          <dl className="facts">
            <dt>Signer&apos;s certificate</dt>
            <dd>{o.csos.signerSubject}</dd>
            <dt>SHA-256 of the signed order</dt>
            <dd>
              <code>{o.csos.signedHash}</code>
            </dd>
          </dl>
        </details>
      ) : null}
      <table className="table">
        <caption className="visually-hidden">Lines of order {o.number}</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Drug</th>
            <th scope="col">NDC</th>
            <th scope="col">Ordered</th>
            <th scope="col">{o.direction === 'inbound' ? 'Received' : 'Shipped'}</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {o.lines.map((l) => (
            <tr key={l.line} data-testid="order-line">
              <td>{l.line}</td>
              <td>{drug(l)}</td>
              <td>{l.ndc}</td>
              <td>
                {l.packages} × {l.packageSize} {l.unit}
              </td>
              <td>
                {l.fills.length === 0 ? '—' : null}
                {l.fills.map((f) => (
                  <div key={f.seq} className={f.counted ? '' : 'fill-outside'}>
                    {f.containers} shipped {f.shippedOn}
                    {f.receivedOn ? `, received ${f.receivedOn}` : ''}
                    {f.lot ? `, lot ${f.lot}` : ''}
                    {f.counted ? '' : ' (outside the order)'}
                  </div>
                ))}
              </td>
              <td>{ORDER_STATUS_LABEL[l.status]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {o.endings.length > 0 ? (
        <ul className="order-endings">
          {o.endings.map((e) => (
            <li key={e.seq}>
              {ENDING_LABEL[e.action]}
              {e.line !== null ? ` (line ${e.line})` : ''} on {e.on}: {e.reason} — {e.recordedBy}
            </li>
          ))}
        </ul>
      ) : null}
      {mayWrite ? (
        <div className="form-row">
          <RecordFill order={o} onDone={onChanged} />
          {live ? <EndOrder order={o} onDone={onChanged} /> : null}
        </div>
      ) : null}
    </div>
  );
}

/**
 * Containers received (our order) or shipped (an order to us) against a line. The receiving station
 * uses it too, with the lines of the scanned drug.
 */
export function RecordFill({
  order: o,
  line: fixedLine,
  onDone,
}: {
  order: Order;
  line?: number;
  onDone: () => void;
}) {
  const client = useClient();
  const toast = useToast();
  const lines = o.lines.filter((l) => fixedLine === undefined || l.line === fixedLine);
  const [line, setLine] = useState(String(lines.find((l) => l.remaining > 0)?.line ?? lines[0]?.line ?? 1));
  const [containers, setContainers] = useState('1');
  const [shippedOn, setShippedOn] = useState(today());
  const [receivedOn, setReceivedOn] = useState(today());
  const [lot, setLot] = useState('');
  const [busy, error, fields, submit] = useSubmit();
  const inbound = o.direction === 'inbound';
  return (
    <form
      className="form"
      aria-label={inbound ? `Receipt against order ${o.number}` : `Shipment against order ${o.number}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit(async () => {
          const common = {
            id: o.id,
            line: Number(line),
            containers: Number(containers),
            shippedOn,
            ...(lot.trim() ? { lot: lot.trim() } : {}),
          };
          if (inbound) {
            const r = await client.call('orders.receive', { ...common, receivedOn });
            if (r.exception)
              toast(
                'info',
                `Recorded, outside order ${o.number}: exception ${r.exception.id} is open for a pharmacist.`,
              );
            else toast('success', `Order ${o.number}: ${containers} container(s) recorded as received.`);
          } else {
            await client.call('orders.ship', common);
            toast('success', `Order ${o.number}: ${containers} container(s) recorded as shipped.`);
          }
          onDone();
        });
      }}
    >
      <h4>{inbound ? 'Record a receipt' : 'Record a shipment'}</h4>
      <SelectField label="Line" value={line} onChange={(e) => setLine(e.target.value)}>
        {lines.map((l) => (
          <option key={l.line} value={l.line}>
            {l.line}: {drug(l)} — {l.remaining} still to come
          </option>
        ))}
      </SelectField>
      <Field
        label="Containers"
        type="number"
        min={1}
        value={containers}
        onChange={(e) => setContainers(e.target.value)}
        error={fields.containers}
      />
      <Field
        label="Date shipped by the supplier"
        type="date"
        value={shippedOn}
        onChange={(e) => setShippedOn(e.target.value)}
        hint={`The 60 days end on ${o.deadline}: counted to the shipment, not to the receipt.`}
        error={fields.shippedOn}
      />
      {inbound ? (
        <Field
          label="Date received"
          type="date"
          value={receivedOn}
          onChange={(e) => setReceivedOn(e.target.value)}
          error={fields.receivedOn}
        />
      ) : null}
      <Field label="Lot (optional)" value={lot} onChange={(e) => setLot(e.target.value)} />
      {error ? <ErrorNotice error={error} /> : null}
      <div>
        <Button variant="primary" type="submit" disabled={busy || Number(containers) < 1}>
          {inbound ? 'Record the receipt' : 'Record the shipment'}
        </Button>
      </div>
    </form>
  );
}

function EndOrder({ order: o, onDone }: { order: Order; onDone: () => void }) {
  const client = useClient();
  const toast = useToast();
  const [action, setAction] = useState<Order['endings'][number]['action']>('cancelled');
  const [line, setLine] = useState('');
  const [on, setOn] = useState(today());
  const [reason, setReason] = useState('');
  const [busy, error, , submit] = useSubmit();
  return (
    <form
      className="form"
      aria-label={`Cancel or void order ${o.number}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit(async () => {
          await client.call('orders.end', {
            id: o.id,
            action,
            ...(line !== '' && action !== 'unaccepted' ? { line: Number(line) } : {}),
            on,
            reason: reason.trim(),
          });
          toast('success', `Order ${o.number}: ${ENDING_LABEL[action].toLowerCase()}.`);
          onDone();
        });
      }}
    >
      <h4>Cancel, void or unaccepted</h4>
      <SelectField
        label="What happened"
        value={action}
        onChange={(e) => setAction(e.target.value as typeof action)}
        hint="We cancel (1305.19); the supplier voids (1305.19, 1305.28) or returns the order unaccepted with a statement (1305.15, 1305.25)."
      >
        <option value="cancelled">We cancelled it</option>
        <option value="voided">The supplier voided it</option>
        <option value="unaccepted">The supplier did not accept it (defective)</option>
      </SelectField>
      {action !== 'unaccepted' ? (
        <SelectField label="Which" value={line} onChange={(e) => setLine(e.target.value)}>
          <option value="">The whole order</option>
          {o.lines
            .filter((l) => l.status === 'open' || l.status === 'partial')
            .map((l) => (
              <option key={l.line} value={l.line}>
                Line {l.line}: {drug(l)}
              </option>
            ))}
        </SelectField>
      ) : null}
      <Field label="Date" type="date" value={on} onChange={(e) => setOn(e.target.value)} />
      <TextAreaField
        label="Reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        hint="As the supplier's statement or our notice says it."
      />
      {error ? <ErrorNotice error={error} /> : null}
      <div>
        <Button variant="danger" type="submit" disabled={busy || reason.trim().length < 5}>
          Record
        </Button>
      </div>
    </form>
  );
}

function OrderExceptions({
  exceptions,
  onResolved,
}: {
  exceptions: OrderException[];
  onResolved: () => void;
}) {
  const me = useSession().principal;
  return (
    <section
      className="order-exceptions"
      aria-label="Receipts outside an order"
      data-testid="order-exceptions"
    >
      <h3>Receipts outside an order</h3>
      {exceptions.map((x) => (
        <Notice
          key={x.id}
          kind="warn"
          title={`Exception ${x.id} · order ${x.orderNumber}`}
          testId="order-exception"
        >
          <div>{String(x.detail.reason ?? '')}</div>
          <div>{x.advice}</div>
          {can.approve(me) ? (
            <ResolveException exception={x} onDone={onResolved} />
          ) : (
            <small>A pharmacist or compliance officer resolves it.</small>
          )}
        </Notice>
      ))}
    </section>
  );
}

function ResolveException({ exception, onDone }: { exception: OrderException; onDone: () => void }) {
  const client = useClient();
  const [resolution, setResolution] = useState('');
  const [busy, error, , submit] = useSubmit();
  return (
    <form
      className="form-inline"
      aria-label={`Resolve exception ${exception.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit(() =>
          client.call('orders.resolveException', { id: exception.id, resolution: resolution.trim() }),
        ).then((ok) => ok && onDone());
      }}
    >
      <Field label="How it was resolved" value={resolution} onChange={(e) => setResolution(e.target.value)} />
      <Button type="submit" disabled={busy || resolution.trim().length < 5}>
        Resolve
      </Button>
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
}

interface LineDraft {
  ndc: string;
  packages: string;
  packageSize: string;
}

function RecordOrder({ onRecorded }: { onRecorded: (order: Order) => void }) {
  const client = useClient();
  const toast = useToast();
  const { products } = useControlledProducts();
  const [direction, setDirection] = useState<'inbound' | 'outbound'>('inbound');
  const [form, setForm] = useState<Order['form']>('dea-222');
  const [number, setNumber] = useState('');
  const [signedOn, setSignedOn] = useState(today());
  const [partyName, setPartyName] = useState('');
  const [partyDea, setPartyDea] = useState('');
  const [partyAddress, setPartyAddress] = useState('');
  const [signerSubject, setSignerSubject] = useState('');
  const [signedHash, setSignedHash] = useState('');
  const [lines, setLines] = useState<LineDraft[]>([{ ndc: '', packages: '1', packageSize: '' }]);
  const [busy, error, fields, submit] = useSubmit();
  const deaProblem = partyDea.trim().length === 9 ? deaNumberProblem(partyDea) : undefined;
  const setLine = (i: number, patch: Partial<LineDraft>) =>
    setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const ready =
    number.trim() !== '' &&
    partyName.trim() !== '' &&
    partyDea.trim().length === 9 &&
    partyAddress.trim().length >= 5 &&
    lines.every((l) => l.ndc !== '' && Number(l.packages) >= 1);
  return (
    <form
      className="form form-wide record-order"
      aria-label="Record an order"
      onSubmit={(e) => {
        e.preventDefault();
        if (!ready) return;
        void submit(async () => {
          const party = { name: partyName.trim(), deaNumber: partyDea.trim(), address: partyAddress.trim() };
          const input: OrderInput = {
            direction,
            form,
            number: number.trim(),
            signedOn,
            ...(direction === 'inbound' ? { supplier: party } : { purchaser: party }),
            lines: lines.map((l) => ({
              ndc: l.ndc,
              packages: Number(l.packages),
              ...(l.packageSize.trim() ? { packageSize: Number(l.packageSize) } : {}),
            })),
            ...(form === 'csos'
              ? { csos: { signerSubject: signerSubject.trim(), signedHash: signedHash.trim() } }
              : {}),
          };
          const order = await client.call('orders.record', input);
          toast('success', `Order ${order.number} recorded: shipments by ${order.deadline}.`);
          onRecorded(order);
        });
      }}
    >
      <div className="form-row">
        <SelectField
          label="Direction"
          value={direction}
          onChange={(e) => setDirection(e.target.value as typeof direction)}
        >
          <option value="inbound">We order from a supplier</option>
          <option value="outbound">Another registrant orders from us (return, transfer)</option>
        </SelectField>
        <SelectField label="Form" value={form} onChange={(e) => setForm(e.target.value as Order['form'])}>
          <option value="dea-222">DEA Form 222 (paper)</option>
          <option value="csos">CSOS electronic order</option>
        </SelectField>
      </div>
      <div className="form-row">
        <Field
          label={form === 'dea-222' ? 'Form 222 serial number' : 'CSOS order number'}
          value={number}
          onChange={(e) => setNumber(e.target.value)}
          hint={
            form === 'dea-222'
              ? 'The 9 characters printed on the form.'
              : 'Year, X, six characters: 26X000123.'
          }
          error={fields.number}
        />
        <Field
          label="Date signed"
          type="date"
          value={signedOn}
          onChange={(e) => setSignedOn(e.target.value)}
          hint="The 60 days start here."
          error={fields.signedOn}
        />
      </div>
      <div className="form-row">
        <Field
          label={direction === 'inbound' ? 'Supplier' : 'Ordered by'}
          value={partyName}
          onChange={(e) => setPartyName(e.target.value)}
        />
        <Field
          label="DEA number"
          value={partyDea}
          onChange={(e) => setPartyDea(e.target.value.toUpperCase())}
          error={fields.partyDea ?? deaProblem}
        />
      </div>
      <Field
        label="Address"
        value={partyAddress}
        onChange={(e) => setPartyAddress(e.target.value)}
        hint="Street, city, state, ZIP (21 CFR 1304.22(c))."
      />
      {form === 'csos' ? (
        <div className="form-row">
          <Field
            label="Signer's certificate subject"
            value={signerSubject}
            onChange={(e) => setSignerSubject(e.target.value)}
            error={fields.signerSubject}
          />
          <Field
            label="SHA-256 of the signed order"
            value={signedHash}
            onChange={(e) => setSignedHash(e.target.value)}
            error={fields['csos.signedHash']}
          />
        </div>
      ) : null}
      <fieldset className="order-lines">
        <legend>Lines</legend>
        {lines.map((l, i) => (
          <div className="form-row" key={i}>
            <SelectField
              label={`Line ${i + 1}: drug`}
              value={l.ndc}
              onChange={(e) => setLine(i, { ndc: e.target.value })}
            >
              <option value="">Choose…</option>
              {products.map((p) => (
                <option key={p.ndc} value={p.ndc}>
                  {productLabel(p)} ({p.ndc}) · {p.schedule}
                </option>
              ))}
            </SelectField>
            <Field
              label="Packages"
              type="number"
              min={1}
              value={l.packages}
              onChange={(e) => setLine(i, { packages: e.target.value })}
            />
            <Field
              label="Package size"
              value={l.packageSize}
              placeholder={String(products.find((p) => p.ndc === l.ndc)?.packageSize ?? '')}
              onChange={(e) => setLine(i, { packageSize: e.target.value })}
            />
          </div>
        ))}
        <div className="toolbar">
          <Button onClick={() => setLines((ls) => [...ls, { ndc: '', packages: '1', packageSize: '' }])}>
            Add a line
          </Button>
          {lines.length > 1 ? (
            <Button onClick={() => setLines((ls) => ls.slice(0, -1))}>Remove the last line</Button>
          ) : null}
        </div>
      </fieldset>
      {error ? <ErrorNotice error={error} /> : null}
      <div>
        <Button variant="primary" type="submit" disabled={busy || !ready}>
          Record the order
        </Button>
      </div>
    </form>
  );
}
