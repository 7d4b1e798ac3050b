/** GS1 character sets (GenSpecs §7.11, Figures 7.11-1 to 7.11-3). */
const CSET82 = new Set('!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz');
const CSET39 = new Set('#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const CSET64 = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');

export function isCset82(c: string): boolean {
  return CSET82.has(c);
}
export function isCset39(c: string): boolean {
  return CSET39.has(c);
}
export function isCset64(c: string): boolean {
  return CSET64.has(c);
}
export function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Shows a character safely in an error message (control characters as U+XXXX). */
export function showChar(c: string | undefined): string {
  if (c === undefined) return 'end of data';
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f || code > 0x7e
    ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
    : `"${c}"`;
}
