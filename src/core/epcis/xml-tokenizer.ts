import { EpcisReadError, type ReadErrorCode } from './errors';
import { LIMIT_FLAGS, type ReadLimits } from './limits';
import { TextWindow } from './text-source';

/*
 * A small, strict, streaming XML tokenizer, written here so that we control DTD and entity handling
 * (the usual XXE and billion-laughs holes live in general-purpose parsers). Rules:
 * - a DOCTYPE with an internal subset or an external id is refused, so no DTD, no external entity,
 *   no entity definition can exist (a bare "<!DOCTYPE name>" declares nothing and is skipped);
 * - only the five predefined entities and numeric character references are expanded;
 * - namespaces are resolved (prefixes, default namespace, xml:); an unbound prefix is an error;
 * - comments and processing instructions are skipped; CDATA is text;
 * - the encoding declaration must say UTF-8 (or US-ASCII, a subset);
 * - depth, attribute count, text length and file size are limited (see limits.ts).
 * Tokens come out in batches (everything complete in the buffered text), so the per-token cost is
 * synchronous; the driver awaits only for the next chunk of the file.
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
const WHITESPACE_ONLY = /^[ \t\r\n]*$/;
const NO_DECLARATIONS: [string, string][] = [];
const NO_ATTRIBUTES: XmlAttribute[] = [];

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
): AsyncGenerator<XmlToken[]> {
  const w = new TextWindow(chunks);
  const scanner = new Scanner(w, limits);
  for (;;) {
    const batch: XmlToken[] = [];
    scanner.scan(batch, false);
    if (batch.length > 0) yield batch;
    if (!(await w.fill())) break;
  }
  const last: XmlToken[] = [];
  scanner.scan(last, true);
  if (last.length > 0) yield last;
  scanner.finish();
}

class Scanner {
  private readonly stack: OpenElement[] = [];
  private readonly documentScope = new Map<string, string>([
    ['xml', XML_NS],
    ['', ''],
  ]);
  private scope = this.documentScope;
  private seenRoot = false;
  private rootClosed = false;
  private atStart = true;

  constructor(
    private readonly w: TextWindow,
    private readonly limits: ReadLimits,
  ) {}

  private fail(code: ReadErrorCode, detail: string): never {
    throw new EpcisReadError(code, detail, { line: this.w.line, column: this.w.column });
  }

  /** Emits every complete token in the buffer; `eof` says no more text will come. */
  scan(out: XmlToken[], eof: boolean): void {
    const w = this.w;
    const limits = this.limits;
    while (w.available > 0) {
      const t = w.text;
      const p = w.pos;
      const line = w.line;
      const column = w.column;
      if (t.charCodeAt(p) !== 60 /* < */) {
        const lt = t.indexOf('<', p);
        if (lt === -1 && !eof) {
          if (w.available > limits.maxTextLength) this.textTooLong('text node');
          return;
        }
        const end = lt === -1 ? t.length : lt;
        if (end - p > limits.maxTextLength) this.textTooLong('text node');
        const raw = t.slice(p, end);
        if (this.stack.length === 0) {
          if (/[^ \t\r\n]/.test(raw)) {
            const what = this.seenRoot ? 'after the end of the root element' : 'before the root element';
            this.fail(
              'not-well-formed',
              `unexpected content ${what} (${JSON.stringify(raw.trim().slice(0, 20))}); this is not an XML document, or it is damaged`,
            );
          }
        } else if (!WHITESPACE_ONLY.test(raw)) {
          // white space between elements carries nothing in EPCIS (no mixed content; values are trimmed)
          out.push({ kind: 'text', text: decodeEntities(raw, line, column), line, column });
        }
        this.atStart = false;
        w.consume(end - p);
        continue;
      }
      if (w.available < 9 && !eof) return;
      const next = t.charCodeAt(p + 1);

      if (next === 63 /* ? */) {
        const end = this.terminator('?>', 'processing instruction', eof);
        if (end === -1) return;
        const body = t.slice(p + 2, end);
        if (/^xml[ \t\r\n]/i.test(body) || body === 'xml') {
          if (!this.atStart || this.seenRoot)
            this.fail('not-well-formed', 'the XML declaration must be the first thing in the file');
          const enc = /encoding\s*=\s*["']([^"']*)["']/.exec(body)?.[1];
          if (enc !== undefined && !/^(utf-?8|us-ascii|ascii)$/i.test(enc)) {
            this.fail(
              'encoding',
              `the XML declaration says encoding="${enc}"; only UTF-8 is accepted. Re-save the file as UTF-8`,
            );
          }
        }
        this.atStart = false;
        w.consume(end + 2 - p);
        continue;
      }
      this.atStart = false;

      if (next === 33 /* ! */) {
        if (t.startsWith('<!--', p)) {
          const end = this.terminator('-->', 'comment', eof);
          if (end === -1) return;
          w.consume(end + 3 - p);
          continue;
        }
        if (t.startsWith('<![CDATA[', p)) {
          if (this.stack.length === 0)
            this.fail('not-well-formed', 'a CDATA section outside the root element');
          const end = this.terminator(']]>', 'CDATA section', eof);
          if (end === -1) return;
          out.push({ kind: 'text', text: t.slice(p + 9, end), line, column });
          w.consume(end + 3 - p);
          continue;
        }
        if (/^<!DOCTYPE/i.test(t.slice(p, p + 9))) {
          const body = /^<!DOCTYPE([^>[]*)(>|\[)?/i.exec(t.slice(p, p + 4096));
          if (body?.[2] === undefined && !eof && w.available < 4096) return;
          // A bare "<!DOCTYPE name>" declares nothing and loads nothing (GS1's own EPCIS examples
          // carry "<!DOCTYPE project>"), so it is skipped. An external id (SYSTEM/PUBLIC) or an
          // internal subset ([...]) could define or fetch entities and is refused.
          if (
            !this.seenRoot &&
            body?.[2] === '>' &&
            /^[ \t\r\n]+[A-Za-z_][-A-Za-z0-9_.:]*[ \t\r\n]*$/.test(body[1]!)
          ) {
            w.consume(body[0].length);
            continue;
          }
          this.fail(
            'dtd-forbidden',
            'the file contains a DOCTYPE (DTD). DTDs and entity declarations are refused because they enable external-entity (XXE) and entity-expansion ("billion laughs") attacks; EPCIS documents never need one. Ask the sender for the file without the DOCTYPE',
          );
        }
        this.fail('not-well-formed', `unexpected markup ${JSON.stringify(t.slice(p, p + 12))}`);
      }

      if (next === 47 /* / */) {
        const gt = t.indexOf('>', p);
        if (gt === -1) {
          if (eof) this.fail('truncated', 'the file ends inside an end tag (truncated?)');
          if (w.available > 4096) this.fail('not-well-formed', 'an end tag that never closes');
          return;
        }
        const qname = t.slice(p + 2, gt).trim();
        const open = this.stack.pop();
        if (open === undefined)
          this.fail('not-well-formed', `end tag </${qname}> without a matching start tag`);
        if (open.qname !== qname) {
          this.fail(
            'not-well-formed',
            `end tag </${qname}> does not match <${open.qname}> opened at line ${open.line}, column ${open.column}`,
          );
        }
        out.push({ kind: 'end', name: open.name, line, column });
        this.scope = this.stack.length > 0 ? this.stack[this.stack.length - 1]!.scope : this.documentScope;
        if (this.stack.length === 0) this.rootClosed = true;
        w.consume(gt + 1 - p);
        continue;
      }

      // start tag
      if (this.rootClosed)
        this.fail('not-well-formed', 'a second root element; an XML document has exactly one');
      const parsed = parseStartTag(t, p, limits);
      if (parsed === NEED_MORE) {
        if (eof) this.fail('truncated', 'the file ends inside a start tag (truncated?)');
        if (w.available > limits.maxTextLength) this.textTooLong('start tag');
        return;
      }
      if (typeof parsed === 'string')
        this.fail(parsed.startsWith('too many') ? 'limit' : 'not-well-formed', parsed);
      this.startTag(parsed, line, column, out);
      w.consume(parsed.end - p);
    }
  }

  private startTag(tag: ParsedTag, line: number, column: number, out: XmlToken[]): void {
    if (this.stack.length >= this.limits.maxDepth) {
      this.fail(
        'limit',
        `elements are nested deeper than ${this.limits.maxDepth} levels; raise ${LIMIT_FLAGS.maxDepth} if that is expected`,
      );
    }
    const raw = tag.rawAttributes;
    let declarations = NO_DECLARATIONS;
    for (const [qn, value] of raw) {
      if (qn === 'xmlns' || qn.startsWith('xmlns:')) {
        const prefix = qn === 'xmlns' ? '' : qn.slice(6);
        if (value === '' && prefix !== '')
          this.fail('not-well-formed', `the prefix "${prefix}" is bound to an empty namespace`);
        if (declarations === NO_DECLARATIONS) declarations = [];
        declarations.push([prefix, value]);
      }
    }
    let elementScope = this.scope;
    if (declarations.length > 0) {
      elementScope = new Map(this.scope);
      for (const [prefix, uri] of declarations) elementScope.set(prefix, uri);
    }
    const name = resolveName(tag.qname, elementScope, true, line, column);
    let attributes = NO_ATTRIBUTES;
    if (raw.length > declarations.length) {
      attributes = [];
      let seen: Set<string> | undefined;
      for (const [qn, value] of raw) {
        if (qn === 'xmlns' || qn.startsWith('xmlns:')) continue;
        const an = resolveName(qn, elementScope, false, line, column);
        if (raw.length > 1) {
          seen ??= new Set();
          const key = `{${an.ns}}${an.local}`;
          if (seen.has(key)) this.fail('not-well-formed', `attribute ${qn} appears twice on <${tag.qname}>`);
          seen.add(key);
        }
        attributes.push({
          ns: an.ns,
          local: an.local,
          prefix: an.prefix,
          value: decodeEntities(value, line, column),
        });
      }
    }
    this.seenRoot = true;
    out.push({ kind: 'start', name, attributes, declarations, selfClosing: tag.selfClosing, line, column });
    if (tag.selfClosing) {
      out.push({ kind: 'end', name, line, column });
      if (this.stack.length === 0) this.rootClosed = true;
    } else {
      this.stack.push({ qname: tag.qname, name, line, column, scope: elementScope });
      this.scope = elementScope;
    }
  }

  /** Index of `terminator` after the current position; -1 when more text is needed. */
  private terminator(terminator: string, what: string, eof: boolean): number {
    const end = this.w.text.indexOf(terminator, this.w.pos);
    if (end !== -1) return end;
    if (eof) this.fail('truncated', `the file ends inside a ${what} (truncated?)`);
    if (this.w.available > this.limits.maxTextLength) this.textTooLong(what);
    return -1;
  }

  private textTooLong(what: string): never {
    this.fail(
      'limit',
      `a ${what} is longer than ${this.limits.maxTextLength} characters; raise ${LIMIT_FLAGS.maxTextLength} if that is expected`,
    );
  }

  finish(): void {
    if (this.stack.length > 0) {
      const open = this.stack[this.stack.length - 1]!;
      this.fail(
        'truncated',
        `the file ends inside <${open.qname}> opened at line ${open.line}, column ${open.column}; it is truncated or damaged`,
      );
    }
    if (!this.seenRoot) this.fail('not-well-formed', 'the file is empty or has no root element');
  }
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
    rawAttributes.push([an[0], /[\t\r\n]/.test(value) ? value.replace(/[\t\r\n]/g, ' ') : value]);
    if (rawAttributes.length > limits.maxAttributes) {
      return `too many attributes on <${qname}> (limit ${limits.maxAttributes}; raise ${LIMIT_FLAGS.maxAttributes} if that is expected)`;
    }
    i = close + 1;
  }
}

/** Resolved names per scope, so repeated element names cost one lookup and no allocation. */
const nameCache = new WeakMap<Map<string, string>, Map<string, XmlName>>();

function resolveName(
  qname: string,
  scope: Map<string, string>,
  isElement: boolean,
  line: number,
  column: number,
): XmlName {
  let cache = nameCache.get(scope);
  if (cache === undefined) {
    cache = new Map();
    nameCache.set(scope, cache);
  }
  const key = isElement ? qname : '@' + qname;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const resolved = resolveUncached(qname, scope, isElement, line, column);
  if (cache.size < 10_000) cache.set(key, resolved);
  return resolved;
}

function resolveUncached(
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

/**
 * Pulls tokens one at a time from the batches. `nextSync` answers without awaiting while the current
 * batch lasts (null = a new batch must be awaited), which keeps tree building synchronous.
 */
export class TokenCursor {
  private batch: XmlToken[] = [];
  private i = 0;
  private done = false;

  constructor(private readonly batches: AsyncIterator<XmlToken[]>) {}

  nextSync(): XmlToken | null {
    return this.i < this.batch.length ? this.batch[this.i++]! : null;
  }

  async next(): Promise<XmlToken | undefined> {
    while (this.i >= this.batch.length) {
      if (this.done) return undefined;
      const r = await this.batches.next();
      if (r.done === true) {
        this.done = true;
        return undefined;
      }
      this.batch = r.value;
      this.i = 0;
    }
    return this.batch[this.i++];
  }
}
