import { useCallback, useState } from 'react';
import type { Contract, OutputOf } from '../../core/api';
import { useClient } from '../api/context';
import { useSubRoute } from '../shell/useSubRoute';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/Notice';
import { Tabs } from '../ui/Tabs';
import { asClientError, type ClientError } from '../api/client';
import { Page } from './Page';
import { Exceptions } from './receiving/Exceptions';
import { Investigations } from './receiving/Investigations';
import { FinishedNotice, ScanStation } from './receiving/ScanStation';
import { shortRef, Shipments } from './receiving/Shipments';
import './receiving.css';

type Shipment = OutputOf<Contract['receiving.shipments']>['shipments'][number];
type Closed = OutputOf<Contract['receiving.closeSession']>;
interface Session {
  readonly id: number;
  readonly title: string;
}

const TABS = [
  { id: 'scan', label: 'Receive' },
  { id: 'exceptions', label: 'Exceptions' },
  { id: 'investigations', label: 'Suspect product' },
] as const;
type Tab = (typeof TABS)[number]['id'];

// The open session survives moving to another area and back (not a reload of the window: the
// core keeps it open until someone finishes it).
const SESSION_KEY = 'custodia.receiving.session';
function storedSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

/**
 * DSCSA receiving: each scanned package or case is checked against the transaction data the seller
 * sent (FD&C Act §582(d)(1)); what does not match opens an exception of the right kind at once.
 */
export function Receiving() {
  const client = useClient();
  const [tab] = useSubRoute<Tab>(
    'receiving',
    TABS.map((t) => t.id),
    'scan',
  );
  const [session, setSession] = useState<Session | null>(storedSession);
  const [finished, setFinished] = useState<Closed | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [generation, setGeneration] = useState(0);
  const changed = useCallback(() => setGeneration((g) => g + 1), []);

  const keep = (next: Session | null) => {
    setSession(next);
    if (next) sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
    else sessionStorage.removeItem(SESSION_KEY);
  };

  const start = async (shipment: Shipment | null, seller: string) => {
    setError(null);
    setFinished(null);
    try {
      const { sessionId } = await client.call(
        'receiving.openSession',
        shipment ? { shipmentId: shipment.id } : {},
      );
      keep({
        id: sessionId,
        title: shipment
          ? `Receiving ${shortRef(shipment.reference)} from ${seller}`
          : 'Receiving without choosing a shipment: each package is matched against every shipment’s data and received against the one that lists it',
      });
      changed();
    } catch (e) {
      setError(asClientError(e));
    }
  };

  return (
    <Page
      title="Receiving"
      intro="Scan each package's 2D barcode or each case's SSCC. Custodia says at once whether the seller's transaction data covers it."
    >
      <Tabs label="Receiving sections" area="receiving" tabs={TABS} current={tab} />
      {error ? <ErrorNotice error={error} /> : null}
      {tab === 'scan' ? (
        <>
          {finished ? <FinishedNotice closed={finished} /> : null}
          {session ? (
            <>
              <ScanStation
                key={session.id}
                sessionId={session.id}
                title={session.title}
                onChanged={changed}
                onFinished={(closed) => {
                  keep(null);
                  setFinished(closed);
                  changed();
                }}
              />
              <p className="field-hint">
                <Button variant="ghost" onClick={() => keep(null)}>
                  Leave this session open and choose another shipment
                </Button>
              </p>
            </>
          ) : (
            <Shipments generation={generation} onReceive={(s, seller) => void start(s, seller)} />
          )}
        </>
      ) : null}
      {tab === 'exceptions' ? <Exceptions generation={generation} onChanged={changed} /> : null}
      {tab === 'investigations' ? <Investigations generation={generation} onChanged={changed} /> : null}
    </Page>
  );
}
