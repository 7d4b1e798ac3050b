import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { Contract, InputOf, OutputOf } from '../../../core/api';
import { useClient, useQuery } from '../../api/context';
import { splitError, type FieldErrors } from '../../forms/errors';
import { LOSS_LABEL } from '../../forms/format';
import { today } from '../../forms/identifiers';
import { can } from '../../session/roles';
import { useSession } from '../../session/SessionProvider';
import { Button } from '../../ui/Button';
import { CheckboxField, Field, Form, Row, SelectField, TextAreaField } from '../../ui/Form';
import { Notice } from '../../ui/Notice';
import { SignatureDialog } from '../../ui/SignatureDialog';
import { QueryTable } from '../../ui/QueryTable';
import { useToast } from '../../ui/Toasts';
import { DisposalLines, emptyLine, type LineDraft } from './DisposalLines';

type Incident = OutputOf<Contract['disposals.reportIncident']>;
type IncidentInput = InputOf<Contract['disposals.reportIncident']>;

interface Draft {
  lossType: IncidentInput['lossType'];
  discoveredOn: string;
  lossFrom: string;
  lossTo: string;
  description: string;
  policeNotified: boolean;
  policeDepartment: string;
  policePhone: string;
  policeReportNumber: string;
  purchaseValue: string;
  carrier: string;
  consignee: string;
  stolenOrderForms: string;
  securityMeasures: string;
  priorIncidents24Months: string;
  registrantCounty: string;
}

const emptyDraft = (): Draft => ({
  lossType: 'break-in-burglary',
  discoveredOn: today(),
  lossFrom: '',
  lossTo: '',
  description: '',
  policeNotified: true,
  policeDepartment: '',
  policePhone: '',
  policeReportNumber: '',
  purchaseValue: '',
  carrier: '',
  consignee: '',
  stolenOrderForms: '',
  securityMeasures: '',
  priorIncidents24Months: '0',
  registrantCounty: '',
});

type Step = { kind: 'notice' | 'filing'; incident: Incident };

/**
 * Theft or significant loss (DEA Form 106): what the form asks, several NDCs at once, signed by
 * the person who records it; then the written notice to DEA (within one business day) and the
 * filing in TLR (within 45 days) as they happen. Schedule II lines wait on the Approvals page.
 */
export function TheftLoss() {
  const client = useClient();
  const session = useSession();
  const toast = useToast();
  const incidents = useQuery('disposals.incidents', {});
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [lines, setLines] = useState<LineDraft[]>([emptyLine()]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [signing, setSigning] = useState(false);
  const [step, setStep] = useState<Step>();
  const [stepDate, setStepDate] = useState(today());
  const [stepText, setStepText] = useState('');
  const [stepHow, setStepHow] = useState('');
  const me = session.principal;
  const set =
    <K extends keyof Draft>(key: K) =>
    (e: { target: { value: string } }) =>
      setDraft((d) => ({ ...d, [key]: e.target.value }));

  const problems = (): FieldErrors => {
    const p: FieldErrors = {};
    if (!draft.description.trim()) p.description = 'What happened, as you would tell DEA.';
    if (!draft.securityMeasures.trim()) p.securityMeasures = 'What was done so it does not happen again.';
    if (!draft.registrantCounty.trim()) p.registrantCounty = 'The county the pharmacy is in (Form 106 asks).';
    if (!(Number(draft.purchaseValue) >= 0) || draft.purchaseValue === '')
      p.purchaseValue = 'What the pharmacy paid for what was taken, in dollars.';
    if (draft.policeNotified && !draft.policeDepartment.trim())
      p.policeDepartment = 'The police department it was reported to.';
    if (draft.lossType === 'loss-in-transit' && (!draft.carrier.trim() || !draft.consignee.trim()))
      p.carrier = 'A loss in transit names the carrier and the consignee.';
    if (lines.some((l) => !l.ndc.trim() || !(Number(l.quantity) > 0)))
      p.lines = 'Each line needs an NDC and the quantity lost.';
    return p;
  };

  const input = (password: string): IncidentInput => ({
    lossType: draft.lossType,
    discoveredOn: draft.discoveredOn,
    ...(draft.lossFrom ? { lossFrom: draft.lossFrom } : {}),
    ...(draft.lossTo ? { lossTo: draft.lossTo } : {}),
    description: draft.description.trim(),
    policeNotified: draft.policeNotified,
    ...(draft.policeDepartment.trim() ? { policeDepartment: draft.policeDepartment.trim() } : {}),
    ...(draft.policePhone.trim() ? { policePhone: draft.policePhone.trim() } : {}),
    ...(draft.policeReportNumber.trim() ? { policeReportNumber: draft.policeReportNumber.trim() } : {}),
    purchaseValue: Number(draft.purchaseValue),
    ...(draft.lossType === 'loss-in-transit'
      ? { inTransit: { carrier: draft.carrier.trim(), consignee: draft.consignee.trim() } }
      : {}),
    stolenOrderForms: draft.stolenOrderForms
      .split(/[\s,]+/)
      .map((s) => s.trim().toUpperCase())
      .filter((s) => s !== ''),
    securityMeasures: draft.securityMeasures.trim(),
    priorIncidents24Months: Number(draft.priorIncidents24Months) || 0,
    registrantCounty: draft.registrantCounty.trim(),
    lines: lines.map((l) => ({
      ndc: l.ndc.trim(),
      ...(l.lot.trim() ? { lot: l.lot.trim() } : {}),
      quantity: Number(l.quantity),
    })),
    password,
  });

  const sign = async (password: string) => {
    try {
      const incident = await client.call('disposals.reportIncident', input(password));
      setSigning(false);
      setDraft(emptyDraft());
      setLines([emptyLine()]);
      toast(
        'success',
        `Theft/loss recorded. Tell DEA's field office in writing by ${incident.noticeDueBy}; file Form 106 by ${incident.fileBy}.`,
      );
      incidents.reload();
    } catch (failure) {
      const split = splitError(failure);
      if (Object.keys(split.fields).length > 0) {
        setErrors(split.fields);
        setSigning(false);
        return;
      }
      throw split.general ?? failure;
    }
  };

  const signStep = async (password: string) => {
    if (step === undefined) return;
    if (step.kind === 'notice') {
      await client.call('disposals.recordNotice', {
        incidentId: step.incident.id,
        notifiedOn: stepDate,
        office: stepText.trim(),
        how: stepHow.trim(),
        password,
      });
    } else {
      await client.call('disposals.recordFiling', {
        incidentId: step.incident.id,
        filedOn: stepDate,
        confirmation: stepText.trim(),
        password,
      });
    }
    setStep(undefined);
    incidents.reload();
  };

  const columns: ColumnDef<Incident, unknown>[] = [
    { header: 'Discovered', accessorKey: 'discoveredOn' },
    { header: 'Type', id: 'type', accessorFn: (i) => LOSS_LABEL[i.lossType] ?? i.lossType },
    {
      header: 'Products',
      id: 'lines',
      accessorFn: (i) => i.lines.map((l) => `${l.name} ${l.strength} × ${l.quantity}`).join('; '),
    },
    {
      header: 'Notice to DEA (1 business day)',
      id: 'notice',
      accessorFn: (i) =>
        i.notice ? `${i.notice.notifiedOn}${i.notice.late ? ' (late)' : ''}` : `due by ${i.noticeDueBy}`,
    },
    {
      header: 'Form 106 (45 days)',
      id: 'filing',
      accessorFn: (i) =>
        i.filing
          ? `filed ${i.filing.filedOn}, ${i.filing.confirmation}${i.filing.late ? ' (late)' : ''}`
          : `due by ${i.fileBy}`,
    },
    {
      header: 'Next step',
      id: 'step',
      cell: ({ row }) =>
        can.approve(me) && (row.original.notice === null || row.original.filing === null) ? (
          <Button
            onClick={() => {
              setStepDate(today());
              setStepText('');
              setStepHow('');
              setStep({ kind: row.original.notice === null ? 'notice' : 'filing', incident: row.original });
            }}
          >
            {row.original.notice === null ? 'Record notice to DEA…' : 'Record Form 106 filing…'}
          </Button>
        ) : (
          <span className="field-hint">
            Worksheet under Reports › DEA Form 106 ({row.original.id.slice(0, 8)})
          </span>
        ),
    },
  ];

  return (
    <>
      {can.recordInventory(me) ? (
        <Form
          label="Report a theft or significant loss"
          wide
          onSubmit={() => {
            const p = problems();
            setErrors(p);
            if (Object.keys(p).length === 0) setSigning(true);
          }}
        >
          <Notice kind="info" title="DEA Form 106">
            Tell DEA’s field office in writing within one business day of the discovery, and file Form 106
            online within 45 days (21 CFR 1301.76(b)). Minor discrepancies are explained under Counts instead.
          </Notice>
          <Row>
            <SelectField label="Type of theft or loss" value={draft.lossType} onChange={set('lossType')}>
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
            <Field
              label="Loss began (if known)"
              type="date"
              value={draft.lossFrom}
              onChange={set('lossFrom')}
            />
            <Field label="Loss ended (if known)" type="date" value={draft.lossTo} onChange={set('lossTo')} />
          </Row>
          <DisposalLines lines={lines} onChange={setLines} />
          {errors.lines ? <Notice kind="error" title={errors.lines} /> : null}
          <TextAreaField
            label="What happened"
            value={draft.description}
            onChange={set('description')}
            error={errors.description}
          />
          <CheckboxField
            label="Reported to the police"
            checked={draft.policeNotified}
            onChange={(e) => setDraft((d) => ({ ...d, policeNotified: e.target.checked }))}
          />
          {draft.policeNotified ? (
            <Row>
              <Field
                label="Police department"
                value={draft.policeDepartment}
                onChange={set('policeDepartment')}
                error={errors.policeDepartment}
              />
              <Field label="Police phone" value={draft.policePhone} onChange={set('policePhone')} />
              <Field
                label="Police report number"
                value={draft.policeReportNumber}
                onChange={set('policeReportNumber')}
              />
            </Row>
          ) : null}
          {draft.lossType === 'loss-in-transit' ? (
            <Row>
              <Field label="Carrier" value={draft.carrier} onChange={set('carrier')} error={errors.carrier} />
              <Field label="Consignee" value={draft.consignee} onChange={set('consignee')} />
            </Row>
          ) : null}
          <Row>
            <Field
              label="Value (what the pharmacy paid, $)"
              type="number"
              min={0}
              step="0.01"
              value={draft.purchaseValue}
              onChange={set('purchaseValue')}
              error={errors.purchaseValue}
            />
            <Field
              label="Thefts or losses in the past 24 months"
              type="number"
              min={0}
              step={1}
              value={draft.priorIncidents24Months}
              onChange={set('priorIncidents24Months')}
              hint="Not counting this one."
            />
            <Field
              label="County of the pharmacy"
              value={draft.registrantCounty}
              onChange={set('registrantCounty')}
              error={errors.registrantCounty}
            />
          </Row>
          <Field
            label="DEA Form 222 serials taken (if any)"
            value={draft.stolenOrderForms}
            onChange={set('stolenOrderForms')}
            hint="Separate several with commas."
          />
          <TextAreaField
            label="Security measures taken"
            value={draft.securityMeasures}
            onChange={set('securityMeasures')}
            error={errors.securityMeasures}
          />
          <div className="form-actions">
            <Button variant="primary" type="submit">
              Review and sign…
            </Button>
          </div>
        </Form>
      ) : null}

      <h2>Thefts and losses</h2>
      <QueryTable
        query={incidents}
        rows={(data) => data.incidents}
        caption="Theft and loss incidents"
        columns={columns}
        empty="No theft or loss recorded."
      />

      <SignatureDialog
        open={signing}
        title="Record the theft or loss"
        meaning="initiated"
        printedName={me?.displayName ?? ''}
        confirmLabel="Sign and record"
        subject={
          <p>
            {LOSS_LABEL[draft.lossType]} discovered {draft.discoveredOn}: {lines.length} product line(s). Each
            line leaves the perpetual inventory; Schedule II lines wait for a second person.
          </p>
        }
        onSign={sign}
        onClose={() => setSigning(false)}
      />
      <SignatureDialog
        open={step !== undefined}
        title={step?.kind === 'notice' ? 'Notice to DEA’s field office' : 'Form 106 filed in TLR'}
        meaning="signed-off"
        printedName={me?.displayName ?? ''}
        confirmLabel="Sign and record"
        ready={stepText.trim() !== '' && (step?.kind === 'filing' || stepHow.trim() !== '')}
        onSign={signStep}
        onClose={() => setStep(undefined)}
      >
        <Field
          label={step?.kind === 'notice' ? 'Notified on' : 'Filed on'}
          type="date"
          value={stepDate}
          onChange={(e) => setStepDate(e.target.value)}
        />
        <Field
          label={step?.kind === 'notice' ? 'Field office' : 'TLR confirmation number'}
          value={stepText}
          onChange={(e) => setStepText(e.target.value)}
        />
        {step?.kind === 'notice' ? (
          <Field
            label="How (fax, email, letter)"
            value={stepHow}
            onChange={(e) => setStepHow(e.target.value)}
          />
        ) : null}
      </SignatureDialog>
    </>
  );
}
