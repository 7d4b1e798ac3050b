import type { FsmaCte } from '../../model/records';
import { normalizeHeader } from '../csv/mapping';

/*
 * FDA's "FSMA Food Traceability – Electronic Sortable Spreadsheet" (June 2024, fda.gov/media/179617):
 * one tab per CTE, one column per KDE, location descriptions split in 7 columns and product
 * descriptions in 6 ("<KDE> - <part>"). A sheet with these headers needs no saved mapping.
 */
const LOCATION_PREFIXES: [RegExp, string][] = [
  [/^location description for the immediate subsequent recipient/, 'recipient'],
  [/^location description for the location from which you shipped the food/, 'shipFrom'],
  [/^location description for the traceability lot code source/, 'tlcSource'],
  [/^location description for the immediate previous source/, 'previousSource'],
  [/^location description for where the food was received/, 'receivedAt'],
  [/^location description for where the food was transformed/, 'tlcSource'],
  [/^location description for (the )?farm/, 'farm'],
  [/^location description for where (you|the food was) cooled/, 'cooledAt'],
];
const LOCATION_PARTS: [RegExp, string][] = [
  [/business name$/, 'businessName'],
  [/phone number$/, 'phone'],
  [/street address|geographic coordinates/, 'address'],
  [/city$/, 'city'],
  [/state/, 'state'],
  [/zip|postal/, 'zip'],
  [/country$/, 'country'],
];
const PRODUCT_PARTS: [RegExp, string][] = [
  [/product name$/, 'name'],
  [/brand name/, 'brand'],
  [/commodity/, 'commodity'],
  [/variety/, 'variety'],
  [/packaging size$/, 'packagingSize'],
  [/packaging style$/, 'packagingStyle'],
];

/** KDE key for one FDA template header, or undefined when we do not use that column. */
export function fdaHeaderKey(header: string): string | undefined {
  const h = normalizeHeader(header);
  if (h === 'traceability lot code') return 'tlc';
  if (h.startsWith('traceability lot code source reference')) return 'tlcSourceReference';
  if (h === 'quantity') return 'quantity';
  if (h === 'unit of measure') return 'quantityUnit';
  if (h === 'reference document type') return 'refDocType';
  if (h === 'reference document number') return 'refDocNumber';
  if (
    /^(shipping date|date you received the food|date (the )?transformation|date of harvest|date of cooling|date of initial packing|date the food was landed)/.test(
      h,
    )
  ) {
    return 'date';
  }
  if (h.startsWith('product description')) {
    const part = PRODUCT_PARTS.find(([re]) => re.test(h));
    return part !== undefined ? `product.${part[1]}` : undefined;
  }
  for (const [prefix, key] of LOCATION_PREFIXES) {
    if (prefix.test(h)) {
      const part = LOCATION_PARTS.find(([re]) => re.test(h.slice(h.lastIndexOf(' - ') + 3)));
      return part !== undefined ? `${key}.${part[1]}` : undefined;
    }
  }
  return undefined;
}

/** The CTE of a sheet in FDA's template, from its distinctive date column; undefined if not the template. */
export function fdaTemplateCte(headers: readonly string[]): FsmaCte | undefined {
  const hs = headers.map(normalizeHeader);
  if (!hs.includes('traceability lot code') || !hs.some((h) => h.startsWith('location description for')))
    return undefined;
  if (hs.some((h) => h.startsWith('shipping date'))) return 'shipping';
  if (hs.some((h) => h.startsWith('date you received the food'))) return 'receiving';
  return undefined;
}

/** Column mapping (KDE key -> header) for a sheet in FDA's template. */
export function fdaTemplateColumns(headers: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of headers) {
    const key = fdaHeaderKey(h);
    if (key !== undefined && out[key] === undefined) out[key] = h;
  }
  return out;
}
