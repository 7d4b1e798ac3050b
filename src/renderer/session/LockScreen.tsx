import { useState } from 'react';
import type { ClientError } from '../api/client';
import { useClient } from '../api/context';
import { formatDateTime } from '../forms/format';
import { Button } from '../ui/Button';
import { Field, Form } from '../ui/Form';
import { ErrorNotice, Notice } from '../ui/Notice';
import { GateFrame } from './GateFrame';
import type { Principal } from './roles';
import { useSession } from './SessionProvider';
import { SignIn } from './SignIn';

/**
 * The locked workstation: only the person who was signed in can reopen it with their password;
 * anyone else signs in as themselves (which ends the locked session).
 */
export function LockScreen({ principal, lockedAt }: { principal: Principal; lockedAt: string }) {
  const client = useClient();
  const session = useSession();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ClientError>();
  const [busy, setBusy] = useState(false);
  const [someoneElse, setSomeoneElse] = useState(false);

  if (someoneElse) return <SignIn onCancel={() => setSomeoneElse(false)} />;

  const unlock = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await client.call('auth.unlock', { password });
      await session.refresh();
    } catch (failure) {
      setError(failure as ClientError);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <GateFrame
      gate="locked"
      title="Workstation locked"
      intro={`Locked for ${principal.displayName} (${principal.username}) at ${formatDateTime(lockedAt, 'time')}. Nothing can be recorded until it is unlocked.`}
    >
      <Form onSubmit={unlock} label="Unlock">
        <Field
          label={`Password for ${principal.displayName}`}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error?.details?.rule === 'account-locked' ? (
          <Notice kind="error" title="This account is locked for now" testId="sign-in-locked">
            {error.message}
          </Notice>
        ) : error ? (
          <ErrorNotice error={error} />
        ) : null}
        <div className="form-actions">
          <Button variant="primary" type="submit" disabled={busy || !password}>
            Unlock
          </Button>
          <Button variant="secondary" onClick={() => setSomeoneElse(true)}>
            Sign in as someone else
          </Button>
        </div>
      </Form>
    </GateFrame>
  );
}
