import { useEffect, useState } from 'react';
import type { Contract, OutputOf } from '../core/api';
import { useClient } from './api/context';
import { PAGES } from './pages';
import { LockScreen } from './session/LockScreen';
import { SessionProvider, useSession } from './session/SessionProvider';
import { SignIn } from './session/SignIn';
import { useIdleLock } from './session/useIdleLock';
import { SetupFlow } from './setup/SetupFlow';
import { DemoBanner } from './shell/DemoBanner';
import { Nav } from './shell/Nav';
import { StatusBar } from './shell/StatusBar';
import { AlarmBanner } from './shell/AlarmBanner';
import { useRoute } from './shell/useRoute';
import { WorkQueueProvider } from './shell/workQueue';
import { GateFrame } from './session/GateFrame';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { ErrorNotice } from './ui/Notice';
import { useClearToasts } from './ui/Toasts';

type Info = OutputOf<Contract['system.info']>;

export function App() {
  return (
    <SessionProvider>
      <Frame />
    </SessionProvider>
  );
}

/** Every screen, with the DEMO mark above it when the ledger shown is the demo. */
function Frame() {
  const { demo, gate } = useSession();
  const clearToasts = useClearToasts();
  // One person's notices never follow into the next person's session or onto the lock screen.
  const holder = gate.phase === 'active' ? `active:${gate.principal.userId}` : gate.phase;
  useEffect(() => clearToasts(), [holder, clearToasts]);
  return (
    <div className={demo ? 'frame frame-demo' : 'frame'}>
      <DemoBanner />
      <Gatekeeper />
    </div>
  );
}

/** First run shows setup; otherwise a person signs in (or unlocks) before the workstation opens. */
function Gatekeeper() {
  const { gate } = useSession();
  switch (gate.phase) {
    case 'loading':
      return (
        <div className="gate" data-gate="loading">
          <p className="gate-card">Connecting to Custodia…</p>
        </div>
      );
    case 'unreachable':
      return (
        <GateFrame gate="unreachable" title="Custodia is not answering">
          <ErrorNotice error={gate.error} />
        </GateFrame>
      );
    case 'setup':
      return <SetupFlow />;
    case 'signed-out':
      return <SignIn />;
    case 'locked':
      return <LockScreen principal={gate.principal} lockedAt={gate.lockedAt} />;
    case 'active':
      return <Workstation />;
  }
}

function Workstation() {
  const client = useClient();
  const session = useSession();
  const [area] = useRoute();
  const [info, setInfo] = useState<Info>();
  const [infoError, setInfoError] = useState<string>();
  useIdleLock(session.principal !== null, session.settings?.idleLockMinutes ?? 5, () => void session.lock());

  useEffect(() => {
    const refresh = () =>
      client
        .call('system.info', {})
        .then((value) => {
          setInfo(value);
          setInfoError(undefined);
        })
        .catch((error: Error) => setInfoError(error.message));
    void refresh();
    // No timer: every call counts as activity for the session lock, so the status is refreshed
    // only when the core says something changed.
    return client.onEvent((event) => {
      if (event.topic === 'ledger.changed' || event.topic === 'ledger.alarm') void refresh();
    });
  }, [client]);

  const Current = PAGES[area];
  return (
    <div className="app" data-ready={info ? 'true' : 'false'}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <WorkQueueProvider>
        <Nav current={area} />
        <main id="main" className="main">
          <AlarmBanner ledger={info?.ledger} />
          <ErrorBoundary resetKey={area}>
            <Current />
          </ErrorBoundary>
        </main>
      </WorkQueueProvider>
      <StatusBar info={info} error={infoError} />
    </div>
  );
}
