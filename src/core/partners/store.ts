import { ApiError } from '../api/errors';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import type { partnerInputSchema, partnerRoleSchema } from '../api/procedures/partners';
import { csvMappingSchema, type CsvMapping } from '../formats/csv/mapping';
import { parseGln } from '../identifiers';
import type { Workspace } from '../ledger/workspace';

export type PartnerInput = z.infer<typeof partnerInputSchema>;

export interface Partner extends PartnerInput {
  readonly id: number;
  readonly mappings: { id: number; name: string; kind: CsvMapping['kind'] }[];
}

/** A partner that cannot be saved as given (a GLN that fails its check digit …). */
export class PartnerError extends ApiError {
  constructor(message: string) {
    super('rule-violation', message, { rule: 'trading-partner' });
    this.name = 'PartnerError';
  }
}

/** Saves a trading partner (new or changed) as a ledger entry and its projection. */
export async function savePartner(ctx: Workspace, input: PartnerInput, actor: string): Promise<number> {
  for (const gln of input.glns) {
    const check = parseGln(gln);
    if (!check.ok) throw new PartnerError(`GLN ${gln} is not valid: ${check.error.message}`);
  }
  const value = await ctx.write((writer) => {
    const db = writer.db;
    for (const gln of input.glns) {
      const owner = db.prepare('SELECT partner_id FROM partner_glns WHERE gln = ?').pluck().get(gln) as
        number | undefined;
      if (owner !== undefined && owner !== input.id)
        throw new PartnerError(`GLN ${gln} already belongs to another trading partner`);
    }
    const id =
      input.id ??
      ((db.prepare('SELECT max(id) FROM trading_partners').pluck().get() as number | null) ?? 0) + 1;
    const [seq] = writer.append([{ type: 'partners.saved', actor, payload: { ...input, id } }]);
    projectPartner(db, { ...input, id }, seq!);
    return id;
  });
  return value;
}

/** Saves a partner's CSV column mapping (validated by zod) under a name. */
export async function saveMapping(
  ctx: Workspace,
  partnerId: number,
  name: string,
  mapping: unknown,
  actor: string,
): Promise<number> {
  const parsed = csvMappingSchema.safeParse(mapping);
  if (!parsed.success) {
    throw new PartnerError(
      `the column mapping is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const value = await ctx.write((writer) => {
    const db = writer.db;
    if (db.prepare('SELECT 1 FROM trading_partners WHERE id = ?').get(partnerId) === undefined) {
      throw new PartnerError(`there is no trading partner ${partnerId}`);
    }
    const [seq] = writer.append([
      { type: 'partners.mapping-saved', actor, payload: { partnerId, name, mapping: parsed.data } },
    ]);
    projectMapping(db, { partnerId, name, mapping: parsed.data }, seq!);
    return db
      .prepare('SELECT id FROM partner_mappings WHERE partner_id = ? AND name = ?')
      .pluck()
      .get(partnerId, name) as number;
  });
  return value;
}

export function listPartners(ctx: Pick<Workspace, 'db'>): Partner[] {
  const rows = ctx.db
    .prepare('SELECT id, name, role, authorized, address FROM trading_partners ORDER BY name')
    .all() as {
    id: number;
    name: string;
    role: z.infer<typeof partnerRoleSchema>;
    authorized: number;
    address: string | null;
  }[];
  const glns = ctx.db.prepare('SELECT gln FROM partner_glns WHERE partner_id = ? ORDER BY gln').pluck();
  const maps = ctx.db.prepare(
    'SELECT id, name, mapping FROM partner_mappings WHERE partner_id = ? ORDER BY name',
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    authorized: r.authorized === 1,
    ...(r.address !== null ? { address: r.address } : {}),
    glns: glns.all(r.id) as string[],
    mappings: (maps.all(r.id) as { id: number; name: string; mapping: string }[]).map((m) => ({
      id: m.id,
      name: m.name,
      kind: (JSON.parse(m.mapping) as CsvMapping).kind,
    })),
  }));
}

/** The saved partner's name for a GLN (a party or location), for pages that would show a bare GLN. */
export function partnerNameOf(db: Database, gln: string): string | null {
  return (
    (db
      .prepare(
        'SELECT p.name FROM partner_glns g JOIN trading_partners p ON p.id = g.partner_id WHERE g.gln = ?',
      )
      .pluck()
      .get(gln) as string | undefined) ?? null
  );
}

export function getMapping(ctx: Pick<Workspace, 'db'>, id: number): CsvMapping | undefined {
  const row = ctx.db.prepare('SELECT mapping FROM partner_mappings WHERE id = ?').pluck().get(id) as
    string | undefined;
  return row === undefined ? undefined : csvMappingSchema.parse(JSON.parse(row));
}

/** The projection of a partners.saved entry (also used to rebuild from the ledger). */
export function projectPartner(db: Database, p: PartnerInput & { id: number }, seq: number): void {
  db.prepare(
    `INSERT INTO trading_partners (id, name, role, authorized, address, saved_seq) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, authorized = excluded.authorized, address = excluded.address, saved_seq = excluded.saved_seq`,
  ).run(p.id, p.name, p.role, p.authorized ? 1 : 0, p.address ?? null, seq);
  db.prepare('DELETE FROM partner_glns WHERE partner_id = ?').run(p.id);
  const add = db.prepare('INSERT INTO partner_glns (gln, partner_id) VALUES (?, ?)');
  for (const gln of p.glns) add.run(gln, p.id);
}

/** The projection of a partners.mapping-saved entry. */
export function projectMapping(
  db: Database,
  m: { partnerId: number; name: string; mapping: unknown },
  seq: number,
): void {
  db.prepare(
    `INSERT INTO partner_mappings (partner_id, name, mapping, saved_seq) VALUES (?, ?, ?, ?)
     ON CONFLICT (partner_id, name) DO UPDATE SET mapping = excluded.mapping, saved_seq = excluded.saved_seq`,
  ).run(m.partnerId, m.name, JSON.stringify(m.mapping), seq);
}
