import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFile } from '../src/core/ingest';
import { openLedger, workspaceFor } from '../src/core/ledger/open';
import { savePartner } from '../src/core/partners';
import { projections } from '../src/core/projections';
import { createMemorySecretStore } from '../src/core/secrets/memory-store';
import { DEFAULT_SYNC, saveEndpoint, syncPass } from '../src/core/sync';
import { startPartnerSim } from '../test/support/partner-sim/server';
import { SAMPLE_PRODUCT, withCheck } from '../test/support/synthetic';
import type { Report } from './report';

/**
 * Issue 15's figure: pulling N events from the partner simulator (EPCIS 2.0 REST, perPage 1000 and
 * 30) into the encrypted ledger, against importing the same events from one file, measured in the
 * same run, each in its own child process (the simulator runs in this one). Goal: the pull at
 * least 0.8 of the file import at perPage 1000. N defaults to 20,000 (CUSTODIA_BENCH_SYNC_EVENTS).
 */
const OURS = withCheck('061414100000');
const SELLER = withCheck('039999999999');
const GTIN = SAMPLE_PRODUCT.gtin;
const mda = (name: string, value: string) => ({ id: `urn:epcglobal:cbv:mda#${name}`, attribute: value });
const HEADER = {
  epcisMasterData: {
    vocabularyList: [
      {
        type: 'urn:epcglobal:epcis:vtype:EPCClass',
        vocabularyElementList: [
          {
            id: `https://id.gs1.org/01/${SAMPLE_PRODUCT.gtin}`,
            attributes: [
              mda('additionalTradeItemIdentification', SAMPLE_PRODUCT.ndc),
              mda('additionalTradeItemIdentificationTypeCode', 'US_FDA_NDC'),
              mda('regulatedProductName', SAMPLE_PRODUCT.name),
              mda('manufacturerOfTradeItemPartyName', SAMPLE_PRODUCT.manufacturer),
              mda('dosageFormType', SAMPLE_PRODUCT.form),
              mda('strengthDescription', SAMPLE_PRODUCT.strength),
              mda('netContentDescription', SAMPLE_PRODUCT.container),
            ],
          },
        ],
      },
    ],
  },
  'gs1ushc:dscsaTransactionStatement': {
    'gs1ushc:affirmTransactionStatement': 'true',
    'gs1ushc:legalNotice': 'Seller has complied with each applicable subsection of FDCA Sec. 581(27)(A)-(G).',
  },
};
const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { gs1ushc: 'http://epcis.gs1us.org/hc/ns' },
];

/**
 * Commissioning events at the maker with their lot and expiry: each applies at once (a shipment of
 * serials this ledger never saw commissioned would wait as pending, and the pending check, not the
 * pull, would be measured).
 */
const events = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    type: 'ObjectEvent',
    eventID: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    eventTime: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    eventTimeZoneOffset: '+00:00',
    recordTime: new Date(Date.UTC(2026, 0, 2) + Math.floor(i / 2) * 1000).toISOString(),
    epcList: [`https://id.gs1.org/01/${GTIN}/21/B${String(i).padStart(8, '0')}`],
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    readPoint: { id: `https://id.gs1.org/414/${SELLER}` },
    bizLocation: { id: `https://id.gs1.org/414/${SELLER}` },
    ilmd: { 'cbvmda:lotNumber': `L${Math.floor(i / 1000)}`, 'cbvmda:itemExpirationDate': '2028-12-31' },
  }));

interface WorkerResult {
  readonly ms: number;
  readonly events: number;
}

function child(args: string[]): Promise<WorkerResult> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', self, '--sync-worker', ...args], {
      cwd: path.resolve(path.dirname(self), '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.on('error', reject);
    p.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as WorkerResult)
        : reject(new Error(`worker exited ${code}`)),
    );
  });
}

export async function run(report: Report): Promise<void> {
  const count = Number(process.env.CUSTODIA_BENCH_SYNC_EVENTS ?? 20_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-bench-sync-'));
  const sim = await startPartnerSim({ header: HEADER });
  try {
    const all = events(count);
    sim.serve(all);
    const file = path.join(dir, 'events.jsonld');
    fs.writeFileSync(
      file,
      JSON.stringify({
        '@context': CONTEXT,
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: '2026-01-02T00:00:00Z',
        epcisHeader: HEADER,
        epcisBody: { eventList: all },
      }),
    );
    const fileRun = await child(['file', path.join(dir, 'file-ledger'), file]);
    const fileRate = fileRun.events / (fileRun.ms / 1000);
    report({
      figure: 'file-import',
      value: Math.round(fileRate),
      unit: 'events/s',
      events: fileRun.events,
      seconds: +(fileRun.ms / 1000).toFixed(1),
    });
    for (const perPage of [1000, 30]) {
      const r = await child(['pull', path.join(dir, `pull-${perPage}`), sim.url, String(perPage)]);
      const rate = r.events / (r.ms / 1000);
      report({
        figure: `pull-per-page-${perPage}`,
        value: Math.round(rate),
        unit: 'events/s',
        baseline: Math.round(fileRate),
        ratio: +(rate / fileRate).toFixed(3),
        ...(perPage === 1000
          ? { goal: '>= 0.8 of the file import', withinGoal: rate / fileRate >= 0.8 }
          : {}),
        events: r.events,
        seconds: +(r.ms / 1000).toFixed(1),
      });
    }
  } finally {
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function worker(
  mode: string,
  dataDir: string,
  source: string,
  perPage: string | undefined,
): Promise<void> {
  const opened = await openLedger({ dataDir, secrets: createMemorySecretStore(), createIfMissing: true });
  try {
    const ws = workspaceFor(opened, projections);
    await savePartner(ws, { name: 'Us', role: 'self', authorized: true, glns: [OURS] }, 'bench');
    const count = () => ws.db.prepare('SELECT count(*) FROM trace_events').pluck().get() as number;
    if (mode === 'file') {
      await savePartner(
        ws,
        { name: 'Keystone', role: 'wholesaler', authorized: true, glns: [SELLER] },
        'bench',
      );
      const started = performance.now();
      const r = await importFile(
        ws,
        { source: { path: source }, name: 'events.jsonld', origin: 'bench', partnerId: 2 },
        { actor: 'bench' },
      );
      if (r.status !== 'imported')
        throw new Error(`file import: ${r.status} ${JSON.stringify(r.reasons.slice(0, 2))}`);
      process.stdout.write(JSON.stringify({ ms: performance.now() - started, events: count() }) + '\n');
      return;
    }
    const partnerId = await saveEndpoint(
      { ws, secrets: opened.installation.secrets },
      {
        name: 'Keystone',
        glns: [SELLER],
        authorized: true,
        licence: 'bench',
        epcisUrl: source,
        query: { eventType: 'ObjectEvent' },
        perPage: Number(perPage),
      },
      {},
      'bench',
    );
    const started = performance.now();
    const [r] = await syncPass(
      { ws, secrets: opened.installation.secrets, settings: DEFAULT_SYNC },
      { partnerId, actor: 'bench', force: true },
    );
    if (r?.ok !== true || r.events === 0) throw new Error(`pull: ${JSON.stringify(r)}`);
    process.stdout.write(JSON.stringify({ ms: performance.now() - started, events: count() }) + '\n');
  } finally {
    opened.close();
  }
}

const at = process.argv.indexOf('--sync-worker');
if (at >= 0) {
  const [mode, dataDir, source, perPage] = process.argv.slice(at + 1) as [
    string,
    string,
    string,
    string | undefined,
  ];
  await worker(mode, dataDir, source, perPage);
}
