/** Partner sync: EPCIS 2.0 REST pull and capture, GS1 US Lightweight Messaging verification, the outbox. */
export { partnerSecretName, partnerKeyName } from './credentials';
export { syncHandlers } from './handlers';
export { SyncRunner, type SyncRunnerDeps } from './runner';
export {
  DEFAULT_SYNC,
  dismissItem,
  enqueueCapture,
  findPartnerByName,
  ourGlns,
  requestVerification,
  retryItem,
  saveEndpoint,
  syncOverview,
  syncPass,
  testConnection,
  verificationView,
  type ConnectionReport,
  type EndpointInput,
  type PartnerPassResult,
  type PartnerSyncView,
  type SyncDeps,
  type SyncSettings,
} from './service';
export { listOutbox, SYNC_ENTRY, type OutboxRow } from './store';
export { TransportError } from './transport';
