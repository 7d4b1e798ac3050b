import { useState } from 'react';
import type { Contract, InputOf, OutputOf } from '../../../core/api';
import { asClientError, type ClientError } from '../../api/client';
import { useClient, useQuery, useReloadOn } from '../../api/context';
import { formatDateTime } from '../../forms/format';
import { downloadFile } from '../../lib/download';
import { useSession } from '../../session/SessionProvider';
import { can } from '../../session/roles';
import { Button } from '../../ui/Button';
import { CheckboxField, Field, SelectField, TextAreaField } from '../../ui/Form';
import { ErrorNotice } from '../../ui/Notice';
import { useToast } from '../../ui/Toasts';
import { SignaturePassword, SigningFacts, SignedBy } from './ClosureSignature';
import './form3911.css';

type Investigation = OutputOf<Contract['receiving.investigation']>;
type Worksheet = OutputOf<Contract['receiving.form3911']>;
type NotificationInput = InputOf<Contract['receiving.recordNotification']>;
type NotificationType = NotificationInput['type'];

const TYPE_LABEL: Record<NotificationType, string> = {
  initial: 'Initial Notification',
  'follow-up': 'Follow-up Notification',
  termination: 'Request for Termination',
};
const MECHANISMS = ['BPDR', 'MedWatch 3500', 'MedWatch 3500A', 'FAR', 'None', 'Other'] as const;
const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** `datetime-local` text for a moment, in this browser's zone. */
function localInput(ms: number): string {
  return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * Form FDA 3911 for an investigation closed as illegitimate: the worksheet of the current form
 * (numbers and labels come from the core's one item table), the notifications recorded as sent,
 * and the forms to record the next one and the incident number FDA assigns.
 */
export function Form3911Panel({
  investigation,
  generation,
  onChanged,
}: {
  investigation: Investigation;
  generation: number;
  onChanged: () => void;
}) {
  const me = useSession().principal;
  const [shown, setShown] = useState<number | undefined>(undefined);
  const sheet = useQuery('receiving.form3911', {
    id: investigation.id,
    timeZone: zone(),
    ...(shown !== undefined ? { notification: shown } : {}),
  });
  useReloadOn(generation, sheet.reload);
  const sent = investigation.notifications;
  const terminated = sent.some((n) => n.type === 'termination');
  const changed = () => {
    setShown(undefined);
    sheet.reload();
    onChanged();
  };
  return (
    <section className="form3911" aria-labelledby="form3911-title" data-testid="form3911">
      <h4 id="form3911-title">Form FDA 3911 (Drug Notification)</h4>
      {sent.length > 0 ? (
        <table className="table" data-testid="notifications">
          <caption className="visually-hidden">Notifications sent to FDA</caption>
          <thead>
            <tr>
              <th scope="col">No.</th>
              <th scope="col">Type of report</th>
              <th scope="col">Sent to FDA</th>
              <th scope="col">Partners told</th>
              <th scope="col">Signed</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {sent.map((n) => (
              <tr key={n.notification}>
                <td>{n.notification}</td>
                <td>{TYPE_LABEL[n.type]}</td>
                <td>{formatDateTime(n.notifiedMs)}</td>
                <td>{n.partnersNotified.map((p) => p.name).join(', ') || '—'}</td>
                <td>
                  <SignedBy signature={n.signature} testId={`notification-${n.notification}-signature`} />
                </td>
                <td>
                  <Button variant="ghost" onClick={() => setShown(n.notification)}>
                    Show its worksheet
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="field-hint">
          Nothing is recorded as sent to FDA yet: the worksheet below is the draft.
        </p>
      )}
      <p>
        FDA incident number:{' '}
        <strong data-testid="incident-number">{investigation.incidentNumber ?? 'not received yet'}</strong>
      </p>
      {sheet.status === 'error' ? <ErrorNotice error={sheet.error} /> : null}
      {sheet.status === 'ok' ? <WorksheetView sheet={sheet.data} /> : null}
      {can.approve(me) && !terminated ? (
        <>
          {sent.some((n) => n.type === 'initial') && investigation.incidentNumber === null ? (
            <IncidentNumberForm id={investigation.id} onDone={changed} />
          ) : null}
          {sheet.status === 'ok' ? (
            // Remounted after each notification: its fields start from the latest worksheet.
            <NotificationForm
              key={sent.length}
              investigation={investigation}
              draft={sheet.data}
              onDone={changed}
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function WorksheetView({ sheet }: { sheet: Worksheet }) {
  return (
    <div data-testid="form3911-worksheet">
      <h5>
        {sheet.notification === null
          ? 'Worksheet: initial notification (draft, not yet sent)'
          : `Worksheet of notification ${sheet.notification}: ${TYPE_LABEL[sheet.type]}`}
      </h5>
      <p className="field-hint">{sheet.layout}</p>
      <dl className="facts worksheet">
        {sheet.items.map((i) => (
          <div key={i.item} className="facts-row">
            <dt>
              {i.item}. {i.label}
            </dt>
            <dd>{i.value || '—'}</dd>
          </div>
        ))}
      </dl>
      {sheet.notes.map((n) => (
        <p key={n} className="field-hint">
          {n}
        </p>
      ))}
      <Button
        onClick={() =>
          downloadFile(
            `form-3911-investigation-${sheet.investigation}-${sheet.notification ?? 'draft'}.json`,
            JSON.stringify(sheet, null, 2),
            'application/json',
          )
        }
      >
        Download the worksheet data
      </Button>
      <p className="field-hint">
        The PDF of this worksheet, stamped with the ledger checkpoint, is on the Reports page (Form FDA 3911).
      </p>
    </div>
  );
}

function IncidentNumberForm({ id, onDone }: { id: number; onDone: () => void }) {
  const client = useClient();
  const [number, setNumber] = useState('');
  const [received, setReceived] = useState(() => localInput(Date.now()));
  const [error, setError] = useState<ClientError | null>(null);
  return (
    <form
      className="form close-investigation"
      aria-label="FDA incident number"
      onSubmit={(e) => {
        e.preventDefault();
        client
          .call('receiving.recordIncidentNumber', {
            id,
            incidentNumber: number.trim(),
            receivedMs: new Date(received).getTime(),
          })
          .then(onDone)
          .catch((err: unknown) => setError(asClientError(err)));
      }}
    >
      <h4>FDA&apos;s incident number</h4>
      <p className="field-hint">
        FDA sends it with the receipt of the initial notification; follow-ups and the request for termination
        carry it.
      </p>
      <div className="form-row">
        <Field label="Incident number" value={number} onChange={(e) => setNumber(e.target.value)} />
        <Field
          label="Received"
          type="datetime-local"
          value={received}
          onChange={(e) => setReceived(e.target.value)}
        />
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      <div>
        <Button type="submit" disabled={number.trim() === '' || received === ''}>
          Record the incident number
        </Button>
      </div>
    </form>
  );
}

function NotificationForm({
  investigation,
  draft,
  onDone,
}: {
  investigation: Investigation;
  draft: Worksheet;
  onDone: () => void;
}) {
  const client = useClient();
  const toast = useToast();
  const me = useSession().principal;
  const hasInitial = investigation.notifications.some((n) => n.type === 'initial');
  const value = (field: string) => draft.items.find((i) => i.field === field)?.value ?? '';
  const [type, setType] = useState<NotificationType>(hasInitial ? 'follow-up' : 'initial');
  const [sentAt, setSentAt] = useState(() => localInput(Date.now()));
  const [location, setLocation] = useState(() => value('geographicLocation'));
  // A follow-up starts from what the last notification said.
  const [quantity, setQuantity] = useState(() => /^(\d+) /.exec(value('quantity'))?.[1] ?? '1');
  const [unit, setUnit] = useState(() => /^\d+ (.+)$/.exec(value('quantity'))?.[1] ?? 'packages');
  const [ingredients, setIngredients] = useState(() => value('primaryIngredients'));
  const [drugUse, setDrugUse] = useState(() => value('drugUse'));
  const [drugDescription, setDrugDescription] = useState(() => value('drugDescription'));
  const [description, setDescription] = useState(
    () => value('description') || investigation.outcome?.description || '',
  );
  const [reason, setReason] = useState('');
  const [mechanisms, setMechanisms] = useState<string[]>(['None']);
  const [other, setOther] = useState('');
  const [partner, setPartner] = useState('');
  const [partnerHow, setPartnerHow] = useState('phone');
  const [partnerAt, setPartnerAt] = useState(() => localInput(Date.now()));
  const [contactName, setContactName] = useState(me?.displayName ?? '');
  const [contactTitle, setContactTitle] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);
  const qty = Number(quantity);
  const ready =
    !busy &&
    password !== '' &&
    Number.isInteger(qty) &&
    qty > 0 &&
    unit.trim() !== '' &&
    location.trim().length >= 2 &&
    contactName.trim() !== '' &&
    phone.trim().length >= 3 &&
    /@/.test(email) &&
    (type === 'termination' ? reason.trim() !== '' : description.trim() !== '');
  const meaning = `Form FDA 3911 ${TYPE_LABEL[type]} sent to FDA`;
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const input: NotificationInput = {
        id: investigation.id,
        password,
        type,
        notifiedMs: new Date(sentAt).getTime(),
        timeZone: zone(),
        geographicLocation: location.trim(),
        quantity: { number: qty, unit: unit.trim() },
        ...(ingredients.trim() ? { primaryIngredients: ingredients.trim() } : {}),
        ...(drugUse.trim() ? { drugUse: drugUse.trim() } : {}),
        ...(drugDescription.trim() ? { drugDescription: drugDescription.trim() } : {}),
        ...(type === 'termination'
          ? { terminationReason: reason.trim() }
          : { description: description.trim() }),
        otherMechanisms: mechanisms as NotificationInput['otherMechanisms'],
        ...(mechanisms.includes('Other') && other.trim() ? { otherMechanismsSpecify: other.trim() } : {}),
        partnersNotified: partner.trim()
          ? [
              {
                name: partner.trim(),
                how: partnerHow.trim() || 'phone',
                notifiedMs: new Date(partnerAt).getTime(),
              },
            ]
          : [],
        contact: {
          name: contactName.trim(),
          ...(contactTitle.trim() ? { title: contactTitle.trim() } : {}),
          phone: phone.trim(),
          email: email.trim(),
        },
      };
      await client.call('receiving.recordNotification', input);
      toast('success', `Investigation ${investigation.id}: ${TYPE_LABEL[type]} recorded as sent to FDA.`);
      onDone();
    } catch (e) {
      setError(asClientError(e));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };
  return (
    <form
      className="form form-wide close-investigation"
      aria-label="Record a Form FDA 3911 sent"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) void submit();
      }}
    >
      <h4>Record a Form FDA 3911 sent to FDA</h4>
      <div className="form-row">
        <SelectField
          label="Type of report"
          value={type}
          onChange={(e) => setType(e.target.value as NotificationType)}
        >
          {!hasInitial ? <option value="initial">Initial Notification</option> : null}
          {hasInitial ? <option value="follow-up">Follow-up Notification</option> : null}
          {hasInitial ? <option value="termination">Request for Termination</option> : null}
        </SelectField>
        <Field
          label="Sent to FDA"
          type="datetime-local"
          value={sentAt}
          onChange={(e) => setSentAt(e.target.value)}
        />
      </div>
      <Field
        label="Geographic location of incident"
        value={location}
        onChange={(e) => setLocation(e.target.value)}
        hint="City, county, state and country where the product was found."
      />
      <div className="form-row">
        <Field
          label="Quantity"
          inputMode="numeric"
          value={quantity}
          onChange={(e) => setQuantity(e.target.value)}
        />
        <Field
          label="Unit"
          value={unit}
          onChange={(e) => setUnit(e.target.value)}
          hint="e.g. bottles of 100 tablets"
        />
      </div>
      <div className="form-row">
        <Field
          label="Primary ingredient(s)"
          value={ingredients}
          onChange={(e) => setIngredients(e.target.value)}
        />
        <Field
          label="Drug use"
          value={drugUse}
          onChange={(e) => setDrugUse(e.target.value)}
          hint="As the form's list says it"
        />
        <Field
          label="Drug description"
          value={drugDescription}
          onChange={(e) => setDrugDescription(e.target.value)}
          hint="As the form's list says it"
        />
      </div>
      {type === 'termination' ? (
        <TextAreaField
          label="Why the notification is no longer necessary"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      ) : (
        <TextAreaField
          label="Description of event/issue"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      )}
      <fieldset className="form-row">
        <legend>Also submitted to FDA through</legend>
        {MECHANISMS.map((m) => (
          <CheckboxField
            key={m}
            label={m}
            checked={mechanisms.includes(m)}
            onChange={(e) =>
              setMechanisms((list) =>
                e.target.checked ? [...list.filter((x) => x !== 'None'), m] : list.filter((x) => x !== m),
              )
            }
          />
        ))}
      </fieldset>
      {mechanisms.includes('Other') ? (
        <Field label="Other mechanism" value={other} onChange={(e) => setOther(e.target.value)} />
      ) : null}
      <div className="form-row">
        <Field
          label="Trading partner told"
          value={partner}
          onChange={(e) => setPartner(e.target.value)}
          hint="FD&C Act §582: the immediate trading partners that may have the product, within 24 hours."
        />
        <Field label="How" value={partnerHow} onChange={(e) => setPartnerHow(e.target.value)} />
        <Field
          label="When"
          type="datetime-local"
          value={partnerAt}
          onChange={(e) => setPartnerAt(e.target.value)}
        />
      </div>
      <div className="form-row">
        <Field label="Contact name" value={contactName} onChange={(e) => setContactName(e.target.value)} />
        <Field label="Title" value={contactTitle} onChange={(e) => setContactTitle(e.target.value)} />
        <Field label="Phone" value={phone} onChange={(e) => setPhone(e.target.value)} />
        <Field label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      </div>
      <SigningFacts printedName={me?.displayName ?? ''} meaning={meaning} />
      <SignaturePassword value={password} onChange={setPassword} />
      {error ? <ErrorNotice error={error} /> : null}
      <div>
        <Button variant="primary" type="submit" disabled={!ready}>
          {busy ? 'Signing…' : `Sign and record the ${TYPE_LABEL[type]}`}
        </Button>
      </div>
    </form>
  );
}
