import type { ReactElement } from 'react';
import type { AreaId } from '../shell/areas';
import { Approvals } from './Approvals';
import { Dashboard } from './Dashboard';
import { Import } from './Import';
import { Inventory } from './Inventory';
import { Ledger } from './Ledger';
import { Partners } from './Partners';
import { Receiving } from './Receiving';
import { Reports } from './Reports';
import { Settings } from './Settings';
import { Trace } from './Trace';

/** Which component renders each area. Areas not built yet say what they will hold. */
export const PAGES: Record<AreaId, () => ReactElement> = {
  dashboard: Dashboard,
  receiving: Receiving,
  import: Import,
  inventory: Inventory,
  approvals: Approvals,
  ledger: Ledger,
  trace: Trace,
  reports: Reports,
  partners: Partners,
  settings: Settings,
};
