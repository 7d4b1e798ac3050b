import type { EpcisDocument, EpcisEvent, Extension, QuantityElement, SensorElement } from './model';
import { SENSOR_METADATA_FIELDS, SENSOR_REPORT_FIELDS } from './model';
import { eventNamespaces, PrefixAllocator } from './namespaces';
import { vocabularyToUrn, type VocabularyKind } from './normalize';
import { formatNumber } from './hash';
import { EVENT_FIELDS_2 } from './xml-event';

/*
 * Canonical model -> EPCIS 2.0 XML (EPCglobal-epcis-2_0.xsd): fields in XSD order, CBV values in the
 * URN form the XML binding has always used, identifiers as canonical Digital Link (allowed since 2.0),
 * user extensions in their namespaces after the standard fields. Streams one event at a time.
 */

const EPCIS2 = 'urn:epcglobal:epcis:xsd:2';
const QUERY2 = 'urn:epcglobal:epcis-query:xsd:2';

export async function* writeXml(
  document: EpcisDocument,
  events: AsyncIterable<EpcisEvent>,
): AsyncGenerator<string> {
  const prefixes = new PrefixAllocator(document.namespaces);
  const query = document.kind === 'query';
  const root = query ? 'epcisq:EPCISQueryDocument' : 'epcis:EPCISDocument';
  const rootDeclared = prefixes.declarations();
  const onRoot = new Set(rootDeclared.map(([, ns]) => ns));
  const decls = rootDeclared.map(([p, ns]) => ` xmlns:${p}="${esc(ns)}"`).join('');
  let head = `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns:${query ? 'epcisq' : 'epcis'}="${query ? QUERY2 : EPCIS2}"${decls} schemaVersion="2.0" creationDate="${esc(document.creationDate ?? new Date().toISOString())}">\n`;
  head += header(document, prefixes);
  head += '  <EPCISBody>\n';
  if (query) {
    head += `    <epcisq:QueryResults>\n      <queryName>${esc(document.queryName ?? 'SimpleEventQuery')}</queryName>\n`;
    if (document.subscriptionID !== undefined)
      head += `      <subscriptionID>${esc(document.subscriptionID)}</subscriptionID>\n`;
    head += '      <resultsBody>\n';
  }
  yield head + '    <EventList>\n';
  for await (const event of events) yield eventToXml(event, prefixes, '      ', onRoot);
  let tail = '    </EventList>\n';
  if (query) tail += '      </resultsBody>\n    </epcisq:QueryResults>\n';
  yield `${tail}  </EPCISBody>\n</${root}>\n`;
}

const SBDH = 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader';

/**
 * EPCISHeader: the SBDH, master data, and header extensions such as the GS1 US DSCSA transaction
 * statement. The 2.0 XSD has no slot for header extensions; they are written after <extension>, where
 * EPCIS 1.2 and the GS1 US guideline put them, because dropping a transaction statement is worse.
 */
function header(d: EpcisDocument, prefixes: PrefixAllocator): string {
  if (d.sbdh === undefined && d.masterData.length === 0 && (d.headerExtensions ?? []).length === 0) return '';
  let out = '  <EPCISHeader>\n';
  if (d.sbdh !== undefined) out += sbdh(d.sbdh);
  if (d.masterData.length > 0) out += masterData(d);
  for (const x of d.headerExtensions ?? []) {
    const decl = x.ns !== '' ? ` xmlns:${prefixes.prefixFor(x.ns).prefix}="${esc(x.ns)}"` : '';
    const lines = extensionToXml(x, prefixes, '    ');
    lines[0] = lines[0]!.replace(/^(\s*<[^\s>]+)/, `$1${decl}`);
    out += lines.join('\n') + '\n';
  }
  return out + '  </EPCISHeader>\n';
}

function sbdh(h: NonNullable<EpcisDocument['sbdh']>): string {
  const t = (name: string, value: string | undefined) =>
    value !== undefined ? `<sbdh:${name}>${esc(value)}</sbdh:${name}>` : '';
  const party = (tag: string, p: NonNullable<EpcisDocument['sbdh']>['sender'][number]) =>
    `<sbdh:${tag}><sbdh:Identifier${p.authority !== undefined ? ` Authority="${esc(p.authority)}"` : ''}>${esc(p.identifier)}</sbdh:Identifier>${
      p.contactName !== undefined
        ? `<sbdh:ContactInformation>${t('Contact', p.contactName)}</sbdh:ContactInformation>`
        : ''
    }</sbdh:${tag}>`;
  return (
    `    <sbdh:StandardBusinessDocumentHeader xmlns:sbdh="${SBDH}">` +
    t('HeaderVersion', h.headerVersion ?? '1.0') +
    h.sender.map((p) => party('Sender', p)).join('') +
    h.receiver.map((p) => party('Receiver', p)).join('') +
    `<sbdh:DocumentIdentification>${t('Standard', h.standard ?? 'EPCglobal')}${t('TypeVersion', h.typeVersion ?? '2.0')}${t('InstanceIdentifier', h.instanceIdentifier ?? '')}${t('Type', h.documentType ?? 'Events')}${t('CreationDateAndTime', h.creationDateAndTime ?? new Date().toISOString())}</sbdh:DocumentIdentification>` +
    '</sbdh:StandardBusinessDocumentHeader>\n'
  );
}

function masterData(d: EpcisDocument): string {
  let out = '    <extension>\n      <EPCISMasterData>\n        <VocabularyList>\n';
  for (const v of d.masterData) {
    out += `          <Vocabulary type="${esc(v.type)}">\n            <VocabularyElementList>\n`;
    for (const e of v.elements) {
      out += `              <VocabularyElement id="${esc(e.id)}">\n`;
      for (const a of e.attributes)
        out += `                <attribute id="${esc(a.id)}">${esc(a.value ?? '')}</attribute>\n`;
      if (e.children !== undefined) {
        out += `                <children>${e.children.map((c) => `<id>${esc(c)}</id>`).join('')}</children>\n`;
      }
      out += '              </VocabularyElement>\n';
    }
    out += '            </VocabularyElementList>\n          </Vocabulary>\n';
  }
  return out + '        </VocabularyList>\n      </EPCISMasterData>\n    </extension>\n';
}

export function esc(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** XSD element order per event type (EPCIS 2.0): the reader's table, so the two cannot drift. */
const ORDER = EVENT_FIELDS_2;

/** `declared`: namespaces declared on the root; any other one is declared on the event element. */
export function eventToXml(
  e: EpcisEvent,
  prefixes: PrefixAllocator,
  pad: string,
  declared: ReadonlySet<string>,
): string {
  const newDecls: [string, string][] = [];
  for (const ns of eventNamespaces(e)) {
    const { prefix } = prefixes.prefixFor(ns);
    if (!declared.has(ns)) newDecls.push([prefix, ns]);
  }
  const p1 = pad + '  ';
  const p2 = p1 + '  ';
  const lines: string[] = [];
  const leaf = (name: string, value: string | undefined, p = p1) => {
    if (value !== undefined) lines.push(`${p}<${name}>${esc(value)}</${name}>`);
  };
  const x = (list: Extension[] | undefined, p: string) => {
    for (const ext of list ?? []) lines.push(...extensionToXml(ext, prefixes, p));
  };
  leaf('eventTime', e.eventTime);
  leaf('recordTime', e.recordTime);
  leaf('eventTimeZoneOffset', e.eventTimeZoneOffset);
  leaf('eventID', e.eventID);
  if (e.errorDeclaration !== undefined) {
    const d = e.errorDeclaration;
    lines.push(`${p1}<errorDeclaration>`);
    leaf('declarationTime', d.declarationTime, p2);
    leaf('reason', d.reason !== undefined ? vocabularyToUrn('er', d.reason) : undefined, p2);
    if (d.correctiveEventIDs !== undefined) {
      lines.push(`${p2}<correctiveEventIDs>`);
      for (const c of d.correctiveEventIDs) leaf('correctiveEventID', c, p2 + '  ');
      lines.push(`${p2}</correctiveEventIDs>`);
    }
    x(d.extensions, p2);
    lines.push(`${p1}</errorDeclaration>`);
  }
  for (const c of e.certificationInfo ?? []) leaf('certificationInfo', c);
  for (const field of ORDER[e.type]) {
    switch (field) {
      case 'epcList':
      case 'childEPCs':
      case 'inputEPCList':
      case 'outputEPCList': {
        const list = e[field];
        if (list === undefined) break;
        if (list.length === 0) lines.push(`${p1}<${field}/>`);
        else {
          lines.push(`${p1}<${field}>`);
          for (const epc of list) leaf('epc', epc, p2);
          lines.push(`${p1}</${field}>`);
        }
        break;
      }
      case 'quantityList':
      case 'childQuantityList':
      case 'inputQuantityList':
      case 'outputQuantityList': {
        const list = e[field];
        if (list === undefined) break;
        lines.push(`${p1}<${field}>`);
        for (const q of list) lines.push(quantityToXml(q, p2));
        lines.push(`${p1}</${field}>`);
        break;
      }
      case 'parentID':
      case 'action':
      case 'transformationID':
        leaf(field, e[field]);
        break;
      case 'bizStep':
        leaf(field, vocab('bizStep', e.bizStep));
        break;
      case 'disposition':
        leaf(field, vocab('disposition', e.disposition));
        break;
      case 'readPoint':
      case 'bizLocation': {
        const l = e[field];
        if (l === undefined) break;
        lines.push(`${p1}<${field}>`);
        leaf('id', l.id, p2);
        x(l.extensions, p2);
        lines.push(`${p1}</${field}>`);
        break;
      }
      case 'bizTransactionList':
        if (e.bizTransactionList === undefined) break;
        lines.push(`${p1}<bizTransactionList>`);
        for (const b of e.bizTransactionList) {
          const type = b.type !== undefined ? ` type="${esc(vocabularyToUrn('btt', b.type))}"` : '';
          lines.push(`${p2}<bizTransaction${type}>${esc(b.bizTransaction)}</bizTransaction>`);
        }
        lines.push(`${p1}</bizTransactionList>`);
        break;
      case 'sourceList':
      case 'destinationList': {
        const key = field === 'sourceList' ? 'source' : 'destination';
        const list = (field === 'sourceList' ? e.sourceList : e.destinationList) as
          { type: string; [k: string]: string }[] | undefined;
        if (list === undefined) break;
        lines.push(`${p1}<${field}>`);
        for (const s of list)
          lines.push(
            `${p2}<${key} type="${esc(vocabularyToUrn('sdt', s.type))}">${esc(s[key] ?? '')}</${key}>`,
          );
        lines.push(`${p1}</${field}>`);
        break;
      }
      case 'sensorElementList':
        if (e.sensorElementList === undefined) break;
        lines.push(`${p1}<sensorElementList>`);
        for (const s of e.sensorElementList) lines.push(...sensorToXml(s, prefixes, p2));
        lines.push(`${p1}</sensorElementList>`);
        break;
      case 'persistentDisposition': {
        const pd = e.persistentDisposition;
        if (pd === undefined) break;
        lines.push(`${p1}<persistentDisposition>`);
        for (const u of pd.unset ?? []) leaf('unset', vocabularyToUrn('disposition', u), p2);
        for (const s of pd.set ?? []) leaf('set', vocabularyToUrn('disposition', s), p2);
        lines.push(`${p1}</persistentDisposition>`);
        break;
      }
      case 'ilmd':
        if (e.ilmd === undefined) break;
        lines.push(`${p1}<ilmd>`);
        x(e.ilmd, p2);
        lines.push(`${p1}</ilmd>`);
        break;
    }
  }
  x(e.extensions, p1);
  const decl = newDecls.map(([p, ns]) => ` xmlns:${p}="${esc(ns)}"`).join('');
  return `${pad}<${e.type}${decl}>\n${lines.join('\n')}\n${pad}</${e.type}>\n`;
}

function vocab(kind: VocabularyKind, value: string | undefined): string | undefined {
  return value === undefined ? undefined : vocabularyToUrn(kind, value);
}

function quantityToXml(q: QuantityElement, pad: string): string {
  const parts = [`<epcClass>${esc(q.epcClass)}</epcClass>`];
  if (q.quantity !== undefined) parts.push(`<quantity>${formatNumber(q.quantity)}</quantity>`);
  if (q.uom !== undefined) parts.push(`<uom>${esc(q.uom)}</uom>`);
  return `${pad}<quantityElement>${parts.join('')}</quantityElement>`;
}

function sensorToXml(s: SensorElement, prefixes: PrefixAllocator, pad: string): string[] {
  const p1 = pad + '  ';
  const attrs = (
    record: Record<string, unknown>,
    fields: readonly string[],
    ext: Extension[] | undefined,
  ) => {
    const out: string[] = [];
    for (const f of fields) {
      const v = record[f];
      if (v === undefined) continue;
      out.push(`${f}="${esc(typeof v === 'number' ? formatNumber(v) : String(v))}"`);
    }
    for (const x of ext ?? []) {
      if (x.children !== undefined) continue; // attributes cannot nest; see extensions below
      const name = x.ns === '' ? x.name : `${prefixes.prefixFor(x.ns).prefix}:${x.name}`;
      out.push(`${name}="${esc(x.value ?? '')}"`);
    }
    return out.length > 0 ? ' ' + out.join(' ') : '';
  };
  const lines = [`${pad}<sensorElement>`];
  if (s.sensorMetadata !== undefined) {
    lines.push(
      `${p1}<sensorMetadata${attrs(s.sensorMetadata as Record<string, unknown>, SENSOR_METADATA_FIELDS, s.sensorMetadata.extensions)}/>`,
    );
  }
  for (const r of s.sensorReport) {
    lines.push(
      `${p1}<sensorReport${attrs(r as Record<string, unknown>, SENSOR_REPORT_FIELDS, r.extensions)}/>`,
    );
  }
  for (const x of s.extensions ?? []) lines.push(...extensionToXml(x, prefixes, p1));
  lines.push(`${pad}</sensorElement>`);
  return lines;
}

/** An event that the XML binding cannot express (e.g. an extension whose prefix was never declared). */
export class UnwritableError extends Error {}

export function extensionToXml(x: Extension, prefixes: PrefixAllocator, pad: string): string[] {
  if (x.ns === '' && x.name.includes(':')) {
    throw new UnwritableError(
      `the extension "${x.name}" has a prefix that the source never declared, so its namespace is unknown and it cannot be written as XML`,
    );
  }
  const name = x.ns === '' ? x.name : `${prefixes.prefixFor(x.ns).prefix}:${x.name}`;
  const attrs = (x.attributes ?? [])
    .map((a) => ` ${a.ns === '' ? a.name : `${prefixes.prefixFor(a.ns).prefix}:${a.name}`}="${esc(a.value)}"`)
    .join('');
  if (x.children === undefined || x.children.length === 0) {
    return [`${pad}<${name}${attrs}>${esc(x.value ?? '')}</${name}>`];
  }
  // text next to child elements (only possible from JSON {"@value": ...}) is kept as leading text
  const text = x.value !== undefined && x.value !== '' ? esc(x.value) : '';
  return [
    `${pad}<${name}${attrs}>${text}`,
    ...x.children.flatMap((c) => extensionToXml(c, prefixes, pad + '  ')),
    `${pad}</${name}>`,
  ];
}
