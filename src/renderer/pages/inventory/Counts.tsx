import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import { useClient, useQuery } from '../../api/context';
import { splitError, type FieldErrors } from '../../forms/errors';
import { LOSS_LABEL, formatDateTime, qty } from '../../forms/format';
import { today } from '../../forms/identifiers';
import { can } from '../../session/roles';
import { useSession } from '../../session/SessionProvider';
import { Button } from '../../ui/Button';
import { CheckboxField, Field, Form, Row, SelectField, TextAreaField } from '../../ui/Form';
import { ErrorNotice, Notice } from '../../ui/Notice';
import { SignatureDialog, type Meaning } from '../../ui/SignatureDialog';
import { QueryTable } from '../../ui/QueryTable';
import { useToast } from '../../ui/Toasts';
import { productLabel, useControlledProducts } from './useControlledProducts';

type Count = OutputOf<Contract['counts.record']>;
type Discrepancy = OutputOf<Contract['counts.explain']>;
type Draft106 = OutputOf<Contract['counts.form106Drafts']>['drafts'][number];

type Action = { kind: 'explain' | 'sign-off' | 'escalate'; discrepancy: Discrepancy };

const MEANING: Record<Action['kind'], Meaning> = {
  explain: 'explained',
  'sign-off': 'signed-off',
  escalate: 'escalated',
};

/**
 * Cycle and physical counts against the perpetual balance. A variance beyond the schedule's
 * threshold opens a discrepancy: explained by one person, signed off by another, or escalated to
 * a DEA Form 106 draft when it is a theft or significant loss (21 CFR 1301.76(b)).
 */
export function Counts({ initialNdc }: { initialNdc?: string }) {
  const client = useClient();
  const session = useSession();
  const toast = useToast();
  const products = useControlledProducts();
  const counts = useQuery('counts.list', {});
  const discrepancies = useQuery('counts.discrepancies', {});
  const drafts = useQuery('counts.form106Drafts', {});
  const [ndc, setNdc] = useState(initialNdc ?? '');
  const [counted, setCounted] = useState('');
  const [kind, setKind] = useState<'cycle' | 'physical'>('cycle');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [signingCount, setSigningCount] = useState(false);
  const [last, setLast] = useState<Count>();
  const [action, setAction] = useState<Action>();
  const [text, setText] = useState('');
  const [incident, setIncident] = useState({
    lossType: 'other',
    discoveredOn: today(),
    policeNotified: false,
    policeDepartment: '',
  });
  const me = session.principal;
  const product = products.find(ndc);

  const reloadAll = () => {
    counts.reload();
    discrepancies.reload();
    drafts.reload();
  };

  const review = () => {
    const problems: FieldErrors = {};
    if (!product) problems.ndc = 'Choose a controlled product’s NDC.';
    if (counted === '' || !(Number(counted) >= 0))
      problems.counted = 'What you counted, in the product’s unit (0 if none).';
    setErrors(problems);
    if (Object.keys(problems).length === 0) setSigningCount(true);
  };

  const signCount = async (password: string) => {
    try {
      const result = await client.call('counts.record', {
        ndc: ndc.trim(),
        counted: Number(counted),
        kind,
        password,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setSigningCount(false);
      setLast(result);
      setCounted('');
      setNote('');
      toast(
        result.discrepancyId ? 'error' : 'success',
        result.discrepancyId ? 'Count recorded: it opened a discrepancy.' : 'Count recorded.',
      );
      reloadAll();
    } catch (failure) {
      const split = splitError(failure, { ruleFields: { 'not-controlled': 'ndc', 'ndc-format': 'ndc' } });
      if (Object.keys(split.fields).length > 0) {
        setErrors(split.fields);
        setSigningCount(false);
        return;
      }
      throw split.general;
    }
  };

  const signAction = async (password: string) => {
    if (!action) return;
    const discrepancyId = action.discrepancy.id;
    if (action.kind === 'explain')
      await client.call('counts.explain', { discrepancyId, explanation: text.trim(), password });
    if (action.kind === 'sign-off') await client.call('counts.signOff', { discrepancyId, password });
    if (action.kind === 'escalate')
      await client.call('counts.escalate', {
        discrepancyId,
        lossType: incident.lossType as Draft106['incident']['lossType'],
        discoveredOn: incident.discoveredOn,
        policeNotified: incident.policeNotified,
        ...(incident.policeDepartment.trim() ? { policeDepartment: incident.policeDepartment.trim() } : {}),
        description: text.trim(),
        password,
      });
    setAction(undefined);
    toast('success', action.kind === 'escalate' ? 'Escalated: a DEA Form 106 draft is below.' : 'Signed.');
    reloadAll();
  };

  const countColumns: ColumnDef<Count, unknown>[] = [
    {
      header: 'Counted at',
      accessorKey: 'countedAt',
      cell: (c) => formatDateTime(c.row.original.countedAt, 'numeric'),
    },
    { header: 'NDC', accessorKey: 'ndc', cell: (c) => <span className="mono">{c.row.original.ndc}</span> },
    { header: 'Kind', accessorKey: 'kind' },
    { header: 'Counted', accessorKey: 'counted', cell: (c) => qty(c.row.original.counted) },
    { header: 'Expected', accessorKey: 'expected', cell: (c) => qty(c.row.original.expected) },
    {
      header: 'Variance',
      accessorKey: 'variance',
      cell: (c) => {
        const r = c.row.original;
        return (
          <span className={r.discrepancyId ? 'result-bad' : 'result-ok'}>
            {r.variance > 0 ? '+' : ''}
            {qty(r.variance)}
            {r.variancePercent !== null ? ` (${r.variancePercent.toFixed(2)}%)` : ''}
          </span>
        );
      },
    },
    {
      header: 'Threshold',
      accessorKey: 'thresholdPercent',
      cell: (c) => `±${c.row.original.thresholdPercent}%`,
    },
    { header: 'By', accessorKey: 'countedBy' },
  ];

  const explainedBy = (d: Discrepancy) => d.signatures.find((s) => s.meaning === 'explained');
  const discrepancyColumns: ColumnDef<Discrepancy, unknown>[] = [
    { header: 'NDC', accessorKey: 'ndc', cell: (c) => <span className="mono">{c.row.original.ndc}</span> },
    { header: 'Sch.', accessorKey: 'schedule' },
    { header: 'Variance', accessorKey: 'variance', cell: (c) => qty(c.row.original.variance) },
    {
      header: 'Status',
      accessorKey: 'status',
      cell: (c) => (
        <span
          className={`pill ${c.row.original.status === 'closed' ? 'pill-ok' : c.row.original.status === 'escalated' ? 'pill-bad' : 'pill-wait'}`}
        >
          {c.row.original.status}
        </span>
      ),
    },
    {
      header: 'Explanation',
      accessorKey: 'explanation',
      enableSorting: false,
      cell: (c) => {
        const d = c.row.original;
        const by = explainedBy(d);
        return d.explanation ? (
          <small>
            {d.explanation}
            {by ? ` — ${by.printedName}` : ''}
          </small>
        ) : (
          '—'
        );
      },
    },
    {
      header: 'Actions',
      id: 'actions',
      enableSorting: false,
      cell: (c) => {
        const d = c.row.original;
        const open = (kind: Action['kind']) => () => {
          setText('');
          setAction({ kind, discrepancy: d });
        };
        const mine = explainedBy(d)?.userId === me?.userId;
        return (
          <span className="row-buttons">
            {d.status === 'open' && can.count(me) ? (
              <Button variant="ghost" onClick={open('explain')}>
                Explain…
              </Button>
            ) : null}
            {d.status === 'explained' && can.approve(me) && !mine ? (
              <Button variant="ghost" onClick={open('sign-off')}>
                Sign off…
              </Button>
            ) : null}
            {d.status === 'explained' && mine ? <small>waiting for another person’s sign-off</small> : null}
            {(d.status === 'open' || d.status === 'explained') && can.approve(me) ? (
              <Button variant="ghost" onClick={open('escalate')}>
                Escalate to Form 106…
              </Button>
            ) : null}
          </span>
        );
      },
    },
  ];

  const actionReady =
    action?.kind === 'sign-off'
      ? true
      : action?.kind === 'explain'
        ? text.trim().length >= 5
        : text.trim().length >= 1;

  return (
    <>
      {can.count(me) ? (
        <section className="panel" aria-labelledby="record-count">
          <h2 id="record-count">Record a count</h2>
          <Form onSubmit={review} label="Record a count" wide>
            <Row>
              <Field
                label="NDC"
                list="count-ndcs"
                value={ndc}
                onChange={(e) => setNdc(e.target.value)}
                error={errors.ndc}
                hint={
                  product
                    ? `${productLabel(product)} · ${product.schedule} · counted in ${product.unit}`
                    : undefined
                }
              />
              <Field
                label={`Counted${product ? ` (${product.unit})` : ''}`}
                type="number"
                min={0}
                step="any"
                value={counted}
                onChange={(e) => setCounted(e.target.value)}
                error={errors.counted}
              />
              <SelectField
                label="Kind"
                value={kind}
                onChange={(e) => setKind(e.target.value as 'cycle' | 'physical')}
              >
                <option value="cycle">Cycle count</option>
                <option value="physical">Physical count</option>
              </SelectField>
            </Row>
            <datalist id="count-ndcs">
              {products.products.map((p) => (
                <option key={p.ndc} value={p.ndc}>
                  {productLabel(p)} ({p.schedule})
                </option>
              ))}
            </datalist>
            <Field label="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} />
            <div className="form-actions">
              <Button variant="primary" type="submit">
                Review and sign…
              </Button>
            </div>
          </Form>
          {last ? (
            <Notice
              kind={last.discrepancyId ? 'warn' : 'ok'}
              testId="count-result"
              title={
                last.discrepancyId
                  ? `Variance ${qty(last.variance)} is beyond ±${last.thresholdPercent}%: a discrepancy was opened.`
                  : `Counted ${qty(last.counted)}, expected ${qty(last.expected)}: within ±${last.thresholdPercent}%.`
              }
            >
              {last.discrepancyId
                ? 'Explain it below; a pharmacist or compliance officer then signs it off or escalates it.'
                : null}
            </Notice>
          ) : null}
        </section>
      ) : null}

      <h2>Discrepancies</h2>
      <QueryTable
        query={discrepancies}
        rows={(data) => data.discrepancies}
        caption="Discrepancies"
        columns={discrepancyColumns}
        empty="No discrepancies: every count matched within its threshold."
      />

      <h2>Counts</h2>
      <QueryTable
        query={counts}
        rows={(data) => data.counts}
        caption="Counts"
        columns={countColumns}
        empty="No counts recorded yet."
      />

      <h2>DEA Form 106 drafts</h2>
      {drafts.status === 'error' ? <ErrorNotice error={drafts.error} /> : null}
      {drafts.status === 'ok' && drafts.data.drafts.length === 0 ? (
        <p className="field-hint">None. Recorded thefts or losses and escalated discrepancies appear here.</p>
      ) : null}
      {drafts.status === 'ok'
        ? drafts.data.drafts.map((d) => (
            <div key={d.id} className="panel form106" data-testid="form106-draft">
              <strong>
                {LOSS_LABEL[d.incident.lossType]} discovered {d.incident.discoveredOn} · file by {d.fileBy}
              </strong>
              <div>{d.incident.description}</div>
              <small>
                Police{' '}
                {d.incident.policeNotified
                  ? `notified (${d.incident.policeDepartment ?? 'department not given'})`
                  : 'not notified'}{' '}
                · from {d.source === 'discrepancy' ? 'a count discrepancy' : 'a recorded theft or loss'}
              </small>
              <ul className="compact">
                {d.lines.map((l) => (
                  <li key={l.ndc}>
                    {l.ndc} {l.name} {l.strength} {l.dosageForm}: {qty(l.quantityLost, l.unit)} lost
                  </li>
                ))}
              </ul>
            </div>
          ))
        : null}

      <SignatureDialog
        open={signingCount}
        title="Sign the count"
        meaning="counted"
        printedName={me?.displayName ?? ''}
        confirmLabel="Sign and record the count"
        subject={
          <p>
            {kind === 'cycle' ? 'Cycle' : 'Physical'} count of {product ? productLabel(product) : ndc} ({ndc}
            ): <strong>{qty(Number(counted), product?.unit)}</strong>.
          </p>
        }
        onSign={signCount}
        onClose={() => setSigningCount(false)}
      />
      <SignatureDialog
        open={action !== undefined}
        title={
          action?.kind === 'explain'
            ? 'Explain the discrepancy'
            : action?.kind === 'sign-off'
              ? 'Sign off the discrepancy'
              : 'Escalate to DEA Form 106'
        }
        meaning={action ? MEANING[action.kind] : 'explained'}
        printedName={me?.displayName ?? ''}
        confirmLabel={action?.kind === 'escalate' ? 'Sign and escalate' : 'Sign'}
        danger={action?.kind === 'escalate'}
        ready={actionReady}
        subject={
          action ? (
            <p>
              Discrepancy of {qty(action.discrepancy.variance)} on {action.discrepancy.ndc} (
              {action.discrepancy.schedule}).
              {action.discrepancy.explanation ? ` Explanation: “${action.discrepancy.explanation}”` : ''}
            </p>
          ) : null
        }
        onSign={signAction}
        onClose={() => setAction(undefined)}
      >
        {action?.kind === 'explain' ? (
          <TextAreaField
            label="Explanation"
            value={text}
            onChange={(e) => setText(e.target.value)}
            hint="What caused the difference, as found."
          />
        ) : null}
        {action?.kind === 'escalate' ? (
          <>
            <Row>
              <SelectField
                label="Type of loss"
                value={incident.lossType}
                onChange={(e) => setIncident({ ...incident, lossType: e.target.value })}
              >
                {Object.entries(LOSS_LABEL).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </SelectField>
              <Field
                label="Discovered on"
                type="date"
                value={incident.discoveredOn}
                onChange={(e) => setIncident({ ...incident, discoveredOn: e.target.value })}
              />
            </Row>
            <CheckboxField
              label="Police notified"
              checked={incident.policeNotified}
              onChange={(e) => setIncident({ ...incident, policeNotified: e.target.checked })}
            />
            {incident.policeNotified ? (
              <Field
                label="Police department"
                value={incident.policeDepartment}
                onChange={(e) => setIncident({ ...incident, policeDepartment: e.target.value })}
              />
            ) : null}
            <TextAreaField label="What happened" value={text} onChange={(e) => setText(e.target.value)} />
          </>
        ) : null}
      </SignatureDialog>
    </>
  );
}
