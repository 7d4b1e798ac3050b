import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/app';
import { openLedger, workspaceFor } from '../../src/core/ledger/open';
import { silentLog } from '../../src/core/platform/log';
import { projections } from '../../src/core/projections';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import type { SecretStore } from '../../src/core/secrets/secret-store';
import { entriesOf, signIn, staffPharmacy, TEST_SCRYPT, testClock, value } from '../inventory/helpers';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

const NY = 'America/New_York';
// Friday 15 January 2027, 11:00 EST: the Monday after is Dr. King's birthday.
const FRIDAY_11AM = Date.parse('2027-01-15T16:00:00Z');

function core(dataDir: string, secrets: SecretStore, now: () => number): Core {
  return createCore({ version: 'test', dataDir, log: silentLog, secrets, scryptCost: TEST_SCRYPT, now });
}

/** Appends one reports.generated entry as the report engine does, on a ledger no core holds open. */
async function generatedReport(dataDir: string, secrets: SecretStore, time: number): Promise<number> {
  const opened = await openLedger({ dataDir, secrets, createIfMissing: false });
  try {
    const ws = workspaceFor(opened, projections, () => time);
    return await ws.write(
      (tx) =>
        tx.record('reports.generated', 'u-test', {
          kind: 'dscsa-t3',
          format: 'pdf',
          params: { lot: 'L1' },
          sha256: 'ab'.repeat(32),
          checkpoint: { size: 10, root: 'cd'.repeat(32) },
        }).seq,
    );
  } finally {
    opened.close();
  }
}

const dscsaRequest = {
  regime: 'dscsa',
  requesterKind: 'fda',
  requester: 'FDA Office of Drug Security, Integrity, and Response',
  contact: 'J. Rivera, jrivera@fda.hhs.gov',
  channel: 'email',
  receivedMs: FRIDAY_11AM,
  timeZone: NY,
  asked: { products: ['00300010123456'], lots: ['L1'], from: '2026-12-01', to: '2027-01-14' },
};

describe('records requests through the core API', () => {
  it('records a request, counts its deadline, takes an agreed time, and is answered with a report', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-requests-'));
    made.push(dataDir);
    const secrets = createMemorySecretStore();
    const clock = testClock(FRIDAY_11AM + 30 * 60_000);
    let c = core(dataDir, secrets, clock.now);
    const ids = await staffPharmacy(c);
    let phil = await signIn(c, 'phil', 'phil');
    const tess = await signIn(c, 'tess', 'tess');
    const ava = await signIn(c, 'ava', 'ava');

    // A pharmacy answers a DSCSA request as a dispenser: two business days, Tuesday and Wednesday
    // (Monday is a holiday), due at the end of Wednesday 20 January in New York.
    const dscsa = await value<{
      id: number;
      respondent: string;
      dueMs: number;
      basis: string;
      status: string;
    }>(phil('requests.record', dscsaRequest));
    expect(dscsa).toMatchObject({ id: 1, respondent: 'dispenser', status: 'open', agreed: false });
    expect(new Date(dscsa.dueMs).toISOString()).toBe('2027-01-21T04:59:59.999Z');
    expect(dscsa.basis).toMatch(/§582\(d\)\(1\)\(D\)/);

    // The same request answered as a wholesaler: one business day, but the 48 hours end first (Sunday).
    const wholesale = await value<{ dueMs: number; respondent: string }>(
      phil('requests.record', { ...dscsaRequest, respondent: 'wholesaler' }),
    );
    expect(wholesale.respondent).toBe('wholesaler');
    expect(new Date(wholesale.dueMs).toISOString()).toBe('2027-01-17T16:00:00.000Z');

    // FSMA 204 by phone: 24 hours from the call; then FDA agrees to Tuesday noon.
    const fsma = await value<{ id: number; dueMs: number }>(
      phil('requests.record', {
        regime: 'fsma-204',
        requesterKind: 'fda',
        requester: 'FDA CORE Network',
        channel: 'phone',
        receivedMs: FRIDAY_11AM + 10 * 60_000,
        timeZone: NY,
        asked: { tlcs: ['TLC-2027-0113-A'], products: ['Romaine hearts'] },
      }),
    );
    expect(fsma.dueMs).toBe(FRIDAY_11AM + 10 * 60_000 + 24 * 3_600_000);
    const tuesdayNoon = Date.parse('2027-01-19T17:00:00Z');
    const agreed = await value<{ dueMs: number; agreed: boolean; basis: string }>(
      phil('requests.agreeDeadline', {
        id: fsma.id,
        dueMs: tuesdayNoon,
        note: 'agreed with the investigator by phone',
      }),
    );
    expect(agreed).toMatchObject({
      dueMs: tuesdayNoon,
      agreed: true,
      basis: 'Agreed with FDA, 21 CFR 1.1455(c)(3): agreed with the investigator by phone',
    });

    // A trading partner's request gets the same time, as a working target rather than the law's clock.
    const partner = await value<{ id: number; basis: string; dueMs: number }>(
      phil('requests.record', {
        ...dscsaRequest,
        requesterKind: 'partner',
        requester: 'Big Wholesaler',
        receivedMs: FRIDAY_11AM + 20 * 60_000,
      }),
    );
    expect(partner.basis).toMatch(
      /^Working target, the time the law gives an official's request: FD&C Act §582\(d\)\(1\)\(D\)/,
    );
    expect(partner.dueMs).toBe(dscsa.dueMs);

    // Open requests, soonest deadline first.
    const list = await value<{ requests: { id: number }[] }>(phil('requests.list', {}));
    expect(list.requests.map((r) => r.id)).toEqual([2, 3, 1, 4]);

    // Who may: a technician and an auditor may read requests, not record them.
    expect(await tess('requests.record', dscsaRequest)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await ava('requests.list', {})).toMatchObject({ ok: true });
    // Refusals say why.
    expect(await phil('requests.record', { ...dscsaRequest, asked: {} })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/what was asked/) },
    });
    expect(
      await phil('requests.record', { ...dscsaRequest, receivedMs: FRIDAY_11AM + 86_400_000 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/future/) },
    });
    expect(await phil('requests.record', { ...dscsaRequest, timeZone: 'Mars/Olympus' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    // A ledger entry that is not a generated report does not answer a request; the refusal is recorded.
    expect(
      await phil('requests.answer', { id: 1, reportSeq: 0, sentTo: 'J. Rivera by email' }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect((await entriesOf(phil, ['requests.refused']))[0]).toMatchObject({
      actor: ids.phil,
      payload: { procedure: 'requests.answer', code: 'not-found', subject: { request: 1, report: 0 } },
    });

    // FDA withdraws the FSMA request: its deadline stops and it can no longer be changed.
    expect(
      await value(
        phil('requests.withdraw', { id: fsma.id, reason: 'Outbreak traced upstream; FDA withdrew it' }),
      ),
    ).toMatchObject({ status: 'withdrawn', withdrawnReason: 'Outbreak traced upstream; FDA withdrew it' });
    expect(
      await phil('requests.agreeDeadline', { id: fsma.id, dueMs: tuesdayNoon + 1, note: 'later' }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // The report engine generates a T3 (a reports.generated entry); it is sent in answer an hour later.
    await c.close();
    clock.advance(60 * 60_000);
    const reportSeq = await generatedReport(dataDir, secrets, clock.now());
    clock.advance(10 * 60_000);
    c = core(dataDir, secrets, clock.now);
    phil = await signIn(c, 'phil-again', 'phil');
    const offered = await value<{ reports: { seq: number; kind: string; format: string; sha256: string }[] }>(
      phil('requests.reports', {}),
    );
    expect(offered.reports).toEqual([
      expect.objectContaining({ seq: reportSeq, kind: 'dscsa-t3', format: 'pdf', sha256: 'ab'.repeat(32) }),
    ]);
    const answered = await value<{ status: string; answeredInTime: boolean; answers: unknown[] }>(
      phil('requests.answer', { id: 1, reportSeq, sentTo: 'J. Rivera by email', note: 'T3 for lot L1' }),
    );
    expect(answered).toMatchObject({
      status: 'answered',
      answeredInTime: true,
      answers: [
        {
          reportSeq,
          kind: 'dscsa-t3',
          format: 'pdf',
          sha256: 'ab'.repeat(32),
          sentMs: clock.now(),
          sentTo: 'J. Rivera by email',
          note: 'T3 for lot L1',
          by: ids.phil,
        },
      ],
    });
    expect(await phil('requests.answer', { id: 1, reportSeq, sentTo: 'again' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    const recorded = await entriesOf(phil, ['requests.recorded', 'requests.answered']);
    expect(recorded.map((e) => e.type)).toEqual([
      'requests.recorded',
      'requests.recorded',
      'requests.recorded',
      'requests.recorded',
      'requests.answered',
    ]);
    expect(recorded[4]).toMatchObject({ actor: ids.phil, payload: { request: 1, reportSeq } });

    // Every request row is rebuilt from the ledger alone.
    const cora = await signIn(c, 'cora', 'cora');
    expect(await value(cora('inventory.verifyProjections'))).toMatchObject({ ok: true, differences: [] });
    await c.close();
  });
});
