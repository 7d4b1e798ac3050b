import { useEffect, useState } from 'react';
import type { ClientError } from '../../api/client';
import { useClient, useQuery } from '../../api/context';
import { Button } from '../../ui/Button';
import { Field, Form } from '../../ui/Form';
import { ErrorNotice, Notice } from '../../ui/Notice';
import { useToast } from '../../ui/Toasts';

/**
 * Backups of the ledger (issue 17): into a folder the administrator chooses, after each import and
 * daily, encrypted as the ledger is, each with the signed checkpoint it holds. After an integrity
 * alarm, `custodia backup restore FILE` puts one back if it is as new as the last checkpoint.
 */
export function Backups() {
  const client = useClient();
  const toast = useToast();
  const state = useQuery('ledger.backups', {});
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError>();
  useEffect(() => {
    if (state.status === 'ok' && state.data.folder !== null) setFolder(state.data.folder);
  }, [state]);

  const backUp = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await client.call('ledger.backup', folder ? { folder } : {});
      toast('success', `Backed up: ${result.backups[0]?.records ?? 0} records.`);
      state.reload();
    } catch (failure) {
      setError(failure as ClientError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="page-intro">
        Backups go to this folder after each import and once a day, encrypted with this installation&apos;s
        key. Keep the folder on another disk or a drive you take home.
      </p>
      {state.status === 'error' ? <ErrorNotice error={state.error} /> : null}
      {error ? <ErrorNotice error={error} /> : null}
      <Form onSubmit={() => void backUp()} label="Backups">
        <Field
          label="Backup folder"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          placeholder="/media/backup-drive/custodia"
          hint="A full path on this computer; it is remembered."
        />
        <Button type="submit" variant="primary" disabled={busy || !folder}>
          {busy ? 'Backing up…' : 'Back up now'}
        </Button>
      </Form>
      {state.status === 'ok' && state.data.folder === null ? (
        <Notice kind="warn" title="No backups yet">
          Choose a folder: without a backup, a damaged or rolled-back ledger can only go on by accepting the
          loss of records.
        </Notice>
      ) : null}
      {state.status === 'ok' && state.data.backups.length > 0 ? (
        <table className="table" data-testid="backups">
          <thead>
            <tr>
              <th>Made</th>
              <th>Records</th>
              <th>File</th>
            </tr>
          </thead>
          <tbody>
            {state.data.backups.map((b) => (
              <tr key={b.file}>
                <td>{new Date(b.madeMs).toLocaleString()}</td>
                <td>{b.records}</td>
                <td>
                  <code>{b.file}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
