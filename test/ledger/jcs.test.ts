import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalize, isCanonical, JcsError, parseStrict } from '../../src/core/ledger/jcs';

const FIX = path.join(__dirname, '../fixtures/ledger/jcs');

describe('RFC 8785 canonical JSON', () => {
  it('reproduces the 6 reference vectors byte for byte', () => {
    const names = fs.readdirSync(path.join(FIX, 'input')).filter((f) => f.endsWith('.json'));
    let passed = 0;
    for (const name of names) {
      const input = fs.readFileSync(path.join(FIX, 'input', name));
      const expected = fs.readFileSync(path.join(FIX, 'output', name));
      const actual = Buffer.from(canonicalize(parseStrict(input)), 'utf8');
      expect(actual.equals(expected), name).toBe(true);
      expect(isCanonical(expected), name).toBe(true);
      passed++;
    }
    console.log(`jcs vectors passed: ${passed}/${names.length}`);
    expect(passed).toBe(6);
  });

  it('serializes the ES6 number sample exactly (10,000 of the 100,000,000 upstream lines)', () => {
    const lines = fs
      .readFileSync(path.join(FIX, 'es6testfile-first10000.txt'), 'utf8')
      .split('\n')
      .filter(Boolean);
    const view = new DataView(new ArrayBuffer(8));
    let passed = 0;
    for (const line of lines) {
      const [hex, expected] = line.split(',') as [string, string];
      view.setBigUint64(0, BigInt('0x' + hex));
      const value = view.getFloat64(0);
      if (canonicalize(value) === expected) passed++;
      else expect(canonicalize(value), line).toBe(expected);
      // Parsing the canonical text must give the same double back.
      expect(Object.is(parseStrict(expected), value === 0 ? 0 : value), line).toBe(true);
    }
    console.log(`jcs es6 number lines passed: ${passed}/${lines.length}`);
    expect(passed).toBe(10_000);
  });

  it('rejects a lone surrogate, escaped or in a JS string', () => {
    for (const text of ['"\\uDEAD"', '{"a":"x\\uD800"}', '["\\uDC00\\uD800"]', '{"\\uDEAD":1}']) {
      expect(() => parseStrict(text), text).toThrow(expect.objectContaining({ reason: 'lone-surrogate' }));
    }
    expect(() => canonicalize({ a: 'ok\uD83D' })).toThrow(JcsError);
    expect(() => canonicalize({ ['\uDE00']: 1 })).toThrow(JcsError);
    // A correctly paired surrogate is fine and stays unescaped (RFC 8785 s3.2.2.2).
    expect(canonicalize(parseStrict('"\\uD83D\\uDE02"'))).toBe('"\u{1F602}"');
  });

  it('rejects invalid UTF-8', () => {
    const bad = [
      [0x22, 0xc3, 0x28, 0x22], // truncated 2-byte sequence
      [0x22, 0xed, 0xa0, 0x80, 0x22], // encoded surrogate D800
      [0x22, 0xc0, 0xaf, 0x22], // overlong "/"
      [0x22, 0xff, 0x22],
      [0xef, 0xbb, 0xbf, 0x31], // byte order mark is not JSON
    ];
    for (const bytes of bad) {
      expect(() => parseStrict(Uint8Array.from(bytes))).toThrow(JcsError);
    }
  });

  it('rejects duplicate keys, also when written differently', () => {
    expect(() => parseStrict('{"a":1,"a":2}')).toThrow(expect.objectContaining({ reason: 'duplicate-key' }));
    expect(() => parseStrict('{"a":1,"\\u0061":2}')).toThrow(
      expect.objectContaining({ reason: 'duplicate-key' }),
    );
    expect(() => parseStrict('{"x":{"__proto__":1,"__proto__":2}}')).toThrow(JcsError);
  });

  it('rejects values JSON cannot hold and malformed text', () => {
    for (const v of [NaN, Infinity, -Infinity, undefined, 1n, () => 1, new Date(0), { a: undefined }]) {
      expect(() => canonicalize(v)).toThrow(JcsError);
    }
    for (const text of [
      '1e400',
      '{"a":1,}',
      '[1,]',
      '01',
      '"a',
      "{'a':1}",
      '1 2',
      'nul',
      '"\t"',
      '+1',
      '.5',
    ]) {
      expect(() => parseStrict(text), text).toThrow(JcsError);
    }
  });

  it('keeps "__proto__" as data and sorts keys by UTF-16 code units', () => {
    const value = parseStrict('{"__proto__":{"b":1},"\u{1F602}":1,"\uFB33":2,"a":3}');
    expect(canonicalize(value)).toBe('{"__proto__":{"b":1},"a":3,"\u{1F602}":1,"\uFB33":2}');
    expect(canonicalize(-0)).toBe('0');
    expect(isCanonical(Buffer.from('{"a": 1}'))).toBe(false);
  });
});
