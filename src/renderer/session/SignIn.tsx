import { useState } from 'react';
import type { ClientError } from '../api/client';
import { useClient } from '../api/context';
import { formatDateTime } from '../forms/format';
import { Button } from '../ui/Button';
import { Field, Form } from '../ui/Form';
import { DemoPeople } from '../shell/DemoBanner';
import { ErrorNotice, Notice } from '../ui/Notice';
import { GateFrame } from './GateFrame';
import { useSession } from './SessionProvider';

/** Who is at the shared desktop: each person signs in as themselves, so every entry names them. */
export function SignIn({ onCancel }: { onCancel?: () => void }) {
  const client = useClient();
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ClientError>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await client.call('auth.signIn', { username: username.trim(), password });
      setPassword('');
      await session.refresh();
    } catch (failure) {
      setPassword('');
      setError(failure as ClientError);
    } finally {
      setBusy(false);
    }
  };

  const lockedOut = error?.details?.rule === 'account-locked';
  const lockedUntil = typeof error?.details?.lockedUntil === 'string' ? error.details.lockedUntil : undefined;
  return (
    <GateFrame
      gate="sign-in"
      wide={session.demo}
      title="Sign in"
      intro={
        session.registrant
          ? `${session.registrant.name} · DEA ${session.registrant.deaNumber}. Everyone signs in as themselves: your name goes on every record you make.`
          : 'Everyone signs in as themselves: your name goes on every record you make.'
      }
    >
      <Form onSubmit={submit} label="Sign in">
        <Field
          label="Username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        {error && lockedOut ? (
          <Notice kind="error" title="This account is locked for now" testId="sign-in-locked">
            {error.message}
            {lockedUntil ? ` (until ${formatDateTime(lockedUntil, 'time')})` : ''}
          </Notice>
        ) : error && error.code === 'unauthenticated' ? (
          <Notice kind="error" title="Not signed in" testId="sign-in-error">
            {error.message} After several wrong tries the account locks for a while.
          </Notice>
        ) : error ? (
          <ErrorNotice error={error} />
        ) : null}
        <div className="form-actions">
          <Button variant="primary" type="submit" disabled={busy || !username || !password}>
            {busy ? 'Signing in…' : 'Sign in'}
          </Button>
          {onCancel ? (
            <Button variant="ghost" onClick={onCancel}>
              Back
            </Button>
          ) : null}
        </div>
      </Form>
      {session.demo ? (
        <DemoPeople
          onPick={(name, secret) => {
            setUsername(name);
            setPassword(secret);
          }}
        />
      ) : null}
    </GateFrame>
  );
}
