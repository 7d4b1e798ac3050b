/**
 * RFC 8785 JSON Canonicalization Scheme (JCS), strict in both directions.
 *
 * Ledger leaves are hashed as canonical bytes, so two implementations must agree byte for byte.
 * Where RFC 8785 leaves room (lone surrogates, duplicate keys, invalid UTF-8) libraries disagree
 * (cyberphone/json-canonicalization #36/#37), so we refuse those inputs instead of guessing.
 */

export class JcsError extends Error {
  constructor(
    readonly reason:
      | 'lone-surrogate'
      | 'invalid-utf8'
      | 'duplicate-key'
      | 'non-finite-number'
      | 'unsupported-value'
      | 'syntax',
    message: string,
  ) {
    super(message);
    this.name = 'JcsError';
  }
}

/**
 * JSON text already in RFC 8785 form, made by this same module on another thread (an import's
 * reading thread canonicalizes each event while the importing thread applies earlier ones): the
 * writers below put it in as is. Only for text {@link canonicalize} produced.
 */
export class CanonicalText {
  constructor(readonly text: string) {}

  /** Outside the canonical writers (JSON.stringify of a payload), the value it stands for. */
  toJSON(): unknown {
    return JSON.parse(this.text) as unknown;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Canonical JSON text of a JSON-compatible value (RFC 8785 s3.2). Throws {@link JcsError}. */
export function canonicalize(value: unknown): string {
  try {
    return canonicalText(value);
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
  }
  // Something will be refused: the careful writer names where.
  return canonicalizeReference(value);
}

/** The careful writer alone: what the fast path must equal (tests hold them together). */
export function canonicalizeReference(value: unknown): string {
  const parts: string[] = [];
  const path: (string | number)[] = [];
  write(value, parts, path);
  return parts.join('');
}

const NOT_PLAIN = new Error('not plain JSON');

/**
 * The common case, every ledger append: the same text as {@link write}, built by concatenation
 * with no path bookkeeping and no sort when the keys already come in order. Anything write()
 * would refuse throws NOT_PLAIN instead, and write() then runs to produce the error.
 */
const keyCache = new Map<string, string>();

/**
 * Member names repeat from record to record: quote each once. Only short names are kept, and
 * only a few thousand: field names, not data used as keys.
 */
function quotedKey(key: string): string {
  let quoted = keyCache.get(key);
  if (quoted === undefined) {
    if (!wellFormed(key)) throw NOT_PLAIN;
    quoted = JSON.stringify(key);
    if (key.length <= 40 && keyCache.size < 4096) keyCache.set(key, quoted);
  }
  return quoted;
}

function canonicalText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (!wellFormed(value)) throw NOT_PLAIN;
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw NOT_PLAIN;
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let text = '[';
        for (let i = 0; i < value.length; i++) text += (i > 0 ? ',' : '') + canonicalText(value[i]);
        return text + ']';
      }
      if (value instanceof CanonicalText) return value.text;
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) throw NOT_PLAIN;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      for (let i = 1; i < keys.length; i++) {
        if (keys[i - 1]! > keys[i]!) {
          keys.sort();
          break;
        }
      }
      let text = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        text += (i > 0 ? ',' : '') + quotedKey(key) + ':' + canonicalText(record[key]);
      }
      return text + '}';
    }
    default:
      throw NOT_PLAIN;
  }
}

/** Canonical UTF-8 bytes of a JSON-compatible value. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8');
}

/** `path` names the value only when an error is thrown: building it eagerly costs a string per value. */
function write(value: unknown, out: string[], path: (string | number)[]): void {
  switch (typeof value) {
    case 'string':
      out.push(quote(value, path));
      return;
    case 'number':
      // RFC 8785 s3.2.2.3: ES6 Number.prototype.toString, which is exactly String(n) (-0 -> "0").
      if (!Number.isFinite(value)) {
        throw new JcsError('non-finite-number', `${where(path)} is ${value}, which JSON cannot represent`);
      }
      out.push(String(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) {
        out.push('null');
        return;
      }
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          path.push(i);
          write(value[i], out, path);
          path.pop();
        }
        out.push(']');
        return;
      }
      if (value instanceof CanonicalText) {
        out.push(value.text);
        return;
      }
      {
        const proto = Object.getPrototypeOf(value) as unknown;
        if (proto !== Object.prototype && proto !== null) {
          throw new JcsError('unsupported-value', `${where(path)} is not a plain JSON object`);
        }
        const record = value as Record<string, unknown>;
        // RFC 8785 s3.2.3: sort by UTF-16 code units, which is what the default sort compares.
        const keys = Object.keys(record).sort();
        out.push('{');
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          if (i > 0) out.push(',');
          path.push(key);
          out.push(quote(key, path), ':');
          write(record[key], out, path);
          path.pop();
        }
        out.push('}');
      }
      return;
    default:
      throw new JcsError(
        'unsupported-value',
        `${where(path)} is ${typeof value}, which JSON cannot represent`,
      );
  }
}

// String.prototype.isWellFormed (ES2024, Node >= 20) is far cheaper than the regex when present.
const isWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;
const wellFormed: (text: string) => boolean = isWellFormed
  ? (text) => isWellFormed.call(text)
  : (text) => !LONE_SURROGATE.test(text);

function where(path: readonly (string | number)[]): string {
  return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}

function quote(text: string, path: readonly (string | number)[]): string {
  if (!wellFormed(text)) {
    throw new JcsError(
      'lone-surrogate',
      `${where(path)} contains a lone UTF-16 surrogate (RFC 8785 s3.2.2.2)`,
    );
  }
  // For well-formed strings ES2019 JSON.stringify escapes exactly as RFC 8785 s3.2.2.2 requires.
  return JSON.stringify(text);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses JSON text strictly: valid UTF-8, no duplicate keys (I-JSON, RFC 7493 s2.3), no lone
 * surrogates, finite numbers only. Objects come back with a null prototype so a "__proto__"
 * key is ordinary data.
 */
export function parseStrict(input: string | Uint8Array): unknown {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = utf8.decode(input);
    } catch {
      throw new JcsError('invalid-utf8', 'the bytes are not valid UTF-8');
    }
  }
  const parser = new Parser(text);
  const value = parser.value('$');
  parser.end();
  return value;
}

/** True when the bytes are exactly the canonical form of the JSON they hold. */
export function isCanonical(bytes: Uint8Array): boolean {
  try {
    return Buffer.from(canonicalize(parseStrict(bytes)), 'utf8').equals(bytes);
  } catch {
    return false;
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  end(): void {
    this.ws();
    if (this.pos !== this.text.length) this.fail('unexpected text after the JSON value');
  }

  value(where: string): unknown {
    this.ws();
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7b) return this.object(where);
    if (c === 0x5b) return this.array(where);
    if (c === 0x22) return this.string(where);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number(where);
    if (this.text.startsWith('true', this.pos)) return this.literal(4, true);
    if (this.text.startsWith('false', this.pos)) return this.literal(5, false);
    if (this.text.startsWith('null', this.pos)) return this.literal(4, null);
    return this.fail('expected a JSON value');
  }

  private literal<T>(length: number, value: T): T {
    this.pos += length;
    return value;
  }

  private object(where: string): Record<string, unknown> {
    const result = Object.create(null) as Record<string, unknown>;
    this.pos++;
    this.ws();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return result;
    }
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('expected a property name');
      const key = this.string(`${where} key`);
      if (Object.hasOwn(result, key)) {
        throw new JcsError('duplicate-key', `${where} has the property "${key}" twice (RFC 7493 s2.3)`);
      }
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail('expected ":"');
      this.pos++;
      result[key] = this.value(`${where}.${key}`);
      this.ws();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x7d) return result;
      if (c !== 0x2c) this.fail('expected "," or "}"');
    }
  }

  private array(where: string): unknown[] {
    const result: unknown[] = [];
    this.pos++;
    this.ws();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value(`${where}[${result.length}]`));
      this.ws();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x5d) return result;
      if (c !== 0x2c) this.fail('expected "," or "]"');
    }
  }

  private string(where: string): string {
    const start = ++this.pos;
    let out = '';
    let chunk = start;
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === 0x22) break;
      if (c < 0x20) this.fail('control character inside a string');
      if (c === 0x5c) {
        out += this.text.slice(chunk, this.pos);
        const e = this.text.charCodeAt(this.pos + 1);
        this.pos += 2;
        switch (e) {
          case 0x22:
            out += '"';
            break;
          case 0x5c:
            out += '\\';
            break;
          case 0x2f:
            out += '/';
            break;
          case 0x62:
            out += '\b';
            break;
          case 0x66:
            out += '\f';
            break;
          case 0x6e:
            out += '\n';
            break;
          case 0x72:
            out += '\r';
            break;
          case 0x74:
            out += '\t';
            break;
          case 0x75: {
            const hex = this.text.slice(this.pos, this.pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          default:
            this.fail('bad escape');
        }
        chunk = this.pos;
        continue;
      }
      this.pos++;
    }
    out += this.text.slice(chunk, this.pos);
    this.pos++;
    if (LONE_SURROGATE.test(out)) {
      throw new JcsError('lone-surrogate', `${where} contains a lone UTF-16 surrogate (RFC 8785 s3.2.2.2)`);
    }
    return out;
  }

  private number(where: string): number {
    const match = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(
      this.text.slice(this.pos, this.pos + 400),
    );
    if (match === null) this.fail('bad number');
    const n = Number(match[0]);
    if (!Number.isFinite(n)) {
      throw new JcsError('non-finite-number', `${where} (${match[0]}) is outside the IEEE 754 double range`);
    }
    this.pos += match[0].length;
    return n;
  }

  private ws(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else return;
    }
  }

  private fail(message: string): never {
    throw new JcsError('syntax', `${message} at character ${this.pos}`);
  }
}
