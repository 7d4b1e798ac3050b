/*
 * Value canonicalisation shared by every reader: timestamps, numbers and CBV vocabulary. Identifier
 * canonicalisation lives in identifier-form.ts (it delegates to src/core/identifiers).
 */

export type Normalized<T> = { ok: true; value: T; note?: string } | { ok: false; message: string };

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An xsd:dateTime with a time zone -> the model's UTC form (at least 3 fractional digits, extra
 * digits kept). A missing seconds field is tolerated with a note (seen in EPCIS 1.2 files; the XSD
 * rejects it); a missing time zone is refused because the instant would be ambiguous.
 */
const ALREADY_CANONICAL =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

export function canonicalTime(raw: string): Normalized<string> {
  const text = raw.trim();
  // fast path: already UTC with milliseconds (most machine-written files); day-of-month checked below
  if (
    ALREADY_CANONICAL.test(text) &&
    Number(text.slice(8, 10)) <= daysInMonth(Number(text.slice(0, 4)), Number(text.slice(5, 7)))
  ) {
    return { ok: true, value: text };
  }
  const m = DATE_TIME.exec(text);
  if (m === null)
    return { ok: false, message: `"${text}" is not a date-time like 2020-03-04T11:00:30.000+01:00` };
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (zone === undefined) {
    return { ok: false, message: `"${text}" has no time zone (add Z or an offset like +01:00)` };
  }
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 24 ||
    minute > 59 ||
    second > 59
  ) {
    return { ok: false, message: `"${text}" is not a valid calendar date-time` };
  }
  if (hour === 24 && (minute !== 0 || second !== 0 || (frac !== undefined && /[1-9]/.test(frac)))) {
    return { ok: false, message: `"${text}" is not a valid time (24:00:00 is the only 24h value)` };
  }
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 14 || om > 59) return { ok: false, message: `"${text}" has an impossible offset ${zone}` };
    offsetMinutes = sign * (oh * 60 + om);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  let digits = (frac ?? '').padEnd(3, '0');
  if (digits.length > 3) digits = digits.slice(0, 3) + digits.slice(3).replace(/0+$/, '');
  const value = `${iso.slice(0, 19)}.${digits}Z`;
  return s === undefined
    ? { ok: true, value, note: `"${text}" has no seconds; read as :00` }
    : { ok: true, value };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An xsd:decimal / xsd:double lexical form -> number; JSON numbers pass through. */
export function canonicalNumber(raw: unknown): Normalized<number> {
  if (typeof raw === 'number') {
    return Number.isFinite(raw)
      ? { ok: true, value: raw }
      : { ok: false, message: `${raw} is not a finite number` };
  }
  if (typeof raw !== 'string') return { ok: false, message: `expected a number, found ${describeJson(raw)}` };
  const text = raw.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    return { ok: false, message: `"${text}" is not a number` };
  }
  return { ok: true, value: Number(text) };
}

export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}

/* ---------------- CBV vocabulary ---------------- */

export type VocabularyKind =
  'bizStep' | 'disposition' | 'btt' | 'sdt' | 'er' | 'component' | 'measurement' | 'alert';

export const CBV_WEB = 'https://ref.gs1.org/cbv/';
export const GS1_VOC = 'https://gs1.org/voc/';

/** CBV 2.0 standard vocabulary (CBV §7; the same terms as GS1's JSON-LD contexts). */
export const CBV_TERMS: Record<
  'bizStep' | 'disposition' | 'btt' | 'sdt' | 'er' | 'component',
  readonly string[]
> = {
  bizStep: [
    'accepting',
    'arriving',
    'assembling',
    'collecting',
    'commissioning',
    'consigning',
    'creating_class_instance',
    'cycle_counting',
    'decommissioning',
    'departing',
    'destroying',
    'disassembling',
    'dispensing',
    'encoding',
    'entering_exiting',
    'holding',
    'inspecting',
    'installing',
    'killing',
    'loading',
    'other',
    'packing',
    'picking',
    'receiving',
    'removing',
    'repackaging',
    'repairing',
    'replacing',
    'reserving',
    'retail_selling',
    'sampling',
    'sensor_reporting',
    'shipping',
    'staging_outbound',
    'stock_taking',
    'stocking',
    'storing',
    'transporting',
    'unloading',
    'unpacking',
    'void_shipping',
  ],
  disposition: [
    'active',
    'available',
    'completeness_verified',
    'completeness_inferred',
    'conformant',
    'container_closed',
    'container_open',
    'damaged',
    'destroyed',
    'dispensed',
    'disposed',
    'encoded',
    'expired',
    'in_progress',
    'in_transit',
    'inactive',
    'mismatch_instance',
    'mismatch_class',
    'mismatch_quantity',
    'needs_replacement',
    'no_pedigree_match',
    'non_conformant',
    'non_sellable_other',
    'partially_dispensed',
    'recalled',
    'reserved',
    'retail_sold',
    'returned',
    'sellable_accessible',
    'sellable_not_accessible',
    'stolen',
    'unavailable',
    'unknown',
  ],
  btt: [
    'bol',
    'cert',
    'desadv',
    'inv',
    'pedigree',
    'po',
    'poc',
    'prodorder',
    'recadv',
    'rma',
    'testprd',
    'testres',
    'upevt',
  ],
  sdt: ['owning_party', 'possessing_party', 'location'],
  er: ['did_not_occur', 'incorrect_data'],
  component: [
    'x',
    'y',
    'z',
    'axial_distance',
    'azimuth',
    'height',
    'spherical_radius',
    'polar_angle',
    'elevation_angle',
    'easting',
    'northing',
    'latitude',
    'longitude',
    'altitude',
  ],
};

const WEB_PREFIX: Record<'bizStep' | 'disposition' | 'btt' | 'sdt' | 'er' | 'component', string> = {
  bizStep: 'BizStep-',
  disposition: 'Disp-',
  btt: 'BTT-',
  sdt: 'SDT-',
  er: 'ER-',
  component: 'Comp-',
};
const URN_PREFIX: Partial<Record<VocabularyKind, string>> = {
  bizStep: 'urn:epcglobal:cbv:bizstep:',
  disposition: 'urn:epcglobal:cbv:disp:',
  btt: 'urn:epcglobal:cbv:btt:',
  sdt: 'urn:epcglobal:cbv:sdt:',
  er: 'urn:epcglobal:cbv:er:',
};
/** Every CBV URN family, for values that arrive in a field of another kind (tolerated, still expanded). */
const ALL_URN: [string, string][] = [
  ['urn:epcglobal:cbv:bizstep:', 'BizStep-'],
  ['urn:epcglobal:cbv:disp:', 'Disp-'],
  ['urn:epcglobal:cbv:btt:', 'BTT-'],
  ['urn:epcglobal:cbv:sdt:', 'SDT-'],
  ['urn:epcglobal:cbv:er:', 'ER-'],
];

const termSets = Object.fromEntries(Object.entries(CBV_TERMS).map(([k, v]) => [k, new Set(v)])) as Record<
  keyof typeof CBV_TERMS,
  Set<string>
>;

export interface VocabularyResult {
  value: string;
  /** Set when the value claims to be standard CBV but is not a term of it (e.g. a misspelling). */
  unknownTerm?: string;
}

/**
 * Any accepted spelling of a vocabulary value -> its canonical URI. `prefixes` are CURIE prefixes in
 * scope (JSON-LD @context, or for XML the fixed cbv:/gs1: prefixes CBV 2.0 §8.9 expands).
 */
export function canonicalVocabulary(
  kind: VocabularyKind,
  raw: string,
  prefixes: ReadonlyMap<string, string>,
): VocabularyResult {
  const text = raw.trim();
  if (kind === 'measurement' || kind === 'alert') {
    if (!text.includes(':')) return { value: GS1_VOC + text };
    return { value: expandCurie(text, prefixes) };
  }
  const webPrefix = CBV_WEB + WEB_PREFIX[kind];
  if (!text.includes(':')) {
    // a bare JSON-LD term ("receiving"); the EPCIS context maps it into the CBV namespace
    return termSets[kind].has(text)
      ? { value: webPrefix + text }
      : { value: webPrefix + text, unknownTerm: text };
  }
  const urn = URN_PREFIX[kind];
  const other = ALL_URN.find(([u]) => text.startsWith(u));
  const value =
    urn !== undefined && text.startsWith(urn)
      ? webPrefix + text.slice(urn.length)
      : other !== undefined
        ? CBV_WEB + other[1] + text.slice(other[0].length)
        : expandCurie(text, prefixes);
  if (value.startsWith(webPrefix)) {
    const term = value.slice(webPrefix.length);
    if (!termSets[kind].has(term)) return { value, unknownTerm: term };
  }
  return { value };
}

/** "cbv:BizStep-x" -> "https://ref.gs1.org/cbv/BizStep-x" when the prefix is known; else unchanged. */
export function expandCurie(text: string, prefixes: ReadonlyMap<string, string>): string {
  const colon = text.indexOf(':');
  if (colon <= 0) return text;
  const prefix = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (rest.startsWith('//')) return text;
  const ns = prefixes.get(prefix);
  return ns === undefined ? text : ns + rest;
}

/** The prefixes CBV 2.0 §8.9 expands in any binding. */
export const STANDARD_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['cbv', CBV_WEB],
  ['gs1', GS1_VOC],
]);

/** Canonical web URI -> the XML binding's URN form (EPCIS 2.0 XML keeps CBV URNs for 1.x readers). */
export function vocabularyToUrn(kind: VocabularyKind, value: string): string {
  if (kind === 'measurement' || kind === 'alert' || kind === 'component') return value;
  const webPrefix = CBV_WEB + WEB_PREFIX[kind];
  const urn = URN_PREFIX[kind];
  if (urn !== undefined && value.startsWith(webPrefix)) return urn + value.slice(webPrefix.length);
  return value;
}

/** Canonical URI -> the bare JSON-LD term when it is standard vocabulary (the EPCIS JSON schema's form). */
export function vocabularyToTerm(kind: VocabularyKind, value: string): string {
  if (kind === 'measurement' || kind === 'alert') {
    return value.startsWith(GS1_VOC) && /^[A-Za-z0-9_]+$/.test(value.slice(GS1_VOC.length))
      ? value.slice(GS1_VOC.length)
      : value;
  }
  const webPrefix = CBV_WEB + WEB_PREFIX[kind];
  if (value.startsWith(webPrefix)) {
    const term = value.slice(webPrefix.length);
    if (termSets[kind].has(term)) return term;
  }
  return value;
}
