import type { ReportedIssue } from '../epcis/issues';
import { finding, type RuleFinding } from '../model/findings';
import type { IngestFormat } from '../model/records';

/** What a file is, and when it is not what it claims, the finding that holds it (nothing else is read). */
export interface Detected {
  readonly format: IngestFormat;
  readonly problem?: RuleFinding;
}

/** Byte-order marks a partner file may start with; only UTF-8's is read (EPCIS 2.0 §9 and X12 are UTF-8/ASCII). */
const BYTE_ORDER_MARKS: readonly { bytes: readonly number[]; name: string }[] = [
  // UTF-32 before UTF-16: FF FE 00 00 starts with UTF-16 LE's mark.
  { bytes: [0xff, 0xfe, 0x00, 0x00], name: 'UTF-32 (little-endian)' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], name: 'UTF-32 (big-endian)' },
  { bytes: [0xff, 0xfe], name: 'UTF-16 (little-endian)' },
  { bytes: [0xfe, 0xff], name: 'UTF-16 (big-endian)' },
  { bytes: [0x2b, 0x2f, 0x76], name: 'UTF-7' },
  { bytes: [0xf7, 0x64, 0x4c], name: 'UTF-1' },
  { bytes: [0xdd, 0x73, 0x66, 0x73], name: 'UTF-EBCDIC' },
  { bytes: [0x0e, 0xfe, 0xff], name: 'SCSU' },
  { bytes: [0xfb, 0xee, 0x28], name: 'BOCU-1' },
  { bytes: [0x84, 0x31, 0x95, 0x33], name: 'GB 18030' },
];
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** The format a file's name claims, by its extension; the content must then agree. */
const BY_EXTENSION: Record<string, IngestFormat | 'csv'> = {
  xml: 'epcis-xml',
  json: 'epcis-json',
  jsonld: 'epcis-json',
  x12: 'x12-856',
  edi: 'x12-856',
  '856': 'x12-856',
  csv: 'csv',
  tsv: 'csv',
  txt: 'csv',
};

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) =>
  bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);

/**
 * What a partner file is, from its name and first bytes (issue 18: files are what they claim). An
 * empty file, a byte-order mark other than UTF-8's, or bytes that are not text are named for what
 * they are instead of being read as a spreadsheet; the extension counts before the content, and the
 * content must agree with it; only a file whose name says nothing falls back to CSV, and only text.
 * `head` is the file's first bytes (4 KiB is plenty), `size` its whole length.
 */
export function detectFile(
  head: Uint8Array,
  size: number,
  name: string,
  csv: 'csv-t3' | 'csv-fsma',
): Detected {
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  const claimed = extension === undefined ? undefined : BY_EXTENSION[extension];
  const guess: IngestFormat = claimed === 'csv' ? csv : (claimed ?? csv);
  const held = (message: string): Detected => ({
    format: guess,
    problem: finding('file-format', message, null),
  });
  if (size === 0) return held('the file is empty (0 bytes): ask the partner to send it again');
  const mark = BYTE_ORDER_MARKS.find((m) => startsWith(head, m.bytes));
  if (mark !== undefined)
    return held(
      `the file is ${mark.name} text (it starts with that byte-order mark); partner files are read as UTF-8: ask the partner for UTF-8, or save it as UTF-8`,
    );
  const body = startsWith(head, UTF8_BOM) ? head.subarray(3) : head;
  if (!isText(body))
    return held(
      `the file is not text (its first bytes hold ${body.includes(0) ? 'NUL bytes' : 'bytes that are not UTF-8'}): it is no partner file Custodia reads${claimed !== undefined ? `, whatever its name (.${extension}) says` : ''}`,
    );
  const text = new TextDecoder('utf-8').decode(body).trimStart();
  const sniffed: IngestFormat | undefined = text.startsWith('<')
    ? 'epcis-xml'
    : text.startsWith('{')
      ? 'epcis-json'
      : text.startsWith('ISA')
        ? 'x12-856'
        : undefined;
  if (text === '') return held('the file holds only blank space: ask the partner to send it again');
  if (claimed === undefined) return { format: sniffed ?? csv };
  if (claimed === 'csv') {
    if (sniffed === 'epcis-xml' || sniffed === 'epcis-json')
      return held(
        `the file is named .${extension} but holds ${sniffed === 'epcis-xml' ? 'XML' : 'JSON'}: rename it, or ask the partner which it is`,
      );
    return { format: guess };
  }
  if (sniffed !== claimed)
    return held(
      `the file is named .${extension} but does not start as ${describe(claimed)} does${sniffed !== undefined ? ` (it looks like ${describe(sniffed)})` : ''}: rename it, or ask the partner which it is`,
    );
  return { format: claimed };
}

function describe(format: IngestFormat): string {
  return format === 'epcis-xml'
    ? 'XML'
    : format === 'epcis-json'
      ? 'JSON'
      : format === 'x12-856'
        ? 'an X12 interchange (ISA)'
        : 'a spreadsheet';
}

/** UTF-8 without NUL bytes; a multi-byte character cut at the end of the head is fine. */
function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  let end = bytes.length;
  // Back off an incomplete trailing sequence (at most 3 bytes) so the cut does not count as invalid.
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = bytes[end - back]!;
    if ((b & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * What makes an EPCIS document no EPCIS document, whatever the tolerant reader accepts in events:
 * a JSON document needs its "@context" and `type` EPCISDocument or EPCISQueryDocument (EPCIS 2.0
 * §9.2, the JSON-LD binding); `{"hello": "world"}` or an installation file is not a shipment.
 */
export function documentProblems(format: IngestFormat, issues: readonly ReportedIssue[]): RuleFinding[] {
  return issues
    .filter(
      (i) =>
        i.severity === 'error' ||
        (format === 'epcis-json' && i.code === 'missing-field' && i.field === '@context'),
    )
    .map((i) =>
      finding(
        'file-format',
        `this is not an EPCIS document: ${i.message}`,
        null,
        i.field !== undefined ? { field: i.field } : {},
      ),
    );
}

/** A file that reads cleanly but holds no records is held, never reported as imported. */
export function noRecords(format: IngestFormat): RuleFinding {
  return finding(
    'file-format',
    `the file holds no records (${describe(format)} with nothing in it to import): held so that a partner's empty or wrong file is seen, not counted as received`,
    null,
  );
}
