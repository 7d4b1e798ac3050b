import { describe, expect, it } from 'vitest';
import { drugGtin, events as ev, withCheck } from '../support/synthetic';
import { ACCESS_ENTRY } from '../../src/core/ledger/access-log';
import { entriesOf, PASSWORDS, signIn, staffedCore } from '../quarantine/helpers';
import { doc, item, ITEM_GTIN, MFG, pallet, caseOf, PHARMACY, t, WHOLESALER } from '../ingest/world';

const GS = '\u001d';
const OTHER_STORE = withCheck('061414199999');
const GTIN_B = drugGtin('0002123456');

/** What a keyboard-wedge scanner types for a GS1 DataMatrix: AIM id, then AIs with GS after variable fields. */
const wedge = (gtin: string, serial: string, lot: string, expiry = '280331') =>
  `]d201${gtin}17${expiry}10${lot}${GS}21${serial}`;
const serialOf = (uri: string) => uri.split('/').pop()!;

/** A staffed core; calls go through the router as Phil Pharmacist, signed in on his window. */
async function api() {
  const { core, ids } = await staffedCore();
  const phil = await signIn(core, 'phil-window', 'phil');
  // Results are checked field by field below; a loose type keeps the test readable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async <T = any>(method: string, input?: unknown): Promise<T> => {
    const r = await phil(method, input);
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };
  return { core, call, phil, ids };
}

const t3Csv = (invoice: string, qty: number, lot: string) =>
  [
    'Invoice,Transaction Date,Seller,Seller GLN,Buyer,Buyer GLN,Ship To GLN,Product,Strength,Dosage Form,NDC,GTIN,Container Size,Quantity,Lot,Expiry,Statement',
    `${invoice},2026-03-02,Big Wholesaler,${WHOLESALER},Main Street Pharmacy,${PHARMACY},${PHARMACY},Lisinopril,10 mg,TABLET,0002-1234-56,${GTIN_B},90 tablets,${qty},${lot},2027-06-30,Yes`,
  ].join('\r\n');

describe('receiving through the core API: every exception kind', () => {
  it('accepts what the data covers and opens the right exception for everything else', async () => {
    const { core, call, phil, ids } = await api();
    try {
      await call('partners.save', {
        name: 'Main Street Pharmacy',
        role: 'self',
        authorized: true,
        glns: [PHARMACY],
      });
      const w = await call<{ id: number }>('partners.save', {
        name: 'Big Wholesaler',
        role: 'wholesaler',
        authorized: true,
        glns: [WHOLESALER],
      });
      await call('partners.save', {
        name: 'GS1 Pharma',
        role: 'manufacturer',
        authorized: true,
        glns: [MFG],
      });
      const mapping = await call<{ id: number }>('partners.saveMapping', {
        partnerId: w.id,
        name: 'weekly T3',
        mapping: {
          kind: 'dscsa-t3',
          columns: {
            invoice: 'Invoice',
            transactionDate: 'Transaction Date',
            sellerName: 'Seller',
            sellerGln: 'Seller GLN',
            buyerName: 'Buyer',
            buyerGln: 'Buyer GLN',
            shipToGln: 'Ship To GLN',
            productName: 'Product',
            strength: 'Strength',
            dosageForm: 'Dosage Form',
            ndc: 'NDC',
            gtin: 'GTIN',
            containerSize: 'Container Size',
            quantity: 'Quantity',
            lot: 'Lot',
            expiry: 'Expiry',
            statement: 'Statement',
          },
        },
      });
      const L = { lot: 'L1', expiry: '2028-03-31' };
      const mfg = doc([
        ev.commission([1, 2, 3, 4, 5, 6, 20, 30].map(item), { time: t(0), location: MFG, ...L }),
        ev.commission([caseOf(1)], { time: t(1), location: MFG, ...L }),
        ev.pack(caseOf(1), [1, 2, 3, 4].map(item), { time: t(2), location: MFG }),
        ev.pack(pallet(1), [caseOf(1)], { time: t(3), location: MFG }),
        ev.decommission([item(30)], { time: t(4), location: MFG }),
        ev.ship([pallet(1), item(5), item(6)], {
          time: t(10),
          seller: WHOLESALER,
          buyer: PHARMACY,
          shipTo: PHARMACY,
          po: 'PO-A',
          desadv: 'ASN-A',
        }),
        ev.ship([item(20)], {
          time: t(11),
          seller: WHOLESALER,
          buyer: PHARMACY,
          shipTo: OTHER_STORE,
          po: 'PO-C',
          desadv: 'ASN-C',
        }),
      ]);
      const b64 = (s: string) => Buffer.from(s).toString('base64');
      const imported = await call<{ results: { status: string }[] }>('ingest.import', {
        files: [{ name: 'asn-a.xml', base64: b64(mfg) }],
      });
      expect(imported.results.map((r) => r.status)).toEqual(['imported']);
      const t3 = await call<{ results: { status: string; reasons: unknown[] }[] }>('ingest.import', {
        files: [
          { name: 't3-b.csv', base64: b64(t3Csv('INV-B', 2, 'LOT-B')) },
          { name: 't3-d.csv', base64: b64(t3Csv('INV-D', 3, 'LOT-D')) },
        ],
        partnerId: w.id,
        mappingId: mapping.id,
      });
      expect(t3.results.map((r) => r.status)).toEqual(['imported', 'imported']);
      const { shipments } = await call<{ shipments: { id: number; reference: string }[] }>(
        'receiving.shipments',
      );
      const byRef = (ref: string) => shipments.find((s) => s.reference.includes(ref))!.id;
      const kinds: string[] = [];
      const scan = async (sessionId: number, text: string) => {
        const r = await call('receiving.scan', { sessionId, scan: text });
        if (r.exception) kinds.push(r.exception.kind);
        return r;
      };

      // Shipment A: serialized EPCIS data (pallet, two loose packages).
      const a = (await call<{ sessionId: number }>('receiving.openSession', { shipmentId: byRef('ASN-A') }))
        .sessionId;
      expect(await scan(a, `]C100${pallet(1).split('/').pop()}`)).toMatchObject({
        verdict: 'accepted',
        units: 4,
      });
      expect(await scan(a, wedge(ITEM_GTIN, serialOf(item(5)), 'L1'))).toMatchObject({
        verdict: 'accepted',
        units: 1,
      });
      expect((await scan(a, wedge(ITEM_GTIN, serialOf(item(5)), 'L1'))).verdict).toBe('duplicate');
      expect((await scan(a, wedge(ITEM_GTIN, serialOf(item(6)), 'L9'))).exception.kind).toBe('lot-mismatch');
      expect((await scan(a, wedge(ITEM_GTIN, serialOf(item(6)), 'L1', '290131'))).exception.kind).toBe(
        'expiry-mismatch',
      );
      expect((await scan(a, wedge(ITEM_GTIN, serialOf(item(6)), 'L1'))).verdict).toBe('accepted');
      expect((await scan(a, wedge(ITEM_GTIN, 'S999999', 'L1'))).exception.kind).toBe('wrong-serial');
      // A product no data of any shipment lists (product B's data names LOT-B, not LOT-Z).
      expect((await scan(a, wedge(GTIN_B, 'X1', 'LOT-Z'))).exception.kind).toBe('product-without-data');
      expect((await scan(a, wedge(ITEM_GTIN, serialOf(item(20)), 'L1'))).exception.kind).toBe(
        'wrong-ship-to',
      );
      const suspect = await scan(a, wedge(ITEM_GTIN, serialOf(item(30)), 'L1'));
      expect(suspect.exception.kind).toBe('suspect');
      const damaged = await call('receiving.damaged', {
        sessionId: a,
        scan: wedge(ITEM_GTIN, serialOf(item(6)), 'L1'),
        note: 'crushed corner, seal intact',
      });
      kinds.push(damaged.exception.kind);
      expect((await call('receiving.closeSession', { sessionId: a })).exceptions).toEqual([]);

      // Shipment B: lot-level T3 data for 2 units; the third is an over-shipment.
      const b = (await call<{ sessionId: number }>('receiving.openSession', { shipmentId: byRef('INV-B') }))
        .sessionId;
      expect((await scan(b, wedge(GTIN_B, 'X1', 'LOT-B', '270630'))).verdict).toBe('accepted');
      expect((await scan(b, wedge(GTIN_B, 'X2', 'LOT-B', '270630'))).verdict).toBe('accepted');
      expect((await scan(b, wedge(GTIN_B, 'X3', 'LOT-B', '270630'))).exception.kind).toBe('over-shipment');
      await call('receiving.closeSession', { sessionId: b });

      // Shipment D: 3 in the data, 1 arrived.
      const d = (await call<{ sessionId: number }>('receiving.openSession', { shipmentId: byRef('INV-D') }))
        .sessionId;
      expect((await scan(d, wedge(GTIN_B, 'D1', 'LOT-D', '270630'))).verdict).toBe('accepted');
      const closedD = await call('receiving.closeSession', { sessionId: d });
      kinds.push(...closedD.exceptions.map((x: { kind: string }) => x.kind));

      // Shipment C (to the other store) never arrives here: data without product when closed empty.
      const c = (
        await call<{ sessionId: number }>('receiving.openSession', {
          shipmentId: byRef('ASN-C'),
          location: OTHER_STORE,
        })
      ).sessionId;
      kinds.push(
        ...(await call('receiving.closeSession', { sessionId: c })).exceptions.map(
          (x: { kind: string }) => x.kind,
        ),
      );

      // A tote nobody sent data for, scanned without choosing a shipment.
      const n = (await call<{ sessionId: number }>('receiving.openSession', {})).sessionId;
      const tote = await scan(n, `]C100${withCheck('00300019999999999')}`);
      expect(tote.exception.kind).toBe('no-data-received');

      // Issue 19: the same package gets the same verdict without a chosen shipment. D's next
      // package is received against INV-D, the only shipment still waiting for product B lot D,
      // and the answer names the shipment by its invoice number and seller, not a row id.
      const d2 = await scan(n, wedge(GTIN_B, 'D2', 'LOT-D', '270630'));
      expect(d2).toMatchObject({
        verdict: 'accepted',
        units: 1,
        shipment: { id: byRef('INV-D'), document: 'INV-D', seller: 'Big Wholesaler' },
      });
      // A second invoice lists the same product and lot: the next package asks which shipment it
      // came in and records nothing until the person says.
      await call('ingest.import', {
        files: [{ name: 't3-e.csv', base64: b64(t3Csv('INV-E', 2, 'LOT-D')) }],
        partnerId: w.id,
        mappingId: mapping.id,
      });
      const inE = (
        await call<{ shipments: { id: number; reference: string }[] }>('receiving.shipments')
      ).shipments.find((s) => s.reference === 'INV-E')!.id;
      const ask = await scan(n, wedge(GTIN_B, 'D3', 'LOT-D', '270630'));
      expect(ask.verdict).toBe('choose-shipment');
      expect(ask.candidates.map((c: { document: string }) => c.document).sort()).toEqual(['INV-D', 'INV-E']);
      const chosen = await call('receiving.scan', {
        sessionId: n,
        scan: wedge(GTIN_B, 'D3', 'LOT-D', '270630'),
        shipmentId: inE,
      });
      expect(chosen).toMatchObject({ verdict: 'accepted', shipment: { document: 'INV-E' } });
      // Inside shipment D the same kind of package gets the same verdict, against D.
      const d4 = (await call<{ sessionId: number }>('receiving.openSession', { shipmentId: byRef('INV-D') }))
        .sessionId;
      expect(await scan(d4, wedge(GTIN_B, 'D4', 'LOT-D', '270630'))).toMatchObject({
        verdict: 'accepted',
        shipment: { document: 'INV-D' },
      });
      await call('receiving.closeSession', { sessionId: d4 });
      // The session's finish names the exception still open (the tote) and never reads as clean.
      const finished = await call('receiving.closeSession', { sessionId: n });
      expect(finished.open.map((x: { id: number }) => x.id)).toContain(tote.exception.id);
      expect(finished.accepted).toBe(2);
      // The exception shows the scanned package's serial (sealed: opening it is recorded).
      const serialShown = await call('receiving.exception', { id: tote.exception.id });
      expect(serialShown).toMatchObject({ kind: 'no-data-received', serial: withCheck('00300019999999999') });

      expect([...new Set(kinds)].sort()).toEqual(
        [
          'damaged',
          'data-without-product',
          'expiry-mismatch',
          'lot-mismatch',
          'no-data-received',
          'over-shipment',
          'product-without-data',
          'suspect',
          'under-shipment',
          'wrong-serial',
          'wrong-ship-to',
        ].sort(),
      );
      console.log(`receiving exception kinds reached through the API: ${new Set(kinds).size}/11`);

      // The suspect package is quarantined with an investigation and its clocks; illegitimate -> Form 3911 data.
      const inv = await call('receiving.investigation', { id: suspect.investigationId });
      expect(inv.status).toBe('open');
      expect(inv.clocks.map((c: { name: string }) => c.name)).toContain('investigation determination');
      // The outcome is an electronic signature: a wrong password is refused and recorded, nothing closes.
      const outcome = {
        id: suspect.investigationId,
        outcome: 'illegitimate',
        classification: 'diverted',
        description: 'decommissioned by the manufacturer, yet shipped to us',
      };
      expect(
        await phil('receiving.closeInvestigation', { ...outcome, password: 'not the right one' }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden', details: { rule: 'electronic-signature' } } });
      const refused = await entriesOf(phil, ['receiving.refused']);
      expect(refused.find((e) => e.payload.procedure === 'receiving.closeInvestigation')).toMatchObject({
        actor: ids.phil,
        payload: {
          procedure: 'receiving.closeInvestigation',
          subject: { investigation: suspect.investigationId },
        },
      });
      expect((await call('receiving.investigation', { id: suspect.investigationId })).status).toBe('open');
      const closed = await call('receiving.closeInvestigation', { ...outcome, password: PASSWORDS.phil });
      expect(closed.outcome.signature).toMatchObject({
        userId: ids.phil,
        printedName: 'Phil Pharmacist',
        meaning: 'investigation outcome: illegitimate (diverted)',
        subjectHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect((await entriesOf(phil, ['investigation.closed']))[0]).toMatchObject({
        actor: ids.phil,
        payload: { outcome: 'illegitimate', signature: closed.outcome.signature },
      });
      // Its answer showed the 3911 draft's serial: one access entry naming the investigation, not the serial.
      const shown = await entriesOf(phil, [ACCESS_ENTRY]);
      expect(shown.at(-1)).toMatchObject({
        actor: ids.phil,
        payload: {
          procedure: 'receiving.closeInvestigation',
          records: { investigations: [suspect.investigationId] },
          identifiers: 1,
        },
      });
      expect(JSON.stringify(shown)).not.toContain(serialOf(item(30)));
      expect(closed.outcome.form3911).toMatchObject({
        classification: 'diverted',
        ndc: '0001-0123-45',
        lotNumbers: ['L1'],
        serialNumbers: [serialOf(item(30))],
      });
      expect(
        closed.clocks.some(
          (c: { statutory: boolean; name: string }) => c.statutory && c.name.startsWith('notify FDA'),
        ),
      ).toBe(true);
      // Every read procedure the pages use answers within its declared output schema.
      const detail = await call('receiving.shipment', { id: byRef('ASN-A') });
      expect(detail.lines.length).toBeGreaterThan(0);
      expect(detail.lines.every((l: { received: number }) => l.received >= 1)).toBe(true);
      expect(
        (await call('receiving.exceptions', { status: 'open' })).exceptions.length,
      ).toBeGreaterThanOrEqual(11);
      const ex = (await call('receiving.exceptions', {})).exceptions.find(
        (e: { kind: string }) => e.kind === 'over-shipment',
      );
      // Resolving is signed (21 CFR 11.50): a wrong password, an unknown exception and a second
      // resolution are each refused and recorded as receiving.refused, and nothing is resolved.
      const resolve = async (id: number, password: string) => {
        const r = await phil('receiving.resolveException', {
          id,
          resolution: ' seller issued a credit memo ',
          password,
        });
        return r.ok ? { error: null } : { error: r.error };
      };
      expect((await resolve(ex.id, 'not the right one')).error).toMatchObject({
        code: 'forbidden',
        details: { rule: 'electronic-signature' },
      });
      expect((await call('receiving.exception', { id: ex.id })).status).toBe('open');
      expect((await resolve(99_999, PASSWORDS.phil)).error).toMatchObject({ code: 'not-found' });
      const resolved = await call('receiving.resolveException', {
        id: ex.id,
        resolution: 'seller issued a credit memo',
        password: PASSWORDS.phil,
      });
      expect(resolved).toMatchObject({
        status: 'resolved',
        resolution: 'seller issued a credit memo',
        signature: {
          userId: ids.phil,
          printedName: 'Phil Pharmacist',
          meaning: 'resolved receiving exception: seller issued a credit memo',
          subjectHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      });
      expect((await resolve(ex.id, PASSWORDS.phil)).error).toMatchObject({ code: 'conflict' });
      expect((await entriesOf(phil, ['receiving.exception-resolved']))[0]).toMatchObject({
        actor: ids.phil,
        payload: { exception: ex.id, signature: resolved.signature },
      });
      // (The investigation's wrong-password close above is a receiving.refused entry too.)
      const refusals = (await entriesOf(phil, ['receiving.refused'])).filter(
        (r) => r.payload.procedure === 'receiving.resolveException',
      );
      expect(refusals.map((r) => [r.actor, r.payload.procedure, r.payload.code, r.payload.subject])).toEqual([
        [ids.phil, 'receiving.resolveException', 'forbidden', { exception: ex.id }],
        [ids.phil, 'receiving.resolveException', 'not-found', { exception: 99_999 }],
        [ids.phil, 'receiving.resolveException', 'conflict', { exception: ex.id }],
      ]);
      // The list shows who signed, from the resolving entry.
      const listed = (await call('receiving.exceptions', { status: 'resolved' })).exceptions;
      expect(listed.find((e: { id: number }) => e.id === ex.id).signature).toEqual(resolved.signature);
      expect((await call('receiving.investigations', {})).investigations).toHaveLength(1);
      expect((await call('partners.list')).partners).toHaveLength(3);
      expect(Object.keys((await call('partners.mappingFields')).fsma)).toContain('transformation');
      expect((await call('partners.mapping', { id: mapping.id })).mapping.kind).toBe('dscsa-t3');
      expect((await call('ingest.files')).total).toBe(4);
      expect((await call('ingest.pending')).total).toBe(0);
      expect((await call('quarantine.list')).total).toBe(0);
      const exported = await call('trace.export', {
        query: `(00)${pallet(1).split('/').pop()}`,
        format: 'csv',
      });
      expect(exported).toMatchObject({ mediaType: 'text/csv' });
      const traced = await call('trace.lookup', { query: wedge(ITEM_GTIN, serialOf(item(30)), 'L1') });
      expect(traced.state).toMatchObject({ state: 'decommissioned', quarantined: true, suspect: true });
    } finally {
      await core.close();
    }
  });
});
