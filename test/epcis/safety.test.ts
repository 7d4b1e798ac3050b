import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { EpcisReadError } from '../../src/core/epcis/errors';
import { readEpcis, type ReadItem } from '../../src/core/epcis/reader';
import { fileSource, memorySource } from '../../src/core/epcis/text-source';
import type { ReadLimits } from '../../src/core/epcis/limits';

/* Hostile and broken inputs: each must end in a clear EpcisReadError, quickly, with bounded memory. */

const dir = mkdtempSync(join(tmpdir(), 'custodia-epcis-safety-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(source: AsyncIterable<Uint8Array>, limits?: Partial<ReadLimits>): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  for await (const item of readEpcis(source, limits !== undefined ? { limits } : {})) items.push(item);
  return items;
}

async function failure(data: string | Uint8Array, limits?: Partial<ReadLimits>): Promise<EpcisReadError> {
  try {
    await readAll(memorySource(data), limits);
  } catch (error) {
    expect(error).toBeInstanceOf(EpcisReadError);
    return error as EpcisReadError;
  }
  throw new Error('expected the read to fail');
}

const DOC_START =
  '<?xml version="1.0" encoding="UTF-8"?>\n<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z"><EPCISBody><EventList>';
const EVENT =
  '<ObjectEvent><eventTime>2024-01-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList><epc>urn:epc:id:sgtin:0614141.107346.2017</epc></epcList><action>OBSERVE</action></ObjectEvent>';
const DOC_END = '</EventList></EPCISBody></epcis:EPCISDocument>';

describe('XML attacks', () => {
  it('refuses XXE (external entity) before reading anything else', async () => {
    const e = await failure(
      `<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<foo>&xxe;</foo>`,
    );
    expect(e.code).toBe('dtd-forbidden');
    expect(e.message).toMatch(/XXE/);
    expect(e.position.line).toBe(2);
  });

  it('refuses an external DTD', async () => {
    const e = await failure(`<!DOCTYPE epcis SYSTEM "http://attacker.example/x.dtd"><epcis/>`);
    expect(e.code).toBe('dtd-forbidden');
  });

  it('refuses billion laughs quickly and without expanding anything', async () => {
    const lol = [
      '<!ENTITY lol "lol">',
      ...Array.from(
        { length: 9 },
        (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
      ),
    ].join('\n');
    const started = performance.now();
    const e = await failure(`<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${lol}\n]>\n<lolz>&lol9;</lolz>`);
    expect(e.code).toBe('dtd-forbidden');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses entity references that no DTD could define', async () => {
    const e = await failure(`${DOC_START}<ObjectEvent><eventTime>&xxe;</eventTime></ObjectEvent>${DOC_END}`);
    expect(e.code).toBe('entity-forbidden');
    expect(e.message).toMatch(/&xxe;/);
  });

  it('stops deep nesting at the depth limit, which a person can raise', async () => {
    const deep = `${DOC_START}<ObjectEvent><x:a xmlns:x="urn:x">${'<x:a>'.repeat(100_000)}`;
    const e = await failure(deep);
    expect(e.code).toBe('limit');
    expect(e.message).toMatch(/deeper than 64 .*--max-depth/);
    const items = await readAll(
      memorySource(
        `${DOC_START}<ObjectEvent><x:a xmlns:x="urn:x">${'<x:a>'.repeat(80)}${'</x:a>'.repeat(81)}</ObjectEvent>${DOC_END}`,
      ),
      { maxDepth: 100 },
    );
    expect(items.filter((i) => i.type === 'event')).toHaveLength(1);
  });

  it('limits attributes per element and text length', async () => {
    const attrs = Array.from({ length: 300 }, (_, i) => `a${i}="1"`).join(' ');
    expect((await failure(`<root ${attrs}/>`)).message).toMatch(/too many attributes/);
    const e = await failure(
      `${DOC_START}<ObjectEvent><eventTime>${'9'.repeat(2_000_000)}</eventTime></ObjectEvent>${DOC_END}`,
      { maxTextLength: 1_000_000 },
    );
    expect(e.code).toBe('limit');
    expect(e.message).toMatch(/--max-text/);
  });

  it('names the place where a truncated file ends', async () => {
    const whole = DOC_START + EVENT + EVENT + DOC_END;
    const e = await failure(whole.slice(0, Math.floor(whole.length * 0.7)));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/truncated/);
    const json = `{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2024-01-01T00:00:00Z"`;
    expect((await failure(json)).code).toBe('truncated');
  });

  it('reports mismatched tags and undeclared prefixes with line and column', async () => {
    const e = await failure(`${DOC_START}\n<ObjectEvent></AggregationEvent>${DOC_END}`);
    expect(e.code).toBe('not-well-formed');
    expect(e.message).toMatch(/does not match <ObjectEvent> opened at line 3/);
    const p = await failure(`${DOC_START}<ObjectEvent><ext:x>1</ext:x></ObjectEvent>${DOC_END}`);
    expect(p.message).toMatch(/prefix "ext" .* not declared/);
  });
});

describe('encodings', () => {
  it('refuses UTF-16 (with a byte-order mark) naming the encoding', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(DOC_START + DOC_END, 'utf16le')]);
    const e = await failure(new Uint8Array(utf16));
    expect(e.code).toBe('encoding');
    expect(e.message).toMatch(/UTF-16 \(little-endian\)/);
  });

  it('refuses a declared non-UTF-8 encoding, naming it', async () => {
    const e = await failure(DOC_START.replace('UTF-8', 'ISO-8859-1') + DOC_END);
    expect(e.message).toMatch(/encoding="ISO-8859-1"/);
  });

  it('refuses bytes that are not UTF-8 (e.g. Latin-1 saved without a declaration)', async () => {
    const latin1 = Buffer.from(
      `${DOC_START}<ObjectEvent><x:n xmlns:x="urn:x">Müller</x:n></ObjectEvent>${DOC_END}`,
      'latin1',
    );
    const e = await failure(new Uint8Array(latin1));
    expect(e.code).toBe('encoding');
    expect(e.message).toMatch(/not valid UTF-8/);
  });

  it('accepts a UTF-8 byte-order mark, CDATA, comments, processing instructions and character references', async () => {
    const doc = `\uFEFF${DOC_START}<!-- note --><?pi x?><ObjectEvent><eventTime><![CDATA[2024-01-01T00:00:00Z]]></eventTime><eventTimeZoneOffset>&#43;00:00</eventTimeZoneOffset><epcList><epc>urn:epc:id:sgtin:0614141.107346.2017</epc></epcList><action>OBS&#x45;RVE</action><d:note xmlns:d="urn:d">a &lt; b &amp; c</d:note></ObjectEvent>${DOC_END}`;
    const items = await readAll(memorySource(doc));
    const ev = items.find((i) => i.type === 'event');
    expect(ev?.type === 'event' && ev.candidate.action).toBe('OBSERVE');
    expect(ev?.type === 'event' && ev.candidate.eventTimeZoneOffset).toBe('+00:00');
    expect(ev?.type === 'event' && ev.candidate.extensions?.[0]).toEqual({
      ns: 'urn:d',
      name: 'note',
      value: 'a < b & c',
    });
  });
});

describe('large garbage files (generated here, streamed)', () => {
  async function writeFile(
    name: string,
    totalBytes: number,
    chunk: () => Buffer,
    head = '',
  ): Promise<string> {
    const path = join(dir, name);
    const out = createWriteStream(path);
    out.write(head);
    for (let written = 0; written < totalBytes;) {
      const c = chunk();
      if (!out.write(c)) await new Promise<void>((r) => out.once('drain', () => r()));
      written += c.length;
    }
    out.end();
    await finished(out);
    return path;
  }

  it('256 MB of random bytes: a clear error at once, without reading the file', async () => {
    const path = await writeFile('random.bin', 256 * 1024 ** 2, () => randomBytes(1024 * 1024));
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    await expect(readAll(fileSource(path))).rejects.toBeInstanceOf(EpcisReadError);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 ** 2);
  });

  it('a well-formed 64 MB document of junk elements streams through in bounded memory', async () => {
    const junk = Buffer.from('<junk a="1">garbage text that is not EPCIS</junk>\n'.repeat(20_000));
    const path = await writeFile(
      'junk.xml',
      64 * 1024 ** 2,
      () => junk,
      DOC_START.replace('<EventList>', ''),
    );
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    // the document never closes: the reader walks all of it, then reports where it ends
    const error = await readAll(fileSource(path)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EpcisReadError);
    expect((error as EpcisReadError).code).toBe('truncated');
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(150 * 1024 ** 2);
  });

  it('one giant JSON value is stopped at the event size limit', async () => {
    const big = `{"@context":[],"type":"EPCISDocument","epcisBody":{"eventList":[{"type":"ObjectEvent","x:y":"${'a'.repeat(3_000_000)}"}]}}`;
    const e = await failure(big, { maxEventLength: 1_000_000 });
    expect(e.code).toBe('limit');
    expect(e.message).toMatch(/--max-event/);
  });

  it('a file over the size limit is stopped, and the message says how to raise it', async () => {
    const e = await failure(DOC_START + EVENT.repeat(100) + DOC_END, { maxBytes: 4096 });
    expect(e.code).toBe('limit');
    expect(e.message).toMatch(/--max-bytes/);
  });

  it('text that is neither XML nor JSON is refused at the first character', async () => {
    const e = await failure('lorem ipsum '.repeat(100_000));
    expect(e.code).toBe('not-epcis');
  });
});
