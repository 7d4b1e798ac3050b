import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseDigitalLink, generateDigitalLink } from '../../src/core/identifiers/digital-link';
import {
  parseAiDataString,
  parseBracketedElementString,
  toEncoded,
  validateAssociations,
} from '../../src/core/identifiers/element-string';
import { parseScanData } from '../../src/core/identifiers/scan-data';
import { escapeDlPath, escapeDlQuery, unescapeDlBytes } from '../../src/core/identifiers/uri-escape';
import { lintRule } from '../../src/core/identifiers/ai-validate';

// Vectors extracted from the GS1 Barcode Syntax Engine unit tests (see test/fixtures/identifiers/SOURCES.md).
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/identifiers/${name}`, import.meta.url), 'utf8'));
const dlTests = fixture('digital-link-uri-tests.json');
const aiTests = fixture('ai-element-string-tests.json');
const scanTests = fixture('scan-data-tests.json');

type Case = Record<string, unknown> & { contextState?: Record<string, unknown>; line: number };

/** Cases whose input is a C buffer built in code, or that depend on encoder options we do not offer. */
function runnable(c: Case, ...inputs: unknown[]): boolean {
  return inputs.every((i) => typeof i === 'string' || i === null);
}

/**
 * Runs one group of upstream cases. `expected` is how many the group holds, runs and skips: a
 * fixture that went missing, was truncated, or lost a group cannot pass with no case run.
 */
function tally(
  group: string,
  cases: Case[] | undefined,
  expected: { readonly total: number; readonly skipped: number },
  check: (c: Case) => boolean | 'skip',
) {
  expect(Array.isArray(cases), `${group}: the fixture has no such group`).toBe(true);
  const list = cases ?? [];
  let passed = 0;
  let skipped = 0;
  const failures: string[] = [];
  for (const c of list) {
    const outcome = check(c);
    if (outcome === 'skip') skipped++;
    else if (outcome) passed++;
    else failures.push(`line ${c.line}: ${JSON.stringify(c)}`);
  }
  console.log(
    `gs1-syntax-engine ${group}: ${passed}/${list.length - skipped} passed (${skipped} not applicable)`,
  );
  expect(failures).toEqual([]);
  expect(
    { total: list.length, ran: passed, skipped },
    `${group}: cases in the fixture, run, skipped`,
  ).toEqual({
    total: expected.total,
    ran: expected.total - expected.skipped,
    skipped: expected.skipped,
  });
}

function joinData(elements: { ai: string; value: string }[]): string {
  return '^' + toEncoded(elements, '^');
}

describe('GS1 Syntax Engine vectors', () => {
  it('parseDLuri: Digital Link URI -> AI data', () => {
    tally('parseDLuri', dlTests.parseDLuri, { total: 95, skipped: 2 }, (c) => {
      if (!runnable(c, c.dlUri)) return 'skip';
      const ctx = c.contextState ?? {};
      const r = parseDigitalLink(c.dlUri as string, {
        permitConvenienceAlphas: ctx['ctx.permitConvenienceAlphas'] === true,
        permitZeroSuppressedGtin: ctx['PermitZeroSuppressedGTINinDLuris'] === true,
      });
      if (ctx['PermitUnknownAIs'] === true) return 'skip';
      if (!c.expectSuccess) return !r.ok;
      if (!r.ok) return false;
      const { primaryKey, qualifiers, attributes } = r.value;
      return joinData([primaryKey, ...qualifiers, ...attributes]) === c.expectAIdataStr;
    });
  });
});

describe('GS1 Syntax Engine vectors (generation, escaping, element strings, scan data)', () => {
  it('generateDLuri: AI data -> Digital Link URI', () => {
    tally('generateDLuri', dlTests.generateDLuri, { total: 22, skipped: 2 }, (c) => {
      if (!runnable(c, c.bracketedAIdata) || c.contextState?.['PermitUnknownAIs'] === true) return 'skip';
      const parsed = parseBracketedElementString(c.bracketedAIdata as string);
      const r = parsed.ok
        ? generateDigitalLink(parsed.value, (c.stem as string | null) ?? undefined)
        : parsed;
      return c.expectSuccess ? r.ok && r.value === c.expectDLuri : !r.ok;
    });
  });

  it('URIescape / URIunescape', () => {
    tally('URIescape', dlTests.URIescape, { total: 10, skipped: 0 }, (c) => {
      return (
        escapeDlPath(c.input as string) === c.expectPathEscape &&
        escapeDlQuery(c.input as string) === c.expectQueryEscape
      );
    });
    const bytes = (v: unknown) =>
      typeof v === 'string' ? Buffer.from(v, 'utf8').toString('hex') : (v as { bytesHex: string }).bytesHex;
    tally('URIunescape', dlTests.URIunescape, { total: 21, skipped: 0 }, (c) => {
      const path = Buffer.from(unescapeDlBytes(c.input as string, false)).toString('hex');
      const query = Buffer.from(unescapeDlBytes(c.input as string, true)).toString('hex');
      return path === bytes(c.expectPathUnescape) && query === bytes(c.expectQueryUnescape);
    });
  });

  it('parseAIdata: bracketed -> encoded', () => {
    tally('parseAIdata', aiTests.parseAIdata, { total: 24, skipped: 2 }, (c) => {
      if (!runnable(c, c.bracketedAIdata)) return 'skip';
      const r = parseBracketedElementString(c.bracketedAIdata as string);
      return c.expectSuccess ? r.ok && joinData(r.value) === c.expectDataStr : !r.ok;
    });
  });

  it('processAIdata: encoded data validation (lengths, FNC1, check digits)', () => {
    tally('processAIdata', aiTests.processAIdata, { total: 83, skipped: 5 }, (c) => {
      if (!runnable(c, c.dataStr) || c.contextState?.['PermitUnknownAIs'] === true) return 'skip';
      const r = parseAiDataString(c.dataStr as string);
      return c.expectSuccess === r.ok;
    });
  });

  it('validateAIs: repeats, invalid pairs, mandatory associations', () => {
    tally('validateAIs', aiTests.validateAIs, { total: 77, skipped: 10 }, (c) => {
      const parsed = parseBracketedElementString(c.bracketedAIdata as string);
      // Cases built on AIs that do not exist (89, 3338) rely on the engine's PermitUnknownAIs mode.
      if (!parsed.ok) return parsed.error.rule === 'unknown-ai' ? 'skip' : false;
      return validateAssociations(parsed.value).ok === c.expectSuccess;
    });
  });

  it('aiLinterTable: one lint error per real AI', () => {
    tally('aiLinterTable', aiTests.aiLinterTable, { total: 99, skipped: 56 }, (c) => {
      const expected = c.expectLintErr as string;
      // Coupon linters (8110/8112) and the ISO alpha-2 / ISO 4217 code lists are not implemented (not pharma).
      if (/^GS1_LINTER_(COUPON_|NOT_ISO3166_ALPHA2|NOT_ISO4217)/.test(expected)) return 'skip';
      // Known difference: the engine calls the 6-character "FR1234" too short (its own linter unit tests only
      // require 5); we report the bad IBAN checksum instead. Either way the value is rejected.
      if (c.bracketedAIdata === '(8007)FR1234') return !parseBracketedElementString('(8007)FR1234').ok;
      const r = parseBracketedElementString(c.bracketedAIdata as string);
      if (expected === 'GS1_LINTER_OK') return r.ok;
      return !r.ok && r.error.rule === lintRule(expected);
    });
  });

  it('errMarkup: the error position names the offending character', () => {
    tally('errMarkup', aiTests.errMarkup, { total: 2, skipped: 0 }, (c) => {
      const r = parseBracketedElementString(c.bracketedAIdata as string);
      if (r.ok || r.error.position === undefined) return false;
      const markup = c.expectMarkup as string;
      return (c.bracketedAIdata as string)[r.error.position] === markup[markup.indexOf('|') + 1];
    });
  });

  it('processScanData: symbology identifier + GS-separated data', () => {
    const names: Record<string, string> = {
      QR: 'QR',
      DM: 'DataMatrix',
      DotCode: 'DotCode',
      DataBarExpanded: 'DataBar',
      GS1_128_CCA: 'GS1-128',
      EAN13: 'EAN-13',
      EAN8: 'EAN-8',
    };
    tally('processScanData', scanTests.processScanData, { total: 44, skipped: 2 }, (c) => {
      if (!runnable(c, c.scanData) || c.contextState) return 'skip';
      const r = parseScanData(c.scanData as string);
      if (!c.expectSuccess) return !r.ok;
      if (!r.ok) return false;
      const sym = (c.expectSymbology as { sym: string }).sym;
      return r.value.symbology === names[sym] && r.value.dataStr === c.expectDataStr;
    });
  });
});
