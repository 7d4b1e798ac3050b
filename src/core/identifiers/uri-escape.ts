/**
 * Percent-encoding for GS1 Digital Link URIs (GS1 Digital Link URI Syntax 1.x §7, RFC 3986):
 * every character outside the RFC 3986 unreserved set is percent-encoded as UTF-8 with upper-case hex,
 * so that "/", "?", "#", "&" and "+" inside an AI value can never be read as URI structure. In the
 * query a space becomes "+" (form encoding), in the path "%20". This matches the GS1 Syntax Engine.
 *
 * The DL grammar admits the other characters of GS1 character set 82 only in their %-encoded form
 * (its XSYMBOL rule lists e.g. Apostrophe = "%27", Exclamation = "%21"), so "'" is written %27.
 */
const HEX = '0123456789ABCDEF';
const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** How each ASCII character is written in a path segment: itself when unreserved, else %XX. */
const PATH_FORM: readonly string[] = Array.from({ length: 128 }, (_, code) => {
  const c = String.fromCharCode(code);
  return isUnreservedCode(code) ? c : `%${HEX[code >> 4]}${HEX[code & 15]}`;
});

function isUnreservedCode(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x2d || // -
    code === 0x2e || // .
    code === 0x5f || // _
    code === 0x7e // ~
  );
}

/** True when the value is written unchanged in a Digital Link path (only unreserved characters). */
export function isDlPathSafe(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (!isUnreservedCode(value.charCodeAt(i))) return false;
  return true;
}

export function escapeDlPath(value: string): string {
  return escape(value, false);
}

export function escapeDlQuery(value: string): string {
  return escape(value, true);
}

function escape(value: string, query: boolean): string {
  if (isDlPathSafe(value)) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) {
      out += query && code === 0x20 ? '+' : (PATH_FORM[code] as string);
      continue;
    }
    // One code point (a surrogate pair counts once; a lone surrogate encodes as U+FFFD, as TextEncoder does).
    const cp = value.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    if (cp > 0xffff) i++;
    for (const byte of encoder.encode(ch)) out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

/**
 * Decodes %XX triplets (any case) to bytes and the bytes as UTF-8; a "%" not followed by two hex
 * digits stays literal. In the query, "+" means space. Returns undefined if the bytes are not UTF-8.
 */
export function unescapeDl(value: string, query: boolean): string | undefined {
  if (isPlainAscii(value, query)) return value;
  try {
    return strictUtf8.decode(unescapeDlBytes(value, query));
  } catch {
    return undefined;
  }
}

/** Nothing to decode: ASCII without "%" (and without "+" in a query). */
function isPlainAscii(value: string, query: boolean): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x80 || code === 0x25 || (query && code === 0x2b)) return false;
  }
  return true;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

export function unescapeDlBytes(value: string, query: boolean): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x25 && i + 2 < value.length) {
      const hi = hexValue(value.charCodeAt(i + 1));
      const lo = hexValue(value.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out.push(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    if (query && code === 0x2b) out.push(0x20);
    else if (code < 0x80) out.push(code);
    else {
      const cp = value.codePointAt(i) as number;
      if (cp > 0xffff) i++;
      for (const byte of encoder.encode(String.fromCodePoint(cp))) out.push(byte);
    }
  }
  return Uint8Array.from(out);
}
