import { useEffect, useRef, useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import { asClientError, type ClientError } from '../../api/client';
import { useClient } from '../../api/context';
import { showControls } from '../../forms/format';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Field, TextAreaField } from '../../ui/Form';
import { ErrorNotice, Notice } from '../../ui/Notice';
import { useSession } from '../../session/SessionProvider';
import { EXCEPTION_LABEL, readableDate } from './kinds';
import { soundException } from './sound';
import { ImportWait } from './ImportWait';
import { ScheduleIIOrder } from './ScheduleIIOrder';

type ScanResult = OutputOf<Contract['receiving.scan']>;
type Closed = OutputOf<Contract['receiving.closeSession']>;
interface Logged {
  readonly n: number;
  readonly scan: string;
  readonly result: ScanResult;
}

/**
 * The receiving bench: a keyboard-wedge scanner types the barcode's element string (AIM prefix,
 * GS separators) into the focused field and presses Enter; the verdict shows at once, large enough
 * to read from arm's length, with what to do next.
 */
export function ScanStation({
  sessionId,
  title,
  onFinished,
  onChanged,
}: {
  sessionId: number;
  title: string;
  onFinished: (closed: Closed) => void;
  onChanged: () => void;
}) {
  const client = useClient();
  const { settings } = useSession();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [log, setLog] = useState<Logged[]>([]);
  const [error, setError] = useState<ClientError | null>(null);
  const [damaged, setDamaged] = useState(false);
  const [finishing, setFinishing] = useState(false);
  // A scan that has not answered within a second is waiting for an import to commit (see below).
  const [waiting, setWaiting] = useState(false);
  const last = log[0];

  useEffect(() => input.current?.focus(), [sessionId]);

  const record = (scan: string, result: ScanResult) =>
    setLog((all) => [{ n: (all[0]?.n ?? 0) + 1, scan, result }, ...all].slice(0, 200));

  /** Checks the typed scan, or the last one again against the shipment the person chose. */
  const submit = async (chosen?: { scan: string; shipmentId: number }) => {
    const scan = chosen?.scan ?? text.replace(/[\r\n]+$/, '');
    if (scan.trim() === '' || busy) return;
    setBusy(true);
    setError(null);
    const slow = setTimeout(() => setWaiting(true), 1000);
    try {
      const result = await client.call('receiving.scan', {
        sessionId,
        scan,
        ...(chosen ? { shipmentId: chosen.shipmentId } : {}),
      });
      record(scan, result);
      if (
        settings?.receivingSound !== false &&
        (result.verdict === 'exception' || result.dating?.status === 'expired')
      )
        soundException();
      if (!chosen) setText('');
      onChanged();
    } catch (e) {
      setError(asClientError(e));
    } finally {
      clearTimeout(slow);
      setWaiting(false);
      setBusy(false);
      input.current?.focus();
    }
  };

  const finish = async () => {
    setFinishing(true);
    setError(null);
    try {
      onFinished(await client.call('receiving.closeSession', { sessionId }));
    } catch (e) {
      setError(asClientError(e));
    } finally {
      setFinishing(false);
    }
  };

  return (
    <section className="scan-station" aria-labelledby="scan-title">
      <h2 id="scan-title">{title}</h2>
      <form
        className="scan-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div className="field scan-field">
          <label htmlFor="scan-input">Scan a package's 2D barcode or a case's SSCC</label>
          <input
            ref={input}
            id="scan-input"
            className="scan-input"
            data-testid="scan-input"
            value={text}
            autoComplete="off"
            spellCheck={false}
            aria-describedby="scan-hint"
            onChange={(e) => setText(e.target.value)}
          />
          <small id="scan-hint" className="field-hint">
            The scanner types here and presses Enter. You can also type the label's text, e.g.
            (01)…(17)…(10)…(21)…
          </small>
        </div>
        <Button variant="primary" type="submit" disabled={busy || text.trim() === ''}>
          Check
        </Button>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {waiting ? <ImportWait /> : null}
      {last ? (
        <Verdict
          entry={last}
          onChoose={(shipmentId) => void submit({ scan: last.scan, shipmentId })}
          busy={busy}
        />
      ) : (
        <p className="field-hint">Waiting for the first scan.</p>
      )}
      <div className="toolbar scan-actions">
        <Button onClick={() => setDamaged(true)}>Report damaged…</Button>
        <Button variant="ghost" onClick={() => void finish()} disabled={finishing}>
          {finishing ? 'Finishing…' : 'Finish receiving'}
        </Button>
      </div>
      {log.length > 0 ? <ScanLog log={log} /> : null}
      <DamagedDialog
        open={damaged}
        sessionId={sessionId}
        lastScan={last?.scan ?? ''}
        onClose={() => {
          setDamaged(false);
          input.current?.focus();
        }}
        onReported={(scan, result) => {
          record(scan || '(not scanned)', result);
          setDamaged(false);
          onChanged();
          input.current?.focus();
        }}
      />
    </section>
  );
}

const TONE: Record<ScanResult['verdict'], string> = {
  accepted: 'accept',
  duplicate: 'duplicate',
  unreadable: 'unreadable',
  'choose-shipment': 'unreadable',
  exception: 'exception',
};

function Verdict({
  entry,
  onChoose,
  busy,
}: {
  entry: Logged;
  onChoose: (shipmentId: number) => void;
  busy: boolean;
}) {
  const { result } = entry;
  const p = result.product;
  const tone = result.dating?.status === 'expired' ? 'exception' : TONE[result.verdict];
  const heading =
    result.verdict === 'accepted'
      ? result.dating?.status === 'expired'
        ? 'Accepted, but expired'
        : 'Accept'
      : result.verdict === 'duplicate'
        ? 'Already received'
        : result.verdict === 'unreadable'
          ? 'Could not read the scan'
          : result.verdict === 'choose-shipment'
            ? 'Which shipment is this from?'
            : `Exception: ${result.exception ? EXCEPTION_LABEL[result.exception.kind] : 'see below'}`;
  return (
    <div
      className={`verdict verdict-${tone}`}
      role={tone === 'accept' ? 'status' : 'alert'}
      data-testid="scan-verdict"
      data-verdict={result.verdict}
      data-kind={result.exception?.kind ?? ''}
    >
      <div className="verdict-heading">{heading}</div>
      {result.verdict === 'exception' && result.exception ? (
        <div className="verdict-next">
          <strong>What to do: </strong>
          {result.exception.advice}
        </div>
      ) : (
        <div className="verdict-next">{result.message}</div>
      )}
      {result.dating ? <Dating dating={result.dating} /> : null}
      {result.candidates ? (
        <div className="toolbar" data-testid="shipment-choices">
          {result.candidates.map((c) => (
            <Button key={c.id} variant="primary" disabled={busy} onClick={() => onChoose(c.id)}>
              {c.document}
              {c.seller ? ` from ${c.seller}` : ''}
              {c.date ? `, ${readableDate(c.date)}` : ''} ({c.remaining} still to come)
            </Button>
          ))}
        </div>
      ) : null}
      {result.investigationId !== undefined ? (
        <div className="verdict-next">
          Quarantined.{' '}
          <a href={`#/receiving/investigations/${result.investigationId}`}>
            Investigation {result.investigationId}
          </a>{' '}
          is open with its deadlines.
        </div>
      ) : null}
      {result.exception ? (
        <div className="field-hint">
          Recorded as{' '}
          <a href={`#/receiving/exceptions/${result.exception.id}`}>exception {result.exception.id}</a>
          {result.shipment ? ` on shipment ${result.shipment.document}` : ''}.
        </div>
      ) : null}
      {p ? (
        <dl className="verdict-product">
          {p.productName ? (
            <>
              <dt>Product</dt>
              <dd>{p.productName}</dd>
            </>
          ) : null}
          {p.gtin ? (
            <>
              <dt>GTIN</dt>
              <dd className="mono">{p.gtin}</dd>
            </>
          ) : null}
          {p.sscc ? (
            <>
              <dt>SSCC</dt>
              <dd className="mono">{p.sscc}</dd>
            </>
          ) : null}
          {p.lot ? (
            <>
              <dt>Lot</dt>
              <dd className="mono">{p.lot}</dd>
            </>
          ) : null}
          {p.expiry ? (
            <>
              <dt>Expiry</dt>
              <dd>{readableDate(p.expiry)}</dd>
            </>
          ) : null}
          {result.units > 0 ? (
            <>
              <dt>Packages</dt>
              <dd>{result.units}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {p?.ndc && (p.schedule === 'CII' || p.schedule === 'CI') ? <ScheduleIIOrder ndc={p.ndc} /> : null}
      <div className="field-hint mono scan-echo">Scanned: {showControls(entry.scan)}</div>
    </div>
  );
}

/** Expired or short-dated by the barcode's expiry: said at the scan, before it reaches a shelf. */
function Dating({ dating }: { dating: NonNullable<ScanResult['dating']> }) {
  return dating.status === 'expired' ? (
    <div className="verdict-next dating-expired" data-testid="scan-dating" data-dating="expired">
      <strong>Expired{dating.days < 0 ? ` ${-dating.days} day(s) ago` : ' today'}.</strong> Do not put it in
      saleable stock: set it aside for return or destruction.
    </div>
  ) : (
    <div className="verdict-next dating-short" data-testid="scan-dating" data-dating="short-dated">
      <strong>Short-dated: expires in {dating.days} day(s).</strong> Check it against the order before
      shelving it.
    </div>
  );
}

function ScanLog({ log }: { log: Logged[] }) {
  const accepted = log.filter((l) => l.result.verdict === 'accepted').reduce((n, l) => n + l.result.units, 0);
  const exceptions = log.filter((l) => l.result.verdict === 'exception').length;
  return (
    <div className="scan-log">
      <h3>
        This session: {accepted} package(s) accepted, {exceptions} exception(s)
      </h3>
      <table className="table">
        <caption className="visually-hidden">Scans in this session, newest first</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Result</th>
            <th scope="col">Product</th>
            <th scope="col">Scan</th>
          </tr>
        </thead>
        <tbody>
          {log.map((l) => (
            <tr key={l.n} data-testid="scan-log-row">
              <td>{l.n}</td>
              <td>
                {l.result.verdict === 'exception' && l.result.exception
                  ? EXCEPTION_LABEL[l.result.exception.kind]
                  : l.result.verdict === 'accepted'
                    ? `Accepted (${l.result.units} package${l.result.units === 1 ? '' : 's'})${l.result.dating ? `, ${l.result.dating.status}` : ''}`
                    : l.result.verdict === 'duplicate'
                      ? 'Already received'
                      : l.result.verdict === 'choose-shipment'
                        ? 'Asked which shipment'
                        : 'Unreadable'}
              </td>
              <td>
                {l.result.product?.productName ?? l.result.product?.gtin ?? l.result.product?.sscc ?? '—'}
                {l.result.product?.lot ? ` · lot ${l.result.product.lot}` : ''}
              </td>
              <td className="mono">{showControls(l.scan)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DamagedDialog({
  open,
  sessionId,
  lastScan,
  onClose,
  onReported,
}: {
  open: boolean;
  sessionId: number;
  lastScan: string;
  onClose: () => void;
  onReported: (scan: string, result: ScanResult) => void;
}) {
  const client = useClient();
  const [scan, setScan] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) {
      setScan(lastScan);
      setNote('');
      setError(null);
    }
  }, [open, lastScan]);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await client.call('receiving.damaged', {
        sessionId,
        note: note.trim(),
        ...(scan.trim() ? { scan } : {}),
      });
      onReported(scan, result);
    } catch (e) {
      setError(asClientError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={open}
      title="Report a damaged package or case"
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="damaged-form" disabled={busy || note.trim() === ''}>
            Report damaged
          </Button>
        </>
      }
    >
      <form
        id="damaged-form"
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (note.trim() !== '' && !busy) void submit();
        }}
      >
        <Field
          label="Barcode (scan it, or leave empty if it cannot be read)"
          value={scan}
          autoComplete="off"
          onChange={(e) => setScan(e.target.value)}
        />
        <TextAreaField
          label="What is damaged"
          value={note}
          hint="For example: crushed corner, seal broken, wet carton. Photograph it for the seller."
          onChange={(e) => setNote(e.target.value)}
        />
        {error ? <ErrorNotice error={error} /> : null}
      </form>
    </Dialog>
  );
}

/**
 * What a finished session says: clean only when no exception from it or on its shipment is still
 * open; otherwise each open one, linked, with the shipment it concerns.
 */
export function FinishedNotice({ closed }: { closed: Closed }) {
  const packages = `${closed.accepted} package${closed.accepted === 1 ? '' : 's'} accepted`;
  return closed.open.length === 0 ? (
    <Notice kind="ok" title="Receiving finished" testId="finished">
      {packages}; no exception is open.
    </Notice>
  ) : (
    <Notice
      kind="warn"
      title={`Receiving finished with ${closed.open.length} open exception${closed.open.length === 1 ? '' : 's'}`}
      testId="finished"
    >
      <p>{packages}. Each exception below is still open: keep its product aside until it is resolved.</p>
      <ul>
        {closed.open.map((x) => (
          <li key={x.id}>
            <a href={`#/receiving/exceptions/${x.id}`}>
              Exception {x.id}: {EXCEPTION_LABEL[x.kind]}
              {x.shipment ? ` (shipment ${x.shipment.document})` : ''}
            </a>
          </li>
        ))}
      </ul>
    </Notice>
  );
}
