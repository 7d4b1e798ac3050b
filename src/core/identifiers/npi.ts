import { fail, ok, type Result } from './result';

/**
 * National Provider Identifier (45 CFR 162.406): 10 digits, first 1 or 2, last a Luhn check digit computed
 * as if the card-issuer prefix 80840 preceded the first nine digits (CMS NPI check digit notice).
 */
export function parseNpi(text: string): Result<string> {
  const bad = /[^0-9]/.exec(text);
  if (bad) return fail('non-digit', `character ${bad.index + 1} ("${bad[0]}") is not a digit`, bad.index);
  if (text.length !== 10) return fail('length', `an NPI has 10 digits; this has ${text.length}`);
  if (text[0] !== '1' && text[0] !== '2') return fail('npi-first-digit', 'an NPI starts with 1 or 2', 0);
  const expected = luhnCheckDigit('80840' + text.slice(0, 9));
  const actual = Number(text[9]);
  if (expected !== actual)
    return fail('check-digit', `NPI check digit (character 10) is ${actual} but should be ${expected}`, 9);
  return ok(text);
}

/** Luhn (ISO/IEC 7812-1): double every second digit from the right of the payload. */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let v = payload.charCodeAt(i) - 48;
    if (double) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return (10 - (sum % 10)) % 10;
}
