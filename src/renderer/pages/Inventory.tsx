import { useState } from 'react';
import { can } from '../session/roles';
import { useSession } from '../session/SessionProvider';
import { useSubRoute } from '../shell/useSubRoute';
import { Tabs } from '../ui/Tabs';
import { Balances } from './inventory/Balances';
import { Biennial } from './inventory/Biennial';
import { Counts } from './inventory/Counts';
import { Destructions } from './inventory/Destructions';
import { Orders } from './inventory/Orders';
import { Products } from './inventory/Products';
import { TheftLoss } from './inventory/TheftLoss';
import { TransactionForm } from './inventory/TransactionForm';
import { Transactions } from './inventory/Transactions';
import { Page } from './Page';

const TABS = [
  { id: 'balances', label: 'Perpetual inventory' },
  { id: 'record', label: 'Record a transaction' },
  { id: 'transactions', label: 'Transactions' },
  { id: 'orders', label: 'Schedule II orders' },
  { id: 'counts', label: 'Counts & discrepancies' },
  { id: 'theft-loss', label: 'Theft & loss (106)' },
  { id: 'destructions', label: 'Destructions (41)' },
  { id: 'biennial', label: 'Biennial inventory' },
  { id: 'products', label: 'Products' },
] as const;
type Tab = (typeof TABS)[number]['id'];

export function Inventory() {
  const session = useSession();
  const [tab, setTab] = useSubRoute<Tab>(
    'inventory',
    TABS.map((t) => t.id),
    'balances',
  );
  const [focusNdc, setFocusNdc] = useState<string>();
  return (
    <Page
      title="Inventory"
      intro="Perpetual inventory of Schedule II–V controlled substances. Every change is a signed ledger entry; nothing is ever edited."
    >
      <Tabs label="Inventory sections" area="inventory" tabs={TABS} current={tab} />
      {tab === 'balances' ? (
        <Balances
          onRecord={(ndc) => {
            setFocusNdc(ndc);
            setTab('record');
          }}
          onCount={(ndc) => {
            setFocusNdc(ndc);
            setTab('counts');
          }}
        />
      ) : null}
      {tab === 'record' ? (
        can.recordInventory(session.principal) ? (
          <TransactionForm key={focusNdc ?? ''} initialNdc={focusNdc} />
        ) : (
          <p className="field-hint">
            Technicians, pharmacists and compliance officers record transactions; your roles let you read
            them.
          </p>
        )
      ) : null}
      {tab === 'transactions' ? <Transactions /> : null}
      {tab === 'orders' ? <Orders /> : null}
      {tab === 'counts' ? <Counts key={focusNdc ?? ''} initialNdc={focusNdc} /> : null}
      {tab === 'theft-loss' ? <TheftLoss /> : null}
      {tab === 'destructions' ? <Destructions /> : null}
      {tab === 'biennial' ? <Biennial /> : null}
      {tab === 'products' ? <Products /> : null}
    </Page>
  );
}
