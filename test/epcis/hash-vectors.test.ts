import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventHash, hashTime, preHashString } from '../../src/core/epcis/hash';
import type { EpcisEvent } from '../../src/core/epcis/model';
import { fixture, hashes, listFiles, load, rel } from './helpers';

const examples = fixture('ralphtro', 'examples');
const vectorInputs = listFiles(examples).filter((f) =>
  existsSync(f.replace(/\.(xml|jsonld|json)$/, '.hashes')),
);

describe('official CBV 2.0 event-hash vectors (RalphTro reference implementation)', () => {
  it('every .hashes file is reproduced in --reference-order mode', async () => {
    const failures: string[] = [];
    let vectors = 0;
    for (const file of vectorInputs) {
      const expected = readFileSync(file.replace(/\.(xml|jsonld|json)$/, '.hashes'), 'utf8')
        .split('\n')
        .filter(Boolean);
      vectors += expected.length;
      const got = hashes(await load(file, { tolerant: true }), 'reference');
      if (JSON.stringify(got) !== JSON.stringify(expected)) failures.push(rel(file));
    }
    console.log(
      `official hash vector files passed (reference order): ${vectorInputs.length - failures.length}/${vectorInputs.length}`,
    );
    expect(failures).toEqual([]);
    // Exact counts (files, hash lines), so a missing or emptied vector file cannot pass.
    expect({ files: vectorInputs.length, vectors }).toEqual({ files: 39, vectors: 89 });
  });

  it('reproduces the worked example pre-hash string of the README (§10.4)', async () => {
    const loaded = await load(fixture('ralphtro', 'examples', 'ReferenceEventHashAlgorithm.xml'));
    const event = loaded.events[0]!.candidate as EpcisEvent;
    const expectedPreHash = readFileSync(
      fixture('ralphtro', 'examples', 'ReferenceEventHashAlgorithm.prehashes'),
      'utf8',
    ).trim();
    expect(preHashString(event, { order: 'reference' })).toBe(expectedPreHash);
    expect(eventHash(event).eventHashId).toBe(
      'ni:///sha-256;6ae96341e0acc6d7a261364751f60e68278a81cdf51da0abb6b4e617014e39d7?ver=CBV2.0',
    );
  });

  it('gives pairwise distinct hashes over all top-level XML examples (upstream test_distinct)', async () => {
    const all: string[] = [];
    const files = listFiles(examples, /\.xml$/);
    for (const file of files) all.push(...hashes(await load(file, { tolerant: true }), 'reference'));
    expect(new Set(all).size).toBe(all.length);
    expect({ files: files.length, events: all.length }).toEqual({ files: 17, events: 46 });
  });

  it('expected_equal: every event inside one file has one hash, in both orders', async () => {
    const files = listFiles(fixture('ralphtro', 'expected_equal'));
    let passed = 0;
    for (const file of files) {
      const loaded = await load(file, { tolerant: true });
      expect(loaded.events.length, rel(file)).toBeGreaterThan(1);
      for (const order of ['reference', 'published'] as const) {
        expect(new Set(hashes(loaded, order)).size, `${rel(file)} (${order})`).toBe(1);
      }
      passed++;
    }
    console.log(`expected_equal files with one distinct hash: ${passed}/${files.length}`);
    expect({ files: files.length, passed }).toEqual({ files: 11, passed: 11 });
  });

  it('GS1 WithEventHashID: 1 = 3 = 4 = 5, and 2 differs because its offset differs (§11)', async () => {
    const h = async (n: number, order: 'published' | 'reference') => {
      const ext = n === 7 ? 'json' : 'xml';
      return hashes(
        await load(fixture('gs1', 'XML', 'WithEventHashID', `event_with_identical_hash_id_${n}.${ext}`), {
          tolerant: true,
        }),
        order,
      )[0];
    };
    for (const order of ['published', 'reference'] as const) {
      const base = await h(1, order);
      expect(await h(3, order)).toBe(base);
      expect(await h(4, order)).toBe(base);
      expect(await h(5, order)).toBe(base);
      expect(await h(2, order)).not.toBe(base);
    }
    // 6 adds xsi:type to extension elements: the reference hashes those attributes, the published
    // order does not (schema typing is not event data).
    expect(await h(6, 'reference')).not.toBe(await h(1, 'reference'));
    expect(await h(6, 'published')).toBe(await h(1, 'published'));
  });

  it('rounds sub-millisecond time half-up (published) and half-to-even (reference)', () => {
    expect(hashTime('2020-01-01T00:00:00.1415Z', 'published')).toBe('2020-01-01T00:00:00.142Z');
    expect(hashTime('2020-01-01T00:00:00.1425Z', 'published')).toBe('2020-01-01T00:00:00.143Z');
    expect(hashTime('2020-01-01T00:00:00.1425Z', 'reference')).toBe('2020-01-01T00:00:00.142Z');
    expect(hashTime('2020-01-01T00:00:00.1414Z', 'reference')).toBe('2020-01-01T00:00:00.141Z');
    expect(hashTime('2020-12-31T23:59:59.9996Z', 'published')).toBe('2021-01-01T00:00:00.000Z');
  });

  it('lists where the published order and the reference implementation disagree on the official vectors', async () => {
    const differing: string[] = [];
    for (const file of vectorInputs) {
      const loaded = await load(file, { tolerant: true });
      const ref = hashes(loaded, 'reference');
      const pub = hashes(loaded, 'published');
      ref.forEach((r, i) => {
        if (r !== pub[i]) differing.push(`${rel(file)}#${i}`);
      });
    }
    console.log(
      `events whose published-order hash differs from the reference: ${differing.length}\n  ${differing.join('\n  ')}`,
    );
    // ReferenceEventHashAlgorithm3 has source + destination + bizTransaction: the orders must differ there
    expect(differing).toContain('ralphtro/examples/ReferenceEventHashAlgorithm3.xml#0');
    expect({ files: vectorInputs.length, differing: differing.length }).toEqual({ files: 39, differing: 20 });
  });
});
