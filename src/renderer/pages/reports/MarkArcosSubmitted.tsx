import { useState } from 'react';
import { createPortal } from 'react-dom';
import type { Contract, OutputOf } from '../../../core/api';
import { useClient } from '../../api/context';
import { useSession } from '../../session/SessionProvider';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Form';
import { Notice } from '../../ui/Notice';
import { SignatureDialog } from '../../ui/SignatureDialog';

type Submitted = OutputOf<Contract['arcos.markSubmitted']>;

/**
 * After an ARCOS file is saved: once it is uploaded to DEA, the person who sent it marks it
 * submitted with their signature. From then on a correction of one of its transactions goes into
 * the next file as an adjustment (A) or deletion (D), and a late transaction as an insert (I).
 */
export function MarkArcosSubmitted({ sha256, fileName }: { sha256: string; fileName: string }) {
  const client = useClient();
  const me = useSession().principal;
  const [open, setOpen] = useState(false);
  const [confirmation, setConfirmation] = useState('');
  const [done, setDone] = useState<Submitted | null>(null);
  if (done) {
    return (
      <Notice kind="ok" title="Marked submitted to DEA" testId="arcos-submitted">
        ARCOS {done.period}: {done.records} record(s), signed by {done.submittedBy}
        {done.confirmation ? `, DEA confirmation ${done.confirmation}` : ''}; ledger entry {done.seq}.
      </Notice>
    );
  }
  return (
    <div className="toolbar">
      <Button onClick={() => setOpen(true)} data-testid="arcos-mark-submitted">
        Mark submitted to DEA…
      </Button>
      {/* The saved notice sits inside the report form: the dialog (a form of its own) is put at the
          document's end, and its submit stops here instead of also asking the report form for a preview. */}
      {createPortal(
        <div onSubmit={(event) => event.stopPropagation()}>
          <SignatureDialog
            open={open}
            title="Mark this ARCOS file submitted to DEA"
            meaning="submitted"
            printedName={me?.displayName ?? ''}
            subject={
              <p>
                {fileName}
                <br />
                <span className="mono">SHA-256 {sha256}</span>
              </p>
            }
            confirmLabel="Sign: submitted"
            onSign={async (password) => {
              const trimmed = confirmation.trim();
              setDone(
                await client.call('arcos.markSubmitted', {
                  sha256,
                  password,
                  ...(trimmed !== '' ? { confirmation: trimmed } : {}),
                }),
              );
              setOpen(false);
            }}
            onClose={() => setOpen(false)}
          >
            <Field
              label="DEA confirmation or upload number (optional)"
              value={confirmation}
              onChange={(event) => setConfirmation(event.target.value)}
              data-testid="arcos-confirmation"
            />
          </SignatureDialog>
        </div>,
        document.body,
      )}
    </div>
  );
}
