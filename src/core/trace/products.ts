import type { Database } from 'better-sqlite3-multiple-ciphers';
import { cached } from './statements';

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

/** A GTIN's drug as the partner files' master data names it (nulls where it says nothing), with a lot. */
export function productOf(
  db: Database,
  gtin: string,
  lot: string | null,
): Omit<PartnerFileProduct, 'manufacturer'> & { lot: string | null } {
  const p = cached(
    db,
    'SELECT ndc, name, strength, dosage_form AS dosageForm FROM trace_products WHERE gtin = ?',
  ).get(gtin) as
    | { ndc: string | null; name: string | null; strength: string | null; dosageForm: string | null }
    | undefined;
  return {
    gtin,
    ndc: p?.ndc ?? null,
    name: p?.name ?? null,
    strength: p?.strength ?? null,
    dosageForm: p?.dosageForm ?? null,
    lot,
  };
}
