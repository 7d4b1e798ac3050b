import type { Contract, InputOf, OutputOf } from '../../../core/api';

export type ExceptionKind = OutputOf<Contract['receiving.exceptions']>['exceptions'][number]['kind'];
export type Classification = NonNullable<InputOf<Contract['receiving.closeInvestigation']>['classification']>;

/** Exception kinds as the GS1 US exception-handling addenda name them for a receiving clerk. */
export const EXCEPTION_LABEL: Record<ExceptionKind, string> = {
  'no-data-received': 'No data received',
  'product-without-data': 'Product without data',
  'data-without-product': 'Data without product',
  'over-shipment': 'Over-shipment',
  'under-shipment': 'Under-shipment',
  'lot-mismatch': 'Lot mismatch',
  'expiry-mismatch': 'Expiry mismatch',
  'wrong-serial': 'Wrong serial number',
  'wrong-ship-to': 'Wrong ship-to location',
  damaged: 'Damaged',
  suspect: 'Suspect product',
};

export const CLASSIFICATION_LABEL: Record<Classification, string> = {
  counterfeit: 'Counterfeit',
  diverted: 'Diverted',
  stolen: 'Stolen',
  'intentional-adulteration': 'Intentionally adulterated',
  'unfit-for-distribution': 'Unfit for distribution',
  'fraudulent-transaction': 'Fraudulent transaction',
};

/** YYMMDD (GS1 AI 17) or ISO, as a person reads it; DD 00 means the end of the month (GS1 GenSpecs 7.12). */
export function readableDate(value: string | null | undefined): string {
  if (!value) return '—';
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (m) return `20${m[1]}-${m[2]}${m[3] === '00' ? '' : `-${m[3]}`}`;
  return value;
}
