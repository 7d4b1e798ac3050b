import { useEffect, useRef, useState } from 'react';
import type { Contract, InputOf, OutputOf } from '../../../core/api';
import { asClientError, type ClientError } from '../../api/client';
import { useClient, useQuery, useReloadOn } from '../../api/context';
import { Button } from '../../ui/Button';
import { SelectField } from '../../ui/Form';
import { ErrorNotice } from '../../ui/Notice';
import { Progress } from '../../ui/Progress';
import { DropZone } from './DropZone';
import { FindingsTable } from './FindingsTable';
import { FORMAT_LABEL, formatLabel, formatSize } from './formats';
import { jobId } from './jobId';
import { PartnerMappingFields } from './PartnerMappingFields';

type Result = OutputOf<Contract['ingest.import']>['results'][number];
type Format = NonNullable<InputOf<Contract['ingest.import']>['format']>;

interface Queued {
  readonly key: number;
  readonly file: File;
  readonly phase: 'waiting' | 'running' | 'done' | 'failed' | 'refused';
  readonly job?: string;
  /** Sending progress has a total (bytes); import progress counts records without one. */
  readonly progress?: { label: string; done: number; total?: number };
  readonly result?: Result;
  readonly error?: ClientError;
  readonly note?: string;
  /** The options chosen when the file was dropped. */
  readonly options: { partnerId: string; mappingId: string; format: string };
}

let nextKey = 1;

/** Dropped files, imported one at a time, each with its progress and its outcome. */
export function ImportFiles({ generation, onChanged }: { generation: number; onChanged: () => void }) {
  const client = useClient();
  const partners = useQuery('partners.list', {});
  const info = useQuery('system.info', {});
  const cli = info.status === 'ok' ? info.data.cli : 'custodia';
  const reloadPartners = partners.reload;
  useReloadOn(generation, reloadPartners);
  const [partnerId, setPartnerId] = useState('');
  const [mappingId, setMappingId] = useState('');
  const [format, setFormat] = useState('');
  const [queue, setQueue] = useState<Queued[]>([]);
  const running = useRef(false);
  // The running file while the client is still getting it to the core (Cancel stops that). How it
  // goes (named by its path, streamed ahead, or inside the call) and how large it may be is the
  // client's to know.
  const staging = useRef<{ key: number; controller: AbortController } | null>(null);

  const update = (key: number, patch: Partial<Queued>) =>
    setQueue((all) => all.map((q) => (q.key === key ? { ...q, ...patch } : q)));

  const add = (files: File[]) => {
    const options = { partnerId, mappingId, format };
    const items = files.map((file): Queued =>
      file.size > client.fileLimit(file)
        ? {
            key: nextKey++,
            file,
            options,
            phase: 'refused',
            note: `This file is ${formatSize(file.size)}; files up to ${formatSize(client.fileLimit(file))} can be sent from this window. Import it with "${cli} import FILE --data DIR" on the workstation.`,
          }
        : { key: nextKey++, file, options, phase: 'waiting' },
    );
    setQueue((all) => [...items.reverse(), ...all]);
  };

  // One file at a time: each is its own all-or-nothing transaction and its own progress.
  useEffect(() => {
    if (running.current) return;
    const next = [...queue].reverse().find((q) => q.phase === 'waiting');
    if (next === undefined) return;
    running.current = true;
    const job = jobId('import');
    const reading = { label: `Reading ${next.file.name}`, done: 0 };
    update(next.key, { phase: 'running', job, progress: reading });
    const unsubscribe = client.onEvent((event) => {
      if (event.topic === 'job.progress' && event.jobId === job)
        update(next.key, { progress: { label: event.label, done: event.done } });
    });
    const { partnerId: p, mappingId: m, format: f } = next.options;
    void (async () => {
      try {
        const controller = new AbortController();
        staging.current = { key: next.key, controller };
        const file = await client.stageFile(next.file, {
          signal: controller.signal,
          // Only a file that travels before the call reports bytes sent; it starts at 0 at once.
          onProgress: (sent, total) =>
            update(next.key, { progress: { label: `Uploading ${next.file.name}`, done: sent, total } }),
        });
        staging.current = null;
        update(next.key, { progress: reading });
        const { results } = await client.call('ingest.import', {
          jobId: job,
          files: [file],
          ...(p ? { partnerId: Number(p) } : {}),
          ...(m ? { mappingId: Number(m) } : {}),
          ...(f ? { format: f as Format } : {}),
        });
        const result = results[0];
        update(next.key, { phase: 'done', ...(result ? { result } : {}) });
      } catch (e) {
        update(next.key, { phase: 'failed', error: asClientError(e) });
      } finally {
        staging.current = null;
        unsubscribe();
        running.current = false;
        onChanged();
        // Wake the effect for the next waiting file.
        setQueue((all) => [...all]);
      }
    })();
  }, [queue, client, onChanged]);

  const partnerList = partners.status === 'ok' ? partners.data.partners.filter((x) => x.role !== 'self') : [];
  const busy = queue.some((q) => q.phase === 'running' || q.phase === 'waiting');

  return (
    <section aria-labelledby="import-files-title">
      <h2 id="import-files-title">Import files</h2>
      <div className="filters" role="group" aria-label="Import options">
        <PartnerMappingFields
          partners={partnerList}
          partnerId={partnerId}
          mappingId={mappingId}
          onChange={(partner, mapping) => {
            setPartnerId(partner);
            setMappingId(mapping);
          }}
          labels={{
            partner: 'From trading partner',
            anyPartner: 'Found from the file',
            mapping: 'Column mapping',
          }}
        />
        <SelectField label="Format" value={format} onChange={(e) => setFormat(e.target.value)}>
          <option value="">Detect from the file</option>
          {Object.entries(FORMAT_LABEL).map(([id, label]) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </SelectField>
      </div>
      {partners.status === 'error' ? <ErrorNotice error={partners.error} /> : null}
      <DropZone onFiles={add} />
      {queue.length > 0 ? (
        <div className="toolbar import-toolbar">
          <span className="field-hint">
            {busy ? 'Importing… you can keep dropping files.' : `${queue.length} file(s) this session.`}
          </span>
          <Button
            variant="ghost"
            disabled={busy}
            onClick={() =>
              setQueue((all) => all.filter((q) => q.phase === 'running' || q.phase === 'waiting'))
            }
          >
            Clear the list
          </Button>
        </div>
      ) : null}
      <ol className="import-queue" aria-label="Files dropped in this session">
        {queue.map((q) => (
          <FileRow
            key={q.key}
            item={q}
            onCancel={() => {
              if (staging.current?.key === q.key) staging.current.controller.abort();
              else if (q.job) void client.call('ingest.cancel', { jobId: q.job });
            }}
          />
        ))}
      </ol>
    </section>
  );
}

function FileRow({ item, onCancel }: { item: Queued; onCancel: () => void }) {
  const r = item.result;
  return (
    <li className={`import-file import-file-${r?.status ?? item.phase}`} data-testid="import-file">
      <div className="import-file-head">
        <strong className="import-file-name">{item.file.name}</strong>
        <span className="field-hint">{formatSize(item.file.size)}</span>
        {r ? <span className="field-hint">{formatLabel(r.format)}</span> : null}
        {r ? <span className="field-hint">{r.events.toLocaleString()} records</span> : null}
        <StatusPill item={item} />
      </div>
      {item.phase === 'waiting' ? <p className="field-hint">Waiting for the file before it…</p> : null}
      {item.phase === 'running' ? (
        <div className="import-running">
          <Progress
            // Uploading counts bytes, reading counts records: each its own rate and estimate.
            key={item.progress?.total !== undefined ? 'upload' : 'read'}
            label={item.progress?.label ?? 'Reading'}
            done={item.progress?.done ?? 0}
            total={item.progress?.total ?? null}
            unit={item.progress?.total !== undefined ? 'bytes' : 'records'}
          />
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      ) : null}
      {item.note ? <p className="field-error">{item.note}</p> : null}
      {item.error ? <ErrorNotice error={item.error} /> : null}
      {r ? <Outcome result={r} /> : null}
    </li>
  );
}

function StatusPill({ item }: { item: Queued }) {
  const status = item.result?.status;
  const [kind, text] =
    status === 'imported'
      ? ['ok', 'Imported']
      : status === 'already-imported'
        ? ['info', 'Already imported']
        : status === 'quarantined'
          ? ['bad', 'Rejected: in quarantine']
          : status === 'cancelled'
            ? ['info', 'Cancelled']
            : item.phase === 'failed' || item.phase === 'refused'
              ? ['bad', 'Not imported']
              : item.phase === 'running'
                ? ['info', 'Importing']
                : ['info', 'Waiting'];
  return (
    <span className={`pill pill-${kind}`} data-testid="import-status">
      {text}
    </span>
  );
}

function Outcome({ result }: { result: Result }) {
  switch (result.status) {
    case 'imported':
      return (
        <p data-testid="import-outcome">
          {result.imported.toLocaleString()} event(s) added to the ledger
          {result.duplicates > 0 ? `, ${result.duplicates.toLocaleString()} already there` : ''}
          {result.pending > 0
            ? `, ${result.pending.toLocaleString()} waiting for an earlier event from the partner (pending, re-checked when it arrives)`
            : ''}
          {result.resolved > 0
            ? `; ${result.resolved.toLocaleString()} earlier pending event(s) settled`
            : ''}
          .
        </p>
      );
    case 'already-imported':
      return (
        <p data-testid="import-outcome">
          This exact file was imported before; nothing changed. Its records are already in the ledger.
        </p>
      );
    case 'cancelled':
      return (
        <p data-testid="import-outcome">
          Cancelled: nothing of this file was kept; the ledger records only the cancellation.
        </p>
      );
    case 'quarantined':
      return (
        <div data-testid="import-outcome">
          <p>
            Nothing of this file was imported. It waits in quarantine
            {result.quarantineId !== undefined ? (
              <>
                {' '}
                as <a href={`#/import/quarantine/${result.quarantineId}`}>item {result.quarantineId}</a>
              </>
            ) : null}{' '}
            with its bytes and every reason. Fix the master data (or ask the partner for a corrected file),
            then reprocess it there.
          </p>
          <FindingsTable reasons={result.reasons} caption={`Why ${result.file} was rejected`} />
        </div>
      );
  }
}
