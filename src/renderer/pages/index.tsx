import type { ReactElement } from 'react';
import type { AreaId } from '../shell/areas';
import { Approvals } from './Approvals';
import { Dashboard } from './Dashboard';
import { Inventory } from './Inventory';
import { Ledger } from './Ledger';
import { NotYet } from './Page';
import { Settings } from './Settings';

/** Which component renders each area. Areas not built yet say what they will hold. */
export const PAGES: Record<AreaId, () => ReactElement> = {
  dashboard: Dashboard,
  receiving: () => (
    <NotYet
      title="Receiving"
      what="Scan a package's 2D barcode or a case's SSCC and see at once whether the seller's transaction data covers it."
    />
  ),
  import: () => (
    <NotYet
      title="Import & Quarantine"
      what="Drop EPCIS, CSV, X12 856 or FSMA 204 files from trading partners; rejected files and events wait here with their reasons."
    />
  ),
  inventory: Inventory,
  approvals: Approvals,
  ledger: Ledger,
  trace: () => (
    <NotYet
      title="Trace"
      what="The full history of a serial number, SSCC, GTIN and lot, or FSMA traceability lot code."
    />
  ),
  reports: () => (
    <NotYet
      title="Reports"
      what="DEA Forms 106, 41 and 222 records, biennial inventory, ARCOS, DSCSA and FSMA 204 exports."
    />
  ),
  partners: () => (
    <NotYet
      title="Partners"
      what="Trading partners, their identifiers and their EPCIS and verification endpoints."
    />
  ),
  settings: Settings,
};
