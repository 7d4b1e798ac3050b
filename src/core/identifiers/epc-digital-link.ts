import { validateAiValue, type AiElement } from './ai-validate';
import { gs1CheckDigit } from './check-digit';
import {
  CANONICAL_DL_STEM,
  convenienceAlphaAi,
  generateDigitalLink,
  parseDigitalLink,
  type DigitalLink,
  type DigitalLinkOptions,
} from './digital-link';
import { fastCanonicalDigitalLink, fastEpcUrnToDigitalLink } from './epc-fast-path';
import { decodeUrnField, encodeUrnField, splitEpcUrn, type EpcUrnParts } from './epc-urn';
import { fail, ok, shift, type Result } from './result';

/**
 * EPC URN <-> GS1 Digital Link, after the GS1 EPC Tag Data Standard 2.x §7 (EPC <-> GS1 element string)
 * and GS1 Digital Link URI Syntax 1.x. EPCIS 2.0 and the CBV 2.0 event hash write every EPC as a
 * canonical Digital Link (https://id.gs1.org/…).
 *
 * The URN carries the GS1 Company Prefix (GCP) length as the position of its first dot; a Digital Link does
 * not. Going from DL to URN therefore needs the GCP length. Like the OpenEPCIS translator, we take it from
 * the caller (`gcpLength`) or from a lookup (`gcpLengthOf`, e.g. built from GS1's gcpprefixformatlist.json,
 * which OpenEPCIS ships and resolves longest-prefix-first, skipping the indicator digit of a GTIN/SSCC).
 * We ship no GCP table (it is large, changes monthly and is GS1-licensed) and, unlike a silent default,
 * answer `gcp-length-unknown` when neither is given, so a wrong split never reaches a record.
 */
export interface DigitalLinkToUrnOptions extends DigitalLinkOptions {
  readonly gcpLength?: number;
  /** Looks up the GCP length for the digits that start with the company prefix (indicator digit removed). */
  readonly gcpLengthOf?: (digitsFromPrefix: string) => number | undefined;
}

export interface EpcUrnOptions {
  /**
   * Accept URN fields with raw characters that TDS 2.x §6 requires to be %-escaped (" % & / < > ?), as some
   * partners send them. Default false: such a URN is rejected with the position of the character.
   */
  readonly tolerant?: boolean;
}

type Elements = AiElement[];

function gcpAndReference(
  parts: EpcUrnParts,
  total: number | 'max30',
  label: string,
): Result<{ gcp: string; ref: string }> {
  const [gcp = '', ref = ''] = parts.fields;
  const [gcpAt = 0, refAt = 0] = parts.offsets;
  const bad = /[^0-9]/.exec(gcp);
  if (bad)
    return fail(
      'urn-gcp',
      `${label}: the GS1 Company Prefix must be digits; character ${showAt(gcpAt + bad.index)} is "${bad[0]}"`,
      gcpAt + bad.index,
    );
  if (gcp.length < 6 || gcp.length > 12) {
    return fail(
      'urn-gcp',
      `${label}: a GS1 Company Prefix has 6 to 12 digits; this one has ${gcp.length}`,
      gcpAt,
    );
  }
  if (total !== 'max30') {
    const badRef = /[^0-9]/.exec(ref);
    if (badRef)
      return fail(
        'urn-reference',
        `${label}: the reference must be digits; found "${badRef[0]}"`,
        refAt + badRef.index,
      );
    if (gcp.length + ref.length !== total) {
      return fail(
        'urn-length',
        `${label}: company prefix and reference together must have ${total} digits; they have ${gcp.length + ref.length}`,
        refAt,
      );
    }
  }
  return ok({ gcp, ref });
}

const showAt = (offset: number): number => offset + 1;

function decoded(parts: EpcUrnParts, index: number, options: EpcUrnOptions, cpi = false): Result<string> {
  const field = parts.fields[index] ?? '';
  return shift(
    decodeUrnField(field, { tolerant: options.tolerant === true, cpi }),
    parts.offsets[index] ?? 0,
  );
}

/** GTIN-14 from the URN's company prefix and indicator+item reference (TDS 2.x §7.1). */
function gtinOf(gcp: string, indicatorItem: string): string {
  const body = indicatorItem.slice(0, 1) + gcp + indicatorItem.slice(1);
  return body + gs1CheckDigit(body);
}

function withCheck(body: string): string {
  return body + gs1CheckDigit(body);
}

function star(parts: EpcUrnParts, index: number): Result<true> {
  if (parts.fields[index] !== '*') {
    return fail(
      'urn-pattern',
      `an EPC pattern this application converts ends in ".*" (whole-class pattern)`,
      parts.offsets[index] ?? 0,
    );
  }
  return ok(true);
}

function nonEmpty(value: string, parts: EpcUrnParts, index: number, what: string): Result<string> {
  return value.length > 0 ? ok(value) : fail('urn-empty', `${what} is empty`, parts.offsets[index] ?? 0);
}

const NUMERIC_SERIAL = /^(0|[1-9][0-9]{0,11})$/;

/** URN fields -> GS1 element strings, per scheme (TDS 2.x §7.x "EPC -> GS1 element string"). */
function urnToElements(parts: EpcUrnParts, options: EpcUrnOptions): Result<Elements> {
  const key = `${parts.form}:${parts.scheme}`;
  const label = `urn:epc:${key}`;
  const chain = <T>(r: Result<T>, then: (v: T) => Result<Elements>): Result<Elements> =>
    r.ok ? then(r.value) : r;
  switch (key) {
    case 'id:sgtin':
    case 'id:upui':
    case 'class:lgtin':
      return chain(gcpAndReference(parts, 13, label), ({ gcp, ref }) =>
        chain(decoded(parts, 2, options), (third) =>
          chain(nonEmpty(third, parts, 2, 'the serial/lot'), () =>
            ok([
              { ai: '01', value: gtinOf(gcp, ref) },
              { ai: key === 'id:sgtin' ? '21' : key === 'id:upui' ? '235' : '10', value: third },
            ]),
          ),
        ),
      );
    case 'idpat:sgtin':
      return chain(gcpAndReference(parts, 13, label), ({ gcp, ref }) =>
        chain(star(parts, 2), () => ok([{ ai: '01', value: gtinOf(gcp, ref) }])),
      );
    case 'id:sscc':
      return chain(gcpAndReference(parts, 17, label), ({ gcp, ref }) =>
        ok([{ ai: '00', value: withCheck(ref.slice(0, 1) + gcp + ref.slice(1)) }]),
      );
    case 'id:sgln':
      return chain(gcpAndReference(parts, 12, label), ({ gcp, ref }) =>
        chain(decoded(parts, 2, options), (ext) =>
          chain(nonEmpty(ext, parts, 2, 'the GLN extension'), () =>
            // TDS 2.x §6.3.3: extension "0" means the GLN itself, without (254).
            ok(
              ext === '0'
                ? [{ ai: '414', value: withCheck(gcp + ref) }]
                : [
                    { ai: '414', value: withCheck(gcp + ref) },
                    { ai: '254', value: ext },
                  ],
            ),
          ),
        ),
      );
    case 'id:pgln':
      return chain(gcpAndReference(parts, 12, label), ({ gcp, ref }) =>
        ok([{ ai: '417', value: withCheck(gcp + ref) }]),
      );
    case 'id:grai':
    case 'idpat:grai':
      return chain(gcpAndReference(parts, 12, label), ({ gcp, ref }) => {
        const base = '0' + withCheck(gcp + ref);
        if (parts.form === 'idpat') return chain(star(parts, 2), () => ok([{ ai: '8003', value: base }]));
        return chain(decoded(parts, 2, options), (serial) =>
          chain(nonEmpty(serial, parts, 2, 'the GRAI serial'), () =>
            ok([{ ai: '8003', value: base + serial }]),
          ),
        );
      });
    case 'id:gdti':
    case 'idpat:gdti':
    case 'id:sgcn':
    case 'idpat:sgcn':
      return chain(gcpAndReference(parts, 12, label), ({ gcp, ref }) => {
        const ai = parts.scheme === 'gdti' ? '253' : '255';
        const base = withCheck(gcp + ref);
        if (parts.form === 'idpat') return chain(star(parts, 2), () => ok([{ ai, value: base }]));
        return chain(decoded(parts, 2, options), (serial) => {
          if (ai === '255' && !/^[0-9]{1,12}$/.test(serial)) {
            return fail(
              'urn-serial',
              `${label}: the coupon serial component must be 1 to 12 digits`,
              parts.offsets[2] ?? 0,
            );
          }
          return chain(nonEmpty(serial, parts, 2, 'the serial'), () => ok([{ ai, value: base + serial }]));
        });
      });
    case 'id:giai':
    case 'id:ginc':
      return chain(gcpAndReference(parts, 'max30', label), ({ gcp }) =>
        chain(decoded(parts, 1, options), (ref) => {
          if (key === 'id:giai' && ref.length === 0)
            return fail<Elements>(
              'urn-empty',
              `${label}: the asset reference is empty`,
              parts.offsets[1] ?? 0,
            );
          return ok([{ ai: key === 'id:giai' ? '8004' : '401', value: gcp + ref }]);
        }),
      );
    case 'id:gsrn':
    case 'id:gsrnp':
      return chain(gcpAndReference(parts, 17, label), ({ gcp, ref }) =>
        ok([{ ai: parts.scheme === 'gsrn' ? '8018' : '8017', value: withCheck(gcp + ref) }]),
      );
    case 'id:gsin':
      return chain(gcpAndReference(parts, 16, label), ({ gcp, ref }) =>
        ok([{ ai: '402', value: withCheck(gcp + ref) }]),
      );
    case 'id:cpi':
    case 'idpat:cpi':
      return chain(gcpAndReference(parts, 'max30', label), ({ gcp }) =>
        chain(decoded(parts, 1, options, true), (ref) => {
          // TDS 2.x §6.3.16: a CPI instance needs a component/part reference; only the class pattern may omit it.
          if (parts.form === 'id' && ref.length === 0) {
            return fail<Elements>(
              'urn-empty',
              `${label}: the component/part reference is empty`,
              parts.offsets[1] ?? 0,
            );
          }
          const cpi: AiElement = { ai: '8010', value: gcp + ref };
          if (parts.form === 'idpat') return chain(star(parts, 2), () => ok([cpi]));
          const serial = parts.fields[2] ?? '';
          if (!NUMERIC_SERIAL.test(serial)) {
            return fail<Elements>(
              'urn-serial',
              `${label}: the CPI serial must be 1 to 12 digits without leading zeros`,
              parts.offsets[2] ?? 0,
            );
          }
          return ok([cpi, { ai: '8011', value: serial }]);
        }),
      );
    case 'id:itip':
    case 'idpat:itip':
      return chain(gcpAndReference(parts, 13, label), ({ gcp, ref }) => {
        const [, , piece = '', total = ''] = parts.fields;
        if (!/^[0-9]{2}$/.test(piece) || !/^[0-9]{2}$/.test(total)) {
          return fail<Elements>(
            'urn-reference',
            `${label}: piece and total must be two digits each`,
            parts.offsets[2] ?? 0,
          );
        }
        const itip: AiElement = { ai: '8006', value: gtinOf(gcp, ref) + piece + total };
        if (parts.form === 'idpat') return chain(star(parts, 4), () => ok([itip]));
        return chain(decoded(parts, 4, options), (serial) =>
          chain(nonEmpty(serial, parts, 4, 'the serial'), () => ok([itip, { ai: '21', value: serial }])),
        );
      });
    default:
      return fail('urn-scheme', `${label} cannot be converted to a Digital Link`, 0);
  }
}

/** EPC URN -> GS1 element strings (AI, value), validated against the GS1 Syntax Dictionary. */
export function epcUrnToElements(urn: string, options: EpcUrnOptions = {}): Result<Elements> {
  const parts = splitEpcUrn(urn);
  if (!parts.ok) return parts;
  const elements = urnToElements(parts.value, options);
  if (!elements.ok) return elements;
  for (const element of elements.value) {
    const checked = validateAiValue(element.ai, element.value);
    // The value was assembled from several URN fields; point at the last field, which is where lengths overflow.
    if (!checked.ok)
      return fail(
        checked.error.rule,
        checked.error.message,
        parts.value.offsets[parts.value.offsets.length - 1],
      );
  }
  return elements;
}

/** EPC URN -> canonical GS1 Digital Link (https://id.gs1.org/…). */
export function epcUrnToDigitalLink(urn: string, options: EpcUrnOptions = {}): Result<string> {
  const fast = fastEpcUrnToDigitalLink(urn);
  return fast !== undefined ? ok(fast) : epcUrnToDigitalLinkGeneral(urn, options);
}

/** The conversion for every URN, through element strings; the fast path must agree with it (tests compare). */
export function epcUrnToDigitalLinkGeneral(urn: string, options: EpcUrnOptions = {}): Result<string> {
  const elements = epcUrnToElements(urn, options);
  return elements.ok ? generateDigitalLink(elements.value, CANONICAL_DL_STEM) : elements;
}

function resolveGcpLength(
  digitsFromPrefix: string,
  options: DigitalLinkToUrnOptions,
  max: number,
): Result<number> {
  const length = options.gcpLength ?? options.gcpLengthOf?.(digitsFromPrefix);
  if (length === undefined) {
    return fail(
      'gcp-length-unknown',
      'the GS1 Company Prefix length is needed to write this Digital Link as an EPC URN; pass it (gcpLength) or load a GCP length table',
    );
  }
  if (!Number.isInteger(length) || length < 6 || length > Math.min(12, max)) {
    return fail(
      'gcp-length',
      `GS1 Company Prefix length ${length} is not possible here (6 to ${Math.min(12, max)})`,
    );
  }
  if (!/^[0-9]+$/.test(digitsFromPrefix.slice(0, length))) {
    return fail(
      'gcp-length',
      `the first ${length} characters after the indicator are not all digits, so they cannot be a GS1 Company Prefix`,
    );
  }
  return ok(length);
}

/** GS1 Digital Link -> EPC URN (pure identity, or lgtin class / idpat for class-level keys). */
export function digitalLinkToEpcUrn(dl: string, options: DigitalLinkToUrnOptions = {}): Result<string> {
  const parsed = parseDigitalLink(dl, options);
  if (!parsed.ok) return parsed;
  return elementsToEpcUrn(parsed.value, options);
}

function qualifier(link: DigitalLink, ai: string): string | undefined {
  return link.qualifiers.find((q) => q.ai === ai)?.value;
}

function elementsToEpcUrn(link: DigitalLink, options: DigitalLinkToUrnOptions): Result<string> {
  const { ai, value } = link.primaryKey;
  const enc = (s: string): string => encodeUrnField(s);
  const gcpThen = (digits: string, max: number, then: (len: number) => string): Result<string> => {
    const len = resolveGcpLength(digits, options, max);
    return len.ok ? ok(then(len.value)) : len;
  };
  switch (ai) {
    case '00':
      return gcpThen(
        value.slice(1),
        16,
        (l) => `urn:epc:id:sscc:${value.slice(1, 1 + l)}.${value[0]}${value.slice(1 + l, 17)}`,
      );
    case '01': {
      const serial = qualifier(link, '21');
      const tpx = qualifier(link, '235');
      const lot = qualifier(link, '10');
      return gcpThen(value.slice(1), 12, (l) => {
        const head = `${value.slice(1, 1 + l)}.${value[0]}${value.slice(1 + l, 13)}`;
        if (serial !== undefined) return `urn:epc:id:sgtin:${head}.${enc(serial)}`;
        if (tpx !== undefined) return `urn:epc:id:upui:${head}.${enc(tpx)}`;
        if (lot !== undefined) return `urn:epc:class:lgtin:${head}.${enc(lot)}`;
        return `urn:epc:idpat:sgtin:${head}.*`;
      });
    }
    case '414':
      return gcpThen(
        value,
        12,
        (l) =>
          `urn:epc:id:sgln:${value.slice(0, l)}.${value.slice(l, 12)}.${enc(qualifier(link, '254') ?? '0')}`,
      );
    case '417':
      return gcpThen(value, 12, (l) => `urn:epc:id:pgln:${value.slice(0, l)}.${value.slice(l, 12)}`);
    case '8003': {
      const serial = value.slice(14);
      return gcpThen(value.slice(1), 12, (l) => {
        const head = `${value.slice(1, 1 + l)}.${value.slice(1 + l, 13)}`;
        return serial ? `urn:epc:id:grai:${head}.${enc(serial)}` : `urn:epc:idpat:grai:${head}.*`;
      });
    }
    case '253':
    case '255': {
      const serial = value.slice(13);
      const scheme = ai === '253' ? 'gdti' : 'sgcn';
      return gcpThen(value, 12, (l) => {
        const head = `${value.slice(0, l)}.${value.slice(l, 12)}`;
        return serial ? `urn:epc:id:${scheme}:${head}.${enc(serial)}` : `urn:epc:idpat:${scheme}:${head}.*`;
      });
    }
    case '8004':
    case '401':
      return gcpThen(
        value,
        value.length,
        (l) => `urn:epc:id:${ai === '8004' ? 'giai' : 'ginc'}:${value.slice(0, l)}.${enc(value.slice(l))}`,
      );
    case '8017':
    case '8018':
      return gcpThen(
        value,
        12,
        (l) => `urn:epc:id:${ai === '8018' ? 'gsrn' : 'gsrnp'}:${value.slice(0, l)}.${value.slice(l, 17)}`,
      );
    case '402':
      return gcpThen(value, 12, (l) => `urn:epc:id:gsin:${value.slice(0, l)}.${value.slice(l, 16)}`);
    case '8006': {
      const serial = qualifier(link, '21');
      return gcpThen(value.slice(1), 12, (l) => {
        const head = `${value.slice(1, 1 + l)}.${value[0]}${value.slice(1 + l, 13)}.${value.slice(14, 16)}.${value.slice(16, 18)}`;
        return serial !== undefined
          ? `urn:epc:id:itip:${head}.${enc(serial)}`
          : `urn:epc:idpat:itip:${head}.*`;
      });
    }
    case '8010': {
      const serial = qualifier(link, '8011');
      return gcpThen(value, value.length, (l) => {
        const head = `${value.slice(0, l)}.${encodeUrnField(value.slice(l), true)}`;
        return serial !== undefined ? `urn:epc:id:cpi:${head}.${serial}` : `urn:epc:idpat:cpi:${head}.*`;
      });
    }
    default:
      return fail('not-epc', `(${ai}) has no EPC URN form in the Tag Data Standard`);
  }
}

/**
 * Key combinations kept by the CBV 2.0 event hash (CBV 2.0 §8.9; see research §10 rule 9): the finest
 * identifying combination, nothing else. CPV (22) and every query attribute are dropped.
 */
const FINEST_QUALIFIERS: Record<string, readonly string[]> = {
  '01': ['21', '235', '10'],
  '414': ['254'],
  '8006': ['21', '10'],
  '8010': ['8011'],
};

/**
 * EPC schemes of the Tag Data Standard whose EPCs are GS1 keys with a Digital Link form (TDS 2.x §6.3;
 * lgtin is the class-level scheme). gid, usdod, adi, bic and imovn are EPCs without a GS1 key.
 */
const GS1_EPC_SCHEMES: ReadonlySet<string> = new Set([
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

/** Digital Link primary keys that have an EPC, i.e. the keys the CBV 2.0 event hash canonicalises (§8.9). */
const EPC_KEY_AIS: ReadonlySet<string> = new Set([
  '00',
  '01',
  '253',
  '255',
  '401',
  '402',
  '414',
  '417',
  '8003',
  '8004',
  '8006',
  '8010',
  '8017',
  '8018',
]);

export type CanonicalIdentifierOptions = EpcUrnOptions;

/**
 * The model's one identifier form (CBV 2.0 §8.9, research §10 rule 9): an EPC URN of a GS1 scheme, or a
 * web URI whose path holds a GS1 key that has an EPC (any domain, numeric AIs or the GS1 Digital Link 1.x
 * short names such as /gtin/ and /ser/), becomes the canonical Digital Link on https://id.gs1.org with
 * only its finest identifying key path. Anything else (a CBV URN, a non-GS1 EPC such as gid, another URI,
 * plain text) is returned unchanged: ok(text). A failure means the text claims to be a GS1 key and cannot
 * be read; the error says why and where.
 */
export function canonicalIdentifierResult(
  text: string,
  options: CanonicalIdentifierOptions = {},
): Result<string> {
  const fast = fastEpcUrnToDigitalLink(text) ?? fastCanonicalDigitalLink(text);
  return fast !== undefined ? ok(fast) : canonicalIdentifierGeneral(text, options);
}

/** canonicalIdentifierResult without the shortcuts; the shortcuts must agree with it (tests compare). */
export function canonicalIdentifierGeneral(
  text: string,
  options: CanonicalIdentifierOptions = {},
): Result<string> {
  const trimmed = text.trim();
  // Error positions count from the start of the text as given.
  const lead = text.length - text.trimStart().length;
  const urn = EPC_URN_SCHEME.exec(trimmed);
  if (urn !== null) {
    if (!GS1_EPC_SCHEMES.has((urn[2] as string).toLowerCase())) return ok(text);
    return shift(epcUrnToDigitalLinkGeneral(trimmed, options), lead);
  }
  if (!/^https?:\/\//i.test(trimmed)) return ok(text);
  const parsed = parseDigitalLink(trimmed, DL_READING);
  // A URI that reads as a Digital Link holds a key; one that does not is only wrong if it claims one.
  if (!parsed.ok) return claimsGs1Key(trimmed) ? shift(parsed, lead) : ok(text);
  const { primaryKey } = parsed.value;
  if (!EPC_KEY_AIS.has(primaryKey.ai)) return ok(text);
  const finest = (FINEST_QUALIFIERS[primaryKey.ai] ?? [])
    .map((ai) => parsed.value.qualifiers.find((q) => q.ai === ai))
    .find((q) => q !== undefined);
  return generateDigitalLink(finest ? [primaryKey, finest] : [primaryKey], CANONICAL_DL_STEM);
}

/**
 * The canonical Digital Link (see canonicalIdentifierResult) or, when there is none, the text unchanged.
 * EPC URNs are read tolerantly here (raw characters the TDS wants escaped are accepted).
 */
export function canonicalIdentifier(text: string): string {
  const result = canonicalIdentifierResult(text, { tolerant: true });
  return result.ok ? result.value : text;
}

const EPC_URN_SCHEME = /^urn:epc:(id|class|idpat):([a-z0-9]+):/i;
const DL_READING: DigitalLinkOptions = { permitZeroSuppressedGtin: true, permitConvenienceAlphas: true };

/**
 * A web URI whose path has a segment naming a GS1 key with an EPC (numerically or by its short name)
 * followed by a non-empty segment: the text means to be a Digital Link, so failing to read it is an error.
 */
function claimsGs1Key(uri: string): boolean {
  const scheme = /^https?:\/\//i.exec(uri);
  if (scheme === null) return false;
  const pathAt = uri.indexOf('/', scheme[0].length);
  if (pathAt < 0) return false;
  let end = uri.length;
  for (const stop of ['?', '#']) {
    const at = uri.indexOf(stop, pathAt);
    if (at >= 0 && at < end) end = at;
  }
  const segments = uri.slice(pathAt + 1, end).split('/');
  for (let i = 0; i + 1 < segments.length; i++) {
    const segment = segments[i] as string;
    const ai = EPC_KEY_AIS.has(segment) ? segment : convenienceAlphaAi(segment);
    if (ai !== undefined && EPC_KEY_AIS.has(ai) && (segments[i + 1] as string).length > 0) return true;
  }
  return false;
}
