import type { FsmaCte, FsmaRecord } from '../../model/records';
import { finding, type RuleFinding } from '../../model/findings';

/*
 * Key data elements required per critical tracking event, 21 CFR 1.1325-1.1350 (eCFR text of
 * 2026-06-11; table in test/fixtures/ingest/fsma204-kde-by-cte.csv). Composite KDEs follow the
 * definitions of 21 CFR 1.1310 as FDA's sortable spreadsheet splits them:
 *  - location description: business name, phone number, physical address (or geographic
 *    coordinates), city, state, ZIP (country for foreign locations);
 *  - product description: product name (with brand, commodity, variety where applicable),
 *    packaging size and packaging style;
 *  - quantity and unit of measure; reference document type and number.
 */
export type KdeKind = 'text' | 'date' | 'quantity' | 'location' | 'product' | 'name' | 'refdoc';

export interface KdeSpec {
  readonly key: string;
  readonly label: string;
  readonly cite: string;
  readonly kind: KdeKind;
  /** Another KDE that may be given instead (e.g. the TLC source reference for the TLC source). */
  readonly alternative?: string;
  readonly optional?: boolean;
}

const k = (
  key: string,
  kind: KdeKind,
  cite: string,
  label: string,
  extra: Partial<KdeSpec> = {},
): KdeSpec => ({
  key,
  kind,
  cite,
  label,
  ...extra,
});

export const LOCATION_PARTS = ['businessName', 'phone', 'address', 'city', 'state', 'zip'] as const;
export const PRODUCT_PARTS = ['name', 'packagingSize', 'packagingStyle'] as const;

export const KDES: Record<FsmaCte, readonly KdeSpec[]> = {
  harvesting: [
    k(
      'recipient',
      'location',
      '1.1325(a)(1)(i)',
      'location description of the immediate subsequent recipient',
    ),
    k('commodity', 'text', '1.1325(a)(1)(ii)', 'commodity and variety'),
    k('quantity', 'quantity', '1.1325(a)(1)(iii)', 'quantity and unit of measure'),
    k('farm', 'location', '1.1325(a)(1)(iv)', 'location description of the farm where harvested'),
    k('fieldName', 'text', '1.1325(a)(1)(v)-(vi)', 'field or growing area name (or aquaculture container)', {
      alternative: 'containerName',
    }),
    k('date', 'date', '1.1325(a)(1)(vii)', 'date of harvesting'),
    k('refDoc', 'refdoc', '1.1325(a)(1)(viii)', 'reference document type and number'),
  ],
  cooling: [
    k(
      'recipient',
      'location',
      '1.1325(b)(1)(i)',
      'location description of the immediate subsequent recipient',
    ),
    k('commodity', 'text', '1.1325(b)(1)(ii)', 'commodity and variety'),
    k('quantity', 'quantity', '1.1325(b)(1)(iii)', 'quantity and unit of measure'),
    k('cooledAt', 'location', '1.1325(b)(1)(iv)', 'location description of where the food was cooled'),
    k('date', 'date', '1.1325(b)(1)(v)', 'date of cooling'),
    k('farm', 'location', '1.1325(b)(1)(vi)', 'location description of the farm where harvested'),
    k('refDoc', 'refdoc', '1.1325(b)(1)(vii)', 'reference document type and number'),
  ],
  'initial-packing': [
    k('receivedCommodity', 'text', '1.1330(a)(1)', 'commodity and variety of the food received'),
    k('receiveDate', 'date', '1.1330(a)(2)', 'date the food was received'),
    k('receivedQuantity', 'quantity', '1.1330(a)(3)', 'quantity and unit of measure received'),
    k('farm', 'location', '1.1330(a)(4)', 'location description of the farm where harvested'),
    k('fieldName', 'text', '1.1330(a)(5)-(6)', 'field or growing area name (or aquaculture container)', {
      alternative: 'containerName',
    }),
    k('harvesterName', 'text', '1.1330(a)(7)', 'business name of the harvester'),
    k('harvesterPhone', 'text', '1.1330(a)(7)', 'phone number of the harvester'),
    k('harvestDate', 'date', '1.1330(a)(8)', 'date of harvesting'),
    k('cooledAt', 'location', '1.1330(a)(9)', 'location description of where cooled (if applicable)', {
      optional: true,
    }),
    k('coolingDate', 'date', '1.1330(a)(10)', 'date of cooling (if applicable)', { optional: true }),
    k('tlc', 'text', '1.1330(a)(11)', 'traceability lot code assigned'),
    k('product', 'product', '1.1330(a)(12)', 'product description of the packed food'),
    k('quantity', 'quantity', '1.1330(a)(13)', 'quantity and unit of measure of the packed food'),
    k('tlcSource', 'location', '1.1330(a)(14)', 'location description of the packer (TLC source)', {
      alternative: 'tlcSourceReference',
    }),
    k('date', 'date', '1.1330(a)(15)', 'date of initial packing'),
    k('refDoc', 'refdoc', '1.1330(a)(16)', 'reference document type and number'),
  ],
  'first-land-based-receiving': [
    k('tlc', 'text', '1.1335(a)', 'traceability lot code assigned'),
    k('product', 'name', '1.1335(b)', 'species and/or market name, or product description'),
    k('quantity', 'quantity', '1.1335(c)', 'quantity and unit of measure'),
    k('harvestDateRange', 'text', '1.1335(d)', 'harvest date range'),
    k('harvestLocations', 'text', '1.1335(d)', 'harvest locations for the trip'),
    k(
      'tlcSource',
      'location',
      '1.1335(e)',
      'location description of the first land-based receiver (TLC source)',
      {
        alternative: 'tlcSourceReference',
      },
    ),
    k('date', 'date', '1.1335(f)', 'date the food was landed'),
    k('refDoc', 'refdoc', '1.1335(g)', 'reference document type and number'),
  ],
  shipping: [
    k('tlc', 'text', '1.1340(a)(1)', 'traceability lot code'),
    k('quantity', 'quantity', '1.1340(a)(2)', 'quantity and unit of measure'),
    k('product', 'product', '1.1340(a)(3)', 'product description'),
    k('recipient', 'location', '1.1340(a)(4)', 'location description of the immediate subsequent recipient'),
    k('shipFrom', 'location', '1.1340(a)(5)', 'location description of the ship-from location'),
    k('date', 'date', '1.1340(a)(6)', 'ship date'),
    k(
      'tlcSource',
      'location',
      '1.1340(a)(7)',
      'location description of the TLC source, or the TLC source reference',
      {
        alternative: 'tlcSourceReference',
      },
    ),
    k('refDoc', 'refdoc', '1.1340(a)(8)', 'reference document type and number'),
  ],
  receiving: [
    k('tlc', 'text', '1.1345(a)(1)', 'traceability lot code'),
    k('quantity', 'quantity', '1.1345(a)(2)', 'quantity and unit of measure'),
    k('product', 'product', '1.1345(a)(3)', 'product description'),
    k('previousSource', 'location', '1.1345(a)(4)', 'location description of the immediate previous source'),
    k('receivedAt', 'location', '1.1345(a)(5)', 'location description of where the food was received'),
    k('date', 'date', '1.1345(a)(6)', 'receive date'),
    k(
      'tlcSource',
      'location',
      '1.1345(a)(7)',
      'location description of the TLC source, or the TLC source reference',
      {
        alternative: 'tlcSourceReference',
      },
    ),
    k('refDoc', 'refdoc', '1.1345(a)(8)', 'reference document type and number'),
  ],
  transformation: [
    k('tlc', 'text', '1.1350(a)(2)(i)', 'new traceability lot code'),
    k('tlcSource', 'location', '1.1350(a)(2)(ii)', 'location description of where transformed (TLC source)', {
      alternative: 'tlcSourceReference',
    }),
    k('date', 'date', '1.1350(a)(2)(iii)', 'date transformation was completed'),
    k('product', 'product', '1.1350(a)(2)(iv)', 'product description'),
    k('quantity', 'quantity', '1.1350(a)(2)(v)', 'quantity and unit of measure'),
    k('refDoc', 'refdoc', '1.1350(a)(2)(vi)', 'reference document type and number'),
  ],
};

/** Transformation inputs, 1.1350(a)(1), checked per input lot. */
export const TRANSFORMATION_INPUT_KDES: readonly KdeSpec[] = [
  k('tlc', 'text', '1.1350(a)(1)(i)', 'input traceability lot code'),
  k('product', 'name', '1.1350(a)(1)(ii)', 'input product description'),
  k('quantity', 'quantity', '1.1350(a)(1)(iii)', 'quantity and unit of measure used from the input lot'),
];

const NOT_GIVEN = /^(n\/?a\b.*|none|-+|\s*)$/i;

function present(kdes: Readonly<Record<string, string>>, key: string): boolean {
  const v = kdes[key];
  return v !== undefined && !NOT_GIVEN.test(v.trim());
}

/** Which parts of one KDE are missing (empty when the KDE is complete). */
function missingParts(spec: KdeSpec, kdes: Readonly<Record<string, string>>): string[] {
  const key = spec.key;
  switch (spec.kind) {
    case 'location':
      return LOCATION_PARTS.filter((p) => !present(kdes, `${key}.${p}`)).map((p) => `${key}.${p}`);
    case 'product':
      return PRODUCT_PARTS.filter((p) => !present(kdes, `${key}.${p}`)).map((p) => `${key}.${p}`);
    case 'name':
      return present(kdes, `${key}.name`) || present(kdes, key) ? [] : [`${key}.name`];
    case 'quantity': {
      const out: string[] = [];
      const q = kdes[key]?.replace(/,/g, '').trim();
      if (q === undefined || q === '' || !Number.isFinite(Number(q)) || Number(q) <= 0) out.push(key);
      if (!present(kdes, `${key}Unit`)) out.push(`${key}Unit`);
      return out;
    }
    case 'refdoc':
      return ['refDocType', 'refDocNumber'].filter((p) => !present(kdes, p));
    case 'date':
      return present(kdes, key) && /^\d{4}-\d{2}-\d{2}$/.test(kdes[key]!.trim()) ? [] : [key];
    case 'text':
      return present(kdes, key) ? [] : [key];
  }
}

/** Findings for every required KDE the record lacks, each citing its paragraph. */
export function checkKdes(record: FsmaRecord, index: number, position: string): RuleFinding[] {
  const out: RuleFinding[] = [];
  const check = (specs: readonly KdeSpec[], kdes: Readonly<Record<string, string>>, where: string) => {
    for (const spec of specs) {
      const missing = missingParts(spec, kdes);
      if (missing.length === 0 || spec.optional) continue;
      if (spec.alternative !== undefined && present(kdes, spec.alternative)) continue;
      if (
        spec.alternative !== undefined &&
        Object.keys(kdes).some((x) => x.startsWith(`${spec.alternative}.`) && present(kdes, x))
      )
        continue;
      out.push(
        finding(
          'fsma-kde',
          `${where}${spec.label} is missing or incomplete (${missing.join(', ')}), required by 21 CFR ${spec.cite} for ${record.cte}` +
            (spec.alternative !== undefined ? ` (or give ${spec.alternative})` : ''),
          index,
          { position, field: missing[0]! },
        ),
      );
    }
  };
  check(KDES[record.cte], record.kdes, '');
  if (record.cte === 'transformation') {
    const inputs = record.inputs ?? [];
    if (inputs.length === 0) {
      out.push(
        finding('fsma-kde', 'a transformation lists no input lots (21 CFR 1.1350(a)(1))', index, {
          position,
          field: 'inputs',
        }),
      );
    }
    inputs.forEach((input, i) => check(TRANSFORMATION_INPUT_KDES, input, `input ${i + 1}: `));
  }
  return out;
}
