import { describe, expect, it } from 'vitest';
import { gs1CheckDigit } from '../../src/core/identifiers';
import {
  canonicalIdentifierGeneral,
  canonicalIdentifierResult,
  epcUrnToDigitalLink,
  epcUrnToDigitalLinkGeneral,
} from '../../src/core/identifiers/epc-digital-link';
import { fastCanonicalDigitalLink, fastEpcUrnToDigitalLink } from '../../src/core/identifiers/epc-fast-path';

/** Small seeded PRNG (mulberry32) so a failure names a reproducible input. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = random(20261122);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
// Plain characters, URN escapes, characters that need escaping somewhere, and ones never allowed.
const PIECES = [
  'A',
  'z',
  '7',
  '-',
  '.',
  '_',
  "'",
  '%27',
  '%2F',
  '%2f',
  '/',
  '%',
  '%20',
  '~',
  ' ',
  'é',
  '!',
  '*',
  '"',
];
const value = (): string => {
  const n = pick([0, 1, 2, 5, 10, 19, 20, 21, 24]);
  const odd = rnd() < 0.5 ? 0 : 0.2;
  let out = '';
  for (let i = 0; i < n; i++) out += rnd() >= odd ? pick(['A', 'b', '9', '0', '.', '-', '_']) : pick(PIECES);
  return out;
};

function randomUrn(): string {
  const scheme = pick([
    'urn:epc:id:sgtin:',
    'urn:epc:class:lgtin:',
    'urn:epc:id:sscc:',
    'urn:epc:id:sgln:',
    'URN:EPC:ID:sgtin:',
    'urn:epc:id:SGTIN:',
    'urn:epc:idpat:sgtin:',
    'urn:epc:id:giai:',
  ]);
  const gcp = digits(pick([4, 5, 6, 7, 9, 12, 13]));
  const total = scheme.includes('sscc') ? 17 : scheme.includes('sgln') ? 12 : 13;
  const refLength = Math.max(0, total - gcp.length + pick([0, 0, 0, -1, 1]));
  let ref = digits(refLength);
  if (rnd() < 0.05) ref = ref.slice(0, -1) + 'X';
  const body = rnd() < 0.05 ? `${gcp}${ref}` : `${gcp}.${ref}`;
  return scheme.includes('sscc') && rnd() < 0.9 ? `urn:epc:id:sscc:${body}` : `${scheme}${body}.${value()}`;
}

function randomLink(): string {
  const [ai, length] = pick([
    ['01', 14],
    ['00', 18],
    ['414', 13],
    ['01', 13],
    ['8004', 10],
  ] as const);
  let key = digits(length - 1);
  key += rnd() < 0.85 ? gs1CheckDigit(key) : (gs1CheckDigit(key) + 1) % 10;
  const stem = pick([
    'https://id.gs1.org',
    'https://id.gs1.org',
    'https://example.com/x',
    'http://id.gs1.org',
  ]);
  const qualifier = pick(['', '', '/21/', '/10/', '/254/', '/22/', '/235/', '/21/S/10/']);
  const tail = qualifier === '' ? '' : qualifier + value();
  return stem + `/${ai}/${key}` + tail + pick(['', '', '', '?17=271231', '#x', '/']);
}

describe('the fast paths agree with the general conversion', () => {
  it('EPC URN -> Digital Link, strict and tolerant, on random well-formed and broken URNs', () => {
    let fast = 0;
    const count = 20000;
    for (let i = 0; i < count; i++) {
      const urn = randomUrn();
      if (fastEpcUrnToDigitalLink(urn) !== undefined) fast++;
      for (const tolerant of [false, true]) {
        expect({ urn, tolerant, r: epcUrnToDigitalLink(urn, { tolerant }) }).toEqual({
          urn,
          tolerant,
          r: epcUrnToDigitalLinkGeneral(urn, { tolerant }),
        });
      }
    }
    console.log(`fast URN path agreed with the general conversion on ${count} random URNs (${fast} took it)`);
    expect(fast).toBeGreaterThan(count / 40);
  });

  it('canonical Digital Link, on random canonical and non-canonical links', () => {
    let fast = 0;
    const count = 20000;
    for (let i = 0; i < count; i++) {
      const link = randomLink();
      if (fastCanonicalDigitalLink(link) !== undefined) fast++;
      expect({ link, r: canonicalIdentifierResult(link) }).toEqual({
        link,
        r: canonicalIdentifierGeneral(link),
      });
    }
    console.log(
      `fast canonical-DL path agreed with the general conversion on ${count} random links (${fast} took it)`,
    );
    expect(fast).toBeGreaterThan(count / 40);
  });

  it('the DSCSA shapes take the fast path', () => {
    for (const urn of [
      'urn:epc:id:sgtin:0614141.107346.2017',
      'urn:epc:id:sscc:0614141.1234567890',
      'urn:epc:id:sgln:4012345.00011.0',
      'urn:epc:id:sgln:123456789012..0',
      'urn:epc:class:lgtin:4012345.012345.998877',
    ]) {
      expect(fastEpcUrnToDigitalLink(urn)).toEqual(
        (epcUrnToDigitalLinkGeneral(urn) as { value: string }).value,
      );
    }
    // Escapes, an apostrophe, a wrong length: left to the general conversion.
    expect(fastEpcUrnToDigitalLink("urn:epc:id:sgtin:0614141.107346.O'Brien")).toBeUndefined();
    expect(fastEpcUrnToDigitalLink('urn:epc:id:sgtin:0614141.107346.A%2FB')).toBeUndefined();
    expect(fastEpcUrnToDigitalLink('urn:epc:id:sgtin:0614141.107346.' + 'X'.repeat(21))).toBeUndefined();
  });
});
