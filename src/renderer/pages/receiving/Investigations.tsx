import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import { asClientError, type ClientError } from '../../api/client';
import { useClient, useQuery, useReloadOn } from '../../api/context';
import { formatDateTime } from '../../forms/format';
import { Button } from '../../ui/Button';
import { Field, SelectField, TextAreaField } from '../../ui/Form';
import { ErrorNotice, Notice } from '../../ui/Notice';
import { Table } from '../../ui/Table';
import { useToast } from '../../ui/Toasts';
import { useSession } from '../../session/SessionProvider';
import { can } from '../../session/roles';
import { useHashSelection } from '../../shell/useHashSelection';
import { SignaturePassword, SignedRow, SigningFacts } from './ClosureSignature';
import { Form3911Panel } from './Form3911';
import { CLASSIFICATION_LABEL, readableDate, type Classification } from './kinds';

type Investigation = OutputOf<Contract['receiving.investigation']>;
type Clock = Investigation['clocks'][number];

const STATUS_LABEL: Record<Investigation['status'], string> = {
  open: 'Open: quarantined',
  cleared: 'Cleared: released',
  illegitimate: 'Illegitimate',
};

/** The next deadline not yet met: what the list shows so nobody misses a clock. */
export function nextDue(clocks: readonly Clock[]): Clock | undefined {
  return clocks
    .filter((c) => c.met === null && c.name !== 'keep the investigation records until')
    .sort((a, b) => a.dueMs - b.dueMs)[0];
}

const columns: ColumnDef<Investigation, unknown>[] = [
  { header: '#', accessorKey: 'id' },
  {
    header: 'Status',
    accessorKey: 'status',
    cell: (c) => (
      <span className={`pill ${c.row.original.status === 'cleared' ? 'pill-ok' : 'pill-bad'}`}>
        {STATUS_LABEL[c.row.original.status]}
      </span>
    ),
  },
  {
    header: 'Product',
    id: 'product',
    cell: (c) =>
      [
        c.row.original.productName ?? c.row.original.gtin,
        c.row.original.lot ? `lot ${c.row.original.lot}` : null,
      ]
        .filter(Boolean)
        .join(' · ') || '—',
  },
  { header: 'Opened', accessorKey: 'openedMs', cell: (c) => formatDateTime(c.getValue() as number) },
  {
    header: 'Next deadline',
    id: 'due',
    cell: (c) => {
      const due = nextDue(c.row.original.clocks);
      return due ? <DueDate clock={due} /> : '—';
    },
  },
];

/** The time now, refreshed each minute, so a deadline turns overdue while the page is open. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function DueDate({ clock }: { clock: Clock }) {
  const now = useNow();
  const overdue = clock.met === false || (clock.met === null && clock.dueMs < now);
  return (
    <span className={overdue ? 'due-overdue' : undefined}>
      {formatDateTime(clock.dueMs)}
      {overdue ? ' (overdue)' : ''}
    </span>
  );
}

/** Suspect product in quarantine, its DSCSA clocks as due dates, and the outcome that closes it. */
export function Investigations({ generation, onChanged }: { generation: number; onChanged: () => void }) {
  const [selected, setSelected] = useHashSelection('receiving', 'investigations');
  const [opening, setOpening] = useState(false);
  const list = useQuery('receiving.investigations', {});
  const { reload } = list;
  useReloadOn(generation, reload);
  return (
    <section aria-labelledby="investigations-title">
      <h2 id="investigations-title">Suspect product investigations</h2>
      <div className="toolbar">
        <Button variant="danger" onClick={() => setOpening((o) => !o)} aria-expanded={opening}>
          {opening ? 'Close' : 'Quarantine a product as suspect…'}
        </Button>
      </div>
      {opening ? (
        <OpenInvestigation
          onOpened={(id) => {
            setOpening(false);
            setSelected(id);
            reload();
            onChanged();
          }}
        />
      ) : null}
      {list.status === 'error' ? <ErrorNotice error={list.error} /> : null}
      {list.status === 'ok' ? (
        <Table
          caption="Investigations, newest first"
          columns={columns}
          data={list.data.investigations}
          empty="No suspect product is under investigation."
          onRowActivate={(i) => setSelected(i.id)}
        />
      ) : null}
      {/* Full width below the list: the clocks and the 3911 data need the room. */}
      <div className="investigation-panel" aria-label="Investigation" role="region">
        {selected === null ? (
          <p className="field-hint">Choose an investigation to see its deadlines and record its outcome.</p>
        ) : (
          <InvestigationDetail
            id={selected}
            generation={generation}
            onChanged={() => {
              reload();
              onChanged();
            }}
          />
        )}
      </div>
    </section>
  );
}

function InvestigationDetail({
  id,
  generation,
  onChanged,
}: {
  id: number;
  generation: number;
  onChanged: () => void;
}) {
  const inv = useQuery('receiving.investigation', { id });
  const mayDecide = can.approve(useSession().principal);
  const { reload } = inv;
  useReloadOn(generation, reload);
  if (inv.status === 'loading') return <p>Loading investigation {id}…</p>;
  if (inv.status === 'error') return <ErrorNotice error={inv.error} />;
  const d = inv.data;
  return (
    <div data-testid="investigation-detail">
      <h3>
        Investigation {d.id}: {STATUS_LABEL[d.status]}
      </h3>
      <dl className="facts">
        <dt>Product</dt>
        <dd>{d.productName ?? '—'}</dd>
        <dt>GTIN</dt>
        <dd className="mono">{d.gtin ?? '—'}</dd>
        <dt>Lot</dt>
        <dd className="mono">{d.lot ?? '—'}</dd>
        <dt>Expiry</dt>
        <dd>{readableDate(d.expiry)}</dd>
        <dt>Why</dt>
        <dd>{d.reason}</dd>
        <dt>Quarantined</dt>
        <dd>{formatDateTime(d.openedMs)}</dd>
        {d.exceptionId !== null ? (
          <>
            <dt>From</dt>
            <dd>
              <a href={`#/receiving/exceptions/${d.exceptionId}`}>exception {d.exceptionId}</a>
            </dd>
          </>
        ) : null}
        {d.determinedMs !== null ? (
          <>
            <dt>Determined</dt>
            <dd>{formatDateTime(d.determinedMs)}</dd>
          </>
        ) : null}
        {d.outcome ? (
          <>
            <dt>Outcome</dt>
            <dd data-testid="investigation-outcome">
              {d.outcome.outcome}
              {d.outcome.classification ? ` (${CLASSIFICATION_LABEL[d.outcome.classification]})` : ''}:{' '}
              {d.outcome.description}
            </dd>
          </>
        ) : null}
        <SignedRow signature={d.outcome?.signature} testId="investigation-signature" />
      </dl>
      <h4>Deadlines</h4>
      <table className="table clocks" data-testid="clocks">
        <caption className="visually-hidden">Deadlines of this investigation</caption>
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">Due</th>
            <th scope="col">Basis</th>
            <th scope="col">Met</th>
          </tr>
        </thead>
        <tbody>
          {d.clocks.map((c) => (
            <tr key={c.name} className={c.statutory ? 'clock-statutory' : undefined}>
              <td>
                {c.name}
                {c.statutory ? <span className="pill pill-bad clock-flag">law</span> : null}
              </td>
              <td>
                <DueDate clock={c} />
              </td>
              <td className="field-hint">{c.basis}</td>
              <td>{c.met === null ? '—' : c.met ? 'Yes' : 'No'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Findings findings={d.findings} />
      {d.status === 'open' && !mayDecide ? (
        <>
          <Notice kind="info" title="A pharmacist records the outcome" testId="investigation-technician">
            Keep the product in quarantine and write down what you found below; only a pharmacist or
            compliance officer can clear or condemn it, signed.
          </Notice>
          <RecordFindings
            id={d.id}
            onRecorded={() => {
              reload();
              onChanged();
            }}
          />
        </>
      ) : null}
      {d.status === 'open' && mayDecide ? (
        <CloseInvestigation
          id={d.id}
          onClosed={() => {
            reload();
            onChanged();
          }}
        />
      ) : null}
      {d.status === 'illegitimate' ? (
        <Form3911Panel
          investigation={d}
          generation={generation}
          onChanged={() => {
            reload();
            onChanged();
          }}
        />
      ) : null}
    </div>
  );
}

type Finding = Investigation['findings'][number];

/** What was found, in the order recorded: the pharmacist reads this before signing the outcome. */
function Findings({ findings }: { findings: readonly Finding[] }) {
  return (
    <section aria-labelledby="findings-title" data-testid="investigation-findings">
      <h4 id="findings-title">Findings</h4>
      {findings.length === 0 ? (
        <p className="field-hint">Nothing has been recorded yet.</p>
      ) : (
        <ol className="findings">
          {findings.map((f) => (
            <li key={f.seq}>
              <p>
                <strong>{f.recordedByName}</strong>, {formatDateTime(f.recordedMs)}
              </p>
              <dl className="facts">
                {f.checked.length > 0 ? <FindingRow term="Checked" text={f.checked.join('; ')} /> : null}
                {f.photos.length > 0 ? <FindingRow term="Photos" text={f.photos.join('; ')} /> : null}
                {f.verifications.map((v, i) => (
                  <FindingRow
                    key={i}
                    term={i === 0 ? 'Verification' : ''}
                    text={`${v.asked}: ${v.answer}${v.receivedMs ? ` (${formatDateTime(v.receivedMs)})` : ''}`}
                  />
                ))}
                {f.notes ? <FindingRow term="Notes" text={f.notes} /> : null}
              </dl>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** One line of a finding: the term once, then what was recorded. */
function FindingRow({ term, text }: { term: string; text: string }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{text}</dd>
    </>
  );
}

/** One entry a line: the lists the core keeps (what was checked, photos) from a text area. */
const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** A technician's findings: kept in the ledger under their name for the person who decides. */
function RecordFindings({ id, onRecorded }: { id: number; onRecorded: () => void }) {
  const client = useClient();
  const toast = useToast();
  const [checked, setChecked] = useState('');
  const [photos, setPhotos] = useState('');
  const [asked, setAsked] = useState('');
  const [answer, setAnswer] = useState('');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);
  const halfVerification = (asked.trim() === '') !== (answer.trim() === '');
  const empty =
    lines(checked).length + lines(photos).length === 0 && answer.trim() === '' && notes.trim() === '';
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.call('receiving.recordFindings', {
        id,
        checked: lines(checked),
        photos: lines(photos),
        verifications: answer.trim() !== '' ? [{ asked: asked.trim(), answer: answer.trim() }] : [],
        ...(notes.trim() !== '' ? { notes: notes.trim() } : {}),
      });
      toast('success', `Findings recorded on investigation ${id}.`);
      setChecked('');
      setPhotos('');
      setAsked('');
      setAnswer('');
      setNotes('');
      onRecorded();
    } catch (e) {
      setError(asClientError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="form record-findings"
      aria-label="Record findings"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!empty && !halfVerification && !busy) void submit();
      }}
    >
      <h4>Record findings</h4>
      <TextAreaField
        label="What you checked"
        value={checked}
        hint="One check a line: the seal, the label, lot and expiry against the transaction data…"
        onChange={(e) => setChecked(e.target.value)}
      />
      <TextAreaField
        label="Photos taken"
        value={photos}
        hint="Describe each photo on its own line (what it shows, where it is kept)."
        onChange={(e) => setPhotos(e.target.value)}
      />
      <Field
        label="Verification asked of"
        value={asked}
        hint="The manufacturer, the seller, or the verification router service."
        onChange={(e) => setAsked(e.target.value)}
        {...(halfVerification && asked.trim() === '' ? { error: 'Who answered?' } : {})}
      />
      <TextAreaField
        label="Their answer"
        value={answer}
        onChange={(e) => setAnswer(e.target.value)}
        {...(halfVerification && answer.trim() === '' ? { error: 'What did they answer?' } : {})}
      />
      <TextAreaField label="Notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
      {error ? <ErrorNotice error={error} /> : null}
      <div>
        <Button variant="primary" type="submit" disabled={empty || halfVerification || busy}>
          {busy ? 'Recording…' : 'Record findings'}
        </Button>
      </div>
    </form>
  );
}

function CloseInvestigation({ id, onClosed }: { id: number; onClosed: () => void }) {
  const client = useClient();
  const toast = useToast();
  const me = useSession().principal;
  const [password, setPassword] = useState('');
  // No default: the person signing says which outcome, so nothing is cleared by an untouched field.
  const [outcome, setOutcome] = useState<'cleared' | 'illegitimate' | ''>('');
  const [classification, setClassification] = useState<Classification>('counterfeit');
  const [description, setDescription] = useState('');
  const [quantity, setQuantity] = useState('');
  const [error, setError] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);
  const qty = quantity.trim() === '' ? undefined : Number(quantity);
  const badQty = qty !== undefined && (!Number.isInteger(qty) || qty <= 0);
  const ready = outcome !== '' && description.trim().length >= 5 && !badQty && password !== '' && !busy;
  const meaning =
    outcome === ''
      ? 'investigation outcome: (choose one)'
      : `investigation outcome: ${outcome}${outcome === 'illegitimate' ? ` (${classification})` : ''}`;
  const submit = async () => {
    if (outcome === '') return;
    setBusy(true);
    setError(null);
    try {
      await client.call('receiving.closeInvestigation', {
        id,
        password,
        outcome,
        description: description.trim(),
        ...(outcome === 'illegitimate' ? { classification } : {}),
        ...(qty !== undefined ? { quantity: qty } : {}),
      });
      toast(
        'success',
        outcome === 'cleared'
          ? `Investigation ${id} cleared; the product is released from quarantine.`
          : `Investigation ${id} closed as illegitimate; the Form FDA 3911 data is prepared below.`,
      );
      onClosed();
    } catch (e) {
      setError(asClientError(e));
    } finally {
      // The password is never kept: a failed attempt is typed again.
      setPassword('');
      setBusy(false);
    }
  };
  return (
    <form
      className="form close-investigation"
      aria-label="Record the outcome"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) void submit();
      }}
    >
      <h4>Record the outcome</h4>
      <SelectField
        label="Outcome"
        value={outcome}
        onChange={(e) => setOutcome(e.target.value as 'cleared' | 'illegitimate' | '')}
      >
        <option value="" disabled>
          Choose the outcome…
        </option>
        <option value="cleared">Cleared: not illegitimate, release from quarantine</option>
        <option value="illegitimate">Illegitimate product</option>
      </SelectField>
      {outcome === 'illegitimate' ? (
        <>
          <SelectField
            label="Classification (Form FDA 3911)"
            value={classification}
            onChange={(e) => setClassification(e.target.value as Classification)}
          >
            {Object.entries(CLASSIFICATION_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
          <Field
            label="Quantity (packages)"
            inputMode="numeric"
            value={quantity}
            hint="Leave empty for the packages under this investigation."
            onChange={(e) => setQuantity(e.target.value)}
            {...(badQty ? { error: 'A whole number of packages, 1 or more.' } : {})}
          />
          <Notice kind="warn" title="Within 24 hours">
            FD&C Act §582(d)(4)(B)(ii): notify FDA (Form FDA 3911) and your immediate trading partners within
            24 hours of this determination.
          </Notice>
        </>
      ) : null}
      <TextAreaField
        label="What the investigation found"
        value={description}
        hint="At least 5 characters; recorded in the ledger with your signature."
        onChange={(e) => setDescription(e.target.value)}
      />
      <SigningFacts printedName={me?.displayName ?? ''} meaning={meaning} />
      <SignaturePassword value={password} onChange={setPassword} />
      {error ? <ErrorNotice error={error} /> : null}
      <div>
        <Button variant={outcome === 'illegitimate' ? 'danger' : 'primary'} type="submit" disabled={!ready}>
          {busy
            ? 'Signing…'
            : outcome === 'illegitimate'
              ? 'Sign and close as illegitimate'
              : outcome === 'cleared'
                ? 'Sign and close as cleared'
                : 'Choose an outcome to sign'}
        </Button>
      </div>
    </form>
  );
}

function OpenInvestigation({ onOpened }: { onOpened: (id: number) => void }) {
  const client = useClient();
  const [gtin, setGtin] = useState('');
  const [lot, setLot] = useState('');
  const [expiry, setExpiry] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ClientError | null>(null);
  const badGtin = gtin !== '' && !/^\d{14}$/.test(gtin);
  return (
    <form
      className="form open-investigation"
      aria-label="Quarantine a product as suspect"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (badGtin || reason.trim().length < 5) return;
        client
          .call('receiving.openInvestigation', {
            reason: reason.trim(),
            ...(gtin ? { gtin } : {}),
            ...(lot.trim() ? { lot: lot.trim() } : {}),
            ...(expiry ? { expiry } : {}),
          })
          .then((inv) => onOpened(inv.id))
          .catch((e: unknown) => setError(asClientError(e)));
      }}
    >
      <Field
        label="GTIN"
        value={gtin}
        inputMode="numeric"
        onChange={(e) => setGtin(e.target.value.trim())}
        {...(badGtin ? { error: 'A GTIN is 14 digits.' } : {})}
      />
      <Field label="Lot" value={lot} maxLength={20} onChange={(e) => setLot(e.target.value)} />
      <Field label="Expiry" type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} />
      <TextAreaField
        label="Why it may be suspect"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      {error ? <ErrorNotice error={error} /> : null}
      <div>
        <Button variant="danger" type="submit" disabled={badGtin || reason.trim().length < 5}>
          Quarantine and open investigation
        </Button>
      </div>
    </form>
  );
}
