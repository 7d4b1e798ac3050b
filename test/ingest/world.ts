import {
  drugGtin,
  epcisDocument,
  glnUri,
  sgtin,
  sscc,
  withCheck,
  type DocumentOptions,
  type SynthProduct,
  SAMPLE_PRODUCT,
} from '../support/synthetic';
import { savePartner } from '../../src/core/partners/store';
import type { Workspace } from '../../src/core/ledger/workspace';

/** A manufacturer, a wholesaler and our pharmacy, each with a GLN; one drug in items and cases. */
export const MFG = withCheck('030001111111');
export const WHOLESALER = withCheck('039999999999');
export const PHARMACY = withCheck('061414100000');
export const STRANGER = withCheck('088888800000');

export const ITEM_GTIN = drugGtin('0001012345');
export const CASE_GTIN = drugGtin('0001012345', 5);
export const PRODUCT: SynthProduct = { ...SAMPLE_PRODUCT, gtin: ITEM_GTIN };
export const CASE_PRODUCT: SynthProduct = { ...PRODUCT, gtin: CASE_GTIN, container: '12 bottles' };

export const item = (n: number) => sgtin(ITEM_GTIN, `S${String(n).padStart(6, '0')}`);
export const caseOf = (n: number) => sgtin(CASE_GTIN, `C${n}`);
export const pallet = (n: number) => sscc(withCheck(`0030001${String(n).padStart(10, '0')}`));

export const doc = (events: string[], options: DocumentOptions = {}) =>
  epcisDocument(events, { products: [PRODUCT, CASE_PRODUCT], ...options });

/** A wholesaler's weekly T3 sheet (semicolon-separated), as a saved column mapping. */
export const WEEKLY_T3_MAPPING = {
  kind: 'dscsa-t3',
  delimiter: ';',
  columns: {
    invoice: 'Invoice',
    transactionDate: 'Date',
    sellerName: 'Seller',
    buyerName: 'Buyer',
    productName: 'Product',
    ndc: 'NDC',
    quantity: 'Qty',
    lot: 'Lot',
    statement: 'TS',
  },
} as const;

export const t = (minute: number) => new Date(Date.UTC(2026, 2, 1, 8, minute)).toISOString();

export async function registerPartners(ctx: Workspace): Promise<void> {
  await savePartner(
    ctx,
    { name: 'Main Street Pharmacy', role: 'self', authorized: true, glns: [PHARMACY] },
    'test-user',
  );
  await savePartner(
    ctx,
    { name: 'Big Wholesaler', role: 'wholesaler', authorized: true, glns: [WHOLESALER] },
    'test-user',
  );
  await savePartner(
    ctx,
    { name: 'GS1 Pharma', role: 'manufacturer', authorized: true, glns: [MFG] },
    'test-user',
  );
}

export { glnUri };
