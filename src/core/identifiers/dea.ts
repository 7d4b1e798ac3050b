import { fail, ok, type Result } from './result';

/**
 * DEA registration number: two letters and seven digits, the last a check digit: (d1+d3+d5) + 2×(d2+d4+d6),
 * last digit = d7. The first letter says the registrant type, the second is the first letter of the registrant's
 * last name (or "9" for a business address). Sources: DEA registration file layout; reg-formats §6.1.
 */
export interface DeaNumber {
  readonly value: string;
  readonly registrantTypeLetter: string;
  /** Informational only: third-party tables disagree on letter meanings, so we never reject on this. */
  readonly registrantTypeHint?: string;
}

const TYPE_HINTS: Record<string, string> = {
  A: 'practitioner, hospital/clinic, pharmacy or teaching institution (older registration)',
  B: 'hospital/clinic',
  C: 'practitioner',
  F: 'practitioner, hospital/clinic, pharmacy or teaching institution',
  G: 'practitioner, hospital/clinic, pharmacy or teaching institution',
  M: 'mid-level practitioner',
  P: 'manufacturer, distributor, researcher, analytical lab, importer, exporter, reverse distributor or narcotic treatment program',
  R: 'manufacturer, distributor, researcher, analytical lab, importer, exporter, reverse distributor or narcotic treatment program',
  X: 'former DATA-waiver number (X-waiver eliminated by the MAT Act, 2023)',
};

export function parseDeaNumber(input: string): Result<DeaNumber> {
  const text = input.trim().toUpperCase();
  if (text.length !== 9)
    return fail('length', `a DEA number has 9 characters (2 letters, 7 digits); this has ${text.length}`);
  if (!/[A-Z]/.test(text[0] as string))
    return fail('dea-first-letter', 'character 1 must be a letter (registrant type)', 0);
  if (!/[A-Z9]/.test(text[1] as string))
    return fail('dea-second-letter', 'character 2 must be a letter or 9', 1);
  for (let i = 2; i < 9; i++) {
    if (!/[0-9]/.test(text[i] as string))
      return fail('non-digit', `character ${i + 1} ("${text[i]}") must be a digit`, i);
  }
  const d = [...text.slice(2)].map(Number) as [number, number, number, number, number, number, number];
  const expected = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10;
  if (expected !== d[6]) {
    return fail(
      'check-digit',
      `DEA check digit (character 9) is ${d[6]} but should be ${expected}; re-key the number`,
      8,
    );
  }
  const letter = text[0] as string;
  const hint = TYPE_HINTS[letter];
  return ok({ value: text, registrantTypeLetter: letter, ...(hint ? { registrantTypeHint: hint } : {}) });
}
