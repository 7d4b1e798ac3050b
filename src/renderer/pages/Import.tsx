import { useCallback, useState } from 'react';
import { useSubRoute } from '../shell/useSubRoute';
import { Tabs } from '../ui/Tabs';
import { ImportedFiles } from './import/ImportedFiles';
import { ImportFiles } from './import/ImportFiles';
import { MappingEditor } from './import/MappingEditor';
import { Quarantine } from './import/Quarantine';
import { WatchedFolders } from './import/WatchedFolders';
import { Page } from './Page';
import './import.css';

const TABS = [
  { id: 'files', label: 'Import files' },
  { id: 'quarantine', label: 'Quarantine' },
  { id: 'history', label: 'Imported files' },
  { id: 'mappings', label: 'CSV column mappings' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/**
 * Partner files into the ledger. Nothing is half-imported and nothing is lost: a file goes in
 * whole, or waits in quarantine with its bytes and reasons until it is reprocessed or closed.
 */
export function Import() {
  const [tab] = useSubRoute<Tab>(
    'import',
    TABS.map((t) => t.id),
    'files',
  );
  // Bumped when anything here changes the ledger, so the other tabs read fresh lists.
  const [generation, setGeneration] = useState(0);
  const changed = useCallback(() => setGeneration((g) => g + 1), []);
  return (
    <Page
      title="Import & Quarantine"
      intro="Transaction data from trading partners: EPCIS, X12 856 ship notices, T3 and FSMA 204 spreadsheets."
    >
      <Tabs label="Import sections" area="import" tabs={TABS} current={tab} />
      {/* Kept mounted so a running import keeps its progress while the person looks at quarantine. */}
      <div hidden={tab !== 'files'}>
        <ImportFiles generation={generation} onChanged={changed} />
        <WatchedFolders generation={generation} onChanged={changed} />
      </div>
      {tab === 'quarantine' ? <Quarantine generation={generation} onChanged={changed} /> : null}
      {tab === 'history' ? <ImportedFiles generation={generation} /> : null}
      {tab === 'mappings' ? <MappingEditor onChanged={changed} /> : null}
    </Page>
  );
}
