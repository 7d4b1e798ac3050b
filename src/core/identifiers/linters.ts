import { gs1CheckDigit } from './check-digit';
import { isDigit } from './charsets';

/**
 * Component linters named in the GS1 Barcode Syntax Dictionary ("csum", "yymmd0" …), after the GS1
 * Barcode Syntax Tests (ref.gs1.org/tools/gs1-barcode-syntax-resource/syntax-tests). Each returns
 * undefined when the component passes, or the GS1 linter error name, the offending offset within the
 * component and a sentence for a person.
 */
export interface LintFailure {
  readonly code: string;
  readonly offset: number;
  readonly length?: number;
  readonly message: string;
}

type Linter = (data: string) => LintFailure | undefined;

const fail = (code: string, offset: number, message: string, length = 1): LintFailure => ({
  code,
  offset,
  length,
  message,
});

function lintCsum(data: string): LintFailure | undefined {
  if (data.length === 0) return fail('GS1_LINTER_TOO_SHORT_FOR_CHECK_DIGIT', 0, 'no digits to check', 0);
  const expected = gs1CheckDigit(data.slice(0, -1));
  const actual = data.charCodeAt(data.length - 1) - 48;
  if (expected === actual) return undefined;
  return fail(
    'GS1_LINTER_INCORRECT_CHECK_DIGIT',
    data.length - 1,
    `check digit is ${actual} but should be ${expected}`,
  );
}

// GenSpecs §7.9.5: check character pair over CSET 82, weights are successive primes.
const CSET82_ORDER = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const PRIMES: number[] = [];
for (let n = 2; PRIMES.length < 100; n++) if (PRIMES.every((p) => n % p !== 0)) PRIMES.push(n);
function lintCsumAlpha(data: string): LintFailure | undefined {
  if (data.length < 2)
    return fail(
      'GS1_LINTER_TOO_SHORT_FOR_CHECK_PAIR',
      0,
      'too short to carry a check character pair',
      data.length,
    );
  const body = data.slice(0, -2);
  if (body.length > PRIMES.length)
    return fail(
      'GS1_LINTER_TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION',
      0,
      'too long for a check character pair',
      data.length,
    );
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    sum += CSET82_ORDER.indexOf(body[i] as string) * (PRIMES[body.length - 1 - i] as number);
  }
  sum %= 1021;
  const pair = (CSET32[sum >> 5] as string) + (CSET32[sum & 31] as string);
  if (data.slice(-2) === pair) return undefined;
  return fail(
    'GS1_LINTER_INCORRECT_CHECK_PAIR',
    data.length - 2,
    `check character pair should be ${pair}`,
    2,
  );
}

function gcpPos(data: string, from: number): LintFailure | undefined {
  // The shortest GS1 Company Prefix has 4 digits (GS1 GenSpecs §1.4.4: GS1-8 prefixes aside).
  const prefix = data.slice(from, from + 4);
  if (prefix.length < 4)
    return fail(
      'GS1_LINTER_TOO_SHORT_FOR_GCP',
      from,
      'too short to hold a GS1 Company Prefix',
      data.length - from,
    );
  for (let i = 0; i < prefix.length; i++) {
    if (!isDigit(prefix[i]))
      return fail('GS1_LINTER_INVALID_GCP_PREFIX', from + i, 'a GS1 Company Prefix has digits only');
  }
  return undefined;
}

function two(data: string, at: number): number {
  return Number(data.slice(at, at + 2));
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// GenSpecs §7.12: YY is resolved into the century that puts it within -49..+50 years of today.
export function resolveCentury(yy: number, now = new Date()): number {
  const current = now.getUTCFullYear();
  const base = current - (current % 100);
  const diff = yy - (current % 100);
  if (diff >= 51) return base - 100 + yy;
  if (diff <= -50) return base + 100 + yy;
  return base + yy;
}

function lintDate(data: string, dayZeroAllowed: boolean, centuryDigits: boolean): LintFailure | undefined {
  const yl = centuryDigits ? 4 : 2;
  if (data.length !== yl + 4) return fail('GS1_LINTER_DATE_TOO_SHORT', 0, 'a date needs YYMMDD', data.length);
  const year = centuryDigits ? Number(data.slice(0, 4)) : resolveCentury(two(data, 0));
  const month = two(data, yl);
  const day = two(data, yl + 2);
  if (month < 1 || month > 12)
    return fail('GS1_LINTER_ILLEGAL_MONTH', yl, `month ${data.slice(yl, yl + 2)} does not exist`, 2);
  if (day === 0 && dayZeroAllowed) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) {
    return fail(
      'GS1_LINTER_ILLEGAL_DAY',
      yl + 2,
      `day ${data.slice(yl + 2, yl + 4)} does not exist in month ${month} of ${year}`,
      2,
    );
  }
  return undefined;
}

function lintRange(code: string, max: number, what: string): Linter {
  return (data) =>
    Number(data) > max ? fail(code, 0, `${what} ${data} is out of range`, data.length) : undefined;
}

function lintHhmi(data: string): LintFailure | undefined {
  if (two(data, 0) > 23)
    return fail('GS1_LINTER_ILLEGAL_HOUR', 0, `hour ${data.slice(0, 2)} does not exist`, 2);
  if (two(data, 2) > 59)
    return fail('GS1_LINTER_ILLEGAL_MINUTE', 2, `minute ${data.slice(2, 4)} does not exist`, 2);
  return undefined;
}

function lintPieceOfTotal(data: string): LintFailure | undefined {
  const half = data.length / 2;
  const piece = Number(data.slice(0, half));
  const total = Number(data.slice(half));
  if (piece === 0) return fail('GS1_LINTER_ZERO_PIECE_NUMBER', 0, 'piece number must not be zero', half);
  if (total === 0)
    return fail('GS1_LINTER_ZERO_TOTAL_PIECES', half, 'total number of pieces must not be zero', half);
  if (piece > total)
    return fail(
      'GS1_LINTER_PIECE_NUMBER_EXCEEDS_TOTAL',
      0,
      `piece ${piece} exceeds the total ${total}`,
      data.length,
    );
  return undefined;
}

function lintPcenc(data: string): LintFailure | undefined {
  for (let i = 0; i < data.length; i++) {
    if (data[i] === '%' && !/^[0-9A-Fa-f]{2}$/.test(data.slice(i + 1, i + 3))) {
      return fail(
        'GS1_LINTER_INVALID_PERCENT_SEQUENCE',
        i,
        '"%" must start a two-hex-digit escape',
        Math.min(3, data.length - i),
      );
    }
  }
  return undefined;
}

function lintLatitude(data: string): LintFailure | undefined {
  return Number(data) > 1800000000
    ? fail('GS1_LINTER_INVALID_LATITUDE', 0, 'latitude out of range', data.length)
    : undefined;
}
function lintLongitude(data: string): LintFailure | undefined {
  return Number(data) > 3600000000
    ? fail('GS1_LINTER_INVALID_LONGITUDE', 0, 'longitude out of range', data.length)
    : undefined;
}

function lintPosInSeqSlash(data: string): LintFailure | undefined {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(data);
  if (!m)
    return fail('GS1_LINTER_POSITION_IN_SEQUENCE_MALFORMED', 0, 'expected "position/total"', data.length);
  const [, pos = '', end = ''] = m;
  if (pos.startsWith('0')) return fail('GS1_LINTER_ILLEGAL_ZERO_PREFIX', 0, 'position must not start with 0');
  if (end.startsWith('0'))
    return fail('GS1_LINTER_ILLEGAL_ZERO_PREFIX', pos.length + 1, 'total must not start with 0');
  if (Number(pos) > Number(end))
    return fail('GS1_LINTER_POSITION_EXCEEDS_END', 0, `position ${pos} exceeds ${end}`, data.length);
  return undefined;
}

function lintIban(data: string): LintFailure | undefined {
  if (data.length < 5)
    return fail('GS1_LINTER_IBAN_TOO_SHORT', 0, 'an IBAN has at least 5 characters', data.length);
  for (let i = 0; i < data.length; i++) {
    const c = data[i] as string;
    const ok = i < 2 ? /[A-Z]/.test(c) : i < 4 ? isDigit(c) : /[0-9A-Z]/.test(c);
    if (!ok)
      return fail(
        'GS1_LINTER_INVALID_IBAN_CHARACTER',
        i,
        `${JSON.stringify(c)} is not allowed here in an IBAN`,
      );
  }
  if (!IBAN_COUNTRIES.has(data.slice(0, 2)))
    return fail('GS1_LINTER_ILLEGAL_IBAN_COUNTRY_CODE', 0, 'not an IBAN country code', 2);
  // ISO 13616: move the first four characters to the end, letters to 10..35, mod 97 must be 1.
  const rearranged = data.slice(4) + data.slice(0, 4);
  let rem = 0;
  for (const c of rearranged) {
    const v = isDigit(c) ? c : String(c.charCodeAt(0) - 55);
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem === 1
    ? undefined
    : fail('GS1_LINTER_INCORRECT_IBAN_CHECKSUM', 2, 'IBAN check digits do not match', 2);
}
const IBAN_COUNTRIES = new Set(
  'AD AE AL AT AZ BA BE BG BH BI BR BY CH CR CY CZ DE DJ DK DO EE EG ES FI FK FO FR GB GE GI GL GR GT HR HU IE IL IQ IS IT JO KW KZ LB LC LI LT LU LV LY MC MD ME MK MN MR MT MU NI NL NO OM PK PL PS PT QA RO RS RU SA SC SD SE SI SK SM SO ST SV TL TN TR UA VA VG XK YE'.split(
    ' ',
  ),
);

const LINTERS: Record<string, Linter> = {
  csum: lintCsum,
  csumalpha: lintCsumAlpha,
  gcppos1: (d) => gcpPos(d, 0),
  gcppos2: (d) => gcpPos(d, 1),
  yymmd0: (d) => lintDate(d, true, false),
  yymmdd: (d) => lintDate(d, false, false),
  yyyymmdd: (d) => lintDate(d, false, true),
  yyyymmd0: (d) => lintDate(d, true, true),
  hhmi: lintHhmi,
  hh: lintRange('GS1_LINTER_ILLEGAL_HOUR', 23, 'hour'),
  mi: lintRange('GS1_LINTER_ILLEGAL_MINUTE', 59, 'minute'),
  ss: lintRange('GS1_LINTER_ILLEGAL_SECOND', 59, 'second'),
  nonzero: (d) =>
    /^0*$/.test(d) ? fail('GS1_LINTER_ILLEGAL_ZERO_VALUE', 0, 'must not be zero', d.length) : undefined,
  zero: (d) => (!/^0+$/.test(d) ? fail('GS1_LINTER_NOT_ZERO', 0, 'must be 0') : undefined),
  nozeroprefix: (d) =>
    d.startsWith('0') ? fail('GS1_LINTER_ILLEGAL_ZERO_PREFIX', 0, 'must not start with 0') : undefined,
  yesno: (d) =>
    d !== '0' && d !== '1' ? fail('GS1_LINTER_NOT_ZERO_OR_ONE', 0, 'must be 0 or 1') : undefined,
  winding: (d) =>
    !/^[019]$/.test(d)
      ? fail('GS1_LINTER_INVALID_WINDING_DIRECTION', 0, 'winding direction must be 0, 1 or 9')
      : undefined,
  hyphen: (d) =>
    d === '' || /[^-]/.test(d)
      ? fail('GS1_LINTER_NOT_HYPHEN', Math.max(0, d.search(/[^-]/)), 'must be "-"')
      : undefined,
  pieceoftotal: lintPieceOfTotal,
  pcenc: lintPcenc,
  latitude: lintLatitude,
  longitude: lintLongitude,
  posinseqslash: lintPosInSeqSlash,
  iban: lintIban,
  hasnondigit: (d) =>
    /^[0-9]*$/.test(d)
      ? fail('GS1_LINTER_REQUIRES_NON_DIGIT_CHARACTER', 0, 'must contain a non-digit', d.length)
      : undefined,
  iso5218: (d) =>
    !/^[0129]$/.test(d)
      ? fail('GS1_LINTER_INVALID_BIOLOGICAL_SEX_CODE', 0, 'ISO 5218 sex code must be 0, 1, 2 or 9')
      : undefined,
  importeridx: (d) =>
    !/^[0-9A-Za-z_-]$/.test(d)
      ? fail('GS1_LINTER_INVALID_IMPORT_IDX_CHARACTER', 0, 'importer index must be one of 0-9 A-Z a-z _ -')
      : undefined,
};

/** Linters we register from other modules (ISO code lists) to keep this file short. */
export function registerLinter(name: string, linter: Linter): void {
  LINTERS[name] = linter;
}

/** Runs a named linter; an unknown linter name passes (reported by `unimplementedLinters`). */
export function runLinter(name: string, data: string): LintFailure | undefined {
  return LINTERS[name]?.(data);
}

export function hasLinter(name: string): boolean {
  return name in LINTERS;
}
