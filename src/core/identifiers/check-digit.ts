import { fail, ok, type Result } from './result';

/**
 * GS1 mod-10 check digit (GS1 General Specifications §7.9.1): weights 3,1,3,1… from the rightmost
 * data digit leftwards; the check digit brings the weighted sum to a multiple of ten. Serves GTIN-8/12/13/14,
 * GLN, SSCC, GSRN, GDTI, GRAI, GCN, GSIN.
 */
export function gs1CheckDigit(dataDigits: string): number {
  let sum = 0;
  for (let i = dataDigits.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += (dataDigits.charCodeAt(i) - 48) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

export function isDigits(text: string): boolean {
  return /^[0-9]+$/.test(text);
}

/** First position (0-based) of a character that is not 0-9, or -1. */
export function firstNonDigit(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return i;
  }
  return -1;
}

/**
 * Checks a complete GS1 key (data digits followed by its check digit) of an expected length.
 * `label` names the key in the message ("GTIN-14", "SSCC" …).
 */
export function checkGs1Key(text: string, lengths: readonly number[], label: string): Result<string> {
  const bad = firstNonDigit(text);
  if (bad >= 0) {
    return fail('non-digit', `${label} must be digits only; character ${bad + 1} is "${text[bad]}"`, bad);
  }
  if (!lengths.includes(text.length)) {
    return fail(
      'length',
      `${label} must have ${lengths.join(' or ')} digits; this one has ${text.length}`,
      Math.min(text.length, Math.max(...lengths)),
    );
  }
  const expected = gs1CheckDigit(text.slice(0, -1));
  const actual = text.charCodeAt(text.length - 1) - 48;
  if (expected !== actual) {
    return fail(
      'check-digit',
      `${label} check digit (character ${text.length}) is ${actual} but should be ${expected}; re-key or re-scan it`,
      text.length - 1,
    );
  }
  return ok(text);
}
