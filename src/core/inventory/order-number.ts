import { fail, ok, type Result } from '../identifiers/result';

/**
 * The order behind a Schedule I/II distribution (21 CFR 1305.03).
 * - CSOS: the purchaser's unique tracking number, 9 characters: the last two digits of the year,
 *   "X", and six characters the purchaser chooses (1305.21(b)(1); reg-formats.md §3.3), e.g. 26X000123.
 * - DEA Form 222: the serial number DEA prints on the form (1305.11), 9 characters like the ARCOS
 *   record's order-form field (positions 41-49, reg-formats.md §5). Which of the 9 are letters is not
 *   in our sources (reg-formats.md §3.2), so we accept 9 letters and digits and keep it as printed.
 */
export function checkOrderNumber(
  kind: 'dea-222' | 'csos',
  text: string,
  dateSigned?: string,
): Result<string> {
  const value = text.trim().toUpperCase();
  if (kind === 'csos') {
    const match = /^(\d{2})X([A-Z0-9]{6})$/.exec(value);
    if (!match) {
      return fail(
        'csos-order-number',
        'a CSOS order number is 9 characters: two digits of the year, "X", then six letters or digits (e.g. 26X000123)',
      );
    }
    if (dateSigned !== undefined && match[1] !== dateSigned.slice(2, 4)) {
      return fail(
        'csos-order-year',
        `the order number starts with year ${match[1]} but the date is in ${dateSigned.slice(0, 4)}`,
      );
    }
    return ok(value);
  }
  if (!/^[A-Z0-9]{9}$/.test(value)) {
    return fail(
      'dea-222-serial',
      'a DEA Form 222 serial number is the 9 letters and digits printed on the form',
    );
  }
  return ok(value);
}
