import { useEffect, useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import { asClientError, type ClientError } from '../../api/client';
import { useClient, useQuery, useReloadOn } from '../../api/context';
import { formatDateTime } from '../../forms/format';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { TextAreaField } from '../../ui/Form';
import { ErrorNotice, Notice } from '../../ui/Notice';
import { Progress } from '../../ui/Progress';
import { useToast } from '../../ui/Toasts';
import { useSession } from '../../session/SessionProvider';
import { SignaturePassword, SignedRow, SigningFacts } from '../receiving/ClosureSignature';
import { FindingsTable } from './FindingsTable';
import { formatLabel, formatSize } from './formats';
import { jobId } from './jobId';
import { RawBytes } from './RawBytes';

type Reprocessed = OutputOf<Contract['quarantine.reprocess']>;

/** One quarantined item: why, from where, its bytes, and the two ways out (reprocess or close). */
export function QuarantineDetail({
  id,
  generation,
  onChanged,
}: {
  id: number;
  generation: number;
  onChanged: () => void;
}) {
  const client = useClient();
  const toast = useToast();
  const item = useQuery('quarantine.show', { id });
  const { reload } = item;
  const [progress, setProgress] = useState<{ label: string; done: number } | null>(null);
  const [outcome, setOutcome] = useState<Reprocessed | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [closing, setClosing] = useState(false);
  const [showRaw, setShowRaw] = useState(false);

  useEffect(() => {
    setOutcome(null);
    setError(null);
    setShowRaw(false);
  }, [id]);
  useReloadOn(generation, reload);

  if (item.status === 'loading') return <p>Loading item {id}…</p>;
  if (item.status === 'error') return <ErrorNotice error={item.error} />;
  const d = item.data;

  const reprocess = async () => {
    const job = jobId('reprocess');
    setError(null);
    setOutcome(null);
    setProgress({ label: 'Reading', done: 0 });
    const unsubscribe = client.onEvent((event) => {
      if (event.topic === 'job.progress' && event.jobId === job)
        setProgress({ label: event.label, done: event.done });
    });
    try {
      const result = await client.call('quarantine.reprocess', { id, jobId: job });
      setOutcome(result);
      toast(
        result.status === 'imported' ? 'success' : 'error',
        result.status === 'imported'
          ? `Item ${id} imported: ${result.imported} event(s) added to the ledger.`
          : `Item ${id} was rejected again; it stays in quarantine with the new reasons.`,
      );
    } catch (e) {
      setError(asClientError(e));
    } finally {
      unsubscribe();
      setProgress(null);
      reload();
      onChanged();
    }
  };

  return (
    <div data-testid="quarantine-detail">
      <h3>
        Item {d.id}: {d.fileName}
      </h3>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="quarantine-status">
          {d.status === 'open'
            ? 'Open: waiting to be reprocessed or closed'
            : d.status === 'reprocessed'
              ? 'Reprocessed and imported'
              : 'Closed without importing'}
        </dd>
        <dt>What</dt>
        <dd>
          {d.kind === 'file'
            ? `A whole file (${d.records.toLocaleString()} records)`
            : 'One event of an imported file'}
        </dd>
        <dt>Format</dt>
        <dd>{formatLabel(d.format)}</dd>
        <dt>Source</dt>
        <dd>{d.source}</dd>
        <dt>Size</dt>
        <dd>{formatSize(d.size)}</dd>
        <dt>File hash (SHA-256)</dt>
        <dd className="mono">{d.fileHash}</dd>
        <dt>Quarantined</dt>
        <dd>
          {formatDateTime(d.openedMs)}
          {d.attempts > 0 ? `; tried again ${d.attempts} time(s) since` : ''}
        </dd>
        {d.resolution?.importedFile !== undefined ? (
          <>
            <dt>Imported as</dt>
            <dd>file {d.resolution.importedFile}</dd>
          </>
        ) : null}
        {d.resolution?.reason !== undefined ? (
          <>
            <dt>Closed</dt>
            <dd data-testid="quarantine-close-reason">
              “{d.resolution.reason}”
              {d.resolution.signature === undefined && d.resolution.closedBy
                ? ` — by ${d.resolution.closedBy} (no electronic signature)`
                : ''}
              {d.resolution.closedMs !== undefined ? `, ${formatDateTime(d.resolution.closedMs)}` : ''}
            </dd>
          </>
        ) : null}
        <SignedRow signature={d.resolution?.signature} testId="quarantine-signature" />
      </dl>
      {d.suspect ? (
        <Notice kind="error" title="A reason flags suspect product">
          Activity on a decommissioned or flagged serial may mean suspect product (FD&C Act §581(21)). Open an
          investigation under Receiving if this product is on your shelf.
        </Notice>
      ) : null}
      <h4>Why it was rejected ({d.reasons.length})</h4>
      <FindingsTable reasons={d.reasons} caption={`Reasons item ${d.id} was rejected`} />

      <div className="toolbar quarantine-actions">
        {d.status === 'open' ? (
          <>
            <Button
              variant="primary"
              disabled={progress !== null || d.kind === 'event'}
              onClick={() => void reprocess()}
            >
              Reprocess
            </Button>
            <Button onClick={() => setClosing(true)} disabled={progress !== null}>
              Close with a reason…
            </Button>
          </>
        ) : null}
        <Button variant="ghost" onClick={() => setShowRaw((s) => !s)} aria-expanded={showRaw}>
          {showRaw ? 'Hide raw bytes' : 'View raw bytes'}
        </Button>
      </div>
      {d.status === 'open' && d.kind === 'event' ? (
        <p className="field-hint">
          This event belongs to a file that was imported; it was rejected when its predecessor arrived. Ask
          the partner for a corrected event (an EPCIS error declaration and a corrective event), import that,
          then close this item with a reason.
        </p>
      ) : d.status === 'open' ? (
        <p className="field-hint">
          Reprocess once the master data is fixed (a trading partner added or authorized, a product or mapping
          saved): the same bytes are checked again, all or nothing.
        </p>
      ) : null}
      {progress ? <Progress label={progress.label} done={progress.done} total={null} /> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {outcome ? (
        <p
          role="status"
          data-testid="reprocess-result"
          className={outcome.status === 'imported' ? 'result-ok' : 'result-bad'}
        >
          {outcome.status === 'imported'
            ? `Imported: ${outcome.imported.toLocaleString()} event(s) added${outcome.duplicates ? `, ${outcome.duplicates} already there` : ''}${outcome.pending ? `, ${outcome.pending} pending` : ''}. The item is closed as reprocessed.`
            : outcome.status === 'already-imported'
              ? 'These bytes were already imported; nothing changed.'
              : 'Rejected again: the reasons above are the new ones.'}
        </p>
      ) : null}
      {showRaw ? <RawBytes id={d.id} /> : null}
      <CloseDialog
        open={closing}
        id={d.id}
        onClose={() => setClosing(false)}
        onClosed={() => {
          setClosing(false);
          toast('success', `Item ${d.id} closed; your signature and reason are in the ledger.`);
          reload();
          onChanged();
        }}
      />
    </div>
  );
}

function CloseDialog({
  open,
  id,
  onClose,
  onClosed,
}: {
  open: boolean;
  id: number;
  onClose: () => void;
  onClosed: () => void;
}) {
  const client = useClient();
  const me = useSession().principal;
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) {
      setReason('');
      setPassword('');
      setError(null);
    }
  }, [open]);
  const tooShort = reason.trim().length < 5;
  const ready = !tooShort && password !== '' && !busy;
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.call('quarantine.close', { id, reason: reason.trim(), password });
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
    <Dialog
      open={open}
      title={`Close quarantine item ${id} without importing`}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="danger" type="submit" form={`close-quarantine-${id}`} disabled={!ready}>
            {busy ? 'Signing…' : 'Sign and close'}
          </Button>
        </>
      }
    >
      <form
        id={`close-quarantine-${id}`}
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (ready) void submit();
        }}
      >
        <p>
          The bytes stay in quarantine for the record; nothing is imported. Closing is your electronic
          signature: your name, the reason, the time and a hash of this item are recorded in the ledger and
          cannot be changed later.
        </p>
        <TextAreaField
          label="Reason"
          value={reason}
          hint="For example: the partner sent a corrected file (invoice 4471); test data sent by mistake."
          onChange={(e) => setReason(e.target.value)}
          {...(reason.length > 0 && tooShort ? { error: 'Say why in at least 5 characters.' } : {})}
        />
        <SigningFacts
          printedName={me?.displayName ?? ''}
          meaning={`closed quarantine item: ${reason.trim() || '…'}`}
        />
        <SignaturePassword value={password} onChange={setPassword} />
        {error ? <ErrorNotice error={error} /> : null}
      </form>
    </Dialog>
  );
}
