import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import { importFile } from '../../src/core/ingest/pipeline';
import { openLedger, workspaceFor, type OpenLedger } from '../../src/core/ledger/open';
import { readSnapshot, type Snapshot } from '../../src/core/ledger/snapshot';
import type { Workspace } from '../../src/core/ledger/workspace';
import { saveMapping, savePartner, type PartnerInput } from '../../src/core/partners/store';
import { projections } from '../../src/core/projections';
import { buildReport, renderReport, type ReportRequest } from '../../src/core/reports/engine';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import { tempDir } from '../ingest/helpers';
import { REGISTRANT } from '../inventory/helpers';

export const DEMO = path.join(import.meta.dirname, '..', '..', 'resources', 'demo');
export const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'reports');

const opened: OpenLedger[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

export type ReportContext = Workspace & {
  read<T>(fn: (snapshot: Snapshot) => T): T;
  close(): void;
};

/** A fresh ledger with a snapshot reader on the installation's read-only connection. */
export async function reportContext(dataDir = tempDir('custodia-reports-')): Promise<ReportContext> {
  const o = await openLedger({ dataDir, secrets: createMemorySecretStore(), createIfMissing: true });
  opened.push(o);
  const ws = workspaceFor(o, projections);
  return {
    ...ws,
    read: (fn) => readSnapshot(o.installation.reader(), { sealer: ws.sealer, dataDir }, fn),
    close: () => o.close(),
  };
}

/**
 * Loads the demo month (resources/demo): partners and Summit's mapping (unless `setup` is false:
 * they are there already), then the files `only` accepts, in date order.
 */
export async function loadDemo(
  ctx: Workspace,
  only: (name: string) => boolean = () => true,
  setup = true,
): Promise<Record<string, string>> {
  if (setup) {
    await ctx.write((tx) => tx.record('registrant.recorded', 'setup', { registrant: REGISTRANT }));
    const ids = new Map<string, number>();
    for (const p of JSON.parse(fs.readFileSync(path.join(DEMO, 'partners.json'), 'utf8')) as PartnerInput[])
      ids.set(p.name, await savePartner(ctx, p, 'demo'));
    const m = (
      JSON.parse(fs.readFileSync(path.join(DEMO, 'mappings.json'), 'utf8')) as Record<
        string,
        { name: string; mapping: unknown }
      >
    )['Summit Specialty Supply']!;
    await saveMapping(ctx, ids.get('Summit Specialty Supply')!, m.name, m.mapping, 'demo');
  }
  const summit = ctx.db
    .prepare("SELECT id FROM trading_partners WHERE name = 'Summit Specialty Supply'")
    .pluck()
    .get() as number;
  const mappingId = ctx.db
    .prepare('SELECT id FROM partner_mappings WHERE partner_id = ?')
    .pluck()
    .get(summit) as number;
  const statuses: Record<string, string> = {};
  for (const name of fs.readdirSync(path.join(DEMO, 'files')).sort().filter(only)) {
    const r = await importFile(
      ctx,
      {
        source: { path: path.join(DEMO, 'files', name) },
        name,
        origin: 'test',
        ...(name.includes('summit') ? { partnerId: summit, mappingId } : {}),
      },
      { actor: 'demo' },
    );
    statuses[name] = r.status;
  }
  return statuses;
}

/** Builds and renders a report on the context's newest snapshot (or `at`). */
export async function generate(ctx: ReportContext, request: ReportRequest): Promise<Buffer> {
  const built = ctx.read((snapshot) => buildReport(snapshot, request));
  return renderReport(built, request.format);
}
