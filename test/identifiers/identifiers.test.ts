import { describe, expect, it } from 'vitest';
import {
  canonicalIdentifier,
  digitalLinkToEpcUrn,
  epcUrnToDigitalLink,
  gs1CheckDigit,
  gs1DateToIso,
  gtinToNdcCandidates,
  ndc11Candidates,
  ndcToGtin14,
  parseAnyIdentifier,
  parseBracketedElementString,
  parseDeaNumber,
  parseGln,
  parseGtin,
  parseNdc,
  parseNpi,
  parseScanData,
  parseSscc,
} from '../../src/core/identifiers';

const GS = '\u001d';

describe('worked examples from reg-formats §6', () => {
  it('DEA registration number check digit and registrant letter', () => {
    const dea = parseDeaNumber('AB1234563');
    expect(dea).toMatchObject({ ok: true, value: { value: 'AB1234563', registrantTypeLetter: 'A' } });
    const bad = parseDeaNumber('AB1234564');
    expect(bad).toMatchObject({ ok: false, error: { rule: 'check-digit', position: 8 } });
    expect(parseDeaNumber('A91234563').ok).toBe(true); // "9" for a business-address registrant
    expect(parseDeaNumber('AB12345X3')).toMatchObject({
      ok: false,
      error: { rule: 'non-digit', position: 7 },
    });
  });

  it('NPI Luhn with the 80840 prefix', () => {
    expect(parseNpi('1234567893')).toEqual({ ok: true, value: '1234567893' });
    expect(parseNpi('1234567890')).toMatchObject({ ok: false, error: { rule: 'check-digit', position: 9 } });
    expect(parseNpi('3234567893')).toMatchObject({
      ok: false,
      error: { rule: 'npi-first-digit', position: 0 },
    });
  });

  it('NDC 10-digit configurations to 11-digit 5-4-2', () => {
    expect(parseNdc('0002-7597-01')).toMatchObject({
      ok: true,
      value: { configuration: '4-4-2', ndc11: '00002-7597-01' },
    });
    expect(parseNdc('50242-040-62')).toMatchObject({
      ok: true,
      value: { configuration: '5-3-2', ndc11: '50242-0040-62' },
    });
    expect(parseNdc('60575-4112-1')).toMatchObject({
      ok: true,
      value: { configuration: '5-4-1', ndc11: '60575-4112-01' },
    });
    expect(parseNdc('0002759701')).toMatchObject({ ok: false, error: { rule: 'ndc-format' } });
    expect(parseNdc('0002-75X7-01')).toMatchObject({
      ok: false,
      error: { rule: 'ndc-character', position: 7 },
    });
  });

  it('NDC to and from GTIN-14 with the 03 prefix; the reverse returns every configuration', () => {
    const ndc = parseNdc('0002-7597-01');
    if (!ndc.ok) throw new Error('parse');
    expect(ndcToGtin14(ndc.value)).toEqual({ ok: true, value: '00300027597010' });
    expect(ndcToGtin14(ndc.value, 1)).toMatchObject({
      ok: true,
      value: expect.stringMatching(/^10300027597\d{3}$/),
    });
    const back = gtinToNdcCandidates('00300027597010');
    expect(back.ok && back.value.map((n) => n.ndc10)).toEqual([
      '0002-7597-01',
      '00027-597-01',
      '00027-5970-1',
    ]);
    // GS1 US EPCIS example: NDC 0001-0123-45 is GTIN 00300010123455.
    const us = parseNdc('0001-0123-45');
    expect(us.ok && ndcToGtin14(us.value)).toEqual({ ok: true, value: '00300010123455' });
    expect(gtinToNdcCandidates('09506000134352')).toMatchObject({
      ok: false,
      error: { rule: 'not-ndc-gtin' },
    });
    // An 11-digit NDC with two zero-led segments has two possible 10-digit sources.
    expect(ndc11Candidates('00002759701').map((n) => n.ndc10)).toEqual(['0002-7597-01', '00002-7597-1']);
    expect(ndc11Candidates('50242004062').map((n) => n.ndc10)).toEqual(['50242-040-62']);
  });

  it('GS1 mod-10 check digit', () => {
    expect(gs1CheckDigit('629104150021')).toBe(3);
    expect(parseGtin('00300027597010')).toMatchObject({
      ok: true,
      value: { gtin14: '00300027597010', format: 14 },
    });
    expect(parseGtin('95012345678903').ok).toBe(true);
    expect(parseGtin('02345673')).toMatchObject({ ok: true, value: { gtin14: '00000002345673', format: 8 } });
    expect(parseGln('4012345000115').ok).toBe(true);
    expect(parseSscc('106141412345678908').ok).toBe(true);
  });
});

describe('precise errors', () => {
  it('wrong check digit names the position', () => {
    expect(parseGtin('00300027597011')).toMatchObject({
      ok: false,
      error: { rule: 'check-digit', position: 13 },
    });
    const r = parseBracketedElementString('(01)00300027597011(21)A');
    expect(r).toMatchObject({ ok: false, error: { rule: 'check-digit', position: 17 } });
  });

  it('bad character', () => {
    expect(parseGtin('0030002759701X')).toMatchObject({
      ok: false,
      error: { rule: 'non-digit', position: 13 },
    });
    const serial = parseBracketedElementString('(01)00300027597010(21)AB~C');
    expect(serial).toMatchObject({ ok: false, error: { rule: 'cset82', position: 24 } });
    expect(epcUrnToDigitalLink('urn:epc:id:sgtin:0614141.107346.20/17')).toMatchObject({
      ok: false,
      error: { rule: 'urn-character', position: 34 },
    });
  });

  it('wrong length', () => {
    expect(parseGtin('003000275970')).toMatchObject({ ok: false, error: { rule: 'check-digit' } }); // 12 digits: a GTIN-12 with a bad check digit
    expect(parseSscc('10614141234567890')).toMatchObject({ ok: false, error: { rule: 'length' } });
    expect(parseBracketedElementString('(01)0030002759701')).toMatchObject({
      ok: false,
      error: { rule: 'too-short' },
    });
    expect(parseBracketedElementString('(10)ABCDEFGHIJKLMNOPQRSTU')).toMatchObject({
      ok: false,
      error: { rule: 'too-long', position: 24 },
    });
  });

  it('unknown AI', () => {
    expect(parseBracketedElementString('(89)ABC')).toMatchObject({
      ok: false,
      error: { rule: 'unknown-ai', position: 1 },
    });
    expect(parseScanData(`]d20100300027597010891234`)).toMatchObject({
      ok: false,
      error: { rule: 'unknown-ai', position: 19 },
    });
  });

  it('bad dates: month 13, 31 April, 29 February outside a leap year; day 00 is the end of the month', () => {
    expect(parseBracketedElementString('(01)00300027597010(17)271301')).toMatchObject({
      ok: false,
      error: { rule: 'bad-date', position: 24 },
    });
    expect(parseBracketedElementString('(01)00300027597010(17)270431')).toMatchObject({
      ok: false,
      error: { rule: 'bad-date', position: 26 },
    });
    expect(parseBracketedElementString('(01)00300027597010(11)270229').ok).toBe(false);
    expect(parseBracketedElementString('(01)00300027597010(11)280229').ok).toBe(true);
    expect(parseBracketedElementString('(01)00300027597010(17)270200').ok).toBe(true);
    expect(gs1DateToIso('270200', new Date('2026-01-01'))).toBe('2027-02-28');
    expect(gs1DateToIso('280200', new Date('2026-01-01'))).toBe('2028-02-29');
    expect(parseBracketedElementString('(01)00300027597010(15)270200').ok).toBe(true);
    expect(parseBracketedElementString('(01)00300027597010(7003)2702281260').ok).toBe(false);
  });

  it('never throws on hostile input', () => {
    for (const text of [
      '',
      ']',
      '(',
      '((((',
      'urn:epc:id:',
      'https://',
      '\u0000',
      '\u001d\u001d',
      'x'.repeat(10000),
      '%',
      '(01)\\(',
    ]) {
      expect(() => parseAnyIdentifier(text)).not.toThrow();
      expect(parseAnyIdentifier(text).ok).toBe(false);
    }
  });
});

describe('product identifier from every format', () => {
  const expected = { gtin: '00300027597010', serial: 'XYZ987', lot: 'ABC123', expiry: '2027-12-31' };
  it.each([
    ['GS1 DataMatrix scan', `]d201003000275970101727123110ABC123${GS}21XYZ987`],
    ['GS1 QR scan', `]Q301003000275970101727123110ABC123${GS}21XYZ987`],
    ['GS1-128 scan', `]C101003000275970101727123110ABC123${GS}21XYZ987`],
    ['raw scan without symbology identifier', `${GS}01003000275970101727123110ABC123${GS}21XYZ987`],
    ['bracketed element string', '(01)00300027597010(17)271231(10)ABC123(21)XYZ987'],
    ['Digital Link', 'https://id.gs1.org/01/00300027597010/10/ABC123/21/XYZ987?17=271231'],
    ['Digital Link in a QR code', ']Q1https://example.com/01/00300027597010/10/ABC123/21/XYZ987?17=271231'],
  ])('%s', (_name, text) => {
    const r = parseAnyIdentifier(text, { now: new Date('2026-01-01') });
    expect(r).toMatchObject({ ok: true, value: expected });
  });

  it('EPC URN gives GTIN + serial and the canonical Digital Link', () => {
    const r = parseAnyIdentifier('urn:epc:id:sgtin:030002.0759701.XYZ987');
    expect(r).toMatchObject({
      ok: true,
      value: {
        kind: 'epc-urn',
        gtin: '00300027597010',
        serial: 'XYZ987',
        digitalLink: 'https://id.gs1.org/01/00300027597010/21/XYZ987',
      },
    });
    expect(
      parseAnyIdentifier(`]d20100300027597010${GS}21XYZ987`.replace(GS, ''), { gcpLength: 6 }),
    ).toMatchObject({
      ok: true,
      value: { epcUri: 'urn:epc:id:sgtin:030002.0759701.XYZ987' },
    });
  });

  it('SSCC, NDC, DEA and NPI', () => {
    expect(parseAnyIdentifier('106141412345678908')).toMatchObject({
      ok: true,
      value: { kind: 'sscc', sscc: '106141412345678908' },
    });
    expect(parseAnyIdentifier('0002-7597-01')).toMatchObject({
      ok: true,
      value: { kind: 'ndc', gtin: '00300027597010' },
    });
    expect(parseAnyIdentifier('AB1234563')).toMatchObject({ ok: true, value: { kind: 'dea' } });
    expect(parseAnyIdentifier('1234567893')).toMatchObject({ ok: true, value: { kind: 'npi' } });
  });
});

describe('EPC URN <-> Digital Link for the event hash (research §10 rule 9)', () => {
  it.each([
    ['urn:epc:id:sgtin:0614141.107346.2017', 'https://id.gs1.org/01/10614141073464/21/2017'],
    ['urn:epc:id:sscc:0614141.1234567890', 'https://id.gs1.org/00/106141412345678908'],
    ['urn:epc:id:sgln:4012345.00011.0', 'https://id.gs1.org/414/4012345000115'],
    ['urn:epc:id:sgln:0012345.11111.400', 'https://id.gs1.org/414/0012345111112/254/400'],
    ['urn:epc:class:lgtin:4012345.012345.998877', 'https://id.gs1.org/01/04012345123456/10/998877'],
    ['urn:epc:idpat:sgtin:030001.0012345.*', 'https://id.gs1.org/01/00300010123455'],
    ['urn:epc:id:sgtin:0614141.812345.6789%2F%26', 'https://id.gs1.org/01/80614141123458/21/6789%2F%26'],
  ])('%s', (urn, dl) => {
    expect(epcUrnToDigitalLink(urn)).toEqual({ ok: true, value: dl });
    expect(canonicalIdentifier(urn)).toBe(dl);
    const gcpLength = urn.split(':')[4]!.split('.')[0]!.length;
    expect(digitalLinkToEpcUrn(dl, { gcpLength })).toEqual({ ok: true, value: urn });
  });

  it('canonicalises Digital Links and leaves other identifiers alone', () => {
    expect(
      canonicalIdentifier('https://example.com/shop/01/10614141073464/22/X/10/L1/21/2017?17=271231'),
    ).toBe('https://id.gs1.org/01/10614141073464/21/2017');
    expect(canonicalIdentifier('urn:epc:id:sgln:4012345.00011.987')).toBe(
      'https://id.gs1.org/414/4012345000115/254/987',
    );
    expect(canonicalIdentifier('urn:example:location:warehouse-7')).toBe('urn:example:location:warehouse-7');
    expect(canonicalIdentifier('urn:epc:id:sgtin:bad')).toBe('urn:epc:id:sgtin:bad');
  });

  it('a DL without a GCP length is refused rather than split by guess', () => {
    expect(digitalLinkToEpcUrn('https://id.gs1.org/01/10614141073464/21/2017')).toMatchObject({
      ok: false,
      error: { rule: 'gcp-length-unknown' },
    });
    expect(
      digitalLinkToEpcUrn('https://id.gs1.org/01/10614141073464/21/2017', {
        gcpLengthOf: (d) => (d.startsWith('0614141') ? 7 : undefined),
      }),
    ).toEqual({ ok: true, value: 'urn:epc:id:sgtin:0614141.107346.2017' });
  });
});
