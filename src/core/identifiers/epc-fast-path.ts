import { CANONICAL_DL_STEM } from './digital-link';

/**
 * Shortcuts for the identifiers that make up nearly every DSCSA EPCIS event: sgtin and sscc EPCs, sgln
 * locations and lgtin classes, and the canonical Digital Links they become. Each function either returns
 * exactly what the general conversion would return for its input, or undefined, and then the general
 * conversion runs and decides, with its precise errors. So the shortcuts only accept input that needs no
 * decision: digits where digits belong, a company prefix of 6 to 12 digits, and serials, lots and
 * extensions of 1 to 20 characters from A-Z a-z 0-9 - . _ (in GS1 character set 82, TDS 2.x §6, and
 * unreserved in RFC 3986, so no escaping either way). Test: epc-fast-path.test.ts compares the two.
 */

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const DOT = 0x2e;

/** 1 for A-Z a-z 0-9 - . _ : a value made of these reads the same in a URN, an element string and a DL path. */
const PLAIN = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const c = String.fromCharCode(code);
  if (/[A-Za-z0-9._-]/.test(c)) PLAIN[code] = 1;
}

/** Length of the run of digits at `from`. */
function digitRun(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) break;
    i++;
  }
  return i - from;
}

/** True when text[from..] is 1 to 20 plain characters (the AI 21, 10 and 254 format X..20). */
function plainTail(text: string, from: number): boolean {
  const length = text.length - from;
  if (length < 1 || length > 20) return false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || PLAIN[c] !== 1) return false;
  }
  return true;
}

/** GS1 mod-10 check digit over text[from, to) (GenSpecs §7.9.1), as a character. */
function checkDigit(text: string, from: number, to: number): string {
  let sum = 0;
  for (let i = to - 1, weight = 3; i >= from; i--, weight = 4 - weight) {
    sum += (text.charCodeAt(i) - DIGIT_0) * weight;
  }
  return String.fromCharCode(DIGIT_0 + ((10 - (sum % 10)) % 10));
}

const SGTIN = 'urn:epc:id:sgtin:';
const SSCC = 'urn:epc:id:sscc:';
const SGLN = 'urn:epc:id:sgln:';
const LGTIN = 'urn:epc:class:lgtin:';
const STEM = CANONICAL_DL_STEM;

/**
 * The company prefix and reference of a URN body at `from`: `gcp.ref.` or, for sscc, `gcp.ref` to the
 * end. Returns the offset after the reference's dot (or the end), or -1 when the shape is not the
 * common one (`total` digits in all, 6 to 12 of them in the prefix).
 */
function prefixAndReference(urn: string, from: number, total: number, last: boolean): number {
  const gcp = digitRun(urn, from);
  if (gcp < 6 || gcp > 12 || urn.charCodeAt(from + gcp) !== DOT) return -1;
  const refAt = from + gcp + 1;
  const ref = digitRun(urn, refAt);
  if (gcp + ref !== total) return -1;
  const end = refAt + ref;
  if (last) return end === urn.length ? end : -1;
  return urn.charCodeAt(end) === DOT ? end + 1 : -1;
}

/** `urn:epc:id:sgtin:` / `urn:epc:class:lgtin:` (TDS 2.x §7.1): GTIN-14 from indicator, prefix, item reference. */
function gtinLink(urn: string, from: number, qualifier: '/21/' | '/10/'): string | undefined {
  const tail = prefixAndReference(urn, from, 13, false);
  if (tail < 0 || !plainTail(urn, tail)) return undefined;
  const dot = urn.indexOf('.', from);
  // Indicator digit, company prefix, item reference without the indicator: 13 digits, then the check digit.
  const body = urn[dot + 1] + urn.slice(from, dot) + urn.slice(dot + 2, tail - 1);
  return `${STEM}/01/${body}${checkDigit(body, 0, 13)}${qualifier}${urn.slice(tail)}`;
}

/** EPC URN -> canonical Digital Link for the common well-formed sgtin, sscc, sgln and lgtin URNs, else undefined. */
export function fastEpcUrnToDigitalLink(urn: string): string | undefined {
  if (urn.startsWith(SGTIN)) return gtinLink(urn, SGTIN.length, '/21/');
  if (urn.startsWith(LGTIN)) return gtinLink(urn, LGTIN.length, '/10/');
  if (urn.startsWith(SSCC)) {
    const from = SSCC.length;
    if (prefixAndReference(urn, from, 17, true) < 0) return undefined;
    const dot = urn.indexOf('.', from);
    // TDS 2.x §7.2: extension digit, company prefix, serial reference, check digit.
    const body = urn[dot + 1] + urn.slice(from, dot) + urn.slice(dot + 2);
    return `${STEM}/00/${body}${checkDigit(body, 0, 17)}`;
  }
  if (urn.startsWith(SGLN)) {
    const from = SGLN.length;
    const tail = prefixAndReference(urn, from, 12, false);
    if (tail < 0 || !plainTail(urn, tail)) return undefined;
    const dot = urn.indexOf('.', from);
    const body = urn.slice(from, dot) + urn.slice(dot + 1, tail - 1);
    const gln = `${STEM}/414/${body}${checkDigit(body, 0, 12)}`;
    // TDS 2.x §6.3.3: extension "0" means the GLN itself, without (254).
    return tail === urn.length - 1 && urn.charCodeAt(tail) === DIGIT_0
      ? gln
      : `${gln}/254/${urn.slice(tail)}`;
  }
  return undefined;
}

const CANONICAL_PREFIX = `${STEM}/`;

/**
 * The input itself when it already is a canonical, constrained Digital Link of the common kinds
 * (01, 01+21, 01+10, 00, 414, 414+254 on https://id.gs1.org with a correct check digit and plain
 * qualifier values), else undefined. The CBV 2.0 event hash re-canonicalises every identifier the
 * model already holds in this form, so this is the hot case.
 */
export function fastCanonicalDigitalLink(text: string): string | undefined {
  if (!text.startsWith(CANONICAL_PREFIX)) return undefined;
  const at = CANONICAL_PREFIX.length;
  let keyLength: number;
  let qualifiers: readonly string[];
  let valueAt: number;
  if (text.startsWith('01/', at)) {
    keyLength = 14;
    qualifiers = ['21', '10'];
    valueAt = at + 3;
  } else if (text.startsWith('00/', at)) {
    keyLength = 18;
    qualifiers = [];
    valueAt = at + 3;
  } else if (text.startsWith('414/', at)) {
    keyLength = 13;
    qualifiers = ['254'];
    valueAt = at + 4;
  } else return undefined;
  const end = valueAt + keyLength;
  if (digitRun(text, valueAt) !== keyLength) return undefined;
  if (checkDigit(text, valueAt, end - 1) !== text[end - 1]) return undefined;
  if (end === text.length) return text;
  if (text.charCodeAt(end) !== 0x2f) return undefined;
  const slash = text.indexOf('/', end + 1);
  if (slash < 0 || !qualifiers.includes(text.slice(end + 1, slash))) return undefined;
  return plainTail(text, slash + 1) ? text : undefined;
}
