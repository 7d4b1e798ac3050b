import { useEffect, useId, useState, type ReactNode } from 'react';
import type { ClientError } from '../api/client';
import { Button } from './Button';
import { Dialog } from './Dialog';
import { ErrorNotice } from './Notice';
import { SignaturePassword, SigningFacts } from './SigningFacts';

export type Meaning =
  | 'initiated'
  | 'approved'
  | 'witnessed'
  | 'rejected'
  | 'explained'
  | 'signed-off'
  | 'counted'
  | 'escalated'
  | 'sealed'
  | 'submitted'
  | 'dismissed';

const MEANING_TEXT: Record<Meaning, string> = {
  initiated: 'I initiated this record and it is true and complete.',
  approved: 'I have checked this transaction and approve posting it to inventory.',
  witnessed: 'I witnessed this.',
  rejected: 'I reject this transaction; nothing posts to inventory.',
  explained: 'This explanation of the discrepancy is true to my knowledge.',
  'signed-off': 'I have reviewed the explanation and close this discrepancy.',
  counted: 'I counted this stock myself and recorded what I counted.',
  escalated: 'I escalate this discrepancy to a theft or significant loss (DEA Form 106).',
  sealed: 'This inventory is complete and true as counted.',
  submitted: 'I submitted exactly this file to DEA.',
  dismissed: 'I decided this item is not sent to the partner, for the reason given.',
};

/**
 * An electronic signature (21 CFR 11.50, 11.200): the signer re-enters their password, and sees
 * beforehand exactly what the signature will say: printed name, date and time, and its meaning.
 */
export function SignatureDialog({
  open,
  title,
  meaning,
  printedName,
  subject,
  subjectHash,
  children,
  confirmLabel,
  danger,
  ready = true,
  onSign,
  onClose,
}: {
  open: boolean;
  title: string;
  meaning: Meaning;
  printedName: string;
  subject?: ReactNode;
  subjectHash?: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  /** False while fields the caller put in `children` are incomplete. */
  ready?: boolean;
  onSign: (password: string) => Promise<void>;
  onClose: () => void;
}) {
  const formId = useId();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ClientError>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    setPassword('');
    setError(undefined);
  }, [open]);

  const sign = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onSign(password);
    } catch (failure) {
      setError(failure as ClientError);
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant={danger ? 'danger' : 'primary'}
            type="submit"
            form={formId}
            disabled={busy || !password || !ready}
          >
            {busy ? 'Signing…' : confirmLabel}
          </Button>
        </>
      }
    >
      {subject ? <div className="signature-subject">{subject}</div> : null}
      {children}
      <form
        id={formId}
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (password && ready && !busy) void sign();
        }}
      >
        <SigningFacts
          printedName={printedName}
          meaning={meaning}
          explanation={MEANING_TEXT[meaning]}
          {...(subjectHash ? { subjectHash } : {})}
        />
        <SignaturePassword value={password} onChange={setPassword} />
        {error ? <ErrorNotice error={error} /> : null}
      </form>
    </Dialog>
  );
}
