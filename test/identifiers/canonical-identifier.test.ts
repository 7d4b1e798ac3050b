import { describe, expect, it } from 'vitest';
import {
  canonicalIdentifier,
  canonicalIdentifierResult,
  digitalLinkToEpcUrn,
  epcUrnToDigitalLink,
  parseAnyIdentifier,
  parseDigitalLink,
} from '../../src/core/identifiers';
import { canonicalId } from '../../src/core/epcis/identifier-form';

describe('Digital Link 1.x short names are read; the canonical form keeps numeric AIs', () => {
  it.each([
    ['https://example.com/gtin/10614141073464/ser/2017', 'https://id.gs1.org/01/10614141073464/21/2017'],
    ['https://id.gs1.org/gtin/09780345418913', 'https://id.gs1.org/01/09780345418913'],
    [
      'https://example.com/gtin/09780345418913/21/765tz?abc=211121',
      'https://id.gs1.org/01/09780345418913/21/765tz',
    ],
    [
      'https://example.com/shop/gtin/10614141073464/lot/L1/ser/X9?17=271231',
      'https://id.gs1.org/01/10614141073464/21/X9',
    ],
    ['https://example.com/gtin/10614141073464/cpv/A/lot/L1', 'https://id.gs1.org/01/10614141073464/10/L1'],
    ['https://example.com/sscc/106141412345678908', 'https://id.gs1.org/00/106141412345678908'],
    ['https://example.com/gln/4012345000115/glnx/400', 'https://id.gs1.org/414/4012345000115/254/400'],
    ['https://example.com/party/4000001000005', 'https://id.gs1.org/417/4000001000005'],
    ['https://id.gs1.org/giai/4000001111', 'https://id.gs1.org/8004/4000001111'],
    [
      'https://example.com/itip/040123451111180102/ser/987',
      'https://id.gs1.org/8006/040123451111180102/21/987',
    ],
    [
      'https://example.com/cpid/0614141111111111-A/cpsn/1234',
      'https://id.gs1.org/8010/0614141111111111-A/8011/1234',
    ],
  ])('%s', (input, canonical) => {
    expect(canonicalIdentifierResult(input)).toEqual({ ok: true, value: canonical });
    expect(canonicalIdentifier(input)).toBe(canonical);
    expect(canonicalId(input)).toEqual({ value: canonical });
  });

  it('parseDigitalLink reads short names only when asked, and knows no short name for (235)', () => {
    const link = 'https://example.com/gtin/10614141073464/ser/2017';
    expect(parseDigitalLink(link)).toMatchObject({ ok: false, error: { rule: 'dl-no-key' } });
    expect(parseDigitalLink(link, { permitConvenienceAlphas: true })).toMatchObject({
      ok: true,
      value: { primaryKey: { ai: '01' }, qualifiers: [{ ai: '21', value: '2017' }] },
    });
    expect(
      parseDigitalLink('https://example.com/gtin/10614141073464/tpx/ABC', { permitConvenienceAlphas: true })
        .ok,
    ).toBe(false);
  });
});

describe('gs1 parse reads short-name Digital Links and answers with numeric AIs', () => {
  it.each([
    ['https://example.com/gtin/00300027597010/lot/ABC123/ser/XYZ987?17=271231', 'digital-link'],
    [']Q1https://example.com/gtin/00300027597010/lot/ABC123/ser/XYZ987?17=271231', 'scan'],
  ])('%s', (text, kind) => {
    expect(parseAnyIdentifier(text, { now: new Date('2026-01-01') })).toMatchObject({
      ok: true,
      value: {
        kind,
        gtin: '00300027597010',
        lot: 'ABC123',
        serial: 'XYZ987',
        expiry: '2027-12-31',
        digitalLink: 'https://example.com/01/00300027597010/10/ABC123/21/XYZ987?17=271231',
      },
    });
  });
});

describe('canonicalIdentifierResult: the canonical form, the text unchanged, or why not', () => {
  it('a GS1 key that cannot be read fails with the rule and the position in the original text', () => {
    const link = 'https://example.com/gtin/10614141073465/ser/2017';
    const r = canonicalIdentifierResult(link);
    expect(r).toMatchObject({
      ok: false,
      error: { rule: 'check-digit', position: 'https://example.com/gtin/'.length + 13 },
    });
    expect(canonicalIdentifier(link)).toBe(link);
    expect(canonicalId(link)).toEqual({ value: link, error: !r.ok && r.error.message });
    expect(canonicalIdentifierResult('urn:epc:id:sgtin:0614141.107346.20/17')).toMatchObject({
      ok: false,
      error: { rule: 'urn-character', position: 34 },
    });
    expect(canonicalIdentifierResult('  urn:epc:id:sgtin:0614141.107346.20/17')).toMatchObject({
      ok: false,
      error: { rule: 'urn-character', position: 36 },
    });
    expect(canonicalIdentifierResult('urn:epc:idpat:sscc:0614141.*')).toMatchObject({
      ok: false,
      error: { rule: 'urn-scheme' },
    });
    // canonicalIdentifier reads URNs tolerantly: the raw "/" is taken as meant.
    expect(canonicalIdentifier('urn:epc:id:sgtin:0614141.107346.20/17')).toBe(
      'https://id.gs1.org/01/10614141073464/21/20%2F17',
    );
  });

  it('anything that is not a GS1 key comes back unchanged, without an error', () => {
    for (const text of [
      'urn:epcglobal:cbv:bizstep:shipping',
      'urn:epc:id:gid:95100000.12345.400',
      'urn:epc:id:bic:CSQU3054383',
      'urn:example:location:warehouse-7',
      'https://example.com/about',
      'https://example.com/8013/MODEL-1',
      'plain text',
      '',
    ]) {
      expect(canonicalIdentifierResult(text)).toEqual({ ok: true, value: text });
      expect(canonicalId(text)).toEqual({ value: text.trim() });
    }
  });
});

describe('an apostrophe is %27 in a Digital Link and raw in an EPC URN (DL 1.x ABNF; TDS 2.x §6)', () => {
  const dl = 'https://id.gs1.org/01/10614141073464/21/O%27Brien';
  it('from a URN with a raw apostrophe or its escape', () => {
    expect(epcUrnToDigitalLink("urn:epc:id:sgtin:0614141.107346.O'Brien")).toEqual({ ok: true, value: dl });
    expect(epcUrnToDigitalLink('urn:epc:id:sgtin:0614141.107346.O%27Brien')).toEqual({ ok: true, value: dl });
  });
  it('from a Digital Link that carries it raw (RFC 3986 sub-delim) and back to the URN', () => {
    expect(canonicalIdentifierResult("https://example.com/01/10614141073464/21/O'Brien")).toEqual({
      ok: true,
      value: dl,
    });
    expect(digitalLinkToEpcUrn(dl, { gcpLength: 7 })).toEqual({
      ok: true,
      value: "urn:epc:id:sgtin:0614141.107346.O'Brien",
    });
  });
});

describe('URN escapes (TDS 2.x §6: "%" hex hex standing for a character of GS1 set 82)', () => {
  it('any escaped set-82 character is read, lower-case hex too', () => {
    expect(epcUrnToDigitalLink('urn:epc:id:sgtin:0614141.107346.A%21%2fB')).toEqual({
      ok: true,
      value: 'https://id.gs1.org/01/10614141073464/21/A%21%2FB',
    });
  });
  it('an escape of a character outside set 82, or a bare "%", is refused at the "%"', () => {
    const space = epcUrnToDigitalLink('urn:epc:id:sgtin:0614141.107346.A%20B');
    expect(space).toMatchObject({ ok: false, error: { rule: 'urn-escape', position: 33 } });
    expect(!space.ok && space.error.message).toMatch(
      /%20 .*stands for " ", which is not in GS1 character set 82/,
    );
    expect(epcUrnToDigitalLink('urn:epc:id:sgtin:0614141.107346.A%2')).toMatchObject({
      ok: false,
      error: { rule: 'urn-escape', position: 33 },
    });
    expect(epcUrnToDigitalLink('urn:epc:id:cpi:0614141.A%21B.5')).toMatchObject({
      ok: false,
      error: { rule: 'urn-escape' },
    });
  });
});
