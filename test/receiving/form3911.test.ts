import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/app';
import { ACCESS_ENTRY } from '../../src/core/ledger/access-log';
import { openLedger, workspaceFor } from '../../src/core/ledger/open';
import { readSnapshot } from '../../src/core/ledger/snapshot';
import { silentLog } from '../../src/core/platform/log';
import { projections } from '../../src/core/projections';
import { FORM_3911_ITEMS } from '../../src/core/receiving';
import { buildReport, renderReport, type ReportRequest } from '../../src/core/reports/engine';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import type { SecretStore } from '../../src/core/secrets/secret-store';
import { events as ev } from '../support/synthetic';
import { doc, item, ITEM_GTIN, MFG, PHARMACY, t, WHOLESALER } from '../ingest/world';
import {
  entriesOf,
  PASSWORDS,
  signIn,
  staffPharmacy,
  TEST_SCRYPT,
  testClock,
  value,
} from '../inventory/helpers';

/*
 * The Form FDA 3911 worked example: a package found suspect at receiving (its serial was
 * decommissioned by the manufacturer), investigated, closed as illegitimate, then the initial
 * notification, the incident number FDA assigns, a follow-up and a request for termination, each
 * recorded as sent and each a worksheet of its own, checked item by item in the current (2025)
 * numbering: in the API's worksheet, in the CSV and in the PDF read back by pdftotext -layout.
 */

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

const GS = '\u001d';
const wedge = (gtin: string, serial: string, lot: string, expiry = '280331') =>
  `]d201${gtin}17${expiry}10${lot}${GS}21${serial}`;
const CHICAGO = 'America/Chicago';
const HOUR = 3_600_000;
// Monday 9 March 2026, 09:00 in Springfield, Illinois (CDT).
const MONDAY_9AM = Date.parse('2026-03-09T14:00:00Z');

function core(dataDir: string, secrets: SecretStore, now: () => number): Core {
  return createCore({ version: 'test', dataDir, log: silentLog, secrets, scryptCost: TEST_SCRYPT, now });
}

const CONTACT = {
  name: 'Phil Pharmacist',
  title: 'Pharmacist in charge',
  phone: '217-555-0142',
  email: 'phil@mainstreet.example',
};

type Worksheet = {
  notification: number | null;
  type: string;
  items: { item: number; label: string; value: string; field: string }[];
  notes: string[];
  partnersNotified: unknown[];
};
const byItem = (w: Worksheet) => Object.fromEntries(w.items.map((i) => [i.item, i.value]));

/** Builds and renders one report on the closed ledger's newest checkpoint. */
async function report(dataDir: string, secrets: SecretStore, request: ReportRequest): Promise<Buffer> {
  const opened = await openLedger({ dataDir, secrets, createIfMissing: false });
  try {
    const ws = workspaceFor(opened, projections);
    const built = readSnapshot(opened.installation.reader(), { sealer: ws.sealer, dataDir }, (s) =>
      buildReport(s, request),
    );
    return await renderReport(built, request.format);
  } finally {
    opened.close();
  }
}

function pdfText(pdf: Buffer, dir: string, name: string): string {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** CSV (RFC 4180) rows of the report's item table: [item, label, value]. */
function csvItems(csv: Buffer): string[][] {
  const text = csv.toString('utf8').replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  const start = rows.findIndex((r) => r[0] === 'Item' && r[1] === 'Label');
  const out: string[][] = [];
  for (const r of rows.slice(start + 1)) {
    if (!/^\d+$/.test(r[0] ?? '')) break;
    out.push(r.slice(0, 3));
  }
  return out;
}

describe('Form FDA 3911 from an investigation closed in the test', () => {
  it('fills every item of the current form for the initial, follow-up and termination notifications', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-3911-'));
    made.push(dataDir);
    const secrets = createMemorySecretStore();
    const clock = testClock(MONDAY_9AM);
    const c = core(dataDir, secrets, clock.now);
    const ids = await staffPharmacy(c);
    const phil = await signIn(c, 'phil', 'phil');
    const tess = await signIn(c, 'tess', 'tess');
    const call = async <T = Record<string, unknown>>(method: string, input?: unknown) =>
      value<T>(phil(method, input));
    // Time passes between the steps: the workstation locks when idle, so each person signs in again.
    const later = async (ms: number) => {
      clock.advance(ms);
      await signIn(c, 'phil', 'phil');
      await signIn(c, 'tess', 'tess');
    };

    // The pharmacy, its wholesaler and the manufacturer; an ASN whose serial 30 the manufacturer decommissioned.
    await call('partners.save', {
      name: 'Main Street Pharmacy',
      role: 'self',
      authorized: true,
      glns: [PHARMACY],
    });
    await call('partners.save', {
      name: 'Big Wholesaler',
      role: 'wholesaler',
      authorized: true,
      glns: [WHOLESALER],
    });
    await call('partners.save', { name: 'GS1 Pharma', role: 'manufacturer', authorized: true, glns: [MFG] });
    const L = { lot: 'L1', expiry: '2028-03-31' };
    const asn = doc([
      ev.commission([5, 30].map(item), { time: t(0), location: MFG, ...L }),
      ev.decommission([item(30)], { time: t(4), location: MFG }),
      ev.ship([item(5)], {
        time: t(10),
        seller: WHOLESALER,
        buyer: PHARMACY,
        shipTo: PHARMACY,
        po: 'PO-A',
        desadv: 'ASN-A',
      }),
    ]);
    const imported = await call<{ results: { status: string }[] }>('ingest.import', {
      files: [{ name: 'asn-a.xml', base64: Buffer.from(asn).toString('base64') }],
    });
    expect(imported.results.map((r) => r.status)).toEqual(['imported']);
    const { sessionId } = await call<{ sessionId: number }>('receiving.openSession', {});
    const suspect = await call<{ exception: { kind: string }; investigationId: number }>('receiving.scan', {
      sessionId,
      scan: wedge(ITEM_GTIN, 'S000030', 'L1'),
    });
    expect(suspect.exception.kind).toBe('suspect');
    const id = suspect.investigationId;

    // No 3911 while the investigation is open.
    expect(await phil('receiving.form3911', { id })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });

    // Two hours later: illegitimate (counterfeit), signed.
    await later(2 * HOUR);
    await call('receiving.closeInvestigation', {
      id,
      password: PASSWORDS.phil,
      outcome: 'illegitimate',
      classification: 'counterfeit',
      description:
        'Serial decommissioned by the manufacturer; carton print differs from a known good package.',
      quantity: 1,
    });

    // The draft of the initial notification, before anything is sent: dates in the pharmacy's zone.
    const draft = await call<Worksheet>('receiving.form3911', { id, timeZone: CHICAGO });
    expect(draft.notification).toBeNull();
    expect(draft.notes[0]).toMatch(/^Draft/);
    expect(byItem(draft)).toMatchObject({
      1: 'Initial Notification',
      2: '',
      3: 'Springfield, IL, United States',
      4: '',
      5: '03/09/2026',
      6: 'Counterfeit',
      7: 'Epcistra',
      15: 'S000030',
    });

    // Who may send it, and the signature: a technician is refused, a wrong password is refused.
    const initial = {
      id,
      type: 'initial',
      timeZone: CHICAGO,
      geographicLocation: 'Springfield, Sangamon County, IL, United States',
      quantity: { number: 1, unit: 'bottle of 100 tablets' },
      primaryIngredients: 'Epcistrazole',
      drugUse: 'Human',
      drugDescription: 'Finished prescription drug',
      description:
        'Package received 03/09/2026 from Big Wholesaler on ASN-A; its serial number was decommissioned by the manufacturer; the carton print differs from a known good package.',
      otherMechanisms: ['None'],
      partnersNotified: [{ name: 'Big Wholesaler', notifiedMs: 0, how: 'phone, then email' }],
      contact: CONTACT,
    };
    await later(3 * HOUR);
    initial.partnersNotified[0]!.notifiedMs = clock.now() - 10 * 60_000;
    const sentAt = clock.now();
    expect(
      await tess('receiving.recordNotification', {
        ...initial,
        notifiedMs: sentAt,
        password: PASSWORDS.tess,
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      await phil('receiving.recordNotification', {
        ...initial,
        notifiedMs: sentAt,
        password: 'wrong password',
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden', details: { rule: 'electronic-signature' } } });
    const w1 = await call<Worksheet>('receiving.recordNotification', {
      ...initial,
      notifiedMs: sentAt,
      password: PASSWORDS.phil,
    });
    const expectedInitial: Record<number, string> = {
      1: 'Initial Notification',
      2: '',
      3: 'Springfield, Sangamon County, IL, United States',
      4: '03/09/2026',
      5: '03/09/2026',
      6: 'Counterfeit',
      7: 'Epcistra',
      8: 'Epcistrazole',
      9: 'Human',
      10: 'Finished prescription drug',
      11: '100 mg',
      12: 'TABLET',
      13: '1 bottle of 100 tablets',
      14: '0001-0123-45',
      15: 'S000030',
      16: 'L1',
      17: '03/31/2028',
      18: initial.description,
      19: '',
      20: 'None',
      21: 'Main Street Pharmacy, 1 Main Street, Springfield, IL 62701, United States',
      24: 'Phil Pharmacist, Pharmacist in charge, 217-555-0142, phil@mainstreet.example',
    };
    expect(w1.notification).toBe(1);
    expect(byItem(w1)).toEqual(expectedInitial);
    // Labels and numbers are the one table's; items 22 and 23 are said to be unfilled.
    expect(w1.items.map((i) => [i.item, i.label])).toEqual(FORM_3911_ITEMS.map((i) => [i.item, i.label]));
    expect(w1.items.find((i) => i.item === 3)?.label).toBe('Geographic Location of Incident');
    expect(w1.notes.join(' ')).toMatch(/Items 22 and 23/);

    // The 24-hour clock to notify FDA is met; the investigation lists the notification, signed.
    const inv = await call<{
      clocks: { name: string; met: boolean | null }[];
      notifications: { type: string; signature: { meaning: string; userId: string } }[];
      incidentNumber: string | null;
    }>('receiving.investigation', { id });
    expect(inv.clocks.find((k) => k.name.startsWith('notify FDA'))?.met).toBe(true);
    expect(inv.notifications).toEqual([
      expect.objectContaining({
        type: 'initial',
        notifiedMs: sentAt,
        signature: expect.objectContaining({
          userId: ids.phil,
          meaning: 'Form FDA 3911 Initial Notification sent to FDA',
        }),
      }),
    ]);

    // A follow-up needs the incident number FDA assigns; then it carries it in item 2.
    const followUp = {
      id,
      type: 'follow-up',
      timeZone: CHICAGO,
      geographicLocation: 'Springfield, Sangamon County, IL, United States',
      quantity: { number: 3, unit: 'bottles of 100 tablets' },
      description: 'Two more bottles of lot L1 found in stock with decommissioned serials; quarantined.',
      otherMechanisms: ['MedWatch 3500', 'Other'],
      otherMechanismsSpecify: 'State Board of Pharmacy report',
      partnersNotified: [],
      contact: CONTACT,
    };
    expect(
      await phil('receiving.recordNotification', {
        ...followUp,
        notifiedMs: clock.now(),
        password: PASSWORDS.phil,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/incident number/) },
    });
    await later(20 * HOUR);
    await call('receiving.recordIncidentNumber', {
      id,
      incidentNumber: 'DN-2026-00417',
      receivedMs: clock.now(),
    });
    await later(24 * HOUR);
    const w2 = await call<Worksheet>('receiving.recordNotification', {
      ...followUp,
      notifiedMs: clock.now(),
      password: PASSWORDS.phil,
    });
    expect(w2.notification).toBe(2);
    expect(byItem(w2)).toEqual({
      ...expectedInitial,
      1: 'Follow-up Notification',
      2: 'DN-2026-00417',
      13: '3 bottles of 100 tablets',
      8: '',
      9: '',
      10: '',
      18: followUp.description,
      20: 'MedWatch 3500; Other: State Board of Pharmacy report',
    });

    // The request for termination: item 19 says why, item 18 stays empty; the partners are told.
    await later(10 * 24 * HOUR);
    const w3 = await call<Worksheet>('receiving.recordNotification', {
      id,
      type: 'termination',
      timeZone: CHICAGO,
      geographicLocation: 'Springfield, Sangamon County, IL, United States',
      quantity: { number: 3, unit: 'bottles of 100 tablets' },
      terminationReason:
        'All three bottles destroyed under FDA direction on 03/18/2026; no further product found.',
      otherMechanisms: ['None'],
      partnersNotified: [{ name: 'Big Wholesaler', notifiedMs: clock.now(), how: 'email' }],
      contact: CONTACT,
      notifiedMs: clock.now(),
      password: PASSWORDS.phil,
    });
    expect(byItem(w3)).toMatchObject({
      1: 'Request for Termination',
      2: 'DN-2026-00417',
      4: '03/09/2026',
      18: '',
      19: 'All three bottles destroyed under FDA direction on 03/18/2026; no further product found.',
    });
    expect(
      await phil('receiving.recordNotification', {
        ...followUp,
        type: 'termination',
        terminationReason: 'again',
        notifiedMs: clock.now(),
        password: PASSWORDS.phil,
      }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // The ledger holds each notification, signed, and never the serial; showing it is an access entry.
    const recorded = await entriesOf(phil, ['form3911.recorded', 'form3911.incident-number']);
    expect(recorded.map((e) => [e.type, e.payload.type ?? e.payload.incidentNumber])).toEqual([
      ['form3911.recorded', 'initial'],
      ['form3911.incident-number', 'DN-2026-00417'],
      ['form3911.recorded', 'follow-up'],
      ['form3911.recorded', 'termination'],
    ]);
    expect(JSON.stringify(recorded)).not.toContain('S000030');
    // Each names the product as it was sent, so a worksheet regenerated later reads what was sent.
    expect(recorded[0]!.payload.product).toEqual({
      name: 'Epcistra',
      ndc: '0001-0123-45',
      strength: '100 mg',
      dosageForm: 'TABLET',
    });
    const shown = await entriesOf(phil, [ACCESS_ENTRY]);
    expect(shown.filter((e) => e.payload.procedure === 'receiving.recordNotification')).toHaveLength(3);
    const cora = await signIn(c, 'cora', 'cora');
    expect(await value(cora('inventory.verifyProjections'))).toMatchObject({ ok: true, differences: [] });
    await c.close();

    // The report kind rebuilds each worksheet from the ledger: CSV cell by cell, PDF through pdftotext.
    const asCsv = await report(dataDir, secrets, {
      kind: 'fda-3911',
      format: 'csv',
      params: { id: `${id}/1` },
    });
    expect(csvItems(asCsv)).toEqual(
      FORM_3911_ITEMS.map((i) => [String(i.item), i.label, expectedInitial[i.item] ?? '']),
    );
    const artifacts = path.join('test-results', 'form3911');
    fs.mkdirSync(artifacts, { recursive: true });
    for (const [n, w] of [
      [1, w1],
      [2, w2],
      [3, w3],
    ] as const) {
      const pdf = await report(dataDir, secrets, {
        kind: 'fda-3911',
        format: 'pdf',
        params: { id: `${id}/${n}` },
      });
      const text = pdfText(pdf, artifacts, `form3911-${n}`);
      expect(text).toContain('Form FDA 3911 worksheet');
      for (const line of w.items) {
        // Each item on a line of its own: its number, the start of its label, then its value.
        const words = line.label.split(' ').slice(0, 3).join(' ');
        const value = line.value.split(' ').slice(0, 3).join(' ');
        const pattern = new RegExp(`^\\s*${line.item}\\s+${escape(words)}.*${escape(value)}`, 'm');
        expect(text, `item ${line.item} of notification ${n}`).toMatch(pattern);
      }
    }
    // The same notification at the same checkpoint is the same file, byte for byte.
    const again = await report(dataDir, secrets, {
      kind: 'fda-3911',
      format: 'pdf',
      params: { id: `${id}/1` },
    });
    expect(again.equals(fs.readFileSync(path.join(artifacts, 'form3911-1.pdf')))).toBe(true);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      path.join(artifacts, 'form3911-1.pdf'),
      path.join(artifacts, 'form3911-1'),
    ]);
    // Without /N the latest notification: the request for termination.
    const latest = await report(dataDir, secrets, {
      kind: 'fda-3911',
      format: 'csv',
      params: { id: String(id) },
    });
    expect(csvItems(latest)[0]).toEqual(['1', 'Type of Report', 'Request for Termination']);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
