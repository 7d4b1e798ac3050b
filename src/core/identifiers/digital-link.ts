import { aiEntry } from './ai-table';
import { validateAiValue, type AiElement } from './ai-validate';
import { showChar } from './charsets';
import { fail, ok, shift, type Result } from './result';
import { escapeDlPath, escapeDlQuery, unescapeDl } from './uri-escape';

/** GS1's own resolver: the stem of the canonical Digital Link form (GS1 Digital Link URI Syntax 1.x §4.4). */
export const CANONICAL_DL_STEM = 'https://id.gs1.org';

export interface DigitalLink {
  /** Scheme, domain and any path prefix before the primary key, without a trailing slash. */
  readonly stem: string;
  readonly primaryKey: AiElement;
  /** Key qualifiers in path order (e.g. 22, 10, 21 after 01). */
  readonly qualifiers: readonly AiElement[];
  /** AIs carried as query parameters ("?17=271231&…"), in query order. */
  readonly attributes: readonly AiElement[];
}

export interface DigitalLinkOptions {
  /** Accept GTIN-8/12/13 in the path and pad to 14 digits (GS1 DL 1.2 resolvers may); default false. */
  readonly permitZeroSuppressedGtin?: boolean;
  /** Accept the deprecated convenience alphas ("/gtin/…/ser/…", GS1 DL 1.1 §6); default false. */
  readonly permitConvenienceAlphas?: boolean;
}

/**
 * The convenience alphas of GS1 Digital Link 1.0/1.1 (the 1.1 ABNF's "-code" rules, e.g.
 * gtin-code = "01" / "gtin"), deprecated since 1.2 but still sent by partners. Same list as the GS1
 * Syntax Engine's alpha_ai_map, plus payTo (415), which the 1.1 grammar also names. AI 235 has none.
 */
const CONVENIENCE_ALPHAS: ReadonlyMap<string, string> = new Map([
  ['cpid', '8010'],
  ['cpsn', '8011'],
  ['cpv', '22'],
  ['gcn', '255'],
  ['gdti', '253'],
  ['giai', '8004'],
  ['ginc', '401'],
  ['gln', '414'],
  ['glnx', '254'],
  ['gmn', '8013'],
  ['grai', '8003'],
  ['gsin', '402'],
  ['gsrn', '8018'],
  ['gsrnp', '8017'],
  ['gtin', '01'],
  ['itip', '8006'],
  ['lot', '10'],
  ['party', '417'],
  ['payTo', '415'],
  ['refno', '8020'],
  ['ser', '21'],
  ['srin', '8019'],
  ['sscc', '00'],
]);

/** The AI a GS1 Digital Link 1.x convenience alpha ("gtin", "ser" …) stands for, if it is one. */
export function convenienceAlphaAi(segment: string): string | undefined {
  return CONVENIENCE_ALPHAS.get(segment);
}

// RFC 3986 excludes these from every URI component; seeing one means the text is not a URI.
// eslint-disable-next-line no-control-regex -- control characters are exactly what we reject
const NEVER_IN_URI = /[\s"<>\\^`{|}\u0000-\u001f\u007f]/;

/** Parses a GS1 Digital Link URI into its primary key, qualifiers and data attributes. */
export function parseDigitalLink(input: string, options: DigitalLinkOptions = {}): Result<DigitalLink> {
  let uri = input;
  const scheme = /^(https?|HTTPS?):\/\//.exec(uri);
  if (!scheme) {
    return fail(
      'dl-scheme',
      'a GS1 Digital Link starts with "http://" or "https://" (one case, not mixed)',
      0,
    );
  }
  const badChar = NEVER_IN_URI.exec(uri);
  if (badChar)
    return fail(
      'dl-bad-character',
      `character ${badChar.index + 1} (${showChar(badChar[0])}) is not allowed in a URI`,
      badChar.index,
    );
  // RFC 3986 §3.5: the fragment is for the client only and carries no AI data.
  const hashAt = uri.indexOf('#');
  if (hashAt >= 0) uri = uri.slice(0, hashAt);
  const afterScheme = scheme[0].length;
  const slash = uri.indexOf('/', afterScheme);
  const queryAt = uri.indexOf('?');
  const domainEnd = slash < 0 ? (queryAt < 0 ? uri.length : queryAt) : slash;
  const domain = uri.slice(afterScheme, domainEnd);
  const domainBad = /[^A-Za-z0-9.\-:[\]]/.exec(domain);
  if (domain.length === 0) return fail('dl-domain', 'the URI has no domain', afterScheme);
  if (domainBad)
    return fail(
      'dl-domain',
      `${showChar(domainBad[0])} is not allowed in a domain name`,
      afterScheme + domainBad.index,
    );
  if (slash < 0 || (queryAt >= 0 && queryAt < slash))
    return fail('dl-no-key', 'the URI has no path holding a GS1 key', domainEnd);
  const pathEnd = queryAt < 0 ? uri.length : queryAt;
  const segments = uri.slice(slash + 1, pathEnd).split('/');
  const offsets: number[] = [];
  for (let i = 0, at = slash + 1; i < segments.length; i++) {
    offsets.push(at);
    at += (segments[i] as string).length + 1;
  }
  const path = locatePrimaryKey(segments, options);
  if (!path.ok) return fail(path.error.rule, path.error.message, offsets[offsets.length - 1] ?? slash);
  const start = path.value.start;
  const elements: AiElement[] = [];
  for (let i = start; i < segments.length; i += 2) {
    const ai = path.value.ais[(i - start) / 2] as string;
    const raw = segments[i + 1] as string;
    const valueAt = offsets[i + 1] as number;
    if (raw.length === 0) return fail('empty', `(${ai}) has no value`, valueAt);
    const decoded = unescapeDl(raw, false);
    if (decoded === undefined)
      return fail('dl-encoding', `(${ai}) value is not valid UTF-8 after percent-decoding`, valueAt);
    let value = decoded;
    if (ai === '01' && options.permitZeroSuppressedGtin && isZeroSuppressedGtin(value))
      value = value.padStart(14, '0');
    const checked = validateAiValue(ai, value);
    if (!checked.ok)
      return raw === value
        ? shift(checked, valueAt)
        : fail(checked.error.rule, checked.error.message, valueAt);
    elements.push(checked.value);
  }
  const attributes: AiElement[] = [];
  if (queryAt >= 0) {
    let at = queryAt + 1;
    for (const param of uri.slice(queryAt + 1).split('&')) {
      const eq = param.indexOf('=');
      const key = eq < 0 ? param : param.slice(0, eq);
      const paramAt = at;
      at += param.length + 1;
      // Non-numeric keys are other applications' parameters; GS1 DL 1.x §6.4 says to ignore them.
      if (eq < 0 || !/^\d+$/.test(key)) continue;
      const entry = aiEntry(key);
      if (!entry)
        return fail(
          'unknown-ai',
          `query parameter ${key} is numeric but not a GS1 Application Identifier`,
          paramAt,
        );
      const raw = param.slice(eq + 1);
      const decoded = unescapeDl(raw, true);
      if (decoded === undefined)
        return fail(
          'dl-encoding',
          `(${key}) value is not valid UTF-8 after percent-decoding`,
          paramAt + eq + 1,
        );
      let value = decoded;
      if (key === '01' && options.permitZeroSuppressedGtin && isZeroSuppressedGtin(value))
        value = value.padStart(14, '0');
      const checked = validateAiValue(key, value, entry);
      if (!checked.ok)
        return raw === value
          ? shift(checked, paramAt + eq + 1)
          : fail(checked.error.rule, checked.error.message, paramAt + eq + 1);
      if ([...elements, ...attributes].some((e) => e.ai === key)) {
        return fail('ai-repeat', `(${key}) appears more than once in the Digital Link`, paramAt);
      }
      const placed = queryPlacement(elements, key, entry.dlDataAttribute === true);
      if (placed !== undefined) return fail(placed.rule, placed.message, paramAt);
      attributes.push(checked.value);
    }
  }
  const [primaryKey, ...qualifiers] = elements;
  if (!primaryKey) return fail('dl-no-key', 'no GS1 primary key in the path', slash);
  return ok({
    stem: uri.slice(0, offsets[start] as number).replace(/\/$/, ''),
    primaryKey,
    qualifiers,
    attributes,
  });
}

/**
 * Why an AI may not sit in the query string, or undefined. GS1 Digital Link URI Syntax §4: the path
 * carries the primary key and its key qualifiers, in the order the key allows; the query carries
 * data attributes only. A qualifier of the key in the path (/01/…?21=…) belongs in the path, not the
 * query, even where the Syntax Dictionary also lets that AI be an attribute of other keys ("dlattr"
 * on 10 serves e.g. /414/…?10=); an AI that is no data attribute at all (22, 235, 254 …) is refused.
 */
function queryPlacement(
  path: readonly AiElement[],
  ai: string,
  isDataAttribute: boolean,
): { rule: string; message: string } | undefined {
  const [primaryKey, ...qualifiers] = path;
  const primary = primaryKey?.ai;
  // The qualifier sequences the path can be read as: those holding every qualifier it has (a path
  // /01/…/235/… takes the [235] sequence, so (10) is then an attribute, as the syntax engine reads it).
  const sequences = (primary === undefined ? undefined : aiEntry(primary)?.dlPrimaryKey)?.filter((q) =>
    qualifiers.every((e) => q.includes(e.ai)),
  );
  const sequence = sequences?.find((q) => q.includes(ai));
  if (sequence !== undefined)
    return {
      rule: 'dl-qualifier-in-query',
      message: `(${ai}) is a key qualifier of (${primary}): it goes in the path after /${primary}/…, in the order ${sequence.map((q) => `/${q}/`).join(', ')}, not in the query string`,
    };
  if (!isDataAttribute)
    return {
      rule: 'dl-not-attribute',
      message: `(${ai}) may not be carried as a Digital Link data attribute (query string)`,
    };
  return undefined;
}

/**
 * Finds where the GS1 key path starts. The stem before it may itself contain digits and slashes
 * ("https://example.com/00/faux/00/…"), so take the earliest start from which the rest of the path reads
 * as primary key + qualifiers in one allowed order (dlpkey= in the Syntax Dictionary).
 */
function locatePrimaryKey(
  segments: string[],
  options: DigitalLinkOptions,
): Result<{ start: number; ais: string[] }> {
  if (segments.length < 2 || segments.some((s, i) => s === '' && i >= segments.length - 2)) {
    return fail('dl-no-key', 'the path does not end in /AI/value pairs holding a GS1 key');
  }
  const alphas = options.permitConvenienceAlphas === true;
  // Scan from the front: the first start that reads as a key path is the earliest one.
  for (let start = segments.length % 2; start <= segments.length - 2; start += 2) {
    if (isKeyPath(segments, alphas, start)) {
      const ais: string[] = [];
      for (let i = start; i < segments.length; i += 2) ais.push(aiAt(segments, alphas, i));
      return ok({ start, ais });
    }
  }
  return fail(
    'dl-no-key',
    'the path holds no GS1 primary key followed by its qualifiers in an allowed order',
  );
}

/** The AI a path segment names (a convenience alpha resolved when allowed). */
function aiAt(segments: readonly string[], alphas: boolean, i: number): string {
  const seg = segments[i] as string;
  return (alphas && CONVENIENCE_ALPHAS.get(seg)) || seg;
}

/** Whether the AIs at start, start+2, … name a primary key followed by its qualifiers in one allowed order. */
function isKeyPath(segments: readonly string[], alphas: boolean, start: number): boolean {
  const sequences = aiEntry(aiAt(segments, alphas, start))?.dlPrimaryKey;
  if (!sequences) return false;
  for (const sequence of sequences) {
    let at = 0;
    let i = start + 2;
    for (; i < segments.length; i += 2) {
      const found = sequence.indexOf(aiAt(segments, alphas, i), at);
      if (found < 0) break;
      at = found + 1;
    }
    if (i >= segments.length) return true;
  }
  return false;
}

function isZeroSuppressedGtin(value: string): boolean {
  const n = value.length;
  if (n !== 8 && n !== 12 && n !== 13) return false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * Builds a Digital Link from element strings: the primary key and its qualifiers in the path (in the
 * dictionary's order), every other AI that is a DL data attribute in the query, in input order.
 * Duplicate identical AIs collapse; conflicting duplicates are an error.
 */
export function generateDigitalLink(
  elements: readonly AiElement[],
  stem: string = CANONICAL_DL_STEM,
): Result<string> {
  const unique: AiElement[] = [];
  for (const element of elements) {
    const same = unique.find((e) => e.ai === element.ai);
    if (same && same.value !== element.value)
      return fail('ai-repeat', `(${element.ai}) appears twice with different values`);
    if (!same) unique.push(element);
  }
  const key = pickPrimaryKey(unique);
  if (!key) return fail('dl-no-key', 'no GS1 primary key (01, 00, 414, 8004 …) to build a Digital Link from');
  let text = stem.endsWith('/') ? stem.replace(/\/+$/, '') : stem;
  text += `/${key.key.ai}/${escapeDlPath(key.key.value)}`;
  for (const q of key.qualifiers) text += `/${q.ai}/${escapeDlPath(q.value)}`;
  if (unique.length === 1 + key.qualifiers.length) return ok(text);
  // Like the GS1 Syntax Engine: predefined-length attributes first, then the rest, each in input order.
  const rest = unique.filter((e) => e !== key.key && !key.qualifiers.includes(e));
  const query = [
    ...rest.filter((e) => aiEntry(e.ai)?.fnc1Required === false),
    ...rest.filter((e) => aiEntry(e.ai)?.fnc1Required !== false),
  ];
  for (const element of query) {
    const entry = aiEntry(element.ai);
    if (!entry?.dlDataAttribute) {
      return fail('dl-not-attribute', `(${element.ai}) may not be carried as a Digital Link data attribute`);
    }
  }
  return ok(text + '?' + query.map((e) => `${e.ai}=${escapeDlQuery(e.value)}`).join('&'));
}

/** The first key in the data is primary (GS1 DL 1.x §4.6); its fullest qualifier sequence goes in the path. */
function pickPrimaryKey(elements: AiElement[]): { key: AiElement; qualifiers: AiElement[] } | undefined {
  let key: AiElement | undefined;
  let sequences: readonly (readonly string[])[] | undefined;
  for (const e of elements) {
    sequences = aiEntry(e.ai)?.dlPrimaryKey;
    if (sequences) {
      key = e;
      break;
    }
  }
  if (!key || !sequences) return undefined;
  let qualifiers: AiElement[] = [];
  if (elements.length === 1) return { key, qualifiers };
  for (const sequence of sequences) {
    const present: AiElement[] = [];
    for (const q of sequence) for (const e of elements) if (e.ai === q) present.push(e);
    if (present.length > qualifiers.length) qualifiers = present;
  }
  return { key, qualifiers };
}
