import type { AiElement } from './ai-validate';
import { parseDeaNumber } from './dea';
import { CANONICAL_DL_STEM, generateDigitalLink, parseDigitalLink, type DigitalLink } from './digital-link';
import {
  GS,
  parseBracketedElementString,
  parseEncodedAiData,
  toBracketed,
  validateAssociations,
} from './element-string';
import { digitalLinkToEpcUrn, epcUrnToElements } from './epc-digital-link';
import { parseGtin, parseSscc } from './gs1-keys';
import { resolveCentury } from './linters';
import { gtinToNdcCandidates, ndcToGtin14, parseNdc, type Ndc } from './ndc';
import { parseNpi } from './npi';
import { fail, ok, type Result } from './result';
import { parseScanData, type Symbology } from './scan-data';

export type IdentifierKind =
  'scan' | 'element-string' | 'digital-link' | 'epc-urn' | 'gtin' | 'sscc' | 'ndc' | 'dea' | 'npi';

/**
 * What a pharmacy needs out of any identifier text: the DSCSA product identifier (GTIN/NDC, serial, lot,
 * expiry — FD&C Act §581(14)) plus logistic keys, in one shape whatever the input format was.
 */
export interface ProductIdentifier {
  readonly kind: IdentifierKind;
  readonly symbology?: Symbology;
  readonly gtin?: string;
  readonly serial?: string;
  readonly lot?: string;
  /** ISO date (YYYY-MM-DD); a GS1 day of 00 means the last day of that month (GenSpecs §7.12). */
  readonly expiry?: string;
  readonly sscc?: string;
  readonly gln?: string;
  /** NDC from AI (715) or the NDC configurations an "03" GTIN can hold (ambiguous: all candidates). */
  readonly ndc?: { readonly fromAi715?: string; readonly candidates?: readonly Ndc[] };
  readonly digitalLink?: string;
  readonly epcUri?: string;
  /** Bracketed element string of everything read, e.g. "(01)…(17)…(10)…(21)…". */
  readonly elementString?: string;
  readonly elements?: readonly AiElement[];
  readonly dea?: { readonly registrantTypeLetter: string; readonly registrantTypeHint?: string };
  readonly npi?: string;
}

export interface ParseAnyOptions {
  /** GS1 Company Prefix length, to also give the EPC URN of a GTIN/SSCC/GLN read from a barcode or DL. */
  readonly gcpLength?: number;
  readonly now?: Date;
}

/** YYMMDD -> ISO date; "00" as the day is the month's last day (expiry-style dates, GenSpecs §7.12). */
export function gs1DateToIso(yymmdd: string, now = new Date()): string {
  const year = resolveCentury(Number(yymmdd.slice(0, 2)), now);
  const month = Number(yymmdd.slice(2, 4));
  let day = Number(yymmdd.slice(4, 6));
  if (day === 0) day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function fromElements(
  kind: IdentifierKind,
  elements: readonly AiElement[],
  options: ParseAnyOptions,
  extra: Partial<ProductIdentifier> = {},
): ProductIdentifier {
  const get = (ai: string): string | undefined => elements.find((e) => e.ai === ai)?.value;
  const gtin = get('01');
  const expiry = get('17');
  const ndc715 = get('715');
  const candidates = gtin ? gtinToNdcCandidates(gtin) : undefined;
  const ndc =
    ndc715 !== undefined || candidates?.ok
      ? {
          ...(ndc715 !== undefined ? { fromAi715: ndc715 } : {}),
          ...(candidates?.ok ? { candidates: candidates.value } : {}),
        }
      : undefined;
  const dl = extra.digitalLink === undefined ? generateDigitalLink(elements, CANONICAL_DL_STEM) : undefined;
  let epcUri = extra.epcUri;
  if (epcUri === undefined && options.gcpLength !== undefined && dl?.ok) {
    const urn = digitalLinkToEpcUrn(dl.value, { gcpLength: options.gcpLength });
    if (urn.ok) epcUri = urn.value;
  }
  const out: Record<string, unknown> = {
    kind,
    ...extra,
    gtin,
    serial: get('21'),
    lot: get('10'),
    expiry: expiry === undefined ? undefined : gs1DateToIso(expiry, options.now),
    sscc: get('00'),
    gln: get('414') ?? get('417'),
    ndc,
    digitalLink: extra.digitalLink ?? (dl?.ok ? dl.value : undefined),
    epcUri,
    elementString: toBracketed(elements),
    elements,
  };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out as unknown as ProductIdentifier;
}

/**
 * The Digital Link as read, or, when it used the GS1 Digital Link 1.x short names (/gtin/…/ser/…, deprecated
 * since 1.2), the same link on the same domain with numeric AIs, the only form later versions define.
 */
function numericLink(text: string, link: DigitalLink): string {
  if (parseDigitalLink(text).ok) return text;
  const { primaryKey, qualifiers, attributes } = link;
  const numeric = generateDigitalLink([primaryKey, ...qualifiers, ...attributes], link.stem);
  return numeric.ok ? numeric.value : text;
}

function withElements(
  kind: IdentifierKind,
  parsed: Result<AiElement[]>,
  options: ParseAnyOptions,
): Result<ProductIdentifier> {
  if (!parsed.ok) return parsed;
  const assoc = validateAssociations(parsed.value);
  if (!assoc.ok) return assoc;
  return ok(fromElements(kind, parsed.value, options));
}

/**
 * Reads any identifier text a person or partner may hand us: barcode scan data with an AIM symbology
 * identifier and GS separators, a bracketed or raw element string, a GS1 Digital Link, an EPC URN, a bare
 * GTIN/SSCC, a hyphenated NDC, a DEA number or an NPI. Never throws; errors name the rule and the position.
 */
export function parseAnyIdentifier(input: string, options: ParseAnyOptions = {}): Result<ProductIdentifier> {
  const text = input.replace(/^[\r\n]+|[\r\n]+$/g, '');
  if (text.length === 0) return fail('empty', 'nothing to read: the text is empty');
  if (text.startsWith(']')) {
    const scan = parseScanData(text);
    if (!scan.ok) return scan;
    const { symbology, elements, digitalLink } = scan.value;
    if (elements.length === 0)
      return fail('no-gs1-data', `the ${symbology} holds plain text, not GS1 data or a Digital Link`);
    const assoc = validateAssociations(elements);
    if (!assoc.ok) return assoc;
    return ok(
      fromElements('scan', elements, options, {
        symbology,
        ...(digitalLink ? { digitalLink: numericLink(text.slice(3), digitalLink) } : {}),
      }),
    );
  }
  if (text.startsWith('(')) return withElements('element-string', parseBracketedElementString(text), options);
  if (text.startsWith(GS) || text.includes(GS)) {
    const start = text.startsWith(GS) ? 1 : 0;
    const parsed = parseEncodedAiData(text.slice(start), GS, start);
    return withElements('element-string', parsed, options);
  }
  if (/^urn:epc:/i.test(text)) {
    const elements = epcUrnToElements(text);
    if (!elements.ok) return elements;
    return ok(fromElements('epc-urn', elements.value, options, { epcUri: text }));
  }
  if (/^https?:\/\//i.test(text)) {
    const dl = parseDigitalLink(text, { permitConvenienceAlphas: true });
    if (!dl.ok) return dl;
    const { primaryKey, qualifiers, attributes } = dl.value;
    return ok(
      fromElements('digital-link', [primaryKey, ...qualifiers, ...attributes], options, {
        digitalLink: numericLink(text, dl.value),
      }),
    );
  }
  if (/^[0-9]+$/.test(text)) {
    if ([8, 12, 13, 14].includes(text.length)) {
      const gtin = parseGtin(text);
      if (!gtin.ok) return gtin;
      return ok(fromElements('gtin', [{ ai: '01', value: gtin.value.gtin14 }], options));
    }
    if (text.length === 18) {
      const sscc = parseSscc(text);
      if (!sscc.ok) return sscc;
      return ok(fromElements('sscc', [{ ai: '00', value: sscc.value }], options));
    }
    if (text.length === 10) {
      const npi = parseNpi(text);
      if (npi.ok) return ok({ kind: 'npi', npi: npi.value });
      return fail(
        'ambiguous',
        '10 bare digits: not a valid NPI; if this is an NDC, write it with hyphens (e.g. 0002-7597-01)',
      );
    }
    // Unbracketed element string typed or pasted without FNC1 (only unambiguous when fixed-length AIs lead).
    return withElements('element-string', parseEncodedAiData(text, GS), options);
  }
  if (/^[0-9]{4,5}-[0-9]{3,4}-[0-9]{1,2}$/.test(text)) {
    const ndc = parseNdc(text);
    if (!ndc.ok) return ndc;
    const gtin = ndcToGtin14(ndc.value);
    return ok({ kind: 'ndc', ndc: { candidates: [ndc.value] }, ...(gtin.ok ? { gtin: gtin.value } : {}) });
  }
  if (/^[A-Za-z][A-Za-z9][0-9]{7}$/.test(text.trim())) {
    const dea = parseDeaNumber(text);
    if (!dea.ok) return dea;
    const { registrantTypeLetter, registrantTypeHint } = dea.value;
    return ok({
      kind: 'dea',
      dea: { registrantTypeLetter, ...(registrantTypeHint ? { registrantTypeHint } : {}) },
    });
  }
  if (/^[0-9]{2}/.test(text)) return withElements('element-string', parseEncodedAiData(text, GS), options);
  return fail(
    'unrecognised',
    'not a barcode scan (]d2…), element string ((01)…), Digital Link (https://…), EPC URN (urn:epc:…), GTIN, SSCC, NDC, DEA number or NPI',
    0,
  );
}
