import { EpcisReadError } from './errors';
import { IssueSink, type Issue } from './issues';
import { contextPrefixes, CONTEXT_PREFIXES, jsonEventToCandidate, jsonExtensions } from './json-event';
import { JsonPull } from './json-stream';
import { resolveLimits, type ReadLimits } from './limits';
import { locationsFrom, productsFrom } from './master-data';
import type { EpcisDocument, Extension, Sbdh, SourcePosition, Vocabulary, VocabularyElement } from './model';
import { EVENT_TYPES } from './model';
import { decodeUtf8, type ByteSource } from './text-source';
import { EPCIS_NS, xmlEventToCandidate, xmlExtension, type CandidateEvent } from './xml-event';
import { TokenCursor, xmlTokens, type XmlToken } from './xml-tokenizer';
import { attribute, buildElement, textOf, type XmlElement } from './xml-tree';

export interface ReadOptions {
  limits?: Partial<ReadLimits>;
}

/** What a reader yields: the document's own data once (before the first event), then events in order. */
export type ReadItem =
  | { type: 'document'; document: EpcisDocument; issues: Issue[] }
  | { type: 'event'; index: number; position: SourcePosition; candidate: CandidateEvent; issues: Issue[] };

const QUERY_NS = ['urn:epcglobal:epcis-query:xsd:1', 'urn:epcglobal:epcis-query:xsd:2'];
const MASTER_DATA_NS = ['urn:epcglobal:epcis-masterdata:xsd:1', 'urn:epcglobal:epcis-masterdata:xsd:2'];
const SBDH_NS = 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader';

/**
 * Streams any EPCIS document (1.2 XML, 2.0 XML, 2.0 JSON / JSON-LD; capture or query; a bare event)
 * from bytes to candidate events. Memory holds one event at a time. Throws EpcisReadError when the
 * file cannot be read on (not well-formed, unsafe, over a limit); event problems come back as issues.
 */
export async function* readEpcis(source: ByteSource, options: ReadOptions = {}): AsyncGenerator<ReadItem> {
  const limits = resolveLimits(options.limits);
  const chunks = decodeUtf8(source, limits.maxBytes)[Symbol.asyncIterator]();
  let head = '';
  let first: string | undefined;
  while (first === undefined) {
    const next = await chunks.next();
    if (next.done === true) break;
    head += next.value;
    first = /[^ \t\r\n]/.exec(head)?.[0];
    if (head.length > 4096 && first === undefined) break;
  }
  async function* all(): AsyncGenerator<string> {
    if (head.length > 0) yield head;
    for (;;) {
      const next = await chunks.next();
      if (next.done === true) return;
      yield next.value;
    }
  }
  if (first === '<') yield* readXml(all(), limits);
  else if (first === '{') yield* readJson(all(), limits);
  else if (first === undefined)
    throw new EpcisReadError('not-epcis', 'the file is empty', { line: 1, column: 1 });
  else {
    throw new EpcisReadError(
      'not-epcis',
      `the file starts with ${JSON.stringify(head.trim().slice(0, 16))}: it is neither XML nor JSON, so it is not an EPCIS document`,
      { line: 1, column: 1 },
    );
  }
}

function emptyDocument(format: 'xml' | 'json'): EpcisDocument {
  return {
    kind: 'capture',
    format,
    epcisVersion: '2',
    namespaces: {},
    masterData: [],
    products: [],
    locations: [],
    eventCount: 0,
  };
}

/* ---------------- XML ---------------- */

type StartToken = Extract<XmlToken, { kind: 'start' }>;

async function* readXml(chunks: AsyncIterable<string>, limits: ReadLimits): AsyncGenerator<ReadItem> {
  const tokens = new TokenCursor(xmlTokens(chunks, limits)[Symbol.asyncIterator]());
  const doc = emptyDocument('xml');
  const docIssues = new IssueSink();
  let announced = false;
  let index = 0;

  const next = async (): Promise<XmlToken | undefined> => tokens.nextSync() ?? (await tokens.next());
  const nextChild = async (): Promise<StartToken | undefined> => {
    for (;;) {
      const t = tokens.nextSync() ?? (await tokens.next());
      if (t === undefined) return undefined;
      if (t.kind === 'start') return t;
      if (t.kind === 'end') return undefined;
    }
  };
  /** Consumes the rest of an element whose start token was just read (self-closing ones too). */
  const skip = async (_start: StartToken): Promise<void> => {
    for (let depth = 1; depth > 0;) {
      const t = tokens.nextSync() ?? (await tokens.next());
      if (t === undefined) return;
      if (t.kind === 'start') depth++;
      else if (t.kind === 'end') depth--;
    }
  };
  const drain = async (): Promise<void> => {
    while ((tokens.nextSync() ?? (await tokens.next())) !== undefined);
  };

  let root: StartToken | undefined;
  for (;;) {
    const t = await next();
    if (t === undefined) throw new EpcisReadError('not-epcis', 'the file has no root element');
    if (t.kind === 'start') {
      root = t;
      break;
    }
  }
  for (const [prefix, uri] of root.declarations) if (prefix !== '') doc.namespaces[prefix] = uri;
  const rootName = root.name;
  let epcisNs: string = EPCIS_NS['2'];
  if (
    rootName.local === 'EPCISDocument' &&
    (rootName.ns === EPCIS_NS['1'] || rootName.ns === EPCIS_NS['2'])
  ) {
    epcisNs = rootName.ns;
  } else if (rootName.local === 'EPCISQueryDocument' && QUERY_NS.includes(rootName.ns)) {
    doc.kind = 'query';
    epcisNs = rootName.ns.endsWith('1') ? EPCIS_NS['1'] : EPCIS_NS['2'];
  } else if (rootName.local === 'EPCISMasterDataDocument' && MASTER_DATA_NS.includes(rootName.ns)) {
    // master data only (EPCIS 2.0 §8.2.6 / 1.2 EPCISMasterDataDocument): vocabularies, no events
    doc.kind = 'masterData';
    doc.epcisVersion = rootName.ns.endsWith('1') ? '1' : '2';
    for (let child = await nextChild(); child !== undefined; child = await nextChild()) {
      const el = await buildElement(child, tokens, limits);
      if (el.name.local === 'EPCISHeader') readXmlHeader(el, doc);
      else if (el.name.local === 'EPCISBody') doc.masterData.push(...readXmlMasterData(el));
    }
    await drain();
    doc.products = productsFrom(doc.masterData);
    doc.locations = locationsFrom(doc.masterData);
    yield { type: 'document', document: doc, issues: docIssues.issues };
    return;
  } else if (rootName.local === 'EPCISCaptureJob') {
    throw new EpcisReadError(
      'not-epcis',
      "this is an EPCIS 2.0 capture-job status document (the REST interface's reply about a capture), not a document of events; nothing to read",
      { line: root.line, column: root.column },
    );
  } else if ((EVENT_TYPES as readonly string[]).includes(rootName.local)) {
    // a bare event (the /events capture interface accepts one without a document)
    docIssues.add(
      'structure',
      `the file is a single ${rootName.local} without an EPCISDocument around it`,
      undefined,
      { tolerable: true },
    );
    const el = await buildElement(root, tokens, limits);
    yield { type: 'document', document: doc, issues: docIssues.issues };
    const { event, issues } = xmlEventToCandidate(el, { version: '2', epcisNs });
    yield {
      type: 'event',
      index: 0,
      position: { line: el.line, column: el.column },
      candidate: event,
      issues: issues.issues,
    };
    doc.eventCount = 1;
    return;
  } else {
    throw new EpcisReadError(
      'not-epcis',
      `the root element is <${rootName.prefix ? rootName.prefix + ':' : ''}${rootName.local}> in namespace "${rootName.ns}"; an EPCIS file has <EPCISDocument> (urn:epcglobal:epcis:xsd:1 or :2) or <EPCISQueryDocument>`,
      { line: root.line, column: root.column },
    );
  }
  doc.epcisVersion = epcisNs.endsWith('1') ? '1' : '2';
  const schemaVersion = attribute(asElement(root), 'schemaVersion');
  const creationDate = attribute(asElement(root), 'creationDate');
  if (schemaVersion !== undefined) doc.schemaVersion = schemaVersion;
  if (creationDate !== undefined) doc.creationDate = creationDate;
  else
    docIssues.add('missing-field', 'the document has no creationDate attribute', 'creationDate', {
      tolerable: true,
    });

  const announce = (): ReadItem | undefined => {
    if (announced) return undefined;
    announced = true;
    doc.products = productsFrom(doc.masterData);
    doc.locations = locationsFrom(doc.masterData);
    return { type: 'document', document: doc, issues: docIssues.issues };
  };

  async function* eventList(): AsyncGenerator<ReadItem> {
    for (let child = await nextChild(); child !== undefined; child = await nextChild()) {
      if (child.name.ns === '' && child.name.local === 'extension') {
        yield* eventList(); // EPCIS 1.x wraps TransformationEvent in <extension>
        continue;
      }
      const el = await buildElement(child, tokens, limits);
      const a = announce();
      if (a !== undefined) yield a;
      const { event, issues } = xmlEventToCandidate(el, { version: doc.epcisVersion, epcisNs });
      yield {
        type: 'event',
        index: index++,
        position: { line: el.line, column: el.column },
        candidate: event,
        issues: issues.issues,
      };
    }
  }

  const expected =
    doc.kind === 'query' ? 'EPCISBody/QueryResults/resultsBody/EventList' : 'EPCISBody/EventList';
  async function* container(path: string[]): AsyncGenerator<ReadItem> {
    for (let child = await nextChild(); child !== undefined; child = await nextChild()) {
      const local = child.name.local;
      if (local === 'EPCISHeader' && path.length === 0) {
        readXmlHeader(await buildElement(child, tokens, limits), doc);
      } else if (local === 'EventList') {
        const where = [...path, local].join('/');
        if (where !== expected) {
          docIssues.add(
            'structure',
            `the EventList is at ${where}; the XSD puts it at ${expected}`,
            undefined,
            { tolerable: true, position: at(child) },
          );
        }
        yield* eventList();
      } else if (
        local === 'EPCISBody' ||
        local.toLowerCase() === 'epcisbody' ||
        local === 'QueryResults' ||
        local === 'resultsBody'
      ) {
        if (local.toLowerCase() === 'epcisbody' && local !== 'EPCISBody') {
          docIssues.add('structure', `<${local}> should be spelled <EPCISBody>`, undefined, {
            tolerable: true,
            position: at(child),
          });
        }
        if (local === 'QueryResults' && !QUERY_NS.includes(child.name.ns)) {
          docIssues.add(
            'namespace',
            '<QueryResults> is not in the EPCIS query namespace (the XSD expects epcisq:QueryResults)',
            undefined,
            {
              tolerable: true,
              position: at(child),
            },
          );
        }
        yield* container([
          ...path,
          local === 'EPCISBody' || local.toLowerCase() === 'epcisbody' ? 'EPCISBody' : local,
        ]);
      } else if (local === 'queryName' || local === 'subscriptionID') {
        doc[local] = textOf(await buildElement(child, tokens, limits));
      } else if (child.name.ns !== '' && local === 'ignoreFields') {
        doc.hashIgnoreFields = ignoreList(await buildElement(child, tokens, limits));
      } else if (local === 'Poll' && QUERY_NS.includes(child.name.ns)) {
        docIssues.add(
          'structure',
          'this is a query request (epcisq:Poll), not query results: it carries no events',
          undefined,
          {
            position: at(child),
          },
        );
        await skip(child);
      } else {
        docIssues.add('unknown-field', `<${local}> is not part of an EPCIS document; skipped`, undefined, {
          position: at(child),
        });
        await skip(child);
      }
    }
  }
  yield* container([]);
  // drain: the tokenizer checks the rest of the file is well-formed
  await drain();
  const a = announce();
  if (a !== undefined) yield a;
  doc.eventCount = index;
}

/** A repository's non-standard <prefix:ignoreFields> list (see EpcisDocument.hashIgnoreFields). */
function ignoreList(el: XmlElement): string[] {
  return el.children.map((c) => `{${c.name.ns}}${c.name.local}`);
}

function asElement(token: StartToken): XmlElement {
  return {
    name: token.name,
    attributes: token.attributes,
    children: [],
    text: '',
    line: token.line,
    column: token.column,
  };
}

function at(token: StartToken): SourcePosition {
  return { line: token.line, column: token.column };
}

function readXmlHeader(header: XmlElement, doc: EpcisDocument): void {
  const extensions: Extension[] = [];
  const visit = (el: XmlElement) => {
    for (const c of el.children) {
      if (c.name.ns === SBDH_NS && c.name.local === 'StandardBusinessDocumentHeader') doc.sbdh = readSbdh(c);
      else if (c.name.local === 'EPCISMasterData' || c.name.local === 'epcisMasterData')
        doc.masterData.push(...readXmlMasterData(c));
      else if (c.name.ns === '' && c.name.local === 'extension') visit(c);
      else if (c.name.ns !== '') extensions.push(xmlExtension(c));
    }
  };
  visit(header);
  if (extensions.length > 0) doc.headerExtensions = extensions;
}

function readSbdh(el: XmlElement): Sbdh {
  const child = (parent: XmlElement, local: string) => parent.children.find((c) => c.name.local === local);
  const party = (p: XmlElement) => {
    const idEl = child(p, 'Identifier');
    const contact = child(p, 'ContactInformation');
    const contactName = contact !== undefined ? child(contact, 'Contact') : undefined;
    const out: Sbdh['sender'][number] = { identifier: idEl !== undefined ? textOf(idEl) : '' };
    const authority = idEl !== undefined ? attribute(idEl, 'Authority') : undefined;
    if (authority !== undefined) out.authority = authority;
    if (contactName !== undefined) out.contactName = textOf(contactName);
    return out;
  };
  const sbdh: Sbdh = {
    sender: el.children.filter((c) => c.name.local === 'Sender').map(party),
    receiver: el.children.filter((c) => c.name.local === 'Receiver').map(party),
  };
  const version = child(el, 'HeaderVersion');
  if (version !== undefined) sbdh.headerVersion = textOf(version);
  const di = child(el, 'DocumentIdentification');
  if (di !== undefined) {
    const map = {
      Standard: 'standard',
      TypeVersion: 'typeVersion',
      InstanceIdentifier: 'instanceIdentifier',
      Type: 'documentType',
      CreationDateAndTime: 'creationDateAndTime',
    } as const;
    for (const [xml, key] of Object.entries(map)) {
      const c = child(di, xml);
      if (c !== undefined) sbdh[key] = textOf(c);
    }
  }
  return sbdh;
}

function readXmlMasterData(el: XmlElement): Vocabulary[] {
  const out: Vocabulary[] = [];
  const lists = el.children.filter((c) => c.name.local === 'VocabularyList');
  for (const list of lists) {
    for (const v of list.children.filter((c) => c.name.local === 'Vocabulary')) {
      const elements: VocabularyElement[] = [];
      for (const vel of v.children.filter((c) => c.name.local === 'VocabularyElementList')) {
        for (const e of vel.children.filter((c) => c.name.local === 'VocabularyElement')) {
          const element: VocabularyElement = { id: attribute(e, 'id') ?? '', attributes: [] };
          for (const a of e.children) {
            if (a.name.local === 'attribute') {
              const attr: VocabularyElement['attributes'][number] = { id: attribute(a, 'id') ?? '' };
              if (a.children.length > 0) attr.children = a.children.map(xmlExtension);
              else attr.value = textOf(a);
              element.attributes.push(attr);
            } else if (a.name.local === 'children') {
              element.children = a.children.map(textOf);
            }
          }
          elements.push(element);
        }
      }
      out.push({ type: attribute(v, 'type') ?? '', elements });
    }
  }
  return out;
}

/* ---------------- JSON / JSON-LD ---------------- */

async function* readJson(chunks: AsyncIterable<string>, limits: ReadLimits): AsyncGenerator<ReadItem> {
  const p = new JsonPull(chunks, limits);
  const doc = emptyDocument('json');
  const docIssues = new IssueSink();
  const top: Record<string, unknown> = {};
  let prefixes: Map<string, string> = new Map(CONTEXT_PREFIXES);
  let announced = false;
  let index = 0;

  const announce = (): ReadItem | undefined => {
    if (announced) return undefined;
    announced = true;
    applyTop(top, doc, docIssues, prefixes);
    return { type: 'document', document: doc, issues: docIssues.issues };
  };

  async function* eventList(pointer: string): AsyncGenerator<ReadItem> {
    await p.enterArray();
    for (let first = true; await p.nextElement(first); first = false) {
      const { value, line, column } = await p.rawValue();
      const a = announce();
      if (a !== undefined) yield a;
      const position = { pointer: `${pointer}/${index}`, line, column };
      const { event, issues } = jsonEventToCandidate(value, prefixes, position);
      yield { type: 'event', index: index++, position, candidate: event, issues: issues.issues };
    }
  }

  async function* object(
    pointer: string,
    handle: (key: string) => AsyncGenerator<ReadItem> | undefined,
  ): AsyncGenerator<ReadItem> {
    if ((await p.peek()) !== '{') {
      docIssues.add('structure', `${pointer} should be an object`, undefined, { position: { pointer } });
      await p.skipValue();
      return;
    }
    await p.enterObject();
    for (let key = await p.nextKey(true); key !== undefined; key = await p.nextKey(false)) {
      const sub = handle(key);
      if (sub !== undefined) yield* sub;
      else await p.skipValue();
    }
  }

  if ((await p.peek()) !== '{') p.fail('an EPCIS JSON document is a JSON object');
  await p.enterObject();
  for (let key = await p.nextKey(true); key !== undefined; key = await p.nextKey(false)) {
    if (key === 'epcisBody') {
      yield* object('/epcisBody', (k) => {
        if (k === 'eventList') return eventList('/epcisBody/eventList');
        if (k === 'queryResults') {
          doc.kind = 'query';
          return object('/epcisBody/queryResults', (q) => {
            if (q === 'resultsBody') {
              return object('/epcisBody/queryResults/resultsBody', (r) =>
                r === 'eventList' ? eventList('/epcisBody/queryResults/resultsBody/eventList') : undefined,
              );
            }
            if (q.endsWith(':ignoreFields')) {
              return (async function* () {
                top[q] = (await p.rawValue()).value;
                yield* [];
              })();
            }
            if (q === 'queryName' || q === 'subscriptionID') {
              return (async function* () {
                const v = (await p.rawValue()).value;
                if (typeof v === 'string') doc[q] = v;
                yield* [];
              })();
            }
            return undefined;
          });
        }
        return undefined;
      });
    } else {
      top[key] = (await p.rawValue()).value;
      if (key === '@context') {
        if (announced)
          docIssues.add(
            'structure',
            '@context comes after the events; prefixes it declares were not applied to them',
          );
        prefixes = contextPrefixes(top[key], CONTEXT_PREFIXES, docIssues);
      }
    }
  }
  if (!(await p.atEnd())) p.fail('unexpected content after the end of the JSON document');

  const eventType = top.type;
  if (!announced && typeof eventType === 'string' && (EVENT_TYPES as readonly string[]).includes(eventType)) {
    docIssues.add(
      'structure',
      `the file is a single ${eventType} without an EPCISDocument around it`,
      undefined,
      { tolerable: true },
    );
    const a = announce();
    if (a !== undefined) yield a;
    const position = { pointer: '', line: 1, column: 1 };
    const { event, issues } = jsonEventToCandidate(top, prefixes, position);
    yield { type: 'event', index: index++, position, candidate: event, issues: issues.issues };
  } else {
    const a = announce();
    if (a !== undefined) yield a;
  }
  doc.eventCount = index;
}

function applyTop(
  top: Record<string, unknown>,
  doc: EpcisDocument,
  issues: IssueSink,
  prefixes: ReadonlyMap<string, string>,
): void {
  const context = top['@context'];
  if (context === undefined) {
    issues.add(
      'missing-field',
      'the JSON document has no "@context"; EPCIS 2.0 JSON-LD requires one',
      '@context',
      { tolerable: true },
    );
  } else {
    for (const item of Array.isArray(context) ? context : [context]) {
      if (item !== null && typeof item === 'object') {
        for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
          if (typeof v === 'string' && !k.startsWith('@')) doc.namespaces[k] = v;
        }
      }
    }
  }
  const type = top.type;
  if (type === 'EPCISQueryDocument') doc.kind = 'query';
  else if (
    type !== 'EPCISDocument' &&
    !(typeof type === 'string' && (EVENT_TYPES as readonly string[]).includes(type))
  ) {
    issues.add(
      'structure',
      `the document type is ${JSON.stringify(type)}; expected "EPCISDocument" or "EPCISQueryDocument"`,
      'type',
    );
  }
  const str = (k: string) =>
    typeof top[k] === 'string' ? (top[k] as string) : typeof top[k] === 'number' ? String(top[k]) : undefined;
  const schemaVersion = str('schemaVersion');
  if (schemaVersion !== undefined) doc.schemaVersion = schemaVersion;
  const creationDate = str('creationDate');
  if (creationDate !== undefined) doc.creationDate = creationDate;
  const id = str('id');
  if (id !== undefined) doc.documentId = id;
  for (const k of ['sender', 'receiver', 'instanceIdentifier'] as const) {
    const v = str(k);
    if (v !== undefined) doc[k] = v;
  }
  for (const [k, v] of Object.entries(top)) {
    if (k.endsWith(':ignoreFields') && Array.isArray(v)) {
      doc.hashIgnoreFields = v.map((curie) => {
        const text = String(curie);
        const colon = text.indexOf(':');
        const ns = colon > 0 ? prefixes.get(text.slice(0, colon)) : undefined;
        return ns !== undefined ? `{${ns}}${text.slice(colon + 1)}` : text;
      });
    }
  }
  const header = top.epcisHeader;
  if (header !== null && typeof header === 'object') {
    const extensions = Object.entries(header as Record<string, unknown>)
      .filter(([k]) => k.includes(':'))
      .flatMap(([k, v]) => jsonExtensions(k, v, prefixes, issues));
    if (extensions.length > 0) doc.headerExtensions = extensions;
    const md = (header as Record<string, unknown>).epcisMasterData;
    const list =
      md !== null && typeof md === 'object' ? (md as Record<string, unknown>).vocabularyList : undefined;
    if (Array.isArray(list)) doc.masterData = list.map(jsonVocabulary);
  }
  doc.products = productsFrom(doc.masterData);
  doc.locations = locationsFrom(doc.masterData);
}

function jsonVocabulary(v: unknown): Vocabulary {
  const o = (v ?? {}) as Record<string, unknown>;
  const elements = Array.isArray(o.vocabularyElementList) ? o.vocabularyElementList : [];
  return {
    type: typeof o.type === 'string' ? o.type : '',
    elements: elements.map((e) => {
      const eo = (e ?? {}) as Record<string, unknown>;
      const attrs = Array.isArray(eo.attributes) ? eo.attributes : [];
      const element: VocabularyElement = {
        id: typeof eo.id === 'string' ? eo.id : '',
        attributes: attrs.map((a) => {
          const ao = (a ?? {}) as Record<string, unknown>;
          const value = ao.attribute;
          const attr: VocabularyElement['attributes'][number] = {
            id: typeof ao.id === 'string' ? ao.id : '',
          };
          if (value !== null && typeof value === 'object') {
            attr.children = Object.entries(value as Record<string, unknown>).map(([k, x]) => ({
              ns: '',
              name: k,
              value: String(x),
            }));
          } else if (value !== undefined) attr.value = String(value);
          return attr;
        }),
      };
      if (Array.isArray(eo.children)) element.children = eo.children.map(String);
      return element;
    }),
  };
}
