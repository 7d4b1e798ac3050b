import { aiEntry, type AiComponent, type AiEntry } from './ai-table';
import { isCset39, isCset64, isCset82, isDigit, showChar } from './charsets';
import './iso-codes';
import { runLinter } from './linters';
import { fail, ok, type Result } from './result';

/** One AI with its value ("element string" in GS1 terms). */
export interface AiElement {
  readonly ai: string;
  readonly value: string;
}

const CHARSET_NAME: Record<AiComponent['type'], string> = {
  N: 'digits',
  X: 'GS1 character set 82',
  Y: 'GS1 character set 39',
  Z: 'base64url',
};

function charsetError(type: AiComponent['type']): string {
  return { N: 'non-digit', X: 'cset82', Y: 'cset39', Z: 'cset64' }[type];
}

function checkCharset(type: AiComponent['type'], data: string): number {
  for (let i = 0; i < data.length; i++) {
    const c = data[i] as string;
    const good =
      type === 'N'
        ? isDigit(c)
        : type === 'X'
          ? isCset82(c)
          : type === 'Y'
            ? isCset39(c)
            : isCset64(c) || (c === '=' && /^=+$/.test(data.slice(i)));
    if (!good) return i;
  }
  return -1;
}

// The GS1 Syntax Engine's cset64 rule: "=" only at the end, at most two, and data + padding a multiple of 3.
function checkBase64Padding(data: string): number {
  const eq = data.indexOf('=');
  if (eq < 0) return -1;
  if (!/^=+$/.test(data.slice(eq)) || data.length - eq > 2 || eq === 0 || data.length % 3 !== 0) return eq;
  return -1;
}

/**
 * Validates an AI value against the dictionary: length, character set of each component and each
 * component's linters (check digits, dates …). Positions in errors are offsets into `value`.
 */
export function validateAiValue(
  ai: string,
  value: string,
  entry: AiEntry | undefined = aiEntry(ai),
): Result<AiElement> {
  if (!entry) return fail('unknown-ai', `(${ai}) is not a GS1 Application Identifier`);
  const label = `(${ai}) ${entry.title}`;
  if (value.length === 0) return fail('empty', `${label} has no value`, 0);
  if (value.length > entry.maxLength) {
    return fail(
      'too-long',
      `${label} allows at most ${entry.maxLength} characters; got ${value.length}`,
      entry.maxLength,
    );
  }
  let at = 0;
  for (const [index, component] of entry.components.entries()) {
    if (at >= value.length && component.optional) break;
    const remaining = value.length - at;
    const isLast = index === entry.components.length - 1;
    let take: number;
    if (component.min === component.max) {
      take = component.max;
      if (remaining < take) {
        const exact = entry.minLength === entry.maxLength;
        return fail(
          'too-short',
          exact
            ? `${label} needs exactly ${entry.maxLength} characters; got ${value.length}`
            : `${label} is too short: it ends at character ${value.length}`,
          value.length,
        );
      }
    } else {
      take = Math.min(remaining, component.max);
      if (take < component.min) return fail('too-short', `${label} is too short`, value.length);
    }
    if (isLast && at + take < value.length) {
      return fail(
        'too-long',
        `${label} allows at most ${entry.maxLength} characters; got ${value.length}`,
        at + take,
      );
    }
    const data = value.slice(at, at + take);
    const bad = checkCharset(component.type, data);
    if (bad >= 0) {
      return fail(
        charsetError(component.type),
        `${label}: character ${at + bad + 1} is ${showChar(data[bad])}, not allowed in ${CHARSET_NAME[component.type]}`,
        at + bad,
      );
    }
    if (component.type === 'Z') {
      const pad = checkBase64Padding(data);
      if (pad >= 0)
        return fail('cset64-padding', `${label}: bad base64 padding at character ${at + pad + 1}`, at + pad);
    }
    for (const linter of component.linters) {
      const problem = runLinter(linter, data);
      if (problem) {
        return fail(
          lintRule(problem.code),
          `${label}: ${problem.message} (character ${at + problem.offset + 1} of its value)`,
          at + problem.offset,
        );
      }
    }
    at += take;
  }
  return ok({ ai, value });
}

/** GS1_LINTER_INCORRECT_CHECK_DIGIT -> "check-digit" etc.: stable short rule names. */
export function lintRule(code: string): string {
  const map: Record<string, string> = {
    GS1_LINTER_INCORRECT_CHECK_DIGIT: 'check-digit',
    GS1_LINTER_ILLEGAL_MONTH: 'bad-date',
    GS1_LINTER_ILLEGAL_DAY: 'bad-date',
    GS1_LINTER_DATE_TOO_SHORT: 'bad-date',
    GS1_LINTER_NON_DIGIT_CHARACTER: 'non-digit',
    GS1_LINTER_INVALID_CSET82_CHARACTER: 'cset82',
    GS1_LINTER_INVALID_CSET39_CHARACTER: 'cset39',
    GS1_LINTER_INVALID_CSET64_CHARACTER: 'cset64',
    GS1_LINTER_INVALID_CSET64_PADDING: 'cset64-padding',
  };
  return (
    map[code] ??
    code
      .replace(/^GS1_LINTER_/, '')
      .toLowerCase()
      .replace(/_/g, '-')
  );
}

/** Runs one Syntax Dictionary linter by name, including the character-set ones; returns the GS1 linter code. */
export function lintComponent(name: string, data: string): string {
  const charset: Record<string, AiComponent['type']> = {
    csetnumeric: 'N',
    cset82: 'X',
    cset39: 'Y',
    cset64: 'Z',
  };
  const type = charset[name];
  if (type) {
    const bad = checkCharset(type, data);
    if (type === 'Z') {
      // Padding is judged first when the "=" run ends the data; an "=" followed by data is a bad character.
      const eq = data.indexOf('=');
      const onlyPadAfter = eq >= 0 && /^=+$/.test(data.slice(eq));
      if (onlyPadAfter && checkCharset('Z', data.slice(0, eq)) < 0) {
        return checkBase64Padding(data) >= 0 ? 'GS1_LINTER_INVALID_CSET64_PADDING' : 'GS1_LINTER_OK';
      }
    }
    if (bad < 0) return 'GS1_LINTER_OK';
    return {
      N: 'GS1_LINTER_NON_DIGIT_CHARACTER',
      X: 'GS1_LINTER_INVALID_CSET82_CHARACTER',
      Y: 'GS1_LINTER_INVALID_CSET39_CHARACTER',
      Z: 'GS1_LINTER_INVALID_CSET64_CHARACTER',
    }[type];
  }
  return runLinter(name, data)?.code ?? 'GS1_LINTER_OK';
}
