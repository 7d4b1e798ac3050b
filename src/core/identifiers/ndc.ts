import { checkGs1Key } from './check-digit';
import { withGs1CheckDigit } from './gs1-keys';
import { fail, ok, type Result } from './result';

/**
 * US National Drug Code. The 10-digit NDC has three labeler-product-package configurations (21 CFR 207.33):
 * 4-4-2, 5-3-2 and 5-4-1. HIPAA transactions use the 11-digit 5-4-2 form, made by a leading zero on the short
 * segment. A drug GTIN-14 is indicator + "03" + the 10 NDC digits + check digit (GS1 US guideline; the
 * UPC-A "3"+NDC10 is the same number with indicator 0). Neither the 11-digit form nor a GTIN says where the
 * segments split, so going back yields every configuration that fits; only the FDA NDC Directory can choose.
 */
export type NdcConfiguration = '4-4-2' | '5-3-2' | '5-4-1';

export interface Ndc {
  /** Hyphenated 10-digit form, e.g. "0002-7597-01". */
  readonly ndc10: string;
  readonly configuration: NdcConfiguration;
  /** Hyphenated 11-digit 5-4-2 form, e.g. "00002-7597-01". */
  readonly ndc11: string;
}

const CONFIGS: Record<NdcConfiguration, [number, number, number]> = {
  '4-4-2': [4, 4, 2],
  '5-3-2': [5, 3, 2],
  '5-4-1': [5, 4, 1],
};

function build(digits10: string, configuration: NdcConfiguration): Ndc {
  const [a, b] = CONFIGS[configuration];
  const labeler = digits10.slice(0, a);
  const product = digits10.slice(a, a + b);
  const pkg = digits10.slice(a + b);
  return {
    ndc10: `${labeler}-${product}-${pkg}`,
    configuration,
    ndc11: `${labeler.padStart(5, '0')}-${product.padStart(4, '0')}-${pkg.padStart(2, '0')}`,
  };
}

/**
 * Parses a hyphenated 10-digit NDC ("0002-7597-01", "50242-040-62", "60575-4112-1"); the hyphens fix the
 * configuration. An 11-digit NDC is accepted with parseNdc11. Plain 10 digits are ambiguous: use ndcCandidates.
 */
export function parseNdc(text: string): Result<Ndc> {
  const bad = /[^0-9-]/.exec(text);
  if (bad)
    return fail(
      'ndc-character',
      `character ${bad.index + 1} ("${bad[0]}") is not a digit or hyphen`,
      bad.index,
    );
  const segments = text.split('-');
  if (segments.length !== 3) {
    return fail(
      'ndc-format',
      segments.length === 1
        ? 'an NDC without hyphens does not say its configuration (4-4-2, 5-3-2 or 5-4-1); write it with hyphens'
        : `an NDC has three hyphen-separated segments; this has ${segments.length}`,
    );
  }
  const shape = segments.map((s) => s.length).join('-');
  if (shape === '5-4-2') return parseNdc11(text);
  if (!(shape in CONFIGS)) {
    return fail(
      'ndc-format',
      `segment lengths ${shape} are not an NDC configuration (4-4-2, 5-3-2, 5-4-1 or 11-digit 5-4-2)`,
    );
  }
  return ok(build(segments.join(''), shape as NdcConfiguration));
}

/** Every 10-digit configuration that fits 10 bare digits. */
export function ndcCandidates(digits10: string): Result<Ndc[]> {
  if (!/^[0-9]{10}$/.test(digits10)) return fail('ndc-format', 'expected exactly 10 digits');
  return ok((Object.keys(CONFIGS) as NdcConfiguration[]).map((c) => build(digits10, c)));
}

/**
 * An 11-digit NDC ("00002-7597-01" or "00002759701") back to 10 digits: each zero-padded segment is a possible
 * source, so this returns 1 to 3 candidates (first: the one parsed, when hyphenated input fixes nothing else).
 */
export function parseNdc11(text: string): Result<Ndc> {
  const digits = text.replace(/-/g, '');
  if (!/^[0-9]{11}$/.test(digits)) return fail('ndc-format', 'an 11-digit NDC has 11 digits (5-4-2)');
  const candidates = ndc11Candidates(digits);
  const first = candidates[0];
  if (!first) {
    return fail(
      'ndc-11-not-convertible',
      'no segment of this 11-digit NDC starts with the padding zero, so it has no 10-digit form',
    );
  }
  return ok(first);
}

export function ndc11Candidates(digits11: string): Ndc[] {
  const out: Ndc[] = [];
  if (digits11[0] === '0') out.push(build(digits11.slice(1), '4-4-2'));
  if (digits11[5] === '0') out.push(build(digits11.slice(0, 5) + digits11.slice(6), '5-3-2'));
  if (digits11[9] === '0') out.push(build(digits11.slice(0, 9) + digits11.slice(10), '5-4-1'));
  return out;
}

/** NDC -> GTIN-14: indicator (0 = unit of use, 1-8 = packaging levels) + "03" + NDC10 + check digit. */
export function ndcToGtin14(ndc: Ndc, indicator = 0): Result<string> {
  if (!Number.isInteger(indicator) || indicator < 0 || indicator > 8)
    return fail('indicator', 'the indicator digit is 0 to 8');
  return withGs1CheckDigit(`${indicator}03${ndc.ndc10.replace(/-/g, '')}`);
}

/** GTIN-14 (or GTIN-12 "3…") -> the NDC configurations it can hold; fails if it is not an NDC-based GTIN. */
export function gtinToNdcCandidates(gtin: string): Result<Ndc[]> {
  const key = checkGs1Key(gtin, [12, 14], 'GTIN');
  if (!key.ok) return key;
  const g14 = gtin.padStart(14, '0');
  if (g14.slice(1, 3) !== '03') {
    return fail(
      'not-ndc-gtin',
      'this GTIN does not carry an NDC (US drug GTINs have "03" after the indicator digit)',
      gtin.length === 14 ? 1 : 0,
    );
  }
  return ndcCandidates(g14.slice(3, 13));
}
