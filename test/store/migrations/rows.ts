import crypto from 'node:crypto';
import type { Database } from '../../../src/core/store/database';

/*
 * Realistic rows for the tables each migration creates, keyed by migration version: one pharmacy's
 * installation a few weeks in (a wholesaler, an imported EPCIS file, a commissioned and shipped
 * serial, a CII receipt and count, a quarantined file, a receiving session, a watched folder).
 * A migration's test seeds every version before it, so what it must carry over is real data,
 * not empty tables. Every table of a version gets at least one row.
 */

export const sha256 = (text: string): Buffer => crypto.createHash('sha256').update(text).digest();

const T0 = Date.UTC(2026, 2, 2, 14, 30); // 2 March 2026, 14:30 UTC
const GTIN = '00300010123456'; // NDC 0001-0123-45 ("Epcistra"), the GS1 US DSCSA guideline's drug
const LOT = 'A123';
const SERIAL_DL = `https://id.gs1.org/01/${GTIN}/21/1000001`;
const KEYSTONE_GLN = '0614141000012';
const PHARMACY_GLN = '0614141000036';

function insert(db: Database, table: string, row: Record<string, unknown>): void {
  const columns = Object.keys(row);
  db.prepare(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
  ).run(row);
}

export const ROWS: Readonly<Record<number, (db: Database) => void>> = {
  5(db) {
    insert(db, 'installation_meta', { name: 'install_id', value: '6f1c2a9e-54b7-4d0c-9a83-2f6be1d0c4aa' });
  },

  10(db) {
    const leaves = [
      { type: 'installation.created', payload: { installId: '6f1c2a9e-54b7-4d0c-9a83-2f6be1d0c4aa' } },
      { type: 'registrant.recorded', payload: { registrant: { name: 'Riverside Pharmacy' } } },
      { type: 'users.created', payload: { userId: 'u-tess', username: 'tess' } },
    ];
    leaves.forEach((leaf, seq) =>
      insert(db, 'ledger_leaves', {
        seq,
        type: leaf.type,
        time_ms: T0 + seq * 1000,
        leaf: Buffer.from(JSON.stringify({ seq, time: T0 + seq * 1000, ...leaf }), 'utf8'),
      }),
    );
    insert(db, 'ledger_nodes', { level: 8, idx: 0, hash: sha256('subtree 8/0') });
    insert(db, 'ledger_checkpoints', {
      id: 1,
      size: 3,
      root: sha256('root of 3'),
      note: 'custodia.local/ledger/6f1c2a9e\n3\nq2f0Jx0vO6H1C0QX1yVYc4W3pS1bA4mO6l4h0j9QJ9k=\n\n— custodia-ledger+1a2b3c4d+sig\n',
      signed_ms: T0 + 3000,
    });
    insert(db, 'ledger_keys', {
      vkey: 'custodia-ledger+1a2b3c4d+AUvOcz2u5Lw1T6sY2cNp0Q8o9m7oXq6kqG0zv2m1b3Ze',
      valid_from_size: 0,
      rotation_note: null,
      added_ms: T0,
    });
    insert(db, 'ledger_state', {
      name: 'frontier',
      value: Buffer.concat([Buffer.from([3]), sha256('frontier')]),
    });
    insert(db, 'ledger_state', { name: 'verified-frontier', value: Buffer.from([3]) });
  },

  100(db) {
    insert(db, 'registrant', {
      id: 1,
      record: JSON.stringify({ name: 'Riverside Pharmacy', gln: PHARMACY_GLN, deaNumber: 'FR1234563' }),
      seq: 1,
    });
    insert(db, 'settings', { id: 1, record: JSON.stringify({ countThresholdBp: 50 }), seq: 4 });
    insert(db, 'users', {
      user_id: 'u-tess',
      username: 'tess',
      display_name: 'Tess Ortega, PharmD',
      roles: '["admin","pharmacist"]',
      active: 1,
      created_ms: T0 + 2000,
      created_seq: 2,
    });
    insert(db, 'users', {
      user_id: 'u-sam',
      username: 'sam',
      display_name: 'Sam Lee',
      roles: '["technician"]',
      active: 1,
      created_ms: T0 + 5000,
      created_seq: 5,
    });
    insert(db, 'user_lockout', {
      user_id: 'u-sam',
      failures: 2,
      first_failure_ms: T0 + 60_000,
      locked_until_ms: null,
    });
    insert(db, 'credentials', {
      user_id: 'u-tess',
      record: JSON.stringify({
        algorithm: 'scrypt',
        N: 131072,
        r: 8,
        p: 1,
        salt: 'c2FsdA==',
        hash: 'aGFzaA==',
      }),
      set_seq: 3,
    });
  },

  110(db) {
    insert(db, 'products', {
      ndc: '0001-0123-45',
      ndc11: '00001-0123-45',
      name: 'Epcistra',
      strength: '100 mg',
      dosage_form: 'TABLET',
      package_size: 100,
      unit: 'tablet',
      schedule: null,
      source: 'partner',
      added_seq: 6,
    });
    insert(db, 'products', {
      ndc: '0406-0552-01',
      ndc11: '00406-0552-01',
      name: 'Oxycodone Hydrochloride',
      strength: '5 mg',
      dosage_form: 'TABLET',
      package_size: 100,
      unit: 'tablet',
      schedule: 'CII',
      source: 'fda-ndc-directory',
      added_seq: 7,
    });
  },

  120(db) {
    const subjectHash = sha256('receipt tx-0001').toString('hex');
    insert(db, 'inv_transactions', {
      id: 'tx-0001',
      seq: 8,
      kind: 'receipt',
      ndc: '0406-0552-01',
      lot: 'OX2611',
      schedule: 'CII',
      qty_milli: 100_000,
      direction: 1,
      status: 'posted',
      date: '2026-03-02',
      subject: 'Received 100 tablets Oxycodone HCl 5 mg, lot OX2611, Form 222 order 261234567',
      subject_hash: subjectHash,
      initiated_by: 'u-sam',
      rejection_reason: null,
      decided_seq: 9,
    });
    insert(db, 'signatures', {
      seq: 9,
      subject_id: 'tx-0001',
      user_id: 'u-tess',
      printed_name: 'Tess Ortega, PharmD',
      meaning: 'approved',
      signed_ms: T0 + 3_600_000,
      subject_hash: subjectHash,
    });
    insert(db, 'inv_balances', { ndc: '0406-0552-01', qty_milli: 97_500 });
    insert(db, 'inv_lot_balances', { ndc: '0406-0552-01', lot: 'OX2611', qty_milli: 97_500 });
    insert(db, 'counts', {
      id: 'count-0001',
      seq: 12,
      ndc: '0406-0552-01',
      kind: 'perpetual',
      counted_milli: 97_000,
      expected_milli: 97_500,
      threshold_bp: 50,
      counted_ms: T0 + 86_400_000,
      counted_by: 'u-tess',
      discrepancy_id: 'disc-0001',
    });
    insert(db, 'discrepancies', {
      id: 'disc-0001',
      count_id: 'count-0001',
      ndc: '0406-0552-01',
      schedule: 'CII',
      variance_milli: -500,
      status: 'explained',
      explanation: 'Half tablet wasted during compounding, witnessed',
      explained_by: 'u-tess',
      form106_id: null,
    });
    insert(db, 'form106_drafts', {
      id: 'f106-0001',
      seq: 13,
      source: 'discrepancy',
      source_id: 'disc-0001',
      record: JSON.stringify({ ndc: '0406-0552-01', quantity: 0.5, type: 'loss' }),
    });
    insert(db, 'sealed_inventories', {
      id: 'inv-2026-03-01',
      seq: 10,
      kind: 'biennial',
      date: '2026-03-01',
      record: JSON.stringify({ items: [{ ndc: '0406-0552-01', qtyMilli: 100_000 }] }),
    });
  },

  200(db) {
    insert(db, 'trading_partners', {
      id: 1,
      name: 'Keystone Wholesale',
      role: 'wholesaler',
      authorized: 1,
      address: '100 Distribution Way, Harrisburg PA',
      saved_seq: 14,
    });
    insert(db, 'partner_glns', { gln: KEYSTONE_GLN, partner_id: 1 });
    insert(db, 'partner_mappings', {
      id: 1,
      partner_id: 1,
      name: 'Keystone T3 weekly',
      mapping: JSON.stringify({ format: 'csv-t3', columns: { NDC: 'ndc', Lot: 'lot', Qty: 'quantity' } }),
      saved_seq: 15,
    });
    insert(db, 'ingest_files', {
      id: 1,
      file_hash: sha256('2026-03-02-keystone-epcis.xml'),
      name: '2026-03-02-keystone-epcis.xml',
      format: 'epcis-xml',
      partner_id: 1,
      size: 18_342,
      ledger_seq: 16,
      records: 3,
      imported: 3,
      duplicates: 0,
      pending: 0,
      header: JSON.stringify({ sender: KEYSTONE_GLN, receiver: PHARMACY_GLN }),
      imported_ms: T0 + 7_200_000,
    });
    insert(db, 'trace_ids', {
      id: 1,
      bidx: sha256(`blind index ${SERIAL_DL}`),
      kind: 'sgtin',
      gtin: GTIN,
      lot: LOT,
      sealed: Buffer.concat([Buffer.from('v1:'), sha256(`sealed ${SERIAL_DL}`)]),
    });
    insert(db, 'trace_ids', {
      id: 2,
      bidx: sha256('blind index https://id.gs1.org/00/106141412345678908'),
      kind: 'sscc',
      gtin: null,
      lot: null,
      sealed: Buffer.concat([Buffer.from('v1:'), sha256('sealed sscc')]),
    });
    const events = [
      { type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', disposition: 'active' },
      { type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', disposition: 'in_progress' },
      { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit' },
    ];
    events.forEach((e, i) =>
      insert(db, 'trace_events', {
        id: i + 1,
        event_hash: sha256(`event ${i}`),
        file_id: 1,
        file_index: i,
        ledger_seq: 16,
        event_type: e.type,
        event_time_ms: T0 - 86_400_000 + i * 3_600_000,
        action: e.action,
        biz_step: `https://ref.gs1.org/cbv/BizStep-${e.bizStep}`,
        disposition: `https://ref.gs1.org/cbv/Disp-${e.disposition}`,
        biz_location: `https://id.gs1.org/414/${KEYSTONE_GLN}`,
        source_party: e.bizStep === 'shipping' ? KEYSTONE_GLN : null,
        dest_party: e.bizStep === 'shipping' ? PHARMACY_GLN : null,
      }),
    );
    insert(db, 'trace_event_ids', { trace_id: 1, event_id: 1, role: 'epc' });
    insert(db, 'trace_event_ids', { trace_id: 2, event_id: 2, role: 'parent' });
    insert(db, 'trace_event_ids', { trace_id: 1, event_id: 2, role: 'child' });
    insert(db, 'trace_event_ids', { trace_id: 2, event_id: 3, role: 'epc' });
    insert(db, 'trace_event_errors', { event_id: 1, declared_by: 3, reason: null, ledger_seq: 17 });
    insert(db, 'serial_state', {
      trace_id: 1,
      state: 'shipped',
      disposition: 'in_transit',
      parent_id: 2,
      last_event_id: 3,
      last_event_ms: T0 - 86_400_000 + 7_200_000,
      owner: KEYSTONE_GLN,
      location: KEYSTONE_GLN,
      expiry: '2028-06-30',
      suspect: 0,
      quarantined: 0,
    });
    insert(db, 'aggregation_edges', { parent_id: 2, child_id: 1, added_event: 2, removed_event: null });
    insert(db, 'pending_events', {
      event_id: 3,
      reason: 'waiting for the packing event of its case',
      since_ms: T0,
    });
    insert(db, 'pending_waits', { trace_id: 2, event_id: 3 });
    insert(db, 'shipments', {
      id: 1,
      file_id: 1,
      event_id: 3,
      record_hash: sha256('shipment PO-88812'),
      ledger_seq: 16,
      seller: KEYSTONE_GLN,
      seller_name: 'Keystone Wholesale',
      buyer: PHARMACY_GLN,
      ship_from: KEYSTONE_GLN,
      ship_to: PHARMACY_GLN,
      ship_to_name: 'Riverside Pharmacy',
      transaction_date: '2026-03-01',
      ship_date: '2026-03-01',
      reference: 'PO-88812',
      statement: 1,
      statement_text: 'Seller has complied with each applicable subsection of FDCA Sec. 581(27)(A)-(G).',
      status: 'open',
    });
    insert(db, 'shipment_items', {
      id: 1,
      shipment_id: 1,
      trace_id: 1,
      gtin: GTIN,
      ndc: '0001-0123-45',
      product_name: 'Epcistra',
      strength: '100 mg',
      dosage_form: 'TABLET',
      container_size: '100 tablets',
      lot: LOT,
      expiry: '2028-06-30',
      quantity: 1,
    });
    insert(db, 'trace_products', {
      gtin: GTIN,
      ndc: '0001-0123-45',
      name: 'Epcistra',
      strength: '100 mg',
      dosage_form: 'TABLET',
      container: '100 tablets',
      manufacturer: 'GS1 Pharma LLC',
      ledger_seq: 16,
    });
    insert(db, 'fsma_records', {
      id: 1,
      file_id: 1,
      ledger_seq: 16,
      record_hash: sha256('fsma shipping TLC-0042'),
      cte: 'shipping',
      tlc: 'TLC-0042',
      event_date: '2026-03-01',
      product: 'Romaine lettuce, 24 ct',
      quantity: '40 cases',
      from_name: 'Valley Greens',
      to_name: 'Riverside Pharmacy',
      kdes: JSON.stringify({ tlcSource: 'Valley Greens, Salinas CA' }),
    });
    insert(db, 'fsma_inputs', { record_id: 1, input_tlc: 'TLC-0041' });
  },

  210(db) {
    insert(db, 'quarantine_items', {
      id: 1,
      kind: 'file',
      file_hash: sha256('2026-03-12-summit-t3.csv'),
      file_name: '2026-03-12-summit-t3.csv',
      format: 'csv-t3',
      partner_id: null,
      mapping_id: null,
      source: 'upload',
      size: 2048,
      records: 12,
      reasons: JSON.stringify([{ rule: 'no-mapping', message: 'No mapping for this partner’s T3 columns.' }]),
      suspect: 0,
      status: 'open',
      opened_seq: 18,
      opened_ms: T0 + 864_000_000,
      attempts: 1,
      resolved_seq: null,
      resolution: null,
    });
    insert(db, 'quarantine_chunks', {
      item_id: 1,
      n: 0,
      bytes: Buffer.from('NDC,Lot,Qty\n0001-0123-45,A123,1\n'),
    });
  },

  220(db) {
    insert(db, 'receiving_sessions', {
      id: 1,
      shipment_id: 1,
      location: 'Back counter',
      opened_by: 'u-sam',
      opened_seq: 19,
      opened_ms: T0 + 90_000_000,
      status: 'closed',
      closed_seq: 22,
    });
    insert(db, 'receiving_scans', {
      id: 1,
      session_id: 1,
      ledger_seq: 20,
      trace_id: 1,
      shipment_id: 1,
      item_id: 1,
      gtin: GTIN,
      lot: LOT,
      expiry: '2028-06-30',
      units: 1,
      verdict: 'accepted',
      exception_id: null,
      scanned_ms: T0 + 90_060_000,
    });
    insert(db, 'receiving_exceptions', {
      id: 1,
      session_id: 1,
      shipment_id: 1,
      kind: 'overage',
      detail: 'Scanned a serial the transaction information does not list',
      status: 'resolved',
      opened_seq: 21,
      opened_ms: T0 + 90_120_000,
      resolved_seq: 23,
      resolution: 'Seller sent corrected TI',
    });
    insert(db, 'investigations', {
      id: 1,
      trace_id: 1,
      exception_id: 1,
      quarantine_id: null,
      gtin: GTIN,
      lot: LOT,
      expiry: '2028-06-30',
      reason: 'Serial not in the transaction information',
      status: 'cleared',
      opened_seq: 21,
      opened_ms: T0 + 90_120_000,
      determined_ms: T0 + 93_720_000,
      closed_seq: 23,
      outcome: 'Legitimate: seller confirmed the serial',
    });
    insert(db, 'inventory_receipts', {
      id: 1,
      ledger_seq: 22,
      source: 'receiving',
      shipment_id: 1,
      gtin: GTIN,
      ndc: '0001-0123-45',
      lot: LOT,
      units: 1,
      received_ms: T0 + 90_180_000,
    });
  },

  230(db) {
    insert(db, 'watched_folders', {
      id: 1,
      name: 'Keystone portal',
      path: '/srv/portal/keystone',
      partner_id: 1,
      mapping_id: 1,
      added_by: 'u-tess',
      added_seq: 24,
      added_ms: T0 + 100_000_000,
      status: 'ok',
      status_message: 'Scanned: 1 file imported.',
      last_scan_ms: T0 + 100_060_000,
    });
    insert(db, 'watched_folder_files', {
      folder_id: 1,
      name: '2026-03-16-keystone-epcis.xml',
      size: 18_901,
      mtime_ms: T0 + 99_000_000,
      first_seen_ms: T0 + 100_000_000,
      outcome: 'imported',
      message: null,
      file_hash: sha256('2026-03-16-keystone-epcis.xml'),
      quarantine_id: null,
      handled_ms: T0 + 100_060_000,
    });
  },

  250(db) {
    const recorded = {
      request: 1,
      regime: 'dscsa',
      respondent: 'dispenser',
      requesterKind: 'fda',
      requester: 'FDA Office of Drug Security, Integrity, and Response',
      contact: 'J. Rivera, 301-796-3130',
      channel: 'email',
      receivedMs: T0 + 110_000_000,
      timeZone: 'America/New_York',
      asked: { products: [GTIN], lots: [LOT], tlcs: [], serials: [] },
      statutoryDueMs: T0 + 110_000_000 + 2 * 86_400_000,
      basis: 'FD&C Act §582(d)(1)(D): a dispenser answers not later than 2 business days after the request',
    };
    insert(db, 'records_requests', {
      id: 1,
      regime: 'dscsa',
      requester_kind: 'fda',
      received_ms: recorded.receivedMs,
      recorded: JSON.stringify(recorded),
      due_ms: recorded.statutoryDueMs,
      basis: recorded.basis,
      agreed_note: null,
      status: 'answered',
      withdrawn_reason: null,
      recorded_by: 'u-phil',
      recorded_seq: 25,
    });
    insert(db, 'records_request_answers', {
      request_id: 1,
      seq: 27,
      report_seq: 26,
      sent_ms: T0 + 110_000_000 + 3_600_000,
      sent_to: 'J. Rivera by email',
      answer: JSON.stringify({
        request: 1,
        reportSeq: 26,
        kind: 'dscsa-t3',
        format: 'pdf',
        sentTo: 'J. Rivera by email',
      }),
      answered_by: 'u-phil',
    });
  },

  260(db) {
    insert(db, 'form3911_notifications', {
      investigation_id: 1,
      notification: 1,
      type: 'initial',
      notified_ms: T0 + 94_000_000,
      seq: 24,
      recorded_by: 'u-phil',
      record: JSON.stringify({
        investigation: 1,
        notification: 1,
        type: 'initial',
        notifiedMs: T0 + 94_000_000,
      }),
    });
    insert(db, 'form3911_incidents', {
      investigation_id: 1,
      incident_number: 'DN-2026-00417',
      received_ms: T0 + 95_000_000,
      seq: 25,
    });
  },

  270(db) {
    // A CSOS order to the wholesaler for two CII lines: line 1 filled in part, line 2 cancelled.
    insert(db, 'dea_orders', {
      id: 1,
      direction: 'inbound',
      form: 'csos',
      number: '26X000123',
      signed_on: '2026-03-02',
      supplier_name: 'Keystone Wholesale',
      supplier_dea: 'PW1234563',
      supplier_address: '100 Distribution Way, Harrisburg, PA 17101',
      purchaser_name: 'Riverside Pharmacy',
      purchaser_dea: 'AB1234563',
      purchaser_address: '1 Main Street, Springfield, IL 62701',
      signer_subject: 'CN=Phil Pharmacist, OU=CSOS, O=Riverside Pharmacy',
      signed_hash: 'ab'.repeat(32),
      note: null,
      recorded_seq: 30,
      recorded_by: 'u-phil',
      recorded_ms: T0 + 130_000_000,
    });
    for (const [line, ndc, name] of [
      [1, '16590-598-60', 'Kadian'],
      [2, '0555-0767-02', 'Adderall'],
    ] as const)
      insert(db, 'dea_order_lines', {
        order_id: 1,
        line,
        ndc,
        product_name: name,
        strength: null,
        dosage_form: null,
        packages: 2,
        package_size: 60,
        unit: 'capsule',
      });
    insert(db, 'dea_order_fills', {
      seq: 31,
      order_id: 1,
      line: 1,
      containers: 1,
      shipped_on: '2026-03-03',
      received_on: '2026-03-04',
      lot: 'K7781',
      counted: 1,
      inventory_transaction: null,
      recorded_by: 'u-tess',
    });
    insert(db, 'dea_order_events', {
      seq: 32,
      order_id: 1,
      line: 2,
      action: 'cancelled',
      on_date: '2026-03-05',
      reason: 'Back-ordered at the wholesaler',
      recorded_by: 'u-phil',
    });
    insert(db, 'dea_order_exceptions', {
      id: 1,
      order_id: 1,
      fill_seq: 31,
      kind: 'over-order',
      detail: '{}',
      status: 'resolved',
      opened_seq: 33,
      resolved_seq: 34,
      resolved_by: 'u-phil',
      resolution: 'Returned the extra container to the wholesaler',
    });
  },

  280(db) {
    // A break-in found on Friday 3 July 2026 (notice due Monday 6 July: the 3rd is Independence Day
    // observed), two NDCs taken; and a destruction of one expired bottle witnessed by two people.
    insert(db, 'loss_incidents', {
      id: 'inc-0001',
      seq: 40,
      discovered_on: '2026-07-03',
      notice_due_by: '2026-07-06',
      file_by: '2026-08-17',
      notice: JSON.stringify({ notifiedOn: '2026-07-06', office: 'Chicago Field Division', how: 'email' }),
      notice_seq: 43,
      filing: null,
      filing_seq: null,
      record: JSON.stringify({ id: 'inc-0001', lossType: 'break-in-burglary', discoveredOn: '2026-07-03' }),
    });
    insert(db, 'destructions', {
      id: 'des-0001',
      seq: 44,
      date: '2026-07-20',
      record: JSON.stringify({ id: 'des-0001', method: 'Rx Destroyer denaturing kit', lines: [] }),
    });
    insert(db, 'disposal_lines', {
      parent_id: 'inc-0001',
      line: 1,
      kind: 'theft-loss',
      transaction_id: 'tx-0040',
      ndc: '0406-0552-01',
    });
    insert(db, 'disposal_lines', {
      parent_id: 'des-0001',
      line: 1,
      kind: 'destruction',
      transaction_id: 'tx-0044',
      ndc: '0406-0552-01',
    });
  },

  290(db) {
    // Oxycodone 5 mg, 100s (DEA drug code 9143) reported to ARCOS; Q1 marked submitted with one receipt.
    insert(db, 'arcos_products', {
      ndc: '0406-0552-01',
      reportable: 1,
      drug_code: '9143',
      narcotic: 1,
      package_size: 100,
      bulk: 0,
      strength: null,
      seq: 40,
    });
    insert(db, 'arcos_settings', { id: 1, frequency: 'quarterly', document_identifier: null, seq: 41 });
    insert(db, 'arcos_associates', {
      transaction_seq: 12,
      associate: 'UNKNOWN',
      reason: 'Stolen in transit; the thief is not a registrant',
      seq: 42,
    });
    insert(db, 'arcos_submissions', {
      seq: 44,
      period: '2026-Q1',
      frequency: 'quarterly',
      sha256: sha256('arcos 2026-Q1').toString('hex'),
      file_name: 'arcos-2026-Q1-at43.txt',
      generation_seq: 43,
      submitted_by: 'u-tess',
      submitted_ms: T0 + 40 * 86_400_000,
      confirmation: 'ARCOS-UPLOAD-0001',
    });
    insert(db, 'arcos_submitted_records', {
      submission_seq: 44,
      transaction_seq: 11,
      action: '',
      record: 'FR1234563P 004060552010000000500AB1234563123456789030226        00000000011  '.padEnd(80, ' '),
    });
  },

  300(db) {
    insert(db, 'sync_endpoints', {
      partner_id: 1,
      epcis_url: 'https://epcis.keystone.example/epcis',
      verify_url: 'https://vrs.keystone.example',
      auth: 'bearer',
      token_url: null,
      client_id: null,
      ca_pem: null,
      pinned_sha256: null,
      client_cert_pem: null,
      query: '{}',
      per_page: 1000,
      overlap_ms: 300_000,
      interval_ms: 900_000,
      max_attempts: 5,
      licence: 'PA wholesale licence WD-1234',
      licence_checked: 'PA Department of Health licence lookup',
      licence_expires: '2027-06-30',
      saved_seq: 27,
    });
    insert(db, 'sync_state', {
      partner_id: 1,
      cursor_record_time: '2026-03-16T08:00:00.000Z',
      last_attempt_ms: T0 + 120_000_000,
      last_success_ms: T0 + 120_000_000,
      status: 'ok',
      status_message: 'Pulled 2 events.',
      failures: 0,
      circuit_open_until_ms: null,
      tls_protocol: 'TLSv1.3',
      cert_subject: 'CN=epcis.keystone.example',
      cert_issuer: 'CN=Keystone CA',
      cert_valid_to_ms: T0 + 365 * 86_400_000,
      epcis_version: '2.0.0',
      cbv_version: '2.0.0',
    });
    insert(db, 'sync_pages', {
      partner_id: 1,
      page_key: sha256('keystone page 1'),
      file_hash: sha256('keystone page 1 bytes'),
      events: 2,
      outcome: 'imported',
      quarantine_id: null,
      last_record_time: '2026-03-16T08:00:00.000Z',
      committed_ms: T0 + 120_000_000,
    });
    insert(db, 'sync_outbox', {
      id: 1,
      partner_id: 1,
      kind: 'verify',
      name: 'Verify GTIN 00300010123455 lot A123',
      state: 'delivered',
      body: Buffer.from('{}'),
      event_ids: '[]',
      corr_uuid: '5b0c9a7e-1f0e-4c1e-9a55-0d0c0f1e2a3b',
      parent_id: null,
      attempts: 1,
      next_attempt_ms: 0,
      posted_ms: T0 + 121_000_000,
      capture_url: null,
      last_error: null,
      enqueued_by: 'u-phil',
      enqueued_seq: 28,
      enqueued_ms: T0 + 121_000_000,
      outcome_seq: 29,
      outcome_ms: T0 + 121_000_500,
    });
    insert(db, 'sync_verifications', {
      outbox_id: 1,
      partner_id: 1,
      gtin: GTIN,
      lot: LOT,
      expiry: '2028-01-31',
      serial_sealed: sha256('sealed serial'),
      context: 'dscsaSaleableReturn',
      corr_uuid: '5b0c9a7e-1f0e-4c1e-9a55-0d0c0f1e2a3b',
      verified: 1,
      failure_reason: null,
      additional_info: null,
      responder_gln: KEYSTONE_GLN,
      answered_ms: T0 + 121_000_500,
      answer_seq: 29,
    });
  },

  330(db) {
    // Tess's findings on investigation 1, before Phil cleared it.
    insert(db, 'investigation_findings', {
      seq: 23,
      investigation_id: 1,
      recorded_by: 'u-tess',
      recorded_ms: T0 + 93_000_000,
      checked: JSON.stringify(['carton seal intact', 'lot and expiry on the carton match the ASN']),
      photos: JSON.stringify(['front of the carton, label slightly blurred']),
      verifications: JSON.stringify([
        {
          asked: 'Keystone',
          answer: 'serial verified by the manufacturer (VRS)',
          receivedMs: T0 + 92_000_000,
        },
      ]),
      notes: 'Label print looks faded compared with stock on the shelf.',
    });
  },

  340() {
    // 0340 drops an index no query used and makes no table: the rows of every table before it carry over.
  },
};
