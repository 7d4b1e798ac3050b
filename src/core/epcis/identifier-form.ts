import { canonicalIdentifier, epcUrnToDigitalLink, parseDigitalLink } from '../identifiers';

/**
 * The model's one identifier form (see model.ts): canonical GS1 Digital Link on https://id.gs1.org.
 * The conversions themselves belong to src/core/identifiers; this file only decides which values are
 * meant to be GS1 keys and what to do when a conversion fails.
 */
export interface CanonicalId {
  value: string;
  /** Why the value could not be canonicalised although it claims to be a GS1 key. */
  error?: string;
}

/** EPC schemes of the EPC Tag Data Standard that have a GS1 Digital Link equivalent. */
const GS1_EPC_SCHEMES = new Set([
  'sgtin',
  'sscc',
  'sgln',
  'grai',
  'giai',
  'gsrn',
  'gsrnp',
  'gdti',
  'cpi',
  'sgcn',
  'ginc',
  'gsin',
  'itip',
  'upui',
  'pgln',
  'lgtin',
]);

const EPC_URN = /^urn:epc:(id|class|idpat):([a-z0-9]+):/i;
/** A web URI whose path holds a GS1 primary key (Digital Link), on any domain. */
const DL_KEY_PATH =
  /^https?:\/\/[^/?#]+(\/[^?#]*)?\/(00|01|253|255|401|402|414|417|8003|8004|8006|8010|8017|8018)\/[^/?#]/;

const cache = new Map<string, CanonicalId>();

export function canonicalId(raw: string): CanonicalId {
  const text = raw.trim();
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const result = compute(text);
  // Locations, classes and parties repeat; serialized EPCs do not. A small cache that stops growing
  // keeps the repeats cheap without churning on millions of unique serials.
  if (cache.size < 4096) cache.set(text, result);
  return result;
}

function compute(text: string): CanonicalId {
  const urn = EPC_URN.exec(text);
  if (urn !== null) {
    // Non-GS1 EPC schemes (bic, adi, usdod, gid ...) have no Digital Link: keep them as they are
    // (the OpenEPCIS converter does the same).
    if (!GS1_EPC_SCHEMES.has(urn[2]!.toLowerCase())) return { value: text };
    const converted = epcUrnToDigitalLink(text);
    return converted.ok ? { value: converted.value } : { value: text, error: converted.error.message };
  }
  const aliased = withKeyNumbers(text);
  if (DL_KEY_PATH.test(aliased)) {
    const canonical = canonicalIdentifier(aliased);
    if (canonical !== text) return { value: canonical };
    const parsed = parseDigitalLink(aliased, { permitZeroSuppressedGtin: true });
    return parsed.ok ? { value: canonical } : { value: text, error: parsed.error.message };
  }
  return { value: text };
}

/**
 * GS1 Digital Link 1.0 allowed short names for keys in the path (/gtin/, /ser/ ...); later versions use
 * the numeric AIs only, and src/core/identifiers parses the numeric form. Partners still send short
 * names, so they are rewritten to AIs here before parsing (only path segments that are key names).
 */
const SHORT_NAMES: Record<string, string> = {
  gtin: '01',
  itip: '8006',
  cpv: '22',
  lot: '10',
  ser: '21',
  sscc: '00',
  gln: '414',
  glnx: '254',
  party: '417',
  grai: '8003',
  giai: '8004',
  gsrn: '8018',
  gsrnp: '8017',
  gdti: '253',
  gcn: '255',
  gsin: '402',
  ginc: '401',
  cpid: '8010',
  cpsn: '8011',
  upui: '235',
};
const SHORT_NAME_PATH = new RegExp(`/(${Object.keys(SHORT_NAMES).join('|')})(?=/)`, 'g');

function withKeyNumbers(text: string): string {
  if (!/^https?:\/\//.test(text)) return text;
  const q = text.search(/[?#]/);
  const path = q === -1 ? text : text.slice(0, q);
  const rest = q === -1 ? '' : text.slice(q);
  const rewritten = path.replace(SHORT_NAME_PATH, (_m, name: string) => `/${SHORT_NAMES[name]}`);
  return rewritten === path ? text : rewritten + rest;
}

/** True when the value is in the model's canonical Digital Link form. */
export function isDigitalLink(value: string): boolean {
  return value.startsWith('https://id.gs1.org/');
}
