/**
 * A rule's verdict on one record, named so a person can act on it: which rule, which record (its
 * index in the file and where it sits), what is wrong, and what to do. Messages never carry a serial
 * number (serials are sealed data): they name the field ("epcList/3") and the GTIN instead.
 */
export interface RuleFinding {
  readonly rule: RuleName;
  readonly message: string;
  /** 0-based record index in its file; null for a finding about the file as a whole. */
  readonly record: number | null;
  /** Line/column (XML, X12, CSV) or JSON pointer of the record. */
  readonly position?: string;
  readonly field?: string;
  /** Activity on a decommissioned/destroyed/dispensed serial: possible suspect product (§582(d)(4)). */
  readonly suspect?: boolean;
}

/** Every rule that can reject a record, with the reference it comes from. */
export const RULES = {
  'file-format': 'the file is not readable as the format it claims (EPCIS 2.0 §9, ASC X12, RFC 4180)',
  'epcis-schema': 'EPCIS 2.0 §7.4 event structure and CBV 2.0 vocabulary',
  'check-digit': 'GS1 General Specifications §7.9 check digit and key syntax',
  'double-commissioning':
    'a serial is commissioned once (GS1 General Specifications §4.15, DSCSA §581(14) unique identifier)',
  'lifecycle-transition': 'CBV 2.0 §7 business step and disposition transitions of a serial',
  'decommissioned-activity':
    'activity on a decommissioned, destroyed or dispensed serial: possible suspect product (FD&C Act §582(d)(4))',
  'aggregation-child-missing': 'EPCIS 2.0 §7.4.3: children of a packing event must exist',
  'aggregation-two-parents':
    'a child is in one parent at a time: unpack (AggregationEvent DELETE) before repacking',
  'aggregation-not-in-parent': 'an unpacking event removes only children that are in that parent',
  'dscsa-transaction-statement':
    'FD&C Act §581(27), §582(d)(1): a transfer of ownership carries the transaction statement',
  'dscsa-transaction-information':
    'FD&C Act §581(26): transaction information (product, NDC, lot, quantity, dates, parties)',
  'dscsa-product-master-data':
    'FD&C Act §581(26)(A)-(C): a drug GTIN needs its name, strength, dosage form and NDC',
  'authorized-trading-partner':
    'FD&C Act §582(d)(3): a dispenser accepts ownership only from authorized trading partners',
  'fsma-kde': '21 CFR 1.1325-1.1350: key data elements required for the critical tracking event',
  'csv-mapping': 'the saved column mapping for this partner does not fit the file',
  'pending-expired': 'an out-of-order event whose predecessor never arrived',
} as const;

export type RuleName = keyof typeof RULES;

export function finding(
  rule: RuleName,
  message: string,
  record: number | null,
  extra: { position?: string; field?: string; suspect?: boolean } = {},
): RuleFinding {
  return { rule, message, record, ...extra };
}
