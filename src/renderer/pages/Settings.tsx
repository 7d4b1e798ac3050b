import { useQuery } from '../api/context';
import { useSession } from '../session/SessionProvider';
import { RecoveryKitPanel } from '../setup/RecoveryKitPanel';
import { useSubRoute } from '../shell/useSubRoute';
import { ErrorNotice } from '../ui/Notice';
import { Tabs } from '../ui/Tabs';
import { useToast } from '../ui/Toasts';
import { Page } from './Page';
import { Arcos } from './settings/Arcos';
import { Backups } from './settings/Backups';
import { MyPassword } from './settings/MyPassword';
import { Users } from './settings/Users';
import { Workstation } from './settings/Workstation';

const TABS = [
  { id: 'installation', label: 'Installation' },
  { id: 'people', label: 'People and roles' },
  { id: 'workstation', label: 'Lock and counts' },
  { id: 'arcos', label: 'ARCOS' },
  { id: 'password', label: 'My password' },
  { id: 'recovery', label: 'Recovery kit' },
  { id: 'backups', label: 'Backups' },
] as const;
type Tab = (typeof TABS)[number]['id'];

function Installation() {
  const info = useQuery('system.info', {});
  const registrant = useQuery('setup.registrant', {});
  return (
    <>
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
      <h2>Registrant</h2>
      {registrant.status === 'error' ? <ErrorNotice error={registrant.error} /> : null}
      {registrant.status === 'ok' ? (
        <dl className="facts" data-testid="registrant">
          <dt>Name</dt>
          <dd>{registrant.data.name}</dd>
          <dt>Business type</dt>
          <dd>{registrant.data.businessType}</dd>
          <dt>Address</dt>
          <dd>
            {[
              registrant.data.address.line1,
              registrant.data.address.line2,
              `${registrant.data.address.city}, ${registrant.data.address.state} ${registrant.data.address.zip}`,
            ]
              .filter(Boolean)
              .join(', ')}
          </dd>
          <dt>DEA registration</dt>
          <dd>{registrant.data.deaNumber}</dd>
          <dt>State license</dt>
          <dd>{registrant.data.stateLicense}</dd>
          <dt>GLNs</dt>
          <dd>{registrant.data.glns.join(', ') || 'none recorded'}</dd>
        </dl>
      ) : null}
    </>
  );
}

export function Settings() {
  const session = useSession();
  const toast = useToast();
  const [tab] = useSubRoute<Tab>(
    'settings',
    TABS.map((t) => t.id),
    'installation',
  );
  return (
    <Page title="Settings" intro="This installation, its people and roles, and the workstation lock.">
      <Tabs label="Settings sections" area="settings" tabs={TABS} current={tab} />
      {tab === 'installation' ? <Installation /> : null}
      {tab === 'people' ? <Users /> : null}
      {tab === 'workstation' ? <Workstation /> : null}
      {tab === 'arcos' ? <Arcos /> : null}
      {tab === 'password' ? <MyPassword /> : null}
      {tab === 'backups' ? <Backups /> : null}
      {tab === 'recovery' ? (
        <RecoveryKitPanel
          savedLabel="Done"
          onSaved={() =>
            toast('success', `Recovery kit saved by ${session.principal?.displayName ?? 'you'}.`)
          }
        />
      ) : null}
    </Page>
  );
}
