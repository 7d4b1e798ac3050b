import { checkGs1Key, firstNonDigit, gs1CheckDigit } from './check-digit';
import { fail, ok, type Result } from './result';

/** GTIN-8/12/13/14 (GenSpecs §3.3.2), returned as the 14-digit form used in (01) and Digital Links. */
export interface Gtin {
  readonly gtin14: string;
  /** The length it was written in (8, 12, 13 or 14). */
  readonly format: 8 | 12 | 13 | 14;
}

export function parseGtin(text: string): Result<Gtin> {
  const checked = checkGs1Key(text, [8, 12, 13, 14], 'GTIN');
  if (!checked.ok) return checked;
  return ok({ gtin14: text.padStart(14, '0'), format: text.length as Gtin['format'] });
}

/** GLN: 13 digits with a GS1 check digit (GenSpecs §3.4.x). */
export function parseGln(text: string): Result<string> {
  return checkGs1Key(text, [13], 'GLN');
}

/** SSCC: 18 digits, extension digit first (GenSpecs §3.3.1). */
export function parseSscc(text: string): Result<string> {
  return checkGs1Key(text, [18], 'SSCC');
}

/** Completes a GS1 key body with its check digit (e.g. indicator + "03" + NDC10 for a US drug GTIN). */
export function withGs1CheckDigit(dataDigits: string): Result<string> {
  const bad = firstNonDigit(dataDigits);
  if (bad >= 0) return fail('non-digit', `character ${bad + 1} is "${dataDigits[bad]}", not a digit`, bad);
  return ok(dataDigits + String(gs1CheckDigit(dataDigits)));
}
