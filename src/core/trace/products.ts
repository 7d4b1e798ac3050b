import type { Database } from 'better-sqlite3-multiple-ciphers';

/** A drug as a partner file's master data describes it (EPCClass vocabulary, 856 LIN/PID, T3 columns). */
export interface PartnerFileProduct {
  readonly gtin: string;
  readonly ndc: string | null;
  readonly name: string | null;
  readonly strength: string | null;
  readonly dosageForm: string | null;
  readonly manufacturer: string | null;
}

/** Every drug partner files named, by name: what a person confirms into the product list. */
export function partnerFileProducts(db: Database): PartnerFileProduct[] {
  return db
    .prepare(
      `SELECT gtin, ndc, name, strength, dosage_form AS dosageForm, manufacturer
       FROM trace_products ORDER BY name, gtin`,
    )
    .all() as PartnerFileProduct[];
}
