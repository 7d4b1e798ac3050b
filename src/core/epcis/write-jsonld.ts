import type { EpcisDocument, EpcisEvent, Extension, QuantityElement, SensorElement } from './model';
import { SENSOR_METADATA_FIELDS, SENSOR_REPORT_FIELDS } from './model';
import { eventNamespaces, PrefixAllocator } from './namespaces';
import { vocabularyToTerm } from './normalize';

/*
 * Canonical model -> EPCIS 2.0 JSON-LD (GS1 EPCIS 2.0 §12 and its JSON schema): standard vocabulary
 * as bare terms, identifiers as canonical Digital Link, extensions as prefixed keys declared in
 * @context. Streams: one event at a time, so a million-event conversion needs no more memory than one.
 */

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const CBV_MDA_JSON = 'urn:epcglobal:cbv:mda:';

export async function* writeJsonLd(
  document: EpcisDocument,
  events: AsyncIterable<EpcisEvent>,
): AsyncGenerator<string> {
  const prefixes = new PrefixAllocator(document.namespaces, new Map([[CBV_MDA_JSON, 'cbvmda']]));
  const documentDeclared = prefixes.declarations();
  const declared = new Set([CBV_MDA_JSON, ...documentDeclared.map(([, ns]) => ns)]);
  const head: Record<string, unknown> = {
    '@context': [EPCIS_CONTEXT, ...documentDeclared.map(([p, ns]) => ({ [p]: ns }))],
    type: document.kind === 'query' ? 'EPCISQueryDocument' : 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: document.creationDate ?? new Date().toISOString(),
  };
  // EPCIS 2.0 JSON carries the SBDH essentials as document-level sender/receiver/instanceIdentifier
  const fromSbdh = {
    sender: document.sbdh?.sender[0]?.identifier,
    receiver: document.sbdh?.receiver[0]?.identifier,
    instanceIdentifier: document.sbdh?.instanceIdentifier,
  };
  for (const k of ['sender', 'receiver', 'instanceIdentifier'] as const) {
    const v = document[k] ?? fromSbdh[k];
    if (v !== undefined) head[k] = v;
  }
  // header extensions (e.g. the GS1 US DSCSA transaction statement) as prefixed epcisHeader members
  for (const ns of new Set((document.headerExtensions ?? []).map((x) => jsonNs(x.ns)))) {
    if (ns !== '' && !declared.has(ns)) {
      (head['@context'] as unknown[]).push({ [prefixes.prefixFor(ns).prefix]: ns });
      declared.add(ns);
    }
  }
  const headerExtensions = extensionsToJson(document.headerExtensions, prefixes);
  if (Object.keys(headerExtensions).length > 0) head.epcisHeader = headerExtensions;
  if (document.masterData.length > 0) {
    head.epcisHeader = {
      ...headerExtensions,
      epcisMasterData: {
        vocabularyList: document.masterData.map((v) => ({
          type: v.type,
          vocabularyElementList: v.elements.map((e) => ({
            id: e.id,
            attributes: e.attributes.map((a) => ({
              id: a.id,
              attribute:
                a.value ?? Object.fromEntries((a.children ?? []).map((c) => [c.name, c.value ?? ''])),
            })),
            ...(e.children !== undefined ? { children: e.children } : {}),
          })),
        })),
      },
    };
  }
  const open = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  const listPath = document.kind === 'query' ? ['queryResults', 'resultsBody'] : [];
  let prefix = `${open},\n  "epcisBody": {`;
  if (document.kind === 'query') {
    prefix += `\n    "queryResults": {\n      "queryName": ${JSON.stringify(document.queryName ?? 'SimpleEventQuery')},`;
    if (document.subscriptionID !== undefined)
      prefix += `\n      "subscriptionID": ${JSON.stringify(document.subscriptionID)},`;
    prefix += '\n      "resultsBody": {';
  }
  yield `${prefix}\n    "eventList": [`;
  let first = true;
  for await (const event of events) {
    const json = eventToJson(event, prefixes, declared);
    yield (first ? '\n' : ',\n') + indent(JSON.stringify(json, null, 2), 6);
    first = false;
  }
  yield `\n    ]${listPath.length > 0 ? '\n      }\n    }' : ''}\n  }\n}\n`;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

/** `declared`: namespaces in the document's @context; others go into the event's own @context. */
export function eventToJson(
  e: EpcisEvent,
  prefixes: PrefixAllocator,
  declared: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const newContext: Record<string, string> = {};
  for (const ns of eventNamespaces(e)) {
    const { prefix } = prefixes.prefixFor(jsonNs(ns));
    if (!declared.has(jsonNs(ns))) newContext[prefix] = jsonNs(ns);
  }
  if (Object.keys(newContext).length > 0) out['@context'] = newContext;
  const ext = (list: Extension[] | undefined) => extensionsToJson(list, prefixes);
  out.type = e.type;
  out.eventTime = e.eventTime;
  if (e.recordTime !== undefined) out.recordTime = e.recordTime;
  out.eventTimeZoneOffset = e.eventTimeZoneOffset;
  if (e.eventID !== undefined) out.eventID = e.eventID;
  if (e.certificationInfo !== undefined)
    out.certificationInfo = e.certificationInfo.length === 1 ? e.certificationInfo[0] : e.certificationInfo;
  if (e.errorDeclaration !== undefined) {
    const d = e.errorDeclaration;
    out.errorDeclaration = {
      declarationTime: d.declarationTime,
      ...(d.reason !== undefined ? { reason: vocabularyToTerm('er', d.reason) } : {}),
      ...(d.correctiveEventIDs !== undefined ? { correctiveEventIDs: d.correctiveEventIDs } : {}),
      ...ext(d.extensions),
    };
  }
  if (e.parentID !== undefined) out.parentID = e.parentID;
  for (const k of ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'] as const)
    if (e[k] !== undefined) out[k] = e[k];
  for (const k of ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'] as const) {
    if (e[k] !== undefined) out[k] = e[k]!.map(quantityToJson);
  }
  if (e.action !== undefined) out.action = e.action;
  if (e.transformationID !== undefined) out.transformationID = e.transformationID;
  if (e.bizStep !== undefined) out.bizStep = vocabularyToTerm('bizStep', e.bizStep);
  if (e.disposition !== undefined) out.disposition = vocabularyToTerm('disposition', e.disposition);
  if (e.persistentDisposition !== undefined) {
    const pd: Record<string, string[]> = {};
    for (const k of ['set', 'unset'] as const) {
      const v = e.persistentDisposition[k];
      if (v !== undefined) pd[k] = v.map((x) => vocabularyToTerm('disposition', x));
    }
    out.persistentDisposition = pd;
  }
  for (const k of ['readPoint', 'bizLocation'] as const) {
    const l = e[k];
    if (l !== undefined) out[k] = { id: l.id, ...ext(l.extensions) };
  }
  if (e.bizTransactionList !== undefined) {
    out.bizTransactionList = e.bizTransactionList.map((b) => ({
      ...(b.type !== undefined ? { type: vocabularyToTerm('btt', b.type) } : {}),
      bizTransaction: b.bizTransaction,
    }));
  }
  if (e.sourceList !== undefined)
    out.sourceList = e.sourceList.map((s) => ({ type: vocabularyToTerm('sdt', s.type), source: s.source }));
  if (e.destinationList !== undefined) {
    out.destinationList = e.destinationList.map((d) => ({
      type: vocabularyToTerm('sdt', d.type),
      destination: d.destination,
    }));
  }
  if (e.sensorElementList !== undefined)
    out.sensorElementList = e.sensorElementList.map((s) => sensorToJson(s, prefixes));
  if (e.ilmd !== undefined) out.ilmd = ext(e.ilmd);
  Object.assign(out, ext(e.extensions));
  return out;
}

function quantityToJson(q: QuantityElement): Record<string, unknown> {
  return {
    epcClass: q.epcClass,
    ...(q.quantity !== undefined ? { quantity: q.quantity } : {}),
    ...(q.uom !== undefined ? { uom: q.uom } : {}),
  };
}

function sensorToJson(s: SensorElement, prefixes: PrefixAllocator): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.sensorMetadata !== undefined) {
    const md = s.sensorMetadata as Record<string, unknown>;
    const o: Record<string, unknown> = {};
    for (const f of SENSOR_METADATA_FIELDS) if (md[f] !== undefined) o[f] = md[f];
    out.sensorMetadata = { ...o, ...extensionsToJson(s.sensorMetadata.extensions, prefixes) };
  }
  out.sensorReport = s.sensorReport.map((r) => {
    const rr = r as Record<string, unknown>;
    const o: Record<string, unknown> = {};
    for (const f of SENSOR_REPORT_FIELDS) {
      const v = rr[f];
      if (v === undefined) continue;
      if (f === 'type') o[f] = vocabularyToTerm('measurement', String(v));
      else if (f === 'exception') o[f] = vocabularyToTerm('alert', String(v));
      else if (f === 'component') o[f] = vocabularyToTerm('component', String(v));
      else o[f] = v;
    }
    return { ...o, ...extensionsToJson(r.extensions, prefixes) };
  });
  Object.assign(out, extensionsToJson(s.extensions, prefixes));
  return out;
}

/** The JSON-LD context's cbvmda prefix ends in ":"; XML's does not. Written with the JSON spelling. */
function jsonNs(ns: string): string {
  return ns === 'urn:epcglobal:cbv:mda' ? CBV_MDA_JSON : ns;
}

/** Extensions -> JSON members; repeated names become arrays, attributes become child keys. */
export function extensionsToJson(
  list: Extension[] | undefined,
  prefixes: PrefixAllocator,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const repeated = new Set<string>();
  for (const x of list ?? []) {
    const key = x.ns === '' ? x.name : `${prefixes.prefixFor(jsonNs(x.ns)).prefix}:${x.name}`;
    const value = extensionValue(x, prefixes);
    if (!(key in out)) out[key] = value;
    else if (repeated.has(key)) (out[key] as unknown[]).push(value);
    else {
      out[key] = [out[key], value];
      repeated.add(key);
    }
  }
  return out;
}

function extensionValue(x: Extension, prefixes: PrefixAllocator): unknown {
  const attributes: Extension[] = (x.attributes ?? []).map((a) => ({
    ns: a.ns,
    name: a.name,
    value: a.value,
  }));
  const children = [...(x.children ?? []), ...attributes];
  if (children.length === 0) return x.value ?? '';
  const obj = extensionsToJson(children, prefixes);
  return x.value !== undefined && x.value !== '' ? { '@value': x.value, ...obj } : obj;
}
