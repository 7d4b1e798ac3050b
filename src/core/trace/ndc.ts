import type { Database } from 'better-sqlite3-multiple-ciphers';
import { ndc11Candidates, ndcCandidates, ndcToGtin14, parseNdc, type Ndc } from '../identifiers';
import { productOf } from './products';
import { cached } from './statements';

/** A product an NDC names, with the lots the records hold and the shipments that carried each. */
export interface NdcProduct {
  readonly gtin: string;
  readonly ndc: string | null;
  readonly name: string | null;
  readonly strength: string | null;
  readonly dosageForm: string | null;
  readonly lots: {
    readonly lot: string;
    readonly expiry: string | null;
    readonly serials: number;
    readonly shipments: {
      readonly id: number;
      readonly reference: string | null;
      readonly seller: string | null;
      readonly date: string | null;
      readonly quantity: number;
    }[];
  }[];
}

export interface NdcTrace {
  /** The 10-digit forms tried: one when hyphens fix the layout, up to three without. */
  readonly candidates: { ndc10: string; ndc11: string; configuration: string }[];
  readonly products: NdcProduct[];
}

const NDC_TEXT = /^(\d{4,5}-\d{3,4}-\d{1,2}|\d{10}|\d{11})$/;

/**
 * The NDCs a person's text can mean (21 CFR 207.33): hyphenated, its own layout (or, in the 11-digit
 * 5-4-2 billing form, every 10-digit layout its padding zero allows); 10 bare digits, all three
 * layouts (4-4-2, 5-3-2, 5-4-1); 11 bare digits, as the 5-4-2 form. Undefined when it is no NDC.
 */
export function ndcsOf(text: string): Ndc[] | undefined {
  const t = text.trim();
  if (!NDC_TEXT.test(t)) return undefined;
  if (t.includes('-')) {
    const digits = t.replace(/-/g, '');
    if (digits.length === 11) return ndc11Candidates(digits);
    const one = parseNdc(t);
    return one.ok ? [one.value] : undefined;
  }
  if (t.length === 11) return ndc11Candidates(t);
  const all = ndcCandidates(t);
  return all.ok ? all.value : undefined;
}

/**
 * Every product whose NDC is one of the candidates: by the NDC the partner's master data gave, or
 * by the GTIN that carries it (indicator, "03", the 10 NDC digits, check digit: any packaging level),
 * with its lots (from transaction data and serials) and the shipments that brought each lot.
 */
export function ndcTrace(db: Database, candidates: readonly Ndc[]): NdcTrace {
  const byNdc = cached(db, 'SELECT gtin FROM trace_products WHERE ndc IN (?, ?)').pluck();
  // Indexed probes (shipment_items_by_gtin_lot, the trace_products key): the GTIN of each packaging level.
  const known = cached(
    db,
    'SELECT gtin FROM trace_products WHERE gtin = ? UNION SELECT gtin FROM shipment_items WHERE gtin = ?',
  ).pluck();
  const gtins = new Set<string>();
  for (const c of candidates) {
    for (const g of byNdc.all(c.ndc10, c.ndc11) as string[]) gtins.add(g);
    for (let indicator = 0; indicator <= 8; indicator++) {
      const gtin = ndcToGtin14(c, indicator);
      if (gtin.ok && known.get(gtin.value, gtin.value) !== undefined) gtins.add(gtin.value);
    }
  }
  const itemProduct = cached(
    db,
    'SELECT ndc, product_name AS name, strength, dosage_form AS dosageForm FROM shipment_items WHERE gtin = ? LIMIT 1',
  );
  const lots = cached(
    db,
    `SELECT lot, max(expiry) AS expiry FROM (
       SELECT lot, expiry FROM shipment_items WHERE gtin = ? AND lot IS NOT NULL
       UNION ALL SELECT t.lot, s.expiry FROM trace_ids t LEFT JOIN serial_state s ON s.trace_id = t.id
                 WHERE t.gtin = ? AND t.lot IS NOT NULL)
     GROUP BY lot ORDER BY lot`,
  );
  const serials = cached(
    db,
    "SELECT count(*) FROM trace_ids WHERE gtin = ? AND lot = ? AND kind = 'sgtin'",
  ).pluck();
  const shipments = cached(
    db,
    `SELECT s.id, s.reference, coalesce(s.seller_name, s.seller) AS seller, s.transaction_date AS date, sum(i.quantity) AS quantity
     FROM shipment_items i JOIN shipments s ON s.id = i.shipment_id WHERE i.gtin = ? AND i.lot = ?
     GROUP BY s.id ORDER BY s.transaction_date, s.id`,
  );
  const products = [...gtins].sort().map((gtin) => {
    // The partner's master data, else what a shipment line said of the product.
    const master = productOf(db, gtin, null);
    const line = itemProduct.get(gtin) as Partial<NdcProduct> | undefined;
    return {
      gtin,
      ndc: master.ndc ?? line?.ndc ?? null,
      name: master.name ?? line?.name ?? null,
      strength: master.strength ?? line?.strength ?? null,
      dosageForm: master.dosageForm ?? line?.dosageForm ?? null,
      lots: (lots.all(gtin, gtin) as { lot: string; expiry: string | null }[]).map((l) => ({
        ...l,
        serials: serials.get(gtin, l.lot) as number,
        shipments: shipments.all(gtin, l.lot) as NdcProduct['lots'][number]['shipments'],
      })),
    };
  });
  return {
    candidates: candidates.map((c) => ({ ndc10: c.ndc10, ndc11: c.ndc11, configuration: c.configuration })),
    products,
  };
}
