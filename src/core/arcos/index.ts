/** ARCOS (21 CFR 1304.33): reportable products, settings, associate values and the files submitted to DEA. */
export { arcosHandlers, type GeneratedArcosFile } from './handlers';
export {
  ARCOS_ENTRY,
  arcosStateOf,
  projectArcos,
  transactionsBefore,
  type ArcosProduct,
  type ArcosState,
  type ArcosSubmission,
  type ArcosTransactionRow,
  type SubmittedRecord,
} from './store';
