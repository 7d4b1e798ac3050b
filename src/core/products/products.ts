import type { Database } from 'better-sqlite3-multiple-ciphers';
import { ApiError } from '../api/errors';
import type { Product } from '../api/procedures/products';
import type { Entry } from '../ledger/workspace';
import { ndc11Candidates, parseNdc } from '../identifiers';

interface ProductRow {
  ndc: string;
  ndc11: string;
  name: string;
  strength: string;
  dosage_form: string;
  package_size: number | null;
  unit: string;
  schedule: Product['schedule'];
  source: Product['source'];
}

function fromRow(row: ProductRow): Product {
  return {
    ndc: row.ndc,
    ndc11: row.ndc11,
    name: row.name,
    strength: row.strength,
    dosageForm: row.dosage_form,
    packageSize: row.package_size,
    unit: row.unit,
    schedule: row.schedule,
    source: row.source,
  };
}

/**
 * The canonical forms of an NDC typed by a person: the hyphenated 10-digit form fixes the segments;
 * an 11-digit form is accepted only when one 10-digit form fits (reg-formats.md §6.3).
 */
export function normalizeNdc(text: string): { ndc10: string; ndc11: string } {
  const trimmed = text.trim();
  const digits = trimmed.replace(/-/g, '');
  if (/^\d{11}$/.test(trimmed) || /^\d{5}-\d{4}-\d{2}$/.test(trimmed)) {
    const candidates = ndc11Candidates(digits);
    if (candidates.length === 1) return { ndc10: candidates[0]!.ndc10, ndc11: candidates[0]!.ndc11 };
    throw new ApiError(
      'invalid-input',
      `The 11-digit NDC ${trimmed} fits ${candidates.length} 10-digit forms; type the 10-digit NDC with its hyphens as printed on the package.`,
      { rule: 'ndc-format' },
    );
  }
  const parsed = parseNdc(trimmed);
  if (!parsed.ok) {
    throw new ApiError('invalid-input', `"${trimmed}" is not an NDC: ${parsed.error.message}.`, {
      rule: parsed.error.rule,
    });
  }
  return { ndc10: parsed.value.ndc10, ndc11: parsed.value.ndc11 };
}

/** A product by any written form of its NDC (10-digit hyphenated, or 11-digit with or without hyphens). */
export function findProduct(db: Database, text: string): Product | null {
  const digits = text.trim().replace(/-/g, '');
  if (/^\d{11}$/.test(digits)) {
    const ndc11 = `${digits.slice(0, 5)}-${digits.slice(5, 9)}-${digits.slice(9)}`;
    const row = db.prepare('SELECT * FROM products WHERE ndc11 = ?').get(ndc11) as ProductRow | undefined;
    if (row) return fromRow(row);
  }
  const parsed = parseNdc(text.trim());
  if (!parsed.ok) return null;
  const row = db.prepare('SELECT * FROM products WHERE ndc = ?').get(parsed.value.ndc10) as
    ProductRow | undefined;
  return row ? fromRow(row) : null;
}

export function requireProduct(db: Database, text: string): Product {
  const product = findProduct(db, text);
  if (product === null) {
    throw new ApiError('not-found', `No product with NDC ${text} is in the product master; add it first.`, {
      ndc: text,
    });
  }
  return product;
}

export function listProducts(
  db: Database,
  options: { query?: string; controlledOnly?: boolean; limit: number; offset: number },
): { products: Product[]; total: number } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (options.controlledOnly) where.push('schedule IS NOT NULL');
  if (options.query) {
    where.push("(ndc LIKE ? OR ndc11 LIKE ? OR name LIKE ? ESCAPE '\\')");
    const like = `%${options.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    args.push(like, like, like);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM products ${clause}`).get(...args) as { n: number }).n;
  const rows = db
    .prepare(`SELECT * FROM products ${clause} ORDER BY name, ndc LIMIT ? OFFSET ?`)
    .all(...args, options.limit, options.offset) as ProductRow[];
  return { products: rows.map(fromRow), total };
}

/** Projects products.added and products.imported (a batch of products in one entry). */
export function projectProducts(db: Database, entry: Entry): void {
  if (entry.type !== 'products.added' && entry.type !== 'products.imported') return;
  const list = (
    entry.type === 'products.added' ? [entry.payload.product] : entry.payload.products
  ) as Product[];
  const insert = db.prepare(
    `INSERT INTO products (ndc, ndc11, name, strength, dosage_form, package_size, unit, schedule, source, added_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const p of list) {
    insert.run(
      p.ndc,
      p.ndc11,
      p.name,
      p.strength,
      p.dosageForm,
      p.packageSize,
      p.unit,
      p.schedule,
      p.source,
      entry.seq,
    );
  }
}
