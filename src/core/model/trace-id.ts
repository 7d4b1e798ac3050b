import { parseDigitalLink } from '../identifiers';

/**
 * Identifiers in the one canonical form the records use (GS1 Digital Link, CBV 2.0 §8.9), split
 * into their parts. Pure: the sealed store of them is trace/ids.ts.
 */
export type TraceIdKind = 'sgtin' | 'sscc' | 'lgtin' | 'gtin' | 'other';

/** What an identifier in the canonical Digital Link form (epcis/model.ts) says, split into its parts. */
export interface ParsedTraceId {
  readonly canonical: string;
  readonly kind: TraceIdKind;
  readonly gtin?: string;
  readonly serial?: string;
  readonly lot?: string;
  readonly sscc?: string;
}

const cache = new Map<string, ParsedTraceId>();

export function parseTraceId(canonical: string): ParsedTraceId {
  const hit = cache.get(canonical);
  if (hit !== undefined) return hit;
  const parsed = compute(canonical);
  if (cache.size > 10_000) cache.clear();
  cache.set(canonical, parsed);
  return parsed;
}

function compute(canonical: string): ParsedTraceId {
  if (!canonical.startsWith('https://id.gs1.org/')) return { canonical, kind: 'other' };
  // The fast path covers the two shapes 99% of pharma identifiers take.
  const sgtin = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/21\/([^/?#]+)$/.exec(canonical);
  if (sgtin !== null && !sgtin[2]!.includes('%')) {
    return { canonical, kind: 'sgtin', gtin: sgtin[1]!, serial: sgtin[2]! };
  }
  const sscc = /^https:\/\/id\.gs1\.org\/00\/(\d{18})$/.exec(canonical);
  if (sscc !== null) return { canonical, kind: 'sscc', sscc: sscc[1]! };
  const dl = parseDigitalLink(canonical);
  if (!dl.ok) return { canonical, kind: 'other' };
  const { primaryKey, qualifiers } = dl.value;
  const q = (ai: string) => qualifiers.find((x) => x.ai === ai)?.value;
  if (primaryKey.ai === '00') return { canonical, kind: 'sscc', sscc: primaryKey.value };
  if (primaryKey.ai !== '01') return { canonical, kind: 'other' };
  const serial = q('21');
  if (serial !== undefined) return { canonical, kind: 'sgtin', gtin: primaryKey.value, serial };
  const lot = q('10');
  if (lot !== undefined) return { canonical, kind: 'lgtin', gtin: primaryKey.value, lot };
  return { canonical, kind: 'gtin', gtin: primaryKey.value };
}

/** The canonical Digital Link of a GTIN + serial, SSCC, or GTIN + lot (CBV 2.0 §8.9 canonical form). */
export function canonicalSgtin(gtin: string, serial: string): string {
  return `https://id.gs1.org/01/${gtin}/21/${encodeURIComponent(serial).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
export function canonicalSscc(sscc: string): string {
  return `https://id.gs1.org/00/${sscc}`;
}
export function canonicalLgtin(gtin: string, lot: string): string {
  return `https://id.gs1.org/01/${gtin}/10/${encodeURIComponent(lot)}`;
}

/** Instance-level identifiers have a serial life cycle; classes and other URIs do not. */
export function isInstance(kind: TraceIdKind): boolean {
  return kind === 'sgtin' || kind === 'sscc';
}
