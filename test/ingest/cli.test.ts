import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { events as ev } from '../support/synthetic';
import { runCaptured } from '../cli/run';
import { PASSWORDS, REGISTRANT } from '../inventory/helpers';
import { requireKeyring } from '../secrets/keyring';
import { FIXTURES, tempDir } from './helpers';
import { doc, item, MFG, PHARMACY, t, WHOLESALER } from './world';

requireKeyring();

describe('custodia import / quarantine / trace (real keychain)', () => {
  it('prints per-file results, exits non-zero when anything is quarantined, and works the quarantine', async () => {
    const data = tempDir();
    const example = path.join(FIXTURES, 'GS1_US_Pharma_Example_2_2_1_1.xml');
    const noStatement = path.join(tempDir(), 'no-ts.xml');
    fs.writeFileSync(
      noStatement,
      doc(
        [
          ev.commission([item(1)], { time: t(0), location: MFG, lot: 'L1' }),
          ev.ship([item(1)], {
            time: t(5),
            seller: WHOLESALER,
            buyer: PHARMACY,
            shipTo: PHARMACY,
            po: 'PO-1',
          }),
        ],
        { statement: false },
      ),
    );
    // The pharmacy first (its GLN): without one a drug shipment is held for review (issue 18).
    const call = (method: string, input: unknown, user?: keyof typeof PASSWORDS) =>
      runCaptured(
        ['call', method, JSON.stringify(input), '--data', data, ...(user ? ['--user', user] : [])],
        {
          env: user ? { CUSTODIA_PASSWORD: PASSWORDS[user] } : {},
        },
      );
    expect(
      (
        await call('setup.initialize', {
          registrant: REGISTRANT,
          administrator: { username: 'admin', displayName: 'Ada Admin', password: PASSWORDS.admin },
        })
      ).code,
    ).toBe(0);
    const created = await call(
      'users.create',
      { username: 'tess', displayName: 'Tess Technician', roles: ['technician'], password: PASSWORDS.tess },
      'admin',
    );
    expect(created.code).toBe(0);
    const first = await runCaptured(['import', example, noStatement, '--data', data, '--json']);
    expect(first.code).toBe(1);
    const results = JSON.parse(first.stdout) as {
      file: string;
      format: string;
      events: number;
      imported: number;
      duplicates: number;
      pending: number;
      quarantined: number;
      reasons: { rule: string; record: number }[];
    }[];
    expect(results.map((r) => Object.keys(r).slice(0, 8))).toEqual([
      ['file', 'format', 'status', 'events', 'imported', 'duplicates', 'pending', 'quarantined'],
      ['file', 'format', 'status', 'events', 'imported', 'duplicates', 'pending', 'quarantined'],
    ]);
    expect(results[0]).toMatchObject({
      file: 'GS1_US_Pharma_Example_2_2_1_1.xml',
      format: 'epcis-xml',
      events: 8,
      imported: 8,
      quarantined: 0,
      reasons: [],
    });
    expect(results[1]).toMatchObject({
      file: 'no-ts.xml',
      imported: 0,
      quarantined: 1,
      // Addressed to our GLN: the seller must be an authorized trading partner too (§582(d)(3)).
      reasons: [
        { rule: 'dscsa-transaction-statement', record: 1 },
        { rule: 'authorized-trading-partner', record: 1 },
      ],
    });

    const again = await runCaptured(['import', example, '--data', data]);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain('already imported');

    const tess = { env: { CUSTODIA_PASSWORD: PASSWORDS.tess } };
    // Every command that reads records names a person (issue 18): the list too.
    const list = await runCaptured(['quarantine', 'list', '--data', data, '--user', 'tess'], tess);
    expect(list.stdout).toMatch(/^\s+1\s+open\s.*no-ts\.xml.*dscsa-transaction-statement/m);
    const rawFile = path.join(data, 'raw.xml');
    const anonymousRaw = await runCaptured(['quarantine', 'show', '1', '--data', data, '--raw', rawFile]);
    expect(anonymousRaw.code).toBe(2);
    expect(anonymousRaw.stderr).toContain('--user NAME');
    expect(fs.existsSync(rawFile)).toBe(false);
    const show = await runCaptured(
      ['quarantine', 'show', '1', '--data', data, '--raw', rawFile, '--user', 'tess'],
      tess,
    );
    expect(show.stdout).toContain('[dscsa-transaction-statement] record 1');
    expect(fs.readFileSync(rawFile, 'utf8')).toBe(fs.readFileSync(noStatement, 'utf8'));
    expect(
      (await runCaptured(['quarantine', 'reprocess', '1', '--data', data, '--user', 'tess'], tess)).code,
    ).toBe(1);
    const closeArgs = [
      'quarantine',
      'close',
      '1',
      '--reason',
      'the seller resent the file with its statement',
      '--data',
      data,
      '--user',
      'tess',
    ];
    const wrong = await runCaptured(closeArgs, { env: { CUSTODIA_PASSWORD: 'not her password' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('sign-in failed: The username or password is not correct');
    const noPassword = await runCaptured(closeArgs);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('CUSTODIA_PASSWORD');
    const closed = await runCaptured([...closeArgs, '--json'], tess);
    expect(JSON.parse(closed.stdout)).toMatchObject({
      status: 'closed',
      attempts: 1,
      resolution: {
        reason: 'the seller resent the file with its statement',
        signature: {
          printedName: 'Tess Technician',
          meaning: 'closed quarantine item: the seller resent the file with its statement',
        },
      },
    });
    const entries = await call('ledger.entries', { types: ['access.identifiers-shown'] }, 'tess');
    expect(JSON.parse(entries.stdout)).toMatchObject({
      ok: true,
      value: { entries: [{ type: 'access.identifiers-shown' }] },
    });

    const traced = await runCaptured(
      ['trace', ']d201003000101234551710032710A123\u001d2111', '--data', data, '--json', '--user', 'tess'],
      tess,
    );
    expect(traced.code).toBe(0);
    expect(JSON.parse(traced.stdout)).toMatchObject({
      kind: 'serial',
      found: true,
      state: { state: 'shipped' },
    });
    const text = await runCaptured(
      ['trace', '(00)403000112345678901', '--data', data, '--user', 'tess'],
      tess,
    );
    expect(text.stdout).toContain('Contents:');
    expect(
      (await runCaptured(['trace', '(01)00300010123455(21)nope', '--data', data, '--user', 'tess'], tess))
        .code,
    ).toBe(1);
  });
});
