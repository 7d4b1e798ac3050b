import { describe, expect, it } from 'vitest';
import { parseDigitalLink } from '../../src/core/identifiers/digital-link';
import { parseAnyIdentifier } from '../../src/core/identifiers';

/**
 * GS1 Digital Link URI Syntax, the rules themselves (issue 18), beside the syntax engine's own cases
 * (gs1-syntax-engine.test.ts): the primary key and its key qualifiers in the path, in the order the
 * Syntax Dictionary's dlpkey lines give; data attributes only in the query; no AI twice; a numeric
 * query key must be a GS1 AI; other applications' parameters ignored; zero-suppressed GTINs only by
 * option, scans included.
 */
const GTIN = '09520123456788';
const rule = (uri: string, options = {}) => {
  const r = parseDigitalLink(uri, options);
  return r.ok ? 'ok' : r.error.rule;
};

describe('GS1 Digital Link rules (issue 18)', () => {
  it('refuses a key qualifier in the query string, whichever qualifier and key', () => {
    expect(rule(`https://id.gs1.org/01/${GTIN}?21=12345`)).toBe('dl-qualifier-in-query');
    expect(rule(`https://id.gs1.org/01/${GTIN}?10=ABC`)).toBe('dl-qualifier-in-query');
    expect(rule(`https://id.gs1.org/01/${GTIN}?22=V1`)).toBe('dl-qualifier-in-query');
    expect(rule(`https://id.gs1.org/01/${GTIN}/10/ABC?21=12345`)).toBe('dl-qualifier-in-query');
    expect(rule('https://id.gs1.org/414/9520123456788?254=1')).toBe('dl-qualifier-in-query');
    const said = parseDigitalLink(`https://id.gs1.org/01/${GTIN}?21=12345`);
    expect(said.ok ? '' : said.error.message).toContain('goes in the path');
    // The path's qualifiers choose the sequence: after /235/, (10) is no qualifier and may be an attribute.
    expect(rule(`https://id.gs1.org/01/${GTIN}/235/XYZ?10=ABC123`)).toBe('ok');
    expect(rule(`https://id.gs1.org/01/${GTIN}/10/ABC/21/12345?17=261231`)).toBe('ok');
  });

  it('holds qualifiers to their order and refuses what is no data attribute in the query', () => {
    expect(rule(`https://id.gs1.org/01/${GTIN}/21/12345/10/ABC`)).toBe('dl-no-key');
    expect(rule(`https://id.gs1.org/01/${GTIN}/17/261231`)).toBe('dl-no-key');
    expect(rule('https://id.gs1.org/00/106141411234567897?254=1')).toBe('dl-not-attribute');
    expect(rule(`https://id.gs1.org/01/${GTIN}?17=261231&17=261231`)).toBe('ai-repeat');
    expect(rule(`https://id.gs1.org/01/${GTIN}?01=${GTIN}`)).toBe('ai-repeat');
    expect(rule(`https://id.gs1.org/01/${GTIN}?99999=1`)).toBe('unknown-ai');
    // Other applications' parameters (non-numeric keys) and the fragment carry no AI data.
    expect(rule(`https://id.gs1.org/01/${GTIN}/21/1?linkType=gs1:pip&17=261231#x`)).toBe('ok');
  });

  it('refuses a zero-suppressed GTIN in the path unless an option says so, scans included', () => {
    expect(rule('https://id.gs1.org/01/9520123456788')).not.toBe('ok');
    expect(rule('https://id.gs1.org/01/9520123456788', { permitZeroSuppressedGtin: true })).toBe('ok');
    expect(parseAnyIdentifier('https://id.gs1.org/01/9520123456788/21/1').ok).toBe(false);
    expect(parseAnyIdentifier(`https://id.gs1.org/01/${GTIN}/21/1`).ok).toBe(true);
    // A scan of a Digital Link QR code reads the same rules.
    expect(parseAnyIdentifier(`https://id.gs1.org/01/${GTIN}?21=1`).ok).toBe(false);
  });
});
