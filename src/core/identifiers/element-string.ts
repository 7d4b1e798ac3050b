import { aiEntry, aiMatchesPattern, matchAiPrefix } from './ai-table';
import { validateAiValue, type AiElement } from './ai-validate';
import { showChar } from './charsets';
import { fail, ok, shift, type Result } from './result';

/**
 * GS1 element strings (GS1 General Specifications §3 and §7.8): the human-readable bracketed form
 * "(01)09506000134352(17)271231(10)ABC" and the encoded form, where AIs run together and a variable-length
 * value that is not last ends with FNC1 (transmitted by a scanner as GS, U+001D).
 */
export const GS = '\u001d';

/** Parses "(01)…(10)…"; "\(" inside a value is a literal bracket. Values are validated, associations not. */
export function parseBracketedElementString(text: string): Result<AiElement[]> {
  if (!text.startsWith('('))
    return fail('bracket', 'a bracketed element string starts with "(" and an AI', 0);
  const elements: AiElement[] = [];
  let at = 0;
  while (at < text.length) {
    const close = text.indexOf(')', at);
    if (text[at] !== '(' || close < 0) return fail('bracket', `expected "(AI)" at character ${at + 1}`, at);
    const ai = text.slice(at + 1, close);
    if (!/^\d{2,4}$/.test(ai))
      return fail('bad-ai', `"(${ai})" at character ${at + 1} is not a 2- to 4-digit AI`, at + 1);
    if (!aiEntry(ai))
      return fail('unknown-ai', `(${ai}) at character ${at + 1} is not a GS1 Application Identifier`, at + 1);
    let value = '';
    let i = close + 1;
    for (; i < text.length; i++) {
      const c = text[i] as string;
      if (c === '\\' && text[i + 1] === '(') {
        value += '(';
        i++;
      } else if (c === '(') {
        break;
      } else {
        value += c;
      }
    }
    if (value.includes('^'))
      return fail('cset82', `(${ai}): "^" is not a GS1 character`, close + 1 + value.indexOf('^'));
    const checked = validateAiValue(ai, value);
    // Positions are exact unless the value contained an escaped bracket.
    if (!checked.ok)
      return value.length === i - close - 1
        ? shift(checked, close + 1)
        : fail(checked.error.rule, checked.error.message, close + 1);
    elements.push(checked.value);
    at = i;
  }
  return ok(elements);
}

/**
 * Parses encoded AI data (after the leading FNC1). `separators` are the characters that stand for FNC1:
 * GS in scan data, "^" in the GS1 Syntax Engine's notation. Positions are relative to `offset`.
 */
export function parseEncodedAiData(data: string, separators: string = GS, offset = 0): Result<AiElement[]> {
  const elements: AiElement[] = [];
  let at = 0;
  const isSep = (c: string | undefined): boolean => c !== undefined && separators.includes(c);
  if (data.length === 0) return fail('empty', 'no GS1 data after the FNC1', offset);
  while (at < data.length) {
    if (isSep(data[at])) {
      // A separator after a fixed-length AI or at the very end is superfluous but harmless (GenSpecs §7.8.5).
      at++;
      continue;
    }
    const entry = matchAiPrefix(data, at);
    if (!entry) {
      const shown = /^\d{2,4}/.exec(data.slice(at))?.[0] ?? data.slice(at, at + 2);
      return fail(
        'unknown-ai',
        `no GS1 Application Identifier starts at character ${offset + at + 1} ("${shown}…")`,
        offset + at,
      );
    }
    const start = at + entry.ai.length;
    let end: number;
    if (!entry.fnc1Required) {
      end = start + entry.maxLength;
      const sep = [...data.slice(start, end)].findIndex((c) => isSep(c));
      if (end > data.length || sep >= 0) {
        const got = sep >= 0 ? sep : data.length - start;
        return fail(
          'too-short',
          `(${entry.ai}) ${entry.title} needs ${entry.maxLength} characters; got ${got}`,
          offset + start + got,
        );
      }
    } else {
      end = start;
      while (end < data.length && !isSep(data[end])) end++;
    }
    const value = data.slice(start, end);
    const checked = validateAiValue(entry.ai, value, entry);
    if (!checked.ok) return shift(checked, offset + start);
    elements.push(checked.value);
    at = end;
  }
  if (elements.length === 0) return fail('empty', 'no GS1 data: only separators', offset);
  return ok(elements);
}

/** The GS1 Syntax Engine's notation: "^" = FNC1, so "^0109506000134352^10ABC" is one GS1 message. */
export function parseAiDataString(data: string): Result<AiElement[]> {
  if (!data.startsWith('^')) return fail('no-fnc1', 'GS1 data must start with FNC1 ("^")', 0);
  return parseEncodedAiData(data.slice(1), '^', 1);
}

export function toBracketed(elements: readonly AiElement[]): string {
  return elements.map((e) => `(${e.ai})${e.value.replace(/\(/g, '\\(')}`).join('');
}

/** Encodes with FNC1 shown as `separator`, only where GenSpecs requires one (after variable-length values). */
export function toEncoded(elements: readonly AiElement[], separator: string): string {
  let out = '';
  elements.forEach((e, i) => {
    out += e.ai + e.value;
    if (i < elements.length - 1 && (aiEntry(e.ai)?.fnc1Required ?? true)) out += separator;
  });
  return out;
}

/**
 * Association rules of the GS1 Syntax Dictionary (GenSpecs §4.13 "invalid pairs" and "mandatory
 * associations"): a repeated AI must repeat its value; `ex=` pairs may not appear together; every `req=`
 * needs one of its alternatives; a digital signature (8030) needs a serialised key.
 */
export function validateAssociations(elements: readonly AiElement[]): Result<true> {
  const seen = new Map<string, string>();
  for (const e of elements) {
    const prior = seen.get(e.ai);
    if (prior !== undefined && prior !== e.value)
      return fail('ai-repeat', `(${e.ai}) appears twice with different values`);
    seen.set(e.ai, e.value);
  }
  const ais = [...seen.keys()];
  for (const ai of ais) {
    const entry = aiEntry(ai);
    if (!entry) continue;
    for (const pattern of entry.excludes) {
      const other = ais.find((b) => b !== ai && aiMatchesPattern(b, pattern));
      if (other)
        return fail('ai-exclusive', `(${ai}) and (${other}) may not appear together (GS1 invalid pair)`);
    }
    for (const group of entry.requires) {
      const satisfied = group.some((alternative) =>
        alternative.every((p) => ais.some((b) => aiMatchesPattern(b, p))),
      );
      if (!satisfied) {
        const wanted = group.map((alt) => alt.map((p) => `(${p})`).join('+')).join(' or ');
        return fail('ai-requires', `(${ai}) needs ${wanted} in the same data`);
      }
    }
  }
  if (seen.has('8030')) {
    const serialised =
      seen.has('00') ||
      (seen.has('01') && seen.has('21')) ||
      (seen.has('8006') && seen.has('21')) ||
      (seen.has('8010') && seen.has('8011')) ||
      seen.has('8004') ||
      seen.has('8017') ||
      seen.has('8018') ||
      (seen.get('253')?.length ?? 0) > 13 ||
      (seen.get('255')?.length ?? 0) > 13 ||
      (seen.get('8003')?.length ?? 0) > 14;
    if (!serialised)
      return fail(
        'ai-requires',
        '(8030) digital signature needs a serialised key (e.g. (01)+(21), (00), (253) with serial)',
      );
  }
  return ok(true);
}

/** Describes a character for messages, with its 1-based position. */
export function describeAt(text: string, position: number): string {
  return `character ${position + 1} (${showChar(text[position])})`;
}
