import { EpcisReadError } from './errors';
import { LIMIT_FLAGS, type ReadLimits } from './limits';
import { TextWindow } from './text-source';

/*
 * A pull reader for the outer structure of a large JSON document. The caller walks objects and arrays
 * key by key; any value it wants whole (one event, the @context, the header) is located with a fast
 * bracket/string scanner and handed to JSON.parse, so memory holds one value at a time and the heavy
 * lifting stays in native code.
 */
const STRING_STOP = /["\\]/g;
const STRUCTURE = /["{}[\]]/g;

export class JsonPull {
  private readonly w: TextWindow;
  depth = 0;

  constructor(
    chunks: AsyncIterable<string>,
    private readonly limits: ReadLimits,
  ) {
    this.w = new TextWindow(chunks);
  }

  get line(): number {
    return this.w.line;
  }
  get column(): number {
    return this.w.column;
  }

  fail(detail: string, code: ConstructorParameters<typeof EpcisReadError>[0] = 'not-well-formed'): never {
    throw new EpcisReadError(code, detail, { line: this.w.line, column: this.w.column });
  }

  /** Skips white space; returns the next character without consuming it, undefined at end of input. */
  async peek(): Promise<string | undefined> {
    for (;;) {
      const w = this.w;
      const t = w.text;
      let i = w.pos;
      while (i < t.length) {
        const c = t.charCodeAt(i);
        if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
        i++;
      }
      if (i > w.pos) w.consume(i - w.pos);
      if (i < t.length) return t[i];
      if (!(await w.fill())) return undefined;
    }
  }

  async expect(ch: string): Promise<void> {
    const c = await this.peek();
    if (c !== ch) {
      if (c === undefined) this.fail(`the file ends where "${ch}" was expected (truncated?)`, 'truncated');
      this.fail(`expected "${ch}" but found ${JSON.stringify(c)}`);
    }
    this.w.consume(1);
  }

  /** After "{" or a value inside an object: the next key, or undefined at "}". */
  async nextKey(first: boolean): Promise<string | undefined> {
    let c = await this.peek();
    if (c === '}') {
      this.w.consume(1);
      this.depth--;
      return undefined;
    }
    if (!first) {
      if (c !== ',') this.unexpected(c, '"," or "}"');
      this.w.consume(1);
      c = await this.peek();
    }
    if (c !== '"') this.unexpected(c, 'a quoted key');
    const key = (await this.rawValue()).value;
    await this.expect(':');
    return key as string;
  }

  /** After "[" or a value inside an array: true if another element follows, false at "]". */
  async nextElement(first: boolean): Promise<boolean> {
    const c = await this.peek();
    if (c === ']') {
      this.w.consume(1);
      this.depth--;
      return false;
    }
    if (!first) {
      if (c !== ',') this.unexpected(c, '"," or "]"');
      this.w.consume(1);
    }
    return true;
  }

  async enterObject(): Promise<void> {
    await this.expect('{');
    this.enter();
  }
  async enterArray(): Promise<void> {
    await this.expect('[');
    this.enter();
  }

  private enter(): void {
    this.depth++;
    if (this.depth > this.limits.maxDepth) {
      this.fail(
        `JSON nested deeper than ${this.limits.maxDepth} levels; raise ${LIMIT_FLAGS.maxDepth} if that is expected`,
        'limit',
      );
    }
  }

  private unexpected(c: string | undefined, wanted: string): never {
    if (c === undefined) this.fail(`the file ends where ${wanted} was expected (truncated?)`, 'truncated');
    this.fail(`expected ${wanted} but found ${JSON.stringify(c)}`);
  }

  /**
   * Reads one complete JSON value and parses it. Returns the value and where it started.
   * The scan is resumable across chunks, so a value is scanned once however it is split.
   */
  async rawValue(
    maxLength = this.limits.maxEventLength,
  ): Promise<{ value: unknown; line: number; column: number }> {
    const first = await this.peek();
    if (first === undefined) this.fail('the file ends where a value was expected (truncated?)', 'truncated');
    const line = this.w.line;
    const column = this.w.column;
    const w = this.w;
    let i = w.pos;
    let depth = 0;
    let inString = false;
    let started = false;
    let scalarEnd = false;
    for (;;) {
      const t = w.text;
      const n = t.length;
      while (i < n) {
        if (inString) {
          // jump to the next quote or backslash instead of stepping through the string
          STRING_STOP.lastIndex = i;
          const m = STRING_STOP.exec(t);
          if (m === null) {
            i = n;
            break;
          }
          i = m.index;
          if (t.charCodeAt(i) === 92 /* \ */) {
            i += 2;
            continue;
          }
          inString = false;
          i++;
          if (depth === 0) {
            scalarEnd = true;
            break;
          }
          continue;
        }
        if (depth > 0) {
          // inside a container only quotes and brackets matter
          STRUCTURE.lastIndex = i;
          const m = STRUCTURE.exec(t);
          if (m === null) {
            i = n;
            break;
          }
          i = m.index;
        }
        const c = t.charCodeAt(i);
        if (
          depth === 0 &&
          started &&
          (c === 44 || c === 125 || c === 93 || c === 58 || c === 32 || c === 10 || c === 13 || c === 9)
        ) {
          scalarEnd = true;
          break;
        }
        if (c === 34) {
          inString = true;
          started = true;
        } else if (c === 123 || c === 91) {
          depth++;
          started = true;
          if (depth + this.depth > this.limits.maxDepth) {
            this.fail(
              `JSON nested deeper than ${this.limits.maxDepth} levels; raise ${LIMIT_FLAGS.maxDepth} if that is expected`,
              'limit',
            );
          }
        } else if (c === 125 || c === 93) {
          depth--;
          if (depth === 0) {
            i++;
            scalarEnd = true;
            break;
          }
          if (depth < 0) this.fail('unbalanced "}" or "]"');
        } else if (depth === 0 && !started) {
          started = true;
        }
        i++;
      }
      if (scalarEnd) break;
      if (i - w.pos > maxLength) {
        this.fail(
          `one JSON value here is larger than ${maxLength} characters; raise ${LIMIT_FLAGS.maxEventLength} if one event is expected to be this big`,
          'limit',
        );
      }
      const offset = i - w.pos;
      if (!(await w.fill())) {
        if (depth === 0 && started && !inString) break; // a number/literal ending the file
        this.fail('the file ends in the middle of a JSON value (truncated?)', 'truncated');
      }
      i = w.pos + offset;
    }
    const text = w.text.slice(w.pos, i);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const where = /position (\d+)/.exec((error as Error).message);
      const at = where !== null ? locate(text, Number(where[1]), line, column) : { line, column };
      throw new EpcisReadError(
        'not-well-formed',
        `invalid JSON: ${(error as Error).message.split('\n')[0]}`,
        at,
      );
    }
    w.consume(i - w.pos);
    return { value, line, column };
  }

  /** Skips one value without keeping it. */
  async skipValue(): Promise<void> {
    await this.rawValue();
  }

  async atEnd(): Promise<boolean> {
    return (await this.peek()) === undefined;
  }
}

function locate(
  text: string,
  offset: number,
  line: number,
  column: number,
): { line: number; column: number } {
  let l = line;
  let c = column;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 10) {
      l++;
      c = 1;
    } else c++;
  }
  return { line: l, column: c };
}
