/** Import: partner files read, checked and applied to the ledger in one transaction, or quarantined. */
export { loadDscsaContext } from './apply';
export { ingestHandlers } from './handlers';
export { importFile, importPhaseLabel, type ImportResult } from './pipeline';
export { rebuildTraceProjections } from './rebuild';
export { reprocessHandler } from './reprocess';
