/**
 * FDA NDC Directory files (https://www.fda.gov/drugs/drug-approvals-and-databases/national-drug-code-directory):
 * product.txt and package.txt, tab-separated with a header row. Columns are found by header name
 * because FDA has added columns over the years (NDC_EXCLUDE_FLAG, LISTING_RECORD_CERTIFIED_THROUGH).
 * DEASCHEDULE holds CI..CV or is empty (not a controlled substance).
 */
export interface DirectoryProduct {
  readonly productId: string;
  readonly productNdc: string;
  readonly name: string;
  readonly genericName: string;
  readonly dosageForm: string;
  readonly strength: string;
  readonly schedule: 'CI' | 'CII' | 'CIII' | 'CIV' | 'CV' | null;
  readonly line: number;
}

export interface DirectoryPackage {
  readonly productId: string;
  readonly productNdc: string;
  readonly packageNdc: string;
  readonly description: string;
  readonly line: number;
}

export interface ParseProblem {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

const SCHEDULES = new Set(['CI', 'CII', 'CIII', 'CIV', 'CV']);

function table(text: string, file: string, required: readonly string[]) {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim().toUpperCase());
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new Error(
      `${file} is not an FDA NDC directory file: its header lacks ${missing.join(', ')}. ` +
        'Use the tab-separated product.txt / package.txt from the NDC directory download.',
    );
  }
  const col = (name: string) => header.indexOf(name);
  const rows: { line: number; get: (name: string) => string }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const cells = raw.split('\t');
    rows.push({ line: i + 1, get: (name) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : '') });
  }
  return rows;
}

export function parseProductFile(text: string): { products: DirectoryProduct[]; problems: ParseProblem[] } {
  const rows = table(text, 'product.txt', [
    'PRODUCTID',
    'PRODUCTNDC',
    'PROPRIETARYNAME',
    'DOSAGEFORMNAME',
    'DEASCHEDULE',
  ]);
  const products: DirectoryProduct[] = [];
  const problems: ParseProblem[] = [];
  for (const row of rows) {
    const productNdc = row.get('PRODUCTNDC');
    const schedule = row.get('DEASCHEDULE').toUpperCase();
    if (!/^\d{4,5}-\d{3,4}$/.test(productNdc)) {
      problems.push({ file: 'product.txt', line: row.line, reason: 'PRODUCTNDC is not labeler-product' });
      continue;
    }
    if (schedule !== '' && !SCHEDULES.has(schedule)) {
      problems.push({
        file: 'product.txt',
        line: row.line,
        reason: `DEASCHEDULE "${schedule}" is not CI-CV`,
      });
      continue;
    }
    const amounts = row
      .get('ACTIVE_NUMERATOR_STRENGTH')
      .split(';')
      .map((s) => s.trim());
    const units = row
      .get('ACTIVE_INGRED_UNIT')
      .split(';')
      .map((s) => s.trim());
    const strength = amounts
      .map((amount, i) => (amount === '' ? '' : `${amount} ${units[i] ?? ''}`.trim()))
      .filter((s) => s !== '')
      .join('; ');
    const proprietary = [row.get('PROPRIETARYNAME'), row.get('PROPRIETARYNAMESUFFIX')]
      .filter((s) => s !== '')
      .join(' ');
    products.push({
      productId: row.get('PRODUCTID'),
      productNdc,
      name: proprietary || row.get('NONPROPRIETARYNAME'),
      genericName: row.get('NONPROPRIETARYNAME'),
      dosageForm: row.get('DOSAGEFORMNAME'),
      strength,
      schedule: schedule === '' ? null : (schedule as DirectoryProduct['schedule']),
      line: row.line,
    });
  }
  return { products, problems };
}

export function parsePackageFile(text: string): { packages: DirectoryPackage[]; problems: ParseProblem[] } {
  const rows = table(text, 'package.txt', ['PRODUCTNDC', 'NDCPACKAGECODE', 'PACKAGEDESCRIPTION']);
  const packages: DirectoryPackage[] = [];
  const problems: ParseProblem[] = [];
  for (const row of rows) {
    const packageNdc = row.get('NDCPACKAGECODE');
    if (!/^\d{4,5}-\d{3,4}-\d{1,2}$/.test(packageNdc)) {
      problems.push({ file: 'package.txt', line: row.line, reason: 'NDCPACKAGECODE is not a 10-digit NDC' });
      continue;
    }
    packages.push({
      productId: row.get('PRODUCTID'),
      productNdc: row.get('PRODUCTNDC'),
      packageNdc,
      description: row.get('PACKAGEDESCRIPTION'),
      line: row.line,
    });
  }
  return { packages, problems };
}

/**
 * Units in one package from its description: "100 TABLET in 1 BOTTLE (0054-0238-25)", or nested
 * "1 BOTTLE in 1 CARTON (…) > 473 mL in 1 BOTTLE". Each level holds A of the next per B of itself,
 * so the package holds the product of A/B; the unit is the innermost one. null when not stated.
 */
export function packageContents(description: string): { size: number; unit: string } | null {
  const levels = description.split(' > ');
  let size = 1;
  let unit = '';
  for (const level of levels) {
    const match = /^\s*([\d.]+)\s+(.+?)\s+in\s+([\d.]+)\s+/i.exec(level);
    if (!match) return null;
    const a = Number(match[1]);
    const b = Number(match[3]);
    if (!(a > 0) || !(b > 0)) return null;
    size *= a / b;
    unit = match[2]!.replace(/,.*$/, '').trim();
  }
  return Number.isFinite(size) && size > 0
    ? { size: Math.round(size * 1000) / 1000, unit: unit.toLowerCase() }
    : null;
}
