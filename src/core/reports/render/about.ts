import type { ReportFieldValue, ReportSection, StampedDocument } from '../document';

/** The sheet name of the part that says what a spreadsheet holds. */
export const ABOUT_SHEET = 'About these records';

/**
 * The "About these records" part of CSV and XLSX: what the file holds, who produced it, from which
 * checkpoint and how to check it, then every section of fields or paragraphs of the document.
 */
export function aboutRows(stamped: StampedDocument): [string, string][] {
  const { document: doc, registrant, stamp } = stamped;
  const rows: [string, string][] = [
    ['Report', doc.title],
    ...(doc.subtitle !== undefined ? ([['About', doc.subtitle]] as [string, string][]) : []),
    ['Report kind', stamped.kind],
    ['Produced by', registrant.name],
    ...registrant.lines.map((l): [string, string] => ['', l]),
    ...doc.parameters.map((p: ReportFieldValue): [string, string] => [p.label, p.value]),
    ['Ledger checkpoint tree size', String(stamp.size)],
    ['Ledger checkpoint root hash (hex)', stamp.rootHex],
    ['Ledger checkpoint root hash (base64)', stamp.rootBase64],
    ['Signing key', stamp.keyIds.join(', ')],
    ['Ledger log', stamp.origin],
    ['Last ledger entry covered (UTC)', stamp.time],
    ['How to check', stamp.howToCheck],
  ];
  if (doc.empty) rows.push(['Empty', 'Nothing in the ledger matched what was asked.']);
  for (const section of doc.sections.filter(isAboutSection)) {
    rows.push([section.heading, '']);
    for (const p of section.paragraphs ?? []) rows.push(['', p]);
    for (const f of section.fields ?? []) rows.push([f.label, f.value]);
  }
  return rows;
}

/** Sections without a table print in the About part of a spreadsheet. */
export function isAboutSection(section: ReportSection): boolean {
  return section.table === undefined;
}
