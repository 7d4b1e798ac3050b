import { describe, expect, it } from 'vitest';
import { canonicalize, canonicalizeReference, JcsError } from '../../src/core/ledger/jcs';
import { encodeLeaf } from '../../src/core/ledger/leaf';

/**
 * canonicalize() takes a fast path (string concatenation, no sort when keys come in order) for
 * the values every append writes; it must produce exactly the careful writer's text, and the
 * careful writer's error for anything refused.
 */
function random(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const STRINGS = ['', 'a', 'é', '\u6f22\u5b57', '\u{1f48a}', '\u2028', '"\\\n\t\u0001', '10', '9', 'B', 'a b'];
const NUMBERS = [0, -0, 1, -1, 1.5, 1e21, 1e-7, 5e-324, 2 ** 53, -(2 ** 53) + 1, 0.1 + 0.2, 123456789012];

function value(rnd: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const kind = depth > 3 ? Math.floor(rnd() * 4) : Math.floor(rnd() * 6);
  switch (kind) {
    case 0:
      return pick(STRINGS) + (rnd() < 0.5 ? String(Math.floor(rnd() * 100)) : '');
    case 1:
      return pick(NUMBERS);
    case 2:
      return rnd() < 0.5;
    case 3:
      return null;
    case 4:
      return Array.from({ length: Math.floor(rnd() * 4) }, () => value(rnd, depth + 1));
    default: {
      const object: Record<string, unknown> = rnd() < 0.2 ? Object.create(null) : {};
      const n = Math.floor(rnd() * 6);
      for (let i = 0; i < n; i++) object[pick(STRINGS) + pick(['', 'x', '1', 'Z'])] = value(rnd, depth + 1);
      return object;
    }
  }
}

describe('RFC 8785 fast path', () => {
  it('writes exactly what the careful writer writes, for 5000 random values', () => {
    const rnd = random(20240611);
    for (let i = 0; i < 5000; i++) {
      const v = value(rnd, 0);
      expect(canonicalize(v)).toBe(canonicalizeReference(v));
    }
    console.log('jcs fast path equal to the careful writer: 5000/5000');
  });

  it('builds leaf envelopes exactly as the careful writer canonicalizes them, for 2000 random payloads', () => {
    const rnd = random(7);
    for (let i = 0; i < 2000; i++) {
      const envelope = {
        version: 1 as const,
        seq: Math.floor(rnd() * 2 ** 40),
        type: 'test.event-kind',
        time: Math.floor(rnd() * 2 ** 45) - 2 ** 44,
        actor: STRINGS[i % STRINGS.length] || 'system',
        payload: value(rnd, 0),
      };
      expect(encodeLeaf(envelope).toString('utf8')).toBe(canonicalizeReference(envelope));
    }
    expect(() =>
      encodeLeaf({ version: 1, seq: 0, type: 'a.b', time: 0, actor: 'x', payload: { k: '\ud800' } }),
    ).toThrow('$.payload.k contains a lone UTF-16 surrogate');
    console.log('leaf envelopes equal to the careful writer: 2000/2000');
  });

  it("refuses with the careful writer's error", () => {
    const bad: unknown[] = [
      { a: 1, b: { c: '\ud800' } },
      { '\udc00': 1 },
      [1, Number.NaN],
      { a: undefined },
      { d: new Date(0) },
      [() => 1],
      { n: 10n },
    ];
    for (const v of bad) {
      let fast: unknown;
      let careful: unknown;
      try {
        canonicalize(v);
      } catch (error) {
        fast = error;
      }
      try {
        canonicalizeReference(v);
      } catch (error) {
        careful = error;
      }
      expect(fast).toBeInstanceOf(JcsError);
      expect((fast as JcsError).message).toBe((careful as JcsError).message);
    }
  });
});
