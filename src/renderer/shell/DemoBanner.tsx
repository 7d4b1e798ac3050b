import { useEffect, useState } from 'react';
import type { Contract, OutputOf } from '../../core/api';
import { asClientError, type ClientError } from '../api/client';
import { useClient } from '../api/context';
import { ROLE_LABEL } from '../session/roles';
import { useSession } from '../session/SessionProvider';
import { Button } from '../ui/Button';

type DemoStatus = OutputOf<Contract['demo.status']>;

/**
 * The DEMO mark on every screen, from the ledger itself (its registrant says demo): sign-in, lock,
 * every page. While the workstation shows the demo, leaving it or starting it afresh is one click.
 */
export function DemoBanner() {
  const client = useClient();
  const session = useSession();
  const [status, setStatus] = useState<DemoStatus>();
  const [busy, setBusy] = useState<'leave' | 'reset' | null>(null);
  const [error, setError] = useState<ClientError>();

  useEffect(() => {
    if (!session.demo) return;
    let live = true;
    client
      .call('demo.status', {})
      .then((value) => live && setStatus(value))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, session.demo]);

  if (!session.demo) return null;
  const act = async (what: 'leave' | 'reset') => {
    setBusy(what);
    setError(undefined);
    try {
      setStatus(await client.call(what === 'leave' ? 'demo.leave' : 'demo.reset', {}));
      window.location.hash = '';
      await session.refresh();
    } catch (failure) {
      setError(asClientError(failure));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="demo-banner" role="region" aria-label="Demo" data-testid="demo-banner">
      <strong className="demo-mark">DEMO</strong>
      <span>
        {status?.title ?? 'Demo data'}: a fictional pharmacy to look around in, not a compliance record.
      </span>
      {error ? <span className="demo-error">{error.message}</span> : null}
      {status?.active ? (
        <span className="demo-actions">
          <Button
            variant="ghost"
            onClick={() => void act('reset')}
            disabled={busy !== null}
            title="Throw this demo away and load the month afresh"
          >
            {busy === 'reset' ? 'Starting afresh…' : 'Start the demo afresh'}
          </Button>
          <Button variant="ghost" onClick={() => void act('leave')} disabled={busy !== null}>
            {busy === 'leave' ? 'Leaving…' : 'Leave the demo'}
          </Button>
        </span>
      ) : null}
    </div>
  );
}

/** The demo's people and their passwords, with a button that fills the sign-in form. */
export function DemoPeople({ onPick }: { onPick: (username: string, password: string) => void }) {
  const query = useDemoStatus();
  if (!query || query.people.length === 0) return null;
  return (
    <section className="demo-people" aria-labelledby="demo-people-title" data-testid="demo-people">
      <h2 id="demo-people-title">Demo people</h2>
      <p className="field-hint">
        One per role. Their passwords are part of the demo: never use them for real.
      </p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Password</th>
            <th scope="col">
              <span className="visually-hidden">Sign in</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {query.people.map((p) => (
            <tr key={p.username}>
              <td className="mono">{p.username}</td>
              <td>{p.displayName}</td>
              <td>{p.roles.map((r) => ROLE_LABEL[r]).join(', ')}</td>
              <td className="mono nowrap">{p.password}</td>
              <td>
                <Button variant="ghost" onClick={() => onPick(p.username, p.password)}>
                  Use
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The demo's status: undefined while asking, null when the core could not say. */
export function useDemoStatus(): DemoStatus | null | undefined {
  const client = useClient();
  const [status, setStatus] = useState<DemoStatus | null>();
  useEffect(() => {
    let live = true;
    client
      .call('demo.status', {})
      .then((value) => live && setStatus(value))
      .catch(() => live && setStatus(null));
    return () => {
      live = false;
    };
  }, [client]);
  return status;
}
