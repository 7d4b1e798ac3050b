import type { Contract, OutputOf } from '../../core/api';
import { ROLE_LABEL } from '../session/roles';
import { useSession } from '../session/SessionProvider';
import { Button } from '../ui/Button';
import { SyncStatus } from './SyncStatus';

type Info = OutputOf<Contract['system.info']>;

const LEDGER_LABEL: Record<Info['ledger']['state'], string> = {
  'not-created': 'Ledger: not created yet',
  closed: 'Ledger: ready',
  open: 'Ledger: open',
  alarm: 'Ledger: ALARM',
  unavailable: 'Ledger: unavailable',
};

/** Always-visible facts: is the ledger healthy, who is signed in, is partner sync keeping up. */
export function StatusBar({ info, error }: { info?: Info; error?: string }) {
  const session = useSession();
  const person = session.principal;
  return (
    <footer className="statusbar" aria-label="Status">
      {error ? (
        <span className="status-item status-alarm">Core unreachable: {error}</span>
      ) : info ? (
        <>
          <span
            className={`status-item ${info.ledger.state === 'alarm' || info.ledger.state === 'unavailable' ? 'status-alarm' : ''}`}
            title={info.ledger.message}
            data-testid="status-ledger"
          >
            {LEDGER_LABEL[info.ledger.state]}
          </span>
          <span className="status-item" data-testid="status-sync">
            {person ? <SyncStatus /> : 'Partner sync'}
          </span>
          <span className="status-item status-right">
            Custodia {info.version} · {info.transport === 'ipc' ? 'desktop' : 'headless host'}
          </span>
        </>
      ) : (
        <span className="status-item">Connecting…</span>
      )}
      <span className={`status-item ${info || error ? '' : 'status-right'}`} data-testid="status-user">
        {person
          ? `Signed in: ${person.displayName} (${person.roles.map((r) => ROLE_LABEL[r]).join(', ')})`
          : 'Not signed in'}
      </span>
      {person ? (
        <span className="status-actions">
          <Button variant="ghost" onClick={() => void session.lock()} title="Lock the workstation now">
            Lock
          </Button>
          <Button variant="ghost" onClick={() => void session.signOut()}>
            Sign out
          </Button>
        </span>
      ) : null}
    </footer>
  );
}
