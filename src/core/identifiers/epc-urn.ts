import { isCset82, showChar } from './charsets';
import { fail, ok, type Result } from './result';

/**
 * EPC pure-identity URNs (GS1 EPC Tag Data Standard 2.x §6): `urn:epc:id:<scheme>:<fields>`, plus the
 * class-level `urn:epc:class:lgtin:` and the patterns `urn:epc:idpat:<scheme>:…*` used in EPCIS.
 */
export type EpcUrnForm = 'id' | 'class' | 'idpat';

export interface EpcUrnParts {
  readonly form: EpcUrnForm;
  readonly scheme: string;
  /** Dot-separated fields, still URN-escaped; the last field of a serial-bearing scheme keeps its dots. */
  readonly fields: readonly string[];
  /** Offset of each field in the input, for error positions. */
  readonly offsets: readonly number[];
}

const PREFIX = /^urn:epc:(id|class|idpat):([a-z0-9]+):/i;

/** How many dot-separated fields each scheme has; the last one may contain dots when it is alphanumeric. */
export const EPC_FIELD_COUNT: Record<string, number> = {
  'id:sgtin': 3,
  'id:sscc': 2,
  'id:sgln': 3,
  'id:grai': 3,
  'id:giai': 2,
  'id:gsrn': 2,
  'id:gsrnp': 2,
  'id:gdti': 3,
  'id:cpi': 3,
  'id:sgcn': 3,
  'id:ginc': 2,
  'id:gsin': 2,
  'id:itip': 5,
  'id:upui': 3,
  'id:pgln': 2,
  'class:lgtin': 3,
  'idpat:sgtin': 3,
  'idpat:grai': 3,
  'idpat:gdti': 3,
  'idpat:sgcn': 3,
  'idpat:cpi': 3,
  'idpat:itip': 5,
};

export function splitEpcUrn(urn: string): Result<EpcUrnParts> {
  const m = PREFIX.exec(urn);
  if (!m)
    return fail(
      'urn-prefix',
      'an EPC URN starts with "urn:epc:id:", "urn:epc:class:" or "urn:epc:idpat:" and a scheme name',
      0,
    );
  const form = (m[1] as string).toLowerCase() as EpcUrnForm;
  const scheme = m[2] as string;
  const count = EPC_FIELD_COUNT[`${form}:${scheme}`];
  if (count === undefined) {
    return fail(
      'urn-scheme',
      `"${form}:${scheme}" is not an EPC scheme this application converts`,
      m[0].length - scheme.length - 1,
    );
  }
  const body = urn.slice(m[0].length);
  const fields: string[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (let i = 0; i < count - 1; i++) {
    const dot = body.indexOf('.', at);
    if (dot < 0) {
      return fail(
        'urn-fields',
        `urn:epc:${form}:${scheme} needs ${count} dot-separated fields; found ${i + 1}`,
        m[0].length + body.length,
      );
    }
    fields.push(body.slice(at, dot));
    offsets.push(m[0].length + at);
    at = dot + 1;
  }
  fields.push(body.slice(at));
  offsets.push(m[0].length + at);
  return ok({ form, scheme, fields, offsets });
}

// TDS 2.x Table I.3.1-1: these characters of GS1 set 82 are written as %-triplets inside a URN.
const URN_ESCAPES: Record<string, string> = {
  '"': '%22',
  '%': '%25',
  '&': '%26',
  '/': '%2F',
  '<': '%3C',
  '>': '%3E',
  '?': '%3F',
};
// CPI component references use GS1 set 39; "#" and "/" are escaped (TDS 2.x §6.3.16).
const CPI_ESCAPES: Record<string, string> = { '#': '%23', '/': '%2F' };

/** Per ASCII code: 1 = may stand raw in a strict URN field (set 82 minus the escaped seven), 2 = set 82 but must be escaped. */
const URN_CHAR = new Uint8Array(128);
/** Per ASCII code: 1 = may stand raw in a CPI reference (digits, A-Z, "-"), 2 = "#" or "/", which must be escaped. */
const CPI_CHAR = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const c = String.fromCharCode(code);
  if (isCset82(c)) URN_CHAR[code] = c in URN_ESCAPES ? 2 : 1;
  if (/[0-9A-Z-]/.test(c)) CPI_CHAR[code] = 1;
  else if (c in CPI_ESCAPES) CPI_CHAR[code] = 2;
}

export interface UrnDecodeOptions {
  /** Accept raw characters the TDS says must be escaped and a "%" that starts no escape. */
  readonly tolerant?: boolean;
  readonly cpi?: boolean;
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * Decodes one URN field; positions in errors are offsets into the field. TDS 2.x §6 (EPC URI grammar):
 * a field character is a digit, a letter, one of ! ' ( ) * + , - . : ; = _, or an escape "%" hex hex;
 * the escape stands for the character with that code, which must itself be in GS1 character set 82
 * (for a CPI reference only "%2F" and "%23" exist). So "%27" and "'" are the same apostrophe.
 */
export function decodeUrnField(field: string, options: UrnDecodeOptions = {}): Result<string> {
  const table = options.cpi ? CPI_CHAR : URN_CHAR;
  // Common case: nothing escaped and nothing to escape, so the field is its own value.
  let i = 0;
  while (i < field.length) {
    const code = field.charCodeAt(i);
    if (code >= 128 || table[code] !== 1) break;
    i++;
  }
  if (i === field.length) return ok(field);
  const tolerant = options.tolerant === true;
  let out = field.slice(0, i);
  for (; i < field.length; i++) {
    const c = field[i] as string;
    const code = field.charCodeAt(i);
    if (code === 0x25) {
      const hi = hexDigit(field.charCodeAt(i + 1));
      const lo = hexDigit(field.charCodeAt(i + 2));
      const decoded = hi >= 0 && lo >= 0 ? hi * 16 + lo : -1;
      if (decoded >= 0 && decoded < 128 && table[decoded] !== 0) {
        if (!options.cpi || table[decoded] === 2) {
          out += String.fromCharCode(decoded);
          i += 2;
          continue;
        }
      }
      if (tolerant) {
        out += c;
        continue;
      }
      return fail('urn-escape', escapeProblem(field.slice(i, i + 3), decoded, i, options.cpi === true), i);
    }
    const kind = code < 128 ? (table[code] as number) : 0;
    if (kind === 1 || (kind === 2 && tolerant)) {
      out += c;
      continue;
    }
    const escapes = options.cpi ? CPI_ESCAPES : URN_ESCAPES;
    const hint = kind === 2 ? ` (write it as ${escapes[c]})` : '';
    return fail('urn-character', `character ${showChar(c)} is not allowed in this EPC URN field${hint}`, i);
  }
  return ok(out);
}

function escapeProblem(text: string, decoded: number, at: number, cpi: boolean): string {
  const where = `at field character ${at + 1}`;
  if (decoded < 0)
    return `"%" ${where} must start an escape of two hex digits (e.g. %2F for "/"); write a literal "%" as %25`;
  const shown = showChar(String.fromCharCode(decoded));
  return cpi
    ? `${text} ${where} stands for ${shown}; a CPI component reference may only escape "/" (%2F) and "#" (%23)`
    : `${text} ${where} stands for ${shown}, which is not in GS1 character set 82`;
}

export function encodeUrnField(value: string, cpi = false): string {
  const escapes = cpi ? CPI_ESCAPES : URN_ESCAPES;
  let out = '';
  for (const c of value) out += escapes[c] ?? c;
  return out;
}
