import { useEffect, useRef, useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import { asClientError, type ClientError } from '../../api/client';
import { useClient, useQuery, useReloadOn } from '../../api/context';
import { formatDateTime } from '../../forms/format';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Field } from '../../ui/Form';
import { ErrorNotice, Notice } from '../../ui/Notice';
import { Progress } from '../../ui/Progress';
import { PartnerMappingFields } from './PartnerMappingFields';
import { useSession } from '../../session/SessionProvider';
import { can } from '../../session/roles';

type Folder = OutputOf<Contract['folders.list']>['folders'][number];
type Status = Folder['status'];

const STATUS: Record<Status, [kind: 'ok' | 'bad' | 'wait' | 'info', text: string]> = {
  waiting: ['info', 'Not scanned yet'],
  ok: ['ok', 'Watching'],
  missing: ['bad', 'Folder missing'],
  unreadable: ['bad', 'Cannot read'],
  'not-a-folder': ['bad', 'Not a folder'],
  unreachable: ['bad', 'Unreachable'],
  error: ['bad', 'Scan stopped'],
};

const OUTCOME: Record<NonNullable<Folder['recent'][number]['outcome']>, string> = {
  imported: 'Imported',
  'already-imported': 'Already imported',
  quarantined: 'In quarantine',
  failed: 'Could not be read',
};

/**
 * Folders a partner portal downloads into: the core looks in each on a timer and imports new files
 * the same way as dropped ones. The path is typed (a browser page cannot open the workstation's
 * folder picker); the core checks it exists and is a folder before watching it.
 */
export function WatchedFolders({ generation, onChanged }: { generation: number; onChanged: () => void }) {
  const client = useClient();
  const { principal } = useSession();
  const folders = useQuery('folders.list', {});
  const partners = useQuery('partners.list', {});
  const { reload } = folders;
  const reloadPartners = partners.reload;
  const [progress, setProgress] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const [removing, setRemoving] = useState<Folder | null>(null);
  const [news, setNews] = useState<string | null>(null);
  // This window's own scans: their outcome is shown by reloading, not as news (events and the
  // call's answer can arrive in either order).
  const own = useRef(new Set<string>());

  useReloadOn(generation, reload);
  useReloadOn(generation, reloadPartners);

  // Scans by the core's timer or another window: their progress, and what they found. The list is
  // not reloaded by itself: every call counts as activity, and an unattended workstation must
  // still lock itself while files keep arriving. The person refreshes it.
  useEffect(
    () =>
      client.onEvent((event) => {
        if (!('jobId' in event) || !event.jobId.startsWith('folder-scan-')) return;
        if (event.topic === 'job.progress') setProgress(event.label);
        if (event.topic === 'job.finished') {
          setProgress(null);
          if (!own.current.has(event.jobId)) setNews(event.message);
        }
      }),
    [client],
  );

  const refresh = () => {
    setNews(null);
    reload();
  };

  const scan = (id?: number) => {
    setScanning(true);
    setError(null);
    client
      .call('folders.scan', id === undefined ? {} : { id })
      .then((r) => {
        own.current.add(r.jobId);
        if (r.results.some((x) => x.imported + x.quarantined > 0)) onChanged();
      })
      .catch((e: unknown) => setError(asClientError(e)))
      .finally(() => {
        setScanning(false);
        refresh();
      });
  };

  const list = folders.status === 'ok' ? folders.data.folders : [];
  const every = folders.status === 'ok' ? Math.round(folders.data.intervalMs / 1000) : 30;
  const partnerList = partners.status === 'ok' ? partners.data.partners.filter((p) => p.role !== 'self') : [];

  return (
    <section aria-labelledby="watched-title" className="panel" data-testid="watched-folders">
      <h2 id="watched-title">Watched folders</h2>
      <p className="field-hint">
        Custodia looks in each folder every {every} seconds and imports every new partner file (.xml, .json,
        .jsonld, .csv, .txt, .edi, .856, .x12) once it has stopped changing. It only reads them: nothing is
        moved or deleted. A file already imported is recognised by its contents; a rejected file waits in
        quarantine and is not tried again until it changes.
      </p>
      {folders.status === 'error' ? <ErrorNotice error={folders.error} /> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {progress !== null ? <Progress label={progress} done={0} total={null} /> : null}
      {news !== null && !scanning ? (
        <Notice kind="info" title="A scan found something" testId="watched-news">
          <p>{news}</p>
          <Button onClick={refresh}>Refresh the list</Button>
        </Notice>
      ) : null}
      {folders.status === 'ok' && list.length === 0 ? (
        <p>No folder is watched yet. Add the folder your partner portal downloads into below.</p>
      ) : null}
      {list.length > 0 ? (
        <>
          <div className="toolbar">
            <Button onClick={() => scan()} disabled={scanning}>
              {scanning ? 'Scanning…' : 'Scan all now'}
            </Button>
          </div>
          <ul className="cards" aria-label="Watched folders">
            {list.map((f) => (
              <FolderCard
                key={f.id}
                folder={f}
                busy={scanning || f.scanning}
                onScan={() => scan(f.id)}
                onRemove={() => setRemoving(f)}
              />
            ))}
          </ul>
        </>
      ) : null}
      {can.manageSettings(principal) ? (
        <AddFolder
          partners={partnerList}
          onAdded={() => {
            reload();
          }}
        />
      ) : (
        <p className="field-hint" data-testid="watched-folders-admin-only">
          Only an administrator adds a watched folder: it reads whatever this workstation can read, and
          imports it without anyone looking. Each folder above names who added it.
        </p>
      )}
      <Dialog
        open={removing !== null}
        title="Stop watching this folder?"
        onClose={() => setRemoving(null)}
        actions={
          <>
            <Button variant="ghost" onClick={() => setRemoving(null)}>
              Keep watching
            </Button>
            <Button
              variant="danger"
              onClick={() => {
                const folder = removing;
                setRemoving(null);
                if (folder === null) return;
                client
                  .call('folders.remove', { id: folder.id })
                  .catch((e: unknown) => setError(asClientError(e)))
                  .finally(reload);
              }}
            >
              Stop watching
            </Button>
          </>
        }
      >
        <p>
          Custodia stops looking in <span className="mono">{removing?.path}</span>. The files there stay where
          they are, and what was imported from them stays in the ledger. The ledger records that you stopped
          it.
        </p>
      </Dialog>
    </section>
  );
}

function FolderCard({
  folder: f,
  busy,
  onScan,
  onRemove,
}: {
  folder: Folder;
  busy: boolean;
  onScan: () => void;
  onRemove: () => void;
}) {
  const [kind, text] = f.scanning ? (['info', 'Scanning'] as const) : STATUS[f.status];
  const problem = kind === 'bad';
  return (
    <li
      className="card"
      data-testid="watched-folder"
      style={{ borderLeftColor: problem ? 'var(--bad)' : kind === 'ok' ? 'var(--ok)' : 'var(--line)' }}
    >
      <div className="card-head">
        <strong>{f.name}</strong>
        <span className="mono">{f.path}</span>
        <span className={`pill pill-${kind}`} data-testid="watched-folder-status">
          {text}
        </span>
      </div>
      <dl className="facts">
        <dt>From</dt>
        <dd>{f.partnerName ?? 'Found from each file'}</dd>
        <dt>Last scan</dt>
        <dd>{f.lastScanMs === null ? 'Not yet' : formatDateTime(f.lastScanMs)}</dd>
        <dt>Files</dt>
        <dd data-testid="watched-folder-counts">
          {f.files.imported} imported, {f.files.quarantined} in quarantine
          {f.files.alreadyImported > 0 ? `, ${f.files.alreadyImported} already imported before` : ''}
          {f.files.failed > 0 ? `, ${f.files.failed} could not be read` : ''}
          {f.files.waiting > 0 ? `, ${f.files.waiting} waiting until they stop changing` : ''}
        </dd>
        <dt>Added by</dt>
        <dd>
          {f.addedBy}, {formatDateTime(f.addedMs)}
        </dd>
      </dl>
      {problem ? (
        <Notice kind="error" title={text} testId="watched-folder-problem">
          {f.message}
        </Notice>
      ) : (
        <p className="field-hint">{f.message}</p>
      )}
      {f.recent.length > 0 ? (
        <details>
          <summary>Latest files</summary>
          <ul className="compact" aria-label={`Latest files in ${f.name}`}>
            {f.recent.map((file) => (
              <li key={file.name} data-testid="watched-file">
                <span className="mono">{file.name}</span>:{' '}
                {file.outcome === null ? 'Waiting until it stops changing' : OUTCOME[file.outcome]}
                {file.outcome === 'quarantined' && file.quarantineId !== null ? (
                  <>
                    {' '}
                    (<a href={`#/import/quarantine/${file.quarantineId}`}>item {file.quarantineId}</a>)
                  </>
                ) : null}
                {file.message && file.outcome !== 'quarantined' ? (
                  <span className="field-hint"> {file.message}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <div className="card-actions">
        <Button onClick={onScan} disabled={busy}>
          Scan now
        </Button>
        <Button variant="ghost" onClick={onRemove}>
          Stop watching
        </Button>
      </div>
    </li>
  );
}

function AddFolder({
  partners,
  onAdded,
}: {
  partners: OutputOf<Contract['partners.list']>['partners'];
  onAdded: () => void;
}) {
  const client = useClient();
  const [folderPath, setFolderPath] = useState('');
  const [name, setName] = useState('');
  const [partnerId, setPartnerId] = useState('');
  const [mappingId, setMappingId] = useState('');
  const [error, setError] = useState<ClientError | null>(null);
  const [saving, setSaving] = useState(false);
  return (
    <form
      className="form"
      aria-label="Watch a folder"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (folderPath.trim() === '') return;
        setSaving(true);
        setError(null);
        client
          .call('folders.add', {
            path: folderPath.trim(),
            ...(name.trim() ? { name: name.trim() } : {}),
            ...(partnerId ? { partnerId: Number(partnerId) } : {}),
            ...(mappingId ? { mappingId: Number(mappingId) } : {}),
          })
          .then(() => {
            setFolderPath('');
            setName('');
            onAdded();
          })
          .catch((e: unknown) => setError(asClientError(e)))
          .finally(() => setSaving(false));
      }}
    >
      <h3>Watch a folder</h3>
      <Field
        label="Folder path"
        value={folderPath}
        placeholder="/home/pharmacy/Downloads/portal or C:\Partner files"
        hint="The whole path of a folder on this workstation (or a share it has connected)."
        onChange={(e) => setFolderPath(e.target.value)}
      />
      <Field
        label="Name (optional)"
        value={name}
        hint="Shown here and recorded with each import; the folder's own name if left empty."
        onChange={(e) => setName(e.target.value)}
      />
      <div className="form-row">
        <PartnerMappingFields
          partners={partners}
          partnerId={partnerId}
          mappingId={mappingId}
          onChange={(partner, mapping) => {
            setPartnerId(partner);
            setMappingId(mapping);
          }}
          labels={{
            partner: 'Files come from',
            anyPartner: 'Found from each file',
            mapping: 'Column mapping for CSV files',
          }}
        />
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      <div>
        <Button variant="primary" type="submit" disabled={saving || folderPath.trim() === ''}>
          Watch this folder
        </Button>
      </div>
    </form>
  );
}
