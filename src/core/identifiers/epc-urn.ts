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

export interface UrnDecodeOptions {
  /** Accept raw characters the TDS says must be escaped and a "%" that starts no escape. */
  readonly tolerant?: boolean;
  readonly cpi?: boolean;
}

/** Decodes one URN field; positions in errors are offsets into the field. */
export function decodeUrnField(field: string, options: UrnDecodeOptions = {}): Result<string> {
  const escapes = options.cpi ? CPI_ESCAPES : URN_ESCAPES;
  const reverse = new Map(Object.entries(escapes).map(([c, e]) => [e, c]));
  let out = '';
  for (let i = 0; i < field.length; i++) {
    const c = field[i] as string;
    if (c === '%') {
      const decoded = reverse.get(field.slice(i, i + 3).toUpperCase());
      if (decoded !== undefined) {
        out += decoded;
        i += 2;
        continue;
      }
      if (!options.tolerant) {
        return fail(
          'urn-escape',
          `"%" at field character ${i + 1} must start one of ${[...reverse.keys()].join(' ')}`,
          i,
        );
      }
      out += c;
      continue;
    }
    const allowed = options.cpi
      ? /[0-9A-Z-]/.test(c) || (options.tolerant === true && c in escapes)
      : isCset82(c) && (options.tolerant === true || !(c in escapes));
    if (!allowed) {
      const hint = c in escapes ? ` (write it as ${escapes[c]})` : '';
      return fail('urn-character', `character ${showChar(c)} is not allowed in this EPC URN field${hint}`, i);
    }
    out += c;
  }
  return ok(out);
}

export function encodeUrnField(value: string, cpi = false): string {
  const escapes = cpi ? CPI_ESCAPES : URN_ESCAPES;
  let out = '';
  for (const c of value) out += escapes[c] ?? c;
  return out;
}
