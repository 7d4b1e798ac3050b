import { EpcisReadError } from './errors';
import { LIMIT_FLAGS, type ReadLimits } from './limits';
import type { TokenCursor, XmlAttribute, XmlName, XmlToken } from './xml-tokenizer';

/** A small in-memory element, built for one event or one header at a time (never the whole file). */
export interface XmlElement {
  name: XmlName;
  attributes: XmlAttribute[];
  children: XmlElement[];
  /** Concatenated character data directly inside this element (CDATA included). */
  text: string;
  line: number;
  column: number;
}

/**
 * Builds the subtree whose start token was just read, consuming tokens up to its end tag.
 * `budget` caps the characters of text plus the number of elements, so one huge event cannot
 * exhaust memory.
 */
export async function buildElement(
  start: Extract<XmlToken, { kind: 'start' }>,
  tokens: TokenCursor,
  limits: ReadLimits,
): Promise<XmlElement> {
  const root = newElement(start);
  if (start.selfClosing) {
    await tokens.next(); // the synthetic end token
    return root;
  }
  const stack: XmlElement[] = [root];
  let budget = limits.maxEventLength;
  for (;;) {
    const token = tokens.nextSync() ?? (await tokens.next());
    if (token === undefined) {
      throw new EpcisReadError('truncated', `the file ends inside <${root.name.local}> (truncated?)`, {
        line: root.line,
        column: root.column,
      });
    }
    const top = stack[stack.length - 1]!;
    if (token.kind === 'text') {
      top.text += token.text;
      budget -= token.text.length;
    } else if (token.kind === 'start') {
      const el = newElement(token);
      top.children.push(el);
      stack.push(el);
      budget -= 64;
    } else {
      stack.pop();
      if (stack.length === 0) return root;
    }
    if (budget < 0) {
      throw new EpcisReadError(
        'limit',
        `the <${root.name.local}> starting here is larger than ${limits.maxEventLength} characters; raise ${LIMIT_FLAGS.maxEventLength} if one event is expected to be this big`,
        { line: root.line, column: root.column },
      );
    }
  }
}

function newElement(token: Extract<XmlToken, { kind: 'start' }>): XmlElement {
  return {
    name: token.name,
    attributes: token.attributes,
    children: [],
    text: '',
    line: token.line,
    column: token.column,
  };
}

export function attribute(el: XmlElement, local: string, ns = ''): string | undefined {
  return el.attributes.find((a) => a.local === local && a.ns === ns)?.value;
}

export function textOf(el: XmlElement): string {
  return el.text.trim();
}
