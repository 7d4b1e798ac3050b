import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/generate-demo';
import { saveMapping, savePartner, type PartnerInput } from '../../src/core/partners/store';
import { importFile } from '../../src/core/ingest/pipeline';
import { openSession, scan } from '../../src/core/receiving/service';
import { freshContext } from './helpers';

const DEMO = path.join(import.meta.dirname, '..', '..', 'resources', 'demo');

describe('demo data in resources/demo', () => {
  it('is exactly what scripts/generate-demo.ts generates', () => {
    for (const [name, content] of generate())
      expect(fs.readFileSync(path.join(DEMO, name), 'utf8'), name).toBe(content);
  });

  it('loads: every file imports except the suspect one; the over-shipment and the suspect serial show at receiving', async () => {
    const ctx = await freshContext();
    const ids = new Map<string, number>();
    for (const p of JSON.parse(fs.readFileSync(path.join(DEMO, 'partners.json'), 'utf8')) as PartnerInput[])
      ids.set(p.name, await savePartner(ctx, p, 't'));
    const m = (
      JSON.parse(fs.readFileSync(path.join(DEMO, 'mappings.json'), 'utf8')) as Record<
        string,
        { name: string; mapping: unknown }
      >
    )['Summit Specialty Supply']!;
    const summit = ids.get('Summit Specialty Supply')!;
    const mappingId = await saveMapping(ctx, summit, m.name, m.mapping, 't');
    const statuses: Record<string, string> = {};
    for (const name of fs.readdirSync(path.join(DEMO, 'files')).sort()) {
      const r = await importFile(
        ctx,
        {
          source: { path: path.join(DEMO, 'files', name) },
          name,
          origin: 'test',
          ...(name.includes('summit') ? { partnerId: summit, mappingId } : {}),
        },
        { actor: 't' },
      );
      statuses[name] =
        r.status === 'quarantined' ? `quarantined:${r.reasons.map((x) => x.rule).join(',')}` : r.status;
    }
    expect(Object.values(statuses).filter((s) => s === 'imported')).toHaveLength(7);
    expect(statuses['2026-03-18-riverside-epcis.xml']).toBe('quarantined:decommissioned-activity');
    const scans = JSON.parse(fs.readFileSync(path.join(DEMO, 'scans.json'), 'utf8')) as {
      shipment: string;
      scan: string;
      expect: string;
    }[];
    const verdicts: string[] = [];
    for (const s of scans.filter((x) => x.shipment === 'SSS-4411' || x.expect.startsWith('suspect'))) {
      const shipmentId = ctx.db
        .prepare('SELECT id FROM shipments WHERE reference = ?')
        .pluck()
        .get(s.shipment) as number | undefined;
      const session = await openSession(ctx, shipmentId !== undefined ? { shipmentId } : {}, 't');
      const r = await scan(ctx, session, s.scan, 't');
      verdicts.push(r.exception?.kind ?? r.verdict);
    }
    expect(verdicts).toEqual(['suspect', 'accepted', 'accepted', 'over-shipment']);
  });
});
