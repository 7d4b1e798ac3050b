/**
 * RFC 4180 CSV: fields separated by a delimiter, optionally quoted with '"' (a quote inside a quoted
 * field is doubled), records ended by CRLF or LF. A UTF-8 byte-order mark at the start is dropped
 * (spreadsheet programs write one). Each row keeps its 1-based line number for error messages.
 */
export interface CsvRow {
  readonly line: number;
  readonly fields: string[];
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

export function parseCsv(input: string, delimiter = ','): CsvRow[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let i = 0;
  let quoted = false;
  let wasQuoted = false;
  const endField = () => {
    fields.push(wasQuoted ? field : field.trim());
    field = '';
    wasQuoted = false;
  };
  const endRow = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields });
    fields = [];
    rowLine = line;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field.trim() === '') {
      quoted = true;
      wasQuoted = true;
      field = '';
      i++;
    } else if (c === delimiter) {
      endField();
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      line++;
      i += 2;
      endRow();
    } else if (c === '\n') {
      line++;
      i++;
      endRow();
    } else {
      field += c;
      i++;
    }
  }
  if (quoted)
    throw new CsvError(
      'a quoted field is never closed: the file is truncated or a quote is missing',
      rowLine,
    );
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

/** Guesses the delimiter from the header line: the most frequent of , ; tab and |. */
export function sniffDelimiter(headerLine: string): string {
  const counts = [',', ';', '\t', '|'].map((d) => [d, headerLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}
