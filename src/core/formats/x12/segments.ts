/**
 * ASC X12 interchange tokenizer. The ISA segment is fixed-width (106 characters), so its own bytes
 * say which delimiters the rest of the file uses: the element separator is character 4, the
 * component separator is ISA16 (character 105) and the segment terminator follows it (ASC X12.5).
 */
export interface X12Segment {
  readonly id: string;
  /** Elements after the segment id: elements[0] is XX01. */
  readonly elements: readonly string[];
  /** 1-based segment number in the interchange, for error messages. */
  readonly number: number;
}

export interface X12Delimiters {
  readonly element: string;
  readonly component: string;
  readonly segment: string;
}

export class X12Error extends Error {
  constructor(
    message: string,
    readonly segment?: number,
  ) {
    super(message);
    this.name = 'X12Error';
  }
}

export function looksLikeX12(head: string): boolean {
  return /^\s*ISA.{100,}/s.test(head.slice(0, 200)) && head.trimStart()[3] !== undefined;
}

export function readDelimiters(text: string): X12Delimiters {
  const start = text.indexOf('ISA');
  if (start < 0 || text.length < start + 106) {
    throw new X12Error(
      'the file does not start with an ISA interchange header (106 characters): it is not an X12 interchange',
    );
  }
  const element = text[start + 3]!;
  const isa = text.slice(start, start + 106);
  const parts = isa.split(element);
  if (parts.length !== 17) {
    throw new X12Error(
      `the ISA header has ${parts.length - 1} elements instead of 16: the interchange is damaged`,
      1,
    );
  }
  return { element, component: text[start + 104]!, segment: text[start + 105]! };
}

export function parseSegments(text: string): X12Segment[] {
  const d = readDelimiters(text);
  const body = text.slice(text.indexOf('ISA'));
  const out: X12Segment[] = [];
  let n = 0;
  for (const raw of body.split(d.segment)) {
    const segment = raw.replace(/^[\r\n]+|[\r\n]+$/g, '');
    if (segment === '') continue;
    n++;
    const [id = '', ...elements] = segment.split(d.element);
    if (!/^[A-Z][A-Z0-9]{1,2}$/.test(id)) {
      throw new X12Error(`segment ${n} starts with "${id.slice(0, 8)}", which is not a segment id`, n);
    }
    out.push({ id, elements, number: n });
  }
  return out;
}

/** CCYYMMDD (or YYMMDD) -> YYYY-MM-DD. */
export function x12Date(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d{8}$/.test(value)) return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  if (/^\d{6}$/.test(value)) return `20${value.slice(0, 2)}-${value.slice(2, 4)}-${value.slice(4, 6)}`;
  return undefined;
}
