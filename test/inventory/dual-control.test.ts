import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/app';
import {
  PASSWORDS,
  SUPPLIER,
  caller,
  entriesOf,
  makeCore,
  signIn,
  staffPharmacy,
  tempDir,
  value,
} from './helpers';

let dir: string;
let core: Core;
let ids: Awaited<ReturnType<typeof staffPharmacy>>;

beforeAll(async () => {
  dir = tempDir('custodia-cs-');
  core = makeCore(dir);
  ids = await staffPharmacy(core);
}, 60_000);
afterAll(async () => {
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Tx {
  id: string;
  status: string;
  subjectHash: string;
  signatures: { meaning: string; printedName: string; subjectHash: string }[];
}

describe('Schedule II dual control through the router', () => {
  it('keeps a receipt pending until a second person approves it, binding the hash', async () => {
    const tess = await signIn(core, 'tess-window', 'tess');
    const phil = await signIn(core, 'phil-window', 'phil');
    const receipt = await value<Tx>(
      tess('inventory.record', {
        transaction: {
          kind: 'receipt',
          ndc: '16590-598-60',
          lot: 'L100',
          quantity: 120,
          containers: 2,
          date: '2026-03-01',
          supplier: SUPPLIER,
          order: { kind: 'csos', number: '26X000123', line: 1 },
        },
        password: PASSWORDS.tess,
      }),
    );
    expect(receipt.status).toBe('pending');
    expect(receipt.signatures.map((s) => s.meaning)).toEqual(['initiated']);
    let balances = await value<{ balances: { ndc: string; onHand: number }[] }>(
      tess('inventory.balances', { ndc: '16590-598-60' }),
    );
    expect(balances.balances[0]!.onHand).toBe(0);

    const approved = await value<Tx>(
      phil('approvals.approve', {
        transactionId: receipt.id,
        subjectHash: receipt.subjectHash,
        password: PASSWORDS.phil,
      }),
    );
    expect(approved.status).toBe('posted');
    const approval = approved.signatures.find((s) => s.meaning === 'approved')!;
    expect(approval).toMatchObject({ printedName: 'Phil Pharmacist', subjectHash: receipt.subjectHash });
    balances = await value(tess('inventory.balances', { ndc: '16590-598-60' }));
    expect(balances.balances[0]!.onHand).toBe(120);
  });

  it('refuses a Schedule II receipt without its DEA order number, and a malformed CSOS number', async () => {
    const tess = caller(core, 'tess-window');
    const base = {
      kind: 'receipt',
      ndc: '16590-598-60',
      quantity: 60,
      containers: 1,
      date: '2026-03-01',
      supplier: SUPPLIER,
    };
    const missing = await tess('inventory.record', { transaction: base, password: PASSWORDS.tess });
    expect(missing.ok || missing.error).toMatchObject({
      code: 'rule-violation',
      details: { rule: 'dea-order-required' },
    });
    const bad = await tess('inventory.record', {
      transaction: { ...base, order: { kind: 'csos', number: '2026X0001' } },
      password: PASSWORDS.tess,
    });
    expect(bad.ok || bad.error).toMatchObject({
      code: 'rule-violation',
      details: { rule: 'csos-order-number' },
    });
  });

  it('runs the projections rebuilt from the ledger equal to the live ones', async () => {
    const cora = await signIn(core, 'cora-window', 'cora');
    const check = await value<{ ok: boolean; entries: number; differences: string[] }>(
      cora('inventory.verifyProjections'),
    );
    expect(check.differences).toEqual([]);
    expect(check.ok).toBe(true);
    expect(check.entries).toBeGreaterThan(10);
    const entries = await entriesOf(cora, ['approvals.approved']);
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries)).not.toContain(PASSWORDS.phil);
    expect(ids.phil).toBe(entries[0]!.actor);
  });
});
