import { useState } from 'react';
import type { Contract, InputOf, OutputOf } from '../../../core/api';
import { useClient } from '../../api/context';
import { splitError, type FieldErrors } from '../../forms/errors';
import { KIND_LABEL, LOSS_LABEL, qty } from '../../forms/format';
import { deaNumberProblem, today } from '../../forms/identifiers';
import { useSession } from '../../session/SessionProvider';
import { Button } from '../../ui/Button';
import { CheckboxField, Field, Form, Row, SelectField, TextAreaField } from '../../ui/Form';
import { Notice } from '../../ui/Notice';
import { SignatureDialog } from '../../ui/SignatureDialog';
import { useToast } from '../../ui/Toasts';
import { OrderPicker } from './OrderPicker';
import { productLabel, useControlledProducts } from './useControlledProducts';

type TransactionInput = InputOf<Contract['inventory.record']>['transaction'];
type Kind = TransactionInput['kind'];
type Transaction = OutputOf<Contract['inventory.record']>;

const KINDS: Kind[] = [
  'receipt',
  'dispense',
  'return',
  'transfer',
  'destruction',
  'theft-loss',
  'adjustment',
];

interface Draft {
  ndc: string;
  lot: string;
  quantity: string;
  date: string;
  note: string;
  containers: string;
  partyName: string;
  partyDea: string;
  partyAddress: string;
  orderKind: 'dea-222' | 'csos';
  orderNumber: string;
  orderLine: string;
  prescriptionNumber: string;
  direction: 'in' | 'out';
  method: string;
  location: string;
  witness1: string;
  witness1Password: string;
  witness2: string;
  witness2Password: string;
  lossType: string;
  discoveredOn: string;
  policeNotified: boolean;
  policeDepartment: string;
  description: string;
  reason: string;
}

const empty = (ndc = ''): Draft => ({
  ndc,
  lot: '',
  quantity: '',
  date: today(),
  note: '',
  containers: '',
  partyName: '',
  partyDea: '',
  partyAddress: '',
  orderKind: 'csos',
  orderNumber: '',
  orderLine: '',
  prescriptionNumber: '',
  direction: 'out',
  method: '',
  location: '',
  witness1: '',
  witness1Password: '',
  witness2: '',
  witness2Password: '',
  lossType: 'other',
  discoveredOn: today(),
  policeNotified: false,
  policeDepartment: '',
  description: '',
  reason: '',
});

/** Which field a refusal of the core is about (details.rule), so it shows where the person looks. */
const RULE_FIELDS: Record<string, string> = {
  'dea-number': 'partyDea',
  'dea-order-required': 'orderNumber',
  'csos-order-number': 'orderNumber',
  'csos-order-year': 'orderNumber',
  'dea-222-serial': 'orderNumber',
  'receipt-containers': 'containers',
  'future-date': 'date',
  'non-negative-balance': 'quantity',
  'two-witnesses': 'witness1',
  'witness-employee': 'witness1',
  'not-controlled': 'ndc',
  'ndc-format': 'ndc',
};

/** Contract paths (after "transaction.") to the form's field names. */
const PATH_FIELDS: Record<string, string> = {
  'supplier.name': 'partyName',
  'supplier.deaNumber': 'partyDea',
  'counterparty.name': 'partyName',
  'counterparty.deaNumber': 'partyDea',
  'order.number': 'orderNumber',
  'witnesses.0.username': 'witness1',
  'witnesses.1.username': 'witness2',
  witnesses: 'witness1',
};

const needsParty = (k: Kind) => k === 'receipt' || k === 'return' || k === 'transfer';
const takesOrder = needsParty;

/**
 * One form for every kind of controlled-substance transaction, signed by the person who records
 * it. Schedule II waits for a second person (Approvals); everything else posts at once.
 */
export function TransactionForm({
  initialNdc,
  initialKind,
  onRecorded,
}: {
  initialNdc?: string;
  initialKind?: Kind;
  onRecorded?: (tx: Transaction) => void;
}) {
  const client = useClient();
  const session = useSession();
  const toast = useToast();
  const products = useControlledProducts();
  const [kind, setKind] = useState<Kind>(initialKind ?? 'receipt');
  const [draft, setDraft] = useState<Draft>(() => empty(initialNdc));
  const [id, setId] = useState(() => crypto.randomUUID());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [signing, setSigning] = useState(false);

  const product = products.find(draft.ndc);
  const scheduleII = product?.schedule === 'CII' || product?.schedule === 'CI';
  const set =
    <K extends keyof Draft>(key: K) =>
    (e: { target: { value: string } }) =>
      setDraft((d) => ({ ...d, [key]: e.target.value }));
  const err = (key: string) => errors[key];

  const setContainers = (value: string) =>
    setDraft((d) => {
      const n = Number(value);
      const size = product?.packageSize;
      return {
        ...d,
        containers: value,
        quantity: size && Number.isInteger(n) && n > 0 ? String(n * size) : d.quantity,
      };
    });

  // 21 CFR 1304.22(c): what comes in is recorded with the sender's name, address and DEA number.
  const receivedFrom = kind === 'receipt' || (kind === 'transfer' && draft.direction === 'in');

  const localProblems = (): FieldErrors => {
    const p: FieldErrors = {};
    if (!draft.ndc.trim()) p.ndc = 'Choose the NDC of the product.';
    else if (products.status === 'ok' && !product)
      p.ndc = 'No controlled product with this NDC in the product master: add it under Products first.';
    const q = Number(draft.quantity);
    if (!(q > 0)) p.quantity = 'A quantity above zero, in the product’s unit.';
    if (!draft.date) p.date = 'The date it actually happened.';
    if (needsParty(kind)) {
      if (!draft.partyName.trim()) p.partyName = 'Name of the other registrant.';
      const dea = draft.partyDea.trim() ? deaNumberProblem(draft.partyDea) : 'Their DEA registration number.';
      if (dea) p.partyDea = dea;
      if (receivedFrom && !draft.partyAddress.trim())
        p.partyAddress = 'Their address: a receipt keeps it (21 CFR 1304.22(c)).';
    }
    if (kind === 'receipt' && !(Number(draft.containers) >= 1))
      p.containers = 'Containers received on this line.';
    if (takesOrder(kind) && scheduleII && !draft.orderNumber.trim())
      p.orderNumber = 'Schedule II needs the DEA Form 222 serial or CSOS order number (21 CFR 1305.03).';
    if (kind === 'dispense' && !/^[A-Za-z0-9-]{1,30}$/.test(draft.prescriptionNumber.trim()))
      p.prescriptionNumber = 'The prescription number: letters, digits and "-" only.';
    if (kind === 'destruction') {
      if (!draft.method.trim())
        p.method = 'How it was destroyed (e.g. reverse distributor, on-site denaturing).';
      if (!draft.witness1.trim() || !draft.witness1Password)
        p.witness1 = 'First witness: username and password.';
      if (!draft.witness2.trim() || !draft.witness2Password)
        p.witness2 = 'Second witness: username and password.';
      if (draft.witness1.trim() && draft.witness1.trim() === draft.witness2.trim())
        p.witness2 = 'Two different employees must witness (21 CFR 1317.95(d)).';
    }
    if (kind === 'theft-loss' && !draft.description.trim())
      p.description = 'What happened, as you would tell DEA.';
    if (kind === 'adjustment' && draft.reason.trim().length < 5)
      p.reason = 'Why the balance is adjusted (at least 5 characters).';
    return p;
  };

  const build = (): TransactionInput => {
    const common = {
      id,
      ndc: draft.ndc.trim(),
      ...(draft.lot.trim() ? { lot: draft.lot.trim() } : {}),
      quantity: Number(draft.quantity),
      date: draft.date,
      ...(draft.note.trim() ? { note: draft.note.trim() } : {}),
    };
    const party = {
      name: draft.partyName.trim(),
      deaNumber: draft.partyDea.trim().toUpperCase(),
      ...(draft.partyAddress.trim() ? { address: draft.partyAddress.trim() } : {}),
    };
    const order = draft.orderNumber.trim()
      ? {
          order: {
            kind: draft.orderKind,
            number: draft.orderNumber.trim().toUpperCase(),
            ...(draft.orderLine ? { line: Number(draft.orderLine) } : {}),
          },
        }
      : {};
    switch (kind) {
      case 'receipt':
        return { kind, ...common, supplier: party, containers: Number(draft.containers), ...order };
      case 'dispense':
        return { kind, ...common, prescriptionNumber: draft.prescriptionNumber.trim() };
      case 'return':
        return { kind, ...common, supplier: party, ...order };
      case 'transfer':
        return { kind, ...common, direction: draft.direction, counterparty: party, ...order };
      case 'destruction':
        return {
          kind,
          ...common,
          method: draft.method.trim(),
          ...(draft.location.trim() ? { location: draft.location.trim() } : {}),
          witnesses: [
            { username: draft.witness1.trim(), password: draft.witness1Password },
            { username: draft.witness2.trim(), password: draft.witness2Password },
          ],
        };
      case 'theft-loss':
        return {
          kind,
          ...common,
          lossType: draft.lossType as Extract<TransactionInput, { kind: 'theft-loss' }>['lossType'],
          discoveredOn: draft.discoveredOn,
          policeNotified: draft.policeNotified,
          ...(draft.policeDepartment.trim() ? { policeDepartment: draft.policeDepartment.trim() } : {}),
          description: draft.description.trim(),
        };
      case 'adjustment':
        return { kind, ...common, direction: draft.direction, reason: draft.reason.trim() };
    }
  };

  const review = () => {
    const problems = localProblems();
    setErrors(problems);
    if (Object.keys(problems).length === 0) setSigning(true);
  };

  const sign = async (password: string) => {
    try {
      const tx = await client.call('inventory.record', { transaction: build(), password });
      setSigning(false);
      setErrors({});
      setDraft((d) => ({
        ...empty(d.ndc),
        partyName: d.partyName,
        partyDea: d.partyDea,
        partyAddress: d.partyAddress,
      }));
      setId(crypto.randomUUID());
      toast(
        'success',
        tx.status === 'pending'
          ? `${KIND_LABEL[tx.kind]} of ${qty(tx.quantity)} recorded: waiting for a second person on the Approvals page.`
          : `${KIND_LABEL[tx.kind]} of ${qty(tx.quantity)} posted to inventory.`,
      );
      onRecorded?.(tx);
    } catch (failure) {
      const split = splitError(failure, { ruleFields: RULE_FIELDS, stripPrefix: 'transaction.' });
      const fields: FieldErrors = {};
      for (const [path, message] of Object.entries(split.fields)) fields[PATH_FIELDS[path] ?? path] = message;
      if (split.general?.code === 'not-found') fields.ndc = split.general.message;
      if (Object.keys(fields).length > 0) {
        setErrors(fields);
        setSigning(false);
        return;
      }
      throw split.general;
    }
  };

  return (
    <>
      <Form onSubmit={review} label="Record a transaction" wide>
        <fieldset className="kind-picker">
          <legend>Kind of transaction</legend>
          {KINDS.map((k) => (
            <label key={k} className={k === kind ? 'kind kind-current' : 'kind'}>
              <input
                type="radio"
                name="kind"
                value={k}
                checked={k === kind}
                onChange={() => {
                  setKind(k);
                  setErrors({});
                  setDraft((d) => ({ ...d, direction: k === 'transfer' ? 'out' : d.direction }));
                }}
              />
              {KIND_LABEL[k]}
            </label>
          ))}
        </fieldset>
        <Row>
          <Field
            label="NDC"
            list="controlled-ndcs"
            value={draft.ndc}
            onChange={set('ndc')}
            error={err('ndc')}
            hint={
              product
                ? `${productLabel(product)} · ${product.schedule} · ${product.packageSize ? `${qty(product.packageSize, product.unit)} per container` : `counted in ${product.unit}`}`
                : 'Type or pick a controlled product’s NDC.'
            }
          />
          <Field label="Lot (optional)" value={draft.lot} onChange={set('lot')} error={err('lot')} />
        </Row>
        <datalist id="controlled-ndcs">
          {products.products.map((p) => (
            <option key={p.ndc} value={p.ndc}>
              {productLabel(p)} ({p.schedule})
            </option>
          ))}
        </datalist>
        {scheduleII ? (
          <Notice kind="info" title="Schedule II: two people">
            This transaction is signed by you and waits on the Approvals page until a pharmacist or compliance
            officer approves it. Nothing posts to inventory before then.
          </Notice>
        ) : null}

        {kind === 'receipt' ? (
          <Row>
            <Field
              label="Containers received"
              type="number"
              min={1}
              step={1}
              value={draft.containers}
              onChange={(e) => setContainers(e.target.value)}
              hint="Commercial containers on this line (21 CFR 1305.13)."
              error={err('containers')}
            />
            <Field
              label={`Quantity${product ? ` (${product.unit})` : ''}`}
              type="number"
              min={0}
              step="any"
              value={draft.quantity}
              onChange={set('quantity')}
              hint={product?.packageSize ? 'Containers × package size.' : undefined}
              error={err('quantity')}
            />
            <Field
              label="Date received"
              type="date"
              value={draft.date}
              onChange={set('date')}
              error={err('date')}
            />
          </Row>
        ) : (
          <Row>
            <Field
              label={`Quantity${product ? ` (${product.unit})` : ''}`}
              type="number"
              min={0}
              step="any"
              value={draft.quantity}
              onChange={set('quantity')}
              error={err('quantity')}
            />
            <Field label="Date" type="date" value={draft.date} onChange={set('date')} error={err('date')} />
          </Row>
        )}

        {kind === 'transfer' || kind === 'adjustment' ? (
          <SelectField label="Direction" value={draft.direction} onChange={set('direction')}>
            <option value="out">
              {kind === 'transfer' ? 'Out: we send to another registrant' : 'Out: reduce the balance'}
            </option>
            <option value="in">
              {kind === 'transfer' ? 'In: we receive from another registrant' : 'In: increase the balance'}
            </option>
          </SelectField>
        ) : null}

        {needsParty(kind) ? (
          <fieldset className="group">
            <legend>{kind === 'transfer' ? 'Other registrant' : 'Supplier'}</legend>
            <Row>
              <Field
                label="Name"
                value={draft.partyName}
                onChange={set('partyName')}
                error={err('partyName')}
              />
              <Field
                label="DEA number"
                value={draft.partyDea}
                maxLength={9}
                onChange={set('partyDea')}
                error={
                  (draft.partyDea.trim().length >= 9 ? deaNumberProblem(draft.partyDea) : undefined) ??
                  err('partyDea')
                }
              />
            </Row>
            <Field
              label={receivedFrom ? 'Address' : 'Address (optional)'}
              value={draft.partyAddress}
              onChange={set('partyAddress')}
              error={err('partyAddress')}
              hint={
                receivedFrom
                  ? 'The address of whoever sent the drug, on every receipt (21 CFR 1304.22(c)).'
                  : undefined
              }
            />
          </fieldset>
        ) : null}

        {takesOrder(kind) && scheduleII && product ? (
          <OrderPicker
            ndc={product.ndc}
            direction={
              kind === 'receipt' || (kind === 'transfer' && draft.direction === 'in') ? 'inbound' : 'outbound'
            }
            onPick={(o) =>
              setDraft((d) => ({
                ...d,
                orderKind: o.form,
                orderNumber: o.number,
                orderLine: String(o.line),
                partyName: o.party.name,
                partyDea: o.party.deaNumber,
                partyAddress: o.party.address,
              }))
            }
          />
        ) : null}
        {takesOrder(kind) ? (
          <Row>
            <SelectField label="DEA order form" value={draft.orderKind} onChange={set('orderKind')}>
              <option value="csos">CSOS electronic order</option>
              <option value="dea-222">DEA Form 222</option>
            </SelectField>
            <Field
              label={`Order number${scheduleII ? '' : ' (optional)'}`}
              value={draft.orderNumber}
              onChange={(e) => setDraft((d) => ({ ...d, orderNumber: e.target.value, orderLine: '' }))}
              spellCheck={false}
              hint={
                draft.orderKind === 'csos'
                  ? 'CSOS: 2-digit year + X + 6 characters, e.g. 26X000123 (21 CFR 1305.21).'
                  : 'The serial printed on the DEA Form 222.'
              }
              error={err('orderNumber')}
            />
          </Row>
        ) : null}

        {kind === 'dispense' ? (
          <>
            <Field
              label="Prescription number"
              value={draft.prescriptionNumber}
              onChange={set('prescriptionNumber')}
              error={err('prescriptionNumber')}
              hint="The prescription number only. Never enter the patient’s name or other patient data: Custodia keeps none."
            />
          </>
        ) : null}

        {kind === 'destruction' ? (
          <>
            <Notice kind="info" title="For a DEA Form 41, use Inventory › Destructions (41)">
              It records several NDCs under one pair of witnesses, with full packages, partial counts and the
              place, as Form 41 asks. This form records one NDC.
            </Notice>
            <Row>
              <Field label="Method" value={draft.method} onChange={set('method')} error={err('method')} />
              <Field label="Location (optional)" value={draft.location} onChange={set('location')} />
            </Row>
            <fieldset className="group">
              <legend>Two witnesses, each signed in here as employees (21 CFR 1317.95(d))</legend>
              <Row>
                <Field
                  label="Witness 1 username"
                  value={draft.witness1}
                  onChange={set('witness1')}
                  error={err('witness1')}
                />
                <Field
                  label="Witness 1 password"
                  type="password"
                  autoComplete="off"
                  value={draft.witness1Password}
                  onChange={set('witness1Password')}
                />
              </Row>
              <Row>
                <Field
                  label="Witness 2 username"
                  value={draft.witness2}
                  onChange={set('witness2')}
                  error={err('witness2')}
                />
                <Field
                  label="Witness 2 password"
                  type="password"
                  autoComplete="off"
                  value={draft.witness2Password}
                  onChange={set('witness2Password')}
                />
              </Row>
            </fieldset>
          </>
        ) : null}

        {kind === 'theft-loss' ? (
          <>
            <Notice kind="info" title="For a DEA Form 106, use Inventory › Theft & loss (106)">
              It groups several NDCs in one incident with what Form 106 asks (police report, value, county,
              Forms 222 taken) and follows the notice and filing deadlines. This form records one NDC.
            </Notice>
            <Row>
              <SelectField label="Type of loss" value={draft.lossType} onChange={set('lossType')}>
                {Object.entries(LOSS_LABEL).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </SelectField>
              <Field
                label="Discovered on"
                type="date"
                value={draft.discoveredOn}
                onChange={set('discoveredOn')}
              />
            </Row>
            <CheckboxField
              label="Police notified"
              checked={draft.policeNotified}
              onChange={(e) => setDraft((d) => ({ ...d, policeNotified: e.target.checked }))}
            />
            {draft.policeNotified ? (
              <Field
                label="Police department"
                value={draft.policeDepartment}
                onChange={set('policeDepartment')}
              />
            ) : null}
            <TextAreaField
              label="What happened"
              value={draft.description}
              onChange={set('description')}
              error={err('description')}
              hint="This feeds a DEA Form 106 draft (Counts). Notify DEA in writing within one business day (21 CFR 1301.76(b))."
            />
          </>
        ) : null}

        {kind === 'adjustment' ? (
          <TextAreaField
            label="Reason"
            value={draft.reason}
            onChange={set('reason')}
            error={err('reason')}
            hint="A correction is a new signed entry; nothing recorded is ever edited."
          />
        ) : null}

        <Field label="Note (optional)" value={draft.note} onChange={set('note')} />
        <div className="form-actions">
          <Button variant="primary" type="submit">
            Review and sign…
          </Button>
        </div>
      </Form>
      <SignatureDialog
        open={signing}
        title={`Sign: ${KIND_LABEL[kind]}`}
        meaning="initiated"
        printedName={session.principal?.displayName ?? ''}
        confirmLabel={scheduleII ? 'Sign and send for approval' : 'Sign and post'}
        subject={
          <p>
            {KIND_LABEL[kind]} of <strong>{qty(Number(draft.quantity), product?.unit)}</strong>{' '}
            {product ? productLabel(product) : draft.ndc} ({draft.ndc}
            {draft.lot.trim() ? `, lot ${draft.lot.trim()}` : ''}) on {draft.date}.
          </p>
        }
        onSign={sign}
        onClose={() => setSigning(false)}
      />
    </>
  );
}
