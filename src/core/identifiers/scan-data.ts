import type { AiElement } from './ai-validate';
import { checkGs1Key } from './check-digit';
import { parseDigitalLink, type DigitalLink } from './digital-link';
import { GS, parseEncodedAiData, validateAssociations } from './element-string';
import { fail, ok, type Result } from './result';

/**
 * Barcode scanner output: an AIM symbology identifier "]cm" (ISO/IEC 15424) then the data, where a
 * GS (U+001D) stands for each FNC1 separator. Which identifiers mean GS1 data is fixed by GenSpecs
 * §5.1.2 (Figure 5.1.2-1): ]C1 GS1-128, ]e0 GS1 DataBar/Composite, ]d2 GS1 DataMatrix, ]Q3 GS1 QR Code,
 * ]J1 GS1 DotCode; ]E0/]E4 are EAN-13/UPC-A and EAN-8; ]d1 ]Q1 ]J0 carry plain text (e.g. a Digital Link).
 */
export type Symbology = 'GS1-128' | 'DataBar' | 'DataMatrix' | 'QR' | 'DotCode' | 'EAN-13' | 'EAN-8';

export interface ScanData {
  readonly symbology: Symbology;
  readonly aimId: string;
  /** AI data (GS1 modes, EAN/UPC as (01), and any composite component). */
  readonly elements: readonly AiElement[];
  /** Set when the symbol carried a GS1 Digital Link URI as plain data. */
  readonly digitalLink?: DigitalLink;
  /** Plain (non-GS1) text content, when the symbol is not in GS1 mode. */
  readonly text?: string;
  /** The same data in GS1 Syntax Engine notation ("^" = FNC1, "|" before a composite component). */
  readonly dataStr: string;
}

const GS1_MODES: Record<string, Symbology> = {
  ']C1': 'GS1-128',
  ']e0': 'DataBar',
  ']d2': 'DataMatrix',
  ']Q3': 'QR',
  ']J1': 'DotCode',
};
const PLAIN_MODES: Record<string, Symbology> = { ']d1': 'DataMatrix', ']Q1': 'QR', ']J0': 'DotCode' };

export function parseScanData(scan: string): Result<ScanData> {
  if (!scan.startsWith(']') || scan.length < 3) {
    return fail(
      'symbology',
      'scan data starts with an AIM symbology identifier such as ]d2 (GS1 DataMatrix); configure the scanner to send it',
      0,
    );
  }
  const aimId = scan.slice(0, 3);
  const body = scan.slice(3);
  const gs1 = GS1_MODES[aimId];
  if (gs1) {
    const elements = parseEncodedAiData(body, GS, 3);
    if (!elements.ok) return elements;
    const assoc = validateAssociations(elements.value);
    if (!assoc.ok) return assoc;
    return ok({ symbology: gs1, aimId, elements: elements.value, dataStr: '^' + body.split(GS).join('^') });
  }
  const plain = PLAIN_MODES[aimId];
  if (plain) {
    if (/^https?:\/\//i.test(body)) {
      // Labels printed under GS1 Digital Link 1.0/1.1 may use its short names (/gtin/…/ser/…).
      const dl = parseDigitalLink(body, { permitConvenienceAlphas: true });
      if (!dl.ok)
        return fail(
          dl.error.rule,
          `the ${plain} holds a URI that is not a valid GS1 Digital Link: ${dl.error.message}`,
          dl.error.position === undefined ? undefined : dl.error.position + 3,
        );
      return ok({
        symbology: plain,
        aimId,
        elements: [dl.value.primaryKey, ...dl.value.qualifiers, ...dl.value.attributes],
        digitalLink: dl.value,
        text: body,
        dataStr: body,
      });
    }
    return ok({ symbology: plain, aimId, elements: [], text: body, dataStr: body.replace(/\^/g, '\\^') });
  }
  if (aimId === ']E0' || aimId === ']E4') {
    const [linear = '', composite] = body.split('|');
    const symbology: Symbology = aimId === ']E0' ? 'EAN-13' : 'EAN-8';
    const key = checkGs1Key(linear, [aimId === ']E0' ? 13 : 8], symbology);
    if (!key.ok) return fail(key.error.rule, key.error.message, (key.error.position ?? 0) + 3);
    const elements: AiElement[] = [{ ai: '01', value: linear.padStart(14, '0') }];
    let dataStr = linear;
    if (composite !== undefined) {
      if (!composite.startsWith(']e0'))
        return fail('symbology', 'a composite component must start with ]e0', 4 + linear.length);
      const cc = parseEncodedAiData(composite.slice(3), GS, 7 + linear.length);
      if (!cc.ok) return cc;
      elements.push(...cc.value);
      dataStr += '|^' + composite.slice(3).split(GS).join('^');
    }
    return ok({ symbology, aimId, elements, dataStr });
  }
  return fail(
    'symbology',
    `symbology identifier ${aimId} is not one that carries GS1 data or a Digital Link`,
    0,
  );
}
