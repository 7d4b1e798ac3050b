/** What the workstation says about itself (version, health, the ledger's state). */
export { systemHandlers } from './handlers';
export type { CoreServices } from './services';
