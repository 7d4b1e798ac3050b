import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { expect, it } from 'vitest';
import { importFile } from '../../src/core/ingest/pipeline';
import { openLedger, workspaceFor } from '../../src/core/ledger/open';
import { readSnapshot } from '../../src/core/ledger/snapshot';
import { projections } from '../../src/core/projections';
import { buildReport, renderReport, type ReportRequest } from '../../src/core/reports/engine';
import { FIXTURES as INGEST_FIXTURES, tempDir } from '../ingest/helpers';
import { createFileSecretStore } from '../ledger/file-secret-store';
import { loadDemo } from './helpers';

/*
 * The same kind, parameters and checkpoint give one SHA-256 in every format, generated here and in
 * two other processes with other time zones, locales and clocks.
 */

const REQUESTS: (ReportRequest & { name: string })[] = [
  ...(['pdf', 'jsonld', 'xml'] as const).map((format) => ({
    name: `dscsa-t3.${format}`,
    kind: 'dscsa-t3',
    format,
    params: { gtin: '00300010123455', lot: 'EP2601' },
  })),
  ...(['csv', 'xlsx'] as const).map((format) => ({
    name: `fsma-204.${format}`,
    kind: 'fsma-204',
    format,
    params: { from: '2020-01-01' },
  })),
];

it('gives byte-identical files in every format across processes with other TZ, locale and clock', async () => {
  const dir = tempDir('custodia-reports-determinism-');
  const dataDir = path.join(dir, 'data');
  const secretsFile = path.join(dir, 'secrets.json');
  const opened = await openLedger({
    dataDir,
    secrets: createFileSecretStore(secretsFile),
    createIfMissing: true,
  });
  const ws = workspaceFor(opened, projections);
  const here: Record<string, string> = {};
  let size = 0;
  try {
    await loadDemo(ws);
    for (const name of [
      'fda-fsma204-sortable-spreadsheet-sample-shipping.csv',
      'fda-fsma204-sortable-spreadsheet-sample-receiving.csv',
    ])
      await importFile(
        ws,
        { source: { path: path.join(INGEST_FIXTURES, name) }, name, origin: 'test' },
        { actor: 'test' },
      );
    for (const request of REQUESTS) {
      const built = readSnapshot(opened.installation.reader(), { sealer: ws.sealer, dataDir }, (s) =>
        buildReport(s, request),
      );
      size = built.stamped.stamp.size;
      here[request.name] = crypto
        .createHash('sha256')
        .update(await renderReport(built, request.format))
        .digest('hex');
    }
  } finally {
    opened.close();
  }
  expect(Object.keys(here)).toHaveLength(5);

  const script = path.join(
    import.meta.dirname,
    '../../node_modules/.cache/custodia-reports',
    `generate-${process.pid}.mjs`,
  );
  buildSync({
    entryPoints: [path.join(import.meta.dirname, 'children', 'generate.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: script,
    external: ['better-sqlite3-multiple-ciphers', 'keytar', 'pdf-lib', '@pdf-lib/fontkit', 'exceljs'],
    banner: {
      js: "import { createRequire as __custodiaRequire } from 'node:module'; const require = __custodiaRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
  const requests = JSON.stringify(REQUESTS.map((r) => ({ ...r, at: size })));
  const runs = [
    { TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
    { TZ: 'America/St_Johns', LANG: 'ja_JP.UTF-8', LC_ALL: 'ja_JP.UTF-8' },
  ].map((env) => {
    const child = spawnSync(process.execPath, [script, dataDir, secretsFile, requests], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(0);
    return JSON.parse(child.stdout) as { hashes: Record<string, string>; tz: string; now: string };
  });
  expect(runs.map((r) => r.tz)).toEqual(['Pacific/Kiritimati', 'America/St_Johns']);
  for (const run of runs) expect(run.hashes).toEqual(here);
  console.log(`report determinism: ${Object.keys(here).length} files, 3 processes, one SHA-256 each`);
}, 120_000);
