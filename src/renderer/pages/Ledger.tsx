import type { ColumnDef } from '@tanstack/react-table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Contract, OutputOf } from '../../core/api';
import { asClientError, type ClientError } from '../api/client';
import { useClient, useQuery } from '../api/context';
import { formatDateTime } from '../forms/format';
import { Button } from '../ui/Button';
import { Field, SelectField } from '../ui/Form';
import { ErrorNotice, Notice } from '../ui/Notice';
import { Progress } from '../ui/Progress';
import { useToast } from '../ui/Toasts';
import { VirtualTable } from '../ui/VirtualTable';
import { LedgerEntryDetail } from './LedgerEntryDetail';
import { useActorNames } from './ledger/actors';
import { ENTRY_CATEGORIES, entryWords } from './ledger/entryWords';
import { Page } from './Page';

type Entry = OutputOf<Contract['ledger.entries']>['entries'][number];
type Verdict = OutputOf<Contract['ledger.verify']>;
interface Filters {
  readonly category: string;
  readonly types: string;
  readonly from: string;
  readonly to: string;
}

const columnsWith = (nameOf: (actor: string) => string): ColumnDef<Entry, unknown>[] => [
  { header: 'Seq', accessorKey: 'seq', size: 70 },
  {
    header: 'Time',
    accessorKey: 'time',
    size: 190,
    cell: (cell) => formatDateTime(cell.getValue() as number, 'seconds'),
  },
  {
    header: 'What',
    accessorKey: 'type',
    size: 250,
    cell: (cell) => <span title={cell.row.original.type}>{entryWords(cell.row.original.type)}</span>,
  },
  { header: 'Who', accessorKey: 'actor', size: 170, cell: (cell) => nameOf(cell.row.original.actor) },
  { header: 'Summary', accessorKey: 'summary' },
];

/** #/ledger/<seq>: a record a link elsewhere points at (a trace's raw event). */
function seqFromHash(): number | null {
  const m = /^#\/ledger\/(\d+)$/.exec(window.location.hash);
  return m ? Number(m[1]) : null;
}

export function Ledger() {
  const status = useQuery('ledger.status', {});
  const [filters, setFilters] = useState<Filters>({ category: '', types: '', from: '', to: '' });
  const [selected, setSelected] = useState<number | null>(seqFromHash);
  useEffect(() => {
    const onHash = () => {
      const seq = seqFromHash();
      if (seq !== null) setSelected(seq);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return (
    <Page
      title="Ledger"
      intro="Every record since the first, in order. Each is sealed into a signed Merkle tree, so any change is detectable."
    >
      {status.status === 'error' ? <ErrorNotice error={status.error} /> : null}
      {status.status === 'ok' ? (
        <>
          {status.data.alarms.map((alarm) => (
            <Notice key={`${alarm.kind}-${alarm.time}`} kind="error" title={`Integrity alarm: ${alarm.kind}`}>
              {alarm.message}
              {alarm.seq !== null ? ` (record ${alarm.seq})` : ''} — {formatDateTime(alarm.time, 'seconds')}
            </Notice>
          ))}
          <p data-testid="ledger-summary">
            {status.data.message}
            {status.data.size !== null ? ` ${status.data.size.toLocaleString()} records.` : ''}
          </p>
        </>
      ) : null}
      <div className="toolbar">
        <VerifyButton onDone={status.reload} />
        <ExportButton />
      </div>
      <CheckpointPanel />
      <FilterBar value={filters} onApply={setFilters} />
      <div className="split">
        <EntryList filters={filters} selected={selected} onSelect={setSelected} />
        <aside className="detail" aria-label="Record detail">
          {selected === null ? (
            <p className="field-hint">
              Choose a record to see its exact bytes and the proof that it is in the ledger.
            </p>
          ) : (
            <LedgerEntryDetail seq={selected} />
          )}
        </aside>
      </div>
    </Page>
  );
}

function EntryList({
  filters,
  selected,
  onSelect,
}: {
  filters: Filters;
  selected: number | null;
  onSelect: (seq: number) => void;
}) {
  const client = useClient();
  const nameOf = useActorNames();
  const columns = useMemo(() => columnsWith(nameOf), [nameOf]);
  const [rows, setRows] = useState<Entry[]>([]);
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [loading, setLoading] = useState(false);

  const query = useCallback(
    (beforeSeq?: number) => ({
      limit: 200,
      ...(beforeSeq !== undefined ? { beforeSeq } : {}),
      ...(filters.types.trim() || filters.category
        ? {
            types: [
              ...(ENTRY_CATEGORIES[filters.category]?.prefixes ?? []),
              ...filters.types
                .split(',')
                .map((t) => t.trim())
                .filter(Boolean),
            ],
          }
        : {}),
      ...(filters.from ? { fromMs: new Date(`${filters.from}T00:00:00`).getTime() } : {}),
      ...(filters.to ? { toMs: new Date(`${filters.to}T23:59:59.999`).getTime() } : {}),
    }),
    [filters],
  );

  useEffect(() => {
    let live = true;
    setError(null);
    client
      .call('ledger.entries', query())
      .then((page) => {
        if (!live) return;
        setRows(page.entries);
        setTotal(page.total);
        setNext(page.nextBeforeSeq);
      })
      .catch((e: unknown) => live && setError(asClientError(e)));
    return () => {
      live = false;
    };
  }, [client, query]);

  const more = useCallback(() => {
    if (next === null || loading) return;
    setLoading(true);
    client
      .call('ledger.entries', query(next))
      .then((page) => {
        setRows((existing) => [...existing, ...page.entries]);
        setNext(page.nextBeforeSeq);
      })
      .catch((e: unknown) => setError(asClientError(e)))
      .finally(() => setLoading(false));
  }, [client, query, next, loading]);

  if (error) return <ErrorNotice error={error} />;
  return (
    <VirtualTable
      caption="Ledger records, newest first"
      columns={columns}
      rows={rows}
      total={total}
      empty="No records match these filters."
      onNeedMore={more}
      onRowActivate={(entry) => onSelect(entry.seq)}
      selected={(entry) => entry.seq === selected}
    />
  );
}

function FilterBar({ value, onApply }: { value: Filters; onApply: (filters: Filters) => void }) {
  const [draft, setDraft] = useState(value);
  return (
    <form
      className="filters"
      aria-label="Filter records"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(draft);
      }}
    >
      <SelectField
        label="Category"
        value={draft.category}
        onChange={(e) => {
          const next = { ...draft, category: e.target.value };
          setDraft(next);
          onApply(next);
        }}
      >
        <option value="">Everything</option>
        {Object.entries(ENTRY_CATEGORIES).map(([id, c]) => (
          <option key={id} value={id}>
            {c.label}
          </option>
        ))}
      </SelectField>
      <Field
        label="Exact types (comma-separated)"
        value={draft.types}
        placeholder="e.g. receiving.accepted"
        onChange={(e) => setDraft({ ...draft, types: e.target.value })}
      />
      <Field
        label="From"
        type="date"
        value={draft.from}
        onChange={(e) => setDraft({ ...draft, from: e.target.value })}
      />
      <Field
        label="To"
        type="date"
        value={draft.to}
        onChange={(e) => setDraft({ ...draft, to: e.target.value })}
      />
      <Button type="submit">Apply filters</Button>
      <Button
        variant="ghost"
        onClick={() => {
          const cleared = { category: '', types: '', from: '', to: '' };
          setDraft(cleared);
          onApply(cleared);
        }}
      >
        Clear
      </Button>
    </form>
  );
}

function VerifyButton({ onDone }: { onDone: () => void }) {
  const client = useClient();
  const [progress, setProgress] = useState<{ label: string; done: number; total: number | null } | null>(
    null,
  );
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [error, setError] = useState<ClientError | null>(null);

  const verify = async () => {
    const jobId = `verify-${Date.now()}`;
    setVerdict(null);
    setError(null);
    setProgress({ label: 'Verifying every record', done: 0, total: null });
    const unsubscribe = client.onEvent((event) => {
      if (event.topic === 'job.progress' && event.jobId === jobId) {
        setProgress({ label: event.label, done: event.done, total: event.total });
      }
    });
    try {
      setVerdict(await client.call('ledger.verify', { jobId }));
    } catch (e) {
      setError(asClientError(e));
    } finally {
      unsubscribe();
      setProgress(null);
      onDone();
    }
  };

  return (
    <div className="verify">
      <Button variant="primary" onClick={() => void verify()} disabled={progress !== null}>
        Verify the whole ledger
      </Button>
      {progress ? <Progress label={progress.label} done={progress.done} total={progress.total} /> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {verdict ? (
        <p role="status" data-testid="verify-result" className={`result-${verdictClass(verdict.status)}`}>
          {explainVerdict(verdict)}
        </p>
      ) : null}
    </div>
  );
}

function ExportButton() {
  const client = useClient();
  const cli = useQuery('system.info', {});
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [exported, setExported] = useState<OutputOf<Contract['audit.export']> | null>(null);
  const run = async () => {
    setBusy(true);
    try {
      const result = await client.call('audit.export', {});
      setExported(result);
      toast('success', `Audit bundle written: records ${result.first}–${result.end - 1}.`);
    } catch (e) {
      toast('error', asClientError(e).message);
    } finally {
      setBusy(false);
    }
  };
  const link = exported ? client.exportLink(exported.path) : undefined;
  return (
    <div>
      <Button onClick={() => void run()} disabled={busy}>
        {busy ? 'Exporting…' : 'Export audit bundle'}
      </Button>
      {exported ? (
        <p data-testid="export-result">
          Saved to <span className="mono">{exported.path}</span>.{' '}
          {link ? (
            <a href={link.href} download={link.name}>
              Download it
            </a>
          ) : null}{' '}
          The auditor checks it with{' '}
          <span className="mono">
            {cli.status === 'ok' ? cli.data.cli : 'custodia'} audit verify FILE --trusted-key …
          </span>{' '}
          and this key:{' '}
          <span className="mono" data-testid="verifier-key">
            {exported.verifierKey}
          </span>
        </p>
      ) : null}
    </div>
  );
}

function CheckpointPanel() {
  const checkpoint = useQuery('ledger.checkpoint', {});
  const toast = useToast();
  if (checkpoint.status !== 'ok')
    return checkpoint.status === 'error' ? <ErrorNotice error={checkpoint.error} /> : null;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(checkpoint.data.note);
      toast('success', 'Checkpoint copied. Paste it into a message to your trading partner or auditor.');
    } catch {
      toast('error', 'The clipboard is not available here: select the text and copy it by hand.');
    }
  };
  return (
    <details className="detail checkpoint">
      <summary>
        Current signed checkpoint: {checkpoint.data.size.toLocaleString()} records, root{' '}
        <span className="mono">{checkpoint.data.root.slice(0, 16)}…</span>
      </summary>
      <pre data-testid="checkpoint-note">{checkpoint.data.note}</pre>
      <Button onClick={() => void copy()}>Copy checkpoint</Button>
      <p className="field-hint">
        Verification key: <span className="mono">{checkpoint.data.verifierKey}</span>
      </p>
    </details>
  );
}

/** What a verdict means for the person reading it, in plain words. */
export function explainVerdict(verdict: Verdict): string {
  switch (verdict.status) {
    case 'consistent':
      return `Intact: every record since the first (${verdict.records?.toLocaleString() ?? 'all'}) matches its signed checkpoints. ${verdict.message}`;
    case 'inconsistent':
      return `Not intact: ${verdict.message} Records from ${verdict.firstBadSeq ?? 'that point'} on cannot be trusted as they stand; keep this installation as it is and call your compliance officer.`;
    case 'unknown':
      return `Could not be checked completely: ${verdict.message} This is not a pass.`;
  }
}

function verdictClass(status: Verdict['status']): string {
  return status === 'consistent' ? 'ok' : status === 'inconsistent' ? 'bad' : 'unknown';
}
