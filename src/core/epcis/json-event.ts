import { canonicalId } from './identifier-form';
import { IssueSink } from './issues';
import type { EpcisEvent, Extension, QuantityElement, SensorElement, SourcePosition } from './model';
import { EVENT_TYPES, SENSOR_METADATA_FIELDS, SENSOR_REPORT_FIELDS } from './model';
import {
  canonicalNumber,
  canonicalTime,
  canonicalVocabulary,
  describeJson,
  STANDARD_PREFIXES,
  type VocabularyKind,
} from './normalize';
import { sensorValue, type CandidateEvent } from './xml-event';

/** Prefixes every EPCIS 2.0 JSON-LD context (full or simple) defines. */
export const CONTEXT_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['epcis', 'https://ref.gs1.org/epcis/'],
  ['cbv', 'https://ref.gs1.org/cbv/'],
  ['gs1', 'https://gs1.org/voc/'],
  ['cbvmda', 'urn:epcglobal:cbv:mda:'],
  ['vtype', 'urn:epcglobal:epcis:vtype:'],
  ['rdf', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'],
  ['rdfs', 'http://www.w3.org/2000/01/rdf-schema#'],
  ['owl', 'http://www.w3.org/2002/07/owl#'],
  ['xsd', 'http://www.w3.org/2001/XMLSchema#'],
  ['dcterms', 'http://purl.org/dc/terms/'],
]);

/**
 * The EPCIS JSON-LD context defines cbvmda as "urn:epcglobal:cbv:mda:" while most XML declares
 * xmlns:cbvmda="urn:epcglobal:cbv:mda" (both spellings occur in GS1's own examples). Namespaces are
 * opaque, so the model keeps what the partner declared; the published-order hash and event
 * comparison treat the two spellings as one (the reference implementation does not).
 */
export function canonicalNamespace(ns: string): string {
  return ns === 'urn:epcglobal:cbv:mda:' ? 'urn:epcglobal:cbv:mda' : ns;
}

/** Reads "@context" (a URL, an object, or a list of both) into a prefix map. */
export function contextPrefixes(
  context: unknown,
  inherited: ReadonlyMap<string, string>,
  sink?: IssueSink,
): Map<string, string> {
  const map = new Map(inherited);
  const items = Array.isArray(context) ? context : [context];
  for (const item of items) {
    if (typeof item === 'string' || item === undefined || item === null) continue;
    if (typeof item !== 'object') {
      sink?.add(
        'bad-value',
        `@context entry ${describeJson(item)} is neither a URL nor an object`,
        '@context',
      );
      continue;
    }
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
      if (k.startsWith('@')) continue;
      const iri =
        typeof v === 'string'
          ? v
          : typeof v === 'object' && v !== null
            ? (v as Record<string, unknown>)['@id']
            : undefined;
      if (typeof iri === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(iri) && !iri.startsWith('@'))
        map.set(k, iri);
    }
  }
  return map;
}

const IGNORED_KEYS = new Set(['@context', 'type']);

export function jsonEventToCandidate(
  raw: unknown,
  documentPrefixes: ReadonlyMap<string, string>,
  position: SourcePosition,
): { event: CandidateEvent; issues: IssueSink } {
  const sink = new IssueSink(position);
  const event: CandidateEvent = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    sink.add('structure', `an event must be a JSON object, found ${describeJson(raw)}`);
    return { event, issues: sink };
  }
  const obj = raw as Record<string, unknown>;
  const prefixes =
    obj['@context'] !== undefined
      ? contextPrefixes(obj['@context'], documentPrefixes, sink)
      : documentPrefixes;
  const type = obj.type;
  if (typeof type !== 'string') {
    sink.add('missing-field', 'the event has no "type" (ObjectEvent, AggregationEvent, ...)', 'type');
  } else {
    event.type = type;
    if (!(EVENT_TYPES as readonly string[]).includes(type)) {
      sink.add(
        'structure',
        `"${type}" is not an EPCIS event type (expected one of ${EVENT_TYPES.join(', ')})`,
        'type',
      );
    }
  }
  const extensions: Extension[] = [];
  const r = new JsonFieldReader(sink, prefixes);
  for (const [key, value] of Object.entries(obj)) {
    if (IGNORED_KEYS.has(key)) continue;
    if (!r.field(event, key, value)) extensions.push(...r.extension(key, value, key));
  }
  if (extensions.length > 0) event.extensions = extensions;
  return { event, issues: sink };
}

/** A prefixed JSON member outside an event (e.g. in epcisHeader) -> extension elements. */
export function jsonExtensions(
  key: string,
  value: unknown,
  prefixes: ReadonlyMap<string, string>,
  sink: IssueSink,
): Extension[] {
  return new JsonFieldReader(sink, prefixes).extension(key, value, `epcisHeader/${key}`);
}

class JsonFieldReader {
  constructor(
    private readonly sink: IssueSink,
    private readonly prefixes: ReadonlyMap<string, string>,
  ) {}

  /** Reads a standard field into the event; false when the key is not a standard field. */
  field(event: CandidateEvent, key: string, value: unknown): boolean {
    switch (key) {
      case 'eventTime':
      case 'recordTime': {
        const t = this.time(value, key);
        if (t !== undefined) event[key] = t;
        return true;
      }
      case 'eventTimeZoneOffset':
        event.eventTimeZoneOffset = this.string(value, key) ?? '';
        return true;
      case 'eventID':
        event.eventID = this.string(value, key);
        return true;
      case 'certificationInfo': {
        const list = Array.isArray(value) ? value : [value];
        event.certificationInfo = list.map((v, i) => this.string(v, `certificationInfo/${i}`) ?? '');
        return true;
      }
      case 'errorDeclaration':
        event.errorDeclaration = this.errorDeclaration(value);
        return true;
      case 'epcList':
      case 'childEPCs':
      case 'inputEPCList':
      case 'outputEPCList':
        event[key] = this.list(value, key).map((v, i) => this.id(v, `${key}/${i}`));
        return true;
      case 'parentID':
        event.parentID = this.id(value, key);
        return true;
      case 'transformationID':
        // a transformationID may be a GS1 key (e.g. a GDTI), so it gets the identifier form too
        event.transformationID = this.id(value, key);
        return true;
      case 'quantityList':
      case 'childQuantityList':
      case 'inputQuantityList':
      case 'outputQuantityList':
        event[key] = this.list(value, key).map((v, i) => this.quantity(v, `${key}/${i}`));
        return true;
      case 'action':
        event.action = this.string(value, key) as EpcisEvent['action'];
        return true;
      case 'bizStep':
        event.bizStep = this.vocab('bizStep', value, key);
        return true;
      case 'disposition':
        event.disposition = this.vocab('disposition', value, key);
        return true;
      case 'persistentDisposition': {
        const o = this.object(value, key);
        const pd: NonNullable<EpcisEvent['persistentDisposition']> = {};
        for (const [k, v] of Object.entries(o)) {
          if (k === 'set' || k === 'unset')
            pd[k] = this.list(v, `${key}/${k}`).map((x, i) =>
              this.vocab('disposition', x, `${key}/${k}/${i}`),
            );
          else
            this.sink.add('unknown-field', `"${k}" is not a field of persistentDisposition`, `${key}/${k}`);
        }
        event.persistentDisposition = pd;
        return true;
      }
      case 'readPoint':
      case 'bizLocation': {
        const o = this.object(value, key);
        const ext: Extension[] = [];
        let id = '';
        for (const [k, v] of Object.entries(o)) {
          if (k === 'id') id = this.id(v, `${key}/id`);
          else if (k.includes(':')) ext.push(...this.extension(k, v, `${key}/${k}`));
          else this.sink.add('unknown-field', `"${k}" is not a field of ${key}`, `${key}/${k}`);
        }
        if (id === '') this.sink.add('missing-field', `${key} has no id`, `${key}/id`);
        event[key] = ext.length > 0 ? { id, extensions: ext } : { id };
        return true;
      }
      case 'bizTransactionList':
        event.bizTransactionList = this.list(value, key).map((v, i) => {
          const path = `${key}/${i}`;
          const o = this.object(v, path);
          this.onlyKeys(o, ['type', 'bizTransaction'], path);
          const bt = { bizTransaction: this.id(o.bizTransaction, `${path}/bizTransaction`) };
          return o.type === undefined ? bt : { type: this.vocab('btt', o.type, `${path}/type`), ...bt };
        });
        return true;
      case 'sourceList':
      case 'destinationList': {
        const k = key === 'sourceList' ? 'source' : 'destination';
        const list = this.list(value, key).map((v, i) => {
          const path = `${key}/${i}`;
          const o = this.object(v, path);
          this.onlyKeys(o, ['type', k], path);
          return { type: this.vocab('sdt', o.type, `${path}/type`), [k]: this.id(o[k], `${path}/${k}`) };
        });
        if (key === 'sourceList') event.sourceList = list as EpcisEvent['sourceList'];
        else event.destinationList = list as EpcisEvent['destinationList'];
        return true;
      }
      case 'sensorElementList':
        event.sensorElementList = this.list(value, key).map((v, i) => this.sensorElement(v, `${key}/${i}`));
        return true;
      case 'ilmd': {
        const o = this.object(value, key);
        const ext: Extension[] = [];
        for (const [k, v] of Object.entries(o)) {
          if (k === '@context') continue;
          if (!k.includes(':')) {
            this.sink.add(
              'namespace',
              `ILMD field "${k}" has no namespace prefix; ILMD fields must be namespaced (EPCIS 2.0 §7.3.6)`,
              `${key}/${k}`,
            );
          }
          ext.push(...this.extension(k, v, `${key}/${k}`));
        }
        event.ilmd = ext;
        return true;
      }
      default:
        if (!key.includes(':') && !key.startsWith('@')) {
          this.sink.add(
            'unknown-field',
            `"${key}" is not a field of ${String(event.type)} (user extensions need a namespace prefix such as "example:${key}")`,
            key,
          );
          return false;
        }
        return false;
    }
  }

  private errorDeclaration(value: unknown): NonNullable<EpcisEvent['errorDeclaration']> {
    const o = this.object(value, 'errorDeclaration');
    const decl: NonNullable<EpcisEvent['errorDeclaration']> = { declarationTime: '' };
    const ext: Extension[] = [];
    for (const [k, v] of Object.entries(o)) {
      const path = `errorDeclaration/${k}`;
      if (k === 'declarationTime') decl.declarationTime = this.time(v, path) ?? '';
      else if (k === 'reason') decl.reason = this.vocab('er', v, path);
      else if (k === 'correctiveEventIDs')
        decl.correctiveEventIDs = this.list(v, path).map((x, i) => this.string(x, `${path}/${i}`) ?? '');
      else if (k.includes(':')) ext.push(...this.extension(k, v, path));
      else this.sink.add('unknown-field', `"${k}" is not a field of errorDeclaration`, path);
    }
    if (ext.length > 0) decl.extensions = ext;
    return decl;
  }

  private quantity(value: unknown, path: string): QuantityElement {
    const o = this.object(value, path);
    this.onlyKeys(o, ['epcClass', 'quantity', 'uom'], path);
    const q: Partial<QuantityElement> = { epcClass: this.id(o.epcClass, `${path}/epcClass`) };
    if (o.quantity !== undefined) {
      if (typeof o.quantity !== 'number')
        this.sink.add(
          'bad-value',
          `quantity must be a JSON number, found ${describeJson(o.quantity)}`,
          `${path}/quantity`,
        );
      else {
        const n = canonicalNumber(o.quantity);
        if (n.ok) q.quantity = n.value;
      }
    }
    if (o.uom !== undefined) q.uom = this.string(o.uom, `${path}/uom`);
    return q as QuantityElement;
  }

  private sensorElement(value: unknown, path: string): SensorElement {
    const o = this.object(value, path);
    const element: SensorElement = { sensorReport: [] };
    const ext: Extension[] = [];
    for (const [k, v] of Object.entries(o)) {
      if (k === 'sensorMetadata')
        element.sensorMetadata = this.sensorFields(v, SENSOR_METADATA_FIELDS, `${path}/${k}`);
      else if (k === 'sensorReport') {
        element.sensorReport = this.list(v, `${path}/${k}`).map((x, i) =>
          this.sensorFields(x, SENSOR_REPORT_FIELDS, `${path}/${k}/${i}`),
        );
      } else if (k.includes(':')) ext.push(...this.extension(k, v, `${path}/${k}`));
      else
        this.sink.add('unknown-field', `"${k}" is not a field of sensorElement`, `${path}/${k}`, {
          tolerable: true,
        });
    }
    if (ext.length > 0) element.extensions = ext;
    return element;
  }

  private sensorFields(value: unknown, allowed: readonly string[], path: string): Record<string, never> {
    const o = this.object(value, path);
    const out: Record<string, unknown> = {};
    const ext: Extension[] = [];
    for (const [k, v] of Object.entries(o)) {
      if (allowed.includes(k)) {
        const x = sensorValue(k, v, `${path}/${k}`, this.sink, STANDARD_PREFIXES);
        if (x !== undefined) out[k] = x;
      } else if (k.includes(':')) ext.push(...this.extension(k, v, `${path}/${k}`));
      else if (typeof v !== 'object' || v === null) {
        // the JSON schema and XSD let sensor elements carry further attributes; kept unqualified
        ext.push({ ns: '', name: k, value: scalarText(v) });
      } else this.sink.add('unknown-field', `"${k}" is not a sensor field`, `${path}/${k}`);
    }
    if (ext.length > 0) out.extensions = ext;
    return out as Record<string, never>;
  }

  /** A JSON member that is a user extension -> extension elements (a JSON array repeats the element). */
  extension(key: string, value: unknown, path: string, nested = false): Extension[] {
    const { ns, name } = this.qualify(key, path, nested);
    const one = (v: unknown): Extension => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        const children: Extension[] = [];
        for (const [k, x] of Object.entries(o)) {
          if (k.startsWith('@')) continue;
          children.push(...this.extension(k, x, `${path}/${k}`, true));
        }
        // {"@value": text, ...keys}: an element with text and attributes (as writeJsonLd writes an
        // XML element that has both); the other keys are its attributes
        if ('@value' in o) {
          const value = scalarText(o['@value']);
          const attributes = children
            .filter((c) => c.children === undefined)
            .map((c) => ({ ns: c.ns, name: c.name, value: c.value ?? '' }));
          return attributes.length > 0 ? { ns, name, value, attributes } : { ns, name, value };
        }
        return { ns, name, children };
      }
      return { ns, name, value: scalarText(v) };
    };
    return Array.isArray(value) ? value.map(one) : [one(value)];
  }

  private qualify(key: string, path: string, nested: boolean): { ns: string; name: string } {
    const colon = key.indexOf(':');
    if (colon > 0) {
      const prefix = key.slice(0, colon);
      const ns = this.prefixes.get(prefix);
      if (ns !== undefined) return { ns, name: key.slice(colon + 1) };
      if (/^https?$/.test(prefix)) {
        const cut = Math.max(key.lastIndexOf('/'), key.lastIndexOf('#')) + 1;
        return { ns: key.slice(0, cut), name: key.slice(cut) };
      }
      // still readable (the name is kept whole), but its namespace is unknown
      this.sink.add('namespace', `the prefix "${prefix}" of "${key}" is not declared in @context`, path, {
        tolerable: true,
      });
      return { ns: '', name: key };
    }
    // inside an extension, an unprefixed key is an unqualified child element (as in XML)
    if (!nested)
      this.sink.add('namespace', `extension field "${key}" has no namespace prefix`, path, {
        tolerable: true,
      });
    return { ns: '', name: key };
  }

  private onlyKeys(o: Record<string, unknown>, keys: string[], path: string): void {
    for (const k of Object.keys(o)) {
      if (!keys.includes(k))
        this.sink.add(
          'unknown-field',
          `"${k}" is not allowed here (expected ${keys.join(', ')})`,
          `${path}/${k}`,
        );
    }
  }

  private list(value: unknown, path: string): unknown[] {
    if (Array.isArray(value)) return value;
    this.sink.add('bad-value', `expected a list, found ${describeJson(value)}`, path);
    return [];
  }

  private object(value: unknown, path: string): Record<string, unknown> {
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
    this.sink.add('bad-value', `expected an object, found ${describeJson(value)}`, path);
    return {};
  }

  private string(value: unknown, path: string): string | undefined {
    if (typeof value === 'string') return value.trim();
    this.sink.add('bad-value', `expected text, found ${describeJson(value)}`, path);
    return undefined;
  }

  private time(value: unknown, path: string): string | undefined {
    const s = this.string(value, path);
    if (s === undefined) return undefined;
    const t = canonicalTime(s);
    if (!t.ok) {
      this.sink.add('bad-value', `${path}: ${t.message}`, path);
      return undefined;
    }
    if (t.note !== undefined) this.sink.add('bad-value', `${path}: ${t.note}`, path, { tolerable: true });
    return t.value;
  }

  private id(value: unknown, path: string): string {
    const s = this.string(value, path);
    if (s === undefined) return '';
    const c = canonicalId(s);
    if (c.error !== undefined) this.sink.add('bad-identifier', `${path}: "${s}" ${c.error}`, path);
    return c.value;
  }

  private vocab(kind: VocabularyKind, value: unknown, path: string): string {
    const s = this.string(value, path);
    if (s === undefined) return '';
    if (/^urn:epcglobal:cbv:/.test(s)) {
      this.sink.add(
        'bad-value',
        `${path}: "${s}" uses the CBV URN form; the JSON binding uses the bare term or web URI`,
        path,
        { tolerable: true },
      );
    }
    // Only the standard cbv:/gs1: prefixes are expanded in values; other CURIEs are kept as written,
    // as the XML binding (and the reference hash implementation) can only do the same.
    const v = canonicalVocabulary(kind, s, STANDARD_PREFIXES);
    if (v.unknownTerm !== undefined)
      this.sink.add('unknown-vocabulary', `${path}: "${s}" is not a CBV 2.0 ${kind} value`, path);
    return v.value;
  }
}

function scalarText(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (v === null || v === undefined) return '';
  return String(v);
}
