import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCore, PASSWORDS, signIn, staffPharmacy, tempDir, testClock } from '../inventory/helpers';
import { runCaptured } from '../cli/run';
import { requireKeyring } from '../secrets/keyring';

requireKeyring();

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

describe('custodia orders', () => {
  it('lists the open Schedule II orders with their 60-day deadline, as the person named may read them', async () => {
    const data = tempDir('custodia-orders-cli-');
    made.push(data);
    // Signed today, so the days left count from the CLI's real clock: 60.
    const today = new Date().toISOString().slice(0, 10);
    const core = makeCore(data, testClock(Date.now()));
    await staffPharmacy(core);
    const phil = await signIn(core, 'phil', 'phil');
    const recorded = await phil('orders.record', {
      form: 'dea-222',
      number: '261234567',
      signedOn: today,
      supplier: {
        name: 'Keystone Wholesale',
        deaNumber: 'PW1234563',
        address: '100 Distribution Way, Harrisburg, PA 17101',
      },
      lines: [{ ndc: '16590-598-60', packages: 2 }],
    });
    expect(recorded.ok).toBe(true);
    await core.close();

    const env = { CUSTODIA_PASSWORD: PASSWORDS.tess };
    const run = await runCaptured(['orders', '--data', data, '--user', 'tess'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const deadline = new Date(Date.parse(`${today}T00:00:00Z`) + 60 * 86_400_000).toISOString().slice(0, 10);
    expect(run.stdout).toContain(
      `261234567  DEA Form 222 from Keystone Wholesale, signed ${today}, ship by ${deadline}, 60 day(s) left — open`,
    );
    expect(run.stdout).toContain('line 1: Kadian (16590-598-60) 0 of 2 × 60 capsule — open');

    const json = await runCaptured(['orders', '--data', data, '--user', 'tess', '--all', '--json'], { env });
    expect((JSON.parse(json.stdout) as { orders: { number: string }[] }).orders.map((o) => o.number)).toEqual(
      ['261234567'],
    );
  });
});
