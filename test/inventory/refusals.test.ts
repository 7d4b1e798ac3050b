import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/api/errors';
import { startHost, type Host } from '../../src/cli/host/server';
import type { Core } from '../../src/core/app';
import { runCaptured } from '../cli/run';
import type { caller } from './helpers';
import { PASSWORDS, SUPPLIER, entriesOf, makeCore, signIn, staffPharmacy, tempDir, value } from './helpers';

/**
 * The refusals issue 6 lists, tried as a script would: through `custodia call` and through the
 * headless host's HTTP API. Each must come back as a typed error AND leave a ledger entry.
 */
let dir: string;
const tx: Record<string, { id: string; subjectHash: string }> = {};

type Who = keyof typeof PASSWORDS;

async function record(call: ReturnType<typeof caller>, password: string, transaction: object) {
  return value<{ id: string; subjectHash: string; status: string }>(
    call('inventory.record', { transaction, password }),
  );
}

const receipt = (order: string, quantity: number, containers: number) => ({
  kind: 'receipt',
  ndc: '0555-0767-02',
  quantity,
  containers,
  date: '2026-03-01',
  supplier: SUPPLIER,
  order: { kind: 'csos', number: order },
});

beforeAll(async () => {
  dir = tempDir('custodia-refusals-');
  const core: Core = makeCore(dir);
  await staffPharmacy(core);
  const tess = await signIn(core, 't', 'tess');
  const phil = await signIn(core, 'p', 'phil');
  for (const name of ['cliA', 'httpA'])
    tx[name] = await record(tess, PASSWORDS.tess, receipt(`26X${name === 'cliA' ? 'C' : 'H'}00001`, 100, 1));
  for (const name of ['cliOwn', 'httpOwn'])
    tx[name] = await record(
      phil,
      PASSWORDS.phil,
      receipt(`26X${name === 'cliOwn' ? 'C' : 'H'}00002`, 200, 2),
    );
  for (const name of ['cliPosted', 'httpPosted']) {
    tx[name] = await record(tess, PASSWORDS.tess, {
      kind: 'receipt',
      ndc: '0093-0058-01',
      quantity: 1000,
      containers: 1,
      date: '2026-03-01',
      supplier: SUPPLIER,
    });
  }
  await core.close();
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('refusals through `custodia call`', () => {
  const cli = async (who: Who, method: string, input: unknown): Promise<Result<unknown>> => {
    const run = await runCaptured(['call', method, JSON.stringify(input), '--data', dir, '--user', who], {
      env: { CUSTODIA_PASSWORD: PASSWORDS[who] },
    });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as Result<unknown>;
    expect(run.code).toBe(result.ok ? 0 : 1);
    return result;
  };
  const audit = (method: string, input?: unknown) => cli('cora', method, input ?? {});
  const refusals = async (type: string) =>
    (await entriesOf(audit, [type])).map((e) => ({ actor: e.actor, ...e.payload }));

  it("refuses approving one's own Schedule II transaction", async () => {
    const r = await cli('phil', 'approvals.approve', { ...pick(tx.cliOwn!), password: PASSWORDS.phil });
    expect(r.ok || r.error).toMatchObject({ code: 'forbidden', details: { rule: 'dual-control' } });
    expect(await refusals('approvals.refused')).toContainEqual(
      expect.objectContaining({
        procedure: 'approvals.approve',
        code: 'forbidden',
        rule: 'dual-control',
        subject: { transactionId: tx.cliOwn!.id },
      }),
    );
  }, 60_000);

  it('refuses a technician (router, before the handler) and records it', async () => {
    const r = await cli('tess', 'approvals.approve', { ...pick(tx.cliA!), password: PASSWORDS.tess });
    expect(r.ok || r.error).toMatchObject({
      code: 'forbidden',
      details: { permission: 'inventory.approve' },
    });
    expect(await refusals('access.refused')).toContainEqual(
      expect.objectContaining({
        procedure: 'approvals.approve',
        code: 'forbidden',
        roles: ['technician'],
        transport: 'cli',
      }),
    );
  }, 60_000);

  it('refuses a wrong re-entered password and records it without the password', async () => {
    const r = await cli('paula', 'approvals.approve', { ...pick(tx.cliA!), password: 'not paula at all' });
    expect(r.ok || r.error).toMatchObject({ code: 'forbidden', details: { rule: 'electronic-signature' } });
    const entries = await refusals('approvals.refused');
    expect(entries).toContainEqual(
      expect.objectContaining({
        rule: 'electronic-signature',
        lockout: expect.objectContaining({ failures: 1 }),
      }),
    );
    expect(JSON.stringify(entries)).not.toContain('not paula at all');
  }, 60_000);

  it('refuses approving twice', async () => {
    const first = await cli('paula', 'approvals.approve', { ...pick(tx.cliA!), password: PASSWORDS.paula });
    expect(first.ok).toBe(true);
    const again = await cli('cora', 'approvals.approve', { ...pick(tx.cliA!), password: PASSWORDS.cora });
    expect(again.ok || again.error).toMatchObject({ code: 'conflict', details: { rule: 'already-decided' } });
    expect(await refusals('approvals.refused')).toContainEqual(
      expect.objectContaining({ code: 'conflict', rule: 'already-decided' }),
    );
  }, 60_000);

  it('refuses a negative balance', async () => {
    const r = await cli('tess', 'inventory.record', {
      transaction: {
        kind: 'dispense',
        ndc: '0093-0058-01',
        quantity: 2500,
        date: '2026-03-02',
        prescriptionNumber: 'RX-1001',
      },
      password: PASSWORDS.tess,
    });
    expect(r.ok || r.error).toMatchObject({
      code: 'rule-violation',
      details: { rule: 'non-negative-balance' },
    });
    expect(await refusals('inventory.refused')).toContainEqual(
      expect.objectContaining({ rule: 'non-negative-balance' }),
    );
  }, 60_000);

  it('refuses editing a posted entry', async () => {
    const r = await cli('tess', 'inventory.record', {
      transaction: {
        id: tx.cliPosted!.id,
        kind: 'receipt',
        ndc: '0093-0058-01',
        quantity: 900,
        containers: 1,
        date: '2026-03-01',
        supplier: SUPPLIER,
      },
      password: PASSWORDS.tess,
    });
    expect(r.ok || r.error).toMatchObject({
      code: 'rule-violation',
      details: { rule: 'posted-entry-immutable' },
    });
    expect(await refusals('inventory.refused')).toContainEqual(
      expect.objectContaining({
        rule: 'posted-entry-immutable',
        subject: expect.objectContaining({ transactionId: tx.cliPosted!.id }),
      }),
    );
  }, 60_000);
});

describe('refusals through the headless host HTTP API (Bearer token + session cookie)', () => {
  let core: Core;
  let host: Host;
  const rendererDir = () => path.join(dir, 'renderer');

  beforeAll(async () => {
    fs.mkdirSync(rendererDir(), { recursive: true });
    fs.writeFileSync(path.join(rendererDir(), 'index.html'), '<!doctype html><title>Custodia</title>');
    core = makeCore(dir);
    host = await startHost({ core, rendererDir: rendererDir(), port: 0 });
  });
  afterAll(async () => {
    await host.close();
    await core.close();
  });

  function request(pathname: string, headers: Record<string, string>, body?: string) {
    return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>(
      (resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: host.port,
            path: pathname,
            method: body === undefined ? 'GET' : 'POST',
            headers,
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );
  }

  /** A browser-like session: trade the token URL for a session cookie, then sign in on it. */
  async function session(who: Who) {
    const landing = await request(`/?token=${host.token}`, {});
    const cookie = (landing.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const call = async (method: string, input?: unknown): Promise<Result<unknown>> => {
      const res = await request(
        '/api/call',
        { Authorization: `Bearer ${host.token}`, Cookie: cookie, 'Content-Type': 'application/json' },
        JSON.stringify({ method, input }),
      );
      expect(res.status).toBe(200);
      return JSON.parse(res.body) as Result<unknown>;
    };
    await value(call('auth.signIn', { username: who, password: PASSWORDS[who] }));
    return call;
  }

  it('refuses all six attempts with typed errors, each recorded in the ledger', async () => {
    const phil = await session('phil');
    const tess = await session('tess');
    const paula = await session('paula');
    const cora = await session('cora');

    const own = await phil('approvals.approve', { ...pick(tx.httpOwn!), password: PASSWORDS.phil });
    expect(own.ok || own.error).toMatchObject({ code: 'forbidden', details: { rule: 'dual-control' } });

    const tech = await tess('approvals.approve', { ...pick(tx.httpA!), password: PASSWORDS.tess });
    expect(tech.ok || tech.error).toMatchObject({
      code: 'forbidden',
      details: { permission: 'inventory.approve' },
    });

    const wrong = await paula('approvals.approve', {
      ...pick(tx.httpA!),
      password: 'definitely wrong words',
    });
    expect(wrong.ok || wrong.error).toMatchObject({
      code: 'forbidden',
      details: { rule: 'electronic-signature' },
    });

    expect((await paula('approvals.approve', { ...pick(tx.httpA!), password: PASSWORDS.paula })).ok).toBe(
      true,
    );
    const twice = await cora('approvals.approve', { ...pick(tx.httpA!), password: PASSWORDS.cora });
    expect(twice.ok || twice.error).toMatchObject({ code: 'conflict', details: { rule: 'already-decided' } });

    const negative = await tess('inventory.record', {
      transaction: {
        kind: 'destruction',
        ndc: '0555-0767-02',
        quantity: 5000,
        date: '2026-03-02',
        method: 'incineration',
        witnesses: [
          { username: 'phil', password: PASSWORDS.phil },
          { username: 'paula', password: PASSWORDS.paula },
        ],
      },
      password: PASSWORDS.tess,
    });
    expect(negative.ok || negative.error).toMatchObject({
      code: 'rule-violation',
      details: { rule: 'non-negative-balance' },
    });

    const edit = await tess('inventory.record', {
      transaction: {
        id: tx.httpPosted!.id,
        kind: 'dispense',
        ndc: '0093-0058-01',
        quantity: 1,
        date: '2026-03-02',
        prescriptionNumber: 'RX-2',
      },
      password: PASSWORDS.tess,
    });
    expect(edit.ok || edit.error).toMatchObject({
      code: 'rule-violation',
      details: { rule: 'posted-entry-immutable' },
    });

    const recorded = [
      ...(await entriesOf(cora, ['approvals.refused', 'inventory.refused'])),
      ...(await entriesOf(cora, ['access.refused'])),
    ].map((e) => e.payload);
    const http = (rule: string, extra: object = {}) =>
      expect(recorded).toContainEqual(expect.objectContaining({ rule, ...extra }));
    http('dual-control', { subject: { transactionId: tx.httpOwn!.id } });
    http('permission', { transport: 'http', procedure: 'approvals.approve' });
    http('electronic-signature', { subject: { transactionId: tx.httpA!.id } });
    http('already-decided', { subject: { transactionId: tx.httpA!.id } });
    http('non-negative-balance', { procedure: 'inventory.record' });
    http('posted-entry-immutable', {
      subject: expect.objectContaining({ transactionId: tx.httpPosted!.id }),
    });
    const text = JSON.stringify(recorded);
    for (const password of [...Object.values(PASSWORDS), 'definitely wrong words'])
      expect(text).not.toContain(password);
    console.log(`refusals recorded in the ledger: ${recorded.length} (CLI and HTTP)`);
  }, 60_000);
});

function pick(t: { id: string; subjectHash: string }) {
  return { transactionId: t.id, subjectHash: t.subjectHash };
}
