import { useQuery } from '../api/context';
import { ErrorNotice } from '../ui/Notice';
import { Page } from './Page';

export function Settings() {
  const info = useQuery('system.info', {});
  return (
    <Page
      title="Settings"
      intro="This installation. Users, registrant details and partners arrive with later versions."
    >
      {info.status === 'error' ? <ErrorNotice error={info.error} /> : null}
      {info.status === 'ok' ? (
        <dl className="facts">
          <dt>Version</dt>
          <dd>{info.data.version}</dd>
          <dt>Data directory</dt>
          <dd data-testid="data-dir">{info.data.dataDir}</dd>
          <dt>Connection</dt>
          <dd>{info.data.transport === 'ipc' ? 'Desktop window' : 'Headless host on 127.0.0.1'}</dd>
          <dt>Ledger</dt>
          <dd>{info.data.ledger.message}</dd>
        </dl>
      ) : null}
    </Page>
  );
}
