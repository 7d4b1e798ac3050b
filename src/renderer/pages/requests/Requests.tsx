import { useEffect, useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import { asClientError, type ClientError } from '../../api/client';
import { useClient, useQuery } from '../../api/context';
import { formatDateTime, shortHash } from '../../forms/format';
import { useSession } from '../../session/SessionProvider';
import { can } from '../../session/roles';
import { Button } from '../../ui/Button';
import { Field, SelectField, TextAreaField } from '../../ui/Form';
import { ErrorNotice } from '../../ui/Notice';
import { useToast } from '../../ui/Toasts';
import './requests.css';

type RecordsRequest = OutputOf<Contract['requests.get']>;
type Regime = RecordsRequest['regime'];

const REQUESTER_LABEL: Record<RecordsRequest['requesterKind'], string> = {
  fda: 'FDA',
  federal: 'Another Federal official',
  state: 'A State official',
  partner: 'A trading partner',
};
const REGIME_LABEL: Record<Regime, string> = {
  'fsma-204': 'FSMA 204 traceability records',
  dscsa: 'DSCSA transaction information',
};

/** The time now, refreshed every 30 seconds, so a countdown moves while the page is open. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** "1 d 4 h 12 min" — what is left, or how late it is. */
export function remaining(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d} d` : '', h ? `${h} h` : '', `${m} min`].filter(Boolean).join(' ');
}

function Countdown({ request }: { request: RecordsRequest }) {
  const now = useNow();
  if (request.status === 'withdrawn') return <span className="pill">withdrawn</span>;
  if (request.status === 'answered')
    return (
      <span className={`pill ${request.answeredInTime ? 'pill-ok' : 'pill-bad'}`}>
        {request.answeredInTime ? 'answered in time' : 'answered late'}
      </span>
    );
  const left = request.dueMs - now;
  return (
    <span
      className={`countdown ${left < 0 ? 'due-overdue' : left < 6 * 3_600_000 ? 'due-soon' : ''}`}
      data-testid="request-countdown"
    >
      {left < 0 ? `overdue by ${remaining(left)}` : `due in ${remaining(left)}`}
    </span>
  );
}

const asked = (r: RecordsRequest) =>
  [
    r.asked.products.length ? `products ${r.asked.products.join(', ')}` : '',
    r.asked.lots.length ? `lots ${r.asked.lots.join(', ')}` : '',
    r.asked.tlcs.length ? `TLCs ${r.asked.tlcs.join(', ')}` : '',
    r.asked.serials.length ? `serials ${r.asked.serials.join(', ')}` : '',
    r.asked.from || r.asked.to ? `${r.asked.from ?? '…'} to ${r.asked.to ?? '…'}` : '',
  ]
    .filter(Boolean)
    .join('; ');

/** The dashboard's panel: records requests with their deadlines counting down. */
export function RequestsPanel() {
  const me = useSession().principal;
  const list = useQuery('requests.list', {});
  const [recording, setRecording] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const mayWrite = can.approve(me);
  const requests = list.status === 'ok' ? list.data.requests : [];
  const live = requests.filter((r) => r.status === 'open');
  const done = requests.filter((r) => r.status !== 'open').slice(0, 5);
  return (
    <section className="panel requests-panel" aria-labelledby="dash-requests" data-testid="requests-panel">
      <h2 id="dash-requests">Records requests</h2>
      <p className="field-hint">
        FDA, an official or a trading partner asks for records: FSMA 204 within 24 hours (21 CFR
        1.1455(c)(3)); DSCSA within one business day and at most 48 hours for a wholesaler, two business days
        for a dispenser (FD&C Act §582). Business days skip weekends and US federal holidays.
      </p>
      {mayWrite ? (
        <div className="toolbar">
          <Button variant="primary" onClick={() => setRecording((r) => !r)} aria-expanded={recording}>
            {recording ? 'Close' : 'Record a request…'}
          </Button>
        </div>
      ) : null}
      {recording ? (
        <RecordRequest
          onRecorded={(id) => {
            setRecording(false);
            setOpen(id);
            list.reload();
          }}
        />
      ) : null}
      {list.status === 'error' ? <ErrorNotice error={list.error} /> : null}
      {list.status === 'ok' && live.length === 0 ? (
        <p data-testid="requests-none">No request is waiting for an answer.</p>
      ) : null}
      <ul className="request-list">
        {[...live, ...done].map((r) => (
          <li key={r.id} className="request-row" data-testid="request-row">
            <button
              type="button"
              className="request-summary"
              aria-expanded={open === r.id}
              onClick={() => setOpen(open === r.id ? null : r.id)}
            >
              <span>
                <strong>
                  #{r.id} {REGIME_LABEL[r.regime]}
                </strong>{' '}
                from {r.requester}
              </span>
              <Countdown request={r} />
            </button>
            {open === r.id ? <RequestDetail request={r} mayWrite={mayWrite} onChanged={list.reload} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function RequestDetail({
  request: r,
  mayWrite,
  onChanged,
}: {
  request: RecordsRequest;
  mayWrite: boolean;
  onChanged: () => void;
}) {
  return (
    <div className="request-detail" data-testid="request-detail">
      <dl className="facts">
        <dt>Received</dt>
        <dd>
          {formatDateTime(r.receivedMs)} by {r.channel} ({r.timeZone})
        </dd>
        <dt>From</dt>
        <dd>
          {REQUESTER_LABEL[r.requesterKind]}: {r.requester}
          {r.contact ? ` — ${r.contact}` : ''}
        </dd>
        <dt>Asked for</dt>
        <dd>{asked(r) || '—'}</dd>
        {r.asked.note ? (
          <>
            <dt>Note</dt>
            <dd>{r.asked.note}</dd>
          </>
        ) : null}
        <dt>Due</dt>
        <dd data-testid="request-due">
          {formatDateTime(r.dueMs)}
          {r.respondent ? ` (as ${r.respondent})` : ''}
        </dd>
        <dt>Basis</dt>
        <dd className="field-hint">{r.basis}</dd>
        {r.withdrawnReason ? (
          <>
            <dt>Withdrawn</dt>
            <dd>{r.withdrawnReason}</dd>
          </>
        ) : null}
        {r.answers.map((a) => (
          <div key={a.seq} className="facts-row" data-testid="request-answer">
            <dt>Sent</dt>
            <dd>
              {a.kind ?? 'report'} ({a.format ?? '?'}) to {a.sentTo}, {formatDateTime(a.sentMs)}; ledger entry{' '}
              {a.reportSeq}
              {a.sha256 ? `, SHA-256 ${shortHash(a.sha256)}` : ''}
            </dd>
          </div>
        ))}
      </dl>
      {mayWrite && r.status !== 'withdrawn' ? (
        <>
          <AnswerRequest request={r} onDone={onChanged} />
          {r.status === 'open' ? <AgreeOrWithdraw request={r} onDone={onChanged} /> : null}
        </>
      ) : null}
    </div>
  );
}

function useSubmit(): [boolean, ClientError | null, (run: () => Promise<unknown>) => Promise<boolean>] {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const submit = async (run: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await run();
      return true;
    } catch (e) {
      setError(asClientError(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return [busy, error, submit];
}

function AnswerRequest({ request, onDone }: { request: RecordsRequest; onDone: () => void }) {
  const client = useClient();
  const toast = useToast();
  const reports = useQuery('requests.reports', {});
  const [reportSeq, setReportSeq] = useState('');
  const [sentTo, setSentTo] = useState(request.contact ?? request.requester);
  const [busy, error, submit] = useSubmit();
  const choices = reports.status === 'ok' ? reports.data.reports : [];
  const used = new Set(request.answers.map((a) => a.reportSeq));
  return (
    <form
      className="form"
      aria-label="Answer with a report"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(() =>
          client.call('requests.answer', {
            id: request.id,
            reportSeq: Number(reportSeq),
            sentTo: sentTo.trim(),
          }),
        ).then((ok) => {
          if (ok) {
            toast('success', `Request ${request.id}: the report is recorded as sent.`);
            onDone();
          }
        });
      }}
    >
      <h4>{request.answers.length === 0 ? 'Answer with a report' : 'Another report sent'}</h4>
      <SelectField
        label="Report sent"
        value={reportSeq}
        onChange={(e) => setReportSeq(e.target.value)}
        hint="Generate it on the Reports page first; each generation is a ledger entry."
      >
        <option value="">Choose a generated report…</option>
        {choices
          .filter((c) => !used.has(c.seq))
          .map((c) => (
            <option key={c.seq} value={c.seq}>
              {c.kind ?? 'report'} · {c.format ?? '?'} · {formatDateTime(c.time)} ·{' '}
              {Object.entries(c.parameters)
                .map(([k, v]) => `${k} ${String(v)}`)
                .join(', ')}{' '}
              (entry {c.seq})
            </option>
          ))}
      </SelectField>
      <Field label="Sent to" value={sentTo} onChange={(e) => setSentTo(e.target.value)} />
      {error ? <ErrorNotice error={error} /> : null}
      <div>
        <Button variant="primary" type="submit" disabled={busy || reportSeq === '' || sentTo.trim() === ''}>
          Record as sent
        </Button>
      </div>
    </form>
  );
}

/** `datetime-local` text for a moment, in this browser's zone. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function AgreeOrWithdraw({ request, onDone }: { request: RecordsRequest; onDone: () => void }) {
  const client = useClient();
  const [due, setDue] = useState(localInput(request.dueMs));
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [busy, error, submit] = useSubmit();
  return (
    <div className="form-row">
      <form
        className="form"
        aria-label="Agreed other time"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(() =>
            client.call('requests.agreeDeadline', {
              id: request.id,
              dueMs: new Date(due).getTime(),
              note: note.trim(),
            }),
          ).then((ok) => ok && onDone());
        }}
      >
        <h4>Another time agreed</h4>
        <Field label="Due" type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} />
        <Field
          label="Agreed with whom, how"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          hint={
            request.regime === 'fsma-204'
              ? '21 CFR 1.1455(c)(3): a reasonable time FDA agrees to.'
              : 'FD&C Act §582: another reasonable time determined by FDA.'
          }
        />
        <div>
          <Button type="submit" disabled={busy || note.trim() === '' || due === ''}>
            Record the agreed time
          </Button>
        </div>
      </form>
      <form
        className="form"
        aria-label="Withdrawn"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(() => client.call('requests.withdraw', { id: request.id, reason: reason.trim() })).then(
            (ok) => ok && onDone(),
          );
        }}
      >
        <h4>Withdrawn by the requester</h4>
        <Field label="Why" value={reason} onChange={(e) => setReason(e.target.value)} />
        <div>
          <Button type="submit" disabled={busy || reason.trim() === ''}>
            Record as withdrawn
          </Button>
        </div>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}

const split = (text: string) =>
  text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

function RecordRequest({ onRecorded }: { onRecorded: (id: number) => void }) {
  const client = useClient();
  const toast = useToast();
  const [regime, setRegime] = useState<Regime>('dscsa');
  const [respondent, setRespondent] = useState<'' | 'manufacturer' | 'wholesaler' | 'dispenser'>('');
  const [requesterKind, setRequesterKind] = useState<RecordsRequest['requesterKind']>('fda');
  const [requester, setRequester] = useState('');
  const [contact, setContact] = useState('');
  const [channel, setChannel] = useState<RecordsRequest['channel']>('email');
  const [received, setReceived] = useState(() => localInput(Date.now()));
  const [products, setProducts] = useState('');
  const [lots, setLots] = useState('');
  const [tlcs, setTlcs] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [busy, error, submit] = useSubmit();
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const ready = requester.trim() !== '' && received !== '' && !busy;
  return (
    <form
      className="form form-wide record-request"
      aria-label="Record a request"
      onSubmit={(e) => {
        e.preventDefault();
        if (!ready) return;
        void submit(async () => {
          const r = await client.call('requests.record', {
            regime,
            ...(regime === 'dscsa' && respondent !== '' ? { respondent } : {}),
            requesterKind,
            requester: requester.trim(),
            ...(contact.trim() ? { contact: contact.trim() } : {}),
            channel,
            receivedMs: new Date(received).getTime(),
            timeZone,
            asked: {
              products: split(products),
              lots: split(lots),
              tlcs: split(tlcs),
              serials: [],
              ...(from ? { from } : {}),
              ...(to ? { to } : {}),
              ...(note.trim() ? { note: note.trim() } : {}),
            },
          });
          toast('success', `Request ${r.id} recorded: due ${formatDateTime(r.dueMs)}.`);
          onRecorded(r.id);
        });
      }}
    >
      <div className="form-row">
        <SelectField
          label="What is asked"
          value={regime}
          onChange={(e) => setRegime(e.target.value as Regime)}
        >
          <option value="dscsa">DSCSA transaction information (recall or suspect product)</option>
          <option value="fsma-204">FSMA 204 traceability records (sortable spreadsheet)</option>
        </SelectField>
        {regime === 'dscsa' ? (
          <SelectField
            label="We answer as"
            value={respondent}
            onChange={(e) => setRespondent(e.target.value as typeof respondent)}
          >
            <option value="">Our business type (pharmacy: dispenser)</option>
            <option value="dispenser">Dispenser: 2 business days</option>
            <option value="wholesaler">Wholesale distributor: 1 business day, at most 48 hours</option>
            <option value="manufacturer">Manufacturer: 1 business day, at most 48 hours</option>
          </SelectField>
        ) : null}
      </div>
      <div className="form-row">
        <SelectField
          label="From"
          value={requesterKind}
          onChange={(e) => setRequesterKind(e.target.value as typeof requesterKind)}
        >
          {Object.entries(REQUESTER_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <Field
          label="Requester (office or company)"
          value={requester}
          onChange={(e) => setRequester(e.target.value)}
        />
        <Field label="Contact" value={contact} onChange={(e) => setContact(e.target.value)} />
      </div>
      <div className="form-row">
        <SelectField
          label="How"
          value={channel}
          onChange={(e) => setChannel(e.target.value as typeof channel)}
        >
          <option value="email">Email</option>
          <option value="phone">Phone</option>
          <option value="in-person">In person</option>
          <option value="letter">Letter</option>
          <option value="portal">Portal</option>
        </SelectField>
        <Field
          label="Received"
          type="datetime-local"
          value={received}
          onChange={(e) => setReceived(e.target.value)}
          hint={`The clock starts here (${timeZone}); a phone request starts it when the call is made.`}
        />
      </div>
      <div className="form-row">
        <Field
          label="Products (GTIN, NDC or name)"
          value={products}
          onChange={(e) => setProducts(e.target.value)}
        />
        <Field label="Lots" value={lots} onChange={(e) => setLots(e.target.value)} />
        <Field label="Traceability lot codes" value={tlcs} onChange={(e) => setTlcs(e.target.value)} />
      </div>
      <div className="form-row">
        <Field label="From date" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <Field label="To date" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      <TextAreaField label="Note" value={note} onChange={(e) => setNote(e.target.value)} />
      {error ? <ErrorNotice error={error} /> : null}
      <div>
        <Button variant="primary" type="submit" disabled={!ready}>
          Record the request
        </Button>
      </div>
    </form>
  );
}
