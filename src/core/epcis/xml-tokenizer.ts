import { EpcisReadError } from './errors';
import { LIMIT_FLAGS, type ReadLimits } from './limits';
import { TextWindow } from './text-source';

/*
 * A small, strict, streaming XML tokenizer, written here so that we control DTD and entity handling
 * (the usual XXE and billion-laughs holes live in general-purpose parsers). Rules:
 * - any <!DOCTYPE ...> is refused, so no DTD, no external entity, no entity definition can exist;
 * - only the five predefined entities and numeric character references are expanded;
 * - namespaces are resolved (prefixes, default namespace, xml:); an unbound prefix is an error;
 * - comments and processing instructions are skipped; CDATA is text;
 * - the encoding declaration must say UTF-8 (or US-ASCII, a subset);
 * - depth, attribute count, text length and file size are limited (see limits.ts).
 */

export interface XmlName {
  /** Namespace IRI, "" when the name is in no namespace. */
  ns: string;
  local: string;
  prefix: string;
}

export interface XmlAttribute extends XmlName {
  value: string;
}

export type XmlToken =
  | {
      kind: 'start';
      name: XmlName;
      attributes: XmlAttribute[];
      /** Prefixes declared on this element (prefix "" = default namespace). */
      declarations: [string, string][];
      selfClosing: boolean;
      line: number;
      column: number;
    }
  | { kind: 'end'; name: XmlName; line: number; column: number }
  | { kind: 'text'; text: string; line: number; column: number };

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const NAME = /[A-Za-z_\u00C0-\uFFFF][-A-Za-z0-9_.:\u00B7-\uFFFF]*/y;
const SPACE = /[ \t\r\n]*/y;
const NEED_MORE = Symbol('need-more');

interface OpenElement {
  qname: string;
  name: XmlName;
  line: number;
  column: number;
  scope: Map<string, string>;
}

export async function* xmlTokens(
  chunks: AsyncIterable<string>,
  limits: ReadLimits,
): AsyncGenerator<XmlToken> {
  const w = new TextWindow(chunks);
  const stack: OpenElement[] = [];
  const documentScope = new Map<string, string>([
    ['xml', XML_NS],
    ['', ''],
  ]);
  let scope = documentScope;
  let seenRoot = false;
  let rootClosed = false;
  let atStart = true;

  const fail = (
    code: ConstructorParameters<typeof EpcisReadError>[0],
    detail: string,
    line = w.line,
    column = w.column,
  ) => {
    throw new EpcisReadError(code, detail, { line, column });
  };

  for (;;) {
    if (w.available === 0 && !(await w.fill())) break;
    const t = w.text;
    const p = w.pos;
    if (t.charCodeAt(p) !== 60 /* < */) {
      // character data up to the next tag
      let lt = t.indexOf('<', p);
      while (lt === -1) {
        if (w.available > limits.maxTextLength) {
          fail(
            'limit',
            `a text node is longer than ${limits.maxTextLength} characters; raise ${LIMIT_FLAGS.maxTextLength} if that is expected`,
          );
        }
        if (!(await w.fill())) break;
        lt = w.text.indexOf('<', w.pos);
      }
      const end = lt === -1 ? w.text.length : lt;
      const raw = w.text.slice(w.pos, end);
      if (raw.length > limits.maxTextLength) {
        fail(
          'limit',
          `a text node is longer than ${limits.maxTextLength} characters; raise ${LIMIT_FLAGS.maxTextLength} if that is expected`,
        );
      }
      const line = w.line;
      const column = w.column;
      if (stack.length === 0) {
        if (/[^ \t\r\n]/.test(raw)) {
          const what = seenRoot ? 'after the end of the root element' : 'before the root element';
          fail(
            'not-well-formed',
            `unexpected content ${what} (${JSON.stringify(raw.trim().slice(0, 20))}); this is not an XML document, or it is damaged`,
          );
        }
      } else {
        yield { kind: 'text', text: decodeEntities(raw, line, column), line, column };
      }
      atStart = false;
      w.consume(end - w.pos);
      continue;
    }

    // markup: make sure enough is buffered to classify it
    while (w.available < 9 && !w.done) await w.fill();
    const s = w.text;
    const q = w.pos;
    const line = w.line;
    const column = w.column;
    const next = s.charCodeAt(q + 1);

    if (next === 63 /* ? */) {
      const end = await findTerminator(w, '?>', limits, 'processing instruction');
      const body = w.text.slice(w.pos + 2, end);
      if (/^xml[ \t\r\n]/i.test(body) || body === 'xml') {
        if (!atStart || seenRoot)
          fail('not-well-formed', 'the XML declaration must be the first thing in the file');
        const enc = /encoding\s*=\s*["']([^"']*)["']/.exec(body)?.[1];
        if (enc !== undefined && !/^(utf-?8|us-ascii|ascii)$/i.test(enc)) {
          fail(
            'encoding',
            `the XML declaration says encoding="${enc}"; only UTF-8 is accepted. Re-save the file as UTF-8`,
          );
        }
      }
      atStart = false;
      w.consume(end + 2 - w.pos);
      continue;
    }
    atStart = false;
    if (next === 33 /* ! */) {
      if (s.startsWith('<!--', q)) {
        const end = await findTerminator(w, '-->', limits, 'comment');
        w.consume(end + 3 - w.pos);
        continue;
      }
      if (s.startsWith('<![CDATA[', q)) {
        if (stack.length === 0) fail('not-well-formed', 'a CDATA section outside the root element');
        const end = await findTerminator(w, ']]>', limits, 'CDATA section');
        yield { kind: 'text', text: w.text.slice(w.pos + 9, end), line, column };
        w.consume(end + 3 - w.pos);
        continue;
      }
      if (/^<!DOCTYPE/i.test(s.slice(q, q + 9))) {
        // A bare "<!DOCTYPE name>" declares nothing and loads nothing (GS1's own EPCIS examples carry
        // "<!DOCTYPE project>"), so it is skipped. Anything with an external id (SYSTEM/PUBLIC) or an
        // internal subset ([...]) could define or fetch entities and is refused.
        const gt = await findTerminator(w, '>', limits, 'DOCTYPE');
        const body = w.text.slice(w.pos + 9, gt);
        if (!seenRoot && /^[ \t\r\n]+[A-Za-z_][-A-Za-z0-9_.:]*[ \t\r\n]*$/.test(body)) {
          w.consume(gt + 1 - w.pos);
          continue;
        }
        fail(
          'dtd-forbidden',
          'the file contains a DOCTYPE (DTD). DTDs and entity declarations are refused because they enable external-entity (XXE) and entity-expansion ("billion laughs") attacks; EPCIS documents never need one. Ask the sender for the file without the DOCTYPE',
        );
      }
      fail('not-well-formed', `unexpected markup ${JSON.stringify(s.slice(q, q + 12))}`);
    }

    if (next === 47 /* / */) {
      let gt = s.indexOf('>', q);
      while (gt === -1) {
        if (w.available > 4096) fail('not-well-formed', 'an end tag that never closes');
        if (!(await w.fill())) fail('truncated', 'the file ends inside an end tag (truncated?)');
        gt = w.text.indexOf('>', w.pos);
      }
      const qname = w.text.slice(w.pos + 2, gt).trim();
      const open = stack.pop();
      if (open === undefined) fail('not-well-formed', `end tag </${qname}> without a matching start tag`);
      else if (open.qname !== qname) {
        fail(
          'not-well-formed',
          `end tag </${qname}> does not match <${open.qname}> opened at line ${open.line}, column ${open.column}`,
        );
      } else {
        yield { kind: 'end', name: open.name, line, column };
        scope = stack.length > 0 ? stack[stack.length - 1]!.scope : documentScope;
        if (stack.length === 0) rootClosed = true;
      }
      w.consume(gt + 1 - w.pos);
      continue;
    }

    // start tag
    if (rootClosed) fail('not-well-formed', 'a second root element; an XML document has exactly one');
    let parsed = parseStartTag(w.text, w.pos, limits);
    while (parsed === NEED_MORE) {
      if (w.available > limits.maxTextLength) {
        fail(
          'limit',
          `a start tag is longer than ${limits.maxTextLength} characters; raise ${LIMIT_FLAGS.maxTextLength} if that is expected`,
        );
      }
      if (!(await w.fill())) fail('truncated', 'the file ends inside a start tag (truncated?)');
      parsed = parseStartTag(w.text, w.pos, limits);
    }
    if (typeof parsed === 'string') fail(parsed.startsWith('too many') ? 'limit' : 'not-well-formed', parsed);
    const tag = parsed as ParsedTag;
    if (stack.length >= limits.maxDepth) {
      fail(
        'limit',
        `elements are nested deeper than ${limits.maxDepth} levels; raise ${LIMIT_FLAGS.maxDepth} if that is expected`,
      );
    }
    const declarations: [string, string][] = [];
    for (const [qn, value] of tag.rawAttributes) {
      if (qn === 'xmlns') declarations.push(['', value]);
      else if (qn.startsWith('xmlns:')) {
        const prefix = qn.slice(6);
        if (value === '') fail('not-well-formed', `the prefix "${prefix}" is bound to an empty namespace`);
        declarations.push([prefix, value]);
      }
    }
    let elementScope = scope;
    if (declarations.length > 0) {
      elementScope = new Map(scope);
      for (const [prefix, uri] of declarations) elementScope.set(prefix, uri);
    }
    const name = resolveName(tag.qname, elementScope, true, line, column);
    const attributes: XmlAttribute[] = [];
    const seen = new Set<string>();
    for (const [qn, value] of tag.rawAttributes) {
      if (qn === 'xmlns' || qn.startsWith('xmlns:')) continue;
      const an = resolveName(qn, elementScope, false, line, column);
      const key = `{${an.ns}}${an.local}`;
      if (seen.has(key)) fail('not-well-formed', `attribute ${qn} appears twice on <${tag.qname}>`);
      seen.add(key);
      attributes.push({ ...an, value: decodeEntities(value, line, column) });
    }
    seenRoot = true;
    yield { kind: 'start', name, attributes, declarations, selfClosing: tag.selfClosing, line, column };
    if (tag.selfClosing) {
      yield { kind: 'end', name, line, column };
      if (stack.length === 0) rootClosed = true;
    } else {
      stack.push({ qname: tag.qname, name, line, column, scope: elementScope });
      scope = elementScope;
    }
    w.consume(tag.end - w.pos);
  }

  if (stack.length > 0) {
    const open = stack[stack.length - 1]!;
    fail(
      'truncated',
      `the file ends inside <${open.qname}> opened at line ${open.line}, column ${open.column}; it is truncated or damaged`,
    );
  }
  if (!seenRoot) fail('not-well-formed', 'the file is empty or has no root element');
}

interface ParsedTag {
  qname: string;
  rawAttributes: [string, string][];
  selfClosing: boolean;
  end: number;
}

/** Parses "<name attr='v' ...>" at pos; NEED_MORE when the buffer ends first, a string on an error. */
function parseStartTag(s: string, pos: number, limits: ReadLimits): ParsedTag | string | typeof NEED_MORE {
  NAME.lastIndex = pos + 1;
  const m = NAME.exec(s);
  if (m === null) return pos + 1 >= s.length ? NEED_MORE : `"<" is not followed by an element name`;
  const qname = m[0];
  let i = NAME.lastIndex;
  if (i >= s.length) return NEED_MORE;
  const rawAttributes: [string, string][] = [];
  for (;;) {
    SPACE.lastIndex = i;
    SPACE.exec(s);
    const hadSpace = SPACE.lastIndex > i;
    i = SPACE.lastIndex;
    if (i >= s.length) return NEED_MORE;
    const c = s.charCodeAt(i);
    if (c === 62 /* > */) return { qname, rawAttributes, selfClosing: false, end: i + 1 };
    if (c === 47 /* / */) {
      if (i + 1 >= s.length) return NEED_MORE;
      if (s.charCodeAt(i + 1) !== 62) return `"/" inside <${qname}> is not followed by ">"`;
      return { qname, rawAttributes, selfClosing: true, end: i + 2 };
    }
    if (!hadSpace) return `attributes of <${qname}> must be separated by white space`;
    NAME.lastIndex = i;
    const an = NAME.exec(s);
    if (an === null) return `unexpected character ${JSON.stringify(s[i])} inside <${qname}>`;
    i = NAME.lastIndex;
    SPACE.lastIndex = i;
    SPACE.exec(s);
    i = SPACE.lastIndex;
    if (i >= s.length) return NEED_MORE;
    if (s.charCodeAt(i) !== 61 /* = */) return `attribute ${an[0]} of <${qname}> has no "=" and value`;
    SPACE.lastIndex = i + 1;
    SPACE.exec(s);
    i = SPACE.lastIndex;
    if (i >= s.length) return NEED_MORE;
    const quote = s[i];
    if (quote !== '"' && quote !== "'") return `the value of attribute ${an[0]} of <${qname}> is not quoted`;
    const close = s.indexOf(quote, i + 1);
    if (close === -1) return NEED_MORE;
    const value = s.slice(i + 1, close);
    if (value.includes('<')) return `the value of attribute ${an[0]} of <${qname}> contains "<"`;
    rawAttributes.push([an[0], value.replace(/[\t\r\n]/g, ' ')]);
    if (rawAttributes.length > limits.maxAttributes) {
      return `too many attributes on <${qname}> (limit ${limits.maxAttributes}; raise ${LIMIT_FLAGS.maxAttributes} if that is expected)`;
    }
    i = close + 1;
  }
}

function resolveName(
  qname: string,
  scope: Map<string, string>,
  isElement: boolean,
  line: number,
  column: number,
): XmlName {
  const colon = qname.indexOf(':');
  if (colon === -1) {
    return { ns: isElement ? (scope.get('') ?? '') : '', local: qname, prefix: '' };
  }
  const prefix = qname.slice(0, colon);
  const local = qname.slice(colon + 1);
  if (local.length === 0 || local.includes(':')) {
    throw new EpcisReadError('not-well-formed', `"${qname}" is not a valid qualified name`, { line, column });
  }
  if (prefix === 'xmlns') return { ns: XMLNS_NS, local, prefix };
  const ns = scope.get(prefix);
  if (ns === undefined) {
    throw new EpcisReadError(
      'not-well-formed',
      `the prefix "${prefix}" in <${qname}> is not declared (missing xmlns:${prefix}="...")`,
      {
        line,
        column,
      },
    );
  }
  return { ns, local, prefix };
}

async function findTerminator(
  w: TextWindow,
  terminator: string,
  limits: ReadLimits,
  what: string,
): Promise<number> {
  let end = w.text.indexOf(terminator, w.pos);
  while (end === -1) {
    if (w.available > limits.maxTextLength) {
      throw new EpcisReadError('limit', `a ${what} is longer than ${limits.maxTextLength} characters`, {
        line: w.line,
        column: w.column,
      });
    }
    if (!(await w.fill())) {
      throw new EpcisReadError('truncated', `the file ends inside a ${what} (truncated?)`, {
        line: w.line,
        column: w.column,
      });
    }
    end = w.text.indexOf(terminator, w.pos);
  }
  return end;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Expands the five predefined entities and numeric references; anything else is refused. */
export function decodeEntities(raw: string, line: number, column: number): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&<\s]{0,12});?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) {
      throw new EpcisReadError('not-well-formed', `a bare "&" (write &amp; for a literal ampersand)`, {
        line,
        column,
      });
    }
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) return predefined;
    const num = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (num !== null) {
      const code = num[1] !== undefined ? parseInt(num[1], 16) : parseInt(num[2]!, 10);
      const legal =
        code === 0x9 ||
        code === 0xa ||
        code === 0xd ||
        (code >= 0x20 && code <= 0xd7ff) ||
        (code >= 0xe000 && code <= 0xfffd) ||
        (code >= 0x10000 && code <= 0x10ffff);
      if (!legal)
        throw new EpcisReadError(
          'not-well-formed',
          `character reference ${whole} is not a legal XML character`,
          { line, column },
        );
      return String.fromCodePoint(code);
    }
    throw new EpcisReadError(
      'entity-forbidden',
      `entity reference ${whole} is not allowed: only &lt; &gt; &amp; &quot; &apos; and numeric references are expanded (no DTD entities)`,
      { line, column },
    );
  });
}
