import type { Database } from 'better-sqlite3-multiple-ciphers';
import { projectArcos } from './arcos';
import { projectCounts } from './counts';
import { projectDisposals } from './disposals';
import { projectInventory } from './inventory';
import { projectOrders } from './orders';
import type { ProjectionSet } from './ledger/replay';
import type { Entry } from './ledger/workspace';
import { projectPeople } from './auth';
import { projectProducts } from './products';
import { projectFindings, projectForm3911 } from './receiving';
import { projectRequests } from './requests';
import { projectRegistrant } from './registrant/registrant';

/**
 * Every projection the ledger rebuilds alone, composed once for the whole core: the workspace
 * projects each appended entry through {@link projectAll}; `inventory.verifyProjections` replays
 * the ledger into these tables and compares. Import, receiving and quarantine tables are rebuilt
 * by replaying the import itself (ingest's rebuildTraceProjections).
 */
export const projections: ProjectionSet = {
  project: projectAll,
  /** Entry type prefixes the projectors below read, in one pass in ledger order. */
  prefixes: [
    'registrant.',
    'settings.',
    'users.',
    'auth.',
    'products.',
    'inventory.',
    'approvals.',
    'counts.',
    'disposals.',
    'form3911.',
    'investigation.findings-',
    // A wrong signing password on receiving is recorded here and counts toward lockout (auth/accounts.ts).
    'receiving.refused',
    'requests.',
    'orders.',
    'arcos.',
  ],
  /** Every projection table rebuilt from the ledger, with the order that makes a dump comparable. */
  tables: {
    registrant: 'id',
    settings: 'id',
    users: 'user_id',
    user_lockout: 'user_id',
    products: 'ndc',
    inv_transactions: 'id',
    signatures: 'subject_id, seq, user_id, meaning',
    inv_balances: 'ndc',
    inv_lot_balances: 'ndc, lot',
    counts: 'id',
    discrepancies: 'id',
    form106_drafts: 'id',
    sealed_inventories: 'id',
    loss_incidents: 'id',
    destructions: 'id',
    disposal_lines: 'parent_id, line',
    form3911_notifications: 'investigation_id, notification',
    form3911_incidents: 'investigation_id',
    investigation_findings: 'seq',
    // Answers before their requests: a rebuild empties the tables in this order (foreign key).
    records_request_answers: 'request_id, seq',
    records_requests: 'id',
    // Exceptions and fills before their orders and lines (foreign keys).
    dea_order_exceptions: 'id',
    dea_order_fills: 'seq',
    dea_order_events: 'seq',
    dea_order_lines: 'order_id, line',
    dea_orders: 'id',
    arcos_products: 'ndc',
    arcos_settings: 'id',
    arcos_associates: 'transaction_seq',
    arcos_submitted_records: 'submission_seq, transaction_seq',
    arcos_submissions: 'seq',
  },
};

/** The one projector: every entry goes through each area's projector (each ignores the others' types). */
export function projectAll(db: Database, entry: Entry): void {
  projectRegistrant(db, entry);
  projectPeople(db, entry);
  projectProducts(db, entry);
  projectInventory(db, entry);
  projectCounts(db, entry);
  projectArcos(db, entry);
  projectDisposals(db, entry);
  projectForm3911(db, entry);
  projectFindings(db, entry);
  projectRequests(db, entry);
  projectOrders(db, entry);
}
