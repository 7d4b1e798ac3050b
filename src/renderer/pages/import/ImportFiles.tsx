import { useEffect, useRef, useState } from 'react';
import type { Contract, InputOf, OutputOf } from '../../../core/api';
import { bytesToBase64 } from '../../api/base64';
import { asClientError, type ClientError } from '../../api/client';
import { useClient, useQuery, useReloadOn } from '../../api/context';
import { MAX_STREAMED_UPLOAD_BYTES, uploadFile } from '../../api/uploads';
import { Button } from '../../ui/Button';
import { SelectField } from '../../ui/Form';
import { ErrorNotice } from '../../ui/Notice';
import { Progress } from '../../ui/Progress';
import { DropZone } from './DropZone';
import { FindingsTable } from './FindingsTable';
import { FORMAT_LABEL, formatLabel, formatSize, MAX_UPLOAD_BYTES } from './formats';
import { jobId } from './jobId';
import { PartnerMappingFields } from './PartnerMappingFields';

type Result = OutputOf<Contract['ingest.import']>['results'][number];
type Format = NonNullable<InputOf<Contract['ingest.import']>['format']>;

interface Queued {
  readonly key: number;
  readonly file: File;
  readonly phase: 'waiting' | 'running' | 'done' | 'failed' | 'refused';
  readonly job?: string;
  /** Upload progress has a total (bytes); import progress counts records without one. */
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
  const reloadPartners = partners.reload;
  useReloadOn(generation, reloadPartners);
  const [partnerId, setPartnerId] = useState('');
  const [mappingId, setMappingId] = useState('');
  const [format, setFormat] = useState('');
  const [queue, setQueue] = useState<Queued[]>([]);
  const running = useRef(false);
  // The running file's upload, while its bytes are still on their way to the host (Cancel stops it).
  const uploading = useRef<{ key: number; controller: AbortController } | null>(null);
  // In the browser, files stream to the host (up to 2 GiB); the desktop window names the file's
  // path and the core reads it (any size), or, for a file not on disk, sends its bytes inside the
  // call, where the contract takes MAX_UPLOAD_BYTES.
  const streamed = client.transport === 'http';
  const limitOf = (file: File) =>
    streamed
      ? MAX_STREAMED_UPLOAD_BYTES
      : client.pathOf(file) !== undefined
        ? Number.POSITIVE_INFINITY
        : MAX_UPLOAD_BYTES;

  const update = (key: number, patch: Partial<Queued>) =>
    setQueue((all) => all.map((q) => (q.key === key ? { ...q, ...patch } : q)));

  const add = (files: File[]) => {
    const options = { partnerId, mappingId, format };
    const items = files.map((file): Queued =>
      file.size > limitOf(file)
        ? {
            key: nextKey++,
            file,
            options,
            phase: 'refused',
            note: `This file is ${formatSize(file.size)}; files up to ${formatSize(limitOf(file))} can be sent from this window. Import it with "custodia import FILE --data DIR" on the workstation.`,
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
    const uploadLabel = `Uploading ${next.file.name}`;
    update(next.key, {
      phase: 'running',
      job,
      progress: streamed
        ? { label: uploadLabel, done: 0, total: next.file.size }
        : { label: `Reading ${next.file.name}`, done: 0 },
    });
    const unsubscribe = client.onEvent((event) => {
      if (event.topic === 'job.progress' && event.jobId === job)
        update(next.key, { progress: { label: event.label, done: event.done } });
    });
    const { partnerId: p, mappingId: m, format: f } = next.options;
    void (async () => {
      try {
        let file: InputOf<Contract['ingest.import']>['files'][number];
        if (streamed) {
          const controller = new AbortController();
          uploading.current = { key: next.key, controller };
          const staged = await uploadFile(next.file, {
            signal: controller.signal,
            onProgress: (sent, total) =>
              update(next.key, { progress: { label: uploadLabel, done: sent, total } }),
          });
          uploading.current = null;
          update(next.key, { progress: { label: `Reading ${next.file.name}`, done: 0 } });
          file = { upload: staged.upload, name: next.file.name };
        } else {
          const onDisk = client.pathOf(next.file);
          file =
            onDisk !== undefined
              ? { path: onDisk }
              : {
                  name: next.file.name,
                  base64: bytesToBase64(new Uint8Array(await next.file.arrayBuffer())),
                };
        }
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
        uploading.current = null;
        unsubscribe();
        running.current = false;
        onChanged();
        // Wake the effect for the next waiting file.
        setQueue((all) => [...all]);
      }
    })();
  }, [queue, client, onChanged, streamed]);

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
              if (uploading.current?.key === q.key) uploading.current.controller.abort();
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
            label={item.progress?.label ?? 'Reading'}
            done={item.progress?.done ?? 0}
            total={item.progress?.total ?? null}
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
