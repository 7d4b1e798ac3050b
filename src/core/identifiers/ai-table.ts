import { GS1_SYNTAX_DICTIONARY } from './gs1-syntax-dictionary';

/**
 * The GS1 Application Identifier table, generated at load time from the GS1 Barcode Syntax Dictionary
 * (gs1-syntax-dictionary.ts). Entry syntax: `AIs [Flags] Specification [Attributes] [# Title]`, where
 * flag "*" = predefined length (no FNC1 separator needed after it) and "?" = allowed as a Digital Link
 * data attribute; each specification component is `Type[Length][,linter…]` (N numeric, X CSET 82,
 * Y CSET 39, Z base64url), `[…]` marks an optional component; `req=`/`ex=` list mandatory and
 * forbidden associations; `dlpkey[=q1,q2|alt]` marks a Digital Link primary key and its qualifier paths.
 */
export type CharsetType = 'N' | 'X' | 'Y' | 'Z';

export interface AiComponent {
  readonly type: CharsetType;
  readonly min: number;
  readonly max: number;
  readonly optional: boolean;
  readonly linters: readonly string[];
}

export interface AiEntry {
  readonly ai: string;
  readonly title: string;
  /** False for the predefined-length AIs (flag "*"): no FNC1/GS needed after them. */
  readonly fnc1Required: boolean;
  /** May appear as a Digital Link query attribute (flag "?"). */
  readonly dlDataAttribute: boolean;
  readonly components: readonly AiComponent[];
  readonly minLength: number;
  readonly maxLength: number;
  /** Each `req=` attribute: a list of alternatives, each alternative a list of AI patterns joined by "+". */
  readonly requires: readonly (readonly (readonly string[])[])[];
  readonly excludes: readonly string[];
  /** Present when the AI is a Digital Link primary key: its alternative ordered qualifier sequences. */
  readonly dlPrimaryKey?: readonly (readonly string[])[];
}

const FLAG_CHARS = /^[*!?"$%&'()+,\-./:;<=>@[\]^_`{|}~]+$/;
const COMPONENT = /^(\[)?([NXYZ])(\d*)(?:\.\.(\d+))?(\])?((?:,[a-z0-9]+)*)$/;

function parseComponent(token: string): AiComponent | undefined {
  const m = COMPONENT.exec(token);
  if (!m) return undefined;
  const [, open, type, fixedOrMin, max, , linters] = m;
  const optional = open === '[';
  let min: number;
  let maxLen: number;
  if (max !== undefined) {
    min = fixedOrMin ? Number(fixedOrMin) : 1;
    maxLen = Number(max);
  } else {
    min = maxLen = Number(fixedOrMin);
  }
  return {
    type: type as CharsetType,
    min,
    max: maxLen,
    optional,
    linters: linters ? linters.slice(1).split(',') : [],
  };
}

function expandRange(spec: string): string[] {
  const [from, to] = spec.split('-');
  if (from === undefined) return [];
  if (to === undefined) return [from];
  const out: string[] = [];
  for (let n = Number(from); n <= Number(to); n++) out.push(String(n).padStart(from.length, '0'));
  return out;
}

function parseLine(line: string): AiEntry[] {
  const hash = line.indexOf('#');
  const title = hash >= 0 ? line.slice(hash + 1).trim() : '';
  const tokens = (hash >= 0 ? line.slice(0, hash) : line).trim().split(/\s+/);
  const [aiSpec, ...rest] = tokens;
  if (aiSpec === undefined || !/^\d+(-\d+)?$/.test(aiSpec)) return [];
  let flags = '';
  if (rest[0] !== undefined && FLAG_CHARS.test(rest[0])) flags = rest.shift() ?? '';
  const components: AiComponent[] = [];
  const requires: string[][][] = [];
  const excludes: string[] = [];
  let dlPrimaryKey: string[][] | undefined;
  for (const token of rest) {
    const component = parseComponent(token);
    if (component) {
      components.push(component);
    } else if (token.startsWith('req=')) {
      requires.push(
        token
          .slice(4)
          .split(',')
          .map((alt) => alt.split('+')),
      );
    } else if (token.startsWith('ex=')) {
      excludes.push(...token.slice(3).split(','));
    } else if (token === 'dlpkey') {
      dlPrimaryKey = [[]];
    } else if (token.startsWith('dlpkey=')) {
      dlPrimaryKey = token
        .slice(7)
        .split('|')
        .map((seq) => seq.split(','));
    }
  }
  const minLength = components.filter((c) => !c.optional).reduce((n, c) => n + c.min, 0);
  const maxLength = components.reduce((n, c) => n + c.max, 0);
  return expandRange(aiSpec).map((ai) => ({
    ai,
    title,
    fnc1Required: !flags.includes('*'),
    dlDataAttribute: flags.includes('?'),
    components,
    minLength,
    maxLength,
    requires,
    excludes,
    ...(dlPrimaryKey ? { dlPrimaryKey } : {}),
  }));
}

const TABLE: ReadonlyMap<string, AiEntry> = new Map(
  GS1_SYNTAX_DICTIONARY.split('\n')
    .flatMap(parseLine)
    .map((entry) => [entry.ai, entry] as const),
);

export function aiEntry(ai: string): AiEntry | undefined {
  return TABLE.get(ai);
}

export function allAiEntries(): IterableIterator<AiEntry> {
  return TABLE.values();
}

/**
 * Finds the AI at the start of unbracketed element-string data. GS1 AIs are prefix-free
 * (GenSpecs §3.2), so at most one of the 2-, 3- and 4-digit prefixes names a known AI.
 */
export function matchAiPrefix(data: string, from = 0): AiEntry | undefined {
  for (let len = 2; len <= 4; len++) {
    const entry = TABLE.get(data.slice(from, from + len));
    if (entry) return entry;
  }
  return undefined;
}

/** True when `ai` matches a dictionary pattern such as "01", "394n" or "35nn". */
export function aiMatchesPattern(ai: string, pattern: string): boolean {
  if (ai.length !== pattern.length) return false;
  for (let i = 0; i < ai.length; i++) {
    const p = pattern[i];
    if (p !== 'n' && p !== ai[i]) return false;
  }
  return true;
}

/**
 * Whether data for an AI needs a GS/FNC1 separator before a following AI. GenSpecs Figure 7.8.5-2
 * lists the predefined-length AI prefixes; the dictionary marks exactly those with "*".
 */
export function needsSeparatorAfter(ai: string): boolean {
  return aiEntry(ai)?.fnc1Required ?? true;
}
