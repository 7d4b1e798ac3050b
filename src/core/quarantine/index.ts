/**
 * Quarantine: rejected input kept with its raw bytes and every reason, until it is reprocessed or
 * closed with a signed reason. Import puts files here; this is what other features may use.
 */
export {
  markReprocessed,
  openItemFor,
  openQuarantineItem,
  quarantineRow,
  rawChunks,
  recordAttempt,
  QUARANTINE_ENTRY,
  type QuarantineInput,
  type QuarantineRow,
} from './store';
export { QuarantineError } from './service';
export { quarantineHandlers, type Reprocess } from './handlers';
