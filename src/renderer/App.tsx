import { useEffect, useState } from 'react';
import type { Contract, OutputOf } from '../core/api';
import { useClient } from './api/context';
import { PAGES } from './pages';
import { Nav } from './shell/Nav';
import { StatusBar } from './shell/StatusBar';
import { useRoute } from './shell/useRoute';
import { ErrorBoundary } from './ui/ErrorBoundary';

type Info = OutputOf<Contract['system.info']>;

export function App() {
  const client = useClient();
  const [area] = useRoute();
  const [info, setInfo] = useState<Info>();
  const [infoError, setInfoError] = useState<string>();

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
    const unsubscribe = client.onEvent((event) => {
      if (event.topic === 'ledger.changed' || event.topic === 'ledger.alarm') void refresh();
    });
    const timer = setInterval(refresh, 30_000);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [client]);

  const Current = PAGES[area];
  return (
    <div className="app" data-ready={info ? 'true' : 'false'}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Nav current={area} />
      <main id="main" className="main">
        <ErrorBoundary resetKey={area}>
          <Current />
        </ErrorBoundary>
      </main>
      <StatusBar info={info} error={infoError} />
    </div>
  );
}
