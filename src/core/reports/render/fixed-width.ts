import type { StampedDocument } from '../document';

/*
 * A fixed-width text file (the ARCOS file): the document's lines, each ended by its line end, in
 * ASCII. Nothing else is added (no byte-order mark, no header): the receiving system reads
 * positions, and one stray byte would shift every field after it.
 */
export function renderFixedWidth(stamped: StampedDocument): Buffer {
  const fixed = stamped.document.fixedWidth;
  if (fixed === undefined) throw new Error(`the ${stamped.kind} report has no fixed-width form`);
  const text = fixed.lines.map((line) => `${line}${fixed.lineEnd}`).join('');
  if (!/^[\x20-\x7e\r\n]*$/.test(text))
    throw new Error('a fixed-width record holds a character outside printable ASCII');
  return Buffer.from(text, 'ascii');
}
