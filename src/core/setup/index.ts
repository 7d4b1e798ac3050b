/** First run and settings: the registrant, the first administrator, the workstation settings. */
export { setupHandlers } from './handlers';
