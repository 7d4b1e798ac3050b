import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { IngestHeader } from '../../model/records';
import { readRegistrant } from '../../registrant/registrant';
import type { DscsaContext } from '../../rules/dscsa';

/** Who is who for the DSCSA checks: our own GLNs, and each partner's authorization by GLN and name. */
export function loadDscsaContext(db: Database, header: Pick<IngestHeader, 'statement'>): DscsaContext {
  const rows = db
    .prepare(
      'SELECT g.gln, p.role, p.authorized, p.name FROM trading_partners p LEFT JOIN partner_glns g ON g.partner_id = p.id',
    )
    .all() as { gln: string | null; role: string; authorized: number; name: string }[];
  const ownGlns = new Set<string>();
  const partnerGlns = new Map<string, boolean>();
  const partnerNames = new Map<string, boolean>();
  // The registrant's own GLNs (issue 6's setup) are ours too, as are partners with role "self".
  for (const gln of readRegistrant(db)?.glns ?? []) ownGlns.add(gln);
  for (const r of rows) {
    if (r.role === 'self' && r.gln !== null) ownGlns.add(r.gln);
    if (r.gln !== null) partnerGlns.set(r.gln, r.authorized === 1);
    partnerNames.set(r.name.toLowerCase(), r.authorized === 1);
  }
  return { ownGlns, partnerGlns, partnerNames, statement: header.statement };
}
