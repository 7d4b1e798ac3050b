export type Delimiter = ',' | ';' | '\t' | '|';

/** The delimiter a spreadsheet export most likely uses: the one that splits its first line most. */
export function sniffDelimiter(firstLine: string): Delimiter {
  const candidates: Delimiter[] = [',', ';', '\t', '|'];
  let best: Delimiter = ',';
  let most = 0;
  for (const d of candidates) {
    const n = firstLine.split(d).length;
    if (n > most) {
      most = n;
      best = d;
    }
  }
  return best;
}

/** The header row of a CSV (RFC 4180 quoting), for offering its columns in the mapping editor. */
export function csvHeader(text: string, delimiter?: Delimiter): { headers: string[]; delimiter: Delimiter } {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const d = delimiter ?? sniffDelimiter(firstLine);
  const headers: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === d) {
      headers.push(field.trim());
      field = '';
    } else if (c === '\n' || c === '\r') break;
    else field += c;
  }
  headers.push(field.trim());
  return { headers: headers.filter((h) => h !== ''), delimiter: d };
}
