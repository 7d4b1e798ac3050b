import { createReadStream } from 'node:fs';
import { EpcisReadError } from './errors';
import { LIMIT_FLAGS } from './limits';

/** Bytes in, from a file or memory. Reading a file streams it in 256 KiB chunks. */
export type ByteSource = AsyncIterable<Uint8Array>;

export function fileSource(path: string): ByteSource {
  return createReadStream(path, { highWaterMark: 256 * 1024 });
}

export async function* memorySource(data: string | Uint8Array, chunkSize = 64 * 1024): ByteSource {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
}

/**
 * Decodes a byte stream as strict UTF-8 (the only encoding EPCIS partners are expected to use; GS1 XML
 * and JSON bindings both default to it). A UTF-8 byte-order mark is dropped; UTF-16/32 input and invalid
 * byte sequences are refused with an error that names what was found.
 */
export async function* decodeUtf8(source: ByteSource, maxBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let total = 0;
  let first = true;
  for await (const chunk of source) {
    if (first && chunk.length > 0) {
      first = false;
      const sniffed = sniffEncoding(chunk);
      if (sniffed !== undefined) {
        throw new EpcisReadError(
          'encoding',
          `the file is encoded as ${sniffed}; only UTF-8 is accepted. Re-save it as UTF-8 and try again`,
          { line: 1, column: 1 },
        );
      }
    }
    total += chunk.length;
    if (total > maxBytes) {
      throw new EpcisReadError(
        'limit',
        `the file is larger than the ${maxBytes}-byte limit; raise it with ${LIMIT_FLAGS.maxBytes} if the file is expected to be this big`,
      );
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new EpcisReadError(
        'encoding',
        `the file is not valid UTF-8 (an invalid byte sequence within bytes ${total - chunk.length}-${total}); it may be Latin-1/Windows-1252 or binary. Re-save it as UTF-8`,
      );
    }
    if (text.length > 0) yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest.length > 0) yield rest;
  } catch {
    throw new EpcisReadError('encoding', 'the file ends in the middle of a UTF-8 character (truncated?)');
  }
}

function sniffEncoding(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) return 'UTF-32 (big-endian)';
  if (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00) return 'UTF-32 (little-endian)';
  if (a === 0xfe && b === 0xff) return 'UTF-16 (big-endian)';
  if (a === 0xff && b === 0xfe) return 'UTF-16 (little-endian)';
  if (a === 0x00 && b !== undefined && b !== 0x00) return 'UTF-16 (big-endian, no byte-order mark)';
  if (a !== undefined && a !== 0x00 && b === 0x00) return 'UTF-16 (little-endian, no byte-order mark)';
  return undefined;
}

/**
 * A sliding window over decoded text with line/column tracking. The tokenizers scan `text` from `pos`
 * and call `consume(n)`; already-consumed text is dropped when more is appended, so memory holds at
 * most one token (or one event, for JSON) plus one chunk.
 */
export class TextWindow {
  text = '';
  pos = 0;
  line = 1;
  column = 1;
  done = false;
  private readonly iterator: AsyncIterator<string>;

  constructor(chunks: AsyncIterable<string>) {
    this.iterator = chunks[Symbol.asyncIterator]();
  }

  /** Appends the next chunk; false at end of input. */
  async fill(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.iterator.next();
    if (next.done === true) {
      this.done = true;
      return false;
    }
    this.text = this.pos > 0 ? this.text.slice(this.pos) + next.value : this.text + next.value;
    this.pos = 0;
    this.nextNewline = -2;
    return true;
  }

  /** Index of the next "\n" at or after pos (-1: none in the buffered text; -2: not looked up yet). */
  private nextNewline = -2;

  /**
   * Advances past n characters, keeping line and column current. The next newline is remembered, so
   * a file written on one line (common for machine-made EPCIS) is not rescanned on every token.
   */
  consume(n: number): void {
    const end = this.pos + n;
    if (this.nextNewline === -2 || (this.nextNewline >= 0 && this.nextNewline < this.pos)) {
      this.nextNewline = this.text.indexOf('\n', this.pos);
    }
    if (this.nextNewline === -1 || this.nextNewline >= end) {
      this.column += n;
      this.pos = end;
      return;
    }
    let nl = this.nextNewline;
    let lastNl = nl;
    while (nl !== -1 && nl < end) {
      this.line++;
      lastNl = nl;
      nl = this.text.indexOf('\n', nl + 1);
    }
    this.nextNewline = nl;
    this.column = end - lastNl;
    this.pos = end;
  }

  get available(): number {
    return this.text.length - this.pos;
  }
}
