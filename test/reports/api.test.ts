import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/app';
import { runCaptured } from '../cli/run';
import type { caller } from '../inventory/helpers';
import {
  entriesOf,
  makeCore,
  PASSWORDS,
  signIn,
  staffPharmacy,
  tempDir,
  testClock,
  value,
} from '../inventory/helpers';
import { DEMO } from './helpers';

/*
 * Reports through the router and the CLI, on the demo month: a preview records the serials it
 * shows, a generation is a reports.generated ledger entry holding the file's SHA-256, the history
 * lists it, a check finds it and a one-byte change matches none, a technician is refused, and the
 * ledger verifies afterwards.
 */

const clock = testClock(Date.parse('2026-03-30T09:00:00Z'));
let dir: string;
let core: Core;
let phil: Awaited<ReturnType<typeof signIn>>;

type Gen = {
  path: string;
  fileName: string;
  sha256: string;
  bytes: number;
  empty: boolean;
  stamp: { size: number; rootBase64: string; rootHex: string };
  generation: {
    seq: number;
    sha256: string;
    kind: string;
    personName: string | null;
    checkpointSize: number;
  };
};

async function loadDemoThroughApi(call: ReturnType<typeof caller>): Promise<void> {
  const ids = new Map<string, number>();
  for (const p of JSON.parse(fs.readFileSync(path.join(DEMO, 'partners.json'), 'utf8')) as { name: string }[])
    ids.set(p.name, (await value<{ id: number }>(call('partners.save', p))).id);
  const m = (
    JSON.parse(fs.readFileSync(path.join(DEMO, 'mappings.json'), 'utf8')) as Record<
      string,
      { name: string; mapping: unknown }
    >
  )['Summit Specialty Supply']!;
  const summit = ids.get('Summit Specialty Supply')!;
  const mapping = await value<{ id: number }>(
    call('partners.saveMapping', { partnerId: summit, name: m.name, mapping: m.mapping }),
  );
  for (const name of fs.readdirSync(path.join(DEMO, 'files')).sort()) {
    const base64 = fs.readFileSync(path.join(DEMO, 'files', name)).toString('base64');
    await value(
      call('ingest.import', {
        files: [{ name, base64 }],
        ...(name.includes('summit') ? { partnerId: summit, mappingId: mapping.id } : {}),
      }),
    );
  }
}

beforeAll(async () => {
  dir = tempDir('custodia-reports-api-');
  core = makeCore(dir, clock);
  await staffPharmacy(core);
  phil = await signIn(core, 'phil', 'phil');
  await loadDemoThroughApi(phil);
}, 120_000);

afterAll(async () => {
  await core?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const T3 = { kind: 'dscsa-t3', format: 'pdf', params: { gtin: '00300010123455', lot: 'EP2601' } };

describe('reports through the router', () => {
  it('lists the kinds with their formats and fields', async () => {
    const { kinds } = await value<{ kinds: { id: string; formats: string[] }[] }>(phil('reports.kinds'));
    expect(kinds.map((k) => k.id)).toEqual(expect.arrayContaining(['dscsa-t3', 'fsma-204']));
    expect(kinds.find((k) => k.id === 'dscsa-t3')!.formats).toEqual(['pdf', 'jsonld', 'xml']);
  });

  it('previews the T3 of a lot, recording who saw its serials', async () => {
    const before = (await entriesOf(phil, ['access.identifiers-shown'])).length;
    const p = await value<{
      title: string;
      empty: boolean;
      sections: { heading: string; table: { rows: unknown[][]; total: number } | null }[];
    }>(phil('reports.preview', T3));
    expect(p.empty).toBe(false);
    const packages = p.sections.find((s) => s.heading.startsWith('Product identifiers'))!;
    expect(packages.table!.total).toBeGreaterThan(0);
    const after = await entriesOf(phil, ['access.identifiers-shown']);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)!.payload).toMatchObject({ procedure: 'reports.preview' });
  });

  it('generates: the ledger entry holds the SHA-256, history lists it, check finds it, a changed byte matches none', async () => {
    const gen = await value<Gen>(phil('reports.generate', T3));
    const bytes = fs.readFileSync(gen.path);
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(gen.sha256);
    expect(gen.generation).toMatchObject({
      kind: 'dscsa-t3',
      sha256: gen.sha256,
      personName: 'Phil Pharmacist',
    });
    const [entry] = (await entriesOf(phil, ['reports.generated'])).filter(
      (e) => e.seq === gen.generation.seq,
    );
    expect(entry!.payload).toMatchObject({
      kind: 'dscsa-t3',
      format: 'pdf',
      sha256: gen.sha256,
      checkpointSize: gen.stamp.size,
      checkpointRoot: gen.stamp.rootHex,
      params: { gtin: '00300010123455', lot: 'EP2601' },
    });
    const history = await value<{ generations: { sha256: string }[] }>(phil('reports.history'));
    expect(history.generations[0]!.sha256).toBe(gen.sha256);
    const found = await value<{ matches: { seq: number }[] }>(phil('reports.check', { sha256: gen.sha256 }));
    expect(found.matches.map((m) => m.seq)).toEqual([gen.generation.seq]);
    const changed = Buffer.from(bytes);
    changed[changed.length >> 1]! ^= 1;
    const other = crypto.createHash('sha256').update(changed).digest('hex');
    expect((await value<{ matches: unknown[] }>(phil('reports.check', { sha256: other }))).matches).toEqual(
      [],
    );
  });

  it('says what is wrong: a format the kind does not have, missing parameters, an unknown kind', async () => {
    const wrongFormat = await phil('reports.generate', { ...T3, format: 'xlsx' });
    expect(wrongFormat.ok ? null : wrongFormat.error).toMatchObject({ code: 'invalid-input' });
    const noParams = await phil('reports.generate', { ...T3, params: {} });
    expect(noParams.ok ? null : noParams.error.message).toContain('lot number');
    const unknown = await phil('reports.generate', { ...T3, kind: 'dea-999' });
    expect(unknown.ok ? null : unknown.error.code).toBe('not-found');
    // Parameters that match nothing give a report that says it is empty.
    const empty = await value<Gen>(
      phil('reports.generate', { ...T3, params: { gtin: '00300010123455', lot: 'NOPE' } }),
    );
    expect(empty.empty).toBe(true);
  });

  it('refuses a technician', async () => {
    const tess = await signIn(core, 'tess', 'tess');
    const r = await tess('reports.generate', T3);
    expect(r.ok ? null : r.error.code).toBe('forbidden');
  });

  it('leaves a ledger that verifies', async () => {
    const v = await value<{ status: string }>(phil('ledger.verify'));
    expect(v.status).toBe('consistent');
  });
});

describe('custodia report', () => {
  it('lists kinds, generates with --at, checks a file and refuses a changed one (exit 1)', async () => {
    await core.close();
    const list = await runCaptured(['report', 'list', '--json']);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { kinds: { id: string }[] }).kinds.map((k) => k.id)).toContain(
      'fsma-204',
    );

    const out = path.join(dir, 'out', 't3.pdf');
    const env = { ...process.env, CUSTODIA_PASSWORD: PASSWORDS.phil };
    const args = [
      '--data',
      dir,
      '--user',
      'phil',
      '--gtin',
      '00300010123455',
      '--lot',
      'EP2601',
      '--format',
      'pdf',
    ];
    const first = await runCaptured(['report', 'dscsa-t3', ...args, '--out', out, '--json'], { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const made = JSON.parse(first.stdout) as Gen;
    const again = await runCaptured(
      ['report', 'dscsa-t3', ...args, '--at', String(made.stamp.size), '--out', `${out}.again`],
      { env },
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`SHA-256 ${made.sha256}`);
    expect(fs.readFileSync(`${out}.again`).equals(fs.readFileSync(out))).toBe(true);

    const check = await runCaptured(['report', 'check', out, '--data', dir, '--user', 'phil'], { env });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('is the dscsa-t3 report (pdf)');
    const bytes = fs.readFileSync(out);
    bytes[100]! ^= 1;
    fs.writeFileSync(`${out}.changed`, bytes);
    const none = await runCaptured(['report', 'check', `${out}.changed`, '--data', dir, '--user', 'phil'], {
      env,
    });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('matches no report');
    core = makeCore(dir, clock);
  }, 60_000);
});
