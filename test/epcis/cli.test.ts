import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command';
import { runCli } from '../../src/cli/main';
import { fixture, hashes, listFiles, load, rel } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'custodia-epcis-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), readStdin: async () => '', env: {} };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const examples = fixture('ralphtro', 'examples');
const invalidJson = fixture(
  'openepcis',
  '2.0',
  'EPCIS',
  'JSON',
  'Capture',
  'Invalid',
  'ObjectEvent_with_non_standard_bizStep_in_second_event.json',
);

describe('custodia epcis hash', () => {
  it('prints one ni:///sha-256 line per event in document order (--reference-order = official vectors)', async () => {
    const r = await cli(
      'epcis',
      'hash',
      join(examples, 'epcisDocWithVariousEventTypes.xml'),
      '--reference-order',
    );
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual(
      readFileSync(join(examples, 'epcisDocWithVariousEventTypes.hashes'), 'utf8').trim().split('\n'),
    );
  });

  it('--json prints [{index, eventHashId, preHash}] and defaults to the published order', async () => {
    const r = await cli('epcis', 'hash', join(examples, 'ReferenceEventHashAlgorithm3.jsonld'), '--json');
    const list = JSON.parse(r.out) as { index: number; eventHashId: string; preHash: string }[];
    expect(list).toHaveLength(1);
    expect(list[0]!.index).toBe(0);
    expect(list[0]!.eventHashId).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    // published order: bizTransactionList, sourceList, destinationList, then ilmd / extensions
    expect(list[0]!.preHash.indexOf('sourceList')).toBeLessThan(list[0]!.preHash.indexOf('destinationList'));
    const ref = JSON.parse(
      (
        await cli(
          'epcis',
          'hash',
          join(examples, 'ReferenceEventHashAlgorithm3.jsonld'),
          '--json',
          '--reference-order',
        )
      ).out,
    );
    expect(ref[0].preHash.indexOf('destinationList')).toBeLessThan(ref[0].preHash.indexOf('sourceList'));
    expect(ref[0].eventHashId).toBe(
      readFileSync(join(examples, 'ReferenceEventHashAlgorithm3.hashes'), 'utf8').trim(),
    );
  });

  it('a file it cannot read gives one clear line and exit 1', async () => {
    const xxe = join(dir, 'xxe.xml');
    writeFileSync(xxe, '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>');
    const r = await cli('epcis', 'hash', xxe);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/DOCTYPE .* refused .*line 1/);
    expect((await cli('epcis', 'hash', join(dir, 'missing.xml'))).err).toMatch(/no such file/);
  });
});

describe('custodia epcis validate', () => {
  it('exits 0 for a valid file and 1 when an event is invalid, naming the event and where', async () => {
    expect((await cli('epcis', 'validate', join(examples, 'epcisDocWithVariousEventTypes.xml'))).code).toBe(
      0,
    );
    const r = await cli('epcis', 'validate', invalidJson);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /ERROR event 1 at \/epcisBody\/eventList\/1\/bizStep: .*"transforming" is not a CBV 2\.0 bizStep/,
    );
    expect(r.out).toMatch(/2 event\(s\), 1 invalid/);
  });

  it('--json reports every issue with its position', async () => {
    const r = await cli('epcis', 'validate', invalidJson, '--json');
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ valid: false, events: 2, invalidEvents: 1 });
    expect(report.issues[0]).toMatchObject({
      index: 1,
      severity: 'error',
      code: 'unknown-vocabulary',
      where: '/epcisBody/eventList/1/bizStep',
    });
  });

  it('--tolerant accepts jumbled field order and unqualified query results and says so', async () => {
    const jumbled = fixture('openepcis', '2.0', 'EPCIS', 'XML', 'Query', 'JumbledFieldsOrder.xml');
    expect((await cli('epcis', 'validate', jumbled)).code).toBe(1);
    const r = await cli('epcis', 'validate', jumbled, '--tolerant');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/tolerated .*QueryResults/);
    expect(r.out).toMatch(
      /tolerated event 0 at line \d+, column \d+ \(eventTimeZoneOffset\): <eventTimeZoneOffset> comes after/,
    );
  });

  it('limits can be raised from the command line', async () => {
    const deep = join(dir, 'deep.xml');
    const ev = `<ObjectEvent><eventTime>2024-01-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList/><action>OBSERVE</action><x:a xmlns:x="urn:x">${'<x:a>'.repeat(70)}${'</x:a>'.repeat(70)}</x:a></ObjectEvent>`;
    writeFileSync(
      deep,
      `<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z"><EPCISBody><EventList>${ev}</EventList></EPCISBody></epcis:EPCISDocument>`,
    );
    const refused = await cli('epcis', 'validate', deep);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/--max-depth/);
    expect((await cli('epcis', 'validate', deep, '--max-depth', '100')).code).toBe(0);
  });
});

describe('custodia epcis convert', () => {
  it('writes JSON-LD and XML that read back with the same hashes', async () => {
    const src = fixture(
      'openepcis',
      '1.2',
      'EPCIS',
      'XML',
      'Capture',
      'Documents',
      'GS1_US_Pharma_Example_2_2_1_1.xml',
    );
    const original = hashes(await load(src));
    for (const to of ['jsonld', 'xml']) {
      const out = join(dir, `dscsa.${to}`);
      const r = await cli('epcis', 'convert', src, '--to', to, '--out', out);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(/wrote 8 event\(s\)/);
      const back = await load(out);
      expect(back.events.every((e) => e.event !== undefined)).toBe(true);
      expect(hashes(back)).toEqual(original);
      expect(back.document?.products.find((p) => p.ndc === '0001-0123-45')?.regulatedProductName).toBe(
        'Epcistra',
      );
      // the DSCSA transaction statement and the trading partners survive the conversion
      expect(back.document?.headerExtensions?.map((x) => x.name)).toEqual([
        'guidelineVersion',
        'dscsaTransactionStatement',
      ]);
      if (to === 'xml')
        expect(back.document?.sbdh?.sender[0]?.identifier).toBe('urn:epc:id:sgln:030001.111111.0');
      else expect(back.document?.sender).toBe('urn:epc:id:sgln:030001.111111.0');
    }
  });

  it('refuses to convert an invalid event and leaves no partial output', async () => {
    const out = join(dir, 'bad.jsonld');
    const r = await cli('epcis', 'convert', invalidJson, '--to', 'jsonld', '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/event 1 .* is invalid/);
    expect(existsSync(out)).toBe(false);
  });

  it('every valid corpus document converts both ways and keeps every event hash', async () => {
    const { writeJsonLd } = await import('../../src/core/epcis/write-jsonld');
    const { writeXml } = await import('../../src/core/epcis/write-xml');
    const files = [
      ...listFiles(fixture('openepcis', '2.0', 'EPCIS', 'XML', 'Capture', 'Documents')),
      ...listFiles(fixture('openepcis', '2.0', 'EPCIS', 'JSON', 'Capture', 'Documents')),
      ...listFiles(fixture('openepcis', '1.2')),
      ...listFiles(fixture('gs1', 'JSON')),
      ...listFiles(fixture('gs1', 'XML')).filter((f) => !f.includes('CaptureJob')),
      ...listFiles(fixture('ralphtro', 'examples')),
    ];
    let converted = 0;
    let events = 0;
    const failures: string[] = [];
    for (const file of files) {
      const loaded = await load(file, { tolerant: true });
      if (loaded.document === undefined || loaded.events.some((e) => e.event === undefined)) continue;
      const want = hashes(loaded);
      // extensions whose prefix the source never declared cannot be written as XML (see UnwritableError)
      const undeclared = loaded.events.some((e) =>
        e.issues.some((i) => /is not declared in @context/.test(i.message)),
      );
      for (const writer of undeclared ? [writeJsonLd] : [writeJsonLd, writeXml]) {
        let text = '';
        for await (const chunk of writer(
          loaded.document,
          (async function* () {
            yield* loaded.events.map((e) => e.event!);
          })(),
        ))
          text += chunk;
        const got = hashes(await load(text, { inline: true, tolerant: true }));
        if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(`${rel(file)} via ${writer.name}`);
      }
      converted++;
      events += want.length;
    }
    console.log(
      `corpus documents converted to JSON-LD and XML with every hash kept: ${converted - new Set(failures.map((f) => f.split(' via ')[0])).size}/${converted} (${events} events)`,
    );
    expect(failures).toEqual([]);
    // Exact counts, so a fixture folder that went missing or shrank cannot pass with nothing converted.
    expect({ files: files.length, converted, events }).toEqual({ files: 186, converted: 183, events: 299 });
  });
});
