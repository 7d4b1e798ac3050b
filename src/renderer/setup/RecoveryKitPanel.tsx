import { useState } from 'react';
import type { ClientError } from '../api/client';
import { useClient, useQuery } from '../api/context';
import { passphraseProblem } from '../forms/identifiers';
import { Button } from '../ui/Button';
import { CheckboxField, Field, Form } from '../ui/Form';
import { ErrorNotice, Notice } from '../ui/Notice';
import { requestRecoveryKit, saveAsDownload, type KitResult } from './recoveryKit';
import { useSession } from '../session/SessionProvider';

/**
 * The recovery kit: every key of this installation sealed under a passphrase the person chooses.
 * Losing the OS keychain must not lose the ledger (architecture.md, "Keys and encryption"); with
 * the kit file and the passphrase, `custodia keys restore` brings it back on a new computer.
 */
export function RecoveryKitPanel({ onSaved, savedLabel }: { onSaved: () => void; savedLabel: string }) {
  const client = useClient();
  const info = useQuery('system.info', {});
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError>();
  const [kit, setKit] = useState<KitResult>();
  const [saved, setSaved] = useState(false);

  const weakness = passphrase ? passphraseProblem(passphrase) : undefined;
  const mismatch =
    touched && confirm !== passphrase ? 'The two entries differ; type the passphrase again.' : undefined;

  const make = async () => {
    setTouched(true);
    if (weakness || !passphrase || confirm !== passphrase) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await requestRecoveryKit(client, passphrase);
      setKit(result);
      if (result.kind === 'file') saveAsDownload(result.fileName, result.text);
    } catch (failure) {
      setError(failure as ClientError);
    } finally {
      setBusy(false);
      setPassphrase('');
      setConfirm('');
      setTouched(false);
    }
  };

  const dataDir = info.status === 'ok' ? info.data.dataDir : '<data folder>';
  const cli = info.status === 'ok' ? info.data.cli : 'custodia';
  const { principal } = useSession();
  return (
    <div className="kit" data-testid="recovery-kit">
      <p>
        If this computer's keychain is lost (a new computer, a reinstalled system), the ledger cannot be
        opened without its keys. The recovery kit is a file holding those keys, sealed under a passphrase you
        choose. Keep the file away from this computer (a USB stick in the safe) and the passphrase somewhere
        else. Custodia never stores the passphrase.
      </p>
      {kit === undefined ? (
        <Form onSubmit={make} label="Recovery kit passphrase">
          <Field
            label="Passphrase for the kit"
            type="password"
            autoComplete="new-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            hint="At least 15 characters; four or five unrelated words are easy to type and hard to guess."
            error={weakness}
          />
          <Field
            label="Passphrase again"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            error={mismatch}
          />
          {error ? <ErrorNotice error={error} /> : null}
          <div className="form-actions">
            <Button variant="primary" type="submit" disabled={busy || !passphrase || !confirm || !!weakness}>
              {busy ? 'Sealing the keys…' : 'Make and download the recovery kit'}
            </Button>
          </div>
        </Form>
      ) : kit.kind === 'file' ? (
        <Notice
          kind="ok"
          title={`The recovery kit was downloaded as ${kit.fileName}.`}
          testId="kit-downloaded"
        >
          Move it off this computer now. Without the passphrase the file is useless, so store them apart.
          {kit.notYetCreated.length > 0
            ? ` Some keys do not exist yet (${kit.notYetCreated.join(', ')}); make a new kit from Settings once the ledger has been used.`
            : ''}
          <div>
            <Button variant="ghost" onClick={() => saveAsDownload(kit.fileName, kit.text)}>
              Download it again
            </Button>
          </div>
        </Notice>
      ) : (
        <Notice kind="warn" title={kit.reason} testId="kit-unavailable">
          Make the kit from a terminal on this computer instead. The ledger takes one program at a time, so
          first close Custodia (the window, or Ctrl+C where `custodia serve` runs), then run the command below
          as the administrator (your username; your password is asked, or read from CUSTODIA_PASSWORD), with
          the kit&apos;s passphrase on its input or in CUSTODIA_PASSPHRASE; it never shows either.
          <pre className="mono">{`${cli} keys recovery-kit --user ${principal?.username ?? 'YOUR-USERNAME'} --data "${dataDir}" --out custodia-recovery-kit.txt`}</pre>
          Then move the file off this computer and keep the passphrase apart from it.
        </Notice>
      )}
      {kit ? (
        <div className="kit-confirm">
          <CheckboxField
            label="I have saved the recovery kit away from this computer, and I keep its passphrase separately."
            checked={saved}
            onChange={(e) => setSaved(e.target.checked)}
          />
          <Button variant="primary" disabled={!saved} onClick={onSaved}>
            {savedLabel}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
