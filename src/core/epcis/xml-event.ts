import { canonicalId } from './identifier-form';
import { IssueSink } from './issues';
import type {
  EpcisEvent,
  EventType,
  Extension,
  QuantityElement,
  SensorElement,
  SensorMetadata,
  SensorReport,
  SourcePosition,
} from './model';
import { EVENT_TYPES, SENSOR_METADATA_FIELDS, SENSOR_REPORT_FIELDS } from './model';
import {
  canonicalNumber,
  canonicalTime,
  canonicalVocabulary,
  STANDARD_PREFIXES,
  type VocabularyKind,
} from './normalize';
import { attribute, textOf, type XmlElement } from './xml-tree';

export const EPCIS_NS = { '1': 'urn:epcglobal:epcis:xsd:1', '2': 'urn:epcglobal:epcis:xsd:2' } as const;

/** A candidate event: model-shaped, but not yet validated (fields may be missing or malformed). */
export type CandidateEvent = Omit<Partial<EpcisEvent>, 'type'> & { type?: string };

/*
 * XSD element order per event type (EPCIS 2.0 XSD, and 1.2 with its <extension> wrappers flattened).
 * Base fields first; namespaced user extensions may only follow all standard fields (xsd:any at the end).
 */
const BASE_2 = [
  'eventTime',
  'recordTime',
  'eventTimeZoneOffset',
  'eventID',
  'errorDeclaration',
  'certificationInfo',
];
/** The standard fields after the base ones, per event type (EPCIS 2.0 XSD); the XML writer uses it too. */
export const EVENT_FIELDS_2: Record<EventType, readonly string[]> = {
  ObjectEvent: [
    'epcList',
    'action',
    'bizStep',
    'disposition',
    'readPoint',
    'bizLocation',
    'bizTransactionList',
    'quantityList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
    'ilmd',
  ],
  AggregationEvent: [
    'parentID',
    'childEPCs',
    'action',
    'bizStep',
    'disposition',
    'readPoint',
    'bizLocation',
    'bizTransactionList',
    'childQuantityList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
  ],
  TransactionEvent: [
    'bizTransactionList',
    'parentID',
    'epcList',
    'action',
    'bizStep',
    'disposition',
    'readPoint',
    'bizLocation',
    'quantityList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
  ],
  TransformationEvent: [
    'inputEPCList',
    'inputQuantityList',
    'outputEPCList',
    'outputQuantityList',
    'transformationID',
    'bizStep',
    'disposition',
    'readPoint',
    'bizLocation',
    'bizTransactionList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
    'ilmd',
  ],
  AssociationEvent: [
    'parentID',
    'childEPCs',
    'childQuantityList',
    'action',
    'bizStep',
    'disposition',
    'readPoint',
    'bizLocation',
    'bizTransactionList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
  ],
};
const ORDER_2 = Object.fromEntries(
  Object.entries(EVENT_FIELDS_2).map(([type, fields]) => [type, [...BASE_2, ...fields]]),
) as Record<EventType, string[]>;
const BASE_1 = ['eventTime', 'recordTime', 'eventTimeZoneOffset', 'eventID', 'errorDeclaration'];
const ORDER_1: Record<EventType, string[]> = {
  ObjectEvent: [
    ...BASE_1,
    'epcList',
    'action',
    'bizStep',
    'disposition',
    'readPoint',
    'bizLocation',
    'bizTransactionList',
    'quantityList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
    'ilmd',
  ],
  AggregationEvent: [
    ...BASE_1,
    'parentID',
    'childEPCs',
    'action',
    'bizStep',
    'disposition',
    'readPoint',
    'bizLocation',
    'bizTransactionList',
    'childQuantityList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
  ],
  TransactionEvent: [
    ...BASE_1,
    'bizTransactionList',
    'parentID',
    'epcList',
    'action',
    'bizStep',
    'disposition',
    'readPoint',
    'bizLocation',
    'quantityList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
  ],
  TransformationEvent: ORDER_2.TransformationEvent.filter((f) => f !== 'certificationInfo'),
  AssociationEvent: ORDER_2.AssociationEvent.filter((f) => f !== 'certificationInfo'),
};

const EPC_LISTS = new Set(['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList']);
const QUANTITY_LISTS = new Set([
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
]);
const SINGLE_FIELDS = new Set([
  ...BASE_2,
  'parentID',
  'action',
  'transformationID',
  'bizStep',
  'disposition',
  'readPoint',
  'bizLocation',
  'bizTransactionList',
  'sourceList',
  'destinationList',
  'sensorElementList',
  'persistentDisposition',
  'ilmd',
  ...EPC_LISTS,
  ...QUANTITY_LISTS,
]);

const KNOWN_FIELDS = new Set([...SINGLE_FIELDS, 'recordTime', 'extension', 'baseExtension']);
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** xsi:nil="true" means the element is absent. */
function isNil(el: XmlElement): boolean {
  const nil = attribute(el, 'nil', XSI);
  return nil === 'true' || nil === '1';
}

export interface XmlEventContext {
  version: '1' | '2';
  /** The EPCIS namespace of this document; standard fields found in it are tolerated. */
  epcisNs: string;
}

export function xmlEventToCandidate(
  el: XmlElement,
  ctx: XmlEventContext,
): { event: CandidateEvent; issues: IssueSink } {
  const sink = new IssueSink({ line: el.line, column: el.column });
  const type = el.name.local;
  const event: CandidateEvent = { type };
  if (!(EVENT_TYPES as readonly string[]).includes(type)) {
    sink.add(
      'structure',
      `"${type}" is not an EPCIS event type (expected one of ${EVENT_TYPES.join(', ')})`,
      'type',
    );
    return { event, issues: sink };
  }
  const isStandard = (child: XmlElement): boolean => {
    if (child.name.ns === '') return true;
    if (child.name.ns === ctx.epcisNs || child.name.ns === EPCIS_NS['1'] || child.name.ns === EPCIS_NS['2']) {
      sink.add(
        'namespace',
        `<${child.name.prefix}:${child.name.local}> is in the EPCIS namespace; standard event fields are unqualified`,
        child.name.local,
        {
          tolerable: true,
          position: pos(child),
        },
      );
      return true;
    }
    return false;
  };

  // flatten the 1.x <extension>/<baseExtension> wrappers into one field sequence
  const fields: XmlElement[] = [];
  const extensions: Extension[] = [];
  const flatten = (parent: XmlElement, depth: number) => {
    for (const child of parent.children) {
      if (isNil(child)) continue;
      const standard = isStandard(child);
      if (
        standard &&
        (child.name.local === 'extension' || child.name.local === 'baseExtension') &&
        depth < 4
      ) {
        flatten(child, depth + 1);
      } else if (standard && depth >= 2 && !KNOWN_FIELDS.has(child.name.local)) {
        // EPCIS 1.x: the innermost <extension> admits unqualified user fields (xsd:any ##local)
        extensions.push(xmlExtension(child));
      } else if (standard) fields.push(child);
      else extensions.push(xmlExtension(child));
    }
  };
  flatten(el, 0);

  // 1.x documents carry AssociationEvent only as forward-compatible extension content the 1.2 XSD
  // does not check, so its field order is not checked either
  if (!(ctx.version === '1' && type === 'AssociationEvent')) {
    checkOrder(fields, (ctx.version === '1' ? ORDER_1 : ORDER_2)[type as EventType], type, sink);
  }

  const seen = new Set<string>();
  for (const f of fields) {
    const name = f.name.local;
    if (SINGLE_FIELDS.has(name) && name !== 'certificationInfo') {
      if (seen.has(name))
        sink.add('duplicate-field', `<${name}> appears more than once`, name, { position: pos(f) });
      seen.add(name);
    }
    readField(event, f, sink);
  }
  if (extensions.length > 0) event.extensions = extensions;
  return { event, issues: sink };
}

function pos(el: XmlElement) {
  return { line: el.line, column: el.column };
}

function checkOrder(fields: XmlElement[], order: string[], type: string, sink: IssueSink): void {
  let last = -1;
  let lastName = '';
  for (const f of fields) {
    const i = order.indexOf(f.name.local);
    if (i === -1) continue;
    if (i < last) {
      sink.add(
        'field-order',
        `<${f.name.local}> comes after <${lastName}>, but the ${type} XSD puts it before`,
        f.name.local,
        {
          tolerable: true,
          position: pos(f),
        },
      );
      return;
    }
    last = i;
    lastName = f.name.local;
  }
}

function readField(event: CandidateEvent, f: XmlElement, sink: IssueSink): void {
  const name = f.name.local;
  const at = { position: pos(f) };
  switch (name) {
    case 'eventTime':
    case 'recordTime': {
      const t = time(textOf(f), name, sink, f);
      if (t !== undefined) event[name] = t;
      return;
    }
    case 'eventTimeZoneOffset':
      event.eventTimeZoneOffset = textOf(f);
      return;
    case 'eventID':
      event.eventID = textOf(f);
      return;
    case 'certificationInfo':
      (event.certificationInfo ??= []).push(textOf(f));
      return;
    case 'errorDeclaration': {
      const decl: NonNullable<EpcisEvent['errorDeclaration']> = { declarationTime: '' };
      const ext: Extension[] = [];
      for (const c of expandExtensionWrappers(f)) {
        if (c.name.ns !== '') ext.push(xmlExtension(c));
        else if (c.name.local === 'declarationTime')
          decl.declarationTime = time(textOf(c), 'errorDeclaration/declarationTime', sink, c) ?? '';
        else if (c.name.local === 'reason')
          decl.reason = vocab('er', textOf(c), 'errorDeclaration/reason', sink, c);
        else if (c.name.local === 'correctiveEventIDs') {
          decl.correctiveEventIDs = c.children
            .filter((x) => x.name.local === 'correctiveEventID')
            .map(textOf);
        } else
          sink.add(
            'unknown-field',
            `<${c.name.local}> is not a field of errorDeclaration`,
            `errorDeclaration/${c.name.local}`,
            { position: pos(c) },
          );
      }
      if (ext.length > 0) decl.extensions = ext;
      event.errorDeclaration = decl;
      return;
    }
    case 'epcList':
    case 'childEPCs':
    case 'inputEPCList':
    case 'outputEPCList': {
      const list: string[] = [];
      f.children.forEach((c, i) => {
        if (isListItem(c, { list: name, item: 'epc', strict: true }, `${name}/${i}`, sink))
          list.push(id(textOf(c), `${name}/${i}`, sink, c));
      });
      event[name] = list;
      return;
    }
    case 'parentID':
    case 'transformationID':
      // a transformationID may be a GS1 key (e.g. a GDTI), so it gets the identifier form too
      event[name] = id(textOf(f), name, sink, f);
      return;
    case 'quantityList':
    case 'childQuantityList':
    case 'inputQuantityList':
    case 'outputQuantityList': {
      const list: QuantityElement[] = [];
      f.children.forEach((qe, i) => {
        if (!isListItem(qe, { list: name, item: 'quantityElement', strict: true }, `${name}/${i}`, sink))
          return;
        const q: Partial<QuantityElement> = {};
        for (const c of qe.children) {
          if (isNil(c)) continue;
          const path = `${name}/${i}/${c.name.local}`;
          if (c.name.local === 'epcClass') q.epcClass = id(textOf(c), path, sink, c);
          else if (c.name.local === 'quantity') {
            const n = canonicalNumber(textOf(c));
            if (n.ok) q.quantity = n.value;
            else sink.add('bad-value', `quantity: ${n.message}`, path, { position: pos(c) });
          } else if (c.name.local === 'uom') q.uom = textOf(c);
          else
            sink.add('unknown-field', `<${c.name.local}> is not a field of quantityElement`, path, {
              position: pos(c),
            });
        }
        list.push(q as QuantityElement);
      });
      event[name] = list;
      return;
    }
    case 'action':
      event.action = textOf(f) as EpcisEvent['action'];
      return;
    case 'bizStep':
      event.bizStep = vocab('bizStep', textOf(f), name, sink, f);
      return;
    case 'disposition':
      event.disposition = vocab('disposition', textOf(f), name, sink, f);
      return;
    case 'persistentDisposition': {
      const pd: NonNullable<EpcisEvent['persistentDisposition']> = {};
      f.children.forEach((c, i) => {
        const k = c.name.local;
        if (k !== 'set' && k !== 'unset') {
          sink.add(
            'unknown-field',
            `<${k}> is not a field of persistentDisposition`,
            `persistentDisposition/${k}`,
            { position: pos(c) },
          );
          return;
        }
        (pd[k] ??= []).push(vocab('disposition', textOf(c), `persistentDisposition/${k}/${i}`, sink, c));
      });
      event.persistentDisposition = pd;
      return;
    }
    case 'readPoint':
    case 'bizLocation': {
      let locationId = '';
      const ext: Extension[] = [];
      for (const c of expandExtensionWrappers(f)) {
        if (c.name.ns !== '') ext.push(xmlExtension(c));
        else if (c.name.local === 'id') locationId = id(textOf(c), `${name}/id`, sink, c);
        else
          sink.add(
            'unknown-field',
            `<${c.name.local}> is not a field of ${name}`,
            `${name}/${c.name.local}`,
            { position: pos(c) },
          );
      }
      event[name] = ext.length > 0 ? { id: locationId, extensions: ext } : { id: locationId };
      return;
    }
    case 'bizTransactionList': {
      event.bizTransactionList = f.children.map((c, i) => {
        const path = `bizTransactionList/${i}`;
        isListItem(c, { list: name, item: 'bizTransaction', strict: false }, path, sink, at);
        const type = attribute(c, 'type');
        const bt = { bizTransaction: id(textOf(c), path, sink, c) };
        return type === undefined ? bt : { type: vocab('btt', type, `${path}/type`, sink, c), ...bt };
      });
      return;
    }
    case 'sourceList':
    case 'destinationList': {
      const key = name === 'sourceList' ? 'source' : 'destination';
      const list = f.children.map((c, i) => {
        const path = `${name}/${i}`;
        isListItem(c, { list: name, item: key, strict: false }, path, sink);
        const type = attribute(c, 'type');
        if (type === undefined)
          sink.add('missing-field', `<${key}> has no type attribute`, `${path}/type`, { position: pos(c) });
        return {
          type: vocab('sdt', type ?? '', `${path}/type`, sink, c),
          [key]: id(textOf(c), path, sink, c),
        };
      });
      if (name === 'sourceList') event.sourceList = list as EpcisEvent['sourceList'];
      else event.destinationList = list as EpcisEvent['destinationList'];
      return;
    }
    case 'sensorElementList':
      event.sensorElementList = f.children.map((c, i) => sensorElement(c, `sensorElementList/${i}`, sink));
      return;
    case 'ilmd': {
      const ext: Extension[] = [];
      for (const c of expandExtensionWrappers(f)) {
        if (c.name.ns === '') {
          sink.add(
            'namespace',
            `ILMD field <${c.name.local}> has no namespace; ILMD fields must be namespaced (EPCIS 2.0 §7.3.6)`,
            `ilmd/${c.name.local}`,
            {
              position: pos(c),
            },
          );
        }
        ext.push(xmlExtension(c));
      }
      event.ilmd = ext;
      return;
    }
    default:
      sink.add(
        'unknown-field',
        `<${name}> is not a field of ${String(event.type)} (user extensions must be in their own namespace)`,
        name,
        at,
      );
  }
}

/**
 * A list field holds children of one name: <epcList> only <epc>, <quantityList> only
 * <quantityElement>, <bizTransactionList> only <bizTransaction>, <sourceList> only <source> …
 * Any other child is reported as an unknown field. `strict` lists (EPCs, quantities) say which
 * child is allowed and the caller skips the stray one; the others (business transactions, sources,
 * destinations) still read it as one of theirs. The issue sits at the child unless `at` says where.
 */
function isListItem(
  child: XmlElement,
  shape: { readonly list: string; readonly item: string; readonly strict: boolean },
  path: string,
  sink: IssueSink,
  at: { readonly position: SourcePosition } = { position: pos(child) },
): boolean {
  if (child.name.local === shape.item) return true;
  const message = shape.strict
    ? `<${child.name.local}> inside <${shape.list}>; only <${shape.item}> is allowed`
    : `<${child.name.local}> inside ${shape.list}`;
  sink.add('unknown-field', message, path, at);
  return false;
}

/** 1.x wraps later additions in <extension>; 2.0 drops the wrapper. Both read the same. */
function expandExtensionWrappers(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (c.name.ns === '' && c.name.local === 'extension') out.push(...expandExtensionWrappers(c));
    else out.push(c);
  }
  return out;
}

function sensorElement(el: XmlElement, path: string, sink: IssueSink): SensorElement {
  const element: SensorElement = { sensorReport: [] };
  const ext: Extension[] = [];
  for (const c of expandExtensionWrappers(el)) {
    if (c.name.ns !== '') ext.push(xmlExtension(c));
    else if (c.name.local === 'sensorMetadata' || c.name.local === 'sensorMetaData') {
      element.sensorMetadata = sensorAttributes(
        c,
        SENSOR_METADATA_FIELDS,
        `${path}/sensorMetadata`,
        sink,
      ) as SensorMetadata;
    } else if (c.name.local === 'sensorReport') {
      element.sensorReport.push(
        sensorAttributes(
          c,
          SENSOR_REPORT_FIELDS,
          `${path}/sensorReport/${element.sensorReport.length}`,
          sink,
        ) as SensorReport,
      );
    } else
      sink.add(
        'unknown-field',
        `<${c.name.local}> is not a field of sensorElement`,
        `${path}/${c.name.local}`,
        { position: pos(c) },
      );
  }
  if (ext.length > 0) element.extensions = ext;
  return element;
}

const SENSOR_NUMBERS = new Set([
  'value',
  'minValue',
  'maxValue',
  'meanValue',
  'sDev',
  'percRank',
  'percValue',
]);
const SENSOR_TIMES = new Set(['time', 'startTime', 'endTime']);
const SENSOR_IDS = new Set(['deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules']);

function sensorAttributes(
  el: XmlElement,
  allowed: readonly string[],
  path: string,
  sink: IssueSink,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const ext: Extension[] = [];
  for (const a of el.attributes) {
    if (a.ns !== '') {
      ext.push({ ns: a.ns, name: a.local, value: a.value.trim() });
      continue;
    }
    const at = `${path}/${a.local}`;
    if (!allowed.includes(a.local)) {
      // The XSD allows further attributes here (anyAttribute); kept unqualified, in document order.
      ext.push({ ns: '', name: a.local, value: a.value.trim() });
      continue;
    }
    const v = sensorValue(a.local, a.value, at, sink, STANDARD_PREFIXES);
    if (v !== undefined) out[a.local] = v;
  }
  if (ext.length > 0) out.extensions = ext;
  return out;
}

/** Shared by the XML and JSON readers: one sensor field's canonical value. */
export function sensorValue(
  field: string,
  raw: unknown,
  path: string,
  sink: IssueSink,
  prefixes: ReadonlyMap<string, string>,
): unknown {
  if (SENSOR_NUMBERS.has(field)) {
    const n = canonicalNumber(raw);
    if (!n.ok) sink.add('bad-value', `${field}: ${n.message}`, path);
    return n.ok ? n.value : undefined;
  }
  if (field === 'booleanValue') {
    if (typeof raw === 'boolean') return raw;
    const t = String(raw).trim();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
    sink.add('bad-value', `booleanValue "${t}" is not true or false`, path);
    return undefined;
  }
  if (typeof raw !== 'string') {
    sink.add('bad-value', `${field} must be text`, path);
    return undefined;
  }
  const text = raw.trim();
  if (SENSOR_TIMES.has(field)) {
    const t = canonicalTime(text);
    if (!t.ok) sink.add('bad-value', `${field}: ${t.message}`, path);
    return t.ok ? t.value : undefined;
  }
  if (SENSOR_IDS.has(field)) return canonicalId(text).value;
  if (field === 'type') return canonicalVocabulary('measurement', text, prefixes).value;
  if (field === 'exception') return canonicalVocabulary('alert', text, prefixes).value;
  if (field === 'component') return canonicalVocabulary('component', text, prefixes).value;
  return text;
}

export function xmlExtension(el: XmlElement): Extension {
  const ext: Extension = { ns: el.name.ns, name: el.name.local };
  if (el.children.length > 0) ext.children = el.children.map(xmlExtension);
  else ext.value = el.text.trim();
  if (el.attributes.length > 0)
    ext.attributes = el.attributes.map((a) => ({ ns: a.ns, name: a.local, value: a.value }));
  return ext;
}

function time(text: string, field: string, sink: IssueSink, el: XmlElement): string | undefined {
  const t = canonicalTime(text);
  if (!t.ok) {
    sink.add('bad-value', `${field}: ${t.message}`, field, { position: pos(el) });
    return undefined;
  }
  if (t.note !== undefined)
    sink.add('bad-value', `${field}: ${t.note}`, field, { position: pos(el), tolerable: true });
  return t.value;
}

function id(text: string, field: string, sink: IssueSink, el: XmlElement): string {
  const c = canonicalId(text);
  if (c.error !== undefined)
    sink.add('bad-identifier', `${field}: "${text}" ${c.error}`, field, { position: pos(el) });
  return c.value;
}

function vocab(kind: VocabularyKind, text: string, field: string, sink: IssueSink, el: XmlElement): string {
  const v = canonicalVocabulary(kind, text, STANDARD_PREFIXES);
  if (v.unknownTerm !== undefined) {
    sink.add('unknown-vocabulary', `${field}: "${text}" is not a CBV 2.0 ${kind} value`, field, {
      position: pos(el),
    });
  }
  return v.value;
}
