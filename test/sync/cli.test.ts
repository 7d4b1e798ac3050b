import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/core/ledger/open';
import { runCaptured } from '../cli/run';
import { makeCore, PASSWORDS, staffPharmacy } from '../inventory/helpers';
import { requireKeyring } from '../secrets/keyring';
import { makeTestCerts, type TestCerts } from '../support/partner-sim/certs';
import { shippingEvents, startPartnerSim, type PartnerSim } from '../support/partner-sim/server';
import { withCheck } from '../support/synthetic';

requireKeyring();

/*
 * The partner commands end to end against the simulator over TLS with a partner CA and a client
 * certificate, as a person would run them; then every place a secret could leak is searched for
 * every secret used: each command's output and the log, every decrypted table, every ledger
 * entry, an audit bundle and every other file in the data folder (ledger.db itself is encrypted
 * page by page, so grepping it would prove nothing).
 */

const OURS = '0614141000005'; // the registrant of test/inventory/helpers.ts
const SELLER = withCheck('039999999999');
const GTIN = withCheck('0030001012345');
const TOKEN = 'cli-partner-token-2f0e9b';

let root: string;
let data: string;
let certs: TestCerts;
let sim: PartnerSim;
const outputs: string[] = [];
const logged: string[] = [];
let restoreStderr: () => void;

const cli = async (argv: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) => {
  const run = await runCaptured([...argv, '--data', data], options);
  outputs.push(run.stdout, run.stderr);
  return run;
};

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-sync-cli-'));
  data = path.join(root, 'pharmacy');
  certs = makeTestCerts();
  const core = makeCore(data);
  await staffPharmacy(core);
  await core.close();
  sim = await startPartnerSim({
    tls: { server: certs.server, ca: certs.ca.cert, requireClientCert: true },
    auth: `bearer:${TOKEN}`,
    jobMs: 200,
  });
  sim.serve(
    shippingEvents(7, { gtin: GTIN, sellerGln: SELLER, ourGln: OURS, startMs: Date.UTC(2026, 2, 1, 8) }),
  );
  sim.packages.push({ gtin: GTIN, lot: 'A123', expiry: '280131', serial: 'RET0001' });
  fs.writeFileSync(path.join(root, 'ca.pem'), certs.ca.cert);
  fs.writeFileSync(path.join(root, 'client.pem'), certs.client.cert);
  fs.writeFileSync(path.join(root, 'client.key'), certs.client.key);
  // The log goes to stderr: kept to be searched too.
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  restoreStderr = () => (process.stderr.write = write);
}, 60_000);

afterAll(async () => {
  restoreStderr();
  await sim.close();
  certs.remove();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('custodia partners / sync', () => {
  it('adds a partner (secret on stdin), lists, tests, syncs, sends, verifies; exit 75 while the writer is held', async () => {
    const tess = { CUSTODIA_PASSWORD: PASSWORDS.tess };
    const add = await cli(
      [
        'partners',
        'add',
        'Keystone Wholesale',
        '--gln',
        SELLER,
        '--epcis-url',
        sim.url,
        '--verify-url',
        sim.url,
        '--auth',
        'bearer',
        '--ca',
        path.join(root, 'ca.pem'),
        '--client-cert',
        path.join(root, 'client.pem'),
        '--client-key',
        path.join(root, 'client.key'),
        '--authorized',
        '--licence',
        'PA WD-1234',
        '--licence-expires',
        '2027-06-30',
        '--user',
        'tess',
      ],
      { stdin: `${TOKEN}\n`, env: tess },
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain('Saved trading partner Keystone Wholesale');

    const list = await cli(['partners', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        name: 'Keystone Wholesale',
        auth: 'bearer',
        hasClientCertificate: true,
        hasCa: true,
      }),
    ]);

    const test = await cli(['partners', 'test', 'Keystone Wholesale']);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/TLS TLSv1\.[23]; certificate CN=epcis\.keystone\.test/);

    const run = await cli(['sync', 'run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([expect.objectContaining({ ok: true, events: 7, imported: 7 })]);

    const doc = path.join(root, 'shipment.json');
    const ours = shippingEvents(3, {
      gtin: GTIN,
      sellerGln: OURS,
      ourGln: SELLER,
      startMs: Date.UTC(2026, 2, 2),
      prefix: 'OUT',
    });
    fs.writeFileSync(
      doc,
      JSON.stringify({
        '@context': [],
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: '2026-03-02T00:00:00Z',
        epcisBody: { eventList: ours },
      }),
    );
    const send = await cli(['sync', 'send', 'Keystone Wholesale', doc, '--user', 'tess'], { env: tess });
    expect(send.code, send.stderr).toBe(0);
    const again = await cli(['sync', 'run', '--partner', 'Keystone Wholesale']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect([...sim.stored.values()]).toEqual([1, 1, 1]);

    const verify = await cli(
      [
        'partners',
        'verify',
        'Keystone Wholesale',
        `(01)${GTIN}(17)280131(10)A123(21)RET0001`,
        '--user',
        'tess',
      ],
      { env: tess },
    );
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain('VERIFIED');
    const unknown = await cli(
      [
        'partners',
        'verify',
        'Keystone Wholesale',
        `(01)${GTIN}(17)280131(10)A123(21)NOPE9`,
        '--user',
        'tess',
      ],
      { env: tess },
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('NOT VERIFIED: No_match_GTIN_Serial');

    const status = await cli(['sync', 'status']);
    expect(status.stdout).toMatch(/Keystone Wholesale: ok/);

    // The app holds the writer: "try again later", nothing changed.
    const held = await openLedger({ dataDir: data, createIfMissing: false });
    try {
      const busy = await cli(['sync', 'run']);
      expect(busy.code).toBe(75);
      expect(busy.stderr).toMatch(
        /This ledger is open in another Custodia .* Nothing was changed; try again later/,
      );
    } finally {
      held.close();
    }
  }, 120_000);

  it('no secret anywhere: outputs, the log, decrypted tables, ledger entries, an audit bundle, the data folder', async () => {
    const secrets = [TOKEN, certs.client.key.split('\n')[1]!];
    const bundle = path.join(root, 'audit.bundle');
    const exported = await cli(['audit', 'export', '--out', bundle, '--user', 'ava'], {
      env: { CUSTODIA_PASSWORD: PASSWORDS.ava },
    });
    expect(exported.code, exported.stderr).toBe(0);
    const places: [string, string][] = [
      ['command output', outputs.join('\n')],
      ['log', logged.join('')],
      ['audit bundle', fs.readFileSync(bundle, 'latin1')],
    ];
    const opened = await openLedger({ dataDir: data, createIfMissing: false });
    try {
      const db = opened.ledger.db;
      const tables = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .pluck()
        .all() as string[];
      for (const t of tables)
        places.push([
          `table ${t}`,
          JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all(), (_k, v: unknown) =>
            Buffer.isBuffer(v) ? v.toString('latin1') : v,
          ),
        ]);
      for (let seq = 0; seq < opened.ledger.size; seq++)
        places.push([`ledger entry ${seq}`, opened.ledger.leaf(seq)!.toString('utf8')]);
    } finally {
      opened.close();
    }
    for (const file of fs.readdirSync(data, { recursive: true, withFileTypes: true }))
      if (file.isFile() && !/^ledger\.db/.test(file.name))
        places.push([`file ${file.name}`, fs.readFileSync(path.join(file.parentPath, file.name), 'latin1')]);
    expect(places.length).toBeGreaterThan(20);
    // The sync tables were searched, and hold the partner's public certificate but no secret.
    expect(places.find(([p]) => p === 'table sync_endpoints')![1]).toContain('BEGIN CERTIFICATE');
    for (const secret of secrets)
      for (const [place, text] of places)
        expect(text.includes(secret), `${place} holds a secret`).toBe(false);
  }, 60_000);
});
