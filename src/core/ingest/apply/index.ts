/** Applying a read file to the ledger, by record kind: file.ts coordinates, one module per kind. */
export { INGEST_ENTRY, type FileMeta } from './context';
export { loadDscsaContext } from './dscsa-context';
export { loadLedgerEvent } from './epcis';
export { FileApplier, RejectedFile, type ApplySummary } from './file';
