/**
 * Percent-encoding for GS1 Digital Link URIs (GS1 Digital Link URI Syntax 1.x §7, RFC 3986):
 * every character outside the RFC 3986 unreserved set is percent-encoded as UTF-8 with upper-case hex,
 * so that "/", "?", "#", "&" and "+" inside an AI value can never be read as URI structure. In the
 * query a space becomes "+" (form encoding), in the path "%20". This matches the GS1 Syntax Engine.
 */
const UNRESERVED = /[A-Za-z0-9\-._~]/;

export function escapeDlPath(value: string): string {
  return escape(value, false);
}

export function escapeDlQuery(value: string): string {
  return escape(value, true);
}

function escape(value: string, query: boolean): string {
  let out = '';
  for (const ch of value) {
    if (UNRESERVED.test(ch)) out += ch;
    else if (query && ch === ' ') out += '+';
    else
      for (const byte of new TextEncoder().encode(ch))
        out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * Decodes %XX triplets (any case) to bytes and the bytes as UTF-8; a "%" not followed by two hex
 * digits stays literal. In the query, "+" means space. Returns undefined if the bytes are not UTF-8.
 */
export function unescapeDl(value: string, query: boolean): string | undefined {
  const bytes = unescapeDlBytes(value, query);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function unescapeDlBytes(value: string, query: boolean): Uint8Array {
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      out.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (query && c === '+') {
      out.push(0x20);
    } else {
      out.push(...encoder.encode(c));
    }
  }
  return Uint8Array.from(out);
}
