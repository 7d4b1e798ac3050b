import { exceptionKindSchema } from '../api/procedures/receiving';

/**
 * Receiving exception kinds, after the GS1 US DSCSA exception-handling addenda (lot-level and
 * serialized, R1.2) that peers and pharmacies use (research B4): what was scanned disagrees with the
 * transaction data the seller sent, or no data came at all.
 */
// The list lives once, in the API contract the UI also reads.
export const EXCEPTION_KINDS = exceptionKindSchema.options;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

export const EXCEPTION_ADVICE: Record<ExceptionKind, string> = {
  'no-data-received':
    'No transaction data (TI/TS) was received for this product. Do not put it in saleable stock: keep it aside and ask the seller for the data (DSCSA §582(d)(1)).',
  'product-without-data':
    'The seller sent data for this shipment, but not for this product. Keep it aside and ask the seller to send the missing transaction information.',
  'data-without-product':
    'The seller sent data for product that did not arrive. Tell the seller; do not record it as received.',
  'over-shipment':
    'More units arrived than the transaction data lists. Keep the extra units aside and ask the seller for corrected data or a return.',
  'under-shipment':
    'Fewer units arrived than the transaction data lists. Tell the seller so the data can be corrected.',
  'lot-mismatch':
    'The lot on the package differs from the lot in the transaction data. Keep it aside and ask the seller for corrected data.',
  'expiry-mismatch':
    'The expiry on the package differs from the transaction data. Keep it aside and ask the seller.',
  'wrong-serial':
    'This serial number is not in the transaction data, though its product and lot are. Keep it aside and ask the seller.',
  'wrong-ship-to':
    'This shipment was addressed to another location. Do not accept it; contact the seller about a return.',
  damaged:
    'The package is damaged. Keep it aside, photograph it, and arrange a return or credit with the seller.',
  suspect:
    'This product may be suspect (FD&C Act §581(21)): it is quarantined and an investigation is open. Do not dispense it.',
};
