import { createHash } from 'node:crypto';
import { canonicalId } from './identifier-form';
import type { EpcisEvent, Extension, QuantityElement, SensorElement } from './model';
import { SENSOR_METADATA_FIELDS, SENSOR_REPORT_FIELDS } from './model';
import { canonicalNamespace } from './json-event';
import { canonicalTime, CBV_WEB } from './normalize';

/*
 * The CBV 2.0 "EPCIS Event Hash ID" (CBV 2.0 §8.9; algorithm text in the RalphTro reference README):
 * a pre-hash string of name=value parts in a fixed property order, lists sorted, identifiers as
 * canonical Digital Link, CBV values as web URIs, timestamps in UTC with milliseconds, no separators;
 * then ni:///sha-256;<hex>?ver=CBV2.0 (RFC 6920).
 *
 * Two orders:
 * - "published" (default): the property order printed in CBV 2.0 / the reference README table, with
 *   certificationInfo after eventTimeZoneOffset (RalphTro#75).
 * - "reference": what the reference implementation actually emits, which produced every official
 *   vector. Its PROP_ORDER entries for bizTransactionList, sourceList and destinationList never match,
 *   so those lists (and ilmd) fall into its generic tail, sorted alphabetically with the user
 *   extensions: ... sensorElementList, bizTransactionList, destinationList, ilmd, sourceList, {ext}.
 *   It also puts parentID before epcList, re-prints every number-like value via a float (lot "000123"
 *   becomes "123"), rounds sub-millisecond time half-to-even, hashes XML attributes of extension
 *   elements (xsi:type too), and honours a non-standard document-level ignoreFields list.
 */
export type HashOrder = 'published' | 'reference';

export interface HashOptions {
  order?: HashOrder;
  /** Extension fields to leave out ({ns}name); honoured in reference order only. */
  ignoreFields?: readonly string[];
}

export function eventHash(
  event: EpcisEvent,
  options: HashOptions = {},
): { eventHashId: string; preHash: string } {
  const preHash = preHashString(event, options);
  const hex = createHash('sha256').update(preHash, 'utf8').digest('hex');
  return { eventHashId: `ni:///sha-256;${hex}?ver=CBV2.0`, preHash };
}

const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

export function preHashString(e: EpcisEvent, options: HashOptions = {}): string {
  const order = options.order ?? 'published';
  const r = new Renderer(order, order === 'reference' ? new Set(options.ignoreFields ?? []) : new Set());
  const parts: string[] = [];
  const push = (s: string) => {
    if (s !== '') parts.push(s);
  };

  push(r.leaf('eventType', e.type));
  push(r.time('eventTime', e.eventTime));
  push(r.leaf('eventTimeZoneOffset', e.eventTimeZoneOffset));
  push(
    r.list(
      '',
      (e.certificationInfo ?? []).map((c) => r.leaf('certificationInfo', c)),
    ),
  );
  if (order === 'reference') push(r.id('parentID', e.parentID));
  push(r.epcs('epcList', e.epcList));
  if (order === 'published') push(r.id('parentID', e.parentID));
  push(r.epcs('inputEPCList', e.inputEPCList));
  push(r.epcs('childEPCs', e.childEPCs));
  push(r.quantities('quantityList', e.quantityList));
  push(r.quantities('childQuantityList', e.childQuantityList));
  push(r.quantities('inputQuantityList', e.inputQuantityList));
  push(r.epcs('outputEPCList', e.outputEPCList));
  push(r.quantities('outputQuantityList', e.outputQuantityList));
  push(r.leaf('action', e.action));
  push(r.value('transformationID', e.transformationID));
  push(r.value('bizStep', e.bizStep));
  push(r.value('disposition', e.disposition));
  if (e.persistentDisposition !== undefined) {
    const pd =
      r.list(
        '',
        (e.persistentDisposition.set ?? []).map((v) => r.value('set', v)),
      ) +
      r.list(
        '',
        (e.persistentDisposition.unset ?? []).map((v) => r.value('unset', v)),
      );
    if (pd !== '') push('persistentDisposition' + pd);
  }
  for (const loc of ['readPoint', 'bizLocation'] as const) {
    const l = e[loc];
    if (l !== undefined) {
      const inner = r.value('id', l.id) + r.extensions(l.extensions);
      if (inner !== '') push(loc + inner);
    }
  }
  const bizTx = r.list(
    'bizTransactionList',
    (e.bizTransactionList ?? []).map(
      (b) => r.value('type', b.type) + r.value('bizTransaction', b.bizTransaction),
    ),
  );
  const sources = r.list(
    'sourceList',
    (e.sourceList ?? []).map((s) => r.value('type', s.type) + r.value('source', s.source)),
  );
  const destinations = r.list(
    'destinationList',
    (e.destinationList ?? []).map((d) => r.value('type', d.type) + r.value('destination', d.destination)),
  );
  const sensors = r.list(
    'sensorElementList',
    (e.sensorElementList ?? []).map((s) => r.sensorElement(s)),
  );
  const sensorLeftovers = order === 'reference' ? r.sensorLeftovers(e.sensorElementList ?? []) : '';
  const ilmd = e.ilmd !== undefined ? r.prefixed('ilmd', r.extensions(e.ilmd)) : '';
  const extensions = (e.extensions ?? []).map((x) => r.extension(x)).filter((s) => s !== '');

  if (order === 'published') {
    [bizTx, sources, destinations, sensors, ilmd].forEach(push);
    extensions.sort(byCodePoint).forEach(push);
  } else {
    push(sensors);
    [bizTx, sources, destinations, ilmd, sensorLeftovers, ...extensions]
      .filter((s) => s !== '')
      .sort(byCodePoint)
      .forEach(push);
  }
  return parts.join('');
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class Renderer {
  constructor(
    private readonly order: HashOrder,
    private readonly ignore: ReadonlySet<string>,
  ) {}

  leaf(name: string, value: string | undefined): string {
    if (value === undefined) return '';
    const v = value.trim();
    return v === '' ? '' : `${name}=${v}`;
  }

  /** A standard field's value: already canonical in the model, but re-checked in reference mode. */
  value(name: string, value: string | undefined): string {
    if (value === undefined) return '';
    return this.leaf(name, this.order === 'reference' ? referenceCanon(value) : value);
  }

  id(name: string, value: string | undefined): string {
    return this.value(name, value);
  }

  time(name: string, value: string | undefined): string {
    return value === undefined ? '' : this.leaf(name, hashTime(value, this.order));
  }

  number(name: string, value: number | undefined): string {
    return value === undefined ? '' : this.leaf(name, formatNumber(value));
  }

  /** `name` once, then the sorted parts; nothing at all when there are no parts. */
  list(name: string, parts: string[]): string {
    const kept = parts.filter((p) => p !== '').sort(byCodePoint);
    return kept.length === 0 ? '' : name + kept.join('');
  }

  prefixed(name: string, inner: string): string {
    return inner === '' ? '' : name + inner;
  }

  epcs(name: string, list: string[] | undefined): string {
    return this.list(
      name,
      (list ?? []).map((v) => this.value('epc', v)),
    );
  }

  quantities(name: string, list: QuantityElement[] | undefined): string {
    return this.list(
      name,
      (list ?? []).map((q) =>
        this.prefixed(
          'quantityElement',
          this.value('epcClass', q.epcClass) + this.number('quantity', q.quantity) + this.leaf('uom', q.uom),
        ),
      ),
    );
  }

  sensorElement(s: SensorElement): string {
    let inner = '';
    if (s.sensorMetadata !== undefined) {
      const md = s.sensorMetadata as Record<string, unknown>;
      inner += this.prefixed(
        'sensorMetadata',
        SENSOR_METADATA_FIELDS.map((f) => this.sensorField(f, md[f])).join('') +
          this.extensions(this.inline(s.sensorMetadata.extensions)),
      );
    }
    inner += s.sensorReport
      .map((rep) => {
        const r = rep as Record<string, unknown>;
        return this.prefixed(
          'sensorReport',
          SENSOR_REPORT_FIELDS.map((f) => this.sensorField(f, r[f])).join('') +
            this.extensions(this.inline(rep.extensions)),
        );
      })
      .filter((x) => x !== '')
      .sort(byCodePoint)
      .join('');
    inner += this.extensions(s.extensions);
    return this.prefixed('sensorElement', inner);
  }

  /**
   * Reference order only: attributes that are not sensor fields (e.g. bizRules on a sensorReport) stay
   * in the reference implementation's leftover tree and are emitted in its generic tail as
   * sensorElementList/sensorElement/sensorReport/name=value.
   */
  private inline(list: Extension[] | undefined): Extension[] | undefined {
    return this.order === 'reference' ? list?.filter((e) => e.ns !== '') : list;
  }

  sensorLeftovers(list: SensorElement[]): string {
    const unqualified = (x: Extension[] | undefined) =>
      (x ?? [])
        .filter((e) => e.ns === '' && e.value !== undefined)
        .map((e) => this.leaf(e.name, referenceCanon(e.value!)))
        .sort(byCodePoint)
        .join('');
    const elements = list
      .map((s) => {
        const md = unqualified(s.sensorMetadata?.extensions);
        const reports = s.sensorReport
          .map((r) => unqualified(r.extensions))
          .filter((x) => x !== '')
          .map((x) => 'sensorReport' + x);
        const inner = (md !== '' ? 'sensorMetadata' + md : '') + reports.sort(byCodePoint).join('');
        return inner === '' ? '' : 'sensorElement' + inner;
      })
      .filter((x) => x !== '');
    return elements.length === 0 ? '' : 'sensorElementList' + elements.join('');
  }

  private sensorField(field: string, value: unknown): string {
    if (value === undefined) return '';
    if (typeof value === 'number') return this.number(field, value);
    if (typeof value === 'boolean') return this.leaf(field, String(value));
    if (field === 'time' || field === 'startTime' || field === 'endTime')
      return this.time(field, String(value));
    return this.value(field, String(value));
  }

  /** Sorted extension strings, concatenated. */
  extensions(list: Extension[] | undefined): string {
    return (list ?? [])
      .map((x) => this.extension(x))
      .filter((s) => s !== '')
      .sort(byCodePoint)
      .join('');
  }

  extension(x: Extension): string {
    const ns = this.order === 'published' ? canonicalNamespace(x.ns) : x.ns;
    // an unqualified element inside an extension is written without braces (as the reference does)
    const key = ns === '' ? x.name : `{${ns}}${x.name}`;
    if (x.ns === RDFS && x.name === 'comment') return ''; // CBV 2.0 §8.9: comments are not hashed
    if (x.ns === '' && x.name === 'comment') return '';
    if (this.ignore.has(`{${x.ns}}${x.name}`)) return '';
    const parts: string[] = [];
    if (x.children !== undefined) parts.push(...x.children.map((c) => this.extension(c)));
    // An attribute on an extension element is hashed like a child element (the reference does so, and
    // the JSON binding carries it as a child key). Published order leaves out xsi:* (schema typing).
    for (const a of x.attributes ?? []) {
      if (this.order === 'published' && a.ns === XSI) continue;
      const ans = this.order === 'published' ? canonicalNamespace(a.ns) : a.ns;
      const name = ans === '' ? a.name : `{${ans}}${a.name}`;
      parts.push(
        this.leaf(
          name,
          this.order === 'reference' ? referenceCanon(a.value) : canonicalValue(a.value.trim()),
        ),
      );
    }
    const children = parts
      .filter((p) => p !== '')
      .sort(byCodePoint)
      .join('');
    const value = x.value !== undefined ? this.extensionValue(x.name, x.value) : '';
    if (value === '' && children === '') return '';
    return key + (value !== '' ? `=${value}` : '') + children;
  }

  private extensionValue(name: string, raw: string): string {
    const text = raw.trim();
    if (text === '') return '';
    const lower = name.toLowerCase();
    if (lower.includes('time') && !lower.includes('offset')) {
      const t = canonicalTime(text);
      if (t.ok) return hashTime(t.value, this.order);
    }
    if (this.order === 'reference') return referenceCanon(text);
    // Published mode: a decimal written with a fraction or exponent is a number whatever the binding
    // (XML "23.0" = JSON 23.0); plain digit strings stay text, so lot "000123" keeps its zeros.
    if (/^[+-]?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][+-]?\d+)$/.test(text)) return formatNumber(Number(text));
    return canonicalValue(text);
  }
}

/** URN vocabulary -> web URI and EPC URN / Digital Link -> canonical DL, for any value. */
function canonicalValue(text: string): string {
  const cbv = /^urn:epcglobal:cbv:(bizstep|disp|btt|sdt|er):(.+)$/.exec(text);
  if (cbv !== null) {
    const prefix = { bizstep: 'BizStep-', disp: 'Disp-', btt: 'BTT-', sdt: 'SDT-', er: 'ER-' }[
      cbv[1] as 'bizstep'
    ];
    return CBV_WEB + prefix + cbv[2];
  }
  return canonicalId(text).value;
}

/** The reference implementation's canonize_value: vocabulary, then number re-printing, then DL. */
function referenceCanon(raw: string): string {
  const text = raw.trim();
  const numeric = pythonFloatText(text);
  if (numeric !== undefined) return numeric;
  const value = canonicalValue(text);
  // The reference leaves "'" unescaped in Digital Link paths; GS1's syntax engine escapes it as %27.
  return value.startsWith('https://id.gs1.org/') ? value.replace(/%27/g, "'") : value;
}

/** str(float(text)) with int() for whole numbers, as the reference implementation prints numbers. */
function pythonFloatText(text: string): string | undefined {
  if (!/^[+-]?(\d(_?\d)*(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)([eE][+-]?\d(_?\d)*)?$/.test(text)) return undefined;
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isFinite(n)) return undefined;
  return formatNumber(n, true);
}

/** Shortest round-trip decimal; whole numbers as integers (1.0 -> 1, 200.50 -> 200.5). */
export function formatNumber(n: number, python = false): string {
  if (Number.isInteger(n)) return BigInt(n).toString();
  const js = String(n);
  if (!python) return js;
  const abs = Math.abs(n);
  if (abs < 1e-4) {
    const [mantissa, exp] = n.toExponential().split('e') as [string, string];
    const sign = exp.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return js;
}

/**
 * Model timestamp (UTC, >= 3 fractional digits) -> exactly milliseconds. Published: half-up on the
 * fourth digit (README rule 6). Reference: Python round() of the microseconds, i.e. half-to-even.
 */
export function hashTime(value: string, order: HashOrder): string {
  const m = /^(.*T\d{2}:\d{2}:\d{2})\.(\d+)Z$/.exec(value);
  if (m === null) return value;
  const digits = m[2]!;
  if (digits.length <= 3) return `${m[1]}.${digits.padEnd(3, '0')}Z`;
  let ms = Number(digits.slice(0, 3));
  if (order === 'published') {
    if (Number(digits[3]) >= 5) ms++;
  } else {
    const micro = Number(digits.slice(0, 6).padEnd(6, '0'));
    const rem = micro % 1000;
    if (rem > 500 || (rem === 500 && ms % 2 === 1)) ms++;
  }
  if (ms < 1000) return `${m[1]}.${String(ms).padStart(3, '0')}Z`;
  const carried = new Date(Date.parse(`${m[1]}Z`) + 1000).toISOString();
  return carried;
}
